import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkCharacter } from '../../shared/id-number.ts';
import type { CellValue } from './cells.ts';
import type { ImportProblem } from './contract.ts';
import { detectHeader } from './headers.ts';
import { groupPersonRows, type ParsedHousehold } from './person-list.ts';
import { readSpreadsheetToArrays } from './readers.ts';
import { PROBLEM_COLUMN_HEADER, PROBLEM_LIST_SHEET, REPORT_FILLS, problemText, writeImportReport, type ReportInput } from './report.ts';

const id = (first17: string) => first17 + checkCharacter(first17);
// Synthetic people, region 430181.
const HEAD_A = id('43018119700312203');
const BAD_A = HEAD_A.slice(0, 17) + (HEAD_A.endsWith('1') ? '2' : '1'); // wrong check character
const HEAD_B = id('43018119650101101');
const HEAD_C = id('43018119800202303');

const SHEET = '名单';
const HEADER = ['县(市、区、旗)', '乡(镇)', '行政村', '户编号', '姓名', '证件号码', '人数', '与户主关系', '出生日期'];
const utc = (y: number, m: number, d: number) => new Date(Date.UTC(y, m - 1, d));
/** Sheet rows 1..6: a title, the header, household A (rows 3–4, an invalid ID number), B (row 5, 人数 says 2), C (row 6). */
const ROWS: CellValue[][] = [
  ['建档立卡人员名单'],
  HEADER,
  ['浏阳市', '大围山镇', '中岳村', '430181125201001', '张三', HEAD_A, 2, '户主', utc(1970, 3, 12)],
  ['浏阳市', '大围山镇', '中岳村', '430181125201001', '李四', BAD_A, 2, '配偶', null],
  ['浏阳市', '大围山镇', '中岳村', '430181125201002', '王五', HEAD_B, 2, '户主', utc(1965, 1, 1)],
  ['浏阳市', '大围山镇', '中岳村', '430181125201003', '赵六', HEAD_C, 1, '户主', null],
];

async function sourceXlsx(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(SHEET);
  ROWS.forEach((cells, i) => {
    const row = ws.getRow(i + 1);
    cells.forEach((v, c) => {
      if (v === null || v === undefined) return;
      const cell = row.getCell(c + 1);
      cell.value = v;
      if (v instanceof Date) cell.numFmt = 'yyyy-mm-dd';
      else if (typeof v === 'string') cell.numFmt = '@';
    });
  });
  const notes = wb.addWorksheet('说明');
  notes.getCell('A1').value = '本表由村里填写';
  return Buffer.from((await wb.xlsx.writeBuffer()) as ArrayBuffer);
}

/** What the import would hand over: groupPersonRows' problems with the sheet name, and the rejected households' rows. */
function importOutcome(rows: CellValue[][], sheet: string): { problems: ImportProblem[]; rejectedRows: Map<string, Set<number>>; households: ParsedHousehold[] } {
  const header = detectHeader(rows);
  const r = groupPersonRows(rows, header);
  const headerProblems: ImportProblem[] = header.problems.map((p) => ({ sheet, sheetRow: 0, column: p.header ?? '', value: '', reason: p.kind, severity: p.severity, message: p.message, messageEn: p.messageEn }));
  return {
    problems: [...headerProblems, ...r.problems.map((p) => ({ ...p, sheet }))],
    rejectedRows: new Map([[sheet, new Set(r.households.filter((h) => h.rejected).flatMap((h) => h.sheetRows))]]),
    households: r.households,
  };
}

async function write(input: ReportInput, kind: 'report' | 'rejected'): Promise<{ buffer: Buffer; rows: number }> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const { rows } = await writeImportReport(input, kind, out);
  return { buffer: Buffer.concat(chunks), rows };
}

async function load(buffer: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buffer as unknown as ArrayBuffer);
  return wb;
}

const fillOf = (cell: ExcelJS.Cell) => (cell.fill as ExcelJS.FillPattern | undefined)?.fgColor?.argb;

describe('problemText', () => {
  it('lists errors first, each with its level and column', () => {
    const p = (severity: 'error' | 'warning', column: string, message: string): ImportProblem => ({ sheet: 's', sheetRow: 3, column, value: '', reason: 'r', severity, message, messageEn: '' });
    expect(problemText([p('warning', '人数', '人数不符'), p('error', '证件号码', '校验码不对'), p('error', '', '没有户主')])).toBe('错误：证件号码：校验码不对；错误：没有户主；警告：人数：人数不符');
  });
});

describe('writeImportReport', () => {
  let source: Buffer;
  let input: ReportInput;
  let households: ParsedHousehold[];

  beforeAll(async () => {
    source = await sourceXlsx();
    const read = await readSpreadsheetToArrays({ buffer: source, fileName: '名单.xlsx' });
    const outcome = importOutcome(read[0]!.rows, SHEET);
    input = { source: { buffer: source, fileName: '名单.xlsx' }, problems: outcome.problems, rejectedRows: outcome.rejectedRows };
    households = outcome.households;
  });

  it('the fixture: household A rejected for its ID number, B with a warning, C clean', () => {
    expect(households.map((h) => [h.householdNo, h.rejected])).toEqual([
      ['430181125201001', true],
      ['430181125201002', false],
      ['430181125201003', false],
    ]);
    expect(input.rejectedRows.get(SHEET)).toEqual(new Set([3, 4]));
    expect(input.problems.map((p) => [p.sheetRow, p.severity])).toEqual([
      [4, 'error'],
      [5, 'warning'],
    ]);
  });

  it('report: 问题清单 first, then every row where it was with its problems, red for errors and yellow for warnings', async () => {
    const { buffer, rows } = await write(input, 'report');
    expect(rows).toBe(4);
    const wb = await load(buffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual([PROBLEM_LIST_SHEET, SHEET, '说明']);

    const list = wb.getWorksheet(PROBLEM_LIST_SHEET)!;
    expect((list.getRow(1).values as unknown[]).slice(1)).toEqual(['工作表', '行号', '列', '值', '级别', '问题', 'Problem (English)']);
    expect((list.getRow(2).values as unknown[]).slice(1, 6)).toEqual([SHEET, 4, '证件号码', BAD_A, '错误']);
    expect(list.getRow(2).getCell(6).value).toBe(input.problems[0]!.message);
    expect(list.getRow(2).getCell(7).value).toBe(input.problems[0]!.messageEn);
    expect(list.getRow(3).getCell(5).value).toBe('警告');
    expect(list.rowCount).toBe(3);

    const ws = wb.getWorksheet(SHEET)!;
    const pc = HEADER.length + 1;
    expect(ws.getRow(1).getCell(1).value).toBe('建档立卡人员名单');
    expect(ws.getRow(2).getCell(pc).value).toBe(PROBLEM_COLUMN_HEADER);
    expect(ws.getRow(1).getCell(pc).value).toBeNull();
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 2 });
    // Text stays text: every digit of the ID numbers, 户编号 too.
    expect(ws.getRow(3).getCell(6).value).toBe(HEAD_A);
    expect(ws.getRow(3).getCell(6).numFmt).toBe('@');
    expect(ws.getRow(4).getCell(6).value).toBe(BAD_A);
    expect(ws.getRow(3).getCell(4).value).toBe('430181125201001');
    expect(ws.getRow(3).getCell(7).value).toBe(2);
    expect(ws.getRow(3).getCell(9).value).toEqual(utc(1970, 3, 12));
    expect(ws.getRow(3).getCell(9).numFmt).toBe('yyyy-mm-dd');

    expect(ws.getRow(4).getCell(pc).value).toBe(`错误：证件号码：${input.problems[0]!.message}`);
    expect(ws.getRow(5).getCell(pc).value).toBe(`警告：人数：${input.problems[1]!.message}`);
    // 张三's own row has no problem, but his household is returned whole: the row says so.
    expect(ws.getRow(3).getCell(pc).value).toBe('错误：整户退回：同户其他行有错误');
    expect(fillOf(ws.getRow(4).getCell(1))).toBe(REPORT_FILLS.error);
    expect(fillOf(ws.getRow(4).getCell(pc))).toBe(REPORT_FILLS.error);
    expect(fillOf(ws.getRow(5).getCell(2))).toBe(REPORT_FILLS.warning);
    expect(fillOf(ws.getRow(3).getCell(1))).toBe(REPORT_FILLS.error);
    expect(fillOf(ws.getRow(6).getCell(1))).toBeUndefined();
    expect(ws.getRow(6).getCell(5).value).toBe('赵六');

    expect(wb.getWorksheet('说明')!.getCell('A1').value).toBe('本表由村里填写');
  });

  it('report: a header problem (sheetRow 0) is listed in 问题清单 only', async () => {
    const headerProblem: ImportProblem = { sheet: SHEET, sheetRow: 0, column: '备注', value: '', reason: 'unknownColumn', severity: 'warning', message: '未识别的列“备注”', messageEn: 'Unknown column' };
    const { buffer } = await write({ ...input, problems: [headerProblem, ...input.problems] }, 'report');
    const wb = await load(buffer);
    const list = wb.getWorksheet(PROBLEM_LIST_SHEET)!;
    expect((list.getRow(2).values as unknown[]).slice(1, 6)).toEqual([SHEET, '表头', '备注', undefined, '警告']);
    const ws = wb.getWorksheet(SHEET)!;
    for (let r = 1; r <= 6; r++) expect(String(ws.getRow(r).getCell(HEADER.length + 1).value ?? '')).not.toContain('备注');
  });

  it('rejected: the header rows and the rejected households only, which read back as the same households', async () => {
    const { buffer, rows } = await write(input, 'rejected');
    expect(rows).toBe(2);
    const wb = await load(buffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual([SHEET]);
    const ws = wb.getWorksheet(SHEET)!;
    expect(ws.rowCount).toBe(4);
    expect(ws.getRow(1).getCell(1).value).toBe('建档立卡人员名单');
    expect((ws.getRow(2).values as unknown[]).slice(1)).toEqual([...HEADER, PROBLEM_COLUMN_HEADER]);
    expect(ws.getRow(3).getCell(5).value).toBe('张三');
    expect(ws.getRow(4).getCell(5).value).toBe('李四');
    expect(ws.getRow(4).getCell(6).value).toBe(BAD_A);
    expect(ws.getRow(4).getCell(HEADER.length + 1).value).toBe(`错误：证件号码：${input.problems[0]!.message}`);
    expect(fillOf(ws.getRow(4).getCell(1))).toBe(REPORT_FILLS.error);

    // Re-import: the problem column is recognised (and ignored); the households are those rejected.
    const [sheet] = await readSpreadsheetToArrays({ buffer, fileName: '退回.xlsx' });
    const header = detectHeader(sheet!.rows);
    expect(header.missingRequired).toEqual([]);
    expect(header.problems).toEqual([]);
    const again = groupPersonRows(sheet!.rows, header);
    const strip = (h: ParsedHousehold) => ({
      householdNo: h.householdNo,
      area: h.area,
      fields: h.fields,
      extras: h.extras,
      members: h.members.map((m) => m.values),
      rejected: h.rejected,
      problems: h.problems.map((p) => [p.column, p.reason, p.message]),
    });
    expect(again.households.map(strip)).toEqual(households.filter((h) => h.rejected).map(strip));
  });

  it('rejected: a file with no rejected household gives a sheet that says so', async () => {
    const { buffer, rows } = await write({ ...input, rejectedRows: new Map() }, 'rejected');
    expect(rows).toBe(0);
    const wb = await load(buffer);
    expect(wb.worksheets).toHaveLength(1);
    expect(String(wb.worksheets[0]!.getCell('A1').value)).toContain('No rejected households');
  });

  it('a CSV: its sheet named after the file, every cell as text', async () => {
    const csv = [HEADER.join(','), `浏阳市,大围山镇,中岳村,430181125201009,钱七,${HEAD_C},1,户主,1980-02-02`, `浏阳市,大围山镇,中岳村,430181125201010,孙八,${BAD_A},1,户主,`].join('\r\n');
    const src = { buffer: Buffer.from(csv, 'utf8'), fileName: '村名单.csv' };
    const [read] = await readSpreadsheetToArrays(src);
    const outcome = importOutcome(read!.rows, read!.name);
    expect(read!.name).toBe('村名单');
    expect(outcome.problems.map((p) => p.sheetRow)).toEqual([3]);

    const report = await load((await write({ source: src, problems: outcome.problems, rejectedRows: outcome.rejectedRows }, 'report')).buffer);
    const ws = report.getWorksheet('村名单')!;
    expect(ws.getRow(2).getCell(6).value).toBe(HEAD_C);
    expect(ws.getRow(2).getCell(4).value).toBe('430181125201009');
    expect(ws.getRow(2).getCell(9).value).toBe('1980-02-02');
    expect(ws.getRow(1).getCell(10).value).toBe(PROBLEM_COLUMN_HEADER);
    expect(String(ws.getRow(3).getCell(10).value)).toMatch(/^错误：证件号码：/);
    expect(fillOf(ws.getRow(3).getCell(1))).toBe(REPORT_FILLS.error);

    const rejected = await load((await write({ source: src, problems: outcome.problems, rejectedRows: outcome.rejectedRows }, 'rejected')).buffer);
    const rw = rejected.getWorksheet('村名单')!;
    expect(rw.rowCount).toBe(2);
    expect(rw.getRow(2).getCell(5).value).toBe('孙八');
  });
});
