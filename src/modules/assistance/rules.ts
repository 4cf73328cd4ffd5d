/**
 * Pure rules of assistance (isomorphic): which households must have a helper, when a visit is
 * overdue, when a helper carries too many households, and policy coverage (应享尽享) per household.
 * No I/O: services load the facts and pass them in; pages may call the same functions.
 */
import { EDUCATION_SUBSIDY_TYPES, type MeasureType } from './codes.ts';
import { addDays, ageOn, daysBetween } from '../../shared/calendar-date.ts';

/**
 * Household types that must have exactly one current helper (帮扶对象): 建档立卡贫困户, 监测户 and
 * 相对贫困户. Households out of poverty (脱贫户) keep a helper if they have one ("摘帽不摘帮扶") but are
 * not listed as missing one.
 */
export const ASSISTED_HOUSEHOLD_TYPES = ['registeredPoor', 'monitored', 'relativePoor'] as const;

/** Defaults where no area has settings: a visit every 30 days (USERS.md: helpers visit monthly), at most 10 households per helper (USERS.md: usually 3–10). */
export const DEFAULT_ASSISTANCE_SETTINGS = { visitPeriodDays: 30, maxHouseholdsPerHelper: 10 } as const;

export interface AssistanceSettingsValues {
  /** Days a household may go without a visit before it is listed as not visited. */
  visitPeriodDays: number;
  /** Households one helper should carry at most (more is warned, not refused). */
  maxHouseholdsPerHelper: number;
}

export { addDays, daysBetween };

/**
 * Whether a household's visit is overdue on `asOf`, and when the next visit is due. The reference
 * date is the last visit; a household never visited counts from the day its current helper was paired
 * with it (helper_assignments.start_date of the assignment without end_date), since the county's
 * practice is that a helper visits within the period after pairing; a household never visited and
 * without a helper has no reference date and is due now (overdue). Overdue when the reference date is
 * more than `periodDays` days before `asOf`; due on the reference date + `periodDays`. The last visit
 * counts even when it is older than the pairing (a new helper inherits the household's visit record).
 * The SQL of 走访监测 (visits.ts assistedHouseholdsCte) computes the same flag.
 * @param lastVisitDate YYYY-MM-DD of the latest visit, or null (never visited)
 * @param asOf YYYY-MM-DD, the day the status is computed for
 * @param periodDays the visit period of the household's area (days, settingsFor)
 * @param pairedOn YYYY-MM-DD start of the current helper assignment, or null (no helper)
 * @returns { overdue, daysSince (days since the last visit; null: never visited), dueOn (YYYY-MM-DD; null: never visited and no helper, due now) }
 */
export function visitStatus(
  lastVisitDate: string | null,
  asOf: string,
  periodDays: number,
  pairedOn: string | null = null,
): { overdue: boolean; daysSince: number | null; dueOn: string | null } {
  const daysSince = lastVisitDate ? daysBetween(lastVisitDate, asOf) : null;
  const reference = lastVisitDate ?? pairedOn;
  if (!reference) return { overdue: true, daysSince, dueOn: null };
  return { overdue: daysBetween(reference, asOf) > periodDays, daysSince, dueOn: addDays(reference, periodDays) };
}

/** Whether a helper's load (households currently assigned) exceeds the maximum that applies. */
export function overloaded(households: number, max: number): boolean {
  return households > max;
}

// ---------------------------------------------------------------------------------------------
// Policy coverage (应享尽享)

/** The coverage indicators, in display order. `unit`: counted in persons or in households. */
export const COVERAGE_INDICATORS = [
  {
    id: 'compulsorySchooling',
    unit: 'person',
    label: { zh: '义务教育阶段适龄儿童在校', en: 'Children of compulsory-school age in school' },
    source: '《义务教育法》§11–12 (school from 6 for nine years; the census counts ages 6–15, REFERENCE §4.3)',
  },
  {
    id: 'medicalInsurance',
    unit: 'person',
    label: { zh: '基本医疗保险参保', en: 'Members with basic medical insurance' },
    source: '健康扶贫: every registered poor person insured (REFERENCE §4.3: all covered by 医保)',
  },
  {
    id: 'minimumLiving',
    unit: 'household',
    label: { zh: '无劳动能力户低保兜底', en: 'Minimum-living support for households without labour' },
    source: '国办发〔2016〕70号 (低保与扶贫衔接): households without labour ability are backed by 低保 or 特困供养',
  },
  {
    id: 'housingSafety',
    unit: 'household',
    label: { zh: '危房改造', en: 'Dangerous houses renovated' },
    source: '住房安全有保障: C- and D-grade houses renovated or the household relocated (REFERENCE §4.3)',
  },
  {
    id: 'educationSubsidy',
    unit: 'person',
    label: { zh: '在校学生教育资助', en: 'Education subsidy for each student' },
    source: '教育扶贫 (资助 by stage for students from registered poor households, REFERENCE §5)',
  },
] as const;
export type CoverageIndicator = (typeof COVERAGE_INDICATORS)[number]['id'];

/** Schooling values of a pupil in compulsory or later schooling (households codes `schooling`). */
export const IN_SCHOOL_VALUES = [
  'primary',
  'grade7',
  'grade8',
  'grade9',
  'senior1',
  'senior2',
  'senior3',
  'secondaryVocational1',
  'secondaryVocational2',
  'secondaryVocational3',
  'higherVocational1',
  'higherVocational2',
  'higherVocational3',
  'college',
] as const;
const IN_SCHOOL = new Set<string>(IN_SCHOOL_VALUES);
/** Labour-ability values that count as able to work (households codes `labourAbility`). */
export const ABLE_TO_WORK_VALUES = ['ordinaryLabour', 'skilledLabour', 'weakLabour'] as const;
const ABLE_TO_WORK = new Set<string>(ABLE_TO_WORK_VALUES);
/** Labour-ability values recorded as without labour ability. */
export const NO_LABOUR_VALUES = ['lostLabour', 'noLabour'] as const;
const NO_LABOUR = new Set<string>(NO_LABOUR_VALUES);

/** A member as coverage needs it (active members only are passed). */
export interface CoverageMember {
  id: string;
  name: string;
  /** YYYY-MM-DD. */
  birthDate: string;
  alive: boolean;
  schooling: string | null;
  labourAbility: string | null;
  medicalInsurance: boolean;
  minimumLiving: boolean;
  extremeHardship: boolean;
}

/** A measure as coverage needs it. */
export interface CoverageMeasure {
  type: MeasureType | string;
  memberIds: string[];
  /** YYYY-MM-DD. */
  onDate: string;
}

/** A household as coverage needs it. */
export interface CoverageHousehold {
  povertyAttribute: string | null;
  housingDangerGrade: string | null;
  housingRenovated: boolean;
  relocated: boolean;
  members: CoverageMember[];
  measures: CoverageMeasure[];
}

/** One indicator's result for one household: how many should receive, how many do, and who does not. */
export interface CoverageResult {
  indicator: CoverageIndicator;
  /** Persons (person indicators) or 0/1 (household indicators). */
  should: number;
  receives: number;
  /** The members without it (person indicators); empty for household indicators. */
  gaps: { memberId: string; name: string }[];
}

/** 1 September that starts the school year `asOf` falls in (YYYY-MM-DD). */
export function schoolYearStart(asOf: string): string {
  const y = Number(asOf.slice(0, 4));
  return asOf.slice(5) >= '09-01' ? `${y}-09-01` : `${y - 1}-09-01`;
}

/**
 * Policy coverage of one household on `asOf` (YYYY-MM-DD), one result per indicator of
 * COVERAGE_INDICATORS:
 * - compulsorySchooling (persons): living members aged 6–15 at the start of the school year should
 *   be in school (primary or later); those in pre-school or not in school are gaps.
 * - medicalInsurance (persons): every living member should be insured — the member's insured flag,
 *   or a 医保参保资助 measure naming the member in the 365 days up to `asOf`.
 * - minimumLiving (household): a household with no member able to work (普通 / 技能 / 弱劳动力) and
 *   at least one recorded as 丧失劳动力 / 无劳动力 should receive 低保 or 特困供养 — the household's attribute, a member's flag, or such a measure in
 *   the 365 days up to `asOf`.
 * - housingSafety (household): a C- or D-grade house should be renovated — the renovated flag, the
 *   household relocated, or a 危房改造 / 易地扶贫搬迁 measure (any date).
 * - educationSubsidy (persons): every living member in school (pre-school included) should receive
 *   an education subsidy — a measure of an education type naming the member in the 365 days up to `asOf`.
 */
export function householdCoverage(h: CoverageHousehold, asOf: string): CoverageResult[] {
  const living = h.members.filter((m) => m.alive);
  const yearAgo = addDays(asOf, -365);
  const recent = h.measures.filter((m) => m.onDate > yearAgo && m.onDate <= asOf);
  const named = (types: readonly string[]) => new Set(recent.filter((m) => types.includes(m.type)).flatMap((m) => m.memberIds));
  const person = (indicator: CoverageIndicator, who: CoverageMember[], has: (m: CoverageMember) => boolean): CoverageResult => {
    const gaps = who.filter((m) => !has(m)).map((m) => ({ memberId: m.id, name: m.name }));
    return { indicator, should: who.length, receives: who.length - gaps.length, gaps };
  };
  const household = (indicator: CoverageIndicator, should: boolean, receives: boolean): CoverageResult => ({
    indicator,
    should: should ? 1 : 0,
    receives: should && receives ? 1 : 0,
    gaps: [],
  });

  const start = schoolYearStart(asOf);
  const schoolAge = living.filter((m) => {
    const age = ageOn(m.birthDate, start);
    return age >= 6 && age <= 15;
  });
  const premiumPaid = named(['medicalPremium']);
  const subsidised = named(EDUCATION_SUBSIDY_TYPES);
  const students = living.filter((m) => m.schooling !== null && m.schooling !== 'notInSchool');

  // Eligible: nobody able to work, and somebody recorded as without labour ability (an unrecorded
  // ability alone does not make a household eligible: it is a data gap, not a coverage gap).
  const noLabour = !living.some((m) => m.labourAbility !== null && ABLE_TO_WORK.has(m.labourAbility)) && living.some((m) => m.labourAbility !== null && NO_LABOUR.has(m.labourAbility));
  const backed =
    h.povertyAttribute === 'minimumLiving' ||
    h.povertyAttribute === 'extremeHardship' ||
    living.some((m) => m.minimumLiving || m.extremeHardship) ||
    recent.some((m) => m.type === 'minimumLiving' || m.type === 'extremeHardship');
  const dangerous = h.housingDangerGrade === 'C' || h.housingDangerGrade === 'D';
  const housed = h.housingRenovated || h.relocated || h.measures.some((m) => (m.type === 'housingRenovation' || m.type === 'relocation') && m.onDate <= asOf);

  return [
    person('compulsorySchooling', schoolAge, (m) => m.schooling !== null && IN_SCHOOL.has(m.schooling)),
    person('medicalInsurance', living, (m) => m.medicalInsurance || premiumPaid.has(m.id)),
    household('minimumLiving', noLabour, backed),
    household('housingSafety', dangerous, housed),
    person('educationSubsidy', students, (m) => subsidised.has(m.id)),
  ];
}
