/**
 * The yearly dynamic adjustment (动态调整): a county opens the year's round with a deadline; villages
 * record events on households — members added (birth, marriage in) and removed (death, marriage out,
 * moved), households split and merged, wrongly identified households cleared (清退), returns to poverty
 * (返贫) — each in ONE transaction with the registry change it records; new entries (newEntry) are
 * written by the identification procedure through `recordHouseholdEvent`. Counts per kind per area
 * and year are available to statistics (`countHouseholdEvents`).
 *
 * Source: REFERENCE.md §2.3 (categories of dynamic change: 自然增减 — birth, death, marriage in or
 * out, family split; 并户 / 拆户 / 销户; 中途增加 / 中途减少 — new entries, removal when concealed
 * information is found), §2.1 ("精准识别、动态管理").
 */
import { and, desc, eq, isNull, sql, type SQL } from 'drizzle-orm';
import { AppError, invalidField, notFound } from '../../shared/errors.ts';
import { LEVEL_DIGITS, AREA_LEVELS, levelOfCode, scopePrefix } from '../../shared/area-code.ts';
import type { Page } from '../../shared/paging.ts';
import { authorize, inScope, scopePattern, SYSTEM_ACTOR, type Actor } from '../../platform/auth.ts';
import { pgErrorCode, rowsOf, type Db, type DbOrTx } from '../../platform/db.ts';
import { currentYear, findChildAreas, loadArea, loadAreaNames } from '../areas/index.ts';
import { recordAudit } from '../audit/index.ts';
import { addMember, findCodeItem, memberInput, mergeHouseholds, removeMember, splitHousehold, todayCst, updateHousehold } from '../households/index.ts';
import { households, members, personIdentities } from '../households/schema.ts';
import { checkCharacter } from '../../shared/id-number.ts';
import {
  HOUSEHOLD_EVENT_KINDS,
  type AreaEventCountsDto,
  type EventCounts,
  type EventListQuery,
  type HouseholdEventDto,
  type HouseholdEventKind,
  type HouseholdEventValues,
  type OpenRoundInput,
  type RecordEventResultDto,
  type RoundDto,
  type RoundProgressDto,
  type VillageProgressDto,
} from './adjustment-contract.ts';
import { IDENTIFICATION } from './permissions.ts';
import { adjustmentRounds, householdEvents, identificationApplications, identificationBatches } from './schema.ts';
import { daysBetween } from '../../shared/calendar-date.ts';

const ROUND_LABEL = { zh: '动态调整轮次', en: 'Adjustment round' };
const HOUSEHOLD_LABEL = { zh: '农户', en: 'Household' };

/** The county (12-digit code) an area lies in. */
export function countyOf(code: string): string {
  return `${code.slice(0, 6)}000000`;
}

function emptyCounts(): EventCounts {
  return Object.fromEntries(HOUSEHOLD_EVENT_KINDS.map((k) => [k, 0])) as EventCounts;
}

function actorName(actor: Actor): string {
  return actor.displayName || actor.username;
}

/** The date of a step or event: given or today; never in the future. @throws AppError VALIDATION_FAILED on ['onDate'] */
export function checkedDate(onDate: string | undefined, path: (string | number)[] = ['onDate']): string {
  const today = todayCst();
  const d = onDate ?? today;
  if (d > today) throw invalidField(path, `日期 ${d} 晚于今天`, `the date ${d} is after today`);
  return d;
}

// ---------------------------------------------------------------------------------------------
// Rounds

type RoundRow = typeof adjustmentRounds.$inferSelect;

async function roundDto(db: DbOrTx, r: RoundRow): Promise<RoundDto> {
  const names = await loadAreaNames(db, [r.areaCode]);
  return {
    id: r.id,
    areaCode: r.areaCode,
    countyName: names.get(r.areaCode)?.name ?? '',
    year: r.year,
    deadline: r.deadline,
    note: r.note,
    openedAt: r.openedAt.toISOString(),
    closedAt: r.closedAt ? r.closedAt.toISOString() : null,
    open: r.closedAt === null,
    daysLeft: daysBetween(todayCst(), r.deadline),
  };
}

/** Whether the actor sees a county's round: the county is in scope, or the actor works inside the county. */
function seesRound(actor: Actor, county: string): boolean {
  return inScope(actor, county) || (actor.areaCode !== null && countyOf(actor.areaCode) === county);
}

/**
 * Opens the year's adjustment round of a county (动态调整), with the deadline by which villages
 * record their changes and submit their batches. At most one round per county and year, and one open
 * round per county at a time.
 * @throws AppError FORBIDDEN, NOT_FOUND (county outside scope), VALIDATION_FAILED (not a current county,
 *   deadline before today or before the year), CONFLICT (a round of that year exists; another is open)
 */
export async function openAdjustmentRound(db: Db, actor: Actor, input: OpenRoundInput): Promise<RoundDto> {
  authorize(actor, IDENTIFICATION['identification.round'], { areaCode: input.areaCode, label: { zh: '县', en: 'County' } });
  const area = await loadArea(db, input.areaCode);
  if (!area || area.validTo !== null || levelOfCode(input.areaCode) !== 'county') {
    throw invalidField(['areaCode'], '应选择一个现行的县（市、区）', 'choose a current county');
  }
  if (input.deadline < todayCst()) throw invalidField(['deadline'], '截止日期不能早于今天', 'the deadline cannot be before today');
  if (Number(input.deadline.slice(0, 4)) < input.year) throw invalidField(['deadline'], `截止日期应在 ${input.year} 年或以后`, `the deadline should be in ${input.year} or later`);
  try {
    const row = await db.transaction(async (tx) => {
      const existing = await tx.select().from(adjustmentRounds).where(eq(adjustmentRounds.areaCode, input.areaCode));
      if (existing.some((r) => r.year === input.year)) {
        throw new AppError('CONFLICT', `${area.name} ${input.year} 年的动态调整已开启过，每县每年只有一轮`, `${area.name} already has its ${input.year} adjustment round; one round per county and year`);
      }
      const open = existing.find((r) => r.closedAt === null);
      if (open) {
        throw new AppError('CONFLICT', `${area.name} ${open.year} 年的动态调整尚未结束，请先结束该轮`, `${area.name}'s ${open.year} round is still open; close it first`);
      }
      const [r] = await tx
        .insert(adjustmentRounds)
        .values({ areaCode: input.areaCode, year: input.year, deadline: input.deadline, note: input.note?.trim() || null, openedBy: actor.id })
        .returning();
      await recordAudit(tx, actor, { action: IDENTIFICATION['identification.round'], targetType: 'adjustmentRound', targetId: r!.id, areaCode: input.areaCode, after: { year: r!.year, deadline: r!.deadline, note: r!.note, open: true } });
      return r!;
    });
    return roundDto(db, row);
  } catch (e) {
    if (pgErrorCode(e) === '23505') throw new AppError('CONFLICT', `${area.name} ${input.year} 年的动态调整已开启过`, `${area.name} already has its ${input.year} adjustment round`);
    throw e;
  }
}

async function loadRound(db: DbOrTx, actor: Actor, id: string, forUpdate = false): Promise<RoundRow> {
  const q = db.select().from(adjustmentRounds).where(eq(adjustmentRounds.id, id));
  const [r] = forUpdate ? await q.for('update') : await q;
  if (!r || !seesRound(actor, r.areaCode)) throw notFound(ROUND_LABEL.zh, ROUND_LABEL.en);
  return r;
}

/**
 * Closes a round: later events carry no round (their year is the current year).
 * @throws AppError NOT_FOUND, FORBIDDEN (not the county's officer), CONFLICT (already closed)
 */
export async function closeAdjustmentRound(db: Db, actor: Actor, id: string): Promise<RoundDto> {
  const row = await db.transaction(async (tx) => {
    const r = await loadRound(tx, actor, id, true);
    authorize(actor, IDENTIFICATION['identification.round'], { areaCode: r.areaCode, label: ROUND_LABEL });
    if (r.closedAt) throw new AppError('CONFLICT', `${r.year} 年的动态调整已结束`, `The ${r.year} round is already closed`);
    const [after] = await tx.update(adjustmentRounds).set({ closedAt: new Date(), closedBy: actor.id }).where(eq(adjustmentRounds.id, id)).returning();
    await recordAudit(tx, actor, { action: IDENTIFICATION['identification.round'], targetType: 'adjustmentRound', targetId: id, areaCode: r.areaCode, before: { open: true }, after: { open: false } });
    return after!;
  });
  return roundDto(db, row);
}

/** The rounds the actor sees (its counties, or the county it works in), newest year first. */
export async function findAdjustmentRounds(db: DbOrTx, actor: Actor, query: { areaCode?: string | undefined; year?: number | undefined }): Promise<RoundDto[]> {
  authorize(actor, IDENTIFICATION['identification.read']);
  const conds: SQL[] = [];
  const mine = actor.areaCode === null ? null : countyOf(actor.areaCode);
  conds.push(sql`(${adjustmentRounds.areaCode} LIKE ${scopePattern(actor)} OR ${adjustmentRounds.areaCode} = ${mine})`);
  if (query.areaCode) {
    if (!seesRound(actor, countyOf(query.areaCode)) && !inScope(actor, query.areaCode)) throw notFound('区划', 'Area');
    conds.push(levelOfCode(query.areaCode) === 'province' || levelOfCode(query.areaCode) === 'city' ? sql`${adjustmentRounds.areaCode} LIKE ${`${scopePrefix(query.areaCode)}%`}` : eq(adjustmentRounds.areaCode, countyOf(query.areaCode)));
  }
  if (query.year) conds.push(eq(adjustmentRounds.year, query.year));
  const rows = await db.select().from(adjustmentRounds).where(and(...conds)).orderBy(desc(adjustmentRounds.year), adjustmentRounds.areaCode).limit(500);
  return Promise.all(rows.map((r) => roundDto(db, r)));
}

/**
 * A round with its progress per village of the county (limited to the actor's scope): counts of each
 * event kind in the round's year, identification batches submitted for the round (or its year), and
 * whether the village recorded or submitted anything by the deadline.
 * @throws AppError NOT_FOUND
 */
export async function getRoundProgress(db: DbOrTx, actor: Actor, id: string): Promise<RoundProgressDto> {
  authorize(actor, IDENTIFICATION['identification.read']);
  const r = await loadRound(db, actor, id);
  const county = scopePrefix(r.areaCode);
  const scope = actor.areaCode !== null && !inScope(actor, r.areaCode) ? scopePattern(actor) : `${county}%`;
  const villages = rowsOf<{ code: string }>(
    await db.execute(sql`SELECT code FROM areas WHERE level = 'village' AND valid_to IS NULL AND code LIKE ${`${county}%`} AND code LIKE ${scope} ORDER BY code`),
  ).map((v) => v.code);
  const events = rowsOf<{ area_code: string; kind: HouseholdEventKind; n: number; on_time: number }>(
    await db.execute(sql`SELECT area_code, kind, count(*)::int AS n, count(*) FILTER (WHERE on_date <= ${r.deadline})::int AS on_time
      FROM ${householdEvents} WHERE area_code LIKE ${`${county}%`} AND area_code LIKE ${scope} AND year = ${r.year} GROUP BY area_code, kind`),
  );
  const batches = rowsOf<{ area_code: string; n: number; on_time: number }>(
    await db.execute(sql`SELECT area_code, count(*)::int AS n,
        count(*) FILTER (WHERE (submitted_at AT TIME ZONE 'Asia/Shanghai')::date <= ${r.deadline}::date)::int AS on_time
      FROM ${identificationBatches}
      WHERE area_code LIKE ${`${county}%`} AND area_code LIKE ${scope} AND submitted_at IS NOT NULL AND (round_id = ${r.id} OR (round_id IS NULL AND year = ${r.year}))
      GROUP BY area_code`),
  );
  const names = await loadAreaNames(db, villages);
  const byVillage = new Map<string, VillageProgressDto>();
  for (const code of villages) {
    const n = names.get(code)!;
    byVillage.set(code, { areaCode: code, villageName: n.name, townshipName: n.township, counts: emptyCounts(), batchesSubmitted: 0, batchesOnTime: 0, done: false });
  }
  for (const e of events) {
    const v = byVillage.get(e.area_code);
    if (!v) continue;
    v.counts[e.kind] = Number(e.n);
    if (Number(e.on_time) > 0) v.done = true;
  }
  for (const b of batches) {
    const v = byVillage.get(b.area_code);
    if (!v) continue;
    v.batchesSubmitted = Number(b.n);
    v.batchesOnTime = Number(b.on_time);
    if (v.batchesOnTime > 0) v.done = true;
  }
  const list = [...byVillage.values()];
  const counts = emptyCounts();
  for (const v of list) for (const k of HOUSEHOLD_EVENT_KINDS) counts[k] += v.counts[k];
  return {
    ...(await roundDto(db, r)),
    villages: list,
    totals: { villages: list.length, done: list.filter((v) => v.done).length, counts, batchesSubmitted: list.reduce((s, v) => s + v.batchesSubmitted, 0) },
  };
}

// ---------------------------------------------------------------------------------------------
// Events

type EventRow = typeof householdEvents.$inferSelect;

/**
 * Writes one dynamic-adjustment event and its audit event, inside the caller's transaction. The year
 * and round are found here: the open round of the household's county (its year), or no round and the
 * current year (China Standard Time). Used by this module's events and by the identification
 * procedure for new entries (newEntry, when an application is registered).
 * @param input.areaCode the household's village at the time of the event
 * @param input.onDate the event's date (YYYY-MM-DD)
 * @returns the event row
 */
export async function recordHouseholdEvent(
  tx: DbOrTx,
  actor: Actor,
  input: { householdId: string; areaCode: string; kind: HouseholdEventKind; onDate: string; reason?: string | null | undefined; details?: Record<string, unknown> | null | undefined },
): Promise<EventRow> {
  const [round] = await tx
    .select()
    .from(adjustmentRounds)
    .where(and(eq(adjustmentRounds.areaCode, countyOf(input.areaCode)), isNull(adjustmentRounds.closedAt)))
    .orderBy(desc(adjustmentRounds.year))
    .limit(1);
  const [row] = await tx
    .insert(householdEvents)
    .values({
      householdId: input.householdId,
      areaCode: input.areaCode,
      year: round?.year ?? currentYear(),
      kind: input.kind,
      roundId: round?.id ?? null,
      onDate: input.onDate,
      reason: input.reason ?? null,
      details: input.details ?? null,
      actorId: actor.id,
      actorName: actorName(actor),
    })
    .returning();
  await recordAudit(tx, actor, {
    action: IDENTIFICATION['identification.adjust'],
    targetType: 'household',
    targetId: input.householdId,
    areaCode: input.areaCode,
    after: { event: row!.id, kind: row!.kind, year: row!.year, roundId: row!.roundId, onDate: row!.onDate, reason: row!.reason, details: row!.details },
  });
  return row!;
}

const POOR_TYPES = ['registeredPoor', 'exited', 'monitored', 'relativePoor'];

function memberIssues(member: unknown) {
  const r = memberInput.safeParse(member);
  if (r.success) return r.data;
  throw new AppError('VALIDATION_FAILED', '成员信息有误', 'The member is not valid', {
    issues: r.error.issues.map((i) => ({ path: ['member', ...i.path.map((p) => (typeof p === 'symbol' ? String(p) : p))], message: i.message, messageEn: i.message })),
  });
}

/**
 * Records one dynamic-adjustment event on a household together with the registry change it stands
 * for, in ONE transaction (a refused registry change writes no event):
 * - memberAdded: the registry's addMember (birth, marriage in, moved in …);
 * - memberRemoved: removeMember with the reason code (death, marriage out, moved out …);
 * - split: splitHousehold (the chosen members form a new household in the village);
 * - merged: mergeHouseholds (all members move into the other household; this one is removed);
 * - cleared (清退, wrongly identified): householdType becomes 'ordinary'; a reason is required; only a
 *   household of the poor registry (registered poor, exited, monitored, relatively poor);
 * - returned (返贫): only from status 'exited'; status 'returned', householdType 'registeredPoor';
 *   a reason is required.
 * @throws AppError FORBIDDEN, NOT_FOUND (household or member outside scope), VALIDATION_FAILED (field
 *   paths), REASON_REQUIRED, STALE_EDIT (the household changed since `version`), CONFLICT (a refused
 *   change: e.g. not exited, not in the poor registry, the head removed)
 */
export async function recordEvent(db: Db, actor: Actor, input: HouseholdEventValues): Promise<RecordEventResultDto> {
  const onDate = checkedDate(input.onDate);
  if ((input.kind === 'cleared' || input.kind === 'returned' || input.kind === 'merged') && !input.reason?.trim()) {
    throw new AppError('REASON_REQUIRED', '请填写原因', 'A reason is required', { issues: [{ path: ['reason'], message: '请填写原因', messageEn: 'a reason is required' }] });
  }
  const member = input.kind === 'memberAdded' ? memberIssues(input.member) : null;
  if (input.kind === 'split') {
    input.members.forEach((m, i) => {
      if (!findCodeItem('relationToHead', m.relationToHead)) throw invalidField(['members', i, 'relationToHead'], '与户主关系不在代码表中', 'not a relation of the code list');
    });
  }
  if (input.kind === 'merged') {
    input.relations?.forEach((m, i) => {
      if (!findCodeItem('relationToHead', m.relationToHead)) throw invalidField(['relations', i, 'relationToHead'], '与户主关系不在代码表中', 'not a relation of the code list');
    });
  }
  if (input.kind === 'returned' && input.mainPovertyCause && !findCodeItem('povertyCause', input.mainPovertyCause)) {
    throw invalidField(['mainPovertyCause'], '致贫原因不在代码表中', 'not a poverty cause of the code list');
  }
  return db.transaction(async (tx) => {
    // Locked for the checks below; not for a merge, which locks both households in a fixed order itself.
    const read = tx.select().from(households).where(eq(households.id, input.householdId));
    const [h] = input.kind === 'merged' ? await read : await read.for('update');
    if (!h) throw notFound(HOUSEHOLD_LABEL.zh, HOUSEHOLD_LABEL.en);
    authorize(actor, IDENTIFICATION['identification.adjust'], { areaCode: h.areaCode, label: HOUSEHOLD_LABEL });
    const id = h.id;
    const note = input.note?.trim() || null;
    let reason: string | null = null;
    let details: Record<string, unknown> = {};
    let after: { id: string; householdNo: string; version: number; householdType: string; status: string; memberCount: number; active: boolean };
    let created: { id: string; householdNo: string } | null = null;
    switch (input.kind) {
      case 'memberAdded': {
        const d = await addMember(tx, actor, id, { member: member!, version: input.version, reason: input.reason, note });
        reason = input.reason;
        details = { memberName: member!.name, relationToHead: member!.relationToHead, note };
        after = d;
        break;
      }
      case 'memberRemoved': {
        const d = await removeMember(tx, actor, id, input.memberId, { version: input.version, reason: input.reason, note, deceasedDate: input.deceasedDate });
        const m = d.members.find((x) => x.id === input.memberId);
        reason = input.reason;
        details = { memberId: input.memberId, memberName: m?.name ?? null, deceasedDate: input.deceasedDate ?? null, note };
        after = d;
        break;
      }
      case 'split': {
        const r = await splitHousehold(tx, actor, id, { version: input.version, members: input.members, groupName: input.groupName, reason: input.reason ?? note });
        reason = input.reason?.trim() || null;
        const names = r.created.members.filter((m) => m.status === 'active').map((m) => m.name);
        details = { newHouseholdId: r.created.id, newHouseholdNo: r.created.householdNo, members: names, note };
        after = r.from;
        created = { id: r.created.id, householdNo: r.created.householdNo };
        break;
      }
      case 'merged': {
        const moving = h.memberCount;
        const d = await mergeHouseholds(tx, actor, id, { version: input.version, intoHouseholdId: input.intoHouseholdId, intoVersion: input.intoVersion, relations: input.relations, reason: input.reason });
        reason = input.reason.trim();
        details = { intoHouseholdId: d.id, intoHouseholdNo: d.householdNo, persons: moving, note };
        const [removed] = await tx.select().from(households).where(eq(households.id, id));
        after = removed!;
        break;
      }
      case 'cleared': {
        if (!POOR_TYPES.includes(h.householdType)) {
          throw new AppError('CONFLICT', '该户不在贫困户名单中（户类型不是建档立卡贫困户、脱贫户、监测户或相对贫困户），无需清退', 'This household is not on the poor registry (not registered poor, exited, monitored or relatively poor); nothing to clear', { reason: 'NOT_ON_POOR_REGISTRY' });
        }
        reason = input.reason.trim();
        const d = await updateHousehold(tx, actor, id, { version: input.version, householdType: 'ordinary', reason: `清退：${reason}` });
        details = { householdTypeBefore: h.householdType, note };
        after = d;
        break;
      }
      case 'returned': {
        if (h.status !== 'exited') {
          throw new AppError('CONFLICT', '只有已脱贫的户才能登记返贫', 'Only a household out of poverty (exited) can return to poverty', { reason: 'NOT_EXITED', status: h.status });
        }
        reason = input.reason.trim();
        const d = await updateHousehold(tx, actor, id, {
          version: input.version,
          status: 'returned',
          householdType: 'registeredPoor',
          ...(input.mainPovertyCause ? { mainPovertyCause: input.mainPovertyCause as never } : {}),
          reason: `返贫：${reason}`,
        });
        details = { householdTypeBefore: h.householdType, statusBefore: h.status, mainPovertyCause: d.mainPovertyCause, note };
        after = d;
        break;
      }
    }
    const ev = await recordHouseholdEvent(tx, actor, { householdId: id, areaCode: h.areaCode, kind: input.kind, onDate, reason, details });
    const names = await loadAreaNames(tx, [h.areaCode]);
    return {
      event: eventDto(ev, { householdNo: h.householdNo, headName: h.headName, villageName: names.get(h.areaCode)?.name ?? '' }),
      household: { id: after.id, householdNo: after.householdNo, version: after.version, householdType: after.householdType, status: after.status, memberCount: after.memberCount, active: after.active },
      created,
    };
  });
}

function eventDto(e: EventRow, h: { householdNo: string; headName: string; villageName: string }): HouseholdEventDto {
  return {
    id: e.id,
    householdId: e.householdId,
    householdNo: h.householdNo,
    headName: h.headName,
    areaCode: e.areaCode,
    villageName: h.villageName,
    year: e.year,
    kind: e.kind as HouseholdEventKind,
    roundId: e.roundId,
    onDate: e.onDate,
    reason: e.reason,
    details: (e.details as Record<string, unknown> | null) ?? null,
    actorName: e.actorName,
    at: e.at.toISOString(),
  };
}

/**
 * Events, newest first, paged: of one household (`householdId`), or of the actor's scope narrowed by
 * area, year and kind.
 * @throws AppError NOT_FOUND (household or area outside scope)
 */
export async function findHouseholdEvents(db: DbOrTx, actor: Actor, query: EventListQuery): Promise<Page<HouseholdEventDto>> {
  authorize(actor, IDENTIFICATION['identification.read']);
  const conds: SQL[] = [sql`${householdEvents.areaCode} LIKE ${scopePattern(actor)}`];
  if (query.householdId) {
    const [h] = await db.select({ areaCode: households.areaCode }).from(households).where(eq(households.id, query.householdId));
    if (!h || !inScope(actor, h.areaCode)) throw notFound(HOUSEHOLD_LABEL.zh, HOUSEHOLD_LABEL.en);
    conds.push(eq(householdEvents.householdId, query.householdId));
  }
  if (query.areaCode) {
    if (!inScope(actor, query.areaCode)) throw notFound('区划', 'Area');
    conds.push(sql`${householdEvents.areaCode} LIKE ${`${scopePrefix(query.areaCode)}%`}`);
  }
  if (query.year) conds.push(eq(householdEvents.year, query.year));
  if (query.kind) conds.push(eq(householdEvents.kind, query.kind));
  const where = and(...conds);
  const [rows, [total]] = await Promise.all([
    db
      .select({ e: householdEvents, householdNo: households.householdNo, headName: households.headName })
      .from(householdEvents)
      .innerJoin(households, eq(households.id, householdEvents.householdId))
      .where(where)
      .orderBy(desc(householdEvents.onDate), desc(householdEvents.at))
      .limit(query.pageSize)
      .offset((query.page - 1) * query.pageSize),
    db.select({ n: sql<number>`count(*)::int` }).from(householdEvents).where(where),
  ]);
  const names = await loadAreaNames(db, [...new Set(rows.map((r) => r.e.areaCode))]);
  return {
    items: rows.map((r) => eventDto(r.e, { householdNo: r.householdNo, headName: r.headName, villageName: names.get(r.e.areaCode)?.name ?? '' })),
    total: Number(total?.n ?? 0),
    page: query.page,
    pageSize: query.pageSize,
  };
}

/**
 * Counts of events of each kind in a year per child area of `areaCode` (its townships for a county,
 * its villages for a township, the village itself for a village; provinces for null = the country).
 * For statistics; no authorization (the caller has authorized). Areas without events are left out.
 * @returns [{ areaCode (12 digits, the child area), counts: { newEntry, memberAdded, … } }] in code order
 */
export async function countHouseholdEvents(db: DbOrTx, areaCode: string | null, year: number): Promise<{ areaCode: string; counts: EventCounts }[]> {
  const level = areaCode === null ? null : levelOfCode(areaCode);
  const childLevel = level === null ? 'province' : level === 'village' ? 'village' : AREA_LEVELS[AREA_LEVELS.indexOf(level) + 1]!;
  const digits = LEVEL_DIGITS[childLevel];
  const prefix = areaCode === null ? '' : scopePrefix(areaCode);
  const rows = rowsOf<{ child: string; kind: HouseholdEventKind; n: number }>(
    await db.execute(sql`SELECT rpad(left(area_code, ${digits}), 12, '0') AS child, kind, count(*)::int AS n
      FROM ${householdEvents} WHERE area_code LIKE ${`${prefix}%`} AND year = ${year} GROUP BY 1, 2 ORDER BY 1`),
  );
  const out = new Map<string, EventCounts>();
  for (const r of rows) {
    const c = out.get(r.child) ?? emptyCounts();
    c[r.kind] = Number(r.n);
    out.set(r.child, c);
  }
  return [...out.entries()].map(([code, counts]) => ({ areaCode: code, counts }));
}

/**
 * The counts of a year per child area of an area in the actor's scope (default: the actor's area), with
 * every child listed (zero where nothing happened) and the totals.
 * @throws AppError NOT_FOUND (area outside scope)
 */
export async function getEventCounts(db: DbOrTx, actor: Actor, query: { areaCode?: string | undefined; year?: number | undefined }): Promise<AreaEventCountsDto> {
  authorize(actor, IDENTIFICATION['identification.read']);
  const areaCode = query.areaCode ?? actor.areaCode;
  if (areaCode !== null && !inScope(actor, areaCode)) throw notFound('区划', 'Area');
  const year = query.year ?? currentYear();
  const counted = new Map((await countHouseholdEvents(db, areaCode, year)).map((r) => [r.areaCode, r.counts]));
  const children = areaCode !== null && levelOfCode(areaCode) === 'village' ? [{ code: areaCode, name: (await loadAreaNames(db, [areaCode])).get(areaCode)?.name ?? '' }] : await findChildAreas(db, SYSTEM_ACTOR, areaCode);
  const rows = children.map((c) => ({ areaCode: c.code, name: c.name, counts: counted.get(c.code) ?? emptyCounts() }));
  const totals = emptyCounts();
  for (const c of counted.values()) for (const k of HOUSEHOLD_EVENT_KINDS) totals[k] += c[k];
  return { areaCode: areaCode ?? '', year, rows, totals };
}

// ---------------------------------------------------------------------------------------------
// Demo

/** A synthetic ID number (GB 11643-1999) of the county born on `birth` (YYYYMMDD), not yet in the registry. */
async function freeIdNumber(db: DbOrTx, region: string, birth: string, sex: 'male' | 'female', start: number): Promise<string> {
  for (let seq = start; seq < start + 400; seq++) {
    const order = String(((seq * 2) % 1000) + (sex === 'male' ? 1 : 0)).padStart(3, '0');
    const first17 = `${region}${birth}${order}`;
    const id = first17 + checkCharacter(first17);
    const [taken] = await db.select({ id: personIdentities.idNumber }).from(personIdentities).where(eq(personIdentities.idNumber, id));
    if (!taken) return id;
  }
  throw new Error(`no free synthetic ID number for ${birth}`);
}

/**
 * Demo: opens the county's round of `year` (if none) and records a few events of each kind that the
 * registry allows (members added and removed, a split, a merge, clearings, returns) on demo households
 * of the county. Idempotent for the round; each run records further events on other households.
 * New entries come from the identification procedure's demo (registered applications).
 * @returns the round and the number of events recorded per kind
 */
export async function seedAdjustmentDemo(db: Db, countyCode: string, year: number): Promise<{ roundId: string; counts: EventCounts }> {
  const actor: Actor = { ...SYSTEM_ACTOR, displayName: '演示数据生成' };
  let [round] = await db.select().from(adjustmentRounds).where(and(eq(adjustmentRounds.areaCode, countyCode), eq(adjustmentRounds.year, year)));
  if (!round) {
    const today = todayCst();
    const deadline = `${Math.max(year, Number(today.slice(0, 4)))}-12-31` < today ? today : `${Math.max(year, Number(today.slice(0, 4)))}-12-31`;
    // One open round per county: an earlier year's round still open is closed first (audited as any closing).
    for (const open of await db.select({ id: adjustmentRounds.id }).from(adjustmentRounds).where(and(eq(adjustmentRounds.areaCode, countyCode), isNull(adjustmentRounds.closedAt)))) {
      await closeAdjustmentRound(db, actor, open.id);
    }
    const r = await openAdjustmentRound(db, actor, { areaCode: countyCode, year, deadline, note: '演示数据 · demo data' });
    [round] = await db.select().from(adjustmentRounds).where(eq(adjustmentRounds.id, r.id));
  }
  const counts = emptyCounts();
  const prefix = `${scopePrefix(countyCode)}%`;
  // Households not touched by an event yet and not in the procedure (its demo batches stay as seeded), in a
  // fixed order (the demo is reproducible for the same registry).
  const pick = async (cond: SQL, n: number) =>
    rowsOf<{ id: string; area_code: string; version: number }>(
      await db.execute(sql`SELECT h.id, h.area_code, h.version FROM ${households} h WHERE h.active AND h.area_code LIKE ${prefix} AND ${cond}
        AND NOT EXISTS (SELECT 1 FROM ${householdEvents} e WHERE e.household_id = h.id)
        AND NOT EXISTS (SELECT 1 FROM ${identificationApplications} a WHERE a.household_id = h.id) ORDER BY h.household_no LIMIT ${n}`),
    );
  const today = todayCst();
  const onDate = today.slice(0, 4) === String(year) ? today : `${year}-06-30` < today ? `${year}-06-30` : today;
  const record = async (input: HouseholdEventValues) => {
    try {
      await recordEvent(db, actor, input);
      counts[input.kind]++;
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
    }
  };
  const region = countyCode.slice(0, 6);
  let seq = 300;
  for (const h of await pick(sql`true`, 3)) {
    seq += 7;
    const sex = seq % 2 ? 'male' : 'female';
    const idNumber = await freeIdNumber(db, region, onDate.replaceAll('-', ''), sex, seq);
    await record({ kind: 'memberAdded', householdId: h.id, version: Number(h.version), onDate, reason: 'birth', member: { name: '演示新生儿', sex, idType: 'residentId', idNumber, relationToHead: sex === 'male' ? 'grandson' : 'granddaughter' } });
  }
  // The eldest member other than the head (a death); the eldest adult son or daughter (a split).
  const memberOf = async (householdId: string, cond: SQL) =>
    (await db.select({ id: members.id }).from(members).where(and(eq(members.householdId, householdId), eq(members.status, 'active'), cond)).orderBy(members.birthDate))[0];
  const adultChild = sql`${members.relationToHead} IN ('son', 'daughter') AND ${members.birthDate} <= ${`${Number(onDate.slice(0, 4)) - 18}${onDate.slice(4)}`}`;
  for (const h of await pick(sql`h.member_count >= 2`, 3)) {
    const m = await memberOf(h.id, sql`${members.relationToHead} <> 'head'`);
    if (m) await record({ kind: 'memberRemoved', householdId: h.id, version: Number(h.version), onDate, reason: 'death', memberId: m.id, deceasedDate: onDate });
  }
  const splittable = await pick(sql`h.member_count >= 3 AND EXISTS (SELECT 1 FROM ${members} m WHERE m.household_id = h.id AND m.status = 'active' AND m.relation_to_head IN ('son', 'daughter') AND m.birth_date <= ${`${Number(onDate.slice(0, 4)) - 18}${onDate.slice(4)}`})`, 2);
  for (const h of splittable) {
    const m = await memberOf(h.id, adultChild);
    if (m) await record({ kind: 'split', householdId: h.id, version: Number(h.version), onDate, members: [{ memberId: m.id, relationToHead: 'head' }], reason: '子女成家分户（演示）' });
  }
  const small = await pick(sql`h.member_count <= 2`, 4);
  for (let i = 0; i + 1 < small.length; i += 2) {
    const [a, b] = [small[i]!, small[i + 1]!];
    await record({ kind: 'merged', householdId: a.id, version: Number(a.version), onDate, intoHouseholdId: b.id, intoVersion: Number(b.version), reason: '投靠亲属合户（演示）' });
  }
  for (const h of await pick(sql`h.household_type = 'registeredPoor'`, 2)) {
    await record({ kind: 'cleared', householdId: h.id, version: Number(h.version), onDate, reason: '比对发现家庭成员为财政供养人员，属识别不准（演示）' });
  }
  for (const h of await pick(sql`h.status = 'exited'`, 2)) {
    await record({ kind: 'returned', householdId: h.id, version: Number(h.version), onDate, reason: '家庭成员突发重病，医疗支出大，收入低于标准（演示）', mainPovertyCause: 'illness' });
  }
  return { roundId: round!.id, counts };
}
