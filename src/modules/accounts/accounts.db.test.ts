/**
 * Account behaviour: lockout, stale edits, officers' limits, role/area levels, scoped lists, password
 * changes and deactivation ending sessions.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { ADMIN_PASSWORD, resetDatabase } from '../../../test/db.ts';
import { expectError, nextAddress, signIn, signInAdmin, signInAs, testApp, USER_PASSWORD, type Client } from '../../../test/http.ts';
import type { Database } from '../../platform/db.ts';
import type { App } from '../../platform/http.ts';

const LIUYANG = '430181000000';
const DAWEISHAN = '430181125000'; // 大围山镇
const ZHONGYUE = '430181125201'; // 大围山镇 中岳村
const TONGXING = '430181125206'; // 大围山镇 同幸村
const HUAICHUAN = '430181001000'; // 淮川街道
const CHENGXI = '430181001001'; // 淮川街道 城西社区

let app: App;
let database: Database;
let admin: Client;
let township: Client & { userId: string; username: string };

beforeAll(async () => {
  database = await resetDatabase();
  app = await testApp(database);
  admin = await signInAdmin(app);
  township = await signInAs(app, database, 'township_officer', DAWEISHAN);
});
afterAll(() => app?.close());

let n = 0;
/** Creates a user through the API as `by`. @returns the created user */
async function createUser(by: Client, role: string, areaCode: string | null, extra: Record<string, unknown> = {}) {
  const username = `acct-user-${++n}`;
  const res = await by.request('POST', '/api/users', { username, displayName: '测试用户', role, areaCode, phone: '13800001234', password: USER_PASSWORD, ...extra });
  expect(res.statusCode, res.body).toBe(201);
  return (res.json() as { user: { id: string; username: string; version: number } }).user;
}

function login(username: string, password: string, remoteAddress = nextAddress()) {
  return app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password }, remoteAddress });
}

describe('login lockout', () => {
  it('locks after 5 wrong passwords: then even the right password is refused with 423 until an administrator unlocks', async () => {
    const u = await createUser(admin, 'village_clerk', ZHONGYUE);
    for (let i = 1; i <= 4; i++) expectError(await login(u.username, `wrong-pass-${i}`), 401, 'UNAUTHENTICATED');
    // The fifth wrong password already tells the user the account is now locked.
    expectError(await login(u.username, 'wrong-pass-5'), 423, 'ACCOUNT_LOCKED');
    const locked = expectError(await login(u.username, USER_PASSWORD), 423, 'ACCOUNT_LOCKED');
    expect(locked.message).toMatch(/锁定/);
    expect(locked.details.retryAfterSeconds).toBeGreaterThan(0);

    const read = (await admin.request('GET', `/api/users/${u.id}`)).json() as { locked: boolean; version: number };
    expect(read.locked).toBe(true);
    const unlock = await admin.request('PATCH', `/api/users/${u.id}`, { unlock: true, version: read.version });
    expect(unlock.statusCode, unlock.body).toBe(200);
    expect(unlock.json()).toMatchObject({ locked: false });
    expect((await login(u.username, USER_PASSWORD)).statusCode).toBe(200);
  });

  it('four wrong passwords and then the right one sign in, and the count starts over', async () => {
    const u = await createUser(admin, 'village_clerk', ZHONGYUE);
    for (let i = 0; i < 4; i++) expectError(await login(u.username, 'wrong-pass-1'), 401, 'UNAUTHENTICATED');
    expect((await login(u.username, USER_PASSWORD)).statusCode).toBe(200);
    for (let i = 0; i < 4; i++) expectError(await login(u.username, 'wrong-pass-1'), 401, 'UNAUTHENTICATED');
    expect((await login(u.username, USER_PASSWORD)).statusCode).toBe(200);
  });

  it('five wrong passwords sent at the same time lock the account too', async () => {
    const u = await createUser(admin, 'village_clerk', ZHONGYUE);
    const results = await Promise.all(Array.from({ length: 5 }, (_, i) => login(u.username, `wrong-pass-${i}`)));
    // Exactly one of them is the attempt that locks the account.
    expect(results.map((r) => r.statusCode).sort()).toEqual([401, 401, 401, 401, 423]);
    expectError(await login(u.username, USER_PASSWORD), 423, 'ACCOUNT_LOCKED');
  });

  it('an officer may unlock an account of their area', async () => {
    const u = await createUser(admin, 'village_clerk', TONGXING);
    for (let i = 0; i < 5; i++) await login(u.username, 'wrong-pass-1');
    const { version } = (await township.request('GET', `/api/users/${u.id}`)).json() as { version: number };
    expect((await township.request('PATCH', `/api/users/${u.id}`, { unlock: true, version })).statusCode).toBe(200);
    expect((await login(u.username, USER_PASSWORD)).statusCode).toBe(200);
  });
});

describe('stale edits', () => {
  it('a second PATCH based on the same version gets 409 STALE_EDIT and the first’s values stay', async () => {
    const u = await createUser(admin, 'village_clerk', ZHONGYUE);
    const first = await admin.request('PATCH', `/api/users/${u.id}`, { displayName: '测试甲', version: u.version });
    expect(first.statusCode).toBe(200);
    const second = await township.request('PATCH', `/api/users/${u.id}`, { displayName: '测试乙', phone: '13800009999', version: u.version });
    const e = expectError(second, 409, 'STALE_EDIT');
    expect(e.details.currentVersion).toBe(u.version + 1);
    const now = (await admin.request('GET', `/api/users/${u.id}`)).json() as { displayName: string; phone: string; version: number };
    expect(now).toMatchObject({ displayName: '测试甲', phone: '13800001234', version: u.version + 1 });
  });

  it('the user signing in (or mistyping the password) meanwhile does not make a manager’s edit stale', async () => {
    const u = await createUser(admin, 'village_clerk', ZHONGYUE);
    expectError(await login(u.username, 'wrong-pass-1'), 401, 'UNAUTHENTICATED');
    expect((await login(u.username, USER_PASSWORD)).statusCode).toBe(200);
    const res = await township.request('PATCH', `/api/users/${u.id}`, { displayName: '测试丙', version: u.version });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ displayName: '测试丙', lastLoginAt: expect.any(String) });
  });

  it('an edit on the current version goes through', async () => {
    const u = await createUser(admin, 'village_clerk', ZHONGYUE);
    const a = (await admin.request('PATCH', `/api/users/${u.id}`, { displayName: '测试甲', version: u.version })).json() as { version: number };
    const b = await township.request('PATCH', `/api/users/${u.id}`, { displayName: '测试乙', version: a.version });
    expect(b.statusCode).toBe(200);
    expect(b.json()).toMatchObject({ displayName: '测试乙', version: a.version + 1 });
  });
});

describe('officers manage only users inside their area', () => {
  it('creates a user in a village of the township', async () => {
    const u = await createUser(township, 'village_clerk', ZHONGYUE);
    expect((await township.request('GET', `/api/users/${u.id}`)).statusCode).toBe(200);
  });

  it('may not give an area outside the scope: 403 with issue path areaCode, nothing written', async () => {
    const res = await township.request('POST', '/api/users', { username: 'outside-new', displayName: '测试用户', role: 'village_clerk', areaCode: CHENGXI, password: USER_PASSWORD });
    const e = expectError(res, 403, 'FORBIDDEN');
    expect(e.details.issues?.map((i) => i.path)).toEqual([['areaCode']]);
    const list = (await admin.request('GET', '/api/users?q=outside-new')).json() as { total: number };
    expect(list.total).toBe(0);
  });

  it('may not move a user of the township to an area outside it', async () => {
    const u = await createUser(township, 'village_clerk', ZHONGYUE);
    const e = expectError(await township.request('PATCH', `/api/users/${u.id}`, { areaCode: CHENGXI, version: u.version }), 403, 'FORBIDDEN');
    expect(e.details.issues?.[0]?.path).toEqual(['areaCode']);
    expect((await admin.request('GET', `/api/users/${u.id}`)).json()).toMatchObject({ areaCode: ZHONGYUE });
  });

  it('may not create a county officer above the township, nor an officer without an area', async () => {
    const up = await township.request('POST', '/api/users', { username: 'up-new', displayName: '测试用户', role: 'county_officer', areaCode: LIUYANG, password: USER_PASSWORD });
    expect(expectError(up, 403, 'FORBIDDEN').details.issues?.[0]?.path).toEqual(['areaCode']);
    const none = await township.request('POST', '/api/users', { username: 'none-new', displayName: '测试用户', role: 'inspector', areaCode: null, password: USER_PASSWORD });
    expect(none.statusCode).toBeGreaterThanOrEqual(400);
    expect(none.statusCode).toBeLessThan(500);
  });

  it('may not create an administrator, even for their own area', async () => {
    const res = await township.request('POST', '/api/users', { username: 'admin-new', displayName: '测试用户', role: 'admin', areaCode: DAWEISHAN, password: USER_PASSWORD });
    const e = expectError(res, 403, 'FORBIDDEN');
    expect(e.details.issues?.[0]?.path).toEqual(['role']);
  });

  it('may not promote a user of the township to administrator', async () => {
    const u = await createUser(township, 'helper', ZHONGYUE);
    expectError(await township.request('PATCH', `/api/users/${u.id}`, { role: 'admin', version: u.version }), 403, 'FORBIDDEN');
    expect((await admin.request('GET', `/api/users/${u.id}`)).json()).toMatchObject({ role: 'helper' });
  });

  it('reads, edits and resets only users of the township (404 outside)', async () => {
    const outside = await createUser(admin, 'village_clerk', CHENGXI);
    expectError(await township.request('GET', `/api/users/${outside.id}`), 404, 'NOT_FOUND');
    expectError(await township.request('PATCH', `/api/users/${outside.id}`, { displayName: '测试改名', version: outside.version }), 404, 'NOT_FOUND');
    expectError(await township.request('POST', `/api/users/${outside.id}/reset-password`), 404, 'NOT_FOUND');
    expect((await admin.request('GET', `/api/users/${outside.id}`)).json()).toMatchObject({ displayName: '测试用户' });
  });

  it('may not see or touch the administrator (no area = the whole country)', async () => {
    const me = (await admin.request('GET', '/api/auth/session')).json() as { user: { id: string } };
    expectError(await township.request('GET', `/api/users/${me.user.id}`), 404, 'NOT_FOUND');
    expectError(await township.request('POST', `/api/users/${me.user.id}/reset-password`), 404, 'NOT_FOUND');
    expect((await login('admin', ADMIN_PASSWORD)).statusCode).toBe(200);
  });
});

describe('role and area level', () => {
  it.each([
    ['village_clerk', DAWEISHAN],
    ['work_team_member', LIUYANG],
    ['township_officer', ZHONGYUE],
    ['county_officer', DAWEISHAN],
    ['helper', LIUYANG],
  ])('a %s with area %s is 400 on areaCode', async (role, areaCode) => {
    const res = await admin.request('POST', '/api/users', { username: `lvl-${role}`, displayName: '测试用户', role, areaCode, password: USER_PASSWORD });
    const e = expectError(res, 400, 'VALIDATION_FAILED');
    expect(e.details.issues?.map((i) => i.path)).toEqual([['areaCode']]);
  });

  it('changing only the role to one of another level is refused too', async () => {
    const u = await createUser(admin, 'village_clerk', ZHONGYUE);
    const e = expectError(await admin.request('PATCH', `/api/users/${u.id}`, { role: 'township_officer', version: u.version }), 400, 'VALIDATION_FAILED');
    expect(e.details.issues?.[0]?.path).toEqual(['areaCode']);
  });

  it('an area that does not exist is 400 on areaCode', async () => {
    const e = expectError(await admin.request('POST', '/api/users', { username: 'lvl-none', displayName: '测试用户', role: 'village_clerk', areaCode: '430181125999', password: USER_PASSWORD }), 400, 'VALIDATION_FAILED');
    expect(e.details.issues?.[0]?.path).toEqual(['areaCode']);
  });

  it('a taken username (in any letter case) is 409 on username', async () => {
    const u = await createUser(admin, 'village_clerk', ZHONGYUE);
    const e = expectError(await admin.request('POST', '/api/users', { username: u.username.toUpperCase(), displayName: '测试用户', role: 'village_clerk', areaCode: ZHONGYUE, password: USER_PASSWORD }), 409, 'CONFLICT');
    expect(e.details.issues?.[0]?.path).toEqual(['username']);
  });

  it('a weak initial password is 400 on password', async () => {
    const e = expectError(await admin.request('POST', '/api/users', { username: 'weak-pw', displayName: '测试用户', role: 'village_clerk', areaCode: ZHONGYUE, password: 'abcdefgh' }), 400, 'VALIDATION_FAILED');
    expect(e.details.issues?.[0]?.path).toEqual(['password']);
  });
});

describe('lists are filtered by scope', () => {
  it('a township officer lists only users of the township; the administrator lists all', async () => {
    const inside = await createUser(admin, 'village_clerk', TONGXING);
    const outside = await createUser(admin, 'village_clerk', CHENGXI);
    const mine = (await township.request('GET', '/api/users?pageSize=200')).json() as { items: { id: string; areaCode: string }[]; total: number };
    expect(mine.items.map((u) => u.id)).toContain(inside.id);
    expect(mine.items.map((u) => u.id)).not.toContain(outside.id);
    for (const u of mine.items) expect(u.areaCode.startsWith('430181125')).toBe(true);
    expect(mine.total).toBe(mine.items.length);

    const all = (await admin.request('GET', '/api/users?pageSize=200')).json() as { items: { id: string; username: string }[]; total: number };
    expect(all.items.map((u) => u.id)).toEqual(expect.arrayContaining([inside.id, outside.id]));
    expect(all.items.map((u) => u.username)).toContain('admin');
    expect(all.total).toBeGreaterThan(mine.total);
  });

  it('narrowing by an area inside the scope works; by one outside is 404', async () => {
    const inZhongyue = await createUser(admin, 'helper', ZHONGYUE);
    const page = (await township.request('GET', `/api/users?areaCode=${ZHONGYUE}`)).json() as { items: { id: string; areaCode: string }[] };
    expect(page.items.map((u) => u.id)).toContain(inZhongyue.id);
    for (const u of page.items) expect(u.areaCode).toBe(ZHONGYUE);
    expectError(await township.request('GET', `/api/users?areaCode=${HUAICHUAN}`), 404, 'NOT_FOUND');
  });

  it('pages through the list', async () => {
    const p1 = (await admin.request('GET', '/api/users?pageSize=2&page=1')).json() as { items: { id: string }[]; total: number; page: number };
    const p2 = (await admin.request('GET', '/api/users?pageSize=2&page=2')).json() as { items: { id: string }[]; page: number };
    expect(p1.items).toHaveLength(2);
    expect(p1.total).toBeGreaterThan(3);
    expect(p2.page).toBe(2);
    expect(p2.items.map((u) => u.id)).not.toContain(p1.items[0]!.id);
  });
});

describe('sessions', () => {
  it('changing one’s own password ends the other sessions and keeps the current one', async () => {
    const u = await createUser(admin, 'village_clerk', ZHONGYUE);
    const here = await signIn(app, u.username, USER_PASSWORD);
    const elsewhere = await signIn(app, u.username, USER_PASSWORD);
    const res = await here.request('POST', '/api/auth/password', { currentPassword: USER_PASSWORD, newPassword: 'brand-new-pass-3' });
    expect(res.statusCode, res.body).toBe(204);
    expect((await here.request('GET', '/api/auth/session')).statusCode).toBe(200);
    expectError(await elsewhere.request('GET', '/api/auth/session'), 401, 'UNAUTHENTICATED');
    expectError(await login(u.username, USER_PASSWORD), 401, 'UNAUTHENTICATED');
    expect((await login(u.username, 'brand-new-pass-3')).statusCode).toBe(200);
  });

  it('an expired session is refused', async () => {
    const u = await createUser(admin, 'village_clerk', ZHONGYUE);
    const c = await signIn(app, u.username, USER_PASSWORD);
    expect((await c.request('GET', '/api/auth/session')).statusCode).toBe(200);
    await database.db.execute(sql`UPDATE sessions SET expires_at = now() - interval '1 minute' WHERE user_id = ${u.id}`);
    expectError(await c.request('GET', '/api/auth/session'), 401, 'UNAUTHENTICATED');
  });

  it('a wrong current password changes nothing (400 on currentPassword)', async () => {
    const u = await createUser(admin, 'village_clerk', ZHONGYUE);
    const c = await signIn(app, u.username, USER_PASSWORD);
    const e = expectError(await c.request('POST', '/api/auth/password', { currentPassword: 'not-my-pass-1', newPassword: 'brand-new-pass-3' }), 400, 'VALIDATION_FAILED');
    expect(e.details.issues?.[0]?.path).toEqual(['currentPassword']);
    expect((await login(u.username, USER_PASSWORD)).statusCode).toBe(200);
  });

  it('a new password equal to the current one is refused', async () => {
    const u = await createUser(admin, 'village_clerk', ZHONGYUE);
    const c = await signIn(app, u.username, USER_PASSWORD);
    const e = expectError(await c.request('POST', '/api/auth/password', { currentPassword: USER_PASSWORD, newPassword: USER_PASSWORD }), 400, 'VALIDATION_FAILED');
    expect(e.details.issues?.[0]?.path).toEqual(['newPassword']);
  });

  it('a deactivated user’s session stops working and they cannot sign in again', async () => {
    const u = await createUser(admin, 'village_clerk', ZHONGYUE);
    const c = await signIn(app, u.username, USER_PASSWORD);
    expect((await c.request('GET', '/api/auth/session')).statusCode).toBe(200);
    const res = await township.request('PATCH', `/api/users/${u.id}`, { active: false, version: u.version });
    expect(res.json()).toMatchObject({ active: false });
    expectError(await c.request('GET', '/api/auth/session'), 401, 'UNAUTHENTICATED');
    expectError(await c.request('POST', '/api/auth/password', { currentPassword: USER_PASSWORD, newPassword: 'brand-new-pass-3' }), 401, 'UNAUTHENTICATED');
    const again = expectError(await login(u.username, USER_PASSWORD), 401, 'UNAUTHENTICATED');
    expect(again.message).toMatch(/停用/);
  });

  it('a reset password ends the user’s sessions and must be changed at sign-in', async () => {
    const u = await createUser(admin, 'village_clerk', ZHONGYUE);
    const c = await signIn(app, u.username, USER_PASSWORD);
    const { temporaryPassword } = (await township.request('POST', `/api/users/${u.id}/reset-password`)).json() as { temporaryPassword: string };
    expectError(await c.request('GET', '/api/auth/session'), 401, 'UNAUTHENTICATED');
    expectError(await login(u.username, USER_PASSWORD), 401, 'UNAUTHENTICATED');
    const fresh = await login(u.username, temporaryPassword);
    expect(fresh.json()).toMatchObject({ user: { mustChangePassword: true } });
  });

  it('nobody changes their own role or area or deactivates themselves', async () => {
    const me = (await township.request('GET', '/api/auth/session')).json() as { user: { id: string; version: number } };
    expectError(await township.request('PATCH', `/api/users/${me.user.id}`, { active: false, version: me.user.version }), 409, 'CONFLICT');
    expectError(await township.request('PATCH', `/api/users/${me.user.id}`, { areaCode: ZHONGYUE, role: 'village_clerk', version: me.user.version }), 409, 'CONFLICT');
    expect((await township.request('GET', '/api/auth/session')).statusCode).toBe(200);
  });
});
