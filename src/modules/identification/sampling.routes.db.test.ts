/**
 * The route table of verification sampling (/api/identification/samples) and relative poverty
 * (/api/identification/relative-poverty): 401, 403, 404 outside the scope, 400 with the field path and
 * the happy path for every route (test/route-table.ts).
 */
import { afterAll, beforeAll, expect } from 'vitest';
import { resetDatabase } from '../../../test/db.ts';
import { signInAdmin, signInAs, testApp } from '../../../test/http.ts';
import { CHENGXI, DAWEISHAN, HUAICHUAN, idNumberOf, LIUYANG, register, ZHONGYUE } from '../../../test/households.ts';
import { describeRouteTable, routeTableContext, type RouteCase } from '../../../test/route-table.ts';
import { todayCst } from '../households/index.ts';
import type { CandidatePageDto, SampleDetailDto, SampleDto, SampleHouseholdDto, StandardViewDto } from './sampling-rules.ts';

const ctx = routeTableContext();
const ids: Record<string, string> = {};
const YEAR = 2024;

beforeAll(async () => {
  ctx.database = await resetDatabase();
  ctx.app = await testApp(ctx.database);
  const c = ctx.clients;
  c.admin = await signInAdmin(ctx.app);
  c.county = await signInAs(ctx.app, ctx.database, 'county_officer', LIUYANG);
  c.township = await signInAs(ctx.app, ctx.database, 'township_officer', DAWEISHAN);
  c.otherTownship = await signInAs(ctx.app, ctx.database, 'township_officer', HUAICHUAN);
  c.clerk = await signInAs(ctx.app, ctx.database, 'village_clerk', ZHONGYUE);
  const add = async (i: number, areaCode: string, householdType: string, status: string, income: number) => {
    const poor = householdType === 'registeredPoor';
    const dto = await register(c.admin!, {
      areaCode,
      householdType,
      status,
      ...(poor ? { povertyAttribute: 'general', mainPovertyCause: 'illness', identificationYear: 2016 } : {}),
      members: [{ name: `路由${i}`, sex: 'male', idType: 'residentId', idNumber: idNumberOf(`19580${(i % 9) + 1}${String(i + 10).padStart(2, '0')}`, '503'), relationToHead: 'head' }],
      income: { year: YEAR, wageIncome: income, productionIncome: 0, propertyIncome: 0, transferIncome: 0, productionCosts: 0 },
    });
    return dto.id;
  };
  for (let i = 0; i < 5; i++) await add(i, ZHONGYUE, 'registeredPoor', 'notExited', 2500);
  ids.low = await add(5, ZHONGYUE, 'ordinary', 'notExited', 3000);
  await add(6, ZHONGYUE, 'marginal', 'monitored', 9000);
  await add(7, CHENGXI, 'registeredPoor', 'notExited', 2500);
  const s = await c.county!.request('POST', '/api/identification/samples', { areaCode: DAWEISHAN, year: YEAR, seed: 5 });
  ids.sample = (s.json() as SampleDto).id;
  const d = (await c.county!.request('GET', `/api/identification/samples/${ids.sample}`)).json() as SampleDetailDto;
  ids.sampled = d.households.items.find((h) => h.stratum === 'poor')!.householdId;
  const o = await c.admin!.request('POST', '/api/identification/samples', { areaCode: HUAICHUAN, year: YEAR, seed: 5 });
  ids.otherSample = (o.json() as SampleDto).id;
}, 120_000);

afterAll(() => ctx.app?.close());

const S = '/api/identification/samples';
const R = '/api/identification/relative-poverty';

const cases: RouteCase[] = [
  {
    method: 'GET',
    route: S,
    url: () => S,
    forbidden: { none: 'every role holds identification.read' },
    outOfScope: { none: 'a list: only samples of areas within the scope (sampling.db.test.ts)' },
    bad: { as: 'county', url: () => `${S}?areaCode=4301`, path: ['querystring', 'areaCode'] },
    happy: {
      as: 'township',
      url: () => `${S}?year=${YEAR}`,
      status: 200,
      check: (res) => {
        // 淮川街道's sample is not the township's.
        const p = res.json() as { items: SampleDto[]; total: number };
        expect(p.items.map((s) => s.id)).toEqual([ids.sample]);
      },
    },
  },
  {
    method: 'POST',
    route: S,
    url: () => S,
    body: () => ({ areaCode: DAWEISHAN, year: YEAR }),
    forbidden: { role: 'village_clerk', area: ZHONGYUE },
    outOfScope: { as: 'otherTownship', url: () => S, body: () => ({ areaCode: DAWEISHAN, year: YEAR }) },
    bad: { as: 'township', url: () => S, body: () => ({ areaCode: DAWEISHAN, year: YEAR, poorRate: 0.1 }), path: ['poorRate'] },
    happy: {
      as: 'township',
      url: () => S,
      body: () => ({ areaCode: DAWEISHAN, year: YEAR, seed: 5 }),
      status: 201,
      check: (res) => {
        const s = res.json() as SampleDto;
        expect(s).toMatchObject({ areaCode: DAWEISHAN, seed: 5, poorRate: 0.2, poorPopulation: 5, nonPoorPopulation: 2 });
        expect(s.wrongInclusion.drawn).toBe(1);
      },
    },
  },
  {
    method: 'GET',
    route: `${S}/{id}`,
    url: () => `${S}/${ids.sample}`,
    forbidden: { none: 'every role holds identification.read' },
    outOfScope: { as: 'otherTownship', url: () => `${S}/${ids.sample}` },
    bad: { as: 'county', url: () => `${S}/not-a-uuid`, path: ['params', 'id'] },
    happy: {
      as: 'township',
      url: () => `${S}/${ids.sample}?stratum=poor`,
      status: 200,
      check: (res) => {
        const d = res.json() as SampleDetailDto;
        expect(d.households.items.map((h) => h.householdId)).toEqual([ids.sampled]);
      },
    },
  },
  {
    method: 'PUT',
    route: `${S}/{id}/households/{householdId}`,
    url: () => `${S}/${ids.sample}/households/${ids.sampled}`,
    body: () => ({ finding: 'correct', visitedOn: '2024-06-01', visitor: '核查员' }),
    forbidden: { role: 'village_clerk', area: ZHONGYUE },
    outOfScope: { as: 'otherTownship', url: () => `${S}/${ids.sample}/households/${ids.sampled}`, body: () => ({ finding: 'correct', visitedOn: '2024-06-01', visitor: '核查员' }) },
    bad: { as: 'township', url: () => `${S}/${ids.sample}/households/${ids.sampled}`, body: () => ({ finding: 'missing', visitedOn: '2024-06-01', visitor: '核查员' }), path: ['finding'] },
    happy: {
      as: 'township',
      url: () => `${S}/${ids.sample}/households/${ids.sampled}`,
      body: () => ({ finding: 'shouldExclude', visitedOn: '2024-06-01', visitor: '核查员', note: '有商品房' }),
      status: 200,
      check: (res) => expect(res.json() as SampleHouseholdDto).toMatchObject({ householdId: ids.sampled, finding: 'shouldExclude', visitedOn: '2024-06-01', note: '有商品房' }),
    },
  },
  {
    method: 'PUT',
    route: `${R}/standards`,
    url: () => `${R}/standards`,
    body: () => ({ areaCode: LIUYANG, year: YEAR, method: 'absolute', line: 4000 }),
    forbidden: { role: 'township_officer', area: DAWEISHAN },
    outOfScope: { as: 'county', url: () => `${R}/standards`, body: () => ({ areaCode: '430182000000', year: YEAR, method: 'absolute', line: 4000 }) },
    bad: { as: 'county', url: () => `${R}/standards`, body: () => ({ areaCode: LIUYANG, year: YEAR, method: 'medianShare' }), path: ['share'] },
    happy: {
      as: 'county',
      url: () => `${R}/standards`,
      body: () => ({ areaCode: LIUYANG, year: YEAR, method: 'absolute', line: 4000 }),
      status: 200,
      check: (res) => expect((res.json() as StandardViewDto).own).toMatchObject({ areaCode: LIUYANG, effectiveLine: 4000 }),
    },
  },
  {
    method: 'GET',
    route: `${R}/standards`,
    url: () => `${R}/standards?areaCode=${ZHONGYUE}&year=${YEAR}`,
    forbidden: { none: 'every role holds identification.read' },
    outOfScope: { as: 'otherTownship', url: () => `${R}/standards?areaCode=${ZHONGYUE}&year=${YEAR}` },
    bad: { as: 'clerk', url: () => `${R}/standards?areaCode=${ZHONGYUE}&year=20x4`, path: ['querystring', 'year'] },
    happy: {
      as: 'clerk',
      url: () => `${R}/standards?areaCode=${ZHONGYUE}&year=${YEAR}`,
      status: 200,
      check: (res) => expect(res.json()).toMatchObject({ own: null, effective: { areaCode: LIUYANG, method: 'absolute', effectiveLine: 4000 } }),
    },
  },
  {
    method: 'GET',
    route: `${R}/candidates`,
    url: () => `${R}/candidates?areaCode=${ZHONGYUE}&year=${YEAR}`,
    forbidden: { none: 'every role holds identification.read' },
    outOfScope: { as: 'otherTownship', url: () => `${R}/candidates?areaCode=${ZHONGYUE}&year=${YEAR}` },
    bad: { as: 'clerk', url: () => `${R}/candidates?year=${YEAR}`, path: ['querystring', 'areaCode'] },
    happy: {
      as: 'clerk',
      url: () => `${R}/candidates?areaCode=${ZHONGYUE}&year=${YEAR}`,
      status: 200,
      check: (res) => {
        const p = res.json() as CandidatePageDto;
        expect(p.items.map((i) => [i.householdId, i.perCapitaNetIncome, i.line])).toEqual([[ids.low, 3000, 4000]]);
      },
    },
  },
  {
    method: 'POST',
    route: `${R}/batches`,
    url: () => `${R}/batches`,
    body: () => ({ areaCode: ZHONGYUE, year: YEAR, appliedOn: '2024-11-20', householdIds: [ids.low] }),
    forbidden: { role: 'inspector', area: LIUYANG },
    outOfScope: { as: 'otherTownship', url: () => `${R}/batches`, body: () => ({ areaCode: ZHONGYUE, year: YEAR, appliedOn: '2024-11-20', householdIds: [ids.low] }) },
    bad: { as: 'clerk', url: () => `${R}/batches`, body: () => ({ areaCode: ZHONGYUE, year: YEAR, appliedOn: '2024-11-20', householdIds: [] }), path: ['householdIds'] },
    happy: {
      as: 'clerk',
      url: () => `${R}/batches`,
      body: () => ({ areaCode: ZHONGYUE, year: YEAR, appliedOn: '2024-11-20', householdIds: [ids.low] }),
      status: 201,
      // The batch's year is the identification year (this year, China time); YEAR is the income year.
      check: (res) => expect(res.json()).toMatchObject({ kind: 'relativePoverty', areaCode: ZHONGYUE, year: Number(todayCst().slice(0, 4)) }),
    },
  },
];

describeRouteTable('identification', [S, R], ctx, cases);
