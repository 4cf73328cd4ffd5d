/**
 * File readers for imports: turn an uploaded .xlsx or .csv into sheets of plain cell values, streaming
 * (bounded memory), or refuse the file with a typed `FileRefusal` (a Chinese and an English message, no
 * stack trace for the user). The pure parsing (headers.ts, cells.ts, person-list.ts) works on what these
 * readers yield.
 *
 * - The kind of file is detected by its content, not its extension: a ZIP holding `xl/workbook.xml` is
 *   an .xlsx (read with exceljs's streaming WorkbookReader); an OLE2 compound file (D0 CF 11 E0) holding an
 *   `EncryptionInfo` stream is a password-protected .xlsx (ENCRYPTED), one holding a `Workbook`/`Book`
 *   stream is a legacy .xls (XLS_UNSUPPORTED: no well-kept npm library reads .xls under our dependency
 *   rules — SheetJS left the npm registry — so the user is asked to save it as .xlsx in Excel or WPS);
 *   text named .csv/.txt is CSV.
 * - Zip bombs: before streaming, the ZIP central directory is read (sizes only) and the file is refused
 *   when the entries claim more than `maxUncompressedBytes` in all, or an entry over 10 MB expands more
 *   than 200:1.
 * - CSV: csv-parse (RFC 4180 quoting, ragged rows allowed); UTF-8 with or without BOM, or GB18030/GBK,
 *   detected from the first 64 KB (bytes that are not valid UTF-8 are GB18030) or chosen; UTF-16LE with
 *   a BOM (Excel's "Unicode 文本"); comma or tab separated (sniffed from the first line).
 * - Trailing blank rows of each sheet are dropped; blank rows between data rows are kept (with their
 *   sheet row number) so that row numbers in reports match what the user sees.
 * Source: issue 4 item 1 (files as they really come).
 */
import { open, stat } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import { Readable, Transform, type TransformCallback } from 'node:stream';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { parse as parseCsv } from 'csv-parse';
import { isBlankRow, type CellValue } from './cells.ts';

export type FileRefusalCode =
  | 'EMPTY'
  | 'TOO_LARGE'
  | 'TOO_MANY_ROWS'
  | 'ENCRYPTED'
  | 'CORRUPT'
  | 'NOT_A_SPREADSHEET'
  | 'XLS_UNSUPPORTED'
  | 'ENCODING'
  /** No sheet has a person-list header (import.ts). */
  | 'NO_HEADER';

/** A file the import will not read. `message` (zh) and `messageEn` are for the user; no stack is shown. */
export class FileRefusal extends Error {
  readonly code: FileRefusalCode;
  readonly messageEn: string;
  constructor(code: FileRefusalCode, message: string, messageEn: string) {
    super(message);
    this.name = 'FileRefusal';
    this.code = code;
    this.messageEn = messageEn;
  }
  /** What to show or send: code and both messages, never a stack. */
  toJSON(): { code: FileRefusalCode; message: string; messageEn: string } {
    return { code: this.code, message: this.message, messageEn: this.messageEn };
  }
}

export interface SheetRow {
  /** 1-based row number as the spreadsheet program shows it (for CSV: the record number). */
  sheetRow: number;
  cells: CellValue[];
}
export interface Sheet {
  name: string;
  rows: AsyncIterable<SheetRow>;
}
export type CsvEncoding = 'auto' | 'utf-8' | 'gb18030' | 'gbk';
export interface SpreadsheetInput {
  path?: string;
  buffer?: Buffer;
  /** The name the user gave the file (used for CSV vs other text, and for the sheet name of a CSV). */
  fileName: string;
  /** CSV only (default 'auto'). */
  encoding?: CsvEncoding;
  /**
   * Told how far the rows are streamed (for progress): for CSV the file's bytes read and its size; for
   * .xlsx the sheets' XML inflated so far and its size from the ZIP directory.
   */
  onBytes?: (read: number, total: number) => void;
}
export interface ReaderLimits {
  /** Largest file accepted, bytes (default 100 MB). */
  maxBytes: number;
  /** Most rows accepted over all sheets, trailing blank rows not counted (default 2,000,000). */
  maxRows: number;
  /** Largest total uncompressed size of an .xlsx's ZIP entries, bytes (default 1 GB). */
  maxUncompressedBytes?: number;
}
export const DEFAULT_READER_LIMITS: ReaderLimits = {
  maxBytes: 100 * 1024 * 1024,
  maxRows: 2_000_000,
  maxUncompressedBytes: 1024 * 1024 * 1024,
};
/**
 * Limits for files read from the server's own disk (`fupin import`): a whole county's person list
 * (250,000 households) is about 310 MB as CSV and 225 MB as .xlsx holding 1.8 GB of XML. Uploads keep
 * the defaults. The zip-bomb ratio check applies to both.
 */
export const LOCAL_FILE_READER_LIMITS: ReaderLimits = {
  maxBytes: 2 * 1024 * 1024 * 1024,
  maxRows: 5_000_000,
  maxUncompressedBytes: 8 * 1024 * 1024 * 1024,
};
const MAX_RATIO = 200;
const RATIO_MIN_SIZE = 10 * 1024 * 1024;
const MB = 1024 * 1024;

// ---------------------------------------------------------------------------------------------------
// Byte access over a buffer or a file

interface ByteSource {
  size: number;
  read(offset: number, length: number): Promise<Buffer>;
  stream(): Readable;
  close(): Promise<void>;
}

/** The same stream, telling `onBytes` how far it got. */
function counted(stream: Readable, total: number, onBytes: ((read: number, total: number) => void) | undefined): Readable {
  if (!onBytes) return stream;
  let read = 0;
  const t = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      read += chunk.length;
      onBytes(read, total);
      cb(null, chunk);
    },
  });
  stream.on('error', (e) => t.destroy(e));
  return stream.pipe(t);
}

async function openSource(input: SpreadsheetInput): Promise<ByteSource> {
  if (input.buffer) {
    const buf = input.buffer;
    return {
      size: buf.length,
      read: (offset, length) => Promise.resolve(buf.subarray(Math.max(0, offset), Math.min(buf.length, offset + length))),
      stream: () => Readable.from([buf]),
      close: () => Promise.resolve(),
    };
  }
  if (!input.path) throw new Error('readSpreadsheet: give a path or a buffer');
  const path = input.path;
  const size = (await stat(path)).size;
  const fh = await open(path, 'r');
  return {
    size,
    async read(offset, length) {
      const start = Math.max(0, offset);
      const len = Math.max(0, Math.min(size, offset + length) - start);
      const buf = Buffer.alloc(len);
      const { bytesRead } = await fh.read(buf, 0, len, start);
      return buf.subarray(0, bytesRead);
    },
    stream: () => createReadStream(path),
    close: () => fh.close(),
  };
}

// ---------------------------------------------------------------------------------------------------
// Refusals

const refuse = {
  empty: () => new FileRefusal('EMPTY', '文件是空的（0 字节）。', 'The file is empty (0 bytes).'),
  tooLarge: (size: number, max: number) =>
    new FileRefusal(
      'TOO_LARGE',
      `文件过大（${(size / MB).toFixed(1)} MB），上限为 ${(max / MB).toFixed(1)} MB。请分成几个文件导入。`,
      `The file is too large (${(size / MB).toFixed(1)} MB); the limit is ${(max / MB).toFixed(1)} MB. Split it into several files.`,
    ),
  tooManyRows: (max: number) =>
    new FileRefusal('TOO_MANY_ROWS', `文件行数超过上限 ${max} 行。请分成几个文件导入。`, `The file has more than ${max} rows, the limit. Split it into several files.`),
  encrypted: () =>
    new FileRefusal(
      'ENCRYPTED',
      '文件设置了打开密码，无法读取。请在 Excel 或 WPS 中取消密码（文件 → 信息 → 保护工作簿）后另存再导入。',
      'The file is password-protected and cannot be read. Remove the password in Excel or WPS, save, and import again.',
    ),
  corrupt: (detail: string) =>
    new FileRefusal('CORRUPT', `文件已损坏，无法读取（${detail}）。请在 Excel 或 WPS 中打开并另存为 .xlsx 后再导入。`, `The file is damaged and cannot be read (${detail}). Open it in Excel or WPS, save it as .xlsx and import again.`),
  zipBomb: () =>
    new FileRefusal(
      'CORRUPT',
      '文件解压后的大小异常（疑似压缩炸弹），已拒绝读取。',
      'The file would expand to an abnormal size (a suspected zip bomb) and was refused.',
    ),
  notASpreadsheet: (what: string, whatEn: string) =>
    new FileRefusal('NOT_A_SPREADSHEET', `不是可导入的表格文件：${what}。请上传 .xlsx 或 .csv 文件。`, `Not a spreadsheet that can be imported: ${whatEn}. Upload an .xlsx or .csv file.`),
  xls: () =>
    new FileRefusal(
      'XLS_UNSUPPORTED',
      '这是旧版 Excel 97-2003 格式（.xls），系统不能直接读取。请在 Excel 或 WPS 中打开，“另存为” Excel 工作簿（.xlsx）后再导入。',
      'This is the legacy Excel 97-2003 format (.xls), which cannot be read. Open it in Excel or WPS, "Save As" Excel Workbook (.xlsx), and import again.',
    ),
  encoding: (enc: string) =>
    new FileRefusal(
      'ENCODING',
      `文件不是有效的 ${enc} 编码文本。请选择正确的编码（UTF-8 或 GBK），或在 Excel/WPS 中另存为“CSV UTF-8”。`,
      `The file is not valid ${enc} text. Choose the right encoding (UTF-8 or GBK), or save it as "CSV UTF-8" in Excel/WPS.`,
    ),
};

// ---------------------------------------------------------------------------------------------------
// ZIP central directory (sizes only), for detection and zip bombs

export interface ZipEntryInfo {
  name: string;
  compressedSize: number;
  uncompressedSize: number;
  encrypted: boolean;
}

const EOCD_SIG = 0x06054b50;
const ZIP64_LOCATOR_SIG = 0x07064b50;
const ZIP64_EOCD_SIG = 0x06064b50;
const CDH_SIG = 0x02014b50;
const MAX_CD_BYTES = 32 * MB;

function u64(buf: Buffer, at: number): number {
  return Number(buf.readBigUInt64LE(at));
}

/**
 * Reads the ZIP central directory: each entry's name, sizes and encryption flag (ZIP64 included).
 * @throws FileRefusal CORRUPT when there is no valid End Of Central Directory record or directory
 */
export async function readZipDirectory(src: ByteSource): Promise<ZipEntryInfo[]> {
  const tailLen = Math.min(src.size, 22 + 0xffff);
  const tail = await src.read(src.size - tailLen, tailLen);
  let eocd = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tail.readUInt32LE(i) === EOCD_SIG) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw refuse.corrupt('找不到 ZIP 目录 / no ZIP directory');
  let count = tail.readUInt16LE(eocd + 10);
  let cdSize = tail.readUInt32LE(eocd + 12);
  let cdOffset = tail.readUInt32LE(eocd + 16);
  if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
    const locAt = eocd - 20;
    if (locAt < 0 || tail.readUInt32LE(locAt) !== ZIP64_LOCATOR_SIG) throw refuse.corrupt('ZIP64 目录缺失 / ZIP64 directory missing');
    const z64At = u64(tail, locAt + 8);
    const z64 = await src.read(z64At, 56);
    if (z64.length < 56 || z64.readUInt32LE(0) !== ZIP64_EOCD_SIG) throw refuse.corrupt('ZIP64 目录损坏 / bad ZIP64 directory');
    count = u64(z64, 32);
    cdSize = u64(z64, 40);
    cdOffset = u64(z64, 48);
  }
  if (cdSize > MAX_CD_BYTES || cdOffset + cdSize > src.size) throw refuse.corrupt('ZIP 目录越界 / ZIP directory out of bounds');
  const cd = await src.read(cdOffset, cdSize);
  const entries: ZipEntryInfo[] = [];
  let p = 0;
  for (let n = 0; n < count; n++) {
    if (p + 46 > cd.length || cd.readUInt32LE(p) !== CDH_SIG) throw refuse.corrupt('ZIP 目录项损坏 / bad ZIP directory entry');
    const flags = cd.readUInt16LE(p + 8);
    let compressedSize = cd.readUInt32LE(p + 20);
    let uncompressedSize = cd.readUInt32LE(p + 24);
    const nameLen = cd.readUInt16LE(p + 28);
    const extraLen = cd.readUInt16LE(p + 30);
    const commentLen = cd.readUInt16LE(p + 32);
    const name = cd.toString('utf8', p + 46, p + 46 + nameLen);
    // ZIP64 extended information: the 0xFFFFFFFF fields, in order, uncompressed then compressed.
    let e = p + 46 + nameLen;
    const extraEnd = e + extraLen;
    while (e + 4 <= extraEnd && extraEnd <= cd.length) {
      const id = cd.readUInt16LE(e);
      const len = cd.readUInt16LE(e + 2);
      if (id === 0x0001) {
        let q = e + 4;
        if (uncompressedSize === 0xffffffff && q + 8 <= e + 4 + len) {
          uncompressedSize = u64(cd, q);
          q += 8;
        }
        if (compressedSize === 0xffffffff && q + 8 <= e + 4 + len) compressedSize = u64(cd, q);
      }
      e += 4 + len;
    }
    entries.push({ name, compressedSize, uncompressedSize, encrypted: (flags & 1) === 1 });
    p = extraEnd + commentLen;
  }
  return entries;
}

/**
 * Refuses a ZIP whose entries would expand too far: more than `maxTotal` bytes in all, or one entry
 * over 10 MB uncompressed with a compression ratio above 200:1.
 * @throws FileRefusal CORRUPT (zip bomb)
 */
export function checkZipBomb(entries: readonly ZipEntryInfo[], maxTotal: number): void {
  let total = 0;
  for (const e of entries) {
    total += e.uncompressedSize;
    if (total > maxTotal) throw refuse.zipBomb();
    if (e.uncompressedSize > RATIO_MIN_SIZE && e.uncompressedSize > MAX_RATIO * Math.max(1, e.compressedSize)) throw refuse.zipBomb();
  }
}

// ---------------------------------------------------------------------------------------------------
// Detection

const OLE_MAGIC = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
const ZIP_MAGIC = Buffer.from([0x50, 0x4b]);
const utf16 = (s: string) => Buffer.from(s, 'utf16le');

/** Whether the source contains `needle` (scanned in 1 MB chunks). */
async function contains(src: ByteSource, needles: Buffer[]): Promise<boolean> {
  const chunk = MB;
  const overlap = Math.max(...needles.map((n) => n.length));
  for (let off = 0; off < src.size; off += chunk) {
    const buf = await src.read(off, chunk + overlap);
    if (needles.some((n) => buf.includes(n))) return true;
  }
  return false;
}

type Kind = 'xlsx' | 'csv';

/** What detect learnt: the kind, and for .xlsx the uncompressed bytes of the sheets and shared strings (for progress). */
interface Detected {
  kind: Kind;
  sheetBytes: number;
}

async function detect(src: ByteSource, fileName: string, limits: ReaderLimits): Promise<Detected> {
  const head = await src.read(0, 8);
  if (head.subarray(0, 8).equals(OLE_MAGIC)) {
    if (await contains(src, [utf16('EncryptionInfo'), utf16('EncryptedPackage')])) throw refuse.encrypted();
    if (await contains(src, [utf16('Workbook'), utf16('Book')])) throw refuse.xls();
    throw refuse.notASpreadsheet('这是 Office 复合文档（如 Word .doc），不是 Excel 表格', 'an Office compound document (such as a Word .doc), not an Excel workbook');
  }
  if (head.subarray(0, 2).equals(ZIP_MAGIC)) {
    const entries = await readZipDirectory(src);
    if (entries.some((e) => e.name === 'xl/workbook.bin')) {
      throw refuse.notASpreadsheet('这是 Excel 二进制工作簿（.xlsb），请在 Excel 中另存为 .xlsx', 'an Excel binary workbook (.xlsb); save it as .xlsx in Excel');
    }
    if (entries.some((e) => e.name === 'content.xml') && entries.some((e) => e.name === 'mimetype')) {
      throw refuse.notASpreadsheet('这是 OpenDocument 文件（如 .ods），请在 WPS 或 LibreOffice 中另存为 .xlsx', 'an OpenDocument file (such as .ods); save it as .xlsx in WPS or LibreOffice');
    }
    if (!entries.some((e) => e.name === 'xl/workbook.xml')) {
      throw refuse.notASpreadsheet('这是 ZIP 压缩文件（或 Word/其他文档），其中没有 Excel 工作簿', 'a ZIP archive (or a Word or other document) without an Excel workbook');
    }
    if (entries.some((e) => e.encrypted)) throw refuse.encrypted();
    checkZipBomb(entries, limits.maxUncompressedBytes ?? DEFAULT_READER_LIMITS.maxUncompressedBytes!);
    const sheetBytes = entries.filter((e) => /^xl\/(worksheets\/[^/]+\.xml|sharedStrings\.xml)$/.test(e.name)).reduce((n, e) => n + e.uncompressedSize, 0);
    return { kind: 'xlsx', sheetBytes };
  }
  const sample = await src.read(0, 1024);
  if (sample[0] === 0xff && sample[1] === 0xfe) return { kind: 'csv', sheetBytes: 0 }; // UTF-16LE text: Excel's "Unicode 文本"
  if (sample.includes(0)) throw refuse.notASpreadsheet('文件内容是二进制数据', 'the file holds binary data');
  const ext = /\.([^.]+)$/.exec(fileName)?.[1]?.toLowerCase() ?? '';
  if (ext === 'csv' || ext === 'txt') return { kind: 'csv', sheetBytes: 0 };
  if (ext === 'xls' || ext === 'xlsx') {
    throw refuse.notASpreadsheet(
      '文件扩展名是 .' + ext + '，但内容是文本或网页，不是真正的 Excel 文件；请在 Excel/WPS 中打开后另存为 .xlsx',
      `named .${ext} but holding text or a web page, not a real Excel file; open it in Excel/WPS and save it as .xlsx`,
    );
  }
  throw refuse.notASpreadsheet(`不支持的文件类型“.${ext}”`, `unsupported file type ".${ext}"`);
}

// ---------------------------------------------------------------------------------------------------
// Cell values and rows

/**
 * One exceljs cell value as a plain cell value: rich text → its text, formula → its result, hyperlink →
 * its text, error → its code ('#N/A'), Date stays a Date.
 */
/**
 * A string of its own. exceljs cuts cell texts out of large XML chunks, and V8 keeps a cut-out string
 * of 13 characters or more as a slice that holds the whole chunk alive: kept in memory for a million
 * rows (ID numbers, 户编号), the chunks took 13 KB per row. Shorter strings are copied by V8 anyway.
 */
function ownString(s: string): string {
  return s.length < 13 ? s : Buffer.from(s, 'utf8').toString('utf8');
}

export function plainCellValue(v: unknown): CellValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return ownString(v);
  if (typeof v === 'number' || typeof v === 'boolean') return v;
  if (v instanceof Date) return v;
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (Array.isArray(o.richText)) return ownString((o.richText as { text?: unknown }[]).map((r) => (typeof r.text === 'string' ? r.text : '')).join(''));
    if ('formula' in o || 'sharedFormula' in o) return plainCellValue(o.result);
    if ('error' in o) return typeof o.error === 'string' ? o.error : null;
    if ('text' in o) return plainCellValue(o.text);
  }
  return null;
}

/** Drops trailing blank rows (bounded: only the row numbers of a pending blank run are held). */
async function* dropTrailingBlank(rows: AsyncIterable<SheetRow>, counter: { n: number; max: number }): AsyncGenerator<SheetRow> {
  let pending: number[] = [];
  for await (const row of rows) {
    if (isBlankRow(row.cells)) {
      pending.push(row.sheetRow);
      continue;
    }
    for (const r of pending) {
      if (++counter.n > counter.max) throw refuse.tooManyRows(counter.max);
      yield { sheetRow: r, cells: [] };
    }
    pending = [];
    if (++counter.n > counter.max) throw refuse.tooManyRows(counter.max);
    yield row;
  }
}

interface ExcelRowLike {
  number: number;
  eachCell(opts: { includeEmpty: boolean }, cb: (cell: { value: unknown }, col: number) => void): void;
}

async function* xlsxRows(ws: AsyncIterable<ExcelRowLike>): AsyncGenerator<SheetRow> {
  for await (const row of ws) {
    const cells: CellValue[] = [];
    row.eachCell({ includeEmpty: false }, (cell, col) => {
      while (cells.length < col - 1) cells.push(null);
      cells[col - 1] = plainCellValue(cell.value);
    });
    yield { sheetRow: row.number, cells };
  }
}

function isRefusal(e: unknown): e is FileRefusal {
  return e instanceof FileRefusal;
}

/** exceljs's WorkbookReader internals wrapped to count inflated bytes (not in its typings). */
interface WorkbookReaderInternals {
  _parseSharedStrings(entry: Readable): AsyncGenerator<unknown>;
  _parseWorksheet(iterator: AsyncIterable<Buffer | string>, sheetNo: string): Generator<unknown>;
}

/**
 * Counts the bytes exceljs inflates from the shared strings and worksheets and refuses the file past
 * `max`: the central directory checked before may lie about sizes. Also decodes the XML as UTF-8 with
 * one streaming decoder per entry and hands exceljs whole strings: exceljs's own `chunk.toString()`
 * per inflated chunk turns a Chinese character split between two chunks into U+FFFD (exceljs
 * issues #2063, #2084), which corrupted about one household in 150 of a large file. (Worksheets stored before the shared
 * strings are first copied to a temporary file by exceljs; they are counted when read back.)
 */
function capInflatedBytes(reader: object, max: number, onInflated?: (bytes: number) => void): void {
  const r = reader as WorkbookReaderInternals;
  let inflated = 0;
  const add = (n: number) => {
    inflated += n;
    if (inflated > max) throw refuse.zipBomb();
    onInflated?.(inflated);
  };
  const parseSharedStrings = r._parseSharedStrings.bind(reader);
  r._parseSharedStrings = (entry) => {
    const dec = new TextDecoder('utf-8');
    const counted = new Transform({
      readableObjectMode: true,
      transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback) {
        try {
          add(chunk.length);
          const text = dec.decode(chunk, { stream: true });
          cb(null, text === '' ? undefined : text);
        } catch (e) {
          cb(e as Error);
        }
      },
      flush(cb: TransformCallback) {
        const rest = dec.decode();
        cb(null, rest === '' ? undefined : rest);
      },
    });
    entry.on('error', (e) => counted.destroy(e));
    return parseSharedStrings(entry.pipe(counted));
  };
  const parseWorksheet = r._parseWorksheet.bind(reader);
  r._parseWorksheet = (iterator, sheetNo) => {
    async function* counted(): AsyncGenerator<string> {
      const dec = new TextDecoder('utf-8');
      for await (const chunk of iterator) {
        if (typeof chunk === 'string') {
          add(Buffer.byteLength(chunk));
          yield chunk;
          continue;
        }
        add(chunk.length);
        const text = dec.decode(chunk, { stream: true });
        if (text !== '') yield text;
      }
      const rest = dec.decode();
      if (rest !== '') yield rest;
    }
    return parseWorksheet(counted(), sheetNo);
  };
}

async function* readXlsx(src: ByteSource, counter: { n: number; max: number }, maxInflated: number, onInflated?: (bytes: number) => void): AsyncGenerator<Sheet> {
  const bytes = src.stream();
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(bytes, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    // Styles are needed to tell dates from numbers (a date is a number with a date format).
    styles: 'cache',
    entries: 'ignore',
  });
  capInflatedBytes(reader, maxInflated, onInflated);
  try {
    for await (const ws of reader) {
      const name = (ws as unknown as { name?: string }).name ?? 'Sheet';
      const rows = dropTrailingBlank(xlsxRows(ws as unknown as AsyncIterable<ExcelRowLike>), counter);
      yield { name, rows };
    }
  } catch (e) {
    if (isRefusal(e)) throw e;
    throw refuse.corrupt(e instanceof Error ? e.message.slice(0, 120) : 'unknown');
  } finally {
    // A caller that stops early (header errors) must not leave the file open.
    bytes.destroy();
  }
}

// ---------------------------------------------------------------------------------------------------
// CSV

/** A fatal UTF-8 decoder as a stream: invalid bytes fail with ENCODING instead of becoming U+FFFD. */
function utf8Decoder(): Transform {
  const dec = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
  return new Transform({
    readableObjectMode: false,
    decodeStrings: true,
    transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback) {
      try {
        cb(null, dec.decode(chunk, { stream: true }));
      } catch {
        cb(refuse.encoding('UTF-8'));
      }
    },
    flush(cb: TransformCallback) {
      try {
        cb(null, dec.decode());
      } catch {
        cb(refuse.encoding('UTF-8'));
      }
    },
  });
}

/** Which encoding a CSV sample is in: valid UTF-8 (a cut character at the end allowed) or GB18030. */
export function detectCsvEncoding(sample: Buffer): 'utf-8' | 'gb18030' {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(sample, { stream: true });
    return 'utf-8';
  } catch {
    return 'gb18030';
  }
}

/**
 * 64 KB from the first byte above 0x7F (the sample itself when it has one): a file whose first lines are
 * ASCII still has its encoding told by its first Chinese text. Only bytes are scanned.
 */
async function firstNonAsciiWindow(src: ByteSource, sample: Buffer): Promise<Buffer> {
  if (sample.some((b) => b > 0x7f)) return sample;
  for (let off = sample.length; off < src.size; off += MB) {
    const chunk = await src.read(off, MB);
    const i = chunk.findIndex((b) => b > 0x7f);
    if (i >= 0) return src.read(off + i, 64 * 1024);
  }
  return sample;
}

/**
 * The field delimiter from the first line of the sample: a tab when the line has more tabs than commas
 * (Excel's "Unicode 文本" and tab-separated .txt), else a comma.
 */
export function sniffDelimiter(sample: Buffer, enc: string): ',' | '\t' {
  const text = iconv.decode(sample, enc);
  const first = text.slice(0, Math.max(0, text.indexOf('\n')) || text.length);
  const count = (ch: string) => first.split(ch).length - 1;
  return count('\t') > count(',') ? '\t' : ',';
}

async function* readCsv(src: ByteSource, input: SpreadsheetInput, counter: { n: number; max: number }): AsyncGenerator<Sheet> {
  let enc: 'utf-8' | 'gb18030' | 'gbk' | 'utf-16le';
  const chosen = input.encoding ?? 'auto';
  const sample = await src.read(0, 64 * 1024);
  if (sample[0] === 0xff && sample[1] === 0xfe) enc = 'utf-16le';
  else if (chosen === 'auto') enc = detectCsvEncoding(await firstNonAsciiWindow(src, sample));
  else enc = chosen;
  const decoder: Transform = enc === 'utf-8' ? utf8Decoder() : (iconv.decodeStream(enc) as unknown as Transform);
  const parser = parseCsv({ relax_column_count: true, relax_quotes: false, skip_empty_lines: false, bom: true, delimiter: sniffDelimiter(sample, enc) });
  const bytes = src.stream();
  bytes.on('error', (e) => decoder.destroy(e));
  decoder.on('error', (e) => parser.destroy(e));
  bytes.pipe(decoder).pipe(parser);
  async function* records(): AsyncGenerator<SheetRow> {
    let n = 0;
    try {
      for await (const rec of parser as AsyncIterable<string[]>) yield { sheetRow: ++n, cells: rec };
    } catch (e) {
      if (isRefusal(e)) throw e;
      throw refuse.corrupt(e instanceof Error ? e.message.slice(0, 120) : 'unknown');
    } finally {
      bytes.destroy();
    }
  }
  const name = input.fileName.replace(/^.*[\\/]/, '').replace(/\.[^.]*$/, '') || 'Sheet1';
  yield { name, rows: dropTrailingBlank(records(), counter) };
}

// ---------------------------------------------------------------------------------------------------

/**
 * Reads a spreadsheet file as sheets of rows, streaming. Each sheet's `rows` must be consumed before
 * the next sheet is asked for (the .xlsx is read in one pass).
 * @param input a path or a buffer, the user's file name, and for CSV the encoding ('auto' by default)
 * @param limits maxBytes (default 100 MB), maxRows over all sheets (default 2,000,000),
 *   maxUncompressedBytes for .xlsx (default 1 GB)
 * @returns an async iterable of `{ name, rows }`, rows `{ sheetRow (1-based), cells }`
 * @throws FileRefusal (from the iteration) EMPTY, TOO_LARGE, TOO_MANY_ROWS, ENCRYPTED, CORRUPT (also zip
 *   bombs), NOT_A_SPREADSHEET, XLS_UNSUPPORTED, ENCODING
 */
export async function* readSpreadsheet(input: SpreadsheetInput, limits: ReaderLimits = DEFAULT_READER_LIMITS): AsyncGenerator<Sheet> {
  const src = await openSource(input);
  try {
    if (src.size === 0) throw refuse.empty();
    if (src.size > limits.maxBytes) throw refuse.tooLarge(src.size, limits.maxBytes);
    const { kind, sheetBytes } = await detect(src, input.fileName, limits);
    const counter = { n: 0, max: limits.maxRows };
    if (kind === 'xlsx') {
      // Progress of an .xlsx: the XML inflated so far against the sizes its ZIP directory gives.
      const progress = input.onBytes ? (n: number) => input.onBytes!(Math.min(n, sheetBytes), sheetBytes) : undefined;
      yield* readXlsx(src, counter, limits.maxUncompressedBytes ?? DEFAULT_READER_LIMITS.maxUncompressedBytes!, progress);
    } else {
      const csvSrc: ByteSource = { ...src, stream: () => counted(src.stream(), src.size, input.onBytes) };
      yield* readCsv(csvSrc, input, counter);
    }
  } finally {
    await src.close();
  }
}

/**
 * Reads a whole spreadsheet into memory as `{ name, rows }` with rows as a 2-D array (row 0 = sheet
 * row 1, gaps filled with empty rows), for small files and tests; imports should stream.
 * @throws FileRefusal as readSpreadsheet
 */
export async function readSpreadsheetToArrays(input: SpreadsheetInput, limits: ReaderLimits = DEFAULT_READER_LIMITS): Promise<{ name: string; rows: CellValue[][] }[]> {
  const out: { name: string; rows: CellValue[][] }[] = [];
  for await (const sheet of readSpreadsheet(input, limits)) {
    const rows: CellValue[][] = [];
    for await (const r of sheet.rows) {
      while (rows.length < r.sheetRow - 1) rows.push([]);
      rows[r.sheetRow - 1] = r.cells;
    }
    out.push({ name: sheet.name, rows });
  }
  return out;
}
