/**
 * The route table of visits (走访记录, 走访监测, 我的帮扶户): 401 / 403 / 404 / 400 / happy path for every
 * route under /api/assistance/visits and /api/assistance/my.
 */
import { afterAll, beforeAll, expect } from 'vitest';
import { resetDatabase } from '../../../test/db.ts';
import { MultipartBody, signInAdmin, signInAs, testApp } from '../../../test/http.ts';
import { CHENGXI, DAWEISHAN, HUAICHUAN, idNumberOf, register, ZHONGYUE } from '../../../test/households.ts';
import { describeRouteTable, routeTableContext, type RouteCase } from '../../../test/route-table.ts';
import { assistingUnits, helperAssignments, helpers } from './schema.ts';
import type { MyWorkspaceDto, VisitDto, VisitDueItem, VisitsDueSummaryDto } from './visits-contract.ts';
import type { Page } from '../../shared/paging.ts';

const ctx = routeTableContext();
const TODAY = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
/** A valid 1×1 PNG. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
const ids = { zhongyue: '', chengxi: '', visit: '', photo: '', helper: '' };
const visitBody = (householdId: () => string, content = '了解家庭收入和务工情况') => () =>
  new MultipartBody({ householdId: householdId(), visitDate: TODAY, content }, { field: 'photos', fileName: '走访.png', content: PNG, type: 'image/png' });

beforeAll(async () => {
  ctx.database = await resetDatabase();
  ctx.app = await testApp(ctx.database);
  const admin = await signInAdmin(ctx.app);
  ctx.clients.township = await signInAs(ctx.app, ctx.database, 'township_officer', DAWEISHAN);
  ctx.clients.otherTownship = await signInAs(ctx.app, ctx.database, 'township_officer', HUAICHUAN);
  const helper = await signInAs(ctx.app, ctx.database, 'helper', DAWEISHAN);
  ctx.clients.helper = helper;
  const poor = (areaCode: string, i: number) => ({
    areaCode,
    householdType: 'registeredPoor',
    status: 'notExited',
    povertyAttribute: 'general',
    mainPovertyCause: 'illness',
    identificationYear: 2016,
    members: [{ name: `路由走访${i}`, sex: 'male', idType: 'residentId', idNumber: idNumberOf(`19580${i}12`, '313'), relationToHead: 'head' }],
  });
  ids.zhongyue = (await register(admin, poor(ZHONGYUE, 1))).id;
  ids.chengxi = (await register(admin, poor(CHENGXI, 2))).id;
  const db = ctx.database.db;
  const [unit] = await db.insert(assistingUnits).values({ name: '大围山镇政府', kind: 'organ', level: 'township', areaCode: DAWEISHAN }).returning();
  const [h] = await db.insert(helpers).values({ name: '路由帮扶人', unitId: unit!.id, areaCode: DAWEISHAN, userId: helper.userId }).returning();
  ids.helper = h!.id;
  await db.insert(helperAssignments).values({ householdId: ids.zhongyue, helperId: h!.id, startDate: '2025-01-01' });
  const res = await helper.request('POST', '/api/assistance/visits', visitBody(() => ids.zhongyue)());
  if (res.statusCode !== 201) throw new Error(res.body);
  const v = res.json() as VisitDto;
  ids.visit = v.id;
  ids.photo = v.photos[0]!.id;
}, 120_000);

afterAll(async () => {
  await ctx.app?.close();
});

const cases: RouteCase[] = [
  {
    method: 'POST',
    route: '/api/assistance/visits',
    url: () => '/api/assistance/visits',
    body: visitBody(() => ids.zhongyue),
    forbidden: { role: 'inspector', area: DAWEISHAN },
    outOfScope: { as: 'otherTownship', url: () => '/api/assistance/visits', body: visitBody(() => ids.zhongyue) },
    bad: { as: 'helper', url: () => '/api/assistance/visits', body: visitBody(() => ids.zhongyue, ''), path: ['content'] },
    happy: {
      as: 'helper',
      url: () => '/api/assistance/visits',
      body: visitBody(() => ids.zhongyue, '宣讲教育资助政策'),
      status: 201,
      check: (res) => expect(res.json()).toMatchObject({ householdId: ids.zhongyue, helperId: ids.helper, visitorName: '路由帮扶人', content: '宣讲教育资助政策', photos: [{ mimeType: 'image/png' }] }),
    },
  },
  {
    method: 'GET',
    route: '/api/assistance/visits',
    url: () => `/api/assistance/visits?householdId=${ids.zhongyue}`,
    forbidden: { none: 'every role reads the visits of its scope' },
    outOfScope: { as: 'otherTownship', url: () => `/api/assistance/visits?householdId=${ids.zhongyue}` },
    bad: { as: 'township', url: () => '/api/assistance/visits?householdId=x', path: ['querystring', 'householdId'] },
    happy: {
      as: 'township',
      url: () => `/api/assistance/visits?householdId=${ids.zhongyue}`,
      status: 200,
      check: (res) => {
        const p = res.json() as Page<VisitDto>;
        expect(p.total).toBe(2);
        expect(p.items.map((v) => v.content)).toContain('宣讲教育资助政策');
      },
    },
  },
  {
    method: 'GET',
    route: '/api/assistance/visits/{id}/photos/{photoId}',
    url: () => `/api/assistance/visits/${ids.visit}/photos/${ids.photo}`,
    forbidden: { none: 'every role reads the photos of the households it sees' },
    outOfScope: { as: 'otherTownship', url: () => `/api/assistance/visits/${ids.visit}/photos/${ids.photo}` },
    bad: { as: 'township', url: () => `/api/assistance/visits/x/photos/${ids.photo}`, path: ['params', 'id'] },
    happy: {
      as: 'township',
      url: () => `/api/assistance/visits/${ids.visit}/photos/${ids.photo}`,
      status: 200,
      check: (res) => {
        expect(res.headers['content-type']).toBe('image/png');
        expect(String(res.headers['cache-control'])).toMatch(/^private/);
        expect(res.rawPayload.equals(PNG)).toBe(true);
      },
    },
  },
  {
    method: 'GET',
    route: '/api/assistance/visits/due',
    url: () => '/api/assistance/visits/due',
    forbidden: { none: 'every role monitors the visits of its scope' },
    outOfScope: { as: 'township', url: () => `/api/assistance/visits/due?areaCode=${CHENGXI}` },
    bad: { as: 'township', url: () => '/api/assistance/visits/due?areaCode=4301', path: ['querystring', 'areaCode'] },
    happy: {
      as: 'otherTownship',
      url: () => '/api/assistance/visits/due',
      status: 200,
      check: (res) => {
        const p = res.json() as Page<VisitDueItem>;
        expect(p.items.map((i) => [i.householdId, i.lastVisitDate, i.helperId])).toEqual([[ids.chengxi, null, null]]);
      },
    },
  },
  {
    method: 'GET',
    route: '/api/assistance/visits/due/summary',
    url: () => '/api/assistance/visits/due/summary',
    forbidden: { none: 'every role monitors the visits of its scope' },
    outOfScope: { as: 'township', url: () => `/api/assistance/visits/due/summary?areaCode=${HUAICHUAN}` },
    bad: { as: 'township', url: () => '/api/assistance/visits/due/summary?areaCode=abc', path: ['querystring', 'areaCode'] },
    happy: {
      as: 'township',
      url: () => '/api/assistance/visits/due/summary',
      status: 200,
      check: (res) => {
        const s = res.json() as VisitsDueSummaryDto;
        expect(s.total).toEqual({ households: 1, overdue: 0, neverVisited: 0 });
        expect(s.byVillage).toEqual([{ areaCode: ZHONGYUE, name: '中岳村', townshipName: '大围山镇', households: 1, overdue: 0, neverVisited: 0 }]);
      },
    },
  },
  {
    method: 'GET',
    route: '/api/assistance/my',
    url: () => '/api/assistance/my',
    forbidden: { none: 'every role may have a helper record of its own' },
    outOfScope: { none: 'the actor’s own helper record only' },
    bad: { none: 'no input' },
    happy: {
      as: 'helper',
      url: () => '/api/assistance/my',
      status: 200,
      check: (res) => {
        const w = res.json() as MyWorkspaceDto;
        expect(w.summary).toEqual({ households: 1, visitsDue: 0, needsOpen: 0 });
        expect(w.items[0]).toMatchObject({ householdId: ids.zhongyue, lastVisitDate: TODAY, daysSince: 0, overdue: false });
      },
    },
  },
];

describeRouteTable('assistance', ['/api/assistance/visits', '/api/assistance/my'], ctx, cases);
