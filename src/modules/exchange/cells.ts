/**
 * Cell normalisation for imports: turns spreadsheet cells as readers really yield them (text where a
 * number was meant and the reverse, Excel date serials, JS Dates, full-width characters, stray spaces)
 * into the values the registry's contract expects. Pure and isomorphic; no reader is involved.
 *
 * Every reader returns a `CellResult`: `{ ok: true, value }`, where an empty cell gives `value: null`
 * (whether the column may be empty is the caller's rule), or `{ ok: false, reason, message, messageEn }`.
 * Sources: issue 4 (cells as they really come); /work/shared/data/household-form-columns.md §A, §E.
 */
import { findCodeItem, type CodeListId, type CodeValue, CODE_LISTS } from '../households/index.ts';
import { normalizeIdNumber, validateIdNumber, type IdRejection } from '../../shared/id-number.ts';

/** One cell as a spreadsheet reader (exceljs, csv-parse, SheetJS) yields it. */
export type CellValue = string | number | boolean | Date | null | undefined;
/** A sheet as rows of cells; row 0 is the sheet's first row. */
export type SheetRows = readonly (readonly CellValue[])[];

/** Why a cell was refused. `idNumber:<IdRejection>` passes on validateIdNumber's reason. */
export type CellReason =
  | 'idNumberPrecisionLost'
  | 'precisionLost'
  | `idNumber:${IdRejection}`
  | 'notText'
  | 'notADate'
  | 'fictitiousDate'
  | 'notANumber'
  | 'notAnInteger'
  | 'notABoolean'
  | 'unknownCode'
  | 'maskedIdNumber'
  /** A number in a 致贫原因 cell without a numbering chosen (person-list.ts). */
  | 'causeNumberWithoutNumbering';

export interface CellFailure {
  ok: false;
  reason: CellReason;
  message: string;
  messageEn: string;
}
export type CellResult<T> = { ok: true; value: T } | CellFailure;

function fail(reason: CellReason, message: string, messageEn: string): CellFailure {
  return { ok: false, reason, message, messageEn };
}

// Spaces a cell may hold besides ASCII ones: NBSP, the U+2000–U+200A spaces, narrow NBSP, medium
// mathematical space, ideographic (full-width) space.
const SPACES = /[\s\u00A0\u2000-\u200A\u202F\u205F\u3000]+/g;
const ZERO_WIDTH = /[\u200B-\u200D\u2060\uFEFF]/g;

/** Full-width digits ０–９ → 0–9. */
export function toHalfWidthDigits(s: string): string {
  return s.replace(/[\uFF10-\uFF19]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xff10 + 0x30));
}

/**
 * The text of a cell: zero-width characters removed, every run of spaces (NBSP, full-width U+3000,
 * line breaks included) made one ASCII space, trimmed, full-width digits made ASCII. Numbers as
 * String() writes them (no exponent below 1e21); booleans as 是/否; a Date as YYYY-MM-DD.
 * @returns the text ('' for an empty cell)
 */
export function cellText(cell: CellValue): string {
  if (cell === null || cell === undefined) return '';
  // String() writes integers below 1e21 without exponent, in their shortest round-trip digits.
  if (typeof cell === 'number') return String(cell);
  if (typeof cell === 'boolean') return cell ? '是' : '否';
  if (cell instanceof Date) return dateFromJsDate(cell) ?? '';
  // Most cells are clean already: no odd spaces, zero-width characters or full-width digits.
  if (!NEEDS_CLEANING.test(cell)) return cell;
  return toHalfWidthDigits(cell.replace(ZERO_WIDTH, '').replace(SPACES, ' ').trim());
}

/** Anything cellText would change: a space at either end or two in a row, any other space, zero-width characters, full-width digits. */
const NEEDS_CLEANING = /^\s|\s$| \s|[\t\n\v\f\r\u00A0\u1680\u2000-\u200D\u2028\u2029\u202F\u205F\u2060\u3000\uFEFF\uFF10-\uFF19]/;

/** Whether a cell holds nothing (empty, or only spaces and zero-width characters). */
export function isBlankCell(cell: CellValue): boolean {
  return cellText(cell) === '';
}

/** Whether a row holds nothing: spreadsheets carry formatted but empty rows after the data. */
export function isBlankRow(row: readonly CellValue[] | undefined): boolean {
  return row === undefined || row.every(isBlankCell);
}

/** The number of rows up to the last one that is not blank (the trailing blank rows cut off). */
export function countUsedRows(rows: SheetRows): number {
  let n = rows.length;
  while (n > 0 && isBlankRow(rows[n - 1])) n--;
  return n;
}

/**
 * A text cell: `cellText`, null when empty.
 * @param maxLength longer text is refused (reason notText)
 */
export function readText(cell: CellValue, maxLength = 200): CellResult<string | null> {
  const s = cellText(cell);
  if (s === '') return { ok: true, value: null };
  if (s.length > maxLength) return fail('notText', `文字过长（最多 ${maxLength} 字）`, `Text too long (at most ${maxLength} characters)`);
  return { ok: true, value: s };
}

/**
 * A number-like identifier held as text: 户编号 (16 digits), 人编号, 区划代码, bank account, phone. A
 * number cell of 16 or more digits has lost its last digits in Excel (15 significant digits), and so
 * has text in scientific notation: refused with reason precisionLost, so that two households never
 * merge under a truncated 户编号. A leading apostrophe is dropped; a fraction is refused (notText).
 * @returns the text (cellText), null when empty
 */
export function readIdentifier(cell: CellValue, maxLength = 40): CellResult<string | null> {
  const lost = fail(
    'precisionLost',
    '编号存为数字，Excel 只保留 15 位有效数字，末几位已丢失：请把该列设为文本后重新填写',
    'The number was stored as a number; Excel keeps 15 significant digits, so its last digits are lost: format the column as text and enter it again',
  );
  if (typeof cell === 'number') {
    if (!Number.isFinite(cell) || !Number.isInteger(cell)) return fail('notText', '编号不应含小数', 'An identifier has no decimals');
    if (Math.abs(cell) >= 1e15) return lost;
    return { ok: true, value: String(cell) };
  }
  if (typeof cell === 'string') {
    const text = cellText(cell).replace(/^['‘’]/, '');
    if (/^\d+(\.\d+)?[eE]\+?\d+$/.test(text)) return lost;
    return readText(text, maxLength);
  }
  return readText(cell, maxLength);
}

/**
 * An ID number (公民身份号码) cell. A number cell of 16 or more digits has lost its last digits in
 * Excel's floating point (15 significant digits): it is refused with reason idNumberPrecisionLost and
 * never stored truncated; so is text in scientific notation (4.30181E+17, what such a cell shows once
 * turned into text). A leading apostrophe (Excel's "store as text" mark) is dropped; spaces, full-width
 * digits and a lowercase x are normalised (normalizeIdNumber). The rest is validateIdNumber's check
 * (GB 11643-1999), whose reason is passed on as `idNumber:<reason>`; a 15-digit number is converted.
 * @returns the 18-character number, null when empty
 */
export function readIdNumber(cell: CellValue): CellResult<string | null> {
  if (cell === null || cell === undefined) return { ok: true, value: null };
  const lost = fail(
    'idNumberPrecisionLost',
    '证件号码存为数字，Excel 只保留 15 位有效数字，末几位已丢失：请把该列设为文本后重新填写',
    'The ID number was stored as a number; Excel keeps 15 significant digits, so its last digits are lost: format the column as text and enter it again',
  );
  let text: string;
  if (typeof cell === 'number') {
    if (!Number.isFinite(cell)) return fail('idNumber:characters', '证件号码不是有效数字', 'The ID number is not a valid number');
    if (Math.abs(cell) >= 1e15) return lost;
    if (!Number.isInteger(cell)) return fail('idNumber:characters', '证件号码含小数', 'The ID number has decimals');
    text = cell.toFixed(0);
  } else if (typeof cell === 'string') {
    text = cellText(cell).replace(/^['‘’]/, '');
    if (/^\d+(\.\d+)?[eE]\+?\d+$/.test(text.replace(/\s/g, ''))) return lost;
  } else {
    return fail('idNumber:characters', '证件号码应为文字', 'The ID number should be text');
  }
  if (normalizeIdNumber(text) === '') return { ok: true, value: null };
  if (text.includes('*')) {
    return fail(
      'maskedIdNumber',
      '证件号码已打码（含 *）：这是脱敏导出的文件，请用“完整导出”（显示完整证件号码）的文件导入',
      'The ID number is masked (has *): this file is a masked export; import a full export (with ID numbers in full)',
    );
  }
  const r = validateIdNumber(text);
  if (!r.ok) return fail(`idNumber:${r.reason}`, r.message, r.messageEn);
  return { ok: true, value: r.idNumber };
}

// ---------------------------------------------------------------------------------------------
// Dates: calendar dates, YYYY-MM-DD, never shifted by a time zone
// ---------------------------------------------------------------------------------------------

const MS_PER_DAY = 86_400_000;

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** YYYY-MM-DD when the parts form a real date in 1900–2199, otherwise null. */
export function calendarDate(y: number, m: number, d: number): string | null {
  if (!Number.isInteger(y) || !Number.isInteger(m) || !Number.isInteger(d)) return null;
  if (y < 1900 || y > 2199 || m < 1 || m > 12 || d < 1) return null;
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
  if (d > days) return null;
  return `${pad(y, 4)}-${pad(m)}-${pad(d)}`;
}

/**
 * The calendar date of a JS Date from a reader: its instant rounded to the nearest UTC midnight, then
 * read in UTC. A reader's UTC-midnight Date (exceljs) gives its own day, and so does a Date at local
 * midnight made by a reader running in any zone from UTC−11 to UTC+12 (midnight in UTC+8 is 16:00 UTC
 * the day before, which rounds up). No local time zone is consulted. Invalid Dates give null.
 */
export function dateFromJsDate(date: Date): string | null {
  const t = date.getTime();
  if (Number.isNaN(t)) return null;
  const day = new Date(Math.round(t / MS_PER_DAY) * MS_PER_DAY);
  return calendarDate(day.getUTCFullYear(), day.getUTCMonth() + 1, day.getUTCDate());
}

/**
 * The calendar date of an Excel serial number (1900 date system; the fraction, a time of day, is
 * ignored). Excel counts the fictitious 1900-02-29 (the Lotus 1-2-3 leap-year bug): serial 1 is
 * 1900-01-01, 59 is 1900-02-28, 60 is the day that never was, 61 is 1900-03-01, 45000 is 2023-03-15.
 * Choice: serial 60 is refused (reason fictitiousDate) rather than guessed as 02-28 or 03-01; serials
 * below 1 and beyond 2199-12-31 are refused (notADate).
 */
export function dateFromExcelSerial(serial: number): CellResult<string> {
  const n = Math.floor(serial);
  if (!Number.isFinite(serial) || n < 1) return fail('notADate', '不是有效日期', 'Not a valid date');
  if (n === 60) {
    return fail('fictitiousDate', 'Excel 日期序号 60 是不存在的 1900-02-29，请核对日期', 'Excel serial 60 is the non-existent 1900-02-29: check the date');
  }
  // Serials from 61 on count from 1899-12-30 (the extra day absorbs the bug); before it, from 1899-12-31.
  const epoch = n < 60 ? Date.UTC(1899, 11, 31) : Date.UTC(1899, 11, 30);
  const d = new Date(epoch + n * MS_PER_DAY);
  const s = calendarDate(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
  return s === null ? fail('notADate', '日期超出范围', 'Date out of range') : { ok: true, value: s };
}

const TEXT_DATE_FORMS: readonly RegExp[] = [
  /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$/,
  /^(\d{4})年(\d{1,2})月(\d{1,2})日?$/,
  /^(\d{4})(\d{2})(\d{2})$/,
];

/**
 * A date cell → YYYY-MM-DD. Accepts a JS Date (dateFromJsDate), an Excel serial number
 * (dateFromExcelSerial), an 8-digit number or text 20230105, and text 2023-01-05, 2023/1/5,
 * 2023.01.05 or 2023年1月5日 (full-width digits and spaces allowed; a time of day after the date is
 * ignored). Years 1900–2199.
 * @returns null for an empty cell; reason notADate or fictitiousDate otherwise
 */
export function readDate(cell: CellValue): CellResult<string | null> {
  if (cell === null || cell === undefined) return { ok: true, value: null };
  const bad = fail('notADate', '日期无法识别，应为 YYYY-MM-DD', 'Unrecognised date; expected YYYY-MM-DD');
  if (cell instanceof Date) {
    const s = dateFromJsDate(cell);
    return s === null ? bad : { ok: true, value: s };
  }
  if (typeof cell === 'boolean') return bad;
  if (typeof cell === 'number') {
    if (Number.isInteger(cell) && cell >= 19000101 && cell <= 21991231) {
      const s = calendarDate(Math.floor(cell / 10000), Math.floor(cell / 100) % 100, cell % 100);
      return s === null ? bad : { ok: true, value: s };
    }
    return dateFromExcelSerial(cell);
  }
  const text = cellText(cell).normalize('NFKC').replace(/\s*([年月日/.-])\s*/g, '$1');
  if (text === '') return { ok: true, value: null };
  for (const form of TEXT_DATE_FORMS) {
    const m = form.exec(text);
    if (m) {
      const s = calendarDate(Number(m[1]), Number(m[2]), Number(m[3]));
      return s === null ? bad : { ok: true, value: s };
    }
  }
  return bad;
}

// ---------------------------------------------------------------------------------------------
// Numbers, booleans, code values
// ---------------------------------------------------------------------------------------------

/**
 * A number cell: a number as it is, or text with a currency sign (¥ ￥), thousands separators
 * (, ，), the unit 元 and spaces removed ("¥1,234.50元" → 1234.5). Full-width digits allowed.
 * @returns null for an empty cell; reason notANumber otherwise
 */
export function readNumber(cell: CellValue): CellResult<number | null> {
  if (cell === null || cell === undefined) return { ok: true, value: null };
  const bad = fail('notANumber', '应为数字', 'Expected a number');
  if (typeof cell === 'number') return Number.isFinite(cell) ? { ok: true, value: cell } : bad;
  if (typeof cell !== 'string') return bad;
  const text = cellText(cell).normalize('NFKC').replace(/[¥￥,，\s]/g, '').replace(/元$/, '');
  if (text === '') return { ok: true, value: null };
  if (!/^[-+]?(\d+(\.\d*)?|\.\d+)$/.test(text)) return bad;
  return { ok: true, value: Number(text) };
}

/** A whole number (readNumber, then refused with reason notAnInteger when it has a fraction). */
export function readInteger(cell: CellValue): CellResult<number | null> {
  const r = readNumber(cell);
  if (!r.ok || r.value === null || Number.isInteger(r.value)) return r;
  return fail('notAnInteger', '应为整数', 'Expected a whole number');
}

const TRUE_WORDS = new Set(['是', '有', 'y', 'yes', 'true', '1', '√', '✓', '✔', '对']);
const FALSE_WORDS = new Set(['否', '无', '没有', 'n', 'no', 'false', '0', '×', '✗', '✘', 'x', '错']);

/**
 * A yes/no cell: 是/否, 有/无, Y/N (any case), yes/no, true/false, 1/0, √/×; a boolean cell as it is.
 * @returns null for an empty cell; reason notABoolean otherwise
 */
export function readBoolean(cell: CellValue): CellResult<boolean | null> {
  if (cell === null || cell === undefined) return { ok: true, value: null };
  if (typeof cell === 'boolean') return { ok: true, value: cell };
  const text = cellText(cell).normalize('NFKC').replace(/\s/g, '').toLowerCase();
  if (text === '') return { ok: true, value: null };
  if (TRUE_WORDS.has(text)) return { ok: true, value: true };
  if (FALSE_WORDS.has(text)) return { ok: true, value: false };
  return fail('notABoolean', '应为“是”或“否”', 'Expected yes or no (是 / 否)');
}

/**
 * A coded cell → the item's stored value, through findCodeItem: its Chinese label, a known alias, the
 * national code with or without leading zeros (a number cell 1 for '01'), or the value itself.
 * @returns null for an empty cell; reason unknownCode otherwise
 */
export function readCode<K extends CodeListId>(listId: K, cell: CellValue): CellResult<CodeValue<K> | null> {
  if (cell === null || cell === undefined) return { ok: true, value: null };
  const text = cellText(cell);
  if (text === '') return { ok: true, value: null };
  const item = findCodeItem(listId, text);
  if (item) return { ok: true, value: item.value };
  const list = CODE_LISTS[listId];
  return fail('unknownCode', `“${text}”不在“${list.label.zh}”代码表中`, `“${text}” is not in the ${list.label.en.toLowerCase()} list`);
}

/**
 * A cell listing several coded values (其他致贫原因 "因病、缺技术"): split on 、，,;；/ and spaces, each
 * read with readCode; duplicates dropped.
 * @returns [] for an empty cell; the first unknown value's failure otherwise
 */
export function readCodes<K extends CodeListId>(listId: K, cell: CellValue): CellResult<CodeValue<K>[]> {
  const parts = cellText(cell).split(/[、，,;；/\s]+/).filter((p) => p !== '');
  const values: CodeValue<K>[] = [];
  for (const part of parts) {
    const r = readCode(listId, part);
    if (!r.ok) return r;
    if (r.value !== null && !values.includes(r.value)) values.push(r.value);
  }
  return { ok: true, value: values };
}
