/**
 * Export of the registry (导出): the filtered household list (the village register's columns) and the
 * member list in the national person-list format (columns.ts, so that it re-imports), as .xlsx or CSV.
 *
 * Households are read in batches within the actor's scope by the list's own query (the same scope and
 * filters as GET /api/households). ID numbers and phones are masked unless a full export is asked by a
 * role holding households.read-full. Text cells beginning with = + - @ (or tab / CR) get a leading
 * apostrophe against formula injection. Every export is audited (exchange.export).
 */
import { PassThrough, type Writable } from 'node:stream';
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

/** One cell as written: text, a number, a date (UTC midnight) or empty. */
export type Cell = string | number | Date | null;
/** How a column's cells are written: text (xlsx `@`), identifiers as text with all digits, dates, money `0.00`, integers. */
export type CellType = 'text' | 'identifier' | 'date' | 'money' | 'integer';

/** A column of a written sheet. */
export interface OutColumn {
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

/** The member list's columns (the national person list's labels and order); shared with the demo file generator. */
export const MEMBER_COLUMNS: readonly OutColumn[] = MEMBER_COLUMN_KEYS.map(([key, type, width]) => {
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
// One member row (shared with the demo file generator, demo-file.ts)

/** The household fields a member row shows (a registry row, or a generated one). */
export interface MemberRowHousehold {
  householdNo: string;
  areaCode: string;
  groupName: string | null;
  memberCount: number;
  status: string;
  povertyAttribute: string | null;
  householdType: string;
  identificationStandard: string | null;
  mainPovertyCause: string | null;
  otherPovertyCauses: readonly string[];
  safeDrinkingWater: boolean | null;
  drinkingWaterDifficulty: boolean | null;
  latestPerCapitaNetIncome: number | null;
  bankName: string | null;
  bankAccount: string | null;
  militaryFamily: boolean | null;
  phone: string | null;
}

/** The member fields a member row shows. */
export type MemberRowMember = Omit<MemberExportRow, 'householdId'>;

/** The names of a household's area levels, as the person list writes them. */
export interface RowAreaNames {
  county: string;
  township: string;
  village: string;
}

/** Area names from loadAreaNames' `{ full, name, township }` (the county is the third name from the end of `full`). */
export function rowAreaNames(a: { full: string; name: string; township: string } | undefined): RowAreaNames {
  const parts = (a?.full ?? '').split(' ');
  return { county: parts.length >= 3 ? parts[parts.length - 3]! : '', township: a?.township ?? '', village: a?.name ?? '' };
}

const causesLabel = (causes: readonly string[]): string | null => causes.map((c) => label('povertyCause', c)).join('、') || null;

/**
 * The cells of one member's row in MEMBER_COLUMNS' order: codes as their Chinese labels, booleans as
 * 是/否, dates as UTC midnight. ID numbers, phones and the bank account masked unless `full`.
 */
export function memberRowCells(h: MemberRowHousehold, m: MemberRowMember, area: RowAreaNames, full: boolean): Cell[] {
  const id = (s: string | null) => (full ? s : maskIdNumber(s));
  const phone = (s: string | null) => (full ? s : maskPhone(s));
  return [
    area.county,
    area.township,
    area.village,
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
    causesLabel(h.otherPovertyCauses),
    yesNo(h.safeDrinkingWater),
    yesNo(h.drinkingWaterDifficulty),
    h.latestPerCapitaNetIncome,
    h.bankName,
    phone(h.bankAccount),
    yesNo(h.militaryFamily),
  ];
}

// ---------------------------------------------------------------------------------------------
// Writing (shared with the demo file generator)

/** Writes one sheet's rows to a stream, header first. */
export interface SheetWriter {
  add(cells: readonly Cell[]): void;
  /** Waits until the output has taken what was added (call every few hundred rows when writing many). */
  drain(): Promise<void>;
  /** Writes the rest and ends the stream; resolves once the stream has finished. */
  finish(): Promise<void>;
}

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Resolves once `stream` has room again (at once when it has). */
function roomIn(stream: Writable): Promise<void> {
  if (!stream.writableNeedDrain) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const done = () => {
      stream.off('error', fail);
      resolve();
    };
    const fail = (e: Error) => {
      stream.off('drain', done);
      reject(e);
    };
    stream.once('drain', done);
    stream.once('error', fail);
  });
}

/**
 * An .xlsx sheet through exceljs's streaming WorkbookWriter: 户编号, ID numbers, phones, accounts and
 * area codes as text cells (`@`, all digits kept), dates `yyyy-mm-dd`, money `0.00`, column widths,
 * a bold frozen header with an autofilter; text cells neutralised against formula injection. Strings
 * are written inline (no shared-strings table to hold in memory, here or in the reader).
 */
export function xlsxSheetWriter(stream: Writable, columns: readonly OutColumn[], sheetName: string): SheetWriter {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream, useStyles: true, useSharedStrings: false });
  const ws = wb.addWorksheet(sheetName, { views: [{ state: 'frozen', xSplit: 0, ySplit: 1 }] });
  ws.columns = columns.map((c) => ({ key: c.header, width: c.width }));
  ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: columns.length } };
  const header = ws.addRow(columns.map((c) => c.header));
  header.font = { bold: true };
  header.commit();
  const formats = columns.map((col) => (col.type === 'identifier' || col.type === 'text' ? '@' : col.type === 'date' ? 'yyyy-mm-dd' : col.type === 'money' ? '0.00' : undefined));
  return {
    add(cells) {
      const row = ws.addRow(cells.map((c) => (typeof c === 'string' ? neutralizeFormula(c) : c)));
      formats.forEach((fmt, i) => {
        if (fmt) row.getCell(i + 1).numFmt = fmt;
      });
      row.commit();
    },
    async drain() {
      // exceljs buffers the sheet's XML until the zip stream reads it: let it run, then wait for the output.
      await tick();
      await roomIn(stream);
    },
    async finish() {
      ws.commit();
      await wb.commit();
    },
  };
}

/** CSV (RFC 4180, CRLF): UTF-8 with a BOM, or GBK without one; money with two decimals. */
export function csvSheetWriter(stream: Writable, columns: readonly OutColumn[], encoding: ExportEncoding): SheetWriter {
  const encode = (text: string): Buffer => (encoding === 'gbk' ? iconv.encode(text, 'gbk') : Buffer.from(text, 'utf8'));
  const write = (text: string) => stream.write(encode(text));
  if (encoding !== 'gbk') stream.write(Buffer.from([0xef, 0xbb, 0xbf]));
  write(columns.map((c) => csvField(c.header)).join(',') + '\r\n');
  return {
    add(cells) {
      write(cells.map((c, i) => (typeof c === 'number' && columns[i]!.type === 'money' ? c.toFixed(2) : csvField(c))).join(',') + '\r\n');
    },
    drain: () => roomIn(stream),
    finish: () =>
      new Promise((resolve, reject) => {
        stream.once('error', reject);
        stream.end(() => resolve());
      }),
  };
}

/** A writer into memory: `body()` gives the bytes once `finish` has resolved. */
function inMemory(open: (stream: Writable) => SheetWriter): SheetWriter & { body(): Buffer } {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  const ended = new Promise<void>((resolve) => stream.once('end', resolve));
  const writer = open(stream);
  return {
    add: (cells) => writer.add(cells),
    drain: () => writer.drain(),
    async finish() {
      await writer.finish();
      await ended;
    },
    body: () => Buffer.concat(chunks),
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
  const sink = inMemory((stream) => (opts.format === 'xlsx' ? xlsxSheetWriter(stream, columns, title) : csvSheetWriter(stream, columns, encoding)));
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
      const area = rowAreaNames(names.get(h.areaCode));
      if (opts.kind === 'households') {
        sink.add([
          h.householdNo,
          area.county,
          area.township,
          area.village,
          h.groupName,
          h.headName,
          id(headIdNumber),
          h.memberCount,
          label('householdType', h.householdType),
          label('povertyAttribute', h.povertyAttribute),
          label('householdStatus', h.status),
          label('povertyCause', h.mainPovertyCause),
          causesLabel(h.otherPovertyCauses),
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
        sink.add(memberRowCells(h, m, area, full));
        rows++;
      }
    }
    await sink.drain();
    if (batch.length < batchSize) break;
    query.page++;
  }
  await sink.finish();
  const body = sink.body();

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
