/**
 * Export of the registry (导出): the filtered household list (the village register's columns) and the
 * member list in the national person-list format (columns.ts, so that it re-imports), as .xlsx or CSV.
 *
 * Households are read in batches within the actor's scope by the list's own query (the same scope and
 * filters as GET /api/households). ID numbers and phones are masked unless a full export is asked by a
 * role holding households.read-full. Text cells beginning with = + - @ (or tab / CR) get a leading
 * apostrophe against formula injection. Every export is audited (exchange.export).
 */
import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { notFound } from '../../shared/errors.ts';
import { maskIdNumber, maskPhone } from '../../shared/mask.ts';
import { validateIdNumber } from '../../shared/id-number.ts';
import { authorize, inScope, scopePattern, type Actor } from '../../platform/auth.ts';
import { rowsOf, sql, type DbOrTx } from '../../platform/db.ts';
import { loadAreaNames } from '../areas/index.ts';
import { recordAudit } from '../audit/index.ts';
import { findCodeItem, HEAD_RELATION, HOUSEHOLDS, selectHouseholdPage, type CodeListId, type HouseholdListQuery } from '../households/index.ts';
import { columnByKey } from './columns.ts';
import { EXCHANGE } from './permissions.ts';

export type ExportKind = 'households' | 'members';
export type ExportFormat = 'xlsx' | 'csv';
export type ExportEncoding = 'utf-8' | 'gbk';

/** The household list's filters (no paging or sorting: an export is ordered by 户编号). */
export type ExportFilters = Partial<Pick<HouseholdListQuery, 'areaCode' | 'householdType' | 'status' | 'povertyAttribute' | 'mainPovertyCause' | 'incomeMin' | 'incomeMax' | 'q' | 'includeRemoved'>>;

export interface ExportOptions {
  kind: ExportKind;
  format: ExportFormat;
  /** CSV only (default UTF-8 with BOM). */
  encoding?: ExportEncoding;
  /** ID numbers and phones in full (needs households.read-full). */
  full?: boolean;
  filters: ExportFilters;
  /** Households read per query (default 1,000). */
  batchSize?: number;
}

export interface ExportFile {
  fileName: string;
  contentType: string;
  body: Buffer;
  rows: number;
}

type Cell = string | number | Date | null;
type CellType = 'text' | 'identifier' | 'date' | 'money' | 'integer';

interface OutColumn {
  header: string;
  type: CellType;
  width: number;
}

// ---------------------------------------------------------------------------------------------
// Cells

const FORMULA_START = /^[=+\-@\t\r]/;

/** A text cell safe from formula injection: a leading = + - @ tab or CR gets an apostrophe before it. */
export function neutralizeFormula(s: string): string {
  return FORMULA_START.test(s) ? `'${s}` : s;
}

/** One CSV field (RFC 4180): quoted when it holds a comma, quote, CR or LF; quotes doubled. */
export function csvField(cell: Cell): string {
  if (cell === null) return '';
  const s = cell instanceof Date ? cell.toISOString().slice(0, 10) : typeof cell === 'number' ? String(cell) : neutralizeFormula(cell);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

const label = (list: CodeListId, value: string | null | undefined): string | null => (value ? (findCodeItem(list, value)?.label.zh ?? value) : null);
const yesNo = (b: boolean | null | undefined): string | null => (b === null || b === undefined ? null : b ? '是' : '否');
const utcDate = (d: string | null | undefined): Date | null => (d ? new Date(`${d.slice(0, 10)}T00:00:00Z`) : null);

// ---------------------------------------------------------------------------------------------
// Columns

const HOUSEHOLD_COLUMNS: OutColumn[] = [
  { header: '户编号', type: 'identifier', width: 20 },
  { header: '县(市、区、旗)', type: 'text', width: 12 },
  { header: '乡(镇)', type: 'text', width: 12 },
  { header: '行政村', type: 'text', width: 12 },
  { header: '自然村(组)', type: 'text', width: 10 },
  { header: '户主姓名', type: 'text', width: 10 },
  { header: '户主证件号码', type: 'identifier', width: 22 },
  { header: '人数', type: 'integer', width: 6 },
  { header: '户类型', type: 'text', width: 16 },
  { header: '贫困户属性', type: 'text', width: 16 },
  { header: '脱贫属性', type: 'text', width: 12 },
  { header: '主要致贫原因', type: 'text', width: 12 },
  { header: '其他致贫原因', type: 'text', width: 20 },
  { header: '识别年度', type: 'integer', width: 8 },
  { header: '收入年度', type: 'integer', width: 8 },
  { header: '人均纯收入', type: 'money', width: 12 },
  { header: '户联系电话', type: 'identifier', width: 14 },
  { header: '状态', type: 'text', width: 8 },
  { header: '更新日期', type: 'date', width: 12 },
];

/** The member list's columns: keys of columns.ts in the person list's order, headed by their labels. */
const MEMBER_COLUMN_KEYS: readonly [string, CellType, number][] = [
  ['county', 'text', 12],
  ['township', 'text', 12],
  ['village', 'text', 12],
  ['group', 'text', 10],
  ['areaCode', 'identifier', 14],
  ['householdNo', 'identifier', 20],
  ['name', 'text', 10],
  ['idNumber', 'identifier', 22],
  ['idType', 'text', 14],
  ['memberCount', 'integer', 6],
  ['relationToHead', 'text', 12],
  ['sex', 'text', 6],
  ['birthDate', 'date', 12],
  ['ethnicity', 'text', 8],
  ['politicalStatus', 'text', 10],
  ['education', 'text', 12],
  ['schooling', 'text', 12],
  ['health', 'text', 12],
  ['labourAbility', 'text', 12],
  ['employment', 'text', 12],
  ['monthsWorked', 'integer', 8],
  ['seriousIllnessInsurance', 'text', 8],
  ['medicalInsurance', 'text', 8],
  ['pensionInsurance', 'text', 8],
  ['activeMilitary', 'text', 8],
  ['memberPhone', 'identifier', 14],
  ['householdPhone', 'identifier', 14],
  ['householdStatus', 'text', 12],
  ['povertyAttribute', 'text', 16],
  ['householdType', 'text', 16],
  ['identificationStandard', 'text', 12],
  ['mainPovertyCause', 'text', 12],
  ['otherPovertyCauses', 'text', 20],
  ['safeDrinkingWater', 'text', 8],
  ['drinkingWaterDifficulty', 'text', 8],
  ['perCapitaNetIncome', 'money', 12],
  ['bankName', 'text', 16],
  ['bankAccount', 'identifier', 22],
  ['militaryFamily', 'text', 8],
];

const MEMBER_COLUMNS: OutColumn[] = MEMBER_COLUMN_KEYS.map(([key, type, width]) => {
  const def = columnByKey(key);
  if (!def) throw new Error(`unknown person-list column ${key}`);
  return { header: def.label.zh, type, width };
});

/** The headers of each kind of export, in order (for tests and the import template). */
export const EXPORT_HEADERS: Record<ExportKind, readonly string[]> = {
  households: HOUSEHOLD_COLUMNS.map((c) => c.header),
  members: MEMBER_COLUMNS.map((c) => c.header),
};

// ---------------------------------------------------------------------------------------------
// Reading

interface MemberExportRow {
  householdId: string;
  name: string;
  sex: string;
  idType: string;
  idNumber: string;
  birthDate: string;
  relationToHead: string;
  ethnicity: string | null;
  politicalStatus: string | null;
  education: string | null;
  schooling: string | null;
  health: string | null;
  labourAbility: string | null;
  employment: string | null;
  monthsWorked: number | null;
  medicalInsurance: boolean;
  seriousIllnessInsurance: boolean;
  pensionInsurance: boolean;
  activeMilitary: boolean;
  phone: string | null;
}

/** The active members of these households: the head first, then by birth date. */
async function selectActiveMembers(db: DbOrTx, householdIds: string[]): Promise<Map<string, MemberExportRow[]>> {
  const out = new Map<string, MemberExportRow[]>();
  if (householdIds.length === 0) return out;
  const ids = sql.join(
    householdIds.map((id) => sql`${id}::uuid`),
    sql`, `,
  );
  const res = await db.execute(sql`
    SELECT household_id AS "householdId", name, sex, id_type AS "idType", id_number AS "idNumber", birth_date::text AS "birthDate",
           relation_to_head AS "relationToHead", ethnicity, political_status AS "politicalStatus", education, schooling, health,
           labour_ability AS "labourAbility", employment, months_worked AS "monthsWorked", medical_insurance AS "medicalInsurance",
           serious_illness_insurance AS "seriousIllnessInsurance", pension_insurance AS "pensionInsurance",
           active_military AS "activeMilitary", phone
      FROM members
     WHERE household_id IN (${ids}) AND status = 'active'
     ORDER BY household_id, relation_to_head = ${HEAD_RELATION} DESC, birth_date, created_at`);
  for (const m of rowsOf<MemberExportRow>(res)) {
    const list = out.get(m.householdId) ?? [];
    list.push(m);
    out.set(m.householdId, list);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Writing

interface SheetSink {
  add(row: Cell[]): void;
  finish(): Promise<Buffer>;
}

function xlsxSink(columns: OutColumn[], sheetName: string): SheetSink {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream, useStyles: true, useSharedStrings: false });
  const ws = wb.addWorksheet(sheetName, { views: [{ state: 'frozen', xSplit: 0, ySplit: 1 }] });
  ws.columns = columns.map((c) => ({ key: c.header, width: c.width }));
  ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: columns.length } };
  const header = ws.addRow(columns.map((c) => c.header));
  header.font = { bold: true };
  header.commit();
  return {
    add(cells) {
      const row = ws.addRow(cells.map((c) => (typeof c === 'string' ? neutralizeFormula(c) : c)));
      columns.forEach((col, i) => {
        const cell = row.getCell(i + 1);
        if (col.type === 'identifier' || col.type === 'text') cell.numFmt = '@';
        else if (col.type === 'date') cell.numFmt = 'yyyy-mm-dd';
        else if (col.type === 'money') cell.numFmt = '0.00';
      });
      row.commit();
    },
    async finish() {
      ws.commit();
      await wb.commit();
      return Buffer.concat(chunks);
    },
  };
}

function csvSink(columns: OutColumn[], encoding: ExportEncoding): SheetSink {
  const lines: string[] = [columns.map((c) => csvField(c.header)).join(',')];
  return {
    add(cells) {
      lines.push(cells.map((c, i) => (typeof c === 'number' && columns[i]!.type === 'money' ? c.toFixed(2) : csvField(c))).join(','));
    },
    async finish() {
      const text = lines.join('\r\n') + '\r\n';
      return encoding === 'gbk' ? iconv.encode(text, 'gbk') : Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
    },
  };
}

function cstToday(): string {
  return new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
}

/**
 * Exports the households of the actor's scope that match the list's filters.
 * @throws AppError FORBIDDEN without exchange.export, or for `full` without households.read-full
 * @throws AppError NOT_FOUND when filters.areaCode lies outside the actor's scope
 */
export async function exportHouseholds(db: DbOrTx, actor: Actor, opts: ExportOptions): Promise<ExportFile> {
  authorize(actor, EXCHANGE['exchange.export']);
  authorize(actor, HOUSEHOLDS['households.read']);
  const full = opts.full === true;
  if (full) authorize(actor, HOUSEHOLDS['households.read-full']);
  const f = opts.filters;
  if (f.areaCode && !inScope(actor, f.areaCode)) throw notFound('区划', 'Area');
  let idSearch: string | null = null;
  if (f.q) {
    const r = validateIdNumber(f.q);
    if (r.ok) idSearch = r.idNumber;
  }
  const encoding = opts.encoding ?? 'utf-8';
  const columns = opts.kind === 'households' ? HOUSEHOLD_COLUMNS : MEMBER_COLUMNS;
  const title = opts.kind === 'households' ? '农户名单' : '人员名单';
  const sink = opts.format === 'xlsx' ? xlsxSink(columns, title) : csvSink(columns, encoding);
  const id = (s: string | null) => (full ? s : maskIdNumber(s));
  const phone = (s: string | null) => (full ? s : maskPhone(s));

  const batchSize = opts.batchSize ?? 1000;
  const query: HouseholdListQuery = { includeRemoved: false, ...f, sort: 'householdNo', order: 'asc', page: 1, pageSize: batchSize };
  let rows = 0;
  for (;;) {
    const { rows: batch } = await selectHouseholdPage(db, scopePattern(actor), query, idSearch);
    if (batch.length === 0) break;
    const names = await loadAreaNames(db, [...new Set(batch.map((r) => r.h.areaCode))]);
    const membersOf = opts.kind === 'members' ? await selectActiveMembers(db, batch.map((r) => r.h.id)) : new Map<string, MemberExportRow[]>();
    for (const { h, headIdNumber } of batch) {
      const a = names.get(h.areaCode);
      const parts = (a?.full ?? '').split(' ');
      const county = parts.length >= 3 ? parts[parts.length - 3]! : '';
      const common = {
        county,
        township: a?.township ?? '',
        village: a?.name ?? '',
        causes: h.otherPovertyCauses.map((c) => label('povertyCause', c)).join('、') || null,
      };
      if (opts.kind === 'households') {
        sink.add([
          h.householdNo,
          common.county,
          common.township,
          common.village,
          h.groupName,
          h.headName,
          id(headIdNumber),
          h.memberCount,
          label('householdType', h.householdType),
          label('povertyAttribute', h.povertyAttribute),
          label('householdStatus', h.status),
          label('povertyCause', h.mainPovertyCause),
          common.causes,
          h.identificationYear,
          h.latestIncomeYear,
          h.latestPerCapitaNetIncome,
          phone(h.phone),
          h.active ? '在册' : '已注销',
          utcDate(h.updatedAt.toISOString()),
        ]);
        rows++;
        continue;
      }
      for (const m of membersOf.get(h.id) ?? []) {
        sink.add([
          common.county,
          common.township,
          common.village,
          h.groupName,
          h.areaCode,
          h.householdNo,
          m.name,
          id(m.idNumber),
          label('idType', m.idType),
          h.memberCount,
          label('relationToHead', m.relationToHead),
          label('sex', m.sex),
          utcDate(m.birthDate),
          label('ethnicity', m.ethnicity),
          label('politicalStatus', m.politicalStatus),
          label('education', m.education),
          label('schooling', m.schooling),
          label('health', m.health),
          label('labourAbility', m.labourAbility),
          label('employment', m.employment),
          m.monthsWorked,
          yesNo(m.seriousIllnessInsurance),
          yesNo(m.medicalInsurance),
          yesNo(m.pensionInsurance),
          yesNo(m.activeMilitary),
          phone(m.phone),
          phone(h.phone),
          label('householdStatus', h.status),
          label('povertyAttribute', h.povertyAttribute),
          label('householdType', h.householdType),
          label('identificationStandard', h.identificationStandard),
          label('povertyCause', h.mainPovertyCause),
          common.causes,
          yesNo(h.safeDrinkingWater),
          yesNo(h.drinkingWaterDifficulty),
          h.latestPerCapitaNetIncome,
          h.bankName,
          full ? h.bankAccount : maskPhone(h.bankAccount),
          yesNo(h.militaryFamily),
        ]);
        rows++;
      }
    }
    if (batch.length < batchSize) break;
    query.page++;
  }
  const body = await sink.finish();

  const areaCode = f.areaCode ?? actor.areaCode;
  const areaName = areaCode ? ((await loadAreaNames(db, [areaCode])).get(areaCode)?.name ?? areaCode) : '全国';
  const fileName = `${title}-${areaName}-${cstToday()}.${opts.format}`;
  await recordAudit(db, actor, {
    action: EXCHANGE['exchange.export'],
    targetType: 'export',
    areaCode: areaCode ?? null,
    after: { kind: opts.kind, format: opts.format, ...(opts.format === 'csv' ? { encoding } : {}), filters: f, rows, full, fileName },
  });
  return {
    fileName,
    contentType: opts.format === 'xlsx' ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' : `text/csv; charset=${encoding === 'gbk' ? 'gbk' : 'utf-8'}`,
    body,
    rows,
  };
}
