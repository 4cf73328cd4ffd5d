/**
 * Every API route, table-driven: 401 without a session, 403 for a role without the action, 404 for a
 * record outside the actor's scope, 400 with field paths for a bad body or bad params, and the happy
 * path. Where a column does not apply (a route every signed-in role may call, a list that has no
 * single target), the row says so.
 */
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resetDatabase } from '../test/db.ts';
import { expectError, expectIssue, MultipartBody, nextAddress, signIn, signInAdmin, signInAs, testApp, USER_PASSWORD, type Client } from '../test/http.ts';

import ExcelJS from 'exceljs';
import { claimJob, runJob } from './platform/jobs.ts';
import { jobHandlers } from './app.ts';
import { IMPORT_JOB } from './modules/exchange/index.ts';
import { householdBody, makeIdNumber, member } from '../test/people.ts';
import type { ArchiveDto, HouseholdDto, HouseholdListItem } from './modules/households/contract.ts';
import type { Database } from './platform/db.ts';
import type { App } from './platform/http.ts';
import type { Role } from './shared/access.ts';

const LIUYANG = '430181000000';
const DAWEISHAN = '430181125000'; // 大围山镇
const ZHONGYUE = '430181125201'; // 大围山镇 中岳村
const TONGXING = '430181125206'; // 大围山镇 同幸村
const HUAICHUAN = '430181001000'; // 淮川街道
const CHENGXI = '430181001001'; // 淮川街道 城西社区
const CHANGSHA = '430100000000'; // 长沙市

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
type Actor = 'admin' | 'county' | 'township' | 'clerk' | 'inspector' | 'scopedAdmin' | 'leaving';

let app: App;
let database: Database;
const as = {} as Record<Actor, Client & { userId?: string; username?: string }>;
/** Users and a job the rows refer to. */
const ids = { inside: '', outside: '', job: '', imp: '' };
/**
 * Households the registry rows refer to: A, B and C in 中岳村 (registered by the clerk), O in 城西社区
 * (淮川街道, outside the township officer's scope). Versions follow the happy path's writes.
 */
const hh = {
  a: '',
  b: '',
  c: '',
  o: '',
  /** A's daughter (corrected, then moved to B), A's spouse (removed), O's head. */
  aDaughter: '',
  aSpouse: '',
  oHead: '',
  version: {} as Record<string, number>,
  created: '',
};
const v = (id: string) => hh.version[id]!;
const track = (res: LightMyRequestResponse) => {
  const h = res.json() as HouseholdDto;
  hh.version[h.id] = h.version;
  return h;
};
/** A member body with a fresh valid ID number. */
const newborn = () => member('测试新生儿', 'grandson', '20240105', 'male');

interface Call {
  as: Actor;
  url: () => string;
  body?: () => unknown;
}

interface RouteCase {
  method: Method;
  /** The route as the OpenAPI document names it. */
  route: string;
  /** A valid call, used for the 401 (without the cookie) and 403 (another actor) checks. */
  url: () => string;
  body?: () => unknown;
  /** A role without the action, or why none exists. */
  forbidden: { role: Role; area: string | null } | { none: string };
  /** A call on a record outside the actor's scope, or why the route has none. */
  outOfScope: Call | { none: string };
  /** A bad call and the path of the field it gets wrong. */
  bad: (Call & { path: (string | number)[] }) | { none: string };
  happy: Call & { status: number; check: (res: LightMyRequestResponse) => void | Promise<void> };
  /** Login is public: no 401 row. */
  isPublic?: boolean;
}

const cases: RouteCase[] = [
  {
    method: 'GET',
    route: '/api/areas',
    url: () => '/api/areas',
    forbidden: { none: 'every role reads areas in its scope' },
    outOfScope: { none: 'lists the top of the actor’s own scope' },
    bad: { as: 'township', url: () => '/api/areas?year=1999', path: ['querystring', 'year'] },
    happy: {
      as: 'township',
      url: () => '/api/areas',
      status: 200,
      check: (res) => {
        const { items } = res.json() as { items: { code: string; name: string; villageCount: number }[] };
        expect(items.map((i) => [i.code, i.name])).toEqual([[DAWEISHAN, '大围山镇']]);
        expect(items[0]!.villageCount).toBeGreaterThan(0);
      },
    },
  },
  {
    method: 'GET',
    route: '/api/areas/search',
    url: () => '/api/areas/search?q=%E6%9D%91',
    forbidden: { none: 'every role searches areas in its scope' },
    outOfScope: { none: 'a search; scope filtering is checked by the happy path' },
    bad: { as: 'township', url: () => '/api/areas/search', path: ['querystring', 'q'] },
    happy: {
      as: 'township',
      url: () => `/api/areas/search?q=${encodeURIComponent('村')}&pageSize=200`,
      status: 200,
      check: (res) => {
        const page = res.json() as { items: { code: string; fullName: string }[]; total: number };
        expect(page.total).toBeGreaterThan(0);
        for (const i of page.items) expect(i.code.startsWith('430181125')).toBe(true);
        expect(page.items[0]!.fullName).toMatch(/^湖南省 长沙市 浏阳市 大围山镇 /);
      },
    },
  },
  {
    method: 'GET',
    route: '/api/areas/{code}',
    url: () => `/api/areas/${ZHONGYUE}`,
    forbidden: { none: 'every role reads areas in its scope' },
    outOfScope: { as: 'township', url: () => `/api/areas/${CHENGXI}` },
    bad: { as: 'township', url: () => '/api/areas/43018112520x', path: ['params', 'code'] },
    happy: {
      as: 'township',
      url: () => `/api/areas/${ZHONGYUE}`,
      status: 200,
      check: (res) => {
        const a = res.json() as { code: string; name: string; level: string; fullName: string; ancestors: { code: string }[] };
        expect(a).toMatchObject({ code: ZHONGYUE, name: '中岳村', level: 'village', fullName: '湖南省 长沙市 浏阳市 大围山镇 中岳村' });
        expect(a.ancestors.map((x) => x.code)).toEqual(['430000000000', '430100000000', LIUYANG, DAWEISHAN]);
      },
    },
  },
  {
    method: 'GET',
    route: '/api/areas/{code}/children',
    url: () => `/api/areas/${DAWEISHAN}/children`,
    forbidden: { none: 'every role reads areas in its scope' },
    outOfScope: { as: 'township', url: () => `/api/areas/${HUAICHUAN}/children` },
    bad: { as: 'township', url: () => '/api/areas/43018/children', path: ['params', 'code'] },
    happy: {
      as: 'township',
      url: () => `/api/areas/${DAWEISHAN}/children`,
      status: 200,
      check: (res) => {
        const { items } = res.json() as { items: { code: string; level: string; parentCode: string }[] };
        expect(items.length).toBeGreaterThan(1);
        for (const i of items) expect(i).toMatchObject({ level: 'village', parentCode: DAWEISHAN });
        expect(items.map((i) => i.code)).toContain(ZHONGYUE);
      },
    },
  },
  {
    method: 'PUT',
    route: '/api/areas/{code}/poor-village/{year}',
    url: () => `/api/areas/${ZHONGYUE}/poor-village/2016`,
    body: () => ({}),
    forbidden: { role: 'township_officer', area: DAWEISHAN },
    outOfScope: { as: 'scopedAdmin', url: () => `/api/areas/${CHENGXI}/poor-village/2016`, body: () => ({}) },
    bad: { as: 'county', url: () => `/api/areas/${ZHONGYUE}/poor-village/2016`, body: () => ({ kind: 'national' }), path: ['kind'] },
    happy: {
      as: 'county',
      url: () => `/api/areas/${ZHONGYUE}/poor-village/2016`,
      body: () => ({ kind: 'provincial', note: '测试认定' }),
      status: 200,
      check: async (res) => {
        expect(res.json()).toEqual({ areaCode: ZHONGYUE, year: 2016, kind: 'provincial', relative: false, note: '测试认定' });
        const area = await as.township.request('GET', `/api/areas/${ZHONGYUE}`);
        expect((area.json() as { poorVillageYears: number[] }).poorVillageYears).toEqual([2016]);
      },
    },
  },
  {
    method: 'DELETE',
    route: '/api/areas/{code}/poor-village/{year}',
    url: () => `/api/areas/${ZHONGYUE}/poor-village/2016`,
    forbidden: { role: 'village_clerk', area: ZHONGYUE },
    outOfScope: { as: 'scopedAdmin', url: () => `/api/areas/${CHENGXI}/poor-village/2016` },
    bad: { as: 'county', url: () => `/api/areas/${ZHONGYUE}/poor-village/20x6`, path: ['params', 'year'] },
    happy: {
      as: 'county',
      url: () => `/api/areas/${ZHONGYUE}/poor-village/2016`,
      status: 204,
      check: async () => {
        const area = await as.township.request('GET', `/api/areas/${ZHONGYUE}`);
        expect((area.json() as { poorVillageYears: number[] }).poorVillageYears).toEqual([]);
      },
    },
  },
  {
    method: 'POST',
    route: '/api/areas/import',
    url: () => '/api/areas/import',
    body: () => ({ root: '430181' }),
    forbidden: { role: 'county_officer', area: LIUYANG },
    outOfScope: { none: 'only administrators import; there is no target record' },
    bad: { as: 'admin', url: () => '/api/areas/import', body: () => ({ root: '4301811' }), path: ['root'] },
    happy: {
      as: 'admin',
      url: () => '/api/areas/import',
      body: () => ({ root: '430181' }),
      status: 202,
      check: (res) => expect(res.json()).toMatchObject({ id: expect.any(String), type: 'areas.import', status: 'queued', progress: 0 }),
    },
  },
  {
    method: 'POST',
    route: '/api/auth/login',
    url: () => '/api/auth/login',
    isPublic: true,
    forbidden: { none: 'public' },
    outOfScope: { none: 'public' },
    bad: { as: 'admin', url: () => '/api/auth/login', body: () => ({ username: '', password: 'x' }), path: ['username'] },
    happy: {
      as: 'admin',
      url: () => '/api/auth/login',
      body: () => ({ username: 'admin', password: 'admin-test-1' }),
      status: 200,
      check: (res) => {
        expect(res.json()).toMatchObject({ user: { username: 'admin', role: 'admin', areaCode: null }, csrfToken: expect.any(String) });
        expect(res.cookies.map((c) => c.name)).toContain('fupin_session');
        const session = res.cookies.find((c) => c.name === 'fupin_session')!;
        expect(session.httpOnly).toBe(true);
      },
    },
  },
  {
    method: 'POST',
    route: '/api/auth/logout',
    url: () => '/api/auth/logout',
    forbidden: { none: 'every signed-in user signs out' },
    outOfScope: { none: 'one’s own session' },
    bad: { none: 'takes no input' },
    happy: {
      as: 'leaving',
      url: () => '/api/auth/logout',
      status: 204,
      check: async (res) => {
        expect(res.cookies.find((c) => c.name === 'fupin_session')?.value).toBe('');
        expectError(await as.leaving.request('GET', '/api/auth/session'), 401, 'UNAUTHENTICATED');
      },
    },
  },
  {
    method: 'GET',
    route: '/api/auth/session',
    url: () => '/api/auth/session',
    forbidden: { none: 'every signed-in user reads their own session' },
    outOfScope: { none: 'one’s own session' },
    bad: { none: 'takes no input' },
    happy: {
      as: 'township',
      url: () => '/api/auth/session',
      status: 200,
      check: (res) => {
        const s = res.json() as { user: { role: string; areaCode: string }; actions: string[]; areaFullName: string; csrfToken: string };
        expect(s.user).toMatchObject({ role: 'township_officer', areaCode: DAWEISHAN });
        expect(s.areaFullName).toBe('湖南省 长沙市 浏阳市 大围山镇');
        expect(s.actions).toContain('accounts.create');
        expect(s.actions).not.toContain('areas.import');
        expect(s.csrfToken.length).toBeGreaterThan(10);
      },
    },
  },
  {
    method: 'POST',
    route: '/api/auth/password',
    url: () => '/api/auth/password',
    body: () => ({ currentPassword: USER_PASSWORD, newPassword: 'changed-pass-2' }),
    forbidden: { none: 'every signed-in user changes their own password' },
    outOfScope: { none: 'one’s own password' },
    bad: { as: 'clerk', url: () => '/api/auth/password', body: () => ({ currentPassword: USER_PASSWORD, newPassword: 'short' }), path: ['newPassword'] },
    happy: {
      as: 'inspector',
      url: () => '/api/auth/password',
      body: () => ({ currentPassword: USER_PASSWORD, newPassword: 'changed-pass-2' }),
      status: 204,
      check: async () => {
        const old = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: as.inspector.username, password: USER_PASSWORD }, remoteAddress: nextAddress() });
        expectError(old, 401, 'UNAUTHENTICATED');
        await signIn(app, as.inspector.username!, 'changed-pass-2');
      },
    },
  },
  {
    method: 'GET',
    route: '/api/users',
    url: () => '/api/users',
    forbidden: { role: 'village_clerk', area: ZHONGYUE },
    outOfScope: { as: 'township', url: () => `/api/users?areaCode=${HUAICHUAN}` },
    bad: { as: 'township', url: () => '/api/users?pageSize=500', path: ['querystring', 'pageSize'] },
    happy: {
      as: 'township',
      url: () => '/api/users?pageSize=200',
      status: 200,
      check: (res) => {
        const page = res.json() as { items: { id: string; areaCode: string | null; phone: string | null }[]; total: number };
        expect(page.items.map((u) => u.id)).toContain(ids.inside);
        expect(page.items.map((u) => u.id)).not.toContain(ids.outside);
        for (const u of page.items) expect(u.areaCode!.startsWith('430181125')).toBe(true);
        expect(page.total).toBe(page.items.length);
        // Phones are masked in lists.
        for (const u of page.items) if (u.phone) expect(u.phone).toMatch(/^\d{3}\*{4}\d{4}$/);
      },
    },
  },
  {
    method: 'POST',
    route: '/api/users',
    url: () => '/api/users',
    body: () => ({ username: 'forbidden-new', displayName: '测试用户', role: 'village_clerk', areaCode: ZHONGYUE }),
    forbidden: { role: 'village_clerk', area: ZHONGYUE },
    outOfScope: { none: 'an area outside the scope is a 403 with issue path areaCode (accounts.db.test.ts)' },
    bad: { as: 'township', url: () => '/api/users', body: () => ({ username: 'a', displayName: '测试用户', role: 'village_clerk', areaCode: ZHONGYUE }), path: ['username'] },
    happy: {
      as: 'township',
      url: () => '/api/users',
      body: () => ({ username: 'clerk-new', displayName: '测试用户', role: 'village_clerk', areaCode: TONGXING, phone: '13800001234' }),
      status: 201,
      check: (res) => {
        const r = res.json() as { user: { username: string; areaName: string; mustChangePassword: boolean; phone: string }; initialPassword: string };
        expect(r.user).toMatchObject({ username: 'clerk-new', areaName: '同幸村', mustChangePassword: true, phone: '13800001234' });
        expect(r.initialPassword).toMatch(/^(?=.*[A-Za-z])(?=.*\d).{14}$/);
      },
    },
  },
  {
    method: 'GET',
    route: '/api/users/{id}',
    url: () => `/api/users/${ids.inside}`,
    forbidden: { role: 'helper', area: ZHONGYUE },
    outOfScope: { as: 'township', url: () => `/api/users/${ids.outside}` },
    bad: { as: 'township', url: () => '/api/users/not-a-uuid', path: ['params', 'id'] },
    happy: {
      as: 'township',
      url: () => `/api/users/${ids.inside}`,
      status: 200,
      check: (res) => expect(res.json()).toMatchObject({ id: ids.inside, areaCode: TONGXING, areaName: '同幸村', phone: '13800005678' }),
    },
  },
  {
    method: 'PATCH',
    route: '/api/users/{id}',
    url: () => `/api/users/${ids.inside}`,
    body: () => ({ displayName: '测试改名', version: 1 }),
    forbidden: { role: 'inspector', area: LIUYANG },
    outOfScope: { as: 'township', url: () => `/api/users/${ids.outside}`, body: () => ({ displayName: '测试改名', version: 1 }) },
    bad: { as: 'township', url: () => `/api/users/${ids.inside}`, body: () => ({ displayName: '测试改名', version: 0 }), path: ['version'] },
    happy: {
      as: 'township',
      url: () => `/api/users/${ids.inside}`,
      body: () => ({ displayName: '测试改名', version: 1 }),
      status: 200,
      check: (res) => expect(res.json()).toMatchObject({ id: ids.inside, displayName: '测试改名', version: 2 }),
    },
  },
  {
    method: 'POST',
    route: '/api/users/{id}/reset-password',
    url: () => `/api/users/${ids.inside}/reset-password`,
    forbidden: { role: 'inspector', area: DAWEISHAN },
    outOfScope: { as: 'township', url: () => `/api/users/${ids.outside}/reset-password` },
    bad: { as: 'township', url: () => '/api/users/12345/reset-password', path: ['params', 'id'] },
    happy: {
      as: 'township',
      url: () => `/api/users/${ids.inside}/reset-password`,
      status: 200,
      check: async (res) => {
        const { temporaryPassword } = res.json() as { temporaryPassword: string };
        const c = await signIn(app, 'inside-user', temporaryPassword);
        const s = await c.request('GET', '/api/auth/session');
        expect(s.json()).toMatchObject({ user: { username: 'inside-user', mustChangePassword: true } });
      },
    },
  },
  {
    method: 'GET',
    route: '/api/audit',
    url: () => '/api/audit',
    forbidden: { role: 'work_team_member', area: ZHONGYUE },
    outOfScope: { none: 'a list; scope filtering is checked in audit.db.test.ts' },
    bad: { as: 'township', url: () => '/api/audit?from=2024/01/01', path: ['querystring', 'from'] },
    happy: {
      as: 'township',
      url: () => '/api/audit?pageSize=200',
      status: 200,
      check: (res) => {
        const page = res.json() as { items: { areaCode: string | null; action: string }[] };
        expect(page.items.length).toBeGreaterThan(0);
        for (const e of page.items) expect(e.areaCode!.startsWith('430181125')).toBe(true);
      },
    },
  },
  {
    method: 'GET',
    route: '/api/jobs/{id}',
    url: () => `/api/jobs/${ids.job}`,
    forbidden: { none: 'every signed-in user reads the jobs they may see' },
    outOfScope: { as: 'township', url: () => `/api/jobs/${ids.job}` },
    bad: { as: 'admin', url: () => '/api/jobs/42', path: ['params', 'id'] },
    happy: {
      as: 'admin',
      url: () => `/api/jobs/${ids.job}`,
      status: 200,
      check: (res) => expect(res.json()).toMatchObject({ id: ids.job, type: 'areas.import', status: 'queued' }),
    },
  },

  {
    method: 'GET',
    route: '/api/code-lists',
    url: () => '/api/code-lists',
    forbidden: { none: 'every signed-in role reads the code lists' },
    outOfScope: { none: 'reference data, not tied to an area' },
    bad: { none: 'takes no input' },
    happy: {
      as: 'clerk',
      url: () => '/api/code-lists',
      status: 200,
      check: (res) => {
        const lists = res.json() as Record<string, { items: { value: string; code?: string; label: { zh: string } }[] }>;
        expect(lists.householdType!.items.map((i) => i.value)).toContain('registeredPoor');
        expect(lists.relationToHead!.items.find((i) => i.value === 'head')).toMatchObject({ label: { zh: '本人或户主' } });
        expect(lists.idType!.items.find((i) => i.value === 'disabilityCertificate')).toMatchObject({ code: '09' });
      },
    },
  },
  {
    method: 'GET',
    route: '/api/households',
    url: () => '/api/households',
    forbidden: { none: 'every role reads the households of its scope' },
    outOfScope: { as: 'township', url: () => `/api/households?areaCode=${CHENGXI}` },
    bad: { as: 'township', url: () => '/api/households?pageSize=500', path: ['querystring', 'pageSize'] },
    happy: {
      as: 'township',
      url: () => '/api/households?pageSize=200',
      status: 200,
      check: (res) => {
        const page = res.json() as { items: HouseholdListItem[]; total: number; page: number; pageSize: number };
        expect(page).toMatchObject({ total: 3, page: 1, pageSize: 200 });
        expect(page.items.map((i) => i.id).sort()).toEqual([hh.a, hh.b, hh.c].sort());
        for (const i of page.items) {
          expect(i.areaCode).toBe(ZHONGYUE);
          expect(i.headIdNumber).toMatch(/^430181\*{8}\d{3}[\dX]$/);
          expect(i.phone).toBe('138****1234');
        }
      },
    },
  },
  {
    method: 'POST',
    route: '/api/households',
    url: () => '/api/households',
    body: () => householdBody(),
    forbidden: { role: 'helper', area: ZHONGYUE },
    outOfScope: { as: 'township', url: () => '/api/households', body: () => householdBody({ areaCode: CHENGXI }) },
    bad: {
      as: 'clerk',
      url: () => '/api/households',
      body: () => {
        const b = householdBody();
        b.members[2]!.idNumber = `${b.members[2]!.idNumber.slice(0, 17)}${b.members[2]!.idNumber.endsWith('0') ? '1' : '0'}`;
        return b;
      },
      path: ['members', 2, 'idNumber'],
    },
    happy: {
      as: 'clerk',
      url: () => '/api/households',
      body: () => householdBody(),
      status: 201,
      check: (res) => {
        const h = track(res);
        hh.created = h.id;
        expect(h).toMatchObject({ areaCode: ZHONGYUE, villageName: '中岳村', townshipName: '大围山镇', headName: '测试户主', memberCount: 4, version: 1, active: true });
        expect(h.householdNo).toMatch(/^430181125201\d{4}$/);
      },
    },
  },
  {
    method: 'GET',
    route: '/api/households/duplicates',
    url: () => '/api/households/duplicates',
    forbidden: { role: 'village_clerk', area: ZHONGYUE },
    outOfScope: { none: 'a report over the actor’s scope; scope filtering is checked by the happy path' },
    bad: { as: 'township', url: () => '/api/households/duplicates?limit=0', path: ['querystring', 'limit'] },
    happy: {
      as: 'township',
      url: () => '/api/households/duplicates',
      status: 200,
      check: async (res) => {
        // O (outside the township) holds a person with the name and birth date of A's head: only the
        // administrator, whose scope covers both, sees the pair.
        const own = (res.json() as { items: { a: { householdId: string }; b: { householdId: string } }[] }).items;
        for (const p of own) expect([p.a.householdId, p.b.householdId]).not.toContain(hh.o);
        const all = (await as.admin.request('GET', '/api/households/duplicates')).json() as { items: { kind: string; a: { householdId: string; idNumber: string }; b: { householdId: string } }[] };
        const pair = all.items.find((p) => p.kind === 'sameNameAndBirthDate' && [p.a.householdId, p.b.householdId].includes(hh.o));
        expect(pair && [pair.a.householdId, pair.b.householdId].sort()).toEqual([hh.a, hh.o].sort());
        expect(pair!.a.idNumber).toMatch(/^\d{6}\*{8}/);
      },
    },
  },
  {
    method: 'GET',
    route: '/api/households/{id}',
    url: () => `/api/households/${hh.a}`,
    forbidden: { none: 'every role reads the households of its scope' },
    outOfScope: { as: 'township', url: () => `/api/households/${hh.o}` },
    bad: { as: 'township', url: () => `/api/households/${hh.a}?asOfYear=1999`, path: ['querystring', 'asOfYear'] },
    happy: {
      as: 'township',
      url: () => `/api/households/${hh.a}`,
      status: 200,
      check: (res) => {
        const h = res.json() as HouseholdDto;
        expect(h).toMatchObject({ id: hh.a, headName: '测试户主', memberCount: 4, full: false, asOfYear: null });
        expect(h.areaFullName).toBe('湖南省 长沙市 浏阳市 大围山镇 中岳村');
        for (const m of h.members) expect(m.idNumber).toMatch(/^430181\*{8}\d{3}[\dX]$/);
      },
    },
  },
  {
    method: 'GET',
    route: '/api/households/{id}/history',
    url: () => `/api/households/${hh.a}/history`,
    forbidden: { none: 'every role reads the households of its scope' },
    outOfScope: { as: 'township', url: () => `/api/households/${hh.o}/history` },
    bad: { as: 'township', url: () => '/api/households/not-a-uuid/history', path: ['params', 'id'] },
    happy: {
      as: 'township',
      url: () => `/api/households/${hh.a}/history`,
      status: 200,
      check: (res) => {
        const { items } = res.json() as { items: { version: number; change: string; changedByName: string }[] };
        expect(items).toEqual([expect.objectContaining({ version: 1, change: 'household.register', changedByName: '测试village_clerk' })]);
      },
    },
  },
  {
    method: 'PATCH',
    route: '/api/households/{id}',
    url: () => `/api/households/${hh.a}`,
    body: () => ({ version: v(hh.a), groupName: '五组', reason: '核实组别' }),
    forbidden: { role: 'city_officer', area: CHANGSHA },
    outOfScope: { as: 'township', url: () => `/api/households/${hh.o}`, body: () => ({ version: 1, groupName: '五组' }) },
    bad: { as: 'clerk', url: () => `/api/households/${hh.a}`, body: () => ({ version: v(hh.a), householdType: 'rich' }), path: ['householdType'] },
    happy: {
      as: 'clerk',
      url: () => `/api/households/${hh.a}`,
      body: () => ({ version: v(hh.a), groupName: '五组', reason: '核实组别' }),
      status: 200,
      check: (res) => {
        const before = v(hh.a);
        const h = track(res);
        expect(h).toMatchObject({ groupName: '五组', version: before + 1 });
      },
    },
  },
  {
    method: 'POST',
    route: '/api/households/{id}/members',
    url: () => `/api/households/${hh.a}/members`,
    body: () => ({ member: newborn(), version: v(hh.a), reason: 'birth' }),
    forbidden: { role: 'inspector', area: LIUYANG },
    outOfScope: { as: 'township', url: () => `/api/households/${hh.o}/members`, body: () => ({ member: newborn(), version: 1, reason: 'birth' }) },
    bad: { as: 'clerk', url: () => `/api/households/${hh.a}/members`, body: () => ({ member: { ...newborn(), birthDate: '2024-01-06' }, version: v(hh.a), reason: 'birth' }), path: ['member', 'idNumber'] },
    happy: {
      as: 'clerk',
      url: () => `/api/households/${hh.a}/members`,
      body: () => ({ member: newborn(), version: v(hh.a), reason: 'birth' }),
      status: 200,
      check: (res) => {
        const h = track(res);
        expect(h.memberCount).toBe(5);
        expect(h.members.find((m) => m.name === '测试新生儿')).toMatchObject({ status: 'active', changeReason: 'birth', birthDate: '2024-01-05' });
      },
    },
  },
  {
    method: 'PUT',
    route: '/api/households/{id}/members/{memberId}',
    url: () => `/api/households/${hh.a}/members/${hh.aDaughter}`,
    body: () => ({ member: { ...member('测试之女', 'daughter', '20120909', 'female'), name: '测试改名之女' }, version: v(hh.a) }),
    forbidden: { role: 'city_officer', area: CHANGSHA },
    outOfScope: { as: 'township', url: () => `/api/households/${hh.o}/members/${hh.oHead}`, body: () => ({ member: member('测试改名', 'head', '19700312', 'male'), version: 1 }) },
    bad: { as: 'clerk', url: () => `/api/households/${hh.a}/members/not-a-uuid`, body: () => ({ member: member('测试之女', 'daughter', '20120909', 'female'), version: v(hh.a) }), path: ['params', 'memberId'] },
    happy: {
      as: 'clerk',
      url: () => `/api/households/${hh.a}/members/${hh.aDaughter}`,
      body: () => ({ member: { ...member('测试之女', 'daughter', '20120909', 'female'), name: '测试改名之女', schooling: 'grade7' }, version: v(hh.a), reason: '更正姓名' }),
      status: 200,
      check: (res) => {
        const h = track(res);
        expect(h.members.find((m) => m.id === hh.aDaughter)).toMatchObject({ name: '测试改名之女', schooling: 'grade7', status: 'active' });
      },
    },
  },
  {
    method: 'POST',
    route: '/api/households/{id}/members/{memberId}/remove',
    url: () => `/api/households/${hh.a}/members/${hh.aSpouse}/remove`,
    body: () => ({ version: v(hh.a), reason: 'death', deceasedDate: '2025-03-01' }),
    forbidden: { role: 'inspector', area: DAWEISHAN },
    outOfScope: { as: 'township', url: () => `/api/households/${hh.o}/members/${hh.oHead}/remove`, body: () => ({ version: 1, reason: 'moveOut' }) },
    bad: { as: 'clerk', url: () => `/api/households/${hh.a}/members/${hh.aSpouse}/remove`, body: () => ({ version: v(hh.a), reason: 'vanished' }), path: ['reason'] },
    happy: {
      as: 'clerk',
      url: () => `/api/households/${hh.a}/members/${hh.aSpouse}/remove`,
      body: () => ({ version: v(hh.a), reason: 'death', deceasedDate: '2025-03-01' }),
      status: 200,
      check: (res) => {
        const h = track(res);
        expect(h.memberCount).toBe(4);
        expect(h.members.find((m) => m.id === hh.aSpouse)).toMatchObject({ status: 'removed', changeReason: 'death', alive: false, deceasedDate: '2025-03-01' });
      },
    },
  },
  {
    method: 'POST',
    route: '/api/households/{id}/members/{memberId}/move',
    url: () => `/api/households/${hh.a}/members/${hh.aDaughter}/move`,
    body: () => ({ version: v(hh.a), toHouseholdId: hh.b, toVersion: v(hh.b), relationToHead: 'other', reason: 'householdSplit' }),
    forbidden: { role: 'city_officer', area: CHANGSHA },
    outOfScope: { as: 'township', url: () => `/api/households/${hh.o}/members/${hh.oHead}/move`, body: () => ({ version: 1, toHouseholdId: hh.b, toVersion: v(hh.b), relationToHead: 'other', reason: 'moveOut' }) },
    bad: { as: 'clerk', url: () => `/api/households/${hh.a}/members/${hh.aDaughter}/move`, body: () => ({ version: v(hh.a), toHouseholdId: 'B', toVersion: 1, relationToHead: 'other', reason: 'moveOut' }), path: ['toHouseholdId'] },
    happy: {
      as: 'clerk',
      url: () => `/api/households/${hh.a}/members/${hh.aDaughter}/move`,
      body: () => ({ version: v(hh.a), toHouseholdId: hh.b, toVersion: v(hh.b), relationToHead: 'other', reason: 'householdSplit' }),
      status: 200,
      check: async (res) => {
        const a = track(res);
        expect(a.memberCount).toBe(3);
        expect(a.members.find((m) => m.id === hh.aDaughter)).toMatchObject({ status: 'removed', changeReason: 'householdSplit' });
        const b = track(await as.clerk.request('GET', `/api/households/${hh.b}`));
        expect(b.memberCount).toBe(3);
        expect(b.members.find((m) => m.name === '测试改名之女')).toMatchObject({ status: 'active', relationToHead: 'other' });
      },
    },
  },
  {
    method: 'PUT',
    route: '/api/households/{id}/income',
    url: () => `/api/households/${hh.a}/income`,
    body: () => ({ version: v(hh.a), year: 2024, wageIncome: 12000, productionCosts: 600 }),
    forbidden: { role: 'inspector', area: LIUYANG },
    outOfScope: { as: 'township', url: () => `/api/households/${hh.o}/income`, body: () => ({ version: 1, year: 2024, wageIncome: 12000 }) },
    bad: { as: 'clerk', url: () => `/api/households/${hh.a}/income`, body: () => ({ version: v(hh.a), year: 2024, wageIncome: -5 }), path: ['wageIncome'] },
    happy: {
      as: 'clerk',
      url: () => `/api/households/${hh.a}/income`,
      body: () => ({ version: v(hh.a), year: 2024, wageIncome: 12000, productionCosts: 600 }),
      status: 200,
      check: (res) => {
        const h = track(res);
        // Three members in 2024 (after the death and the move): 11400 ÷ 3.
        expect(h.incomes.find((i) => i.year === 2024)).toMatchObject({ netIncome: 11400, memberCount: 3, perCapitaNetIncome: 3800 });
        // 2025 stays the latest income year.
        expect(h.latestIncomeYear).toBe(2025);
      },
    },
  },
  {
    method: 'POST',
    route: '/api/households/{id}/remove',
    url: () => `/api/households/${hh.c}/remove`,
    body: () => ({ version: 1, reason: '整户迁出本县' }),
    forbidden: { role: 'village_clerk', area: ZHONGYUE },
    outOfScope: { as: 'township', url: () => `/api/households/${hh.o}/remove`, body: () => ({ version: 1, reason: '整户迁出本县' }) },
    bad: { as: 'township', url: () => `/api/households/${hh.c}/remove`, body: () => ({ version: 1, reason: '' }), path: ['reason'] },
    happy: {
      as: 'township',
      url: () => `/api/households/${hh.c}/remove`,
      body: () => ({ version: 1, reason: '整户迁出本县' }),
      status: 200,
      check: async (res) => {
        expect(res.json()).toMatchObject({ id: hh.c, active: false, removedReason: '整户迁出本县', version: 2 });
        const list = (await as.township.request('GET', '/api/households?pageSize=200')).json() as { items: { id: string }[] };
        expect(list.items.map((i) => i.id)).not.toContain(hh.c);
      },
    },
  },
  {
    method: 'GET',
    route: '/api/townships/{code}/archive',
    url: () => `/api/townships/${DAWEISHAN}/archive`,
    forbidden: { none: 'every role reads the archive of its scope' },
    outOfScope: { as: 'township', url: () => `/api/townships/${HUAICHUAN}/archive` },
    bad: { as: 'township', url: () => '/api/townships/43018112500x/archive', path: ['params', 'code'] },
    happy: {
      as: 'township',
      url: () => `/api/townships/${DAWEISHAN}/archive`,
      status: 200,
      check: (res) => {
        const a = res.json() as ArchiveDto;
        expect(a.township).toEqual({ code: DAWEISHAN, name: '大围山镇', fullName: '湖南省 长沙市 浏阳市 大围山镇' });
        // A (3 persons), B (3), the household the happy path registered (4); C was removed.
        expect(a.villages.find((x) => x.code === ZHONGYUE)).toMatchObject({ households: 3, persons: 10, registeredPoorHouseholds: 3, notExitedHouseholds: 3 });
        expect(a.totals).toEqual({ households: 3, persons: 10, registeredPoorHouseholds: 3, notExitedHouseholds: 3 });
      },
    },
  },
  {
    method: 'GET',
    route: '/api/exports/households',
    url: () => '/api/exports/households?kind=members&full=true',
    forbidden: { role: 'city_officer', area: CHANGSHA },
    outOfScope: { as: 'township', url: () => `/api/exports/households?areaCode=${CHENGXI}` },
    bad: { as: 'township', url: () => '/api/exports/households?format=pdf', path: ['querystring', 'format'] },
    happy: {
      as: 'clerk',
      url: () => '/api/exports/households?kind=members&format=csv&full=true',
      status: 200,
      check: (res) => {
        expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
        const cd = String(res.headers['content-disposition']);
        expect(cd).toMatch(/^attachment; filename="[\x20-\x7e]+"; filename\*=UTF-8''/);
        expect(decodeURIComponent(cd.split("UTF-8''")[1]!)).toMatch(/^人员名单-中岳村-\d{4}-\d{2}-\d{2}\.csv$/);
        expect([...res.rawPayload.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
        const lines = res.rawPayload.subarray(3).toString('utf8').trim().split('\r\n');
        expect(lines[0]).toMatch(/^县\(市、区、旗\),乡\(镇\),行政村,自然村,区划代码,户编号,姓名,证件号码,/);
        // A (3 persons), B (3), the household the happy path registered (4); C was removed.
        expect(lines).toHaveLength(1 + 10);
        for (const l of lines.slice(1)) expect(l).toMatch(new RegExp(`^浏阳市,大围山镇,中岳村,[^,]*,${ZHONGYUE},\\d{16},[^,]+,\\d{17}[\\dX],`));
      },
    },
  },
  {
    method: 'GET',
    route: '/api/imports/template',
    url: () => '/api/imports/template',
    forbidden: { role: 'inspector', area: LIUYANG },
    outOfScope: { none: 'the template is the same for everyone' },
    bad: { none: 'takes no input' },
    happy: {
      as: 'clerk',
      url: () => '/api/imports/template',
      status: 200,
      check: async (res) => {
        expect(res.headers['content-type']).toBe(XLSX_TYPE);
        expect(decodeURIComponent(String(res.headers['content-disposition']).split("UTF-8''")[1]!)).toBe('人员名单导入模板.xlsx');
        const wb = new ExcelJS.Workbook();
        await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
        expect(wb.worksheets.map((w) => w.name)).toContain('人员名单');
      },
    },
  },
  {
    method: 'POST',
    route: '/api/imports',
    url: () => '/api/imports',
    body: () => importUpload(),
    forbidden: { role: 'inspector', area: LIUYANG },
    outOfScope: { none: 'an upload names no record; the file’s villages are checked against the scope by the import (import.db.test.ts)' },
    bad: { as: 'clerk', url: () => '/api/imports', body: () => new MultipartBody({ mode: 'commit-valid' }), path: ['file'] },
    happy: {
      as: 'county',
      url: () => '/api/imports',
      body: () => importUpload(),
      status: 202,
      check: async (res) => {
        const id = (res.json() as { id: string }).id;
        // The upload returned at once; a worker runs the import.
        const queued = (await as.county.request('GET', `/api/imports/${id}`)).json() as { status: string };
        expect(queued.status).toBe('queued');
        expect(await runQueuedImport()).toBe(id);
        const done = (await as.county.request('GET', `/api/imports/${id}`)).json() as { status: string; summary: { created: number } };
        expect(done).toMatchObject({ status: 'succeeded', summary: { created: 1 } });
      },
    },
  },
  {
    method: 'GET',
    route: '/api/imports',
    url: () => '/api/imports',
    forbidden: { role: 'inspector', area: LIUYANG },
    outOfScope: { none: 'a list of the actor’s own and in-scope imports (checked by the happy path)' },
    bad: { none: 'takes no input' },
    happy: {
      as: 'county',
      url: () => '/api/imports',
      status: 200,
      check: async (res) => {
        const { items } = res.json() as { items: { id: string; fileName: string; createdByName: string | null }[] };
        expect(items.map((i) => i.id)).toContain(ids.imp);
        expect(items[0]!.fileName).toBe('人员名单.csv');
        // The township officer (大围山镇) does not see an import made by the county office.
        const other = (await as.township.request('GET', '/api/imports')).json() as { items: unknown[] };
        expect(other.items).toHaveLength(0);
      },
    },
  },
  {
    method: 'GET',
    route: '/api/imports/{id}',
    url: () => `/api/imports/${ids.imp}`,
    forbidden: { role: 'inspector', area: LIUYANG },
    outOfScope: { as: 'township', url: () => `/api/imports/${ids.imp}` },
    bad: { as: 'county', url: () => '/api/imports/not-a-uuid', path: ['params', 'id'] },
    happy: {
      as: 'county',
      url: () => `/api/imports/${ids.imp}`,
      status: 200,
      check: (res) => {
        const d = res.json() as { status: string; progress: number; summary: { created: number; rejected: number; committed: boolean; problems: { sheetRow: number; column: string }[] }; hasReport: boolean; hasRejected: boolean };
        expect(d).toMatchObject({ status: 'succeeded', progress: 100, hasReport: true, hasRejected: true });
        expect(d.summary).toMatchObject({ created: 1, rejected: 1, committed: true });
        expect(d.summary.problems[0]).toMatchObject({ sheetRow: 4, column: '证件号码' });
      },
    },
  },
  {
    method: 'GET',
    route: '/api/imports/{id}/report',
    url: () => `/api/imports/${ids.imp}/report`,
    forbidden: { role: 'inspector', area: LIUYANG },
    outOfScope: { as: 'township', url: () => `/api/imports/${ids.imp}/report` },
    bad: { as: 'county', url: () => '/api/imports/not-a-uuid/report', path: ['params', 'id'] },
    happy: {
      as: 'county',
      url: () => `/api/imports/${ids.imp}/report`,
      status: 200,
      check: async (res) => {
        expect(res.headers['content-type']).toBe(XLSX_TYPE);
        const wb = new ExcelJS.Workbook();
        await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
        expect(wb.worksheets[0]!.name).toBe('问题清单');
      },
    },
  },
  {
    method: 'GET',
    route: '/api/imports/{id}/rejected',
    url: () => `/api/imports/${ids.imp}/rejected`,
    forbidden: { role: 'inspector', area: LIUYANG },
    outOfScope: { as: 'township', url: () => `/api/imports/${ids.imp}/rejected` },
    bad: { as: 'county', url: () => '/api/imports/not-a-uuid/rejected', path: ['params', 'id'] },
    happy: {
      as: 'county',
      url: () => `/api/imports/${ids.imp}/rejected`,
      status: 200,
      check: async (res) => {
        const wb = new ExcelJS.Workbook();
        await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
        const names: unknown[] = [];
        wb.worksheets[0]!.eachRow((r) => names.push(r.getCell(5).value));
        // The header and the rejected household's two rows, ready to fix and import again.
        expect(names).toEqual(['姓名', '导入坏户', '导入坏户妻']);
      },
    },
  },
];

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Runs the oldest queued import as the server's worker would. @returns its id */
async function runQueuedImport(): Promise<string> {
  const job = await claimJob(database.db, [IMPORT_JOB]);
  if (!job) throw new Error('no import queued');
  await runJob(database.db, job, jobHandlers()[IMPORT_JOB]!);
  return job.id;
}

/** A person list with one good household and one with a wrong ID number (rows 4–5), in 集里街道 合盛村 (away from the other rows' villages). */
function importUpload(): MultipartBody {
  const rows = [
    ['县(市、区、旗)', '乡(镇)', '行政村', '户编号', '姓名', '证件号码', '与户主关系', '户类型', '脱贫属性', '主要致贫原因'],
    ['浏阳市', '集里街道', '合盛村', '', '导入好户', makeIdNumber('19660101', 'male'), '户主', '建档立卡贫困户', '未脱贫', '因病'],
    ['浏阳市', '集里街道', '合盛村', '', '导入好户妻', makeIdNumber('19680101', 'female'), '配偶', '建档立卡贫困户', '未脱贫', '因病'],
    ['浏阳市', '集里街道', '合盛村', '', '导入坏户', '430181196601010000', '户主', '建档立卡贫困户', '未脱贫', '因病'],
    ['浏阳市', '集里街道', '合盛村', '', '导入坏户妻', makeIdNumber('19680102', 'female'), '配偶', '建档立卡贫困户', '未脱贫', '因病'],
  ];
  const content = Buffer.from(`\ufeff${rows.map((r) => r.join(',')).join('\r\n')}\r\n`);
  return new MultipartBody({ mode: 'commit-valid', onExisting: 'update' }, { fileName: '人员名单.csv', content, type: 'text/csv' });
}

beforeAll(async () => {
  database = await resetDatabase();
  app = await testApp(database);
  as.admin = await signInAdmin(app);
  as.county = await signInAs(app, database, 'county_officer', LIUYANG);
  as.township = await signInAs(app, database, 'township_officer', DAWEISHAN);
  as.clerk = await signInAs(app, database, 'village_clerk', ZHONGYUE);
  as.inspector = await signInAs(app, database, 'inspector', LIUYANG);
  as.scopedAdmin = await signInAs(app, database, 'admin', DAWEISHAN);
  as.leaving = await signInAs(app, database, 'helper', ZHONGYUE);
  const inside = await as.admin.request('POST', '/api/users', { username: 'inside-user', displayName: '测试用户', role: 'village_clerk', areaCode: TONGXING, phone: '13800005678' });
  const outside = await as.admin.request('POST', '/api/users', { username: 'outside-user', displayName: '测试用户', role: 'village_clerk', areaCode: CHENGXI, phone: '13800001234' });
  ids.inside = (inside.json() as { user: { id: string } }).user.id;
  ids.outside = (outside.json() as { user: { id: string } }).user.id;
  const job = await as.admin.request('POST', '/api/areas/import', { root: '430181' });
  ids.job = (job.json() as { id: string }).id;

  const register = async (c: Client, body: unknown) => {
    const res = await c.request('POST', '/api/households', body);
    if (res.statusCode !== 201) throw new Error(`registration failed: ${res.body}`);
    return track(res);
  };
  const a = await register(as.clerk, householdBody());
  hh.a = a.id;
  hh.aDaughter = a.members.find((m) => m.relationToHead === 'daughter')!.id;
  hh.aSpouse = a.members.find((m) => m.relationToHead === 'spouse')!.id;
  hh.b = (await register(as.clerk, householdBody({ members: [member('测试乙户主', 'head', '19600101', 'male'), member('测试乙配偶', 'spouse', '19620202', 'female')] }))).id;
  hh.c = (await register(as.clerk, householdBody({ members: [member('测试丙户主', 'head', '19550505', 'female')] }))).id;
  // O: 城西社区, with a head of the same name and birth date as A's head (a possible duplicate).
  const o = await register(as.admin, householdBody({ areaCode: CHENGXI, members: [member('测试户主', 'head', '19700312', 'male')] }));
  hh.o = o.id;
  hh.oHead = o.members[0]!.id;
  // An import by the county office (one household registered, one rejected), for the import rows.
  const imp = await as.county.request('POST', '/api/imports', importUpload());
  if (imp.statusCode !== 202) throw new Error(`upload failed: ${imp.body}`);
  ids.imp = await runQueuedImport();
});
afterAll(() => app?.close());

/**
 * Routes under these prefixes are covered by their module's own route table (test/route-table.ts), in
 * the module's *.db.test.ts files; each of those checks it covers every route under its prefixes.
 */
const MODULE_ROUTE_PREFIXES = ['/api/identification/', '/api/assistance/'];

function send(c: Client, method: Method, url: string, body?: () => unknown) {
  return c.request(method, url, body?.());
}

describe('the route table', () => {
  it('covers every route of the OpenAPI document', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as { paths: Record<string, Record<string, unknown>> };
    const documented = Object.entries(doc.paths)
      .flatMap(([p, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${p}`))
      .filter((r) => r !== 'GET /api/health' && !MODULE_ROUTE_PREFIXES.some((x) => r.split(' ')[1]!.startsWith(x)))
      .sort();
    const tested = cases.map((c) => `${c.method} ${c.route}`).sort();
    expect(tested).toEqual(documented);
  });
});

describe('401 without a session', () => {
  it.each(cases.filter((c) => !c.isPublic).map((c) => [`${c.method} ${c.route}`, c] as const))('%s', async (_name, c) => {
    const body = c.body?.();
    const res = await app.inject({ method: c.method, url: c.url(), ...(body === undefined ? {} : { payload: body as object }) });
    const e = expectError(res, 401, 'UNAUTHENTICATED');
    expect(e.message).toBe('请先登录');
  });

  it('a forged or unknown session cookie is no session either', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/auth/session', headers: { cookie: 'fupin_session=not-a-real-token' } });
    expectError(res, 401, 'UNAUTHENTICATED');
  });

  it('POST /api/auth/login with a wrong password is 401 with the one message for both cases', async () => {
    const wrong = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'admin', password: 'wrong-pass-1' }, remoteAddress: nextAddress() });
    const unknown = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'nobody-here', password: 'wrong-pass-1' }, remoteAddress: nextAddress() });
    expect(expectError(wrong, 401, 'UNAUTHENTICATED').message).toBe('用户名或密码错误');
    expect(expectError(unknown, 401, 'UNAUTHENTICATED').message).toBe('用户名或密码错误');
  });
});

const forbiddenCases = cases.filter((c) => 'role' in c.forbidden);
describe('403 for a role without the action', () => {
  it.each(forbiddenCases.map((c) => [`${c.method} ${c.route}`, (c.forbidden as { role: Role }).role, c] as const))('%s as %s', async (_name, role, c) => {
    const f = c.forbidden as { role: Role; area: string | null };
    const client = await signInAs(app, database, f.role, f.area);
    const res = await send(client, c.method, c.url(), c.body);
    const e = expectError(res, 403, 'FORBIDDEN');
    expect(e.details).toMatchObject({ action: expect.stringMatching(/^(areas|accounts|audit|households|exchange)\./) });
  });

  it('the inspector holds no write action on any route', async () => {
    for (const c of cases.filter((x) => x.method !== 'GET' && 'role' in x.forbidden)) {
      const res = await send(as.inspector, c.method, c.url(), c.body);
      expect(res.statusCode, `${c.method} ${c.route}`).toBe(403);
    }
  });
});

describe('404 for a record outside the actor’s scope', () => {
  it.each(cases.filter((c) => 'as' in c.outOfScope).map((c) => [`${c.method} ${c.route}`, c] as const))('%s', async (_name, c) => {
    const o = c.outOfScope as Call;
    const res = await send(as[o.as], c.method, o.url(), o.body);
    const e = expectError(res, 404, 'NOT_FOUND');
    expect(e.message).toMatch(/不存在或不在您的管辖范围内/);
  });

  it('the records outside the scope are there: the administrator reads them', async () => {
    expect((await as.admin.request('GET', `/api/users/${ids.outside}`)).statusCode).toBe(200);
    expect((await as.admin.request('GET', `/api/areas/${CHENGXI}`)).statusCode).toBe(200);
  });

  it('a record that does not exist answers the same 404', async () => {
    const res = await as.admin.request('GET', '/api/users/00000000-0000-4000-8000-000000000000');
    expectError(res, 404, 'NOT_FOUND');
    expectError(await as.admin.request('GET', '/api/areas/430181999999'), 404, 'NOT_FOUND');
  });
});

describe('400 with field paths for bad input', () => {
  it.each(cases.filter((c) => 'as' in c.bad).map((c) => [`${c.method} ${c.route}`, c] as const))('%s', async (_name, c) => {
    const b = c.bad as Call & { path: (string | number)[] };
    const res = b.as === 'admin' && c.isPublic ? await app.inject({ method: c.method, url: b.url(), payload: b.body?.() as object, remoteAddress: nextAddress() }) : await send(as[b.as], c.method, b.url(), b.body);
    expectIssue(res, b.path);
  });

  it('gives the contract’s own message for a field, in Chinese and in English', async () => {
    const res = await as.township.request('POST', '/api/users', { username: 'a', displayName: '测试用户', role: 'village_clerk', areaCode: ZHONGYUE });
    const e = expectError(res, 400, 'VALIDATION_FAILED');
    expect(e.details.issues).toEqual([{ path: ['username'], message: '用户名至少 3 个字符', messageEn: 'at least 3 characters' }]);
    expect(e.message).toContain('用户名至少 3 个字符');
  });

  it('localises zod’s generic messages into Chinese', async () => {
    const e = expectError(await as.township.request('GET', '/api/users?pageSize=500'), 400, 'VALIDATION_FAILED');
    expect(e.details.issues![0]!.message).toMatch(/[\u4e00-\u9fff]/);
    expect(e.details.issues![0]!.messageEn).toMatch(/200/);
  });
});

describe('the happy path', () => {
  // In order: the table's writes build on each other (designate before undesignate).
  for (const c of cases) {
    it(`${c.method} ${c.route}`, async () => {
      const h = c.happy;
      const res = c.isPublic ? await app.inject({ method: c.method, url: h.url(), payload: h.body?.() as object, remoteAddress: nextAddress() }) : await send(as[h.as], c.method, h.url(), h.body);
      expect(res.statusCode, res.body).toBe(h.status);
      await h.check(res);
    });
  }
});
