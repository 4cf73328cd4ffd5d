/**
 * The routes of policy coverage (/api/assistance/coverage…) and of the assistance settings
 * (/api/assistance/settings), table-driven (test/route-table.ts): 401, 403, 404 outside the scope,
 * 400 with the field path, and the happy path.
 */
import { afterAll, beforeAll, expect } from 'vitest';
import { resetDatabase } from '../../../test/db.ts';
import { signInAdmin, signInAs, testApp } from '../../../test/http.ts';
import { CHENGXI, DAWEISHAN, HUAICHUAN, LIUYANG, register, ZHONGYUE } from '../../../test/households.ts';
import { member } from '../../../test/people.ts';
import { describeRouteTable, routeTableContext, type RouteCase } from '../../../test/route-table.ts';
import type { HouseholdDto } from '../households/contract.ts';
import type { CoverageGapDto, CoverageSummaryDto, HouseholdCoverageDto } from './coverage-contract.ts';
import type { AssistanceSettingsDto } from './settings-contract.ts';

const ctx = routeTableContext();
const AS_OF = '2026-03-15';
let inside: HouseholdDto;
let outside: HouseholdDto;

const poor = { householdType: 'registeredPoor', status: 'notExited', povertyAttribute: 'general', mainPovertyCause: 'illness', identificationYear: 2016 };

beforeAll(async () => {
  ctx.database = await resetDatabase();
  ctx.app = await testApp(ctx.database);
  ctx.clients.admin = await signInAdmin(ctx.app);
  ctx.clients.county = await signInAs(ctx.app, ctx.database, 'county_officer', LIUYANG);
  ctx.clients.township = await signInAs(ctx.app, ctx.database, 'township_officer', DAWEISHAN);
  // An administrator of 大围山镇 holds every action: a route answers 404 outside the area, not 403.
  ctx.clients.scopedAdmin = await signInAs(ctx.app, ctx.database, 'admin', DAWEISHAN);
  inside = await register(ctx.clients.admin, {
    ...poor,
    areaCode: ZHONGYUE,
    members: [member('覆盖户主', 'head', '19760101', 'male', { labourAbility: 'ordinaryLabour', medicalInsurance: true }), member('覆盖之子', 'son', '20150505', 'male', { schooling: 'notInSchool', medicalInsurance: true })],
  });
  outside = await register(ctx.clients.admin, { ...poor, areaCode: CHENGXI, members: [member('城西户主', 'head', '19660606', 'male', { labourAbility: 'ordinaryLabour' })] });
});
afterAll(() => ctx.app?.close());

const cases: RouteCase[] = [
  {
    method: 'GET',
    route: '/api/assistance/coverage',
    url: () => `/api/assistance/coverage?asOf=${AS_OF}`,
    forbidden: { none: 'every role reads the coverage of its scope (a helper: own households)' },
    outOfScope: { as: 'township', url: () => `/api/assistance/coverage?areaCode=${CHENGXI}` },
    bad: { as: 'township', url: () => '/api/assistance/coverage?areaCode=4301', path: ['querystring', 'areaCode'] },
    happy: {
      as: 'township',
      url: () => `/api/assistance/coverage?asOf=${AS_OF}`,
      status: 200,
      check: (res) => {
        const c = res.json() as CoverageSummaryDto;
        expect(c).toMatchObject({ areaCode: DAWEISHAN, households: 1 });
        expect(c.indicators.find((i) => i.indicator === 'compulsorySchooling')).toEqual({ indicator: 'compulsorySchooling', should: 1, receives: 0, rate: 0, gapHouseholds: 1 });
        expect(c.children.find((x) => x.areaCode === ZHONGYUE)?.households).toBe(1);
      },
    },
  },
  {
    method: 'GET',
    route: '/api/assistance/coverage/gaps',
    url: () => '/api/assistance/coverage/gaps?indicator=compulsorySchooling',
    forbidden: { none: 'every role reads the gaps of its scope' },
    outOfScope: { as: 'township', url: () => `/api/assistance/coverage/gaps?indicator=compulsorySchooling&areaCode=${HUAICHUAN}` },
    bad: { as: 'township', url: () => '/api/assistance/coverage/gaps?indicator=nothing', path: ['querystring', 'indicator'] },
    happy: {
      as: 'township',
      url: () => `/api/assistance/coverage/gaps?indicator=compulsorySchooling&asOf=${AS_OF}`,
      status: 200,
      check: (res) => {
        const page = res.json() as { items: CoverageGapDto[]; total: number };
        expect(page.total).toBe(1);
        expect(page.items[0]).toMatchObject({ householdId: inside.id, headName: '覆盖户主', villageName: '中岳村', missing: [{ name: '覆盖之子' }] });
      },
    },
  },
  {
    method: 'GET',
    route: '/api/assistance/coverage/households/{id}',
    url: () => `/api/assistance/coverage/households/${inside.id}`,
    forbidden: { none: 'every role reads the households of its scope' },
    outOfScope: { as: 'township', url: () => `/api/assistance/coverage/households/${outside.id}` },
    bad: { as: 'township', url: () => '/api/assistance/coverage/households/not-a-uuid', path: ['params', 'id'] },
    happy: {
      as: 'township',
      url: () => `/api/assistance/coverage/households/${inside.id}?asOf=${AS_OF}`,
      status: 200,
      check: (res) => {
        const c = res.json() as HouseholdCoverageDto;
        expect(c).toMatchObject({ householdId: inside.id, asOf: AS_OF, assisted: true });
        expect(c.indicators.find((i) => i.indicator === 'medicalInsurance')).toMatchObject({ should: 2, receives: 2, missing: [] });
      },
    },
  },
  {
    method: 'GET',
    route: '/api/assistance/settings',
    url: () => '/api/assistance/settings',
    forbidden: { none: 'every role reads the settings in force in its area' },
    outOfScope: { as: 'township', url: () => `/api/assistance/settings?areaCode=${HUAICHUAN}` },
    bad: { as: 'township', url: () => '/api/assistance/settings?areaCode=12', path: ['querystring', 'areaCode'] },
    happy: {
      as: 'township',
      url: () => '/api/assistance/settings',
      status: 200,
      check: (res) => {
        expect(res.json() as AssistanceSettingsDto).toEqual({ areaCode: DAWEISHAN, visitPeriodDays: 30, maxHouseholdsPerHelper: 10, definedAt: null });
      },
    },
  },
  {
    method: 'PUT',
    route: '/api/assistance/settings',
    url: () => '/api/assistance/settings',
    body: () => ({ areaCode: LIUYANG, visitPeriodDays: 45, maxHouseholdsPerHelper: 8 }),
    forbidden: { role: 'township_officer', area: DAWEISHAN },
    outOfScope: { as: 'scopedAdmin', url: () => '/api/assistance/settings', body: () => ({ areaCode: HUAICHUAN, visitPeriodDays: 45, maxHouseholdsPerHelper: 8 }) },
    bad: { as: 'county', url: () => '/api/assistance/settings', body: () => ({ areaCode: LIUYANG, visitPeriodDays: 0, maxHouseholdsPerHelper: 8 }), path: ['visitPeriodDays'] },
    happy: {
      as: 'county',
      url: () => '/api/assistance/settings',
      body: () => ({ areaCode: LIUYANG, visitPeriodDays: 45, maxHouseholdsPerHelper: 8 }),
      status: 200,
      check: async (res) => {
        expect(res.json() as AssistanceSettingsDto).toEqual({ areaCode: LIUYANG, visitPeriodDays: 45, maxHouseholdsPerHelper: 8, definedAt: LIUYANG });
        // The township below now works with the county's settings.
        const below = await ctx.clients.township!.request('GET', '/api/assistance/settings');
        expect(below.json() as AssistanceSettingsDto).toEqual({ areaCode: DAWEISHAN, visitPeriodDays: 45, maxHouseholdsPerHelper: 8, definedAt: LIUYANG });
      },
    },
  },
];

describeRouteTable('assistance', ['/api/assistance/coverage', '/api/assistance/settings'], ctx, cases);
