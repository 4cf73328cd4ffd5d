/**
 * A household's assistance records survive a re-import of the household (issue 6, "done when"):
 * helper history, plan, need and measure are keyed by the household's id, which the import keeps;
 * a measure keeps naming its member (by id, and by the name recorded) when the import changes them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resetDatabase } from '../../../test/db.ts';
import { signInAs, testApp, type Client } from '../../../test/http.ts';
import { register, ZHONGYUE } from '../../../test/households.ts';
import { householdBody } from '../../../test/people.ts';
import { rowsOf, sql, type Database } from '../../platform/db.ts';
import type { Actor } from '../../platform/auth.ts';
import type { App } from '../../platform/http.ts';
import { runImport } from '../exchange/import.ts';
import { todayCst } from '../households/index.ts';
import type { HouseholdDto } from '../households/contract.ts';
import type { HouseholdAssistanceDto, MeasureDto, NeedDto, PlanDto } from './records-contract.ts';
import { fixtureAssign, fixtureHelper, fixtureUnit } from './records-testing.ts';
import { addDays } from './rules.ts';

let database: Database;
let app: App;
let clerk: Client;
let h: HouseholdDto;
let need: NeedDto;
let plan: PlanDto;
let measure: MeasureDto;
const today = todayCst();
const county: Actor = { id: null, username: 'test-county', displayName: '测试县级', role: 'county_officer', areaCode: '430181000000' };

const HEADER = ['县(市、区、旗)', '乡(镇)', '行政村', '户编号', '姓名', '证件号码', '与户主关系', '户类型', '脱贫属性', '贫困户属性', '主要致贫原因', '户联系电话'];
const RELATION: Record<string, string> = { head: '户主', spouse: '配偶', son: '之子', daughter: '之女' };

/** The household as a person list (one row per member), with `rename` applied to members' names and a new phone. */
function personList(household: HouseholdDto, rename: Record<string, string>, phone: string): Buffer {
  const rows = household.members.map((m) => ['浏阳市', '大围山镇', '中岳村', household.householdNo, rename[m.name] ?? m.name, m.idNumber, RELATION[m.relationToHead]!, '建档立卡贫困户', '未脱贫', '一般贫困户', '因病', phone]);
  return Buffer.from(`\ufeff${[HEADER, ...rows].map((r) => r.join(',')).join('\r\n')}\r\n`, 'utf8');
}

beforeAll(async () => {
  database = await resetDatabase();
  app = await testApp(database);
  clerk = await signInAs(app, database, 'village_clerk', ZHONGYUE);
  h = await register(clerk, householdBody());
  // Read in full (the clerk holds households.read-full) for the ID numbers of the person list.
  const res = await clerk.request('GET', `/api/households/${h.id}?full=true`);
  h = res.json() as HouseholdDto;
  const unit = await fixtureUnit(database.db, '浏阳市测试局');
  await fixtureAssign(database.db, h.id, await fixtureHelper(database.db, unit, '第一任帮扶人'), '2024-01-01');
  await fixtureAssign(database.db, h.id, await fixtureHelper(database.db, unit, '第二任帮扶人'), '2025-07-01', '岗位调整');
  plan = (await clerk.request('PUT', '/api/assistance/plans', { householdId: h.id, year: Number(today.slice(0, 4)), goal: '产业增收', plannedExitYear: Number(today.slice(0, 4)) + 1, plannedMeasures: [{ type: 'educationCompulsory', description: '女儿教育资助', amount: 1000 }] })).json() as PlanDto;
  need = (await clerk.request('POST', '/api/assistance/needs', { householdId: h.id, category: 'education', description: '女儿上学需资助', raisedOn: addDays(today, -40) })).json() as NeedDto;
  const daughter = h.members.find((m) => m.name === '测试之女')!;
  const m = await clerk.request('POST', '/api/assistance/measures', { householdId: h.id, type: 'educationCompulsory', memberIds: [daughter.id], onDate: addDays(today, -10), amount: 1000, fundingSource: '中央财政专项扶贫资金', needId: need.id, markNeedMet: true });
  expect(m.statusCode, m.body).toBe(201);
  measure = m.json() as MeasureDto;
});
afterAll(() => app?.close());

describe('a re-import of the household', () => {
  it('updates the household and its member in place, keeping its id and the member’s id', async () => {
    const s = await runImport(database.db, county, { buffer: personList(h, { 测试之女: '测试之女儿' }, '13900009999'), fileName: '人员名单.csv' }, { onExisting: 'update' });
    expect(s).toMatchObject({ households: 1, updated: 1, created: 0, rejected: 0, committed: true });
    const rows = rowsOf<{ id: string; phone: string; version: number }>(await database.db.execute(sql`SELECT id, phone, version FROM households`));
    expect(rows).toEqual([{ id: h.id, phone: '13900009999', version: expect.any(Number) }]);
    const daughter = rowsOf<{ id: string; name: string }>(await database.db.execute(sql`SELECT id, name FROM members WHERE id_number = ${h.members.find((m) => m.name === '测试之女')!.idNumber}`));
    expect(daughter).toEqual([{ id: measure.members[0]!.memberId, name: '测试之女儿' }]);
  });

  it('leaves the helper history, plan, need and measure in place, the measure still naming its member', async () => {
    const res = await clerk.request('GET', `/api/assistance/households/${h.id}`);
    expect(res.statusCode, res.body).toBe(200);
    const s = res.json() as HouseholdAssistanceDto;
    expect(s.helper).toMatchObject({ name: '第二任帮扶人' });
    expect(s.helperHistory.map((x) => [x.name, x.startDate, x.endDate, x.endReason])).toEqual([
      ['第二任帮扶人', '2025-07-01', null, null],
      ['第一任帮扶人', '2024-01-01', '2025-07-01', '岗位调整'],
    ]);
    expect(s.plans).toEqual([expect.objectContaining({ id: plan.id, goal: '产业增收', plannedAmount: 1000 })]);
    expect(s.needs).toEqual([expect.objectContaining({ id: need.id, status: 'met', metByMeasureId: measure.id })]);
    expect(s.measures).toHaveLength(1);
    const m = s.measures[0]!;
    expect(m).toMatchObject({ id: measure.id, type: 'educationCompulsory', amount: 1000 });
    // Named as recorded, still linked by id to the (renamed) member, who is still in the household.
    expect(m.members).toEqual([{ memberId: measure.members[0]!.memberId, name: '测试之女', idNumber: h.members.find((x) => x.name === '测试之女')!.idNumber, current: true }]);
    expect(s.members.map((x) => x.name)).toContain('测试之女儿');
    // The daughter's subsidy still counts for coverage.
    expect(s.coverage.find((c) => c.indicator === 'educationSubsidy')).toMatchObject({ should: 1, receives: 1 });
  });
});
