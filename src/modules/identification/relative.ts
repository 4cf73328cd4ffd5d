/**
 * Relative poverty (相对贫困): a standard per area and year — an absolute line, or a share of the median
 * per-capita net income of the area's households — the households below it that are not yet poor, and
 * their entry into the identification procedure as a village's batch of kind 'relativePoverty'.
 *
 * Sources: REFERENCE.md §2.1 (Guangdong 2016–2020: a household is relatively poor below 4000 yuan per
 * person per year at 2014 prices). A line as a share of the median (e.g. 40 %) is how relative-poverty
 * lines are commonly proposed; REFERENCE.md §7.6 notes that no Chinese official text for it was found,
 * so the share is the area's setting, not a built-in value.
 */
import { and, eq, inArray, like, notInArray, sql, type SQL } from 'drizzle-orm';
import { AppError, notFound, type FieldIssue } from '../../shared/errors.ts';
import { ancestorCodesOf, levelOfCode, scopePrefix } from '../../shared/area-code.ts';
import { maskPhone } from '../../shared/mask.ts';
import { offsetOf } from '../../shared/paging.ts';
import { authorize, SYSTEM_ACTOR, type Actor } from '../../platform/auth.ts';
import { rowsOf, type Db, type DbOrTx } from '../../platform/db.ts';
import { currentYear, loadArea, loadAreaNames } from '../areas/index.ts';
import { recordAudit } from '../audit/index.ts';
import { demoPovertyLine } from '../households/index.ts';
import { householdIncomes, households } from '../households/schema.ts';
import type { BatchDto } from './contract.ts';
import { IDENTIFICATION } from './permissions.ts';
import { identificationApplications, relativePovertyStandards } from './schema.ts';
import { createBatch } from './service.ts';
import { effectiveLine, type CandidatePageDto, type RelativeBatchInput, type RelativeMethod, type RelativeStandardInput, type StandardDto, type StandardViewDto } from './sampling-rules.ts';

const AREA = { zh: '区域', en: 'Area' };
const VILLAGE = { zh: '村', en: 'Village' };
/** Household types already identified as poor: not candidates. */
const ALREADY_POOR = ['registeredPoor', 'relativePoor'];

type StandardRow = typeof relativePovertyStandards.$inferSelect;

/**
 * The median per-capita net income (yuan per person per year, to the fen) of an area's active households
 * with an income record for the year, and how many there are; percentile_cont in SQL.
 */
async function medianIncome(db: DbOrTx, areaCode: string, year: number): Promise<{ median: number | null; n: number }> {
  const [r] = rowsOf<{ median: number | string | null; n: number | string }>(
    await db.execute(sql`
      SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY ${householdIncomes.perCapitaNetIncome}) AS median, count(*) AS n
      FROM ${householdIncomes} JOIN ${households} ON ${households.id} = ${householdIncomes.householdId}
      WHERE ${householdIncomes.year} = ${year} AND ${households.active} AND ${households.areaCode} LIKE ${`${scopePrefix(areaCode)}%`}`),
  );
  const n = Number(r?.n ?? 0);
  return { median: n > 0 && r?.median !== null && r?.median !== undefined ? Math.round(Number(r.median) * 100) / 100 : null, n };
}

async function toStandardDtos(db: DbOrTx, rows: StandardRow[]): Promise<StandardDto[]> {
  const names = await loadAreaNames(db, rows.map((r) => r.areaCode));
  return Promise.all(
    rows.map(async (r) => {
      const m = r.method === 'medianShare' ? await medianIncome(db, r.areaCode, r.year) : { median: null, n: 0 };
      const method = r.method as RelativeMethod;
      return {
        areaCode: r.areaCode,
        areaName: names.get(r.areaCode)?.full ?? '',
        year: r.year,
        method,
        line: r.line,
        share: r.share,
        note: r.note,
        median: m.median,
        householdsWithIncome: m.n,
        effectiveLine: effectiveLine({ method, line: r.line, share: r.share }, m.median),
      };
    }),
  );
}

/** Standards of the year that bear on an area: its own, its ancestors' and those of areas inside it, most specific (longest prefix) first. */
async function selectStandards(db: DbOrTx, areaCode: string, year: number): Promise<StandardRow[]> {
  const rows = await db
    .select()
    .from(relativePovertyStandards)
    .where(
      and(
        eq(relativePovertyStandards.year, year),
        sql`(${inArray(relativePovertyStandards.areaCode, [...ancestorCodesOf(areaCode), areaCode])} OR ${like(relativePovertyStandards.areaCode, `${scopePrefix(areaCode)}%`)})`,
      ),
    );
  return rows.sort((a, b) => scopePrefix(b.areaCode).length - scopePrefix(a.areaCode).length);
}

/**
 * Sets (creates or replaces) an area's relative-poverty standard for a year. Audited with before and after.
 * @param input { areaCode, year, method: 'absolute' (line: yuan per person per year) | 'medianShare' (share of the median, 0–1), note? }
 * @throws AppError FORBIDDEN, NOT_FOUND (area absent or outside scope), VALIDATION_FAILED (['line'] / ['share'] missing for the method)
 */
export async function setRelativePovertyStandard(db: Db, actor: Actor, input: RelativeStandardInput): Promise<StandardViewDto> {
  authorize(actor, IDENTIFICATION['identification.standards'], { areaCode: input.areaCode, label: AREA });
  const area = await loadArea(db, input.areaCode);
  if (!area || area.validTo !== null) throw notFound(AREA.zh, AREA.en);
  const line = input.method === 'absolute' ? (input.line ?? null) : null;
  const share = input.method === 'medianShare' ? (input.share ?? null) : null;
  if (input.method === 'absolute' && !(line && line > 0)) throw invalid([{ path: ['line'], message: '按绝对标准须填写大于 0 的标准线（元/人·年）', messageEn: 'the line (yuan per person per year, above 0) is required' }]);
  if (input.method === 'medianShare' && !(share && share > 0 && share <= 1)) throw invalid([{ path: ['share'], message: '按中位数比例须填写 0–1 之间的比例', messageEn: 'a share of the median between 0 and 1 is required' }]);
  await db.transaction(async (tx) => {
    const [before] = await tx
      .select()
      .from(relativePovertyStandards)
      .where(and(eq(relativePovertyStandards.areaCode, input.areaCode), eq(relativePovertyStandards.year, input.year)))
      .for('update');
    const values = { method: input.method, line, share, note: input.note ?? null, updatedBy: actor.id, updatedAt: new Date() };
    await tx
      .insert(relativePovertyStandards)
      .values({ areaCode: input.areaCode, year: input.year, ...values })
      .onConflictDoUpdate({ target: [relativePovertyStandards.areaCode, relativePovertyStandards.year], set: values });
    await recordAudit(tx, actor, {
      action: IDENTIFICATION['identification.standards'],
      targetType: 'relativePovertyStandard',
      targetId: `${input.areaCode}:${input.year}`,
      areaCode: input.areaCode,
      before: before ? { method: before.method, line: before.line, share: before.share, note: before.note } : undefined,
      after: { method: input.method, line, share, note: values.note },
    });
  });
  return getRelativePovertyStandard(db, actor, input.areaCode, input.year);
}

function invalid(issues: FieldIssue[]): AppError {
  return new AppError('VALIDATION_FAILED', `输入有误：${issues.map((i) => i.message).join('；')}`, `Invalid input: ${issues.map((i) => i.messageEn).join('; ')}`, { issues });
}

/**
 * An area's own standard for the year and the one that applies to it (its own, or the nearest
 * enclosing area's), each with the median it works on and the resulting line.
 * @throws AppError NOT_FOUND (outside scope)
 */
export async function getRelativePovertyStandard(db: Db, actor: Actor, areaCode: string, year: number): Promise<StandardViewDto> {
  authorize(actor, IDENTIFICATION['identification.read'], { areaCode, label: AREA });
  const mine = new Set([...ancestorCodesOf(areaCode), areaCode]);
  const rows = (await selectStandards(db, areaCode, year)).filter((r) => mine.has(r.areaCode));
  const effective = rows[0] ? (await toStandardDtos(db, [rows[0]]))[0]! : null;
  const own = effective && effective.areaCode === areaCode ? effective : null;
  return { own, effective };
}

/** What the candidate query keeps: active, not yet poor, no live application, an income record below the line of its most specific standard. */
function candidateFilters(prefix: string, year: number, lineOf: SQL): SQL[] {
  return [
    like(households.areaCode, `${prefix}%`),
    eq(households.active, true),
    notInArray(households.householdType, ALREADY_POOR),
    eq(householdIncomes.year, year),
    sql`${householdIncomes.perCapitaNetIncome} < ${lineOf}`,
    sql`NOT EXISTS (SELECT 1 FROM ${identificationApplications} a WHERE a.household_id = ${households.id} AND a.state NOT IN ('registered','rejected','withdrawn'))`,
  ];
}

/** The line of each household as a CASE over the standards (most specific first), and the standards used. */
async function linesOf(db: DbOrTx, areaCode: string, year: number): Promise<{ standards: StandardDto[]; lineOf: SQL; sourceOf: SQL } | { standards: StandardDto[]; lineOf: null; sourceOf: null }> {
  const standards = await toStandardDtos(db, await selectStandards(db, areaCode, year));
  const usable = standards.filter((s) => s.effectiveLine !== null);
  if (usable.length === 0) return { standards, lineOf: null, sourceOf: null };
  const line = sql.join(usable.map((s) => sql`WHEN ${households.areaCode} LIKE ${`${scopePrefix(s.areaCode)}%`} THEN ${s.effectiveLine}::numeric`), sql` `);
  const source = sql.join(usable.map((s) => sql`WHEN ${households.areaCode} LIKE ${`${scopePrefix(s.areaCode)}%`} THEN ${s.areaCode}`), sql` `);
  return { standards, lineOf: sql`(CASE ${line} END)`, sourceOf: sql`(CASE ${source} END)` };
}

/**
 * Relative-poverty candidates of an area for a year: active households (ordinary, marginal, monitored
 * and exited ones included) whose per-capita net income of that year is below the line of the most
 * specific standard enclosing them, that are not registered or relatively poor already and have no live
 * application; lowest income first, paged, phones masked. Without a standard the list is empty
 * (`standards` says so).
 * @throws AppError NOT_FOUND (outside scope)
 */
export async function findRelativePovertyCandidates(db: Db, actor: Actor, query: { areaCode: string; year: number; page: number; pageSize: number }): Promise<CandidatePageDto> {
  authorize(actor, IDENTIFICATION['identification.read'], { areaCode: query.areaCode, label: AREA });
  const { standards, lineOf, sourceOf } = await linesOf(db, query.areaCode, query.year);
  const empty = { standards, items: [], total: 0, page: query.page, pageSize: query.pageSize };
  if (!lineOf) return empty;
  const where = and(...candidateFilters(scopePrefix(query.areaCode), query.year, lineOf));
  const [rows, [total]] = await Promise.all([
    db
      .select({
        householdId: households.id,
        householdNo: households.householdNo,
        headName: households.headName,
        areaCode: households.areaCode,
        groupName: households.groupName,
        householdType: households.householdType,
        status: households.status,
        memberCount: households.memberCount,
        phone: households.phone,
        perCapitaNetIncome: householdIncomes.perCapitaNetIncome,
        line: sql<string>`${lineOf}`,
        standardAreaCode: sql<string>`${sourceOf}`,
      })
      .from(households)
      .innerJoin(householdIncomes, eq(householdIncomes.householdId, households.id))
      .where(where)
      .orderBy(householdIncomes.perCapitaNetIncome, households.householdNo)
      .limit(query.pageSize)
      .offset(offsetOf(query)),
    db
      .select({ n: sql<number>`count(*)::int` })
      .from(households)
      .innerJoin(householdIncomes, eq(householdIncomes.householdId, households.id))
      .where(where),
  ]);
  const names = await loadAreaNames(db, [...new Set(rows.map((r) => r.areaCode))]);
  return {
    standards,
    items: rows.map((r) => ({ ...r, villageName: names.get(r.areaCode)?.name ?? '', phone: maskPhone(r.phone), line: Number(r.line) })),
    total: Number(total!.n),
    page: query.page,
    pageSize: query.pageSize,
  };
}

/**
 * Enters selected candidates of ONE village into the identification procedure: checks that each is a
 * candidate now (in the village, below the line, not poor, no live application), then creates the
 * village's batch of kind 'relativePoverty' through the procedure's `createBatch` (service.ts), which
 * audits it and runs the red-line checks. Two years are at play: `input.year` is the income year (收入年度:
 * the standard's year and the year of the incomes compared with it, usually last year), while the batch
 * gets the identification year (识别年度: the current year, China time — the year of the open adjustment
 * round), so that a batch made in 2026 from 2025 incomes is 「…2026年相对贫困识别」.
 * @param input { areaCode (a village), year (the income year), title?, appliedOn (YYYY-MM-DD), householdIds }
 * @returns the batch (year = the identification year)
 * @throws AppError FORBIDDEN, NOT_FOUND (village outside scope), VALIDATION_FAILED (['areaCode'] not a
 *   village; ['householdIds', i] not a candidate), CONFLICT (no standard applies to the village that year)
 */
export async function createRelativePovertyBatch(db: Db, actor: Actor, input: RelativeBatchInput): Promise<BatchDto> {
  authorize(actor, IDENTIFICATION['identification.apply'], { areaCode: input.areaCode, label: VILLAGE });
  if (levelOfCode(input.areaCode) !== 'village') throw invalid([{ path: ['areaCode'], message: '识别批次按村提交，请选择一个村', messageEn: 'a batch is submitted by one village' }]);
  const { lineOf } = await linesOf(db, input.areaCode, input.year);
  if (!lineOf) {
    throw new AppError('CONFLICT', `该村 ${input.year} 年没有适用的相对贫困标准，请先设定标准`, `No relative-poverty standard applies to the village for ${input.year}; set one first`, { areaCode: input.areaCode, year: input.year });
  }
  const found = await db
    .select({ id: households.id })
    .from(households)
    .innerJoin(householdIncomes, eq(householdIncomes.householdId, households.id))
    .where(and(inArray(households.id, input.householdIds), ...candidateFilters(scopePrefix(input.areaCode), input.year, lineOf)));
  const ok = new Set(found.map((r) => r.id));
  const issues: FieldIssue[] = [];
  input.householdIds.forEach((id, i) => {
    if (!ok.has(id)) issues.push({ path: ['householdIds', i], message: '该户不是本村的相对贫困候选户', messageEn: 'not a relative-poverty candidate of this village' });
    else if (input.householdIds.indexOf(id) !== i) issues.push({ path: ['householdIds', i], message: '该户重复选择', messageEn: 'selected twice' });
  });
  if (issues.length > 0) throw invalid(issues);
  try {
    return await createBatch(db, actor, {
      areaCode: input.areaCode,
      year: currentYear(),
      kind: 'relativePoverty',
      ...(input.title ? { title: input.title } : {}),
      applications: input.householdIds.map((householdId) => ({ householdId, appliedOn: input.appliedOn, statement: '相对贫困标准以下，申请纳入相对贫困户识别' })),
    });
  } catch (e) {
    // The procedure names fields of its own body (applications.i.householdId); name ours.
    if (e instanceof AppError && e.code === 'VALIDATION_FAILED' && e.details.issues) {
      const mapped = e.details.issues.map((i) => (i.path[0] === 'applications' ? { ...i, path: i.path[2] === 'appliedOn' ? ['appliedOn'] : ['householdIds', i.path[1]!] } : i));
      throw new AppError('VALIDATION_FAILED', e.message, e.messageEn, { ...e.details, issues: mapped });
    }
    throw e;
  }
}

/**
 * Demo: sets the county's relative-poverty standard for the year — an absolute line of 1.4 × the demo's
 * poverty line of that year (households/demo.ts demoPovertyLine; a demonstration value, not a policy),
 * so that marginal and monitored households with low incomes appear as candidates. Pass an income year: the
 * households demo records incomes of the two or three years before its registry year (registry year − 1 has them all).
 */
export async function seedRelativePovertyDemo(db: Db, countyCode: string, year: number, actor: Actor = SYSTEM_ACTOR): Promise<StandardViewDto> {
  return setRelativePovertyStandard(db, actor, {
    areaCode: countyCode,
    year,
    method: 'absolute',
    line: Math.round(demoPovertyLine(year) * 1.4),
    note: '演示：约为当年扶贫标准的 1.4 倍（示例数值，非政策标准）',
  });
}
