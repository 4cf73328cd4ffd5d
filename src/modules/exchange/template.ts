/**
 * The import template (导入模板): an .xlsx with the person list's columns exactly as the member export
 * writes them (EXPORT_HEADERS.members, so the template and an export import alike), one fictitious
 * example row, the code lists as drop-downs, and short instructions. Pure: no database, no file.
 *
 * Sheets: 人员名单 (the list to fill: bold frozen header, widths, text format for ID numbers, 户编号,
 * 区划代码, phones and accounts, drop-downs on the coded and 是/否 columns), 代码表 (every list the
 * drop-downs refer to: Excel refuses inline lists over 255 characters, and 民族 alone has 58 items),
 * 填写说明 (instructions in Chinese). Neither 代码表 nor 填写说明 holds a row that detectHeader takes
 * for a header, so an import reads only 人员名单.
 */
import ExcelJS from 'exceljs';
import { checkCharacter } from '../../shared/id-number.ts';
import { CODE_LISTS, findCodeItem, type CodeListId } from '../households/index.ts';
import { findColumn, type ColumnDef } from './columns.ts';
import { EXPORT_HEADERS } from './export.ts';

/** Sheet names of the template. */
export const TEMPLATE_SHEETS = { list: '人员名单', codes: '代码表', help: '填写说明' } as const;

/** The last sheet row (1-based) that gets drop-downs and cell formats: 5,000 data rows under the header. */
export const TEMPLATE_LAST_ROW = 5001;

/** The lists a drop-down offers: a code list, or 是/否 for the boolean columns. */
type ListId = CodeListId | 'boolean';

interface TemplateColumn {
  header: string;
  def: ColumnDef;
  /** Excel number format of the column's cells ('@' text, 'yyyy-mm-dd', '0.00'), if any. */
  numFmt?: string;
  /** Width in characters. */
  width: number;
  list?: ListId;
}

/** exceljs keeps a sheet's validations by address and writes a range key as one sqref (not in its typings). */
interface WithDataValidations {
  dataValidations: { add(address: string, validation: ExcelJS.DataValidation): void };
}

/** Display width of a text: CJK and full-width characters count 2. */
function textWidth(s: string): number {
  let w = 0;
  for (const ch of s) w += /[\u1100-\u115F\u2E80-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6]/.test(ch) ? 2 : 1;
  return w;
}

const KIND_WIDTH: Record<string, number> = { idNumber: 22, identifier: 16, date: 12, number: 12, integer: 8, boolean: 8, code: 12, codes: 20, text: 12 };

function templateColumns(): TemplateColumn[] {
  return EXPORT_HEADERS.members.map((header) => {
    const def = findColumn(header);
    if (!def) throw new Error(`export header ${header} is not a person-list column`);
    const kind = def.cell.kind;
    const numFmt = kind === 'idNumber' || kind === 'identifier' ? '@' : kind === 'date' ? 'yyyy-mm-dd' : kind === 'number' ? '0.00' : undefined;
    const list: ListId | undefined = def.cell.kind === 'code' ? def.cell.list : kind === 'boolean' ? 'boolean' : undefined;
    const width = Math.min(30, Math.max(KIND_WIDTH[kind] ?? 12, textWidth(header) + 2));
    return { header, def, width, ...(numFmt ? { numFmt } : {}), ...(list ? { list } : {}) };
  });
}

/** The labels a drop-down offers: the list's Chinese labels, retired items left out. */
function listLabels(list: ListId): string[] {
  if (list === 'boolean') return ['是', '否'];
  return CODE_LISTS[list].items.filter((i) => !('retired' in i && i.retired)).map((i) => i.label.zh);
}

/** 'A' … 'Z', 'AA' … for a 1-based column number. */
function columnLetter(n: number): string {
  let s = '';
  for (let x = n; x > 0; x = Math.floor((x - 1) / 26)) s = String.fromCharCode(65 + ((x - 1) % 26)) + s;
  return s;
}

/**
 * The example person's ID number (fictitious, region 430181 浏阳市). The import recognises it and skips
 * the example row with a warning, so a template filled in without deleting row 2 registers no 张三.
 */
export const TEMPLATE_EXAMPLE_ID_NUMBER = '43018119800101001' + checkCharacter('43018119800101001');

/** The example household head: fictitious person and phone; 户编号 left empty (a new household gets the next number). */
function exampleRow(columns: TemplateColumn[]): (string | number | Date | null)[] {
  const idNumber = TEMPLATE_EXAMPLE_ID_NUMBER;
  const code = (list: CodeListId, value: string) => findCodeItem(list, value)?.label.zh ?? null;
  const byKey: Record<string, string | number | Date | null> = {
    county: '浏阳市',
    township: '大围山镇',
    village: '中岳村',
    group: '一组',
    householdNo: null,
    name: '张三',
    idNumber,
    idType: code('idType', 'residentId'),
    memberCount: 1,
    relationToHead: code('relationToHead', 'head'),
    sex: code('sex', 'male'),
    birthDate: new Date(Date.UTC(1980, 0, 1)),
    ethnicity: code('ethnicity', 'han'),
    politicalStatus: code('politicalStatus', 'masses'),
    education: code('education', 'juniorSecondary'),
    schooling: code('schooling', 'notInSchool'),
    health: code('health', 'healthy'),
    labourAbility: code('labourAbility', 'ordinaryLabour'),
    employment: code('employment', 'inCounty'),
    monthsWorked: 6,
    seriousIllnessInsurance: '是',
    medicalInsurance: '是',
    pensionInsurance: '是',
    activeMilitary: '否',
    memberPhone: '13800000000',
    householdPhone: '13800000000',
    householdStatus: code('householdStatus', 'exited'),
    povertyAttribute: code('povertyAttribute', 'general'),
    householdType: code('householdType', 'exited'),
    identificationStandard: code('identificationStandard', 'national'),
    mainPovertyCause: code('povertyCause', 'illness'),
    safeDrinkingWater: '是',
    drinkingWaterDifficulty: '否',
    perCapitaNetIncome: 12000,
    militaryFamily: '否',
  };
  return columns.map((c) => byKey[c.def.key] ?? null);
}

const INSTRUCTIONS: readonly string[] = [
  '人员名单导入模板 填写说明',
  '1. 在“人员名单”工作表中填写，每名家庭成员占一行；户编号、地区、人数、脱贫属性、户类型、致贫原因、银行账户等户信息在该户每一行重复填写。',
  '2. 同一户各行的户编号相同；户主所在行的“与户主关系”选“本人或户主”（也可填“户主”），每户有且只有一名户主。',
  '3. 地区按名称填写县(市、区、旗)、乡(镇)、行政村（同一户各行一致），或填写 12 位区划代码。',
  '4. 证件号码、户编号、区划代码、电话和银行卡号请以文本填写（本模板前 5000 行已设为文本格式），不要让 Excel 变成科学计数法，否则 18 位号码的末几位会丢失。',
  '5. 日期按 YYYY-MM-DD 填写，如 1980-01-01；性别、出生日期可不填，将从证件号码推出。',
  '6. 带下拉箭头的列请从下拉列表中选择；各列可选的值见“代码表”工作表。也接受国家系统的代码（如 01）和常见别名，选择列表外的值时 Excel 会提示，可继续。',
  '7. 多个“其他致贫原因”用顿号“、”分隔。',
  '8. 第 2 行是虚构的示例（张三），导入时会自动跳过；也可以删除。',
  '9. 有错误的户整户不导入，导入后可下载校验报告和退回名单，改正后重新导入。',
];

/**
 * Writes the import template.
 * @returns the .xlsx file (about 130 KB): sheets 人员名单 (header + example row; text formats and
 *   drop-downs on rows 2..TEMPLATE_LAST_ROW), 代码表 (one column per list, its name in row 1 and its
 *   labels from row 2) and 填写说明
 */
export async function writeImportTemplate(): Promise<Buffer> {
  const columns = templateColumns();
  const wb = new ExcelJS.Workbook();
  wb.creator = 'fupin';
  const ws = wb.addWorksheet(TEMPLATE_SHEETS.list, { views: [{ state: 'frozen', xSplit: 0, ySplit: 1 }] });
  const codes = wb.addWorksheet(TEMPLATE_SHEETS.codes);
  const help = wb.addWorksheet(TEMPLATE_SHEETS.help);

  // 代码表: one column per list used, in the order the columns first use it.
  const listRange = new Map<ListId, string>();
  const lists = [...new Set(columns.flatMap((c) => (c.list ? [c.list] : [])))];
  lists.forEach((list, i) => {
    const labels = listLabels(list);
    const letter = columnLetter(i + 1);
    // “是否（代码表）”: not a column name, so detectHeader never takes this row for a header.
    const title = `${list === 'boolean' ? '是否' : CODE_LISTS[list].label.zh}（代码表）`;
    codes.getCell(`${letter}1`).value = title;
    labels.forEach((l, r) => (codes.getCell(`${letter}${r + 2}`).value = l));
    codes.getColumn(i + 1).width = Math.max(14, ...labels.map(textWidth), textWidth(title)) + 2;
    listRange.set(list, `'${TEMPLATE_SHEETS.codes}'!$${letter}$2:$${letter}$${labels.length + 1}`);
  });
  codes.getRow(1).font = { bold: true };
  codes.views = [{ state: 'frozen', xSplit: 0, ySplit: 1 }];

  // 人员名单
  ws.columns = columns.map((c) => ({ key: c.def.key, width: c.width, ...(c.numFmt ? { style: { numFmt: c.numFmt } } : {}) }));
  const header = ws.getRow(1);
  header.values = columns.map((c) => c.header);
  header.font = { bold: true };
  header.eachCell((cell) => {
    cell.numFmt = 'General';
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDDEBF7' } };
  });
  ws.getRow(2).values = exampleRow(columns);
  columns.forEach((c, i) => {
    const letter = columnLetter(i + 1);
    if (c.numFmt) {
      // The column's style covers rows Excel has not written yet; explicit cells for programs that ignore it.
      for (let r = 2; r <= TEMPLATE_LAST_ROW; r++) ws.getCell(`${letter}${r}`).numFmt = c.numFmt;
    }
    if (c.list) {
      const range = listRange.get(c.list)!;
      // Excel takes a range over a list of cells; one rule for the whole block (exceljs writes the key as sqref).
      (ws as unknown as WithDataValidations).dataValidations.add(`${letter}2:${letter}${TEMPLATE_LAST_ROW}`, {
        type: 'list',
        allowBlank: true,
        formulae: [range],
        showErrorMessage: true,
        // A warning, not a stop: codes (01) and aliases (户主) are accepted by the import too.
        errorStyle: 'warning',
        errorTitle: c.header,
        error: '不在代码表中，请从下拉列表选择（见“代码表”工作表）。',
        showInputMessage: false,
      });
    }
  });
  ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: columns.length } };

  // 填写说明
  help.getColumn(1).width = 120;
  INSTRUCTIONS.forEach((line, i) => {
    const cell = help.getCell(`A${i + 1}`);
    cell.value = line;
    cell.alignment = { wrapText: true, vertical: 'top' };
    if (i === 0) cell.font = { bold: true, size: 14 };
  });

  const out = await wb.xlsx.writeBuffer();
  return Buffer.from(out as ArrayBuffer);
}
