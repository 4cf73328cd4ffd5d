/**
 * The template of a pairing list (结对名单导入模板): an .xlsx whose first sheet 结对名单 has the import's
 * columns (户编号, 户主身份证号, 帮扶责任人, 联系电话, 帮扶单位, 开始日期: the first spelling of each in
 * ASSIGNMENT_IMPORT_COLUMNS), one fictitious example row (its 帮扶责任人 marked 示例, skipped by the
 * import) and text formats on the number columns; the second sheet 填写说明 explains every column.
 * Pure: no database, no file. Follows exchange/template.ts (the person-list template).
 */
import ExcelJS from 'exceljs';
import { checkCharacter } from '../../shared/id-number.ts';
import { ASSIGNMENT_IMPORT_COLUMNS, CREATE_HELPERS_LABEL } from './pairing-contract.ts';

/** Sheet names of the template: the list is the first (the only one the import reads). */
export const PAIRING_TEMPLATE_SHEETS = { list: '结对名单', help: '填写说明' } as const;

/** The mark of the example row: a row whose 帮扶责任人 contains it is skipped by the import. */
export const EXAMPLE_MARK = '示例';

/** The file name the route gives the template. */
export const PAIRING_TEMPLATE_FILE_NAME = '结对名单导入模板.xlsx';

/** Rows (1-based, under the header) that get the columns' cell formats. */
const LAST_FORMATTED_ROW = 2001;

type Key = keyof typeof ASSIGNMENT_IMPORT_COLUMNS;
const COLUMNS: { key: Key; width: number; numFmt?: string }[] = [
  { key: 'householdNo', width: 20, numFmt: '@' },
  { key: 'headIdNumber', width: 22, numFmt: '@' },
  { key: 'helperName', width: 16 },
  { key: 'helperPhone', width: 16, numFmt: '@' },
  { key: 'unitName', width: 28 },
  { key: 'startDate', width: 14, numFmt: '@' },
];

/** The example row: a fictitious household (number, head's ID number of region 430181) and helper. */
const EXAMPLE: Record<Key, string> = {
  householdNo: '4301811250010001',
  headIdNumber: '43018119800101002' + checkCharacter('43018119800101002'),
  helperName: `张三（${EXAMPLE_MARK}）`,
  helperPhone: '13800000000',
  unitName: '浏阳市农业农村局',
  startDate: '2025-03-01',
};

const INSTRUCTIONS: readonly [string, string][] = [
  ['结对名单导入模板 填写说明', ''],
  ['怎么填', `在“${PAIRING_TEMPLATE_SHEETS.list}”工作表中填写，每户一行。第 2 行是虚构的示例（帮扶责任人后标有“${EXAMPLE_MARK}”），导入时自动跳过，可直接覆盖或删除。`],
  ['户编号', '农户的 16 位户编号。请以文本填写（本模板已设为文本格式），否则 Excel 会丢掉末几位。与“户主身份证号”二选一；都填时按户编号查找。'],
  ['户主身份证号', '户主的 18 位身份证号。未填户编号时按它查找该户（须是在册的户主或成员）。'],
  ['帮扶责任人', `帮扶责任人的姓名，必填，须是已登记的帮扶责任人。尚未登记的，可在导入页勾选“${CREATE_HELPERS_LABEL.zh}”，导入时按本行的姓名、电话和帮扶单位新建。`],
  ['联系电话', '帮扶责任人的电话。有同名的帮扶责任人时用它区分；新建帮扶责任人时记为其电话。可不填。'],
  ['帮扶单位', '帮扶责任人所在单位的名称，须与已登记的帮扶单位名称完全一致。有同名的帮扶责任人时也用它区分；新建帮扶责任人时必填。'],
  ['开始日期', '结对开始的日期，按 YYYY-MM-DD 填写，如 2025-03-01，不能晚于今天。不填则为导入当天。'],
  ['更换帮扶责任人', '某户已有另一位帮扶责任人时，须在导入页填写“更换原因”才会更换；原结对在开始日期结束，并保留在历史中。'],
  ['出错时', '任何一行有误，整个文件都不导入，页面会按行、列列出每个问题；改正后重新导入即可。同一文件重复导入不会重复结对。'],
];

/**
 * Writes the pairing-list template.
 * @returns the .xlsx file: sheets 结对名单 (bold frozen header, the example row in grey italics, text
 *   format on rows 2..2001 of every column but 帮扶责任人 and 帮扶单位) and 填写说明 (one row per column)
 */
export async function writePairingTemplate(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'fupin';
  const ws = wb.addWorksheet(PAIRING_TEMPLATE_SHEETS.list, { views: [{ state: 'frozen', xSplit: 0, ySplit: 1 }] });
  const help = wb.addWorksheet(PAIRING_TEMPLATE_SHEETS.help);

  ws.columns = COLUMNS.map((c) => ({ key: c.key, width: c.width, ...(c.numFmt ? { style: { numFmt: c.numFmt } } : {}) }));
  const header = ws.getRow(1);
  header.values = COLUMNS.map((c) => ASSIGNMENT_IMPORT_COLUMNS[c.key][0]);
  header.font = { bold: true };
  header.eachCell((cell) => {
    cell.numFmt = 'General';
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDDEBF7' } };
  });
  const example = ws.getRow(2);
  example.values = COLUMNS.map((c) => EXAMPLE[c.key]);
  example.font = { italic: true, color: { argb: 'FF808080' } };
  COLUMNS.forEach((c, i) => {
    if (!c.numFmt) return;
    // The column's style covers rows Excel has not written yet; explicit cells for programs that ignore it.
    for (let r = 2; r <= LAST_FORMATTED_ROW; r++) ws.getCell(r, i + 1).numFmt = c.numFmt;
  });

  help.getColumn(1).width = 16;
  help.getColumn(2).width = 100;
  INSTRUCTIONS.forEach(([what, text], i) => {
    const row = help.getRow(i + 1);
    row.values = [what, text];
    row.alignment = { wrapText: true, vertical: 'top' };
    row.font = i === 0 ? { bold: true, size: 14 } : {};
    if (i > 0) row.getCell(1).font = { bold: true };
  });

  const out = await wb.xlsx.writeBuffer();
  return Buffer.from(out as ArrayBuffer);
}
