/**
 * HTTP helpers for the db tier: the app on the worker's database, sign-in, and requests that carry
 * the session cookie and CSRF token as the web client does.
 */
import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import type { ErrorCode } from '../src/shared/errors.ts';
import { createApp } from '../src/app.ts';
import type { App } from '../src/platform/http.ts';
import { createUser } from '../src/modules/accounts/index.ts';
import { SYSTEM_ACTOR } from '../src/platform/auth.ts';
import type { Role } from '../src/shared/access.ts';
import type { Database } from '../src/platform/db.ts';
import { ADMIN_PASSWORD } from './db.ts';

export const TEST_SECRET = 'test-session-secret-0123456789abcdef';
export const USER_PASSWORD = 'user-pass-1';

export async function testApp(database: Database): Promise<App> {
  const app = await createApp({ database, sessionSecret: TEST_SECRET, logLevel: 'silent' });
  await app.ready();
  return app;
}

/** A signed-in client: sends the cookies and the CSRF header with every request. */
/**
 * A multipart/form-data body for test requests (uploads): text fields and at most one file.
 * Passed as the body of `Client.request`.
 */
export class MultipartBody {
  readonly boundary = `----fupin-test-${Math.random().toString(16).slice(2)}`;
  readonly payload: Buffer;
  constructor(fields: Record<string, string>, file?: { field?: string; fileName: string; content: Buffer; type?: string }) {
    const parts: Buffer[] = [];
    for (const [k, v] of Object.entries(fields)) parts.push(Buffer.from(`--${this.boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
    if (file) {
      parts.push(
        Buffer.from(`--${this.boundary}\r\nContent-Disposition: form-data; name="${file.field ?? 'file'}"; filename="${file.fileName}"\r\nContent-Type: ${file.type ?? 'application/octet-stream'}\r\n\r\n`),
        file.content,
        Buffer.from('\r\n'),
      );
    }
    parts.push(Buffer.from(`--${this.boundary}--\r\n`));
    this.payload = Buffer.concat(parts);
  }
  get contentType(): string {
    return `multipart/form-data; boundary=${this.boundary}`;
  }
}

export interface Client {
  cookie: string;
  csrf: string;
  request(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, body?: unknown): Promise<LightMyRequestResponse>;
}

function cookieHeader(res: LightMyRequestResponse): string {
  return res.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
}

let addressSeq = 0;
/**
 * A distinct client address for each sign-in (198.18.0.0/15, the benchmarking range), so that the
 * helpers do not run into the login rate limit (20 a minute per address) that tests exercise on purpose.
 */
export function nextAddress(): string {
  addressSeq++;
  return `198.18.${Math.floor(addressSeq / 250) % 250}.${(addressSeq % 250) + 1}`;
}

/** Signs in through POST /api/auth/login. @throws Error when sign-in fails */
export async function signIn(app: App, username: string, password: string): Promise<Client> {
  const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password }, remoteAddress: nextAddress() });
  if (res.statusCode !== 200) throw new Error(`sign-in of ${username} failed: ${res.statusCode} ${res.body}`);
  const csrf = (res.json() as { csrfToken: string }).csrfToken;
  const cookie = cookieHeader(res);
  return {
    cookie,
    csrf,
    request: (method, url, body) =>
      body instanceof MultipartBody
        ? app.inject({ method, url, headers: { cookie, 'x-csrf-token': csrf, 'content-type': body.contentType }, payload: body.payload })
        : app.inject({ method, url, headers: { cookie, 'x-csrf-token': csrf }, ...(body === undefined ? {} : { payload: body as object }) }),
  };
}

export function signInAdmin(app: App): Promise<Client> {
  return signIn(app, 'admin', ADMIN_PASSWORD);
}

let seq = 0;
/** Creates a user directly (as the system) and signs in as them. */
export async function signInAs(app: App, database: Database, role: Role, areaCode: string | null): Promise<Client & { userId: string; username: string }> {
  const username = `${role.replace(/_/g, '')}${++seq}${Date.now() % 100000}`;
  const { user } = await createUser(database.db, SYSTEM_ACTOR, { username, displayName: `测试${role}`, role, areaCode, phone: '13800001234', password: USER_PASSWORD });
  const client = await signIn(app, username, USER_PASSWORD);
  return { ...client, userId: user.id, username };
}

/**
 * Asserts the one error shape `{error: {code, message, messageEn, details}}` with a Chinese message.
 * @returns the error object
 */
export function expectError(res: LightMyRequestResponse, status: number, code: ErrorCode): { code: string; message: string; messageEn: string; details: { issues?: { path: (string | number)[]; message: string; messageEn: string }[]; [k: string]: unknown } } {
  expect(res.statusCode, res.body).toBe(status);
  const body = res.json() as { error: ReturnType<typeof expectError> };
  expect(body).toEqual({ error: { code, message: expect.stringMatching(/[\u4e00-\u9fff]/), messageEn: expect.stringMatching(/\S/), details: expect.any(Object) } });
  return body.error;
}

/** Asserts a 400 VALIDATION_FAILED whose field issues include `path`. */
export function expectIssue(res: LightMyRequestResponse, path: (string | number)[]) {
  const e = expectError(res, 400, 'VALIDATION_FAILED');
  expect(e.details.issues?.map((i) => i.path)).toContainEqual(path);
  for (const i of e.details.issues ?? []) expect(i.message.length).toBeGreaterThan(0);
  return e;
}
