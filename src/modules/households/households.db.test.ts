import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { resetDatabase } from '../../../test/db.ts';
import { expectError, expectIssue, signInAs, signInAdmin, testApp, type Client } from '../../../test/http.ts';
import { householdBody, makeIdNumber, member } from '../../../test/people.ts';
import { CHENGXI, from15, fullWidth, idNumberWithX, list, read, register, TONGXING, ZHONGYUE, wrongCheck } from '../../../test/households.ts';
import type { App } from '../../platform/http.ts';
import { pgErrorCode, type Database } from '../../platform/db.ts';
import type { HouseholdDto } from './contract.ts';
import { householdIncomes, members } from './schema.ts';

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

/** Where a person (full ID number) is an active member now, as the administrator's list finds them. */
async function householdsOf(idNumber: string): Promise<string[]> {
  return (await list(admin, `q=${idNumber}&pageSize=200`)).items.map((i) => i.householdNo);
}

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
    // It names the household the person already belongs to: its head and its village.
    expect(err.error.message).toContain('户主测试户主家');
    expect(err.error.message).toContain('中岳村');
    expect(err.error.details.issues[0]!.path).toEqual(['members', 1, 'idNumber']);
  });

  it('two registrations with the same person at the same time: exactly one succeeds', async () => {
    const shared = member('同一人', 'head', '19800101', 'female');
    const a = householdBody({ members: [shared] });
    const b = householdBody({ members: [member('户主乙', 'head', '19810101', 'male'), { ...shared, relationToHead: 'spouse' }] });
    const [ra, rb] = await Promise.all([clerk.request('POST', '/api/households', a), clerk.request('POST', '/api/households', b)]);
    expect([ra.statusCode, rb.statusCode].sort()).toEqual([201, 409]);
    expect(await householdsOf(shared.idNumber)).toHaveLength(1);
  });

  it('household numbers run on per village: 中岳村 0001, 0002 … and 同幸村 from 0001', async () => {
    const z = await register(clerk, householdBody({ members: [member('测试编号甲', 'head', '19700101', 'male')] }));
    const t = await register(township, householdBody({ areaCode: TONGXING, members: [member('测试编号乙', 'head', '19700101', 'male')] }));
    expect(z.householdNo.slice(0, 12)).toBe(ZHONGYUE);
    expect(Number(z.householdNo.slice(12))).toBeGreaterThan(1);
    expect(t.householdNo).toBe(`${TONGXING}0001`);
  });

  it('a household must be registered in a village, not a township', async () => {
    expectIssue(await township.request('POST', '/api/households', householdBody({ areaCode: '430181125000' })), ['areaCode']);
  });
});

describe('one person, one active household', () => {
  it('adding a member who is active in another household is refused and names the member field and the other household', async () => {
    const p = member('测试已在册', 'head', '19750303', 'male');
    const first = await register(clerk, householdBody({ members: [p] }));
    const second = await register(clerk, householdBody({ members: [member('测试另户主', 'head', '19760404', 'male')] }));
    const res = await clerk.request('POST', `/api/households/${second.id}/members`, { member: { ...p, relationToHead: 'other' }, version: second.version, reason: 'moveIn' });
    const e = expectError(res, 409, 'CONFLICT');
    expect(e.details.issues!.map((i) => i.path)).toEqual([['member', 'idNumber']]);
    expect(e.message).toContain(first.householdNo);
    // Nothing of the refused change was kept.
    expect(await read(clerk, second.id)).toMatchObject({ version: second.version, memberCount: 1 });
  });

  it('an add-member racing a registration of the same person: exactly one wins, the person is in one household', async () => {
    const host = await register(clerk, householdBody({ members: [member('测试竞争户主', 'head', '19660606', 'male')] }));
    const p = member('测试竞争者', 'spouse', '19680808', 'female');
    const [added, registered] = await Promise.all([
      clerk.request('POST', `/api/households/${host.id}/members`, { member: p, version: host.version, reason: 'marriageIn' }),
      township.request('POST', '/api/households', householdBody({ members: [{ ...p, relationToHead: 'head' }] })),
    ]);
    expect(['200/409', '409/201']).toContain(`${added.statusCode}/${registered.statusCode}`);
    expect(await householdsOf(p.idNumber)).toHaveLength(1);
  });

  it('many concurrent registrations of one person: exactly one succeeds', async () => {
    const p = member('测试多次', 'head', '19590909', 'male');
    const results = await Promise.all([0, 1, 2, 3].map(() => clerk.request('POST', '/api/households', householdBody({ members: [p] }))));
    expect(results.map((r) => r.statusCode).sort()).toEqual([201, 409, 409, 409]);
    for (const r of results.filter((x) => x.statusCode === 409)) expect((r.json() as { error: { code: string } }).error.code).toBe('CONFLICT');
  });

  it('after a member is removed, or a household removed, the person may be registered elsewhere', async () => {
    const leaving = member('测试外嫁女', 'daughter', '19990109', 'female');
    const stayingHead = member('测试原户主', 'head', '19690101', 'male');
    const h = await register(clerk, householdBody({ members: [stayingHead, leaving] }));
    const leavingId = h.members.find((m) => m.name === '测试外嫁女')!.id;
    const removed = await clerk.request('POST', `/api/households/${h.id}/members/${leavingId}/remove`, { version: h.version, reason: 'marriageOut' });
    expect(removed.statusCode, removed.body).toBe(200);
    await register(clerk, householdBody({ members: [member('测试夫家户主', 'head', '19970202', 'male'), { ...leaving, relationToHead: 'spouse' }] }));

    const after = (removed.json() as HouseholdDto).version;
    const gone = await township.request('POST', `/api/households/${h.id}/remove`, { version: after, reason: '户主迁往外省' });
    expect(gone.statusCode, gone.body).toBe(200);
    const elsewhere = await register(admin, householdBody({ areaCode: CHENGXI, members: [stayingHead] }));
    expect(await householdsOf(stayingHead.idNumber)).toEqual([elsewhere.householdNo]);
  });

  it('a removed household can no longer be changed', async () => {
    const h = await register(clerk, householdBody({ members: [member('测试注销户', 'head', '19580808', 'male')] }));
    const r = await township.request('POST', `/api/households/${h.id}/remove`, { version: h.version, reason: '核查为重复建档' });
    expect(r.statusCode, r.body).toBe(200);
    expectError(await clerk.request('PATCH', `/api/households/${h.id}`, { version: h.version + 1, groupName: '一组' }), 409, 'CONFLICT');
  });
});

describe('exactly one head', () => {
  it('no head: 400 on members', async () => {
    const res = await clerk.request('POST', '/api/households', householdBody({ members: [member('测试甲', 'spouse', '19700101', 'female'), member('测试乙', 'son', '19950101', 'male')] }));
    expectIssue(res, ['members']);
    expect(expectError(res, 400, 'VALIDATION_FAILED').message).toContain('户主');
  });

  it('two heads: 400 on members', async () => {
    const res = await clerk.request('POST', '/api/households', householdBody({ members: [member('测试甲', 'head', '19700101', 'male'), member('测试乙', 'head', '19710101', 'female')] }));
    expectIssue(res, ['members']);
    expect(expectError(res, 400, 'VALIDATION_FAILED').details.issues![0]!.message).toContain('只能有一名户主');
  });

  it('removing the head is refused with 409 CONFLICT; the household keeps its head', async () => {
    const h = await register(clerk, householdBody());
    const head = h.members.find((m) => m.relationToHead === 'head')!;
    const e = expectError(await clerk.request('POST', `/api/households/${h.id}/members/${head.id}/remove`, { version: h.version, reason: 'death' }), 409, 'CONFLICT');
    expect(e.message).toContain('户主');
    expect(await read(clerk, h.id)).toMatchObject({ version: h.version, headName: '测试户主', memberCount: 4 });
  });

  it('correcting the head into a son (no head left) or a son into a second head is refused with 400, nothing changed', async () => {
    const body = householdBody();
    const h = await register(clerk, body);
    const head = h.members.find((m) => m.relationToHead === 'head')!;
    const son = h.members.find((m) => m.relationToHead === 'son')!;
    const noHead = await clerk.request('PUT', `/api/households/${h.id}/members/${head.id}`, { member: { ...body.members[0], relationToHead: 'son' }, version: h.version });
    expectIssue(noHead, ['members']);
    const twoHeads = await clerk.request('PUT', `/api/households/${h.id}/members/${son.id}`, { member: { ...body.members[2], relationToHead: 'head' }, version: h.version });
    expectIssue(twoHeads, ['member', 'relationToHead']);
    expect(expectError(twoHeads, 400, 'VALIDATION_FAILED').message).toContain('只能有一名户主');
    const now = await read(clerk, h.id);
    expect(now.version).toBe(h.version);
    expect(now.members.filter((m) => m.relationToHead === 'head').map((m) => m.id)).toEqual([head.id]);
  });

  it('adding a second head, or moving a member in as head of a household that has one, is 400 on relationToHead', async () => {
    const h = await register(clerk, householdBody());
    const other = await register(clerk, householdBody({ members: [member('测试迁出户主', 'head', '19500101', 'male'), member('测试迁出子', 'son', '19800101', 'male')] }));
    expectIssue(await clerk.request('POST', `/api/households/${h.id}/members`, { member: member('测试第二户主', 'head', '19690101', 'male'), version: h.version, reason: 'moveIn' }), ['member', 'relationToHead']);
    const son = other.members.find((m) => m.name === '测试迁出子')!;
    const move = await clerk.request('POST', `/api/households/${other.id}/members/${son.id}/move`, { version: other.version, toHouseholdId: h.id, toVersion: h.version, relationToHead: 'head', reason: 'householdSplit' });
    expectIssue(move, ['relationToHead']);
    expect(await read(clerk, h.id)).toMatchObject({ version: h.version, memberCount: 4 });
    expect(await read(clerk, other.id)).toMatchObject({ version: other.version, memberCount: 2 });
  });

  it('the database refuses a second active head even when the service is bypassed (23505)', async () => {
    const h = await register(clerk, householdBody());
    const error = await database.db
      .insert(members)
      .values({ householdId: h.id, name: '测试绕过', sex: 'male', idType: 'residentId', idNumber: makeIdNumber('19700101', 'male'), birthDate: '1970-01-01', relationToHead: 'head' })
      .then(() => null, (e: unknown) => e);
    expect(pgErrorCode(error)).toBe('23505');
    // A removed head beside the active one is fine: the index covers active members only.
    await database.db.insert(members).values({ householdId: h.id, name: '测试旧户主', sex: 'male', idType: 'residentId', idNumber: makeIdNumber('19400101', 'male'), birthDate: '1940-01-01', relationToHead: 'head', status: 'removed' });
  });
});

describe('income arithmetic', () => {
  it('net income = four incomes − production costs; per capita rounded half away from zero to the fen (22700.5 ÷ 4 = 5675.13)', async () => {
    const h = await register(clerk, householdBody());
    expect(h.incomes).toEqual([
      { year: 2025, wageIncome: 18000, productionIncome: 3500.5, propertyIncome: 0, transferIncome: 2400, productionCosts: 1200, netIncome: 22700.5, memberCount: 4, perCapitaNetIncome: 5675.13 },
    ]);
    expect(h).toMatchObject({ latestIncomeYear: 2025, latestPerCapitaNetIncome: 5675.13 });
  });

  it.each([
    // [incomes, costs, members, net, per capita]
    ['a third of a fen rounds down', { wageIncome: 10000 }, 0, 3, 10000, 3333.33],
    ['two thirds of a fen round up', { wageIncome: 20000 }, 0, 3, 20000, 6666.67],
    ['a negative half fen rounds away from zero', { wageIncome: 100 }, 200.05, 2, -100.05, -50.03],
    ['costs above income give a negative net income', { wageIncome: 1000, transferIncome: 0.01 }, 5000.04, 3, -4000.03, -1333.34],
    ['cents add exactly (0.1 + 0.2)', { wageIncome: 0.1, productionIncome: 0.2 }, 0, 1, 0.3, 0.3],
  ] as const)('%s', async (_name, incomes, costs, persons, net, perCapita) => {
    const people = [member('测试收入户主', 'head', '19700101', 'male'), member('测试收入配偶', 'spouse', '19710101', 'female'), member('测试收入子', 'son', '19990101', 'male')].slice(0, persons);
    const h = await register(clerk, householdBody({ members: people, income: { year: 2024, ...incomes, productionCosts: costs } }));
    expect(h.incomes[0]).toMatchObject({ year: 2024, netIncome: net, memberCount: persons, perCapitaNetIncome: perCapita });
  });

  it('setting an earlier year keeps the latest year in the list; a later year replaces it; correcting a year replaces its figures', async () => {
    const h = await register(clerk, householdBody());
    const put = async (version: number, income: Record<string, number>) => {
      const res = await clerk.request('PUT', `/api/households/${h.id}/income`, { version, ...income });
      expect(res.statusCode, res.body).toBe(200);
      return res.json() as HouseholdDto;
    };
    let now = await put(h.version, { year: 2024, wageIncome: 8000 });
    expect(now).toMatchObject({ latestIncomeYear: 2025, latestPerCapitaNetIncome: 5675.13 });
    expect(now.incomes.map((i) => i.year)).toEqual([2025, 2024]);
    now = await put(now.version, { year: 2026, wageIncome: 40000, productionCosts: 1000 });
    expect(now).toMatchObject({ latestIncomeYear: 2026, latestPerCapitaNetIncome: 9750 });
    now = await put(now.version, { year: 2026, wageIncome: 4000 });
    expect(now.incomes.find((i) => i.year === 2026)).toMatchObject({ wageIncome: 4000, productionCosts: 0, netIncome: 4000, perCapitaNetIncome: 1000 });
    expect(now.latestPerCapitaNetIncome).toBe(1000);
  });

  it('amounts: negative, more than two decimals are 400 on the field', async () => {
    const h = await register(clerk, householdBody());
    expectIssue(await clerk.request('PUT', `/api/households/${h.id}/income`, { version: h.version, year: 2024, wageIncome: -1 }), ['wageIncome']);
    expectIssue(await clerk.request('PUT', `/api/households/${h.id}/income`, { version: h.version, year: 2024, productionCosts: 1.005 }), ['productionCosts']);
  });

  it('the database refuses an income row whose net or per-capita figure does not add up (23514)', async () => {
    const h = await register(clerk, householdBody());
    const insert = (row: Partial<typeof householdIncomes.$inferInsert>) =>
      database.db
        .insert(householdIncomes)
        .values({ householdId: h.id, year: 2019, wageIncome: 1000, productionIncome: 0, propertyIncome: 0, transferIncome: 0, productionCosts: 0, netIncome: 1000, memberCount: 3, perCapitaNetIncome: 333.33, ...row })
        .then(() => null, (e: unknown) => e);
    expect(pgErrorCode(await insert({ netIncome: 1100, perCapitaNetIncome: 366.67 }))).toBe('23514');
    expect(pgErrorCode(await insert({ perCapitaNetIncome: 333.34 }))).toBe('23514');
    expect(pgErrorCode(await insert({ memberCount: 0 }))).toBe('23514');
    expect(pgErrorCode(await insert({ wageIncome: -1000, netIncome: -1000, perCapitaNetIncome: -333.33 }))).toBe('23514');
    // The consistent row is accepted.
    expect(await insert({})).toBeNull();
  });
});

describe('poverty causes', () => {
  it.each([
    ['three other causes', { otherPovertyCauses: ['lackOfSkills', 'lackOfFunds', 'disaster'] }, ['otherPovertyCauses']],
    ['another cause equal to the main cause', { mainPovertyCause: 'illness', otherPovertyCauses: ['illness'] }, ['otherPovertyCauses']],
    ['the same other cause twice', { otherPovertyCauses: ['lackOfFunds', 'lackOfFunds'] }, ['otherPovertyCauses']],
    ['a registered poor household without a main cause', { householdType: 'registeredPoor', mainPovertyCause: null }, ['mainPovertyCause']],
    ['a cause not in the code list', { mainPovertyCause: 'laziness' }, ['mainPovertyCause']],
  ] as const)('%s: 400', async (_name, extra, path) => {
    expectIssue(await clerk.request('POST', '/api/households', householdBody(extra)), [...path]);
  });

  it('an ordinary household needs no cause; two other causes different from the main one are fine', async () => {
    await register(clerk, householdBody({ householdType: 'ordinary', mainPovertyCause: null, otherPovertyCauses: [], povertyAttribute: null }));
    const h = await register(clerk, householdBody({ mainPovertyCause: 'disability', otherPovertyCauses: ['lackOfSkills', 'lackOfFunds'] }));
    expect(h).toMatchObject({ mainPovertyCause: 'disability', otherPovertyCauses: ['lackOfSkills', 'lackOfFunds'] });
  });

  it('an edit is checked against the stored causes: clearing the main cause, or making it one of the other causes, is refused', async () => {
    const h = await register(clerk, householdBody());
    expectIssue(await clerk.request('PATCH', `/api/households/${h.id}`, { version: h.version, mainPovertyCause: null }), ['mainPovertyCause']);
    expectIssue(await clerk.request('PATCH', `/api/households/${h.id}`, { version: h.version, otherPovertyCauses: ['illness'] }), ['otherPovertyCauses']);
    // The stored other cause is lackOfSkills.
    expectIssue(await clerk.request('PATCH', `/api/households/${h.id}`, { version: h.version, mainPovertyCause: 'lackOfSkills' }), ['otherPovertyCauses']);
    expect(await read(clerk, h.id)).toMatchObject({ version: h.version, mainPovertyCause: 'illness', otherPovertyCauses: ['lackOfSkills'] });
  });

  it('an edit of one field leaves the fields it does not name as stored (other causes, housing and relocation flags)', async () => {
    const h = await register(clerk, householdBody({ otherPovertyCauses: ['lackOfSkills', 'lackOfFunds'], housingRenovated: true, relocated: true, relocationType: 'centralised', reservoirMigrant: true, militaryFamily: true }));
    const res = await clerk.request('PATCH', `/api/households/${h.id}`, { version: h.version, groupName: '一组' });
    expect(res.statusCode, res.body).toBe(200);
    const stored = await read(clerk, h.id);
    expect(stored).toMatchObject({ groupName: '一组', otherPovertyCauses: ['lackOfSkills', 'lackOfFunds'], housingRenovated: true, relocated: true, relocationType: 'centralised', reservoirMigrant: true, militaryFamily: true });
    const history = (await clerk.request('GET', `/api/households/${h.id}/history`)).json() as { items: { changedFields: string[] }[] };
    expect(history.items[0]!.changedFields).toEqual(['groupName']);
  });
});

describe('ID numbers of members', () => {
  /** A four-person body whose third member (index 2) carries `third`. */
  const withThird = (third: Record<string, unknown>) => {
    const b = householdBody();
    b.members[2] = { ...b.members[2]!, ...third } as (typeof b.members)[number];
    return b;
  };
  const refusal = async (third: Record<string, unknown>) => {
    const res = await clerk.request('POST', '/api/households', withThird(third));
    const e = expectError(res, 400, 'VALIDATION_FAILED');
    expect(e.details.issues).toHaveLength(1);
    expect(e.details.issues![0]!.path).toEqual(['members', 2, 'idNumber']);
    return e.details.issues![0]!;
  };

  it('a wrong check character names member 2 and the check character', async () => {
    const i = await refusal({ idNumber: wrongCheck(makeIdNumber('19980101', 'male')) });
    expect(i.message).toMatch(/测试之子.*校验码/);
    expect(i.messageEn).toMatch(/check character/);
  });

  it('a birth date in the future', async () => {
    const i = await refusal({ idNumber: makeIdNumber('20990101', 'male') });
    expect(i.message).toContain('晚于今天');
  });

  it('the entered sex differs from the number', async () => {
    const i = await refusal({ idNumber: makeIdNumber('19980101', 'female') });
    expect(i.message).toContain('性别');
  });

  it('the entered birth date differs from the number', async () => {
    const i = await refusal({ idNumber: makeIdNumber('19980101', 'male'), birthDate: '1998-01-02' });
    expect(i.message).toContain('1998-01-02');
    expect(i.message).toContain('1998-01-01');
  });

  it('the same number twice in one household', async () => {
    const b = householdBody();
    b.members[3] = { ...b.members[3]!, name: '测试重复', sex: 'male', idNumber: b.members[2]!.idNumber };
    const e = expectError(await clerk.request('POST', '/api/households', b), 400, 'VALIDATION_FAILED');
    expect(e.details.issues!.map((i) => i.path)).toEqual([['members', 3, 'idNumber']]);
  });

  it('every bad member is named in one answer', async () => {
    const b = householdBody();
    b.members[1]!.idNumber = wrongCheck(b.members[1]!.idNumber);
    b.members[3]!.idNumber = makeIdNumber('20120909', 'male');
    const e = expectError(await clerk.request('POST', '/api/households', b), 400, 'VALIDATION_FAILED');
    expect(e.details.issues!.map((i) => i.path)).toEqual([
      ['members', 1, 'idNumber'],
      ['members', 3, 'idNumber'],
    ]);
  });

  it('normalises: a 15-digit number is converted, lowercase x and full-width digits are stored in the standard form', async () => {
    const x = idNumberWithX('19720518', 'female');
    const wide = makeIdNumber('19980101', 'male');
    const old = '430181591012153'; // 1959-10-12, male (3)
    const b = householdBody({
      members: [
        { ...member('测试旧号', 'head', '19591012', 'male'), idNumber: old },
        { ...member('测试小写', 'spouse', '19720518', 'female'), idNumber: x.toLowerCase() },
        { ...member('测试全角', 'son', '19980101', 'male'), idNumber: ` ${fullWidth(wide)} ` },
      ],
    });
    const h = await register(clerk, b);
    const byName = (n: string) => h.members.find((m) => m.name === n)!;
    expect(byName('测试旧号')).toMatchObject({ idNumber: from15(old), birthDate: '1959-10-12' });
    expect(from15(old)).toMatch(/^430181195910121531?[\dX]$/);
    expect(byName('测试小写').idNumber).toBe(x);
    expect(byName('测试全角').idNumber).toBe(wide);
    // The normalised number is the person: the uppercase form is refused elsewhere.
    const again = await clerk.request('POST', '/api/households', householdBody({ members: [{ ...member('测试小写', 'head', '19720518', 'female'), idNumber: x }] }));
    expectError(again, 409, 'CONFLICT');
  });

  it('a disability certificate number is accepted with the category and grade it carries', async () => {
    const id = makeIdNumber('19850707', 'male');
    const h = await register(clerk, householdBody({ members: [{ ...member('测试残疾人', 'head', '19850707', 'male'), idType: 'disabilityCertificate', idNumber: `${id}42`, health: 'disabled' }] }));
    expect(h.members[0]).toMatchObject({ idType: 'disabilityCertificate', disabilityCategory: 'physical', disabilityGrade: 'grade2', birthDate: '1985-07-07', sex: 'male' });
    // The certificate holds the person's ID number: the same person cannot be registered again with it.
    expectError(await clerk.request('POST', '/api/households', householdBody({ members: [{ ...member('测试残疾人', 'head', '19850707', 'male'), idNumber: id }] })), 409, 'CONFLICT');
  });

  it('a disability certificate with a bad category, or a 20-character number as a resident ID, is refused on the member', async () => {
    const badCategory = await refusal({ idType: 'disabilityCertificate', idNumber: `${makeIdNumber('19980101', 'male')}82` });
    expect(badCategory.message).toContain('残疾类别');
    const asResident = await refusal({ idNumber: `${makeIdNumber('19980101', 'male')}42` });
    expect(asResident.message).toContain('残疾人证');
  });
});

describe('the identity claims after all of the above', () => {
  it('no claim points at a removed member', async () => {
    const res = await database.db.execute(sql`SELECT count(*)::int AS n FROM person_identities pi JOIN members m ON m.household_id = pi.household_id AND m.id = pi.member_id WHERE m.status <> 'active'`);
    const rows = (res as { rows?: { n: number }[] }).rows ?? (res as unknown as { n: number }[]);
    // No identity claim points at a removed member.
    expect(rows[0]!.n).toBe(0);
  });
});
