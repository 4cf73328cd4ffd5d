import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { validateIdNumber } from '../../shared/id-number.ts';
import { EXPORT_HEADERS } from './export.ts';
import { detectHeader } from './headers.ts';
import { groupPersonRows } from './person-list.ts';
import { readSpreadsheetToArrays } from './readers.ts';
import { TEMPLATE_LAST_ROW, TEMPLATE_SHEETS, writeImportTemplate } from './template.ts';

let buffer: Buffer;
let wb: ExcelJS.Workbook;

beforeAll(async () => {
  buffer = await writeImportTemplate();
  wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buffer as unknown as ArrayBuffer);
});

const colOf = (ws: ExcelJS.Worksheet, header: string): number => {
  const i = EXPORT_HEADERS.members.indexOf(header);
  expect(i).toBeGreaterThanOrEqual(0);
  expect(ws.getRow(1).getCell(i + 1).value).toBe(header);
  return i + 1;
};

/** The cells a formula such as '代码表'!$B$2:$B$23 refers to. */
function rangeValues(formula: string): unknown[] {
  const m = /^'?([^'!]+)'?!\$([A-Z]+)\$(\d+):\$([A-Z]+)\$(\d+)$/.exec(formula);
  expect(m).not.toBeNull();
  const [, sheet, c1, r1, c2, r2] = m!;
  expect(sheet).toBe(TEMPLATE_SHEETS.codes);
  expect(c2).toBe(c1);
  const ws = wb.getWorksheet(sheet!)!;
  const out: unknown[] = [];
  for (let r = Number(r1); r <= Number(r2); r++) out.push(ws.getCell(`${c1}${r}`).value);
  return out;
}

describe('writeImportTemplate', () => {
  it('has the member export’s headers, bold and frozen, in 人员名单 then 代码表 and 填写说明', () => {
    expect(wb.worksheets.map((w) => w.name)).toEqual([TEMPLATE_SHEETS.list, TEMPLATE_SHEETS.codes, TEMPLATE_SHEETS.help]);
    const ws = wb.getWorksheet(TEMPLATE_SHEETS.list)!;
    const headers = (ws.getRow(1).values as unknown[]).slice(1);
    expect(headers).toEqual([...EXPORT_HEADERS.members]);
    expect(ws.getRow(1).getCell(1).font?.bold).toBe(true);
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(ws.getColumn(colOf(ws, '证件号码')).width).toBeGreaterThanOrEqual(20);
  });

  it('formats ID numbers, 户编号, 区划代码, phones and accounts as text down to the last template row', () => {
    const ws = wb.getWorksheet(TEMPLATE_SHEETS.list)!;
    for (const h of ['证件号码', '户编号', '区划代码', '人联系电话', '户联系电话', '银行卡号']) {
      const c = colOf(ws, h);
      expect(ws.getRow(2).getCell(c).numFmt, h).toBe('@');
      expect(ws.getRow(TEMPLATE_LAST_ROW).getCell(c).numFmt, h).toBe('@');
    }
    expect(ws.getRow(2).getCell(colOf(ws, '出生日期')).numFmt).toBe('yyyy-mm-dd');
    expect(ws.getRow(2).getCell(colOf(ws, '姓名')).numFmt).not.toBe('@');
  });

  it('finds the header with no missing required column, and the example row parses without problems', async () => {
    const sheets = await readSpreadsheetToArrays({ buffer, fileName: '模板.xlsx' });
    const list = sheets.find((s) => s.name === TEMPLATE_SHEETS.list)!;
    expect(list.rows).toHaveLength(2);
    const header = detectHeader(list.rows);
    expect(header.headerRowIndex).toBe(0);
    expect(header.missingRequired).toEqual([]);
    expect(header.problems).toEqual([]);
    const r = groupPersonRows(list.rows, header);
    expect(r.problems).toEqual([]);
    expect(r.households).toHaveLength(1);
    const h = r.households[0]!;
    expect(h.rejected).toBe(false);
    expect(h.householdNo).toBeNull();
    expect(h.area).toMatchObject({ county: '浏阳市', township: '大围山镇', village: '中岳村' });
    const m = h.members[0]!.values;
    expect(m).toMatchObject({ name: '张三', relationToHead: 'head', sex: 'male', birthDate: '1980-01-01', ethnicity: 'han', idType: 'residentId' });
    expect(validateIdNumber(String(m.idNumber))).toMatchObject({ ok: true, birthDate: '1980-01-01', sex: 'male' });
    expect(String(m.idNumber).slice(0, 6)).toBe('430181');
  });

  it('the other sheets hold no row an import takes for a header', async () => {
    const sheets = await readSpreadsheetToArrays({ buffer, fileName: '模板.xlsx' });
    for (const name of [TEMPLATE_SHEETS.codes, TEMPLATE_SHEETS.help]) {
      const s = sheets.find((x) => x.name === name)!;
      expect(s.rows.length, name).toBeGreaterThan(2);
      expect(detectHeader(s.rows).headerRowIndex, name).toBe(-1);
    }
  });

  it('puts a drop-down over rows 2..5001 on every coded and 是/否 column, from ranges of 代码表', () => {
    const ws = wb.getWorksheet(TEMPLATE_SHEETS.list)!;
    const relation = colOf(ws, '与户主关系');
    for (const row of [2, 100, TEMPLATE_LAST_ROW]) {
      const dv = ws.getRow(row).getCell(relation).dataValidation;
      expect(dv?.type, `row ${row}`).toBe('list');
    }
    expect(ws.getRow(TEMPLATE_LAST_ROW + 1).getCell(relation).dataValidation).toBeUndefined();
    const dv = ws.getRow(2).getCell(relation).dataValidation!;
    const values = rangeValues(dv.formulae![0] as string);
    expect(values).toContain('本人或户主');
    expect(values.some((v) => typeof v === 'string' && v.includes('户主'))).toBe(true);
    expect(values).toContain('配偶');

    // 民族: 58 items, too many for an inline list.
    const eth = rangeValues(ws.getRow(2).getCell(colOf(ws, '民族')).dataValidation!.formulae![0] as string);
    expect(eth).toHaveLength(58);
    expect(eth).toContain('汉族');

    const yesNo = rangeValues(ws.getRow(2).getCell(colOf(ws, '是否现役军人')).dataValidation!.formulae![0] as string);
    expect(yesNo).toEqual(['是', '否']);

    // Every coded column has one; free text, numbers and the multi-valued 其他致贫原因 have none.
    const withList = EXPORT_HEADERS.members.filter((_, i) => ws.getRow(2).getCell(i + 1).dataValidation?.type === 'list');
    expect(withList).toEqual(
      expect.arrayContaining(['证件类型', '与户主关系', '性别', '民族', '政治面貌', '文化程度', '在校生状况', '健康状况', '劳动技能', '务工状况', '脱贫属性', '贫困户属性', '户类型', '识别标准', '主要致贫原因', '参加大病医疗', '饮水安全', '是否军烈属']),
    );
    for (const h of ['姓名', '证件号码', '户编号', '其他致贫原因', '人均纯收入', '出生日期']) expect(withList, h).not.toContain(h);
  });
});
