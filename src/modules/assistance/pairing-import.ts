/**
 * Import of helper assignments (结对名单导入) from a file: .xlsx (first sheet) or CSV, one row per
 * household with the columns 户编号 or 户主身份证号, 帮扶责任人 (name), 联系电话 (tells helpers of the
 * same name apart), 帮扶单位 (unit name) and 开始日期 (default today). All or nothing: the file is read
 * and checked whole first; any bad row refuses it with every problem named by row, column and reason
 * (zh/en), and nothing is written; otherwise one transaction writes it. Re-importing the same file
 * changes nothing (a row whose helper is the household's current helper is skipped and counted).
 * The template's example row (its 帮扶责任人 marked 示例, pairing-template.ts) is left out.
 */
import { and, eq, inArray, sql } from 'drizzle-orm';
import { AppError, type FieldIssue } from '../../shared/errors.ts';
import { authorize, inScope, type Actor } from '../../platform/auth.ts';
import { pgErrorCode, type Db } from '../../platform/db.ts';
import { recordAudit } from '../audit/index.ts';
import { cellText, FileRefusal, isBlankRow, readIdNumber, readSpreadsheet, type CellValue } from '../exchange/index.ts';
import { todayCst } from '../households/index.ts';
import { households, members } from '../households/schema.ts';
import { onActorLine } from './access.ts';
import { ASSIGNMENT_IMPORT_COLUMNS, assignmentImportFields, CREATE_HELPERS_LABEL, type AssignmentImportResult } from './pairing-contract.ts';
import { loadWarnings, writeAssignments, type PlannedAssignment } from './pairing.ts';
import { EXAMPLE_MARK } from './pairing-template.ts';
import { ASSISTANCE } from './permissions.ts';
import { assistingUnits, helperAssignments, helpers } from './schema.ts';

/** Largest file accepted (bytes): a county's list of ~50,000 rows fits well within it. */
export const ASSIGNMENT_IMPORT_MAX_BYTES = 10 * 1024 * 1024;
const MAX_ROWS = 100_000;
/** Problems listed in a refusal (the count of bad rows is given besides). */
const MAX_LISTED_ISSUES = 500;

type ColumnKey = keyof typeof ASSIGNMENT_IMPORT_COLUMNS;

/** One data row of the file as read. */
export interface AssignmentFileRow {
  row: number;
  householdNo: string | null;
  headIdNumber: string | null;
  helperName: string;
  helperPhone: string | null;
  unitName: string | null;
  startDate: string;
}

const norm = (s: string) =>
  s
    .replace(/[\s*＊:：]/g, '')
    .replace(/[(（].*?[)）]/g, '')
    .trim();

/** The columns of a header row, or null when the row is not the header. */
function columnsOf(cells: string[]): Map<ColumnKey, { index: number; header: string }> | null {
  const found = new Map<ColumnKey, { index: number; header: string }>();
  cells.forEach((c, index) => {
    const n = norm(c);
    for (const [key, names] of Object.entries(ASSIGNMENT_IMPORT_COLUMNS) as [ColumnKey, readonly string[]][]) {
      if (!found.has(key) && names.includes(n)) found.set(key, { index, header: c.trim() });
    }
  });
  return found.has('helperName') && (found.has('householdNo') || found.has('headIdNumber')) ? found : null;
}

function calendar(y: number, m: number, d: number): string | null {
  const dt = new Date(Date.UTC(y, m - 1, d));
  if (y < 1990 || y > 2199 || dt.getUTCMonth() !== m - 1 || dt.getUTCDate() !== d) return null;
  return dt.toISOString().slice(0, 10);
}

/** A date cell → YYYY-MM-DD: a date, an Excel serial, 20240301, 2024-03-01, 2024/3/1, 2024.3.1, 2024年3月1日. */
export function readDateCell(cell: CellValue): string | null | 'bad' {
  if (cell === null || cell === undefined || cellText(cell) === '') return null;
  if (cell instanceof Date) return cellText(cell) || 'bad';
  if (typeof cell === 'number') {
    if (Number.isInteger(cell) && cell >= 19000101 && cell <= 21991231) return calendar(Math.floor(cell / 10000), Math.floor(cell / 100) % 100, cell % 100) ?? 'bad';
    if (cell > 60 && cell < 120000) return new Date(Date.UTC(1899, 11, 30) + Math.floor(cell) * 86_400_000).toISOString().slice(0, 10);
    return 'bad';
  }
  const text = cellText(cell).normalize('NFKC').replace(/\s/g, '');
  const m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(text) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(text);
  return m ? (calendar(Number(m[1]), Number(m[2]), Number(m[3])) ?? 'bad') : 'bad';
}

const digitsOf = (s: string | null) => (s ?? '').replace(/\D/g, '');

function refusal(message: string, messageEn: string, issues: FieldIssue[], extra: Record<string, unknown> = {}): AppError {
  return new AppError('VALIDATION_FAILED', message, messageEn, { issues, ...extra });
}

/**
 * Reads the file's first sheet: finds the header among the first 20 rows and reads every data row.
 * @returns the rows, and the problems of cells (path ['file', row, column header])
 * @throws AppError VALIDATION_FAILED (unreadable file, no header), PAYLOAD_TOO_LARGE
 */
export async function readAssignmentFile(file: { fileName: string; content: Buffer }): Promise<{ rows: AssignmentFileRow[]; issues: FieldIssue[]; headers: Map<ColumnKey, string> }> {
  const rows: AssignmentFileRow[] = [];
  const issues: FieldIssue[] = [];
  let columns: ReturnType<typeof columnsOf> = null;
  let sheets = 0;
  const today = todayCst();
  const issue = (row: number, header: string, zh: string, en: string) => issues.push({ path: ['file', row, header], message: `第 ${row} 行“${header}”列：${zh}`, messageEn: `Row ${row}, column “${header}”: ${en}` });
  const take = (r: { sheetRow: number; cells: CellValue[] }, c: NonNullable<ReturnType<typeof columnsOf>>) => {
    if (isBlankRow(r.cells)) return;
    const cell = (k: ColumnKey) => (c.has(k) ? r.cells[c.get(k)!.index] : undefined);
    if (cellText(cell('helperName')).includes(EXAMPLE_MARK)) return; // the template's example row
    const header = (k: ColumnKey) => c.get(k)?.header ?? ASSIGNMENT_IMPORT_COLUMNS[k][0];
    const before = issues.length;
    let householdNo: string | null = null;
    const noCell = cell('householdNo');
    if (typeof noCell === 'number' && noCell >= 1e15) issue(r.sheetRow, header('householdNo'), '户编号存为数字，Excel 只保留 15 位有效数字，末几位已丢失：请把该列设为文本', 'the number was stored as a number and lost its last digits (Excel keeps 15): format the column as text');
    else {
      const t = cellText(noCell).replace(/^['‘’]/, '');
      if (t !== '' && !/^\d{16}$/.test(t)) issue(r.sheetRow, header('householdNo'), `户编号“${t}”应为 16 位数字`, `the household number “${t}” should have 16 digits`);
      householdNo = t || null;
    }
    let headIdNumber: string | null = null;
    if (c.has('headIdNumber')) {
      const id = readIdNumber(cell('headIdNumber'));
      if (!id.ok) issue(r.sheetRow, header('headIdNumber'), id.message, id.messageEn);
      else headIdNumber = id.value;
    }
    if (!householdNo && !headIdNumber && issues.length === before) {
      issue(r.sheetRow, header(c.has('householdNo') ? 'householdNo' : 'headIdNumber'), '请填写户编号或户主身份证号', 'give the household number or the head’s ID number');
    }
    const helperName = cellText(cell('helperName'));
    if (helperName === '') issue(r.sheetRow, header('helperName'), '请填写帮扶责任人姓名', 'give the helper’s name');
    else if (helperName.length > 50) issue(r.sheetRow, header('helperName'), '姓名过长（最多 50 字）', 'the name is too long (at most 50 characters)');
    const helperPhone = cellText(cell('helperPhone')) || null;
    if (helperPhone && !/^[0-9+\- ()（）]{3,30}$/.test(helperPhone)) issue(r.sheetRow, header('helperPhone'), `电话“${helperPhone}”无法识别`, `the phone “${helperPhone}” is not a phone number`);
    const unitName = cellText(cell('unitName')) || null;
    const date = readDateCell(cell('startDate'));
    if (date === 'bad') issue(r.sheetRow, header('startDate'), `日期“${cellText(cell('startDate'))}”无法识别，应为 YYYY-MM-DD`, `the date “${cellText(cell('startDate'))}” is not recognised; expected YYYY-MM-DD`);
    else if (date && date > today) issue(r.sheetRow, header('startDate'), '开始日期不能晚于今天', 'the start date cannot be later than today');
    if (issues.length === before) rows.push({ row: r.sheetRow, householdNo, headIdNumber, helperName, helperPhone, unitName, startDate: (date as string | null) ?? today });
    else rows.push({ row: -r.sheetRow, householdNo, headIdNumber, helperName, helperPhone, unitName, startDate: today });
  };
  try {
    for await (const sheet of readSpreadsheet({ buffer: file.content, fileName: file.fileName }, { maxBytes: ASSIGNMENT_IMPORT_MAX_BYTES, maxRows: MAX_ROWS, maxUncompressedBytes: 200 * 1024 * 1024 })) {
      sheets++;
      const head: { sheetRow: number; cells: CellValue[] }[] = [];
      for await (const r of sheet.rows) {
        if (sheets > 1) continue; // the first sheet only; later ones are read through
        if (!columns) {
          if (head.length >= 20) continue;
          head.push(r);
          columns = columnsOf(r.cells.map(cellText));
          continue;
        }
        take(r, columns);
      }
    }
  } catch (e) {
    if (e instanceof FileRefusal) {
      if (e.code === 'TOO_LARGE') throw new AppError('PAYLOAD_TOO_LARGE', e.message, e.messageEn, { issues: [{ path: ['file'], message: e.message, messageEn: e.messageEn }] });
      throw refusal(e.message, e.messageEn, [{ path: ['file'], message: e.message, messageEn: e.messageEn }], { refusal: e.code });
    }
    throw e;
  }
  if (!columns) {
    throw refusal('文件第一个工作表的前 20 行中找不到表头：须有“户编号”或“户主身份证号”列，以及“帮扶责任人”列', 'No header in the first 20 rows of the first sheet: a column “户编号” or “户主身份证号” and a column “帮扶责任人” are required', [
      { path: ['file'], message: '找不到表头（户编号或户主身份证号、帮扶责任人）', messageEn: 'no header (户编号 or 户主身份证号, 帮扶责任人)' },
    ]);
  }
  const headers = new Map([...columns].map(([k, v]) => [k, v.header]));
  return { rows, issues, headers };
}

/**
 * Imports helper assignments from a file (see the file's comment for the columns).
 * - A household is found by 户编号, else by the 户主身份证号 (an active member of an active household);
 *   it must lie in the actor's scope.
 * - The helper is found by name among active helpers on the actor's line, narrowed by 联系电话 and
 *   帮扶单位 when given; none: refused, or created when `createHelpers` is on (帮扶单位 required and
 *   existing; the helper works in the actor's area, else the household's township); several: refused.
 * - A household whose current helper is the row's helper is skipped; one with another current helper
 *   is refused, or changed when `replaceReason` is given (the old row ends on the start date).
 * - A household twice in the file is refused at its second row.
 * Audited as one event (file name, counts, the pairs written).
 * @param fields createHelpers ('true' | 'false'), replaceReason
 * @returns counts and OVERLOADED warnings
 * @throws AppError FORBIDDEN; VALIDATION_FAILED with every problem (path ['file', row, column header],
 *   message naming row, column and reason) and details.badRows, nothing written; PAYLOAD_TOO_LARGE
 */
export async function importAssignments(db: Db, actor: Actor, fields: { createHelpers?: string | undefined; replaceReason?: string | undefined }, file: { fileName: string; content: Buffer }): Promise<AssignmentImportResult> {
  authorize(actor, ASSISTANCE['assistance.pair']);
  const opts = assignmentImportFields.parse(fields);
  const createHelpers = opts.createHelpers === 'true';
  const replaceReason = opts.replaceReason?.trim() || null;
  const { rows, issues, headers } = await readAssignmentFile(file);
  const col = (k: ColumnKey) => headers.get(k) ?? ASSIGNMENT_IMPORT_COLUMNS[k][0];
  const issue = (row: number, k: ColumnKey, zh: string, en: string) => issues.push({ path: ['file', row, col(k)], message: `第 ${row} 行“${col(k)}”列：${zh}`, messageEn: `Row ${row}, column “${col(k)}”: ${en}` });
  const good = rows.filter((r) => r.row > 0);
  if (rows.length === 0) throw refusal('文件没有数据行', 'The file has no data rows', [{ path: ['file'], message: '没有数据行', messageEn: 'no data rows' }]);

  // Households by 户编号 and by the head's ID number.
  const nos = [...new Set(good.flatMap((r) => (r.householdNo ? [r.householdNo] : [])))];
  const idNumbers = [...new Set(good.flatMap((r) => (!r.householdNo && r.headIdNumber ? [r.headIdNumber] : [])))];
  const hCols = { id: households.id, householdNo: households.householdNo, areaCode: households.areaCode, headName: households.headName, active: households.active };
  const byNo = new Map<string, { id: string; householdNo: string; areaCode: string; headName: string; active: boolean }>();
  for (let i = 0; i < nos.length; i += 5000) for (const h of await db.select(hCols).from(households).where(inArray(households.householdNo, nos.slice(i, i + 5000)))) byNo.set(h.householdNo, h);
  const byId = new Map<string, { id: string; householdNo: string; areaCode: string; headName: string; active: boolean }>();
  for (let i = 0; i < idNumbers.length; i += 5000) {
    const found = await db
      .select({ ...hCols, idNumber: members.idNumber })
      .from(members)
      .innerJoin(households, eq(households.id, members.householdId))
      .where(and(inArray(members.idNumber, idNumbers.slice(i, i + 5000)), eq(members.status, 'active'), eq(households.active, true)));
    for (const h of found) byId.set(h.idNumber, h);
  }

  // Helpers and units on the actor's line, by name.
  const names = [...new Set(good.map((r) => r.helperName))];
  const known = names.length
    ? await db
        .select({ id: helpers.id, name: helpers.name, phone: helpers.phone, areaCode: helpers.areaCode, unitName: assistingUnits.name })
        .from(helpers)
        .innerJoin(assistingUnits, eq(assistingUnits.id, helpers.unitId))
        .where(and(inArray(helpers.name, names), eq(helpers.active, true), onActorLine(actor, helpers.areaCode)))
    : [];
  const units = await db
    .select({ id: assistingUnits.id, name: assistingUnits.name, areaCode: assistingUnits.areaCode })
    .from(assistingUnits)
    .where(and(eq(assistingUnits.active, true), onActorLine(actor, assistingUnits.areaCode)));

  type Target = { kind: 'existing'; id: string; name: string } | { kind: 'new'; key: string; name: string; phone: string | null; unitId: string; areaCode: string };
  const planned: { row: number; householdId: string; target: Target; startDate: string }[] = [];
  const seen = new Map<string, number>();
  for (const r of good) {
    const h = r.householdNo ? byNo.get(r.householdNo) : byId.get(r.headIdNumber!);
    const hk: ColumnKey = r.householdNo ? 'householdNo' : 'headIdNumber';
    const shown = r.householdNo ?? r.headIdNumber!.replace(/^(.{6}).*(.{4})$/, '$1********$2');
    if (!h || !inScope(actor, h.areaCode)) {
      issue(r.row, hk, `找不到${r.householdNo ? '户编号' : '户主身份证号'}为 ${shown} 的户，或该户不在您的管辖范围内`, `no household ${shown} in your area`);
      continue;
    }
    if (!h.active) {
      issue(r.row, hk, `${h.headName}户（${h.householdNo}）已注销`, `the household of ${h.headName} (${h.householdNo}) is removed`);
      continue;
    }
    if (seen.has(h.id)) {
      issue(r.row, hk, `${h.headName}户（${h.householdNo}）在第 ${seen.get(h.id)} 行已出现过`, `the household of ${h.headName} (${h.householdNo}) already appears on row ${seen.get(h.id)}`);
      continue;
    }
    seen.set(h.id, r.row);
    const phone = digitsOf(r.helperPhone);
    const candidates = known.filter((k) => k.name === r.helperName && (!phone || digitsOf(k.phone) === phone) && (!r.unitName || k.unitName === r.unitName));
    if (candidates.length === 1) {
      planned.push({ row: r.row, householdId: h.id, target: { kind: 'existing', id: candidates[0]!.id, name: r.helperName }, startDate: r.startDate });
    } else if (candidates.length > 1) {
      issue(r.row, 'helperName', `有 ${candidates.length} 位名为${r.helperName}的帮扶责任人，请填写联系电话或帮扶单位以区分`, `${candidates.length} helpers are named ${r.helperName}; add the phone or the unit to tell them apart`);
    } else if (!createHelpers) {
      issue(r.row, 'helperName', `找不到帮扶责任人${r.helperName}${r.helperPhone ? `（${r.helperPhone}）` : ''}${r.unitName ? `（${r.unitName}）` : ''}：请先登记，或勾选“${CREATE_HELPERS_LABEL.zh}”${r.unitName ? '' : '并填写帮扶单位'}`, `no helper ${r.helperName}${r.helperPhone ? ` (${r.helperPhone})` : ''}${r.unitName ? ` (${r.unitName})` : ''}: register them first, or tick “${CREATE_HELPERS_LABEL.en}”${r.unitName ? '' : ' and give the unit'}`);
    } else if (!r.unitName) {
      issue(r.row, 'unitName', `新建帮扶责任人${r.helperName}须填写帮扶单位`, `creating the helper ${r.helperName} needs the unit`);
    } else {
      const us = units.filter((u) => u.name === r.unitName);
      if (us.length !== 1) {
        issue(r.row, 'unitName', us.length === 0 ? `找不到帮扶单位“${r.unitName}”：请先登记该单位` : `有 ${us.length} 个名为“${r.unitName}”的帮扶单位`, us.length === 0 ? `no assisting unit “${r.unitName}”: register it first` : `${us.length} units are named “${r.unitName}”`);
        continue;
      }
      const areaCode = actor.areaCode ?? `${h.areaCode.slice(0, 9)}000`;
      planned.push({ row: r.row, householdId: h.id, target: { kind: 'new', key: `${r.helperName}|${phone}|${us[0]!.id}`, name: r.helperName, phone: r.helperPhone, unitId: us[0]!.id, areaCode }, startDate: r.startDate });
    }
  }

  // Current helpers: same → skipped; another → refused unless replaceReason.
  const ids = planned.map((p) => p.householdId);
  const current = new Map<string, { id: string; helperId: string; helperName: string; startDate: string }>();
  for (let i = 0; i < ids.length; i += 5000) {
    const cur = await db
      .select({ id: helperAssignments.id, householdId: helperAssignments.householdId, helperId: helperAssignments.helperId, helperName: helpers.name, startDate: helperAssignments.startDate })
      .from(helperAssignments)
      .innerJoin(helpers, eq(helpers.id, helperAssignments.helperId))
      .where(and(inArray(helperAssignments.householdId, ids.slice(i, i + 5000)), sql`${helperAssignments.endDate} IS NULL`));
    for (const c of cur) current.set(c.householdId, c);
  }
  let skipped = 0;
  const toWrite: (typeof planned[number] & { replaces: { id: string; startDate: string } | null })[] = [];
  for (const p of planned) {
    const cur = current.get(p.householdId);
    if (cur && p.target.kind === 'existing' && cur.helperId === p.target.id) {
      skipped++;
      continue;
    }
    if (cur && !replaceReason) {
      issue(p.row, 'helperName', `该户现由${cur.helperName}帮扶；如需更换，请填写更换原因后重新导入`, `the household’s current helper is ${cur.helperName}; to change, give a reason for the change and import again`);
      continue;
    }
    if (cur && cur.startDate > p.startDate) {
      issue(p.row, 'startDate', `开始日期早于现帮扶责任人的开始日期 ${cur.startDate}`, `the start date is before the current helper’s start (${cur.startDate})`);
      continue;
    }
    toWrite.push({ ...p, replaces: cur ? { id: cur.id, startDate: cur.startDate } : null });
  }

  if (issues.length > 0) {
    const badRows = new Set(issues.map((i) => i.path[1])).size;
    const first = issues.slice(0, 3);
    throw refusal(
      `文件有 ${badRows} 行有问题，整个文件未导入：${first.map((i) => i.message).join('；')}${issues.length > first.length ? ' …' : ''}`,
      `${badRows} row(s) of the file have problems; nothing was imported: ${first.map((i) => i.messageEn).join('; ')}${issues.length > first.length ? ' …' : ''}`,
      issues.sort((a, b) => Number(a.path[1]) - Number(b.path[1])).slice(0, MAX_LISTED_ISSUES),
      { badRows, problems: issues.length },
    );
  }

  try {
    return await writeImport(db, actor, file.fileName, toWrite, { rows: rows.length, skipped, createHelpers, replaceReason });
  } catch (e) {
    if (pgErrorCode(e) === '23505') throw new AppError('CONFLICT', '导入期间有农户被他人结对了帮扶责任人，未导入任何记录。请重新导入', 'Someone paired one of the households while the file was imported; nothing was imported. Import the file again');
    throw e;
  }
}

type ToWrite = { householdId: string; target: { kind: 'existing'; id: string; name: string } | { kind: 'new'; key: string; name: string; phone: string | null; unitId: string; areaCode: string }; startDate: string; replaces: { id: string } | null };

/** The import's one transaction: new helpers, ended rows, new rows, the audit event. */
function writeImport(db: Db, actor: Actor, fileName: string, toWrite: ToWrite[], o: { rows: number; skipped: number; createHelpers: boolean; replaceReason: string | null }): Promise<AssignmentImportResult> {
  const { skipped, createHelpers, replaceReason } = o;
  const file = { fileName };
  return db.transaction(async (tx) => {
    const created = new Map<string, string>();
    for (const p of toWrite) {
      if (p.target.kind !== 'new' || created.has(p.target.key)) continue;
      const [h] = await tx
        .insert(helpers)
        .values({ name: p.target.name, phone: p.target.phone, unitId: p.target.unitId, areaCode: p.target.areaCode, createdBy: actor.id })
        .returning({ id: helpers.id });
      created.set(p.target.key, h!.id);
    }
    const plan: PlannedAssignment[] = toWrite.map((p) => ({
      householdId: p.householdId,
      helperId: p.target.kind === 'existing' ? p.target.id : created.get(p.target.key)!,
      startDate: p.startDate,
      replacesId: p.replaces?.id ?? null,
      reason: p.replaces ? replaceReason : null,
    }));
    await writeAssignments(tx, actor, plan);
    const result = { rows: o.rows, assigned: plan.length, replaced: plan.filter((p) => p.replacesId).length, skipped, helpersCreated: created.size };
    await recordAudit(tx, actor, {
      action: ASSISTANCE['assistance.pair'],
      targetType: 'helperAssignmentImport',
      areaCode: actor.areaCode,
      after: { fileName: file.fileName, ...result, createHelpers, replaceReason, pairs: plan.map((p) => ({ householdId: p.householdId, helperId: p.helperId, startDate: p.startDate, replaced: p.replacesId })) },
    });
    return { ...result, warnings: await loadWarnings(tx, [...new Set(plan.map((p) => p.helperId))]) };
  });
}
