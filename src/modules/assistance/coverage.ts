/**
 * Policy coverage (应享尽享) per household and per area, with drill-down to the households with gaps.
 *
 * The rules are rules.ts `householdCoverage` (one household, its active members and its measures, on
 * a date); this file loads the facts and adds them up. Assisted households (ASSISTED_HOUSEHOLD_TYPES,
 * current) below the area are read in batches of COVERAGE_BATCH in 户编号 order (keyset on the
 * unique household_no), and each batch's members and coverage-relevant measures are loaded for those
 * households only, so a county of 10^5 households never sits in memory at once: one batch is about
 * 2,000 households + ~7,000 members + their measures, a few MB. The figures are scoped like every
 * household list (householdScope: the area scope, and a helper's own current households only).
 */
import { and, asc, eq, gt, inArray, like, lte, sql } from 'drizzle-orm';
import { ancestorCodesOf, AREA_LEVELS, LEVEL_DIGITS, levelOfCode, scopePrefix, type AreaLevel } from '../../shared/area-code.ts';
import { notFound } from '../../shared/errors.ts';
import { offsetOf, type Page } from '../../shared/paging.ts';
import { authorize, type Actor } from '../../platform/auth.ts';
import { pgTextArray, type DbOrTx } from '../../platform/db.ts';
import { findChildAreas, loadArea, loadAreaNames } from '../areas/index.ts';
import { todayCst } from '../households/index.ts';
import { households, members } from '../households/schema.ts';
import { householdScope, loadHouseholdFor } from './access.ts';
import { EDUCATION_SUBSIDY_TYPES } from './codes.ts';
import { coverageGapQuery, coverageQuery, householdCoverageQuery, type CoverageAreaDto, type CoverageGapDto, type CoverageGapQuery, type CoverageQuery, type CoverageSummaryDto, type HouseholdCoverageDto } from './coverage-contract.ts';
import { ASSISTANCE } from './permissions.ts';
import { ASSISTED_HOUSEHOLD_TYPES, COVERAGE_INDICATORS, householdCoverage, type CoverageIndicator, type CoverageMeasure, type CoverageMember, type CoverageResult } from './rules.ts';
import { assistanceMeasures } from './schema.ts';

/** Households read per batch (and members and measures loaded for them only). */
export const COVERAGE_BATCH = 2000;

/** How the figures are read: `batchSize` households at a time (default COVERAGE_BATCH; tests use small ones). */
export interface CoverageReadOptions {
  batchSize?: number;
}

const AREA = { zh: '区域', en: 'Area' };
/** The measure types householdCoverage looks at; others are not loaded. */
const COVERAGE_MEASURE_TYPES = ['medicalPremium', ...EDUCATION_SUBSIDY_TYPES, 'minimumLiving', 'extremeHardship', 'housingRenovation', 'relocation'];
const INDICATORS = COVERAGE_INDICATORS.map((i) => i.id);

interface CoverageHouseholdRow {
  id: string;
  householdNo: string;
  headName: string;
  areaCode: string;
  householdType: string;
  povertyAttribute: string | null;
  housingDangerGrade: string | null;
  housingRenovated: boolean;
  relocated: boolean;
}

const householdColumns = {
  id: households.id,
  householdNo: households.householdNo,
  headName: households.headName,
  areaCode: households.areaCode,
  householdType: households.householdType,
  povertyAttribute: households.povertyAttribute,
  housingDangerGrade: households.housingDangerGrade,
  housingRenovated: households.housingRenovated,
  relocated: households.relocated,
};

/** Active members and coverage measures (up to `asOf`) of some households, grouped by household id. */
async function loadFacts(db: DbOrTx, ids: string[], asOf: string): Promise<{ membersOf: Map<string, CoverageMember[]>; measuresOf: Map<string, CoverageMeasure[]> }> {
  const membersOf = new Map<string, CoverageMember[]>();
  const measuresOf = new Map<string, CoverageMeasure[]>();
  if (ids.length === 0) return { membersOf, measuresOf };
  const memberRows = await db
    .select({
      householdId: members.householdId,
      id: members.id,
      name: members.name,
      birthDate: members.birthDate,
      alive: members.alive,
      schooling: members.schooling,
      labourAbility: members.labourAbility,
      medicalInsurance: members.medicalInsurance,
      minimumLiving: members.minimumLiving,
      extremeHardship: members.extremeHardship,
    })
    .from(members)
    .where(and(sql`${members.householdId} = ANY(${pgTextArray(ids)}::uuid[])`, eq(members.status, 'active')))
    .orderBy(asc(members.householdId), sql`${members.relationToHead} = 'head' DESC`, asc(members.birthDate), asc(members.createdAt));
  for (const { householdId, ...m } of memberRows) {
    const list = membersOf.get(householdId) ?? [];
    list.push(m);
    membersOf.set(householdId, list);
  }
  const measureRows = await db
    .select({ householdId: assistanceMeasures.householdId, type: assistanceMeasures.type, memberIds: assistanceMeasures.memberIds, onDate: assistanceMeasures.onDate })
    .from(assistanceMeasures)
    .where(and(sql`${assistanceMeasures.householdId} = ANY(${pgTextArray(ids)}::uuid[])`, inArray(assistanceMeasures.type, COVERAGE_MEASURE_TYPES), lte(assistanceMeasures.onDate, asOf)));
  for (const { householdId, ...m } of measureRows) {
    const list = measuresOf.get(householdId) ?? [];
    list.push(m);
    measuresOf.set(householdId, list);
  }
  return { membersOf, measuresOf };
}

function coverageOf(h: CoverageHouseholdRow, facts: Awaited<ReturnType<typeof loadFacts>>, asOf: string): CoverageResult[] {
  return householdCoverage({ ...h, members: facts.membersOf.get(h.id) ?? [], measures: facts.measuresOf.get(h.id) ?? [] }, asOf);
}

/**
 * The coverage of the assisted households below `prefix` that the actor may see, batch by batch
 * (COVERAGE_BATCH households in 户编号 order).
 */
async function* coverageBatches(db: DbOrTx, actor: Actor, prefix: string, asOf: string, batchSize: number): AsyncGenerator<{ household: CoverageHouseholdRow; results: CoverageResult[] }[]> {
  let after: string | null = null;
  for (;;) {
    const rows: CoverageHouseholdRow[] = await db
      .select(householdColumns)
      .from(households)
      .where(
        and(
          eq(households.active, true),
          inArray(households.householdType, [...ASSISTED_HOUSEHOLD_TYPES]),
          like(households.areaCode, `${prefix}%`),
          householdScope(actor),
          after === null ? undefined : gt(households.householdNo, after),
        ),
      )
      .orderBy(asc(households.householdNo))
      .limit(batchSize);
    if (rows.length === 0) return;
    const facts = await loadFacts(
      db,
      rows.map((r) => r.id),
      asOf,
    );
    yield rows.map((household) => ({ household, results: coverageOf(household, facts, asOf) }));
    if (rows.length < batchSize) return;
    after = rows[rows.length - 1]!.householdNo;
  }
}

interface ResolvedArea {
  code: string | null;
  /** What every area code below starts with ('' for the country). */
  prefix: string;
  level: AreaLevel | 'country';
  name: string;
  fullName: string;
  ancestors: { code: string; name: string; level: AreaLevel }[];
}

/**
 * The area asked for (default: the actor's own), checked against the actor's scope.
 * @throws AppError FORBIDDEN (role lacks assistance.read), NOT_FOUND (outside the scope, or no such area)
 */
async function resolveArea(db: DbOrTx, actor: Actor, areaCode: string | undefined): Promise<ResolvedArea> {
  authorize(actor, ASSISTANCE['assistance.read']);
  const code = areaCode ?? actor.areaCode;
  if (code === null) return { code: null, prefix: '', level: 'country', name: '全国', fullName: '', ancestors: [] };
  authorize(actor, ASSISTANCE['assistance.read'], { areaCode: code, label: AREA });
  const row = await loadArea(db, code);
  if (!row) throw notFound(AREA.zh, AREA.en);
  const above = ancestorCodesOf(code);
  const names = await loadAreaNames(db, [code, ...above]);
  return {
    code,
    prefix: scopePrefix(code),
    level: levelOfCode(code),
    name: row.name,
    fullName: names.get(code)?.full ?? row.name,
    ancestors: above.map((a) => ({ code: a, name: names.get(a)?.name ?? a, level: levelOfCode(a) })),
  };
}

interface Tally {
  households: number;
  should: number[];
  receives: number[];
  gapHouseholds: number[];
}
const emptyTally = (): Tally => ({ households: 0, should: INDICATORS.map(() => 0), receives: INDICATORS.map(() => 0), gapHouseholds: INDICATORS.map(() => 0) });

function add(t: Tally, results: CoverageResult[]): void {
  t.households += 1;
  results.forEach((r, i) => {
    t.should[i]! += r.should;
    t.receives[i]! += r.receives;
    if (r.receives < r.should) t.gapHouseholds[i]! += 1;
  });
}

function figures(t: Tally): CoverageAreaDto['indicators'] {
  return INDICATORS.map((indicator, i) => ({
    indicator,
    should: t.should[i]!,
    receives: t.receives[i]!,
    rate: t.should[i]! === 0 ? null : t.receives[i]! / t.should[i]!,
    gapHouseholds: t.gapHouseholds[i]!,
  }));
}

/**
 * Coverage of an area on a date: per indicator, how many should receive it (persons or households),
 * how many do, the rate and the households with a gap — for the area and for each child area
 * (townships of a county, villages of a township; none for a village), for drill-down. A helper
 * (role helper) counts only the households currently assigned to them.
 * @param query areaCode (12 digits; default the actor's area), asOf (YYYY-MM-DD; default today, China time)
 * @throws AppError FORBIDDEN, NOT_FOUND (area outside the scope or unknown), VALIDATION_FAILED
 */
export async function getCoverage(db: DbOrTx, actor: Actor, query: CoverageQuery = {}, options: CoverageReadOptions = {}): Promise<CoverageSummaryDto> {
  const q = coverageQuery.parse(query);
  const area = await resolveArea(db, actor, q.areaCode);
  const asOf = q.asOf ?? todayCst();
  const childAreas = area.level === 'village' ? [] : await findChildAreas(db, actor, area.code);
  const childLevel = area.level === 'country' ? 'province' : AREA_LEVELS[AREA_LEVELS.indexOf(area.level) + 1];
  const childDigits = childLevel ? LEVEL_DIGITS[childLevel] : 12;
  const total = emptyTally();
  const byChild = new Map(childAreas.map((c) => [scopePrefix(c.code), emptyTally()]));
  for await (const batch of coverageBatches(db, actor, area.prefix, asOf, options.batchSize ?? COVERAGE_BATCH)) {
    for (const { household, results } of batch) {
      add(total, results);
      const child = byChild.get(household.areaCode.slice(0, childDigits));
      if (child) add(child, results);
    }
  }
  return {
    areaCode: area.code,
    name: area.name,
    fullName: area.fullName,
    ancestors: area.ancestors,
    level: area.level,
    asOf,
    households: total.households,
    indicators: figures(total),
    children: childAreas.map((c) => {
      const t = byChild.get(scopePrefix(c.code))!;
      return { areaCode: c.code, name: c.name, level: c.level, households: t.households, indicators: figures(t) };
    }),
    ownHouseholdsOnly: actor.role === 'helper',
  };
}

/**
 * The households of an area with a gap in one indicator on a date, in 户编号 order, a page at a
 * time, each with the members missing it (person indicators). Only the page's households are kept
 * while the batches are read.
 * @throws AppError FORBIDDEN, NOT_FOUND (area outside the scope or unknown), VALIDATION_FAILED (indicator, page)
 */
export async function findCoverageGaps(db: DbOrTx, actor: Actor, query: CoverageGapQuery, options: CoverageReadOptions = {}): Promise<Page<CoverageGapDto>> {
  const q = coverageGapQuery.parse(query);
  const area = await resolveArea(db, actor, q.areaCode);
  const asOf = q.asOf ?? todayCst();
  const index = INDICATORS.indexOf(q.indicator as CoverageIndicator);
  const from = offsetOf(q);
  const to = from + q.pageSize;
  let total = 0;
  const page: { household: CoverageHouseholdRow; result: CoverageResult }[] = [];
  for await (const batch of coverageBatches(db, actor, area.prefix, asOf, options.batchSize ?? COVERAGE_BATCH)) {
    for (const { household, results } of batch) {
      const result = results[index]!;
      if (result.receives >= result.should) continue;
      if (total >= from && total < to) page.push({ household, result });
      total += 1;
    }
  }
  const names = await loadAreaNames(db, [...new Set(page.map((p) => p.household.areaCode))]);
  return {
    items: page.map(({ household: h, result }) => ({
      householdId: h.id,
      householdNo: h.householdNo,
      headName: h.headName,
      villageCode: h.areaCode,
      villageName: names.get(h.areaCode)?.name ?? '',
      townshipName: names.get(h.areaCode)?.township ?? '',
      householdType: h.householdType,
      should: result.should,
      receives: result.receives,
      missing: result.gaps,
    })),
    total,
    page: q.page,
    pageSize: q.pageSize,
  };
}

/**
 * One household's coverage on a date (any household the actor may see, assisted or not), with the
 * members missing each indicator.
 * @throws AppError FORBIDDEN, NOT_FOUND (no such household, outside the scope, or a helper's household assigned to someone else)
 */
export async function getHouseholdCoverage(db: DbOrTx, actor: Actor, householdId: string, query: { asOf?: string | undefined } = {}): Promise<HouseholdCoverageDto> {
  const q = householdCoverageQuery.parse(query);
  const h = await loadHouseholdFor(db, actor, householdId, ASSISTANCE['assistance.read']);
  const asOf = q.asOf ?? todayCst();
  const [row] = await db.select(householdColumns).from(households).where(eq(households.id, h.id));
  const facts = await loadFacts(db, [h.id], asOf);
  const results = coverageOf(row!, facts, asOf);
  return {
    householdId: h.id,
    asOf,
    assisted: h.active && (ASSISTED_HOUSEHOLD_TYPES as readonly string[]).includes(h.householdType),
    indicators: results.map((r) => ({ indicator: r.indicator, should: r.should, receives: r.receives, missing: r.gaps })),
  };
}
