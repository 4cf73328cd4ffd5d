import { describe, expect, it } from 'vitest';
import { checkCharacter } from '../../shared/id-number.ts';
import type { CellValue } from './cells.ts';
import { detectHeader } from './headers.ts';
import { groupPersonRows } from './person-list.ts';

const id = (first17: string) => first17 + checkCharacter(first17);
// Synthetic people: head born 1970-03-12 (male), spouse 1972-05-01 (female), child 2001-09-09 (female).
const HEAD1 = id('43018119700312203');
const WIFE1 = id('43018119720501204');
const CHILD1 = id('43018120010909202');
const HEAD2 = id('43018119650101101');
const HEAD3 = id('43018119800202303');

const HEADER = ['县(市、区、旗)', '乡(镇)', '行政村', '自然村', '户编号', '人编号', '姓名', '证件号码', '人数', '与户主关系', '民族', '劳动技能', '主要致贫原因', '人均纯收入', '联系电话'];
type Row = CellValue[];
const row = (hh: string | null, name: string, idNo: CellValue, count: number, rel: CellValue, extra: Partial<{ village: string; cause: string; phone: string; labour: CellValue }> = {}): Row => [
  '浏阳市',
  '大围山镇',
  extra.village ?? '中岳村',
  '一组',
  hh,
  null,
  name,
  idNo,
  count,
  rel,
  '汉族',
  extra.labour ?? '普通劳动力',
  extra.cause ?? '因病',
  '¥3,200.50',
  extra.phone ?? null,
];

function parse(rows: Row[]) {
  const sheet = [['建档立卡人员名单'], HEADER, ...rows];
  const header = detectHeader(sheet);
  return groupPersonRows(sheet, header);
}

describe('groupPersonRows', () => {
  it('groups by 户编号 (rows need not be adjacent) and maps cells to member and household fields', () => {
    const r = parse([
      row('430181125201001', '张三', HEAD1, 3, '户主', { phone: '13800000001', cause: '缺劳力' }),
      row('430181125201002', '李四', HEAD2, 1, '01'),
      row('430181125201001', '王芳', `'${WIFE1}`, 3, '配偶'),
      row('430181125201001', '张小红', CHILD1.toLowerCase(), 3, '之女', { labour: 4 }),
      [],
      [null, '  ', undefined],
    ]);
    expect(r.rowCount).toBe(4);
    expect(r.problems).toEqual([]);
    expect(r.households).toHaveLength(2);
    const [h1, h2] = r.households;
    expect(h1!.householdNo).toBe('430181125201001');
    expect(h1!.sheetRows).toEqual([3, 5, 6]);
    expect(h1!.rejected).toBe(false);
    expect(h1!.area).toEqual({ county: '浏阳市', township: '大围山镇', village: '中岳村', group: '一组', code: null });
    expect(h1!.fields).toEqual({ mainPovertyCause: 'lackOfLabour', phone: '13800000001' });
    expect(h1!.extras).toEqual({ memberCount: 3, perCapitaNetIncome: 3200.5 });
    expect(h1!.members.map((m) => m.values.relationToHead)).toEqual(['head', 'spouse', 'daughter']);
    expect(h1!.members[0]!.values).toMatchObject({ name: '张三', idNumber: HEAD1, sex: 'male', idType: 'residentId', birthDate: '1970-03-12', ethnicity: 'han', labourAbility: 'ordinaryLabour' });
    expect(h1!.members[1]!.values.idNumber).toBe(WIFE1);
    expect(h1!.members[2]!.values).toMatchObject({ sex: 'female', labourAbility: 'noLabour' });
    expect(h2!.members[0]!.values.relationToHead).toBe('head');
  });

  it('groups by 户主 rows when the file has no 户编号 column', () => {
    const sheet: Row[] = [
      ['姓名', '身份证号', '与户主关系', '村'],
      ['张三', HEAD1, '户主', '中岳村'],
      ['王芳', WIFE1, '配偶', '中岳村'],
      ['李四', HEAD2, '户主', '中岳村'],
      ['赵五', HEAD3, '户主', '中岳村'],
    ];
    const r = groupPersonRows(sheet, detectHeader(sheet));
    expect(r.households.map((h) => h.sheetRows)).toEqual([[2, 3], [4], [5]]);
    expect(r.households.every((h) => !h.rejected && h.householdNo === null)).toBe(true);
  });

  it('rejects members before the first head when grouping by 户主 rows', () => {
    const sheet: Row[] = [
      ['姓名', '身份证号', '与户主关系', '村'],
      ['王芳', WIFE1, '配偶', '中岳村'],
      ['张三', HEAD1, '户主', '中岳村'],
    ];
    const r = groupPersonRows(sheet, detectHeader(sheet));
    expect(r.households[0]).toMatchObject({ rejected: true, sheetRows: [2] });
    expect(r.households[0]!.problems[0]).toMatchObject({ reason: 'noHead', column: '与户主关系', sheetRow: 2 });
    expect(r.households[1]!.rejected).toBe(false);
  });

  it('rejects a household whole when one member is invalid, with row, column, value and reason', () => {
    const r = parse([
      row('H1', '张三', HEAD1, 2, '户主'),
      row('H1', '王芳', Number('430181197205012040'), 2, '配偶'),
      row('H2', '李四', HEAD2, 1, '户主'),
    ]);
    const [h1, h2] = r.households;
    expect(h1!.rejected).toBe(true);
    expect(h2!.rejected).toBe(false);
    expect(r.problems).toEqual([
      expect.objectContaining({ sheetRow: 4, column: '证件号码', value: '430181197205012030', reason: 'idNumberPrecisionLost', severity: 'error' }),
    ]);
    expect(r.problems[0]!.messageEn).toContain('15 significant digits');
  });

  it('reports every cell problem of a row, and the contract’s required fields once', () => {
    const r = parse([row('H1', '', HEAD1, 1, '族长', { cause: '因懒', labour: '很强' })]);
    const reasons = r.problems.map((p) => `${p.column}:${p.reason}`);
    expect(reasons).toEqual(expect.arrayContaining(['与户主关系:unknownCode', '劳动技能:unknownCode', '主要致贫原因:unknownCode', '姓名:missing:name', '与户主关系:noHead']));
    expect(reasons.filter((x) => x.startsWith('与户主关系:unknownCode'))).toHaveLength(1);
    expect(reasons.some((x) => x.startsWith('与户主关系:invalid'))).toBe(false);
    expect(r.households[0]!.rejected).toBe(true);
  });

  it('finds two heads, areas that differ within a household, a member row without 户编号 and a repeated ID number', () => {
    const r = parse([
      row('H1', '张三', HEAD1, 2, '户主'),
      row('H1', '王芳', WIFE1, 2, '户主', { village: '上坪村' }),
      row(null, '李四', HEAD2, 1, '配偶'),
      row('H3', '赵五', HEAD1, 1, '户主'),
    ]);
    const reasons = r.problems.map((p) => `${p.sheetRow}:${p.reason}`);
    expect(reasons).toEqual(['4:multipleHeads', '4:inconsistentArea', '5:missingHouseholdNo', '5:noHead', '6:duplicateIdNumber']);
    expect(r.households.map((h) => h.rejected)).toEqual([true, true, true]);
    expect(r.problems[4]!.message).toContain('第 3 行');
  });

  it('reports an empty ID number once, as missing (no derived sex or document type errors)', () => {
    const r = parse([row('H1', '张三', null, 1, '户主')]);
    expect(r.problems).toEqual([expect.objectContaining({ sheetRow: 3, column: '证件号码', value: '', reason: 'missing:idNumber', message: '“证件号码”不能为空' })]);
    expect(r.households[0]!.rejected).toBe(true);
  });

  it('rejects a 16-digit 户编号 held as a number instead of merging households under a truncated one', () => {
    const r = parse([row(null, '张三', HEAD1, 1, '户主'), row(null, '李四', HEAD2, 1, '户主')].map((x, i) => { x[4] = 4301811252010001 + i; return x; }));
    expect(r.households.map((h) => h.rejected)).toEqual([true, true]);
    expect(r.problems.map((p) => `${p.sheetRow}:${p.column}:${p.reason}`)).toEqual(expect.arrayContaining(['3:户编号:precisionLost', '4:户编号:precisionLost']));
  });

  it('gathers other poverty causes from one cell or from 致贫原因2 / 致贫原因3 columns', () => {
    const sheet: Row[] = [
      ['姓名', '身份证号', '与户主关系', '村', '致贫原因1', '致贫原因2', '致贫原因3', '其他致贫原因'],
      ['张三', HEAD1, '户主', '中岳村', '因病', '缺技术', '缺资金', '缺技术'],
      ['李四', HEAD2, '户主', '中岳村', '因残', null, null, '因学、缺劳力'],
    ];
    const r = groupPersonRows(sheet, detectHeader(sheet));
    expect(r.households.map((h) => h.fields)).toEqual([
      { mainPovertyCause: 'illness', otherPovertyCauses: ['lackOfSkills', 'lackOfFunds'] },
      { mainPovertyCause: 'disability', otherPovertyCauses: ['schooling', 'lackOfLabour'] },
    ]);
  });

  it('reads the rows below a two-row merged header', () => {
    const sheet: Row[] = [
      ['户编号', '所在地区', null, '成员', null, null],
      [null, '乡镇', '行政村', '姓名', '身份证号码', '与户主关系'],
      ['H1', '大围山镇', '中岳村', '张三', HEAD1, '户主'],
      ['H1', '大围山镇', '中岳村', '王芳', WIFE1, '配偶'],
    ];
    const r = groupPersonRows(sheet, detectHeader(sheet));
    expect(r.problems).toEqual([]);
    expect(r.households).toHaveLength(1);
    expect(r.households[0]).toMatchObject({ householdNo: 'H1', sheetRows: [3, 4], area: { township: '大围山镇', village: '中岳村' } });
  });

  it('warns when 人数 differs from the member rows, without rejecting', () => {
    const r = parse([row('H1', '张三', HEAD1, 3, '户主'), row('H1', '王芳', WIFE1, 3, '配偶')]);
    expect(r.problems).toEqual([expect.objectContaining({ sheetRow: 3, column: '人数', value: '3', reason: 'memberCountMismatch', severity: 'warning' })]);
    expect(r.households[0]!.rejected).toBe(false);
  });

  it('reads nothing when required columns are missing', () => {
    const sheet: Row[] = [['姓名', '人数'], ['张三', 1]];
    expect(groupPersonRows(sheet, detectHeader(sheet))).toEqual({ households: [], problems: [], rowCount: 0 });
  });

  it('numbers rows from firstSheetRow', () => {
    const sheet: Row[] = [['姓名', '身份证号', '与户主关系', '村'], ['张三', '123', '户主', '中岳村']];
    const r = groupPersonRows(sheet, detectHeader(sheet), { firstSheetRow: 5 });
    expect(r.problems[0]).toMatchObject({ sheetRow: 6, column: '身份证号', reason: 'idNumber:length' });
  });
});
