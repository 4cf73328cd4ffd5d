/**
 * Poor-village identification (贫困村识别): village indicators per year (村级指标) and the short
 * workflow 村申请 → 乡初审 → 县审核 and designation (or rejection at either review), one service
 * function per step, each audited, every step appended to the identification's `steps` with its date,
 * responsible person, note and actor. Designation writes the areas module's poor-village designation
 * in the same transaction. The 一高一低 and relative-poverty tests are shown as advice, never a block.
 *
 * Sources: REFERENCE.md §1.7 (village forms: income, population, roads, water, power, broadband,
 * clinic, collective income), §2.1 (一高一低, Xinjiang; relative-poverty villages, Guangdong).
 */
import { and, asc, eq, sql, type SQL } from 'drizzle-orm';
import { AppError, invalidField, notFound } from '../../shared/errors.ts';
import { levelOfCode, scopePrefix } from '../../shared/area-code.ts';
import { authorize, inScope, roleHolds, scopePattern, SYSTEM_ACTOR, type Actor } from '../../platform/auth.ts';
import { pgErrorCode, rowsOf, type Db, type DbOrTx } from '../../platform/db.ts';
import { currentYear, designatePoorVillage, loadArea, loadAreaNames } from '../areas/index.ts';
import { recordAudit } from '../audit/index.ts';
import { households } from '../households/schema.ts';
import type { VillageApplyInput, VillageIdentificationDto, VillageIndicatorsDto, VillageIndicatorsInput, VillageIndicatorsReadDto } from './adjustment-contract.ts';
import { villageIndicatorsBody } from './adjustment-contract.ts';
import { checkedDate, countyOf } from './adjustment.ts';
import { IDENTIFICATION } from './permissions.ts';
import { villageIdentifications, villageIndicators } from './schema.ts';
import { checkVillageTransition, incidenceOf, regionReference, VILLAGE_STEPS, villageActionsFrom, villageAdvice, type VillageAction, type VillageState } from './village-rules.ts';

const VILLAGE_LABEL = { zh: '村', en: 'Village' };
const IDENT_LABEL = { zh: '贫困村识别', en: 'Poor-village identification' };

type IndicatorRow = typeof villageIndicators.$inferSelect;
type IdentRow = typeof villageIdentifications.$inferSelect;

interface StepEntry {
  action: string;
  from: string | null;
  to: string;
  onDate: string;
  responsiblePerson: string;
  note: string | null;
  actorName: string;
  at: string;
}

async function checkVillage(db: DbOrTx, code: string): Promise<{ name: string }> {
  const area = await loadArea(db, code);
  if (!area || area.validTo !== null || levelOfCode(code) !== 'village') throw invalidField(['areaCode'], '应选择一个现行的村（社区）', 'choose a current village');
  return area;
}

function indicatorDto(r: IndicatorRow, names: { name: string; township: string }): VillageIndicatorsDto {
  return {
    areaCode: r.areaCode,
    villageName: names.name,
    townshipName: names.township,
    year: r.year,
    perCapitaNetIncome: r.perCapitaNetIncome,
    registeredPopulation: r.registeredPopulation,
    poorPopulation: r.poorPopulation,
    incidence: incidenceOf(r),
    hardenedRoad: r.hardenedRoad,
    safeWater: r.safeWater,
    power: r.power,
    broadband: r.broadband,
    clinic: r.clinic,
    collectiveIncome: r.collectiveIncome,
    updatedAt: r.updatedAt.toISOString(),
  };
}

// ---------------------------------------------------------------------------------------------
// Indicators

/**
 * Records (or corrects) a village's indicators of a year (村级指标): per-capita net income (yuan per
 * person per year), registered and poor population (persons), hardened road, safe water, power,
 * broadband, clinic, collective income (yuan per year). Audited with the values before and after.
 * @throws AppError FORBIDDEN, NOT_FOUND (village outside scope), VALIDATION_FAILED (not a current
 *   village; poor population above the registered one)
 */
export async function upsertVillageIndicators(db: Db, actor: Actor, areaCode: string, year: number, input: VillageIndicatorsInput): Promise<VillageIndicatorsDto> {
  authorize(actor, IDENTIFICATION['identification.village-apply'], { areaCode, label: VILLAGE_LABEL });
  await checkVillage(db, areaCode);
  const values = villageIndicatorsBody.parse(input);
  const row = await db.transaction(async (tx) => {
    const [before] = await tx.select().from(villageIndicators).where(and(eq(villageIndicators.areaCode, areaCode), eq(villageIndicators.year, year)));
    const set = { ...values, updatedBy: actor.id, updatedAt: new Date() };
    const [r] = await tx
      .insert(villageIndicators)
      .values({ areaCode, year, ...set })
      .onConflictDoUpdate({ target: [villageIndicators.areaCode, villageIndicators.year], set })
      .returning();
    const { updatedAt: _a, updatedBy: _b, ...beforeValues } = before ?? ({} as IndicatorRow);
    await recordAudit(tx, actor, { action: IDENTIFICATION['identification.village-apply'], targetType: 'villageIndicators', targetId: `${areaCode}:${year}`, areaCode, before: before ? beforeValues : null, after: { year, ...values } });
    return r!;
  });
  const names = (await loadAreaNames(db, [areaCode])).get(areaCode)!;
  return indicatorDto(row, names);
}

/**
 * A village's indicators of a year (null when none recorded) and the registry's figures to prefill
 * them: persons in its active households, and in registered poor households not yet out of poverty.
 * @throws AppError NOT_FOUND (village absent or outside scope)
 */
export async function getVillageIndicators(db: DbOrTx, actor: Actor, areaCode: string, year: number): Promise<VillageIndicatorsReadDto> {
  authorize(actor, IDENTIFICATION['identification.read'], { areaCode, label: VILLAGE_LABEL });
  const area = await loadArea(db, areaCode);
  if (!area || area.level !== 'village') throw notFound(VILLAGE_LABEL.zh, VILLAGE_LABEL.en);
  const [row] = await db.select().from(villageIndicators).where(and(eq(villageIndicators.areaCode, areaCode), eq(villageIndicators.year, year)));
  const [reg] = rowsOf<{ households: number; persons: number; poor_households: number; poor_persons: number }>(
    await db.execute(sql`SELECT count(*)::int AS households, coalesce(sum(member_count), 0)::int AS persons,
        count(*) FILTER (WHERE household_type = 'registeredPoor' AND status IN ('notExited', 'returned'))::int AS poor_households,
        coalesce(sum(member_count) FILTER (WHERE household_type = 'registeredPoor' AND status IN ('notExited', 'returned')), 0)::int AS poor_persons
      FROM ${households} WHERE area_code = ${areaCode} AND active`),
  );
  const names = (await loadAreaNames(db, [areaCode])).get(areaCode)!;
  return {
    indicators: row ? indicatorDto(row, names) : null,
    registry: { households: Number(reg?.households ?? 0), persons: Number(reg?.persons ?? 0), poorHouseholds: Number(reg?.poor_households ?? 0), poorPersons: Number(reg?.poor_persons ?? 0) },
  };
}

/**
 * The indicators of a year recorded for the villages of the actor's scope (narrowed by `areaCode`),
 * in code order. @throws AppError NOT_FOUND (area outside scope)
 */
export async function findVillageIndicators(db: DbOrTx, actor: Actor, query: { areaCode?: string | undefined; year?: number | undefined }): Promise<VillageIndicatorsDto[]> {
  authorize(actor, IDENTIFICATION['identification.read']);
  const conds: SQL[] = [sql`${villageIndicators.areaCode} LIKE ${scopePattern(actor)}`, eq(villageIndicators.year, query.year ?? currentYear())];
  if (query.areaCode) {
    if (!inScope(actor, query.areaCode)) throw notFound('区划', 'Area');
    conds.push(sql`${villageIndicators.areaCode} LIKE ${`${scopePrefix(query.areaCode)}%`}`);
  }
  const rows = await db.select().from(villageIndicators).where(and(...conds)).orderBy(asc(villageIndicators.areaCode)).limit(5000);
  const names = await loadAreaNames(db, rows.map((r) => r.areaCode));
  return rows.map((r) => indicatorDto(r, names.get(r.areaCode)!));
}

// ---------------------------------------------------------------------------------------------
// The workflow

/** The county's reference of a year (all its villages' indicators, whatever the actor's scope). */
async function countyReference(db: DbOrTx, areaCode: string, year: number) {
  const rows = await db
    .select()
    .from(villageIndicators)
    .where(and(sql`${villageIndicators.areaCode} LIKE ${`${scopePrefix(countyOf(areaCode))}%`}`, eq(villageIndicators.year, year)));
  return { rows: new Map(rows.map((r) => [r.areaCode, r])), reference: regionReference(rows) };
}

function nextActions(actor: Actor, state: VillageState): VillageAction[] {
  return villageActionsFrom(state).filter((a) => VILLAGE_STEPS.some((s) => s.action === a && s.from === state && roleHolds(actor, IDENTIFICATION[s.permission])));
}

async function identDtos(db: DbOrTx, actor: Actor, rows: IdentRow[]): Promise<VillageIdentificationDto[]> {
  const names = await loadAreaNames(db, rows.map((r) => r.areaCode));
  const refs = new Map<string, Awaited<ReturnType<typeof countyReference>>>();
  const out: VillageIdentificationDto[] = [];
  for (const r of rows) {
    const key = `${countyOf(r.areaCode)}:${r.year}`;
    let ref = refs.get(key);
    if (!ref) refs.set(key, (ref = await countyReference(db, r.areaCode, r.year)));
    const ind = ref.rows.get(r.areaCode) ?? null;
    const n = names.get(r.areaCode)!;
    out.push({
      id: r.id,
      areaCode: r.areaCode,
      villageName: n.name,
      townshipName: n.township,
      year: r.year,
      relative: r.relative,
      state: r.state as VillageState,
      steps: r.steps as StepEntry[],
      endReason: r.endReason,
      version: r.version,
      indicators: ind ? indicatorDto(ind, n) : null,
      advice: villageAdvice(ind ?? { perCapitaNetIncome: null, registeredPopulation: null, poorPopulation: null }, ref.reference),
      nextActions: nextActions(actor, r.state as VillageState),
    });
  }
  return out;
}

function stepEntry(actor: Actor, action: string, from: string | null, to: string, input: { onDate?: string | undefined; responsiblePerson: string; note?: string | undefined }): StepEntry {
  return {
    action,
    from,
    to,
    onDate: checkedDate(input.onDate),
    responsiblePerson: input.responsiblePerson.trim(),
    note: input.note?.trim() || null,
    actorName: actor.displayName || actor.username,
    at: new Date().toISOString(),
  };
}

/**
 * The village applies to be identified as poor for a year (村申请). One identification per village
 * and year.
 * @throws AppError FORBIDDEN, NOT_FOUND (village outside scope), VALIDATION_FAILED (not a current
 *   village, date after today), CONFLICT (the village already applied for that year)
 */
export async function applyVillageIdentification(db: Db, actor: Actor, input: VillageApplyInput): Promise<VillageIdentificationDto> {
  authorize(actor, IDENTIFICATION['identification.village-apply'], { areaCode: input.areaCode, label: VILLAGE_LABEL });
  const area = await checkVillage(db, input.areaCode);
  const step = stepEntry(actor, 'apply', null, 'applied', input);
  try {
    const row = await db.transaction(async (tx) => {
      const [dup] = await tx.select({ id: villageIdentifications.id }).from(villageIdentifications).where(and(eq(villageIdentifications.areaCode, input.areaCode), eq(villageIdentifications.year, input.year)));
      if (dup) throw new AppError('CONFLICT', `${area.name} ${input.year} 年已提出贫困村识别申请`, `${area.name} has already applied for ${input.year}`);
      const [r] = await tx
        .insert(villageIdentifications)
        .values({ areaCode: input.areaCode, year: input.year, relative: input.relative ?? false, state: 'applied', steps: [step] })
        .returning();
      await recordAudit(tx, actor, { action: IDENTIFICATION['identification.village-apply'], targetType: 'villageIdentification', targetId: r!.id, areaCode: input.areaCode, after: { year: input.year, relative: r!.relative, state: 'applied', step } });
      return r!;
    });
    return (await identDtos(db, actor, [row]))[0]!;
  } catch (e) {
    if (pgErrorCode(e) === '23505') throw new AppError('CONFLICT', `${area.name} ${input.year} 年已提出贫困村识别申请`, `${area.name} has already applied for ${input.year}`);
    throw e;
  }
}

interface StepInput {
  version: number;
  onDate?: string | undefined;
  responsiblePerson: string;
  note?: string | undefined;
}

/** One step: load (locked, in scope) → transition table → permission of the step → version → write → audit. */
async function takeStep(db: Db, actor: Actor, id: string, action: VillageAction, input: StepInput & { reason?: string | undefined }, extra?: (tx: DbOrTx, r: IdentRow) => Promise<unknown>): Promise<VillageIdentificationDto> {
  const row = await db.transaction(async (tx) => {
    const [r] = await tx.select().from(villageIdentifications).where(eq(villageIdentifications.id, id)).for('update');
    if (!r) throw notFound(IDENT_LABEL.zh, IDENT_LABEL.en);
    authorize(actor, IDENTIFICATION['identification.read'], { areaCode: r.areaCode, label: IDENT_LABEL });
    const t = checkVillageTransition(r.state as VillageState, action, { reason: input.reason });
    if (!t.ok) {
      throw new AppError(t.code, t.message, t.messageEn, t.code === 'REASON_REQUIRED' ? { issues: [{ path: ['reason'], message: t.message, messageEn: t.messageEn }] } : { state: r.state, action });
    }
    authorize(actor, IDENTIFICATION[t.permission]);
    if (r.version !== input.version) {
      throw new AppError('STALE_EDIT', '该村的识别已被他人处理，请刷新后再试', 'Someone else acted on this identification since you opened it; reload and try again', { currentVersion: r.version, state: r.state });
    }
    const step = stepEntry(actor, action, r.state, t.to, { ...input, note: input.reason ? [input.reason, input.note].filter(Boolean).join('；') : input.note });
    const extraResult = extra ? await extra(tx, r) : undefined;
    const [after] = await tx
      .update(villageIdentifications)
      .set({
        state: t.to,
        steps: sql`${villageIdentifications.steps} || ${JSON.stringify([step])}::jsonb`,
        endReason: action === 'reject' ? input.reason!.trim() : r.endReason,
        version: r.version + 1,
        updatedAt: new Date(),
      })
      .where(eq(villageIdentifications.id, id))
      .returning();
    await recordAudit(tx, actor, {
      action: IDENTIFICATION[t.permission],
      targetType: 'villageIdentification',
      targetId: id,
      areaCode: r.areaCode,
      before: { state: r.state },
      after: { state: t.to, step, ...(extraResult ? { designation: extraResult } : {}) },
    });
    return after!;
  });
  return (await identDtos(db, actor, [row]))[0]!;
}

/**
 * 乡初审: the township reviews the village's application.
 * @throws AppError NOT_FOUND, FORBIDDEN, STEP_NOT_ALLOWED, PROCEDURE_ENDED, STALE_EDIT, VALIDATION_FAILED (date)
 */
export function reviewVillageTownship(db: Db, actor: Actor, id: string, input: StepInput): Promise<VillageIdentificationDto> {
  return takeStep(db, actor, id, 'reviewTownship', input);
}

/**
 * 县审核: the county designates the village as poor for the year (省定 / 市定 / 县定), writing the areas
 * module's designation (designatePoorVillage) in the same transaction.
 * @throws AppError NOT_FOUND, FORBIDDEN, STEP_NOT_ALLOWED (before the township review), PROCEDURE_ENDED, STALE_EDIT
 */
export function designateVillage(db: Db, actor: Actor, id: string, input: StepInput & { kind?: 'provincial' | 'city' | 'county' | undefined }): Promise<VillageIdentificationDto> {
  return takeStep(db, actor, id, 'designate', input, (tx, r) =>
    designatePoorVillage(tx as Db, actor, r.areaCode, { year: r.year, kind: input.kind ?? 'provincial', relative: r.relative, note: input.note?.trim() || undefined }),
  );
}

/**
 * 不予认定: rejected with a reason, at the township review (from applied; township level) or at the
 * county review (from townshipReviewed; county level).
 * @throws AppError NOT_FOUND, FORBIDDEN (a township rejecting after its own review), REASON_REQUIRED,
 *   PROCEDURE_ENDED, STALE_EDIT
 */
export function rejectVillage(db: Db, actor: Actor, id: string, input: StepInput & { reason: string }): Promise<VillageIdentificationDto> {
  return takeStep(db, actor, id, 'reject', input);
}

/** One identification with its steps, indicators and advice. @throws AppError NOT_FOUND */
export async function getVillageIdentification(db: DbOrTx, actor: Actor, id: string): Promise<VillageIdentificationDto> {
  const [r] = await db.select().from(villageIdentifications).where(eq(villageIdentifications.id, id));
  if (!r) throw notFound(IDENT_LABEL.zh, IDENT_LABEL.en);
  authorize(actor, IDENTIFICATION['identification.read'], { areaCode: r.areaCode, label: IDENT_LABEL });
  return (await identDtos(db, actor, [r]))[0]!;
}

/** The identifications of the actor's scope, narrowed by area, year and state, in code order. @throws AppError NOT_FOUND (area outside scope) */
export async function findVillageIdentifications(db: DbOrTx, actor: Actor, query: { areaCode?: string | undefined; year?: number | undefined; state?: VillageState | undefined }): Promise<VillageIdentificationDto[]> {
  authorize(actor, IDENTIFICATION['identification.read']);
  const conds: SQL[] = [sql`${villageIdentifications.areaCode} LIKE ${scopePattern(actor)}`];
  if (query.areaCode) {
    if (!inScope(actor, query.areaCode)) throw notFound('区划', 'Area');
    conds.push(sql`${villageIdentifications.areaCode} LIKE ${`${scopePrefix(query.areaCode)}%`}`);
  }
  if (query.year) conds.push(eq(villageIdentifications.year, query.year));
  if (query.state) conds.push(eq(villageIdentifications.state, query.state));
  const rows = await db.select().from(villageIdentifications).where(and(...conds)).orderBy(asc(villageIdentifications.year), asc(villageIdentifications.areaCode)).limit(2000);
  return identDtos(db, actor, rows);
}

// ---------------------------------------------------------------------------------------------
// Demo

/**
 * Demo: indicators of `year` for the first villages of each township of the county (figures derived
 * from the registry where it has households, else from the village's position), and identifications
 * at every state: applied, township-reviewed, designated (with its designation) and rejected at each
 * review. Villages that already have indicators are left alone; identifications are seeded once per county and year.
 * @returns how many indicator rows and identifications were written, by state
 */
export async function seedVillageIdentificationDemo(db: Db, countyCode: string, year: number): Promise<{ indicators: number; identifications: Record<VillageState, number> }> {
  const actor: Actor = { ...SYSTEM_ACTOR, displayName: '演示数据生成' };
  const villages = rowsOf<{ code: string; township: string }>(
    await db.execute(sql`SELECT code, parent_code AS township FROM areas WHERE level = 'village' AND valid_to IS NULL AND code LIKE ${`${scopePrefix(countyCode)}%`} ORDER BY code`),
  );
  // Up to three villages of each township, so the county reference spreads over the county.
  const perTownship = new Map<string, number>();
  const chosen = villages.filter((v) => {
    const n = perTownship.get(v.township) ?? 0;
    perTownship.set(v.township, n + 1);
    return n < 3;
  });
  let indicators = 0;
  for (const [i, v] of chosen.entries()) {
    const [has] = await db.select({ a: villageIndicators.areaCode }).from(villageIndicators).where(and(eq(villageIndicators.areaCode, v.code), eq(villageIndicators.year, year)));
    if (has) continue;
    const reg = (await getVillageIndicators(db, actor, v.code, year)).registry;
    // A spread of villages: every fifth one poorer (high incidence, low income).
    const poorer = i % 5 === 2;
    const registered = reg.persons > 0 ? Math.max(reg.persons, 600 + ((i * 137) % 1400)) : 600 + ((i * 137) % 1400);
    const poor = reg.persons > 0 && reg.poorPersons > 0 ? Math.min(registered, reg.poorPersons) : Math.round(registered * (poorer ? 0.12 : 0.02 + ((i * 7) % 5) / 100));
    await upsertVillageIndicators(db, actor, v.code, year, {
      perCapitaNetIncome: poorer ? 3200 + ((i * 53) % 600) : 7500 + ((i * 391) % 6000),
      registeredPopulation: registered,
      poorPopulation: poor,
      hardenedRoad: !poorer,
      safeWater: i % 4 !== 1,
      power: true,
      broadband: i % 3 !== 0,
      clinic: !poorer || i % 2 === 0,
      collectiveIncome: poorer ? 0 : 20000 + ((i * 1733) % 80000),
    });
    indicators++;
  }
  const counts: Record<VillageState, number> = { applied: 0, townshipReviewed: 0, designated: 0, rejected: 0 };
  const existing = new Set(
    (await db.select({ a: villageIdentifications.areaCode }).from(villageIdentifications).where(and(sql`${villageIdentifications.areaCode} LIKE ${`${scopePrefix(countyCode)}%`}`, eq(villageIdentifications.year, year)))).map((r) => r.a),
  );
  // Identifications only once per county and year (a rerun of the demo adds none).
  const free = existing.size > 0 ? [] : chosen;
  const plan: { to: VillageState | 'rejectedAtCounty' }[] = [{ to: 'designated' }, { to: 'designated' }, { to: 'townshipReviewed' }, { to: 'applied' }, { to: 'applied' }, { to: 'rejected' }, { to: 'rejectedAtCounty' }];
  const today = checkedDate(undefined);
  const date = (d: number) => {
    const t = new Date(`${today}T00:00:00Z`);
    t.setUTCDate(t.getUTCDate() - d);
    return t.toISOString().slice(0, 10);
  };
  for (const [i, p] of plan.entries()) {
    const v = free[i * 2];
    if (!v) break;
    let r = await applyVillageIdentification(db, actor, { areaCode: v.code, year, relative: year > 2020, onDate: date(30), responsiblePerson: '演示·村支书', note: '村民代表大会通过，申请认定为贫困村（演示）' });
    if (p.to === 'rejected') {
      await rejectVillage(db, actor, r.id, { version: r.version, onDate: date(20), responsiblePerson: '演示·乡镇扶贫专干', reason: '贫困发生率和人均纯收入均接近全县平均，不符合一高一低（演示）' });
      counts.rejected++;
      continue;
    }
    if (p.to === 'applied') {
      counts.applied++;
      continue;
    }
    r = await reviewVillageTownship(db, actor, r.id, { version: r.version, onDate: date(20), responsiblePerson: '演示·乡镇扶贫专干', note: '经入村核查，指标属实（演示）' });
    if (p.to === 'townshipReviewed') {
      counts.townshipReviewed++;
      continue;
    }
    if (p.to === 'rejectedAtCounty') {
      await rejectVillage(db, actor, r.id, { version: r.version, onDate: date(10), responsiblePerson: '演示·县扶贫办', reason: '全县贫困村名额已满，列入下年度（演示）' });
      counts.rejected++;
      continue;
    }
    await designateVillage(db, actor, r.id, { version: r.version, onDate: date(10), responsiblePerson: '演示·县扶贫办', note: '县扶贫开发领导小组审定（演示）', kind: 'provincial' });
    counts.designated++;
  }
  return { indicators, identifications: counts };
}

