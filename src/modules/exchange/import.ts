/**
 * The import (导入) of a national person list (one row per member, household columns repeated) into
 * the registry. Source: issue 4; columns: /work/shared/data/household-form-columns.md §A, §B.
 *
 * 1. **Read** (streaming, bounded memory): each sheet's header is found among its first 20 rows
 *    (detectHeader), then every row is read into member and household values at once
 *    (PersonRowGrouper) — the raw cells are not kept.
 * 2. **Check**: households formed and checked (one head, consistent areas, an ID number once in the
 *    file …); areas resolved from names through the parent chain (县 → 乡 → 村, so two villages of one
 *    name under different townships never merge) or from 区划代码, within the actor's scope; the
 *    registration rules (households/bulk.ts checkImportedHousehold).
 * 3. **Match**: people by ID number, households by 户编号; a household whose 户编号 and members point
 *    to different registered households, or whose members belong to several, is ambiguous and
 *    rejected, never guessed. Matched households are updated (only what the file gives; nothing when
 *    nothing differs) or skipped.
 * 4. **Write** (unless a dry run, or all-or-nothing with a rejection): new households are loaded with
 *    COPY into staging tables, then ONE transaction moves them into the registry, applies the
 *    updates and records the audit event. A failure or a crash before the commit leaves the registry
 *    exactly as it was; running the import again starts afresh.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { authorize, inScope, type Actor } from '../../platform/auth.ts';
import { rowsOf, type Db, type DbOrTx } from '../../platform/db.ts';
import { AppError } from '../../shared/errors.ts';
import { recordAudit } from '../audit/index.ts';
import { areas } from '../areas/schema.ts';
import {
  applyImportedChanges,
  checkImportedHousehold,
  diffImportedHousehold,
  findImportMatches,
  isUnchanged,
  loadHouseholdsForImport,
  newHouseholdRows,
  HouseholdNumbering,
  openImportWriter,
  type ImportWriter,
  type NewHouseholdRows,
  type CheckedHousehold,
  type HouseholdChange,
  type ImportIssue,
  type ImportedHousehold,
  todayCst,
} from '../households/index.ts';
import type { CellValue } from './cells.ts';
import { importOptions, type ImportOptions, type ImportProblem, type ImportProgress, type ImportSummary } from './contract.ts';
import { detectHeader, type HeaderDetection } from './headers.ts';
import { PersonRowGrouper, SeenIds, type ParsedHousehold } from './person-list.ts';
import { DEFAULT_READER_LIMITS, FileRefusal, readSpreadsheet, type ReaderLimits, type SpreadsheetInput } from './readers.ts';
import { TEMPLATE_EXAMPLE_ID_NUMBER, TEMPLATE_SHEETS } from './template.ts';
import { EXCHANGE } from './permissions.ts';

/** What runImport returns: the summary, plus everything the validation report needs. */
export interface ImportOutcome extends ImportSummary {
  /** Every problem (the summary's `problems` holds the first 1,000). */
  allProblems: ImportProblem[];
  /** Sheet name → sheet rows of the rejected households. */
  rejectedRowsBySheet: Map<string, Set<number>>;
}

export interface RunImportOptions extends Partial<ImportOptions> {
  /** Staging id (default: a new one). A job passes its own id, so that a rerun clears its leftovers. */
  stageId?: string;
  /** Reader limits (tests lower them). */
  limits?: ReaderLimits;
  /** Called as the import goes (the CLI's bar, the job's progress). */
  onProgress?: (p: ImportProgress) => void;
}

const MAX_LISTED_PROBLEMS = 1000;
const STAGE_BATCH = 5000;

interface SheetHouseholds {
  sheet: string;
  header: HeaderDetection;
  households: ParsedHousehold[];
}

// ---------------------------------------------------------------------------------------------
// Areas

interface VillageInfo {
  code: string;
  name: string;
  township: string;
  county: string;
}

/** Area names compared without spaces and with the committee suffixes shortened (中岳村村民委员会 = 中岳村). */
export function normalizeAreaName(name: string): string {
  return name
    .replace(/\s+/g, '')
    .replace(/村民委员会$|村委会$/, '村')
    .replace(/居民委员会$|居委会$/, '社区');
}

/**
 * The current villages the actor may import into, with their township and county names, indexed by
 * normalised village name. Loaded once per import: a county's areas, or the actor's scope when wider.
 */
async function loadVillages(db: Db, actor: Actor): Promise<{ byName: Map<string, VillageInfo[]>; byCode: Map<string, VillageInfo> }> {
  const prefix = actor.areaCode === null ? '' : actor.areaCode.replace(/0+$/, '').length > 6 ? actor.areaCode.slice(0, 6) : actor.areaCode.replace(/(00)+$/, '');
  const rows = rowsOf<{ code: string; name: string; level: string; parent_code: string | null }>(
    await db.execute(sql`SELECT code, name, level, parent_code FROM ${areas} WHERE code LIKE ${`${prefix}%`} AND valid_to IS NULL AND level IN ('county', 'township', 'village')`),
  );
  const names = new Map(rows.map((r) => [r.code, r]));
  const byName = new Map<string, VillageInfo[]>();
  const byCode = new Map<string, VillageInfo>();
  for (const r of rows) {
    if (r.level !== 'village') continue;
    const t = r.parent_code ? names.get(r.parent_code) : undefined;
    const c = t?.parent_code ? names.get(t.parent_code) : undefined;
    const v = { code: r.code, name: r.name, township: t?.name ?? '', county: c?.name ?? '' };
    byCode.set(r.code, v);
    const k = normalizeAreaName(r.name);
    const list = byName.get(k);
    if (list) list.push(v);
    else byName.set(k, [v]);
  }
  return { byName, byCode };
}

type AreaResult = { ok: true; code: string } | { ok: false; reason: string; level: 'county' | 'township' | 'village' | 'code'; message: string; messageEn: string };

function resolveArea(h: ParsedHousehold, actor: Actor, villages: { byName: Map<string, VillageInfo[]>; byCode: Map<string, VillageInfo> }): AreaResult {
  const a = h.area;
  if (a.code !== null) {
    const v = villages.byCode.get(a.code);
    if (!v || !inScope(actor, a.code)) {
      return { ok: false, reason: 'areaNotFound', level: 'code', message: `区划代码 ${a.code} 不是您管辖范围内的现行村（社区）`, messageEn: `Area code ${a.code} is not a current village within your scope` };
    }
    if (a.village !== null && normalizeAreaName(a.village) !== normalizeAreaName(v.name)) {
      return { ok: false, reason: 'areaMismatch', level: 'village', message: `区划代码 ${a.code} 是“${v.name}”，与村名“${a.village}”不符`, messageEn: `Area code ${a.code} is “${v.name}”, not “${a.village}”` };
    }
    return { ok: true, code: a.code };
  }
  if (a.village === null) return { ok: false, reason: 'areaMissing', level: 'village', message: '缺少行政村名称或区划代码', messageEn: 'No village name or area code' };
  let list = villages.byName.get(normalizeAreaName(a.village)) ?? [];
  if (a.township !== null) list = list.filter((v) => normalizeAreaName(v.township) === normalizeAreaName(a.township!));
  if (a.county !== null) list = list.filter((v) => normalizeAreaName(v.county) === normalizeAreaName(a.county!));
  const path = [a.county, a.township, a.village].filter((x) => x !== null).join(' / ');
  if (list.length === 0) {
    return { ok: false, reason: 'areaNotFound', level: 'village', message: `在您管辖范围内找不到“${path}”（按县、乡、村名称逐级查找）`, messageEn: `No village “${path}” within your scope (looked up county, township, village in turn)` };
  }
  const scoped = list.filter((v) => inScope(actor, v.code));
  if (scoped.length === 0) {
    return { ok: false, reason: 'areaOutOfScope', level: 'village', message: `“${path}”不在您的管辖范围内`, messageEn: `“${path}” is outside your scope` };
  }
  if (scoped.length > 1) {
    const where = scoped.map((v) => `${v.township}${v.name}`).join('、');
    return { ok: false, reason: 'areaAmbiguous', level: 'township', message: `“${path}”有 ${scoped.length} 个同名村（${where}），请填写乡（镇）名称或区划代码`, messageEn: `${scoped.length} villages are named “${path}”; give the township or the area code` };
  }
  return { ok: true, code: scoped[0]!.code };
}

// ---------------------------------------------------------------------------------------------
// Problems

function columnFor(header: HeaderDetection, pred: (target: { kind: string; field?: string; level?: string }) => boolean): string {
  return header.columns.find((c) => pred(c.field.target as { kind: string; field?: string; level?: string }))?.header ?? '';
}

const FIELD_LABELS: Record<string, [string, string]> = {
  householdType: ['户类型', 'Household type'],
  status: ['脱贫属性', 'Poverty status'],
  mainPovertyCause: ['主要致贫原因', 'Main poverty cause'],
  otherPovertyCauses: ['其他致贫原因', 'Other poverty causes'],
  areaCode: ['行政村', 'Village'],
};

class Problems {
  readonly all: ImportProblem[] = [];
  errors = 0;
  warnings = 0;
  add(p: ImportProblem): void {
    this.all.push(p);
    if (p.severity === 'error') this.errors++;
    else this.warnings++;
  }
}

/** An issue of the registry's rules as a row problem: the member's row and column, or the household's head row. */
function issueProblem(sheet: SheetHouseholds, h: ParsedHousehold, issue: ImportIssue, value: unknown): ImportProblem {
  const header = sheet.header;
  const headRow = h.members.find((m) => m.values.relationToHead === 'head')?.sheetRow ?? h.sheetRows[0] ?? 0;
  const row = issue.member !== null ? (h.members[issue.member]?.sheetRow ?? headRow) : headRow;
  const column =
    issue.member !== null
      ? columnFor(header, (t) => t.kind === 'member' && t.field === issue.field)
      : columnFor(header, (t) => t.kind === 'household' && t.field === issue.field) || (issue.field === 'areaCode' ? columnFor(header, (t) => t.kind === 'area' && t.level === 'village') : '');
  const missing = value === undefined || value === null;
  const label = FIELD_LABELS[issue.field];
  const message = missing && column === '' && label ? `缺少“${label[0]}”（文件中没有该列或该格为空）` : issue.message;
  const messageEn = missing && column === '' && label ? `${label[1]} is missing (no such column, or the cell is empty)` : issue.messageEn;
  return {
    sheet: sheet.sheet,
    sheetRow: row,
    column,
    value: missing ? '' : Array.isArray(value) ? value.join('、') : String(value),
    reason: `invalid:${issue.field}`,
    severity: 'error',
    message,
    messageEn,
  };
}

// ---------------------------------------------------------------------------------------------

function emptyCounts() {
  return { created: 0, updated: 0, unchanged: 0, skipped: 0, rejected: 0, membersCreated: 0, membersUpdated: 0, rejectedRows: 0 };
}

/**
 * Imports a person-list file (.xlsx, or CSV in UTF-8 / GBK / GB18030) into the registry.
 * @param source a path or a buffer, and the user's file name
 * @param options mode (commit-valid | all-or-nothing | dry-run, default commit-valid), onExisting
 *   (update | skip, default update), encoding (CSV), stageId, limits, onProgress
 * @returns the summary (counts in households 户 and persons 人; times in ms) with every problem and the
 *   rows of rejected households (for the validation report)
 * @throws FileRefusal when the file itself cannot be read (EMPTY, TOO_LARGE, TOO_MANY_ROWS, ENCRYPTED,
 *   CORRUPT, NOT_A_SPREADSHEET, XLS_UNSUPPORTED, ENCODING) — nothing is written;
 *   AppError FORBIDDEN without exchange.import; STALE_EDIT or CONFLICT when the registry changed
 *   during the import (nothing is written; run it again)
 */
export async function runImport(db: Db, actor: Actor, source: SpreadsheetInput, options: RunImportOptions = {}): Promise<ImportOutcome> {
  authorize(actor, EXCHANGE['exchange.import']);
  // Households are formed and written as the file is read; should rows of one household not be
  // together (or a given 户编号 come after it was handed out), the file is read again, whole.
  return (await importOnce(db, actor, source, options, true)) ?? (await importOnce(db, actor, source, options, false))!;
}

/** One household list of one sheet, with the sheet's header (for column names in problems). */
type Batch = { sheet: SheetHouseholds; households: ParsedHousehold[] };

/** Closed households are formed and written once this many wait. */
const DRAIN_AT = 2000;

/**
 * One pass over the file. `streaming`: households are formed, checked and staged batch by batch as
 * the rows come (bounded memory); returns null when the file must be read again without streaming.
 */
async function importOnce(db: Db, actor: Actor, source: SpreadsheetInput, options: RunImportOptions, streaming: boolean): Promise<ImportOutcome | null> {
  const opts = importOptions.parse({ mode: options.mode, onExisting: options.onExisting, encoding: options.encoding, causeNumbering: options.causeNumbering });
  const t0 = performance.now();
  const report = options.onProgress ?? (() => {});
  const problems = new Problems();
  const sheets: ImportSummary['sheets'] = [];
  const seenIds = new SeenIds();
  const counts = emptyCounts();
  const rejectedRowsBySheet = new Map<string, Set<number>>();
  const changes: HouseholdChange[] = [];
  let householdsInFile = 0;
  let rows = 0;
  let streamed = 0;
  let bytes = 0;
  let totalBytes = 0;
  let lastTell = 0;
  const tell = (phase: ImportProgress['phase'], percent: number, force = false) => {
    const now = performance.now();
    if (!force && now - lastTell < 200) return;
    lastTell = now;
    report({ phase, rows: Math.max(rows, streamed), bytes, totalBytes, percent: Math.min(100, Math.max(0, Math.round(percent))) });
  };
  const villages = await loadVillages(db, actor);
  const today = todayCst();
  const staging = opts.mode !== 'dry-run';
  const stageId = options.stageId ?? randomUUID();
  const now = new Date();
  const fileName = source.fileName.replace(/^.*[\\/]/, '');
  const reason = `导入 ${fileName}`;
  const numbering = new HouseholdNumbering(db);
  let committed = false;
  let readMs: number | undefined;
  let writeStart: number | undefined;
  const auditAfter = () => ({
    fileName,
    mode: opts.mode,
    onExisting: opts.onExisting,
    rows,
    households: householdsInFile,
    ...counts,
    errors: problems.errors,
    warnings: problems.warnings,
    committed,
  });
  const reject = (sheet: SheetHouseholds, h: ParsedHousehold) => {
    counts.rejected++;
    counts.rejectedRows += h.sheetRows.length;
    let set = rejectedRowsBySheet.get(sheet.sheet);
    if (!set) rejectedRowsBySheet.set(sheet.sheet, (set = new Set()));
    for (const r of h.sheetRows) set.add(r);
  };

  // Loading: one batch is copied while the next is built (the database parses while we check).
  let writer: ImportWriter | null = null;
  let staged: NewHouseholdRows[] = [];
  let previous: Promise<unknown> = Promise.resolve(null);
  const flush = async () => {
    if (staged.length === 0) return;
    writer ??= await openImportWriter(db, stageId, actor, reason);
    const copying = writer.load(staged).then(
      () => null,
      (e: unknown) => e ?? new Error('staging failed'),
    );
    staged = [];
    const failed = await previous;
    if (failed) throw failed;
    previous = copying;
  };

  /** Checks, matches and stages one batch of households. @returns false when the file must be read again */
  const process = async ({ sheet, households }: Batch): Promise<boolean> => {
    const candidates: { h: ParsedHousehold; imported: ImportedHousehold }[] = [];
    for (const h of households) {
      if (h.members.some((m) => m.values.idNumber === TEMPLATE_EXAMPLE_ID_NUMBER)) {
        // The import template's example row (张三), left in: skipped, never registered.
        problems.add({ sheet: sheet.sheet, sheetRow: h.sheetRows[0] ?? 0, column: '', value: '', reason: 'templateExample', severity: 'warning', message: '导入模板中的示例行（张三）已跳过', messageEn: 'The import template’s example row (张三) was skipped' });
        continue;
      }
      householdsInFile++;
      for (const p of h.problems) problems.add({ sheet: sheet.sheet, ...p });
      if (h.rejected) {
        reject(sheet, h);
        continue;
      }
      const area = resolveArea(h, actor, villages);
      if (!area.ok) {
        const column =
          area.level === 'code'
            ? columnFor(sheet.header, (t) => t.kind === 'areaCode')
            : columnFor(sheet.header, (t) => t.kind === 'area' && t.level === area.level) || columnFor(sheet.header, (t) => t.kind === 'area' && t.level === 'village');
        const value = area.level === 'code' ? h.area.code : h.area[area.level === 'county' ? 'county' : area.level === 'township' ? 'township' : 'village'];
        problems.add({ sheet: sheet.sheet, sheetRow: h.sheetRows[0] ?? 0, column, value: value ?? '', reason: area.reason, severity: 'error', message: area.message, messageEn: area.messageEn });
        reject(sheet, h);
        continue;
      }
      const fields = { ...h.fields };
      if (h.area.group !== null && fields.groupName === undefined) fields.groupName = h.area.group;
      candidates.push({ h, imported: { householdNo: h.householdNo, areaCode: area.code, fields, members: h.members.map((m) => m.values) } });
    }
    households.length = 0;
    if (!numbering.addGiven(candidates.map((c) => c.imported.householdNo))) return false;

    const idNumbers: string[] = [];
    const nos: string[] = [];
    for (const c of candidates) {
      for (const m of c.imported.members) if (typeof m.idNumber === 'string') idNumbers.push(m.idNumber);
      if (c.imported.householdNo !== null) nos.push(c.imported.householdNo);
    }
    const { byId, byNo } = await findImportMatches(db, idNumbers, nos);
    const fresh: { imported: ImportedHousehold; checked: CheckedHousehold }[] = [];
    const matched: { h: ParsedHousehold; imported: ImportedHousehold; householdId: string }[] = [];
    for (const { h, imported } of candidates) {
      const headRow = h.members.find((m) => m.values.relationToHead === 'head')?.sheetRow ?? h.sheetRows[0] ?? 0;
      const noColumn = columnFor(sheet.header, (t) => t.kind === 'household' && t.field === 'householdNo');
      const idColumn = columnFor(sheet.header, (t) => t.kind === 'member' && t.field === 'idNumber');
      const byNumber = imported.householdNo !== null ? byNo.get(imported.householdNo) : undefined;
      const owners = new Map<string, { no: string; row: number; areaCode: string }>();
      for (const m of h.members) {
        const o = typeof m.values.idNumber === 'string' ? byId.get(m.values.idNumber) : undefined;
        if (o && !owners.has(o.householdId)) owners.set(o.householdId, { no: o.householdNo, row: m.sheetRow, areaCode: o.areaCode });
      }
      const fail = (row: number, column: string, value: string, why: string, message: string, messageEn: string) => {
        problems.add({ sheet: sheet.sheet, sheetRow: row, column, value, reason: why, severity: 'error', message, messageEn });
        reject(sheet, h);
      };
      if (byNumber && !byNumber.active) {
        fail(headRow, noColumn, byNumber.householdNo, 'householdRemoved', `户编号 ${byNumber.householdNo} 的农户已注销，不能导入`, `Household ${byNumber.householdNo} was removed from the registry; it cannot be imported`);
        continue;
      }
      let target: string | null = null;
      if (byNumber) {
        const other = [...owners].find(([id]) => id !== byNumber.id);
        if (other) {
          fail(other[1].row, idColumn, '', 'ambiguousMatch', `户编号 ${byNumber.householdNo} 对应库中一户，但本行成员已登记在户编号 ${other[1].no} 的家庭，无法确定对应哪一户`, `Household number ${byNumber.householdNo} matches one registered household, but this member is registered in household ${other[1].no}; the match is ambiguous`);
          continue;
        }
        target = byNumber.id;
        if (!inScope(actor, byNumber.areaCode)) {
          fail(headRow, noColumn, byNumber.householdNo, 'outOfScope', `户编号 ${byNumber.householdNo} 已登记在您管辖范围以外`, `Household ${byNumber.householdNo} is registered outside your scope`);
          continue;
        }
      } else if (owners.size > 1) {
        const list = [...owners.values()];
        fail(list[1]!.row, idColumn, '', 'ambiguousMatch', `该户成员分别登记在库中 ${owners.size} 户（户编号 ${list.map((o) => o.no).join('、')}），无法确定对应哪一户`, `The members are registered in ${owners.size} different households (${list.map((o) => o.no).join(', ')}); the match is ambiguous`);
        continue;
      } else if (owners.size === 1) {
        const [id, o] = [...owners][0]!;
        if (imported.householdNo !== null) {
          fail(o.row, noColumn || idColumn, imported.householdNo, 'ambiguousMatch', `户编号 ${imported.householdNo} 不在库中，但成员已登记在户编号 ${o.no} 的家庭，无法确定对应哪一户`, `Household number ${imported.householdNo} is not registered, but the member belongs to household ${o.no}; the match is ambiguous`);
          continue;
        }
        if (!inScope(actor, o.areaCode)) {
          fail(o.row, idColumn, '', 'outOfScope', `该成员已登记在您管辖范围以外的农户中`, `This member is registered in a household outside your scope`);
          continue;
        }
        target = id;
      }
      if (target !== null) {
        if (opts.onExisting === 'skip') counts.skipped++;
        else matched.push({ h, imported, householdId: target });
        continue;
      }
      const r = checkImportedHousehold(imported, today);
      if (!r.ok) {
        for (const issue of r.issues) problems.add(issueProblem(sheet, h, issue, issue.member !== null ? imported.members[issue.member]?.[issue.field as never] : imported.fields[issue.field]));
        reject(sheet, h);
        continue;
      }
      counts.created++;
      counts.membersCreated += r.value.members.length;
      if (staging) fresh.push({ imported, checked: r.value });
    }
    candidates.length = 0;
    if (fresh.length > 0) {
      const numbers = await numbering.assign(fresh.map((f) => f.imported));
      fresh.forEach((f, k) => staged.push(newHouseholdRows(actor, f.checked, numbers[k]!, now)));
      if (staged.length >= STAGE_BATCH) await flush();
    }
    if (matched.length > 0) {
      const stored = await loadHouseholdsForImport(db, matched.map((m) => m.householdId));
      for (const { h, imported, householdId } of matched) {
        const r = diffImportedHousehold(stored.get(householdId)!, imported, today);
        if (!r.ok) {
          for (const issue of r.issues) problems.add(issueProblem(sheet, h, issue, issue.member !== null ? imported.members[issue.member]?.[issue.field as never] : imported.fields[issue.field]));
          reject(sheet, h);
          continue;
        }
        if (isUnchanged(r.change)) counts.unchanged++;
        else {
          counts.updated++;
          counts.membersCreated += r.change.newMembers.length;
          counts.membersUpdated += r.change.memberUpdates.length;
          changes.push(r.change);
        }
      }
    }
    return true;
  };

  try {
    // 1. Read (and, streaming, check and stage the households already complete).
    const input: SpreadsheetInput = {
      ...source,
      encoding: opts.encoding,
      onBytes: (read, total) => {
        bytes = read;
        totalBytes = total;
      },
    };
    const held: Batch[] = [];
    let usableSheets = 0;
    for await (const sheet of readSpreadsheet(input, options.limits ?? DEFAULT_READER_LIMITS)) {
      const top: CellValue[][] = [];
      let grouper: PersonRowGrouper | null = null;
      let info: SheetHouseholds | null = null;
      const start = () => {
        const header = detectHeader(top);
        info = { sheet: sheet.name, header, households: [] };
        grouper = new PersonRowGrouper(header, sheet.name, seenIds, opts.causeNumbering === 'none' ? null : opts.causeNumbering);
        if (grouper.usable) for (let i = header.dataStartIndex; i < top.length; i++) grouper.add(top[i] ?? [], i + 1);
      };
      for await (const r of sheet.rows) {
        if (grouper === null) {
          if (r.sheetRow <= 20) {
            while (top.length < r.sheetRow - 1) top.push([]);
            top[r.sheetRow - 1] = r.cells;
            continue;
          }
          start();
        }
        const g = grouper as unknown as PersonRowGrouper;
        g.add(r.cells, r.sheetRow);
        streamed++;
        if ((streamed & 1023) === 0) tell('reading', totalBytes > 0 ? (bytes / totalBytes) * 90 : 0);
        if (streaming && g.pendingGroups > DRAIN_AT) {
          const closed = g.drainClosed();
          if (g.splitHouseholdNo !== null || !(await process({ sheet: info!, households: closed }))) return null;
        }
      }
      if (grouper === null) start();
      const g = grouper as unknown as PersonRowGrouper;
      const sheetInfo = info as unknown as SheetHouseholds;
      const h = sheetInfo.header;
      if (g.splitHouseholdNo !== null) return null;
      const result = g.usable ? g.finish() : { households: [], problems: [], rowCount: 0 };
      rows += result.rowCount;
      sheets.push({
        name: sheet.name,
        headerRow: h.headerRowIndex >= 0 ? h.headerRowIndex + 1 : null,
        rows: result.rowCount,
        unknownColumns: h.unknown.map((u) => u.header),
        missingColumns: h.missingRequired,
      });
      // The import template's own code-list and instruction sheets are not person lists: skipped quietly.
      const templateSheet = !g.usable && (sheet.name === TEMPLATE_SHEETS.codes || sheet.name === TEMPLATE_SHEETS.help);
      for (const p of templateSheet ? [] : h.problems) {
        // A sheet without any header (a notes sheet) is only a warning when another sheet has one; decided below.
        problems.add({ sheet: sheet.name, sheetRow: h.headerRowIndex >= 0 ? h.headerRowIndex + 1 : 0, column: p.header ?? '', value: '', reason: p.kind, severity: p.severity, message: p.message, messageEn: p.messageEn });
      }
      if (!g.usable) continue;
      usableSheets++;
      if (streaming) {
        if (!(await process({ sheet: sheetInfo, households: result.households }))) return null;
      } else held.push({ sheet: sheetInfo, households: result.households });
    }
    if (!streaming) {
      // Every number the file gives is known before any is handed out.
      numbering.addGiven(held.flatMap((b) => b.households.map((x) => x.householdNo)));
      for (const b of held) await process(b);
      held.length = 0;
    }
    if (usableSheets === 0) {
      // Nothing in the file is a person list: the file itself is refused.
      const first = problems.all.find((p) => p.severity === 'error');
      throw new FileRefusal(
        'NO_HEADER',
        `文件中没有可导入的人员名单：${first?.message ?? '找不到表头'}。需要“姓名”“证件号码”“与户主关系”和“行政村”（或“区划代码”）等列，可下载导入模板对照`,
        `The file holds no person list that can be imported: ${first?.messageEn ?? 'no header found'}. It needs columns such as 姓名, 证件号码, 与户主关系 and 行政村 (or 区划代码); the import template shows them`,
      );
    }
    if (usableSheets > 0) {
      // Sheets without a header beside a sheet with one (notes, code tables) are not errors.
      for (const p of problems.all) {
        if (p.reason === 'noHeader' && p.severity === 'error') {
          p.severity = 'warning';
          p.message = `工作表“${p.sheet}”没有人员名单表头，已跳过`;
          p.messageEn = `Sheet “${p.sheet}” has no person-list header and was skipped`;
          problems.errors--;
          problems.warnings++;
        }
      }
    }
    await flush();
    const failed = await previous;
    if (failed) throw failed;
    readMs = performance.now() - t0;

    // 2. Write: one transaction.
    writeStart = performance.now();
    const willWrite = opts.mode === 'commit-valid' || (opts.mode === 'all-or-nothing' && counts.rejected === 0);
    if (willWrite && (counts.created > 0 || changes.length > 0)) {
      tell('writing', 95, true);
      const commit = async (tx: DbOrTx) => {
        await applyImportedChanges(tx, actor, changes, reason);
        committed = true;
        await recordAudit(tx, actor, { action: EXCHANGE['exchange.import'], targetType: 'import', targetId: options.stageId ?? null, areaCode: actor.areaCode, after: auditAfter() });
      };
      const w = writer as ImportWriter | null;
      if (w) await w.commit(commit);
      else await db.transaction((tx) => commit(tx));
    } else {
      await db.transaction((tx) => recordAudit(tx, actor, { action: EXCHANGE['exchange.import'], targetType: 'import', targetId: options.stageId ?? null, areaCode: actor.areaCode, after: auditAfter() }));
    }
  } catch (e) {
    committed = false;
    if (e instanceof AppError) throw e;
    const code = (e as { cause?: { code?: string }; code?: string }).cause?.code ?? (e as { code?: string }).code;
    if (code === '23505') {
      throw new AppError('CONFLICT', '导入期间有人登记了相同的证件号码或户编号，导入未写入任何数据，请重新导入', 'Someone registered the same ID number or household number during the import; nothing was written. Run the import again');
    }
    throw e;
  } finally {
    await previous.catch(() => {});
    const w = writer as ImportWriter | null;
    if (w) await w.abandon().catch(() => {});
  }
  const end = performance.now();
  tell('done', 100, true);
  problems.all.sort((a, b) => (a.sheet === b.sheet ? a.sheetRow - b.sheetRow : sheets.findIndex((s) => s.name === a.sheet) - sheets.findIndex((s) => s.name === b.sheet)));
  return {
    fileName,
    mode: opts.mode,
    onExisting: opts.onExisting,
    sheets,
    rows,
    households: householdsInFile,
    ...counts,
    errors: problems.errors,
    warnings: problems.warnings,
    problems: problems.all.slice(0, MAX_LISTED_PROBLEMS),
    problemsTruncated: problems.all.length > MAX_LISTED_PROBLEMS,
    committed,
    ms: { read: Math.round(readMs ?? 0), write: Math.round(end - (writeStart ?? end)), total: Math.round(end - t0) },
    allProblems: problems.all,
    rejectedRowsBySheet,
  };
}

/** The summary alone (what a job stores and the API returns). */
export function summaryOf(o: ImportOutcome): ImportSummary {
  const { allProblems: _a, rejectedRowsBySheet: _r, ...summary } = o;
  return summary;
}
