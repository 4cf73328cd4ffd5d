/**
 * The route table of the yearly adjustment (/api/identification/adjustment-rounds, /household-events)
 * and poor-village identification (/village-indicators, /village-identifications): 401, 403, 404 outside
 * scope, 400 with the field path, and the happy path of every route.
 */
import { beforeAll, expect } from 'vitest';
import { resetDatabase } from '../../../test/db.ts';
import { signInAs, testApp } from '../../../test/http.ts';
import { CHENGXI, DAWEISHAN, LIUYANG, register, TONGXING, ZHONGYUE } from '../../../test/households.ts';
import { householdBody } from '../../../test/people.ts';
import { describeRouteTable, routeTableContext, type RouteCase } from '../../../test/route-table.ts';
import { currentYear } from '../areas/index.ts';
import { todayCst } from '../households/index.ts';
import type { RoundDto, VillageIdentificationDto } from './adjustment-contract.ts';

const ctx = routeTableContext();
const YEAR = currentYear();
const OTHER_COUNTY = '430102000000';
const ids = { round: '', household: '', outsideHousehold: '', version: 1, zhongyue: '', chengxi: '', zhongyueVersion: 1 };
const deadline = () => (`${YEAR}-12-31` >= todayCst() ? `${YEAR}-12-31` : todayCst());
const step = (extra: Record<string, unknown> = {}) => ({ responsiblePerson: '张三', ...extra });
const P = '/api/identification';

beforeAll(async () => {
  ctx.database = await resetDatabase();
  ctx.app = await testApp(ctx.database);
  const c = ctx.clients;
  c.county = await signInAs(ctx.app, ctx.database, 'county_officer', LIUYANG);
  c.township = await signInAs(ctx.app, ctx.database, 'township_officer', DAWEISHAN);
  c.clerk = await signInAs(ctx.app, ctx.database, 'village_clerk', ZHONGYUE);
  c.scopedAdmin = await signInAs(ctx.app, ctx.database, 'admin', DAWEISHAN);
  // Last year's round, closed: the rows' 401/403/404 calls use it; the happy path opens this year's.
  const old = (await c.county.request('POST', `${P}/adjustment-rounds`, { areaCode: LIUYANG, year: YEAR - 1, deadline: deadline() })).json() as RoundDto;
  await c.county.request('POST', `${P}/adjustment-rounds/${old.id}/close`);
  ids.round = old.id;
  const a = await register(c.clerk, householdBody());
  ids.household = a.id;
  ids.version = a.version;
  const o = await register(c.county, householdBody({ areaCode: CHENGXI }));
  ids.outsideHousehold = o.id;
  const z = (await c.county.request('POST', `${P}/village-identifications`, { areaCode: ZHONGYUE, year: YEAR, ...step() })).json() as VillageIdentificationDto;
  const x = (await c.county.request('POST', `${P}/village-identifications`, { areaCode: CHENGXI, year: YEAR, ...step() })).json() as VillageIdentificationDto;
  ids.zhongyue = z.id;
  ids.chengxi = x.id;
});

const cases: RouteCase[] = [
  {
    method: 'POST',
    route: `${P}/adjustment-rounds`,
    url: () => `${P}/adjustment-rounds`,
    body: () => ({ areaCode: LIUYANG, year: YEAR, deadline: deadline(), note: '年度动态调整' }),
    forbidden: { role: 'township_officer', area: DAWEISHAN },
    outOfScope: { as: 'scopedAdmin', url: () => `${P}/adjustment-rounds`, body: () => ({ areaCode: LIUYANG, year: YEAR, deadline: deadline() }) },
    bad: { as: 'county', url: () => `${P}/adjustment-rounds`, body: () => ({ areaCode: LIUYANG, year: YEAR, deadline: '30/12/2026' }), path: ['deadline'] },
    happy: {
      as: 'county',
      url: () => `${P}/adjustment-rounds`,
      body: () => ({ areaCode: LIUYANG, year: YEAR, deadline: deadline(), note: '年度动态调整' }),
      status: 201,
      check: (res) => {
        const r = res.json() as RoundDto;
        expect(r).toMatchObject({ year: YEAR, open: true, countyName: '浏阳市' });
        ids.round = r.id;
      },
    },
  },
  {
    method: 'GET',
    route: `${P}/adjustment-rounds`,
    url: () => `${P}/adjustment-rounds`,
    forbidden: { none: 'every role reads the rounds of its county' },
    outOfScope: { as: 'township', url: () => `${P}/adjustment-rounds?areaCode=${OTHER_COUNTY}` },
    bad: { as: 'county', url: () => `${P}/adjustment-rounds?year=abc`, path: ['querystring', 'year'] },
    happy: { as: 'clerk', url: () => `${P}/adjustment-rounds`, status: 200, check: (res) => expect((res.json() as { items: RoundDto[] }).items.map((r) => r.year)).toEqual([YEAR, YEAR - 1]) },
  },
  {
    method: 'GET',
    route: `${P}/adjustment-rounds/{id}`,
    url: () => `${P}/adjustment-rounds/${ids.round}`,
    forbidden: { none: 'every role reads the rounds of its county' },
    outOfScope: { none: 'a round is seen by everyone working in its county, and the test areas hold one county (浏阳市)' },
    bad: { as: 'county', url: () => `${P}/adjustment-rounds/not-a-uuid`, path: ['params', 'id'] },
    happy: {
      as: 'township',
      url: () => `${P}/adjustment-rounds/${ids.round}`,
      status: 200,
      check: (res) => {
        const p = res.json() as { villages: { areaCode: string }[]; year: number };
        expect(p.year).toBe(YEAR);
        expect(p.villages.length).toBeGreaterThan(0);
        expect(p.villages.every((v) => v.areaCode.startsWith('430181125'))).toBe(true);
      },
    },
  },
  {
    method: 'POST',
    route: `${P}/household-events`,
    url: () => `${P}/household-events`,
    body: () => ({ kind: 'cleared', householdId: ids.household, version: ids.version, reason: '识别不准' }),
    forbidden: { role: 'work_team_member', area: ZHONGYUE },
    outOfScope: { as: 'township', url: () => `${P}/household-events`, body: () => ({ kind: 'cleared', householdId: ids.outsideHousehold, version: 1, reason: '识别不准' }) },
    bad: { as: 'clerk', url: () => `${P}/household-events`, body: () => ({ kind: 'cleared', householdId: ids.household, version: ids.version }), path: ['reason'] },
    happy: {
      as: 'clerk',
      url: () => `${P}/household-events`,
      body: () => ({ kind: 'cleared', householdId: ids.household, version: ids.version, reason: '识别不准' }),
      status: 201,
      check: (res) => expect(res.json()).toMatchObject({ event: { kind: 'cleared', roundId: ids.round, year: YEAR }, household: { householdType: 'ordinary' } }),
    },
  },
  {
    method: 'GET',
    route: `${P}/household-events`,
    url: () => `${P}/household-events`,
    forbidden: { none: 'every role reads the events of its scope' },
    outOfScope: { as: 'township', url: () => `${P}/household-events?householdId=${ids.outsideHousehold}` },
    bad: { as: 'county', url: () => `${P}/household-events?kind=moved`, path: ['querystring', 'kind'] },
    happy: { as: 'clerk', url: () => `${P}/household-events?householdId=${ids.household}`, status: 200, check: (res) => expect(res.json()).toMatchObject({ total: 1, items: [{ kind: 'cleared' }] }) },
  },
  {
    method: 'GET',
    route: `${P}/household-events/counts`,
    url: () => `${P}/household-events/counts`,
    forbidden: { none: 'every role reads the counts of its scope' },
    outOfScope: { as: 'township', url: () => `${P}/household-events/counts?areaCode=${CHENGXI}` },
    bad: { as: 'county', url: () => `${P}/household-events/counts?year=1999`, path: ['querystring', 'year'] },
    happy: { as: 'county', url: () => `${P}/household-events/counts?year=${YEAR}`, status: 200, check: (res) => expect(res.json()).toMatchObject({ areaCode: LIUYANG, totals: { cleared: 1 } }) },
  },
  {
    method: 'PUT',
    route: `${P}/village-indicators/{areaCode}/{year}`,
    url: () => `${P}/village-indicators/${ZHONGYUE}/${YEAR}`,
    body: () => ({ perCapitaNetIncome: 3600, registeredPopulation: 1000, poorPopulation: 110 }),
    forbidden: { role: 'inspector', area: LIUYANG },
    outOfScope: { as: 'clerk', url: () => `${P}/village-indicators/${TONGXING}/${YEAR}`, body: () => ({ perCapitaNetIncome: 3600 }) },
    bad: { as: 'clerk', url: () => `${P}/village-indicators/${ZHONGYUE}/${YEAR}`, body: () => ({ registeredPopulation: 10, poorPopulation: 20 }), path: ['poorPopulation'] },
    happy: {
      as: 'clerk',
      url: () => `${P}/village-indicators/${ZHONGYUE}/${YEAR}`,
      body: () => ({ perCapitaNetIncome: 3600, registeredPopulation: 1000, poorPopulation: 110, clinic: true }),
      status: 200,
      check: (res) => expect(res.json()).toMatchObject({ areaCode: ZHONGYUE, incidence: 0.11, clinic: true }),
    },
  },
  {
    method: 'GET',
    route: `${P}/village-indicators`,
    url: () => `${P}/village-indicators`,
    forbidden: { none: 'every role reads the indicators of its scope' },
    outOfScope: { as: 'township', url: () => `${P}/village-indicators?areaCode=${CHENGXI}` },
    bad: { as: 'county', url: () => `${P}/village-indicators?year=x`, path: ['querystring', 'year'] },
    happy: { as: 'township', url: () => `${P}/village-indicators?year=${YEAR}`, status: 200, check: (res) => expect(res.json()).toMatchObject({ items: [{ areaCode: ZHONGYUE, poorPopulation: 110 }] }) },
  },
  {
    method: 'GET',
    route: `${P}/village-indicators/{areaCode}/{year}`,
    url: () => `${P}/village-indicators/${ZHONGYUE}/${YEAR}`,
    forbidden: { none: 'every role reads the indicators of its scope' },
    outOfScope: { as: 'township', url: () => `${P}/village-indicators/${CHENGXI}/${YEAR}` },
    bad: { as: 'county', url: () => `${P}/village-indicators/4301/${YEAR}`, path: ['params', 'areaCode'] },
    happy: {
      as: 'clerk',
      url: () => `${P}/village-indicators/${ZHONGYUE}/${YEAR}`,
      status: 200,
      check: (res) => expect(res.json()).toMatchObject({ indicators: { perCapitaNetIncome: 3600 }, registry: { households: 1, persons: 4 } }),
    },
  },
  {
    method: 'POST',
    route: `${P}/village-identifications`,
    url: () => `${P}/village-identifications`,
    body: () => ({ areaCode: TONGXING, year: YEAR, ...step() }),
    forbidden: { role: 'inspector', area: LIUYANG },
    outOfScope: { as: 'clerk', url: () => `${P}/village-identifications`, body: () => ({ areaCode: TONGXING, year: YEAR, ...step() }) },
    bad: { as: 'clerk', url: () => `${P}/village-identifications`, body: () => ({ areaCode: ZHONGYUE, year: YEAR + 1 }), path: ['responsiblePerson'] },
    happy: { as: 'county', url: () => `${P}/village-identifications`, body: () => ({ areaCode: TONGXING, year: YEAR, relative: true, ...step() }), status: 201, check: (res) => expect(res.json()).toMatchObject({ state: 'applied', relative: true }) },
  },
  {
    method: 'GET',
    route: `${P}/village-identifications`,
    url: () => `${P}/village-identifications`,
    forbidden: { none: 'every role reads the identifications of its scope' },
    outOfScope: { as: 'township', url: () => `${P}/village-identifications?areaCode=${CHENGXI}` },
    bad: { as: 'county', url: () => `${P}/village-identifications?state=approved`, path: ['querystring', 'state'] },
    happy: { as: 'township', url: () => `${P}/village-identifications`, status: 200, check: (res) => expect((res.json() as { items: VillageIdentificationDto[] }).items.map((i) => i.areaCode)).toEqual([ZHONGYUE, TONGXING]) },
  },
  {
    method: 'GET',
    route: `${P}/village-identifications/{id}`,
    url: () => `${P}/village-identifications/${ids.zhongyue}`,
    forbidden: { none: 'every role reads the identifications of its scope' },
    outOfScope: { as: 'township', url: () => `${P}/village-identifications/${ids.chengxi}` },
    bad: { as: 'county', url: () => `${P}/village-identifications/123`, path: ['params', 'id'] },
    happy: {
      as: 'township',
      url: () => `${P}/village-identifications/${ids.zhongyue}`,
      status: 200,
      check: (res) => expect(res.json()).toMatchObject({ state: 'applied', nextActions: ['reviewTownship', 'reject'], indicators: { poorPopulation: 110 } }),
    },
  },
  {
    method: 'POST',
    route: `${P}/village-identifications/{id}/township-review`,
    url: () => `${P}/village-identifications/${ids.zhongyue}/township-review`,
    body: () => step({ version: 1 }),
    forbidden: { role: 'village_clerk', area: ZHONGYUE },
    outOfScope: { as: 'township', url: () => `${P}/village-identifications/${ids.chengxi}/township-review`, body: () => step({ version: 1 }) },
    bad: { as: 'township', url: () => `${P}/village-identifications/${ids.zhongyue}/township-review`, body: () => step(), path: ['version'] },
    happy: {
      as: 'township',
      url: () => `${P}/village-identifications/${ids.zhongyue}/township-review`,
      body: () => step({ version: 1 }),
      status: 200,
      check: (res) => {
        const v = res.json() as VillageIdentificationDto;
        expect(v.state).toBe('townshipReviewed');
        ids.zhongyueVersion = v.version;
      },
    },
  },
  {
    method: 'POST',
    route: `${P}/village-identifications/{id}/designation`,
    url: () => `${P}/village-identifications/${ids.zhongyue}/designation`,
    body: () => step({ version: 2 }),
    forbidden: { role: 'township_officer', area: DAWEISHAN },
    outOfScope: { as: 'scopedAdmin', url: () => `${P}/village-identifications/${ids.chengxi}/designation`, body: () => step({ version: 1 }) },
    bad: { as: 'county', url: () => `${P}/village-identifications/${ids.zhongyue}/designation`, body: () => step({ version: 2, kind: 'national' }), path: ['kind'] },
    happy: {
      as: 'county',
      url: () => `${P}/village-identifications/${ids.zhongyue}/designation`,
      body: () => step({ version: ids.zhongyueVersion }),
      status: 200,
      check: (res) => expect(res.json()).toMatchObject({ state: 'designated' }),
    },
  },
  {
    method: 'POST',
    route: `${P}/village-identifications/{id}/rejection`,
    url: () => `${P}/village-identifications/${ids.chengxi}/rejection`,
    body: () => step({ version: 1, reason: '不符合条件' }),
    forbidden: { role: 'village_clerk', area: ZHONGYUE },
    outOfScope: { as: 'township', url: () => `${P}/village-identifications/${ids.chengxi}/rejection`, body: () => step({ version: 1, reason: '不符合条件' }) },
    bad: { as: 'county', url: () => `${P}/village-identifications/${ids.chengxi}/rejection`, body: () => step({ version: 1 }), path: ['reason'] },
    happy: {
      as: 'county',
      url: () => `${P}/village-identifications/${ids.chengxi}/rejection`,
      body: () => step({ version: 1, reason: '不符合条件' }),
      status: 200,
      check: (res) => expect(res.json()).toMatchObject({ state: 'rejected', endReason: '不符合条件' }),
    },
  },
  {
    method: 'POST',
    route: `${P}/adjustment-rounds/{id}/close`,
    url: () => `${P}/adjustment-rounds/${ids.round}/close`,
    forbidden: { role: 'township_officer', area: DAWEISHAN },
    outOfScope: { as: 'scopedAdmin', url: () => `${P}/adjustment-rounds/${ids.round}/close` },
    bad: { as: 'county', url: () => `${P}/adjustment-rounds/xyz/close`, path: ['params', 'id'] },
    happy: { as: 'county', url: () => `${P}/adjustment-rounds/${ids.round}/close`, status: 200, check: (res) => expect(res.json()).toMatchObject({ open: false, year: YEAR }) },
  },
];

describeRouteTable('identification', [`${P}/adjustment-rounds`, `${P}/household-events`, `${P}/village-indicators`, `${P}/village-identifications`], ctx, cases);
