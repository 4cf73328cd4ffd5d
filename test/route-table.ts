/**
 * A module's own route table, for routes that src/app.db.test.ts leaves to the module (listed in
 * MODULE_ROUTE_PREFIXES there): the same five rows for every route — 401 without a session, 403 for a
 * role without the action, 404 outside the actor's scope, 400 with the field path, the happy path —
 * and a check that the table covers every documented route under the module's prefixes.
 *
 * Usage, in a `*.db.test.ts` file:
 *   const ctx = routeTableContext();           // filled in beforeAll
 *   const cases: RouteCase[] = [ ... ];        // url/body are functions: ids exist only after beforeAll
 *   describeRouteTable('identification', ['/api/identification/batches'], ctx, cases);
 */
import type { LightMyRequestResponse } from 'fastify';
import { describe, expect, it } from 'vitest';
import type { Database } from '../src/platform/db.ts';
import type { App } from '../src/platform/http.ts';
import type { Role } from '../src/shared/access.ts';
import { expectError, expectIssue, signInAs, type Client } from './http.ts';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface Call {
  /** A key of the context's clients (e.g. 'county', 'township', 'clerk'). */
  as: string;
  url: () => string;
  body?: () => unknown;
}

export interface RouteCase {
  method: Method;
  /** The route as the OpenAPI document names it, e.g. '/api/identification/batches/{id}'. */
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
}

export interface RouteTableContext {
  app: App;
  database: Database;
  clients: Record<string, Client>;
}

/** An empty context for beforeAll to fill in. */
export function routeTableContext(): RouteTableContext {
  return { app: undefined as unknown as App, database: undefined as unknown as Database, clients: {} };
}

function send(c: Client | undefined, as: string, method: Method, url: string, body?: () => unknown) {
  if (!c) throw new Error(`no client "${as}" in the route table's context`);
  return c.request(method, url, body?.());
}

/**
 * Declares the table's describe blocks. `actionPrefix` is the module's permission prefix (403 rows
 * check `details.action` starts with it); `prefixes` are the route prefixes the table owns.
 */
export function describeRouteTable(actionPrefix: string, prefixes: string[], ctx: RouteTableContext, cases: RouteCase[]): void {
  describe('the route table', () => {
    it(`covers every documented route under ${prefixes.join(', ')}`, async () => {
      const doc = (await ctx.app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as { paths: Record<string, Record<string, unknown>> };
      const documented = Object.entries(doc.paths)
        .filter(([p]) => prefixes.some((x) => p === x || p.startsWith(`${x}/`)))
        .flatMap(([p, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${p}`))
        .sort();
      expect(documented.length).toBeGreaterThan(0);
      expect(cases.map((c) => `${c.method} ${c.route}`).sort()).toEqual(documented);
    });
  });

  describe('401 without a session', () => {
    it.each(cases.map((c) => [`${c.method} ${c.route}`, c] as const))('%s', async (_name, c) => {
      const body = c.body?.();
      const res = await ctx.app.inject({ method: c.method, url: c.url(), ...(body === undefined ? {} : { payload: body as object }) });
      expectError(res, 401, 'UNAUTHENTICATED');
    });
  });

  const forbidden = cases.filter((c) => 'role' in c.forbidden);
  if (forbidden.length > 0) {
    describe('403 for a role without the action', () => {
      it.each(forbidden.map((c) => [`${c.method} ${c.route}`, (c.forbidden as { role: Role }).role, c] as const))('%s as %s', async (_name, _role, c) => {
        const f = c.forbidden as { role: Role; area: string | null };
        const client = await signInAs(ctx.app, ctx.database, f.role, f.area);
        const e = expectError(await send(client, f.role, c.method, c.url(), c.body), 403, 'FORBIDDEN');
        expect(String(e.details.action)).toMatch(new RegExp(`^${actionPrefix}\\.`));
      });
    });
  }

  const outside = cases.filter((c) => 'as' in c.outOfScope);
  if (outside.length > 0) {
    describe('404 for a record outside the actor’s scope', () => {
      it.each(outside.map((c) => [`${c.method} ${c.route}`, c] as const))('%s', async (_name, c) => {
        const o = c.outOfScope as Call;
        const e = expectError(await send(ctx.clients[o.as], o.as, c.method, o.url(), o.body), 404, 'NOT_FOUND');
        expect(e.message).toMatch(/不存在或不在您的管辖范围内/);
      });
    });
  }

  const bad = cases.filter((c) => 'as' in c.bad);
  if (bad.length > 0) {
    describe('400 with field paths for bad input', () => {
      it.each(bad.map((c) => [`${c.method} ${c.route}`, c] as const))('%s', async (_name, c) => {
        const b = c.bad as Call & { path: (string | number)[] };
        expectIssue(await send(ctx.clients[b.as], b.as, c.method, b.url(), b.body), b.path);
      });
    });
  }

  describe('the happy path', () => {
    // In order: the table's writes build on each other.
    for (const c of cases) {
      it(`${c.method} ${c.route}`, async () => {
        const h = c.happy;
        const res = await send(ctx.clients[h.as], h.as, c.method, h.url(), h.body);
        expect(res.statusCode, res.body).toBe(h.status);
        await h.check(res);
      });
    }
  });
}
