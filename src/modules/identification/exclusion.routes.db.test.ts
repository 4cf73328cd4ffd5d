/**
 * The route table of exclusion rules, cross-check lists and red-line hits: 401, 403, 404 outside
 * scope, 400 with the field path, and the happy path of every route under their prefixes.
 */
import { afterAll, beforeAll, expect } from 'vitest';
import { resetDatabase } from '../../../test/db.ts';
import { MultipartBody, signInAs, testApp } from '../../../test/http.ts';
import { householdBody, makeIdNumber, member } from '../../../test/people.ts';
import { register, DAWEISHAN, HUAICHUAN, LIUYANG, ZHONGYUE } from '../../../test/households.ts';
import { describeRouteTable, routeTableContext, type RouteCase } from '../../../test/route-table.ts';
import { SYSTEM_ACTOR } from '../../platform/auth.ts';
import { identificationApplications, identificationBatches } from './schema.ts';
import { importCrossCheckList } from './exclusion.ts';
import type { CrossCheckImportResult, CrossCheckListItem, ExclusionSettingsDto, RedLineHitItem, RedLineSummary } from './exclusion-contract.ts';

const OTHER_COUNTY = '430182000000'; // 宁乡市: outside 浏阳市
const ctx = routeTableContext();
const state = { hitId: '', householdId: '', spouseId: '' };

function upload(fields: Record<string, string>, ids: string[]): MultipartBody {
  const rows = [['姓名', '身份证号', '工作单位'], ...ids.map((id, i) => [`人员${i + 1}`, id, '县教育局'])];
  return new MultipartBody(fields, { fileName: '财政供养.csv', content: Buffer.from(`\ufeff${rows.map((r) => r.join(',')).join('\r\n')}\r\n`), type: 'text/csv' });
}

beforeAll(async () => {
  ctx.database = await resetDatabase();
  ctx.app = await testApp(ctx.database);
  ctx.clients.county = await signInAs(ctx.app, ctx.database, 'county_officer', LIUYANG);
  ctx.clients.township = await signInAs(ctx.app, ctx.database, 'township_officer', DAWEISHAN);
  ctx.clients.otherTownship = await signInAs(ctx.app, ctx.database, 'township_officer', HUAICHUAN);
  ctx.clients.clerk = await signInAs(ctx.app, ctx.database, 'village_clerk', ZHONGYUE);
  const members = [member('路由户主', 'head', '19700312', 'male'), member('路由配偶', 'spouse', '19720518', 'female')];
  const h = await register(ctx.clients.county, householdBody({ members, income: { year: 2025, wageIncome: 5000, productionIncome: 1000, propertyIncome: 0, transferIncome: 0, productionCosts: 0 } }));
  state.householdId = h.id;
  state.spouseId = members[1]!.idNumber;
  const [batch] = await ctx.database.db.insert(identificationBatches).values({ areaCode: ZHONGYUE, year: 2026, title: '路由测试批次' }).returning();
  await ctx.database.db.insert(identificationApplications).values({ batchId: batch!.id, householdId: h.id, areaCode: ZHONGYUE, appliedOn: '2026-03-01' });
  const rows = [['车主姓名', '身份证号', '号牌号码'], ['路由户主', members[0]!.idNumber, '湘A10001']];
  const r = await importCrossCheckList(ctx.database.db, SYSTEM_ACTOR, { kind: 'vehicle', name: '车辆登记', areaCode: LIUYANG }, { fileName: '车辆.csv', content: Buffer.from(rows.map((x) => x.join(',')).join('\n')) });
  expect(r.opened).toBe(1);
  const [hit] = (await ctx.clients.county!.request('GET', '/api/identification/red-line-hits')).json().items as RedLineHitItem[];
  state.hitId = hit!.id;
});

afterAll(async () => {
  await ctx.app.close();
});

const cases: RouteCase[] = [
  {
    method: 'GET',
    route: '/api/identification/exclusion-rules',
    url: () => '/api/identification/exclusion-rules',
    forbidden: { none: 'every role reads the rules (identification.read)' },
    outOfScope: { as: 'county', url: () => `/api/identification/exclusion-rules?areaCode=${OTHER_COUNTY}` },
    bad: { as: 'county', url: () => '/api/identification/exclusion-rules?areaCode=4301', path: ['querystring', 'areaCode'] },
    happy: {
      as: 'clerk',
      url: () => '/api/identification/exclusion-rules',
      status: 200,
      check: (res) => {
        const s = res.json() as ExclusionSettingsDto;
        expect(s.areaCode).toBe(ZHONGYUE);
        expect(s.rules.map((r) => [r.code, r.enabled, r.from])).toContainEqual(['incomeAboveLine', true, null]);
        expect(s.rules).toHaveLength(7);
      },
    },
  },
  {
    method: 'PUT',
    route: '/api/identification/exclusion-rules',
    url: () => '/api/identification/exclusion-rules',
    body: () => ({ areaCode: LIUYANG, rules: [{ rule: 'longAbsent', enabled: false }] }),
    forbidden: { role: 'township_officer', area: DAWEISHAN },
    outOfScope: { as: 'county', url: () => '/api/identification/exclusion-rules', body: () => ({ areaCode: OTHER_COUNTY, rules: [{ rule: 'longAbsent', enabled: false }] }) },
    bad: { as: 'county', url: () => '/api/identification/exclusion-rules', body: () => ({ areaCode: LIUYANG, rules: [{ rule: 'longAbsent', enabled: true, params: { minMonths: 13 } }] }), path: ['rules', 0, 'params', 'minMonths'] },
    happy: {
      as: 'county',
      url: () => '/api/identification/exclusion-rules',
      body: () => ({ areaCode: LIUYANG, rules: [{ rule: 'incomeAboveLine', enabled: true, params: { line: 2800 } }] }),
      status: 200,
      check: (res) => {
        // 3,000 yuan per person is above the county's 2,800 line.
        const s = res.json() as ExclusionSettingsDto & { refreshed: { evaluated: number; opened: number } };
        expect(s.refreshed).toMatchObject({ evaluated: 1, opened: 1 });
        expect(s.rules.find((r) => r.code === 'incomeAboveLine')).toMatchObject({ params: { line: 2800 }, from: LIUYANG });
      },
    },
  },
  {
    method: 'POST',
    route: '/api/identification/cross-check-lists',
    url: () => '/api/identification/cross-check-lists',
    body: () => upload({ kind: 'payroll', name: '财政供养人员' }, [makeIdNumber('19800101', 'male')]),
    forbidden: { role: 'township_officer', area: DAWEISHAN },
    outOfScope: { as: 'county', url: () => '/api/identification/cross-check-lists', body: () => upload({ kind: 'payroll', name: '财政供养人员', areaCode: OTHER_COUNTY }, [makeIdNumber('19800101', 'male')]) },
    bad: { as: 'county', url: () => '/api/identification/cross-check-lists', body: () => new MultipartBody({ kind: 'payroll', name: '财政供养人员' }), path: ['file'] },
    happy: {
      as: 'county',
      url: () => '/api/identification/cross-check-lists',
      body: () => upload({ kind: 'payroll', name: '财政供养人员', source: '县财政局' }, [state.spouseId, makeIdNumber('19800101', 'male')]),
      status: 201,
      check: (res) => {
        expect(res.json()).toMatchObject({ opened: 1, replaced: 0, list: { kind: 'payroll', rowCount: 2, source: '县财政局', areaName: '浏阳市' } } satisfies Partial<Record<keyof CrossCheckImportResult, unknown>>);
      },
    },
  },
  {
    method: 'GET',
    route: '/api/identification/cross-check-lists',
    url: () => '/api/identification/cross-check-lists',
    forbidden: { none: 'every role reads the lists (identification.read)' },
    outOfScope: { as: 'township', url: () => `/api/identification/cross-check-lists?areaCode=${HUAICHUAN}` },
    bad: { as: 'county', url: () => '/api/identification/cross-check-lists?kind=car', path: ['querystring', 'kind'] },
    happy: {
      as: 'township',
      url: () => '/api/identification/cross-check-lists?active=true',
      status: 200,
      check: (res) => {
        const items = (res.json() as { items: CrossCheckListItem[] }).items;
        expect(items.map((l) => [l.kind, l.areaCode, l.hits]).sort()).toEqual([
          ['payroll', LIUYANG, 1],
          ['vehicle', LIUYANG, 1],
        ]);
        expect(items.find((l) => l.kind === 'vehicle')!.importedByName).toBe('系统');
      },
    },
  },
  {
    method: 'GET',
    route: '/api/identification/red-line-hits',
    url: () => '/api/identification/red-line-hits',
    forbidden: { none: 'every role reads the hits (identification.read)' },
    outOfScope: { as: 'township', url: () => `/api/identification/red-line-hits?areaCode=${HUAICHUAN}` },
    bad: { as: 'county', url: () => '/api/identification/red-line-hits?status=closed', path: ['querystring', 'status'] },
    happy: {
      as: 'clerk',
      url: () => '/api/identification/red-line-hits?rule=vehicle',
      status: 200,
      check: (res) => {
        const page = res.json() as { items: RedLineHitItem[]; total: number };
        expect(page.total).toBe(1);
        expect(page.items[0]).toMatchObject({ householdId: state.householdId, rule: 'vehicle', memberName: '路由户主', listName: '车辆登记', status: 'open', villageName: '中岳村' });
        expect(page.items[0]!.memberIdNumber).toMatch(/^430181\*{8}\w{4}$/);
      },
    },
  },
  {
    method: 'GET',
    route: '/api/identification/red-line-hits/summary',
    url: () => '/api/identification/red-line-hits/summary',
    forbidden: { none: 'every role reads the counts (identification.read)' },
    outOfScope: { as: 'otherTownship', url: () => `/api/identification/red-line-hits/summary?areaCode=${DAWEISHAN}` },
    bad: { as: 'county', url: () => '/api/identification/red-line-hits/summary?areaCode=abc', path: ['querystring', 'areaCode'] },
    happy: {
      as: 'county',
      url: () => '/api/identification/red-line-hits/summary',
      status: 200,
      check: (res) => {
        const s = res.json() as RedLineSummary;
        expect(s).toMatchObject({ areaCode: LIUYANG, open: 3, justified: 0, byArea: [{ areaCode: DAWEISHAN, name: '大围山镇', open: 3, justified: 0 }] });
        expect(s.byRule.filter((r) => r.open).map((r) => r.rule)).toEqual(['vehicle', 'publicPayroll', 'incomeAboveLine']);
      },
    },
  },
  {
    method: 'POST',
    route: '/api/identification/red-line-hits/refresh',
    url: () => '/api/identification/red-line-hits/refresh',
    body: () => ({ areaCode: LIUYANG }),
    forbidden: { role: 'township_officer', area: DAWEISHAN },
    outOfScope: { as: 'county', url: () => '/api/identification/red-line-hits/refresh', body: () => ({ areaCode: OTHER_COUNTY }) },
    bad: { as: 'county', url: () => '/api/identification/red-line-hits/refresh', body: () => ({ areaCode: '浏阳市' }), path: ['areaCode'] },
    happy: {
      as: 'county',
      url: () => '/api/identification/red-line-hits/refresh',
      body: () => ({ areaCode: ZHONGYUE, all: true }),
      status: 200,
      check: (res) => expect(res.json()).toEqual({ evaluated: 1, opened: 0, cleared: 0 }),
    },
  },
  {
    method: 'POST',
    route: '/api/identification/red-line-hits/{id}/justify',
    url: () => `/api/identification/red-line-hits/${state.hitId}/justify`,
    body: () => ({ justification: '车辆已于上年转让，已入户核实' }),
    forbidden: { role: 'village_clerk', area: ZHONGYUE },
    outOfScope: { as: 'otherTownship', url: () => `/api/identification/red-line-hits/${state.hitId}/justify`, body: () => ({ justification: '车辆已于上年转让，已入户核实' }) },
    bad: { as: 'township', url: () => `/api/identification/red-line-hits/${state.hitId}/justify`, body: () => ({ justification: '已核实' }), path: ['justification'] },
    happy: {
      as: 'township',
      url: () => `/api/identification/red-line-hits/${state.hitId}/justify`,
      body: () => ({ justification: '车辆已于上年转让，已入户核实' }),
      status: 200,
      check: (res) => {
        expect(res.json()).toMatchObject({ id: state.hitId, status: 'justified', justification: '车辆已于上年转让，已入户核实' });
        expect((res.json() as RedLineHitItem).justifiedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
      },
    },
  },
];

describeRouteTable('identification', ['/api/identification/exclusion-rules', '/api/identification/cross-check-lists', '/api/identification/red-line-hits'], ctx, cases);
