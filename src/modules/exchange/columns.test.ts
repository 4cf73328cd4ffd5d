import { describe, expect, it } from 'vitest';
import { PERSON_LIST_COLUMNS, REQUIRED_COLUMN_GROUPS, columnByKey, findColumn, normalizeHeader } from './columns.ts';

describe('column dictionary', () => {
  it('has unique keys and no spelling claimed by two columns', () => {
    const keys = PERSON_LIST_COLUMNS.map((c) => c.key);
    expect(new Set(keys).size).toBe(keys.length);
    const owner = new Map<string, string>();
    for (const c of PERSON_LIST_COLUMNS) {
      for (const name of [c.label.zh, ...c.aliases]) {
        const k = normalizeHeader(name);
        expect(owner.get(k) ?? c.key, `${name} claimed twice`).toBe(c.key);
        owner.set(k, c.key);
      }
    }
    for (const g of REQUIRED_COLUMN_GROUPS) for (const k of g) expect(columnByKey(k), k).toBeDefined();
  });

  it('matches every column of the national person list (§A) and the 2022 export (§B)', () => {
    const a = '县(市、区、旗) 乡(镇) 行政村 自然村 户编号 人编号 姓名 证件号码 人数 与户主关系 民族 文化程度 在校生状况 健康状况 劳动技能 务工状况 务工时间（月） 参加大病医疗 脱贫属性 贫困户属性 主要致贫原因 危房户 饮水安全 饮水困难 人均纯收入 联系电话';
    const b = '序号 数据日期 户编号 人编号 姓名 证件号码 人数 与户主关系 是否参加大病保险 致贫原因1 是否解决安全饮用水 人均纯收入 户联系电话 人联系电话 首次识别时间 人员识别时间 户类型 易返贫致贫户(监测对象)类型 风险是否消除 风险识别时间 风险消除时间';
    for (const h of `${a} ${b}`.split(' ')) expect(findColumn(h), h).toBeDefined();
  });

  it('resolves aliases to one field', () => {
    for (const h of ['证件号码', '身份证号', '身份证号码', '公民身份号码', '证件号码（身份证号）']) expect(findColumn(h)?.key, h).toBe('idNumber');
    for (const h of ['县(市、区、旗)', '县', '县（市、区）']) expect(findColumn(h)?.key, h).toBe('county');
    for (const h of ['乡(镇)', '乡镇']) expect(findColumn(h)?.key, h).toBe('township');
    for (const h of ['行政村', '村']) expect(findColumn(h)?.key, h).toBe('village');
    for (const h of ['劳动技能', '劳动能力']) expect(findColumn(h)?.key, h).toBe('labourAbility');
    for (const h of ['主要致贫原因', '致贫原因1']) expect(findColumn(h)?.key, h).toBe('mainPovertyCause');
    expect(findColumn('联系电话')?.key).toBe('memberPhone');
    expect(findColumn('户联系电话')?.key).toBe('householdPhone');
    expect(findColumn('人联系电话')?.key).toBe('memberPhone');
    expect(findColumn('人数')?.key).toBe('memberCount');
  });

  it('normalises full-width brackets, spaces, line breaks, required marks and Latin case', () => {
    expect(findColumn(' 证件号码\n（身份证号）')?.key).toBe('idNumber');
    expect(findColumn('务工时间\r\n(月)')?.key).toBe('monthsWorked');
    expect(findColumn('*姓　名')?.key).toBe('name');
    expect(findColumn('NO.')?.key).toBe('rowNumber');
    expect(normalizeHeader('Ａ（Ｂ）')).toBe('a(b)');
  });

  it('does not take values for columns (缺劳力 is a cause, not a column)', () => {
    expect(findColumn('缺劳力')).toBeUndefined();
    expect(findColumn('缺劳动力')).toBeUndefined();
    expect(findColumn('')).toBeUndefined();
  });
});
