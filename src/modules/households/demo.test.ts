import { describe, expect, it } from 'vitest';
import { validateIdNumber } from '../../shared/id-number.ts';
import { POVERTY_CAUSE_SHARES, isCodeValue } from './codes.ts';
import { generateHouseholds, mulberry32, type DemoHousehold } from './demo.ts';
import { deriveIncome, memberWarnings } from './rules.ts';

const villages = [
  { code: '430181125201', name: '中岳村', weight: 4 },
  { code: '430181125202', name: '测试二村' },
  { code: '430181001001', name: '测试三村' },
];
const gen = (seed: number, count: number): DemoHousehold[] => [...generateHouseholds({ seed, count, villages, year: 2026 })];

describe('mulberry32', () => {
  it('gives the same sequence for a seed, within [0, 1)', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const xs = Array.from({ length: 1000 }, () => a());
    expect(xs).toEqual(Array.from({ length: 1000 }, () => b()));
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
  });
});

describe('generateHouseholds', () => {
  const big = gen(2026, 5000);

  it('is deterministic: the same seed and count give the same data; another seed other data', () => {
    expect(gen(2026, 50)).toEqual(big.slice(0, 50));
    expect(gen(7, 50)[0]!.members[0]!.idNumber).not.toBe(big[0]!.members[0]!.idNumber);
  });

  it('gives valid 18-character ID numbers of the village county, matching birth date and sex, unique across the run', () => {
    const seen = new Set<string>();
    for (const h of big) {
      for (const m of h.members) {
        const r = validateIdNumber(m.idNumber, { birthDate: m.birthDate, sex: m.sex as 'male' | 'female', today: '2026-01-01' });
        expect(r.ok, `${m.idNumber} ${JSON.stringify(r)}`).toBe(true);
        expect(m.idNumber.slice(0, 6)).toBe(h.household.areaCode.slice(0, 6));
        expect(seen.has(m.idNumber)).toBe(false);
        seen.add(m.idNumber);
      }
    }
  });

  it('has exactly one head per household, head first, 1–7 members, mean size about 3.3, and no plausibility warnings', () => {
    let persons = 0;
    for (const h of big) {
      expect(h.members.filter((m) => m.relationToHead === 'head')).toHaveLength(1);
      expect(h.members[0]!.relationToHead).toBe('head');
      expect(h.household.headName).toBe(h.members[0]!.name);
      expect(h.household.memberCount).toBe(h.members.length);
      expect(h.members.length).toBeGreaterThanOrEqual(1);
      expect(h.members.length).toBeLessThanOrEqual(7);
      persons += h.members.length;
      for (const m of h.members) {
        expect(memberWarnings(m, '2026-01-01')).toEqual([]);
        for (const list of ['relationToHead', 'sex', 'education', 'schooling', 'health', 'labourAbility', 'ethnicity', 'politicalStatus'] as const) {
          expect(isCodeValue(list, m[list]), `${list} ${m[list]}`).toBe(true);
        }
        if (m.monthsWorked !== null) expect(m.monthsWorked).toBeGreaterThanOrEqual(0);
        if ((m.monthsWorked ?? 0) > 0) expect(m.employment).not.toBeNull();
      }
    }
    expect(persons / big.length).toBeGreaterThan(3.1);
    expect(persons / big.length).toBeLessThan(3.6);
  });

  it('derives every income figure exactly as deriveIncome does, and keeps the latest on the household', () => {
    for (const h of big) {
      expect(h.incomes.length).toBeGreaterThanOrEqual(2);
      for (const r of h.incomes) {
        const d = deriveIncome(r, r.memberCount);
        expect(r.netIncome).toBe(d.netIncome);
        expect(r.perCapitaNetIncome).toBe(d.perCapitaNetIncome);
        for (const k of ['wageIncome', 'productionIncome', 'propertyIncome', 'transferIncome', 'productionCosts'] as const) expect(r[k]).toBeGreaterThanOrEqual(0);
      }
      expect(h.household.latestIncomeYear).toBe(h.incomes[0]!.year);
      expect(h.household.latestPerCapitaNetIncome).toBe(h.incomes[0]!.perCapitaNetIncome);
    }
  });

  it('draws main causes close to POVERTY_CAUSE_SHARES, at most two other causes, never the main one', () => {
    const counts = new Map<string, number>();
    for (const h of big) {
      const c = h.household.mainPovertyCause;
      if (h.household.householdType === 'registeredPoor') expect(c).not.toBeNull();
      counts.set(String(c), (counts.get(String(c)) ?? 0) + 1);
      expect(h.household.otherPovertyCauses.length).toBeLessThanOrEqual(2);
      expect(h.household.otherPovertyCauses).not.toContain(c);
      expect(new Set(h.household.otherPovertyCauses).size).toBe(h.household.otherPovertyCauses.length);
    }
    for (const [cause, share] of Object.entries(POVERTY_CAUSE_SHARES.shares)) {
      expect(Math.abs((counts.get(cause) ?? 0) / big.length - share!), cause).toBeLessThan(0.02);
    }
  });

  it('gives no child a school it is too old or too young for, and only working-age members months worked', () => {
    for (const h of big) {
      for (const m of h.members) {
        const age = 2026 - Number(m.birthDate.slice(0, 4)) - 1;
        if (m.schooling === 'primary') expect(age).toBeLessThan(13);
        if (m.schooling !== 'notInSchool') expect(age).toBeLessThan(22);
        if ((m.monthsWorked ?? 0) > 0) expect(age).toBeGreaterThanOrEqual(16);
      }
    }
  });

  it('numbers households per village from the given counters and puts more in heavier villages', () => {
    const few = [...generateHouseholds({ seed: 1, count: 600, villages, year: 2026, nextSeq: new Map([['430181125201', 17]]) })];
    const first = few.find((h) => h.household.areaCode === '430181125201')!;
    expect(first.household.householdNo).toBe('4301811252010017');
    const nos = few.map((h) => h.household.householdNo);
    expect(new Set(nos).size).toBe(nos.length);
    const heavy = few.filter((h) => h.household.areaCode === '430181125201').length;
    expect(heavy).toBeGreaterThan(300);
  });

  it('skips ID numbers already taken', () => {
    const [a] = gen(3, 1);
    const taken = new Set(a!.members.map((m) => m.idNumber));
    const [b] = [...generateHouseholds({ seed: 3, count: 1, villages, year: 2026, takenIdNumbers: taken })];
    for (const m of b!.members) expect(taken.has(m.idNumber)).toBe(false);
    expect(b!.members.map((m) => m.name)).toEqual(a!.members.map((m) => m.name));
  });
});
