import { describe, expect, it } from 'vitest';
import {
  CROSS_CHECK_KINDS,
  EXCLUSION_RULE_CODES,
  EXCLUSION_RULES,
  crossCheckColumnRole,
  evaluateHousehold,
  findCrossCheckColumns,
  findingKey,
  resolveSettings,
  ruleOfListKind,
  type ListMatch,
  type MemberFacts,
} from './exclusion-rules.ts';

const TODAY = '2026-06-01';
const member = (id: string, birthDate: string, extra: Partial<MemberFacts> = {}): MemberFacts => ({ id, name: `成员${id}`, birthDate, employment: null, monthsWorked: null, status: 'active', alive: true, ...extra });
const defaults = resolveSettings([], '430181125201');
const household = { latestPerCapitaNetIncome: 3500, latestIncomeYear: 2025 };

describe('the rule catalogue', () => {
  it('has each of the issue’s rules with a source, and each list kind feeds exactly one rule', () => {
    expect(EXCLUSION_RULE_CODES).toEqual(['vehicle', 'commercialHousing', 'publicPayroll', 'villageCadre', 'company', 'longAbsent', 'incomeAboveLine']);
    for (const code of EXCLUSION_RULE_CODES) {
      const r = EXCLUSION_RULES[code];
      expect(r.source).toMatch(/REFERENCE §2\.[12]/);
      expect(r.listKind !== null || r.registryData !== null).toBe(true);
    }
    expect(CROSS_CHECK_KINDS.map(ruleOfListKind)).toEqual(['vehicle', 'commercialHousing', 'publicPayroll', 'company', 'villageCadre']);
    expect(EXCLUSION_RULES.incomeAboveLine.defaultParams).toEqual({ line: 4000 });
  });
});

describe('settings per area', () => {
  const rows = [
    { areaCode: '', rule: 'incomeAboveLine', enabled: true, params: { line: 3800 } },
    { areaCode: '430000000000', rule: 'incomeAboveLine', enabled: true, params: { line: 4200 } },
    { areaCode: '430181000000', rule: 'incomeAboveLine', enabled: true, params: { line: 4500 } },
    { areaCode: '430181000000', rule: 'vehicle', enabled: false, params: {} },
    { areaCode: '430100000000', rule: 'longAbsent', enabled: true, params: { minMonths: 99 } },
  ];

  it('takes the most specific area’s row, then wider ones, then the defaults', () => {
    const s = resolveSettings(rows, '430181125201');
    expect(s.incomeAboveLine).toEqual({ enabled: true, params: { line: 4500 }, from: '430181000000' });
    expect(s.vehicle.enabled).toBe(false);
    expect(resolveSettings(rows, '430182100201').incomeAboveLine).toEqual({ enabled: true, params: { line: 4200 }, from: '430000000000' });
    expect(resolveSettings(rows, '440000000000').incomeAboveLine).toEqual({ enabled: true, params: { line: 3800 }, from: '' });
    expect(resolveSettings([], '430181125201').publicPayroll).toEqual({ enabled: true, params: {}, from: null });
  });

  it('falls back to the default params when a stored row no longer validates', () => {
    expect(resolveSettings(rows, '430181125201').longAbsent).toEqual({ enabled: true, params: { minMonths: 6 }, from: '430100000000' });
  });
});

describe('evaluating a household', () => {
  const members = [member('a', '1970-03-12'), member('b', '1972-05-18'), member('c', '2015-01-01')];
  const car: ListMatch = { listId: 'L1', listName: '机动车登记', kind: 'vehicle', memberId: 'b', detail: '号牌号码：湘A12345' };

  it('finds nothing on a poor household on no list', () => {
    expect(evaluateHousehold({ household, members, matches: [], settings: defaults, today: TODAY })).toEqual([]);
  });

  it('names the member and the list of a cross-check match', () => {
    expect(evaluateHousehold({ household, members, matches: [car], settings: defaults, today: TODAY })).toEqual([
      { rule: 'vehicle', memberId: 'b', source: 'L1', listId: 'L1', detail: '机动车登记：号牌号码：湘A12345' },
    ]);
  });

  it('counts a member once per rule, ignores removed or deceased members and disabled rules', () => {
    const twice = [car, { ...car, listId: 'L2', listName: '省级车辆名单' }];
    expect(evaluateHousehold({ household, members, matches: twice, settings: defaults, today: TODAY }).map((f) => f.listId)).toEqual(['L1']);
    const gone = members.map((m) => (m.id === 'b' ? { ...m, status: 'removed' } : m));
    expect(evaluateHousehold({ household, members: gone, matches: [car], settings: defaults, today: TODAY })).toEqual([]);
    const dead = members.map((m) => (m.id === 'b' ? { ...m, alive: false } : m));
    expect(evaluateHousehold({ household, members: dead, matches: [car], settings: defaults, today: TODAY })).toEqual([]);
    const off = resolveSettings([{ areaCode: '430181000000', rule: 'vehicle', enabled: false, params: {} }], '430181125201');
    expect(evaluateHousehold({ household, members, matches: [car], settings: off, today: TODAY })).toEqual([]);
  });

  it('flags an income above the line, not one at the line', () => {
    const above = evaluateHousehold({ household: { latestPerCapitaNetIncome: 4000.01, latestIncomeYear: 2025 }, members, matches: [], settings: defaults, today: TODAY });
    expect(above).toEqual([{ rule: 'incomeAboveLine', memberId: null, source: 'registry', listId: null, detail: expect.stringContaining('4,000.01 元，高于识别标准 4,000.00 元') }]);
    expect(evaluateHousehold({ household: { latestPerCapitaNetIncome: 4000, latestIncomeYear: 2025 }, members, matches: [], settings: defaults, today: TODAY })).toEqual([]);
    expect(evaluateHousehold({ household: { latestPerCapitaNetIncome: null, latestIncomeYear: null }, members, matches: [], settings: defaults, today: TODAY })).toEqual([]);
    const county = resolveSettings([{ areaCode: '430181000000', rule: 'incomeAboveLine', enabled: true, params: { line: 5000 } }], '430181125201');
    expect(evaluateHousehold({ household: { latestPerCapitaNetIncome: 4500, latestIncomeYear: 2025 }, members, matches: [], settings: county, today: TODAY })).toEqual([]);
  });

  it('flags a household whose every member of 16 or more works outside the county long enough', () => {
    const away = { employment: 'outOfProvince', monthsWorked: 10 };
    const absent = [member('a', '1990-01-01', away), member('b', '1992-01-01', { employment: 'inProvince', monthsWorked: 6 }), member('c', '2012-01-01')];
    expect(evaluateHousehold({ household, members: absent, matches: [], settings: defaults, today: TODAY }).map((f) => f.rule)).toEqual(['longAbsent']);
    // A grandmother at home, a member working in the county, or too few months: not absent.
    expect(evaluateHousehold({ household, members: [...absent, member('d', '1950-01-01')], matches: [], settings: defaults, today: TODAY })).toEqual([]);
    expect(evaluateHousehold({ household, members: [absent[0]!, member('b', '1992-01-01', { employment: 'inCounty', monthsWorked: 12 })], matches: [], settings: defaults, today: TODAY })).toEqual([]);
    expect(evaluateHousehold({ household, members: [member('a', '1990-01-01', { employment: 'outOfProvince', monthsWorked: 5 })], matches: [], settings: defaults, today: TODAY })).toEqual([]);
    // A 16-year-old counts from the birthday on.
    expect(evaluateHousehold({ household, members: [absent[0]!, member('e', '2010-06-02')], matches: [], settings: defaults, today: TODAY }).map((f) => f.rule)).toEqual(['longAbsent']);
    expect(evaluateHousehold({ household, members: [absent[0]!, member('e', '2010-06-01')], matches: [], settings: defaults, today: TODAY })).toEqual([]);
  });

  it('keys a finding by rule, member and kind of source, so a newer list is the same finding', () => {
    expect(findingKey({ rule: 'vehicle', memberId: 'b', source: 'L1' })).toBe(findingKey({ rule: 'vehicle', memberId: 'b', source: 'L2' }));
    expect(findingKey({ rule: 'vehicle', memberId: 'b', source: 'L1' })).not.toBe(findingKey({ rule: 'vehicle', memberId: 'a', source: 'L1' }));
    expect(findingKey({ rule: 'incomeAboveLine', memberId: null, source: 'registry' })).toBe('incomeAboveLine||registry');
  });
});

describe('the columns of a cross-check list', () => {
  it('finds the header below a title row, with tolerant spellings', () => {
    const c = findCrossCheckColumns([
      ['浏阳市机动车登记信息（2025 年 12 月）'],
      ['序号', '车主姓名', ' 公民身份号码 ', '号牌号码', '车辆类型', '备注'],
    ]);
    expect(c).toEqual({
      headerRowIndex: 1,
      idNumber: { index: 2, header: '公民身份号码' },
      name: { index: 1, header: '车主姓名' },
      details: [
        { index: 3, header: '号牌号码' },
        { index: 4, header: '车辆类型' },
      ],
    });
  });

  it('reads a business list keyed by the legal representative’s ID number', () => {
    const c = findCrossCheckColumns([['企业名称', '法定代表人', '法定代表人身份证号', '统一社会信用代码']]);
    expect(c?.idNumber.index).toBe(2);
    expect(c?.name?.index).toBe(1);
    expect(c?.details.map((d) => d.header)).toEqual(['企业名称', '统一社会信用代码']);
  });

  it('recognises each kind’s detail column and refuses a sheet without an ID-number column', () => {
    for (const h of ['车牌号', '房屋坐落', '工作单位', '企业名称', '职务', '不动产坐落(地址)']) expect(crossCheckColumnRole(h)).toBe('detail');
    for (const h of ['身份证号', '身份证号码', '证件号码', '身份证号*']) expect(crossCheckColumnRole(h)).toBe('idNumber');
    expect(crossCheckColumnRole('证件类型')).toBeNull();
    expect(findCrossCheckColumns([['姓名', '车牌号']])).toBeNull();
  });
});
