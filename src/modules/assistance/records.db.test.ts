/**
 * A household's assistance records through the API: needs (status forward only, met with what met
 * it, stale edits, delete while open), yearly plans (one per year, versioned), measures (members of
 * the household, dates, amounts, the need they meet, who may correct them), the measures of an area
 * with totals, and the household's assistance record (helper and history, visits, coverage, masking,
 * the audited read) — for a helper only on their own households.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resetDatabase } from '../../../test/db.ts';
import { expectError, expectIssue, signInAs, testApp, type Client } from '../../../test/http.ts';
import { CHENGXI, DAWEISHAN, HUAICHUAN, LIUYANG, register, ZHONGYUE } from '../../../test/households.ts';
import { householdBody, member } from '../../../test/people.ts';
import { rowsOf, sql, type Database } from '../../platform/db.ts';
import type { App } from '../../platform/http.ts';
import { todayCst } from '../households/index.ts';
import type { HouseholdDto } from '../households/contract.ts';
import type { HouseholdAssistanceDto, MeasureDto, MeasurePageDto, NeedDto, PlanDto } from './records-contract.ts';
import { fixtureAssign, fixtureHelper, fixtureUnit, fixtureVisit } from './records-testing.ts';
import { addDays } from './rules.ts';

let database: Database;
let app: App;
const as = {} as Record<'clerk' | 'clerk2' | 'township' | 'otherTownship' | 'inspector' | 'county' | 'helper', Client>;
let helperUserId = '';
/** A: the helper's household (4 members, the daughter at primary school); B: another household of 中岳村; C: 城西社区. */
let A: HouseholdDto;
let B: HouseholdDto;
let C: HouseholdDto;
const today = todayCst();
const daysAgo = (n: number) => addDays(today, -n);
const member$ = (h: HouseholdDto, name: string) => h.members.find((m) => m.name === name)!.id;

const summary = async (c: Client, id: string) => {
  const res = await c.request('GET', `/api/assistance/households/${id}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as HouseholdAssistanceDto;
};

beforeAll(async () => {
  database = await resetDatabase();
  app = await testApp(database);
  as.clerk = await signInAs(app, database, 'village_clerk', ZHONGYUE);
  as.clerk2 = await signInAs(app, database, 'village_clerk', ZHONGYUE);
  as.township = await signInAs(app, database, 'township_officer', DAWEISHAN);
  as.otherTownship = await signInAs(app, database, 'township_officer', HUAICHUAN);
  as.inspector = await signInAs(app, database, 'inspector', LIUYANG);
  as.county = await signInAs(app, database, 'county_officer', LIUYANG);
  const helper = await signInAs(app, database, 'helper', DAWEISHAN);
  as.helper = helper;
  helperUserId = helper.userId;
  A = await register(as.clerk, householdBody());
  B = await register(as.clerk, householdBody({ members: [member('乙户主', 'head', '19650101', 'male')] }));
  C = await register(as.county, householdBody({ areaCode: CHENGXI, members: [member('丙户主', 'head', '19660101', 'male')] }));
  const unit = await fixtureUnit(database.db, '浏阳市测试局');
  const first = await fixtureHelper(database.db, unit, '前任帮扶人', { phone: '13700001111' });
  const mine = await fixtureHelper(database.db, unit, '现任帮扶人', { userId: helperUserId, phone: '13912345678', post: '科员' });
  await fixtureAssign(database.db, A.id, first, '2024-03-01');
  await fixtureAssign(database.db, A.id, mine, '2025-06-01');
  await fixtureAssign(database.db, B.id, first, '2024-03-01');
});
afterAll(() => app?.close());

describe('needs (脱贫需求清单)', () => {
  let need: NeedDto;

  it('adds a need, open, and refuses a date in the future', async () => {
    const res = await as.clerk.request('POST', '/api/assistance/needs', { householdId: A.id, category: 'housing', description: '房屋漏雨需维修', raisedOn: daysAgo(60) });
    expect(res.statusCode, res.body).toBe(201);
    need = res.json() as NeedDto;
    expect(need).toMatchObject({ status: 'open', category: 'housing', version: 1, metOn: null });
    expectIssue(await as.clerk.request('POST', '/api/assistance/needs', { householdId: A.id, category: 'housing', description: '明天的需求', raisedOn: addDays(today, 1) }), ['raisedOn']);
    expectIssue(await as.clerk.request('POST', '/api/assistance/needs', { householdId: A.id, category: 'lottery', description: 'x', raisedOn: today }), ['category']);
  });

  it('moves forward only, and met needs the date and what met it', async () => {
    let res = await as.clerk.request('PATCH', `/api/assistance/needs/${need.id}`, { version: 1, status: 'inProgress' });
    expect(res.statusCode, res.body).toBe(200);
    need = res.json() as NeedDto;
    expect(need).toMatchObject({ status: 'inProgress', version: 2 });
    expectIssue(await as.clerk.request('PATCH', `/api/assistance/needs/${need.id}`, { version: 2, status: 'open' }), ['status']);
    expectIssue(await as.clerk.request('PATCH', `/api/assistance/needs/${need.id}`, { version: 2, status: 'met', metNote: '已维修' }), ['metOn']);
    expectIssue(await as.clerk.request('PATCH', `/api/assistance/needs/${need.id}`, { version: 2, status: 'met', metOn: daysAgo(1) }), ['metNote']);
    expectIssue(await as.clerk.request('PATCH', `/api/assistance/needs/${need.id}`, { version: 2, status: 'met', metOn: daysAgo(90), metNote: '已维修' }), ['metOn']);
    const otherMeasure = await as.clerk.request('POST', '/api/assistance/measures', { householdId: B.id, type: 'industrySupport', onDate: daysAgo(5), amount: 1000 });
    expect(otherMeasure.statusCode, otherMeasure.body).toBe(201);
    expectIssue(await as.clerk.request('PATCH', `/api/assistance/needs/${need.id}`, { version: 2, status: 'met', metOn: daysAgo(1), metByMeasureId: (otherMeasure.json() as MeasureDto).id }), ['metByMeasureId']);
    res = await as.clerk.request('PATCH', `/api/assistance/needs/${need.id}`, { version: 2, status: 'met', metOn: daysAgo(1), metNote: '村里协调维修完毕' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'met', metOn: daysAgo(1), metNote: '村里协调维修完毕', version: 3 });
  });

  it('refuses an edit from a stale version, with the current need', async () => {
    const e = expectError(await as.clerk2.request('PATCH', `/api/assistance/needs/${need.id}`, { version: 1, description: '改写' }), 409, 'STALE_EDIT');
    expect(e.details).toMatchObject({ currentVersion: 3, current: { description: '房屋漏雨需维修' } });
  });

  it('deletes a need only while it is open, audited', async () => {
    expectError(await as.clerk.request('DELETE', `/api/assistance/needs/${need.id}`), 409, 'CONFLICT');
    const res = await as.clerk.request('POST', '/api/assistance/needs', { householdId: A.id, category: 'other', description: '误录', raisedOn: today });
    const extra = res.json() as NeedDto;
    expect((await as.clerk.request('DELETE', `/api/assistance/needs/${extra.id}`)).statusCode).toBe(204);
    const audit = rowsOf<{ action: string; before: { description: string } }>(await database.db.execute(sql`SELECT action, before FROM audit_events WHERE target_id = ${extra.id} AND after->>'deleted' = 'true'`));
    expect(audit).toEqual([{ action: 'assistance.record', before: expect.objectContaining({ description: '误录' }) }]);
  });
});

describe('yearly plans (脱贫计划)', () => {
  const year = Number(today.slice(0, 4));
  let plan: PlanDto;

  it('creates one plan per household and year, then edits it at its version', async () => {
    const body = { householdId: A.id, year, goal: '年底实现稳定增收', plannedExitYear: year + 1, plannedMeasures: [{ type: 'industrySupport', description: '发展油茶', amount: 3000 }, { type: 'skillsTraining', description: '参加技能培训', amount: null }] };
    let res = await as.clerk.request('PUT', '/api/assistance/plans', body);
    expect(res.statusCode, res.body).toBe(200);
    plan = res.json() as PlanDto;
    expect(plan).toMatchObject({ version: 1, plannedAmount: 3000, plannedExitYear: year + 1 });
    expectError(await as.clerk2.request('PUT', '/api/assistance/plans', { ...body, goal: '另一份' }), 409, 'STALE_EDIT');
    res = await as.clerk.request('PUT', '/api/assistance/plans', { ...body, version: 1, plannedMeasures: [...body.plannedMeasures, { type: 'educationCompulsory', description: '女儿义务教育资助', amount: 1250.5 }] });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ version: 2, plannedAmount: 4250.5 });
    expectError(await as.clerk.request('PUT', '/api/assistance/plans', { ...body, version: 1 }), 409, 'STALE_EDIT');
    // Another year is another plan.
    expect((await as.clerk.request('PUT', '/api/assistance/plans', { ...body, year: year - 1, plannedExitYear: year })).statusCode).toBe(200);
  });

  it('refuses a planned exit year before the plan’s year, and a negative amount', async () => {
    expectIssue(await as.clerk.request('PUT', '/api/assistance/plans', { householdId: B.id, year, plannedExitYear: year - 1 }), ['plannedExitYear']);
    expectIssue(await as.clerk.request('PUT', '/api/assistance/plans', { householdId: B.id, year, plannedMeasures: [{ type: 'other', amount: -1 }] }), ['plannedMeasures', 0, 'amount']);
  });
});

describe('measures (帮扶措施)', () => {
  let need: NeedDto;
  let subsidy: MeasureDto;

  it('names active members of the household, required for a type for members', async () => {
    const daughter = member$(A, '测试之女');
    expectIssue(await as.clerk.request('POST', '/api/assistance/measures', { householdId: A.id, type: 'educationCompulsory', onDate: daysAgo(20), amount: 1000 }), ['memberIds']);
    expectIssue(await as.clerk.request('POST', '/api/assistance/measures', { householdId: A.id, type: 'educationCompulsory', memberIds: [B.members[0]!.id], onDate: daysAgo(20), amount: 1000 }), ['memberIds', 0]);
    expectIssue(await as.clerk.request('POST', '/api/assistance/measures', { householdId: A.id, type: 'educationCompulsory', memberIds: [daughter], onDate: addDays(today, 1), amount: 1000 }), ['onDate']);
    expectIssue(await as.clerk.request('POST', '/api/assistance/measures', { householdId: A.id, type: 'educationCompulsory', memberIds: [daughter], onDate: daysAgo(20), amount: 1000.005 }), ['amount']);
    expectIssue(await as.clerk.request('POST', '/api/assistance/measures', { householdId: A.id, type: 'educationCompulsory', memberIds: [daughter], onDate: daysAgo(20), amount: -5 }), ['amount']);
    const res = await as.clerk.request('POST', '/api/assistance/measures', { householdId: A.id, type: 'educationCompulsory', memberIds: [daughter], onDate: daysAgo(20), amount: 1250.5, fundingSource: '中央财政专项扶贫资金', description: '两免一补' });
    expect(res.statusCode, res.body).toBe(201);
    subsidy = res.json() as MeasureDto;
    expect(subsidy).toMatchObject({ type: 'educationCompulsory', group: 'education', amount: 1250.5, members: [{ memberId: daughter, name: '测试之女', idNumber: expect.stringMatching(/\*{8}/) }], canEdit: true });
  });

  it('meets the need it answers in the same transaction, and a need of another household is refused', async () => {
    const n = await as.clerk.request('POST', '/api/assistance/needs', { householdId: A.id, category: 'industry', description: '缺少种苗资金', raisedOn: daysAgo(30) });
    need = n.json() as NeedDto;
    const other = (await as.clerk.request('POST', '/api/assistance/needs', { householdId: B.id, category: 'industry', description: '乙户需求', raisedOn: daysAgo(30) })).json() as NeedDto;
    expectIssue(await as.clerk.request('POST', '/api/assistance/measures', { householdId: A.id, type: 'industrySupport', onDate: daysAgo(3), amount: 3000, needId: other.id }), ['needId']);
    const res = await as.clerk.request('POST', '/api/assistance/measures', { householdId: A.id, type: 'industrySupport', onDate: daysAgo(3), amount: 3000, fundingSource: '县级财政扶贫资金', needId: need.id, markNeedMet: true });
    expect(res.statusCode, res.body).toBe(201);
    const m = res.json() as MeasureDto;
    const s = await summary(as.clerk, A.id);
    expect(s.needs.find((x) => x.id === need.id)).toMatchObject({ status: 'met', metOn: daysAgo(3), metByMeasureId: m.id });
    // Deleting the measure sends the need back to in progress.
    expect((await as.clerk.request('DELETE', `/api/assistance/measures/${m.id}`)).statusCode).toBe(204);
    const after = await summary(as.clerk, A.id);
    expect(after.needs.find((x) => x.id === need.id)).toMatchObject({ status: 'inProgress', metOn: null, metByMeasureId: null });
    expect(after.measures.map((x) => x.id)).not.toContain(m.id);
  });

  it('is corrected or deleted only by its recorder or an officer, audited', async () => {
    const fix = { type: 'educationCompulsory', memberIds: [member$(A, '测试之女')], onDate: daysAgo(20), amount: 1500, fundingSource: '中央财政专项扶贫资金', reason: '金额录错', version: subsidy.version };
    const e = expectError(await as.clerk2.request('PUT', `/api/assistance/measures/${subsidy.id}`, fix), 403, 'FORBIDDEN');
    expect(e.message).toMatch(/记录人/);
    expectError(await as.clerk2.request('DELETE', `/api/assistance/measures/${subsidy.id}`), 403, 'FORBIDDEN');
    const s2 = await summary(as.clerk2, A.id);
    expect(s2.measures.find((x) => x.id === subsidy.id)!.canEdit).toBe(false);
    const res = await as.township.request('PUT', `/api/assistance/measures/${subsidy.id}`, fix);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ amount: 1500, version: subsidy.version + 1 });
    // A second correction from the same (now stale) form changes nothing.
    const stale = expectError(await as.county.request('PUT', `/api/assistance/measures/${subsidy.id}`, { ...fix, amount: 9999 }), 409, 'STALE_EDIT');
    expect(stale.message).toMatch(/已被他人修改/);
    expect((await summary(as.county, A.id)).measures.find((x) => x.id === subsidy.id)).toMatchObject({ amount: 1500 });
    const audit = rowsOf<{ before: { amount: number }; after: { amount: number; reason: string } }>(
      await database.db.execute(sql`SELECT before, after FROM audit_events WHERE target_type = 'assistanceMeasure' AND target_id = ${subsidy.id} AND before IS NOT NULL`),
    );
    expect(audit).toEqual([{ before: expect.objectContaining({ amount: 1250.5 }), after: expect.objectContaining({ amount: 1500, reason: '金额录错' }) }]);
  });

  it('lists the measures of an area with the total in yuan, filtered, and only within the scope', async () => {
    await as.county.request('POST', '/api/assistance/measures', { householdId: C.id, type: 'housingRenovation', onDate: daysAgo(100), amount: 25000 });
    const all = (await as.county.request('GET', '/api/assistance/measures')).json() as MeasurePageDto;
    // A: 1,500.00 education; B: 1,000.00 industry; C: 25,000.00 housing.
    expect(all).toMatchObject({ total: 3, totalAmount: 27500, households: 3 });
    const township = (await as.township.request('GET', '/api/assistance/measures')).json() as MeasurePageDto;
    expect(township).toMatchObject({ total: 2, totalAmount: 2500 });
    expect(township.items.map((i) => i.headName).sort()).toEqual(['乙户主', '测试户主']);
    expect(township.items[0]!.villageName).toBe('中岳村');
    const edu = (await as.county.request('GET', '/api/assistance/measures?group=education')).json() as MeasurePageDto;
    expect(edu).toMatchObject({ total: 1, totalAmount: 1500 });
    const typed = (await as.county.request('GET', `/api/assistance/measures?type=housingRenovation&areaCode=${CHENGXI}`)).json() as MeasurePageDto;
    expect(typed).toMatchObject({ total: 1, totalAmount: 25000 });
    const lastYear = (await as.county.request('GET', `/api/assistance/measures?year=${Number(today.slice(0, 4)) - 5}`)).json() as MeasurePageDto;
    expect(lastYear).toMatchObject({ total: 0, totalAmount: 0 });
    expectError(await as.township.request('GET', `/api/assistance/measures?areaCode=${CHENGXI}`), 404, 'NOT_FOUND');
    const helperList = (await as.helper.request('GET', '/api/assistance/measures')).json() as MeasurePageDto;
    expect(helperList.items.map((i) => i.householdId)).toEqual([A.id]);
  });
});

describe('the household’s assistance record', () => {
  it('shows the current helper and the history newest first, phones masked for a helper and in full for a clerk', async () => {
    const clerk = await summary(as.clerk, A.id);
    expect(clerk.full).toBe(true);
    expect(clerk.household).toMatchObject({ householdNo: A.householdNo, headName: '测试户主', villageName: '中岳村' });
    expect(clerk.helper).toMatchObject({ name: '现任帮扶人', unitName: '浏阳市测试局', post: '科员', phone: '13912345678', startDate: '2025-06-01', endDate: null });
    expect(clerk.helperHistory.map((h) => [h.name, h.startDate, h.endDate])).toEqual([
      ['现任帮扶人', '2025-06-01', null],
      ['前任帮扶人', '2024-03-01', '2025-06-01'],
    ]);
    const helper = await summary(as.helper, A.id);
    expect(helper.full).toBe(false);
    expect(helper.helper!.phone).toBe('139****5678');
    expect(helper.members.every((m) => m.idNumber!.includes('********'))).toBe(true);
  });

  it('shows the latest visits with their photo ids', async () => {
    const older = await fixtureVisit(database.db, A.id, daysAgo(40), '了解产业发展情况');
    const newer = await fixtureVisit(database.db, A.id, daysAgo(2), '核实危房改造进度', 2);
    const s = await summary(as.clerk, A.id);
    expect(s.visitCount).toBe(2);
    expect(s.visits.map((v) => [v.id, v.content, v.photoIds.length])).toEqual([
      [newer.id, '核实危房改造进度', 2],
      [older.id, '了解产业发展情况', 0],
    ]);
    expect(s.visits[0]!.photoIds.sort()).toEqual([...newer.photoIds].sort());
  });

  it('computes the household’s coverage from its members and measures', async () => {
    const s = await summary(as.clerk, A.id);
    const by = Object.fromEntries(s.coverage.map((c) => [c.indicator, c]));
    // The daughter (primary school) is subsidised; nobody is insured (the household body sets no insurance).
    expect(by.educationSubsidy).toMatchObject({ should: 1, receives: 1, gaps: [] });
    expect(by.compulsorySchooling).toMatchObject({ should: 1, receives: 1 });
    expect(by.medicalInsurance).toMatchObject({ should: 4, receives: 0 });
    // A premium paid for the head closes his gap.
    const res = await as.clerk.request('POST', '/api/assistance/measures', { householdId: A.id, type: 'medicalPremium', memberIds: [member$(A, '测试户主')], onDate: daysAgo(1), amount: 320 });
    expect(res.statusCode, res.body).toBe(201);
    const after = Object.fromEntries((await summary(as.clerk, A.id)).coverage.map((c) => [c.indicator, c]));
    expect(after.medicalInsurance).toMatchObject({ should: 4, receives: 1 });
    expect(after.medicalInsurance!.gaps.map((g) => g.name)).not.toContain('测试户主');
  });

  it('records every read in the audit log', async () => {
    const before = rowsOf<{ n: string }>(await database.db.execute(sql`SELECT count(*) AS n FROM audit_events WHERE action = 'assistance.read' AND target_id = ${B.id}`))[0]!.n;
    await summary(as.township, B.id);
    const rows = rowsOf<{ n: string; actor_role: string }>(await database.db.execute(sql`SELECT count(*) AS n FROM audit_events WHERE action = 'assistance.read' AND target_type = 'household' AND target_id = ${B.id}`));
    expect(Number(rows[0]!.n)).toBe(Number(before) + 1);
  });
});

describe('who may act', () => {
  it('a helper reads and records only on their own households', async () => {
    expect((await as.helper.request('GET', `/api/assistance/households/${A.id}`)).statusCode).toBe(200);
    expectError(await as.helper.request('GET', `/api/assistance/households/${B.id}`), 404, 'NOT_FOUND');
    expectError(await as.helper.request('POST', '/api/assistance/needs', { householdId: B.id, category: 'other', description: '不是我的户', raisedOn: today }), 404, 'NOT_FOUND');
    const res = await as.helper.request('POST', '/api/assistance/measures', { householdId: A.id, type: 'familyDoctor', memberIds: [member$(A, '测试户主')], onDate: today, amount: null });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ recordedByName: '现任帮扶人', canEdit: true });
  });

  it('an inspector reads but records nothing; an officer of another township sees nothing', async () => {
    expect((await as.inspector.request('GET', `/api/assistance/households/${A.id}`)).statusCode).toBe(200);
    expectError(await as.inspector.request('POST', '/api/assistance/needs', { householdId: A.id, category: 'other', description: '督查', raisedOn: today }), 403, 'FORBIDDEN');
    expectError(await as.otherTownship.request('GET', `/api/assistance/households/${A.id}`), 404, 'NOT_FOUND');
    expectError(await as.otherTownship.request('PUT', '/api/assistance/plans', { householdId: A.id, year: 2026 }), 404, 'NOT_FOUND');
  });
});
