/**
 * The route table of work teams (/api/assistance/work-teams), poor villages without a team
 * (/api/assistance/villages-without-team) and leader contact points (/api/assistance/contact-points):
 * 401, 403, 404 outside the scope, 400 with the field path and the happy path for every route
 * (test/route-table.ts).
 */
import { afterAll, beforeAll, expect } from 'vitest';
import { resetDatabase } from '../../../test/db.ts';
import { signInAdmin, signInAs, testApp } from '../../../test/http.ts';
import { CHENGXI, DAWEISHAN, HUAICHUAN, LIUYANG, TONGXING, ZHONGYUE } from '../../../test/households.ts';
import { describeRouteTable, routeTableContext, type RouteCase } from '../../../test/route-table.ts';
import { SYSTEM_ACTOR } from '../../platform/auth.ts';
import { currentYear, designatePoorVillage } from '../areas/index.ts';
import { todayCst } from '../households/index.ts';
import { assistingUnits } from './schema.ts';
import type { ContactPointDto, ContactPointPageDto, TeamChoicesDto, VillagesWithoutTeamDto, WorkTeamDto, WorkTeamPageDto } from './teams-contract.ts';

const ctx = routeTableContext();
const ids: Record<string, string> = {};
const ver: Record<string, number> = {};
const ZHONGDUAN = '430181125209'; // 大围山镇 中塅村
const JINZHONGQIAO = '430181125211'; // 大围山镇 金钟桥村, not poor
const Y = currentYear();
const T = '/api/assistance/work-teams';
const P = '/api/assistance/contact-points';
const V = '/api/assistance/villages-without-team';

beforeAll(async () => {
  ctx.database = await resetDatabase();
  ctx.app = await testApp(ctx.database);
  const db = ctx.database.db;
  const c = ctx.clients;
  c.admin = await signInAdmin(ctx.app);
  c.county = await signInAs(ctx.app, ctx.database, 'county_officer', LIUYANG);
  c.township = await signInAs(ctx.app, ctx.database, 'township_officer', DAWEISHAN);
  c.otherTownship = await signInAs(ctx.app, ctx.database, 'township_officer', HUAICHUAN);
  // An administrator whose area is another township: holds every action, sees none of 大围山镇.
  c.otherAdmin = await signInAs(ctx.app, ctx.database, 'admin', HUAICHUAN);
  for (const code of [ZHONGYUE, TONGXING, ZHONGDUAN, CHENGXI]) await designatePoorVillage(db, SYSTEM_ACTOR, code, { year: Y, kind: 'provincial', relative: false });
  const [u] = await db.insert(assistingUnits).values({ name: '县农业农村局', kind: 'organ', level: 'county', areaCode: LIUYANG }).returning();
  ids.unit = u!.id;
  const create = async (villageCode: string, members: unknown[]) => {
    const res = await c.county!.request('POST', T, { villageCode, sendingUnitId: ids.unit, startDate: '2024-03-01', members });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as WorkTeamDto;
  };
  const a = await create(ZHONGYUE, [
    { name: '李队长', isLeader: true, phone: '13912345678' },
    { name: '王书记', isFirstSecretary: true },
    { name: '赵队员', fullTime: false },
  ]);
  ids.a = a.id;
  ver.a = a.version;
  ids.zhao = a.members.find((m) => m.name === '赵队员')!.id;
  const b = await create(TONGXING, [{ name: '孙队长', isLeader: true }]);
  ids.b = b.id;
  ver.b = b.version;
  const p = await c.county!.request('POST', P, { leaderName: '市领导甲', leaderPost: '副市长', townshipCode: DAWEISHAN, villageCode: ZHONGYUE, startDate: '2025-01-01' });
  expect(p.statusCode, p.body).toBe(201);
  ids.point = (p.json() as ContactPointDto).id;
  ver.point = (p.json() as ContactPointDto).version;
}, 120_000);

afterAll(() => ctx.app?.close());

const member = (extra: Record<string, unknown> = {}) => ({ name: '钱队员', post: '干事', phone: '13800001111', ...extra });
const newTeam = () => ({ villageCode: ZHONGDUAN, sendingUnitId: ids.unit, startDate: '2025-01-01', members: [member({ isLeader: true })] });
const point = (extra: Record<string, unknown> = {}) => ({ leaderName: '市领导乙', leaderPost: '副市长', townshipCode: DAWEISHAN, villageCode: TONGXING, countyLeaderName: '县领导丙', countyLeaderPost: '县长', unitId: ids.unit, startDate: '2025-01-01', ...extra });
const keep = (key: string) => (res: { json: () => unknown }) => {
  ver[key] = (res.json() as { version: number }).version;
};

const cases: RouteCase[] = [
  {
    method: 'GET',
    route: T,
    url: () => T,
    forbidden: { none: 'every role holds assistance.read' },
    outOfScope: { as: 'township', url: () => `${T}?areaCode=${HUAICHUAN}` },
    bad: { as: 'county', url: () => `${T}?status=gone`, path: ['querystring', 'status'] },
    happy: {
      as: 'township',
      url: () => T,
      status: 200,
      check: (res) => {
        const p = res.json() as WorkTeamPageDto;
        expect(p.items.map((t) => [t.villageName, t.leaderName, t.firstSecretaryName, t.memberCount, t.fullTimeCount])).toEqual([
          ['中岳村', '李队长', '王书记', 3, 2],
          ['同幸村', '孙队长', null, 1, 1],
        ]);
      },
    },
  },
  {
    method: 'POST',
    route: T,
    url: () => T,
    body: newTeam,
    forbidden: { role: 'township_officer', area: DAWEISHAN },
    outOfScope: { as: 'otherAdmin', url: () => T, body: newTeam },
    bad: { as: 'county', url: () => T, body: () => ({ ...newTeam(), startDate: '2025-13-01' }), path: ['startDate'] },
    happy: {
      as: 'county',
      url: () => T,
      body: newTeam,
      status: 201,
      check: (res) => {
        const t = res.json() as WorkTeamDto;
        expect([t.villageName, t.townshipName, t.sendingUnitName, t.leaderName, t.current, t.poorThisYear]).toEqual(['中塅村', '大围山镇', '县农业农村局', '钱队员', true, true]);
        // A county officer (households.read-full) reads a single team’s phones in full.
        expect(t.members[0]!.phone).toBe('13800001111');
      },
    },
  },
  {
    method: 'GET',
    route: `${T}/choices`,
    url: () => `${T}/choices`,
    forbidden: { none: 'every role holds assistance.read' },
    outOfScope: { as: 'township', url: () => `${T}/choices?areaCode=${HUAICHUAN}` },
    bad: { as: 'county', url: () => `${T}/choices?areaCode=4301`, path: ['querystring', 'areaCode'] },
    happy: {
      as: 'township',
      url: () => `${T}/choices`,
      status: 200,
      check: (res) => {
        const c = res.json() as TeamChoicesDto;
        expect(c.units.map((u) => u.name)).toEqual(['县农业农村局']);
        expect(c.poorVillages.map((v) => [v.name, v.hasTeam])).toEqual([
          ['中岳村', true],
          ['同幸村', true],
          ['中塅村', true],
        ]);
      },
    },
  },
  {
    method: 'GET',
    route: `${T}/{id}`,
    url: () => `${T}/${ids.a}`,
    forbidden: { none: 'every role holds assistance.read' },
    outOfScope: { as: 'otherTownship', url: () => `${T}/${ids.a}` },
    bad: { as: 'county', url: () => `${T}/not-a-uuid`, path: ['params', 'id'] },
    happy: {
      as: 'township',
      url: () => `${T}/${ids.a}`,
      status: 200,
      check: (res) => {
        const t = res.json() as WorkTeamDto;
        expect(t.members.map((m) => [m.name, m.isLeader, m.isFirstSecretary, m.fullTime])).toEqual([
          ['李队长', true, false, true],
          ['王书记', false, true, true],
          ['赵队员', false, false, false],
        ]);
        expect(t.history).toEqual([]);
      },
    },
  },
  {
    method: 'PATCH',
    route: `${T}/{id}`,
    url: () => `${T}/${ids.a}`,
    body: () => ({ version: ver.a, note: '乡村振兴驻村' }),
    forbidden: { role: 'township_officer', area: DAWEISHAN },
    outOfScope: { as: 'otherAdmin', url: () => `${T}/${ids.a}`, body: () => ({ version: ver.a, note: 'x' }) },
    bad: { as: 'county', url: () => `${T}/${ids.a}`, body: () => ({ note: 'x' }), path: ['version'] },
    happy: {
      as: 'county',
      url: () => `${T}/${ids.a}`,
      body: () => ({ version: ver.a, note: '乡村振兴驻村' }),
      status: 200,
      check: (res) => {
        expect((res.json() as WorkTeamDto).note).toBe('乡村振兴驻村');
        keep('a')(res);
      },
    },
  },
  {
    method: 'POST',
    route: `${T}/{id}/members`,
    url: () => `${T}/${ids.a}/members`,
    body: () => ({ version: ver.a, ...member() }),
    forbidden: { role: 'township_officer', area: DAWEISHAN },
    outOfScope: { as: 'otherAdmin', url: () => `${T}/${ids.a}/members`, body: () => ({ version: ver.a, ...member() }) },
    bad: { as: 'county', url: () => `${T}/${ids.a}/members`, body: () => ({ version: ver.a, ...member({ name: ' ' }) }), path: ['name'] },
    happy: {
      as: 'county',
      url: () => `${T}/${ids.a}/members`,
      body: () => ({ version: ver.a, ...member() }),
      status: 201,
      check: (res) => {
        expect((res.json() as WorkTeamDto).memberCount).toBe(4);
        keep('a')(res);
      },
    },
  },
  {
    method: 'PATCH',
    route: `${T}/{id}/members/{memberId}`,
    url: () => `${T}/${ids.a}/members/${ids.zhao}`,
    body: () => ({ version: ver.a, fullTime: true }),
    forbidden: { role: 'township_officer', area: DAWEISHAN },
    outOfScope: { as: 'otherAdmin', url: () => `${T}/${ids.a}/members/${ids.zhao}`, body: () => ({ version: ver.a, fullTime: true }) },
    bad: { as: 'county', url: () => `${T}/${ids.a}/members/${ids.zhao}`, body: () => ({ version: ver.a, isLeader: 'yes' }), path: ['isLeader'] },
    happy: {
      as: 'county',
      url: () => `${T}/${ids.a}/members/${ids.zhao}`,
      body: () => ({ version: ver.a, fullTime: true, post: '专职队员' }),
      status: 200,
      check: (res) => {
        const t = res.json() as WorkTeamDto;
        expect(t.members.find((m) => m.id === ids.zhao)).toMatchObject({ fullTime: true, post: '专职队员' });
        keep('a')(res);
      },
    },
  },
  {
    method: 'POST',
    route: `${T}/{id}/members/{memberId}/end`,
    url: () => `${T}/${ids.a}/members/${ids.zhao}/end`,
    body: () => ({ version: ver.a, endDate: todayCst() }),
    forbidden: { role: 'township_officer', area: DAWEISHAN },
    outOfScope: { as: 'otherAdmin', url: () => `${T}/${ids.a}/members/${ids.zhao}/end`, body: () => ({ version: ver.a, endDate: todayCst() }) },
    bad: { as: 'county', url: () => `${T}/${ids.a}/members/${ids.zhao}/end`, body: () => ({ version: ver.a, endDate: '2024-01-01' }), path: ['endDate'] },
    happy: {
      as: 'county',
      url: () => `${T}/${ids.a}/members/${ids.zhao}/end`,
      body: () => ({ version: ver.a, endDate: '2025-01-15' }),
      status: 200,
      check: (res) => {
        const t = res.json() as WorkTeamDto;
        expect(t.members.find((m) => m.id === ids.zhao)).toMatchObject({ endDate: '2025-01-15', current: false });
        expect(t.memberCount).toBe(3);
        keep('a')(res);
      },
    },
  },
  {
    method: 'POST',
    route: `${T}/{id}/replace`,
    url: () => `${T}/${ids.a}/replace`,
    body: () => ({ version: ver.a, endDate: todayCst(), team: { sendingUnitId: ids.unit, startDate: todayCst() } }),
    forbidden: { role: 'township_officer', area: DAWEISHAN },
    outOfScope: { as: 'otherAdmin', url: () => `${T}/${ids.a}/replace`, body: () => ({ version: ver.a, endDate: todayCst(), team: { sendingUnitId: ids.unit, startDate: todayCst() } }) },
    bad: { as: 'county', url: () => `${T}/${ids.a}/replace`, body: () => ({ version: ver.a, endDate: todayCst(), team: { sendingUnitId: ids.unit, startDate: '2024-01-01' } }), path: ['team', 'startDate'] },
    happy: {
      as: 'county',
      url: () => `${T}/${ids.a}/replace`,
      body: () => ({ version: ver.a, endDate: todayCst(), team: { sendingUnitId: ids.unit, startDate: todayCst(), members: [member({ name: '周书记', isFirstSecretary: true })] } }),
      status: 201,
      check: (res) => {
        const t = res.json() as WorkTeamDto;
        expect([t.villageName, t.firstSecretaryName, t.current]).toEqual(['中岳村', '周书记', true]);
        expect(t.history.map((h) => [h.id, h.endDate, h.leaderName])).toEqual([[ids.a, todayCst(), '李队长']]);
      },
    },
  },
  {
    method: 'POST',
    route: `${T}/{id}/end`,
    url: () => `${T}/${ids.b}/end`,
    body: () => ({ version: ver.b, endDate: todayCst() }),
    forbidden: { role: 'township_officer', area: DAWEISHAN },
    outOfScope: { as: 'otherAdmin', url: () => `${T}/${ids.b}/end`, body: () => ({ version: ver.b, endDate: todayCst() }) },
    bad: { as: 'county', url: () => `${T}/${ids.b}/end`, body: () => ({ version: ver.b, endDate: '2023-01-01' }), path: ['endDate'] },
    happy: {
      as: 'county',
      url: () => `${T}/${ids.b}/end`,
      body: () => ({ version: ver.b, endDate: todayCst() }),
      status: 200,
      check: (res) => {
        const t = res.json() as WorkTeamDto;
        expect([t.current, t.endDate, t.members.map((m) => m.endDate)]).toEqual([false, todayCst(), [todayCst()]]);
      },
    },
  },
  {
    method: 'GET',
    route: V,
    url: () => V,
    forbidden: { none: 'every role holds assistance.read' },
    outOfScope: { as: 'township', url: () => `${V}?areaCode=${HUAICHUAN}` },
    bad: { as: 'county', url: () => `${V}?year=1999`, path: ['querystring', 'year'] },
    happy: {
      as: 'county',
      url: () => V,
      status: 200,
      check: (res) => {
        // 同幸村's team has just ended; 城西社区 never had one.
        const r = res.json() as VillagesWithoutTeamDto;
        expect(r.items.map((v) => [v.villageName, v.lastTeamEndDate])).toEqual([
          ['城西社区', null],
          ['同幸村', todayCst()],
        ]);
        expect(r.byTownship.map((t) => [t.townshipName, t.poorVillages, t.withoutTeam])).toEqual([
          ['淮川街道', 1, 1],
          ['大围山镇', 3, 1],
        ]);
      },
    },
  },
  {
    method: 'GET',
    route: P,
    url: () => P,
    forbidden: { none: 'every role holds assistance.read' },
    outOfScope: { as: 'township', url: () => `${P}?areaCode=${HUAICHUAN}` },
    bad: { as: 'county', url: () => `${P}?pageSize=1000`, path: ['querystring', 'pageSize'] },
    happy: {
      as: 'township',
      url: () => P,
      status: 200,
      check: (res) => {
        const p = res.json() as ContactPointPageDto;
        expect(p.items.map((x) => [x.leaderName, x.townshipName, x.villageName, x.villageHasTeam])).toEqual([['市领导甲', '大围山镇', '中岳村', true]]);
      },
    },
  },
  {
    method: 'POST',
    route: P,
    url: () => P,
    body: point,
    forbidden: { role: 'township_officer', area: DAWEISHAN },
    outOfScope: { as: 'otherAdmin', url: () => P, body: point },
    bad: { as: 'county', url: () => P, body: () => point({ villageCode: CHENGXI }), path: ['villageCode'] },
    happy: {
      as: 'county',
      url: () => P,
      body: point,
      status: 201,
      check: (res) => expect(res.json() as ContactPointDto).toMatchObject({ leaderName: '市领导乙', villageName: '同幸村', unitName: '县农业农村局', countyLeaderName: '县领导丙', current: true }),
    },
  },
  {
    method: 'PATCH',
    route: `${P}/{id}`,
    url: () => `${P}/${ids.point}`,
    body: () => ({ version: ver.point, countyLeaderName: '县领导丁' }),
    forbidden: { role: 'township_officer', area: DAWEISHAN },
    outOfScope: { as: 'otherAdmin', url: () => `${P}/${ids.point}`, body: () => ({ version: ver.point, countyLeaderName: '县领导丁' }) },
    bad: { as: 'county', url: () => `${P}/${ids.point}`, body: () => ({ version: ver.point, villageCode: JINZHONGQIAO }), path: ['villageCode'] },
    happy: {
      as: 'county',
      url: () => `${P}/${ids.point}`,
      body: () => ({ version: ver.point, countyLeaderName: '县领导丁', countyLeaderPost: '副县长' }),
      status: 200,
      check: (res) => {
        expect(res.json() as ContactPointDto).toMatchObject({ countyLeaderName: '县领导丁', countyLeaderPost: '副县长', villageName: '中岳村' });
        keep('point')(res);
      },
    },
  },
  {
    method: 'POST',
    route: `${P}/{id}/end`,
    url: () => `${P}/${ids.point}/end`,
    body: () => ({ version: ver.point, endDate: todayCst() }),
    forbidden: { role: 'township_officer', area: DAWEISHAN },
    outOfScope: { as: 'otherAdmin', url: () => `${P}/${ids.point}/end`, body: () => ({ version: ver.point, endDate: todayCst() }) },
    bad: { as: 'county', url: () => `${P}/${ids.point}/end`, body: () => ({ version: ver.point, endDate: '2024-12-31' }), path: ['endDate'] },
    happy: {
      as: 'county',
      url: () => `${P}/${ids.point}/end`,
      body: () => ({ version: ver.point, endDate: todayCst() }),
      status: 200,
      check: (res) => expect(res.json() as ContactPointDto).toMatchObject({ current: false, endDate: todayCst() }),
    },
  },
];

describeRouteTable('assistance', [T, V, P], ctx, cases);
