/**
 * The identification procedure's use cases (精准识别, "两公示一公告"): a village submits a batch of
 * candidates; each step is one function here, taken on the whole batch or on chosen applications,
 * in one transaction: authorize → load → `checkTransition` (rules.ts) for every application → write
 * the new states, the step rows (date, responsible person) and the notice or meeting → audit.
 * A refusal is an AppError whose code is the refusal's (STEP_NOT_ALLOWED, NOTICE_NOT_ENDED,
 * OPEN_OBJECTION, RED_LINE_HIT …; HTTP 409, REASON_REQUIRED 400) with every refused application in
 * `details.blocked`.
 */
import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Db, DbOrTx, Tx } from '../../platform/db.ts';
import { rowsOf } from '../../platform/db.ts';
import { authorize, inScope, roleHolds, scopePattern, type Actor } from '../../platform/auth.ts';
import { AppError, invalidField, notFound } from '../../shared/errors.ts';
import { maskIdNumber } from '../../shared/mask.ts';
import type { Page } from '../../shared/paging.ts';
import { recordAudit } from '../audit/index.ts';
import { loadAreaNames } from '../areas/index.ts';
import { todayCst, updateHousehold } from '../households/index.ts';
import { households, members } from '../households/schema.ts';
import { IDENTIFICATION } from './permissions.ts';
import {
  actionsFrom,
  checkTransition,
  daysBetween,
  procedureFor,
  stateLabel,
  type IdentificationAction,
  type IdentificationState,
  type NoticePeriod,
  type ProcedureConfig,
  type TransitionContext,
} from './rules.ts';
import {
  identificationApplications as apps,
  identificationAppraisals as appraisals,
  identificationBatches as batches,
  identificationNotices as notices,
  identificationObjections as objections,
  identificationSteps as steps,
  redLineHits,
} from './schema.ts';
import { refreshRedLineHits } from './exclusion.ts';
import { recordHouseholdEvent } from './adjustment.ts';
import type {
  AppraisalInput,
  ApplicationDto,
  BatchDto,
  BatchListQuery,
  BatchSummaryDto,
  CreateBatchInput,
  EndInput,
  NoticeDto,
  NoticeKind,
  NoticeListDto,
  ObjectionDecisionInput,
  ObjectionDto,
  ObjectionInput,
  OpenNoticeInput,
  StepInput,
  StepResultDto,
  TimelineDto,
  WorklistItemDto,
} from './contract.ts';
import { batchKind, createBatchBody, appraisalBody, openNoticeBody, stepBody, endBody, objectionBody, objectionDecisionBody } from './contract.ts';

const BATCH = { zh: '识别批次', en: 'Identification batch' };
const APPLICATION = { zh: '识别申请', en: 'Application' };
const OBJECTION = { zh: '异议', en: 'Objection' };

type BatchRow = typeof batches.$inferSelect;
type AppRow = typeof apps.$inferSelect;
type NoticeRow = typeof notices.$inferSelect;

/** Which permission each step needs ("谁审核谁负责"). */
const STEP_PERMISSION: Record<IdentificationAction, string> = {
  appraise: IDENTIFICATION['identification.apply'],
  crossCheck: IDENTIFICATION['identification.review'],
  openFirstNotice: IDENTIFICATION['identification.apply'],
  reviewTownship: IDENTIFICATION['identification.review'],
  openSecondNotice: IDENTIFICATION['identification.review'],
  approveCounty: IDENTIFICATION['identification.approve'],
  announce: IDENTIFICATION['identification.approve'],
  register: IDENTIFICATION['identification.approve'],
  reject: IDENTIFICATION['identification.review'],
  withdraw: IDENTIFICATION['identification.apply'],
};

const CLOSES: Partial<Record<IdentificationAction, NoticeKind>> = { reviewTownship: 'firstNotice', approveCounty: 'secondNotice', register: 'announcement' };
const OPEN_ACTION: Record<NoticeKind, IdentificationAction> = { firstNotice: 'openFirstNotice', secondNotice: 'openSecondNotice', announcement: 'announce' };

// ---------------------------------------------------------------------------------------------
// Loading

async function loadBatchForWrite(tx: Tx, actor: Actor, id: string, action: string): Promise<BatchRow> {
  const [b] = await tx.select().from(batches).where(eq(batches.id, id)).for('update');
  if (!b) throw notFound(BATCH.zh, BATCH.en);
  authorize(actor, action, { areaCode: b.areaCode, label: BATCH });
  return b;
}

async function loadApplicationForWrite(tx: Tx, actor: Actor, id: string, action: string): Promise<{ app: AppRow; batch: BatchRow }> {
  const [a] = await tx.select().from(apps).where(eq(apps.id, id)).for('update');
  if (!a) throw notFound(APPLICATION.zh, APPLICATION.en);
  authorize(actor, action, { areaCode: a.areaCode, label: APPLICATION });
  const [b] = await tx.select().from(batches).where(eq(batches.id, a.batchId)).for('update');
  return { app: a, batch: b! };
}

/** Open objections, open red-line hits and justified ones per application / household. */
async function blockers(db: DbOrTx, rows: AppRow[]): Promise<{ objections: Map<string, number>; hits: Map<string, number>; justified: Map<string, number> }> {
  const ids = rows.map((r) => r.id);
  const hh = rows.map((r) => r.householdId);
  const o = ids.length
    ? await db
        .select({ id: objections.applicationId, n: sql<number>`count(*)::int` })
        .from(objections)
        .where(and(inArray(objections.applicationId, ids), eq(objections.status, 'open')))
        .groupBy(objections.applicationId)
    : [];
  const h = hh.length
    ? await db
        .select({ id: redLineHits.householdId, n: sql<number>`count(*)::int` })
        .from(redLineHits)
        .where(and(inArray(redLineHits.householdId, hh), eq(redLineHits.status, 'open')))
        .groupBy(redLineHits.householdId)
    : [];
  const j = hh.length
    ? await db
        .select({ id: redLineHits.householdId, n: sql<number>`count(*)::int` })
        .from(redLineHits)
        .where(and(inArray(redLineHits.householdId, hh), eq(redLineHits.status, 'justified')))
        .groupBy(redLineHits.householdId)
    : [];
  return { objections: new Map(o.map((r) => [r.id, r.n])), hits: new Map(h.map((r) => [r.id, r.n])), justified: new Map(j.map((r) => [r.id, r.n])) };
}

/** The latest notice of a kind that lists the application. */
function noticeFor(list: NoticeRow[], kind: NoticeKind, applicationId: string): NoticeRow | undefined {
  return list
    .filter((n) => n.kind === kind && n.applicationIds.includes(applicationId))
    .sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1))[0];
}

const period = (n: NoticeRow | undefined): NoticePeriod | undefined => (n ? { start: n.startDate, end: n.endDate } : undefined);

// ---------------------------------------------------------------------------------------------
// DTOs

async function householdFacts(db: DbOrTx, ids: string[]) {
  if (ids.length === 0) return new Map<string, { householdNo: string; headName: string; groupName: string | null; memberCount: number; povertyAttribute: string | null; mainPovertyCause: string | null; version: number; areaCode: string }>();
  const rows = await db
    .select({
      id: households.id,
      householdNo: households.householdNo,
      headName: households.headName,
      groupName: households.groupName,
      memberCount: households.memberCount,
      povertyAttribute: households.povertyAttribute,
      mainPovertyCause: households.mainPovertyCause,
      version: households.version,
      areaCode: households.areaCode,
    })
    .from(households)
    .where(inArray(households.id, ids));
  return new Map(rows.map((r) => [r.id, r]));
}

function nextActionsFor(actor: Actor, state: IdentificationState, config: ProcedureConfig): IdentificationAction[] {
  return actionsFrom(state, config).filter((a) => roleHolds(actor, STEP_PERMISSION[a]));
}

async function applicationDtos(db: DbOrTx, actor: Actor, rows: AppRow[], config: ProcedureConfig): Promise<ApplicationDto[]> {
  const facts = await householdFacts(
    db,
    rows.map((r) => r.householdId),
  );
  const b = await blockers(db, rows);
  return rows.map((r) => {
    const f = facts.get(r.householdId)!;
    return {
      id: r.id,
      batchId: r.batchId,
      householdId: r.householdId,
      householdNo: f.householdNo,
      headName: f.headName,
      groupName: f.groupName,
      memberCount: f.memberCount,
      povertyAttribute: f.povertyAttribute,
      mainPovertyCause: f.mainPovertyCause,
      state: r.state as IdentificationState,
      appliedOn: r.appliedOn,
      statement: r.statement,
      votesFor: r.votesFor,
      votesAgainst: r.votesAgainst,
      endReason: r.endReason,
      openObjections: b.objections.get(r.id) ?? 0,
      openRedLineHits: b.hits.get(r.householdId) ?? 0,
      justifiedRedLineHits: b.justified.get(r.householdId) ?? 0,
      nextActions: nextActionsFor(actor, r.state as IdentificationState, config),
      version: r.version,
    };
  });
}

function noticeDto(n: NoticeRow, today: string): NoticeDto {
  return {
    id: n.id,
    kind: n.kind as NoticeKind,
    startDate: n.startDate,
    endDate: n.endDate,
    postedAt: n.postedAt,
    objectionContact: n.objectionContact,
    openedByName: n.openedByName,
    ended: daysBetween(n.endDate, today) >= 1,
    applicationCount: n.applicationIds.length,
  };
}

async function summaries(db: DbOrTx, rows: BatchRow[]): Promise<BatchSummaryDto[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const counts = await db
    .select({ batchId: apps.batchId, state: apps.state, n: sql<number>`count(*)::int` })
    .from(apps)
    .where(inArray(apps.batchId, ids))
    .groupBy(apps.batchId, apps.state);
  const openObj = await db
    .select({ batchId: objections.batchId, n: sql<number>`count(*)::int` })
    .from(objections)
    .where(and(inArray(objections.batchId, ids), eq(objections.status, 'open')))
    .groupBy(objections.batchId);
  const hits = rowsOf<{ batch_id: string; n: number }>(
    await db.execute(sql`SELECT a.batch_id, count(*)::int AS n FROM ${apps} a JOIN ${redLineHits} h ON h.household_id = a.household_id AND h.status = 'open'
      WHERE a.batch_id IN ${sql`(${sql.join(
        ids.map((i) => sql`${i}::uuid`),
        sql`, `,
      )})`} AND a.state NOT IN ('registered','rejected','withdrawn') GROUP BY a.batch_id`),
  );
  const names = await loadAreaNames(
    db,
    rows.map((r) => r.areaCode),
  );
  return rows.map((r) => {
    const states: Record<string, number> = {};
    for (const c of counts.filter((x) => x.batchId === r.id)) states[c.state] = c.n;
    const n = names.get(r.areaCode);
    return {
      id: r.id,
      areaCode: r.areaCode,
      villageName: n?.name ?? r.areaCode,
      townshipName: n?.township ?? '',
      year: r.year,
      kind: batchKind.parse(r.kind),
      title: r.title,
      submittedAt: (r.submittedAt ?? r.createdAt).toISOString(),
      states,
      total: Object.values(states).reduce((a, b) => a + b, 0),
      openObjections: openObj.find((x) => x.batchId === r.id)?.n ?? 0,
      openRedLineHits: hits.find((x) => x.batch_id === r.id)?.n ?? 0,
    };
  });
}

async function batchDto(db: DbOrTx, actor: Actor, b: BatchRow): Promise<BatchDto> {
  const config = procedureFor(b.areaCode);
  const [summary] = await summaries(db, [b]);
  const rows = await db.select().from(apps).where(eq(apps.batchId, b.id));
  const facts = await householdFacts(
    db,
    rows.map((r) => r.householdId),
  );
  rows.sort((x, y) => (facts.get(x.householdId)!.householdNo < facts.get(y.householdId)!.householdNo ? -1 : 1));
  const [ap] = await db
    .select({ meetingDate: appraisals.meetingDate, representatives: appraisals.representatives, attended: appraisals.attended, chairedBy: appraisals.chairedBy, minutes: appraisals.minutes, minutesFileName: appraisals.minutesFileName })
    .from(appraisals)
    .where(eq(appraisals.batchId, b.id));
  const ns = await db.select().from(notices).where(eq(notices.batchId, b.id)).orderBy(asc(notices.createdAt));
  const today = todayCst();
  return {
    ...summary!,
    crossCheckStep: config.crossCheckStep,
    appraisalQuorum: config.appraisalQuorum,
    noticeDays: config.noticeDays,
    announcementDays: config.announcementDays,
    appraisal: ap ? { meetingDate: ap.meetingDate, representatives: ap.representatives, attended: ap.attended, chairedBy: ap.chairedBy, minutes: ap.minutes, minutesFileName: ap.minutesFileName } : null,
    notices: ns.map((n) => noticeDto(n, today)),
    applications: await applicationDtos(db, actor, rows, config),
  };
}

// ---------------------------------------------------------------------------------------------
// Steps

interface Blocked {
  applicationId: string;
  headName: string;
  code: string;
  message: string;
  messageEn: string;
}

/** The date of a step: given or today; never in the future, never before the application's last step. */
function stepDate(onDate: string | undefined, today: string): string {
  const d = onDate ?? today;
  if (d > today) throw invalidField(['onDate'], '日期不能晚于今天', 'The date cannot be later than today');
  return d;
}

async function lastStepDates(tx: DbOrTx, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await tx
    .select({ id: steps.applicationId, d: sql<string>`max(${steps.onDate})::text` })
    .from(steps)
    .where(inArray(steps.applicationId, ids))
    .groupBy(steps.applicationId);
  return new Map(rows.map((r) => [r.id, r.d]));
}

interface StepPlan {
  action: IdentificationAction;
  onDate?: string | undefined;
  responsiblePerson: string;
  note?: string | undefined;
  applicationIds?: string[] | undefined;
  skipBlocked: boolean;
  /** Extra context per application (appraisal attendance, the notice being opened). */
  context?: Partial<TransitionContext>;
  /** Writes after the states moved (the notice, the meeting): gets the moved applications. */
  write?: (tx: Tx, moved: AppRow[], onDate: string) => Promise<Record<string, unknown> | void>;
  /** Before the checks (e.g. refresh red-line hits). */
  before?: (tx: Tx, candidates: AppRow[]) => Promise<void>;
  /** After the states moved, per application (registration in the registry). */
  after?: (tx: Tx, moved: AppRow[], onDate: string) => Promise<void>;
}

async function takeStep(db: Db, actor: Actor, batchId: string, plan: StepPlan): Promise<StepResultDto> {
  const result = await db.transaction(async (tx) => {
    const b = await loadBatchForWrite(tx, actor, batchId, STEP_PERMISSION[plan.action]);
    const config = procedureFor(b.areaCode);
    const today = todayCst();
    const onDate = stepDate(plan.onDate, today);
    const all = await tx.select().from(apps).where(eq(apps.batchId, b.id)).for('update');
    let candidates: AppRow[];
    if (plan.applicationIds) {
      const wanted = new Set(plan.applicationIds);
      candidates = all.filter((a) => wanted.has(a.id));
      if (candidates.length !== wanted.size) throw invalidField(['applicationIds'], '有申请不属于该批次', 'Some applications are not in this batch');
    } else {
      candidates = all.filter((a) => actionsFrom(a.state as IdentificationState, config).includes(plan.action));
      if (candidates.length === 0) {
        const states = [...new Set(all.map((a) => stateLabel(a.state as IdentificationState)))].join('、');
        throw new AppError('STEP_NOT_ALLOWED', `该批次没有可以进行这一步的户（现为：${states}）`, `No application of this batch can take this step now`, { action: plan.action });
      }
    }
    if (plan.before) await plan.before(tx, candidates);
    const blocking = await blockers(tx, candidates);
    const ns = await tx.select().from(notices).where(eq(notices.batchId, b.id));
    const lastDates = await lastStepDates(
      tx,
      candidates.map((c) => c.id),
    );
    const facts = await householdFacts(
      tx,
      candidates.map((c) => c.householdId),
    );
    const blocked: Blocked[] = [];
    const moving: { app: AppRow; to: IdentificationState }[] = [];
    for (const a of candidates) {
      const closes = CLOSES[plan.action];
      const ctx: TransitionContext = {
        today: onDate,
        ...plan.context,
        closing: closes ? period(noticeFor(ns, closes, a.id)) : undefined,
        openObjections: blocking.objections.get(a.id) ?? 0,
        unjustifiedRedLineHits: blocking.hits.get(a.householdId) ?? 0,
      };
      const r = checkTransition(a.state as IdentificationState, plan.action, ctx, config);
      const last = lastDates.get(a.id);
      if (r.ok && last && onDate < last) {
        blocked.push({ applicationId: a.id, headName: facts.get(a.householdId)!.headName, code: 'VALIDATION_FAILED', message: `日期早于上一步（${last}）`, messageEn: `The date is before the previous step (${last})` });
      } else if (r.ok) {
        moving.push({ app: a, to: r.to });
      } else {
        blocked.push({ applicationId: a.id, headName: facts.get(a.householdId)!.headName, code: r.code, message: r.message, messageEn: r.messageEn });
      }
    }
    if (blocked.length > 0 && (!plan.skipBlocked || moving.length === 0)) {
      const first = blocked[0]!;
      const more = blocked.length > 1 ? `（另有 ${blocked.length - 1} 户未通过）` : '';
      const moreEn = blocked.length > 1 ? ` (and ${blocked.length - 1} more)` : '';
      const code = (first.code === 'VALIDATION_FAILED' ? 'VALIDATION_FAILED' : first.code) as AppError['code'];
      // The meeting's attendance and a notice's length concern the whole batch: said once, not per household.
      const batchWide = ['QUORUM_NOT_MET', 'NOTICE_TOO_SHORT'].includes(first.code) && blocked.every((x) => x.code === first.code);
      throw new AppError(code, batchWide ? first.message : `${first.headName}户：${first.message}${more}`, batchWide ? first.messageEn : `Household of ${first.headName}: ${first.messageEn}${moreEn}`, {
        refusal: first.code,
        blocked,
        ...(code === 'VALIDATION_FAILED' ? { issues: [{ path: ['onDate'], message: first.message, messageEn: first.messageEn }] } : {}),
        ...(code === 'REASON_REQUIRED' ? { issues: [{ path: ['reason'], message: first.message, messageEn: first.messageEn }] } : {}),
      });
    }
    const now = new Date();
    for (const m of moving) {
      await tx
        .update(apps)
        .set({ state: m.to, version: sql`${apps.version} + 1`, updatedAt: now })
        .where(eq(apps.id, m.app.id));
    }
    const moved = moving.map((m) => m.app);
    const details = (await plan.write?.(tx, moved, onDate)) ?? undefined;
    if (moving.length > 0) {
      await tx.insert(steps).values(
        moving.map((m) => ({
          applicationId: m.app.id,
          batchId: b.id,
          action: plan.action,
          fromState: m.app.state,
          toState: m.to,
          onDate,
          responsiblePerson: plan.responsiblePerson,
          note: plan.note ?? null,
          details: details ?? null,
          actorId: actor.id,
          actorName: actor.displayName || actor.username,
        })),
      );
    }
    await plan.after?.(tx, moved, onDate);
    await recordAudit(tx, actor, {
      action: STEP_PERMISSION[plan.action],
      targetType: 'identificationBatch',
      targetId: b.id,
      areaCode: b.areaCode,
      after: { step: plan.action, onDate, responsiblePerson: plan.responsiblePerson, applications: moved.map((a) => a.id), blocked: blocked.map((x) => ({ applicationId: x.applicationId, code: x.code })), ...(details ?? {}) },
    });
    return { batch: await batchDto(tx, actor, b), moved: moved.length, blocked };
  });
  return result;
}

// ---------------------------------------------------------------------------------------------
// Use cases

/**
 * A village submits its candidates as one batch (农户申请): every household in the batch's village,
 * active, not already registered poor (for 'poverty') and without another live application. Red-line
 * checks run at once on the households' own data and the active cross-check lists.
 * @param input createBatchBody: { areaCode (village), year, kind, title?, applications: [{ householdId, appliedOn (YYYY-MM-DD), statement? }] }
 * @throws AppError FORBIDDEN, NOT_FOUND (village outside scope), VALIDATION_FAILED (path applications.i.householdId: absent, another village, removed, already poor, already applying)
 */
export async function createBatch(db: Db, actor: Actor, input: CreateBatchInput): Promise<BatchDto> {
  const body = createBatchBody.parse(input);
  authorize(actor, IDENTIFICATION['identification.apply'], { areaCode: body.areaCode, label: { zh: '村', en: 'Village' } });
  return db.transaction(async (tx) => {
    const ids = body.applications.map((a) => a.householdId);
    const rows = await tx
      .select({ id: households.id, areaCode: households.areaCode, active: households.active, householdType: households.householdType, status: households.status, headName: households.headName })
      .from(households)
      .where(inArray(households.id, ids));
    const byId = new Map(rows.map((r) => [r.id, r]));
    const live = await tx
      .select({ householdId: apps.householdId })
      .from(apps)
      .where(and(inArray(apps.householdId, ids), sql`${apps.state} NOT IN ('registered','rejected','withdrawn')`));
    const liveSet = new Set(live.map((l) => l.householdId));
    const seen = new Set<string>();
    const today = todayCst();
    const issues: { path: (string | number)[]; message: string; messageEn: string }[] = [];
    body.applications.forEach((a, i) => {
      const h = byId.get(a.householdId);
      const path = ['applications', i, 'householdId'];
      if (!h) issues.push({ path, message: '该户不存在', messageEn: 'No such household' });
      else if (h.areaCode !== body.areaCode) issues.push({ path, message: `${h.headName}户不属于该村`, messageEn: `The household of ${h.headName} is not in this village` });
      else if (!h.active) issues.push({ path, message: `${h.headName}户已注销`, messageEn: `The household of ${h.headName} has been removed` });
      else if (h.householdType === 'registeredPoor' && ['notExited', 'returned'].includes(h.status)) issues.push({ path, message: `${h.headName}户已是建档立卡贫困户`, messageEn: `The household of ${h.headName} is already registered poor` });
      else if (body.kind === 'relativePoverty' && h.householdType === 'relativePoor') issues.push({ path, message: `${h.headName}户已是相对贫困户`, messageEn: `The household of ${h.headName} is already relatively poor` });
      else if (liveSet.has(a.householdId) || seen.has(a.householdId)) issues.push({ path, message: `${h.headName}户已有一份进行中的申请`, messageEn: `The household of ${h.headName} already has an application in progress` });
      if (a.appliedOn > today) issues.push({ path: ['applications', i, 'appliedOn'], message: '申请日期不能晚于今天', messageEn: 'The application date cannot be later than today' });
      seen.add(a.householdId);
    });
    if (issues.length > 0) throw new AppError('VALIDATION_FAILED', `输入有误：${issues[0]!.message}`, `Invalid input: ${issues[0]!.messageEn}`, { issues });
    const names = await loadAreaNames(tx, [body.areaCode]);
    const title = body.title?.trim() || `${names.get(body.areaCode)?.name ?? ''}${body.year}年${body.kind === 'relativePoverty' ? '相对贫困' : '贫困户'}识别`;
    const now = new Date();
    const [b] = await tx
      .insert(batches)
      .values({ areaCode: body.areaCode, year: body.year, kind: body.kind, title, submittedAt: now, submittedBy: actor.id, createdBy: actor.id })
      .returning();
    const inserted = await tx
      .insert(apps)
      .values(body.applications.map((a) => ({ batchId: b!.id, householdId: a.householdId, areaCode: body.areaCode, appliedOn: a.appliedOn, statement: a.statement ?? null })))
      .returning();
    await tx.insert(steps).values(
      inserted.map((a) => ({
        applicationId: a.id,
        batchId: b!.id,
        action: 'apply',
        fromState: null,
        toState: 'applied',
        onDate: a.appliedOn,
        responsiblePerson: actor.displayName || actor.username,
        note: a.statement,
        actorId: actor.id,
        actorName: actor.displayName || actor.username,
      })),
    );
    if (!procedureFor(body.areaCode).crossCheckStep) await refreshRedLineHits(tx, ids);
    await recordAudit(tx, actor, { action: IDENTIFICATION['identification.apply'], targetType: 'identificationBatch', targetId: b!.id, areaCode: body.areaCode, after: { title, year: body.year, kind: body.kind, households: ids } });
    return batchDto(tx, actor, b!);
  });
}

/**
 * 民主评议: records the meeting of village representatives (date, attendance, chair, minutes) and each
 * household's votes, and moves the applications to 'appraised'.
 * @throws AppError QUORUM_NOT_MET (attendance below the province's quorum), STEP_NOT_ALLOWED, VALIDATION_FAILED (attended > representatives; votes more than attended)
 */
export async function appraiseBatch(db: Db, actor: Actor, batchId: string, input: AppraisalInput): Promise<StepResultDto> {
  const body = appraisalBody.parse(input);
  if (body.attended > body.representatives) throw invalidField(['attended'], '到会人数不能多于应到人数', 'More attended than there are representatives');
  body.votes.forEach((v, i) => {
    if (v.votesFor + v.votesAgainst > body.attended) throw invalidField(['votes', i, 'votesFor'], '赞成与反对票之和不能多于到会人数', 'Votes for and against exceed the attendance');
  });
  return takeStep(db, actor, batchId, {
    action: 'appraise',
    onDate: body.onDate ?? body.meetingDate,
    responsiblePerson: body.responsiblePerson,
    note: body.note,
    applicationIds: body.applicationIds,
    skipBlocked: body.skipBlocked,
    context: { appraisal: { attended: body.attended, representatives: body.representatives } },
    write: async (tx, moved) => {
      await tx
        .insert(appraisals)
        .values({ batchId, meetingDate: body.meetingDate, representatives: body.representatives, attended: body.attended, chairedBy: body.chairedBy, minutes: body.minutes ?? null })
        .onConflictDoUpdate({ target: appraisals.batchId, set: { meetingDate: body.meetingDate, representatives: body.representatives, attended: body.attended, chairedBy: body.chairedBy, minutes: body.minutes ?? null } });
      for (const v of body.votes) {
        if (moved.some((m) => m.id === v.applicationId)) await tx.update(apps).set({ votesFor: v.votesFor, votesAgainst: v.votesAgainst }).where(eq(apps.id, v.applicationId));
      }
      return { meetingDate: body.meetingDate, representatives: body.representatives, attended: body.attended };
    },
  });
}

/**
 * 比对 (where the province has the step, e.g. Hunan): re-checks every household against the exclusion
 * rules and the active cross-check lists, then moves the applications on. Hits do not stop this step;
 * they stop the township review until justified.
 */
export async function crossCheckBatch(db: Db, actor: Actor, batchId: string, input: StepInput): Promise<StepResultDto> {
  const body = stepBody.parse(input);
  return takeStep(db, actor, batchId, {
    action: 'crossCheck',
    onDate: body.onDate,
    responsiblePerson: body.responsiblePerson,
    note: body.note,
    applicationIds: body.applicationIds,
    skipBlocked: body.skipBlocked,
    before: async (tx, candidates) => {
      await refreshRedLineHits(
        tx,
        candidates.map((c) => c.householdId),
      );
    },
  });
}

/**
 * Opens the first or second public notice (公示) or the announcement (公告) of the batch: the list as
 * posted (the applications moved), its first and last day (both counted; at least the province's
 * days) and where objections go.
 * @throws AppError NOTICE_TOO_SHORT, STEP_NOT_ALLOWED, VALIDATION_FAILED (endDate before startDate; startDate before the previous step)
 */
export async function openNotice(db: Db, actor: Actor, batchId: string, input: OpenNoticeInput): Promise<StepResultDto> {
  const body = openNoticeBody.parse(input);
  if (body.endDate < body.startDate) throw invalidField(['endDate'], '结束日期不能早于开始日期', 'The last day cannot be before the first');
  return takeStep(db, actor, batchId, {
    action: OPEN_ACTION[body.kind],
    onDate: body.onDate ?? (body.startDate <= todayCst() ? body.startDate : undefined),
    responsiblePerson: body.responsiblePerson,
    note: body.note,
    applicationIds: body.applicationIds,
    skipBlocked: body.skipBlocked,
    context: { opening: { start: body.startDate, end: body.endDate } },
    write: async (tx, moved) => {
      const [n] = await tx
        .insert(notices)
        .values({
          batchId,
          kind: body.kind,
          startDate: body.startDate,
          endDate: body.endDate,
          postedAt: body.postedAt,
          objectionContact: body.objectionContact,
          applicationIds: moved.map((m) => m.id),
          openedBy: actor.id,
          openedByName: actor.displayName || actor.username,
        })
        .returning();
      return { noticeId: n!.id, kind: body.kind, startDate: body.startDate, endDate: body.endDate };
    },
  });
}

/** 乡镇审核 after the first notice has ended. @throws AppError NOTICE_NOT_ENDED, OPEN_OBJECTION, RED_LINE_HIT, STEP_NOT_ALLOWED */
export function reviewTownship(db: Db, actor: Actor, batchId: string, input: StepInput): Promise<StepResultDto> {
  const body = stepBody.parse(input);
  return takeStep(db, actor, batchId, { action: 'reviewTownship', ...body });
}

/** 县审定 after the second notice has ended. @throws AppError NOTICE_NOT_ENDED, OPEN_OBJECTION, RED_LINE_HIT, STEP_NOT_ALLOWED */
export function approveCounty(db: Db, actor: Actor, batchId: string, input: StepInput): Promise<StepResultDto> {
  const body = stepBody.parse(input);
  return takeStep(db, actor, batchId, { action: 'approveCounty', ...body });
}

/**
 * 登记 (建档立卡) after the announcement has ended: each household becomes a registered poor household
 * (relatively poor for a relative-poverty batch), status 未脱贫, identification year = the batch's
 * year — a change in its history with the batch as the reason — and a 'newEntry' dynamic-adjustment
 * event is recorded.
 * @throws AppError NOTICE_NOT_ENDED, OPEN_OBJECTION, RED_LINE_HIT, STEP_NOT_ALLOWED
 */
export async function registerApplications(db: Db, actor: Actor, batchId: string, input: StepInput): Promise<StepResultDto> {
  const body = stepBody.parse(input);
  return takeStep(db, actor, batchId, {
    action: 'register',
    ...body,
    after: async (tx, moved, onDate) => {
      if (moved.length === 0) return;
      const [b] = await tx.select().from(batches).where(eq(batches.id, batchId));
      const facts = await householdFacts(
        tx,
        moved.map((m) => m.householdId),
      );
      for (const m of moved) {
        const f = facts.get(m.householdId)!;
        await updateHousehold(tx as unknown as Db, actor, m.householdId, {
          version: f.version,
          householdType: b!.kind === 'relativePoverty' ? 'relativePoor' : 'registeredPoor',
          status: 'notExited',
          identificationYear: b!.year,
          reason: `识别登记：${b!.title}`,
        });
        await recordHouseholdEvent(tx, actor, { householdId: m.householdId, areaCode: f.areaCode, kind: 'newEntry', onDate, reason: b!.title, details: { batchId, applicationId: m.id, kind: b!.kind } });
      }
    },
  });
}

async function endApplication(db: Db, actor: Actor, applicationId: string, action: 'reject' | 'withdraw', input: EndInput): Promise<TimelineDto> {
  const body = endBody.parse(input);
  await db.transaction(async (tx) => {
    const { app, batch } = await loadApplicationForWrite(tx, actor, applicationId, STEP_PERMISSION[action]);
    if (app.version !== body.version) {
      throw new AppError('STALE_EDIT', '该申请已被他人修改，请刷新后重试', 'This application was changed by someone else; reload and retry', { currentVersion: app.version });
    }
    const config = procedureFor(app.areaCode);
    const onDate = stepDate(body.onDate, todayCst());
    const r = checkTransition(app.state as IdentificationState, action, { today: onDate, reason: body.reason }, config);
    if (!r.ok) throw new AppError(r.code, r.message, r.messageEn, { refusal: r.code });
    await tx
      .update(apps)
      .set({ state: r.to, endReason: body.reason, version: sql`${apps.version} + 1`, updatedAt: new Date() })
      .where(eq(apps.id, app.id));
    await tx.insert(steps).values({
      applicationId: app.id,
      batchId: batch.id,
      action,
      fromState: app.state,
      toState: r.to,
      onDate,
      responsiblePerson: body.responsiblePerson,
      note: body.reason,
      actorId: actor.id,
      actorName: actor.displayName || actor.username,
    });
    await recordAudit(tx, actor, { action: STEP_PERMISSION[action], targetType: 'identificationApplication', targetId: app.id, areaCode: app.areaCode, before: { state: app.state }, after: { state: r.to, reason: body.reason, onDate } });
  });
  return getApplicationTimeline(db, actor, applicationId);
}

/** 不予认定: a reviewer rejects one application with a reason. @throws AppError REASON_REQUIRED, STEP_NOT_ALLOWED, PROCEDURE_ENDED, STALE_EDIT */
export function rejectApplication(db: Db, actor: Actor, applicationId: string, input: EndInput): Promise<TimelineDto> {
  return endApplication(db, actor, applicationId, 'reject', input);
}

/** 撤回: the household (through the village) withdraws before the county approval, with a reason. @throws as rejectApplication */
export function withdrawApplication(db: Db, actor: Actor, applicationId: string, input: EndInput): Promise<TimelineDto> {
  return endApplication(db, actor, applicationId, 'withdraw', input);
}

// ---------------------------------------------------------------------------------------------
// Objections (异议)

/**
 * Records an objection raised against a household during a notice or the announcement (anonymous when
 * `raisedBy` is empty). While it is open, the step after the notice is refused (OPEN_OBJECTION).
 * @throws AppError CONFLICT (the application is not in a notice or the announcement), NOT_FOUND, FORBIDDEN
 */
export async function raiseObjection(db: Db, actor: Actor, applicationId: string, input: ObjectionInput): Promise<ObjectionDto> {
  const body = objectionBody.parse(input);
  const id = await db.transaction(async (tx) => {
    const { app } = await loadApplicationForWrite(tx, actor, applicationId, IDENTIFICATION['identification.apply']);
    if (!['firstNotice', 'secondNotice', 'announced'].includes(app.state)) {
      throw new AppError('CONFLICT', `异议在公示或公告期间提出；该户现为“${stateLabel(app.state as IdentificationState)}”`, `Objections are raised during a notice or the announcement; this application is at “${app.state}”`);
    }
    if (body.raisedOn > todayCst()) throw invalidField(['raisedOn'], '日期不能晚于今天', 'The date cannot be later than today');
    const [o] = await tx
      .insert(objections)
      .values({ applicationId, batchId: app.batchId, areaCode: app.areaCode, raisedOn: body.raisedOn, raisedBy: body.raisedBy?.trim() || null, contact: body.contact?.trim() || null, grounds: body.grounds, recordedBy: actor.id })
      .returning();
    await recordAudit(tx, actor, { action: IDENTIFICATION['identification.apply'], targetType: 'identificationObjection', targetId: o!.id, areaCode: app.areaCode, after: { applicationId, raisedOn: body.raisedOn, anonymous: !o!.raisedBy } });
    return o!.id;
  });
  return getObjection(db, actor, id);
}

/**
 * Decides an objection after investigation. Upheld: the household is taken out of the batch
 * (不予认定, the objection as the reason). Dismissed: the procedure goes on; the reason is recorded.
 * @throws AppError CONFLICT (already decided), NOT_FOUND, FORBIDDEN
 */
export async function decideObjection(db: Db, actor: Actor, objectionId: string, input: ObjectionDecisionInput): Promise<ObjectionDto> {
  const body = objectionDecisionBody.parse(input);
  await db.transaction(async (tx) => {
    const [o] = await tx.select().from(objections).where(eq(objections.id, objectionId)).for('update');
    if (!o) throw notFound(OBJECTION.zh, OBJECTION.en);
    authorize(actor, IDENTIFICATION['identification.review'], { areaCode: o.areaCode, label: OBJECTION });
    if (o.status !== 'open') throw new AppError('CONFLICT', '该异议已处理', 'This objection has been decided already');
    const decidedOn = stepDate(body.decidedOn, todayCst());
    if (decidedOn < o.raisedOn) throw invalidField(['decidedOn'], '处理日期不能早于提出日期', 'The decision cannot precede the objection');
    await tx
      .update(objections)
      .set({ status: body.decision, investigation: body.investigation, decisionReason: body.reason, decidedOn, decidedBy: actor.id, decidedByName: actor.displayName || actor.username })
      .where(eq(objections.id, o.id));
    if (body.decision === 'upheld') {
      const [a] = await tx.select().from(apps).where(eq(apps.id, o.applicationId)).for('update');
      const r = checkTransition(a!.state as IdentificationState, 'reject', { today: decidedOn, reason: body.reason }, procedureFor(a!.areaCode));
      if (r.ok) {
        await tx
          .update(apps)
          .set({ state: r.to, endReason: `异议成立：${body.reason}`, version: sql`${apps.version} + 1`, updatedAt: new Date() })
          .where(eq(apps.id, a!.id));
        await tx.insert(steps).values({
          applicationId: a!.id,
          batchId: a!.batchId,
          action: 'reject',
          fromState: a!.state,
          toState: r.to,
          onDate: decidedOn,
          responsiblePerson: body.responsiblePerson,
          note: `异议成立：${body.reason}`,
          details: { objectionId: o.id },
          actorId: actor.id,
          actorName: actor.displayName || actor.username,
        });
      }
    }
    await recordAudit(tx, actor, { action: IDENTIFICATION['identification.review'], targetType: 'identificationObjection', targetId: o.id, areaCode: o.areaCode, before: { status: 'open' }, after: { status: body.decision, reason: body.reason, decidedOn } });
  });
  return getObjection(db, actor, objectionId);
}

async function objectionDtos(db: DbOrTx, rows: (typeof objections.$inferSelect)[]): Promise<ObjectionDto[]> {
  if (rows.length === 0) return [];
  const a = await db
    .select({ id: apps.id, householdId: apps.householdId })
    .from(apps)
    .where(
      inArray(
        apps.id,
        rows.map((r) => r.applicationId),
      ),
    );
  const facts = await householdFacts(
    db,
    a.map((x) => x.householdId),
  );
  const hh = new Map(a.map((x) => [x.id, facts.get(x.householdId)!]));
  return rows.map((o) => ({
    id: o.id,
    applicationId: o.applicationId,
    batchId: o.batchId,
    headName: hh.get(o.applicationId)?.headName ?? '',
    householdNo: hh.get(o.applicationId)?.householdNo ?? '',
    raisedOn: o.raisedOn,
    raisedBy: o.raisedBy,
    grounds: o.grounds,
    status: o.status as ObjectionDto['status'],
    investigation: o.investigation,
    decidedOn: o.decidedOn,
    decisionReason: o.decisionReason,
    decidedByName: o.decidedByName,
  }));
}

/** One objection. @throws AppError NOT_FOUND (absent or outside scope) */
export async function getObjection(db: DbOrTx, actor: Actor, id: string): Promise<ObjectionDto> {
  const [o] = await db.select().from(objections).where(eq(objections.id, id));
  if (!o) throw notFound(OBJECTION.zh, OBJECTION.en);
  authorize(actor, IDENTIFICATION['identification.read'], { areaCode: o.areaCode, label: OBJECTION });
  return (await objectionDtos(db, [o]))[0]!;
}

/** Objections in the actor's scope, open ones first, newest first. */
export async function findObjections(db: DbOrTx, actor: Actor, q: { status?: 'open' | 'upheld' | 'dismissed' | undefined; batchId?: string | undefined; page: number; pageSize: number }): Promise<Page<ObjectionDto>> {
  authorize(actor, IDENTIFICATION['identification.read']);
  const where = and(
    sql`${objections.areaCode} LIKE ${scopePattern(actor)}`,
    q.status ? eq(objections.status, q.status) : undefined,
    q.batchId ? eq(objections.batchId, q.batchId) : undefined,
  );
  const [{ n }] = (await db.select({ n: sql<number>`count(*)::int` }).from(objections).where(where)) as [{ n: number }];
  const rows = await db
    .select()
    .from(objections)
    .where(where)
    .orderBy(sql`${objections.status} = 'open' DESC`, desc(objections.raisedOn), desc(objections.createdAt))
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize);
  return { items: await objectionDtos(db, rows), total: n, page: q.page, pageSize: q.pageSize };
}

// ---------------------------------------------------------------------------------------------
// Reads

/** A batch with its applications, meeting and notices. @throws AppError NOT_FOUND */
export async function getBatch(db: DbOrTx, actor: Actor, id: string): Promise<BatchDto> {
  const [b] = await db.select().from(batches).where(eq(batches.id, id));
  if (!b) throw notFound(BATCH.zh, BATCH.en);
  authorize(actor, IDENTIFICATION['identification.read'], { areaCode: b.areaCode, label: BATCH });
  return batchDto(db, actor, b);
}

/** Batches in the actor's scope (or under `areaCode`), newest first; `state`: batches with an application in it. */
export async function findBatches(db: DbOrTx, actor: Actor, q: BatchListQuery): Promise<Page<BatchSummaryDto>> {
  authorize(actor, IDENTIFICATION['identification.read']);
  if (q.areaCode && !inScope(actor, q.areaCode.padEnd(12, '0'))) throw notFound('地区', 'Area');
  const prefix = q.areaCode ? `${q.areaCode.replace(/(000)+$/, '')}%` : scopePattern(actor);
  const where = and(
    sql`${batches.areaCode} LIKE ${prefix}`,
    sql`${batches.areaCode} LIKE ${scopePattern(actor)}`,
    q.year ? eq(batches.year, q.year) : undefined,
    q.kind ? eq(batches.kind, q.kind) : undefined,
    q.state ? sql`EXISTS (SELECT 1 FROM ${apps} WHERE ${apps.batchId} = ${batches.id} AND ${apps.state} = ${q.state})` : undefined,
  );
  const [{ n }] = (await db.select({ n: sql<number>`count(*)::int` }).from(batches).where(where)) as [{ n: number }];
  const rows = await db
    .select()
    .from(batches)
    .where(where)
    .orderBy(desc(batches.createdAt))
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize);
  return { items: await summaries(db, rows), total: n, page: q.page, pageSize: q.pageSize };
}

/** An application with every step (date, responsible person, who entered it) and its objections. @throws AppError NOT_FOUND */
export async function getApplicationTimeline(db: DbOrTx, actor: Actor, id: string): Promise<TimelineDto> {
  const [a] = await db.select().from(apps).where(eq(apps.id, id));
  if (!a) throw notFound(APPLICATION.zh, APPLICATION.en);
  authorize(actor, IDENTIFICATION['identification.read'], { areaCode: a.areaCode, label: APPLICATION });
  const [b] = await db.select().from(batches).where(eq(batches.id, a.batchId));
  const [dto] = await applicationDtos(db, actor, [a], procedureFor(a.areaCode));
  const s = await db.select().from(steps).where(eq(steps.applicationId, id)).orderBy(asc(steps.id));
  const o = await db.select().from(objections).where(eq(objections.applicationId, id)).orderBy(asc(objections.createdAt));
  const hits = await db
    .select()
    .from(redLineHits)
    .where(and(eq(redLineHits.householdId, a.householdId), inArray(redLineHits.status, ['open', 'justified'])))
    .orderBy(asc(redLineHits.foundAt));
  return {
    redLineHits: hits.map((h) => ({
      rule: h.rule,
      detail: h.detail,
      status: h.status as 'open' | 'justified',
      justification: h.justification,
      justifiedByName: h.justifiedByName,
      justifiedAt: h.justifiedAt?.toISOString() ?? null,
    })),
    application: dto!,
    batchTitle: b!.title,
    steps: s.map((x) => ({ action: x.action, fromState: x.fromState, toState: x.toState, onDate: x.onDate, responsiblePerson: x.responsiblePerson, note: x.note, actorName: x.actorName, at: x.at.toISOString() })),
    objections: await objectionDtos(db, o),
  };
}

/** Live applications of a household (for its card), newest first. */
export async function findHouseholdApplications(db: DbOrTx, actor: Actor, householdId: string): Promise<ApplicationDto[]> {
  const rows = await db.select().from(apps).where(eq(apps.householdId, householdId)).orderBy(desc(apps.createdAt));
  const visible = rows.filter((r) => inScope(actor, r.areaCode));
  if (visible.length === 0) return [];
  authorize(actor, IDENTIFICATION['identification.read']);
  return applicationDtos(db, actor, visible, procedureFor(visible[0]!.areaCode));
}

/**
 * The printable list of a notice (公示) or the announcement (公告): the households on it in 户编号 order,
 * with head name, masked ID number, group, size, attribute and main cause, the dates and where to object.
 * @throws AppError NOT_FOUND (no such notice for the batch, or outside scope)
 */
export async function getNoticeList(db: DbOrTx, actor: Actor, batchId: string, kind: NoticeKind): Promise<NoticeListDto> {
  const [b] = await db.select().from(batches).where(eq(batches.id, batchId));
  if (!b) throw notFound(BATCH.zh, BATCH.en);
  authorize(actor, IDENTIFICATION['identification.read'], { areaCode: b.areaCode, label: BATCH });
  const list = await db
    .select()
    .from(notices)
    .where(and(eq(notices.batchId, batchId), eq(notices.kind, kind)))
    .orderBy(asc(notices.createdAt));
  if (list.length === 0) throw notFound(kind === 'announcement' ? '公告' : '公示', kind === 'announcement' ? 'Announcement' : 'Notice');
  const n = list[list.length - 1]!;
  const ids = [...new Set(list.flatMap((x) => x.applicationIds))];
  const rows = rowsOf<{ head_name: string; id_number: string | null; group_name: string | null; member_count: number; poverty_attribute: string | null; main_poverty_cause: string | null; household_no: string; state: string }>(
    await db.execute(sql`SELECT h.head_name, m.id_number, h.group_name, h.member_count, h.poverty_attribute, h.main_poverty_cause, h.household_no, a.state
      FROM ${apps} a JOIN ${households} h ON h.id = a.household_id
      LEFT JOIN ${members} m ON m.household_id = h.id AND m.relation_to_head = 'head' AND m.status = 'active'
      WHERE a.id IN (${sql.join(
        ids.map((i) => sql`${i}::uuid`),
        sql`, `,
      )}) AND a.state NOT IN ('rejected','withdrawn')
      ORDER BY h.household_no`),
  );
  const names = await loadAreaNames(db, [b.areaCode, `${b.areaCode.slice(0, 6)}000000`]);
  const village = names.get(b.areaCode);
  return {
    kind,
    title: `${village?.name ?? ''}${b.year}年${b.kind === 'relativePoverty' ? '相对贫困户' : '贫困户'}${kind === 'firstNotice' ? '识别第一次公示' : kind === 'secondNotice' ? '识别第二次公示' : '识别公告'}`,
    village: village?.name ?? '',
    township: village?.township ?? '',
    county: names.get(`${b.areaCode.slice(0, 6)}000000`)?.name ?? '',
    year: b.year,
    startDate: n.startDate,
    endDate: n.endDate,
    postedAt: n.postedAt,
    objectionContact: n.objectionContact,
    rows: rows.map((r, i) => ({
      no: i + 1,
      headName: r.head_name,
      idNumberMasked: maskIdNumber(r.id_number) ?? '',
      groupName: r.group_name,
      memberCount: r.member_count,
      povertyAttribute: r.poverty_attribute,
      mainPovertyCause: r.main_poverty_cause,
    })),
  };
}

/**
 * What waits for the actor ("待办"): for each batch in scope, the applications waiting for a step the
 * actor's role takes (with the first day it can be taken when a notice has not ended), the undecided
 * objections (for reviewers) and the households with red-line hits to justify (for reviewers).
 */
export async function findWorklist(db: DbOrTx, actor: Actor): Promise<WorklistItemDto[]> {
  authorize(actor, IDENTIFICATION['identification.read']);
  const scope = scopePattern(actor);
  const live = rowsOf<{ batch_id: string; state: string; n: number; area_code: string; title: string }>(
    await db.execute(sql`SELECT a.batch_id, a.state, count(*)::int AS n, b.area_code, b.title FROM ${apps} a JOIN ${batches} b ON b.id = a.batch_id
      WHERE a.area_code LIKE ${scope} AND a.state NOT IN ('registered','rejected','withdrawn') GROUP BY a.batch_id, a.state, b.area_code, b.title`),
  );
  const batchIds = [...new Set(live.map((l) => l.batch_id))];
  const ns = batchIds.length ? await db.select().from(notices).where(inArray(notices.batchId, batchIds)) : [];
  const names = await loadAreaNames(db, [...new Set(live.map((l) => l.area_code))]);
  const today = todayCst();
  const items: WorklistItemDto[] = [];
  for (const l of live) {
    const config = procedureFor(l.area_code);
    const next = actionsFrom(l.state as IdentificationState, config).filter((a) => a !== 'reject' && a !== 'withdraw');
    for (const action of next) {
      if (!roleHolds(actor, STEP_PERMISSION[action])) continue;
      // Village steps belong to the village's clerk; reviewers above see the township's and county's.
      if (STEP_PERMISSION[action] === IDENTIFICATION['identification.apply'] && actor.role !== 'village_clerk' && actor.role !== 'work_team_member' && actor.role !== 'admin') continue;
      if (action === 'openSecondNotice' || action === 'crossCheck' || action === 'reviewTownship') {
        if (actor.role === 'county_officer') continue;
      }
      const closes = CLOSES[action];
      let readyOn: string | null = null;
      if (closes) {
        const ends = ns.filter((n) => n.batchId === l.batch_id && n.kind === closes).map((n) => n.endDate);
        const end = ends.sort().at(-1);
        if (end) readyOn = new Date(Date.parse(`${end}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
      }
      items.push({ kind: 'step', action, batchId: l.batch_id, batchTitle: l.title, villageName: names.get(l.area_code)?.name ?? '', count: l.n, ready: !readyOn || readyOn <= today, readyOn: readyOn && readyOn > today ? readyOn : null });
    }
  }
  if (roleHolds(actor, IDENTIFICATION['identification.review'])) {
    const o = rowsOf<{ batch_id: string; n: number; area_code: string; title: string }>(
      await db.execute(sql`SELECT o.batch_id, count(*)::int AS n, b.area_code, b.title FROM ${objections} o JOIN ${batches} b ON b.id = o.batch_id
        WHERE o.area_code LIKE ${scope} AND o.status = 'open' GROUP BY o.batch_id, b.area_code, b.title`),
    );
    const on = await loadAreaNames(
      db,
      o.map((x) => x.area_code),
    );
    for (const x of o) items.push({ kind: 'objection', action: null, batchId: x.batch_id, batchTitle: x.title, villageName: on.get(x.area_code)?.name ?? '', count: x.n, ready: true, readyOn: null });
  }
  if (roleHolds(actor, IDENTIFICATION['identification.override'])) {
    const h = rowsOf<{ batch_id: string; n: number; area_code: string; title: string }>(
      await db.execute(sql`SELECT a.batch_id, count(DISTINCT a.household_id)::int AS n, b.area_code, b.title FROM ${apps} a JOIN ${batches} b ON b.id = a.batch_id
        JOIN ${redLineHits} h ON h.household_id = a.household_id AND h.status = 'open'
        WHERE a.area_code LIKE ${scope} AND a.state NOT IN ('registered','rejected','withdrawn') GROUP BY a.batch_id, b.area_code, b.title`),
    );
    const hn = await loadAreaNames(
      db,
      h.map((x) => x.area_code),
    );
    for (const x of h) items.push({ kind: 'redLine', action: null, batchId: x.batch_id, batchTitle: x.title, villageName: hn.get(x.area_code)?.name ?? '', count: x.n, ready: true, readyOn: null });
  }
  return items.sort((a, b) => Number(b.ready) - Number(a.ready) || a.villageName.localeCompare(b.villageName, 'zh') || a.batchTitle.localeCompare(b.batchTitle, 'zh'));
}

// ---------------------------------------------------------------------------------------------
// The appraisal's signed minutes (会议记录扫描件)

/** Largest minutes file accepted (bytes): a few scanned pages. */
export const MINUTES_MAX_BYTES = 10 * 1024 * 1024;

/** What a file's first bytes say it is: PDF, JPEG or PNG (the name's extension is not trusted). */
export function minutesFileType(content: Buffer): 'application/pdf' | 'image/jpeg' | 'image/png' | null {
  if (content.subarray(0, 5).toString('latin1') === '%PDF-') return 'application/pdf';
  if (content[0] === 0xff && content[1] === 0xd8 && content[2] === 0xff) return 'image/jpeg';
  if (content.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  return null;
}

/**
 * Attaches the signed minutes of the batch's 民主评议 (a scan: PDF, JPEG or PNG, ≤ 10 MB), replacing an
 * earlier one; audited.
 * @throws AppError VALIDATION_FAILED (path file: empty, too large, not a PDF/JPEG/PNG), CONFLICT (no appraisal recorded yet), NOT_FOUND, FORBIDDEN
 */
export async function attachMinutes(db: Db, actor: Actor, batchId: string, file: { fileName: string; content: Buffer }): Promise<BatchDto> {
  const type = minutesFileType(file.content);
  if (file.content.length === 0) throw invalidField(['file'], '文件是空的（0 字节）', 'The file is empty (0 bytes)');
  if (file.content.length > MINUTES_MAX_BYTES) throw invalidField(['file'], '文件超过 10 MB', 'The file is over 10 MB');
  if (!type) throw invalidField(['file'], `“${file.fileName}”不是 PDF、JPEG 或 PNG 文件`, `“${file.fileName}” is not a PDF, JPEG or PNG file`);
  return db.transaction(async (tx) => {
    const b = await loadBatchForWrite(tx, actor, batchId, IDENTIFICATION['identification.apply']);
    const [ap] = await tx.select({ batchId: appraisals.batchId }).from(appraisals).where(eq(appraisals.batchId, b.id));
    if (!ap) throw new AppError('CONFLICT', '请先登记民主评议，再上传会议记录', 'Record the appraisal before attaching its minutes');
    await tx.update(appraisals).set({ minutesFileName: file.fileName, minutesFileType: type, minutesFile: file.content }).where(eq(appraisals.batchId, b.id));
    await recordAudit(tx, actor, { action: IDENTIFICATION['identification.apply'], targetType: 'identificationBatch', targetId: b.id, areaCode: b.areaCode, after: { minutesFile: file.fileName, bytes: file.content.length, type } });
    return batchDto(tx, actor, b);
  });
}

/** The minutes file of a batch's appraisal. @throws AppError NOT_FOUND (no batch in scope, or no file) */
export async function getMinutesFile(db: DbOrTx, actor: Actor, batchId: string): Promise<{ fileName: string; type: string; content: Buffer }> {
  const [b] = await db.select().from(batches).where(eq(batches.id, batchId));
  if (!b) throw notFound(BATCH.zh, BATCH.en);
  authorize(actor, IDENTIFICATION['identification.read'], { areaCode: b.areaCode, label: BATCH });
  const [ap] = await db.select().from(appraisals).where(eq(appraisals.batchId, batchId));
  if (!ap?.minutesFile) throw notFound('会议记录文件', 'Minutes file');
  return { fileName: ap.minutesFileName ?? 'minutes', type: ap.minutesFileType ?? 'application/octet-stream', content: ap.minutesFile };
}
