/**
 * The records routes, table-driven (test/route-table.ts): 401, 403, 404 outside scope, 400 with the
 * field path, and the happy path for the household's assistance record, needs, plans and measures.
 */
import { afterAll, beforeAll, expect } from 'vitest';
import { resetDatabase } from '../../../test/db.ts';
import { signInAs, testApp } from '../../../test/http.ts';
import { CHENGXI, DAWEISHAN, LIUYANG, register, ZHONGYUE } from '../../../test/households.ts';
import { householdBody, member } from '../../../test/people.ts';
import { describeRouteTable, routeTableContext, type RouteCase } from '../../../test/route-table.ts';
import { todayCst } from '../households/index.ts';
import type { HouseholdDto } from '../households/contract.ts';
import type { HouseholdAssistanceDto, MeasureDto, MeasurePageDto, NeedDto, PlanDto } from './records-contract.ts';
import { addDays } from './rules.ts';

const ctx = routeTableContext();
const today = todayCst();
const year = Number(today.slice(0, 4));
const ids = { inside: '', outside: '', head: '', outsideHead: '', need: '', needToDelete: '', outsideNeed: '', measure: '', measureToDelete: '', outsideMeasure: '' };

beforeAll(async () => {
  ctx.database = await resetDatabase();
  ctx.app = await testApp(ctx.database);
  ctx.clients.county = await signInAs(ctx.app, ctx.database, 'county_officer', LIUYANG);
  ctx.clients.clerk = await signInAs(ctx.app, ctx.database, 'village_clerk', ZHONGYUE);
  // An administrator of 大围山镇 holds every action: a route answers 404 outside the area, not 403.
  ctx.clients.scopedAdmin = await signInAs(ctx.app, ctx.database, 'admin', DAWEISHAN);
  const inside: HouseholdDto = await register(ctx.clients.clerk, householdBody());
  const outside: HouseholdDto = await register(ctx.clients.county, householdBody({ areaCode: CHENGXI, members: [member('城西户主', 'head', '19660101', 'male')] }));
  ids.inside = inside.id;
  ids.outside = outside.id;
  ids.head = inside.members.find((m) => m.relationToHead === 'head')!.id;
  ids.outsideHead = outside.members[0]!.id;
  const need = async (householdId: string) => ((await ctx.clients.county!.request('POST', '/api/assistance/needs', { householdId, category: 'industry', description: '发展产业缺资金', raisedOn: addDays(today, -30) })).json() as NeedDto).id;
  const measure = async (householdId: string, memberId: string) =>
    ((await ctx.clients.county!.request('POST', '/api/assistance/measures', { householdId, type: 'medicalPremium', memberIds: [memberId], onDate: addDays(today, -5), amount: 320 })).json() as MeasureDto).id;
  ids.need = await need(ids.inside);
  ids.needToDelete = await need(ids.inside);
  ids.outsideNeed = await need(ids.outside);
  ids.measure = await measure(ids.inside, ids.head);
  ids.measureToDelete = await measure(ids.inside, ids.head);
  ids.outsideMeasure = await measure(ids.outside, ids.outsideHead);
});
afterAll(() => ctx.app?.close());

const noRecord = { role: 'inspector', area: LIUYANG } as const;
const measureBody = () => ({ householdId: ids.inside, type: 'educationCompulsory', memberIds: [ids.head], onDate: addDays(today, -2), amount: 1000, fundingSource: '中央财政专项扶贫资金' });
const correction = () => ({ type: 'medicalPremium', memberIds: [ids.head], onDate: addDays(today, -5), amount: 350, reason: '金额更正', version: 1 });

const cases: RouteCase[] = [
  {
    method: 'GET',
    route: '/api/assistance/households/{id}',
    url: () => `/api/assistance/households/${ids.inside}`,
    forbidden: { none: 'every role reads assistance in its scope' },
    outOfScope: { as: 'scopedAdmin', url: () => `/api/assistance/households/${ids.outside}` },
    bad: { as: 'clerk', url: () => '/api/assistance/households/not-a-uuid', path: ['params', 'id'] },
    happy: {
      as: 'clerk',
      url: () => `/api/assistance/households/${ids.inside}`,
      status: 200,
      check: (res) => {
        const s = res.json() as HouseholdAssistanceDto;
        expect(s.household.id).toBe(ids.inside);
        expect(s.needs).toHaveLength(2);
        expect(s.measures).toHaveLength(2);
        expect(s.coverage.map((c) => c.indicator)).toContain('educationSubsidy');
      },
    },
  },
  {
    method: 'POST',
    route: '/api/assistance/needs',
    url: () => '/api/assistance/needs',
    body: () => ({ householdId: ids.inside, category: 'education', description: '孩子上学需资助', raisedOn: today }),
    forbidden: noRecord,
    outOfScope: { as: 'scopedAdmin', url: () => '/api/assistance/needs', body: () => ({ householdId: ids.outside, category: 'education', description: 'x', raisedOn: today }) },
    bad: { as: 'clerk', url: () => '/api/assistance/needs', body: () => ({ householdId: ids.inside, category: 'education', description: '', raisedOn: today }), path: ['description'] },
    happy: {
      as: 'clerk',
      url: () => '/api/assistance/needs',
      body: () => ({ householdId: ids.inside, category: 'education', description: '孩子上学需资助', raisedOn: today }),
      status: 201,
      check: (res) => expect(res.json()).toMatchObject({ status: 'open', category: 'education' }),
    },
  },
  {
    method: 'PATCH',
    route: '/api/assistance/needs/{id}',
    url: () => `/api/assistance/needs/${ids.need}`,
    body: () => ({ version: 1, status: 'inProgress' }),
    forbidden: noRecord,
    outOfScope: { as: 'scopedAdmin', url: () => `/api/assistance/needs/${ids.outsideNeed}`, body: () => ({ version: 1, status: 'inProgress' }) },
    bad: { as: 'clerk', url: () => `/api/assistance/needs/${ids.need}`, body: () => ({ version: 1, status: 'met', metNote: '已解决' }), path: ['metOn'] },
    happy: {
      as: 'clerk',
      url: () => `/api/assistance/needs/${ids.need}`,
      body: () => ({ version: 1, status: 'met', metOn: today, metByMeasureId: ids.measure }),
      status: 200,
      check: (res) => expect(res.json()).toMatchObject({ status: 'met', metByMeasureId: ids.measure, version: 2 }),
    },
  },
  {
    method: 'DELETE',
    route: '/api/assistance/needs/{id}',
    url: () => `/api/assistance/needs/${ids.needToDelete}`,
    forbidden: noRecord,
    outOfScope: { as: 'scopedAdmin', url: () => `/api/assistance/needs/${ids.outsideNeed}` },
    bad: { as: 'clerk', url: () => '/api/assistance/needs/42', path: ['params', 'id'] },
    happy: { as: 'clerk', url: () => `/api/assistance/needs/${ids.needToDelete}`, status: 204, check: (res) => expect(res.body).toBe('') },
  },
  {
    method: 'PUT',
    route: '/api/assistance/plans',
    url: () => '/api/assistance/plans',
    body: () => ({ householdId: ids.inside, year, goal: '稳定增收', plannedExitYear: year + 1 }),
    forbidden: noRecord,
    outOfScope: { as: 'scopedAdmin', url: () => '/api/assistance/plans', body: () => ({ householdId: ids.outside, year }) },
    bad: { as: 'clerk', url: () => '/api/assistance/plans', body: () => ({ householdId: ids.inside, year, plannedMeasures: [{ type: 'teleportation' }] }), path: ['plannedMeasures', 0, 'type'] },
    happy: {
      as: 'clerk',
      url: () => '/api/assistance/plans',
      body: () => ({ householdId: ids.inside, year, goal: '稳定增收', plannedExitYear: year + 1, plannedMeasures: [{ type: 'industrySupport', description: '种植油茶', amount: 3000 }] }),
      status: 200,
      check: (res) => expect(res.json() as PlanDto).toMatchObject({ version: 1, plannedAmount: 3000 }),
    },
  },
  {
    method: 'GET',
    route: '/api/assistance/measures',
    url: () => '/api/assistance/measures',
    forbidden: { none: 'every role reads the measures of its scope' },
    outOfScope: { as: 'scopedAdmin', url: () => `/api/assistance/measures?areaCode=${CHENGXI}` },
    bad: { as: 'clerk', url: () => '/api/assistance/measures?group=magic', path: ['querystring', 'group'] },
    happy: {
      as: 'county',
      url: () => '/api/assistance/measures?group=medical',
      status: 200,
      check: (res) => expect(res.json() as MeasurePageDto).toMatchObject({ total: 3, totalAmount: 960, households: 2 }),
    },
  },
  {
    method: 'POST',
    route: '/api/assistance/measures',
    url: () => '/api/assistance/measures',
    body: measureBody,
    forbidden: noRecord,
    outOfScope: { as: 'scopedAdmin', url: () => '/api/assistance/measures', body: () => ({ ...measureBody(), householdId: ids.outside, memberIds: [ids.outsideHead] }) },
    bad: { as: 'clerk', url: () => '/api/assistance/measures', body: () => ({ ...measureBody(), amount: 12.345 }), path: ['amount'] },
    happy: {
      as: 'clerk',
      url: () => '/api/assistance/measures',
      body: measureBody,
      status: 201,
      check: (res) => expect(res.json() as MeasureDto).toMatchObject({ type: 'educationCompulsory', amount: 1000, members: [{ memberId: ids.head }] }),
    },
  },
  {
    method: 'PUT',
    route: '/api/assistance/measures/{id}',
    url: () => `/api/assistance/measures/${ids.measure}`,
    body: correction,
    forbidden: noRecord,
    outOfScope: { as: 'scopedAdmin', url: () => `/api/assistance/measures/${ids.outsideMeasure}`, body: () => ({ ...correction(), memberIds: [ids.outsideHead] }) },
    bad: { as: 'county', url: () => `/api/assistance/measures/${ids.measure}`, body: () => ({ ...correction(), onDate: '30.11.2026' }), path: ['onDate'] },
    happy: { as: 'county', url: () => `/api/assistance/measures/${ids.measure}`, body: correction, status: 200, check: (res) => expect(res.json()).toMatchObject({ amount: 350 }) },
  },
  {
    method: 'DELETE',
    route: '/api/assistance/measures/{id}',
    url: () => `/api/assistance/measures/${ids.measureToDelete}`,
    forbidden: noRecord,
    outOfScope: { as: 'scopedAdmin', url: () => `/api/assistance/measures/${ids.outsideMeasure}` },
    bad: { as: 'county', url: () => '/api/assistance/measures/abc', path: ['params', 'id'] },
    happy: { as: 'county', url: () => `/api/assistance/measures/${ids.measureToDelete}`, status: 204, check: (res) => expect(res.body).toBe('') },
  },
];

describeRouteTable('assistance', ['/api/assistance/households', '/api/assistance/needs', '/api/assistance/plans', '/api/assistance/measures'], ctx, cases);
