/**
 * Data-quality checks (数据质量): counts of failing households per check for an area and its child
 * areas, and the failing households of one check, paged, with what is wrong. Read-only SQL over the
 * registry tables (households, members, household_incomes): every check is aggregated in the
 * database in one pass over the area's households and members (no per-household round trips).
 * The conditions are those of quality-rules.ts (QUALITY_CHECKS), which documents them.
 *
 * Reads are not audited: lists carry masked ID numbers only.
 */
import { sql, type SQL } from 'drizzle-orm';
import { authorize, inScope, scopePattern, type Actor } from '../../platform/auth.ts';
import { pgTextArray, rowsOf, type DbOrTx } from '../../platform/db.ts';
import { ancestorCodesOf, levelOfCode, LEVEL_DIGITS, scopePrefix, AREA_LEVELS, type AreaLevel } from '../../shared/area-code.ts';
import { notFound } from '../../shared/errors.ts';
import { maskIdNumber } from '../../shared/mask.ts';
import { offsetOf, type Page, type PageQuery } from '../../shared/paging.ts';
import { demoPovertyLine } from '../households/index.ts';
import { IDENTIFICATION } from './permissions.ts';
import {
  findingsOf,
  QUALITY_CHECK_CODES,
  type CheckCounts,
  type HouseholdFacts,
  type IdProblem,
  type MemberFacts,
  type QualityAreaCounts,
  type QualityCheckCode,
  type QualityHousehold,
  type QualityOverview,
} from './quality-rules.ts';

const AREA_LABEL = { zh: '区划', en: 'Area' };
const COUNTRY = { zh: '全国', en: 'Whole country' };

// ---------------------------------------------------------------------------------------------
// The SQL of the checks

/** ISO 7064 MOD 11-2 weights of positions 1–17 (GB 11643-1999 §8.2), as in src/shared/id-number.ts. */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
// Σ weight × (ascii − 48): ascii() is cheaper than a cast per digit.
const CHECKSUM = `${WEIGHTS.map((w, i) => `${w} * ascii(substr(m.id_number, ${i + 1}, 1))`).join(' + ')} - ${48 * WEIGHTS.reduce((a, b) => a + b, 0)}`;

/**
 * Why member `m`'s ID number is unusable (an IdProblem) or NULL: quality-rules.ts idNumberProblem
 * in SQL. The CASE branches run in order, so the digit casts only see 17 leading digits.
 */
export const ID_PROBLEM_SQL = `CASE
  WHEN m.id_number !~ '\\S' THEN 'empty'
  WHEN strpos(m.id_number, '*') > 0 OR m.id_number !~ '[0-9]' OR m.id_number = repeat(left(m.id_number, 1), length(m.id_number)) THEN 'placeholder'
  WHEN m.id_type = 'residentId' AND m.id_number !~ '^[0-9]{17}[0-9X]$' THEN 'format'
  WHEN m.id_type = 'disabilityCertificate' AND m.id_number !~ '^[0-9]{17}[0-9X][1-7][1-4]$' THEN 'format'
  WHEN m.id_type NOT IN ('residentId', 'disabilityCertificate') THEN NULL
  WHEN substr(m.id_number, 18, 1) <> substr('10X98765432', ((${CHECKSUM}) % 11) + 1, 1) THEN 'checkDigit'
  WHEN substr(m.id_number, 7, 8) <> to_char(m.birth_date, 'YYYYMMDD') THEN 'birthDateMismatch'
END`;

/** m's number is neither empty nor a placeholder (the duplicate checks skip those). */
const REAL_NUMBER_SQL = `m.id_number ~ '[0-9]' AND strpos(m.id_number, '*') = 0 AND m.id_number <> repeat(left(m.id_number, 1), length(m.id_number))`;

/** Another active member (of an active household) with m's ID number. */
const SAME_ID_SQL = `FROM members o JOIN households oh ON oh.id = o.household_id AND oh.active
  WHERE o.id_number = m.id_number AND o.status = 'active' AND NOT (o.household_id = m.household_id AND o.id = m.id)`;
/** An active member of another active household with m's name and birth date and another number. */
const SAME_NAME_SQL = `FROM members o JOIN households oh ON oh.id = o.household_id AND oh.active
  WHERE o.name = m.name AND o.birth_date = m.birth_date AND o.status = 'active' AND o.household_id <> m.household_id AND o.id_number <> m.id_number`;

/** Years the identification line table covers (lines[year - FIRST_LINE_YEAR + 1] in SQL). */
const FIRST_LINE_YEAR = 2000;
const LAST_LINE_YEAR = 2100;

/**
 * The identification line of a year (yuan per person per year): the national line as applied by
 * counties (REFERENCE.md §2.1: 2736 in 2014 … 3026 in 2017; about 4000 by 2020, §3.1), from the
 * households module's line table (demoPovertyLine: interpolated 2018–2019, +5 % a year after 2020).
 */
export function identificationLine(year: number): number {
  return demoPovertyLine(year);
}

const LINES = pgTextArray(Array.from({ length: LAST_LINE_YEAR - FIRST_LINE_YEAR + 1 }, (_, i) => String(identificationLine(FIRST_LINE_YEAR + i))));

/** The SQL condition of each check over the columns of `f` (the flags query's household rows). */
const CHECK_SQL: Record<QualityCheckCode, string> = {
  headIdMissing: `(NOT has_head OR head_bad)`,
  memberIdMissing: `member_bad`,
  duplicateIdNumber: `(di_id IS NOT NULL)`,
  possibleDuplicatePerson: `(dp_id IS NOT NULL)`,
  disabilityInfoMissing: `disability_info_missing`,
  incomeInconsistent: `(wage_without_work OR no_transfer_with_allowance OR above_line)`,
  causeInconsistent: `CASE main_poverty_cause
      WHEN 'illness' THEN NOT ill
      WHEN 'disability' THEN NOT disabled
      WHEN 'schooling' THEN NOT in_school
      WHEN 'lackOfLabour' THEN member_count > 0 AND able * 2 >= member_count
      ELSE false END`,
};

/**
 * The flags query: one row per active household matching `where` (on `h`), with a boolean column
 * per check (named by its code) and the facts the findings quote. The duplicate checks probe the
 * members' ID-number and name/birth-date indexes; they are left out (false) unless `duplicates`.
 */
export function flagsCte(where: SQL, duplicates: { id: boolean; person: boolean }): SQL {
  const dupCte = (name: string, body: string, on: boolean): SQL =>
    on
      ? sql`, ${sql.raw(name)} AS (SELECT DISTINCT m.household_id FROM members m JOIN households h ON h.id = m.household_id
           WHERE m.status = 'active' AND h.active AND ${where} AND ${sql.raw(REAL_NUMBER_SQL)} AND EXISTS (SELECT 1 ${sql.raw(body)}))`
      : sql.raw(`, ${name} AS (SELECT NULL::uuid AS household_id WHERE false)`);
  return sql`
WITH a AS (
  SELECT household_id,
    count(*)::int AS n,
    bool_or(is_head) AS has_head,
    bool_or(is_head AND id_problem IS NOT NULL) AS head_bad,
    bool_or(NOT is_head AND id_problem IS NOT NULL) AS member_bad,
    bool_or(health = 'disabled' AND (disability_category IS NULL OR disability_grade IS NULL)) AS disability_info_missing,
    bool_or(employment IS NOT NULL OR coalesce(months_worked, 0) > 0) AS works,
    bool_or(minimum_living OR extreme_hardship) AS allowance,
    bool_or(health IN ('chronicIllness', 'seriousIllness')) AS ill,
    bool_or(health = 'disabled' OR disability_category IS NOT NULL OR id_type = 'disabilityCertificate') AS disabled,
    bool_or(schooling IS NOT NULL AND schooling <> 'notInSchool') AS in_school,
    (count(*) FILTER (WHERE labour_ability IN ('ordinaryLabour', 'skilledLabour')
       AND birth_date <= current_date - make_interval(years => 16) AND birth_date > current_date - make_interval(years => 60)))::int AS able
  FROM (
    SELECT m.household_id, m.id_type, m.birth_date, m.health, m.schooling, m.labour_ability, m.employment, m.months_worked,
           m.minimum_living, m.extreme_hardship, m.disability_category, m.disability_grade,
           m.relation_to_head = 'head' AS is_head, ${sql.raw(ID_PROBLEM_SQL)} AS id_problem
    FROM members m JOIN households h ON h.id = m.household_id
    WHERE m.status = 'active' AND h.active AND ${where}
  ) m GROUP BY household_id
)${dupCte('di', SAME_ID_SQL, duplicates.id)}${dupCte('dp', SAME_NAME_SQL, duplicates.person)}
, f AS (
  SELECT h.id, h.household_no, h.area_code, h.head_name, h.main_poverty_cause,
    coalesce(a.has_head, false) AS has_head, coalesce(a.head_bad, false) AS head_bad, coalesce(a.member_bad, false) AS member_bad,
    coalesce(a.disability_info_missing, false) AS disability_info_missing, coalesce(a.ill, false) AS ill,
    coalesce(a.disabled, false) AS disabled, coalesce(a.in_school, false) AS in_school,
    coalesce(a.n, 0) AS member_count, coalesce(a.able, 0) AS able,
    i.year AS income_year, i.wage_income, i.transfer_income, i.per_capita_net_income, (${LINES}::numeric[])[i.year - ${FIRST_LINE_YEAR - 1}] AS line,
    coalesce(i.wage_income > 0 AND NOT coalesce(a.works, false), false) AS wage_without_work,
    coalesce(i.transfer_income = 0 AND (coalesce(a.allowance, false) OR h.poverty_attribute IN ('minimumLiving', 'extremeHardship')), false) AS no_transfer_with_allowance,
    coalesce(h.household_type = 'registeredPoor' AND h.status = 'notExited' AND i.per_capita_net_income > (${LINES}::numeric[])[i.year - ${FIRST_LINE_YEAR - 1}], false) AS above_line,
    di.household_id AS di_id, dp.household_id AS dp_id
  FROM households h LEFT JOIN a ON a.household_id = h.id LEFT JOIN household_incomes i ON i.household_id = h.id AND i.year = h.latest_income_year
    LEFT JOIN di ON di.household_id = h.id LEFT JOIN dp ON dp.household_id = h.id
  WHERE h.active AND ${where}
), g AS (
  SELECT f.id, f.household_no, f.area_code, f.head_name, f.main_poverty_cause, f.has_head, f.member_count, f.able,
    f.income_year, f.wage_income, f.transfer_income, f.per_capita_net_income, f.line, f.wage_without_work, f.no_transfer_with_allowance, f.above_line,
    ${sql.raw(QUALITY_CHECK_CODES.map((c) => `${CHECK_SQL[c]} AS "${c}"`).join(',\n    '))}
  FROM f
)`;
}

// ---------------------------------------------------------------------------------------------
// Areas

interface AreaRef {
  code: string | null;
  name: string;
  level: AreaLevel | 'country';
}

/** The area to report on (default: the actor's own; null: the whole country), authorized. */
async function resolveArea(db: DbOrTx, actor: Actor, areaCode: string | undefined): Promise<AreaRef & { prefix: string }> {
  const code = areaCode ?? actor.areaCode;
  authorize(actor, IDENTIFICATION['identification.quality'], code === null ? undefined : { areaCode: code, label: AREA_LABEL });
  if (code === null) return { code: null, name: COUNTRY.zh, level: 'country', prefix: '' };
  const [row] = rowsOf<{ code: string; name: string; level: AreaLevel }>(await db.execute(sql`SELECT code, name, level FROM areas WHERE code = ${code}`));
  if (!row) throw notFound(AREA_LABEL.zh, AREA_LABEL.en);
  return { ...row, prefix: scopePrefix(row.code) };
}

function childLevelOf(level: AreaLevel | 'country'): AreaLevel | null {
  if (level === 'country') return 'province';
  return AREA_LEVELS[AREA_LEVELS.indexOf(level) + 1] ?? null;
}

function emptyCounts(): CheckCounts {
  return Object.fromEntries(QUALITY_CHECK_CODES.map((c) => [c, 0])) as CheckCounts;
}

// ---------------------------------------------------------------------------------------------
// Use cases

type CountRow = { prefix: string; households: number; withAnyProblem: number } & Record<QualityCheckCode, number>;

/**
 * Households failing each check (QUALITY_CHECKS) in an area and in each of its child areas
 * (county → townships → villages; a village has none), with the area's active households.
 * One aggregate query over the area's households and members. Not audited.
 * @param areaCode 12-digit code; undefined: the actor's own area (the whole country for an
 *   administrator without an area)
 * @returns counts in households; `children` in code order, retired child areas only when they still hold households
 * @throws AppError FORBIDDEN without identification.quality; NOT_FOUND for an area outside the scope or unknown
 */
export async function findDataQualityCounts(db: DbOrTx, actor: Actor, areaCode?: string): Promise<QualityOverview> {
  return withoutJit(db, (tx) => countsIn(tx, actor, areaCode));
}

/**
 * Runs the reads in one transaction with JIT compilation off: on PostgreSQL, compiling the wide
 * aggregate takes seconds, more than it saves (PGlite has no JIT; the setting is harmless there).
 */
function withoutJit<T>(db: DbOrTx, fn: (tx: DbOrTx) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`SET LOCAL jit = off`);
    return fn(tx);
  });
}

async function countsIn(db: DbOrTx, actor: Actor, areaCode: string | undefined): Promise<QualityOverview> {
  const area = await resolveArea(db, actor, areaCode);
  const childLevel = childLevelOf(area.level);
  const groupDigits = LEVEL_DIGITS[childLevel ?? 'village'];
  const [children, counted] = await Promise.all([
    childLevel === null
      ? Promise.resolve([] as { code: string; name: string; level: AreaLevel; current: boolean }[])
      : area.code === null
        ? db.execute(sql`SELECT code, name, level, valid_to IS NULL AS current FROM areas WHERE level = 'province' ORDER BY code`)
        : db.execute(sql`SELECT code, name, level, valid_to IS NULL AS current FROM areas WHERE parent_code = ${area.code} ORDER BY code`),
    db.execute(sql`${flagsCte(sql`h.area_code LIKE ${`${area.prefix}%`}`, { id: true, person: true })}
      SELECT left(area_code, ${groupDigits}) AS prefix, count(*)::int AS households,
        count(*) FILTER (WHERE ${sql.raw(QUALITY_CHECK_CODES.map((c) => `"${c}"`).join(' OR '))})::int AS "withAnyProblem",
        ${sql.raw(QUALITY_CHECK_CODES.map((c) => `count(*) FILTER (WHERE "${c}")::int AS "${c}"`).join(', '))}
      FROM g GROUP BY 1`),
  ]);
  const byPrefix = new Map(rowsOf<CountRow>(counted).map((r) => [r.prefix, r]));
  const countsOf = (prefix: string | null): Omit<QualityAreaCounts, 'code' | 'name' | 'level'> => {
    const rows = prefix === null ? [...byPrefix.values()] : [byPrefix.get(prefix)].filter((r): r is CountRow => !!r);
    const counts = emptyCounts();
    let households = 0;
    let withAnyProblem = 0;
    for (const r of rows) {
      households += Number(r.households);
      withAnyProblem += Number(r.withAnyProblem);
      for (const c of QUALITY_CHECK_CODES) counts[c] += Number(r[c]);
    }
    return { households, withAnyProblem, counts };
  };
  const childRows = Array.isArray(children) ? children : rowsOf<{ code: string; name: string; level: AreaLevel; current: boolean }>(children);
  const childCounts = childRows
    .map((c) => ({ code: c.code, name: c.name, level: c.level as string, current: c.current, ...countsOf(scopePrefix(c.code)) }))
    .filter((c) => c.current || c.households > 0)
    .map(({ current: _current, ...c }) => c);

  // Breadcrumb: the areas above this one that the actor may open, from the top of the scope.
  const above = area.code === null ? [] : ancestorCodesOf(area.code).filter((c) => inScope(actor, c));
  const names = above.length
    ? new Map(rowsOf<{ code: string; name: string }>(await db.execute(sql`SELECT code, name FROM areas WHERE code = ANY(${pgTextArray(above)}::text[])`)).map((r) => [r.code, r.name]))
    : new Map<string, string>();
  const breadcrumb = [
    ...(actor.areaCode === null && area.code !== null ? [{ code: null, name: COUNTRY.zh, level: 'country' }] : []),
    ...above.map((c) => ({ code: c, name: names.get(c) ?? c, level: levelOfCode(c) as string })),
  ];
  return {
    area: { code: area.code, name: area.name, level: area.level, ...countsOf(null) },
    breadcrumb,
    children: childCounts,
  };
}

type FlagRow = {
  id: string;
  household_no: string;
  area_code: string;
  head_name: string;
  main_poverty_cause: string | null;
  has_head: boolean;
  member_count: number;
  able: number;
  income_year: number | null;
  wage_income: string | number | null;
  transfer_income: string | number | null;
  per_capita_net_income: string | number | null;
  line: string | number | null;
  wage_without_work: boolean;
  no_transfer_with_allowance: boolean;
  above_line: boolean;
  total: number;
};

type MemberRow = {
  household_id: string;
  name: string;
  is_head: boolean;
  id_problem: IdProblem | null;
  id_number: string;
  birth_date: string;
  disability_info_missing: boolean;
  same_id_no: string | null;
  same_id_area: string | null;
  same_name_no: string | null;
  same_name_area: string | null;
};

const num = (v: string | number | null): number | null => (v === null ? null : Number(v));

/**
 * The households of an area failing one check, in 户编号 order, paged, each with its findings
 * (which member, which field, why; ID numbers masked; another household named by its 户编号 only
 * when it lies in the actor's scope). Two queries: the page of the flags query, then the members of
 * the page's households. Not audited.
 * @param areaCode as findDataQualityCounts
 * @throws AppError FORBIDDEN without identification.quality; NOT_FOUND for an area outside the scope or unknown
 */
export async function findDataQualityHouseholds(
  db: DbOrTx,
  actor: Actor,
  check: QualityCheckCode,
  query: PageQuery & { areaCode?: string | undefined },
): Promise<Page<QualityHousehold>> {
  return withoutJit(db, (tx) => householdsIn(tx, actor, check, query));
}

async function householdsIn(db: DbOrTx, actor: Actor, check: QualityCheckCode, query: PageQuery & { areaCode?: string | undefined }): Promise<Page<QualityHousehold>> {
  const area = await resolveArea(db, actor, query.areaCode);
  const flags = flagsCte(sql`h.area_code LIKE ${`${area.prefix}%`}`, { id: check === 'duplicateIdNumber', person: check === 'possibleDuplicatePerson' });
  const pageRows = rowsOf<FlagRow>(
    await db.execute(sql`${flags}
      SELECT g.*, count(*) OVER ()::int AS total FROM g WHERE ${sql.raw(`"${check}"`)}
      ORDER BY household_no LIMIT ${query.pageSize} OFFSET ${offsetOf(query)}`),
  );
  let total = pageRows[0] ? Number(pageRows[0].total) : 0;
  if (pageRows.length === 0 && query.page > 1) {
    const [r] = rowsOf<{ total: number }>(await db.execute(sql`${flags} SELECT count(*)::int AS total FROM g WHERE ${sql.raw(`"${check}"`)}`));
    total = Number(r?.total ?? 0);
  }
  if (pageRows.length === 0) return { items: [], total, page: query.page, pageSize: query.pageSize };

  const ids = pageRows.map((r) => r.id);
  const scope = scopePattern(actor);
  const memberRows = rowsOf<MemberRow>(
    await db.execute(sql`
      SELECT m.household_id, m.name, m.relation_to_head = 'head' AS is_head, ${sql.raw(ID_PROBLEM_SQL)} AS id_problem, m.id_number, m.birth_date::text AS birth_date,
        (m.health = 'disabled' AND (m.disability_category IS NULL OR m.disability_grade IS NULL)) AS disability_info_missing,
        s1.household_no AS same_id_no, s1.area_code AS same_id_area, s2.household_no AS same_name_no, s2.area_code AS same_name_area
      FROM members m
      LEFT JOIN LATERAL (SELECT oh.household_no, oh.area_code ${sql.raw(SAME_ID_SQL)}
                         AND ${sql.raw(REAL_NUMBER_SQL)}
                         ORDER BY oh.area_code LIKE ${scope} DESC, oh.household_no LIMIT 1) s1 ON true
      LEFT JOIN LATERAL (SELECT oh.household_no, oh.area_code ${sql.raw(SAME_NAME_SQL)}
                         AND ${sql.raw(REAL_NUMBER_SQL)}
                         ORDER BY oh.area_code LIKE ${scope} DESC, oh.household_no LIMIT 1) s2 ON true
      WHERE m.household_id = ANY(${`{${ids.join(',')}}`}::uuid[]) AND m.status = 'active'
      ORDER BY m.household_id, m.relation_to_head = 'head' DESC, m.birth_date, m.name`),
  );
  const byHousehold = new Map<string, MemberFacts[]>();
  const shown = (no: string | null, areaCode: string | null) => (no === null ? null : inScope(actor, areaCode) ? no : '');
  for (const m of memberRows) {
    const list = byHousehold.get(m.household_id) ?? [];
    list.push({
      householdId: m.household_id,
      name: m.name,
      isHead: m.is_head,
      idProblem: m.id_problem,
      maskedIdNumber: /\S/.test(m.id_number) ? (maskIdNumber(m.id_number) ?? '') : '',
      birthDate: m.birth_date,
      sameIdOther: shown(m.same_id_no, m.same_id_area),
      sameNameOther: shown(m.same_name_no, m.same_name_area),
      disabilityInfoMissing: m.disability_info_missing,
    });
    byHousehold.set(m.household_id, list);
  }
  const names = new Map(
    rowsOf<{ code: string; name: string; township: string | null }>(
      await db.execute(sql`SELECT v.code, v.name, t.name AS township FROM areas v LEFT JOIN areas t ON t.code = v.parent_code
                           WHERE v.code = ANY(${pgTextArray([...new Set(pageRows.map((r) => r.area_code))])}::text[])`),
    ).map((r) => [r.code, r]),
  );
  const items = pageRows.map((r): QualityHousehold => {
    const facts: HouseholdFacts = {
      hasHead: r.has_head,
      mainPovertyCause: r.main_poverty_cause,
      incomeYear: r.income_year === null ? null : Number(r.income_year),
      wageIncome: num(r.wage_income),
      transferIncome: num(r.transfer_income),
      perCapitaNetIncome: num(r.per_capita_net_income),
      line: num(r.line),
      wageWithoutWork: r.wage_without_work,
      noTransferWithAllowance: r.no_transfer_with_allowance,
      aboveLine: r.above_line,
      ableWorkingAge: Number(r.able),
      memberCount: Number(r.member_count),
    };
    return {
      householdId: r.id,
      householdNo: r.household_no,
      headName: r.head_name,
      areaCode: r.area_code,
      villageName: names.get(r.area_code)?.name ?? '',
      townshipName: names.get(r.area_code)?.township ?? '',
      findings: findingsOf(check, facts, byHousehold.get(r.id) ?? []),
    };
  });
  return { items, total, page: query.page, pageSize: query.pageSize };
}
