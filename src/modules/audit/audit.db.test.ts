/** The audit log: every write recorded in its own transaction, scoped reads, no secrets, append-only. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { resetDatabase } from '../../../test/db.ts';
import { expectError, nextAddress, signInAdmin, signInAs, testApp, USER_PASSWORD, type Client } from '../../../test/http.ts';
import { pgErrorCode, rowsOf, type Database } from '../../platform/db.ts';
import type { App } from '../../platform/http.ts';

const DAWEISHAN = '430181125000';
const ZHONGYUE = '430181125201';
const CHENGXI = '430181001001';

interface Event {
  id: number;
  action: string;
  actorUsername: string;
  targetType: string;
  targetId: string | null;
  areaCode: string | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  ip: string | null;
}

let app: App;
let database: Database;
let admin: Client;
let township: Client & { username: string };

beforeAll(async () => {
  database = await resetDatabase();
  app = await testApp(database);
  admin = await signInAdmin(app);
  township = await signInAs(app, database, 'township_officer', DAWEISHAN);
});
afterAll(() => app?.close());

async function events(c: Client, query = ''): Promise<Event[]> {
  const res = await c.request('GET', `/api/audit?pageSize=200${query}`);
  expect(res.statusCode, res.body).toBe(200);
  return (res.json() as { items: Event[] }).items;
}

async function allRows(): Promise<unknown[]> {
  return rowsOf(await database.db.execute(sql`SELECT * FROM audit_events ORDER BY id`));
}

describe('every write is audited', () => {
  it('creating a user records who, what, the area and the values after, without the password or its hash', async () => {
    const res = await admin.request('POST', '/api/users', { username: 'audit-new', displayName: '测试用户', role: 'village_clerk', areaCode: ZHONGYUE, phone: '13800001234', password: USER_PASSWORD });
    const id = (res.json() as { user: { id: string } }).user.id;
    const [e] = await events(admin, `&targetId=${id}&action=accounts.create`);
    expect(e).toMatchObject({ actorUsername: 'admin', action: 'accounts.create', targetType: 'user', targetId: id, areaCode: ZHONGYUE, before: null });
    expect(e!.after).toMatchObject({ username: 'audit-new', role: 'village_clerk', areaCode: ZHONGYUE, phone: '13800001234' });
    expect(e!.ip).toBeTruthy();
    const raw = JSON.stringify(await allRows());
    expect(raw).not.toMatch(/argon2/);
    expect(raw).not.toContain(USER_PASSWORD);
    expect(raw).not.toMatch(/password_?hash/i);
  });

  it('an edit records the values before and after', async () => {
    const created = (await admin.request('POST', '/api/users', { username: 'audit-edit', displayName: '测试用户', role: 'village_clerk', areaCode: ZHONGYUE, password: USER_PASSWORD })).json() as { user: { id: string; version: number } };
    await township.request('PATCH', `/api/users/${created.user.id}`, { displayName: '测试改名', version: created.user.version });
    const [e] = await events(admin, `&targetId=${created.user.id}&action=accounts.update`);
    expect(e).toMatchObject({ actorUsername: township.username, before: { displayName: '测试用户' }, after: { displayName: '测试改名' } });
  });

  it('sign-in, failed sign-in, password reset, password change, sign-out, designation and import are each recorded', async () => {
    const u = (await admin.request('POST', '/api/users', { username: 'audit-life', displayName: '测试用户', role: 'village_clerk', areaCode: ZHONGYUE, password: USER_PASSWORD })).json() as { user: { id: string } };
    await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'audit-life', password: 'wrong-pass-1' }, remoteAddress: nextAddress() });
    await township.request('POST', `/api/users/${u.user.id}/reset-password`);
    await admin.request('PUT', `/api/areas/${ZHONGYUE}/poor-village/2018`, {});
    await admin.request('DELETE', `/api/areas/${ZHONGYUE}/poor-village/2018`);
    const me = await signInAs(app, database, 'helper', ZHONGYUE);
    await me.request('POST', '/api/auth/password', { currentPassword: USER_PASSWORD, newPassword: 'helper-new-pass-4' });
    await me.request('POST', '/api/auth/logout');
    const actions = new Set((await events(admin)).map((e) => e.action));
    for (const a of ['accounts.login', 'accounts.login-failed', 'accounts.reset-password', 'accounts.change-password', 'accounts.logout', 'areas.designate', 'areas.undesignate']) {
      expect(actions, a).toContain(a);
    }
    const reset = (await events(admin, `&targetId=${u.user.id}&action=accounts.reset-password`))[0]!;
    expect(JSON.stringify(reset)).not.toMatch(/temporary|argon2/i);
  });

  it('the event commits with the write: when the audit insert fails, the write is undone', async () => {
    await database.db.execute(sql.raw(`
      CREATE FUNCTION test_refuse_create_audit() RETURNS trigger AS $$
      BEGIN IF NEW.action = 'accounts.create' THEN RAISE EXCEPTION 'audit refused by test'; END IF; RETURN NEW; END;
      $$ LANGUAGE plpgsql`));
    await database.db.execute(sql.raw(`CREATE TRIGGER test_refuse_create BEFORE INSERT ON audit_events FOR EACH ROW EXECUTE FUNCTION test_refuse_create_audit()`));
    try {
      const res = await admin.request('POST', '/api/users', { username: 'audit-rollback', displayName: '测试用户', role: 'village_clerk', areaCode: ZHONGYUE, password: USER_PASSWORD });
      expectError(res, 500, 'INTERNAL');
    } finally {
      await database.db.execute(sql.raw('DROP TRIGGER test_refuse_create ON audit_events'));
      await database.db.execute(sql.raw('DROP FUNCTION test_refuse_create_audit()'));
    }
    const found = rowsOf(await database.db.execute(sql`SELECT id FROM users WHERE username = 'audit-rollback'`));
    expect(found).toHaveLength(0);
  });

  it('a refused write records nothing', async () => {
    const before = (await allRows()).length;
    expectError(await township.request('POST', '/api/users', { username: 'audit-refused', displayName: '测试用户', role: 'village_clerk', areaCode: CHENGXI, password: USER_PASSWORD }), 403, 'FORBIDDEN');
    expect((await allRows()).length).toBe(before);
  });
});

describe('reading the log', () => {
  it('a township officer sees only events of the township; the administrator sees all', async () => {
    const outside = (await admin.request('POST', '/api/users', { username: 'audit-outside', displayName: '测试用户', role: 'village_clerk', areaCode: CHENGXI, password: USER_PASSWORD })).json() as { user: { id: string } };
    const inside = (await admin.request('POST', '/api/users', { username: 'audit-inside', displayName: '测试用户', role: 'village_clerk', areaCode: ZHONGYUE, password: USER_PASSWORD })).json() as { user: { id: string } };
    const mine = await events(township);
    expect(mine.length).toBeGreaterThan(0);
    for (const e of mine) expect(e.areaCode?.startsWith('430181125'), JSON.stringify(e)).toBe(true);
    expect(mine.map((e) => e.targetId)).toContain(inside.user.id);
    expect(mine.map((e) => e.targetId)).not.toContain(outside.user.id);
    const all = await events(admin);
    expect(all.map((e) => e.targetId)).toEqual(expect.arrayContaining([inside.user.id, outside.user.id]));
    // Events tied to no area (the administrator's own sign-in) are for whole-country scopes only.
    expect(all.some((e) => e.areaCode === null)).toBe(true);
    expect(mine.some((e) => e.areaCode === null)).toBe(false);
  });

  it('masks phones for officers, shows them to the administrator', async () => {
    const u = (await admin.request('POST', '/api/users', { username: 'audit-phone', displayName: '测试用户', role: 'village_clerk', areaCode: ZHONGYUE, phone: '13800001234', password: USER_PASSWORD })).json() as { user: { id: string } };
    const [asOfficer] = await events(township, `&targetId=${u.user.id}&action=accounts.create`);
    const [asAdmin] = await events(admin, `&targetId=${u.user.id}&action=accounts.create`);
    expect(asOfficer!.after!.phone).toBe('138****1234');
    expect(asAdmin!.after!.phone).toBe('13800001234');
  });

  it('filters by actor, action, target type and day, newest first', async () => {
    const byTownship = await events(admin, `&actor=${township.username}`);
    expect(byTownship.length).toBeGreaterThan(0);
    for (const e of byTownship) expect(e.actorUsername).toBe(township.username);
    const logins = await events(admin, '&action=accounts.login');
    for (const e of logins) expect(e.action.startsWith('accounts.login')).toBe(true);
    const areaEvents = await events(admin, '&targetType=area');
    for (const e of areaEvents) expect(e.targetType).toBe('area');
    const ids = (await events(admin)).map((e) => e.id);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    expect(await events(admin, '&from=2000-01-01&to=2000-01-02')).toEqual([]);
  });

  it('reads dates as China Standard Time calendar days, both ends inclusive', async () => {
    const day = (offsetDays: number) => new Date(Date.now() + 8 * 3_600_000 + offsetDays * 86_400_000).toISOString().slice(0, 10);
    const all = await events(admin);
    const today = await events(admin, `&from=${day(0)}&to=${day(0)}`);
    expect(today.length).toBe(all.length);
    expect(await events(admin, `&from=${day(1)}`)).toEqual([]);
    expect(await events(admin, `&to=${day(-1)}`)).toEqual([]);
  });
});

describe('the log is append-only', () => {
  it('an UPDATE of an event fails at the database', async () => {
    const err = await database.db.execute(sql`UPDATE audit_events SET action = 'tampered'`).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).not.toBeNull();
    expect(pgErrorCode(err)).toBe('42501');
    expect(String((err as { cause?: { message?: string } }).cause?.message ?? err)).toMatch(/append-only/);
    expect(rowsOf(await database.db.execute(sql`SELECT id FROM audit_events WHERE action = 'tampered'`))).toHaveLength(0);
  });

  it('a DELETE of an event fails at the database', async () => {
    const before = (await allRows()).length;
    const err = await database.db.execute(sql`DELETE FROM audit_events`).then(
      () => null,
      (e: unknown) => e,
    );
    expect(pgErrorCode(err)).toBe('42501');
    expect((await allRows()).length).toBe(before);
  });
});
