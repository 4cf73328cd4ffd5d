/**
 * Data-quality checks (数据质量). The checks run as a background job per area (refreshDataQuality,
 * job type QUALITY_JOB): SQL over the registry tables (households, members, household_incomes),
 * every check aggregated in the database one township (or village) at a time, and the findings
 * stored in data_quality_findings with what is wrong (ID numbers masked). The page reads the stored
 * findings: counts per check for an area and its child areas, and the failing households of one
 * check, paged, with when they were checked. The conditions are those of quality-rules.ts
 * (QUALITY_CHECKS), which documents them.
 *
 * Neither runs nor reads are audited: derived data, lists carry masked ID numbers only.
 */
import { sql, type SQL } from 'drizzle-orm';
import { authorize, inScope, SYSTEM_ACTOR, type Actor } from '../../platform/auth.ts';
import { pgTextArray, rowsOf, type Db, type DbOrTx } from '../../platform/db.ts';
import { enqueueJob, type JobContext } from '../../platform/jobs.ts';
import { ancestorCodesOf, levelOfCode, LEVEL_DIGITS, scopePrefix, AREA_LEVELS, type AreaLevel } from '../../shared/area-code.ts';
import { notFound } from '../../shared/errors.ts';
import { maskIdNumber } from '../../shared/mask.ts';
import { offsetOf, type Page, type PageQuery } from '../../shared/paging.ts';
import { demoPovertyLine } from '../households/index.ts';
import { IDENTIFICATION } from './permissions.ts';
import { dataQualityFindings, dataQualityRuns } from './schema.ts';
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
  type QualityRun,
  QUALITY_STALE_AFTER_HOURS,
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

/** The area to report on (default: the actor's own; `country`: the whole country), authorized. */
async function resolveArea(db: DbOrTx, actor: Actor, areaCode: string | undefined, country = false): Promise<AreaRef & { prefix: string }> {
  const code = country ? null : (areaCode ?? actor.areaCode);
  if (code === null && actor.areaCode !== null) throw notFound(AREA_LABEL.zh, AREA_LABEL.en);
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
// Stored findings: the refresh (a job per area) and the runs

/** The job type of a data-quality run (registered in the app's job handlers). */
export const QUALITY_JOB = 'identification.quality';

/** Findings inserted per statement. */
const INSERT_BATCH = 1000;
/** Households whose members are read per statement (the details of the findings). */
const DETAIL_BATCH = 2000;

/** Another household with the same number / name and birth date, as stored (the reader's scope decides whether it is named). */
interface OtherRef {
  no: string;
  area: string;
}

/** A member quoted by a stored finding: MemberFacts without the household and with the other household unresolved. */
interface StoredMember {
  name: string;
  isHead: boolean;
  idProblem: IdProblem | null;
  maskedIdNumber: string;
  birthDate: string;
  sameId: OtherRef | null;
  sameName: OtherRef | null;
  disabilityInfoMissing: boolean;
}

/** data_quality_findings.detail: the facts findingsOf needs, only the members the check quotes (ID numbers masked). */
interface StoredDetail {
  household: HouseholdFacts;
  members: StoredMember[];
}

/** Whether a check quotes a member (the stored detail keeps only those). */
const QUOTES: Record<QualityCheckCode, (m: StoredMember) => boolean> = {
  headIdMissing: (m) => m.isHead && m.idProblem !== null,
  memberIdMissing: (m) => !m.isHead && m.idProblem !== null,
  duplicateIdNumber: (m) => m.sameId !== null,
  possibleDuplicatePerson: (m) => m.sameName !== null,
  disabilityInfoMissing: (m) => m.disabilityInfoMissing,
  incomeInconsistent: () => false,
  causeInconsistent: () => false,
};

type FlagRow = {
  id: string;
  area_code: string;
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
} & Record<QualityCheckCode, boolean>;

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

function factsOf(r: FlagRow): HouseholdFacts {
  return {
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
}

/** The other household nearest to `h` first: same village, township, county, city, province, then by 户编号. */
const NEAREST = `ORDER BY oh.area_code = h.area_code DESC, left(oh.area_code, 9) = left(h.area_code, 9) DESC, left(oh.area_code, 6) = left(h.area_code, 6) DESC,
  left(oh.area_code, 4) = left(h.area_code, 4) DESC, left(oh.area_code, 2) = left(h.area_code, 2) DESC, oh.household_no LIMIT 1`;

/**
 * The members quoted by the findings of the given failing households. The other household of a
 * duplicate is the nearest one: a reader whose scope holds any other holds the nearest (their scope
 * holds this household), so storing one is enough to name it exactly when the reader may see it.
 */
async function membersOf(db: DbOrTx, failing: FlagRow[]): Promise<Map<string, StoredMember[]>> {
  const out = new Map<string, StoredMember[]>();
  for (let i = 0; i < failing.length; i += DETAIL_BATCH) {
    const batch = failing.slice(i, i + DETAIL_BATCH);
    const ids = `{${batch.map((r) => r.id).join(',')}}`;
    const di = `{${batch.map((r) => (r.duplicateIdNumber ? 't' : 'f')).join(',')}}`;
    const dp = `{${batch.map((r) => (r.possibleDuplicatePerson ? 't' : 'f')).join(',')}}`;
    const rows = rowsOf<MemberRow>(
      await db.execute(sql`
        SELECT m.household_id, m.name, m.relation_to_head = 'head' AS is_head, ${sql.raw(ID_PROBLEM_SQL)} AS id_problem, m.id_number, m.birth_date::text AS birth_date,
          (m.health = 'disabled' AND (m.disability_category IS NULL OR m.disability_grade IS NULL)) AS disability_info_missing,
          s1.household_no AS same_id_no, s1.area_code AS same_id_area, s2.household_no AS same_name_no, s2.area_code AS same_name_area
        FROM unnest(${ids}::uuid[], ${di}::boolean[], ${dp}::boolean[]) AS x(id, di, dp)
        JOIN members m ON m.household_id = x.id AND m.status = 'active'
        JOIN households h ON h.id = m.household_id
        LEFT JOIN LATERAL (SELECT oh.household_no, oh.area_code ${sql.raw(SAME_ID_SQL)} AND x.di AND ${sql.raw(REAL_NUMBER_SQL)} ${sql.raw(NEAREST)}) s1 ON true
        LEFT JOIN LATERAL (SELECT oh.household_no, oh.area_code ${sql.raw(SAME_NAME_SQL)} AND x.dp AND ${sql.raw(REAL_NUMBER_SQL)} ${sql.raw(NEAREST)}) s2 ON true
        ORDER BY m.household_id, m.relation_to_head = 'head' DESC, m.birth_date, m.name`),
    );
    for (const m of rows) {
      const list = out.get(m.household_id) ?? [];
      list.push({
        name: m.name,
        isHead: m.is_head,
        idProblem: m.id_problem,
        maskedIdNumber: /\S/.test(m.id_number) ? (maskIdNumber(m.id_number) ?? '') : '',
        birthDate: m.birth_date,
        sameId: m.same_id_no === null ? null : { no: m.same_id_no, area: m.same_id_area ?? '' },
        sameName: m.same_name_no === null ? null : { no: m.same_name_no, area: m.same_name_area ?? '' },
        disabilityInfoMissing: m.disability_info_missing,
      });
      out.set(m.household_id, list);
    }
  }
  return out;
}

/**
 * Checks the active households under one prefix and replaces the stored findings of that prefix
 * (and of those households, wherever they were before), in one transaction.
 * @returns active households checked
 */
async function refreshChunk(db: DbOrTx, prefix: string): Promise<number> {
  return db.transaction(async (tx) => {
    // JIT compiling the wide aggregate costs more than it saves; and a chunk is a small part of the
    // registry: its members are read through their household's index, not by scanning all members.
    await tx.execute(sql`SET LOCAL jit = off`);
    await tx.execute(sql`SET LOCAL enable_seqscan = off`);
    const like = `${prefix}%`;
    const rows = rowsOf<FlagRow & { households: number }>(
      await tx.execute(sql`${flagsCte(sql`h.area_code LIKE ${like}`, { id: true, person: true })}
        SELECT g.*, count(*) OVER ()::int AS households FROM g`),
    );
    const failing = rows.filter((r) => QUALITY_CHECK_CODES.some((c) => r[c]));
    const members = await membersOf(tx, failing);
    const values: (typeof dataQualityFindings.$inferInsert)[] = [];
    for (const r of failing) {
      const household = factsOf(r);
      const ms = members.get(r.id) ?? [];
      for (const check of QUALITY_CHECK_CODES) {
        if (!r[check]) continue;
        const detail: StoredDetail = { household, members: ms.filter(QUOTES[check]) };
        values.push({ householdId: r.id, areaCode: r.area_code, check, detail });
      }
    }
    await tx.execute(sql`DELETE FROM data_quality_findings WHERE area_code LIKE ${like}`);
    await tx.execute(sql`DELETE FROM data_quality_findings WHERE household_id IN (SELECT id FROM households WHERE area_code LIKE ${like})`);
    for (let i = 0; i < values.length; i += INSERT_BATCH) {
      await tx
        .insert(dataQualityFindings)
        .values(values.slice(i, i + INSERT_BATCH))
        .onConflictDoUpdate({
          target: [dataQualityFindings.householdId, dataQualityFindings.check],
          set: { areaCode: sql`excluded.area_code`, detail: sql`excluded.detail`, checkedAt: sql`excluded.checked_at` },
        });
    }
    return rows.length;
  });
}

/**
 * Runs every data-quality check (QUALITY_CHECKS) over the active households of an area and stores
 * the findings (data_quality_findings), replacing the area's earlier ones: chunk by chunk (the
 * townships of a county or wider area, the villages of a township, a village at once), each chunk
 * in its own transaction (its old findings deleted — including those of households removed or moved
 * away since — and the new ones inserted). The run is recorded in data_quality_runs (running → done
 * with the households checked, or failed). Not audited: derived data, readable as masked lists.
 * @param areaCode 12-digit code; null: the whole country; undefined: the actor's own area
 * @param onProgress called after each chunk with the households checked so far and in all
 * @param options.runId the run row to update (queued by queueDataQualityRun); else a new one is recorded
 * @returns the run's id and the active households checked
 * @throws AppError FORBIDDEN without identification.quality; NOT_FOUND for an area outside the scope or unknown;
 *   any database error (the run is then recorded as failed)
 */
export async function refreshDataQuality(
  db: DbOrTx,
  actor: Actor,
  areaCode?: string | null,
  onProgress?: (done: number, total: number) => void | Promise<void>,
  options: { runId?: string } = {},
): Promise<{ runId: string; households: number }> {
  const area = await resolveArea(db, actor, areaCode === null ? undefined : areaCode, areaCode === null);
  let runId = options.runId;
  if (runId) {
    await db.execute(sql`UPDATE data_quality_runs SET status = 'running', started_at = now() WHERE id = ${runId}`);
  } else {
    const [run] = await db
      .insert(dataQualityRuns)
      .values({ areaCode: area.code ?? '', status: 'running', startedAt: new Date(), requestedBy: actor.id || null })
      .returning({ id: dataQualityRuns.id });
    runId = run!.id;
  }
  try {
    const digits = area.level === 'village' ? 12 : area.level === 'township' ? 12 : 9;
    const like = `${area.prefix}%`;
    const chunks = rowsOf<{ prefix: string; households: number }>(
      await db.execute(sql`
        SELECT prefix, sum(n)::int AS households FROM (
          SELECT left(area_code, ${digits}) AS prefix, count(*) FILTER (WHERE active) AS n FROM households WHERE area_code LIKE ${like} GROUP BY 1
          UNION ALL
          SELECT DISTINCT left(area_code, ${digits}), 0 FROM data_quality_findings WHERE area_code LIKE ${like}
        ) c GROUP BY prefix ORDER BY prefix`),
    );
    const total = chunks.reduce((a, c) => a + Number(c.households), 0);
    let done = 0;
    await onProgress?.(0, total);
    for (const c of chunks) {
      done += await refreshChunk(db, c.prefix);
      await onProgress?.(done, total);
    }
    await db.execute(sql`UPDATE data_quality_runs SET status = 'done', households = ${done}, finished_at = now() WHERE id = ${runId}`);
    return { runId, households: done };
  } catch (e) {
    await db.execute(sql`UPDATE data_quality_runs SET status = 'failed', finished_at = now() WHERE id = ${runId}`).catch(() => {});
    throw e;
  }
}

type RunRow = {
  id: string;
  area_code: string;
  job_id: string | null;
  status: QualityRun['status'];
  households: number | null;
  created_at: string | Date;
  started_at: string | Date | null;
  finished_at: string | Date | null;
};

const iso = (v: string | Date | null): string | null => (v === null ? null : new Date(v).toISOString());

function runOf(r: RunRow): QualityRun {
  return {
    id: r.id,
    areaCode: r.area_code === '' ? null : r.area_code,
    jobId: r.job_id,
    status: r.status,
    households: r.households === null ? null : Number(r.households),
    createdAt: iso(r.created_at)!,
    startedAt: iso(r.started_at),
    finishedAt: iso(r.finished_at),
  };
}

/** The run codes that cover an area: the whole country (''), its ancestors and itself. */
function coveringCodes(code: string | null): string[] {
  return code === null ? [''] : ['', ...ancestorCodesOf(code), code];
}

/**
 * A queued or running run whose job has ended or vanished (its process died past the job's retries)
 * is recorded as failed, so that it neither blocks a new run nor shows as running.
 */
async function failOrphanRuns(db: DbOrTx, codes: string[]): Promise<void> {
  await db.execute(sql`
    UPDATE data_quality_runs r SET status = 'failed', finished_at = coalesce(r.finished_at, now())
    WHERE r.area_code = ANY(${pgTextArray(codes)}::text[]) AND r.status IN ('queued', 'running')
      AND NOT EXISTS (SELECT 1 FROM jobs j WHERE j.id = r.job_id AND j.status IN ('queued', 'running'))
      AND r.created_at < now() - interval '5 seconds'`);
}

/**
 * Queues a data-quality run of an area (a job of type QUALITY_JOB). While a run of the same area is
 * queued or running, that one is returned instead of a second.
 * @param areaCode 12-digit code; undefined: the actor's own area (the whole country for an administrator without one)
 * @returns the run and whether it already existed
 * @throws AppError FORBIDDEN without identification.quality; NOT_FOUND for an area outside the scope or unknown
 */
export async function queueDataQualityRun(db: Db, actor: Actor, areaCode?: string): Promise<{ run: QualityRun; existing: boolean }> {
  const area = await resolveArea(db, actor, areaCode);
  const code = area.code ?? '';
  return db.transaction(async (tx) => {
    // One queuer per area at a time, so two clicks make one run.
    await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext(${`data-quality:${code}`}))`);
    await failOrphanRuns(tx, [code]);
    const [existing] = rowsOf<RunRow>(
      await tx.execute(sql`SELECT * FROM data_quality_runs WHERE area_code = ${code} AND status IN ('queued', 'running') ORDER BY created_at DESC LIMIT 1`),
    );
    if (existing) return { run: runOf(existing), existing: true };
    const [run] = await tx.insert(dataQualityRuns).values({ areaCode: code, status: 'queued', requestedBy: actor.id || null }).returning({ id: dataQualityRuns.id });
    const job = await enqueueJob(tx as unknown as Db, { type: QUALITY_JOB, payload: { runId: run!.id, areaCode: area.code }, createdBy: actor.id || null, areaCode: area.code });
    const [row] = rowsOf<RunRow>(await tx.execute(sql`UPDATE data_quality_runs SET job_id = ${job.id} WHERE id = ${run!.id} RETURNING *`));
    return { run: runOf(row!), existing: false };
  });
}

/**
 * The job handler of QUALITY_JOB: refreshDataQuality for the queued run, with progress in households.
 * @param actor the user who queued it (the system for the nightly runs)
 */
export async function runDataQualityJob(ctx: JobContext, actor: Actor): Promise<{ runId: string; households: number }> {
  const { runId, areaCode } = ctx.job.payload as { runId: string; areaCode: string | null };
  try {
    return await refreshDataQuality(ctx.db, actor, areaCode, (done, total) => ctx.progress(done, total, `已检查 ${done} / ${total} 户 · ${done} of ${total} households checked`), { runId });
  } catch (e) {
    await ctx.db.execute(sql`UPDATE data_quality_runs SET status = 'failed', finished_at = now() WHERE id = ${runId} AND status <> 'done'`);
    throw e;
  }
}

/**
 * The latest runs covering an area (of the whole country, its ancestors or itself), newest first.
 * @throws AppError FORBIDDEN without identification.quality; NOT_FOUND for an area outside the scope or unknown
 */
export async function findDataQualityRuns(db: DbOrTx, actor: Actor, areaCode?: string, limit = 20): Promise<QualityRun[]> {
  const area = await resolveArea(db, actor, areaCode);
  const codes = coveringCodes(area.code);
  await failOrphanRuns(db, codes);
  return rowsOf<RunRow>(
    await db.execute(sql`SELECT * FROM data_quality_runs WHERE area_code = ANY(${pgTextArray(codes)}::text[]) ORDER BY created_at DESC LIMIT ${limit}`),
  ).map(runOf);
}

/**
 * Queues a run for each county whose stored findings are older than QUALITY_STALE_AFTER_HOURS and
 * that no finished run checked since (for the server's hourly housekeeping: once a day per county
 * that has findings). Runs as the system.
 * @returns the runs queued
 */
export async function queueStaleDataQualityRuns(db: Db): Promise<number> {
  const counties = rowsOf<{ code: string }>(
    await db.execute(sql`
      SELECT c.code FROM (SELECT DISTINCT rpad(left(area_code, 6), 12, '0') AS code FROM data_quality_findings) c
      WHERE NOT EXISTS (
        SELECT 1 FROM data_quality_runs r
        WHERE r.area_code IN ('', rpad(left(c.code, 2), 12, '0'), rpad(left(c.code, 4), 12, '0'), c.code)
          AND (r.status IN ('queued', 'running') OR (r.status = 'done' AND r.finished_at > now() - make_interval(hours => ${QUALITY_STALE_AFTER_HOURS}))))
        AND EXISTS (SELECT 1 FROM areas a WHERE a.code = c.code)`),
  );
  for (const c of counties) await queueDataQualityRun(db, SYSTEM_ACTOR, c.code);
  return counties.length;
}

// ---------------------------------------------------------------------------------------------
// Reading the stored findings

type CountRow = { prefix: string; withAnyProblem: number; oldest: string | Date | null } & Record<QualityCheckCode, number>;

/**
 * Households failing each check (QUALITY_CHECKS) in an area and in each of its child areas
 * (county → townships → villages; a village has none), as stored by the latest runs
 * (refreshDataQuality), with the area's active households now, when the findings were computed and
 * whether they are stale, and the run under way if any. Not audited.
 * @param areaCode 12-digit code; undefined: the actor's own area (the whole country for an
 *   administrator without an area)
 * @returns counts in households; `children` in code order, retired child areas only when they still hold households;
 *   `checkedAt` null (all counts 0) when the area was never checked
 * @throws AppError FORBIDDEN without identification.quality; NOT_FOUND for an area outside the scope or unknown
 */
export async function findDataQualityCounts(db: DbOrTx, actor: Actor, areaCode?: string): Promise<QualityOverview> {
  const area = await resolveArea(db, actor, areaCode);
  const childLevel = childLevelOf(area.level);
  const groupDigits = LEVEL_DIGITS[childLevel ?? 'village'];
  const like = `${area.prefix}%`;
  const codes = coveringCodes(area.code);
  await failOrphanRuns(db, codes);
  const [children, counted, households, runs] = await Promise.all([
    childLevel === null
      ? Promise.resolve([] as { code: string; name: string; level: AreaLevel; current: boolean }[])
      : area.code === null
        ? db.execute(sql`SELECT code, name, level, valid_to IS NULL AS current FROM areas WHERE level = 'province' ORDER BY code`)
        : db.execute(sql`SELECT code, name, level, valid_to IS NULL AS current FROM areas WHERE parent_code = ${area.code} ORDER BY code`),
    db.execute(sql`
      SELECT left(area_code, ${groupDigits}) AS prefix, count(DISTINCT household_id)::int AS "withAnyProblem", min(checked_at) AS oldest,
        ${sql.raw(QUALITY_CHECK_CODES.map((c) => `count(*) FILTER (WHERE "check" = '${c}')::int AS "${c}"`).join(', '))}
      FROM data_quality_findings WHERE area_code LIKE ${like} GROUP BY 1`),
    db.execute(sql`SELECT left(area_code, ${groupDigits}) AS prefix, count(*)::int AS n FROM households WHERE active AND area_code LIKE ${like} GROUP BY 1`),
    db.execute(sql`
      SELECT * FROM (
        (SELECT * FROM data_quality_runs WHERE area_code = ANY(${pgTextArray(codes)}::text[]) AND status = 'done' ORDER BY finished_at DESC LIMIT 1)
        UNION ALL
        (SELECT * FROM data_quality_runs WHERE area_code = ANY(${pgTextArray(codes)}::text[]) AND status IN ('queued', 'running') ORDER BY created_at DESC LIMIT 1)
      ) r`),
  ]);
  const byPrefix = new Map(rowsOf<CountRow>(counted).map((r) => [r.prefix, r]));
  const householdsBy = new Map(rowsOf<{ prefix: string; n: number }>(households).map((r) => [r.prefix, Number(r.n)]));
  const countsOf = (prefix: string | null): Omit<QualityAreaCounts, 'code' | 'name' | 'level'> => {
    const match = <T>(m: Map<string, T>) => (prefix === null ? [...m.values()] : [m.get(prefix)].filter((r): r is T => r !== undefined));
    const counts = emptyCounts();
    let withAnyProblem = 0;
    for (const r of match(byPrefix)) {
      withAnyProblem += Number(r.withAnyProblem);
      for (const c of QUALITY_CHECK_CODES) counts[c] += Number(r[c]);
    }
    return { households: match(householdsBy).reduce((a, n) => a + n, 0), withAnyProblem, counts };
  };
  const childRows = Array.isArray(children) ? children : rowsOf<{ code: string; name: string; level: AreaLevel; current: boolean }>(children);
  const childCounts = childRows
    .map((c) => ({ code: c.code, name: c.name, level: c.level as string, current: c.current, ...countsOf(scopePrefix(c.code)) }))
    .filter((c) => c.current || c.households > 0 || c.withAnyProblem > 0)
    .map(({ current: _current, ...c }) => c);

  // When: the oldest stored finding, else the latest finished run covering the area.
  const runRows = rowsOf<RunRow>(runs);
  const lastDone = runRows.find((r) => r.status === 'done') ?? null;
  const active = runRows.find((r) => r.status !== 'done') ?? null;
  const oldest = [...byPrefix.values()].map((r) => (r.oldest === null ? null : new Date(r.oldest).getTime())).filter((t): t is number => t !== null);
  const checkedAtMs = oldest.length ? Math.min(...oldest) : lastDone?.finished_at ? new Date(lastDone.finished_at).getTime() : null;
  const fresh = lastDone?.finished_at ? Date.now() - new Date(lastDone.finished_at).getTime() < QUALITY_STALE_AFTER_HOURS * 3_600_000 : false;

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
    checkedAt: checkedAtMs === null ? null : new Date(checkedAtMs).toISOString(),
    stale: !fresh,
    run: active ? runOf(active) : null,
  };
}

type ListRow = {
  household_id: string;
  household_no: string;
  head_name: string;
  area_code: string;
  detail: StoredDetail | string | null;
  checked_at: string | Date;
  total: number;
};

/**
 * The households of an area failing one check at the last run, in 户编号 order, paged, each with its
 * stored findings (which member, which field, why; ID numbers masked; another household named by
 * its 户编号 only when it lies in the actor's scope) and when it was checked. Not audited.
 * @param areaCode as findDataQualityCounts
 * @throws AppError FORBIDDEN without identification.quality; NOT_FOUND for an area outside the scope or unknown
 */
export async function findDataQualityHouseholds(
  db: DbOrTx,
  actor: Actor,
  check: QualityCheckCode,
  query: PageQuery & { areaCode?: string | undefined },
): Promise<Page<QualityHousehold>> {
  const area = await resolveArea(db, actor, query.areaCode);
  const like = `${area.prefix}%`;
  const list = (limit: number, offset: number) =>
    db.execute(sql`
      SELECT f.household_id, h.household_no, h.head_name, h.area_code, f.detail, f.checked_at, count(*) OVER ()::int AS total
      FROM data_quality_findings f JOIN households h ON h.id = f.household_id
      WHERE f.area_code LIKE ${like} AND f."check" = ${check}
      ORDER BY h.household_no LIMIT ${limit} OFFSET ${offset}`);
  const pageRows = rowsOf<ListRow>(await list(query.pageSize, offsetOf(query)));
  let total = pageRows[0] ? Number(pageRows[0].total) : 0;
  if (pageRows.length === 0 && query.page > 1) {
    const [r] = rowsOf<{ total: number }>(
      await db.execute(sql`SELECT count(*)::int AS total FROM data_quality_findings f JOIN households h ON h.id = f.household_id WHERE f.area_code LIKE ${like} AND f."check" = ${check}`),
    );
    total = Number(r?.total ?? 0);
  }
  if (pageRows.length === 0) return { items: [], total, page: query.page, pageSize: query.pageSize };

  const names = new Map(
    rowsOf<{ code: string; name: string; township: string | null }>(
      await db.execute(sql`SELECT v.code, v.name, t.name AS township FROM areas v LEFT JOIN areas t ON t.code = v.parent_code
                           WHERE v.code = ANY(${pgTextArray([...new Set(pageRows.map((r) => r.area_code))])}::text[])`),
    ).map((r) => [r.code, r]),
  );
  const shown = (o: OtherRef | null) => (o === null ? null : inScope(actor, o.area) ? o.no : '');
  const items = pageRows.map((r): QualityHousehold => {
    const detail = (typeof r.detail === 'string' ? JSON.parse(r.detail) : r.detail) as StoredDetail | null;
    const members: MemberFacts[] = (detail?.members ?? []).map((m) => ({
      householdId: r.household_id,
      name: m.name,
      isHead: m.isHead,
      idProblem: m.idProblem,
      maskedIdNumber: m.maskedIdNumber,
      birthDate: m.birthDate,
      sameIdOther: shown(m.sameId),
      sameNameOther: shown(m.sameName),
      disabilityInfoMissing: m.disabilityInfoMissing,
    }));
    return {
      householdId: r.household_id,
      householdNo: r.household_no,
      headName: r.head_name,
      areaCode: r.area_code,
      villageName: names.get(r.area_code)?.name ?? '',
      townshipName: names.get(r.area_code)?.township ?? '',
      findings: detail ? findingsOf(check, detail.household, members) : [],
      checkedAt: iso(r.checked_at)!,
    };
  });
  return { items, total, page: query.page, pageSize: query.pageSize };
}
