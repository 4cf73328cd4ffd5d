/**
 * Verification sampling (校准复核 / 回头看): a reproducible random sample of a township's or a county's
 * households, the visits' findings, and the 错评率 / 漏评率 with their 95 % Wilson intervals.
 *
 * Each use case is one transaction: authorize → load → rules (sampling-rules.ts) → write → audit.
 * Source: REFERENCE.md §2.1 (the township checks at least 20 % of households, the county at least 10 %).
 */
import { randomInt } from 'node:crypto';
import { and, asc, count, eq, inArray, isNotNull, isNull, like, or, sql, type SQL } from 'drizzle-orm';
import { AppError, notFound } from '../../shared/errors.ts';
import { levelOfCode, scopePrefix } from '../../shared/area-code.ts';
import { maskPhone } from '../../shared/mask.ts';
import { offsetOf, type Page } from '../../shared/paging.ts';
import { authorize, scopePattern, SYSTEM_ACTOR, type Actor } from '../../platform/auth.ts';
import type { Db, DbOrTx } from '../../platform/db.ts';
import { loadArea, loadAreaNames } from '../areas/index.ts';
import { recordAudit } from '../audit/index.ts';
import { todayCst } from '../households/index.ts';
import { households } from '../households/schema.ts';
import { IDENTIFICATION } from './permissions.ts';
import { verificationFindings, verificationSamples } from './schema.ts';
import {
  computeRates,
  DEFAULT_NON_POOR_RATE,
  drawFrom,
  findingFits,
  MIN_POOR_RATE,
  NON_POOR_STRATUM,
  POOR_STRATUM,
  sampleSize,
  stratumSeed,
  type DrawSampleInput,
  type Finding,
  type RecordFindingInput,
  type SampleDetailDto,
  type SampleDto,
  type SampleHouseholdDto,
  type SampleLevel,
  type Stratum,
} from './sampling-rules.ts';

const SAMPLE = { zh: '抽样复核', en: 'Verification sample' };
const AREA = { zh: '区域', en: 'Area' };
const SAMPLED_HOUSEHOLD = { zh: '样本农户', en: 'Sampled household' };

function invalid(path: (string | number)[], message: string, messageEn: string): AppError {
  return new AppError('VALIDATION_FAILED', `输入有误：${message}`, `Invalid input: ${messageEn}`, { issues: [{ path, message, messageEn }] });
}

type SampleRow = typeof verificationSamples.$inferSelect;

async function toSampleDtos(db: DbOrTx, rows: SampleRow[]): Promise<SampleDto[]> {
  if (rows.length === 0) return [];
  const names = await loadAreaNames(db, rows.map((r) => r.areaCode));
  const findings = await db
    .select({ sampleId: verificationFindings.sampleId, stratum: verificationFindings.stratum, finding: verificationFindings.finding })
    .from(verificationFindings)
    .where(inArray(verificationFindings.sampleId, rows.map((r) => r.id)));
  const bySample = new Map<string, { stratum: Stratum; finding: Finding | null }[]>();
  for (const f of findings) {
    const list = bySample.get(f.sampleId) ?? [];
    list.push({ stratum: f.stratum as Stratum, finding: f.finding as Finding | null });
    bySample.set(f.sampleId, list);
  }
  return rows.map((r) => {
    const rates = computeRates(bySample.get(r.id) ?? []);
    return {
      id: r.id,
      areaCode: r.areaCode,
      areaName: names.get(r.areaCode)?.full ?? '',
      year: r.year,
      seed: r.seed,
      poorRate: r.poorRate,
      nonPoorRate: r.nonPoorRate,
      poorPopulation: r.poorPopulation,
      nonPoorPopulation: r.nonPoorPopulation,
      note: r.note,
      drawnAt: r.drawnAt.toISOString(),
      ...rates,
    };
  });
}

/** Active households of an area (code prefix) in each stratum, in 户编号 order: the sampling frames. */
async function selectFrames(db: DbOrTx, prefix: string): Promise<Record<Stratum, { id: string; areaCode: string }[]>> {
  const poor = and(inArray(households.householdType, [...POOR_STRATUM.householdTypes]), inArray(households.status, [...POOR_STRATUM.statuses]))!;
  const nonPoor = inArray(households.householdType, [...NON_POOR_STRATUM.householdTypes]);
  const rows = await db
    .select({ id: households.id, areaCode: households.areaCode, poor: sql<boolean>`${poor}` })
    .from(households)
    .where(and(like(households.areaCode, `${prefix}%`), eq(households.active, true), or(poor, nonPoor)))
    .orderBy(asc(households.householdNo));
  return { poor: rows.filter((r) => r.poor), nonPoor: rows.filter((r) => !r.poor) };
}

/**
 * Draws a verification sample of a township or a county for a year: from each stratum (poor: registered
 * or relatively poor households not out of poverty; non-poor: ordinary, marginal and monitored
 * households; both active, in 户编号 order) ceil(rate × households) households, by a partial
 * Fisher–Yates shuffle from the seed. The same seed over the same households gives the same sample.
 * @param input.poorRate share of the poor stratum; default and least 0.2 (township) or 0.1 (county)
 * @param input.nonPoorRate share of the non-poor stratum; default 0.05
 * @param input.seed 0–2147483647; chosen at random and stored when absent
 * @returns the sample with its (empty) rates
 * @throws AppError NOT_FOUND (area absent or outside scope), FORBIDDEN, VALIDATION_FAILED (['areaCode']: not a
 *   township or county; ['poorRate']: below the level's least share), CONFLICT (no household to draw from)
 */
export async function drawSample(db: Db, actor: Actor, input: DrawSampleInput): Promise<SampleDto> {
  authorize(actor, IDENTIFICATION['identification.sample'], { areaCode: input.areaCode, label: AREA });
  const area = await loadArea(db, input.areaCode);
  if (!area || area.validTo !== null) throw notFound(AREA.zh, AREA.en);
  const level = levelOfCode(input.areaCode);
  if (level !== 'township' && level !== 'county') {
    throw invalid(['areaCode'], '抽样复核按乡镇或县开展，请选择乡镇或县', 'a verification sample is drawn for a township or a county');
  }
  const min = MIN_POOR_RATE[level as SampleLevel];
  const poorRate = input.poorRate ?? min;
  const nonPoorRate = input.nonPoorRate ?? DEFAULT_NON_POOR_RATE;
  if (Math.round(poorRate * 10_000) < Math.round(min * 10_000)) {
    const zh = level === 'township' ? '乡镇' : '县';
    throw invalid(
      ['poorRate'],
      `${zh}抽查贫困户的比例不得低于 ${min * 100}%`,
      `a ${level} must check at least ${min * 100} % of its poor households`,
    );
  }
  const seed = input.seed ?? randomInt(0, 2_147_483_648);
  const sample = await db.transaction(async (tx) => {
    const frames = await selectFrames(tx, scopePrefix(input.areaCode));
    if (frames.poor.length + frames.nonPoor.length === 0) {
      throw new AppError('CONFLICT', '该区域没有可抽取的在册农户', 'The area has no registered households to draw from', { areaCode: input.areaCode });
    }
    const poor = drawFrom(frames.poor, sampleSize(poorRate, frames.poor.length), stratumSeed(seed, 'poor'));
    const nonPoor = drawFrom(frames.nonPoor, sampleSize(nonPoorRate, frames.nonPoor.length), stratumSeed(seed, 'nonPoor'));
    const [s] = await tx
      .insert(verificationSamples)
      .values({
        areaCode: input.areaCode,
        year: input.year,
        seed,
        poorRate,
        nonPoorRate,
        poorPopulation: frames.poor.length,
        nonPoorPopulation: frames.nonPoor.length,
        note: input.note ?? null,
        drawnBy: actor.id,
      })
      .returning();
    const rows = [
      ...poor.map((h, i) => ({ sampleId: s!.id, householdId: h.id, areaCode: h.areaCode, stratum: 'poor', position: i + 1 })),
      ...nonPoor.map((h, i) => ({ sampleId: s!.id, householdId: h.id, areaCode: h.areaCode, stratum: 'nonPoor', position: poor.length + i + 1 })),
    ];
    for (let i = 0; i < rows.length; i += 1000) await tx.insert(verificationFindings).values(rows.slice(i, i + 1000));
    await recordAudit(tx, actor, {
      action: IDENTIFICATION['identification.sample'],
      targetType: 'verificationSample',
      targetId: s!.id,
      areaCode: input.areaCode,
      after: { year: input.year, seed, poorRate, nonPoorRate, poorPopulation: frames.poor.length, nonPoorPopulation: frames.nonPoor.length, poorDrawn: poor.length, nonPoorDrawn: nonPoor.length },
    });
    return s!;
  });
  return (await toSampleDtos(db, [sample]))[0]!;
}

async function loadSample(db: DbOrTx, actor: Actor, id: string, action: string): Promise<SampleRow> {
  const [s] = await db.select().from(verificationSamples).where(eq(verificationSamples.id, id));
  if (!s) throw notFound(SAMPLE.zh, SAMPLE.en);
  authorize(actor, action, { areaCode: s.areaCode, label: SAMPLE });
  return s;
}

/**
 * Records (or corrects) a verification visit's finding on one sampled household: 'correct',
 * 'shouldExclude' (错评, poor stratum only) or 'missing' (漏评: a poor household not registered,
 * non-poor stratum only), with the visit date, the visitor and a note. Audited with before and after.
 * @throws AppError NOT_FOUND (sample or household not in it, or outside scope), FORBIDDEN,
 *   VALIDATION_FAILED (['finding'] not fitting the stratum; ['visitedOn'] in the future)
 */
export async function recordFinding(db: Db, actor: Actor, sampleId: string, householdId: string, input: RecordFindingInput): Promise<SampleHouseholdDto> {
  await db.transaction(async (tx) => {
    const s = await loadSample(tx, actor, sampleId, IDENTIFICATION['identification.sample']);
    const [row] = await tx
      .select()
      .from(verificationFindings)
      .where(and(eq(verificationFindings.sampleId, s.id), eq(verificationFindings.householdId, householdId)))
      .for('update');
    if (!row) throw notFound(SAMPLED_HOUSEHOLD.zh, SAMPLED_HOUSEHOLD.en);
    authorize(actor, IDENTIFICATION['identification.sample'], { areaCode: row.areaCode, label: SAMPLED_HOUSEHOLD });
    const stratum = row.stratum as Stratum;
    if (!findingFits(stratum, input.finding)) {
      throw stratum === 'poor'
        ? invalid(['finding'], '贫困户样本的结论应为“识别准确”或“应予清退（错评）”', 'a poor household is found correct or should be excluded (wrong inclusion)')
        : invalid(['finding'], '非贫困户样本的结论应为“识别准确”或“漏评（应识别未识别）”', 'a non-poor household is found correct or missing (wrong exclusion)');
    }
    if (input.visitedOn > todayCst()) throw invalid(['visitedOn'], '核查日期不能晚于今天', 'the visit date cannot be in the future');
    const after = { finding: input.finding, visitedOn: input.visitedOn, visitor: input.visitor, note: input.note ?? null };
    await tx
      .update(verificationFindings)
      .set({ ...after, recordedBy: actor.id, recordedAt: new Date() })
      .where(and(eq(verificationFindings.sampleId, s.id), eq(verificationFindings.householdId, householdId)));
    await recordAudit(tx, actor, {
      action: 'identification.sample-finding',
      targetType: 'verificationSample',
      targetId: s.id,
      areaCode: row.areaCode,
      before: row.finding === null ? undefined : { householdId, finding: row.finding, visitedOn: row.visitedOn, visitor: row.visitor, note: row.note },
      after: { householdId, ...after },
    });
  });
  const [item] = await selectSampleHouseholds(db, sampleId, [eq(verificationFindings.householdId, householdId)], 1, 0);
  return item!;
}

async function selectSampleHouseholds(db: DbOrTx, sampleId: string, filters: SQL[], limit: number, offset: number): Promise<SampleHouseholdDto[]> {
  const rows = await db
    .select({
      householdId: verificationFindings.householdId,
      householdNo: households.householdNo,
      headName: households.headName,
      areaCode: households.areaCode,
      groupName: households.groupName,
      householdType: households.householdType,
      status: households.status,
      memberCount: households.memberCount,
      phone: households.phone,
      stratum: verificationFindings.stratum,
      position: verificationFindings.position,
      finding: verificationFindings.finding,
      visitedOn: verificationFindings.visitedOn,
      visitor: verificationFindings.visitor,
      note: verificationFindings.note,
    })
    .from(verificationFindings)
    .innerJoin(households, eq(households.id, verificationFindings.householdId))
    .where(and(eq(verificationFindings.sampleId, sampleId), ...filters))
    .orderBy(asc(verificationFindings.position))
    .limit(limit)
    .offset(offset);
  const names = await loadAreaNames(db, [...new Set(rows.map((r) => r.areaCode))]);
  return rows.map((r) => ({
    ...r,
    villageName: names.get(r.areaCode)?.name ?? '',
    phone: maskPhone(r.phone),
    stratum: r.stratum as Stratum,
    finding: r.finding as Finding | null,
  }));
}

/**
 * One sample with its households (in draw order, paged; phones masked), and the 错评率 / 漏评率 with
 * their 95 % Wilson intervals over the households visited so far (the rates cover the whole sample).
 * @throws AppError NOT_FOUND (absent or outside scope)
 */
export async function getSample(
  db: Db,
  actor: Actor,
  id: string,
  query: { page: number; pageSize: number; stratum?: Stratum | undefined; visited?: boolean | undefined },
): Promise<SampleDetailDto> {
  const s = await loadSample(db, actor, id, IDENTIFICATION['identification.read']);
  const filters: SQL[] = [like(verificationFindings.areaCode, scopePattern(actor))];
  if (query.stratum) filters.push(eq(verificationFindings.stratum, query.stratum));
  if (query.visited !== undefined) filters.push(query.visited ? isNotNull(verificationFindings.finding) : isNull(verificationFindings.finding));
  const [items, [total]] = await Promise.all([
    selectSampleHouseholds(db, s.id, filters, query.pageSize, offsetOf(query)),
    db
      .select({ n: count() })
      .from(verificationFindings)
      .where(and(eq(verificationFindings.sampleId, s.id), ...filters)),
  ]);
  return { sample: (await toSampleDtos(db, [s]))[0]!, households: { items, total: total!.n, page: query.page, pageSize: query.pageSize } };
}

/**
 * Samples drawn for areas in the actor's scope, newest first, each with its rates.
 * @param query.areaCode only samples of this area and the areas inside it
 */
export async function findSamples(db: Db, actor: Actor, query: { page: number; pageSize: number; areaCode?: string | undefined; year?: number | undefined }): Promise<Page<SampleDto>> {
  authorize(actor, IDENTIFICATION['identification.read']);
  const filters: SQL[] = [like(verificationSamples.areaCode, scopePattern(actor))];
  if (query.areaCode) filters.push(like(verificationSamples.areaCode, `${scopePrefix(query.areaCode)}%`));
  if (query.year !== undefined) filters.push(eq(verificationSamples.year, query.year));
  const where = and(...filters);
  const [rows, [total]] = await Promise.all([
    db.select().from(verificationSamples).where(where).orderBy(sql`${verificationSamples.drawnAt} DESC`, asc(verificationSamples.id)).limit(query.pageSize).offset(offsetOf(query)),
    db.select({ n: count() }).from(verificationSamples).where(where),
  ]);
  return { items: await toSampleDtos(db, rows), total: total!.n, page: query.page, pageSize: query.pageSize };
}

/**
 * Demo: draws a sample of the township for the year (seed 20250101, the default rates) and records
 * findings for part of it — among the visited poor households one in eight should be excluded, among the
 * visited non-poor ones the first and then one in ten is a missed poor household — so that the page shows both rates.
 * Households are those of the registry (e.g. the households demo); pass the registry year.
 * @returns the sample as it stands after the findings
 */
export async function seedSamplingDemo(db: Db, townshipCode: string, year: number, actor: Actor = SYSTEM_ACTOR): Promise<SampleDto> {
  const s = await drawSample(db, actor, { areaCode: townshipCode, year, seed: 20250101, note: '演示：年度抽样复核' });
  const rows = await db
    .select({ householdId: verificationFindings.householdId, stratum: verificationFindings.stratum, position: verificationFindings.position })
    .from(verificationFindings)
    .where(eq(verificationFindings.sampleId, s.id))
    .orderBy(asc(verificationFindings.position));
  const visitedOn = `${year}-11-15` > todayCst() ? todayCst() : `${year}-11-15`;
  let poorSeen = 0;
  let nonPoorSeen = 0;
  for (const r of rows) {
    // About three in four of the drawn households visited so far.
    if (r.position % 4 === 0) continue;
    let finding: Finding = 'correct';
    if (r.stratum === 'poor' && ++poorSeen % 8 === 0) finding = 'shouldExclude';
    if (r.stratum === 'nonPoor' && ++nonPoorSeen % 10 === 1) finding = 'missing';
    await recordFinding(db, actor, s.id, r.householdId, {
      finding,
      visitedOn,
      visitor: '县扶贫办核查组',
      note: finding === 'shouldExclude' ? '家有商品房一套，收入超标' : finding === 'missing' ? '因病支出大，人均纯收入低于标准' : null,
    });
  }
  return (await getSample(db, actor, s.id, { page: 1, pageSize: 1 })).sample;
}
