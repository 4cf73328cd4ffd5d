/**
 * A household's assistance records: needs (脱贫需求清单), yearly plans (脱贫计划), measures (帮扶措施),
 * and the household's assistance summary (helper and history, needs, plans, measures, latest visits,
 * policy coverage). Every use case: parse → loadHouseholdFor (role, scope, "a helper only their own
 * households") → one transaction → writes → recordAudit. Money is yuan (two decimals); dates are
 * YYYY-MM-DD (China Standard Time), never in the future.
 */
import { and, asc, count, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import type { Db, DbOrTx, Tx } from '../../platform/db.ts';
import { pgErrorCode } from '../../platform/db.ts';
import { authorize, roleHolds, type Actor } from '../../platform/auth.ts';
import { AppError, invalidField, notFound, type FieldIssue } from '../../shared/errors.ts';
import { maskIdNumber, maskPhone } from '../../shared/mask.ts';
import { scopePrefix } from '../../shared/area-code.ts';
import { recordAudit } from '../audit/index.ts';
import { loadAreaNames } from '../areas/index.ts';
import { HOUSEHOLDS, todayCst } from '../households/index.ts';
import { households, members } from '../households/schema.ts';
import { helperOfActor, householdScope, loadHouseholdFor, type AssistedHousehold } from './access.ts';
import { MEASURE_TYPE, NEED_STATUS } from './codes.ts';
import { ASSISTANCE } from './permissions.ts';
import { householdCoverage, type CoverageMember } from './rules.ts';
import { assistanceMeasures, assistancePlans, assistingUnits, helperAssignments, helpers, householdNeeds, visitPhotos, visits } from './schema.ts';
import {
  correctMeasureBody,
  createMeasureBody,
  createNeedBody,
  measureListQuery,
  planBody,
  updateNeedBody,
  type CorrectMeasureInput,
  type CreateMeasureInput,
  type CreateNeedInput,
  type HouseholdAssistanceDto,
  type HouseholdHelperDto,
  type MeasureDto,
  type MeasureListItemDto,
  type MeasureListQuery,
  type MeasurePageDto,
  type NeedDto,
  type PlanDto,
  type PlanInput,
  type PlannedMeasure,
  type UpdateNeedInput,
} from './records-contract.ts';

const NEED = { zh: '需求', en: 'Need' } as const;
const MEASURE = { zh: '帮扶措施', en: 'Measure' } as const;
const RECORD = ASSISTANCE['assistance.record'];
const READ = ASSISTANCE['assistance.read'];
/** Roles that may correct or delete any measure of their scope (others: only measures they recorded). */
const OFFICER_ROLES = new Set(['admin', 'county_officer', 'township_officer']);

type NeedRow = typeof householdNeeds.$inferSelect;
type PlanRow = typeof assistancePlans.$inferSelect;
type MeasureRow = typeof assistanceMeasures.$inferSelect;
interface MemberRef {
  memberId: string;
  name: string;
  idNumber: string;
}

const typeCode = (type: string) => MEASURE_TYPE.find((t) => t.value === type);
const iso = (d: Date | string) => (d instanceof Date ? d.toISOString() : new Date(d).toISOString());
const round2 = (n: number) => Math.round(n * 100) / 100;

function validationError(issues: FieldIssue[]): AppError {
  return new AppError('VALIDATION_FAILED', `输入有误：${issues.map((i) => `${i.path.join('.')} ${i.message}`).join('；')}`, `Invalid input: ${issues.map((i) => `${i.path.join('.')} ${i.messageEn}`).join('; ')}`, { issues });
}

/** @throws AppError VALIDATION_FAILED on `path` when `date` is after today (CST). */
function notInFuture(date: string, path: string): void {
  if (date > todayCst()) throw invalidField([path], `日期不能晚于今天（${todayCst()}）`, `the date cannot be after today (${todayCst()})`);
}

// ---------------------------------------------------------------------------------------------
// DTOs

function needDto(n: NeedRow): NeedDto {
  return {
    id: n.id,
    householdId: n.householdId,
    category: n.category as NeedDto['category'],
    description: n.description,
    status: n.status as NeedDto['status'],
    raisedOn: n.raisedOn,
    metOn: n.metOn,
    metByMeasureId: n.metByMeasureId,
    metNote: n.metNote,
    version: n.version,
    createdAt: iso(n.createdAt),
  };
}

function planDto(p: PlanRow): PlanDto {
  const planned = (p.plannedMeasures as PlannedMeasure[]) ?? [];
  return {
    id: p.id,
    householdId: p.householdId,
    year: p.year,
    goal: p.goal,
    plannedExitYear: p.plannedExitYear,
    plannedMeasures: planned.map((m) => ({ type: m.type, description: m.description ?? '', amount: m.amount ?? null })),
    plannedAmount: round2(planned.reduce((s, m) => s + (m.amount ?? 0), 0)),
    version: p.version,
    updatedAt: iso(p.updatedAt),
  };
}

/** Whether the actor may correct or delete a measure: it holds assistance.record and recorded it, or is an officer. */
function mayEdit(actor: Actor, m: { recordedBy: string | null }): boolean {
  if (!roleHolds(actor, RECORD)) return false;
  return OFFICER_ROLES.has(actor.role) || (actor.id !== null && m.recordedBy === actor.id);
}

function measureDto(m: MeasureRow, actor: Actor, activeIds: Set<string> | null, full: boolean): MeasureDto {
  const refs = (m.memberRefs as MemberRef[]) ?? [];
  return {
    id: m.id,
    householdId: m.householdId,
    type: m.type,
    group: typeCode(m.type)?.group ?? 'other',
    members: refs.map((r) => ({ memberId: r.memberId, name: r.name, idNumber: full ? r.idNumber : maskIdNumber(r.idNumber), current: activeIds ? activeIds.has(r.memberId) : true })),
    onDate: m.onDate,
    amount: m.amount === null ? null : Number(m.amount),
    fundingSource: m.fundingSource,
    description: m.description,
    needId: m.needId,
    version: m.version,
    recordedByName: m.recordedByName,
    createdAt: iso(m.createdAt),
    canEdit: mayEdit(actor, m),
  };
}

/** What the audit log keeps of a measure. */
function measureAudit(m: MeasureRow) {
  return { type: m.type, onDate: m.onDate, amount: m.amount === null ? null : Number(m.amount), members: ((m.memberRefs as MemberRef[]) ?? []).map((r) => r.name), fundingSource: m.fundingSource, needId: m.needId, description: m.description };
}

// ---------------------------------------------------------------------------------------------
// Loading

async function loadActiveMembers(db: DbOrTx, householdId: string) {
  return db
    .select()
    .from(members)
    .where(and(eq(members.householdId, householdId), eq(members.status, 'active')))
    .orderBy(sql`${members.relationToHead} = 'head' DESC`, asc(members.birthDate), asc(members.name));
}

/** A need and its household, checked for the actor. @throws NOT_FOUND */
async function loadNeedFor(tx: Tx, actor: Actor, id: string, action: string): Promise<{ need: NeedRow; household: AssistedHousehold }> {
  const [need] = await tx.select().from(householdNeeds).where(eq(householdNeeds.id, id)).for('update');
  if (!need) {
    authorize(actor, action);
    throw notFound(NEED.zh, NEED.en);
  }
  const household = await loadHouseholdFor(tx, actor, need.householdId, action);
  return { need, household };
}

async function loadMeasureFor(tx: Tx, actor: Actor, id: string, action: string): Promise<{ measure: MeasureRow; household: AssistedHousehold }> {
  const [measure] = await tx.select().from(assistanceMeasures).where(eq(assistanceMeasures.id, id)).for('update');
  if (!measure) {
    authorize(actor, action);
    throw notFound(MEASURE.zh, MEASURE.en);
  }
  const household = await loadHouseholdFor(tx, actor, measure.householdId, action);
  return { measure, household };
}

function refuseRemoved(h: AssistedHousehold): void {
  if (!h.active) throw new AppError('CONFLICT', '该户已注销，不能再记录帮扶', 'This household is removed from the registry; no more assistance can be recorded');
}

// ---------------------------------------------------------------------------------------------
// Needs

/**
 * Adds a need (脱贫需求) to a household, status open.
 * @param input createNeedBody: { householdId, category (NEED_CATEGORY), description, raisedOn (YYYY-MM-DD, not in the future) }
 * @throws AppError FORBIDDEN (not assistance.record), NOT_FOUND (household absent, outside scope, or not the helper's), CONFLICT (household removed), VALIDATION_FAILED (raisedOn)
 */
export async function createNeed(db: Db, actor: Actor, input: CreateNeedInput): Promise<NeedDto> {
  const body = createNeedBody.parse(input);
  return db.transaction(async (tx) => {
    const h = await loadHouseholdFor(tx, actor, body.householdId, RECORD);
    refuseRemoved(h);
    notInFuture(body.raisedOn, 'raisedOn');
    const [row] = await tx
      .insert(householdNeeds)
      .values({ householdId: h.id, category: body.category, description: body.description, raisedOn: body.raisedOn, createdBy: actor.id })
      .returning();
    await recordAudit(tx, actor, { action: RECORD, targetType: 'householdNeed', targetId: row!.id, areaCode: h.areaCode, after: { householdNo: h.householdNo, category: body.category, description: body.description, raisedOn: body.raisedOn } });
    return needDto(row!);
  });
}

const STATUS_ORDER = NEED_STATUS.map((s) => s.value);

/**
 * Edits a need at `version`: its category, description, date raised, and its status — forward only
 * (open → inProgress → met). Met needs `metOn` (not before raisedOn, not in the future) and what met
 * it: a `metNote` and/or `metByMeasureId` (a measure of the same household). Leaving met is not
 * allowed; a need that is not met keeps no met fields.
 * @throws AppError STALE_EDIT (changed since `version`; `details.current`), VALIDATION_FAILED (status, metOn, metNote, metByMeasureId, raisedOn), FORBIDDEN, NOT_FOUND
 */
export async function updateNeed(db: Db, actor: Actor, id: string, input: UpdateNeedInput): Promise<NeedDto> {
  const body = updateNeedBody.parse(input);
  return db.transaction(async (tx) => {
    const { need, household } = await loadNeedFor(tx, actor, id, RECORD);
    if (need.version !== body.version) {
      throw new AppError('STALE_EDIT', '该需求已被他人修改，未保存您的更改。请查看最新内容后重新修改', 'Someone else changed this need since you opened it; nothing was saved. Review it and edit again', {
        currentVersion: need.version,
        current: needDto(need),
      });
    }
    refuseRemoved(household);
    const status = body.status ?? (need.status as NeedDto['status']);
    if (STATUS_ORDER.indexOf(status) < STATUS_ORDER.indexOf(need.status as NeedDto['status'])) {
      throw invalidField(['status'], '需求状态只能向前推进（待落实 → 落实中 → 已满足）', 'a need’s status only moves forward (open → in progress → met)');
    }
    const raisedOn = body.raisedOn ?? need.raisedOn;
    if (body.raisedOn) notInFuture(body.raisedOn, 'raisedOn');
    let met: { metOn: string | null; metNote: string | null; metByMeasureId: string | null } = { metOn: null, metNote: null, metByMeasureId: null };
    if (status === 'met') {
      const metOn = body.metOn === undefined ? need.metOn : body.metOn;
      const metNote = (body.metNote === undefined ? need.metNote : body.metNote) || null;
      const metByMeasureId = body.metByMeasureId === undefined ? need.metByMeasureId : body.metByMeasureId;
      const issues: FieldIssue[] = [];
      if (!metOn) issues.push({ path: ['metOn'], message: '已满足的需求须填写满足日期', messageEn: 'a met need needs the date it was met' });
      else if (metOn > todayCst()) issues.push({ path: ['metOn'], message: `日期不能晚于今天（${todayCst()}）`, messageEn: `the date cannot be after today (${todayCst()})` });
      else if (metOn < raisedOn) issues.push({ path: ['metOn'], message: '满足日期不能早于提出日期', messageEn: 'the need cannot be met before it was raised' });
      if (!metNote && !metByMeasureId) issues.push({ path: ['metNote'], message: '请说明如何满足：填写说明或关联一项帮扶措施', messageEn: 'say what met it: a note or a measure' });
      if (metByMeasureId) {
        const [m] = await tx.select({ id: assistanceMeasures.id }).from(assistanceMeasures).where(and(eq(assistanceMeasures.id, metByMeasureId), eq(assistanceMeasures.householdId, need.householdId)));
        if (!m) issues.push({ path: ['metByMeasureId'], message: '应为本户的一项帮扶措施', messageEn: 'choose a measure of this household' });
      }
      if (issues.length) throw validationError(issues);
      met = { metOn: metOn!, metNote, metByMeasureId: metByMeasureId ?? null };
    } else if (body.metOn || body.metNote || body.metByMeasureId) {
      throw invalidField(['status'], '填写满足情况时，状态应为“已满足”', 'met details need the status met');
    }
    const [after] = await tx
      .update(householdNeeds)
      .set({
        category: body.category ?? need.category,
        description: body.description ?? need.description,
        raisedOn,
        status,
        ...met,
        version: need.version + 1,
        updatedAt: new Date(),
      })
      .where(and(eq(householdNeeds.id, id), eq(householdNeeds.version, need.version)))
      .returning();
    await recordAudit(tx, actor, {
      action: RECORD,
      targetType: 'householdNeed',
      targetId: id,
      areaCode: household.areaCode,
      before: { category: need.category, description: need.description, status: need.status, raisedOn: need.raisedOn, metOn: need.metOn, metNote: need.metNote, metByMeasureId: need.metByMeasureId },
      after: { category: after!.category, description: after!.description, status: after!.status, raisedOn: after!.raisedOn, metOn: after!.metOn, metNote: after!.metNote, metByMeasureId: after!.metByMeasureId },
    });
    return needDto(after!);
  });
}

/**
 * Deletes a need while it is still open (audited). A need in progress or met stays on the record.
 * @throws AppError CONFLICT (not open, or a measure is linked to it), FORBIDDEN, NOT_FOUND
 */
export async function deleteNeed(db: Db, actor: Actor, id: string): Promise<void> {
  await db.transaction(async (tx) => {
    const { need, household } = await loadNeedFor(tx, actor, id, RECORD);
    if (need.status !== 'open') throw new AppError('CONFLICT', '只有“待落实”的需求可以删除', 'Only an open need can be deleted');
    const [linked] = await tx.select({ n: count() }).from(assistanceMeasures).where(eq(assistanceMeasures.needId, id));
    if (Number(linked?.n ?? 0) > 0) throw new AppError('CONFLICT', '已有帮扶措施关联该需求，不能删除', 'A measure answers this need; it cannot be deleted');
    await tx.delete(householdNeeds).where(eq(householdNeeds.id, id));
    await recordAudit(tx, actor, { action: RECORD, targetType: 'householdNeed', targetId: id, areaCode: household.areaCode, before: { householdNo: household.householdNo, category: need.category, description: need.description, raisedOn: need.raisedOn }, after: { deleted: true } });
  });
}

// ---------------------------------------------------------------------------------------------
// Plans

/**
 * Creates (version 0) or replaces (at its current version) a household's plan for one year: goal,
 * planned exit year (≥ year) and planned measures `[{ type, description, amount (yuan or null) }]`.
 * One plan per household and year.
 * @throws AppError STALE_EDIT (the plan exists when creating, changed since `version`, or is absent when editing; `details.current`), VALIDATION_FAILED, FORBIDDEN, NOT_FOUND
 */
export async function savePlan(db: Db, actor: Actor, input: PlanInput): Promise<PlanDto> {
  const body = planBody.parse(input);
  const stale = (current: PlanRow | undefined) =>
    new AppError('STALE_EDIT', '该户本年度计划已被他人修改，未保存您的更改。请查看最新内容后重新修改', 'Someone else changed this plan since you opened it; nothing was saved. Review it and edit again', {
      currentVersion: current?.version ?? 0,
      current: current ? planDto(current) : null,
    });
  try {
    return await db.transaction(async (tx) => {
      const h = await loadHouseholdFor(tx, actor, body.householdId, RECORD);
      refuseRemoved(h);
      const [before] = await tx
        .select()
        .from(assistancePlans)
        .where(and(eq(assistancePlans.householdId, h.id), eq(assistancePlans.year, body.year)))
        .for('update');
      if ((before?.version ?? 0) !== body.version) throw stale(before);
      const values = { goal: body.goal ?? null, plannedExitYear: body.plannedExitYear ?? null, plannedMeasures: body.plannedMeasures, updatedAt: new Date(), updatedBy: actor.id };
      const [after] = before
        ? await tx
            .update(assistancePlans)
            .set({ ...values, version: before.version + 1 })
            .where(eq(assistancePlans.id, before.id))
            .returning()
        : await tx
            .insert(assistancePlans)
            .values({ householdId: h.id, year: body.year, ...values, createdBy: actor.id })
            .returning();
      const view = (p: PlanRow | undefined) => (p ? { year: p.year, goal: p.goal, plannedExitYear: p.plannedExitYear, plannedMeasures: p.plannedMeasures } : null);
      await recordAudit(tx, actor, { action: RECORD, targetType: 'assistancePlan', targetId: after!.id, areaCode: h.areaCode, before: view(before), after: view(after) });
      return planDto(after!);
    });
  } catch (e) {
    // Two first saves of the same year at once: the unique index refuses the second.
    if (pgErrorCode(e) === '23505') {
      const [current] = await db
        .select()
        .from(assistancePlans)
        .where(and(eq(assistancePlans.householdId, body.householdId), eq(assistancePlans.year, body.year)));
      throw stale(current);
    }
    throw e;
  }
}

// ---------------------------------------------------------------------------------------------
// Measures

interface MeasureValues {
  type: string;
  memberIds: string[];
  onDate: string;
  amount: number | null;
  fundingSource?: string | null | undefined;
  description?: string | null | undefined;
  needId?: string | null | undefined;
  markNeedMet: boolean;
}

/**
 * Checks a measure's values against the household: members active in it (required when the type's
 * forMembers), date not in the future, the need of the same household. Marks the need met when asked.
 * @returns the row values to write (member refs with name and ID number as they are today)
 */
async function checkMeasure(tx: Tx, h: AssistedHousehold, v: MeasureValues, kept: MemberRef[] = []): Promise<{ memberIds: string[]; memberRefs: MemberRef[]; need: NeedRow | null }> {
  const issues: FieldIssue[] = [];
  const code = typeCode(v.type)!;
  const ids = [...new Set(v.memberIds)];
  const active = await loadActiveMembers(tx, h.id);
  const byId = new Map(active.map((m) => [m.id, m]));
  const keptById = new Map(kept.map((r) => [r.memberId, r]));
  ids.forEach((id, i) => {
    if (!byId.has(id) && !keptById.has(id)) issues.push({ path: ['memberIds', i], message: '应为本户的现有成员', messageEn: 'not an active member of this household' });
  });
  if (code.forMembers && ids.length === 0) issues.push({ path: ['memberIds'], message: `“${code.label.zh}”须选择享受的成员`, messageEn: `“${code.label.en}” needs the members it is for` });
  if (v.onDate > todayCst()) issues.push({ path: ['onDate'], message: `日期不能晚于今天（${todayCst()}）`, messageEn: `the date cannot be after today (${todayCst()})` });
  let need: NeedRow | null = null;
  if (v.needId) {
    const [n] = await tx
      .select()
      .from(householdNeeds)
      .where(and(eq(householdNeeds.id, v.needId), eq(householdNeeds.householdId, h.id)))
      .for('update');
    if (!n) issues.push({ path: ['needId'], message: '应为本户的一项需求', messageEn: 'choose a need of this household' });
    else {
      need = n;
      if (v.markNeedMet && n.status !== 'met' && v.onDate < n.raisedOn) issues.push({ path: ['markNeedMet'], message: '措施日期早于需求提出日期，不能据此标记需求已满足', messageEn: 'the measure predates the need; it cannot mark the need met' });
    }
  } else if (v.markNeedMet) {
    issues.push({ path: ['needId'], message: '标记需求已满足时须选择需求', messageEn: 'choose the need to mark met' });
  }
  if (issues.length) throw validationError(issues);
  // A member named before keeps the name and ID number recorded then (they may have left the household since).
  const memberRefs = ids.map((id) => keptById.get(id) ?? { memberId: id, name: byId.get(id)!.name, idNumber: byId.get(id)!.idNumber });
  return { memberIds: ids, memberRefs, need };
}

/** Marks `need` met by `measure` on its date (when asked and not met yet). */
async function markMet(tx: Tx, actor: Actor, h: AssistedHousehold, need: NeedRow | null, measure: MeasureRow, mark: boolean): Promise<void> {
  if (!need || !mark || need.status === 'met') return;
  await tx
    .update(householdNeeds)
    .set({ status: 'met', metOn: measure.onDate, metByMeasureId: measure.id, version: need.version + 1, updatedAt: new Date() })
    .where(eq(householdNeeds.id, need.id));
  await recordAudit(tx, actor, { action: RECORD, targetType: 'householdNeed', targetId: need.id, areaCode: h.areaCode, before: { status: need.status }, after: { status: 'met', metOn: measure.onDate, metByMeasureId: measure.id } });
}

/**
 * Records a measure delivered to a household: type (MEASURE_TYPE), members (active members of the
 * household; required when the type's forMembers; their names and ID numbers are kept with the
 * measure), date (not in the future), amount (yuan ≥ 0, two decimals, or null), funding source,
 * description, and optionally the need it answers (marked met on the same date with `markNeedMet`).
 * @throws AppError VALIDATION_FAILED (memberIds[.i], onDate, needId, markNeedMet), FORBIDDEN, NOT_FOUND, CONFLICT (household removed)
 */
export async function createMeasure(db: Db, actor: Actor, input: CreateMeasureInput): Promise<MeasureDto> {
  const body = createMeasureBody.parse(input);
  return db.transaction(async (tx) => {
    const h = await loadHouseholdFor(tx, actor, body.householdId, RECORD);
    refuseRemoved(h);
    const c = await checkMeasure(tx, h, body);
    // A helper records under the name the household knows (the helper record's), like their visits.
    const helper = actor.role === 'helper' ? await helperOfActor(tx, actor) : null;
    const [row] = await tx
      .insert(assistanceMeasures)
      .values({
        householdId: h.id,
        type: body.type,
        memberIds: c.memberIds,
        memberRefs: c.memberRefs,
        onDate: body.onDate,
        amount: body.amount,
        fundingSource: body.fundingSource || null,
        description: body.description || null,
        needId: body.needId ?? null,
        recordedBy: actor.id,
        recordedByName: helper?.name ?? actor.displayName,
      })
      .returning();
    await recordAudit(tx, actor, { action: RECORD, targetType: 'assistanceMeasure', targetId: row!.id, areaCode: h.areaCode, after: { householdNo: h.householdNo, ...measureAudit(row!) } });
    await markMet(tx, actor, h, c.need, row!, body.markNeedMet);
    return measureDto(row!, actor, null, false);
  });
}

/** @throws AppError FORBIDDEN unless the actor recorded the measure or is an officer. */
function checkEditor(actor: Actor, m: MeasureRow): void {
  if (!mayEdit(actor, m)) {
    throw new AppError('FORBIDDEN', '只有记录人或乡镇、县级干部可以更正或删除该措施', 'Only whoever recorded this measure, or a township or county officer, may correct or delete it', { action: RECORD });
  }
}

/**
 * Corrects a measure (its recorder or an officer; audited with before and after). Members still
 * named by the measure who have since left the household may stay; new ones must be active members.
 * @throws AppError FORBIDDEN, NOT_FOUND, VALIDATION_FAILED as createMeasure
 */
export async function correctMeasure(db: Db, actor: Actor, id: string, input: CorrectMeasureInput): Promise<MeasureDto> {
  const body = correctMeasureBody.parse(input);
  return db.transaction(async (tx) => {
    const { measure, household } = await loadMeasureFor(tx, actor, id, RECORD);
    checkEditor(actor, measure);
    if (measure.version !== body.version) {
      throw new AppError('STALE_EDIT', '该措施已被他人修改，未保存您的更改。请查看最新内容后重新修改', 'Someone else changed this measure since you opened it; nothing was saved. Review it and edit again', {
        current: measureDto(measure, actor, null, false),
      });
    }
    refuseRemoved(household);
    const c = await checkMeasure(tx, household, body, (measure.memberRefs as MemberRef[]) ?? []);
    const refs = c.memberRefs;
    const active = new Set((await loadActiveMembers(tx, household.id)).map((m) => m.id));
    const [after] = await tx
      .update(assistanceMeasures)
      .set({
        type: body.type,
        memberIds: refs.map((r) => r.memberId),
        memberRefs: refs,
        onDate: body.onDate,
        amount: body.amount,
        fundingSource: body.fundingSource || null,
        description: body.description || null,
        needId: body.needId ?? null,
        version: measure.version + 1,
      })
      .where(eq(assistanceMeasures.id, id))
      .returning();
    await recordAudit(tx, actor, { action: RECORD, targetType: 'assistanceMeasure', targetId: id, areaCode: household.areaCode, before: measureAudit(measure), after: { ...measureAudit(after!), reason: body.reason ?? null } });
    await markMet(tx, actor, household, c.need, after!, body.markNeedMet);
    return measureDto(after!, actor, active, false);
  });
}

/**
 * Deletes a measure (its recorder or an officer; audited). A need it met goes back to in progress
 * unless a note also says what met it.
 * @throws AppError FORBIDDEN, NOT_FOUND
 */
export async function deleteMeasure(db: Db, actor: Actor, id: string): Promise<void> {
  await db.transaction(async (tx) => {
    const { measure, household } = await loadMeasureFor(tx, actor, id, RECORD);
    checkEditor(actor, measure);
    const metBy = await tx.select().from(householdNeeds).where(eq(householdNeeds.metByMeasureId, id));
    for (const n of metBy) {
      const set = n.metNote ? { metByMeasureId: null } : { status: 'inProgress', metOn: null, metByMeasureId: null };
      await tx
        .update(householdNeeds)
        .set({ ...set, version: n.version + 1, updatedAt: new Date() })
        .where(eq(householdNeeds.id, n.id));
    }
    await tx.delete(assistanceMeasures).where(eq(assistanceMeasures.id, id));
    await recordAudit(tx, actor, { action: RECORD, targetType: 'assistanceMeasure', targetId: id, areaCode: household.areaCode, before: { householdNo: household.householdNo, ...measureAudit(measure) }, after: { deleted: true, needsReopened: metBy.filter((n) => !n.metNote).map((n) => n.id) } });
  });
}

/**
 * Measures of an area (the actor's scope, or `areaCode` inside it), newest first, filtered by type,
 * group, year (of the date delivered) or household; with the total amount (yuan) and the number of
 * households of everything the filter selects. ID numbers masked.
 * @throws AppError NOT_FOUND (areaCode outside scope)
 */
export async function findMeasures(db: DbOrTx, actor: Actor, input: Partial<MeasureListQuery>): Promise<MeasurePageDto> {
  const q = measureListQuery.parse(input);
  authorize(actor, READ, q.areaCode ? { areaCode: q.areaCode, label: { zh: '区域', en: 'Area' } } : undefined);
  const where: SQL[] = [householdScope(actor)];
  if (q.areaCode) where.push(sql`${households.areaCode} LIKE ${`${scopePrefix(q.areaCode)}%`}`);
  if (q.type) where.push(eq(assistanceMeasures.type, q.type));
  if (q.group) {
    const types = MEASURE_TYPE.filter((t) => t.group === q.group).map((t) => t.value);
    where.push(inArray(assistanceMeasures.type, types));
  }
  if (q.year) where.push(sql`${assistanceMeasures.onDate} BETWEEN ${`${q.year}-01-01`} AND ${`${q.year}-12-31`}`);
  if (q.householdId) where.push(eq(assistanceMeasures.householdId, q.householdId));
  const cond = and(...where);
  const [totals] = await db
    .select({ n: sql<number>`count(*)::int`, amount: sql<string | null>`sum(${assistanceMeasures.amount})`, households: sql<number>`count(DISTINCT ${assistanceMeasures.householdId})::int` })
    .from(assistanceMeasures)
    .innerJoin(households, eq(households.id, assistanceMeasures.householdId))
    .where(cond);
  const rows = await db
    .select({ m: assistanceMeasures, householdNo: households.householdNo, headName: households.headName, areaCode: households.areaCode })
    .from(assistanceMeasures)
    .innerJoin(households, eq(households.id, assistanceMeasures.householdId))
    .where(cond)
    .orderBy(desc(assistanceMeasures.onDate), desc(assistanceMeasures.createdAt), asc(assistanceMeasures.id))
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize);
  const names = await loadAreaNames(db, [...new Set(rows.map((r) => r.areaCode))]);
  const items: MeasureListItemDto[] = rows.map((r) => ({ ...measureDto(r.m, actor, null, false), householdNo: r.householdNo, headName: r.headName, areaCode: r.areaCode, villageName: names.get(r.areaCode)?.name ?? '' }));
  return { items, total: Number(totals?.n ?? 0), page: q.page, pageSize: q.pageSize, totalAmount: round2(Number(totals?.amount ?? 0)), households: Number(totals?.households ?? 0) };
}

// ---------------------------------------------------------------------------------------------
// The household's summary

/**
 * A household's assistance record: basics, active members, current helper and every assignment
 * (newest first), needs, plans, measures (newest first, with the total in yuan), the latest 10 visits
 * (with photo ids) and its policy coverage today (CST). Phones and ID numbers are shown in full to
 * roles holding households.read-full, masked otherwise. Every read is recorded in the audit log
 * (action assistance.read, target the household).
 * @throws AppError NOT_FOUND (absent, outside scope, or a helper's household assigned to someone else)
 */
export async function getHouseholdAssistance(db: Db, actor: Actor, householdId: string): Promise<HouseholdAssistanceDto> {
  const h = await loadHouseholdFor(db, actor, householdId, READ);
  const full = roleHolds(actor, HOUSEHOLDS['households.read-full']);
  const asOf = todayCst();
  const [hh] = await db
    .select({ povertyAttribute: households.povertyAttribute, housingDangerGrade: households.housingDangerGrade, housingRenovated: households.housingRenovated, relocated: households.relocated })
    .from(households)
    .where(eq(households.id, h.id));
  const [active, assignments, needs, plans, measures, visitRows, visitTotal, names] = await Promise.all([
    loadActiveMembers(db, h.id),
    db
      .select({
        assignmentId: helperAssignments.id,
        helperId: helpers.id,
        name: helpers.name,
        unitName: assistingUnits.name,
        post: helpers.post,
        phone: helpers.phone,
        startDate: helperAssignments.startDate,
        endDate: helperAssignments.endDate,
        endReason: helperAssignments.endReason,
      })
      .from(helperAssignments)
      .innerJoin(helpers, eq(helpers.id, helperAssignments.helperId))
      .innerJoin(assistingUnits, eq(assistingUnits.id, helpers.unitId))
      .where(eq(helperAssignments.householdId, h.id))
      .orderBy(sql`${helperAssignments.endDate} IS NULL DESC`, desc(helperAssignments.startDate), desc(helperAssignments.createdAt)),
    db
      .select()
      .from(householdNeeds)
      .where(eq(householdNeeds.householdId, h.id))
      .orderBy(sql`${householdNeeds.status} = 'met'`, desc(householdNeeds.raisedOn), desc(householdNeeds.createdAt)),
    db.select().from(assistancePlans).where(eq(assistancePlans.householdId, h.id)).orderBy(desc(assistancePlans.year)),
    db.select().from(assistanceMeasures).where(eq(assistanceMeasures.householdId, h.id)).orderBy(desc(assistanceMeasures.onDate), desc(assistanceMeasures.createdAt)),
    db.select().from(visits).where(eq(visits.householdId, h.id)).orderBy(desc(visits.visitDate), desc(visits.createdAt)).limit(10),
    db.select({ n: count() }).from(visits).where(eq(visits.householdId, h.id)),
    loadAreaNames(db, [h.areaCode]),
  ]);
  const photos = visitRows.length
    ? await db
        .select({ id: visitPhotos.id, visitId: visitPhotos.visitId })
        .from(visitPhotos)
        .where(
          inArray(
            visitPhotos.visitId,
            visitRows.map((v) => v.id),
          ),
        )
        .orderBy(asc(visitPhotos.createdAt))
    : [];
  const activeIds = new Set(active.map((m) => m.id));
  const phone = (p: string | null) => (full ? p : maskPhone(p));
  const helperDto = (a: (typeof assignments)[number]): HouseholdHelperDto => ({ ...a, phone: phone(a.phone) });
  const current = assignments.find((a) => a.endDate === null);
  const coverageMembers: CoverageMember[] = active.map((m) => ({
    id: m.id,
    name: m.name,
    birthDate: m.birthDate,
    alive: m.alive,
    schooling: m.schooling,
    labourAbility: m.labourAbility,
    medicalInsurance: m.medicalInsurance,
    minimumLiving: m.minimumLiving,
    extremeHardship: m.extremeHardship,
  }));
  const coverage = householdCoverage(
    {
      povertyAttribute: hh!.povertyAttribute,
      housingDangerGrade: hh!.housingDangerGrade,
      housingRenovated: hh!.housingRenovated,
      relocated: hh!.relocated,
      members: coverageMembers,
      measures: measures.map((m) => ({ type: m.type, memberIds: m.memberIds, onDate: m.onDate })),
    },
    asOf,
  );
  const area = names.get(h.areaCode);
  await db.transaction((tx) => recordAudit(tx, actor, { action: READ, targetType: 'household', targetId: h.id, areaCode: h.areaCode, after: { assistance: true, full } }));
  return {
    household: {
      id: h.id,
      householdNo: h.householdNo,
      headName: h.headName,
      areaCode: h.areaCode,
      villageName: area?.name ?? '',
      areaFullName: area?.full ?? '',
      householdType: h.householdType,
      status: h.status,
      povertyAttribute: hh!.povertyAttribute,
      housingDangerGrade: hh!.housingDangerGrade,
      active: h.active,
    },
    full,
    members: active.map((m) => ({ id: m.id, name: m.name, relationToHead: m.relationToHead, birthDate: m.birthDate, schooling: m.schooling, idNumber: full ? m.idNumber : maskIdNumber(m.idNumber) })),
    helper: current ? helperDto(current) : null,
    helperHistory: assignments.map(helperDto),
    needs: needs.map(needDto),
    plans: plans.map(planDto),
    measures: measures.map((m) => measureDto(m, actor, activeIds, full)),
    measuresAmount: round2(measures.reduce((s, m) => s + (m.amount === null ? 0 : Number(m.amount)), 0)),
    visits: visitRows.map((v) => ({ id: v.id, visitDate: v.visitDate, visitorName: v.visitorName, content: v.content, problems: v.problems, photoIds: photos.filter((p) => p.visitId === v.id).map((p) => p.id) })),
    visitCount: Number(visitTotal[0]?.n ?? 0),
    coverage,
    asOf,
  };
}

