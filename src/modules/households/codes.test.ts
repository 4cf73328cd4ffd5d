import { describe, expect, it } from 'vitest';
import {
  CODE_LISTS,
  CODE_LIST_IDS,
  ETHNICITY,
  MEMBER_CHANGE_DIRECTION,
  MEMBER_CHANGE_REASON,
  POVERTY_CAUSE,
  POVERTY_CAUSE_NUMBERINGS,
  POVERTY_CAUSE_SHARES,
  POVERTY_CAUSE_SHARE_FIGURES,
  causeFromNumber,
  causeToNumber,
  codeLabel,
  codeValue,
  findCodeItem,
  isCodeValue,
  normalizeCodeInput,
  type CodeList,
  type PovertyCauseNumberingId,
} from './codes.ts';

const lists = CODE_LIST_IDS.map((id) => [id, CODE_LISTS[id] as CodeList] as const);

function duplicates(xs: readonly string[]): string[] {
  return xs.filter((x, i) => xs.indexOf(x) !== i);
}

describe('code lists', () => {
  it('are registered under their own ids, with a label and a source', () => {
    for (const [id, list] of lists) {
      expect(list.id).toBe(id);
      expect(list.label.zh).not.toBe('');
      expect(list.label.en).not.toBe('');
      expect(list.source.length).toBeGreaterThan(10);
      expect(list.items.length).toBeGreaterThan(1);
    }
  });

  it.each(lists)('%s has unique values, codes and labels', (_id, list) => {
    expect(duplicates(list.items.map((i) => i.value))).toEqual([]);
    expect(duplicates(list.items.flatMap((i) => (i.code === undefined ? [] : [i.code])))).toEqual([]);
    expect(duplicates(list.items.map((i) => i.label.zh))).toEqual([]);
    expect(duplicates(list.items.map((i) => i.label.en))).toEqual([]);
  });

  it.each(lists)('%s has camelCase values and non-empty labels', (_id, list) => {
    for (const item of list.items) {
      expect(item.value).toMatch(/^[a-z][A-Za-z0-9]*$/);
      expect(item.label.zh.trim()).toBe(item.label.zh);
      expect(item.label.en.trim()).not.toBe('');
    }
  });

  it.each(lists)('%s: every value, code, label and alias resolves to its own item, and to one item only', (id, list) => {
    const owner = new Map<string, string>();
    for (const item of list.items) {
      const keys = [item.value, item.label.zh, ...(item.code ? [item.code] : []), ...(item.aliases ?? [])];
      for (const key of keys) {
        const k = normalizeCodeInput(key);
        const prev = owner.get(k);
        expect(prev === undefined || prev === item.value, `${id}: "${key}" names both ${prev} and ${item.value}`).toBe(true);
        owner.set(k, item.value);
        expect(findCodeItem(id, key)?.value).toBe(item.value);
      }
    }
  });

  it('no alias repeats its own label', () => {
    for (const [, list] of lists) {
      for (const item of list.items) {
        for (const alias of item.aliases ?? []) expect(alias).not.toBe(item.label.zh);
      }
    }
  });
});

describe('findCodeItem', () => {
  it('resolves a value, a national code, a Chinese label and an alias', () => {
    expect(findCodeItem('povertyCause', 'lackOfLabour')?.label.zh).toBe('缺劳动力');
    expect(findCodeItem('povertyCause', '缺劳动力')?.value).toBe('lackOfLabour');
    expect(findCodeItem('povertyCause', '缺劳力')?.value).toBe('lackOfLabour');
    expect(findCodeItem('povertyAttribute', '五保贫困户')?.value).toBe('extremeHardship');
    expect(findCodeItem('povertyAttribute', '特困供养贫困户')?.value).toBe('extremeHardship');
    expect(findCodeItem('relationToHead', '01')?.value).toBe('head');
    expect(findCodeItem('relationToHead', '户主')?.value).toBe('head');
    expect(findCodeItem('relationToHead', '99')?.value).toBe('other');
    expect(findCodeItem('ethnicity', '04')?.value).toBe('zang');
    expect(findCodeItem('ethnicity', '维吾尔')?.value).toBe('uygur');
    expect(findCodeItem('ethnicity', '崩龙族')?.value).toBe('deang');
    expect(findCodeItem('sex', '2')?.value).toBe('female');
    expect(findCodeItem('housingDangerGrade', 'd')?.value).toBe('gradeD');
  });

  it('normalises spaces, full-width digits and brackets, and leading zeros of numeric codes', () => {
    expect(findCodeItem('povertyCause', '  因 病 ')?.value).toBe('illness');
    expect(findCodeItem('povertyCause', '\u3000缺资金\u3000')?.value).toBe('lackOfFunds');
    expect(findCodeItem('relationToHead', '０２')?.value).toBe('spouse');
    expect(findCodeItem('relationToHead', '2')?.value).toBe('spouse');
    expect(findCodeItem('relationToHead', 2)?.value).toBe('spouse');
    expect(findCodeItem('ethnicity', ' 5 ')?.value).toBe('uygur');
    expect(findCodeItem('employment', '乡（镇）内务工')?.value).toBe('inTownship');
    expect(findCodeItem('disabilityGrade', '２级')?.value).toBe('grade2');
    expect(findCodeItem('povertyCause', 'LACKOFLAND')?.value).toBe('lackOfLand');
  });

  it('answers undefined for nothing, blanks and unknown inputs', () => {
    expect(findCodeItem('povertyCause', undefined)).toBeUndefined();
    expect(findCodeItem('povertyCause', null)).toBeUndefined();
    expect(findCodeItem('povertyCause', '   ')).toBeUndefined();
    expect(findCodeItem('povertyCause', '因懒')).toBeUndefined();
    expect(findCodeItem('relationToHead', '21')).toBeUndefined();
    expect(findCodeItem('ethnicity', '99')).toBeUndefined();
  });
});

describe('codeLabel, isCodeValue and codeValue', () => {
  it('labels a value in either language, and shows an unknown value as it is', () => {
    expect(codeLabel('povertyCause', 'illness', 'zh')).toBe('因病');
    expect(codeLabel('povertyCause', 'illness', 'en')).toBe('Illness');
    expect(codeLabel('householdType', 'monitored')).toBe('监测户');
    expect(codeLabel('povertyCause', 'nonsense', 'en')).toBe('nonsense');
  });

  it('accepts stored values only', () => {
    expect(isCodeValue('sex', 'male')).toBe(true);
    expect(isCodeValue('sex', '1')).toBe(false);
    expect(isCodeValue('sex', '男')).toBe(false);
    expect(isCodeValue('sex', 1)).toBe(false);
  });

  it('builds a zod enum of the values with a bilingual message naming the list', () => {
    const schema = codeValue('povertyCause');
    expect(schema.parse('illness')).toBe('illness');
    expect(schema.options).toEqual(POVERTY_CAUSE.items.map((i) => i.value));
    const result = schema.safeParse('因病');
    expect(result.success).toBe(false);
    const message = result.error!.issues[0]!.message;
    expect(message).toContain('致贫原因');
    expect(message).toContain('poverty cause');
  });
});

describe('poverty cause numberings', () => {
  const ids = Object.keys(POVERTY_CAUSE_NUMBERINGS) as PovertyCauseNumberingId[];

  it.each(ids)('%s maps every number 1..n to a distinct cause and round-trips', (id) => {
    const numbering = POVERTY_CAUSE_NUMBERINGS[id];
    expect(numbering.source.length).toBeGreaterThan(10);
    const numbers = Object.keys(numbering.numbers).map(Number).sort((a, b) => a - b);
    expect(numbers).toEqual(numbers.map((_, i) => i + 1));
    const causes = numbers.map((n) => causeFromNumber(id, n));
    expect(duplicates(causes.map(String))).toEqual([]);
    for (const [i, cause] of causes.entries()) {
      expect(cause).toBeDefined();
      expect(POVERTY_CAUSE.items.some((item) => item.value === cause)).toBe(true);
      expect(causeToNumber(id, cause!)).toBe(numbers[i]);
    }
    expect(causeFromNumber(id, 0)).toBeUndefined();
    expect(causeFromNumber(id, numbers.length + 1)).toBeUndefined();
  });

  it('reads numbers as written in files', () => {
    expect(causeFromNumber('form2014', '01')).toBe('illness');
    expect(causeFromNumber('form2014', '１２')).toBe('other');
    expect(causeFromNumber('commonApp', ' 8 ')).toBe('lackOfLabour');
    expect(causeFromNumber('national2017', 5)).toBe('marriage');
    expect(causeFromNumber('national2017', 9)).toBe('lackOfFunds');
    expect(causeFromNumber('commonApp', 12)).toBeUndefined();
    expect(causeFromNumber('form2014', 'x')).toBeUndefined();
    expect(causeFromNumber('form2014', 1.5)).toBeUndefined();
    expect(causeToNumber('commonApp', 'other')).toBeUndefined();
  });
});

describe('poverty cause shares', () => {
  it('the main-cause distribution sums to about 1 (with 未填), over known causes', () => {
    const sum = Object.values(POVERTY_CAUSE_SHARES.shares).reduce((a, b) => a + b, 0) + (POVERTY_CAUSE_SHARES.unspecified ?? 0);
    expect(POVERTY_CAUSE_SHARES.basis).toBe('mainCause');
    expect(sum).toBeGreaterThan(0.99);
    expect(sum).toBeLessThan(1.01);
    expect(POVERTY_CAUSE_SHARES.year).toBe(2016);
  });

  it('every figure has a source and a year and uses known causes; multi-cause figures exceed 1', () => {
    for (const table of [POVERTY_CAUSE_SHARES, ...POVERTY_CAUSE_SHARE_FIGURES]) {
      expect(table.source).not.toBe('');
      expect(table.year).toBeGreaterThanOrEqual(2013);
      const causes = [...Object.keys(table.shares), ...(table.combined ?? []).flatMap((c) => c.causes)];
      for (const cause of causes) expect(POVERTY_CAUSE.items.some((i) => i.value === cause)).toBe(true);
      for (const share of Object.values(table.shares)) expect(share >= 0 && share <= 1).toBe(true);
      if (table.basis === 'anyCause') {
        const sum = Object.values(table.shares).reduce((a, b) => a + b, 0) + (table.combined ?? []).reduce((a, c) => a + c.share, 0);
        expect(sum).toBeGreaterThan(1);
      }
    }
  });
});

describe('particular lists', () => {
  it('ethnicity has the 56 groups of GB/T 3304-1991 coded 01–56, then 97 and 98', () => {
    const standard = ETHNICITY.items.filter((i) => Number(i.code) <= 56);
    expect(standard).toHaveLength(56);
    expect(standard.map((i) => i.code)).toEqual(Array.from({ length: 56 }, (_, i) => String(i + 1).padStart(2, '0')));
    expect(standard[0]!.label.zh).toBe('汉族');
    expect(standard[55]!.label.zh).toBe('基诺族');
    expect(standard.every((i) => i.label.zh.endsWith('族'))).toBe(true);
    expect(ETHNICITY.items.slice(56).map((i) => i.code)).toEqual(['97', '98']);
  });

  it('relationToHead has the national codes 01–20 and 99', () => {
    const codes = CODE_LISTS.relationToHead.items.map((i) => i.code);
    expect(codes).toEqual([...Array.from({ length: 20 }, (_, i) => String(i + 1).padStart(2, '0')), '99']);
  });

  it('politicalStatus runs 01 中共党员 … 13 群众; labourAbility has five types', () => {
    const ps = CODE_LISTS.politicalStatus.items;
    expect(ps).toHaveLength(13);
    expect([ps[0]!.code, ps[0]!.label.zh, ps[12]!.code, ps[12]!.label.zh]).toEqual(['01', '中共党员', '13', '群众']);
    expect(CODE_LISTS.labourAbility.items).toHaveLength(5);
  });

  it('every member change reason has a direction', () => {
    expect(Object.keys(MEMBER_CHANGE_DIRECTION).sort()).toEqual(MEMBER_CHANGE_REASON.items.map((i) => i.value).sort());
  });
});
