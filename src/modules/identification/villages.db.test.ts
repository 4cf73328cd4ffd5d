/**
 * Poor-village identification (贫困村识别): indicators per year, and 村申请 → 乡初审 → 县审核认定 (or 不予认定
 * at either review), each step refused where the table does not allow it, the designation written
 * in the same transaction.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { resetDatabase } from '../../../test/db.ts';
import { expectError, expectIssue, signInAs, testApp, type Client } from '../../../test/http.ts';
import { register, TONGXING, ZHONGYUE } from '../../../test/households.ts';
import { householdBody } from '../../../test/people.ts';
import { rowsOf, sql, type Database } from '../../platform/db.ts';
import type { App } from '../../platform/http.ts';
import type { Actor } from '../../platform/auth.ts';
import type { VillageIdentificationDto, VillageIndicatorsDto, VillageIndicatorsReadDto } from './adjustment-contract.ts';
import { rejectVillage, seedVillageIdentificationDemo } from './villages.ts';

const LIUYANG = '430181000000';
const DAWEISHAN = '430181125000';
const CHENGXI = '430181001001'; // 淮川街道 城西社区, outside 大围山镇
const YEAR = 2025;

let database: Database;
let app: App;
let county: Client & { userId: string };
let township: Client;
let clerk: Client;

async function rows<T>(q: ReturnType<typeof sql>): Promise<T[]> {
  return rowsOf<T>(await database.db.execute(q));
}
const put = (c: Client, code: string, body: unknown, year = YEAR) => c.request('PUT', `/api/identification/village-indicators/${code}/${year}`, body);
async function ok<T>(res: Awaited<ReturnType<Client['request']>>, status = 200): Promise<T> {
  expect(res.statusCode, res.body).toBe(status);
  return res.json() as T;
}
const step = (extra: Record<string, unknown> = {}) => ({ responsiblePerson: '张三', note: '核实无误', ...extra });

beforeAll(async () => {
  database = await resetDatabase();
  app = await testApp(database);
  county = await signInAs(app, database, 'county_officer', LIUYANG);
  township = await signInAs(app, database, 'township_officer', DAWEISHAN);
  clerk = await signInAs(app, database, 'village_clerk', ZHONGYUE);
});

describe('village indicators', () => {
  it('are recorded by the village clerk, corrected by the township, audited', async () => {
    const first = await ok<VillageIndicatorsDto>(await put(clerk, ZHONGYUE, { perCapitaNetIncome: 3500.5, registeredPopulation: 1000, poorPopulation: 120, hardenedRoad: false, safeWater: true, power: true, broadband: false, clinic: true, collectiveIncome: 0 }));
    expect(first).toMatchObject({ areaCode: ZHONGYUE, villageName: '中岳村', townshipName: '大围山镇', year: YEAR, perCapitaNetIncome: 3500.5, incidence: 0.12, hardenedRoad: false });
    const corrected = await ok<VillageIndicatorsDto>(await put(township, ZHONGYUE, { perCapitaNetIncome: 3600, registeredPopulation: 1000, poorPopulation: 110 }));
    expect(corrected).toMatchObject({ perCapitaNetIncome: 3600, incidence: 0.11, hardenedRoad: null });
    const audit = await rows<{ before: { poorPopulation: number } | null; after: { poorPopulation: number } }>(
      sql`SELECT before, after FROM audit_events WHERE action = 'identification.village-apply' AND target_type = 'villageIndicators' ORDER BY at`,
    );
    expect(audit.map((a) => [a.before?.poorPopulation ?? null, a.after.poorPopulation])).toEqual([[null, 120], [120, 110]]);
  });

  it('refuses a village outside scope, a code that is not a village, more poor than registered people', async () => {
    expectError(await put(clerk, TONGXING, { perCapitaNetIncome: 5000 }), 404, 'NOT_FOUND');
    expectIssue(await put(county, DAWEISHAN, { perCapitaNetIncome: 5000 }), ['areaCode']);
    expectIssue(await put(clerk, ZHONGYUE, { registeredPopulation: 10, poorPopulation: 11 }), ['poorPopulation']);
    expectIssue(await put(clerk, ZHONGYUE, { perCapitaNetIncome: 12.345 }), ['perCapitaNetIncome']);
  });

  it('reads one village with the registry’s figures to prefill, and lists a year’s indicators in scope', async () => {
    await register(clerk, householdBody());
    await register(clerk, { ...householdBody(), householdType: 'ordinary', mainPovertyCause: null, otherPovertyCauses: [], status: 'notExited' });
    const r = await ok<VillageIndicatorsReadDto>(await clerk.request('GET', `/api/identification/village-indicators/${ZHONGYUE}/${YEAR}`));
    expect(r.registry).toEqual({ households: 2, persons: 8, poorHouseholds: 1, poorPersons: 4 });
    expect(r.indicators?.poorPopulation).toBe(110);
    const none = await ok<VillageIndicatorsReadDto>(await clerk.request('GET', `/api/identification/village-indicators/${ZHONGYUE}/${YEAR - 1}`));
    expect(none.indicators).toBeNull();
    await put(county, TONGXING, { perCapitaNetIncome: 9000, registeredPopulation: 2000, poorPopulation: 40 });
    await put(county, CHENGXI, { perCapitaNetIncome: 12000, registeredPopulation: 1000, poorPopulation: 10 });
    const mine = await ok<{ items: VillageIndicatorsDto[] }>(await township.request('GET', `/api/identification/village-indicators?year=${YEAR}`));
    expect(mine.items.map((i) => i.areaCode)).toEqual([ZHONGYUE, TONGXING]);
    const all = await ok<{ items: VillageIndicatorsDto[] }>(await county.request('GET', `/api/identification/village-indicators?year=${YEAR}`));
    expect(all.items).toHaveLength(3);
  });
});

describe('the workflow 村申请 → 乡初审 → 县审核认定', () => {
  let v: VillageIdentificationDto;

  it('the village applies once a year; the advice compares it with the county’s villages', async () => {
    v = await ok<VillageIdentificationDto>(await clerk.request('POST', '/api/identification/village-identifications', { areaCode: ZHONGYUE, year: YEAR, ...step({ responsiblePerson: '村支书李四' }) }), 201);
    expect(v).toMatchObject({ state: 'applied', version: 1, relative: false, nextActions: [] });
    expect(v.steps).toEqual([expect.objectContaining({ action: 'apply', from: null, to: 'applied', responsiblePerson: '村支书李四', note: '核实无误', onDate: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) })]);
    // County: (110 + 40 + 10) / 4000 = 4 %; income (3600·1000 + 9000·2000 + 12000·1000) / 4000 = 8400.
    // 中岳村: 11 % ≥ 8 % (一高), 3600 < 5040 (一低); 3600 < 8000 and 11 % ≥ 5 % (relative-poverty village).
    expect(v.advice.reference.incidence).toBeCloseTo(0.04, 10);
    expect(v.advice.reference.averageIncome).toBeCloseTo(8400, 6);
    expect(v.advice).toMatchObject({ highIncidence: true, lowIncome: true, oneHighOneLow: true, relativePoorVillage: true });
    expectError(await clerk.request('POST', '/api/identification/village-identifications', { areaCode: ZHONGYUE, year: YEAR, ...step() }), 409, 'CONFLICT');
    expectError(await clerk.request('POST', '/api/identification/village-identifications', { areaCode: TONGXING, year: YEAR, ...step() }), 404, 'NOT_FOUND');
  });

  it('refuses the county’s designation before the township review, and the clerk’s review', async () => {
    const e = expectError(await county.request('POST', `/api/identification/village-identifications/${v.id}/designation`, step({ version: v.version })), 409, 'STEP_NOT_ALLOWED');
    expect(e.message).toMatch(/乡镇初审/);
    expectError(await clerk.request('POST', `/api/identification/village-identifications/${v.id}/township-review`, step({ version: v.version })), 403, 'FORBIDDEN');
  });

  it('the township reviews; a stale version and a second review are refused', async () => {
    const got = await ok<VillageIdentificationDto>(await township.request('GET', `/api/identification/village-identifications/${v.id}`));
    expect(got.nextActions).toEqual(['reviewTownship', 'reject']);
    v = await ok<VillageIdentificationDto>(await township.request('POST', `/api/identification/village-identifications/${v.id}/township-review`, step({ version: v.version, responsiblePerson: '乡镇专干王五' })));
    expect(v).toMatchObject({ state: 'townshipReviewed', version: 2 });
    expectError(await township.request('POST', `/api/identification/village-identifications/${v.id}/township-review`, step({ version: 1 })), 409, 'STEP_NOT_ALLOWED');
    expectError(await county.request('POST', `/api/identification/village-identifications/${v.id}/designation`, step({ version: 1 })), 409, 'STALE_EDIT');
    // After its own review the township cannot reject: that is the county's review now.
    expectError(await township.request('POST', `/api/identification/village-identifications/${v.id}/rejection`, step({ version: v.version, reason: '名额不足' })), 403, 'FORBIDDEN');
  });

  it('the county designates: the village is a poor village of the year, in the same transaction', async () => {
    v = await ok<VillageIdentificationDto>(await county.request('POST', `/api/identification/village-identifications/${v.id}/designation`, step({ version: v.version, responsiblePerson: '县扶贫办赵六', kind: 'provincial' })));
    expect(v).toMatchObject({ state: 'designated', version: 3, nextActions: [] });
    expect(v.steps.map((s) => [s.action, s.from, s.to, s.responsiblePerson])).toEqual([
      ['apply', null, 'applied', '村支书李四'],
      ['reviewTownship', 'applied', 'townshipReviewed', '乡镇专干王五'],
      ['designate', 'townshipReviewed', 'designated', '县扶贫办赵六'],
    ]);
    const d = await rows<{ kind: string; relative: boolean }>(sql`SELECT kind, relative FROM poor_village_designations WHERE area_code = ${ZHONGYUE} AND year = ${YEAR}`);
    expect(d).toEqual([{ kind: 'provincial', relative: false }]);
    const area = await ok<{ poorVillageYears: number[] }>(await clerk.request('GET', `/api/areas/${ZHONGYUE}`));
    expect(area.poorVillageYears).toContain(YEAR);
    const audit = await rows<{ action: string }>(sql`SELECT action FROM audit_events WHERE target_id = ${v.id} OR (action = 'areas.designate' AND target_id = ${ZHONGYUE}) ORDER BY id`);
    expect(audit.map((a) => a.action)).toEqual(['identification.village-apply', 'identification.village-review', 'areas.designate', 'identification.village-approve']);
  });

  it('refuses any step after the end', async () => {
    expectError(await county.request('POST', `/api/identification/village-identifications/${v.id}/rejection`, step({ version: v.version, reason: '撤销' })), 409, 'PROCEDURE_ENDED');
    expectError(await county.request('POST', `/api/identification/village-identifications/${v.id}/designation`, step({ version: v.version })), 409, 'PROCEDURE_ENDED');
  });

  it('rejects with a reason at the township, or at the county after the township review', async () => {
    const t = await ok<VillageIdentificationDto>(await county.request('POST', '/api/identification/village-identifications', { areaCode: TONGXING, year: YEAR, relative: true, ...step() }), 201);
    expect(t.advice).toMatchObject({ highIncidence: false, lowIncome: false, oneHighOneLow: false, relativePoorVillage: false });
    expectIssue(await township.request('POST', `/api/identification/village-identifications/${t.id}/rejection`, step({ version: 1 })), ['reason']);
    const county1: Actor = { id: county.userId, username: 'c', displayName: '县', role: 'county_officer', areaCode: LIUYANG };
    await expect(rejectVillage(database.db, county1, t.id, { version: 1, responsiblePerson: '张三', reason: ' ' })).rejects.toMatchObject({ code: 'REASON_REQUIRED' });
    const r = await ok<VillageIdentificationDto>(await township.request('POST', `/api/identification/village-identifications/${t.id}/rejection`, step({ version: 1, reason: '不符合一高一低' })));
    expect(r).toMatchObject({ state: 'rejected', endReason: '不符合一高一低' });
    expect(r.steps.at(-1)).toMatchObject({ action: 'reject', from: 'applied', to: 'rejected', note: '不符合一高一低；核实无误' });

    const c = await ok<VillageIdentificationDto>(await county.request('POST', '/api/identification/village-identifications', { areaCode: CHENGXI, year: YEAR, ...step() }), 201);
    const reviewed = await ok<VillageIdentificationDto>(await county.request('POST', `/api/identification/village-identifications/${c.id}/township-review`, step({ version: 1 })));
    const rc = await ok<VillageIdentificationDto>(await county.request('POST', `/api/identification/village-identifications/${c.id}/rejection`, step({ version: reviewed.version, reason: '名额已满' })));
    expect(rc).toMatchObject({ state: 'rejected', endReason: '名额已满' });
    const none = await rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM poor_village_designations WHERE area_code IN (${TONGXING}, ${CHENGXI})`);
    expect(none[0]!.n).toBe(0);
  });

  it('lists the identifications of the scope, by state', async () => {
    const mine = await ok<{ items: VillageIdentificationDto[] }>(await township.request('GET', `/api/identification/village-identifications?year=${YEAR}`));
    expect(mine.items.map((i) => [i.areaCode, i.state])).toEqual([
      [ZHONGYUE, 'designated'],
      [TONGXING, 'rejected'],
    ]);
    const rejected = await ok<{ items: VillageIdentificationDto[] }>(await county.request('GET', `/api/identification/village-identifications?state=rejected`));
    expect(rejected.items).toHaveLength(2);
  });
});

describe('the demo', () => {
  it('writes indicators and identifications at every state', async () => {
    const r = await seedVillageIdentificationDemo(database.db, LIUYANG, YEAR + 1);
    expect(r.indicators).toBeGreaterThan(10);
    expect(r.identifications).toEqual({ applied: 2, townshipReviewed: 1, designated: 2, rejected: 2 });
    const states = await rows<{ state: string; n: number }>(sql`SELECT state, count(*)::int AS n FROM village_identifications WHERE year = ${YEAR + 1} GROUP BY state ORDER BY state`);
    expect(Object.fromEntries(states.map((s) => [s.state, s.n]))).toEqual({ applied: 2, designated: 2, rejected: 2, townshipReviewed: 1 });
    const d = await rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM poor_village_designations WHERE year = ${YEAR + 1}`);
    expect(d[0]!.n).toBe(2);
    const again = await seedVillageIdentificationDemo(database.db, LIUYANG, YEAR + 1);
    expect(again).toEqual({ indicators: 0, identifications: { applied: 0, townshipReviewed: 0, designated: 0, rejected: 0 } });
  });
});
