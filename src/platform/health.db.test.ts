import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resetDatabase, testTarget } from '../../test/db.ts';
import { testApp } from '../../test/http.ts';
import type { App } from './http.ts';

let app: App;
beforeAll(async () => {
  app = await testApp(await resetDatabase());
});
afterAll(() => app.close());

describe('GET /api/health', () => {
  it('answers ok with the database kind and version, without a session', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok', database: testTarget(), version: expect.stringMatching(/^\d+\.\d+\.\d+/) });
  });

  it('serves the OpenAPI document listing the API routes', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json() as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/auth/login', '/api/users', '/api/areas/{code}', '/api/audit']));
  });
});
