/**
 * Reading the registry: masked lists and cards for every role, audited full reads, list scope,
 * filters, sorting and paging, the township archive's counts, the duplicates report, and the audit
 * trail of every write.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resetDatabase } from '../../../test/db.ts';
import { expectError, signInAs, signInAdmin, testApp, type Client } from '../../../test/http.ts';
import { householdBody, member } from '../../../test/people.ts';
import { CHANGSHA, CHENGXI, DAWEISHAN, idNumberOf, list, LIUYANG, oneDigitApart, read, register, TONGXING, ZHONGYUE } from '../../../test/households.ts';
import type { App } from '../../platform/http.ts';
import type { Database } from '../../platform/db.ts';
import type { Role } from '../../shared/access.ts';
import type { ArchiveDto, HouseholdDto } from './contract.ts';

let app: App;
let database: Database;
let clerk: Client;
let township: Client & { username: string };
let admin: Client;

/** The registered households: the body sent and the answer. */
const reg = {} as Record<'h1' | 'h2' | 'h3' | 'h4' | 'h5' | 'h6', { body: ReturnType<typeof householdBody>; h: HouseholdDto }>;

beforeAll(async () => {
  database = await resetDatabase();
  app = await testApp(database);
  clerk = await signInAs(app, database, 'village_clerk', ZHONGYUE);
  township = await signInAs(app, database, 'township_officer', DAWEISHAN);
  admin = await signInAdmin(app);
  const add = async (key: keyof typeof reg, c: Client, body: ReturnType<typeof householdBody>) => {
    reg[key] = { body, h: await register(c, body) };
  };
  // 中岳村
  await add('h1', clerk, householdBody({ members: [member('测试张一', 'head', '19700312', 'male'), member('测试张妻', 'spouse', '19720518', 'female'), member('测试张子', 'son', '19980101', 'male'), member('测试张女', 'daughter', '20120909', 'female')], bankName: '浏阳农商银行', bankAccount: '6230901234567890' }));
  await add('h2', clerk, householdBody({ members: [member('测试李二', 'head', '19500202', 'male'), member('测试李妻', 'spouse', '19520303', 'female')], povertyAttribute: 'minimumLiving', mainPovertyCause: 'disability', otherPovertyCauses: [], status: 'exited', income: { year: 2025, wageIncome: 4000 } }));
  await add('h3', clerk, householdBody({ members: [member('测试王三', 'head', '19450404', 'female')], householdType: 'ordinary', povertyAttribute: null, mainPovertyCause: null, otherPovertyCauses: [], status: 'eliminated', income: undefined, phone: '13911112222' }));
  await add('h4', clerk, householdBody({ members: [member('测试赵四', 'head', '19660606', 'male'), member('测试钱五', 'other', '19880808', 'male'), member('测试赵女', 'daughter', '19900909', 'female')], householdType: 'monitored', mainPovertyCause: 'disaster', otherPovertyCauses: [], status: 'monitored' }));
  // 同幸村, 城西社区
  await add('h5', township, householdBody({ areaCode: TONGXING, members: [member('测试孙六', 'head', '19600101', 'male'), member('测试孙妻', 'spouse', '19610101', 'female')] }));
  await add('h6', admin, householdBody({ areaCode: CHENGXI, members: [member('测试周七', 'head', '19770707', 'male')] }));
});
afterAll(() => app.close());

const ids = (page: { items: { id: string }[] }) => page.items.map((i) => i.id);
const MASKED_ID = /^\d{6}\*{8}\d{3}[\dX]$/;

describe('scope of the list', () => {
  it('a village clerk sees their village only; a township officer their township; the administrator everything', async () => {
    const z = [reg.h1, reg.h2, reg.h3, reg.h4].map((r) => r.h.id);
    expect(ids(await list(clerk, 'pageSize=200')).sort()).toEqual([...z].sort());
    expect(ids(await list(township, 'pageSize=200')).sort()).toEqual([...z, reg.h5.h.id].sort());
    expect(ids(await list(admin, 'pageSize=200')).sort()).toEqual([...z, reg.h5.h.id, reg.h6.h.id].sort());
    expect(ids(await list(township, `areaCode=${TONGXING}`))).toEqual([reg.h5.h.id]);
    expect((await list(admin, `areaCode=${DAWEISHAN}`)).total).toBe(5);
  });

  it('an area outside the scope is 404; a household outside the scope is 404 on every read', async () => {
    expectError(await clerk.request('GET', `/api/households?areaCode=${TONGXING}`), 404, 'NOT_FOUND');
    expectError(await clerk.request('GET', `/api/households/${reg.h5.h.id}`), 404, 'NOT_FOUND');
    expectError(await clerk.request('GET', `/api/households/${reg.h5.h.id}/history`), 404, 'NOT_FOUND');
    expectError(await township.request('GET', `/api/households/${reg.h6.h.id}?full=true`), 404, 'NOT_FOUND');
  });
});

describe('filters', () => {
  it.each([
    ['householdType=ordinary', ['h3']],
    ['householdType=monitored', ['h4']],
    ['status=exited', ['h2']],
    ['status=notExited', ['h1']],
    ['povertyAttribute=minimumLiving', ['h2']],
    ['mainPovertyCause=disability', ['h2']],
    ['mainPovertyCause=illness', ['h1']],
    ['incomeMin=3000', ['h1', 'h4']],
    ['incomeMax=3000', ['h2']],
    ['incomeMin=2000&incomeMax=2000', ['h2']],
    ['householdType=registeredPoor&status=notExited', ['h1']],
  ] as const)('%s', async (query, expected) => {
    expect(ids(await list(clerk, `${query}&pageSize=200`)).sort()).toEqual(expected.map((k) => reg[k].h.id).sort());
  });

  it('q finds by head name, by another member’s name, by a full ID number, by its last 4 characters and by the 户编号', async () => {
    const q = async (text: string) => ids(await list(clerk, `q=${encodeURIComponent(text)}&pageSize=200`));
    expect(await q('张一')).toEqual([reg.h1.h.id]);
    expect(await q('钱五')).toEqual([reg.h4.h.id]);
    const spouse = reg.h2.body.members[1]!.idNumber;
    expect(await q(spouse)).toEqual([reg.h2.h.id]);
    expect(await q(spouse.toLowerCase())).toEqual([reg.h2.h.id]);
    expect(await q(spouse.slice(-4))).toContain(reg.h2.h.id);
    for (const id of await q(spouse.slice(-4))) {
      const numbers = Object.values(reg).find((r) => r.h.id === id)!.body.members.map((m) => m.idNumber);
      expect(numbers.some((n) => n.endsWith(spouse.slice(-4)))).toBe(true);
    }
    expect(await q(reg.h3.h.householdNo)).toEqual([reg.h3.h.id]);
    expect(await q('不存在的人')).toEqual([]);
    // Another township's people are not found by number either.
    expect(await q(reg.h5.body.members[0]!.idNumber)).toEqual([]);
  });
});

describe('sorting and paging', () => {
  it('pages of {items,total,page,pageSize} cover the list once, in 户编号 order by default', async () => {
    const all = await list(township, 'pageSize=200');
    const p1 = await list(township, 'pageSize=2&page=1');
    const p2 = await list(township, 'pageSize=2&page=2');
    const p3 = await list(township, 'pageSize=2&page=3');
    expect(p2).toMatchObject({ total: 5, page: 2, pageSize: 2 });
    expect([...ids(p1), ...ids(p2), ...ids(p3)]).toEqual(ids(all));
    expect(all.items.map((i) => i.householdNo)).toEqual([...all.items.map((i) => i.householdNo)].sort());
    expect((await list(township, 'pageSize=2&page=9')).items).toEqual([]);
  });

  it('sorts by head name, member count and income, both ways', async () => {
    const asc = await list(clerk, 'sort=headName&order=asc');
    const desc = await list(clerk, 'sort=headName&order=desc');
    expect(ids(desc)).toEqual([...ids(asc)].reverse());
    expect((await list(clerk, 'sort=memberCount&order=desc')).items.map((i) => i.memberCount)).toEqual([4, 3, 2, 1]);
    // 22700.5 ÷ 4 (h1), 4000 ÷ 2 (h2), 22700.5 ÷ 3 (h4); h3 has no income and the range leaves it out.
    expect((await list(clerk, 'sort=income&order=asc&incomeMin=0')).items.map((i) => i.latestPerCapitaNetIncome)).toEqual([2000, 5675.13, 7566.83]);
    expect((await list(clerk, 'sort=income&order=desc&incomeMin=0')).items.map((i) => i.headName)).toEqual(['测试赵四', '测试张一', '测试李二']);
  });

  it('a removed household is hidden unless includeRemoved=true', async () => {
    const res = await township.request('POST', `/api/households/${reg.h4.h.id}/remove`, { version: reg.h4.h.version, reason: '家庭成员全部迁出' });
    expect(res.statusCode, res.body).toBe(200);
    expect(ids(await list(clerk, 'pageSize=200'))).not.toContain(reg.h4.h.id);
    const withRemoved = await list(clerk, 'includeRemoved=true&pageSize=200');
    expect(withRemoved.items.find((i) => i.id === reg.h4.h.id)).toMatchObject({ active: false });
    expect(withRemoved.total).toBe(4);
    // Its card still reads, with the reason.
    expect(await read(clerk, reg.h4.h.id)).toMatchObject({ active: false, removedReason: '家庭成员全部迁出' });
  });
});

describe('personal data', () => {
  const roles: [Role, string | null, boolean][] = [
    ['admin', null, true],
    ['county_officer', LIUYANG, true],
    ['township_officer', DAWEISHAN, true],
    ['village_clerk', ZHONGYUE, true],
    ['inspector', LIUYANG, true],
    ['city_officer', CHANGSHA, false],
    ['helper', ZHONGYUE, false],
    ['work_team_member', ZHONGYUE, false],
  ];

  async function fullReads(id: string, username: string): Promise<{ areaCode: string | null; actorUsername: string }[]> {
    const res = await admin.request('GET', `/api/audit?action=households.read-full&targetId=${id}&pageSize=200`);
    expect(res.statusCode, res.body).toBe(200);
    return (res.json() as { items: { areaCode: string | null; actorUsername: string }[] }).items.filter((e) => e.actorUsername === username);
  }

  it.each(roles)('%s: the list and the card are masked (ID numbers 430181********0017, phones, bank account)', async (role, area) => {
    const c = role === 'admin' ? admin : await signInAs(app, database, role, area);
    const page = await list(c, `q=${reg.h1.h.householdNo}`);
    expect(page.items).toHaveLength(1);
    const row = page.items[0]!;
    expect(row.headIdNumber).toMatch(MASKED_ID);
    expect(row.headIdNumber).toBe(`${reg.h1.body.members[0]!.idNumber.slice(0, 6)}********${reg.h1.body.members[0]!.idNumber.slice(-4)}`);
    expect(row.phone).toBe('138****1234');
    const card = await read(c, reg.h1.h.id);
    expect(card.full).toBe(false);
    for (const m of card.members) expect(m.idNumber).toMatch(MASKED_ID);
    expect(card.phone).toBe('138****1234');
    expect(card.bankAccount).toBe('****7890');
  });

  it.each(roles.filter((r) => r[2]))('%s: full=true shows the values in full and is audited with the area code', async (role, area) => {
    const c = role === 'admin' ? { ...admin, username: 'admin' } : await signInAs(app, database, role, area);
    const card = await read(c, reg.h1.h.id, '?full=true');
    expect(card.full).toBe(true);
    expect(card.members.map((m) => m.idNumber).sort()).toEqual(reg.h1.body.members.map((m) => m.idNumber).sort());
    expect(card.phone).toBe('13800001234');
    expect(card.bankAccount).toBe('6230901234567890');
    const events = await fullReads(reg.h1.h.id, c.username);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ areaCode: ZHONGYUE });
  });

  it.each(roles.filter((r) => !r[2]))('%s: full=true is 403 and nothing is audited', async (role, area) => {
    const c = await signInAs(app, database, role, area);
    const e = expectError(await c.request('GET', `/api/households/${reg.h1.h.id}?full=true`), 403, 'FORBIDDEN');
    expect(e.details).toMatchObject({ action: 'households.read-full' });
    expect(await fullReads(reg.h1.h.id, c.username)).toEqual([]);
  });

  it('a plain read is not audited', async () => {
    const c = await signInAs(app, database, 'county_officer', LIUYANG);
    await read(c, reg.h2.h.id);
    expect(await fullReads(reg.h2.h.id, c.username)).toEqual([]);
  });
});

describe('the township archive (乡有档)', () => {
  it('counts each village’s active households and persons as registered', async () => {
    const res = await township.request('GET', `/api/townships/${DAWEISHAN}/archive`);
    expect(res.statusCode, res.body).toBe(200);
    const a = res.json() as ArchiveDto;
    // 中岳村: h1 (4 persons, poor, not exited), h2 (2, poor, exited), h3 (1, ordinary); h4 removed.
    expect(a.villages.find((v) => v.code === ZHONGYUE)).toMatchObject({ name: '中岳村', households: 3, persons: 7, registeredPoorHouseholds: 2, notExitedHouseholds: 1 });
    expect(a.villages.find((v) => v.code === TONGXING)).toMatchObject({ name: '同幸村', households: 1, persons: 2, registeredPoorHouseholds: 1, notExitedHouseholds: 1 });
    for (const v of a.villages.filter((x) => x.code !== ZHONGYUE && x.code !== TONGXING)) expect(v).toMatchObject({ households: 0, persons: 0 });
    expect(a.totals).toEqual({ households: 4, persons: 9, registeredPoorHouseholds: 3, notExitedHouseholds: 2 });
    // The list agrees.
    expect((await list(township, '')).total).toBe(a.totals.households);
  });

  it('a village clerk cannot read the township’s archive; a county officer can', async () => {
    expectError(await clerk.request('GET', `/api/townships/${DAWEISHAN}/archive`), 404, 'NOT_FOUND');
    const county = await signInAs(app, database, 'county_officer', LIUYANG);
    expect(((await county.request('GET', `/api/townships/${DAWEISHAN}/archive`)).json() as ArchiveDto).totals.households).toBe(4);
    expectError(await county.request('GET', `/api/townships/${ZHONGYUE}/archive`), 404, 'NOT_FOUND');
  });
});

describe('the duplicates report', () => {
  it('finds the same name and birth date in two households, and ID numbers one digit apart; masked; within scope', async () => {
    // Numbers chosen so that only 近号甲 and 近号乙 are one digit apart (the namesakes differ in three).
    const shared = idNumberOf('19800505', '246');
    const near = oneDigitApart(shared);
    const namesake = (order: string) => ({ ...member('测试重名', 'head', '19800505', 'male'), idNumber: idNumberOf('19800505', order) });
    await register(clerk, householdBody({ members: [namesake('111'), { ...member('测试近号甲', 'spouse', '19800505', 'female'), idNumber: shared }] }));
    await register(township, householdBody({ areaCode: TONGXING, members: [namesake('333'), { ...member('测试近号乙', 'spouse', '19800505', 'female'), idNumber: near }] }));
    // Outside the township: the same name and birth date again.
    await register(admin, householdBody({ areaCode: CHENGXI, members: [namesake('555')] }));

    type Person = { householdId: string; name: string; idNumber: string; birthDate: string; areaCode: string };
    const report = async (c: Client) => {
      const res = await c.request('GET', '/api/households/duplicates');
      expect(res.statusCode, res.body).toBe(200);
      return (res.json() as { items: { kind: string; a: Person; b: Person }[] }).items;
    };
    const items = await report(township);
    const sameName = items.filter((p) => p.kind === 'sameNameAndBirthDate');
    expect(sameName).toHaveLength(1);
    expect([sameName[0]!.a.areaCode, sameName[0]!.b.areaCode].sort()).toEqual([ZHONGYUE, TONGXING]);
    expect(sameName[0]!.a).toMatchObject({ name: '测试重名', birthDate: '1980-05-05' });
    const nearPairs = items.filter((p) => p.kind === 'idNumberOneCharacterApart');
    expect(nearPairs).toHaveLength(1);
    expect([nearPairs[0]!.a.name, nearPairs[0]!.b.name].sort()).toEqual(['测试近号乙', '测试近号甲'].sort());
    for (const p of items) for (const x of [p.a, p.b]) expect(x.idNumber).toMatch(MASKED_ID);
    // The administrator also sees the pairs with 城西社区's person.
    expect((await report(admin)).filter((p) => p.kind === 'sameNameAndBirthDate')).toHaveLength(3);
  });
});

describe('every write is audited with the area code', () => {
  it('register, edit, add/correct/remove/move a member, income, remove', async () => {
    const body = householdBody({ areaCode: TONGXING });
    const h = await register(township, body);
    const other = await register(township, householdBody({ areaCode: TONGXING, members: [member('测试审计乙', 'head', '19700101', 'male')] }));
    let v = h.version;
    const ok = async (res: Awaited<ReturnType<Client['request']>>) => {
      expect(res.statusCode, res.body).toBe(200);
      v = (res.json() as HouseholdDto).version;
      return res.json() as HouseholdDto;
    };
    await ok(await township.request('PATCH', `/api/households/${h.id}`, { version: v, groupName: '八组' }));
    const added = await ok(await township.request('POST', `/api/households/${h.id}/members`, { member: member('测试审计孙', 'grandson', '20240101', 'male'), version: v, reason: 'birth' }));
    const baby = added.members.find((m) => m.name === '测试审计孙')!;
    const son = added.members.find((m) => m.relationToHead === 'son')!;
    await ok(await township.request('PUT', `/api/households/${h.id}/members/${baby.id}`, { member: { ...member('测试审计孙', 'grandson', '20240101', 'male'), name: '测试审计长孙' }, version: v }));
    await ok(await township.request('POST', `/api/households/${h.id}/members/${baby.id}/remove`, { version: v, reason: 'moveOut' }));
    await ok(await township.request('PUT', `/api/households/${h.id}/income`, { version: v, year: 2024, wageIncome: 100 }));
    await ok(await township.request('POST', `/api/households/${h.id}/members/${son.id}/move`, { version: v, toHouseholdId: other.id, toVersion: other.version, relationToHead: 'other', reason: 'householdSplit' }));
    await ok(await township.request('POST', `/api/households/${h.id}/remove`, { version: v, reason: '核查注销' }));

    const res = await admin.request('GET', `/api/audit?targetId=${h.id}&pageSize=200`);
    const events = (res.json() as { items: { action: string; areaCode: string | null; actorUsername: string }[] }).items;
    expect(events.map((e) => e.action).sort()).toEqual(
      ['households.create', 'households.update', 'households.add-member', 'households.update-member', 'households.remove-member', 'households.set-income', 'households.move-member', 'households.remove'].sort(),
    );
    for (const e of events) expect(e).toMatchObject({ areaCode: TONGXING, actorUsername: township.username });
  });
});
