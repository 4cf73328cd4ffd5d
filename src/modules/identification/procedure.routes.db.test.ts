/**
 * The procedure's routes, table-driven (test/route-table.ts): 401, 403, 404 outside scope, 400 with
 * the field path, and the happy path. Each step's happy row acts on a batch prepared at that step.
 */
import { afterAll, beforeAll, expect } from 'vitest';
import { resetDatabase } from '../../../test/db.ts';
import { MultipartBody, signInAdmin, signInAs, testApp, type Client } from '../../../test/http.ts';
import { householdBody, member } from '../../../test/people.ts';
import { describeRouteTable, routeTableContext, type RouteCase } from '../../../test/route-table.ts';
import type { BatchDto, BatchSummaryDto, NoticeListDto, ObjectionDto, StepResultDto, TimelineDto, WorklistItemDto } from './contract.ts';
import type { HouseholdDto } from '../households/contract.ts';

const ZHONGYUE = '430181125201'; // 大围山镇 中岳村
const DAWEISHAN = '430181125000';
const LIUYANG = '430181000000';
const CHENGXI = '430181001001'; // 淮川街道 城西社区: outside the township officer's scope

const ctx = routeTableContext();
/** A tiny PNG (its signature and an empty IHDR are enough for the type check). */
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64)]);
const minutesBody = () => new MultipartBody({}, { fileName: '会议记录.png', content: PNG, type: 'image/png' });
const sign = { responsiblePerson: '测试责任人' };
/** Below the identification line (2,800.00 yuan per person for one person): no red-line hit from income. */
const LOW_INCOME = { year: 2025, wageIncome: 1500, productionIncome: 1000, propertyIncome: 0, transferIncome: 500, productionCosts: 200 };
const notice = (kind: string, start: string, end: string) => ({ ...sign, kind, startDate: start, endDate: end, postedAt: '村务公开栏', objectionContact: '乡镇扶贫办' });
/** Batches prepared at each step, by the step their happy row takes. */
const b = { appraise: '', crossCheck: '', notice: '', review: '', approve: '', register: '', misc: '', outside: '', newHousehold: '' };
const misc = { reject: '', withdraw: '', object: '', objection: '', version: 0 };
let seq = 0;

async function household(c: Client, areaCode = ZHONGYUE): Promise<string> {
  seq += 1;
  const res = await c.request('POST', '/api/households', householdBody({ areaCode, householdType: 'ordinary', income: LOW_INCOME, members: [member(`路由户${seq}`, 'head', `1960${String(seq).padStart(2, '0')}01`.slice(0, 8), 'male')] }));
  if (res.statusCode !== 201) throw new Error(res.body);
  return (res.json() as HouseholdDto).id;
}

const PATH: { step: string; as: string; body: () => unknown }[] = [
  { step: 'appraisal', as: 'clerk', body: () => ({ ...sign, meetingDate: '2026-03-05', representatives: 9, attended: 9, chairedBy: '村主任' }) },
  { step: 'cross-check', as: 'township', body: () => ({ ...sign, onDate: '2026-03-06' }) },
  { step: 'notices', as: 'clerk', body: () => notice('firstNotice', '2026-03-10', '2026-03-16') },
  { step: 'township-review', as: 'township', body: () => ({ ...sign, onDate: '2026-03-17' }) },
  { step: 'notices', as: 'township', body: () => notice('secondNotice', '2026-03-20', '2026-03-26') },
  { step: 'county-approval', as: 'county', body: () => ({ ...sign, onDate: '2026-03-27' }) },
  { step: 'notices', as: 'county', body: () => notice('announcement', '2026-03-28', '2026-04-03') },
];

/** A batch of `n` new households in 中岳村, walked through the first `steps` steps of PATH. */
async function batchAt(steps: number, n = 1, areaCode = ZHONGYUE): Promise<string> {
  const creator = areaCode === ZHONGYUE ? ctx.clients.clerk! : ctx.clients.county!;
  const ids = [];
  for (let i = 0; i < n; i++) ids.push(await household(creator, areaCode));
  const res = await creator.request('POST', '/api/identification/batches', { areaCode, year: 2026, applications: ids.map((householdId) => ({ householdId, appliedOn: '2026-03-01' })) });
  if (res.statusCode !== 201) throw new Error(res.body);
  const id = (res.json() as BatchDto).id;
  for (const s of PATH.slice(0, steps)) {
    const c = areaCode === ZHONGYUE ? ctx.clients[s.as]! : ctx.clients.county!;
    const r = await c.request('POST', `/api/identification/batches/${id}/${s.step}`, s.body());
    if (r.statusCode !== 200) throw new Error(`${s.step}: ${r.body}`);
  }
  return id;
}

beforeAll(async () => {
  ctx.database = await resetDatabase();
  ctx.app = await testApp(ctx.database);
  ctx.clients.admin = await signInAdmin(ctx.app);
  ctx.clients.county = await signInAs(ctx.app, ctx.database, 'county_officer', LIUYANG);
  ctx.clients.township = await signInAs(ctx.app, ctx.database, 'township_officer', DAWEISHAN);
  ctx.clients.clerk = await signInAs(ctx.app, ctx.database, 'village_clerk', ZHONGYUE);
  // An administrator of 大围山镇 holds every action: a route answers 404 outside the area, not 403.
  ctx.clients.scopedAdmin = await signInAs(ctx.app, ctx.database, 'admin', DAWEISHAN);
  b.newHousehold = await household(ctx.clients.clerk);
  b.appraise = await batchAt(0);
  b.crossCheck = await batchAt(1);
  b.notice = await batchAt(2);
  b.review = await batchAt(3);
  b.approve = await batchAt(5);
  b.register = await batchAt(7);
  b.misc = await batchAt(3, 3);
  b.outside = await batchAt(3, 1, CHENGXI);
  const batch = (await ctx.clients.clerk.request('GET', `/api/identification/batches/${b.misc}`)).json() as BatchDto;
  [misc.reject, misc.withdraw, misc.object] = batch.applications.map((a) => a.id) as [string, string, string];
  misc.version = batch.applications[0]!.version;
  const o = await ctx.clients.clerk.request('POST', `/api/identification/applications/${misc.object}/objections`, { raisedOn: '2026-03-12', grounds: '有异议' });
  misc.objection = (o.json() as ObjectionDto).id;
});
afterAll(() => ctx.app?.close());

const outsideBatch = () => `/api/identification/batches/${b.outside}`;
const step = (path: string, batch: () => string, as: string, body: () => unknown, forbiddenRole: RouteCase['forbidden'], badBody: () => unknown, badPath: (string | number)[], summary: string): RouteCase => ({
  method: 'POST',
  route: `/api/identification/batches/{id}/${path}`,
  url: () => `/api/identification/batches/${batch()}/${path}`,
  body,
  forbidden: forbiddenRole,
  outOfScope: { as: 'scopedAdmin', url: () => `${outsideBatch()}/${path}`, body },
  bad: { as, url: () => `/api/identification/batches/${batch()}/${path}`, body: badBody, path: badPath },
  happy: {
    as,
    url: () => `/api/identification/batches/${batch()}/${path}`,
    body,
    status: 200,
    check: (res) => {
      const r = res.json() as StepResultDto;
      expect(r.moved, summary).toBe(1);
      expect(r.blocked).toEqual([]);
    },
  },
});

const cases: RouteCase[] = [
  {
    method: 'GET',
    route: '/api/identification/worklist',
    url: () => '/api/identification/worklist',
    forbidden: { none: 'every role sees what waits for it' },
    outOfScope: { none: 'a list of the actor’s own scope' },
    bad: { none: 'no parameters' },
    happy: {
      as: 'township',
      url: () => '/api/identification/worklist',
      status: 200,
      check: (res) => {
        const items = (res.json() as { items: WorklistItemDto[] }).items;
        expect(items).toContainEqual(expect.objectContaining({ kind: 'step', action: 'crossCheck', batchId: b.crossCheck, count: 1, ready: true }));
        expect(items).toContainEqual(expect.objectContaining({ kind: 'objection', batchId: b.misc, count: 1 }));
        expect(items.some((i) => i.batchId === b.outside)).toBe(false);
      },
    },
  },
  {
    method: 'GET',
    route: '/api/identification/batches',
    url: () => '/api/identification/batches',
    forbidden: { none: 'every role reads the batches of its scope' },
    outOfScope: { as: 'township', url: () => `/api/identification/batches?areaCode=${CHENGXI}` },
    bad: { as: 'township', url: () => '/api/identification/batches?year=1999', path: ['querystring', 'year'] },
    happy: {
      as: 'township',
      url: () => '/api/identification/batches?pageSize=50',
      status: 200,
      check: (res) => {
        const page = res.json() as { items: BatchSummaryDto[]; total: number };
        expect(page.items.map((i) => i.id)).not.toContain(b.outside);
        expect(page.items.find((i) => i.id === b.misc)).toMatchObject({ villageName: '中岳村', townshipName: '大围山镇', total: 3, states: { firstNotice: 3 }, openObjections: 1 });
      },
    },
  },
  {
    method: 'POST',
    route: '/api/identification/batches',
    url: () => '/api/identification/batches',
    body: () => ({ areaCode: ZHONGYUE, year: 2026, applications: [{ householdId: b.newHousehold, appliedOn: '2026-03-01' }] }),
    forbidden: { role: 'helper', area: ZHONGYUE },
    outOfScope: { as: 'township', url: () => '/api/identification/batches', body: () => ({ areaCode: CHENGXI, year: 2026, applications: [{ householdId: b.newHousehold, appliedOn: '2026-03-01' }] }) },
    bad: { as: 'clerk', url: () => '/api/identification/batches', body: () => ({ areaCode: '4301', year: 2026, applications: [{ householdId: b.newHousehold, appliedOn: '2026-03-01' }] }), path: ['areaCode'] },
    happy: {
      as: 'clerk',
      url: () => '/api/identification/batches',
      body: () => ({ areaCode: ZHONGYUE, year: 2026, applications: [{ householdId: b.newHousehold, appliedOn: '2026-03-01' }] }),
      status: 201,
      check: (res) => expect(res.json() as BatchDto).toMatchObject({ title: '中岳村2026年贫困户识别', states: { applied: 1 }, total: 1 }),
    },
  },
  {
    method: 'GET',
    route: '/api/identification/batches/{id}',
    url: () => `/api/identification/batches/${b.misc}`,
    forbidden: { none: 'every role reads the batches of its scope' },
    outOfScope: { as: 'township', url: outsideBatch },
    bad: { as: 'township', url: () => '/api/identification/batches/not-a-uuid', path: ['params', 'id'] },
    happy: {
      as: 'clerk',
      url: () => `/api/identification/batches/${b.misc}`,
      status: 200,
      check: (res) => {
        const batch = res.json() as BatchDto;
        expect(batch.applications).toHaveLength(3);
        expect(batch.notices.map((n) => n.kind)).toEqual(['firstNotice']);
        expect(batch.appraisal).toMatchObject({ attended: 9, representatives: 9 });
        // The clerk cannot review: a township step is not among the clerk's next actions.
        expect(batch.applications[0]!.nextActions).toEqual(['withdraw']);
      },
    },
  },
  step('appraisal', () => b.appraise, 'clerk', PATH[0]!.body, { role: 'helper', area: ZHONGYUE }, () => ({ ...sign, meetingDate: '2026-13-01', representatives: 9, attended: 9, chairedBy: '村主任' }), ['meetingDate'], 'appraisal'),
  step('cross-check', () => b.crossCheck, 'township', PATH[1]!.body, { role: 'village_clerk', area: ZHONGYUE }, () => ({ onDate: '2026-03-06' }), ['responsiblePerson'], 'cross-check'),
  step('notices', () => b.notice, 'clerk', PATH[2]!.body, { role: 'helper', area: ZHONGYUE }, () => ({ ...notice('firstNotice', '2026-03-10', '2026-03-16'), kind: 'poster' }), ['kind'], 'first notice'),
  step('township-review', () => b.review, 'township', PATH[3]!.body, { role: 'village_clerk', area: ZHONGYUE }, () => ({ ...sign, onDate: '17/03/2026' }), ['onDate'], 'township review'),
  step('county-approval', () => b.approve, 'county', PATH[5]!.body, { role: 'township_officer', area: DAWEISHAN }, () => ({ ...sign, applicationIds: ['x'] }), ['applicationIds', 0], 'county approval'),
  step('registration', () => b.register, 'county', () => ({ ...sign, onDate: '2026-04-04' }), { role: 'township_officer', area: DAWEISHAN }, () => ({ responsiblePerson: '' }), ['responsiblePerson'], 'registration'),
  {
    method: 'POST',
    route: '/api/identification/batches/{id}/appraisal/minutes',
    url: () => `/api/identification/batches/${b.misc}/appraisal/minutes`,
    body: () => minutesBody(),
    forbidden: { role: 'helper', area: ZHONGYUE },
    outOfScope: { as: 'scopedAdmin', url: () => `${outsideBatch()}/appraisal/minutes`, body: () => minutesBody() },
    bad: { as: 'clerk', url: () => `/api/identification/batches/${b.misc}/appraisal/minutes`, body: () => new MultipartBody({ note: 'no file' }), path: ['file'] },
    happy: {
      as: 'clerk',
      url: () => `/api/identification/batches/${b.misc}/appraisal/minutes`,
      body: () => minutesBody(),
      status: 200,
      check: (res) => expect((res.json() as BatchDto).appraisal?.minutesFileName).toBe('会议记录.png'),
    },
  },
  {
    method: 'GET',
    route: '/api/identification/batches/{id}/appraisal/minutes',
    url: () => `/api/identification/batches/${b.misc}/appraisal/minutes`,
    forbidden: { none: 'every role reads the batches of its scope' },
    outOfScope: { as: 'township', url: () => `${outsideBatch()}/appraisal/minutes` },
    bad: { as: 'township', url: () => '/api/identification/batches/x/appraisal/minutes', path: ['params', 'id'] },
    happy: {
      as: 'township',
      url: () => `/api/identification/batches/${b.misc}/appraisal/minutes`,
      status: 200,
      check: (res) => {
        expect(res.headers['content-type']).toBe('image/png');
        expect(res.rawPayload.equals(PNG)).toBe(true);
      },
    },
  },
  {
    method: 'GET',
    route: '/api/identification/batches/{id}/notices/{kind}',
    url: () => `/api/identification/batches/${b.misc}/notices/firstNotice`,
    forbidden: { none: 'every role reads the notices of its scope' },
    outOfScope: { as: 'township', url: () => `${outsideBatch()}/notices/firstNotice` },
    bad: { as: 'township', url: () => `/api/identification/batches/${b.misc}/notices/poster`, path: ['params', 'kind'] },
    happy: {
      as: 'clerk',
      url: () => `/api/identification/batches/${b.misc}/notices/firstNotice`,
      status: 200,
      check: (res) => {
        const list = res.json() as NoticeListDto;
        expect(list).toMatchObject({ title: '中岳村2026年贫困户识别第一次公示', startDate: '2026-03-10', endDate: '2026-03-16' });
        expect(list.rows).toHaveLength(3);
      },
    },
  },
  {
    method: 'GET',
    route: '/api/identification/applications/{id}',
    url: () => `/api/identification/applications/${misc.object}`,
    forbidden: { none: 'every role reads the applications of its scope' },
    outOfScope: { as: 'clerk', url: () => `/api/identification/applications/00000000-0000-4000-8000-000000000000` },
    bad: { as: 'clerk', url: () => '/api/identification/applications/1', path: ['params', 'id'] },
    happy: {
      as: 'clerk',
      url: () => `/api/identification/applications/${misc.object}`,
      status: 200,
      check: (res) => {
        const t = res.json() as TimelineDto;
        expect(t.steps.map((s) => s.action)).toEqual(['apply', 'appraise', 'crossCheck', 'openFirstNotice']);
        expect(t.objections).toHaveLength(1);
      },
    },
  },
  {
    method: 'POST',
    route: '/api/identification/applications/{id}/rejection',
    url: () => `/api/identification/applications/${misc.reject}/rejection`,
    body: () => ({ ...sign, reason: '家庭收入高于标准', version: misc.version, onDate: '2026-03-18' }),
    forbidden: { role: 'village_clerk', area: ZHONGYUE },
    outOfScope: { as: 'township', url: () => `/api/identification/applications/00000000-0000-4000-8000-000000000000/rejection`, body: () => ({ ...sign, reason: '理由', version: 1 }) },
    bad: { as: 'township', url: () => `/api/identification/applications/${misc.reject}/rejection`, body: () => ({ ...sign, reason: '理由' }), path: ['version'] },
    happy: {
      as: 'township',
      url: () => `/api/identification/applications/${misc.reject}/rejection`,
      body: () => ({ ...sign, reason: '家庭收入高于标准', version: misc.version, onDate: '2026-03-18' }),
      status: 200,
      check: (res) => expect((res.json() as TimelineDto).application).toMatchObject({ state: 'rejected', endReason: '家庭收入高于标准' }),
    },
  },
  {
    method: 'POST',
    route: '/api/identification/applications/{id}/withdrawal',
    url: () => `/api/identification/applications/${misc.withdraw}/withdrawal`,
    body: () => ({ ...sign, reason: '本人申请撤回', version: misc.version, onDate: '2026-03-18' }),
    forbidden: { role: 'helper', area: ZHONGYUE },
    outOfScope: { as: 'township', url: () => `/api/identification/applications/00000000-0000-4000-8000-000000000000/withdrawal`, body: () => ({ ...sign, reason: '理由', version: 1 }) },
    bad: { as: 'clerk', url: () => `/api/identification/applications/${misc.withdraw}/withdrawal`, body: () => ({ ...sign, version: misc.version }), path: ['reason'] },
    happy: {
      as: 'clerk',
      url: () => `/api/identification/applications/${misc.withdraw}/withdrawal`,
      body: () => ({ ...sign, reason: '本人申请撤回', version: misc.version, onDate: '2026-03-18' }),
      status: 200,
      check: (res) => expect((res.json() as TimelineDto).application).toMatchObject({ state: 'withdrawn', endReason: '本人申请撤回' }),
    },
  },
  {
    method: 'POST',
    route: '/api/identification/applications/{id}/objections',
    url: () => `/api/identification/applications/${misc.object}/objections`,
    body: () => ({ raisedOn: '2026-03-13', raisedBy: '村民乙', grounds: '有异议' }),
    forbidden: { role: 'helper', area: ZHONGYUE },
    outOfScope: { as: 'clerk', url: () => `/api/identification/applications/00000000-0000-4000-8000-000000000000/objections`, body: () => ({ raisedOn: '2026-03-13', grounds: '有异议' }) },
    bad: { as: 'clerk', url: () => `/api/identification/applications/${misc.object}/objections`, body: () => ({ raisedOn: '2026-03-13', grounds: '  ' }), path: ['grounds'] },
    happy: {
      as: 'clerk',
      url: () => `/api/identification/applications/${misc.object}/objections`,
      body: () => ({ raisedOn: '2026-03-13', raisedBy: '村民乙', grounds: '家中有人在外经商' }),
      status: 201,
      check: (res) => expect(res.json() as ObjectionDto).toMatchObject({ status: 'open', raisedBy: '村民乙', grounds: '家中有人在外经商' }),
    },
  },
  {
    method: 'GET',
    route: '/api/identification/objections',
    url: () => '/api/identification/objections',
    forbidden: { none: 'every role reads the objections of its scope' },
    outOfScope: { none: 'a list of the actor’s own scope (checked by the happy path)' },
    bad: { as: 'township', url: () => '/api/identification/objections?status=maybe', path: ['querystring', 'status'] },
    happy: {
      as: 'township',
      url: () => '/api/identification/objections?status=open',
      status: 200,
      check: (res) => {
        const page = res.json() as { items: ObjectionDto[]; total: number };
        expect(page.total).toBe(2);
        expect(page.items.every((o) => o.applicationId === misc.object && o.status === 'open')).toBe(true);
      },
    },
  },
  {
    method: 'POST',
    route: '/api/identification/objections/{id}/decision',
    url: () => `/api/identification/objections/${misc.objection}/decision`,
    body: () => ({ decision: 'dismissed', decidedOn: '2026-03-14', investigation: '入户核实', reason: '不属实', ...sign }),
    forbidden: { role: 'village_clerk', area: ZHONGYUE },
    outOfScope: { as: 'township', url: () => `/api/identification/objections/00000000-0000-4000-8000-000000000000/decision`, body: () => ({ decision: 'dismissed', investigation: '入户核实', reason: '不属实', ...sign }) },
    bad: { as: 'township', url: () => `/api/identification/objections/${misc.objection}/decision`, body: () => ({ decision: 'maybe', investigation: '入户核实', reason: '不属实', ...sign }), path: ['decision'] },
    happy: {
      as: 'township',
      url: () => `/api/identification/objections/${misc.objection}/decision`,
      body: () => ({ decision: 'dismissed', decidedOn: '2026-03-14', investigation: '入户核实', reason: '不属实', ...sign }),
      status: 200,
      check: (res) => expect(res.json() as ObjectionDto).toMatchObject({ status: 'dismissed', decisionReason: '不属实', decidedOn: '2026-03-14' }),
    },
  },
  {
    method: 'GET',
    route: '/api/identification/households/{id}/applications',
    url: () => `/api/identification/households/${b.newHousehold}/applications`,
    forbidden: { none: 'every role reads the applications of its scope' },
    outOfScope: { none: 'a household outside the scope answers an empty list (its applications are not shown)' },
    bad: { as: 'clerk', url: () => '/api/identification/households/nope/applications', path: ['params', 'id'] },
    happy: {
      as: 'clerk',
      url: () => `/api/identification/households/${b.newHousehold}/applications`,
      status: 200,
      check: (res) => expect((res.json() as { items: { state: string }[] }).items.map((i) => i.state)).toEqual(['applied']),
    },
  },
];

describeRouteTable('identification', ['/api/identification/worklist', '/api/identification/batches', '/api/identification/applications', '/api/identification/objections', '/api/identification/households'], ctx, cases);
