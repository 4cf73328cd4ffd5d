/**
 * Visits (走访记录) and visit monitoring (走访监测) on a hand-built fixture with known answers:
 * eleven households of 浏阳市 in two townships, three helpers, visits dated relative to today. The
 * "not visited" list and its counts per township, village and helper are checked for the county, the
 * township, a village clerk and a helper (scope for every role); the visit period follows the area's
 * settings (nearest area wins, as settingsFor); a visit is recorded with photos and refused when its
 * date, text or photos are wrong.
 */
import { inflateSync } from 'node:zlib';
import { eq, inArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../platform/db.ts';
import type { App } from '../../platform/http.ts';
import { resetDatabase } from '../../../test/db.ts';
import { expectError, expectIssue, MultipartBody, signInAdmin, signInAs, testApp, type Client } from '../../../test/http.ts';
import { CHENGXI, DAWEISHAN, HUAICHUAN, idNumberOf, LIUYANG, register, TONGXING, ZHONGYUE } from '../../../test/households.ts';
import { households } from '../households/schema.ts';
import { assistanceSettings, assistingUnits, helperAssignments, helpers, householdNeeds, visitPhotos, visits } from './schema.ts';
import { visitStatus } from './rules.ts';
import { settingsFor } from './settings.ts';
import { photoType, registeredOn } from './visits.ts';
import { seedVisitsDemo } from './visits-demo.ts';
import type { MyWorkspaceDto, VisitDto, VisitDueItem, VisitsDueSummaryDto } from './visits-contract.ts';
import type { Page } from '../../shared/paging.ts';
import { rowsOf } from '../../platform/db.ts';
import { scopePrefix } from '../../shared/area-code.ts';

/** Today in China Standard Time and `n` days before it (YYYY-MM-DD). */
const TODAY = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
const ago = (n: number) => new Date(Date.parse(`${TODAY}T00:00:00Z`) - n * 86_400_000).toISOString().slice(0, 10);

/** A 1×1 PNG (valid image) and a few bytes of JPEG and WebP headers (enough for the type check). */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(60)]);
const WEBP = Buffer.concat([Buffer.from('RIFF'), Buffer.from([0x24, 0, 0, 0]), Buffer.from('WEBPVP8 '), Buffer.alloc(40)]);

/** A multipart body with several files in the field "photos". */
class VisitBody extends MultipartBody {
  constructor(fields: Record<string, string>, photos: { fileName: string; content: Buffer; type?: string }[] = []) {
    super(fields);
    const parts: Buffer[] = [];
    for (const [k, v] of Object.entries(fields)) parts.push(Buffer.from(`--${this.boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
    for (const p of photos) {
      parts.push(
        Buffer.from(`--${this.boundary}\r\nContent-Disposition: form-data; name="photos"; filename="${p.fileName}"\r\nContent-Type: ${p.type ?? 'image/jpeg'}\r\n\r\n`),
        p.content,
        Buffer.from('\r\n'),
      );
    }
    parts.push(Buffer.from(`--${this.boundary}--\r\n`));
    (this as { payload: Buffer }).payload = Buffer.concat(parts);
  }
}

let app: App;
let database: Database;
let admin: Client;
let county: Client;
let township: Client;
let otherTownship: Client;
let clerkTongxing: Client;
let inspector: Client;
let helper1: Client & { userId: string };
let helper2: Client & { userId: string };
const H = { h1: '', h2: '', h3: '' };
/** The fixture's households by letter. */
const hh: Record<string, string> = {};

let n = 0;
async function household(letter: string, areaCode: string, householdType = 'registeredPoor'): Promise<string> {
  const i = n++;
  const poor = householdType !== 'ordinary';
  const created = await register(admin, {
    areaCode,
    householdType,
    status: householdType === 'monitored' ? 'monitored' : 'notExited',
    ...(poor ? { povertyAttribute: 'general', mainPovertyCause: 'illness', identificationYear: 2016 } : {}),
    members: [{ name: `走访户${letter}`, sex: 'male', idType: 'residentId', idNumber: idNumberOf(`19${60 + Math.floor(i / 12)}${String((i % 12) + 1).padStart(2, '0')}15`, '311'), relationToHead: 'head' }],
  });
  hh[letter] = created.id;
  return created.id;
}

async function visitOn(letter: string, date: string, helperId: string | null) {
  await database.db.insert(visits).values({ householdId: hh[letter]!, helperId, visitorName: '夹具走访人', visitDate: date, content: '了解家庭收入情况', recordedByName: '夹具' });
}

async function getJson<T>(c: Client, url: string): Promise<T> {
  const res = await c.request('GET', url);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as T;
}
const due = (c: Client, q = '') => getJson<Page<VisitDueItem>>(c, `/api/assistance/visits/due?pageSize=200${q}`);
const summary = (c: Client, q = '') => getJson<VisitsDueSummaryDto>(c, `/api/assistance/visits/due/summary${q ? `?${q}` : ''}`);
const heads = (p: Page<VisitDueItem>) => p.items.map((i) => i.headName.replace('走访户', ''));

/**
 * Holds the SQL of 走访监测 to the rule: every assisted household of the area read straight from the
 * tables (last visit, start of the current assignment, the period of its area by settingsFor), put
 * through rules.ts visitStatus in JavaScript, must give the same list (with daysSince and dueOn) and the
 * same counts as the county officer gets from the API.
 */
async function expectSqlFollowsRule(areaCode: string): Promise<{ overdue: number; households: number }> {
  const rows = rowsOf<{ id: string; area_code: string; last_visit: string | null; paired_on: string | null }>(
    await database.db.execute(sql`SELECT h.id, h.area_code,
        (SELECT max(v.visit_date)::text FROM visits v WHERE v.household_id = h.id) AS last_visit,
        (SELECT a.start_date::text FROM helper_assignments a WHERE a.household_id = h.id AND a.end_date IS NULL) AS paired_on
      FROM households h
      WHERE h.active AND h.household_type IN ('registeredPoor', 'monitored', 'relativePoor') AND h.area_code LIKE ${`${scopePrefix(areaCode)}%`}`),
  );
  const expected = new Map<string, ReturnType<typeof visitStatus>>();
  let never = 0;
  for (const r of rows) {
    const s = visitStatus(r.last_visit, TODAY, (await settingsFor(database.db, r.area_code)).visitPeriodDays, r.paired_on);
    if (s.overdue) expected.set(r.id, s);
    if (r.last_visit === null) never++;
  }
  const p = await due(county, `&areaCode=${areaCode}`);
  expect(p.total).toBe(expected.size);
  expect(new Set(p.items.map((i) => i.householdId))).toEqual(new Set(expected.keys()));
  for (const i of p.items) expect({ overdue: true, daysSince: i.daysSince, dueOn: i.dueOn }).toEqual(expected.get(i.householdId));
  const s = await summary(county, `areaCode=${areaCode}`);
  expect(s.total).toEqual({ households: rows.length, overdue: expected.size, neverVisited: never });
  return { overdue: expected.size, households: rows.length };
}

beforeAll(async () => {
  database = await resetDatabase();
  app = await testApp(database);
  admin = await signInAdmin(app);
  county = await signInAs(app, database, 'county_officer', LIUYANG);
  township = await signInAs(app, database, 'township_officer', DAWEISHAN);
  otherTownship = await signInAs(app, database, 'township_officer', HUAICHUAN);
  clerkTongxing = await signInAs(app, database, 'village_clerk', TONGXING);
  inspector = await signInAs(app, database, 'inspector', LIUYANG);
  helper1 = await signInAs(app, database, 'helper', DAWEISHAN);
  helper2 = await signInAs(app, database, 'helper', DAWEISHAN);

  const [unit] = await database.db.insert(assistingUnits).values({ name: '浏阳市测试局', kind: 'organ', level: 'county', areaCode: LIUYANG }).returning();
  const [h1] = await database.db.insert(helpers).values({ name: '帮扶人甲', unitId: unit!.id, areaCode: DAWEISHAN, userId: helper1.userId }).returning();
  const [h2] = await database.db.insert(helpers).values({ name: '帮扶人乙', unitId: unit!.id, areaCode: DAWEISHAN, userId: helper2.userId }).returning();
  const [h3] = await database.db.insert(helpers).values({ name: '帮扶人丙', unitId: unit!.id, areaCode: LIUYANG }).returning();
  Object.assign(H, { h1: h1!.id, h2: h2!.id, h3: h3!.id });

  // 中岳村: A–H; 同幸村: I, J; 城西社区 (淮川街道): K.
  for (const l of ['A', 'B', 'C', 'D', 'E', 'F']) await household(l, ZHONGYUE);
  await household('G', ZHONGYUE, 'ordinary');
  await household('H', ZHONGYUE);
  await household('I', TONGXING);
  await household('J', TONGXING, 'monitored');
  await household('K', CHENGXI);
  // H is removed from the registry: not listed any more.
  await database.db.update(households).set({ active: false, removedReason: '测试' }).where(eq(households.id, hh.H!));

  const assign = (l: string, helperId: string) => database.db.insert(helperAssignments).values({ householdId: hh[l]!, helperId, startDate: '2025-01-01' });
  for (const l of ['A', 'B', 'C']) await assign(l, H.h1);
  for (const l of ['D', 'E', 'I']) await assign(l, H.h2);
  for (const l of ['J', 'K']) await assign(l, H.h3);
  // B had helper 乙 before 甲: the ended assignment does not count.
  await database.db.insert(helperAssignments).values({ householdId: hh.B!, helperId: H.h2, startDate: '2024-01-01', endDate: '2024-12-31', endReason: '调整' });

  await visitOn('A', ago(10), H.h1);
  await visitOn('B', ago(100), H.h1);
  await visitOn('B', ago(45), H.h1);
  await visitOn('D', ago(31), H.h2);
  await visitOn('E', ago(30), H.h2);
  await visitOn('I', ago(60), H.h2);
  await visitOn('J', ago(5), H.h3);
  await visitOn('G', ago(400), null);
  // Needs of B: two not met (open, in progress), one met.
  await database.db.insert(householdNeeds).values([
    { householdId: hh.B!, category: 'employment', description: '就近务工', status: 'open', raisedOn: '2025-03-01' },
    { householdId: hh.B!, category: 'medical', description: '慢病报销', status: 'inProgress', raisedOn: '2025-03-01' },
    { householdId: hh.B!, category: 'housing', description: '屋顶修缮', status: 'met', raisedOn: '2025-03-01', metOn: '2025-05-01' },
  ]);
}, 120_000);

afterAll(async () => {
  await app?.close();
});

describe('the rules of a photo and of a visit date', () => {
  it('reads the type from the bytes, not the name', () => {
    expect(photoType(PNG)).toBe('image/png');
    expect(photoType(JPEG)).toBe('image/jpeg');
    expect(photoType(WEBP)).toBe('image/webp');
    expect(photoType(Buffer.from('GIF89a……'))).toBeNull();
    expect(photoType(Buffer.from('%PDF-1.4'))).toBeNull();
  });

  it('a household registered in 2016 may be visited from 2016-01-01; one without a year from the day it was created (China time)', () => {
    expect(registeredOn(2016, new Date('2026-03-01T02:00:00Z'))).toBe('2016-01-01');
    expect(registeredOn(null, new Date('2026-03-01T17:00:00Z'))).toBe('2026-03-02');
    expect(registeredOn(2027, new Date('2026-03-01T02:00:00Z'))).toBe('2026-03-01');
  });
});

describe('households not visited within the period (30 days by default)', () => {
  it('the county sees every overdue assisted household: never visited first, then the longest without a visit', async () => {
    const p = await due(county);
    // K (城西社区) sorts before 中岳村's C and F by area code; then I 60 days, B 45, D 31. E (30 days) is not overdue.
    expect(heads(p)).toEqual(['K', 'C', 'F', 'I', 'B', 'D']);
    expect(p.total).toBe(6);
    const b = p.items.find((i) => i.householdId === hh.B)!;
    expect(b).toMatchObject({ lastVisitDate: ago(45), daysSince: 45, dueOn: ago(15), visitPeriodDays: 30, helperId: H.h1, helperName: '帮扶人甲', villageName: '中岳村', townshipName: '大围山镇' });
    const f = p.items.find((i) => i.householdId === hh.F)!;
    expect(f).toMatchObject({ lastVisitDate: null, daysSince: null, dueOn: null, helperId: null, helperName: null });
  });

  it('counts per township, village and helper add up to the list', async () => {
    const s = await summary(county);
    expect(s).toMatchObject({ areaCode: LIUYANG, areaName: '浏阳市', asOf: TODAY, visitPeriodDays: 30, total: { households: 9, overdue: 6, neverVisited: 3 } });
    expect(s.byTownship).toEqual([
      { areaCode: HUAICHUAN, name: '淮川街道', households: 1, overdue: 1, neverVisited: 1 },
      { areaCode: DAWEISHAN, name: '大围山镇', households: 8, overdue: 5, neverVisited: 2 },
    ]);
    expect(s.byVillage.map((v) => [v.name, v.households, v.overdue, v.neverVisited])).toEqual([
      ['城西社区', 1, 1, 1],
      ['中岳村', 6, 4, 2],
      ['同幸村', 2, 1, 0],
    ]);
    const byHelper = Object.fromEntries(s.byHelper.map((h) => [h.name ?? '无帮扶人', [h.households, h.overdue, h.neverVisited]]));
    expect(byHelper).toEqual({ 帮扶人甲: [3, 2, 1], 帮扶人乙: [3, 2, 0], 帮扶人丙: [2, 1, 1], 无帮扶人: [1, 1, 1] });
    expect(s.byHelper.find((h) => h.name === '帮扶人甲')).toMatchObject({ helperId: H.h1, unitName: '浏阳市测试局' });
  });

  it('drills down: a township, then a village, then one helper’s households or those without a helper', async () => {
    const t = await summary(county, `areaCode=${DAWEISHAN}`);
    expect(t.total).toEqual({ households: 8, overdue: 5, neverVisited: 2 });
    expect(t.byVillage.map((v) => v.areaCode)).toEqual([ZHONGYUE, TONGXING]);
    expect(heads(await due(county, `&areaCode=${ZHONGYUE}`))).toEqual(['C', 'F', 'B', 'D']);
    expect(heads(await due(county, `&helperId=${H.h2}`))).toEqual(['I', 'D']);
    expect(heads(await due(county, '&helperId=none'))).toEqual(['F']);
    expect(heads(await due(county, '&neverVisited=true'))).toEqual(['K', 'C', 'F']);
    const v = await summary(county, `areaCode=${TONGXING}`);
    expect(v.byTownship).toEqual([]);
    expect(v.total).toEqual({ households: 2, overdue: 1, neverVisited: 0 });
  });

  it('is scoped for every role: the township, another township, a village clerk, a helper, an inspector', async () => {
    expect((await summary(township)).total).toEqual({ households: 8, overdue: 5, neverVisited: 2 });
    expect(heads(await due(township))).toEqual(['C', 'F', 'I', 'B', 'D']);
    expect(heads(await due(otherTownship))).toEqual(['K']);
    expect(heads(await due(clerkTongxing))).toEqual(['I']);
    expect((await summary(clerkTongxing)).total).toEqual({ households: 2, overdue: 1, neverVisited: 0 });
    // A helper sees only the households currently theirs, even in the township's counts.
    expect(heads(await due(helper1))).toEqual(['C', 'B']);
    const hs = await summary(helper1);
    expect(hs.total).toEqual({ households: 3, overdue: 2, neverVisited: 1 });
    expect(hs.byHelper.map((h) => h.name)).toEqual(['帮扶人甲']);
    expect((await summary(inspector)).total.overdue).toBe(6);
    // An area outside the scope is not found.
    expectError(await township.request('GET', `/api/assistance/visits/due?areaCode=${CHENGXI}`), 404, 'NOT_FOUND');
    expectError(await clerkTongxing.request('GET', `/api/assistance/visits/due/summary?areaCode=${ZHONGYUE}`), 404, 'NOT_FOUND');
  });

  it('uses the period of the household’s area: the nearest area with settings wins, as settingsFor', async () => {
    await database.db.insert(assistanceSettings).values([
      { areaCode: LIUYANG, visitPeriodDays: 40, maxHouseholdsPerHelper: 10 },
      { areaCode: TONGXING, visitPeriodDays: 90, maxHouseholdsPerHelper: 10 },
    ]);
    try {
      expect((await settingsFor(database.db, ZHONGYUE)).visitPeriodDays).toBe(40);
      expect((await settingsFor(database.db, TONGXING)).visitPeriodDays).toBe(90);
      const p = await due(county);
      // D (31 days) is no longer overdue under 40 days, nor I (60 days) under 同幸村's 90; B (45) still is.
      expect(heads(p)).toEqual(['K', 'C', 'F', 'B']);
      expect(p.items.find((i) => i.householdId === hh.B)).toMatchObject({ visitPeriodDays: 40, dueOn: ago(5) });
      expect((await summary(county)).visitPeriodDays).toBe(40);
      expect((await summary(county, `areaCode=${TONGXING}`)).visitPeriodDays).toBe(90);
      expect((await summary(township)).total).toEqual({ households: 8, overdue: 3, neverVisited: 2 });
      expect(await expectSqlFollowsRule(LIUYANG)).toEqual({ households: 9, overdue: 4 });
    } finally {
      await database.db.delete(assistanceSettings);
    }
  });
});

describe('my households (我的帮扶户)', () => {
  it('a helper sees their current households: overdue first, last visit, due date, needs not met', async () => {
    const w = await getJson<MyWorkspaceDto>(helper1, '/api/assistance/my');
    expect(w.helper).toEqual({ id: H.h1, name: '帮扶人甲', unitName: '浏阳市测试局' });
    expect(w.summary).toEqual({ households: 3, visitsDue: 2, needsOpen: 2 });
    expect(w.items.map((i) => [i.headName, i.overdue, i.lastVisitDate, i.daysSince, i.dueOn, i.openNeeds])).toEqual([
      // C, paired on 2025-01-01 and never visited, was due a period after the pairing.
      ['走访户C', true, null, null, '2025-01-31', 0],
      ['走访户B', true, ago(45), 45, ago(15), 2],
      ['走访户A', false, ago(10), 10, addDays(ago(10), 30), 0],
    ]);
    expect(w.items[0]).toMatchObject({ villageName: '中岳村', townshipName: '大围山镇', assignedOn: '2025-01-01', visitPeriodDays: 30, memberCount: 1 });
  });

  it('an account without a helper record gets an empty workspace, not an error', async () => {
    const w = await getJson<MyWorkspaceDto>(township, '/api/assistance/my');
    expect(w).toEqual({ helper: null, asOf: TODAY, summary: { households: 0, visitsDue: 0, needsOpen: 0 }, items: [] });
  });
});

describe('a household not yet visited counts from its pairing with the current helper', () => {
  // L (同幸村) paired with 甲 10 days ago, M (城西社区) with 丙 31 days ago, neither visited; N (城西社区)
  // without a helper, never visited; O (城西社区) paired with 丙 5 days ago but last visited 50 days ago.
  beforeAll(async () => {
    await household('L', TONGXING);
    await household('M', CHENGXI);
    await household('N', CHENGXI, 'relativePoor');
    await household('O', CHENGXI);
    await database.db.insert(helperAssignments).values([
      { householdId: hh.L!, helperId: H.h1, startDate: ago(10) },
      { householdId: hh.M!, helperId: H.h3, startDate: ago(31) },
      { householdId: hh.O!, helperId: H.h3, startDate: ago(5) },
    ]);
    await visitOn('O', ago(50), null);
  });
  // Removed again so that the tests below see the first fixture.
  afterAll(async () => {
    await database.db.update(households).set({ active: false, removedReason: '测试' }).where(inArray(households.id, [hh.L!, hh.M!, hh.N!, hh.O!]));
  });

  it('paired 10 days ago and not visited is not overdue; paired 31 days ago is; without a helper it is at once', async () => {
    const p = await due(county);
    expect(heads(p)).toEqual(['K', 'M', 'N', 'C', 'F', 'I', 'O', 'B', 'D']);
    expect(p.items.find((i) => i.householdId === hh.M)).toMatchObject({ lastVisitDate: null, daysSince: null, dueOn: ago(1), helperName: '帮扶人丙' });
    expect(p.items.find((i) => i.householdId === hh.N)).toMatchObject({ lastVisitDate: null, daysSince: null, dueOn: null, helperId: null });
    // The last visit counts even when older than the pairing.
    expect(p.items.find((i) => i.householdId === hh.O)).toMatchObject({ lastVisitDate: ago(50), daysSince: 50, dueOn: ago(20) });
    expect(heads(await due(county, '&helperId=none'))).toEqual(['N', 'F']);
    expect(heads(await due(otherTownship))).toEqual(['K', 'M', 'N', 'O']);
    expect(heads(await due(helper1))).toEqual(['C', 'B']);
  });

  it('the counts per township, village and helper still add up', async () => {
    const s = await summary(county);
    expect(s.total).toEqual({ households: 13, overdue: 9, neverVisited: 6 });
    expect(s.byTownship).toEqual([
      { areaCode: HUAICHUAN, name: '淮川街道', households: 4, overdue: 4, neverVisited: 3 },
      { areaCode: DAWEISHAN, name: '大围山镇', households: 9, overdue: 5, neverVisited: 3 },
    ]);
    expect(s.byVillage.map((v) => [v.name, v.households, v.overdue, v.neverVisited])).toEqual([
      ['城西社区', 4, 4, 3],
      ['中岳村', 6, 4, 2],
      ['同幸村', 3, 1, 1],
    ]);
    const byHelper = Object.fromEntries(s.byHelper.map((h) => [h.name ?? '无帮扶人', [h.households, h.overdue, h.neverVisited]]));
    expect(byHelper).toEqual({ 帮扶人甲: [4, 2, 2], 帮扶人乙: [3, 2, 0], 帮扶人丙: [4, 3, 2], 无帮扶人: [2, 2, 2] });
    for (const groups of [s.byTownship, s.byVillage, s.byHelper]) {
      for (const k of ['households', 'overdue', 'neverVisited'] as const) expect(groups.reduce((n, g) => n + g[k], 0)).toBe(s.total[k]);
    }
    expect((await summary(helper1)).total).toEqual({ households: 4, overdue: 2, neverVisited: 2 });
  });

  it('the helper’s workspace: the household paired 10 days ago is due 20 days from now, not overdue', async () => {
    const w = await getJson<MyWorkspaceDto>(helper1, '/api/assistance/my');
    expect(w.summary).toEqual({ households: 4, visitsDue: 2, needsOpen: 2 });
    expect(w.items.map((i) => [i.headName, i.overdue, i.lastVisitDate, i.dueOn])).toEqual([
      ['走访户C', true, null, '2025-01-31'],
      ['走访户B', true, ago(45), ago(15)],
      ['走访户L', false, null, addDays(ago(10), 30)],
      ['走访户A', false, ago(10), addDays(ago(10), 30)],
    ]);
  });

  it('the SQL of 走访监测 lists and counts what visitStatus says, for the county and each township', async () => {
    expect(await expectSqlFollowsRule(LIUYANG)).toEqual({ households: 13, overdue: 9 });
    expect(await expectSqlFollowsRule(HUAICHUAN)).toEqual({ households: 4, overdue: 4 });
    expect(await expectSqlFollowsRule(DAWEISHAN)).toEqual({ households: 9, overdue: 5 });
  });
});

function addDays(d: string, days: number) {
  return new Date(Date.parse(`${d}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

describe('recording a visit with photos', () => {
  const form = (letter: string, extra: Record<string, string> = {}) => ({ householdId: hh[letter]!, visitDate: TODAY, content: '宣讲教育资助政策，了解孩子上学情况', ...extra });

  it('a helper records on their household: the visitor is their helper record, the photos are kept with their types, one audit event', async () => {
    const res = await helper1.request(
      'POST',
      '/api/assistance/visits',
      new VisitBody(form('A', { problems: '屋顶漏雨' }), [
        { fileName: 'IMG_0001.jpg', content: PNG, type: 'image/jpeg' },
        { fileName: 'photo.png', content: WEBP },
      ]),
    );
    expect(res.statusCode, res.body).toBe(201);
    const v = res.json() as VisitDto;
    expect(v).toMatchObject({ householdId: hh.A, helperId: H.h1, visitorName: '帮扶人甲', visitDate: TODAY, problems: '屋顶漏雨', headName: '走访户A', villageName: '中岳村' });
    expect(v.photos.map((p) => [p.mimeType, p.sizeBytes])).toEqual([
      ['image/png', PNG.length],
      ['image/webp', WEBP.length],
    ]);
    const photo = await helper1.request('GET', v.photos[0]!.url);
    expect(photo.statusCode).toBe(200);
    expect(photo.headers['content-type']).toBe('image/png');
    expect(String(photo.headers['cache-control'])).toMatch(/^private/);
    expect(photo.rawPayload.equals(PNG)).toBe(true);
    // Scoped like the household: the township reads it, another township and another helper do not.
    expect((await township.request('GET', v.photos[1]!.url)).headers['content-type']).toBe('image/webp');
    expectError(await otherTownship.request('GET', v.photos[0]!.url), 404, 'NOT_FOUND');
    expectError(await helper2.request('GET', v.photos[0]!.url), 404, 'NOT_FOUND');
    expectError(await helper1.request('GET', `/api/assistance/visits/${v.id}/photos/${v.id}`), 404, 'NOT_FOUND');

    const audit = await getJson<{ items: { action: string; targetType: string; after: { photos: unknown[] } }[] }>(county, `/api/audit?targetId=${v.id}`);
    expect(audit.items).toHaveLength(1);
    expect(audit.items[0]).toMatchObject({ action: 'assistance.record', targetType: 'visit' });
    expect(audit.items[0]!.after.photos).toHaveLength(2);
  });

  it('an officer records without a helper record: the visitor is named by the account', async () => {
    const res = await township.request('POST', '/api/assistance/visits', new VisitBody(form('A', { visitDate: ago(1) })));
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ helperId: null, visitorName: '测试township_officer', photos: [] });
  });

  it('the household’s visits and a helper’s visits, newest first', async () => {
    const p = await getJson<Page<VisitDto>>(county, `/api/assistance/visits?householdId=${hh.A}`);
    expect(p.items.map((v) => [v.visitDate, v.visitorName])).toEqual([
      [TODAY, '帮扶人甲'],
      [ago(1), '测试township_officer'],
      [ago(10), '夹具走访人'],
    ]);
    expect(p.items[0]!.photos).toHaveLength(2);
    const byHelper = await getJson<Page<VisitDto>>(county, `/api/assistance/visits?helperId=${H.h2}`);
    expect(byHelper.items.map((v) => v.headName)).toEqual(['走访户E', '走访户D', '走访户I']);
    // A helper lists only the visits of their current households.
    const mine = await getJson<Page<VisitDto>>(helper1, '/api/assistance/visits?pageSize=50');
    expect(new Set(mine.items.map((v) => v.headName))).toEqual(new Set(['走访户A', '走访户B']));
    expect((await getJson<Page<VisitDto>>(clerkTongxing, '/api/assistance/visits')).total).toBe(2);
    expectError(await helper1.request('GET', `/api/assistance/visits?householdId=${hh.D}`), 404, 'NOT_FOUND');
    expectError(await otherTownship.request('GET', `/api/assistance/visits?householdId=${hh.A}`), 404, 'NOT_FOUND');
  });

  it('a helper may not record on a household that is not theirs; an inspector may not record at all', async () => {
    expectError(await helper1.request('POST', '/api/assistance/visits', new VisitBody(form('D'))), 404, 'NOT_FOUND');
    expectError(await otherTownship.request('POST', '/api/assistance/visits', new VisitBody(form('A'))), 404, 'NOT_FOUND');
    expectError(await inspector.request('POST', '/api/assistance/visits', new VisitBody(form('A'))), 403, 'FORBIDDEN');
  });

  it('refuses a date in the future or before the household’s registration, and a visit without content', async () => {
    const future = expectIssue(await helper1.request('POST', '/api/assistance/visits', new VisitBody(form('A', { visitDate: addDays(TODAY, 1) }))), ['visitDate']);
    expect(future.details.issues![0]!.message).toMatch(/不能晚于今天/);
    const early = expectIssue(await helper1.request('POST', '/api/assistance/visits', new VisitBody(form('A', { visitDate: '2015-12-31' }))), ['visitDate']);
    expect(early.details.issues![0]!.message).toBe('走访日期不能早于该户建档日期（2016-01-01）');
    expectIssue(await helper1.request('POST', '/api/assistance/visits', new VisitBody(form('A', { visitDate: '2026-02-30' }))), ['visitDate']);
    const empty = expectIssue(await helper1.request('POST', '/api/assistance/visits', new VisitBody(form('A', { content: '   ' }))), ['content']);
    expect(empty.details.issues![0]!.message).toBe('请填写走访内容');
  });

  it('refuses a file that is not a photo, a sixth photo, and a photo over 5 MB — naming the photo — and stores nothing', async () => {
    const before = (await database.db.select({ n: sql<number>`count(*)::int` }).from(visits))[0]!.n;
    const notPhoto = expectIssue(
      await helper1.request('POST', '/api/assistance/visits', new VisitBody(form('A'), [{ fileName: 'ok.png', content: PNG }, { fileName: '户口本.jpg', content: Buffer.from('%PDF-1.4 not a photo') }])),
      ['photos', 1],
    );
    expect(notPhoto.details.issues![0]!.message).toBe('第 2 张照片“户口本.jpg”不是 JPEG、PNG 或 WebP 图片');
    const six = Array.from({ length: 6 }, (_, i) => ({ fileName: `p${i}.png`, content: PNG }));
    expectIssue(await helper1.request('POST', '/api/assistance/visits', new VisitBody(form('A'), six)), ['photos']);
    expectIssue(await helper1.request('POST', '/api/assistance/visits', new VisitBody(form('A'), [...six, { fileName: 'p7.png', content: PNG }])), ['photos']);
    const big = Buffer.concat([JPEG, Buffer.alloc(5 * 1024 * 1024)]);
    const e = expectError(await helper1.request('POST', '/api/assistance/visits', new VisitBody(form('A'), [{ fileName: 'small.jpg', content: JPEG }, { fileName: '大图.jpg', content: big }])), 413, 'PAYLOAD_TOO_LARGE');
    expect(e.message).toMatch(/第 2 张照片“大图.jpg”超过 5 MB/);
    expect(e.details.issues![0]!.path).toEqual(['photos', 1]);
    const after = (await database.db.select({ n: sql<number>`count(*)::int` }).from(visits))[0]!.n;
    expect(after).toBe(before);
    expect((await database.db.select({ n: sql<number>`count(*)::int` }).from(visitPhotos))[0]!.n).toBe(2);
  });
});

describe('the demo’s visits', () => {
  it('visits most households with a helper, leaves some never visited, and draws valid PNG photos', async () => {
    const result = await seedVisitsDemo(database.db, { countyCode: LIUYANG, townshipCode: DAWEISHAN, helperUserId: helper1.userId, teamUserId: null, year: Number(TODAY.slice(0, 4)), seed: 7 });
    const rows = await database.db.select().from(visits).where(eq(visits.visitorName, '帮扶人甲'));
    // The demo helper's first household (A, by 户编号) is left unvisited on purpose; C gets recent visits with a photo.
    expect(rows.filter((v) => v.householdId === hh.A && v.recordedByName === '帮扶人甲' && v.visitDate !== TODAY)).toHaveLength(0);
    const c = rows.filter((v) => v.householdId === hh.C).sort((a, b) => b.visitDate.localeCompare(a.visitDate));
    expect(c.length).toBeGreaterThan(1);
    expect(c[0]!.visitDate > ago(28)).toBe(true);
    const [photo] = await database.db.select().from(visitPhotos).where(eq(visitPhotos.visitId, c[0]!.id));
    expect(photoType(photo!.data)).toBe('image/png');
    // IHDR 160×120 RGB, and the pixel rows inflate to (1 + 160·3)·120 bytes.
    expect([photo!.data.readUInt32BE(16), photo!.data.readUInt32BE(20)]).toEqual([160, 120]);
    const idat = photo!.data.indexOf('IDAT');
    expect(inflateSync(photo!.data.subarray(idat + 4, idat + 4 + photo!.data.readUInt32BE(idat - 4))).length).toBe(481 * 120);
    expect(result.visits).toBeGreaterThan(5);
    expect(result.visitPhotos).toBeGreaterThanOrEqual(1);
    // Every household left unvisited was paired long ago (2025-01-01) or has no helper: all of them are overdue.
    const never = await due(township, '&neverVisited=true');
    expect(result.householdsNotVisited).toBe(never.total);
    await expectSqlFollowsRule(DAWEISHAN);
    expect(heads(never)).toContain('F');
  });
});
