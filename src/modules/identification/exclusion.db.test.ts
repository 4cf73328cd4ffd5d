/**
 * Exclusion rules and cross-checks (红线 / 比对), db tier: lists import and flag the right households,
 * a re-import clears what it no longer names, justified hits stay justified, a bad row refuses the
 * whole file, settings per area, scope, and the demo's lists.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { and, eq, sql } from 'drizzle-orm';
import { resetDatabase } from '../../../test/db.ts';
import { expectError, expectIssue, MultipartBody, signInAs, testApp, type Client } from '../../../test/http.ts';
import { householdBody, makeIdNumber, member } from '../../../test/people.ts';
import { register, ZHONGYUE, TONGXING, DAWEISHAN, CHENGXI, HUAICHUAN, LIUYANG } from '../../../test/households.ts';
import { rowsOf, type Database } from '../../platform/db.ts';
import type { App } from '../../platform/http.ts';
import { SYSTEM_ACTOR } from '../../platform/auth.ts';
import { auditEvents } from '../audit/schema.ts';
import { seedHouseholds } from '../households/index.ts';
import { crossCheckLists, identificationApplications, identificationBatches, redLineHits } from './schema.ts';
import { countOpenRedLineHits, refreshRedLineHits, seedCrossCheckDemo } from './exclusion.ts';
import type { CrossCheckImportResult, CrossCheckListItem, ExclusionSettingsDto, RedLineHitItem, RedLineSummary } from './exclusion-contract.ts';

let app: App;
let database: Database;
let county: Client;
let township: Client;
let otherTownship: Client;
let clerk: Client;

/** Households: A, B, D in 中岳村; C in 城西社区 (淮川街道). A, B, C are in the procedure; D is not. */
const H = {} as Record<'A' | 'B' | 'C' | 'D', { id: string; version: number; ids: string[]; memberIds: string[] }>;

/** A two-person household with a per-capita net income of 3,150 yuan (below the 4,000 line). */
async function household(areaCode: string, head: string): Promise<{ id: string; version: number; ids: string[]; memberIds: string[] }> {
  const members = [member(`${head}`, 'head', '19700312', 'male'), member(`${head}妻`, 'spouse', '19720518', 'female')];
  const h = await register(county, householdBody({ areaCode, members, income: { year: 2025, wageIncome: 5000, productionIncome: 1500, propertyIncome: 0, transferIncome: 0, productionCosts: 200 } }));
  return { id: h.id, version: h.version, ids: members.map((m) => m.idNumber), memberIds: h.members.map((m) => m.id) };
}

async function apply(householdIds: string[], areaCode: string): Promise<void> {
  const [batch] = await database.db.insert(identificationBatches).values({ areaCode, year: 2026, title: '2026 年第一批' }).returning();
  await database.db.insert(identificationApplications).values(householdIds.map((householdId) => ({ batchId: batch!.id, householdId, areaCode, appliedOn: '2026-03-01' })));
}

function csvUpload(fields: Record<string, string>, rows: string[][], fileName = '名单.csv'): MultipartBody {
  const content = Buffer.from(`\ufeff${rows.map((r) => r.join(',')).join('\r\n')}\r\n`);
  return new MultipartBody(fields, { fileName, content, type: 'text/csv' });
}

async function hits(c: Client, query = ''): Promise<{ items: RedLineHitItem[]; total: number }> {
  const res = await c.request('GET', `/api/identification/red-line-hits${query ? `?${query}` : ''}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { items: RedLineHitItem[]; total: number };
}

const strangers = [makeIdNumber('19800101', 'male'), makeIdNumber('19810202', 'female')];
let firstVehicleList: CrossCheckImportResult;

beforeAll(async () => {
  database = await resetDatabase();
  app = await testApp(database);
  county = await signInAs(app, database, 'county_officer', LIUYANG);
  township = await signInAs(app, database, 'township_officer', DAWEISHAN);
  otherTownship = await signInAs(app, database, 'township_officer', HUAICHUAN);
  clerk = await signInAs(app, database, 'village_clerk', ZHONGYUE);
  H.A = await household(ZHONGYUE, '甲户主');
  H.B = await household(ZHONGYUE, '乙户主');
  H.C = await household(CHENGXI, '丙户主');
  H.D = await household(ZHONGYUE, '丁户主');
  await apply([H.A.id, H.B.id], ZHONGYUE);
  await apply([H.C.id], CHENGXI);
});

afterAll(async () => {
  await app.close();
});

describe('importing a cross-check list', () => {
  it('flags exactly the households in the procedure whose members are on the list', async () => {
    const res = await county.request(
      'POST',
      '/api/identification/cross-check-lists',
      csvUpload({ kind: 'vehicle', name: '机动车登记信息 2025', source: '县公安局交警大队' }, [
        ['序号', '车主姓名', '身份证号', '号牌号码', '车辆类型'],
        ['1', '甲户主妻', H.A.ids[1]!, '湘A12345', '小型轿车'],
        ['2', '丙户主', H.C.ids[0]!, '湘A67890', '小型轿车'],
        ['3', '丁户主', H.D.ids[0]!, '湘A55555', '小型轿车'],
        ['4', '路人甲', strangers[0]!, '湘A00001', '小型轿车'],
        ['', '', '', '', ''],
        ['5', '路人乙', strangers[1]!, '湘A00002', '小型轿车'],
      ]),
    );
    expect(res.statusCode, res.body).toBe(201);
    firstVehicleList = res.json() as CrossCheckImportResult;
    expect(firstVehicleList).toMatchObject({ replaced: 0, evaluated: 3, opened: 2, cleared: 0, list: { kind: 'vehicle', areaCode: LIUYANG, rowCount: 5, active: true, hits: 2, source: '县公安局交警大队' } });

    const all = await hits(county, 'status=open');
    expect(all.items.map((h) => [h.householdId, h.rule, h.memberId]).sort()).toEqual(
      [
        [H.A.id, 'vehicle', H.A.memberIds[1]],
        [H.C.id, 'vehicle', H.C.memberIds[0]],
      ].sort(),
    );
    const a = all.items.find((h) => h.householdId === H.A.id)!;
    expect(a).toMatchObject({ memberName: '甲户主妻', listName: '机动车登记信息 2025', villageName: '中岳村', townshipName: '大围山镇', status: 'open', source: firstVehicleList.list.id });
    expect(a.detail).toContain('号牌号码：湘A12345');
    expect(a.memberIdNumber).toBe(`${H.A.ids[1]!.slice(0, 6)}********${H.A.ids[1]!.slice(-4)}`);
    // B is in the procedure but on no list; D is on the list but not in the procedure.
    expect((await hits(county, `householdId=${H.B.id}`)).total).toBe(0);
    expect((await hits(county, `householdId=${H.D.id}`)).total).toBe(0);

    const [event] = await database.db.select().from(auditEvents).where(and(eq(auditEvents.action, 'identification.cross-check'), eq(auditEvents.targetId, firstVehicleList.list.id)));
    expect(event?.after).toMatchObject({ kind: 'vehicle', rows: 5, opened: 2 });
  });

  it('refuses the whole file when a row has a bad ID number, naming row, column and reason', async () => {
    const before = await database.db.select().from(crossCheckLists);
    const e = expectIssue(
      await county.request(
        'POST',
        '/api/identification/cross-check-lists',
        csvUpload({ kind: 'payroll', name: '财政供养人员' }, [
          ['姓名', '公民身份号码', '工作单位'],
          ['好人', H.B.ids[0]!, '县教育局'],
          ['错号', `${H.B.ids[1]!.slice(0, 17)}${H.B.ids[1]![17] === '0' ? '1' : '0'}`, '县教育局'],
          ['空号', '', '县财政局'],
          ['打码', '430181********1234', '县财政局'],
        ]),
      ),
      ['file', 3, '公民身份号码'],
    );
    expect(e.details.issues!.map((i) => i.path)).toEqual([
      ['file', 3, '公民身份号码'],
      ['file', 4, '公民身份号码'],
      ['file', 5, '公民身份号码'],
    ]);
    expect(e.details.issues![0]!.message).toMatch(/^第 3 行“公民身份号码”列：.*校验/);
    expect(e.details.issues![0]!.messageEn).toMatch(/^Row 3, column “公民身份号码”: /);
    expect(e.message).toContain('整个文件未导入');
    expect(await database.db.select().from(crossCheckLists)).toHaveLength(before.length);
    expect((await hits(county, `householdId=${H.B.id}`)).total).toBe(0);
  });

  it('refuses a file without an ID-number column, a township as the area, and a missing kind', async () => {
    expectIssue(await county.request('POST', '/api/identification/cross-check-lists', csvUpload({ kind: 'vehicle', name: 'x' }, [['姓名', '车牌号'], ['某人', '湘A1']])), ['file']);
    expectIssue(await county.request('POST', '/api/identification/cross-check-lists', csvUpload({ kind: 'vehicle', name: 'x', areaCode: DAWEISHAN }, [['身份证号'], [strangers[0]!]])), ['areaCode']);
    expectIssue(await county.request('POST', '/api/identification/cross-check-lists', csvUpload({ name: 'x' }, [['身份证号'], [strangers[0]!]])), ['kind']);
  });

  it('reads an .xlsx list with a title row (payroll) and flags the member on it', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('财政供养');
    ws.addRow(['浏阳市财政供养人员名单（2025 年 12 月）']);
    ws.addRow(['姓名', '身份证号码', '工作单位', '编制类型']);
    ws.addRow(['乙户主', H.B.ids[0]!, '县农业农村局', '事业编制']);
    ws.addRow(['路人甲', strangers[0]!, '县教育局', '事业编制']);
    const content = Buffer.from(await wb.xlsx.writeBuffer());
    const res = await county.request('POST', '/api/identification/cross-check-lists', new MultipartBody({ kind: 'payroll', name: '财政供养人员名单', source: '县财政局' }, { fileName: '财政供养.xlsx', content }));
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ opened: 1, list: { rowCount: 2, kind: 'payroll' } });
    const [b] = (await hits(county, `householdId=${H.B.id}`)).items;
    expect(b).toMatchObject({ rule: 'publicPayroll', memberId: H.B.memberIds[0], status: 'open' });
    expect(b!.detail).toBe('财政供养人员名单：工作单位：县农业农村局；编制类型：事业编制');
  });
});

describe('scope', () => {
  it('a township officer sees only its township’s hits, and counts by village', async () => {
    const mine = await hits(township);
    expect(mine.items.map((h) => h.householdId).sort()).toEqual([H.A.id, H.B.id].sort());
    expect((await hits(otherTownship)).items.map((h) => h.householdId)).toEqual([H.C.id]);
    expectError(await township.request('GET', `/api/identification/red-line-hits?areaCode=${HUAICHUAN}`), 404, 'NOT_FOUND');

    const summary = (await township.request('GET', '/api/identification/red-line-hits/summary')).json() as RedLineSummary;
    expect(summary).toMatchObject({ areaCode: DAWEISHAN, open: 2, justified: 0, byArea: [{ areaCode: ZHONGYUE, name: '中岳村', open: 2 }] });
    expect(summary.byRule.filter((r) => r.open > 0)).toEqual([
      { rule: 'vehicle', open: 1, justified: 0 },
      { rule: 'publicPayroll', open: 1, justified: 0 },
    ]);
    const countySummary = (await county.request('GET', '/api/identification/red-line-hits/summary')).json() as RedLineSummary;
    expect(countySummary.byArea.map((a) => [a.name, a.open])).toEqual([
      ['淮川街道', 1],
      ['大围山镇', 2],
    ]);
  });

  it('a township officer sees the county’s lists that cover it; a clerk cannot import', async () => {
    const lists = (await township.request('GET', '/api/identification/cross-check-lists')).json() as { items: CrossCheckListItem[] };
    expect(lists.items.map((l) => l.kind).sort()).toEqual(['payroll', 'vehicle']);
    expectError(await clerk.request('POST', '/api/identification/cross-check-lists', csvUpload({ kind: 'vehicle', name: 'x' }, [['身份证号'], [strangers[0]!]])), 403, 'FORBIDDEN');
  });
});

describe('justifying a hit (书面说明)', () => {
  it('needs ten characters, the override action and the hit in scope', async () => {
    const a = (await hits(county, `householdId=${H.A.id}`)).items[0]!;
    const c = (await hits(county, `householdId=${H.C.id}`)).items[0]!;
    expectIssue(await township.request('POST', `/api/identification/red-line-hits/${a.id}/justify`, { justification: '已核实' }), ['justification']);
    expectError(await clerk.request('POST', `/api/identification/red-line-hits/${a.id}/justify`, { justification: '车辆系亲属借名登记，已入户核实' }), 403, 'FORBIDDEN');
    expectError(await township.request('POST', `/api/identification/red-line-hits/${c.id}/justify`, { justification: '车辆系亲属借名登记，已入户核实' }), 404, 'NOT_FOUND');

    const res = await township.request('POST', `/api/identification/red-line-hits/${a.id}/justify`, { justification: '  车辆系亲属借名登记，已入户核实  ' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ id: a.id, status: 'justified', justification: '车辆系亲属借名登记，已入户核实', justifiedByName: '测试township_officer' });
    expect((await countOpenRedLineHits(database.db, [H.A.id, H.B.id, H.C.id])).get(H.A.id)).toBeUndefined();
    expectError(await township.request('POST', `/api/identification/red-line-hits/${a.id}/justify`, { justification: '再次说明一下这个情况吧' }), 409, 'CONFLICT');
  });
});

describe('re-importing and re-evaluating', () => {
  it('a newer list that no longer names a person clears the hit; a justified hit stays justified', async () => {
    const res = await county.request(
      'POST',
      '/api/identification/cross-check-lists',
      csvUpload({ kind: 'vehicle', name: '机动车登记信息 2026' }, [
        ['车主', '证件号码', '车牌号'],
        ['甲户主妻', H.A.ids[1]!, '湘A12345'],
        ['丁户主', H.D.ids[0]!, '湘A55555'],
      ]),
    );
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ replaced: 1, opened: 0, cleared: 1 });
    const c = (await hits(county, `householdId=${H.C.id}`)).items;
    expect(c.map((h) => h.status)).toEqual(['cleared']);
    const a = (await hits(county, `householdId=${H.A.id}`)).items;
    expect(a.map((h) => [h.rule, h.status])).toEqual([['vehicle', 'justified']]);
    const lists = (await county.request('GET', '/api/identification/cross-check-lists?kind=vehicle')).json() as { items: CrossCheckListItem[] };
    expect(lists.items.map((l) => [l.name, l.active])).toEqual([
      ['机动车登记信息 2026', true],
      ['机动车登记信息 2025', false],
    ]);
  });

  it('a justified hit stays justified when the data no longer shows it', async () => {
    await database.db.transaction(async (tx) => {
      await tx.execute(sql`UPDATE members SET status = 'removed', change_reason = 'moveOut' WHERE household_id = ${H.A.id} AND id = ${H.A.memberIds[1]!}`);
      expect(await refreshRedLineHits(tx, [H.A.id])).toEqual({ opened: 0, cleared: 0 });
    });
    expect((await hits(county, `householdId=${H.A.id}`)).items.map((h) => h.status)).toEqual(['justified']);
  });

  it('the county re-runs the rules over the whole area (回头看) and finds households outside the procedure', async () => {
    expectError(await township.request('POST', '/api/identification/red-line-hits/refresh', { areaCode: DAWEISHAN }), 403, 'FORBIDDEN');
    const plain = await county.request('POST', '/api/identification/red-line-hits/refresh', { areaCode: LIUYANG });
    expect(plain.json()).toEqual({ evaluated: 3, opened: 0, cleared: 0 });
    const all = await county.request('POST', '/api/identification/red-line-hits/refresh', { areaCode: ZHONGYUE, all: true });
    expect(all.json()).toEqual({ evaluated: 3, opened: 1, cleared: 0 });
    expect((await hits(county, `householdId=${H.D.id}`)).items.map((h) => [h.rule, h.status, h.memberId])).toEqual([['vehicle', 'open', H.D.memberIds[0]]]);
  });
});

describe('rule settings per area', () => {
  it('a county sets its income line; the area’s households are re-evaluated', async () => {
    const put = (c: Client, body: unknown) => c.request('PUT', '/api/identification/exclusion-rules', body);
    expectError(await put(township, { areaCode: DAWEISHAN, rules: [{ rule: 'incomeAboveLine', enabled: true, params: { line: 3000 } }] }), 403, 'FORBIDDEN');
    expectIssue(await put(county, { areaCode: DAWEISHAN, rules: [{ rule: 'incomeAboveLine', enabled: true, params: { line: 3000 } }] }), ['areaCode']);
    expectIssue(await put(county, { areaCode: LIUYANG, rules: [{ rule: 'incomeAboveLine', enabled: true, params: { line: -1 } }] }), ['rules', 0, 'params', 'line']);
    expectIssue(await put(county, { areaCode: LIUYANG, rules: [{ rule: 'vehicle', enabled: true, params: { line: 1 } }] }), ['rules', 0, 'params', 'line']);
    expectError(await put(county, { areaCode: '430182000000', rules: [{ rule: 'vehicle', enabled: false }] }), 404, 'NOT_FOUND');

    // 3,150 yuan per person is above a 3,000 line: A (despite its justified car), B, C in the procedure, and D, which has an open hit.
    const res = await put(county, { areaCode: LIUYANG, rules: [{ rule: 'incomeAboveLine', enabled: true, params: { line: 3000 } }] });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json() as ExclusionSettingsDto & { refreshed: { opened: number } };
    expect(body.refreshed).toMatchObject({ evaluated: 4, opened: 4 });
    expect(body.rules.find((r) => r.code === 'incomeAboveLine')).toMatchObject({ enabled: true, params: { line: 3000 }, from: LIUYANG, defaultParams: { line: 4000 } });
    const village = (await clerk.request('GET', '/api/identification/exclusion-rules')).json() as ExclusionSettingsDto;
    expect(village.areaCode).toBe(ZHONGYUE);
    expect(village.rules.find((r) => r.code === 'incomeAboveLine')).toMatchObject({ params: { line: 3000 }, from: LIUYANG });
    expect((await hits(county, 'rule=incomeAboveLine&status=open')).total).toBe(4);

    // Switching the rule off clears those hits.
    const off = (await put(county, { areaCode: LIUYANG, rules: [{ rule: 'incomeAboveLine', enabled: false }] })).json() as { refreshed: { cleared: number } };
    expect(off.refreshed.cleared).toBe(4);
    expect((await hits(county, 'rule=incomeAboveLine&status=open')).total).toBe(0);
    expectError(await county.request('GET', `/api/identification/exclusion-rules?areaCode=430182000000`), 404, 'NOT_FOUND');
  });
});

describe('the demo', () => {
  it('imports a vehicle, a payroll and a business list and shows hits on the given households', async () => {
    await seedHouseholds(database.db, { seed: 7, count: 12, villages: [{ code: TONGXING, name: '同幸村' }], year: 2026 });
    const ids = rowsOf<{ id: string }>(await database.db.execute(sql`SELECT id FROM households WHERE area_code = ${TONGXING} ORDER BY household_no`)).map((r) => r.id);
    const picked = ids.slice(0, 5);
    const r = await seedCrossCheckDemo(database.db, picked);
    expect(r.lists).toBe(3);
    expect(r.hits).toBeGreaterThanOrEqual(4);
    const found = await database.db.select({ householdId: redLineHits.householdId, rule: redLineHits.rule }).from(redLineHits).where(eq(redLineHits.status, 'open'));
    const rulesOf = (id: string) => found.filter((f) => f.householdId === id).map((f) => f.rule);
    expect(rulesOf(picked[0]!)).toContain('vehicle');
    expect(rulesOf(picked[1]!)).toContain('publicPayroll');
    expect(rulesOf(picked[2]!)).toContain('company');
    expect(rulesOf(picked[3]!)).toContain('vehicle');
    expect(rulesOf(picked[4]!).filter((x) => ['vehicle', 'publicPayroll', 'company'].includes(x))).toEqual([]);
    const lists = await database.db.select().from(crossCheckLists).where(eq(crossCheckLists.active, true));
    expect(lists.map((l) => l.kind).sort()).toEqual(['business', 'payroll', 'vehicle']);
    expect(lists.every((l) => l.importedBy === SYSTEM_ACTOR.id)).toBe(true);
  });
});
