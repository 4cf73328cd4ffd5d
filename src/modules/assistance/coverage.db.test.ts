/**
 * Policy coverage (应享尽享) on a hand-built fixture: six households registered through the API in
 * three villages of two townships, with members whose ages, schooling, insurance, labour ability
 * and housing give known answers, and measures inserted into assistance_measures. The figures of
 * the county, a township, a village, a helper (own households only) and officers of other areas
 * are asserted exactly, and the drill-down lists name exactly the households and members expected.
 *
 * The fixture on 2026-03-15 (school year from 2025-09-01):
 *   H1 中岳村 registeredPoor, house C not renovated: head (insured), spouse (weak labour, NOT insured),
 *      son 11 primary with 义务教育资助 2026-01-10, daughter 13 not in school.
 *      → schooling 2/1 (daughter), insurance 4/3 (spouse), 低保 0/0, housing 1/0, subsidy 1/1
 *   H2 中岳村 monitored, 低保贫困户, house D renovated: head 81 lost labour, spouse no labour with
 *      医保参保资助 2025-12-01, grandson 4 pre-school (no subsidy).
 *      → schooling 0/0, insurance 3/3, 低保 1/1, housing 1/1, subsidy 1/0 (grandson)
 *   H3 同幸村 relativePoor: head no labour, wife lost labour, a son able to work but removed
 *      (married out, not insured).  → insurance 2/2, 低保 1/0 (nobody able to work), rest 0/0
 *   H4 同幸村 registeredPoor, house C with 危房改造 2024-05-01: head, daughter 17 senior 2 whose
 *      高中资助 of 2025-03-01 is older than 365 days, son 9 primary with 义务教育资助 2025-09-10.
 *      → schooling 1/1, insurance 3/3, 低保 0/0, housing 1/1, subsidy 2/1 (daughter)
 *   H5 同幸村 exited (脱贫户): gaps everywhere, not counted.
 *   H6 城西社区 (淮川街道) registeredPoor: head not insured, son 11 not in school.
 *      → schooling 1/0, insurance 2/1, rest 0/0
 *   H7 中岳村 registeredPoor, removed from the registry: not counted.
 * A helper (account of role helper) is the current helper of H1 and H4; H2's assignment ended.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../platform/db.ts';
import type { Actor } from '../../platform/auth.ts';
import type { App } from '../../platform/http.ts';
import { resetDatabase } from '../../../test/db.ts';
import { expectError, expectIssue, signInAdmin, signInAs, testApp, type Client } from '../../../test/http.ts';
import { CHENGXI, DAWEISHAN, HUAICHUAN, LIUYANG, register, TONGXING, ZHONGYUE } from '../../../test/households.ts';
import { member } from '../../../test/people.ts';
import type { HouseholdDto } from '../households/contract.ts';
import type { CoverageAreaDto, CoverageGapDto, CoverageSummaryDto, HouseholdCoverageDto } from './coverage-contract.ts';
import { findCoverageGaps, getCoverage } from './coverage.ts';
import { assistanceMeasures, assistingUnits, helperAssignments, helpers } from './schema.ts';

const JILI = '430181002000'; // 集里街道: no fixture household
const AS_OF = '2026-03-15';

let app: App;
let database: Database;
let admin: Client;
let county: Client;
let township: Client;
let otherTownship: Client;
let emptyTownship: Client;
let clerk: Client;
let helper: Client & { userId: string; username: string };
let helperActor: Actor;
const h: Record<'H1' | 'H2' | 'H3' | 'H4' | 'H5' | 'H6' | 'H7', HouseholdDto> = {} as never;

const poor = { householdType: 'registeredPoor', status: 'notExited', povertyAttribute: 'general', mainPovertyCause: 'illness', identificationYear: 2016 };
const insured = { medicalInsurance: true };

function memberId(d: HouseholdDto, name: string): string {
  const m = d.members.find((x) => x.name === name);
  if (!m) throw new Error(`no member ${name}`);
  return m.id;
}

async function measure(household: HouseholdDto, type: string, onDate: string, names: string[] = []) {
  await database.db.insert(assistanceMeasures).values({ householdId: household.id, type, onDate, memberIds: names.map((n) => memberId(household, n)), recordedByName: '测试录入员' });
}

async function coverage(c: Client, query = ''): Promise<CoverageSummaryDto> {
  const res = await c.request('GET', `/api/assistance/coverage?asOf=${AS_OF}${query}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as CoverageSummaryDto;
}

async function gaps(c: Client, query: string): Promise<{ items: CoverageGapDto[]; total: number }> {
  const res = await c.request('GET', `/api/assistance/coverage/gaps?asOf=${AS_OF}&${query}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { items: CoverageGapDto[]; total: number };
}

/** `indicator: should/receives (gap households)` for each indicator, compact for exact assertions. */
function table(a: CoverageAreaDto): Record<string, string> {
  return Object.fromEntries(a.indicators.map((i) => [i.indicator, `${i.should}/${i.receives} (${i.gapHouseholds})`]));
}

const ZERO = { compulsorySchooling: '0/0 (0)', medicalInsurance: '0/0 (0)', minimumLiving: '0/0 (0)', housingSafety: '0/0 (0)', educationSubsidy: '0/0 (0)' };

beforeAll(async () => {
  database = await resetDatabase();
  app = await testApp(database);
  admin = await signInAdmin(app);
  county = await signInAs(app, database, 'county_officer', LIUYANG);
  township = await signInAs(app, database, 'township_officer', DAWEISHAN);
  otherTownship = await signInAs(app, database, 'township_officer', HUAICHUAN);
  emptyTownship = await signInAs(app, database, 'township_officer', JILI);
  clerk = await signInAs(app, database, 'village_clerk', ZHONGYUE);
  helper = await signInAs(app, database, 'helper', DAWEISHAN);
  helperActor = { id: helper.userId, username: helper.username, displayName: '测试helper', role: 'helper', areaCode: DAWEISHAN };

  h.H1 = await register(admin, {
    ...poor,
    areaCode: ZHONGYUE,
    housingDangerGrade: 'C',
    members: [
      member('甲户主', 'head', '19750310', 'male', { labourAbility: 'ordinaryLabour', ...insured }),
      member('甲配偶', 'spouse', '19770420', 'female', { labourAbility: 'weakLabour' }),
      member('甲之子', 'son', '20140501', 'male', { schooling: 'primary', ...insured }),
      member('甲之女', 'daughter', '20120301', 'female', { schooling: 'notInSchool', ...insured }),
    ],
  });
  h.H2 = await register(admin, {
    ...poor,
    householdType: 'monitored',
    status: 'monitored',
    povertyAttribute: 'minimumLiving',
    areaCode: ZHONGYUE,
    housingDangerGrade: 'D',
    housingRenovated: true,
    members: [
      member('乙户主', 'head', '19450115', 'male', { labourAbility: 'lostLabour', ...insured }),
      member('乙配偶', 'spouse', '19480220', 'female', { labourAbility: 'noLabour' }),
      member('乙之孙', 'grandson', '20201001', 'male', { schooling: 'preschool', ...insured }),
    ],
  });
  h.H3 = await register(admin, {
    ...poor,
    householdType: 'relativePoor',
    areaCode: TONGXING,
    housingDangerGrade: 'B',
    members: [
      member('丙户主', 'head', '19500505', 'male', { labourAbility: 'noLabour', ...insured }),
      member('丙配偶', 'spouse', '19520606', 'female', { labourAbility: 'lostLabour', ...insured }),
      member('丙之子', 'son', '19800707', 'male', { labourAbility: 'ordinaryLabour' }),
    ],
  });
  h.H4 = await register(admin, {
    ...poor,
    areaCode: TONGXING,
    housingDangerGrade: 'C',
    members: [
      member('丁户主', 'head', '19850808', 'male', { labourAbility: 'ordinaryLabour', ...insured }),
      member('丁之女', 'daughter', '20080201', 'female', { schooling: 'senior2', ...insured }),
      member('丁之子', 'son', '20160601', 'male', { schooling: 'primary', ...insured }),
    ],
  });
  h.H5 = await register(admin, {
    ...poor,
    householdType: 'exited',
    status: 'exited',
    areaCode: TONGXING,
    housingDangerGrade: 'D',
    members: [member('戊户主', 'head', '19600909', 'male', { labourAbility: 'noLabour' }), member('戊之子', 'son', '20150303', 'male', { schooling: 'notInSchool' })],
  });
  h.H6 = await register(admin, {
    ...poor,
    areaCode: CHENGXI,
    members: [member('己户主', 'head', '19700101', 'male', { labourAbility: 'ordinaryLabour' }), member('己之子', 'son', '20140909', 'male', { schooling: 'notInSchool', ...insured })],
  });
  h.H7 = await register(admin, {
    ...poor,
    areaCode: ZHONGYUE,
    housingDangerGrade: 'D',
    members: [member('庚户主', 'head', '19551111', 'male', { labourAbility: 'noLabour' }), member('庚之女', 'daughter', '20130101', 'female', { schooling: 'notInSchool' })],
  });

  // H3's son married out: a removed member counts for nothing (else H3 would have labour and an uninsured member).
  const removed = await admin.request('POST', `/api/households/${h.H3.id}/members/${memberId(h.H3, '丙之子')}/remove`, { version: h.H3.version, reason: 'marriageOut' });
  expect(removed.statusCode, removed.body).toBe(200);
  const gone = await admin.request('POST', `/api/households/${h.H7.id}/remove`, { version: h.H7.version, reason: '重复登记' });
  expect(gone.statusCode, gone.body).toBe(200);

  await measure(h.H1, 'educationCompulsory', '2026-01-10', ['甲之子']);
  // A subsidy of another type and a premium for someone else change nothing.
  await measure(h.H1, 'yuluTraining', '2026-01-10', ['甲之女']);
  await measure(h.H2, 'medicalPremium', '2025-12-01', ['乙配偶']);
  await measure(h.H4, 'housingRenovation', '2024-05-01');
  await measure(h.H4, 'educationSenior', '2025-03-01', ['丁之女']);
  await measure(h.H4, 'educationCompulsory', '2025-09-10', ['丁之子']);
  // After the date asked about: not yet counted.
  await measure(h.H6, 'medicalPremium', '2026-03-16', ['己户主']);

  const [unit] = await database.db.insert(assistingUnits).values({ name: '浏阳市测试局', kind: 'organ', level: 'county', areaCode: LIUYANG }).returning();
  const [mine] = await database.db.insert(helpers).values({ name: '测试帮扶人', unitId: unit!.id, areaCode: DAWEISHAN, userId: helper.userId }).returning();
  const [other] = await database.db.insert(helpers).values({ name: '另一帮扶人', unitId: unit!.id, areaCode: DAWEISHAN }).returning();
  await database.db.insert(helperAssignments).values([
    { householdId: h.H1.id, helperId: mine!.id, startDate: '2025-01-01' },
    { householdId: h.H4.id, helperId: mine!.id, startDate: '2025-01-01' },
    { householdId: h.H2.id, helperId: mine!.id, startDate: '2024-01-01', endDate: '2024-12-31', endReason: '调整' },
    { householdId: h.H2.id, helperId: other!.id, startDate: '2025-01-01' },
    { householdId: h.H3.id, helperId: other!.id, startDate: '2025-01-01' },
  ]);
});
afterAll(() => app?.close());

describe('coverage of an area', () => {
  it('the county counts its five current assisted households, not the 脱贫户 nor the removed one', async () => {
    const c = await coverage(county);
    expect(c).toMatchObject({ areaCode: LIUYANG, name: '浏阳市', level: 'county', asOf: AS_OF, households: 5, ownHouseholdsOnly: false });
    expect(table(c)).toEqual({
      compulsorySchooling: '4/2 (2)',
      medicalInsurance: '14/12 (2)',
      minimumLiving: '2/1 (1)',
      housingSafety: '3/2 (1)',
      educationSubsidy: '4/2 (2)',
    });
    expect(c.indicators.find((i) => i.indicator === 'medicalInsurance')!.rate).toBeCloseTo(12 / 14, 10);
  });

  it('the county’s children are its townships, with the figures of each', async () => {
    const c = await coverage(county);
    const daweishan = c.children.find((x) => x.areaCode === DAWEISHAN)!;
    const huaichuan = c.children.find((x) => x.areaCode === HUAICHUAN)!;
    const jili = c.children.find((x) => x.areaCode === JILI)!;
    expect(daweishan).toMatchObject({ name: '大围山镇', level: 'township', households: 4 });
    expect(table(daweishan)).toEqual({ compulsorySchooling: '3/2 (1)', medicalInsurance: '12/11 (1)', minimumLiving: '2/1 (1)', housingSafety: '3/2 (1)', educationSubsidy: '4/2 (2)' });
    expect(huaichuan.households).toBe(1);
    expect(table(huaichuan)).toEqual({ ...ZERO, compulsorySchooling: '1/0 (1)', medicalInsurance: '2/1 (1)' });
    expect(jili.households).toBe(0);
    expect(table(jili)).toEqual(ZERO);
    expect(jili.indicators.every((i) => i.rate === null)).toBe(true);
    // The children add up to the county.
    expect(c.children.reduce((s, x) => s + x.households, 0)).toBe(5);
  });

  it('a township and its villages', async () => {
    const c = await coverage(township);
    expect(c).toMatchObject({ areaCode: DAWEISHAN, level: 'township', households: 4 });
    const zhongyue = c.children.find((x) => x.areaCode === ZHONGYUE)!;
    const tongxing = c.children.find((x) => x.areaCode === TONGXING)!;
    expect(zhongyue.households).toBe(2);
    expect(table(zhongyue)).toEqual({ compulsorySchooling: '2/1 (1)', medicalInsurance: '7/6 (1)', minimumLiving: '1/1 (0)', housingSafety: '2/1 (1)', educationSubsidy: '2/1 (1)' });
    expect(tongxing.households).toBe(2);
    expect(table(tongxing)).toEqual({ compulsorySchooling: '1/1 (0)', medicalInsurance: '5/5 (0)', minimumLiving: '1/0 (1)', housingSafety: '1/1 (0)', educationSubsidy: '2/1 (1)' });
    expect(c.children.filter((x) => x.areaCode !== ZHONGYUE && x.areaCode !== TONGXING).every((x) => x.households === 0)).toBe(true);
  });

  it('a village has no children; the county officer drills down to it', async () => {
    const c = await coverage(county, `&areaCode=${ZHONGYUE}`);
    expect(c).toMatchObject({ areaCode: ZHONGYUE, name: '中岳村', level: 'village', households: 2, children: [] });
    expect(c.fullName).toMatch(/浏阳市 大围山镇 中岳村$/);
    expect(c.ancestors.slice(-2)).toEqual([
      { code: LIUYANG, name: '浏阳市', level: 'county' },
      { code: DAWEISHAN, name: '大围山镇', level: 'township' },
    ]);
    expect(table(c)).toEqual({ compulsorySchooling: '2/1 (1)', medicalInsurance: '7/6 (1)', minimumLiving: '1/1 (0)', housingSafety: '2/1 (1)', educationSubsidy: '2/1 (1)' });
    expect(table(await coverage(clerk))).toEqual(table(c));
  });

  it('a helper sees only the households currently assigned to them', async () => {
    const c = await coverage(helper);
    expect(c).toMatchObject({ areaCode: DAWEISHAN, households: 2, ownHouseholdsOnly: true });
    expect(table(c)).toEqual({ compulsorySchooling: '3/2 (1)', medicalInsurance: '7/6 (1)', minimumLiving: '0/0 (0)', housingSafety: '2/1 (1)', educationSubsidy: '3/2 (1)' });
    const byVillage = Object.fromEntries(c.children.filter((x) => x.households > 0).map((x) => [x.areaCode, x.households]));
    expect(byVillage).toEqual({ [ZHONGYUE]: 1, [TONGXING]: 1 });
    expectError(await helper.request('GET', `/api/assistance/coverage?areaCode=${LIUYANG}`), 404, 'NOT_FOUND');
  });

  it('an officer of another township sees only their own area, and 404 for areas outside it', async () => {
    const other = await coverage(otherTownship);
    expect(other.households).toBe(1);
    expect(table(other)).toEqual({ ...ZERO, compulsorySchooling: '1/0 (1)', medicalInsurance: '2/1 (1)' });
    const empty = await coverage(emptyTownship);
    expect(empty).toMatchObject({ areaCode: JILI, households: 0 });
    expect(table(empty)).toEqual(ZERO);
    for (const area of [DAWEISHAN, ZHONGYUE, LIUYANG]) {
      const e = expectError(await emptyTownship.request('GET', `/api/assistance/coverage?areaCode=${area}`), 404, 'NOT_FOUND');
      expect(e.message).toMatch(/不存在或不在您的管辖范围内/);
      expectError(await emptyTownship.request('GET', `/api/assistance/coverage/gaps?indicator=medicalInsurance&areaCode=${area}`), 404, 'NOT_FOUND');
    }
  });

  it('the date matters: after the premium of 2026-03-16, H6’s head is insured', async () => {
    const res = await otherTownship.request('GET', '/api/assistance/coverage?asOf=2026-03-16');
    expect(table(res.json() as CoverageSummaryDto).medicalInsurance).toBe('2/2 (0)');
  });

  it('the administrator of the whole country sees provinces as children', async () => {
    const res = await admin.request('GET', `/api/assistance/coverage?asOf=${AS_OF}`);
    expect(res.statusCode, res.body).toBe(200);
    const c = res.json() as CoverageSummaryDto;
    expect(c).toMatchObject({ areaCode: null, level: 'country', households: 5 });
    expect(c.children.find((x) => x.areaCode === '430000000000')).toMatchObject({ name: '湖南省', households: 5 });
  });

  it('refuses an unknown area, a malformed one and a malformed date', async () => {
    expectError(await county.request('GET', '/api/assistance/coverage?areaCode=430181999000'), 404, 'NOT_FOUND');
    expectIssue(await county.request('GET', '/api/assistance/coverage?areaCode=4301'), ['querystring', 'areaCode']);
    expectIssue(await county.request('GET', '/api/assistance/coverage?asOf=2026-02-30'), ['querystring', 'asOf']);
  });

  it('the rules read in batches of one or two households give the figures and lists the SQL gives', async () => {
    const countyActor: Actor = { id: null, username: 'c', displayName: 'c', role: 'county_officer', areaCode: LIUYANG };
    for (const actor of [countyActor, helperActor]) {
      const whole = await getCoverage(database.db, actor, { asOf: AS_OF });
      expect(await getCoverage(database.db, actor, { asOf: AS_OF }, { engine: 'rules', batchSize: 2 })).toEqual(whole);
      expect(await getCoverage(database.db, actor, { asOf: AS_OF }, { engine: 'rules', batchSize: 1 })).toEqual(whole);
    }
    const list = await findCoverageGaps(database.db, countyActor, { asOf: AS_OF, indicator: 'medicalInsurance' });
    expect(await findCoverageGaps(database.db, countyActor, { asOf: AS_OF, indicator: 'medicalInsurance' }, { engine: 'rules', batchSize: 1 })).toEqual(list);
  });
});

describe('households with gaps (drill-down)', () => {
  it('children of school age not in school, in 户编号 order, naming the child', async () => {
    const page = await gaps(county, 'indicator=compulsorySchooling');
    expect(page.total).toBe(2);
    expect(page.items.map((i) => [i.headName, i.villageName, i.townshipName, i.should, i.receives, i.missing.map((m) => m.name)])).toEqual([
      ['己户主', '城西社区', '淮川街道', 1, 0, ['己之子']],
      ['甲户主', '中岳村', '大围山镇', 2, 1, ['甲之女']],
    ]);
    expect(page.items[1]).toMatchObject({ householdId: h.H1.id, householdNo: h.H1.householdNo, villageCode: ZHONGYUE, householdType: 'registeredPoor' });
    expect(page.items[1]!.missing).toEqual([{ memberId: memberId(h.H1, '甲之女'), name: '甲之女' }]);
  });

  it('pages through the list', async () => {
    const second = await gaps(county, 'indicator=compulsorySchooling&page=2&pageSize=1');
    expect(second).toMatchObject({ total: 2, page: 2, pageSize: 1 });
    expect(second.items.map((i) => i.householdId)).toEqual([h.H1.id]);
    expect((await gaps(county, 'indicator=compulsorySchooling&page=3&pageSize=1')).items).toEqual([]);
  });

  it('students without a subsidy in the township; household indicators name no member', async () => {
    const edu = await gaps(township, 'indicator=educationSubsidy');
    expect(edu.items.map((i) => [i.householdId, i.missing.map((m) => m.name)])).toEqual([
      [h.H2.id, ['乙之孙']],
      [h.H4.id, ['丁之女']],
    ]);
    const backstop = await gaps(county, 'indicator=minimumLiving');
    expect(backstop.items.map((i) => [i.householdId, i.should, i.receives, i.missing])).toEqual([[h.H3.id, 1, 0, []]]);
    const housing = await gaps(county, 'indicator=housingSafety');
    expect(housing.items.map((i) => i.householdId)).toEqual([h.H1.id]);
  });

  it('a village’s list, and a helper’s own list only', async () => {
    const village = await gaps(county, `indicator=medicalInsurance&areaCode=${TONGXING}`);
    expect(village.total).toBe(0);
    const mine = await gaps(helper, 'indicator=educationSubsidy');
    expect(mine.items.map((i) => [i.householdId, i.missing.map((m) => m.name)])).toEqual([[h.H4.id, ['丁之女']]]);
    const insurance = await gaps(helper, 'indicator=medicalInsurance');
    expect(insurance.items.map((i) => [i.householdId, i.missing.map((m) => m.name)])).toEqual([[h.H1.id, ['甲配偶']]]);
  });

  it('refuses an unknown indicator', async () => {
    expectIssue(await county.request('GET', '/api/assistance/coverage/gaps?indicator=pension'), ['querystring', 'indicator']);
    expectIssue(await county.request('GET', '/api/assistance/coverage/gaps'), ['querystring', 'indicator']);
  });
});

describe('one household’s coverage', () => {
  it('lists each indicator with the members missing it', async () => {
    const res = await helper.request('GET', `/api/assistance/coverage/households/${h.H1.id}?asOf=${AS_OF}`);
    expect(res.statusCode, res.body).toBe(200);
    const c = res.json() as HouseholdCoverageDto;
    expect(c.assisted).toBe(true);
    expect(c.indicators.map((i) => [i.indicator, i.should, i.receives, i.missing.map((m) => m.name)])).toEqual([
      ['compulsorySchooling', 2, 1, ['甲之女']],
      ['medicalInsurance', 4, 3, ['甲配偶']],
      ['minimumLiving', 0, 0, []],
      ['housingSafety', 1, 0, []],
      ['educationSubsidy', 1, 1, []],
    ]);
  });

  it('a 脱贫户 is shown but marked as not counted', async () => {
    const res = await county.request('GET', `/api/assistance/coverage/households/${h.H5.id}?asOf=${AS_OF}`);
    const c = res.json() as HouseholdCoverageDto;
    expect(c.assisted).toBe(false);
    expect(c.indicators.find((i) => i.indicator === 'compulsorySchooling')).toMatchObject({ should: 1, receives: 0 });
  });

  it('a helper cannot see another helper’s household; an officer cannot see another township’s', async () => {
    expectError(await helper.request('GET', `/api/assistance/coverage/households/${h.H3.id}`), 404, 'NOT_FOUND');
    expectError(await helper.request('GET', `/api/assistance/coverage/households/${h.H2.id}`), 404, 'NOT_FOUND');
    expectError(await otherTownship.request('GET', `/api/assistance/coverage/households/${h.H1.id}`), 404, 'NOT_FOUND');
  });
});
