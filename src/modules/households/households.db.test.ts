import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resetDatabase } from '../../../test/db.ts';
import { signInAs, testApp, type Client } from '../../../test/http.ts';
import { householdBody, member } from '../../../test/people.ts';
import type { App } from '../../platform/http.ts';
import type { Database } from '../../platform/db.ts';
import type { HouseholdDto } from './contract.ts';

let app: App;
let database: Database;
let clerk: Client;

beforeAll(async () => {
  database = await resetDatabase();
  app = await testApp(database);
  clerk = await signInAs(app, database, 'village_clerk', '430181125201');
});
afterAll(() => app.close());

describe('registering a household (建档立卡)', () => {
  it('a village clerk registers a household of four; a second household with one of those ID numbers is refused', async () => {
    const body = householdBody();
    const res = await clerk.request('POST', '/api/households', body);
    expect(res.statusCode, res.body).toBe(201);
    const h = res.json() as HouseholdDto;
    expect(h.householdNo).toMatch(/^4301811252010001$/);
    expect(h.headName).toBe('测试户主');
    expect(h.memberCount).toBe(4);
    expect(h.incomes[0]).toMatchObject({ year: 2025, netIncome: 22700.5, memberCount: 4, perCapitaNetIncome: 5675.13 });
    // The clerk reads identities in full on the detail page.
    expect(h.members[0]!.idNumber).toBe(body.members[0]!.idNumber);

    const again = householdBody({ members: [member('另一户主', 'head', '19650101', 'male'), { ...body.members[2], relationToHead: 'son' }] });
    const refused = await clerk.request('POST', '/api/households', again);
    expect(refused.statusCode, refused.body).toBe(409);
    const err = refused.json() as { error: { code: string; message: string; details: { issues: { path: unknown[] }[] } } };
    expect(err.error.code).toBe('CONFLICT');
    expect(err.error.message).toContain('4301811252010001');
    expect(err.error.details.issues[0]!.path).toEqual(['members', 1, 'idNumber']);
  });

  it('two registrations with the same person at the same time: exactly one succeeds', async () => {
    const shared = member('同一人', 'head', '19800101', 'female');
    const a = householdBody({ members: [shared] });
    const b = householdBody({ members: [member('户主乙', 'head', '19810101', 'male'), { ...shared, relationToHead: 'spouse' }] });
    const [ra, rb] = await Promise.all([clerk.request('POST', '/api/households', a), clerk.request('POST', '/api/households', b)]);
    expect([ra.statusCode, rb.statusCode].sort()).toEqual([201, 409]);
  });
});
