/**
 * Poor-village identification (贫困村识别) as a transition table, pure: 村申请 (applied) → 乡初审
 * (townshipReviewed) → 县审核 and designation (designated), or rejected with a reason at either review.
 * And the advice a reviewer sees: the Xinjiang "一高一低" test against the county's villages and the
 * Guangdong relative-poverty village test.
 *
 * Sources: REFERENCE.md §2.1 — Xinjiang: a village's poverty incidence about twice the regional rate
 * and its per-capita net income below 60 % of the regional average; flow 村申请 → 乡初审 → 县扶贫办审核
 * (→ 地州汇总 → 自治区审定, outside fupin). Guangdong 2016–2020: per-capita disposable income below
 * 8000 yuan and relatively poor people at least 5 % of the registered population.
 */

export const VILLAGE_STATES = ['applied', 'townshipReviewed', 'designated', 'rejected'] as const;
export type VillageState = (typeof VILLAGE_STATES)[number];

/** The steps after the application, one service function each (audited). */
export const VILLAGE_ACTIONS = ['reviewTownship', 'designate', 'reject'] as const;
export type VillageAction = (typeof VILLAGE_ACTIONS)[number];

/** Which permission each step needs from the state it leaves (a rejection at the county needs the county's). */
export type VillagePermission = 'identification.village-review' | 'identification.village-approve';

interface VillageStep {
  action: VillageAction;
  from: VillageState;
  to: VillageState;
  permission: VillagePermission;
}

/** The transition table. */
export const VILLAGE_STEPS: readonly VillageStep[] = [
  { action: 'reviewTownship', from: 'applied', to: 'townshipReviewed', permission: 'identification.village-review' },
  { action: 'designate', from: 'townshipReviewed', to: 'designated', permission: 'identification.village-approve' },
  { action: 'reject', from: 'applied', to: 'rejected', permission: 'identification.village-review' },
  { action: 'reject', from: 'townshipReviewed', to: 'rejected', permission: 'identification.village-approve' },
];

const ENDED: readonly VillageState[] = ['designated', 'rejected'];

export const VILLAGE_STATE_LABELS: Record<VillageState, { zh: string; en: string }> = {
  applied: { zh: '村已申请', en: 'Applied by the village' },
  townshipReviewed: { zh: '乡镇已初审', en: 'Reviewed by the township' },
  designated: { zh: '已认定为贫困村', en: 'Designated poor' },
  rejected: { zh: '不予认定', en: 'Rejected' },
};

export const VILLAGE_ACTION_LABELS: Record<VillageAction | 'apply', { zh: string; en: string }> = {
  apply: { zh: '村申请', en: 'Village applies' },
  reviewTownship: { zh: '乡镇初审', en: 'Township review' },
  designate: { zh: '县审核认定', en: 'County designation' },
  reject: { zh: '不予认定', en: 'Reject' },
};

export type VillageTransition =
  | { ok: true; to: VillageState; permission: VillagePermission }
  | { ok: false; code: 'STEP_NOT_ALLOWED' | 'PROCEDURE_ENDED' | 'REASON_REQUIRED'; message: string; messageEn: string };

/**
 * Whether `action` may follow `state`. A rejection needs a reason.
 * @returns the next state and the permission the step needs, or a refusal with its code
 */
export function checkVillageTransition(state: VillageState, action: VillageAction, ctx: { reason?: string | null | undefined } = {}): VillageTransition {
  if (ENDED.includes(state)) {
    const s = VILLAGE_STATE_LABELS[state];
    return { ok: false, code: 'PROCEDURE_ENDED', message: `该村的识别已结束（${s.zh}），不能再${VILLAGE_ACTION_LABELS[action].zh}`, messageEn: `This village's identification has ended (${s.en.toLowerCase()}); no ${VILLAGE_ACTION_LABELS[action].en.toLowerCase()} now` };
  }
  const step = VILLAGE_STEPS.find((s) => s.action === action && s.from === state);
  if (!step) {
    const s = VILLAGE_STATE_LABELS[state];
    return {
      ok: false,
      code: 'STEP_NOT_ALLOWED',
      message: `当前状态（${s.zh}）不能${VILLAGE_ACTION_LABELS[action].zh}：须先完成${villageActionsFrom(state).map((a) => VILLAGE_ACTION_LABELS[a].zh).join('或')}`,
      messageEn: `No ${VILLAGE_ACTION_LABELS[action].en.toLowerCase()} from the state "${s.en}": first ${villageActionsFrom(state).map((a) => VILLAGE_ACTION_LABELS[a].en.toLowerCase()).join(' or ')}`,
    };
  }
  if (action === 'reject' && !ctx.reason?.trim()) {
    return { ok: false, code: 'REASON_REQUIRED', message: '不予认定须填写理由', messageEn: 'A rejection needs a reason' };
  }
  return { ok: true, to: step.to, permission: step.permission };
}

/** The steps that may follow `state` (distinct actions, in table order). */
export function villageActionsFrom(state: VillageState): VillageAction[] {
  return [...new Set(VILLAGE_STEPS.filter((s) => s.from === state).map((s) => s.action))];
}

// ---------------------------------------------------------------------------------------------
// Advice (not a block): 一高一低 and the Guangdong relative-poverty village test

/** The indicators the advice looks at (persons; yuan per person per year). */
export interface VillageFigures {
  perCapitaNetIncome: number | null;
  registeredPopulation: number | null;
  poorPopulation: number | null;
}

/** The county's reference: poverty incidence (share, 0–1) and average per-capita net income (yuan per person per year). */
export interface RegionReference {
  incidence: number | null;
  averageIncome: number | null;
  /** Villages the reference was computed from. */
  villages: number;
}

/** Poverty incidence (贫困发生率) as a share (0–1): poor ÷ registered persons; null when not computable. */
export function incidenceOf(f: Pick<VillageFigures, 'registeredPopulation' | 'poorPopulation'>): number | null {
  if (f.registeredPopulation === null || f.poorPopulation === null || f.registeredPopulation <= 0) return null;
  return f.poorPopulation / f.registeredPopulation;
}

/**
 * The county's reference from its villages' indicators of a year: incidence = Σ poor ÷ Σ registered
 * (villages with both), average income weighted by registered population (villages with both income
 * and population; the plain mean of incomes when no village gives its population).
 */
export function regionReference(villages: VillageFigures[]): RegionReference {
  let poor = 0;
  let registered = 0;
  let incomeSum = 0;
  let incomeWeight = 0;
  const plain: number[] = [];
  let counted = 0;
  for (const v of villages) {
    let used = false;
    if (v.registeredPopulation !== null && v.poorPopulation !== null && v.registeredPopulation > 0) {
      poor += v.poorPopulation;
      registered += v.registeredPopulation;
      used = true;
    }
    if (v.perCapitaNetIncome !== null) {
      plain.push(v.perCapitaNetIncome);
      if (v.registeredPopulation !== null && v.registeredPopulation > 0) {
        incomeSum += v.perCapitaNetIncome * v.registeredPopulation;
        incomeWeight += v.registeredPopulation;
      }
      used = true;
    }
    if (used) counted++;
  }
  const averageIncome = incomeWeight > 0 ? incomeSum / incomeWeight : plain.length > 0 ? plain.reduce((s, x) => s + x, 0) / plain.length : null;
  return { incidence: registered > 0 ? poor / registered : null, averageIncome, villages: counted };
}

/** Thresholds of the two tests (REFERENCE §2.1). */
export const VILLAGE_ADVICE_THRESHOLDS = {
  /** 一高: the village's incidence at least this many times the county's. */
  incidenceFactor: 2,
  /** 一低: the village's income below this share of the county's average. */
  incomeShare: 0.6,
  /** Guangdong: income below this (yuan per person per year) … */
  relativeIncomeLine: 8000,
  /** … and at least this share of the registered population relatively poor. */
  relativeIncidence: 0.05,
} as const;

export interface VillageAdvice {
  incidence: number | null;
  reference: RegionReference;
  /** 一高: incidence ≥ 2 × the county's; null when either is unknown. */
  highIncidence: boolean | null;
  /** 一低: income < 60 % of the county's average; null when either is unknown. */
  lowIncome: boolean | null;
  /** Both of 一高一低 (null when either is unknown). */
  oneHighOneLow: boolean | null;
  /** Guangdong relative-poverty village: income < 8000 and incidence ≥ 5 %. */
  relativePoorVillage: boolean | null;
}

const both = (a: boolean | null, b: boolean | null): boolean | null => (a === false || b === false ? false : a === null || b === null ? null : true);

/** The advice for one village against its county's reference. Advice only: no step is refused on it. */
export function villageAdvice(v: VillageFigures, reference: RegionReference): VillageAdvice {
  const T = VILLAGE_ADVICE_THRESHOLDS;
  const incidence = incidenceOf(v);
  const highIncidence = incidence === null || reference.incidence === null ? null : incidence >= T.incidenceFactor * reference.incidence;
  const lowIncome = v.perCapitaNetIncome === null || reference.averageIncome === null ? null : v.perCapitaNetIncome < T.incomeShare * reference.averageIncome;
  const relIncome = v.perCapitaNetIncome === null ? null : v.perCapitaNetIncome < T.relativeIncomeLine;
  const relShare = incidence === null ? null : incidence >= T.relativeIncidence;
  return { incidence, reference, highIncidence, lowIncome, oneHighOneLow: both(highIncidence, lowIncome), relativePoorVillage: both(relIncome, relShare) };
}
