/**
 * Pairing on a hand-built fixture: the "no helper" list is exactly the expected households and is
 * scoped for every role; a change of helper keeps the history; a helper above the maximum is warned;
 * units and helpers are visible on the actor's line and edits are guarded; the import of a file is
 * all-or-nothing with row/column/reason, and idempotent.
 *
 * Fixture (大围山镇 = 中岳村 + 同幸村; 淮川街道 = 城西社区):
 *   中岳村: p1 p2 p3 p4 (建档立卡贫困户), m1 (监测户), o1 (一般农户), e1 (脱贫户), x1 (贫困户, removed)
 *   同幸村: p5 p6 (贫困户), r1 (相对贫困户)
 *   城西社区: p7 p8 (贫困户)
 * Must have a helper: p1–p6, m1, r1, p7, p8 (10 households).
 */
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsOf, type Database } from '../../platform/db.ts';
import type { App } from '../../platform/http.ts';
import { resetDatabase } from '../../../test/db.ts';
import { expectError, expectIssue, MultipartBody, signInAdmin, signInAs, testApp, type Client } from '../../../test/http.ts';
import { CHENGXI, DAWEISHAN, HUAICHUAN, idNumberOf, LIUYANG, register, TONGXING, ZHONGYUE } from '../../../test/households.ts';
import type { AssignmentDto, AssignmentImportResult, AssignmentPage, AssignResult, HelperDto, HelperSaveResult, UnassignedItem, UnassignedSummary, UnitDto, VillageAssignResult } from './pairing-contract.ts';

let app: App;
let database: Database;
let admin: Client;
let county: Client;
let township: Client;
let otherTownship: Client;
let clerk: Client & { username: string };
let helperClient: Client & { userId: string; username: string };
let teamMember: Client;

const H: Record<string, { id: string; no: string; idNumber: string }> = {};
let n = 0;

async function household(key: string, areaCode: string, householdType: string, status = 'notExited') {
  const i = n++;
  const idNumber = idNumberOf(`1962${String((i % 12) + 1).padStart(2, '0')}${String((i % 28) + 1).padStart(2, '0')}`, String(301 + 2 * i).padStart(3, '0'));
  const poor = householdType === 'registeredPoor';
  const h = await register(admin, {
    areaCode,
    householdType,
    status,
    ...(poor ? { povertyAttribute: 'general', mainPovertyCause: 'illness', identificationYear: 2016 } : {}),
    members: [{ name: `结对${key}`, sex: 'male', idType: 'residentId', idNumber, relationToHead: 'head' }],
  });
  H[key] = { id: h.id, no: h.householdNo, idNumber };
}

async function ok<T>(res: { statusCode: number; body: string; json: () => unknown }, status = 200): Promise<T> {
  expect(res.statusCode, res.body).toBe(status);
  return res.json() as T;
}

const unassigned = async (c: Client, query = '') => ok<{ items: UnassignedItem[]; total: number }>(await c.request('GET', `/api/assistance/unassigned?pageSize=200${query}`));
const heads = (items: { headName: string }[]) => items.map((i) => i.headName.replace('结对', '')).sort();

let unitId = '';
let townshipUnitId = '';
const helper: Record<string, HelperDto> = {};

beforeAll(async () => {
  database = await resetDatabase();
  app = await testApp(database);
  admin = await signInAdmin(app);
  county = await signInAs(app, database, 'county_officer', LIUYANG);
  township = await signInAs(app, database, 'township_officer', DAWEISHAN);
  otherTownship = await signInAs(app, database, 'township_officer', HUAICHUAN);
  clerk = await signInAs(app, database, 'village_clerk', ZHONGYUE);
  helperClient = await signInAs(app, database, 'helper', DAWEISHAN);
  teamMember = await signInAs(app, database, 'work_team_member', ZHONGYUE);
  for (const k of ['p1', 'p2', 'p3', 'p4']) await household(k, ZHONGYUE, 'registeredPoor');
  await household('m1', ZHONGYUE, 'monitored', 'monitored');
  await household('o1', ZHONGYUE, 'ordinary');
  await household('e1', ZHONGYUE, 'exited', 'exited');
  await household('x1', ZHONGYUE, 'registeredPoor');
  await household('p5', TONGXING, 'registeredPoor');
  await household('p6', TONGXING, 'registeredPoor');
  await household('r1', TONGXING, 'relativePoor');
  await household('p7', CHENGXI, 'registeredPoor');
  await household('p8', CHENGXI, 'registeredPoor');
  await database.db.execute(sql`UPDATE households SET active = false, removed_reason = 'test' WHERE id = ${H.x1!.id}`);
}, 120_000);

afterAll(async () => {
  await app.close();
});

describe('units and helpers', () => {
  it('a county unit is seen by the township (its line) but only the county edits it; a stale edit is refused', async () => {
    const u = await ok<UnitDto>(await county.request('POST', '/api/assistance/units', { name: '浏阳市测试局', kind: 'organ', level: 'county', areaCode: LIUYANG, contactPerson: '李联系', phone: '13712345678' }), 201);
    unitId = u.id;
    const t = await ok<UnitDto>(await township.request('POST', '/api/assistance/units', { name: '大围山镇测试办', kind: 'organ', level: 'township', areaCode: DAWEISHAN }), 201);
    townshipUnitId = t.id;
    const seen = await ok<{ items: UnitDto[] }>(await township.request('GET', '/api/assistance/units'));
    expect(seen.items.map((x) => [x.name, x.editable])).toEqual([
      ['浏阳市测试局', false],
      ['大围山镇测试办', true],
    ]);
    const other = await ok<{ items: UnitDto[] }>(await otherTownship.request('GET', '/api/assistance/units'));
    expect(other.items.map((x) => x.name)).toEqual(['浏阳市测试局']);
    expectError(await township.request('PUT', `/api/assistance/units/${unitId}`, { name: '改名', kind: 'organ', level: 'county', areaCode: LIUYANG, version: 1 }), 404, 'NOT_FOUND');
    expectError(await township.request('POST', '/api/assistance/units', { name: '浏阳市测试局', kind: 'organ', level: 'township', areaCode: HUAICHUAN }), 404, 'NOT_FOUND');
    const edited = await ok<UnitDto>(await county.request('PUT', `/api/assistance/units/${unitId}`, { name: '浏阳市测试局', kind: 'institution', level: 'county', areaCode: LIUYANG, contactPerson: '李联系', phone: '137****5678', version: 1 }));
    expect(edited).toMatchObject({ kind: 'institution', version: 2, phone: '13712345678' });
    expectError(await county.request('PUT', `/api/assistance/units/${unitId}`, { name: '旧版本', kind: 'organ', level: 'county', areaCode: LIUYANG, version: 1 }), 409, 'STALE_EDIT');
    expectError(await county.request('POST', '/api/assistance/units', { name: '浏阳市测试局', kind: 'organ', level: 'county', areaCode: LIUYANG }), 409, 'CONFLICT');
  });

  it('registers helpers; the account linked must be of role helper; phones are masked for roles without full reads', async () => {
    const bad = expectIssue(await township.request('POST', '/api/assistance/helpers', { name: '错账号', unitId, areaCode: DAWEISHAN, username: clerk.username }), ['username']);
    expect(bad.details.issues![0]!.message).toMatch(/账号/);
    const mk = async (name: string, phone: string, extra: Record<string, unknown> = {}) => (await ok<HelperSaveResult>(await township.request('POST', '/api/assistance/helpers', { name, unitId, post: '科员', phone, areaCode: DAWEISHAN, ...extra }), 201)).helper;
    helper.h1 = await mk('张帮扶', '13900000001', { username: helperClient.username });
    helper.h2 = await mk('李帮扶', '13900000002');
    helper.h3 = await mk('王帮扶', '13900000003', { maxHouseholds: 2 });
    helper.same = await mk('张帮扶', '13900000009', { unitId: townshipUnitId });
    expect(helper.h1).toMatchObject({ username: helperClient.username, load: 0, effectiveMax: 10, overloaded: false, phone: '13900000001', unitName: '浏阳市测试局' });
    expect(helper.h3!.effectiveMax).toBe(2);
    expect(expectError(await township.request('POST', '/api/assistance/helpers', { name: '重复关联', unitId, areaCode: DAWEISHAN, username: helperClient.username }), 400, 'VALIDATION_FAILED').message).toMatch(/已关联帮扶责任人张帮扶/);
    const forTeam = await ok<{ items: HelperDto[] }>(await teamMember.request('GET', '/api/assistance/helpers?pageSize=50'));
    expect(forTeam.items.find((x) => x.id === helper.h2!.id)?.phone).toBe('139****0002');
    // A helper-role account sees only its own helper record.
    const own = await ok<{ items: HelperDto[] }>(await helperClient.request('GET', '/api/assistance/helpers'));
    expect(own.items.map((x) => x.id)).toEqual([helper.h1!.id]);
    // The other township does not see helpers of 大围山镇.
    const other = await ok<{ items: HelperDto[] }>(await otherTownship.request('GET', '/api/assistance/helpers'));
    expect(other.items).toEqual([]);
  });
});

describe('households without a helper', () => {
  it('lists exactly the assisted, active households without a helper, scoped for every role', async () => {
    expect(heads((await unassigned(county)).items)).toEqual(['m1', 'p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'p7', 'p8', 'r1']);
    await ok<AssignResult>(await township.request('POST', '/api/assistance/assignments', { householdIds: [H.p1!.id, H.p2!.id], helperId: helper.h1!.id, startDate: '2025-03-01' }));
    await ok<AssignResult>(await township.request('POST', '/api/assistance/assignments', { householdIds: [H.p5!.id], helperId: helper.h2!.id, startDate: '2025-03-01' }));
    expect(heads((await unassigned(county)).items)).toEqual(['m1', 'p3', 'p4', 'p6', 'p7', 'p8', 'r1']);
    expect(heads((await unassigned(township)).items)).toEqual(['m1', 'p3', 'p4', 'p6', 'r1']);
    expect(heads((await unassigned(otherTownship)).items)).toEqual(['p7', 'p8']);
    expect(heads((await unassigned(clerk)).items)).toEqual(['m1', 'p3', 'p4']);
    expect((await unassigned(helperClient)).items).toEqual([]);
    expect(heads((await unassigned(county, `&areaCode=${TONGXING}`)).items)).toEqual(['p6', 'r1']);
    expectError(await township.request('GET', `/api/assistance/unassigned?areaCode=${CHENGXI}`), 404, 'NOT_FOUND');
  });

  it('counts per village and per township for drill-down', async () => {
    const t = await ok<UnassignedSummary>(await township.request('GET', '/api/assistance/unassigned/summary'));
    expect(t).toMatchObject({ areaName: '大围山镇', assisted: 8, withoutHelper: 5 });
    expect(t.children).toEqual([
      { code: ZHONGYUE, name: '中岳村', assisted: 5, withoutHelper: 3 },
      { code: TONGXING, name: '同幸村', assisted: 3, withoutHelper: 2 },
    ]);
    const c = await ok<UnassignedSummary>(await county.request('GET', '/api/assistance/unassigned/summary'));
    expect(c.children).toEqual([
      { code: HUAICHUAN, name: '淮川街道', assisted: 2, withoutHelper: 2 },
      { code: DAWEISHAN, name: '大围山镇', assisted: 8, withoutHelper: 5 },
    ]);
  });

  it('a helper sees only their own households', async () => {
    const mine = await ok<{ items: AssignmentDto[] }>(await helperClient.request('GET', `/api/assistance/assignments?helperId=${helper.h1!.id}`));
    expect(heads(mine.items)).toEqual(['p1', 'p2']);
    expectError(await helperClient.request('GET', `/api/assistance/assignments?helperId=${helper.h2!.id}`), 404, 'NOT_FOUND');
    expectError(await helperClient.request('GET', `/api/assistance/assignments?householdId=${H.p5!.id}`), 404, 'NOT_FOUND');
  });
});

describe('changing a helper', () => {
  it('refuses a second current helper unless replaced with a reason, and keeps the history', async () => {
    const refused = expectIssue(await township.request('POST', '/api/assistance/assignments', { householdIds: [H.p1!.id], helperId: helper.h2!.id, startDate: '2025-09-01' }), ['householdIds', 0]);
    expect(refused.details.issues![0]!.message).toMatch(/已有帮扶责任人张帮扶/);
    expectIssue(await township.request('POST', '/api/assistance/assignments', { householdIds: [H.p1!.id], helperId: helper.h2!.id, startDate: '2025-09-01', replace: true }), ['reason']);
    const r = await ok<AssignResult>(await township.request('POST', '/api/assistance/assignments', { householdIds: [H.p1!.id], helperId: helper.h2!.id, startDate: '2025-09-01', replace: true, reason: '原帮扶人工作调动' }));
    expect(r).toMatchObject({ assigned: 1, replaced: 1, unchanged: 0, warnings: [] });
    const history = await ok<{ items: AssignmentDto[] }>(await township.request('GET', `/api/assistance/assignments?householdId=${H.p1!.id}`));
    expect(history.items.map((a) => [a.helperName, a.startDate, a.endDate, a.endReason, a.current])).toEqual([
      ['李帮扶', '2025-09-01', null, null, true],
      ['张帮扶', '2025-03-01', '2025-09-01', '原帮扶人工作调动', false],
    ]);
    // Assigning the same helper again writes nothing.
    expect(await ok<AssignResult>(await township.request('POST', '/api/assistance/assignments', { householdIds: [H.p1!.id], helperId: helper.h2!.id, startDate: '2025-10-01' }))).toMatchObject({ assigned: 0, unchanged: 1 });
    // The database itself keeps one current helper per household.
    const dup = await database.db.execute(sql`INSERT INTO helper_assignments (household_id, helper_id, start_date) VALUES (${H.p1!.id}, ${helper.h3!.id}, '2025-10-01')`).catch((e: unknown) => e);
    expect((dup as { cause?: { code?: string }; code?: string }).cause?.code ?? (dup as { code?: string }).code).toBe('23505');
  });

  it('ends an assignment with a reason; the household is listed again with the end date', async () => {
    const [cur] = (await ok<{ items: AssignmentDto[] }>(await township.request('GET', `/api/assistance/assignments?helperId=${helper.h1!.id}`))).items;
    expect(cur!.headName).toBe('结对p2');
    expectIssue(await township.request('POST', `/api/assistance/assignments/${cur!.id}/end`, { endDate: '2025-12-01', reason: '' }), ['reason']);
    expectIssue(await township.request('POST', `/api/assistance/assignments/${cur!.id}/end`, { endDate: '2025-01-01', reason: '调离' }), ['endDate']);
    const ended = await ok<AssignmentDto>(await township.request('POST', `/api/assistance/assignments/${cur!.id}/end`, { endDate: '2025-12-01', reason: '调离' }));
    expect(ended).toMatchObject({ current: false, endDate: '2025-12-01', endReason: '调离' });
    expectError(await township.request('POST', `/api/assistance/assignments/${cur!.id}/end`, { endDate: '2025-12-01', reason: '调离' }), 409, 'CONFLICT');
    const list = await unassigned(clerk);
    expect(list.items.find((i) => i.id === H.p2!.id)).toMatchObject({ lastEndDate: '2025-12-01', villageName: '中岳村', townshipName: '大围山镇' });
  });
});

describe('load', () => {
  it('saves above the maximum with a warning, and the helper list flags the helper', async () => {
    const r = await ok<AssignResult>(await township.request('POST', '/api/assistance/assignments', { householdIds: [H.p3!.id, H.p4!.id, H.m1!.id], helperId: helper.h3!.id, startDate: '2025-04-01' }));
    expect(r.assigned).toBe(3);
    expect(r.warnings).toEqual([expect.objectContaining({ code: 'OVERLOADED', helperId: helper.h3!.id, households: 3, max: 2, message: '王帮扶现帮扶 3 户，超过上限 2 户' })]);
    const over = await ok<{ items: HelperDto[] }>(await township.request('GET', '/api/assistance/helpers?overloaded=true'));
    expect(over.items.map((h) => [h.name, h.load, h.effectiveMax, h.overloaded])).toEqual([['王帮扶', 3, 2, true]]);
    // The area's maximum applies where the helper has none of their own: set 大围山镇's to 1.
    await ok(await admin.request('PUT', '/api/assistance/settings', { areaCode: DAWEISHAN, visitPeriodDays: 30, maxHouseholdsPerHelper: 1 }));
    const all = await ok<{ items: HelperDto[] }>(await township.request('GET', '/api/assistance/helpers?overloaded=true'));
    expect(all.items.map((h) => [h.name, h.load, h.effectiveMax]).sort()).toEqual([
      ['李帮扶', 2, 1],
      ['王帮扶', 3, 2],
    ]);
    await ok(await admin.request('PUT', '/api/assistance/settings', { areaCode: DAWEISHAN, visitPeriodDays: 30, maxHouseholdsPerHelper: 10 }));
  });

  it('a helper with households cannot be deactivated, nor a unit with active helpers', async () => {
    const h3 = helper.h3!;
    expectError(await township.request('PUT', `/api/assistance/helpers/${h3.id}`, { name: h3.name, unitId, areaCode: DAWEISHAN, phone: h3.phone, maxHouseholds: 2, active: false, version: h3.version }), 409, 'CONFLICT');
    expectError(await county.request('PUT', `/api/assistance/units/${unitId}`, { name: '浏阳市测试局', kind: 'institution', level: 'county', areaCode: LIUYANG, active: false, version: 2 }), 409, 'CONFLICT');
    const lowered = await ok<HelperSaveResult>(await township.request('PUT', `/api/assistance/helpers/${h3.id}`, { name: h3.name, unitId, areaCode: DAWEISHAN, phone: '139****0003', maxHouseholds: 1, version: h3.version }));
    expect(lowered.helper).toMatchObject({ maxHouseholds: 1, version: 2 });
    expect(lowered.warnings.map((w) => [w.households, w.max])).toEqual([[3, 1]]);
    const stored = rowsOf<{ phone: string }>(await database.db.execute(sql`SELECT phone FROM helpers WHERE id = ${h3.id}`));
    expect(stored[0]!.phone).toBe('13900000003');
  });
});

describe('bulk assignment by village', () => {
  it('spreads the village’s households without a helper over the helpers, least loaded first', async () => {
    // 同幸村: p6 and r1 have no helper; 张帮扶 carries 0 households (p2 ended), 李帮扶 2.
    const r = await ok<VillageAssignResult>(await township.request('POST', '/api/assistance/assignments/by-village', { villageCode: TONGXING, helperIds: [helper.h2!.id, helper.h1!.id], startDate: '2025-05-01' }));
    expect(r.assigned).toBe(2);
    expect(r.byHelper.map((b) => [b.helperName, b.assigned, b.load])).toEqual([
      ['李帮扶', 0, 2],
      ['张帮扶', 2, 2],
    ]);
    expect((await unassigned(township, `&areaCode=${TONGXING}`)).total).toBe(0);
    // Once the village is fully paired, a second run pairs nothing (the page says so).
    expect(await ok<VillageAssignResult>(await township.request('POST', '/api/assistance/assignments/by-village', { villageCode: TONGXING, helperIds: [helper.h1!.id], startDate: '2025-05-01' }))).toMatchObject({ assigned: 0, byHelper: [{ assigned: 0 }] });
    expectIssue(await township.request('POST', '/api/assistance/assignments/by-village', { villageCode: DAWEISHAN, helperIds: [helper.h1!.id], startDate: '2025-05-01' }), ['villageCode']);
  });
});

describe('import of assignments', () => {
  const csv = (rows: string[][]) => Buffer.from(`\ufeff${rows.map((r) => r.join(',')).join('\r\n')}\r\n`);
  const upload = (c: Client, content: Buffer, fields: Record<string, string> = {}) => c.request('POST', '/api/assistance/assignments/import', new MultipartBody(fields, { fileName: '结对名单.csv', content, type: 'text/csv' }));
  const countRows = async () => Number(rowsOf<{ n: number }>(await database.db.execute(sql`SELECT count(*)::int AS n FROM helper_assignments`))[0]!.n);

  it('refuses a bad file with every problem by row, column and reason, and writes nothing', async () => {
    const before = await countRows();
    const file = csv([
      ['户编号', '户主身份证号', '帮扶责任人', '联系电话', '帮扶单位', '开始日期'],
      [H.p7!.no, '', '张帮扶', '', '', '2025-06-01'],
      ['4301810010019999', '', '李帮扶', '', '', '2025-06-01'],
      ['', H.p8!.idNumber, '赵未登记', '', '', '2025-06-01'],
      [H.p7!.no, '', '李帮扶', '', '', '2025/13/01'],
    ]);
    const e = expectError(await upload(county, file), 400, 'VALIDATION_FAILED');
    expect(e.details.issues!.map((i) => i.path)).toEqual([
      ['file', 2, '帮扶责任人'],
      ['file', 3, '户编号'],
      ['file', 4, '帮扶责任人'],
      ['file', 5, '开始日期'],
    ]);
    expect(e.details.issues![0]!.message).toBe('第 2 行“帮扶责任人”列：有 2 位名为张帮扶的帮扶责任人，请填写联系电话或帮扶单位以区分');
    expect(e.details.issues![2]!.messageEn).toMatch(/^Row 4, column “帮扶责任人”: no helper 赵未登记/);
    // The refusal quotes the import page's checkbox word for word.
    expect(e.details.issues![2]!.message).toBe('第 4 行“帮扶责任人”列：找不到帮扶责任人赵未登记：请先登记，或勾选“自动新建未登记的帮扶责任人”并填写帮扶单位');
    expect(e.details.issues![2]!.messageEn).toBe('Row 4, column “帮扶责任人”: no helper 赵未登记: register them first, or tick “Create helpers not yet registered” and give the unit');
    expect(e.message).toMatch(/4 行有问题，整个文件未导入/);
    expect(await countRows()).toBe(before);
    // The other township cannot import households of 淮川街道's neighbour.
    const t = expectError(await upload(township, csv([['户编号', '帮扶责任人'], [H.p7!.no, '李帮扶']])), 400, 'VALIDATION_FAILED');
    expect(t.details.issues![0]!.message).toMatch(/不在您的管辖范围内/);
  });

  it('imports a good file in one go (creating a helper when asked), and a re-import changes nothing', async () => {
    const file = csv([
      ['序号', '户编号', '户主身份证号', '帮扶责任人', '联系电话', '帮扶单位', '开始日期'],
      ['1', H.p7!.no, '', '张帮扶', '13900000001', '', '2025-06-01'],
      ['2', '', H.p8!.idNumber, '赵新人', '13900000077', '浏阳市测试局', '2025年6月2日'],
    ]);
    const first = await ok<AssignmentImportResult>(await upload(county, file, { createHelpers: 'true' }));
    expect(first).toMatchObject({ rows: 2, assigned: 2, replaced: 0, skipped: 0, helpersCreated: 1 });
    const p8 = await ok<{ items: AssignmentDto[] }>(await county.request('GET', `/api/assistance/assignments?householdId=${H.p8!.id}`));
    expect(p8.items.map((a) => [a.helperName, a.unitName, a.startDate])).toEqual([['赵新人', '浏阳市测试局', '2025-06-02']]);
    const again = await ok<AssignmentImportResult>(await upload(county, file, { createHelpers: 'true' }));
    expect(again).toMatchObject({ rows: 2, assigned: 0, skipped: 2, helpersCreated: 0 });
    expect((await unassigned(county)).items.map((i) => i.headName)).toEqual(['结对p2']);
    // A different helper for a paired household is refused unless a reason for the change is given.
    const change = csv([
      ['户编号', '帮扶责任人', '联系电话'],
      [H.p7!.no, '李帮扶', '13900000002'],
    ]);
    expect(expectError(await upload(county, change), 400, 'VALIDATION_FAILED').details.issues![0]!.message).toMatch(/该户现由张帮扶帮扶/);
    const changed = await ok<AssignmentImportResult>(await upload(county, change, { replaceReason: '按乡镇调整' }));
    expect(changed).toMatchObject({ assigned: 1, replaced: 1 });
    const audit = rowsOf<{ n: number }>(await database.db.execute(sql`SELECT count(*)::int AS n FROM audit_events WHERE target_type = 'helperAssignmentImport'`));
    expect(audit[0]!.n).toBe(3);
  });
});

describe('the import template', () => {
  const download = async (c: Client) => {
    const res = await c.request('GET', '/api/assistance/assignments/template');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(String(res.headers['content-disposition'])).toContain(encodeURIComponent('结对名单导入模板.xlsx'));
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    return wb;
  };
  const upload = async (c: Client, wb: ExcelJS.Workbook) => {
    const content = Buffer.from((await wb.xlsx.writeBuffer()) as ArrayBuffer);
    return c.request('POST', '/api/assistance/assignments/import', new MultipartBody({}, { fileName: '结对名单导入模板.xlsx', content, type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' }));
  };
  const values = (ws: ExcelJS.Worksheet, row: number) => (ws.getRow(row).values as unknown[]).slice(1);

  it('has the import’s columns, one example row marked 示例 and a sheet explaining every column', async () => {
    const wb = await download(county);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['结对名单', '填写说明']);
    const ws = wb.worksheets[0]!;
    expect(values(ws, 1)).toEqual(['户编号', '户主身份证号', '帮扶责任人', '联系电话', '帮扶单位', '开始日期']);
    expect(values(ws, 2)).toEqual(['4301811250010001', expect.stringMatching(/^430181\d{11}[\dX]$/), '张三（示例）', '13800000000', '浏阳市农业农村局', '2025-03-01']);
    const help = wb.worksheets[1]!;
    const explained = Array.from({ length: help.rowCount }, (_, i) => String(help.getRow(i + 1).getCell(1).value ?? ''));
    for (const column of values(ws, 1)) expect(explained).toContain(column);
    expect(String(help.getRow(5).getCell(2).value)).toContain('自动新建未登记的帮扶责任人');
    // Only roles that pair download it.
    expectError(await clerk.request('GET', '/api/assistance/assignments/template'), 403, 'FORBIDDEN');
  });

  it('filled in with real rows, imports; the example row left in is skipped', async () => {
    // p2 has had no helper since its pairing ended.
    const wb = await download(county);
    wb.worksheets[0]!.getRow(2).values = [H.p2!.no, '', '王帮扶', '', '', '2025-12-02'];
    expect(await ok<AssignmentImportResult>(await upload(county, wb))).toMatchObject({ rows: 1, assigned: 1, skipped: 0, helpersCreated: 0 });
    const p2 = await ok<{ items: AssignmentDto[] }>(await county.request('GET', `/api/assistance/assignments?householdId=${H.p2!.id}`));
    expect(p2.items.filter((a) => a.current).map((a) => [a.helperName, a.startDate])).toEqual([['王帮扶', '2025-12-02']]);
    const kept = await download(county);
    kept.worksheets[0]!.getRow(3).values = ['', H.p2!.idNumber, '王帮扶', '', '', '2025-12-02'];
    expect(await ok<AssignmentImportResult>(await upload(county, kept))).toMatchObject({ rows: 1, assigned: 0, skipped: 1 });
  });
});

describe('a helper’s households outside the officer’s area', () => {
  it('the load counts all of them; the list shows those of the scope and counts the others', async () => {
    // 李帮扶 (大围山镇) also carries p7 of 淮川街道, given by the county's import.
    const [li] = (await ok<{ items: HelperDto[] }>(await township.request('GET', `/api/assistance/helpers?q=${encodeURIComponent('李帮扶')}`))).items;
    const seen = await ok<AssignmentPage>(await township.request('GET', `/api/assistance/assignments?helperId=${li!.id}`));
    expect(heads(seen.items)).toEqual(['p1', 'p5']);
    expect([li!.load, seen.total, seen.outsideScope]).toEqual([3, 2, 1]);
    const all = await ok<AssignmentPage>(await county.request('GET', `/api/assistance/assignments?helperId=${li!.id}`));
    expect([all.total, all.outsideScope]).toEqual([3, 0]);
    const byHousehold = await ok<AssignmentPage>(await township.request('GET', `/api/assistance/assignments?householdId=${H.p1!.id}`));
    expect(byHousehold.outsideScope).toBe(0);
  });
});

describe('phones of helpers and units', () => {
  // Work contacts: in full in every list for roles holding households.read-full (officers who pair
  // and call helpers), masked for the others (helpers, work-team members).
  const phones = async (c: Client) => {
    const hs = await ok<{ items: HelperDto[] }>(await c.request('GET', '/api/assistance/helpers?pageSize=50'));
    const us = await ok<{ items: UnitDto[] }>(await c.request('GET', '/api/assistance/units'));
    const own = hs.items.find((h) => h.name === '张帮扶' && h.unitName === '浏阳市测试局')!;
    const as = await ok<{ items: AssignmentDto[] }>(await c.request('GET', `/api/assistance/assignments?helperId=${own.id}&current=all`));
    return { helper: own.phone, unit: us.items.find((u) => u.name === '浏阳市测试局')!.phone, assignment: as.items[0]!.helperPhone };
  };

  it('shows them in full to officers and masked to helpers and work-team members', async () => {
    expect(await phones(township)).toEqual({ helper: '13900000001', unit: '13712345678', assignment: '13900000001' });
    expect(await phones(clerk)).toEqual({ helper: '13900000001', unit: '13712345678', assignment: '13900000001' });
    expect(await phones(helperClient)).toEqual({ helper: '139****0001', unit: '137****5678', assignment: '139****0001' });
    expect(await phones(teamMember)).toEqual({ helper: '139****0001', unit: '137****5678', assignment: '139****0001' });
  });
});
