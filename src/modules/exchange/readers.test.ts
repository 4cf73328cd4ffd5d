import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32, deflateRawSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { checkCharacter } from '../../shared/id-number.ts';
import { detectHeader } from './headers.ts';
import { groupPersonRows } from './person-list.ts';
import { FileRefusal, readSpreadsheet, readSpreadsheetToArrays, type ReaderLimits, type SpreadsheetInput } from './readers.ts';

const id = (first17: string) => first17 + checkCharacter(first17);
// Synthetic people only.
const HEAD1 = id('43018119700312203');
const WIFE1 = id('43018119720501204');
const HEAD2 = id('43018119650101101');

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fupin-readers-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function refusal(input: SpreadsheetInput, limits?: ReaderLimits): Promise<FileRefusal> {
  try {
    await readSpreadsheetToArrays(input, limits);
  } catch (e) {
    if (e instanceof FileRefusal) return e;
    throw e;
  }
  throw new Error('expected a refusal');
}

const CJK = /[\u4e00-\u9fff]/;

async function personListXlsx(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('人员名单');
  // Two-row header: 所在地区 over 县/乡镇/行政村; 户编号, 姓名, 证件号码, 与户主关系, 人数, 首次识别时间 merged vertically.
  ws.addRow(['户编号', '所在地区', null, null, '姓名', '证件号码', '与户主关系', '人数', '首次识别时间']);
  ws.addRow([null, '县', '乡镇', '行政村', null, null, null, null, null]);
  ws.mergeCells('B1:D1');
  for (const col of ['A', 'E', 'F', 'G', 'H', 'I']) ws.mergeCells(`${col}1:${col}2`);
  ws.addRow(['430181125201001', '浏阳市', '大围山镇', '中岳村', null, HEAD1, '户主', { formula: 'COUNTIF(A:A,A3)', result: 2 }, new Date(Date.UTC(2019, 2, 15))]);
  ws.getCell('E3').value = { richText: [{ text: '张', font: { bold: true } }, { text: '三' }] };
  ws.getCell('I3').numFmt = 'yyyy-mm-dd';
  // The spouse's ID number was stored as a number: its last digits are lost.
  ws.addRow(['430181125201001', '浏阳市', '大围山镇', '中岳村', '王芳', Number(WIFE1.slice(0, 17)) * 10, '配偶', 2, null]);
  ws.addRow(['430181125201002', '浏阳市', '大围山镇', '中岳村', { text: '李四', hyperlink: 'https://example.invalid/' }, HEAD2, '户主', 1, null]);
  // Formatted but empty trailing rows, as spreadsheets carry them.
  for (let r = 6; r <= 9; r++) ws.getCell(`A${r}`).numFmt = '@';
  ws.getRow(9).getCell(2).value = '';
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describe('readSpreadsheet: .xlsx', () => {
  it('tells how far it is: the XML inflated against the sizes in the ZIP directory', async () => {
    const { PassThrough } = await import('node:stream');
    const chunks: Buffer[] = [];
    const out = new PassThrough();
    out.on('data', (c: Buffer) => chunks.push(c));
    const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false });
    const ws = wb.addWorksheet('人员名单');
    for (let i = 0; i < 20000; i++) ws.addRow([`第${i}行`, i, '中岳村大围山镇浏阳市']).commit();
    ws.commit();
    await wb.commit();
    let read = 0;
    let total = 0;
    const atHalf: number[] = [];
    for await (const sheet of readSpreadsheet({ buffer: Buffer.concat(chunks), fileName: 'p.xlsx', onBytes: (r, t) => ((read = r), (total = t)) })) {
      for await (const r of sheet.rows) if (r.sheetRow === 10000) atHalf.push(read / total);
    }
    expect(total).toBeGreaterThan(500_000);
    expect(read).toBe(total);
    // Half the rows read: about half the XML inflated (not the whole file at once).
    expect(atHalf[0]).toBeGreaterThan(0.3);
    expect(atHalf[0]).toBeLessThan(0.7);
  });

  it('keeps every Chinese character of a large sheet, inline strings and shared strings alike', async () => {
    // Thousands of rows of three-byte characters: inflated chunks end inside a character many times.
    const text = (i: number) => `贫困户属性一般贫困户${i}号中岳村大围山镇${'甲乙丙丁戊己庚辛壬癸'.slice(i % 10)}`;
    for (const useSharedStrings of [false, true]) {
      const chunks: Buffer[] = [];
      const { PassThrough } = await import('node:stream');
      const out = new PassThrough();
      out.on('data', (c: Buffer) => chunks.push(c));
      const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings });
      const ws = wb.addWorksheet('人员名单');
      for (let i = 0; i < 6000; i++) ws.addRow([text(i), `第${i}行`]).commit();
      ws.commit();
      await wb.commit();
      const sheets = await readSpreadsheetToArrays({ buffer: Buffer.concat(chunks), fileName: 'big.xlsx' });
      const rows = sheets[0]!.rows;
      expect(rows).toHaveLength(6000);
      const broken = rows.filter((r, i) => r[0] !== text(i) || r[1] !== `第${i}行`);
      expect(broken.map((r) => r[0]).slice(0, 3), `useSharedStrings ${useSharedStrings}`).toEqual([]);
    }
  });

  it('reads a person list end to end: merged two-row header, rich text, formula, date, ID as number', async () => {
    const sheets = await readSpreadsheetToArrays({ buffer: await personListXlsx(), fileName: 'list.XLSX' });
    expect(sheets).toHaveLength(1);
    const { name, rows } = sheets[0]!;
    expect(name).toBe('人员名单');
    expect(rows).toHaveLength(5); // trailing blank rows dropped
    // Merged cells: the value in the first cell, empty in the others.
    expect(rows[0]!.slice(0, 4)).toEqual(['户编号', '所在地区', null, null]);
    expect(rows[1]![0] ?? null).toBeNull();
    expect(rows[2]![4]).toBe('张三');
    expect(rows[2]![7]).toBe(2);
    expect(rows[2]![8]).toBeInstanceOf(Date);
    expect(rows[4]![4]).toBe('李四');

    const header = detectHeader(rows);
    expect(header.twoRow).toBe(true);
    expect(header.problems.filter((p) => p.severity === 'error')).toEqual([]);
    const result = groupPersonRows(rows, header);
    expect(result.rowCount).toBe(3);
    const [h1, h2] = result.households;
    expect(h1!.rejected).toBe(true);
    expect(h1!.problems.map((p) => [p.sheetRow, p.reason])).toContainEqual([4, 'idNumberPrecisionLost']);
    expect(h2!.rejected).toBe(false);
    expect(h2!.members[0]!.values.name).toBe('李四');
    expect(h1!.members[0]!.values.name).toBe('张三');
    expect(h1!.extras.firstIdentifiedDate).toBe('2019-03-15');
  });

  it('reads the same file from a path, streaming rows with their sheet row numbers', async () => {
    const path = join(dir, 'list.xlsx');
    await writeFile(path, await personListXlsx());
    const seen: number[] = [];
    for await (const sheet of readSpreadsheet({ path, fileName: 'list.xlsx' })) {
      for await (const row of sheet.rows) seen.push(row.sheetRow);
    }
    expect(seen).toEqual([1, 2, 3, 4, 5]);
  });

  it('reads every sheet in order and keeps blank rows between data rows', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('一组').addRows([['姓名'], ['张三']]);
    const two = wb.addWorksheet('二组');
    two.getCell('A1').value = '姓名';
    two.getCell('B4').value = '李四';
    const sheets = await readSpreadsheetToArrays({ buffer: Buffer.from(await wb.xlsx.writeBuffer()), fileName: 'b.xlsx' });
    expect(sheets.map((s) => s.name)).toEqual(['一组', '二组']);
    expect(sheets[1]!.rows).toEqual([['姓名'], [], [], [null, '李四']]);
  });

  it('lets a caller stop after the header rows and read the file again', async () => {
    const path = join(dir, 'early.xlsx');
    await writeFile(path, await personListXlsx());
    for (let i = 0; i < 2; i++) {
      const firstRows: number[] = [];
      for await (const sheet of readSpreadsheet({ path, fileName: 'early.xlsx' })) {
        for await (const row of sheet.rows) {
          firstRows.push(row.sheetRow);
          if (firstRows.length === 2) break;
        }
        break;
      }
      expect(firstRows).toEqual([1, 2]);
    }
  });

  it('refuses more rows than the limit', async () => {
    const e = await refusal({ buffer: await personListXlsx(), fileName: 'a.xlsx' }, { maxBytes: 10 * 1024 * 1024, maxRows: 3 });
    expect(e.code).toBe('TOO_MANY_ROWS');
    expect(e.message).toMatch(CJK);
  });
});

// CSV with quoted fields holding commas, quotes and a line break.
const CSV_TEXT = '姓名,证件号码,备注\r\n张三,"430181197003122031","住址：大围山镇, 中岳村"\r\n"李""四",x,"第一行\n第二行"\r\n,,\r\n\r\n';
const CSV_ROWS = [
  ['姓名', '证件号码', '备注'],
  ['张三', '430181197003122031', '住址：大围山镇, 中岳村'],
  ['李"四', 'x', '第一行\n第二行'],
];

describe('readSpreadsheet: .csv', () => {
  it.each([
    ['UTF-8 with BOM', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(CSV_TEXT, 'utf8')])],
    ['UTF-8 without BOM', Buffer.from(CSV_TEXT, 'utf8')],
    ['GBK', iconv.encode(CSV_TEXT, 'gbk')],
  ])('reads %s with RFC 4180 quoting and drops trailing blank rows', async (_label, buffer) => {
    const sheets = await readSpreadsheetToArrays({ buffer, fileName: '名单.csv' });
    expect(sheets).toEqual([{ name: '名单', rows: CSV_ROWS }]);
  });

  it('reads a GBK file from a path with the encoding chosen', async () => {
    const path = join(dir, 'gbk.csv');
    await writeFile(path, iconv.encode(CSV_TEXT, 'gbk'));
    const sheets = await readSpreadsheetToArrays({ path, fileName: 'gbk.csv', encoding: 'gbk' });
    expect(sheets[0]!.rows).toEqual(CSV_ROWS);
  });

  it('reads Excel\'s "Unicode 文本" (UTF-16LE with BOM, tab separated)', async () => {
    const text = '\ufeff姓名\t备注\r\n张三\t"a, b"\r\n';
    const sheets = await readSpreadsheetToArrays({ buffer: iconv.encode(text, 'utf-16le'), fileName: '名单.txt' });
    expect(sheets[0]!.rows).toEqual([
      ['姓名', '备注'],
      ['张三', 'a, b'],
    ]);
  });

  it('reads an .xlsx by its content even when it is named .csv', async () => {
    const sheets = await readSpreadsheetToArrays({ buffer: await personListXlsx(), fileName: 'list.csv' });
    expect(sheets[0]!.name).toBe('人员名单');
  });

  it('detects GBK that first appears after 64 KB of ASCII rows', async () => {
    const ascii = 'H,ID\n' + '1,x\n'.repeat(20_000);
    const sheets = await readSpreadsheetToArrays({ buffer: Buffer.concat([Buffer.from(ascii), iconv.encode('2,张三\n', 'gbk')]), fileName: 'late.csv' });
    expect(sheets[0]!.rows.at(-1)).toEqual(['2', '张三']);
  });

  it('refuses GBK bytes read as UTF-8 when UTF-8 is chosen', async () => {
    const e = await refusal({ buffer: iconv.encode(CSV_TEXT, 'gbk'), fileName: 'a.csv', encoding: 'utf-8' });
    expect(e.code).toBe('ENCODING');
    expect(e.message).toMatch(CJK);
  });

  it('refuses more rows than the limit', async () => {
    const e = await refusal({ buffer: Buffer.from('a\nb\nc\nd\n'), fileName: 'a.csv' }, { maxBytes: 1000, maxRows: 3 });
    expect(e.code).toBe('TOO_MANY_ROWS');
    expect(e.message).toMatch(CJK);
  });
});

// ---- hand-made containers

function ole2(streamName: string): Buffer {
  const buf = Buffer.alloc(2048);
  Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).copy(buf, 0);
  Buffer.from(streamName, 'utf16le').copy(buf, 1024);
  return buf;
}

interface ZipSpec {
  name: string;
  data: Buffer;
  /** Sizes claimed in the central directory (default: the real ones). */
  claimUncompressed?: number;
  deflate?: boolean;
}

/** A ZIP of stored or deflated entries, sizes in the central directory as claimed. */
function zip(entries: ZipSpec[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    const data = e.deflate ? deflateRawSync(e.data) : e.data;
    const method = e.deflate ? 8 : 0;
    const crc = crc32(e.data);
    const claimed = e.claimUncompressed ?? e.data.length;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(claimed, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(claimed, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, data);
    centrals.push(central, name);
    offset += local.length + name.length + data.length;
  }
  const cd = Buffer.concat(centrals);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(entries.length, 8);
  eocd.writeUInt16LE(entries.length, 10);
  eocd.writeUInt32LE(cd.length, 12);
  eocd.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, eocd]);
}

describe('readSpreadsheet: refusals', () => {
  it.each<[string, () => Buffer | Promise<Buffer>, string, string]>([
    ['an empty file', () => Buffer.alloc(0), 'a.xlsx', 'EMPTY'],
    ['a password-protected .xlsx (OLE2 with EncryptionInfo)', () => ole2('EncryptionInfo'), 'a.xlsx', 'ENCRYPTED'],
    ['a legacy .xls (OLE2 with Workbook)', () => ole2('Workbook'), 'a.xls', 'XLS_UNSUPPORTED'],
    ['a Word .doc (OLE2 without a workbook)', () => ole2('WordDocument'), 'a.doc', 'NOT_A_SPREADSHEET'],
    ['random binary named .csv', () => Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)), 'a.csv', 'NOT_A_SPREADSHEET'],
    ['a ZIP without a workbook', () => zip([{ name: 'readme.txt', data: Buffer.from('hello') }]), 'a.xlsx', 'NOT_A_SPREADSHEET'],
    ['a web page named .xls', () => Buffer.from('<html><table><tr><td>姓名</td></tr></table></html>'), 'a.xls', 'NOT_A_SPREADSHEET'],
    ['a ZIP with an encrypted entry', () => {
      const z = zip([{ name: 'xl/workbook.xml', data: Buffer.from('<workbook/>') }]);
      z.writeUInt16LE(1, z.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02])) + 8);
      return z;
    }, 'a.xlsx', 'ENCRYPTED'],
    ['an .xlsb', () => zip([{ name: 'xl/workbook.bin', data: Buffer.from('x') }]), 'a.xlsb', 'NOT_A_SPREADSHEET'],
    ['an .ods', () => zip([{ name: 'mimetype', data: Buffer.from('application/vnd.oasis.opendocument.spreadsheet') }, { name: 'content.xml', data: Buffer.from('<x/>') }]), 'a.ods', 'NOT_A_SPREADSHEET'],
    ['a truncated ZIP', async () => (await personListXlsx()).subarray(0, 200), 'a.xlsx', 'CORRUPT'],
    [
      'a zip bomb (an entry claiming 5 GB)',
      () => zip([{ name: 'xl/workbook.xml', data: Buffer.from('<workbook/>') }, { name: 'xl/worksheets/sheet1.xml', data: Buffer.alloc(100), claimUncompressed: 0xfffffff0 }, { name: 'xl/worksheets/sheet2.xml', data: Buffer.alloc(100), claimUncompressed: 0xfffffff0 }]),
      'a.xlsx',
      'CORRUPT',
    ],
    [
      'a zip bomb (one entry 20 MB from 1 KB)',
      () => zip([{ name: 'xl/workbook.xml', data: Buffer.from('<workbook/>') }, { name: 'xl/sharedStrings.xml', data: Buffer.alloc(1024), claimUncompressed: 20 * 1024 * 1024 }]),
      'a.xlsx',
      'CORRUPT',
    ],
  ])('refuses %s', async (_label, make, fileName, code) => {
    const e = await refusal({ buffer: await make(), fileName });
    expect(e.code).toBe(code);
    expect(e.message).toMatch(CJK);
    expect(e.messageEn).not.toBe('');
    expect(Object.keys(e.toJSON())).toEqual(['code', 'message', 'messageEn']);
  });

  it('refuses a ZIP whose directory understates what an entry inflates to, while streaming', async () => {
    const rels = '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"></Relationships>';
    const book = '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets/></workbook>';
    const strings = '<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' + '<si><t>a</t></si>'.repeat(200_000) + '</sst>';
    const buffer = zip([
      { name: 'xl/workbook.xml', data: Buffer.from(book) },
      { name: 'xl/_rels/workbook.xml.rels', data: Buffer.from(rels) },
      { name: 'xl/sharedStrings.xml', data: Buffer.from(strings), deflate: true, claimUncompressed: 100 },
    ]);
    const e = await refusal({ buffer, fileName: 'a.xlsx' }, { maxBytes: 10 * 1024 * 1024, maxRows: 10, maxUncompressedBytes: 1024 * 1024 });
    expect(e.code).toBe('CORRUPT');
    expect(e.message).toContain('压缩炸弹');
  });

  it('tells the user to save an .xls as .xlsx in Excel or WPS', async () => {
    const e = await refusal({ buffer: ole2('Workbook'), fileName: 'a.xls' });
    expect(e.message).toContain('.xlsx');
    expect(e.message).toContain('WPS');
  });

  it('refuses a file over the byte limit, from a path too', async () => {
    const path = join(dir, 'big.csv');
    await writeFile(path, 'a,b\n'.repeat(100));
    const e = await refusal({ path, fileName: 'big.csv' }, { maxBytes: 100, maxRows: 10 });
    expect(e.code).toBe('TOO_LARGE');
    expect(e.message).toMatch(CJK);
  });
});
