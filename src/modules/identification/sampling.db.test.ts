/**
 * Verification sampling (抽样复核) through the API: the sample is reproducible from its seed, the
 * township's and county's least rates are enforced, and the 错评率 / 漏评率 after the visits match the
 * hand-computed example of sampling-rules.test.ts.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf, type Database } from '../../platform/db.ts';
import type { App } from '../../platform/http.ts';
import { resetDatabase } from '../../../test/db.ts';
import { expectError, expectIssue, signInAdmin, signInAs, testApp, type Client } from '../../../test/http.ts';
import { DAWEISHAN, HUAICHUAN, CHENGXI, idNumberOf, LIUYANG, register, TONGXING, ZHONGYUE } from '../../../test/households.ts';
import { seedSamplingDemo } from './sampling.ts';
import type { SampleDetailDto, SampleDto, SampleHouseholdDto } from './sampling-rules.ts';

let app: App;
let database: Database;
let admin: Client;
let county: Client;
let township: Client;
let otherTownship: Client;

let n = 0;
/** A one-person household (births spread so that ID numbers never clash). */
function body(areaCode: string, householdType: string, status: string) {
  const i = n++;
  const birth = `${1950 + Math.floor(i / 336)}${String((Math.floor(i / 28) % 12) + 1).padStart(2, '0')}${String((i % 28) + 1).padStart(2, '0')}`;
  const poor = householdType === 'registeredPoor';
  return {
    areaCode,
    householdType,
    status,
    ...(poor ? { povertyAttribute: 'general', mainPovertyCause: 'illness', identificationYear: 2016 } : {}),
    members: [{ name: `抽样${i}`, sex: 'male', idType: 'residentId', idNumber: idNumberOf(birth, '301'), relationToHead: 'head' }],
  };
}

async function addHouseholds(areaCode: string, count: number, type: string, status: string): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) ids.push((await register(admin, body(areaCode, type, status))).id);
  return ids;
}

async function draw(c: Client, b: Record<string, unknown>): Promise<SampleDto> {
  const res = await c.request('POST', '/api/identification/samples', b);
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as SampleDto;
}

async function householdsOf(c: Client, id: string, query = 'pageSize=200'): Promise<SampleDetailDto> {
  const res = await c.request('GET', `/api/identification/samples/${id}?${query}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as SampleDetailDto;
}

beforeAll(async () => {
  database = await resetDatabase();
  app = await testApp(database);
  admin = await signInAdmin(app);
  county = await signInAs(app, database, 'county_officer', LIUYANG);
  township = await signInAs(app, database, 'township_officer', DAWEISHAN);
  otherTownship = await signInAs(app, database, 'township_officer', HUAICHUAN);
  // 大围山镇: 50 poor households (two villages), 40 not poor, 3 out of poverty (in neither stratum).
  await addHouseholds(ZHONGYUE, 30, 'registeredPoor', 'notExited');
  await addHouseholds(TONGXING, 18, 'registeredPoor', 'notExited');
  await addHouseholds(TONGXING, 2, 'registeredPoor', 'returned');
  await addHouseholds(ZHONGYUE, 25, 'ordinary', 'notExited');
  await addHouseholds(TONGXING, 15, 'marginal', 'monitored');
  await addHouseholds(ZHONGYUE, 3, 'registeredPoor', 'exited');
  // 淮川街道: 5 poor households.
  await addHouseholds(CHENGXI, 5, 'registeredPoor', 'notExited');
}, 120_000);

afterAll(async () => {
  await app.close();
});

describe('drawing a sample', () => {
  it('draws ceil(rate × households) from each stratum, the township defaults being 20 % and 5 %', async () => {
    const s = await draw(township, { areaCode: DAWEISHAN, year: 2025, seed: 42 });
    expect(s).toMatchObject({ areaCode: DAWEISHAN, seed: 42, poorRate: 0.2, nonPoorRate: 0.05, poorPopulation: 50, nonPoorPopulation: 40 });
    expect(s.wrongInclusion).toMatchObject({ drawn: 10, visited: 0, rate: null, lower: null }); // 20 % of 50
    expect(s.wrongExclusion).toMatchObject({ drawn: 2, visited: 0, rate: null }); // ceil(5 % of 40)
    const d = await householdsOf(township, s.id);
    expect(d.households.total).toBe(12);
    expect(d.households.items.map((h) => h.position)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    for (const h of d.households.items) {
      expect(h.householdNo.startsWith('430181125')).toBe(true);
      expect(h.stratum === 'poor' ? h.householdType === 'registeredPoor' && h.status !== 'exited' : ['ordinary', 'marginal'].includes(h.householdType)).toBe(true);
      expect(h.phone === null || /\*{4}/.test(h.phone)).toBe(true);
    }
  });

  it('gives the same households in the same order for the same seed, and others for another seed', async () => {
    const a = await householdsOf(county, (await draw(county, { areaCode: DAWEISHAN, year: 2025, seed: 20250601 })).id);
    const b = await householdsOf(county, (await draw(county, { areaCode: DAWEISHAN, year: 2025, seed: 20250601 })).id);
    const c = await householdsOf(county, (await draw(county, { areaCode: DAWEISHAN, year: 2025, seed: 7 })).id);
    const ids = (d: SampleDetailDto) => d.households.items.map((h) => `${h.stratum}:${h.householdId}`);
    expect(ids(a)).toHaveLength(12);
    expect(ids(b)).toEqual(ids(a));
    expect(new Set(ids(c))).not.toEqual(new Set(ids(a)));
  });

  it('chooses and stores a seed when none is given, which draws the same sample again', async () => {
    const first = await draw(township, { areaCode: DAWEISHAN, year: 2025 });
    expect(Number.isInteger(first.seed)).toBe(true);
    const again = await draw(township, { areaCode: DAWEISHAN, year: 2025, seed: first.seed });
    expect((await householdsOf(township, again.id)).households.items.map((h) => h.householdId)).toEqual((await householdsOf(township, first.id)).households.items.map((h) => h.householdId));
  });

  it('refuses a township sample below 20 % and a county sample below 10 % of the poor households', async () => {
    const e = expectIssue(await township.request('POST', '/api/identification/samples', { areaCode: DAWEISHAN, year: 2025, poorRate: 0.15 }), ['poorRate']);
    expect(e.details.issues![0]!.message).toContain('20%');
    expect(e.details.issues![0]!.messageEn).toContain('20 %');
    expectIssue(await county.request('POST', '/api/identification/samples', { areaCode: LIUYANG, year: 2025, poorRate: 0.05 }), ['poorRate']);
    const c = await draw(county, { areaCode: LIUYANG, year: 2025, seed: 1 });
    expect(c).toMatchObject({ poorRate: 0.1, poorPopulation: 55, nonPoorPopulation: 40 });
    expect(c.wrongInclusion.drawn).toBe(6); // ceil(10 % of 55)
  });

  it('draws for a township or a county only, within the scope', async () => {
    expectIssue(await township.request('POST', '/api/identification/samples', { areaCode: ZHONGYUE, year: 2025 }), ['areaCode']);
    expectError(await otherTownship.request('POST', '/api/identification/samples', { areaCode: DAWEISHAN, year: 2025 }), 404, 'NOT_FOUND');
    const clerk = await signInAs(app, database, 'village_clerk', ZHONGYUE);
    expectError(await clerk.request('POST', '/api/identification/samples', { areaCode: DAWEISHAN, year: 2025 }), 403, 'FORBIDDEN');
  });
});

describe('visits and rates', () => {
  let sample: SampleDto;
  let items: SampleHouseholdDto[];

  beforeAll(async () => {
    // 80 % of 50 poor households = 40; 50 % of 40 non-poor = 20: the hand-computed example's sizes.
    sample = await draw(township, { areaCode: DAWEISHAN, year: 2025, seed: 99, poorRate: 0.8, nonPoorRate: 0.5 });
    items = (await householdsOf(township, sample.id)).households.items;
  });

  it('refuses a finding that does not fit the household’s stratum', async () => {
    const poor = items.find((h) => h.stratum === 'poor')!;
    const nonPoor = items.find((h) => h.stratum === 'nonPoor')!;
    const visit = { visitedOn: '2025-06-01', visitor: '核查员甲' };
    expectIssue(await township.request('PUT', `/api/identification/samples/${sample.id}/households/${poor.householdId}`, { ...visit, finding: 'missing' }), ['finding']);
    expectIssue(await township.request('PUT', `/api/identification/samples/${sample.id}/households/${nonPoor.householdId}`, { ...visit, finding: 'shouldExclude' }), ['finding']);
    expectIssue(await township.request('PUT', `/api/identification/samples/${sample.id}/households/${nonPoor.householdId}`, { ...visit, finding: 'correct', visitedOn: '2999-01-01' }), ['visitedOn']);
    expectError(await otherTownship.request('PUT', `/api/identification/samples/${sample.id}/households/${poor.householdId}`, { ...visit, finding: 'correct' }), 404, 'NOT_FOUND');
  });

  it('computes 错评率 3 of 40 = 7.50 % (2.58 %–19.86 %) and 漏评率 2 of 20 = 10.00 % (2.79 %–30.10 %)', async () => {
    const poor = items.filter((h) => h.stratum === 'poor');
    const nonPoor = items.filter((h) => h.stratum === 'nonPoor');
    expect([poor.length, nonPoor.length]).toEqual([40, 20]);
    const put = (h: SampleHouseholdDto, finding: string) =>
      township.request('PUT', `/api/identification/samples/${sample.id}/households/${h.householdId}`, { finding, visitedOn: '2025-06-02', visitor: '核查员乙', note: null });
    // First a wrong entry, corrected afterwards: the last finding counts.
    expect((await put(poor[0]!, 'correct')).statusCode).toBe(200);
    for (const [i, h] of poor.entries()) {
      const res = await put(h, i < 3 ? 'shouldExclude' : 'correct');
      expect(res.statusCode, res.body).toBe(200);
    }
    for (const [i, h] of nonPoor.entries()) expect((await put(h, i < 2 ? 'missing' : 'correct')).statusCode).toBe(200);
    const d = await householdsOf(county, sample.id, 'pageSize=5&stratum=poor&visited=true');
    expect(d.households.total).toBe(40);
    expect(d.households.items[0]).toMatchObject({ finding: 'shouldExclude', visitedOn: '2025-06-02', visitor: '核查员乙' });
    const { wrongInclusion: wi, wrongExclusion: we } = d.sample;
    expect(wi).toMatchObject({ found: 3, visited: 40, drawn: 40, rate: 0.075 });
    expect(wi.lower).toBeCloseTo(0.025836, 5);
    expect(wi.upper).toBeCloseTo(0.198642, 5);
    expect(we).toMatchObject({ found: 2, visited: 20, drawn: 20, rate: 0.1 });
    expect(we.lower).toBeCloseTo(0.027866, 5);
    expect(we.upper).toBeCloseTo(0.301034, 5);
    // The list shows the same rates.
    const list = (await county.request('GET', `/api/identification/samples?areaCode=${DAWEISHAN}&pageSize=50`)).json() as { items: SampleDto[] };
    expect(list.items.find((s) => s.id === sample.id)!.wrongInclusion.rate).toBe(0.075);
  });

  it('records each draw and each finding in the audit log', async () => {
    const [r] = rowsOf<{ draws: number; findings: number }>(
      await database.db.execute(
        sql`SELECT count(*) FILTER (WHERE action = 'identification.sample' AND target_id = ${sample.id})::int AS draws, count(*) FILTER (WHERE action = 'identification.sample-finding' AND target_id = ${sample.id})::int AS findings FROM audit_events`,
      ),
    );
    expect(r).toEqual({ draws: 1, findings: 61 });
  });

  it('lists only samples within the actor’s scope', async () => {
    const res = await otherTownship.request('GET', '/api/identification/samples?pageSize=200');
    expect((res.json() as { total: number }).total).toBe(0);
    expectError(await otherTownship.request('GET', `/api/identification/samples/${sample.id}`), 404, 'NOT_FOUND');
  });
});

describe('the demo', () => {
  it('draws a township sample and records findings, so that both rates show', async () => {
    const s = await seedSamplingDemo(database.db, DAWEISHAN, 2025);
    expect(s.seed).toBe(20250101);
    expect(s.wrongInclusion.visited).toBeGreaterThan(0);
    expect(s.wrongInclusion.visited).toBeLessThan(s.wrongInclusion.drawn);
    expect(s.wrongInclusion.found).toBeGreaterThan(0);
    expect(s.wrongInclusion.rate).toBeCloseTo(s.wrongInclusion.found / s.wrongInclusion.visited, 10);
    expect(s.wrongExclusion.found).toBeGreaterThan(0);
  });
});
