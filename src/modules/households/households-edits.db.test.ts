/**
 * Editing the registry: stale-edit refusal between two sessions, the change list and the household as
 * it stood at the end of a registry year, and member changes (add, correct, remove, move).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { resetDatabase } from '../../../test/db.ts';
import { expectError, expectIssue, signInAs, signInAdmin, testApp, type Client } from '../../../test/http.ts';
import { householdBody, makeIdNumber, member } from '../../../test/people.ts';
import { list, read, register, ZHONGYUE } from '../../../test/households.ts';
import type { App } from '../../platform/http.ts';
import type { Database } from '../../platform/db.ts';
import type { HouseholdDto } from './contract.ts';

let app: App;
let database: Database;
let clerk: Client;
let township: Client;
let admin: Client;

beforeAll(async () => {
  database = await resetDatabase();
  app = await testApp(database);
  clerk = await signInAs(app, database, 'village_clerk', ZHONGYUE);
  township = await signInAs(app, database, 'township_officer', '430181125000');
  admin = await signInAdmin(app);
});
afterAll(() => app.close());

interface HistoryItem {
  version: number;
  change: string;
  changedFields: string[];
  reason: string | null;
  changedAt: string;
  changedByName: string;
  year: number;
}
async function history(c: Client, id: string): Promise<HistoryItem[]> {
  const res = await c.request('GET', `/api/households/${id}/history`);
  expect(res.statusCode, res.body).toBe(200);
  return (res.json() as { items: HistoryItem[] }).items;
}

/** Asserts 409 STALE_EDIT and returns the current data it carries. */
function expectStale(res: Awaited<ReturnType<Client['request']>>): { current: HouseholdDto; currentVersion: number } {
  const e = expectError(res, 409, 'STALE_EDIT');
  return e.details as unknown as { current: HouseholdDto; currentVersion: number };
}

describe('two sessions editing one household', () => {
  it('both load version 1; the first save wins; the second gets STALE_EDIT with the first save’s data; the first save survives', async () => {
    const h = await register(clerk, householdBody());
    const [mine, theirs] = await Promise.all([read(clerk, h.id), read(township, h.id)]);
    expect(mine.version).toBe(theirs.version);
    const first = await clerk.request('PATCH', `/api/households/${h.id}`, { version: mine.version, groupName: '一组', phone: '13900002222' });
    expect(first.statusCode, first.body).toBe(200);
    const second = await township.request('PATCH', `/api/households/${h.id}`, { version: theirs.version, groupName: '二组' });
    const { current, currentVersion } = expectStale(second);
    expect(currentVersion).toBe(mine.version + 1);
    expect(current).toMatchObject({ id: h.id, version: mine.version + 1, groupName: '一组' });
    expect(expectError(second, 409, 'STALE_EDIT').message).toContain('未保存您的更改');
    const stored = await read(admin, h.id);
    expect(stored).toMatchObject({ groupName: '一组', version: mine.version + 1 });
    expect((await history(admin, h.id)).map((v) => v.version)).toEqual([2, 1]);
    // Resubmitting on the current version goes through.
    const retry = await township.request('PATCH', `/api/households/${h.id}`, { version: currentVersion, groupName: '二组' });
    expect(retry.statusCode, retry.body).toBe(200);
  });

  it('two saves at the same moment on the same version: one 200, one STALE_EDIT', async () => {
    const h = await register(clerk, householdBody());
    const [a, b] = await Promise.all([
      clerk.request('PATCH', `/api/households/${h.id}`, { version: h.version, groupName: '甲组' }),
      township.request('PATCH', `/api/households/${h.id}`, { version: h.version, groupName: '乙组' }),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
    const winner = (a.statusCode === 200 ? a : b).json() as HouseholdDto;
    const loser = expectStale(a.statusCode === 200 ? b : a);
    expect(loser.current.groupName).toBe(winner.groupName);
    expect((await read(admin, h.id)).groupName).toBe(winner.groupName);
  });

  it('adding a member on a stale version is refused; the other session’s member is in details.current; nothing of the refused member is kept', async () => {
    const h = await register(clerk, householdBody());
    const added = await clerk.request('POST', `/api/households/${h.id}/members`, { member: member('测试先加', 'grandson', '20230101', 'male'), version: h.version, reason: 'birth' });
    expect(added.statusCode, added.body).toBe(200);
    const late = member('测试后加', 'granddaughter', '20230202', 'female');
    const { current, currentVersion } = expectStale(await township.request('POST', `/api/households/${h.id}/members`, { member: late, version: h.version, reason: 'birth' }));
    expect(currentVersion).toBe(h.version + 1);
    expect(current.members.map((m) => m.name)).toContain('测试先加');
    expect(current.memberCount).toBe(5);
    const stored = await read(admin, h.id);
    expect(stored.members.map((m) => m.name)).not.toContain('测试后加');
    // The refused member's identity was not claimed: the person can be registered.
    await register(clerk, householdBody({ members: [{ ...late, relationToHead: 'head', name: '测试后加' }] }));
  });

  it('setting the income on a stale version is refused and the first income survives', async () => {
    const h = await register(clerk, householdBody());
    const first = await clerk.request('PUT', `/api/households/${h.id}/income`, { version: h.version, year: 2024, wageIncome: 10000 });
    expect(first.statusCode, first.body).toBe(200);
    const { current } = expectStale(await township.request('PUT', `/api/households/${h.id}/income`, { version: h.version, year: 2024, wageIncome: 99999 }));
    expect(current.incomes.find((i) => i.year === 2024)).toMatchObject({ wageIncome: 10000, perCapitaNetIncome: 2500 });
    expect((await read(admin, h.id)).incomes.find((i) => i.year === 2024)).toMatchObject({ wageIncome: 10000 });
  });

  it('correcting or removing a member, and removing the household, on a stale version are refused too', async () => {
    const body = householdBody();
    const h = await register(clerk, body);
    const spouse = h.members.find((m) => m.relationToHead === 'spouse')!;
    const moved = await clerk.request('PATCH', `/api/households/${h.id}`, { version: h.version, address: '三组 12 号' });
    expect(moved.statusCode).toBe(200);
    expectStale(await township.request('PUT', `/api/households/${h.id}/members/${spouse.id}`, { member: { ...body.members[1], name: '测试改名' }, version: h.version }));
    expectStale(await township.request('POST', `/api/households/${h.id}/members/${spouse.id}/remove`, { version: h.version, reason: 'marriageOut' }));
    expectStale(await township.request('POST', `/api/households/${h.id}/remove`, { version: h.version, reason: '核查注销' }));
    expect(await read(admin, h.id)).toMatchObject({ active: true, memberCount: 4, version: h.version + 1 });
  });

  it('a work-team member (may edit, may not read in full) gets the current data masked in the refusal', async () => {
    const h = await register(clerk, householdBody());
    const team = await signInAs(app, database, 'work_team_member', ZHONGYUE);
    expect((await clerk.request('PATCH', `/api/households/${h.id}`, { version: h.version, groupName: '一组' })).statusCode).toBe(200);
    const { current } = expectStale(await team.request('PATCH', `/api/households/${h.id}`, { version: h.version, groupName: '二组' }));
    expect(current.full).toBe(false);
    for (const m of current.members) expect(m.idNumber).toMatch(/^430181\*{8}/);
  });
});

describe('history', () => {
  it('each change adds a version with who, why and what changed', async () => {
    const h = await register(clerk, householdBody());
    let v = h.version;
    const ok = async (res: Awaited<ReturnType<Client['request']>>) => {
      expect(res.statusCode, res.body).toBe(200);
      v = (res.json() as HouseholdDto).version;
      return res.json() as HouseholdDto;
    };
    await ok(await township.request('PATCH', `/api/households/${h.id}`, { version: v, status: 'preExit', housingArea: 96.5, reason: '年度动态调整' }));
    const withBaby = await ok(await clerk.request('POST', `/api/households/${h.id}/members`, { member: member('测试孙子', 'grandson', '20240301', 'male'), version: v, reason: 'birth', note: '新生儿落户' }));
    const baby = withBaby.members.find((m) => m.name === '测试孙子')!;
    await ok(await clerk.request('PUT', `/api/households/${h.id}/members/${baby.id}`, { member: { ...member('测试孙子', 'grandson', '20240301', 'male'), name: '测试长孙', idNumber: makeIdNumber('20240301', 'male') }, version: v, reason: '更正姓名和证件号' }));
    await ok(await clerk.request('PUT', `/api/households/${h.id}/income`, { version: v, year: 2024, wageIncome: 5000 }));
    await ok(await clerk.request('POST', `/api/households/${h.id}/members/${baby.id}/remove`, { version: v, reason: 'moveOut', note: '随父母迁出' }));

    const items = await history(admin, h.id);
    expect(items.map((i) => [i.version, i.change])).toEqual([
      [6, 'members.remove'],
      [5, 'income.set'],
      [4, 'members.update'],
      [3, 'members.add'],
      [2, 'household.update'],
      [1, 'household.register'],
    ]);
    const at = (n: number) => items.find((i) => i.version === n)!;
    expect(at(2)).toMatchObject({ changedFields: ['housingArea', 'status'], reason: '年度动态调整', changedByName: '测试township_officer' });
    expect(at(3)).toMatchObject({ changedFields: ['测试孙子'], reason: 'birth：新生儿落户', changedByName: '测试village_clerk' });
    expect(at(4).changedFields).toEqual(expect.arrayContaining(['测试长孙.name', '测试长孙.idNumber']));
    expect(at(4).reason).toBe('更正姓名和证件号');
    expect(at(5).changedFields).toEqual(['income.2024']);
    expect(at(6)).toMatchObject({ changedFields: ['测试长孙'], reason: 'moveOut：随父母迁出' });
    // The household itself carries the last version.
    expect((await read(admin, h.id)).version).toBe(6);
  });

  it('asOfYear shows the household as it stood at the end of that year (China Standard Time); before registration: 404', async () => {
    const h = await register(clerk, householdBody({ groupName: '一组' }));
    const v2 = await clerk.request('PATCH', `/api/households/${h.id}`, { version: 1, groupName: '二组', status: 'preExit' });
    expect(v2.statusCode, v2.body).toBe(200);
    const v3 = await clerk.request('POST', `/api/households/${h.id}/members`, { member: member('测试新生', 'grandson', '20220101', 'male'), version: 2, reason: 'birth' });
    expect(v3.statusCode, v3.body).toBe(200);
    const v4 = await clerk.request('PATCH', `/api/households/${h.id}`, { version: 3, groupName: '四组', status: 'exited', householdType: 'exited' });
    expect(v4.statusCode, v4.body).toBe(200);
    // The fixture: registered in 2019, edited in 2021, the member added at 00:30 on 1 January 2023
    // in Beijing (still 2022 in UTC), the last edit now.
    const place = (version: number, at: string) => database.db.execute(sql`UPDATE household_versions SET changed_at = ${at}::timestamptz WHERE household_id = ${h.id} AND version = ${version}`);
    await place(1, '2019-06-01T10:00:00+08:00');
    await place(2, '2021-03-15T10:00:00+08:00');
    await place(3, '2022-12-31T16:30:00Z');

    expectError(await clerk.request('GET', `/api/households/${h.id}?asOfYear=2018`), 404, 'NOT_FOUND');
    const asOf = (y: number) => read(clerk, h.id, `?asOfYear=${y}`);
    expect(await asOf(2019)).toMatchObject({ asOfYear: 2019, version: 1, groupName: '一组', status: 'notExited', memberCount: 4 });
    expect(await asOf(2020)).toMatchObject({ version: 1, groupName: '一组' });
    expect(await asOf(2021)).toMatchObject({ version: 2, groupName: '二组', status: 'preExit', memberCount: 4 });
    expect(await asOf(2022)).toMatchObject({ version: 2, memberCount: 4 });
    const y2023 = await asOf(2023);
    expect(y2023).toMatchObject({ version: 3, memberCount: 5, groupName: '二组' });
    expect(y2023.members.map((m) => m.name)).toContain('测试新生');
    expect(await asOf(2100)).toMatchObject({ version: 4, groupName: '四组', status: 'exited', householdType: 'exited' });
    // The present reading is unchanged by the fixture.
    expect(await read(clerk, h.id)).toMatchObject({ version: 4, asOfYear: null, groupName: '四组' });
    // The change list gives each change its registry year.
    expect((await history(clerk, h.id)).map((i) => [i.version, i.year])).toEqual([
      [4, expect.any(Number)],
      [3, 2023],
      [2, 2021],
      [1, 2019],
    ]);
    // Masked as any reading unless full=true.
    expect((await asOf(2019)).members[0]!.idNumber).toMatch(/^430181\*{8}/);
  });

  it('asOfYear outside 2000–2100 is 400 on the query', async () => {
    const h = await register(clerk, householdBody());
    expectIssue(await clerk.request('GET', `/api/households/${h.id}?asOfYear=1999`), ['querystring', 'asOfYear']);
  });
});

describe('members', () => {
  it('a work-team member (who sees ID numbers masked) corrects a name: the masked number sent back keeps the stored one', async () => {
    const body = householdBody();
    const h = await register(clerk, body);
    const team = await signInAs(app, database, 'work_team_member', ZHONGYUE);
    const seen = (await team.request('GET', `/api/households/${h.id}`)).json() as HouseholdDto;
    const son = seen.members.find((m) => m.relationToHead === 'son')!;
    expect(son.idNumber).toContain('*');
    const { id: _id, age: _age, status: _status, changeReason: _r, changeNote: _n, ...fields } = son;
    const res = await team.request('PUT', `/api/households/${h.id}/members/${son.id}`, { member: { ...fields, name: '测试之子改名' }, version: seen.version, reason: '更正姓名' });
    expect(res.statusCode, res.body).toBe(200);
    const full = (await clerk.request('GET', `/api/households/${h.id}?full=true`)).json() as HouseholdDto;
    expect(full.members.find((m) => m.id === son.id)).toMatchObject({ name: '测试之子改名', idNumber: body.members[2]!.idNumber });

    // A masked number that is not this member's is refused, not guessed.
    const other = `${son.idNumber.slice(0, -4)}0000`;
    const wrong = await team.request('PUT', `/api/households/${h.id}/members/${son.id}`, { member: { ...fields, idNumber: other }, version: full.version, reason: '更正' });
    expectIssue(wrong, ['member', 'idNumber']);
  });

  it('adds a member with the reason and note; the list and the card count them', async () => {
    const h = await register(clerk, householdBody());
    const res = await clerk.request('POST', `/api/households/${h.id}/members`, { member: member('测试儿媳', 'daughterInLaw', '19990909', 'female'), version: h.version, reason: 'marriageIn', note: '2025 年结婚' });
    expect(res.statusCode, res.body).toBe(200);
    const after = res.json() as HouseholdDto;
    expect(after).toMatchObject({ memberCount: 5, version: h.version + 1 });
    expect(after.members.find((m) => m.name === '测试儿媳')).toMatchObject({ status: 'active', changeReason: 'marriageIn', changeNote: '2025 年结婚', relationToHead: 'daughterInLaw' });
    expect((await list(clerk, `q=${h.householdNo}`)).items[0]!.memberCount).toBe(5);
  });

  it('the reason of an addition must come from the code list', async () => {
    const h = await register(clerk, householdBody());
    expectIssue(await clerk.request('POST', `/api/households/${h.id}/members`, { member: member('测试', 'grandson', '20240101', 'male'), version: h.version, reason: 'arrival' }), ['reason']);
  });

  it('the reason must fit the change: an addition is not a death, a removal is not a birth; nothing is written', async () => {
    const h = await register(clerk, householdBody());
    const wrongAdd = await clerk.request('POST', `/api/households/${h.id}/members`, { member: member('测试', 'grandson', '20240101', 'male'), version: h.version, reason: 'death' });
    expect(expectIssue(wrongAdd, ['reason']).message).toContain('新增成员的原因');
    const spouse = h.members.find((m) => m.relationToHead === 'spouse')!;
    const wrongRemove = await clerk.request('POST', `/api/households/${h.id}/members/${spouse.id}/remove`, { version: h.version, reason: 'birth' });
    expect(expectIssue(wrongRemove, ['reason']).message).toContain('减少成员的原因');
    const now = (await clerk.request('GET', `/api/households/${h.id}`)).json() as HouseholdDto;
    expect(now).toMatchObject({ version: h.version, memberCount: 4 });
  });

  it('correcting a member’s ID number moves the identity: the old number is free, the new one taken', async () => {
    const body = householdBody();
    const h = await register(clerk, body);
    const son = h.members.find((m) => m.relationToHead === 'son')!;
    const oldNumber = body.members[2]!.idNumber;
    const newNumber = makeIdNumber('19980101', 'male');
    const res = await clerk.request('PUT', `/api/households/${h.id}/members/${son.id}`, { member: { ...body.members[2], idNumber: newNumber }, version: h.version, reason: '证件号码录入错误' });
    expect(res.statusCode, res.body).toBe(200);
    expect((res.json() as HouseholdDto).members.find((m) => m.id === son.id)!.idNumber).toBe(newNumber);
    expect((await list(admin, `q=${newNumber}`)).items.map((i) => i.id)).toEqual([h.id]);
    expect((await list(admin, `q=${oldNumber}`)).total).toBe(0);
    // The old number belongs to nobody now; the new one is refused elsewhere.
    await register(clerk, householdBody({ members: [{ ...body.members[2], relationToHead: 'head', name: '测试旧号持有人' }] }));
    const taken = await clerk.request('POST', '/api/households', householdBody({ members: [{ ...body.members[2], idNumber: newNumber, relationToHead: 'head' }] }));
    expect(expectError(taken, 409, 'CONFLICT').message).toContain(h.householdNo);
  });

  it('correcting a member into someone else’s ID number is refused with the member field', async () => {
    const other = await register(clerk, householdBody());
    const body = householdBody();
    const h = await register(clerk, body);
    const son = h.members.find((m) => m.relationToHead === 'son')!;
    const taken = other.members.find((m) => m.relationToHead === 'son')!.idNumber;
    const res = await clerk.request('PUT', `/api/households/${h.id}/members/${son.id}`, { member: { ...body.members[2], idNumber: taken }, version: h.version });
    const e = expectError(res, 409, 'CONFLICT');
    expect(e.details.issues!.map((i) => i.path)).toEqual([['member', 'idNumber']]);
    expect((await read(admin, h.id, '?full=true')).members.find((m) => m.id === son.id)!.idNumber).toBe(body.members[2]!.idNumber);
  });

  it('removing a member keeps the row with the reason; death sets alive=false and the date', async () => {
    const h = await register(clerk, householdBody());
    const spouse = h.members.find((m) => m.relationToHead === 'spouse')!;
    const son = h.members.find((m) => m.relationToHead === 'son')!;
    const r1 = await clerk.request('POST', `/api/households/${h.id}/members/${son.id}/remove`, { version: h.version, reason: 'marriageOut', note: '入赘外村' });
    expect(r1.statusCode, r1.body).toBe(200);
    const r2 = await clerk.request('POST', `/api/households/${h.id}/members/${spouse.id}/remove`, { version: h.version + 1, reason: 'death', deceasedDate: '2025-02-03' });
    expect(r2.statusCode, r2.body).toBe(200);
    const after = await read(admin, h.id);
    expect(after.memberCount).toBe(2);
    expect(after.members).toHaveLength(4);
    expect(after.members.find((m) => m.id === son.id)).toMatchObject({ status: 'removed', changeReason: 'marriageOut', changeNote: '入赘外村', alive: true });
    expect(after.members.find((m) => m.id === spouse.id)).toMatchObject({ status: 'removed', changeReason: 'death', alive: false, deceasedDate: '2025-02-03' });
    // A removed member cannot be removed again.
    expectError(await clerk.request('POST', `/api/households/${h.id}/members/${son.id}/remove`, { version: after.version, reason: 'moveOut' }), 404, 'NOT_FOUND');
  });

  it('moves a member to another household: both versions checked, the identity follows, both histories record it', async () => {
    const from = await register(clerk, householdBody());
    const to = await register(clerk, householdBody({ members: [member('测试新户主', 'head', '19960606', 'female')] }));
    const son = from.members.find((m) => m.relationToHead === 'son')!;
    const sonNumber = from.members.find((m) => m.relationToHead === 'son')!.idNumber;
    // Stale target version: nothing moves.
    await clerk.request('PATCH', `/api/households/${to.id}`, { version: to.version, groupName: '七组' });
    const stale = await clerk.request('POST', `/api/households/${from.id}/members/${son.id}/move`, { version: from.version, toHouseholdId: to.id, toVersion: to.version, relationToHead: 'spouse', reason: 'marriageIn' });
    expect(expectStale(stale).current.id).toBe(to.id);
    expect(await read(admin, from.id)).toMatchObject({ version: from.version, memberCount: 4 });

    const res = await clerk.request('POST', `/api/households/${from.id}/members/${son.id}/move`, { version: from.version, toHouseholdId: to.id, toVersion: to.version + 1, relationToHead: 'spouse', reason: 'marriageIn', note: '婚后另立户' });
    expect(res.statusCode, res.body).toBe(200);
    const fromAfter = res.json() as HouseholdDto;
    expect(fromAfter).toMatchObject({ version: from.version + 1, memberCount: 3 });
    expect(fromAfter.members.find((m) => m.id === son.id)).toMatchObject({ status: 'removed', changeReason: 'marriageIn' });
    const toAfter = await read(admin, to.id, '?full=true');
    expect(toAfter).toMatchObject({ version: to.version + 2, memberCount: 2 });
    expect(toAfter.members.find((m) => m.name === '测试之子')).toMatchObject({ status: 'active', relationToHead: 'spouse', idNumber: sonNumber });
    // The identity follows: the person is found in the new household only.
    expect((await list(admin, `q=${sonNumber}`)).items.map((i) => i.id)).toEqual([to.id]);
    expect(expectError(await clerk.request('POST', '/api/households', householdBody({ members: [{ ...member('测试之子', 'head', '19980101', 'male'), idNumber: sonNumber }] })), 409, 'CONFLICT').message).toContain(to.householdNo);
    const out = (await history(admin, from.id))[0]!;
    const into = (await history(admin, to.id))[0]!;
    expect(out).toMatchObject({ change: 'members.move-out', changedFields: ['测试之子'] });
    expect(out.reason).toContain(to.householdNo);
    expect(into).toMatchObject({ change: 'members.move-in', changedFields: ['测试之子'] });
    expect(into.reason).toContain(from.householdNo);
  });

  it('the head cannot be moved, nor moved into its own household', async () => {
    const h = await register(clerk, householdBody());
    const other = await register(clerk, householdBody({ members: [member('测试户主丁', 'head', '19610101', 'male')] }));
    const head = h.members.find((m) => m.relationToHead === 'head')!;
    const son = h.members.find((m) => m.relationToHead === 'son')!;
    expectError(await clerk.request('POST', `/api/households/${h.id}/members/${head.id}/move`, { version: h.version, toHouseholdId: other.id, toVersion: other.version, relationToHead: 'other', reason: 'moveOut' }), 409, 'CONFLICT');
    expectIssue(await clerk.request('POST', `/api/households/${h.id}/members/${son.id}/move`, { version: h.version, toHouseholdId: h.id, toVersion: h.version, relationToHead: 'other', reason: 'moveOut' }), ['toHouseholdId']);
  });

  it('a move into a household outside the actor’s scope is 404 and moves nothing', async () => {
    const h = await register(clerk, householdBody());
    const outside = await register(admin, householdBody({ areaCode: '430181001001', members: [member('测试城西户主', 'head', '19630303', 'male')] }));
    const son = h.members.find((m) => m.relationToHead === 'son')!;
    expectError(await township.request('POST', `/api/households/${h.id}/members/${son.id}/move`, { version: h.version, toHouseholdId: outside.id, toVersion: outside.version, relationToHead: 'son', reason: 'moveOut' }), 404, 'NOT_FOUND');
    expect(await read(admin, h.id)).toMatchObject({ version: h.version, memberCount: 4 });
    expect(await read(admin, outside.id)).toMatchObject({ version: outside.version, memberCount: 1 });
  });
});
