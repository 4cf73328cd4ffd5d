/**
 * Unit tests of assistance's pure rules: policy coverage per household (应享尽享), visit status,
 * calendar arithmetic and the school year.
 */
import { describe, expect, it } from 'vitest';
import {
  addDays,
  COVERAGE_INDICATORS,
  daysBetween,
  householdCoverage,
  overloaded,
  schoolYearStart,
  visitStatus,
  type CoverageHousehold,
  type CoverageIndicator,
  type CoverageMember,
  type CoverageResult,
} from './rules.ts';

let seq = 0;
/** A living adult member with nothing special: able to work, insured, not in school. */
function person(extra: Partial<CoverageMember> = {}): CoverageMember {
  seq += 1;
  return {
    id: `m${seq}`,
    name: `成员${seq}`,
    birthDate: '1980-05-05',
    alive: true,
    schooling: null,
    labourAbility: 'ordinaryLabour',
    medicalInsurance: true,
    minimumLiving: false,
    extremeHardship: false,
    ...extra,
  };
}

function household(members: CoverageMember[], extra: Partial<CoverageHousehold> = {}): CoverageHousehold {
  return { povertyAttribute: 'general', housingDangerGrade: null, housingRenovated: false, relocated: false, members, measures: [], ...extra };
}

function of(results: CoverageResult[], indicator: CoverageIndicator): CoverageResult {
  const r = results.find((x) => x.indicator === indicator);
  if (!r) throw new Error(`no result for ${indicator}`);
  return r;
}

const AS_OF = '2026-03-15';

describe('householdCoverage: one result per indicator, in display order', () => {
  it('answers every indicator of COVERAGE_INDICATORS', () => {
    const results = householdCoverage(household([person()]), AS_OF);
    expect(results.map((r) => r.indicator)).toEqual(COVERAGE_INDICATORS.map((i) => i.id));
  });

  it('a household of one insured adult able to work should receive nothing else', () => {
    const results = householdCoverage(household([person()]), AS_OF);
    expect(results.map((r) => [r.indicator, r.should, r.receives])).toEqual([
      ['compulsorySchooling', 0, 0],
      ['medicalInsurance', 1, 1],
      ['minimumLiving', 0, 0],
      ['housingSafety', 0, 0],
      ['educationSubsidy', 0, 0],
    ]);
  });
});

describe('compulsory schooling: ages 6–15 at the start of the school year (1 September)', () => {
  it('a child who turns 6 after 1 September is not yet of school age; one who turned 6 on 1 September is', () => {
    // School year 2025/26 starts on 2025-09-01.
    const late = person({ birthDate: '2019-09-02', schooling: 'preschool', labourAbility: null });
    const onTheDay = person({ birthDate: '2019-09-01', schooling: 'primary', labourAbility: null });
    const r = of(householdCoverage(household([person(), late, onTheDay]), AS_OF), 'compulsorySchooling');
    expect(r).toEqual({ indicator: 'compulsorySchooling', should: 1, receives: 1, gaps: [] });
  });

  it('a 15-year-old counts (and is a gap out of school); a 16-year-old does not', () => {
    const fifteen = person({ birthDate: '2010-01-10', schooling: 'notInSchool', labourAbility: null });
    const sixteen = person({ birthDate: '2009-08-31', schooling: 'notInSchool', labourAbility: null });
    const r = of(householdCoverage(household([person(), fifteen, sixteen]), AS_OF), 'compulsorySchooling');
    expect(r.should).toBe(1);
    expect(r.receives).toBe(0);
    expect(r.gaps).toEqual([{ memberId: fifteen.id, name: fifteen.name }]);
  });

  it('a school-age child still in pre-school, or with schooling unknown, is a gap', () => {
    const pre = person({ birthDate: '2018-03-01', schooling: 'preschool', labourAbility: null });
    const unknown = person({ birthDate: '2014-06-01', schooling: null, labourAbility: null });
    const grade9 = person({ birthDate: '2011-02-01', schooling: 'grade9', labourAbility: null });
    const r = of(householdCoverage(household([pre, unknown, grade9]), AS_OF), 'compulsorySchooling');
    expect([r.should, r.receives]).toEqual([3, 1]);
    expect(r.gaps.map((g) => g.memberId)).toEqual([pre.id, unknown.id]);
  });

  it('the school year turns on 1 September: the same child counts from then on', () => {
    const child = person({ birthDate: '2020-07-01', schooling: 'preschool', labourAbility: null });
    expect(of(householdCoverage(household([child]), '2026-08-31'), 'compulsorySchooling').should).toBe(0);
    expect(of(householdCoverage(household([child]), '2026-09-01'), 'compulsorySchooling').should).toBe(1);
  });

  it('a dead child does not count', () => {
    const dead = person({ birthDate: '2015-01-01', schooling: 'notInSchool', alive: false, labourAbility: null });
    expect(of(householdCoverage(household([person(), dead]), AS_OF), 'compulsorySchooling').should).toBe(0);
  });
});

describe('medical insurance: every living member', () => {
  it('the insured flag, or a 医保参保资助 naming the member within 365 days, counts', () => {
    const flagged = person();
    const paid = person({ medicalInsurance: false });
    const paidLongAgo = person({ medicalInsurance: false });
    const none = person({ medicalInsurance: false });
    const dead = person({ medicalInsurance: false, alive: false });
    const h = household([flagged, paid, paidLongAgo, none, dead], {
      measures: [
        { type: 'medicalPremium', memberIds: [paid.id], onDate: addDays(AS_OF, -364) },
        { type: 'medicalPremium', memberIds: [paidLongAgo.id], onDate: addDays(AS_OF, -365) },
        // A premium for someone else, or a measure of another type, does not cover `none`.
        { type: 'medicalAid', memberIds: [none.id], onDate: AS_OF },
      ],
    });
    const r = of(householdCoverage(h, AS_OF), 'medicalInsurance');
    expect([r.should, r.receives]).toEqual([4, 2]);
    expect(r.gaps.map((g) => g.name)).toEqual([paidLongAgo.name, none.name]);
  });

  it('a premium recorded after the date asked about does not count yet', () => {
    const m = person({ medicalInsurance: false });
    const h = household([m], { measures: [{ type: 'medicalPremium', memberIds: [m.id], onDate: addDays(AS_OF, 1) }] });
    expect(of(householdCoverage(h, AS_OF), 'medicalInsurance').receives).toBe(0);
  });
});

describe('minimum-living backstop: households without a member able to work', () => {
  const old = () => person({ birthDate: '1940-01-01', labourAbility: 'lostLabour' });

  it('a household of members who lost labour ability (or have none recorded) should receive it', () => {
    const h = household([old(), person({ birthDate: '2012-01-01', labourAbility: null, schooling: 'grade7' })]);
    expect(of(householdCoverage(h, AS_OF), 'minimumLiving')).toEqual({ indicator: 'minimumLiving', should: 1, receives: 0, gaps: [] });
  });

  it('a household with only weak labour is not eligible for the backstop', () => {
    const h = household([old(), person({ labourAbility: 'weakLabour' })]);
    expect(of(householdCoverage(h, AS_OF), 'minimumLiving').should).toBe(0);
  });

  it('a household whose labour ability is not recorded at all is not counted (a data gap, not a coverage gap)', () => {
    const h = household([person({ birthDate: '1970-01-01', labourAbility: null }), person({ birthDate: '2012-01-01', labourAbility: null, schooling: 'grade7' })]);
    expect(of(householdCoverage(h, AS_OF), 'minimumLiving').should).toBe(0);
  });

  it('a dead member able to work leaves the household without labour', () => {
    const h = household([old(), person({ alive: false })]);
    expect(of(householdCoverage(h, AS_OF), 'minimumLiving').should).toBe(1);
  });

  it('receives it by the household attribute, a member’s flag, or a 低保 / 特困 measure within 365 days', () => {
    const receives = (extra: Partial<CoverageHousehold>, members = [old()]) => of(householdCoverage(household(members, extra), AS_OF), 'minimumLiving').receives;
    expect(receives({ povertyAttribute: 'minimumLiving' })).toBe(1);
    expect(receives({ povertyAttribute: 'extremeHardship' })).toBe(1);
    expect(receives({}, [person({ labourAbility: 'noLabour', minimumLiving: true })])).toBe(1);
    expect(receives({}, [person({ labourAbility: 'noLabour', extremeHardship: true })])).toBe(1);
    expect(receives({ measures: [{ type: 'minimumLiving', memberIds: [], onDate: addDays(AS_OF, -100) }] })).toBe(1);
    expect(receives({ measures: [{ type: 'extremeHardship', memberIds: [], onDate: addDays(AS_OF, -400) }] })).toBe(0);
    expect(receives({ measures: [{ type: 'medicalAid', memberIds: [], onDate: AS_OF }] })).toBe(0);
  });

  it('a household whose members are all gone (no living member) should not receive it', () => {
    expect(of(householdCoverage(household([person({ alive: false })]), AS_OF), 'minimumLiving').should).toBe(0);
  });
});

describe('housing safety: C and D grades only', () => {
  const grade = (g: string | null, extra: Partial<CoverageHousehold> = {}) => {
    const r = of(householdCoverage(household([person()], { housingDangerGrade: g, ...extra }), AS_OF), 'housingSafety');
    return [r.should, r.receives];
  };

  it('A, B or no grade should not receive it; C and D should', () => {
    expect(grade(null)).toEqual([0, 0]);
    expect(grade('A')).toEqual([0, 0]);
    expect(grade('B')).toEqual([0, 0]);
    expect(grade('C')).toEqual([1, 0]);
    expect(grade('D')).toEqual([1, 0]);
  });

  it('renovated, relocated, or a 危房改造 / 易地扶贫搬迁 measure of any earlier date counts', () => {
    expect(grade('C', { housingRenovated: true })).toEqual([1, 1]);
    expect(grade('D', { relocated: true })).toEqual([1, 1]);
    expect(grade('D', { measures: [{ type: 'housingRenovation', memberIds: [], onDate: '2017-06-01' }] })).toEqual([1, 1]);
    expect(grade('C', { measures: [{ type: 'relocation', memberIds: [], onDate: '2018-06-01' }] })).toEqual([1, 1]);
    expect(grade('C', { measures: [{ type: 'housingRenovation', memberIds: [], onDate: addDays(AS_OF, 30) }] })).toEqual([1, 0]);
    expect(grade('C', { measures: [{ type: 'biogas', memberIds: [], onDate: '2020-01-01' }] })).toEqual([1, 0]);
  });
});

describe('education subsidy: every living student, pre-school included', () => {
  it('pre-school counts as a student; a subsidy naming the student within 365 days counts', () => {
    const pre = person({ birthDate: '2021-01-01', schooling: 'preschool', labourAbility: null });
    const pupil = person({ birthDate: '2014-01-01', schooling: 'primary', labourAbility: null });
    const college = person({ birthDate: '2005-01-01', schooling: 'college' });
    const out = person({ birthDate: '2008-01-01', schooling: 'notInSchool' });
    const h = household([person(), pre, pupil, college, out], {
      measures: [
        { type: 'educationPreschool', memberIds: [pre.id], onDate: addDays(AS_OF, -10) },
        { type: 'educationHigher', memberIds: [college.id], onDate: addDays(AS_OF, -364) },
      ],
    });
    const r = of(householdCoverage(h, AS_OF), 'educationSubsidy');
    expect([r.should, r.receives]).toEqual([3, 2]);
    expect(r.gaps).toEqual([{ memberId: pupil.id, name: pupil.name }]);
  });

  it('a subsidy older than 365 days does not count', () => {
    const pupil = person({ birthDate: '2014-01-01', schooling: 'grade7', labourAbility: null });
    const h = household([pupil], { measures: [{ type: 'educationCompulsory', memberIds: [pupil.id], onDate: addDays(AS_OF, -365) }] });
    const r = of(householdCoverage(h, AS_OF), 'educationSubsidy');
    expect([r.should, r.receives]).toEqual([1, 0]);
  });

  it('a subsidy of another type (training) does not count, nor one naming another member', () => {
    const a = person({ schooling: 'senior1', birthDate: '2009-03-01' });
    const b = person({ schooling: 'senior2', birthDate: '2008-03-01' });
    const h = household([a, b], {
      measures: [
        { type: 'yuluTraining', memberIds: [a.id], onDate: AS_OF },
        { type: 'educationSenior', memberIds: [b.id], onDate: AS_OF },
      ],
    });
    expect(of(householdCoverage(h, AS_OF), 'educationSubsidy').gaps.map((g) => g.memberId)).toEqual([a.id]);
  });

  it('a dead student does not count', () => {
    const h = household([person({ schooling: 'primary', alive: false, birthDate: '2016-01-01' })]);
    expect(of(householdCoverage(h, AS_OF), 'educationSubsidy').should).toBe(0);
  });
});

describe('calendar arithmetic', () => {
  it('daysBetween counts whole days, negative backwards, across leap days and month ends', () => {
    expect(daysBetween('2026-03-15', '2026-03-15')).toBe(0);
    expect(daysBetween('2024-02-28', '2024-03-01')).toBe(2);
    expect(daysBetween('2025-02-28', '2025-03-01')).toBe(1);
    expect(daysBetween('2026-01-01', '2025-12-31')).toBe(-1);
    expect(daysBetween('2025-01-01', '2026-01-01')).toBe(365);
  });

  it('addDays moves across month and year ends, and back', () => {
    expect(addDays('2025-12-31', 1)).toBe('2026-01-01');
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(addDays('2026-03-15', 0)).toBe('2026-03-15');
    expect(daysBetween('2026-03-15', addDays('2026-03-15', -365))).toBe(-365);
  });

  it('schoolYearStart is the latest 1 September on or before the date', () => {
    expect(schoolYearStart('2026-09-01')).toBe('2026-09-01');
    expect(schoolYearStart('2026-08-31')).toBe('2025-09-01');
    expect(schoolYearStart('2026-01-01')).toBe('2025-09-01');
    expect(schoolYearStart('2026-12-31')).toBe('2026-09-01');
  });
});

describe('visitStatus', () => {
  it('never visited is overdue with no date', () => {
    expect(visitStatus(null, AS_OF, 30)).toEqual({ overdue: true, daysSince: null, dueOn: null });
  });

  it('exactly the period since the last visit is not yet overdue; a day more is', () => {
    expect(visitStatus('2026-02-13', AS_OF, 30)).toEqual({ overdue: false, daysSince: 30, dueOn: '2026-03-15' });
    expect(visitStatus('2026-02-12', AS_OF, 30)).toEqual({ overdue: true, daysSince: 31, dueOn: '2026-03-14' });
  });

  it('a visit today is not overdue and falls due a period later', () => {
    expect(visitStatus(AS_OF, AS_OF, 7)).toEqual({ overdue: false, daysSince: 0, dueOn: '2026-03-22' });
  });

  it('never visited: counts from the pairing with the current helper (within the period after pairing)', () => {
    // Paired 10 days ago: not overdue, due 20 days from now.
    expect(visitStatus(null, AS_OF, 30, '2026-03-05')).toEqual({ overdue: false, daysSince: null, dueOn: '2026-04-04' });
    // Paired exactly a period ago: not yet overdue; 31 days ago: overdue.
    expect(visitStatus(null, AS_OF, 30, '2026-02-13')).toEqual({ overdue: false, daysSince: null, dueOn: '2026-03-15' });
    expect(visitStatus(null, AS_OF, 30, '2026-02-12')).toEqual({ overdue: true, daysSince: null, dueOn: '2026-03-14' });
    // Paired today.
    expect(visitStatus(null, AS_OF, 30, AS_OF)).toEqual({ overdue: false, daysSince: null, dueOn: '2026-04-14' });
  });

  it('never visited and without a helper is due now (overdue, no date)', () => {
    expect(visitStatus(null, AS_OF, 30, null)).toEqual({ overdue: true, daysSince: null, dueOn: null });
  });

  it('the last visit counts over the pairing, even when the household was paired since', () => {
    expect(visitStatus('2026-01-30', AS_OF, 30, '2026-03-10')).toEqual({ overdue: true, daysSince: 44, dueOn: '2026-03-01' });
    expect(visitStatus('2026-03-10', AS_OF, 30, '2025-01-01')).toEqual({ overdue: false, daysSince: 5, dueOn: '2026-04-09' });
  });
});

describe('overloaded', () => {
  it('warns above the maximum, not at it', () => {
    expect(overloaded(10, 10)).toBe(false);
    expect(overloaded(11, 10)).toBe(true);
    expect(overloaded(0, 1)).toBe(false);
  });
});
