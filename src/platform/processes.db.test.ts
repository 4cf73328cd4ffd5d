/**
 * Two server processes on one database share sessions: a cookie issued by one is honoured by the
 * other, CSRF token included (both sign cookies with the same FUPIN_SESSION_SECRET).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resetDatabase, testDatabaseUrl, testTarget } from '../../test/db.ts';
import { expectError, signInAdmin, signInAs, testApp, TEST_SECRET, USER_PASSWORD, type Client } from '../../test/http.ts';
import { startServer, type ServerProcess } from '../../test/process.ts';
import type { Database } from './db.ts';
import type { App } from './http.ts';

const ZHONGYUE = '430181125201';

/** What the tests need of "the other server": requests with a cookie, over HTTP or in process. */
interface Other {
  request(method: string, url: string, opts: { cookie?: string; csrf?: string; body?: unknown }): Promise<{ status: number; body: unknown; setCookies: string[] }>;
  close(): Promise<void>;
}

function overHttp(server: ServerProcess): Other {
  return {
    async request(method, url, { cookie, csrf, body }) {
      const res = await fetch(`${server.url}${url}`, {
        method,
        headers: { ...(cookie ? { cookie } : {}), ...(csrf ? { 'x-csrf-token': csrf } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : null, setCookies: res.headers.getSetCookie() };
    },
    close: () => server.stop(),
  };
}

function inProcess(app: App): Other {
  return {
    async request(method, url, { cookie, csrf, body }) {
      const res = await app.inject({
        method: method as 'GET',
        url,
        headers: { ...(cookie ? { cookie } : {}), ...(csrf ? { 'x-csrf-token': csrf } : {}) },
        ...(body === undefined ? {} : { payload: body as object }),
      });
      return { status: res.statusCode, body: res.body ? JSON.parse(res.body) : null, setCookies: res.cookies.map((c) => `${c.name}=${c.value}`) };
    },
    close: () => app.close(),
  };
}

let database: Database;
let app: App;
let other: Other;
let admin: Client;

beforeAll(async () => {
  database = await resetDatabase();
  app = await testApp(database);
  admin = await signInAdmin(app);
  if (testTarget() === 'postgresql') {
    other = overHttp(await startServer({ DATABASE_URL: testDatabaseUrl(), FUPIN_DEMO: '0', FUPIN_SESSION_SECRET: TEST_SECRET }));
  } else {
    // PGlite is one connection in one process (a second process is refused, see db.db.test.ts), so
    // "two servers" here are two apps built separately on the same database object.
    other = inProcess(await testApp(database));
  }
}, 180_000);
afterAll(async () => {
  await other?.close();
  await app?.close();
}, 60_000);

describe(`two servers on one database (${testTarget()})`, () => {
  it('a session signed in on the first works on the second, reads and writes (with its CSRF token)', async () => {
    const session = await other.request('GET', '/api/auth/session', { cookie: admin.cookie });
    expect(session.status).toBe(200);
    expect(session.body).toMatchObject({ user: { username: 'admin' } });

    const created = await other.request('POST', '/api/users', {
      cookie: admin.cookie,
      csrf: admin.csrf,
      body: { username: 'proc-created', displayName: '测试用户', role: 'village_clerk', areaCode: ZHONGYUE, password: USER_PASSWORD },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const id = (created.body as { user: { id: string } }).user.id;
    expect((await admin.request('GET', `/api/users/${id}`)).json()).toMatchObject({ username: 'proc-created' });
  });

  it('the second still refuses a write without the CSRF token, and a request without the cookie', async () => {
    const res = await other.request('POST', '/api/users', { cookie: admin.cookie, body: { username: 'proc-nocsrf', displayName: '测试用户', role: 'village_clerk', areaCode: ZHONGYUE } });
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ error: { code: 'CSRF_INVALID' } });
    expect((await other.request('GET', '/api/auth/session', {})).status).toBe(401);
  });

  it('a session signed in on the second works on the first', async () => {
    const clerk = await signInAs(app, database, 'village_clerk', ZHONGYUE);
    const login = await other.request('POST', '/api/auth/login', { body: { username: clerk.username, password: USER_PASSWORD } });
    expect(login.status).toBe(200);
    const cookie = login.setCookies.map((c) => c.split(';')[0]).join('; ');
    const csrf = (login.body as { csrfToken: string }).csrfToken;

    const session = await app.inject({ method: 'GET', url: '/api/auth/session', headers: { cookie } });
    expect(session.statusCode).toBe(200);
    expect(session.json()).toMatchObject({ user: { username: clerk.username, role: 'village_clerk' } });

    const changed = await app.inject({ method: 'POST', url: '/api/auth/password', headers: { cookie, 'x-csrf-token': csrf }, payload: { currentPassword: USER_PASSWORD, newPassword: 'proc-new-pass-5' } });
    expect(changed.statusCode, changed.body).toBe(204);
    // The clerk's other session (signed in on the first) ended on both servers.
    expectError(await clerk.request('GET', '/api/auth/session'), 401, 'UNAUTHENTICATED');
    expect((await other.request('GET', '/api/auth/session', { cookie: clerk.cookie })).status).toBe(401);
  });

  it('signing out on one ends the session on the other', async () => {
    const helper = await signInAs(app, database, 'helper', ZHONGYUE);
    const out = await other.request('POST', '/api/auth/logout', { cookie: helper.cookie, csrf: helper.csrf });
    expect(out.status).toBe(204);
    expectError(await helper.request('GET', '/api/auth/session'), 401, 'UNAUTHENTICATED');
  });
});
