/**
 * Pure rules of the registry: income arithmetic, plausibility warnings, household numbers, changed
 * fields. Isomorphic: the web client runs the same checks for instant feedback.
 */
import { ageOn, todayCst } from '../../shared/calendar-date.ts';

/** Yuan → fen (integer), so that sums are exact. */
export function toFen(yuan: number): number {
  return Math.round(yuan * 100);
}

export function fromFen(fen: number): number {
  return fen / 100;
}

export interface IncomeInput {
  /** 工资性收入, yuan per year */
  wageIncome: number;
  /** 生产经营性收入, yuan per year */
  productionIncome: number;
  /** 财产性收入, yuan per year */
  propertyIncome: number;
  /** 转移性收入, yuan per year */
  transferIncome: number;
  /** 生产经营费用支出, yuan per year */
  productionCosts: number;
}

export interface IncomeFigures {
  /** 家庭年纯收入 = the four incomes − production costs (yuan per year) */
  netIncome: number;
  /** 家庭年人均纯收入 = net income ÷ members, rounded half away from zero to the fen (yuan per person per year) */
  perCapitaNetIncome: number;
  /** members divided by (persons) */
  memberCount: number;
}

/**
 * Derives net and per-capita net income (《贫困户登记表》 A50–A53: A52 = A50 − A51, A53 = A52 ÷ members).
 * Computed in fen, so the figures equal what the database's CHECK constraints compute with numeric.
 * @param memberCount persons in the household that year (≥ 1)
 * @throws RangeError for a member count below 1
 */
export function deriveIncome(input: IncomeInput, memberCount: number): IncomeFigures {
  if (!Number.isInteger(memberCount) || memberCount < 1) throw new RangeError('memberCount must be a positive integer');
  const netFen = toFen(input.wageIncome) + toFen(input.productionIncome) + toFen(input.propertyIncome) + toFen(input.transferIncome) - toFen(input.productionCosts);
  // PostgreSQL's round(numeric, 2) rounds half away from zero.
  const perFen = Math.sign(netFen) * Math.round(Math.abs(netFen) / memberCount);
  return { netIncome: fromFen(netFen), perCapitaNetIncome: fromFen(perFen), memberCount };
}

/** 户编号: the village's 12-digit code followed by a 4-digit sequence number (e.g. 4301811252010007). */
export function formatHouseholdNo(villageCode: string, seq: number): string {
  return `${villageCode}${String(seq).padStart(4, '0')}`;
}

export { ageOn, todayCst };

/** A warning: saved anyway, shown to the user to check (zh and en). */
export interface Warning {
  path: (string | number)[];
  message: string;
  messageEn: string;
}

export interface MemberFacts {
  name: string;
  birthDate: string;
  relationToHead: string;
  schooling?: string | null | undefined;
  labourAbility?: string | null | undefined;
  monthsWorked?: number | null | undefined;
  employment?: string | null | undefined;
  alive?: boolean | undefined;
}

/** Schooling values that mean the person is in school (anything but 非在校生 and unknown). */
const NOT_IN_SCHOOL = new Set(['notInSchool', 'none', '']);

/**
 * Unlikely combinations worth a second look (never errors): an old person in school, a child
 * working or heading the household, a head younger than 16, working months with no employment.
 * @param today YYYY-MM-DD
 */
export function memberWarnings(m: MemberFacts, today: string, index?: number): Warning[] {
  const out: Warning[] = [];
  const p = (field: string) => (index === undefined ? [field] : ['members', index, field]);
  const age = ageOn(m.birthDate, today);
  if (m.schooling && !NOT_IN_SCHOOL.has(m.schooling)) {
    if (age >= 30) out.push({ path: p('schooling'), message: `${m.name} ${age} 岁仍登记为在校生，请核实`, messageEn: `${m.name} is ${age} and recorded as in school; please check` });
    if (age < 2) out.push({ path: p('schooling'), message: `${m.name} 不满 2 岁却登记为在校生，请核实`, messageEn: `${m.name} is under 2 and recorded as in school; please check` });
  }
  if (age < 16 && (m.monthsWorked ?? 0) > 0) {
    out.push({ path: p('monthsWorked'), message: `${m.name} 未满 16 岁却有务工月数，请核实`, messageEn: `${m.name} is under 16 and has months worked; please check` });
  }
  if (m.relationToHead === 'head' && age < 16) {
    out.push({ path: p('relationToHead'), message: `户主 ${m.name} 未满 16 岁，请核实`, messageEn: `The head ${m.name} is under 16; please check` });
  }
  if (age > 110) out.push({ path: p('birthDate'), message: `${m.name} 已 ${age} 岁，请核实出生日期`, messageEn: `${m.name} would be ${age}; please check the birth date` });
  return out;
}

/** Names of the top-level fields whose values differ between two objects (for the change list). */
export function changedFields(before: object, after: object): string[] {
  const b = before as Record<string, unknown>;
  const a = after as Record<string, unknown>;
  const keys = new Set([...Object.keys(b), ...Object.keys(a)]);
  return [...keys].filter((k) => JSON.stringify(b[k] ?? null) !== JSON.stringify(a[k] ?? null)).sort();
}

/** Where a household may live: registration is by village. */
export const HOUSEHOLD_AREA_LEVEL = 'village' as const;

/** The end of a registry year (归属年度) in China Standard Time, as an instant. */
export function endOfRegistryYear(year: number): Date {
  return new Date(`${year + 1}-01-01T00:00:00+08:00`);
}

/**
 * Whether two ID numbers differ in exactly one character (a typing slip), for the duplicate report.
 */
export function differByOneCharacter(a: string, b: string): boolean {
  if (a.length !== b.length || a === b) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i] && ++diff > 1) return false;
  return diff === 1;
}
