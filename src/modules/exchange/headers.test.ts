import { describe, expect, it } from 'vitest';
import type { CellValue } from './cells.ts';
import { detectHeader } from './headers.ts';

const NATIONAL = ['县(市、区、旗)', '乡(镇)', '行政村', '自然村', '户编号', '人编号', '姓名', '证件号码', '人数', '与户主关系'];

describe('detectHeader', () => {
  it('finds a one-row header below a title and blank rows', () => {
    const rows: CellValue[][] = [['浏阳市建档立卡人员名单'], [], ['导出日期：2019-12-31', null], NATIONAL, ['浏阳市', '大围山镇', '中岳村', '一组', 'H1', 'P1', '张三', 'x', 3, '户主']];
    const h = detectHeader(rows);
    expect(h.headerRowIndex).toBe(3);
    expect(h.dataStartIndex).toBe(4);
    expect(h.twoRow).toBe(false);
    expect(h.columns.map((c) => c.field.key)).toEqual(['county', 'township', 'village', 'group', 'householdNo', 'memberNo', 'name', 'idNumber', 'memberCount', 'relationToHead']);
    expect(h.unknown).toEqual([]);
    expect(h.missingRequired).toEqual([]);
    expect(h.problems).toEqual([]);
  });

  it('maps aliases, full-width brackets and line breaks inside header cells', () => {
    const h = detectHeader([['县（市、区）', '乡镇', '村', '户编号', '姓 名', '身份证号\n码', '与户主\n关系', '劳动能力', '致贫原因1']]);
    expect(h.columns.map((c) => c.field.key)).toEqual(['county', 'township', 'village', 'householdNo', 'name', 'idNumber', 'relationToHead', 'labourAbility', 'mainPovertyCause']);
    expect(h.columns[5]!.header).toBe('身份证号码');
  });

  it('combines a two-row header with merged group cells so each column gets its own name', () => {
    // Row 1: 序号, 户编号 merged vertically; "所在地区" over 3 columns; "家庭成员信息" over 4; 联系电话 over 户 / 人.
    const rows: CellValue[][] = [
      ['序号', '户编号', '所在地区', undefined, undefined, '家庭成员信息', null, null, null, '联系电话', null],
      [null, null, '县', '乡镇', '行政村', '姓名', '身份证号码', '与户主关系', '民族', '户', '人'],
      [1, 'H1', '浏阳市', '大围山镇', '中岳村', '张三', 'x', '户主', '汉族', '13800000000', null],
    ];
    const h = detectHeader(rows);
    expect(h.twoRow).toBe(true);
    expect(h.headerRowIndex).toBe(1);
    expect(h.dataStartIndex).toBe(2);
    const byIndex = Object.fromEntries(h.columns.map((c) => [c.index, c.field.key]));
    expect(byIndex).toEqual({
      0: 'rowNumber',
      1: 'householdNo',
      2: 'county',
      3: 'township',
      4: 'village',
      5: 'name',
      6: 'idNumber',
      7: 'relationToHead',
      8: 'ethnicity',
      9: 'householdPhone',
      10: 'memberPhone',
    });
    expect(h.columns.find((c) => c.index === 9)!.header).toBe('联系电话/户');
    expect(h.missingRequired).toEqual([]);
  });

  it('reports missing required columns before any row is read', () => {
    const h = detectHeader([['县', '乡镇', '户编号', '姓名', '人数'], ['浏阳市', '大围山镇', 'H1', '张三', 1]]);
    expect(h.headerRowIndex).toBe(0);
    expect(h.missingRequired).toEqual(['证件号码', '与户主关系', '行政村']);
    const errors = h.problems.filter((p) => p.severity === 'error');
    expect(errors.map((p) => p.kind)).toEqual(['missingRequired', 'missingRequired', 'missingRequired']);
    expect(errors[2]!.message).toContain('行政村”或“区划代码');
    expect(errors[2]!.messageEn).toContain('Village');
  });

  it('accepts an area code column instead of area names', () => {
    const h = detectHeader([['区划代码', '姓名', '证件号码', '与户主关系']]);
    expect(h.missingRequired).toEqual([]);
  });

  it('reports unknown and repeated columns as warnings', () => {
    const h = detectHeader([['姓名', '证件号码', '与户主关系', '行政村', '备注说明', '身份证号', '']]);
    expect(h.unknown).toEqual([{ index: 4, header: '备注说明' }]);
    const kinds = h.problems.map((p) => `${p.kind}:${p.severity}`);
    expect(kinds).toEqual(['unknownColumn:warning', 'duplicateColumn:warning']);
    expect(h.problems[0]!.messageEn).toContain('column 5');
  });

  it('says so when no row looks like a header', () => {
    const h = detectHeader([['甲', '乙'], [1, 2]]);
    expect(h.headerRowIndex).toBe(-1);
    expect(h.problems[0]).toMatchObject({ kind: 'noHeader', severity: 'error' });
    expect(h.missingRequired.length).toBe(4);
  });

  it('searches only the first rows (default 20)', () => {
    const rows: CellValue[][] = [...Array.from({ length: 25 }, () => ['说明']), NATIONAL];
    expect(detectHeader(rows).headerRowIndex).toBe(-1);
    expect(detectHeader(rows, { maxScanRows: 30 }).headerRowIndex).toBe(25);
  });
});
