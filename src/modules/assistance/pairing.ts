/**
 * Pairing (对口帮扶): assisting units (帮扶单位), helpers (帮扶责任人) and helper assignments (结对).
 *
 * Rules (issue 6 item 1):
 * - Every active household of ASSISTED_HOUSEHOLD_TYPES must have exactly one current helper; the
 *   "no helper" list shows those that have none. Any active household may get a helper.
 * - At most one current helper per household: a household that has one is refused unless the call
 *   replaces it with a reason — then the old row ends on the new start date with that reason, in the
 *   same transaction, so the history stays. The partial unique index guarantees it under concurrency.
 * - A helper's load (households currently assigned) above the maximum (the helper's own, else the
 *   area's setting, settings.ts) is saved but answered with warnings.
 * - Units and helpers are visible on the actor's line (their area inside the scope or above it),
 *   editable inside the scope by roles holding assistance.pair. Lists mask phones for roles without
 *   households.read-full. Every write is audited.
 */
import { and, asc, count, desc, eq, ilike, inArray, isNull, or, sql, type SQL } from 'drizzle-orm';
import { AppError, invalidField, notFound, type FieldIssue } from '../../shared/errors.ts';
import { AREA_LEVELS, LEVEL_DIGITS, levelOfCode, scopePrefix } from '../../shared/area-code.ts';
import { maskPhone } from '../../shared/mask.ts';
import { offsetOf, type Page } from '../../shared/paging.ts';
import { authorize, inScope, roleHolds, type Actor } from '../../platform/auth.ts';
import { pgErrorCode, type Db, type DbOrTx } from '../../platform/db.ts';
import { areaExists, loadAreaNames } from '../areas/index.ts';
import { users } from '../accounts/schema.ts';
import { recordAudit } from '../audit/index.ts';
import { HOUSEHOLDS, todayCst } from '../households/index.ts';
import { households } from '../households/schema.ts';
import { householdScope, loadHouseholdFor, onActorLine } from './access.ts';
import { ASSISTANCE } from './permissions.ts';
import { ASSISTED_HOUSEHOLD_TYPES, DEFAULT_ASSISTANCE_SETTINGS, overloaded } from './rules.ts';
import { assistanceSettings, assistingUnits, helperAssignments, helpers } from './schema.ts';
import {
  assignBody,
  assignmentListQuery,
  endAssignmentBody,
  helperBody,
  helperListQuery,
  helperUpdateBody,
  unassignedQuery,
  unitBody,
  unitListQuery,
  unitUpdateBody,
  villageAssignBody,
  type AssignInput,
  type AssignmentDto,
  type AssignmentListQuery,
  type AssignmentPage,
  type AssignResult,
  type EndAssignmentInput,
  type HelperDto,
  type HelperInput,
  type HelperListQuery,
  type HelperSaveResult,
  type HelperUpdateInput,
  type PairingWarning,
  type UnassignedItem,
  type UnassignedQuery,
  type UnassignedSummary,
  type UnitDto,
  type UnitInput,
  type UnitListQuery,
  type UnitUpdateInput,
  type VillageAssignInput,
  type VillageAssignResult,
} from './pairing-contract.ts';

export const UNIT_LABEL = { zh: '帮扶单位', en: 'Assisting unit' } as const;
export const HELPER_LABEL = { zh: '帮扶责任人', en: 'Helper' } as const;
const ASSIGNMENT_LABEL = { zh: '结对记录', en: 'Helper assignment' } as const;
const AREA_LABEL = { zh: '区划', en: 'Area' } as const;
const PAIR = ASSISTANCE['assistance.pair'];
const READ = ASSISTANCE['assistance.read'];

type UnitRow = typeof assistingUnits.$inferSelect;
type HelperRow = typeof helpers.$inferSelect;

function validation(issues: FieldIssue[]): AppError {
  return new AppError('VALIDATION_FAILED', `输入有误：${issues.map((i) => i.message).join('；')}`, `Invalid input: ${issues.map((i) => i.messageEn).join('; ')}`, { issues });
}

const seesFullPhones = (actor: Actor) => roleHolds(actor, HOUSEHOLDS['households.read-full']);
const phoneFor = (actor: Actor, phone: string | null) => (seesFullPhones(actor) ? phone : maskPhone(phone));
/** A phone sent back as the list showed it (masked) keeps the stored number. */
const unmaskedPhone = (sent: string | null, stored: string | null) => (sent && sent.includes('*') && stored && maskPhone(stored) === sent ? stored : sent);

// Column references inside subqueries are written qualified: drizzle leaves a column of a one-table
// select unqualified in the select list, where the subquery's own "id" would take its place.
const HOUSEHOLD_ID = sql.raw('"households"."id"');
const HELPER_ID = sql.raw('"helpers"."id"');

/** The condition "households that must have a helper" (active, of ASSISTED_HOUSEHOLD_TYPES). */
export function mustHaveHelper(): SQL {
  return sql`${households.active} AND ${households.householdType} IN (${sql.join(
    ASSISTED_HOUSEHOLD_TYPES.map((t) => sql`${t}`),
    sql`, `,
  )})`;
}

/** The condition "the household has no current helper". */
export function withoutCurrentHelper(): SQL {
  return sql`NOT EXISTS (SELECT 1 FROM ${helperAssignments} cur WHERE cur.household_id = ${HOUSEHOLD_ID} AND cur.end_date IS NULL)`;
}

// ---------------------------------------------------------------------------------------------
// Load and the maximum

/**
 * SQL of a helper's maximum load: the helper's own, else the setting of the nearest area on the
 * helper's line (settings.ts settingsFor, as one CASE over the few settings rows), else the default.
 */
async function effectiveMaxSql(db: DbOrTx): Promise<SQL<number>> {
  const rows = await db.select({ areaCode: assistanceSettings.areaCode, max: assistanceSettings.maxHouseholdsPerHelper }).from(assistanceSettings);
  const ordered = rows.map((r) => ({ prefix: r.areaCode === '' ? '' : scopePrefix(r.areaCode), max: r.max })).sort((a, b) => b.prefix.length - a.prefix.length);
  const fallback = DEFAULT_ASSISTANCE_SETTINGS.maxHouseholdsPerHelper;
  if (ordered.length === 0) return sql<number>`coalesce(${helpers.maxHouseholds}, ${fallback}::int)`;
  const cases = ordered.map((r) => sql`WHEN ${helpers.areaCode} LIKE ${`${r.prefix}%`} THEN ${r.max}::int`);
  return sql<number>`coalesce(${helpers.maxHouseholds}, CASE ${sql.join(cases, sql` `)} ELSE ${fallback}::int END)`;
}

const loadSql = sql<number>`(SELECT count(*)::int FROM ${helperAssignments} ld WHERE ld.helper_id = ${HELPER_ID} AND ld.end_date IS NULL)`;

/**
 * Warnings for the given helpers carrying more households than their maximum.
 * @returns one OVERLOADED warning per helper above the maximum (zh/en messages)
 */
export async function loadWarnings(db: DbOrTx, helperIds: string[]): Promise<PairingWarning[]> {
  if (helperIds.length === 0) return [];
  const max = await effectiveMaxSql(db);
  const rows = await db
    .select({ id: helpers.id, name: helpers.name, load: loadSql, max })
    .from(helpers)
    .where(inArray(helpers.id, [...new Set(helperIds)]))
    .orderBy(asc(helpers.name));
  return rows
    .filter((r) => overloaded(Number(r.load), Number(r.max)))
    .map((r) => ({
      code: 'OVERLOADED' as const,
      helperId: r.id,
      helperName: r.name,
      households: Number(r.load),
      max: Number(r.max),
      message: `${r.name}现帮扶 ${r.load} 户，超过上限 ${r.max} 户`,
      messageEn: `${r.name} now has ${r.load} households, above the maximum of ${r.max}`,
    }));
}

// ---------------------------------------------------------------------------------------------
// Units

async function unitDtos(db: DbOrTx, actor: Actor, rows: UnitRow[]): Promise<UnitDto[]> {
  if (rows.length === 0) return [];
  const names = await loadAreaNames(db, [...new Set(rows.map((r) => r.areaCode))]);
  const counts = await db
    .select({ unitId: helpers.unitId, n: count() })
    .from(helpers)
    .where(
      and(
        inArray(
          helpers.unitId,
          rows.map((r) => r.id),
        ),
        eq(helpers.active, true),
      ),
    )
    .groupBy(helpers.unitId);
  const byUnit = new Map(counts.map((c) => [c.unitId, Number(c.n)]));
  const pairs = roleHolds(actor, PAIR);
  return rows.map((u) => ({
    id: u.id,
    name: u.name,
    kind: u.kind,
    level: u.level,
    areaCode: u.areaCode,
    areaName: names.get(u.areaCode)?.name ?? u.areaCode,
    contactPerson: u.contactPerson,
    phone: phoneFor(actor, u.phone),
    active: u.active,
    version: u.version,
    helpers: byUnit.get(u.id) ?? 0,
    editable: pairs && inScope(actor, u.areaCode),
  }));
}

/**
 * Assisting units on the actor's line (their area inside the scope or one of its ancestors), by
 * level then name. @throws AppError FORBIDDEN
 */
export async function findUnits(db: DbOrTx, actor: Actor, input: UnitListQuery = {}): Promise<Page<UnitDto>> {
  authorize(actor, READ);
  const q = unitListQuery.parse(input);
  const where = and(onActorLine(actor, assistingUnits.areaCode), q.active === 'all' ? undefined : eq(assistingUnits.active, q.active === 'true'), q.q ? ilike(assistingUnits.name, `%${q.q}%`) : undefined);
  const [total] = await db.select({ n: count() }).from(assistingUnits).where(where);
  const rows = await db.select().from(assistingUnits).where(where).orderBy(asc(assistingUnits.areaCode), asc(assistingUnits.name)).limit(q.pageSize).offset(offsetOf(q));
  return { items: await unitDtos(db, actor, rows), total: Number(total?.n ?? 0), page: q.page, pageSize: q.pageSize };
}

async function checkArea(db: DbOrTx, actor: Actor, code: string, path: string[]): Promise<void> {
  authorize(actor, PAIR, { areaCode: code, label: AREA_LABEL });
  if (!(await areaExists(db, code))) throw invalidField(path, '区划不存在或已撤销', 'no such current area');
}

function unitConflict(e: unknown, name: string): never {
  if (pgErrorCode(e) === '23505') throw new AppError('CONFLICT', `本区划已有名为“${name}”的帮扶单位`, `The area already has an assisting unit named “${name}”`, { issues: [{ path: ['name'], message: '名称重复', messageEn: 'name taken' }] });
  throw e;
}

/**
 * Registers an assisting unit in an area of the actor's scope (audited).
 * @throws AppError FORBIDDEN, NOT_FOUND (area outside scope), VALIDATION_FAILED, CONFLICT (same name in the area)
 */
export async function createUnit(db: Db, actor: Actor, input: UnitInput): Promise<UnitDto> {
  const body = unitBody.parse(input);
  await checkArea(db, actor, body.areaCode, ['areaCode']);
  try {
    const row = await db.transaction(async (tx) => {
      const [u] = await tx.insert(assistingUnits).values({ ...body, createdBy: actor.id }).returning();
      await recordAudit(tx, actor, { action: PAIR, targetType: 'assistingUnit', targetId: u!.id, areaCode: u!.areaCode, after: body });
      return u!;
    });
    return (await unitDtos(db, actor, [row]))[0]!;
  } catch (e) {
    unitConflict(e, body.name);
  }
}

/**
 * Edits a unit (or deactivates it: `active: false`, refused while it has active helpers). Audited.
 * @throws AppError FORBIDDEN, NOT_FOUND, VALIDATION_FAILED, STALE_EDIT (version differs), CONFLICT
 */
export async function updateUnit(db: Db, actor: Actor, id: string, input: UnitUpdateInput): Promise<UnitDto> {
  const body = unitUpdateBody.parse(input);
  try {
    const row = await db.transaction(async (tx) => {
      const [before] = await tx.select().from(assistingUnits).where(eq(assistingUnits.id, id)).for('update');
      if (!before) throw notFound(UNIT_LABEL.zh, UNIT_LABEL.en);
      authorize(actor, PAIR, { areaCode: before.areaCode, label: UNIT_LABEL });
      if (body.areaCode !== before.areaCode) await checkArea(tx, actor, body.areaCode, ['areaCode']);
      if (before.version !== body.version) {
        throw new AppError('STALE_EDIT', '该单位已被他人修改，未保存您的更改。请查看最新内容后重新修改', 'Someone else changed this unit since you opened it; nothing of yours was saved', {
          currentVersion: before.version,
          current: (await unitDtos(tx, actor, [before]))[0],
        });
      }
      if (!body.active && before.active) {
        const [n] = await tx
          .select({ n: count() })
          .from(helpers)
          .where(and(eq(helpers.unitId, id), eq(helpers.active, true)));
        if (Number(n?.n ?? 0) > 0) throw new AppError('CONFLICT', `该单位还有 ${n!.n} 名在岗帮扶责任人，请先调整后再停用`, `The unit still has ${n!.n} active helper(s); move or deactivate them first`);
      }
      const { version, ...values } = body;
      const phone = unmaskedPhone(values.phone, before.phone);
      const [after] = await tx
        .update(assistingUnits)
        .set({ ...values, phone, version: version + 1 })
        .where(and(eq(assistingUnits.id, id), eq(assistingUnits.version, version)))
        .returning();
      await recordAudit(tx, actor, {
        action: PAIR,
        targetType: 'assistingUnit',
        targetId: id,
        areaCode: after!.areaCode,
        before: { name: before.name, kind: before.kind, level: before.level, areaCode: before.areaCode, contactPerson: before.contactPerson, phone: before.phone, active: before.active },
        after: { ...values, phone },
      });
      return after!;
    });
    return (await unitDtos(db, actor, [row]))[0]!;
  } catch (e) {
    unitConflict(e, body.name);
  }
}

// ---------------------------------------------------------------------------------------------
// Helpers

async function helperDtos(db: DbOrTx, actor: Actor, where: SQL | undefined, opts: { orderBy?: SQL[]; limit?: number; offset?: number } = {}): Promise<HelperDto[]> {
  const max = await effectiveMaxSql(db);
  const rows = await db
    .select({ h: helpers, unitName: assistingUnits.name, username: users.username, load: loadSql, max })
    .from(helpers)
    .innerJoin(assistingUnits, eq(assistingUnits.id, helpers.unitId))
    .leftJoin(users, eq(users.id, helpers.userId))
    .where(where)
    .orderBy(...(opts.orderBy ?? [asc(helpers.areaCode), asc(helpers.name), asc(helpers.id)]))
    .limit(opts.limit ?? 10_000)
    .offset(opts.offset ?? 0);
  const names = await loadAreaNames(db, [...new Set(rows.map((r) => r.h.areaCode))]);
  const pairs = roleHolds(actor, PAIR);
  return rows.map(({ h, unitName, username, load, max: m }) => ({
    id: h.id,
    name: h.name,
    unitId: h.unitId,
    unitName,
    post: h.post,
    phone: phoneFor(actor, h.phone),
    areaCode: h.areaCode,
    areaName: names.get(h.areaCode)?.name ?? h.areaCode,
    userId: h.userId,
    username: username ?? null,
    maxHouseholds: h.maxHouseholds,
    effectiveMax: Number(m),
    load: Number(load),
    overloaded: overloaded(Number(load), Number(m)),
    active: h.active,
    version: h.version,
    editable: pairs && inScope(actor, h.areaCode),
  }));
}

/** The condition "helpers the actor may see": on the actor's line; a helper-role account: only their own record. */
function helperVisible(actor: Actor): SQL {
  if (actor.role === 'helper') return sql`${helpers.userId} = ${actor.id ?? '00000000-0000-0000-0000-000000000000'}`;
  return onActorLine(actor, helpers.areaCode);
}

/** One helper the actor may see. @throws AppError NOT_FOUND */
export async function getHelper(db: DbOrTx, actor: Actor, id: string): Promise<HelperDto> {
  authorize(actor, READ);
  const [h] = await helperDtos(db, actor, and(eq(helpers.id, id), helperVisible(actor)));
  if (!h) throw notFound(HELPER_LABEL.zh, HELPER_LABEL.en);
  return h;
}

/**
 * Helpers with their load (households currently assigned), on the actor's line; with `areaCode`,
 * those working in that area or below it and those of the areas above it (county helpers for a
 * township); `overloaded=true`: only those above their maximum. Phones masked for roles without
 * households.read-full. @throws AppError FORBIDDEN, NOT_FOUND (areaCode outside scope)
 */
export async function findHelpers(db: DbOrTx, actor: Actor, input: HelperListQuery = {}): Promise<Page<HelperDto>> {
  authorize(actor, READ);
  const q = helperListQuery.parse(input);
  if (q.areaCode && !inScope(actor, q.areaCode)) throw notFound(AREA_LABEL.zh, AREA_LABEL.en);
  const max = await effectiveMaxSql(db);
  const where = and(
    helperVisible(actor),
    q.areaCode ? onActorLine({ ...actor, areaCode: q.areaCode }, helpers.areaCode) : undefined,
    q.unitId ? eq(helpers.unitId, q.unitId) : undefined,
    q.active === 'all' ? undefined : eq(helpers.active, q.active === 'true'),
    q.q ? or(ilike(helpers.name, `%${q.q}%`), ilike(helpers.phone, `%${q.q}%`)) : undefined,
    q.overloaded === undefined ? undefined : q.overloaded === 'true' ? sql`${loadSql} > ${max}` : sql`${loadSql} <= ${max}`,
  );
  const [total] = await db.select({ n: count() }).from(helpers).where(where);
  const items = await helperDtos(db, actor, where, { limit: q.pageSize, offset: offsetOf(q) });
  return { items, total: Number(total?.n ?? 0), page: q.page, pageSize: q.pageSize };
}

/** The unit for a helper: visible on the actor's line and active. */
async function checkUnit(db: DbOrTx, actor: Actor, unitId: string): Promise<UnitRow> {
  const [u] = await db
    .select()
    .from(assistingUnits)
    .where(and(eq(assistingUnits.id, unitId), onActorLine(actor, assistingUnits.areaCode)));
  if (!u) throw invalidField(['unitId'], '帮扶单位不存在或不在您的管辖范围内', 'no such assisting unit in your area');
  if (!u.active) throw invalidField(['unitId'], `帮扶单位“${u.name}”已停用`, `the assisting unit “${u.name}” is inactive`);
  return u;
}

/** The account to link by username: role helper, active, in the actor's scope, not linked to another helper. */
async function accountToLink(db: DbOrTx, actor: Actor, username: string | null, helperId: string | null): Promise<string | null> {
  if (!username) return null;
  const [u] = await db.select({ id: users.id, role: users.role, areaCode: users.areaCode, active: users.active }).from(users).where(eq(users.username, username));
  if (!u || !inScope(actor, u.areaCode)) throw invalidField(['username'], `找不到您管辖范围内的账号“${username}”`, `no account “${username}” in your area`);
  if (u.role !== 'helper') throw invalidField(['username'], `账号“${username}”的角色不是帮扶责任人`, `the account “${username}” is not of role helper`);
  if (!u.active) throw invalidField(['username'], `账号“${username}”已停用`, `the account “${username}” is deactivated`);
  const [other] = await db
    .select({ id: helpers.id, name: helpers.name })
    .from(helpers)
    .where(and(eq(helpers.userId, u.id), helperId ? sql`${helpers.id} <> ${helperId}` : undefined));
  if (other) throw invalidField(['username'], `账号“${username}”已关联帮扶责任人${other.name}`, `the account “${username}” is already linked to the helper ${other.name}`);
  return u.id;
}

function helperConflict(e: unknown, username: string | null): never {
  if (pgErrorCode(e) === '23505') {
    throw new AppError('CONFLICT', `账号“${username ?? ''}”已关联另一位帮扶责任人`, `The account “${username ?? ''}” is already linked to another helper`, {
      issues: [{ path: ['username'], message: '账号已被关联', messageEn: 'account already linked' }],
    });
  }
  throw e;
}

/**
 * Registers a helper (audited); the account named by `username` (role helper, in scope) is linked.
 * @returns the helper and warnings (none for a new helper)
 * @throws AppError FORBIDDEN, NOT_FOUND (area outside scope), VALIDATION_FAILED (unitId, username, areaCode), CONFLICT
 */
export async function createHelper(db: Db, actor: Actor, input: HelperInput): Promise<HelperSaveResult> {
  const body = helperBody.parse(input);
  await checkArea(db, actor, body.areaCode, ['areaCode']);
  await checkUnit(db, actor, body.unitId);
  const userId = await accountToLink(db, actor, body.username, null);
  try {
    const id = await db.transaction(async (tx) => {
      const { username, ...values } = body;
      const [h] = await tx
        .insert(helpers)
        .values({ ...values, maxHouseholds: values.maxHouseholds ?? null, userId, createdBy: actor.id })
        .returning();
      await recordAudit(tx, actor, { action: PAIR, targetType: 'helper', targetId: h!.id, areaCode: h!.areaCode, after: { ...values, username } });
      return h!.id;
    });
    return { helper: await getHelper(db, actor, id), warnings: [] };
  } catch (e) {
    helperConflict(e, body.username);
  }
}

/**
 * Edits a helper: details, unit, linked account, own maximum, or deactivation (refused while the
 * helper has current households). Audited.
 * @returns the helper and an OVERLOADED warning when the maximum now lies below the load
 * @throws AppError FORBIDDEN, NOT_FOUND, VALIDATION_FAILED, STALE_EDIT, CONFLICT
 */
export async function updateHelper(db: Db, actor: Actor, id: string, input: HelperUpdateInput): Promise<HelperSaveResult> {
  const body = helperUpdateBody.parse(input);
  try {
    await db.transaction(async (tx) => {
      const [before] = await tx.select().from(helpers).where(eq(helpers.id, id)).for('update');
      if (!before) throw notFound(HELPER_LABEL.zh, HELPER_LABEL.en);
      authorize(actor, PAIR, { areaCode: before.areaCode, label: HELPER_LABEL });
      if (body.areaCode !== before.areaCode) await checkArea(tx, actor, body.areaCode, ['areaCode']);
      if (body.unitId !== before.unitId) await checkUnit(tx, actor, body.unitId);
      if (before.version !== body.version) {
        throw new AppError('STALE_EDIT', '该帮扶责任人已被他人修改，未保存您的更改。请查看最新内容后重新修改', 'Someone else changed this helper since you opened it; nothing of yours was saved', {
          currentVersion: before.version,
        });
      }
      const userId = await accountToLink(tx, actor, body.username, id);
      if (!body.active && before.active) {
        const [n] = await tx
          .select({ n: count() })
          .from(helperAssignments)
          .where(and(eq(helperAssignments.helperId, id), isNull(helperAssignments.endDate)));
        if (Number(n?.n ?? 0) > 0) throw new AppError('CONFLICT', `${before.name}还在帮扶 ${n!.n} 户，请先将这些户改由他人帮扶`, `${before.name} still has ${n!.n} household(s); give them another helper first`);
      }
      const { version, username, ...values } = body;
      const phone = unmaskedPhone(values.phone, before.phone);
      const after = { ...values, phone, maxHouseholds: values.maxHouseholds ?? null, userId };
      await tx
        .update(helpers)
        .set({ ...after, version: version + 1 })
        .where(eq(helpers.id, id));
      await recordAudit(tx, actor, {
        action: PAIR,
        targetType: 'helper',
        targetId: id,
        areaCode: body.areaCode,
        before: { name: before.name, unitId: before.unitId, post: before.post, phone: before.phone, areaCode: before.areaCode, userId: before.userId, maxHouseholds: before.maxHouseholds, active: before.active },
        after: { ...after, username },
      });
    });
    return { helper: await getHelper(db, actor, id), warnings: await loadWarnings(db, [id]) };
  } catch (e) {
    helperConflict(e, body.username);
  }
}

// ---------------------------------------------------------------------------------------------
// Assignments

/** A helper that may take households from the actor: visible on the actor's line, active. */
async function helperForAssignment(db: DbOrTx, actor: Actor, helperId: string, path: (string | number)[]): Promise<HelperRow> {
  const [h] = await db
    .select()
    .from(helpers)
    .where(and(eq(helpers.id, helperId), onActorLine(actor, helpers.areaCode)));
  if (!h) throw notFound(HELPER_LABEL.zh, HELPER_LABEL.en);
  if (!h.active) throw invalidField(path, `帮扶责任人${h.name}已停用`, `the helper ${h.name} is inactive`);
  return h;
}

/** One new assignment to write (checked by the caller). */
export interface PlannedAssignment {
  householdId: string;
  helperId: string;
  startDate: string;
  /** The current assignment this one replaces (ended on startDate with `reason`), or null. */
  replacesId: string | null;
  reason: string | null;
}

/** The households' current assignments (row-locked), with the helper's name. */
async function currentAssignments(tx: DbOrTx, householdIds: string[]) {
  if (householdIds.length === 0) return new Map<string, { id: string; helperId: string; helperName: string; startDate: string }>();
  const rows = await tx
    .select({ id: helperAssignments.id, householdId: helperAssignments.householdId, helperId: helperAssignments.helperId, helperName: helpers.name, startDate: helperAssignments.startDate })
    .from(helperAssignments)
    .innerJoin(helpers, eq(helpers.id, helperAssignments.helperId))
    .where(and(inArray(helperAssignments.householdId, householdIds), isNull(helperAssignments.endDate)))
    .for('update', { of: helperAssignments });
  return new Map(rows.map((r) => [r.householdId, r]));
}

/**
 * Writes planned assignments: ends the rows they replace (end date = the new start date, reason,
 * endedBy), then inserts the new rows in bulk. Inside the caller's transaction.
 */
export async function writeAssignments(tx: DbOrTx, actor: Actor, plan: PlannedAssignment[]): Promise<void> {
  for (const p of plan.filter((x) => x.replacesId)) {
    await tx.update(helperAssignments).set({ endDate: p.startDate, endReason: p.reason, endedBy: actor.id }).where(eq(helperAssignments.id, p.replacesId!));
  }
  for (let i = 0; i < plan.length; i += 1000) {
    await tx.insert(helperAssignments).values(plan.slice(i, i + 1000).map((p) => ({ householdId: p.householdId, helperId: p.helperId, startDate: p.startDate, createdBy: actor.id })));
  }
}

/**
 * Runs a write of assignments, turning a violation of "one current helper per household" (another
 * user paired one of the households at the same moment) into a CONFLICT naming the household.
 */
async function guardOneCurrent<T>(db: Db, householdIds: string[], run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    if (pgErrorCode(e) !== '23505') throw e;
    const taken = await db
      .select({ headName: households.headName, householdNo: households.householdNo })
      .from(helperAssignments)
      .innerJoin(households, eq(households.id, helperAssignments.householdId))
      .where(and(inArray(helperAssignments.householdId, householdIds), isNull(helperAssignments.endDate)))
      .limit(3);
    const who = taken.map((t) => `${t.headName}户（${t.householdNo}）`).join('、') || '所选农户';
    const whoEn = taken.map((t) => `the household of ${t.headName} (${t.householdNo})`).join(', ') || 'a chosen household';
    throw new AppError('CONFLICT', `${who}刚被他人结对了帮扶责任人，未保存。请刷新后重试`, `${whoEn} was just given a helper by someone else; nothing was saved. Reload and try again`);
  }
}

/** Audits a batch of new assignments of one helper: one event naming every household. */
async function auditAssignments(tx: DbOrTx, actor: Actor, helper: { id: string; name: string; areaCode: string }, plan: PlannedAssignment[], how: string): Promise<void> {
  if (plan.length === 0) return;
  await recordAudit(tx, actor, {
    action: PAIR,
    targetType: plan.length === 1 ? 'household' : 'helper',
    targetId: plan.length === 1 ? plan[0]!.householdId : helper.id,
    areaCode: helper.areaCode,
    before: plan.some((p) => p.replacesId) ? { replaced: plan.filter((p) => p.replacesId).map((p) => ({ assignmentId: p.replacesId, householdId: p.householdId, reason: p.reason })) } : undefined,
    after: { how, helperId: helper.id, helperName: helper.name, households: plan.map((p) => p.householdId), startDate: plan[0]!.startDate },
  });
}

/**
 * Assigns households to a helper from `startDate`. A household whose current helper is this helper
 * is left as it is (counted unchanged); one with another current helper is refused unless
 * `replace: true` with a reason: its row then ends on startDate with that reason (same transaction).
 * @returns counts and OVERLOADED warnings (the save is not refused above the maximum)
 * @throws AppError FORBIDDEN, NOT_FOUND (a household or the helper outside the scope/line),
 *   VALIDATION_FAILED (path householdIds.i: removed household, another current helper without replace,
 *   start before the current assignment's; startDate after today; reason missing with replace),
 *   CONFLICT (paired concurrently)
 */
export async function assignHelper(db: Db, actor: Actor, input: AssignInput): Promise<AssignResult> {
  const body = assignBody.parse(input);
  authorize(actor, PAIR);
  if (body.startDate > todayCst()) throw invalidField(['startDate'], '开始日期不能晚于今天', 'the start date cannot be later than today');
  const ids = [...new Set(body.householdIds)];
  return guardOneCurrent(db, ids, () =>
    db.transaction(async (tx) => {
      const helper = await helperForAssignment(tx, actor, body.helperId, ['helperId']);
      const hh = [];
      for (const id of ids) hh.push(await loadHouseholdFor(tx, actor, id, PAIR));
      const current = await currentAssignments(tx, ids);
      const issues: FieldIssue[] = [];
      const plan: PlannedAssignment[] = [];
      let unchanged = 0;
      hh.forEach((h) => {
        const path = ['householdIds', body.householdIds.indexOf(h.id)];
        const cur = current.get(h.id);
        if (!h.active) issues.push({ path, message: `${h.headName}户已注销`, messageEn: `the household of ${h.headName} is removed` });
        else if (cur && cur.helperId === helper.id) unchanged++;
        else if (cur && !body.replace)
          issues.push({ path, message: `${h.headName}户已有帮扶责任人${cur.helperName}；如需更换，请选择“更换”并填写原因`, messageEn: `the household of ${h.headName} already has the helper ${cur.helperName}; to change, choose “replace” and give a reason` });
        else if (cur && cur.startDate > body.startDate)
          issues.push({ path: ['startDate'], message: `开始日期早于${h.headName}户现帮扶责任人的开始日期 ${cur.startDate}`, messageEn: `the start date is before the current helper’s start (${cur.startDate}) of the household of ${h.headName}` });
        else plan.push({ householdId: h.id, helperId: helper.id, startDate: body.startDate, replacesId: cur?.id ?? null, reason: cur ? body.reason : null });
      });
      if (issues.length) throw validation(issues);
      await writeAssignments(tx, actor, plan);
      await auditAssignments(tx, actor, helper, plan, body.replace ? 'replace' : 'assign');
      return { assigned: plan.length, replaced: plan.filter((p) => p.replacesId).length, unchanged, warnings: await loadWarnings(tx, [helper.id]) };
    }),
  );
}

/**
 * Bulk assignment of a village (按村结对): every assisted household of the village (active,
 * ASSISTED_HOUSEHOLD_TYPES) without a current helper goes to the one helper given, or is spread over
 * several: each household (in 户编号 order) to the helper with the fewest current households (ties:
 * the order given). Households that already have a helper are not touched.
 * @throws AppError FORBIDDEN, NOT_FOUND (village or a helper outside scope), VALIDATION_FAILED (not a village; startDate), CONFLICT
 */
export async function assignVillage(db: Db, actor: Actor, input: VillageAssignInput): Promise<VillageAssignResult> {
  const body = villageAssignBody.parse(input);
  authorize(actor, PAIR, { areaCode: body.villageCode, label: { zh: '村', en: 'Village' } });
  if (levelOfCode(body.villageCode) !== 'village') throw invalidField(['villageCode'], '请选择一个村（社区）', 'choose a village');
  if (body.startDate > todayCst()) throw invalidField(['startDate'], '开始日期不能晚于今天', 'the start date cannot be later than today');
  const helperIds = [...new Set(body.helperIds)];
  const targets = await db
    .select({ id: households.id })
    .from(households)
    .where(and(eq(households.areaCode, body.villageCode), mustHaveHelper(), withoutCurrentHelper()))
    .orderBy(asc(households.householdNo));
  return guardOneCurrent(
    db,
    targets.map((t) => t.id),
    () =>
      db.transaction(async (tx) => {
        const hs: HelperRow[] = [];
        for (const [i, id] of helperIds.entries()) hs.push(await helperForAssignment(tx, actor, id, ['helperIds', i]));
        const loads = new Map<string, number>();
        const rows = await tx
          .select({ helperId: helperAssignments.helperId, n: count() })
          .from(helperAssignments)
          .where(and(inArray(helperAssignments.helperId, helperIds), isNull(helperAssignments.endDate)))
          .groupBy(helperAssignments.helperId);
        for (const h of hs) loads.set(h.id, Number(rows.find((r) => r.helperId === h.id)?.n ?? 0));
        const plan: PlannedAssignment[] = [];
        for (const t of targets) {
          const h = hs.reduce((best, x) => (loads.get(x.id)! < loads.get(best.id)! ? x : best), hs[0]!);
          loads.set(h.id, loads.get(h.id)! + 1);
          plan.push({ householdId: t.id, helperId: h.id, startDate: body.startDate, replacesId: null, reason: null });
        }
        await writeAssignments(tx, actor, plan);
        for (const h of hs) await auditAssignments(tx, actor, h, plan.filter((p) => p.helperId === h.id), `village ${body.villageCode}`);
        return {
          assigned: plan.length,
          byHelper: hs.map((h) => ({ helperId: h.id, helperName: h.name, assigned: plan.filter((p) => p.helperId === h.id).length, load: loads.get(h.id)! })),
          warnings: await loadWarnings(tx, helperIds),
        };
      }),
  );
}

/**
 * Ends a current assignment (the household then has no helper until another is assigned). Audited.
 * @throws AppError FORBIDDEN, NOT_FOUND, VALIDATION_FAILED (endDate before the start or after today; reason), CONFLICT (already ended)
 */
export async function endAssignment(db: Db, actor: Actor, id: string, input: EndAssignmentInput): Promise<AssignmentDto> {
  const body = endAssignmentBody.parse(input);
  authorize(actor, PAIR);
  await db.transaction(async (tx) => {
    const [a] = await tx.select().from(helperAssignments).where(eq(helperAssignments.id, id)).for('update');
    if (!a) throw notFound(ASSIGNMENT_LABEL.zh, ASSIGNMENT_LABEL.en);
    const h = await loadHouseholdFor(tx, actor, a.householdId, PAIR).catch(() => {
      throw notFound(ASSIGNMENT_LABEL.zh, ASSIGNMENT_LABEL.en);
    });
    if (a.endDate) throw new AppError('CONFLICT', `该结对已于 ${a.endDate} 结束`, `This assignment already ended on ${a.endDate}`);
    if (body.endDate < a.startDate) throw invalidField(['endDate'], `结束日期不能早于开始日期 ${a.startDate}`, `the end date cannot be before the start (${a.startDate})`);
    if (body.endDate > todayCst()) throw invalidField(['endDate'], '结束日期不能晚于今天', 'the end date cannot be later than today');
    await tx.update(helperAssignments).set({ endDate: body.endDate, endReason: body.reason, endedBy: actor.id }).where(eq(helperAssignments.id, id));
    await recordAudit(tx, actor, {
      action: PAIR,
      targetType: 'household',
      targetId: a.householdId,
      areaCode: h.areaCode,
      before: { assignmentId: id, helperId: a.helperId, startDate: a.startDate, endDate: null },
      after: { assignmentId: id, endDate: body.endDate, endReason: body.reason },
    });
  });
  const [dto] = await assignmentDtos(db, actor, eq(helperAssignments.id, id), 1, 0);
  return dto!;
}

async function assignmentDtos(db: DbOrTx, actor: Actor, where: SQL | undefined, limit: number, offset: number): Promise<AssignmentDto[]> {
  const rows = await db
    .select({ a: helperAssignments, householdNo: households.householdNo, headName: households.headName, householdType: households.householdType, villageCode: households.areaCode, helperName: helpers.name, helperPhone: helpers.phone, unitName: assistingUnits.name })
    .from(helperAssignments)
    .innerJoin(households, eq(households.id, helperAssignments.householdId))
    .innerJoin(helpers, eq(helpers.id, helperAssignments.helperId))
    .innerJoin(assistingUnits, eq(assistingUnits.id, helpers.unitId))
    .where(where)
    .orderBy(desc(helperAssignments.startDate), desc(helperAssignments.createdAt), asc(households.householdNo))
    .limit(limit)
    .offset(offset);
  const names = await loadAreaNames(db, [...new Set(rows.map((r) => r.villageCode))]);
  return rows.map((r) => ({
    id: r.a.id,
    householdId: r.a.householdId,
    householdNo: r.householdNo,
    headName: r.headName,
    householdType: r.householdType,
    villageCode: r.villageCode,
    villageName: names.get(r.villageCode)?.name ?? '',
    townshipName: names.get(r.villageCode)?.township ?? '',
    helperId: r.a.helperId,
    helperName: r.helperName,
    unitName: r.unitName,
    helperPhone: phoneFor(actor, r.helperPhone),
    startDate: r.a.startDate,
    endDate: r.a.endDate,
    endReason: r.a.endReason,
    current: r.a.endDate === null,
  }));
}

/**
 * Assignments, newest first: a household's history (`householdId`; every row, ended ones with their
 * reason) or a helper's households (`helperId`; current ones unless `current=all`), limited to the
 * households the actor may see (a helper: their own). With `helperId`, `outsideScope` counts the
 * helper's other assignments, on households outside the actor's scope (the load counts them all).
 * @throws AppError FORBIDDEN, NOT_FOUND (household or helper outside scope), VALIDATION_FAILED
 */
export async function findAssignments(db: DbOrTx, actor: Actor, input: AssignmentListQuery): Promise<AssignmentPage> {
  authorize(actor, READ);
  const q = assignmentListQuery.parse(input);
  if (q.householdId) await loadHouseholdFor(db, actor, q.householdId, READ);
  if (q.helperId) {
    const [h] = await db
      .select({ id: helpers.id })
      .from(helpers)
      .where(and(eq(helpers.id, q.helperId), helperVisible(actor)));
    if (!h) throw notFound(HELPER_LABEL.zh, HELPER_LABEL.en);
  }
  const where = and(
    householdScope(actor),
    q.householdId ? eq(helperAssignments.householdId, q.householdId) : undefined,
    q.helperId ? eq(helperAssignments.helperId, q.helperId) : undefined,
    q.householdId || q.current === 'all' ? undefined : isNull(helperAssignments.endDate),
  );
  const [total] = await db
    .select({ n: count() })
    .from(helperAssignments)
    .innerJoin(households, eq(households.id, helperAssignments.householdId))
    .where(where);
  let outsideScope = 0;
  if (q.helperId) {
    const [outside] = await db
      .select({ n: count() })
      .from(helperAssignments)
      .innerJoin(households, eq(households.id, helperAssignments.householdId))
      .where(and(sql`NOT (${householdScope(actor)})`, eq(helperAssignments.helperId, q.helperId), q.current === 'all' ? undefined : isNull(helperAssignments.endDate)));
    outsideScope = Number(outside?.n ?? 0);
  }
  return { items: await assignmentDtos(db, actor, where, q.pageSize, offsetOf(q)), total: Number(total?.n ?? 0), page: q.page, pageSize: q.pageSize, outsideScope };
}

// ---------------------------------------------------------------------------------------------
// Households without a helper

function areaFilter(actor: Actor, areaCode: string | undefined): SQL | undefined {
  if (!areaCode) return undefined;
  if (!inScope(actor, areaCode)) throw notFound(AREA_LABEL.zh, AREA_LABEL.en);
  return sql`${households.areaCode} LIKE ${`${scopePrefix(areaCode)}%`}`;
}

/**
 * Households that must have a helper (active, ASSISTED_HOUSEHOLD_TYPES) and have none, in the area
 * (default the actor's) and the actor's scope, by 户编号. A helper's list is empty by definition.
 * @throws AppError FORBIDDEN, NOT_FOUND (areaCode outside scope)
 */
export async function findUnassigned(db: DbOrTx, actor: Actor, input: UnassignedQuery = {}): Promise<Page<UnassignedItem>> {
  authorize(actor, READ);
  const q = unassignedQuery.parse(input);
  const where = and(householdScope(actor), mustHaveHelper(), withoutCurrentHelper(), areaFilter(actor, q.areaCode), q.q ? or(ilike(households.headName, `%${q.q}%`), ilike(households.householdNo, `${q.q}%`)) : undefined);
  const [total] = await db.select({ n: count() }).from(households).where(where);
  const rows = await db
    .select({
      id: households.id,
      householdNo: households.householdNo,
      headName: households.headName,
      householdType: households.householdType,
      status: households.status,
      memberCount: households.memberCount,
      villageCode: households.areaCode,
      lastEndDate: sql<string | null>`(SELECT max(p.end_date)::text FROM ${helperAssignments} p WHERE p.household_id = ${HOUSEHOLD_ID})`,
    })
    .from(households)
    .where(where)
    .orderBy(asc(households.householdNo))
    .limit(q.pageSize)
    .offset(offsetOf(q));
  const names = await loadAreaNames(db, [...new Set(rows.map((r) => r.villageCode))]);
  return {
    items: rows.map((r) => ({ ...r, villageName: names.get(r.villageCode)?.name ?? '', townshipName: names.get(r.villageCode)?.township ?? '' })),
    total: Number(total?.n ?? 0),
    page: q.page,
    pageSize: q.pageSize,
  };
}

/**
 * Counts of households that must have a helper and of those without one, for the area (default the
 * actor's) and per child area (townships of a county, villages of a township), for drill-down.
 * Child areas without assisted households are left out.
 * @throws AppError FORBIDDEN, NOT_FOUND (areaCode outside scope)
 */
export async function summarizeUnassigned(db: DbOrTx, actor: Actor, areaCode?: string): Promise<UnassignedSummary> {
  authorize(actor, READ);
  const code = areaCode ?? actor.areaCode;
  const level = code ? levelOfCode(code) : null;
  const childLevel = level === null ? 'province' : AREA_LEVELS[AREA_LEVELS.indexOf(level) + 1];
  const digits = childLevel ? LEVEL_DIGITS[childLevel] : 12;
  const child = sql<string>`left(${households.areaCode}, ${sql.raw(String(digits))})`;
  const rows = await db
    .select({ child, assisted: count(), without: sql<number>`count(*) FILTER (WHERE ${withoutCurrentHelper()})::int` })
    .from(households)
    .where(and(householdScope(actor), mustHaveHelper(), areaFilter(actor, areaCode)))
    .groupBy(child)
    .orderBy(child);
  const codes = rows.map((r) => r.child.padEnd(12, '0'));
  const names = await loadAreaNames(db, code ? [...codes, code] : codes);
  const children = childLevel ? rows.map((r, i) => ({ code: codes[i]!, name: names.get(codes[i]!)?.name ?? codes[i]!, assisted: Number(r.assisted), withoutHelper: Number(r.without) })) : [];
  return {
    areaCode: code,
    areaName: code ? (names.get(code)?.name ?? code) : '全国',
    assisted: rows.reduce((s, r) => s + Number(r.assisted), 0),
    withoutHelper: rows.reduce((s, r) => s + Number(r.without), 0),
    children,
  };
}
