import { describe, expect, it } from 'vitest';
import { checkVillageTransition, incidenceOf, regionReference, villageActionsFrom, villageAdvice, type VillageFigures } from './village-rules.ts';

describe('the poor-village transition table', () => {
  it('walks 村申请 → 乡初审 → 县审核认定, each step naming the permission it needs', () => {
    expect(checkVillageTransition('applied', 'reviewTownship')).toEqual({ ok: true, to: 'townshipReviewed', permission: 'identification.village-review' });
    expect(checkVillageTransition('townshipReviewed', 'designate')).toEqual({ ok: true, to: 'designated', permission: 'identification.village-approve' });
  });

  it('rejects at either review with a reason; the county level is needed after the township review', () => {
    expect(checkVillageTransition('applied', 'reject', { reason: '发生率低于全县平均' })).toEqual({ ok: true, to: 'rejected', permission: 'identification.village-review' });
    expect(checkVillageTransition('townshipReviewed', 'reject', { reason: '收入高于标准' })).toEqual({ ok: true, to: 'rejected', permission: 'identification.village-approve' });
    expect(checkVillageTransition('applied', 'reject', { reason: '  ' })).toMatchObject({ ok: false, code: 'REASON_REQUIRED' });
    expect(checkVillageTransition('townshipReviewed', 'reject')).toMatchObject({ ok: false, code: 'REASON_REQUIRED' });
  });

  it('refuses a skipped or repeated step and any step after the end', () => {
    const skip = checkVillageTransition('applied', 'designate');
    expect(skip).toMatchObject({ ok: false, code: 'STEP_NOT_ALLOWED' });
    expect(!skip.ok && skip.message).toMatch(/乡镇初审/);
    expect(checkVillageTransition('townshipReviewed', 'reviewTownship')).toMatchObject({ ok: false, code: 'STEP_NOT_ALLOWED' });
    for (const a of ['reviewTownship', 'designate', 'reject'] as const) {
      expect(checkVillageTransition('designated', a, { reason: 'x' })).toMatchObject({ ok: false, code: 'PROCEDURE_ENDED' });
      expect(checkVillageTransition('rejected', a, { reason: 'x' })).toMatchObject({ ok: false, code: 'PROCEDURE_ENDED' });
    }
  });

  it('lists the next steps of each state', () => {
    expect(villageActionsFrom('applied')).toEqual(['reviewTownship', 'reject']);
    expect(villageActionsFrom('townshipReviewed')).toEqual(['designate', 'reject']);
    expect(villageActionsFrom('designated')).toEqual([]);
  });
});

describe('the advice: 一高一低 and the relative-poverty village test', () => {
  const v = (income: number | null, registered: number | null, poor: number | null): VillageFigures => ({ perCapitaNetIncome: income, registeredPopulation: registered, poorPopulation: poor });

  it('computes the county reference from its villages, income weighted by population', () => {
    // Incidence: (100 + 20 + 30) / (1000 + 2000 + 1000) = 150 / 4000 = 3.75 %.
    // Income: (4000·1000 + 10000·2000 + 9000·1000) / 4000 = 33 000 000 / 4000 = 8250.
    const ref = regionReference([v(4000, 1000, 100), v(10000, 2000, 20), v(9000, 1000, 30), v(null, null, null)]);
    expect(ref.incidence).toBeCloseTo(0.0375, 10);
    expect(ref.averageIncome).toBeCloseTo(8250, 6);
    expect(ref.villages).toBe(3);
    expect(regionReference([v(5000, null, null), v(7000, null, null)]).averageIncome).toBe(6000);
    expect(regionReference([])).toEqual({ incidence: null, averageIncome: null, villages: 0 });
  });

  it('flags a village with twice the incidence and less than 60 % of the income', () => {
    const ref = { incidence: 0.0375, averageIncome: 8250, villages: 3 };
    // 10 % ≥ 7.5 %, and 4000 < 4950 (60 % of 8250).
    const a = villageAdvice(v(4000, 1000, 100), ref);
    expect(a).toMatchObject({ highIncidence: true, lowIncome: true, oneHighOneLow: true, relativePoorVillage: true });
    expect(a.incidence).toBeCloseTo(0.1, 10);
    // 7 % < 7.5 %: not 一高; income 4950 is not below 4950.
    expect(villageAdvice(v(4950, 1000, 70), ref)).toMatchObject({ highIncidence: false, lowIncome: false, oneHighOneLow: false, relativePoorVillage: true });
    // Guangdong: 8000 is not below 8000; 4.9 % is below 5 %.
    expect(villageAdvice(v(8000, 1000, 100), ref).relativePoorVillage).toBe(false);
    expect(villageAdvice(v(7999, 1000, 49), ref).relativePoorVillage).toBe(false);
    expect(villageAdvice(v(7999, 1000, 50), ref).relativePoorVillage).toBe(true);
  });

  it('says "unknown" (null) where a figure is missing, and "no" when one known part fails', () => {
    const ref = { incidence: 0.0375, averageIncome: 8250, villages: 3 };
    expect(villageAdvice(v(null, 1000, 100), ref)).toMatchObject({ highIncidence: true, lowIncome: null, oneHighOneLow: null });
    expect(villageAdvice(v(9000, null, null), ref)).toMatchObject({ highIncidence: null, lowIncome: false, oneHighOneLow: false });
    expect(villageAdvice(v(4000, 1000, 100), { incidence: null, averageIncome: null, villages: 0 })).toMatchObject({ highIncidence: null, lowIncome: null, oneHighOneLow: null });
    expect(incidenceOf({ registeredPopulation: 0, poorPopulation: 0 })).toBeNull();
  });
});
