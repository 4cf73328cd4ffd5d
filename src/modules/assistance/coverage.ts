/**
 * Policy coverage (应享尽享) per household and per area, with drill-down to the households with gaps.
 *
 * The rules are rules.ts `householdCoverage` (one household, its active members and its measures, on
 * a date). The figures are counted in the database by the same rules written as one aggregate query
 * (coverageSql), grouped by child area, so nothing but the totals leaves the database; the gap list's
 * page is chosen there too and its households' missing members are named by the rules. The rules
 * engine (options.engine 'rules': households in batches of COVERAGE_BATCH in 户编号 order, each
 * batch's members and measures loaded for those households only) is the reference the tests hold the
 * SQL to. The figures are scoped like every household list (householdScope: the area scope, and a
 * helper's own current households only).
 */
import { and, asc, eq, gt, inArray, like, lte, sql } from 'drizzle-orm';
import { ancestorCodesOf, AREA_LEVELS, LEVEL_DIGITS, levelOfCode, scopePrefix, type AreaLevel } from '../../shared/area-code.ts';
import { notFound } from '../../shared/errors.ts';
import { offsetOf, type Page } from '../../shared/paging.ts';
import { authorize, type Actor } from '../../platform/auth.ts';
import { pgTextArray, rowsOf, type DbOrTx } from '../../platform/db.ts';
import { findChildAreas, loadArea, loadAreaNames } from '../areas/index.ts';
import { todayCst } from '../households/index.ts';
import { households, members } from '../households/schema.ts';
import { householdScope, loadHouseholdFor } from './access.ts';
import { EDUCATION_SUBSIDY_TYPES } from './codes.ts';
import { coverageGapQuery, coverageQuery, householdCoverageQuery, type CoverageAreaDto, type CoverageGapDto, type CoverageGapQuery, type CoverageQuery, type CoverageSummaryDto, type HouseholdCoverageDto } from './coverage-contract.ts';
import { ASSISTANCE } from './permissions.ts';
import { ABLE_TO_WORK_VALUES, addDays, ASSISTED_HOUSEHOLD_TYPES, COVERAGE_INDICATORS, householdCoverage, IN_SCHOOL_VALUES, NO_LABOUR_VALUES, schoolYearStart, type CoverageIndicator, type CoverageMeasure, type CoverageMember, type CoverageResult } from './rules.ts';
import { assistanceMeasures } from './schema.ts';

/** Households read per batch (and members and measures loaded for them only). */
export const COVERAGE_BATCH = 2000;

/**
 * How the figures are read. `engine`: 'sql' (default) counts in the database with the same rules
 * written as one aggregate query (coverageSql); 'rules' reads the households in batches of
 * `batchSize` (default COVERAGE_BATCH) and applies rules.ts `householdCoverage` — the reference the
 * tests hold the SQL to.
 */
export interface CoverageReadOptions {
  batchSize?: number;
  engine?: 'sql' | 'rules';
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

/**
 * rules.ts `householdCoverage` as SQL, one row per assisted household below `prefix` that the actor
 * may see: `id, household_no, area_code, s1, r1 … s5, r5` (should / receives of COVERAGE_INDICATORS in
 * order). Kept equal to the rules by coverage.db.test.ts ("the SQL counts what the rules count").
 * The members are the active, living ones; "recent" measures are those dated in the 365 days up to
 * `asOf` (after asOf − 365, up to asOf).
 */
function coverageSql(actor: Actor, prefix: string, asOf: string) {
  const start = schoolYearStart(asOf);
  const year = Number(start.slice(0, 4));
  const sixBy = `${year - 6}${start.slice(4)}`;
  const sixteenBy = `${year - 16}${start.slice(4)}`;
  const yearAgo = addDays(asOf, -365);
  const list = (xs: readonly string[]) => sql.join(xs.map((x) => sql`${x}`), sql`, `);
  // The households counted, repeated in each branch so that every join is with the base table (the
  // planner then estimates it from statistics; nothing is re-aggregated per household).
  const counted = sql`${households.active} AND ${households.householdType} IN (${list(ASSISTED_HOUSEHOLD_TYPES)})
    AND ${households.areaCode} LIKE ${`${prefix}%`} AND ${householdScope(actor)}`;
  // Set-based: rows per member (members, and measures naming members), grouped by member; then rows
  // per household (the household, its members' results, its household-level measures), grouped by
  // household. Only aggregations and joins to the base tables: linear in the households counted.
  return sql`
    SELECT hid AS id, household_no, area_code, s1, r1, s2, r2,
      eligible::int AS s3, (eligible AND (attr_backed OR backed_member OR measure_backed))::int AS r3,
      dangerous::int AS s4, (dangerous AND (housed OR measure_housed))::int AS r4, s5, r5
    FROM (
      SELECT hid, max(household_no) AS household_no, max(area_code) AS area_code,
        sum(s1)::int AS s1, sum(r1)::int AS r1, sum(s2)::int AS s2, sum(r2)::int AS r2, sum(s5)::int AS s5, sum(r5)::int AS r5,
        (NOT bool_or(able) AND bool_or(no_labour)) AS eligible,
        bool_or(attr_backed) AS attr_backed, bool_or(backed_member) AS backed_member, bool_or(measure_backed) AS measure_backed,
        bool_or(dangerous) AS dangerous, bool_or(housed) AS housed, bool_or(measure_housed) AS measure_housed
      FROM (
        SELECT ${households.id} AS hid, ${households.householdNo} AS household_no, ${households.areaCode} AS area_code, true AS is_household,
          coalesce(${households.povertyAttribute} IN ('minimumLiving', 'extremeHardship'), false) AS attr_backed,
          coalesce(${households.housingDangerGrade} IN ('C', 'D'), false) AS dangerous,
          (${households.housingRenovated} OR ${households.relocated}) AS housed,
          0 AS s1, 0 AS r1, 0 AS s2, 0 AS r2, 0 AS s5, 0 AS r5,
          false AS able, false AS no_labour, false AS backed_member, false AS measure_backed, false AS measure_housed
        FROM ${households} WHERE ${counted}
        UNION ALL
        SELECT pm.hid, NULL::text, NULL::text, false, false, false, false,
          pm.school_age::int, (pm.school_age AND pm.in_school)::int, 1, (pm.insured OR pm.premium)::int, pm.student::int, (pm.student AND pm.subsidised)::int,
          pm.able, pm.no_labour, pm.backed_member, false, false
        FROM (
          SELECT hid, mid, bool_or(is_member) AS is_member, bool_or(school_age) AS school_age, bool_or(in_school) AS in_school, bool_or(insured) AS insured,
            bool_or(student) AS student, bool_or(able) AS able, bool_or(no_labour) AS no_labour, bool_or(backed_member) AS backed_member,
            bool_or(premium) AS premium, bool_or(subsidised) AS subsidised
          FROM (
            SELECT m.household_id AS hid, m.id AS mid, true AS is_member,
              (m.birth_date <= ${sixBy}::date AND m.birth_date > ${sixteenBy}::date) AS school_age,
              coalesce(m.schooling IN (${list(IN_SCHOOL_VALUES)}), false) AS in_school,
              m.medical_insurance AS insured,
              (m.schooling IS NOT NULL AND m.schooling <> 'notInSchool') AS student,
              coalesce(m.labour_ability IN (${list(ABLE_TO_WORK_VALUES)}), false) AS able,
              coalesce(m.labour_ability IN (${list(NO_LABOUR_VALUES)}), false) AS no_labour,
              (m.minimum_living OR m.extreme_hardship) AS backed_member,
              false AS premium, false AS subsidised
            FROM members m JOIN ${households} ON ${households.id} = m.household_id
            WHERE m.status = 'active' AND m.alive AND ${counted}
            UNION ALL
            SELECT a.household_id, u.mid, false, false, false, false, false, false, false, false,
              a.type = 'medicalPremium', a.type IN (${list(EDUCATION_SUBSIDY_TYPES)})
            FROM assistance_measures a JOIN ${households} ON ${households.id} = a.household_id
              CROSS JOIN LATERAL unnest(a.member_ids) AS u(mid)
            WHERE a.type IN ('medicalPremium', ${list(EDUCATION_SUBSIDY_TYPES)}) AND a.on_date > ${yearAgo}::date AND a.on_date <= ${asOf}::date AND ${counted}
          ) r
          GROUP BY hid, mid
          HAVING bool_or(is_member)
        ) pm
        UNION ALL
        SELECT a.household_id, NULL::text, NULL::text, false, false, false, false, 0, 0, 0, 0, 0, 0, false, false, false,
          (a.type IN ('minimumLiving', 'extremeHardship') AND a.on_date > ${yearAgo}::date),
          a.type IN ('housingRenovation', 'relocation')
        FROM assistance_measures a JOIN ${households} ON ${households.id} = a.household_id
        WHERE a.type IN ('minimumLiving', 'extremeHardship', 'housingRenovation', 'relocation') AND a.on_date <= ${asOf}::date AND ${counted}
      ) u
      GROUP BY hid
      HAVING bool_or(is_household)
    ) x`;
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
  if ((options.engine ?? 'sql') === 'sql') {
    // One aggregate per child area; the area's figures are their sum (every household lies in one).
    const rows = rowsOf<{ p: string; households: number } & Record<string, number>>(
      await db.execute(sql`WITH c AS (${coverageSql(actor, area.prefix, asOf)})
        SELECT substring(area_code FROM 1 FOR ${childDigits}) AS p, count(*)::int AS households,
          ${sql.raw(
            [1, 2, 3, 4, 5]
              .map((i) => `sum(s${i})::int AS s${i}, sum(r${i})::int AS r${i}, count(*) FILTER (WHERE r${i} < s${i})::int AS g${i}`)
              .join(', '),
          )}
        FROM c GROUP BY 1`),
    );
    for (const r of rows) {
      for (const t of [total, byChild.get(r.p)]) {
        if (!t) continue;
        t.households += Number(r.households);
        INDICATORS.forEach((_, i) => {
          t.should[i]! += Number(r[`s${i + 1}`]);
          t.receives[i]! += Number(r[`r${i + 1}`]);
          t.gapHouseholds[i]! += Number(r[`g${i + 1}`]);
        });
      }
    }
  } else {
    for await (const batch of coverageBatches(db, actor, area.prefix, asOf, options.batchSize ?? COVERAGE_BATCH)) {
      for (const { household, results } of batch) {
        add(total, results);
        const child = byChild.get(household.areaCode.slice(0, childDigits));
        if (child) add(child, results);
      }
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
  if ((options.engine ?? 'sql') === 'sql') {
    // The database finds the page's households; the rules name the members missing it.
    const n = index + 1;
    const rows = rowsOf<{ id: string; total: number }>(
      await db.execute(sql`WITH c AS (${coverageSql(actor, area.prefix, asOf)})
        SELECT id, count(*) OVER ()::int AS total FROM c WHERE ${sql.raw(`r${n} < s${n}`)}
        ORDER BY household_no LIMIT ${q.pageSize} OFFSET ${from}`),
    );
    if (rows.length > 0) {
      total = Number(rows[0]!.total);
    } else if (from > 0) {
      const [c] = rowsOf<{ total: number }>(await db.execute(sql`WITH c AS (${coverageSql(actor, area.prefix, asOf)}) SELECT count(*)::int AS total FROM c WHERE ${sql.raw(`r${n} < s${n}`)}`));
      total = Number(c?.total ?? 0);
    }
    const ids = rows.map((r) => r.id);
    if (ids.length > 0) {
      const hs = await db.select(householdColumns).from(households).where(inArray(households.id, ids));
      const facts = await loadFacts(db, ids, asOf);
      const byId = new Map(hs.map((h) => [h.id, h]));
      for (const id of ids) {
        const household = byId.get(id)!;
        page.push({ household, result: coverageOf(household, facts, asOf)[index]! });
      }
    }
  } else {
    for await (const batch of coverageBatches(db, actor, area.prefix, asOf, options.batchSize ?? COVERAGE_BATCH)) {
      for (const { household, results } of batch) {
        const result = results[index]!;
        if (result.receives >= result.should) continue;
        if (total >= from && total < to) page.push({ household, result });
        total += 1;
      }
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
