/**
 * Relative poverty (相对贫困) through the API: standards per area and year (absolute line or share of the
 * median), the candidates below the line of the most specific standard, and their entry into the
 * procedure as a village's batch.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../platform/db.ts';
import type { App } from '../../platform/http.ts';
import { resetDatabase } from '../../../test/db.ts';
import { expectError, expectIssue, signInAdmin, signInAs, testApp, type Client } from '../../../test/http.ts';
import { DAWEISHAN, HUAICHUAN, idNumberOf, LIUYANG, register, TONGXING, ZHONGYUE } from '../../../test/households.ts';
import { demoPovertyLine } from '../households/index.ts';
import { currentYear } from '../areas/index.ts';
import { seedRelativePovertyDemo } from './relative.ts';
import type { CandidatePageDto, StandardViewDto } from './sampling-rules.ts';

const YEAR = 2024;
let app: App;
let database: Database;
let admin: Client;
let county: Client;
let clerk: Client;
const h: Record<string, string> = {};

let n = 0;
/** A one-person household with a per-capita net income for YEAR (one member: net income = per-capita). */
async function add(key: string, areaCode: string, householdType: string, status: string, income: number | null) {
  const i = n++;
  const poor = householdType === 'registeredPoor';
  const dto = await register(admin, {
    areaCode,
    householdType,
    status,
    ...(poor ? { povertyAttribute: 'general', mainPovertyCause: 'illness', identificationYear: 2016 } : {}),
    members: [{ name: `相对${key}`, sex: 'female', idType: 'residentId', idNumber: idNumberOf(`1966${String((i % 12) + 1).padStart(2, '0')}${String(i + 1).padStart(2, '0')}`, '402'), relationToHead: 'head' }],
    ...(income === null ? {} : { income: { year: YEAR, wageIncome: income, productionIncome: 0, propertyIncome: 0, transferIncome: 0, productionCosts: 0 } }),
  });
  h[key] = dto.id;
}

async function candidates(c: Client, areaCode: string): Promise<CandidatePageDto> {
  const res = await c.request('GET', `/api/identification/relative-poverty/candidates?areaCode=${areaCode}&year=${YEAR}&pageSize=100`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as CandidatePageDto;
}
const keysOf = (p: CandidatePageDto) => p.items.map((i) => Object.entries(h).find(([, id]) => id === i.householdId)![0]);

async function setStandard(c: Client, b: Record<string, unknown>): Promise<StandardViewDto> {
  const res = await c.request('PUT', '/api/identification/relative-poverty/standards', b);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as StandardViewDto;
}

beforeAll(async () => {
  database = await resetDatabase();
  app = await testApp(database);
  admin = await signInAdmin(app);
  county = await signInAs(app, database, 'county_officer', LIUYANG);
  clerk = await signInAs(app, database, 'village_clerk', ZHONGYUE);
  // 中岳村
  await add('A', ZHONGYUE, 'ordinary', 'notExited', 3000);
  await add('B', ZHONGYUE, 'marginal', 'monitored', 3900);
  await add('C', ZHONGYUE, 'ordinary', 'notExited', 4100);
  await add('D', ZHONGYUE, 'ordinary', 'notExited', 8000);
  await add('E', ZHONGYUE, 'registeredPoor', 'notExited', 2000); // already poor: never a candidate
  await add('F', ZHONGYUE, 'monitored', 'monitored', 5000);
  await add('J', ZHONGYUE, 'ordinary', 'notExited', null); // no income record for the year
  // 同幸村
  await add('H', TONGXING, 'ordinary', 'notExited', 3800);
  await add('I', TONGXING, 'exited', 'exited', 12000);
}, 120_000);

afterAll(async () => {
  await app.close();
});

describe('standards', () => {
  it('has none until one is set', async () => {
    const res = await county.request('GET', `/api/identification/relative-poverty/standards?areaCode=${ZHONGYUE}&year=${YEAR}`);
    expect(res.json()).toEqual({ own: null, effective: null });
    expect((await candidates(county, DAWEISHAN)).items).toEqual([]);
  });

  it('sets an absolute county line; a village inside it sees that line as its effective one', async () => {
    const v = await setStandard(county, { areaCode: LIUYANG, year: YEAR, method: 'absolute', line: 4000, note: '参照广东 4000 元（2014 年不变价）' });
    expect(v.own).toMatchObject({ areaCode: LIUYANG, method: 'absolute', line: 4000, share: null, effectiveLine: 4000 });
    const res = await clerk.request('GET', `/api/identification/relative-poverty/standards?areaCode=${ZHONGYUE}&year=${YEAR}`);
    expect(res.json()).toMatchObject({ own: null, effective: { areaCode: LIUYANG, effectiveLine: 4000 } });
  });

  it('refuses a method without its figure, another county, and roles without the action', async () => {
    expectIssue(await county.request('PUT', '/api/identification/relative-poverty/standards', { areaCode: LIUYANG, year: YEAR, method: 'medianShare' }), ['share']);
    expectIssue(await county.request('PUT', '/api/identification/relative-poverty/standards', { areaCode: LIUYANG, year: YEAR, method: 'absolute', line: 0 }), ['line']);
    expectError(await county.request('PUT', '/api/identification/relative-poverty/standards', { areaCode: '430182000000', year: YEAR, method: 'absolute', line: 4000 }), 404, 'NOT_FOUND');
    expectError(await clerk.request('PUT', '/api/identification/relative-poverty/standards', { areaCode: ZHONGYUE, year: YEAR, method: 'absolute', line: 4000 }), 403, 'FORBIDDEN');
  });
});

describe('candidates', () => {
  it('lists households below the line, lowest income first: not the poor, not those without an income record', async () => {
    const p = await candidates(county, DAWEISHAN);
    // A 3000, H 3800, B 3900 < 4000; C 4100, D 8000, F 5000, I 12000 above; E already poor; J no income.
    expect(keysOf(p)).toEqual(['A', 'H', 'B']);
    expect(p.items[0]).toMatchObject({ perCapitaNetIncome: 3000, line: 4000, standardAreaCode: LIUYANG, householdType: 'ordinary', villageName: '中岳村' });
    expect(p.standards.map((s) => s.areaCode)).toEqual([LIUYANG]);
    expect(keysOf(await candidates(county, TONGXING))).toEqual(['H']);
  });

  it('uses the most specific standard: the township’s share of its median beats the county line', async () => {
    // The township's incomes of 2024: 2000, 3000, 3800, 3900, 4100, 5000, 8000, 12000 (J has none):
    // the median of 8 is (3900 + 4100) / 2 = 4000; 95 % of it = 3800.
    const v = await setStandard(admin, { areaCode: DAWEISHAN, year: YEAR, method: 'medianShare', share: 0.95 });
    expect(v.own).toMatchObject({ method: 'medianShare', share: 0.95, median: 4000, householdsWithIncome: 8, effectiveLine: 3800 });
    const p = await candidates(county, DAWEISHAN);
    expect(keysOf(p)).toEqual(['A']); // H at 3800 is not below 3800
    expect(p.items[0]).toMatchObject({ line: 3800, standardAreaCode: DAWEISHAN });
    expect(p.standards.map((s) => [s.areaCode, s.effectiveLine])).toEqual([
      [DAWEISHAN, 3800],
      [LIUYANG, 4000],
    ]);
    // The county's list: the township's line inside the township.
    expect(keysOf(await candidates(county, LIUYANG))).toEqual(['A']);
    // The whole median (4000) for what follows: the same line as the county's.
    await setStandard(admin, { areaCode: DAWEISHAN, year: YEAR, method: 'medianShare', share: 1 });
    expect(keysOf(await candidates(county, DAWEISHAN))).toEqual(['A', 'H', 'B']);
  });

  it('answers 404 for an area outside the scope', async () => {
    const other = await signInAs(app, database, 'township_officer', HUAICHUAN);
    expectError(await other.request('GET', `/api/identification/relative-poverty/candidates?areaCode=${DAWEISHAN}&year=${YEAR}`), 404, 'NOT_FOUND');
  });
});

describe('entering the procedure', () => {
  it('submits a village’s selected candidates as a relative-poverty batch; they leave the candidate list', async () => {
    const res = await clerk.request('POST', '/api/identification/relative-poverty/batches', { areaCode: ZHONGYUE, year: YEAR, appliedOn: '2024-11-20', householdIds: [h.A, h.B] });
    expect(res.statusCode, res.body).toBe(201);
    const batch = res.json() as { id: string; kind: string; areaCode: string; year: number; title: string };
    // The batch is of the identification year (this year, China time), not of the incomes' year (YEAR).
    expect(batch).toMatchObject({ kind: 'relativePoverty', areaCode: ZHONGYUE, year: currentYear() });
    expect(batch.title).toContain(`${currentYear()}年相对贫困识别`);
    expect(keysOf(await candidates(county, DAWEISHAN))).toEqual(['H']);
  });

  it('refuses households that are not candidates of the village, naming each', async () => {
    const e = expectIssue(await clerk.request('POST', '/api/identification/relative-poverty/batches', { areaCode: ZHONGYUE, year: YEAR, appliedOn: '2024-11-20', householdIds: [h.C, h.A] }), ['householdIds', 0]);
    expect(e.details.issues!.map((i) => i.path)).toEqual([
      ['householdIds', 0], // C: above the line
      ['householdIds', 1], // A: already applying
    ]);
    // H is a candidate, but of 同幸村.
    expectIssue(await admin.request('POST', '/api/identification/relative-poverty/batches', { areaCode: ZHONGYUE, year: YEAR, appliedOn: '2024-11-20', householdIds: [h.H] }), ['householdIds', 0]);
    expectIssue(await admin.request('POST', '/api/identification/relative-poverty/batches', { areaCode: DAWEISHAN, year: YEAR, appliedOn: '2024-11-20', householdIds: [h.H] }), ['areaCode']);
    expectError(await clerk.request('POST', '/api/identification/relative-poverty/batches', { areaCode: TONGXING, year: YEAR, appliedOn: '2024-11-20', householdIds: [h.H] }), 404, 'NOT_FOUND');
  });

  it('refuses a village without a standard for the year', async () => {
    expectError(await admin.request('POST', '/api/identification/relative-poverty/batches', { areaCode: TONGXING, year: 2023, appliedOn: '2023-11-20', householdIds: [h.H] }), 409, 'CONFLICT');
  });
});

describe('the demo', () => {
  it('sets a county standard', async () => {
    const v = await seedRelativePovertyDemo(database.db, LIUYANG, 2025);
    expect(v.own).toMatchObject({ areaCode: LIUYANG, year: 2025, method: 'absolute', line: Math.round(demoPovertyLine(2025) * 1.4) });
    const res = await clerk.request('GET', `/api/identification/relative-poverty/standards?areaCode=${ZHONGYUE}&year=2025`);
    expect((res.json() as StandardViewDto).effective?.effectiveLine).toBe(Math.round(demoPovertyLine(2025) * 1.4));
  });
});
