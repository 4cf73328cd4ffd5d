/**
 * The identification demo gives every demo account something in its worklist: a batch at every step,
 * an open objection and a red-line hit.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resetDatabase } from '../../../test/db.ts';
import { signInAs, testApp, type Client } from '../../../test/http.ts';
import type { App } from '../../platform/http.ts';
import type { Database } from '../../platform/db.ts';
import { findChildAreas } from '../areas/index.ts';
import { SYSTEM_ACTOR } from '../../platform/auth.ts';
import { seedIdentificationDemo, type IdentificationDemoResult } from './demo.ts';
import type { BatchSummaryDto, WorklistItemDto } from './contract.ts';

const DAWEISHAN = '430181125000';
const LIUYANG = '430181000000';

let database: Database;
let app: App;
let result: IdentificationDemoResult;
const worklist = async (c: Client) => ((await c.request('GET', '/api/identification/worklist')).json() as { items: WorklistItemDto[] }).items;

beforeAll(async () => {
  database = await resetDatabase();
  app = await testApp(database);
  result = await seedIdentificationDemo(database.db, DAWEISHAN);
});
afterAll(() => app?.close());

describe('the identification demo', () => {
  it('has a batch at every step of the procedure', async () => {
    const county = await signInAs(app, database, 'county_officer', LIUYANG);
    const page = (await county.request('GET', '/api/identification/batches?pageSize=50')).json() as { items: BatchSummaryDto[] };
    expect(page.items).toHaveLength(result.batches);
    const states = new Set(page.items.flatMap((b) => Object.keys(b.states)));
    for (const s of ['applied', 'appraised', 'crossChecked', 'firstNotice', 'townshipReviewed', 'secondNotice', 'countyApproved', 'announced', 'registered', 'rejected', 'withdrawn']) expect(states, s).toContain(s);
    expect(page.items.reduce((n, b) => n + b.openObjections, 0)).toBe(1);
    expect(page.items.reduce((n, b) => n + b.openRedLineHits, 0)).toBe(1);
  });

  it('each demo role finds work waiting', async () => {
    const [clerkVillage] = await findChildAreas(database.db, SYSTEM_ACTOR, DAWEISHAN);
    const clerk = await signInAs(app, database, 'village_clerk', clerkVillage!.code);
    expect((await worklist(clerk)).map((i) => i.action)).toEqual(expect.arrayContaining(['appraise', 'openFirstNotice']));
    const township = await signInAs(app, database, 'township_officer', DAWEISHAN);
    const t = await worklist(township);
    expect(t.filter((i) => i.kind === 'step' && i.ready).map((i) => i.action)).toEqual(expect.arrayContaining(['crossCheck', 'reviewTownship', 'openSecondNotice']));
    expect(t.map((i) => i.kind)).toEqual(expect.arrayContaining(['objection', 'redLine']));
    const county = await signInAs(app, database, 'county_officer', LIUYANG);
    expect((await worklist(county)).filter((i) => i.ready).map((i) => i.action)).toEqual(expect.arrayContaining(['approveCounty', 'announce', 'register']));
  });
});
