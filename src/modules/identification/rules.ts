/**
 * The identification procedure (精准识别, "两公示一公告") as a transition table, pure: which step may
 * follow which, and the checks each step must pass. The service (to come) calls `checkTransition`
 * inside each use case's transaction and turns a refusal into an AppError with the refusal's code.
 *
 * Steps (REFERENCE §2.1): 农户申请 → 民主评议 → [比对, where the province requires it] → 第一次公示 →
 * 乡镇审核 → 第二次公示 → 县审定 → 公告 → 登记 (建档立卡). A household may be rejected (不予认定) at a
 * review step and withdrawn (撤回) before approval, each with a reason.
 * Sources: REFERENCE.md §2.1 (each 公示 and 公告 at least 7 days; 5 days in some counties; objections
 * during a notice re-checked by the level above; Hunan: at least 2/3 of village representatives attend
 * the appraisal; Xinjiang/Hunan add 贫困户信息比对), §2.2 (red lines).
 */
import { daysBetween } from '../../shared/calendar-date.ts';

/** Where a household's identification stands. */
export const IDENTIFICATION_STATES = [
  'applied',
  'appraised',
  'crossChecked',
  'firstNotice',
  'townshipReviewed',
  'secondNotice',
  'countyApproved',
  'announced',
  'registered',
  'rejected',
  'withdrawn',
] as const;
export type IdentificationState = (typeof IDENTIFICATION_STATES)[number];

/** The steps, one service function each (audited). */
export const IDENTIFICATION_ACTIONS = [
  'appraise',
  'crossCheck',
  'openFirstNotice',
  'reviewTownship',
  'openSecondNotice',
  'approveCounty',
  'announce',
  'register',
  'reject',
  'withdraw',
] as const;
export type IdentificationAction = (typeof IDENTIFICATION_ACTIONS)[number];

/** What practice sets differently per province (configuration, not code). */
export interface ProcedureConfig {
  /** Days a public notice (公示) lasts at least, both days counted (national practice 7; some counties 5). */
  noticeDays: number;
  /** Days the announcement (公告) lasts at least before registration. */
  announcementDays: number;
  /** Whether the 比对 step (cross-check against other departments' data) comes before the first notice. */
  crossCheckStep: boolean;
  /** Share of village representatives who must attend the appraisal (Hunan: 2/3; 0 = not checked). */
  appraisalQuorum: number;
}

/**
 * The national practice: 7-day notices and announcement (REFERENCE §2.1), no separate 比对 step, and a
 * 2/3 quorum (村民委员会组织法 第二十六条: a village representatives' meeting needs two thirds of its
 * members present).
 */
export const DEFAULT_PROCEDURE: ProcedureConfig = { noticeDays: 7, announcementDays: 7, crossCheckStep: false, appraisalQuorum: 2 / 3 };

/**
 * Where a province's practice differs from the national one, keyed by the 2-digit province code.
 * This table is the configuration: a province that adds a step or shortens a notice gets a row here
 * (with its source), and every county of it follows.
 * - 43 湖南: 贫困户信息比对 (vehicles, commercial housing, public payroll) before the notice
 *   (REFERENCE §2.1, Hunan version).
 * - 65 新疆: "两评议、两公示、一比对、一公告" (REFERENCE §2.1, Xinjiang variant).
 */
export const PROVINCE_PROCEDURES: Readonly<Record<string, Partial<ProcedureConfig>>> = {
  '43': { crossCheckStep: true },
  '65': { crossCheckStep: true },
};

/** The procedure that applies to an area (any level), from its province's row over the national default. */
export function procedureFor(areaCode: string): ProcedureConfig {
  return { ...DEFAULT_PROCEDURE, ...(PROVINCE_PROCEDURES[areaCode.slice(0, 2)] ?? {}) };
}

/** Labels of the states (zh), for messages and pages. */
export function stateLabel(state: IdentificationState): string {
  return STATE_LABELS[state];
}

/** The refusals, one code each (the service maps them to HTTP 409 with this code in details). */
export type TransitionRefusal =
  /** The action does not follow from the current state (a step skipped or repeated). */
  | 'STEP_NOT_ALLOWED'
  /** The household's identification has ended (registered, rejected, withdrawn). */
  | 'PROCEDURE_ENDED'
  /** A notice or announcement shorter than the configured days. */
  | 'NOTICE_TOO_SHORT'
  /** The next step closes a notice (or the announcement) before its last day has passed. */
  | 'NOTICE_NOT_ENDED'
  /** An objection raised against the household is not decided yet. */
  | 'OPEN_OBJECTION'
  /** A red-line (exclusion rule) hit without a reviewer's written justification. */
  | 'RED_LINE_HIT'
  /** Fewer representatives attended the appraisal than the quorum. */
  | 'QUORUM_NOT_MET'
  /** Rejecting or withdrawing needs a reason. */
  | 'REASON_REQUIRED';

interface Step {
  action: IdentificationAction;
  from: readonly IdentificationState[];
  to: IdentificationState;
}

/**
 * The transition table for a configuration. With `crossCheckStep`, 民主评议 leads to 比对 and only then
 * to the first notice; without, to the first notice directly.
 */
export function identificationSteps(config: ProcedureConfig = DEFAULT_PROCEDURE): readonly Step[] {
  return [
    { action: 'appraise', from: ['applied'], to: 'appraised' },
    ...(config.crossCheckStep ? [{ action: 'crossCheck' as const, from: ['appraised'] as const, to: 'crossChecked' as const }] : []),
    { action: 'openFirstNotice', from: [config.crossCheckStep ? 'crossChecked' : 'appraised'], to: 'firstNotice' },
    { action: 'reviewTownship', from: ['firstNotice'], to: 'townshipReviewed' },
    { action: 'openSecondNotice', from: ['townshipReviewed'], to: 'secondNotice' },
    { action: 'approveCounty', from: ['secondNotice'], to: 'countyApproved' },
    { action: 'announce', from: ['countyApproved'], to: 'announced' },
    { action: 'register', from: ['announced'], to: 'registered' },
    { action: 'reject', from: ['appraised', 'crossChecked', 'firstNotice', 'townshipReviewed', 'secondNotice', 'announced'], to: 'rejected' },
    { action: 'withdraw', from: ['applied', 'appraised', 'crossChecked', 'firstNotice', 'townshipReviewed', 'secondNotice'], to: 'withdrawn' },
  ];
}

const ENDED: readonly IdentificationState[] = ['registered', 'rejected', 'withdrawn'];

/** A notice or the announcement: first and last day (YYYY-MM-DD, both counted). */
export interface NoticePeriod {
  start: string;
  end: string;
}

/** What the checks of a step look at. Dates are calendar dates (YYYY-MM-DD, China Standard Time). */
export interface TransitionContext {
  today: string;
  /** For openFirstNotice / openSecondNotice / announce: the period being opened. */
  opening?: NoticePeriod;
  /** For the step after a notice (reviewTownship, approveCounty, register): the notice it closes. */
  closing?: NoticePeriod;
  /** Objections against the household not yet decided. */
  openObjections?: number;
  /** Red-line hits on the household without a reviewer's written justification. */
  unjustifiedRedLineHits?: number;
  /** For appraise: representatives who attended and the village's representatives in all. */
  appraisal?: { attended: number; representatives: number };
  /** For reject and withdraw. */
  reason?: string | null;
}

export type TransitionResult = { ok: true; to: IdentificationState } | { ok: false; code: TransitionRefusal; message: string; messageEn: string };

export { daysBetween };

const STATE_LABELS: Record<IdentificationState, string> = {
  applied: '已申请',
  appraised: '已民主评议',
  crossChecked: '已比对',
  firstNotice: '第一次公示中',
  townshipReviewed: '乡镇已审核',
  secondNotice: '第二次公示中',
  countyApproved: '县已审定',
  announced: '公告中',
  registered: '已登记',
  rejected: '不予认定',
  withdrawn: '已撤回',
};

const refuse = (code: TransitionRefusal, message: string, messageEn: string): TransitionResult => ({ ok: false, code, message, messageEn });

/**
 * Whether `action` may be taken on a household in `state`, and where it leads.
 * Checks, besides the table: a notice being opened lasts at least `noticeDays` (announcement
 * `announcementDays`), both days counted; the step after a notice comes only after its last day; no
 * undecided objection and no unjustified red-line hit at the township review, the county approval and
 * registration; the appraisal's attendance reaches the quorum; rejecting and withdrawing carry a reason.
 * @returns `{ ok: true, to }` or a refusal with its code and zh/en messages
 */
export function checkTransition(state: IdentificationState, action: IdentificationAction, ctx: TransitionContext, config: ProcedureConfig = DEFAULT_PROCEDURE): TransitionResult {
  if (ENDED.includes(state)) {
    return refuse('PROCEDURE_ENDED', `该户的识别程序已结束（${STATE_LABELS[state]}）`, `This household's identification has ended (${state})`);
  }
  const step = identificationSteps(config).find((s) => s.action === action && s.from.includes(state));
  if (!step) {
    return refuse('STEP_NOT_ALLOWED', `当前为“${STATE_LABELS[state]}”，不能进行这一步（程序不能跳过或重复）`, `The household is at “${state}”: this step cannot be taken now (steps cannot be skipped or repeated)`);
  }
  if ((action === 'reject' || action === 'withdraw') && !ctx.reason?.trim()) {
    return refuse('REASON_REQUIRED', action === 'reject' ? '不予认定须填写理由' : '撤回须填写理由', action === 'reject' ? 'A rejection needs a reason' : 'A withdrawal needs a reason');
  }
  if (action === 'appraise' && config.appraisalQuorum > 0) {
    const a = ctx.appraisal;
    if (!a || a.representatives <= 0 || a.attended < Math.ceil(a.representatives * config.appraisalQuorum - 1e-9)) {
      const need = a ? Math.ceil(a.representatives * config.appraisalQuorum - 1e-9) : 0;
      return refuse('QUORUM_NOT_MET', `民主评议到会代表不足：应到 ${a?.representatives ?? 0} 人，至少 ${need} 人到会，实到 ${a?.attended ?? 0} 人`, `Too few representatives at the appraisal: ${a?.attended ?? 0} of ${a?.representatives ?? 0} attended, ${need} needed`);
    }
  }
  if (action === 'openFirstNotice' || action === 'openSecondNotice' || action === 'announce') {
    const p = ctx.opening;
    const need = action === 'announce' ? config.announcementDays : config.noticeDays;
    const what = action === 'announce' ? '公告' : '公示';
    if (!p || daysBetween(p.start, p.end) + 1 < need) {
      const days = p ? daysBetween(p.start, p.end) + 1 : 0;
      return refuse('NOTICE_TOO_SHORT', `${what}期不少于 ${need} 天（含首尾），现为 ${days} 天`, `The ${action === 'announce' ? 'announcement' : 'notice'} must last at least ${need} days (both counted); it lasts ${days}`);
    }
  }
  if (action === 'reviewTownship' || action === 'approveCounty' || action === 'register') {
    const p = ctx.closing;
    if (!p || daysBetween(p.end, ctx.today) < 1) {
      const what = action === 'register' ? '公告' : '公示';
      return refuse('NOTICE_NOT_ENDED', `${what}期未满：${p ? `${p.end} 之后` : '公示结束后'}才能进行下一步`, `The notice has not ended: the next step is possible after ${p?.end ?? 'its last day'}`);
    }
    if ((ctx.openObjections ?? 0) > 0) {
      return refuse('OPEN_OBJECTION', `还有 ${ctx.openObjections} 条异议未处理，处理后才能进行下一步`, `${ctx.openObjections} objection(s) are not decided yet; decide them first`);
    }
    if ((ctx.unjustifiedRedLineHits ?? 0) > 0) {
      return refuse('RED_LINE_HIT', `该户触及 ${ctx.unjustifiedRedLineHits} 条红线（排除规则），须由审核人员书面说明理由后才能通过`, `The household hits ${ctx.unjustifiedRedLineHits} exclusion rule(s); a reviewer must justify it in writing before approval`);
    }
  }
  return { ok: true, to: step.to };
}

/** The actions possible from a state (for the worklist's buttons). */
export function actionsFrom(state: IdentificationState, config: ProcedureConfig = DEFAULT_PROCEDURE): IdentificationAction[] {
  if (ENDED.includes(state)) return [];
  return identificationSteps(config)
    .filter((s) => s.from.includes(state))
    .map((s) => s.action);
}
