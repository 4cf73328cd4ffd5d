/**
 * The yearly adjustment round and its events (动态调整), through the API as the pages use it: each event
 * changes the registry and writes its event in one transaction; a refused change writes neither.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { resetDatabase } from '../../../test/db.ts';
import { expectError, expectIssue, signInAs, testApp, type Client } from '../../../test/http.ts';
import { read, register, TONGXING, ZHONGYUE } from '../../../test/households.ts';
import { householdBody, member } from '../../../test/people.ts';
import { rowsOf, sql, type Database } from '../../platform/db.ts';
import type { App } from '../../platform/http.ts';
import { SYSTEM_ACTOR } from '../../platform/auth.ts';
import { currentYear } from '../areas/index.ts';
import { seedHouseholds, todayCst } from '../households/index.ts';
import type { AreaEventCountsDto, HouseholdEventDto, RecordEventResultDto, RoundDto, RoundProgressDto } from './adjustment-contract.ts';
import { countHouseholdEvents, recordHouseholdEvent, seedAdjustmentDemo } from './adjustment.ts';

const LIUYANG = '430181000000';
const DAWEISHAN = '430181125000';
const YEAR = currentYear();
type HouseholdDto = Awaited<ReturnType<typeof read>>;

let database: Database;
let app: App;
let county: Client;
let township: Client;
let clerk: Client;
let otherClerk: Client;
let round: RoundDto;

async function rows<T>(q: ReturnType<typeof sql>): Promise<T[]> {
  return rowsOf<T>(await database.db.execute(q));
}
async function eventsOf(householdId: string) {
  return rows<{ kind: string; year: number; round_id: string | null; area_code: string; reason: string | null; details: Record<string, unknown> | null; on_date: string }>(
    sql`SELECT kind, year, round_id, area_code, reason, details, on_date::text FROM household_events WHERE household_id = ${householdId} ORDER BY at`,
  );
}
async function eventCount(): Promise<number> {
  return (await rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM household_events`))[0]!.n;
}
function post(c: Client, body: unknown) {
  return c.request('POST', '/api/identification/household-events', body);
}
async function recorded(c: Client, body: unknown): Promise<RecordEventResultDto> {
  const res = await post(c, body);
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as RecordEventResultDto;
}

beforeAll(async () => {
  database = await resetDatabase();
  app = await testApp(database);
  county = await signInAs(app, database, 'county_officer', LIUYANG);
  township = await signInAs(app, database, 'township_officer', DAWEISHAN);
  clerk = await signInAs(app, database, 'village_clerk', ZHONGYUE);
  otherClerk = await signInAs(app, database, 'village_clerk', TONGXING);
});

describe('the yearly round', () => {
  it('is opened by the county with a deadline, at most one per county and year, one open at a time', async () => {
    const deadline = `${YEAR}-12-31` >= todayCst() ? `${YEAR}-12-31` : todayCst();
    expectError(await township.request('POST', '/api/identification/adjustment-rounds', { areaCode: LIUYANG, year: YEAR, deadline }), 403, 'FORBIDDEN');
    expectIssue(await county.request('POST', '/api/identification/adjustment-rounds', { areaCode: DAWEISHAN, year: YEAR, deadline }), ['areaCode']);
    expectIssue(await county.request('POST', '/api/identification/adjustment-rounds', { areaCode: LIUYANG, year: YEAR, deadline: '2020-01-01' }), ['deadline']);
    const res = await county.request('POST', '/api/identification/adjustment-rounds', { areaCode: LIUYANG, year: YEAR, deadline, note: '年度动态调整' });
    expect(res.statusCode, res.body).toBe(201);
    round = res.json() as RoundDto;
    expect(round).toMatchObject({ areaCode: LIUYANG, countyName: '浏阳市', year: YEAR, deadline, open: true });
    expect(round.daysLeft).toBeGreaterThanOrEqual(0);
    const again = expectError(await county.request('POST', '/api/identification/adjustment-rounds', { areaCode: LIUYANG, year: YEAR, deadline }), 409, 'CONFLICT');
    expect(again.message).toMatch(/每县每年只有一轮/);
    const next = expectError(await county.request('POST', '/api/identification/adjustment-rounds', { areaCode: LIUYANG, year: YEAR + 1, deadline: `${YEAR + 1}-06-30` }), 409, 'CONFLICT');
    expect(next.message).toMatch(/尚未结束/);
    const audit = await rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM audit_events WHERE action = 'identification.round' AND target_id = ${round.id}`);
    expect(audit[0]!.n).toBe(1);
  });

  it('is visible to the township and the village of the county', async () => {
    const list = (await clerk.request('GET', '/api/identification/adjustment-rounds')).json() as { items: RoundDto[] };
    expect(list.items.map((r) => r.id)).toEqual([round.id]);
  });
});

describe('events with their registry change, in one transaction', () => {
  let a: HouseholdDto;

  beforeAll(async () => {
    a = await register(clerk, householdBody());
  });

  it('memberAdded: a birth adds the member and writes the event of the round', async () => {
    const baby = member('测试新生', 'grandson', todayCst().replaceAll('-', ''), 'male');
    const r = await recorded(clerk, { kind: 'memberAdded', householdId: a.id, version: a.version, reason: 'birth', member: baby });
    expect(r.household).toMatchObject({ id: a.id, memberCount: 5, version: a.version + 1 });
    expect(r.event).toMatchObject({ kind: 'memberAdded', year: YEAR, roundId: round.id, areaCode: ZHONGYUE, reason: 'birth', onDate: todayCst(), householdNo: a.householdNo });
    const after = await read(clerk, a.id);
    expect(after.members.find((m) => m.name === '测试新生')).toMatchObject({ status: 'active', changeReason: 'birth' });
    const history = await rows<{ change: string }>(sql`SELECT change FROM household_versions WHERE household_id = ${a.id} ORDER BY version DESC LIMIT 1`);
    expect(history[0]!.change).toBe('members.add');
    const audit = await rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM audit_events WHERE action = 'identification.adjust' AND target_id = ${a.id}`);
    expect(audit[0]!.n).toBe(1);
    a = after;
  });

  it('a refused registry change writes no event: a person already in another household, a stale version', async () => {
    const before = await eventCount();
    const other = await register(clerk, householdBody());
    // The card masks ID numbers; the full view gives the other household's head's number for the clash.
    const full = await read(clerk, other.id, '?full=true');
    const head = full.members[0]!;
    const clash = await post(clerk, { kind: 'memberAdded', householdId: a.id, version: a.version, reason: 'marriageIn', member: { name: head.name, sex: head.sex, idType: 'residentId', idNumber: head.idNumber, relationToHead: 'daughterInLaw' } });
    expectError(clash, 409, 'CONFLICT');
    expectError(await post(clerk, { kind: 'memberAdded', householdId: a.id, version: a.version - 1, reason: 'birth', member: member('过期', 'grandson', '20240101', 'male') }), 409, 'STALE_EDIT');
    const ownHead = a.members.find((m) => m.relationToHead === 'head')!;
    expectError(await post(clerk, { kind: 'memberRemoved', householdId: a.id, version: a.version, reason: 'death', memberId: ownHead.id, deceasedDate: todayCst() }), 409, 'CONFLICT');
    expect(await eventCount()).toBe(before);
    expect((await read(clerk, a.id)).version).toBe(a.version);
  });

  it('memberAdded checks the member form with field paths', async () => {
    expectIssue(await post(clerk, { kind: 'memberAdded', householdId: a.id, version: a.version, reason: 'birth', member: { name: '无证件' } }), ['member', 'idNumber']);
    expectIssue(await post(clerk, { kind: 'memberAdded', householdId: a.id, version: a.version, reason: 'death', member: member('原因不对', 'son', '20100101', 'male') }), ['reason']);
  });

  it('memberRemoved: a death removes the member with its reason and writes the event', async () => {
    const spouse = a.members.find((m) => m.relationToHead === 'spouse')!;
    const r = await recorded(township, { kind: 'memberRemoved', householdId: a.id, version: a.version, reason: 'death', memberId: spouse.id, deceasedDate: todayCst(), note: '病故' });
    expect(r.household.memberCount).toBe(a.memberCount - 1);
    expect(r.event).toMatchObject({ kind: 'memberRemoved', reason: 'death', details: { memberId: spouse.id, memberName: spouse.name } });
    const after = await read(clerk, a.id);
    expect(after.members.find((m) => m.id === spouse.id)).toMatchObject({ status: 'removed', changeReason: 'death', alive: false });
    a = after;
  });

  it('split: the chosen members form a new household of the village with the next 户编号; both get a history version', async () => {
    const son = a.members.find((m) => m.relationToHead === 'son' && m.status === 'active')!;
    expectIssue(await post(clerk, { kind: 'split', householdId: a.id, version: a.version, members: [{ memberId: son.id, relationToHead: 'son' }] }), ['members']);
    const r = await recorded(clerk, { kind: 'split', householdId: a.id, version: a.version, members: [{ memberId: son.id, relationToHead: 'head' }], reason: '成家分户', groupName: '四组' });
    expect(r.created).not.toBeNull();
    const created = await read(clerk, r.created!.id);
    expect(created).toMatchObject({ areaCode: ZHONGYUE, headName: son.name, memberCount: 1, groupName: '四组', householdType: a.householdType, status: a.status });
    expect(Number(created.householdNo.slice(-4))).toBeGreaterThan(Number(a.householdNo.slice(-4)));
    expect(created.householdNo.slice(0, 12)).toBe(ZHONGYUE);
    const from = await read(clerk, a.id);
    expect(from.memberCount).toBe(a.memberCount - 1);
    expect(from.members.find((m) => m.id === son.id)).toMatchObject({ status: 'removed', changeReason: 'householdSplit' });
    const versions = await rows<{ household_id: string; change: string }>(sql`SELECT household_id, change FROM household_versions WHERE change IN ('household.split', 'household.split-from')`);
    expect(versions.map((v) => [v.household_id, v.change]).sort()).toEqual([[a.id, 'household.split'], [created.id, 'household.split-from']].sort());
    const ids = await rows<{ household_id: string }>(sql`SELECT household_id FROM person_identities WHERE member_id = ${created.members[0]!.id}`);
    expect(ids).toEqual([{ household_id: created.id }]);
    expect((await eventsOf(a.id)).at(-1)).toMatchObject({ kind: 'split', reason: '成家分户', details: { newHouseholdId: created.id, newHouseholdNo: created.householdNo } });
    a = from;
  });

  it('merged: every member moves into the other household and the emptied one is removed with the reason', async () => {
    const small = await register(clerk, { ...householdBody(), members: [member('独居老人', 'head', '19400101', 'male')] });
    const into = await read(clerk, a.id);
    const res = await recorded(clerk, {
      kind: 'merged',
      householdId: small.id,
      version: small.version,
      intoHouseholdId: into.id,
      intoVersion: into.version,
      relations: [{ memberId: small.members[0]!.id, relationToHead: 'father' }],
      reason: '投靠儿子',
    });
    expect(res.household).toMatchObject({ id: small.id, active: false });
    expect(res.event).toMatchObject({ kind: 'merged', reason: '投靠儿子', details: { intoHouseholdId: into.id, intoHouseholdNo: into.householdNo } });
    const after = await read(clerk, into.id);
    expect(after.memberCount).toBe(into.memberCount + 1);
    expect(after.members.find((m) => m.name === '独居老人')).toMatchObject({ relationToHead: 'father', status: 'active' });
    const gone = await read(clerk, small.id);
    expect(gone).toMatchObject({ active: false, removedReason: `并入户 ${into.householdNo}：投靠儿子` });
    a = after;
  });

  it('cleared (清退) needs a reason and takes the household off the poor registry', async () => {
    const h = await register(clerk, householdBody());
    const before = await eventCount();
    expectIssue(await post(clerk, { kind: 'cleared', householdId: h.id, version: h.version }), ['reason']);
    expectIssue(await post(clerk, { kind: 'cleared', householdId: h.id, version: h.version, reason: '  ' }), ['reason']);
    expect(await eventCount()).toBe(before);
    const r = await recorded(clerk, { kind: 'cleared', householdId: h.id, version: h.version, reason: '家庭成员为财政供养人员' });
    expect(r.household.householdType).toBe('ordinary');
    expect(r.event).toMatchObject({ kind: 'cleared', reason: '家庭成员为财政供养人员', details: { householdTypeBefore: 'registeredPoor' } });
    const again = expectError(await post(clerk, { kind: 'cleared', householdId: h.id, version: r.household.version, reason: '再次' }), 409, 'CONFLICT');
    expect(again.message).toMatch(/不在贫困户名单中/);
    expect(await eventCount()).toBe(before + 1);
  });

  it('returned (返贫) only from an exited household, with a reason', async () => {
    const h = await register(clerk, householdBody());
    const before = await eventCount();
    const refused = expectError(await post(clerk, { kind: 'returned', householdId: h.id, version: h.version, reason: '突发大病' }), 409, 'CONFLICT');
    expect(refused.message).toMatch(/只有已脱贫的户/);
    expect(await eventCount()).toBe(before);
    const exited = await county.request('PATCH', `/api/households/${h.id}`, { version: h.version, status: 'exited', householdType: 'exited' });
    expect(exited.statusCode, exited.body).toBe(200);
    const v = (exited.json() as HouseholdDto).version;
    expectIssue(await post(clerk, { kind: 'returned', householdId: h.id, version: v }), ['reason']);
    const r = await recorded(clerk, { kind: 'returned', householdId: h.id, version: v, reason: '突发大病，医疗支出大', mainPovertyCause: 'illness' });
    expect(r.household).toMatchObject({ status: 'returned', householdType: 'registeredPoor' });
    expect(r.event).toMatchObject({ kind: 'returned', details: { statusBefore: 'exited', householdTypeBefore: 'exited' } });
  });

  it('an event on a household outside the clerk’s village is not found; a future date is refused', async () => {
    expectError(await post(otherClerk, { kind: 'cleared', householdId: a.id, version: a.version, reason: 'x' }), 404, 'NOT_FOUND');
    const tomorrow = new Date(Date.parse(`${todayCst()}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    expectIssue(await post(clerk, { kind: 'cleared', householdId: a.id, version: a.version, reason: 'x', onDate: tomorrow }), ['onDate']);
  });

  it('lists a household’s events and a scope’s events, newest first, paged', async () => {
    const mine = (await clerk.request('GET', `/api/identification/household-events?householdId=${a.id}`)).json() as { items: HouseholdEventDto[]; total: number };
    expect(mine.items.map((e) => e.kind).sort()).toEqual(['memberAdded', 'memberRemoved', 'split'].sort());
    const all = (await county.request('GET', `/api/identification/household-events?year=${YEAR}&pageSize=2`)).json() as { items: HouseholdEventDto[]; total: number };
    expect(all.total).toBe(await eventCount());
    expect(all.items).toHaveLength(2);
    const none = (await otherClerk.request('GET', '/api/identification/household-events')).json() as { total: number };
    expect(none.total).toBe(0);
    expectError(await otherClerk.request('GET', `/api/identification/household-events?householdId=${a.id}`), 404, 'NOT_FOUND');
  });

  it('a village clerk lists the round’s events of the own village, with or without its area (as the page asks); the county is not theirs', async () => {
    const inVillage = (await rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM household_events WHERE area_code = ${ZHONGYUE} AND year = ${YEAR}`))[0]!.n;
    expect(inVillage).toBeGreaterThan(0);
    for (const url of [`/api/identification/household-events?year=${YEAR}&page=1&pageSize=10`, `/api/identification/household-events?areaCode=${ZHONGYUE}&year=${YEAR}&page=1&pageSize=10`]) {
      const res = await clerk.request('GET', url);
      expect(res.statusCode, res.body).toBe(200);
      const page = res.json() as { items: HouseholdEventDto[]; total: number };
      expect(page.total).toBe(inVillage);
      expect(page.items.every((e) => e.year === YEAR)).toBe(true);
    }
    const byTownship = await township.request('GET', `/api/identification/household-events?areaCode=${DAWEISHAN}&year=${YEAR}`);
    expect(byTownship.statusCode, byTownship.body).toBe(200);
    expectError(await clerk.request('GET', `/api/identification/household-events?areaCode=${LIUYANG}&year=${YEAR}`), 404, 'NOT_FOUND');
  });
});

describe('counts and progress', () => {
  it('counts each kind per child area and year (statistics)', async () => {
    const byTownship = await countHouseholdEvents(database.db, LIUYANG, YEAR);
    expect(byTownship).toEqual([{ areaCode: DAWEISHAN, counts: { newEntry: 0, memberAdded: 1, memberRemoved: 1, split: 1, merged: 1, cleared: 1, returned: 1 } }]);
    expect(await countHouseholdEvents(database.db, DAWEISHAN, YEAR)).toEqual([{ areaCode: ZHONGYUE, counts: byTownship[0]!.counts }]);
    expect(await countHouseholdEvents(database.db, ZHONGYUE, YEAR)).toEqual([{ areaCode: ZHONGYUE, counts: byTownship[0]!.counts }]);
    expect(await countHouseholdEvents(database.db, LIUYANG, YEAR - 1)).toEqual([]);
    const res = (await township.request('GET', `/api/identification/household-events/counts?year=${YEAR}`)).json() as AreaEventCountsDto;
    expect(res.areaCode).toBe(DAWEISHAN);
    expect(res.rows.find((r) => r.areaCode === ZHONGYUE)).toMatchObject({ name: '中岳村', counts: { split: 1, cleared: 1 } });
    expect(res.rows.find((r) => r.areaCode === TONGXING)!.counts.split).toBe(0);
    expect(res.totals).toEqual(byTownship[0]!.counts);
  });

  it('shows the round’s progress per village: counts, batches, done by the deadline', async () => {
    const p = (await township.request('GET', `/api/identification/adjustment-rounds/${round.id}`)).json() as RoundProgressDto;
    expect(p.villages.every((v) => v.areaCode.startsWith('430181125'))).toBe(true);
    const zy = p.villages.find((v) => v.areaCode === ZHONGYUE)!;
    expect(zy).toMatchObject({ villageName: '中岳村', townshipName: '大围山镇', done: true, batchesSubmitted: 0, counts: { memberAdded: 1, merged: 1 } });
    expect(p.villages.find((v) => v.areaCode === TONGXING)!.done).toBe(false);
    expect(p.totals).toMatchObject({ villages: p.villages.length, done: 1 });
    const whole = (await county.request('GET', `/api/identification/adjustment-rounds/${round.id}`)).json() as RoundProgressDto;
    expect(whole.villages.length).toBeGreaterThan(p.villages.length);
  });

  it('writes new entries for the procedure with the open round’s year (recordHouseholdEvent)', async () => {
    const [h] = await rows<{ id: string }>(sql`SELECT id FROM households WHERE active ORDER BY household_no LIMIT 1`);
    const ev = await database.db.transaction((tx) => recordHouseholdEvent(tx, SYSTEM_ACTOR, { householdId: h!.id, areaCode: ZHONGYUE, kind: 'newEntry', onDate: todayCst(), details: { applicationId: 'x' } }));
    expect(ev).toMatchObject({ kind: 'newEntry', year: YEAR, roundId: round.id });
  });

  it('closes the round; later events carry no round', async () => {
    expectError(await township.request('POST', `/api/identification/adjustment-rounds/${round.id}/close`), 403, 'FORBIDDEN');
    const res = await county.request('POST', `/api/identification/adjustment-rounds/${round.id}/close`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ open: false });
    expectError(await county.request('POST', `/api/identification/adjustment-rounds/${round.id}/close`), 409, 'CONFLICT');
    const h = await register(clerk, householdBody());
    const r = await recorded(clerk, { kind: 'cleared', householdId: h.id, version: h.version, reason: '识别不准' });
    expect(r.event).toMatchObject({ roundId: null, year: currentYear() });
  });
});

describe('the demo', () => {
  it('opens the round and records events of each kind the registry allows on demo households', async () => {
    const villages = await rows<{ code: string; name: string }>(sql`SELECT code, name FROM areas WHERE level = 'village' AND code LIKE '430181125%' ORDER BY code LIMIT 6`);
    await seedHouseholds(database.db, { seed: 5, count: 120, villages, year: YEAR });
    const r = await seedAdjustmentDemo(database.db, LIUYANG, YEAR + 1);
    expect(r.counts).toEqual({ newEntry: 0, memberAdded: 3, memberRemoved: 3, split: 2, merged: 2, cleared: 2, returned: 2 });
    const [round2] = await rows<{ year: number; closed_at: string | null }>(sql`SELECT year, closed_at FROM adjustment_rounds WHERE id = ${r.roundId}`);
    expect(round2).toMatchObject({ year: YEAR + 1, closed_at: null });
    const ev = await rows<{ kind: string; n: number }>(sql`SELECT kind, count(*)::int AS n FROM household_events WHERE round_id = ${r.roundId} GROUP BY kind ORDER BY kind`);
    expect(Object.fromEntries(ev.map((e) => [e.kind, e.n]))).toEqual({ memberAdded: 3, memberRemoved: 3, split: 2, merged: 2, cleared: 2, returned: 2 });
    const again = await seedAdjustmentDemo(database.db, LIUYANG, YEAR + 1);
    expect(again.roundId).toBe(r.roundId);
  });
});
