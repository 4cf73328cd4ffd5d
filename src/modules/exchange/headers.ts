/**
 * Header detection for imported sheets: finds the header row (or the two rows of a header with merged
 * group cells) among the first rows, maps each column to the column dictionary (columns.ts), and
 * reports missing required and unknown columns before any data row is read. Pure.
 */
import { cellText, type SheetRows } from './cells.ts';
import { REQUIRED_COLUMN_GROUPS, columnByKey, findColumn, type ColumnDef } from './columns.ts';

export interface DetectedColumn {
  /** 0-based column index in the row. */
  index: number;
  /** The header text as the file has it (a group title and its sub-column joined with '/'). */
  header: string;
  field: ColumnDef;
}

export interface HeaderProblem {
  kind: 'noHeader' | 'missingRequired' | 'unknownColumn' | 'duplicateColumn';
  /** 'error' stops the import before any row is read; 'warning' is reported only. */
  severity: 'error' | 'warning';
  header?: string;
  index?: number;
  message: string;
  messageEn: string;
}

export interface HeaderDetection {
  /** 0-based index of the (last) header row; -1 when no header was found. */
  headerRowIndex: number;
  /** 0-based index of the first data row. */
  dataStartIndex: number;
  /** Whether the header spans two rows (group titles above column names). */
  twoRow: boolean;
  columns: DetectedColumn[];
  unknown: { index: number; header: string }[];
  /** Chinese labels of the required columns not found. */
  missingRequired: string[];
  problems: HeaderProblem[];
}

export interface DetectHeaderOptions {
  /** How many rows from the top to search (default 20). */
  maxScanRows?: number;
}

interface Candidate {
  headerRowIndex: number;
  twoRow: boolean;
  names: string[];
  /** For each column, the header texts to try in order. */
  tries: string[][];
}

function rowTexts(rows: SheetRows, i: number): string[] {
  return (rows[i] ?? []).map((c) => cellText(c).replace(/\s+/g, ''));
}

function single(rows: SheetRows, i: number): Candidate {
  const names = rowTexts(rows, i);
  return { headerRowIndex: i, twoRow: false, names, tries: names.map((n) => [n]) };
}

/**
 * Combines a top row of group titles (a merged cell arrives as its value in the first column and empty
 * in the others) with the row of column names below. A column with an empty lower cell takes its own
 * top cell (merged vertically); one with a lower name takes that name, or the group title and the name
 * together (联系电话 + 户 → 户联系电话 is not guessed: the name alone is tried first, then title + name).
 */
function double(rows: SheetRows, i: number): Candidate {
  const top = rowTexts(rows, i);
  const bottom = rowTexts(rows, i + 1);
  const width = Math.max(top.length, bottom.length);
  const names: string[] = [];
  const tries: string[][] = [];
  let group = '';
  for (let c = 0; c < width; c++) {
    const t = top[c] ?? '';
    const b = bottom[c] ?? '';
    if (t !== '') group = t;
    else if (b === '') group = '';
    if (b === '') {
      names.push(t);
      tries.push([t]);
    } else if (group !== '') {
      names.push(`${group}/${b}`);
      tries.push([b, `${group}${b}`, `${b}${group}`]);
    } else {
      names.push(b);
      tries.push([b]);
    }
  }
  return { headerRowIndex: i + 1, twoRow: true, names, tries };
}

function matchCandidate(c: Candidate): { columns: DetectedColumn[]; unknown: { index: number; header: string }[]; duplicates: DetectedColumn[] } {
  const columns: DetectedColumn[] = [];
  const unknown: { index: number; header: string }[] = [];
  const duplicates: DetectedColumn[] = [];
  const seen = new Set<string>();
  c.tries.forEach((tries, index) => {
    const header = c.names[index] ?? '';
    if (header === '') return;
    let field: ColumnDef | undefined;
    for (const t of tries) {
      field = findColumn(t);
      if (field) break;
    }
    if (!field) unknown.push({ index, header });
    else if (seen.has(field.key)) duplicates.push({ index, header, field });
    else {
      seen.add(field.key);
      columns.push({ index, header, field });
    }
  });
  return { columns, unknown, duplicates };
}

/**
 * Finds the header among the first rows: the row (or pair of rows) whose cells match the most known
 * columns; on a tie the earlier; a pair only when it matches more than its lower row alone. Then
 * checks the required columns (REQUIRED_COLUMN_GROUPS: 姓名, 证件号码, 与户主关系, and 行政村 or 区划代码).
 * @param rows the sheet's rows (row 0 = sheet row 1)
 * @returns the header's position and columns; `problems` has an error for each missing required column
 *   (or noHeader when no row matches at least two known columns) and a warning for each unknown or
 *   repeated column. Never throws.
 */
export function detectHeader(rows: SheetRows, opts: DetectHeaderOptions = {}): HeaderDetection {
  const scan = Math.min(rows.length, opts.maxScanRows ?? 20);
  let best: { c: Candidate; m: ReturnType<typeof matchCandidate> } | undefined;
  for (let i = 0; i < scan; i++) {
    const one = single(rows, i);
    const m1 = matchCandidate(one);
    if (!best || m1.columns.length > best.m.columns.length) best = { c: one, m: m1 };
    if (i + 1 < rows.length) {
      // A pair counts only when it matches more than its lower row alone (a title row above a
      // one-row header is not a group row).
      const two = double(rows, i);
      const m2 = matchCandidate(two);
      const lower = matchCandidate(single(rows, i + 1)).columns.length;
      if (m2.columns.length > lower && m2.columns.length > best.m.columns.length) best = { c: two, m: m2 };
    }
  }
  const requiredLabels = REQUIRED_COLUMN_GROUPS.map((g) => columnByKey(g[0] ?? '')?.label.zh ?? '');
  if (!best || best.m.columns.length < 2) {
    return {
      headerRowIndex: -1,
      dataStartIndex: -1,
      twoRow: false,
      columns: [],
      unknown: [],
      missingRequired: requiredLabels,
      problems: [
        {
          kind: 'noHeader',
          severity: 'error',
          message: `前 ${scan} 行中找不到表头（应含 姓名、证件号码、与户主关系 等列）`,
          messageEn: `No header row in the first ${scan} rows (expected columns such as 姓名, 证件号码, 与户主关系)`,
        },
      ],
    };
  }
  const { c, m } = best;
  const keys = new Set(m.columns.map((d) => d.field.key));
  const missingRequired: string[] = [];
  const problems: HeaderProblem[] = [];
  for (const group of REQUIRED_COLUMN_GROUPS) {
    if (group.some((k) => keys.has(k))) continue;
    const labels = group.map((k) => columnByKey(k)?.label.zh ?? k);
    missingRequired.push(labels[0] ?? '');
    problems.push({
      kind: 'missingRequired',
      severity: 'error',
      header: labels[0],
      message: `缺少必填列“${labels.join('”或“')}”`,
      messageEn: `Required column missing: ${group.map((k) => `${columnByKey(k)?.label.en ?? k} (${columnByKey(k)?.label.zh ?? k})`).join(' or ')}`,
    });
  }
  for (const u of m.unknown) {
    problems.push({
      kind: 'unknownColumn',
      severity: 'warning',
      header: u.header,
      index: u.index,
      message: `未识别的列“${u.header}”（第 ${u.index + 1} 列），导入时将忽略`,
      messageEn: `Unknown column “${u.header}” (column ${u.index + 1}) will be ignored`,
    });
  }
  for (const d of m.duplicates) {
    problems.push({
      kind: 'duplicateColumn',
      severity: 'warning',
      header: d.header,
      index: d.index,
      message: `列“${d.header}”（第 ${d.index + 1} 列）重复，只读取第一列`,
      messageEn: `Column “${d.header}” (column ${d.index + 1}) is repeated; only the first is read`,
    });
  }
  return {
    headerRowIndex: c.headerRowIndex,
    dataStartIndex: c.headerRowIndex + 1,
    twoRow: c.twoRow,
    columns: m.columns,
    unknown: m.unknown,
    missingRequired,
    problems,
  };
}
