/**
 * The route table of the data-quality routes (/api/identification/data-quality…): 401, 403, 404
 * outside the scope, 400 with the field path, and the happy path of each.
 */
import { beforeAll, afterAll, expect } from 'vitest';
import { sql } from 'drizzle-orm';
import { resetDatabase } from '../../../test/db.ts';
import { signInAdmin, signInAs, testApp } from '../../../test/http.ts';
import { householdBody } from '../../../test/people.ts';
import { CHENGXI, DAWEISHAN, LIUYANG, register, ZHONGYUE } from '../../../test/households.ts';
import { describeRouteTable, routeTableContext, type RouteCase } from '../../../test/route-table.ts';
import { claimJob, runJob } from '../../platform/jobs.ts';
import { jobHandlers } from '../../app.ts';
import { QUALITY_JOB } from './quality.ts';
import type { QualityHousehold, QualityOverview, QualityRun } from './quality-rules.ts';
import type { Page } from '../../shared/paging.ts';

const ctx = routeTableContext();
let householdNo = '';

beforeAll(async () => {
  ctx.database = await resetDatabase();
  ctx.app = await testApp(ctx.database);
  const admin = await signInAdmin(ctx.app);
  ctx.clients.county = await signInAs(ctx.app, ctx.database, 'county_officer', LIUYANG);
  ctx.clients.township = await signInAs(ctx.app, ctx.database, 'township_officer', DAWEISHAN);
  ctx.clients.clerk = await signInAs(ctx.app, ctx.database, 'village_clerk', ZHONGYUE);
  const h = await register(admin, householdBody());
  householdNo = h.householdNo;
  // A head without an ID number (older data; the registry refuses it today).
  await ctx.database.db.execute(sql`UPDATE members SET id_number = '' WHERE household_id = ${h.id} AND relation_to_head = 'head'`);
  // The county is checked (the pages read the stored findings).
  const res = await ctx.clients.county.request('POST', '/api/identification/data-quality/runs', { areaCode: LIUYANG });
  expect(res.statusCode, res.body).toBe(202);
  await runJob(ctx.database.db, (await claimJob(ctx.database.db, [QUALITY_JOB]))!, jobHandlers()[QUALITY_JOB]!);
});
afterAll(() => ctx.app.close());

const cases: RouteCase[] = [
  {
    method: 'POST',
    route: '/api/identification/data-quality/runs',
    url: () => '/api/identification/data-quality/runs',
    body: () => ({ areaCode: DAWEISHAN }),
    forbidden: { role: 'helper', area: DAWEISHAN },
    outOfScope: { as: 'township', url: () => '/api/identification/data-quality/runs', body: () => ({ areaCode: CHENGXI }) },
    bad: { as: 'township', url: () => '/api/identification/data-quality/runs', body: () => ({ areaCode: '4301811' }), path: ['areaCode'] },
    happy: {
      as: 'township',
      url: () => '/api/identification/data-quality/runs',
      body: () => ({ areaCode: DAWEISHAN }),
      status: 202,
      check: async (res) => {
        const run = res.json() as QualityRun;
        expect(run).toMatchObject({ areaCode: DAWEISHAN, status: 'queued', households: null });
        expect(run.jobId).toBeTruthy();
        // Asked again while it waits: the same run, not a second one.
        const again = await ctx.clients.county!.request('POST', '/api/identification/data-quality/runs', { areaCode: DAWEISHAN });
        expect(again.statusCode).toBe(202);
        expect(again.json()).toMatchObject({ id: run.id, jobId: run.jobId });
      },
    },
  },
  {
    method: 'GET',
    route: '/api/identification/data-quality/runs',
    url: () => `/api/identification/data-quality/runs?areaCode=${ZHONGYUE}`,
    forbidden: { role: 'helper', area: ZHONGYUE },
    outOfScope: { as: 'clerk', url: () => `/api/identification/data-quality/runs?areaCode=${CHENGXI}` },
    bad: { as: 'clerk', url: () => '/api/identification/data-quality/runs?areaCode=x', path: ['querystring', 'areaCode'] },
    happy: {
      as: 'clerk',
      url: () => '/api/identification/data-quality/runs',
      status: 200,
      check: (res) => {
        // The county's run covers the village.
        expect((res.json() as QualityRun[]).find((r) => r.areaCode === LIUYANG)).toMatchObject({ status: 'done', households: 1 });
      },
    },
  },
  {
    method: 'GET',
    route: '/api/identification/data-quality',
    url: () => `/api/identification/data-quality?areaCode=${DAWEISHAN}`,
    forbidden: { role: 'helper', area: DAWEISHAN },
    outOfScope: { as: 'township', url: () => `/api/identification/data-quality?areaCode=${CHENGXI}` },
    bad: { as: 'township', url: () => '/api/identification/data-quality?areaCode=43018112', path: ['querystring', 'areaCode'] },
    happy: {
      as: 'township',
      url: () => `/api/identification/data-quality?areaCode=${DAWEISHAN}`,
      status: 200,
      check: (res) => {
        const o = res.json() as QualityOverview;
        expect(o.area).toMatchObject({ code: DAWEISHAN, households: 1, withAnyProblem: 1 });
        expect(o.checkedAt).not.toBeNull();
        expect(o.area.counts.headIdMissing).toBe(1);
        expect(o.children.find((c) => c.code === ZHONGYUE)?.counts.headIdMissing).toBe(1);
      },
    },
  },
  {
    method: 'GET',
    route: '/api/identification/data-quality/{check}',
    url: () => `/api/identification/data-quality/headIdMissing?areaCode=${ZHONGYUE}`,
    forbidden: { role: 'work_team_member', area: ZHONGYUE },
    outOfScope: { as: 'clerk', url: () => `/api/identification/data-quality/headIdMissing?areaCode=${CHENGXI}` },
    bad: { as: 'clerk', url: () => '/api/identification/data-quality/headless', path: ['params', 'check'] },
    happy: {
      as: 'clerk',
      url: () => '/api/identification/data-quality/headIdMissing?page=1&pageSize=10',
      status: 200,
      check: (res) => {
        const p = res.json() as Page<QualityHousehold>;
        expect(p.total).toBe(1);
        expect(p.items[0]).toMatchObject({ householdNo, villageName: '中岳村', headName: '测试户主' });
        expect(p.items[0]!.findings[0]).toMatchObject({ reason: 'empty', memberName: '测试户主', field: 'idNumber' });
      },
    },
  },
];

describeRouteTable('identification', ['/api/identification/data-quality'], ctx, cases);
