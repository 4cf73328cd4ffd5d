/**
 * Data-quality checks (数据质量) on a small registry where each household fails exactly one check
 * (and some are clean), checked by a run (POST …/runs, then the job as the server's worker runs it):
 * the counts per check for the county, per township and per village, the drill-down lists naming
 * the right households with their findings, masking and scope; the page reading stored findings (a
 * fix shows only after a re-check, which the page dates; removed and moved households lose their
 * findings); and the SQL rule for ID numbers agreeing with quality-rules.ts idNumberProblem.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { resetDatabase } from '../../../test/db.ts';
import { expectError, signInAdmin, signInAs, testApp, type Client } from '../../../test/http.ts';
import { member } from '../../../test/people.ts';
import { CHENGXI, DAWEISHAN, HUAICHUAN, idNumberOf, LIUYANG, register, TONGXING, wrongCheck, ZHONGYUE } from '../../../test/households.ts';
import type { App } from '../../platform/http.ts';
import { rowsOf, type Database } from '../../platform/db.ts';
import { SYSTEM_ACTOR } from '../../platform/auth.ts';
import { claimJob, runJob } from '../../platform/jobs.ts';
import { jobHandlers } from '../../app.ts';
import { findDataQualityCounts, ID_PROBLEM_SQL, QUALITY_JOB, queueStaleDataQualityRuns, refreshDataQuality } from './quality.ts';
import { idNumberProblem, QUALITY_CHECK_CODES, type CheckCounts, type QualityCheckCode, type QualityHousehold, type QualityOverview, type QualityRun } from './quality-rules.ts';
import type { Page } from '../../shared/paging.ts';

let app: App;
let database: Database;
let admin: Client;
let county: Client;
let township: Client;
let huaichuan: Client;
/** The county's page before any run. */
let neverChecked: QualityOverview;

/** 户编号 by tag. */
const no: Record<string, string> = {};
const hid: Record<string, string> = {};

/** A household that passes every check: cause 因病 with an ill head, a working son, income below the line. */
function clean(tag: string, areaCode: string, extra: Record<string, unknown> = {}, members?: unknown[]) {
  return {
    areaCode,
    groupName: '一组',
    householdType: 'registeredPoor',
    povertyAttribute: 'general',
    mainPovertyCause: 'illness',
    otherPovertyCauses: [],
    status: 'notExited',
    identificationYear: 2016,
    members: members ?? [
      member(`${tag}户主`, 'head', '19700312', 'male', { health: 'chronicIllness', labourAbility: 'weakLabour' }),
      member(`${tag}配偶`, 'spouse', '19720518', 'female', { health: 'healthy', labourAbility: 'ordinaryLabour' }),
      member(`${tag}之子`, 'son', '19980101', 'male', { health: 'healthy', labourAbility: 'ordinaryLabour', employment: 'inCounty', monthsWorked: 10 }),
      member(`${tag}之女`, 'daughter', '20120909', 'female', { health: 'healthy', schooling: 'primary' }),
    ],
    // (8000 + 3000 + 2400 − 1200) ÷ 4 = 3050 yuan per person, below the 2025 line (5105).
    income: { year: 2025, wageIncome: 8000, productionIncome: 3000, propertyIncome: 0, transferIncome: 2400, productionCosts: 1200 },
    ...extra,
  };
}

async function add(tag: string, body: ReturnType<typeof clean>) {
  const h = await register(admin, body);
  no[tag] = h.householdNo;
  hid[tag] = h.id;
}

async function exec(q: ReturnType<typeof sql>) {
  return rowsOf<Record<string, unknown>>(await database.db.execute(q));
}

beforeAll(async () => {
  database = await resetDatabase();
  app = await testApp(database);
  admin = await signInAdmin(app);
  county = await signInAs(app, database, 'county_officer', LIUYANG);
  township = await signInAs(app, database, 'township_officer', DAWEISHAN);
  huaichuan = await signInAs(app, database, 'township_officer', HUAICHUAN);

  // Clean households.
  await add('C1', clean('C1', ZHONGYUE));
  await add('C2', clean('C2', CHENGXI));
  // K3: 缺劳动力 with one able labourer of four (spouse lost labour): consistent.
  await add('K3', clean('K3', TONGXING, { mainPovertyCause: 'lackOfLabour' }, [
    member('K3户主', 'head', '19700312', 'male', { health: 'chronicIllness', labourAbility: 'weakLabour' }),
    member('K3配偶', 'spouse', '19720518', 'female', { health: 'chronicIllness', labourAbility: 'lostLabour' }),
    member('K3之子', 'son', '19980101', 'male', { labourAbility: 'ordinaryLabour', employment: 'inCounty', monthsWorked: 10 }),
    member('K3之女', 'daughter', '20120909', 'female', { schooling: 'primary' }),
  ]));

  // One failing check each.
  await add('H1', clean('H1', ZHONGYUE)); // head: wrong check character
  await add('H2', clean('H2', TONGXING)); // head: empty number
  await add('M1', clean('M1', ZHONGYUE)); // spouse: placeholder number
  await add('M2', clean('M2', CHENGXI)); // daughter: birth date differs from the number
  await add('D1', clean('D1', TONGXING)); // son: same number as D2's son
  await add('D2', clean('D2', CHENGXI));
  await add('P1', clean('P1', ZHONGYUE)); // spouse: same name and birth date as P2's spouse
  await add('P2', clean('P2', CHENGXI));
  await add('B1', clean('B1', TONGXING, {}, [
    member('B1户主', 'head', '19700312', 'male', { health: 'chronicIllness', labourAbility: 'weakLabour' }),
    member('B1配偶', 'spouse', '19720518', 'female', { health: 'healthy', labourAbility: 'ordinaryLabour' }),
    member('B1之子', 'son', '19980101', 'male', { labourAbility: 'ordinaryLabour', employment: 'inCounty', monthsWorked: 10 }),
    member('B1之女', 'daughter', '20120909', 'female', { health: 'disabled', schooling: 'primary' }), // no category or grade
  ]));
  await add('I1', clean('I1', ZHONGYUE, {}, [
    member('I1户主', 'head', '19700312', 'male', { health: 'chronicIllness', labourAbility: 'weakLabour' }),
    member('I1配偶', 'spouse', '19720518', 'female', { health: 'healthy' }),
    member('I1之子', 'son', '19980101', 'male', { health: 'healthy' }), // wage income, nobody working
  ]));
  await add('I2', clean('I2', TONGXING, { income: { year: 2025, wageIncome: 8000, productionIncome: 3000, transferIncome: 0, productionCosts: 1200 } }, [
    member('I2户主', 'head', '19700312', 'male', { health: 'chronicIllness', labourAbility: 'weakLabour' }),
    member('I2配偶', 'spouse', '19720518', 'female', { health: 'healthy', minimumLiving: true }), // 低保, no transfer income
    member('I2之子', 'son', '19980101', 'male', { employment: 'inCounty', monthsWorked: 10 }),
  ]));
  // (30000 + 3000 + 2400 − 1200) ÷ 4 = 8550 > 5105: registered poor, not exited, above the line.
  await add('I3', clean('I3', CHENGXI, { income: { year: 2025, wageIncome: 30000, productionIncome: 3000, transferIncome: 2400, productionCosts: 1200 } }));
  await add('K1', clean('K1', ZHONGYUE, { income: { year: 2025, wageIncome: 4000, productionIncome: 2000, transferIncome: 1000, productionCosts: 500 } }, [
    member('K1户主', 'head', '19700312', 'male', { health: 'healthy' }), // 因病, nobody ill
    member('K1配偶', 'spouse', '19720518', 'female', { health: 'healthy', employment: 'inCounty', monthsWorked: 8 }),
  ]));
  // 缺劳动力 with two able labourers of working age among four.
  await add('K2', clean('K2', CHENGXI, { mainPovertyCause: 'lackOfLabour' }));
  // Removed from the registry: not counted, whatever its data.
  await add('R1', clean('R1', ZHONGYUE));

  await exec(sql`UPDATE members SET id_number = ${wrongCheck(idNumberOf('19700312', '901'))} WHERE name = 'H1户主'`);
  await exec(sql`UPDATE members SET id_number = '' WHERE name = 'H2户主'`);
  await exec(sql`UPDATE members SET id_number = '000000000000000000' WHERE name = 'M1配偶'`);
  await exec(sql`UPDATE members SET birth_date = '2012-09-10' WHERE name = 'M2之女'`);
  await exec(sql`UPDATE members SET id_number = (SELECT id_number FROM members WHERE name = 'D1之子') WHERE name = 'D2之子'`);
  await exec(sql`UPDATE members SET name = 'P1配偶' WHERE name = 'P2配偶'`);
  await exec(sql`UPDATE members SET id_number = '' WHERE name = 'R1户主'`);
  await exec(sql`UPDATE households SET active = false, removed_reason = '测试注销' WHERE id = ${hid.R1!}`);
  // A removed member with an empty number does not count either.
  await exec(sql`UPDATE members SET status = 'removed', change_reason = 'moveOut', id_number = '' WHERE name = 'C2之女'`);
  neverChecked = await overview(county);
  await recheck(county);
});

/** Queues a run of the area (the client's own by default) and runs its job as the server's worker would. @returns the run */
async function recheck(c: Client, areaCode?: string): Promise<QualityRun> {
  const res = await c.request('POST', '/api/identification/data-quality/runs', areaCode ? { areaCode } : {});
  expect(res.statusCode, res.body).toBe(202);
  const job = await claimJob(database.db, [QUALITY_JOB]);
  expect(job?.id).toBe((res.json() as QualityRun).jobId);
  await runJob(database.db, job!, jobHandlers()[QUALITY_JOB]!);
  const [run] = await exec(sql`SELECT status FROM data_quality_runs WHERE id = ${(res.json() as QualityRun).id}`);
  expect(run!.status).toBe('done');
  return res.json() as QualityRun;
}
afterAll(() => app.close());

const zero = (): CheckCounts => Object.fromEntries(QUALITY_CHECK_CODES.map((c) => [c, 0])) as CheckCounts;
const counts = (x: Partial<CheckCounts>): CheckCounts => ({ ...zero(), ...x });

async function overview(c: Client, areaCode?: string): Promise<QualityOverview> {
  const res = await c.request('GET', `/api/identification/data-quality${areaCode ? `?areaCode=${areaCode}` : ''}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as QualityOverview;
}

async function households(c: Client, check: QualityCheckCode, query = ''): Promise<Page<QualityHousehold>> {
  const res = await c.request('GET', `/api/identification/data-quality/${check}${query ? `?${query}` : ''}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as Page<QualityHousehold>;
}

const ZHONGYUE_COUNTS = counts({ headIdMissing: 1, memberIdMissing: 1, possibleDuplicatePerson: 1, incomeInconsistent: 1, causeInconsistent: 1 });
const TONGXING_COUNTS = counts({ headIdMissing: 1, duplicateIdNumber: 1, disabilityInfoMissing: 1, incomeInconsistent: 1 });
const CHENGXI_COUNTS = counts({ memberIdMissing: 1, duplicateIdNumber: 1, possibleDuplicatePerson: 1, incomeInconsistent: 1, causeInconsistent: 1 });

describe('counts per check', () => {
  it('the county (the officer’s own area by default): every check, and each township', async () => {
    const o = await overview(county);
    expect(o.area).toMatchObject({ code: LIUYANG, name: '浏阳市', level: 'county', households: 17, withAnyProblem: 14 });
    expect(o.area.counts).toEqual(counts({ headIdMissing: 2, memberIdMissing: 2, duplicateIdNumber: 2, possibleDuplicatePerson: 2, disabilityInfoMissing: 1, incomeInconsistent: 3, causeInconsistent: 2 }));
    expect(o.breadcrumb).toEqual([]);
    const dws = o.children.find((c) => c.code === DAWEISHAN)!;
    const hc = o.children.find((c) => c.code === HUAICHUAN)!;
    expect(dws).toMatchObject({ name: '大围山镇', level: 'township', households: 11, withAnyProblem: 9 });
    expect(dws.counts).toEqual(counts({ headIdMissing: 2, memberIdMissing: 1, duplicateIdNumber: 1, possibleDuplicatePerson: 1, disabilityInfoMissing: 1, incomeInconsistent: 2, causeInconsistent: 1 }));
    expect(hc).toMatchObject({ households: 6, withAnyProblem: 5, counts: CHENGXI_COUNTS });
    // Every township of the county is listed; those without households show zeros.
    expect(o.children.length).toBeGreaterThan(20);
    expect(o.children.filter((c) => c.households > 0).map((c) => c.code)).toEqual([HUAICHUAN, DAWEISHAN]);
  });

  it('drilling down: the township’s villages, then a village (no children)', async () => {
    const t = await overview(county, DAWEISHAN);
    expect(t.breadcrumb).toEqual([{ code: LIUYANG, name: '浏阳市', level: 'county' }]);
    expect(t.children.find((c) => c.code === ZHONGYUE)).toMatchObject({ name: '中岳村', level: 'village', households: 6, withAnyProblem: 5, counts: ZHONGYUE_COUNTS });
    expect(t.children.find((c) => c.code === TONGXING)).toMatchObject({ households: 5, withAnyProblem: 4, counts: TONGXING_COUNTS });
    const v = await overview(county, ZHONGYUE);
    expect(v.area).toMatchObject({ code: ZHONGYUE, households: 6, counts: ZHONGYUE_COUNTS });
    expect(v.children).toEqual([]);
    expect(v.breadcrumb.map((b) => b.code)).toEqual([LIUYANG, DAWEISHAN]);
  });

  it('the administrator without an area starts at the whole country; findDataQualityCounts gives the same figures', async () => {
    const o = await overview(admin);
    expect(o.area).toMatchObject({ code: null, level: 'country', households: 17 });
    expect(o.children.find((c) => c.code === '430000000000')).toMatchObject({ name: '湖南省', households: 17, withAnyProblem: 14 });
    const direct = await findDataQualityCounts(database.db, SYSTEM_ACTOR, CHENGXI);
    expect(direct.area).toMatchObject({ households: 6, counts: CHENGXI_COUNTS });
    expect(direct.breadcrumb.map((b) => b.code)).toEqual([null, '430000000000', '430100000000', LIUYANG, HUAICHUAN]);
  });

  it('a township officer reads their own township; another township is not found (404)', async () => {
    const own = await overview(township);
    expect(own.area).toMatchObject({ code: DAWEISHAN, households: 11 });
    expect(own.breadcrumb).toEqual([]);
    expectError(await township.request('GET', `/api/identification/data-quality?areaCode=${CHENGXI}`), 404, 'NOT_FOUND');
    expectError(await township.request('GET', `/api/identification/data-quality?areaCode=${LIUYANG}`), 404, 'NOT_FOUND');
    expectError(await township.request('GET', `/api/identification/data-quality/headIdMissing?areaCode=${HUAICHUAN}`), 404, 'NOT_FOUND');
    expectError(await huaichuan.request('GET', `/api/identification/data-quality/headIdMissing?areaCode=${ZHONGYUE}`), 404, 'NOT_FOUND');
    // An area code that does not exist is not found either.
    expectError(await county.request('GET', '/api/identification/data-quality?areaCode=430181999999'), 404, 'NOT_FOUND');
  });
});

describe('the households failing a check', () => {
  const names = (p: Page<QualityHousehold>) => p.items.map((i) => i.headName).sort();

  it('names exactly the failing households of each check, with village and findings', async () => {
    const expected: Record<QualityCheckCode, string[]> = {
      headIdMissing: ['H1户主', 'H2户主'],
      memberIdMissing: ['M1户主', 'M2户主'],
      duplicateIdNumber: ['D1户主', 'D2户主'],
      possibleDuplicatePerson: ['P1户主', 'P2户主'],
      disabilityInfoMissing: ['B1户主'],
      incomeInconsistent: ['I1户主', 'I2户主', 'I3户主'],
      causeInconsistent: ['K1户主', 'K2户主'],
    };
    for (const check of QUALITY_CHECK_CODES) {
      const p = await households(county, check);
      expect(names(p), check).toEqual(expected[check]);
      expect(p.total, check).toBe(expected[check].length);
      for (const item of p.items) expect(item.findings.length, `${check} ${item.headName}`).toBeGreaterThan(0);
    }
  });

  it('says which member and field, with ID numbers masked', async () => {
    const head = await households(county, 'headIdMissing');
    const h1 = head.items.find((i) => i.householdNo === no.H1)!;
    expect(h1).toMatchObject({ householdId: hid.H1, areaCode: ZHONGYUE, villageName: '中岳村', townshipName: '大围山镇' });
    expect(h1.findings).toEqual([expect.objectContaining({ reason: 'checkDigit', memberName: 'H1户主', field: 'idNumber' })]);
    expect(h1.findings[0]!.text.zh).toMatch(/^户主 H1户主（430181\*{8}\d{3}[\dX]）：证件号码校验码不符$/);
    expect(head.items.find((i) => i.householdNo === no.H2)!.findings).toEqual([expect.objectContaining({ reason: 'empty', memberName: 'H2户主' })]);

    const mem = await households(county, 'memberIdMissing');
    expect(mem.items.find((i) => i.householdNo === no.M1)!.findings).toEqual([expect.objectContaining({ reason: 'placeholder', memberName: 'M1配偶' })]);
    expect(mem.items.find((i) => i.householdNo === no.M2)!.findings).toEqual([expect.objectContaining({ reason: 'birthDateMismatch', memberName: 'M2之女', field: 'birthDate' })]);

    const dup = await households(county, 'duplicateIdNumber');
    const d1 = dup.items.find((i) => i.householdNo === no.D1)!;
    expect(d1.findings).toEqual([expect.objectContaining({ reason: 'sameIdNumber', memberName: 'D1之子' })]);
    expect(d1.findings[0]!.text.zh).toContain(no.D2);
    expect(JSON.stringify(dup)).not.toMatch(/\d{18}/);

    const inc = await households(county, 'incomeInconsistent');
    const reasons = Object.fromEntries(inc.items.map((i) => [i.headName, i.findings.map((f) => f.reason)]));
    expect(reasons).toEqual({ I1户主: ['wageWithoutWork'], I2户主: ['noTransferWithAllowance'], I3户主: ['aboveLine'] });
    expect(inc.items.find((i) => i.headName === 'I3户主')!.findings[0]!.text.zh).toBe('未脱贫，但 2025 年人均纯收入 8,550.00 元高于识别标准 5,105.00 元');

    const cause = await households(county, 'causeInconsistent');
    expect(Object.fromEntries(cause.items.map((i) => [i.headName, i.findings.map((f) => f.reason)]))).toEqual({
      K1户主: ['illnessWithoutIllMember'],
      K2户主: ['lackOfLabourWithLabour'],
    });
  });

  it('a household outside the reader’s scope is not named; the list keeps to the area', async () => {
    const dup = await households(township, 'duplicateIdNumber');
    expect(dup.items.map((i) => i.householdNo)).toEqual([no.D1]);
    expect(dup.items[0]!.findings[0]!.text.zh).toContain('辖区外另一户');
    expect(dup.items[0]!.findings[0]!.text.zh).not.toContain(no.D2!);
    const village = await households(county, 'incomeInconsistent', `areaCode=${TONGXING}`);
    expect(village.items.map((i) => i.householdNo)).toEqual([no.I2]);
  });

  it('pages in 户编号 order', async () => {
    const p1 = await households(county, 'incomeInconsistent', 'pageSize=2&page=1');
    const p2 = await households(county, 'incomeInconsistent', 'pageSize=2&page=2');
    const p3 = await households(county, 'incomeInconsistent', 'pageSize=2&page=3');
    expect([p1.total, p2.total, p3.total]).toEqual([3, 3, 3]);
    const all = [...p1.items, ...p2.items].map((i) => i.householdNo);
    expect(all).toEqual([no.I1, no.I2, no.I3].sort());
    expect(p3.items).toEqual([]);
  });
});

describe('stored findings and re-checks', () => {
  it('before any run the page says the area was never checked; the run dates it and reports its progress', async () => {
    expect(neverChecked).toMatchObject({ checkedAt: null, stale: true, run: null });
    expect(neverChecked.area).toMatchObject({ households: 17, withAnyProblem: 0, counts: zero() });
    const o = await overview(county);
    expect(o.stale).toBe(false);
    expect(o.run).toBeNull();
    expect(Date.parse(o.checkedAt!)).toBeGreaterThan(Date.now() - 3_600_000);
    const runs = await county.request('GET', '/api/identification/data-quality/runs');
    expect(runs.statusCode).toBe(200);
    const [last] = runs.json() as QualityRun[];
    expect(last).toMatchObject({ areaCode: LIUYANG, status: 'done', households: 17 });
    const job = await county.request('GET', `/api/jobs/${last!.jobId}`);
    expect(job.json()).toMatchObject({ type: QUALITY_JOB, status: 'succeeded', progress: 17, total: 17 });
    // The list says when each household was checked.
    const h = await households(county, 'headIdMissing');
    expect(h.items.every((i) => Date.parse(i.checkedAt) <= Date.parse(last!.finishedAt!))).toBe(true);
  });

  it('a fix in the registry shows after a re-check, not before; the re-checked township is dated anew', async () => {
    const before = await overview(township);
    await exec(sql`UPDATE members SET id_number = ${idNumberOf('19700312', '977')} WHERE name = 'H2户主'`);
    expect((await households(township, 'headIdMissing')).items.map((i) => i.headName).sort()).toEqual(['H1户主', 'H2户主']);
    expect((await overview(township)).area.counts.headIdMissing).toBe(2);

    await recheck(township);
    expect((await households(township, 'headIdMissing')).items.map((i) => i.headName)).toEqual(['H1户主']);
    const after = await overview(township);
    expect(after.area.counts.headIdMissing).toBe(1);
    expect(after.area.withAnyProblem).toBe(before.area.withAnyProblem - 1);
    expect(Date.parse(after.checkedAt!)).toBeGreaterThan(Date.parse(before.checkedAt!));
    // The county's page is as old as its oldest findings (the other township's).
    const c = await overview(county);
    expect(c.area.counts.headIdMissing).toBe(1);
    expect(Date.parse(c.checkedAt!)).toBeLessThan(Date.parse(after.checkedAt!));
  });

  it('a household removed, or moved out of the area, loses its findings there at the re-check', async () => {
    // K1 (中岳村, 因病 without an ill member) is removed; I2 (同兴村, 低保 without transfer income) moves to 城西村 in another township.
    await exec(sql`UPDATE households SET active = false, removed_reason = '测试注销' WHERE id = ${hid.K1!}`);
    await exec(sql`UPDATE households SET area_code = ${CHENGXI} WHERE id = ${hid.I2!}`);
    expect((await households(county, 'causeInconsistent')).items.map((i) => i.householdNo)).toContain(no.K1);
    expect((await households(township, 'incomeInconsistent')).items.map((i) => i.householdNo)).toContain(no.I2);

    // Re-checking the township the household moved to takes it out of the old one.
    await recheck(county, HUAICHUAN);
    expect((await households(township, 'incomeInconsistent')).items.map((i) => i.householdNo)).toEqual([no.I1]);
    expect((await households(huaichuan, 'incomeInconsistent')).items.map((i) => i.householdNo).sort()).toEqual([no.I2, no.I3].sort());
    const t = await overview(county, DAWEISHAN);
    expect(t.children.find((c) => c.code === TONGXING)!.counts.incomeInconsistent).toBe(0);

    // The removed household keeps its finding until its own area is checked again.
    expect((await households(county, 'causeInconsistent')).items.map((i) => i.householdNo)).toContain(no.K1);
    await recheck(county, ZHONGYUE);
    expect((await households(county, 'causeInconsistent')).items.map((i) => i.householdNo)).toEqual([no.K2]);
    const [left] = await exec(sql`SELECT count(*)::int AS n FROM data_quality_findings WHERE household_id = ${hid.K1!}`);
    expect(left!.n).toBe(0);
  });

  it('a second request while a run is queued returns it; refreshDataQuality records its own run', async () => {
    const a = await county.request('POST', '/api/identification/data-quality/runs', { areaCode: TONGXING });
    const b = await township.request('POST', '/api/identification/data-quality/runs', { areaCode: TONGXING });
    expect([a.statusCode, b.statusCode]).toEqual([202, 202]);
    expect((b.json() as QualityRun).id).toBe((a.json() as QualityRun).id);
    expect((await overview(township, TONGXING)).run).toMatchObject({ id: (a.json() as QualityRun).id, status: 'queued' });
    const job = await claimJob(database.db, [QUALITY_JOB]);
    await runJob(database.db, job!, jobHandlers()[QUALITY_JOB]!);
    const c = await county.request('POST', '/api/identification/data-quality/runs', { areaCode: TONGXING });
    expect((c.json() as QualityRun).id).not.toBe((a.json() as QualityRun).id);
    await runJob(database.db, (await claimJob(database.db, [QUALITY_JOB]))!, jobHandlers()[QUALITY_JOB]!);

    const progress: number[] = [];
    const r = await refreshDataQuality(database.db, SYSTEM_ACTOR, DAWEISHAN, (done) => void progress.push(done));
    expect(r.households).toBe(9); // 11 less K1 (removed) and I2 (moved)
    expect(progress.at(-1)).toBe(9);
    const [run] = await exec(sql`SELECT status, households FROM data_quality_runs WHERE id = ${r.runId}`);
    expect(run).toEqual({ status: 'done', households: 9 });
  });

  it('the daily housekeeping re-checks, as the system, a county whose findings are over 24 hours old', async () => {
    expect(await queueStaleDataQualityRuns(database.db)).toBe(0);
    await exec(sql`UPDATE data_quality_runs SET finished_at = finished_at - interval '25 hours', created_at = created_at - interval '25 hours'`);
    expect((await overview(county)).stale).toBe(true);
    expect(await queueStaleDataQualityRuns(database.db)).toBe(1);
    expect(await queueStaleDataQualityRuns(database.db)).toBe(0); // queued already
    const job = await claimJob(database.db, [QUALITY_JOB]);
    expect(job).toMatchObject({ createdBy: null, areaCode: LIUYANG });
    await runJob(database.db, job!, jobHandlers()[QUALITY_JOB]!);
    const o = await overview(county);
    expect(o).toMatchObject({ stale: false, run: null });
    expect(o.area).toMatchObject({ households: 16 }); // 17 less K1 (removed)
  });
});

describe('the ID-number rule in SQL', () => {
  it('agrees with idNumberProblem on every kind of number', async () => {
    const good = idNumberOf('19700312', '901');
    const x = (() => {
      for (let i = 100; i < 999; i++) {
        const n = idNumberOf('19800101', String(i));
        if (n.endsWith('X')) return n;
      }
      throw new Error('no X');
    })();
    const samples: [string, string, string][] = [
      ['residentId', good, '1970-03-12'],
      ['residentId', x, '1980-01-01'],
      ['residentId', wrongCheck(good), '1970-03-12'],
      ['residentId', good, '1970-03-13'],
      ['residentId', '', '1970-03-12'],
      ['residentId', '   ', '1970-03-12'],
      ['residentId', '111111111111111111', '1970-03-12'],
      ['residentId', '430181********901X', '1970-03-12'],
      ['residentId', '无', '1970-03-12'],
      ['residentId', good.slice(0, 15), '1970-03-12'],
      ['residentId', `${good.slice(0, 17)}x`, '1970-03-12'],
      ['disabilityCertificate', `${good}42`, '1970-03-12'],
      ['disabilityCertificate', `${good}82`, '1970-03-12'],
      ['disabilityCertificate', good, '1970-03-12'],
      ['disabilityCertificate', `${wrongCheck(good)}42`, '1970-03-12'],
      ['officerId', '军字第 12345 号', '1970-03-12'],
      ['officerId', '', '1970-03-12'],
      ['officerId', '0000', '1970-03-12'],
    ];
    for (const [idType, idNumber, birthDate] of samples) {
      const [row] = await exec(sql`SELECT ${sql.raw(ID_PROBLEM_SQL)} AS p FROM (SELECT ${idType}::text AS id_type, ${idNumber}::text AS id_number, ${birthDate}::date AS birth_date) m`);
      expect(row!.p ?? null, `${idType} "${idNumber}" ${birthDate}`).toBe(idNumberProblem(idType, idNumber, birthDate));
    }
  });
});
