/** CSRF protection and the login rate limit, as a browser would meet them. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { resetDatabase } from '../../test/db.ts';
import { expectError, signInAdmin, testApp, type Client } from '../../test/http.ts';
import { rowsOf, type Database } from './db.ts';
import type { App } from './http.ts';

let app: App;
let database: Database;
let admin: Client;

beforeAll(async () => {
  database = await resetDatabase();
  app = await testApp(database);
  admin = await signInAdmin(app);
});
afterAll(() => app?.close());

async function userCount(): Promise<number> {
  return Number(rowsOf<{ n: number }>(await database.db.execute(sql`SELECT count(*)::int AS n FROM users`))[0]!.n);
}

describe('CSRF', () => {
  const newUser = { username: 'csrf-victim', displayName: '测试用户', role: 'village_clerk', areaCode: '430181125201', password: 'user-pass-1' };

  it.each([
    ['without the x-csrf-token header', undefined],
    ['with a wrong x-csrf-token', 'not-the-token'],
    ['with an empty x-csrf-token', ''],
  ])('a POST with the session cookie but %s is 403 CSRF_INVALID and writes nothing', async (_name, token) => {
    const before = await userCount();
    const res = await app.inject({
      method: 'POST',
      url: '/api/users',
      headers: { cookie: admin.cookie, ...(token === undefined ? {} : { 'x-csrf-token': token }) },
      payload: newUser,
    });
    expectError(res, 403, 'CSRF_INVALID');
    expect(await userCount()).toBe(before);
  });

  it('covers PATCH, PUT and DELETE too', async () => {
    const me = (await admin.request('GET', '/api/auth/session')).json() as { user: { id: string; version: number } };
    const patch = await app.inject({ method: 'PATCH', url: `/api/users/${me.user.id}`, headers: { cookie: admin.cookie }, payload: { displayName: '测试改名', version: me.user.version } });
    expectError(patch, 403, 'CSRF_INVALID');
    const put = await app.inject({ method: 'PUT', url: '/api/areas/430181125201/poor-village/2017', headers: { cookie: admin.cookie }, payload: {} });
    expectError(put, 403, 'CSRF_INVALID');
    const del = await app.inject({ method: 'DELETE', url: '/api/areas/430181125201/poor-village/2017', headers: { cookie: admin.cookie, 'x-csrf-token': 'forged' } });
    expectError(del, 403, 'CSRF_INVALID');
    const after = (await admin.request('GET', '/api/auth/session')).json() as { user: { displayName: string; version: number } };
    expect(after.user).toMatchObject({ displayName: '系统管理员', version: me.user.version });
    const area = (await admin.request('GET', '/api/areas/430181125201')).json() as { poorVillageYears: number[] };
    expect(area.poorVillageYears).toEqual([]);
  });

  it('a token handed to another session does not pass with this session’s cookies', async () => {
    const other = await signInAdmin(app);
    const res = await app.inject({ method: 'POST', url: '/api/users', headers: { cookie: admin.cookie, 'x-csrf-token': other.csrf }, payload: newUser });
    expectError(res, 403, 'CSRF_INVALID');
    expect((await admin.request('GET', '/api/users?q=csrf-victim')).json()).toMatchObject({ total: 0 });
  });

  it('reads (GET) need no token, and the right token lets the write through', async () => {
    expect((await app.inject({ method: 'GET', url: '/api/users', headers: { cookie: admin.cookie } })).statusCode).toBe(200);
    const res = await admin.request('POST', '/api/users', newUser);
    expect(res.statusCode, res.body).toBe(201);
  });

  it('GET /api/auth/session hands out a token that works (after a page reload)', async () => {
    const s = (await app.inject({ method: 'GET', url: '/api/auth/session', headers: { cookie: admin.cookie } })).json() as { csrfToken: string };
    const res = await app.inject({ method: 'POST', url: '/api/areas/import', headers: { cookie: admin.cookie, 'x-csrf-token': s.csrfToken }, payload: { root: '430181' } });
    expect(res.statusCode).toBe(202);
  });
});

describe('login rate limit', () => {
  it('more than 20 sign-in attempts a minute from one address get 429 RATE_LIMITED, counted in rate_limits', async () => {
    const ip = '203.0.113.7';
    const statuses: number[] = [];
    for (let i = 0; i < 21; i++) {
      const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'nobody-here', password: 'wrong-pass-1' }, remoteAddress: ip });
      statuses.push(res.statusCode);
    }
    expect(statuses.slice(0, 20).every((s) => s === 401)).toBe(true);
    expect(statuses[20]).toBe(429);

    // Even the right password is refused from that address now …
    const blocked = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'admin', password: 'admin-test-1' }, remoteAddress: ip });
    const e = expectError(blocked, 429, 'RATE_LIMITED');
    expect(e.details.retryAfterSeconds).toBeGreaterThan(0);
    expect(e.details.retryAfterSeconds).toBeLessThanOrEqual(60);

    // … while another address signs in.
    const other = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'admin', password: 'admin-test-1' }, remoteAddress: '203.0.113.8' });
    expect(other.statusCode).toBe(200);

    const rows = rowsOf<{ key: string; count: number }>(await database.db.execute(sql`SELECT key, count FROM rate_limits WHERE key LIKE ${`%${ip}%`}`));
    expect(rows).toHaveLength(1);
    expect(Number(rows[0]!.count)).toBe(22);
  });

  it('the counter is shared through the database: a second app on the same database sees it', async () => {
    const ip = '203.0.113.9';
    for (let i = 0; i < 20; i++) await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'nobody-here', password: 'x' }, remoteAddress: ip });
    const second = await testApp(database);
    try {
      const res = await second.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'admin', password: 'admin-test-1' }, remoteAddress: ip });
      expectError(res, 429, 'RATE_LIMITED');
    } finally {
      await second.close();
    }
  });

  it('a forged X-Forwarded-For does not dodge the limit (no proxy is trusted by default)', async () => {
    const ip = '203.0.113.10';
    const statuses: number[] = [];
    for (let i = 0; i < 21; i++) {
      const res = await app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: 'nobody-here', password: 'x' },
        remoteAddress: ip,
        headers: { 'x-forwarded-for': `198.51.100.${i}` },
      });
      statuses.push(res.statusCode);
    }
    expect(statuses[20]).toBe(429);
  });

  it('does not limit other routes', async () => {
    for (let i = 0; i < 25; i++) expect((await admin.request('GET', '/api/auth/session')).statusCode).toBe(200);
  });
});
