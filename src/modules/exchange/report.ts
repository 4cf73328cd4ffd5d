/**
 * The validation report (校验报告) and the rejected households' file (整户退回), written as .xlsx while
 * the imported file is read again, row by row: neither the file nor the output sits in memory (only the
 * problems, which the import holds anyway, and the first 21 rows of each sheet, to find its header).
 *
 * - `report`: a first sheet 问题清单 listing every problem, then every sheet of the file with all its
 *   rows where they were, and a last column 导入问题 / Problems listing each row's problems; rows with
 *   an error light red, rows with only warnings light yellow.
 * - `rejected`: each sheet holding rejected households, with its header rows as in the file and only
 *   the rows of those households, plus the same last column: the file to fix and import again (the
 *   problem column then comes back as an unknown column, a warning).
 *
 * Cells are written as they came: text as text cells (`@`, so 18-digit ID numbers keep every digit and
 * text beginning with = is never a formula), numbers and booleans as such, dates as dates (yyyy-mm-dd).
 */
import type { Stream } from 'node:stream';
import ExcelJS from 'exceljs';
import { isBlankRow, type CellValue } from './cells.ts';
import type { ImportProblem } from './contract.ts';
import { detectHeader } from './headers.ts';
import { readSpreadsheet, type SheetRow, type SpreadsheetInput } from './readers.ts';

export interface ReportInput {
  source: SpreadsheetInput;
  /** Every problem of the import (sheetRow 0: a problem of a sheet's header, listed only in 问题清单). */
  problems: ImportProblem[];
  /** sheet name → sheet rows (1-based) of rejected households */
  rejectedRows: Map<string, Set<number>>;
}

export type ReportKind = 'report' | 'rejected';

/** The header of the problem column added to every sheet. */
export const PROBLEM_COLUMN_HEADER = '导入问题 / Problems';
/** The name of the report's first sheet. */
export const PROBLEM_LIST_SHEET = '问题清单';
/** Fill colours (ARGB) of rows with an error and of rows with warnings only. */
export const REPORT_FILLS = { error: 'FFFFC7CE', warning: 'FFFFEB9C' } as const;

/** Rows read before the header is looked for: detectHeader scans 20 rows, and a two-row header may end on row 21. */
const HEADER_SCAN_ROWS = 21;
/** Excel's limit on the characters of one cell. */
const MAX_CELL_CHARS = 32_767;

const LEVEL = { error: '错误', warning: '警告' } as const;

/** Display width of a text: CJK and full-width characters count 2. */
function textWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += ch.charCodeAt(0) > 0x2e7f ? 2 : 1;
  return w;
}

/** "错误：证件号码：校验码不对；警告：人数：…": errors first, each problem with its level and column. */
export function problemText(problems: readonly ImportProblem[]): string {
  const ordered = [...problems.filter((p) => p.severity === 'error'), ...problems.filter((p) => p.severity !== 'error')];
  const text = ordered.map((p) => `${LEVEL[p.severity]}：${p.column ? `${p.column}：` : ''}${p.message}`).join('；');
  return text.length > MAX_CELL_CHARS ? `${text.slice(0, MAX_CELL_CHARS - 1)}…` : text;
}

/** A sheet name Excel accepts (≤ 31 characters, none of []:*?/\), unique in the workbook. */
function sheetName(name: string, used: Set<string>): string {
  const base = name.replace(/[[\]:*?/\\]/g, '_').replace(/^'+|'+$/g, '').slice(0, 31) || 'Sheet';
  let n = base;
  for (let i = 2; used.has(n.toLowerCase()); i++) n = `${base.slice(0, 31 - String(i).length - 2)}(${i})`;
  used.add(n.toLowerCase());
  return n;
}

/** Sets one cell as the file had it: text as text, dates formatted as dates. */
function setCell(cell: ExcelJS.Cell, v: CellValue): void {
  if (v === null || v === undefined || v === '') return;
  if (v instanceof Date) {
    cell.value = v;
    cell.numFmt = 'yyyy-mm-dd';
  } else if (typeof v === 'string') {
    cell.value = v.length > MAX_CELL_CHARS ? v.slice(0, MAX_CELL_CHARS) : v;
    cell.numFmt = '@';
  } else cell.value = v;
}

function solid(argb: string): ExcelJS.Fill {
  return { type: 'pattern', pattern: 'solid', fgColor: { argb } };
}

/** The first rows of a sheet (up to sheet row 21) as detectHeader takes them, and the row that came after. */
async function headRows(rows: AsyncIterator<SheetRow>): Promise<{ head: CellValue[][]; next: SheetRow | undefined }> {
  const head: CellValue[][] = [];
  for (;;) {
    const r = await rows.next();
    if (r.done) return { head, next: undefined };
    if (r.value.sheetRow > HEADER_SCAN_ROWS) return { head, next: r.value };
    while (head.length < r.value.sheetRow - 1) head.push([]);
    head[r.value.sheetRow - 1] = r.value.cells;
  }
}

function writeProblemList(wb: ExcelJS.stream.xlsx.WorkbookWriter, problems: readonly ImportProblem[], used: Set<string>): void {
  const ws = wb.addWorksheet(sheetName(PROBLEM_LIST_SHEET, used), { views: [{ state: 'frozen', xSplit: 0, ySplit: 1 }] });
  const headers: [string, number][] = [
    ['工作表', 14],
    ['行号', 8],
    ['列', 16],
    ['值', 22],
    ['级别', 6],
    ['问题', 50],
    ['Problem (English)', 60],
  ];
  ws.columns = headers.map(([, width]) => ({ width }));
  ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: headers.length } };
  const head = ws.addRow(headers.map(([h]) => h));
  head.font = { bold: true };
  head.commit();
  for (const p of problems) {
    const row = ws.addRow([]);
    setCell(row.getCell(1), p.sheet);
    if (p.sheetRow > 0) row.getCell(2).value = p.sheetRow;
    else setCell(row.getCell(2), '表头');
    setCell(row.getCell(3), p.column);
    setCell(row.getCell(4), p.value);
    setCell(row.getCell(5), LEVEL[p.severity]);
    setCell(row.getCell(6), p.message);
    setCell(row.getCell(7), p.messageEn);
    row.getCell(5).fill = solid(p.severity === 'error' ? REPORT_FILLS.error : REPORT_FILLS.warning);
    row.commit();
  }
  ws.commit();
}

/**
 * Writes the validation report or the rejected households' file.
 * @param input the imported file (read again, streaming), the import's problems, and the sheet rows of
 *   rejected households by sheet name
 * @param kind 'report': 问题清单 then every sheet with all its rows and the problem column, rows with an
 *   error filled light red, with warnings only light yellow; 'rejected': only the sheets with rejected
 *   households, each with its header rows (the rows before detectHeader's first data row) and the rows
 *   of those households (in file order, renumbered without gaps), and the same problem column
 * @param out where the .xlsx goes; ended when the file is complete
 * @returns rows: the non-blank data rows written of the sheets with a header (header rows, 问题清单 and
 *   sheets without a header not counted)
 * @throws FileRefusal as readSpreadsheet, if the file cannot be read again
 */
export async function writeImportReport(input: ReportInput, kind: ReportKind, out: NodeJS.WritableStream): Promise<{ rows: number }> {
  const bySheet = new Map<string, Map<number, ImportProblem[]>>();
  for (const p of input.problems) {
    if (p.sheetRow <= 0) continue;
    let rows = bySheet.get(p.sheet);
    if (!rows) bySheet.set(p.sheet, (rows = new Map()));
    const list = rows.get(p.sheetRow);
    if (list) list.push(p);
    else rows.set(p.sheetRow, [p]);
  }

  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out as unknown as Stream, useSharedStrings: false, useStyles: true });
  const used = new Set<string>();
  if (kind === 'report') writeProblemList(wb, input.problems, used);
  let written = 0;
  let sheets = 0;

  for await (const sheet of readSpreadsheet(input.source)) {
    const rejected = input.rejectedRows.get(sheet.name) ?? new Set<number>();
    const iter = sheet.rows[Symbol.asyncIterator]();
    if (kind === 'rejected' && rejected.size === 0) {
      // Drain the sheet: the .xlsx is read in one pass.
      for (let r = await iter.next(); !r.done; r = await iter.next());
      continue;
    }
    const problems = bySheet.get(sheet.name) ?? new Map<number, ImportProblem[]>();
    const { head, next } = await headRows(iter);
    const header = detectHeader(head);
    // Rows before the first data row are header rows (titles included); none when no header was found.
    const headerRows = Math.max(0, header.dataStartIndex);
    const width = Math.max(0, ...head.map((r) => r.length));
    const problemCol = width + 1;

    const widths = Array.from({ length: width }, (_, c) => Math.min(40, Math.max(8, ...head.map((r) => textWidth(String(r[c] ?? '')) + 2))));
    const ws = wb.addWorksheet(sheetName(sheet.name, used), headerRows > 0 ? { views: [{ state: 'frozen', xSplit: 0, ySplit: headerRows }] } : {});
    ws.columns = [...widths.map((w) => ({ width: w })), { width: 60 }];
    sheets++;

    let outRow = 0;
    const emit = (sheetRow: number, cells: readonly CellValue[]) => {
      const isHeader = sheetRow <= headerRows;
      if (!isHeader && kind === 'rejected' && !rejected.has(sheetRow)) return;
      outRow = kind === 'report' ? sheetRow : outRow + 1;
      const row = ws.getRow(outRow);
      cells.forEach((v, i) => setCell(row.getCell(i + 1), v));
      if (isHeader) {
        row.font = { bold: true };
        if (sheetRow === header.headerRowIndex + 1) setCell(row.getCell(Math.max(problemCol, cells.length + 1)), PROBLEM_COLUMN_HEADER);
      } else {
        if (header.headerRowIndex >= 0 && !isBlankRow(cells)) written++;
        const own = problems.get(sheetRow);
        // A row of a rejected household without a problem of its own is returned with its household.
        const ps =
          own ??
          (rejected.has(sheetRow) && !isBlankRow(cells)
            ? [{ sheet: '', sheetRow, column: '', value: '', reason: 'householdRejected', severity: 'error' as const, message: '整户退回：同户其他行有错误', messageEn: 'Returned with its household: another row of the household has an error' }]
            : undefined);
        if (ps) {
          // A row wider than the head keeps its cells: its problems go after its last cell.
          const col = Math.max(problemCol, cells.length + 1);
          setCell(row.getCell(col), problemText(ps));
          const fill = solid(ps.some((p) => p.severity === 'error') ? REPORT_FILLS.error : REPORT_FILLS.warning);
          for (let c = 1; c <= col; c++) row.getCell(c).fill = fill;
        }
      }
      row.commit();
    };

    head.forEach((cells, i) => emit(i + 1, cells));
    if (next) emit(next.sheetRow, next.cells);
    for (let r = await iter.next(); !r.done; r = await iter.next()) emit(r.value.sheetRow, r.value.cells);
    ws.commit();
  }

  if (sheets === 0 && kind === 'rejected') {
    const ws = wb.addWorksheet(sheetName('退回', used));
    ws.addRow(['没有整户退回的户 / No rejected households']).commit();
    ws.commit();
  }
  await wb.commit();
  return { rows: written };
}
