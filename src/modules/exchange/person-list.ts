/**
 * Groups the rows of a national person list (one row per member, household columns repeated) into
 * households: each row's cells read into `memberInput` fields, the household's fields taken from the
 * head's row, areas kept as names (resolved to codes through the parent chain later, by the service),
 * and every problem collected with its sheet row and column. Pure: no database, no file.
 * Sources: /work/shared/data/household-form-columns.md §A (户编号 groups rows; the head is the row whose
 * 与户主关系 is 户主; 人数 repeated on every row); issue 4 (a household with any invalid member is
 * rejected whole).
 */
import { causeFromNumber, findCodeItem, memberInput, type MemberInput, type PovertyCauseNumberingId } from '../households/index.ts';
import { validateIdNumber } from '../../shared/id-number.ts';
import {
  cellText,
  isBlankRow,
  readBoolean,
  readCode,
  readCodes,
  readDate,
  readIdNumber,
  readIdentifier,
  readInteger,
  readNumber,
  readText,
  type CellResult,
  type CellValue,
  type SheetRows,
} from './cells.ts';
import type { CellKind, ColumnDef } from './columns.ts';
import type { HeaderDetection } from './headers.ts';

/** One problem of one cell or row, as the validation report shows it. */
export interface RowProblem {
  /** 1-based row number as Excel shows it. */
  sheetRow: number;
  /** The column's header text as in the file; '' for a problem of the whole row or household. */
  column: string;
  /** The cell's value as text ('' when none). */
  value: string;
  /**
   * A cell reason (cells.ts CellReason), a contract field's check ('missing:<field>' for an empty
   * required cell, 'invalid:<field>' otherwise) or a row rule (noHead, multipleHeads, inconsistentArea,
   * missingHouseholdNo, duplicateIdNumber, memberCountMismatch).
   */
  reason: string;
  severity: 'error' | 'warning';
  message: string;
  messageEn: string;
}

/** Area names as the file gives them (a code where the file has a 区划代码 column). */
export interface AreaNames {
  county: string | null;
  township: string | null;
  village: string | null;
  group: string | null;
  code: string | null;
}

export interface ParsedMember {
  sheetRow: number;
  memberNo: string | null;
  /** The member as `memberInput` takes it (sex, idType and birthDate derived from the ID number when absent). */
  values: Partial<MemberInput>;
}

export interface ParsedHousehold {
  /** 户编号 as in the file; null when the file has none (grouped by head rows). */
  householdNo: string | null;
  /** 1-based sheet rows of its members, in file order. */
  sheetRows: number[];
  area: AreaNames;
  /** Household fields (householdFields keys) from the head's row, or from its first row without a head. */
  fields: Record<string, unknown>;
  /** Recognised columns not (yet) registry fields, from the head's row: 人数, 人均纯收入, 危房户, dates … by column key. */
  extras: Record<string, unknown>;
  members: ParsedMember[];
  /** True when any problem of severity 'error' concerns it: the whole household is not imported. */
  rejected: boolean;
  problems: RowProblem[];
}

export interface PersonListResult {
  households: ParsedHousehold[];
  /** Every problem, in sheet order (households' problems concatenated). */
  problems: RowProblem[];
  /** Data rows read (blank rows not counted). */
  rowCount: number;
}

export interface GroupOptions {
  /** Sheet row number of rows[0] (default 1). */
  firstSheetRow?: number;
}

/**
 * A poverty-cause cell given as numbers (3, or "1、7"), read through the chosen numbering: the numbers
 * become the causes' labels. Without a numbering a number is left as it is (and refused as unknown:
 * no single national numbering exists, so a number is never guessed).
 */
function causeNumbersToLabels(cell: CellValue, numbering: PovertyCauseNumberingId | null): CellValue {
  if (numbering === null || cell === null || cell === undefined) return cell;
  const text = cellText(cell);
  if (!/^\d+([、，,;；/\s]+\d+)*$/.test(text)) return cell;
  return text
    .split(/[、，,;；/\s]+/)
    .map((n) => {
      const cause = causeFromNumber(numbering, n);
      return cause ? findCodeItem('povertyCause', cause)!.label.zh : n;
    })
    .join('、');
}

function readCell(kind: CellKind, raw: CellValue, numbering: PovertyCauseNumberingId | null = null): CellResult<unknown> {
  const isCause = (kind.kind === 'code' || kind.kind === 'codes') && kind.list === 'povertyCause';
  const cell = isCause ? causeNumbersToLabels(raw, numbering) : raw;
  const r = readCellAs(kind, cell);
  if (!r.ok && isCause && numbering === null && /^\d+([、，,;；/\s]+\d+)*$/.test(cellText(cell))) {
    return {
      ok: false,
      reason: 'causeNumberWithoutNumbering',
      message: `“${cellText(cell)}”是编号：致贫原因没有全国统一的编号，请在导入选项“致贫原因编号”中选择文件所用的编号方式，或填写名称（如“因病”）`,
      messageEn: `“${cellText(cell)}” is a number: poverty causes have no single national numbering; choose the file's numbering in the import options, or give the names (e.g. 因病)`,
    };
  }
  return r;
}

function readCellAs(kind: CellKind, cell: CellValue): CellResult<unknown> {
  switch (kind.kind) {
    case 'text':
      return readText(cell, kind.maxLength);
    case 'identifier':
      return readIdentifier(cell, kind.maxLength);
    case 'idNumber':
      return readIdNumber(cell);
    case 'date':
      return readDate(cell);
    case 'number':
      return readNumber(cell);
    case 'integer':
      return readInteger(cell);
    case 'boolean':
      return readBoolean(cell);
    case 'code':
      return readCode(kind.list, cell);
    case 'codes':
      return readCodes(kind.list, cell);
  }
}

interface ReadRow {
  sheetRow: number;
  member: Record<string, unknown>;
  household: Record<string, unknown>;
  area: AreaNames;
  extras: Record<string, unknown>;
  householdNo: string | null;
  isHead: boolean;
  problems: RowProblem[];
}

function readRow(row: readonly CellValue[], sheetRow: number, header: HeaderDetection, numbering: PovertyCauseNumberingId | null = null): ReadRow {
  const out: ReadRow = {
    sheetRow,
    member: {},
    household: {},
    area: { county: null, township: null, village: null, group: null, code: null },
    extras: {},
    householdNo: null,
    isHead: false,
    problems: [],
  };
  for (const { index, header: column, field } of header.columns) {
    const cell = row[index];
    const r = readCell(field.cell, cell, numbering);
    if (!r.ok) {
      out.problems.push({ sheetRow, column, value: cellText(cell), reason: r.reason, severity: 'error', message: r.message, messageEn: r.messageEn });
      continue;
    }
    if (r.value === null) continue;
    const t = field.target;
    if (t.kind === 'area') out.area[t.level] = r.value as string;
    else if (t.kind === 'areaCode') out.area.code = r.value as string;
    else if (t.kind === 'household' && t.field === 'householdNo') out.householdNo = r.value as string;
    else if (t.kind === 'household' && Array.isArray(r.value)) {
      // 其他致贫原因 may come in one cell or as 致贫原因2 / 致贫原因3 columns: gathered, without repeats.
      const list = (out.household[t.field] as unknown[] | undefined) ?? [];
      for (const v of r.value) if (!list.includes(v)) list.push(v);
      if (list.length > 0) out.household[t.field] = list;
    } else if (t.kind === 'household') out.household[t.field] = r.value;
    else if (t.kind === 'member') out.member[t.field] = r.value;
    else if (t.kind === 'extra') out.extras[field.key] = r.value;
  }
  out.isHead = out.member.relationToHead === 'head';
  return out;
}

function columnOf(header: HeaderDetection, pred: (d: ColumnDef) => boolean): string {
  return header.columns.find((c) => pred(c.field))?.header ?? '';
}

const DERIVED_FROM_ID = new Set(['sex', 'idType', 'birthDate']);

/** The member's values for memberInput: number fields split off, sex / idType / birthDate derived from the ID number. */
function toMember(r: ReadRow): ParsedMember {
  const { memberNo, ...values } = r.member;
  const v = values as Partial<MemberInput>;
  if (typeof v.idNumber === 'string') {
    const id = validateIdNumber(v.idNumber);
    if (id.ok) {
      v.idType ??= 'residentId';
      v.sex ??= id.sex;
      v.birthDate ??= id.birthDate;
    }
  }
  return { sheetRow: r.sheetRow, memberNo: typeof memberNo === 'string' ? memberNo : null, values: v };
}

/** Where an ID number was first seen in the file (for the duplicate message). */
export interface SeenAt {
  sheet: string | null;
  sheetRow: number;
}

/**
 * The ID numbers of a file and where each was first seen, shared by the sheets of one file. Kept as
 * one number per ID (sheet index and row), since a county's file holds a million of them.
 */
export class SeenIds {
  private readonly sheets: (string | null)[] = [];
  private readonly map = new Map<string, number>();
  private static readonly ROWS = 10_000_000;
  get(id: string): SeenAt | undefined {
    const v = this.map.get(id);
    if (v === undefined) return undefined;
    return { sheet: this.sheets[Math.floor(v / SeenIds.ROWS)] ?? null, sheetRow: v % SeenIds.ROWS };
  }
  set(id: string, at: SeenAt): void {
    let i = this.sheets.indexOf(at.sheet);
    if (i < 0) i = this.sheets.push(at.sheet) - 1;
    this.map.set(id, i * SeenIds.ROWS + at.sheetRow);
  }
}

const EMPTY: Record<string, unknown> = Object.freeze({}) as Record<string, unknown>;
const NO_PROBLEMS: RowProblem[] = Object.freeze([]) as unknown as RowProblem[];

/** The same string for the same text (area names repeat on every row of a file). */
class Interner {
  private readonly map = new Map<string, string>();
  of(s: string | null): string | null {
    if (s === null) return null;
    const known = this.map.get(s);
    if (known !== undefined) return known;
    if (this.map.size < 100_000) this.map.set(s, s);
    return s;
  }
}

/**
 * Groups person rows into households, one row at a time (for streaming files): `add` reads a row's
 * cells at once and keeps only the values read, `finish` forms the households and checks them.
 *
 * Rows are grouped by 户编号 when the file has that column (rows of one household need not be
 * adjacent), and otherwise — or where the 户编号 cell is empty, as for new households in the import
 * template — by runs of consecutive rows each starting at a 户主 row (rows before the first head, or a
 * member row without 户编号 after a numbered household, form a rejected household: never attached by guess). Blank rows are skipped. Checks, besides each cell's (cells.ts) and the
 * `memberInput` contract's: exactly one head per household; the same area names on every row of a
 * household; an ID number at most once in the file (over all sheets when `seenIds` is shared); 人数
 * against the number of member rows (a warning). A household with any error is `rejected` whole.
 */
export class PersonRowGrouper {
  private readonly hasHouseholdNo: boolean;
  private readonly groups: ReadRow[][] = [];
  private readonly byNo = new Map<string, ReadRow[]>();
  private current: ReadRow[] | undefined;
  /** The group the last row joined: still open when closed households are drained. */
  private last: ReadRow[] | undefined;
  /** 户编号 of households already drained (only once drainClosed was called). */
  private closedNos: Set<string> | null = null;
  private rowCount = 0;
  private readonly names = new Interner();
  /**
   * A 户编号 whose rows came back after its household was drained (rows of one household not
   * together): the caller must read the file again without draining.
   */
  splitHouseholdNo: string | null = null;
  /**
   * @param header detectHeader's result; with missing required columns or no header nothing is read
   * @param sheet the sheet's name, for the duplicate-ID message across sheets (null: not named)
   * @param seenIds shared by the sheets of one file so that an ID number twice in the file is found
   */
  constructor(
    private readonly header: HeaderDetection,
    private readonly sheet: string | null = null,
    private readonly seenIds: SeenIds = new SeenIds(),
    /** How numbers in 致贫原因 cells are read (codes.ts POVERTY_CAUSE_NUMBERINGS); null: by label only. */
    private readonly causeNumbering: PovertyCauseNumberingId | null = null,
  ) {
    this.hasHouseholdNo = header.columns.some((c) => c.field.key === 'householdNo');
  }

  /** Whether the header allows reading rows (found, no required column missing). */
  get usable(): boolean {
    return this.header.headerRowIndex >= 0 && this.header.missingRequired.length === 0;
  }

  /** Reads one data row (blank rows are ignored). @param sheetRow its 1-based row number in the sheet */
  add(row: readonly CellValue[], sheetRow: number): void {
    if (!this.usable || isBlankRow(row)) return;
    this.rowCount++;
    const r = readRow(row, sheetRow, this.header, this.causeNumbering);
    if (!r.isHead) {
      // Household columns are taken from the head's row only: a member row keeps its member values and areas.
      r.household = EMPTY;
      r.extras = EMPTY;
    }
    if (r.problems.length === 0) r.problems = NO_PROBLEMS;
    const a = r.area;
    a.county = this.names.of(a.county);
    a.township = this.names.of(a.township);
    a.village = this.names.of(a.village);
    a.group = this.names.of(a.group);
    a.code = this.names.of(a.code);
    if (this.hasHouseholdNo) {
      if (r.householdNo === null) {
        // No 户编号 (a new household in a template): a run starting at its 户主 row, as without the column.
        if (r.isHead || !this.current) {
          this.current = [];
          this.groups.push(this.current);
        }
        this.current.push(r);
        this.last = this.current;
        return;
      }
      this.current = undefined;
      let g = this.byNo.get(r.householdNo);
      if (!g) {
        if (this.closedNos?.has(r.householdNo)) this.splitHouseholdNo ??= r.householdNo;
        g = [];
        this.byNo.set(r.householdNo, g);
        this.groups.push(g);
      }
      g.push(r);
      this.last = g;
    } else {
      if (r.isHead || !this.current) {
        this.current = [];
        this.groups.push(this.current);
      }
      this.current.push(r);
      this.last = this.current;
    }
  }

  /** Households waiting to be formed (all but the open one are closed when rows of a household are together). */
  get pendingGroups(): number {
    return this.groups.length;
  }

  /**
   * Forms and checks every household but the one the last row joined, and forgets their rows: for a
   * file whose rows of one household are together (the national system's exports are), memory stays
   * bounded. Should a drained 户编号 come back, `splitHouseholdNo` is set and the caller reads the file
   * again without draining.
   * @returns the households formed, in order of first appearance
   */
  drainClosed(): ParsedHousehold[] {
    const closed = (this.closedNos ??= new Set());
    const header = this.header;
    const idColumn = columnOf(header, (d) => d.key === 'idNumber');
    const relationColumn = columnOf(header, (d) => d.key === 'relationToHead');
    const out: ParsedHousehold[] = [];
    const open: ReadRow[][] = [];
    for (const g of this.groups) {
      if (g === this.last) {
        open.push(g);
        continue;
      }
      const no = g[0]!.householdNo;
      if (no !== null && this.byNo.get(no) === g) {
        this.byNo.delete(no);
        closed.add(no);
      }
      out.push(this.formHousehold(g, header, this.hasHouseholdNo, idColumn, relationColumn, this.seenIds, this.sheet));
    }
    this.groups.length = 0;
    this.groups.push(...open);
    return out;
  }

  /** Forms and checks the households read so far. @returns the households in order of first appearance and every problem */
  finish(): PersonListResult {
    const header = this.header;
    const hasHouseholdNo = this.hasHouseholdNo;
    const idColumn = columnOf(header, (d) => d.key === 'idNumber');
    const relationColumn = columnOf(header, (d) => d.key === 'relationToHead');
    const seenIds = this.seenIds;
    const sheet = this.sheet;
    const groups = this.groups.splice(0);
    this.byNo.clear();
    const households: ParsedHousehold[] = [];
    for (let gi = 0; gi < groups.length; gi++) {
      const g = groups[gi]!;
      groups[gi] = [];
      households.push(this.formHousehold(g, header, hasHouseholdNo, idColumn, relationColumn, seenIds, sheet));
    }
    return { households, problems: households.flatMap((h) => h.problems), rowCount: this.rowCount };
  }

  private formHousehold(
    g: ReadRow[],
    header: HeaderDetection,
    hasHouseholdNo: boolean,
    idColumn: string,
    relationColumn: string,
    seenIds: SeenIds,
    sheet: string | null,
  ): ParsedHousehold {
    const problems: RowProblem[] = g.flatMap((r) => r.problems);
    const heads = g.filter((r) => r.isHead);
    const main = heads[0] ?? g[0]!;
    if (hasHouseholdNo && main.householdNo === null && heads.length === 0) {
      problems.push({
        sheetRow: main.sheetRow,
        column: columnOf(header, (d) => d.key === 'householdNo'),
        value: '',
        reason: 'missingHouseholdNo',
        severity: 'error',
        message: '缺少户编号，无法确定所属家庭',
        messageEn: 'No household number: the household this row belongs to is unknown',
      });
    }
    if (heads.length === 0) {
      problems.push({
        sheetRow: main.sheetRow,
        column: relationColumn,
        value: '',
        reason: 'noHead',
        severity: 'error',
        message: '该户没有与户主关系为“户主”的成员',
        messageEn: 'The household has no member whose relation to head is 户主 (head)',
      });
    }
    for (const extra of heads.slice(1)) {
      problems.push({
        sheetRow: extra.sheetRow,
        column: relationColumn,
        value: '户主',
        reason: 'multipleHeads',
        severity: 'error',
        message: '同一户有多名户主',
        messageEn: 'The household has more than one head',
      });
    }
    for (const r of g) {
      for (const level of ['county', 'township', 'village', 'group', 'code'] as const) {
        if (r.area[level] !== null && main.area[level] !== null && r.area[level] !== main.area[level]) {
          problems.push({
            sheetRow: r.sheetRow,
            column: columnOf(header, (d) => (d.target.kind === 'area' && d.target.level === level) || (level === 'code' && d.target.kind === 'areaCode')),
            value: r.area[level] ?? '',
            reason: 'inconsistentArea',
            severity: 'error',
            message: `同一户各行的地区不一致（户主行为“${main.area[level] ?? ''}”）`,
            messageEn: `Rows of one household name different areas (the head's row has “${main.area[level] ?? ''}”)`,
          });
        }
      }
    }
    const members = g.map(toMember);
    for (const m of members) {
      const id = m.values.idNumber;
      if (typeof id === 'string') {
        const before = seenIds.get(id);
        if (before !== undefined) {
          const where = before.sheet !== null && before.sheet !== sheet ? `工作表“${before.sheet}”` : '';
          const whereEn = before.sheet !== null && before.sheet !== sheet ? ` of sheet “${before.sheet}”` : '';
          problems.push({
            sheetRow: m.sheetRow,
            column: idColumn,
            value: id,
            reason: 'duplicateIdNumber',
            severity: 'error',
            message: `证件号码与${where}第 ${before.sheetRow} 行重复`,
            messageEn: `The ID number repeats row ${before.sheetRow}${whereEn}`,
          });
        } else seenIds.set(id, { sheet, sheetRow: m.sheetRow });
      }
      const parsed = memberInput.safeParse(m.values);
      if (!parsed.success) {
        const row = g.find((r) => r.sheetRow === m.sheetRow)!;
        const idRefused = row.problems.some((p) => p.column === idColumn);
        for (const issue of parsed.error.issues) {
          const field = String(issue.path[0] ?? '');
          // Sex, document type and birth date come from a valid ID number: without one, only it is reported.
          if (DERIVED_FROM_ID.has(field) && (idRefused || m.values.idNumber === undefined)) continue;
          // A cell already refused is reported once, by its cell reason.
          const column = columnOf(header, (d) => d.target.kind === 'member' && d.target.field === field);
          if (column !== '' && row.problems.some((p) => p.column === column)) continue;
          const value = m.values[field as keyof MemberInput];
          const [zh, en] = value === undefined ? [`“${column || field}”不能为空`, `${column || field} is required`] : issue.message.split(' · ');
          problems.push({
            sheetRow: m.sheetRow,
            column,
            value: value === undefined ? '' : String(value),
            reason: value === undefined ? `missing:${field}` : `invalid:${field}`,
            severity: 'error',
            message: column === '' ? `${zh ?? issue.message}（${field}）` : (zh ?? issue.message),
            messageEn: column === '' ? `${en ?? zh ?? issue.message} (${field})` : (en ?? zh ?? issue.message),
          });
        }
      }
    }
    const declared = main.extras.memberCount;
    if (typeof declared === 'number' && declared !== g.length) {
      problems.push({
        sheetRow: main.sheetRow,
        column: columnOf(header, (d) => d.key === 'memberCount'),
        value: String(declared),
        reason: 'memberCountMismatch',
        severity: 'warning',
        message: `人数为 ${declared}，但文件中有 ${g.length} 名成员`,
        messageEn: `Household size says ${declared}, but the file has ${g.length} member rows`,
      });
    }
    const fields: Record<string, unknown> = { ...main.household };
    if (fields.phone === undefined && typeof main.member.phone === 'string') fields.phone = main.member.phone;
    problems.sort((a, b) => a.sheetRow - b.sheetRow);
    return {
      householdNo: main.householdNo,
      sheetRows: g.map((r) => r.sheetRow),
      area: main.area,
      fields,
      extras: main.extras,
      members,
      rejected: problems.some((p) => p.severity === 'error'),
      problems,
    };
  }
}

/**
 * Groups the rows of one sheet (a 2-D array, row 0 = sheet row `firstSheetRow`) into households: the
 * whole-array form of PersonRowGrouper, for small files and tests.
 * @param rows the sheet's rows, as given to detectHeader
 * @param header detectHeader's result; with missing required columns or no header nothing is read
 * @returns the households in order of first appearance and every problem
 */
export function groupPersonRows(rows: SheetRows, header: HeaderDetection, opts: GroupOptions = {}): PersonListResult {
  const first = opts.firstSheetRow ?? 1;
  const grouper = new PersonRowGrouper(header);
  if (!grouper.usable) return { households: [], problems: [], rowCount: 0 };
  for (let i = header.dataStartIndex; i < rows.length; i++) {
    const row = rows[i];
    if (row !== undefined) grouper.add(row, i + first);
  }
  return grouper.finish();
}
