/**
 * The identification procedure through the API, as a village, a township and a county would walk it
 * (浏阳市 is in Hunan: the province adds the 比对 step). Every forbidden transition is refused with its
 * own error code, and nothing moves when a step is refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resetDatabase } from '../../../test/db.ts';
import { expectError, MultipartBody, signInAs, testApp, type Client } from '../../../test/http.ts';
import { householdBody, member } from '../../../test/people.ts';
import type { App } from '../../platform/http.ts';
import type { Database } from '../../platform/db.ts';
import type { BatchDto, NoticeListDto, ObjectionDto, StepResultDto, TimelineDto, WorklistItemDto } from './contract.ts';
import type { HouseholdDto } from '../households/contract.ts';
import { eq } from 'drizzle-orm';
import { householdEvents, redLineHits } from './schema.ts';

const ZHONGYUE = '430181125201'; // 大围山镇 中岳村
const DAWEISHAN = '430181125000';
const LIUYANG = '430181000000';

let database: Database;
let app: App;
let clerk: Client;
let township: Client;
let county: Client;
const hh: HouseholdDto[] = [];

async function ordinaryHousehold(name: string, birth: string): Promise<HouseholdDto> {
  const res = await clerk.request('POST', '/api/households', householdBody({ householdType: 'ordinary', income: LOW_INCOME, members: [member(name, 'head', birth, 'male')] }));
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as HouseholdDto;
}

const sign = { responsiblePerson: '测试责任人' };
/** Below the identification line (2,800.00 yuan per person for one person): no red-line hit from income. */
const LOW_INCOME = { year: 2025, wageIncome: 1500, productionIncome: 1000, propertyIncome: 0, transferIncome: 500, productionCosts: 200 };

beforeAll(async () => {
  database = await resetDatabase();
  app = await testApp(database);
  clerk = await signInAs(app, database, 'village_clerk', ZHONGYUE);
  township = await signInAs(app, database, 'township_officer', DAWEISHAN);
  county = await signInAs(app, database, 'county_officer', LIUYANG);
  hh.push(await ordinaryHousehold('识别甲', '19600101'), await ordinaryHousehold('识别乙', '19650202'), await ordinaryHousehold('识别丙', '19700303'));
});
afterAll(() => app?.close());

describe('a batch through every step', () => {
  let batch: BatchDto;
  const appOf = (name: string) => batch.applications.find((a) => a.headName === name)!;
  const step = async (c: Client, path: string, body: unknown) => {
    const res = await c.request('POST', `/api/identification/batches/${batch.id}/${path}`, body);
    expect(res.statusCode, res.body).toBe(200);
    const r = res.json() as StepResultDto;
    batch = r.batch;
    return r;
  };

  it('the clerk submits the village’s candidates; each is at 已申请', async () => {
    const res = await clerk.request('POST', '/api/identification/batches', {
      areaCode: ZHONGYUE,
      year: 2026,
      applications: hh.map((h) => ({ householdId: h.id, appliedOn: '2026-03-01', statement: '家中有病人，收入低' })),
    });
    expect(res.statusCode, res.body).toBe(201);
    batch = res.json() as BatchDto;
    expect(batch.title).toBe('中岳村2026年贫困户识别');
    expect(batch.crossCheckStep).toBe(true);
    expect(batch.appraisalQuorum).toBeCloseTo(2 / 3);
    expect(batch.states).toEqual({ applied: 3 });
    expect(appOf('识别甲').nextActions).toEqual(['appraise', 'withdraw']);
  });

  it('a household cannot apply twice at once', async () => {
    const res = await clerk.request('POST', '/api/identification/batches', { areaCode: ZHONGYUE, year: 2026, applications: [{ householdId: hh[0]!.id, appliedOn: '2026-03-01' }] });
    const e = expectError(res, 400, 'VALIDATION_FAILED');
    expect(e.details.issues![0]!.path).toEqual(['applications', 0, 'householdId']);
    expect(e.message).toContain('已有一份进行中的申请');
  });

  it('skipping the appraisal is refused: STEP_NOT_ALLOWED, nothing moves', async () => {
    const res = await clerk.request('POST', `/api/identification/batches/${batch.id}/notices`, {
      ...sign,
      kind: 'firstNotice',
      startDate: '2026-03-10',
      endDate: '2026-03-16',
      postedAt: '村务公开栏',
      objectionContact: '乡镇扶贫办 0731-00000000',
    });
    expectError(res, 409, 'STEP_NOT_ALLOWED');
    const after = (await clerk.request('GET', `/api/identification/batches/${batch.id}`)).json() as BatchDto;
    expect(after.states).toEqual({ applied: 3 });
    expect(after.notices).toEqual([]);
  });

  it('an appraisal without two thirds of the representatives is refused: QUORUM_NOT_MET', async () => {
    const res = await clerk.request('POST', `/api/identification/batches/${batch.id}/appraisal`, { ...sign, meetingDate: '2026-03-05', representatives: 30, attended: 19, chairedBy: '村主任' });
    const e = expectError(res, 409, 'QUORUM_NOT_MET');
    expect(e.message).toContain('至少 20 人到会');
    // The meeting concerns the whole batch: said once, not blamed on one household.
    expect(e.message).not.toContain('户：');
    expect(e.details.blocked).toHaveLength(3);
  });

  it('the appraisal records the meeting and each household’s votes', async () => {
    const votes = batch.applications.map((a) => ({ applicationId: a.id, votesFor: 18, votesAgainst: 2 }));
    const r = await step(clerk, 'appraisal', { ...sign, meetingDate: '2026-03-05', representatives: 30, attended: 20, chairedBy: '村主任', minutes: '会议记录', votes });
    expect(r.moved).toBe(3);
    expect(batch.states).toEqual({ appraised: 3 });
    expect(batch.appraisal).toMatchObject({ meetingDate: '2026-03-05', attended: 20, representatives: 30, chairedBy: '村主任' });
    expect(appOf('识别乙')).toMatchObject({ votesFor: 18, votesAgainst: 2 });
  });

  it('the signed minutes are attached as a scan (PDF, JPEG or PNG) and read back', async () => {
    const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(2000, 32), Buffer.from('\n%%EOF\n')]);
    const notPdf = await clerk.request('POST', `/api/identification/batches/${batch.id}/appraisal/minutes`, new MultipartBody({}, { fileName: '会议记录.docx', content: Buffer.from('PK\x03\x04 not a scan'), type: 'application/pdf' }));
    const e = expectError(notPdf, 400, 'VALIDATION_FAILED');
    expect(e.message).toContain('不是 PDF、JPEG 或 PNG 文件');
    const res = await clerk.request('POST', `/api/identification/batches/${batch.id}/appraisal/minutes`, new MultipartBody({}, { fileName: '民主评议会议记录.pdf', content: pdf, type: 'application/pdf' }));
    expect(res.statusCode, res.body).toBe(200);
    expect((res.json() as BatchDto).appraisal?.minutesFileName).toBe('民主评议会议记录.pdf');
    const back = await township.request('GET', `/api/identification/batches/${batch.id}/appraisal/minutes`);
    expect(back.statusCode).toBe(200);
    expect(back.headers['content-type']).toBe('application/pdf');
    expect(back.rawPayload.equals(pdf)).toBe(true);
  });

  it('the village cannot take the township’s 比对 step (403), the township does', async () => {
    expectError(await clerk.request('POST', `/api/identification/batches/${batch.id}/cross-check`, sign), 403, 'FORBIDDEN');
    await step(township, 'cross-check', { ...sign, onDate: '2026-03-07' });
    expect(batch.states).toEqual({ crossChecked: 3 });
  });

  it('a notice shorter than 7 days is refused: NOTICE_TOO_SHORT', async () => {
    const res = await clerk.request('POST', `/api/identification/batches/${batch.id}/notices`, { ...sign, kind: 'firstNotice', startDate: '2026-03-10', endDate: '2026-03-15', postedAt: '村务公开栏', objectionContact: '乡镇扶贫办' });
    const e = expectError(res, 409, 'NOTICE_TOO_SHORT');
    expect(e.message).toContain('不少于 7 天');
  });

  it('the first notice is posted for 7 days', async () => {
    await step(clerk, 'notices', { ...sign, kind: 'firstNotice', startDate: '2026-03-10', endDate: '2026-03-16', postedAt: '村务公开栏', objectionContact: '乡镇扶贫办 0731-00000000' });
    expect(batch.states).toEqual({ firstNotice: 3 });
    expect(batch.notices).toMatchObject([{ kind: 'firstNotice', startDate: '2026-03-10', endDate: '2026-03-16', applicationCount: 3, ended: true }]);
  });

  it('the township review on the notice’s last day is refused: NOTICE_NOT_ENDED', async () => {
    const e = expectError(await township.request('POST', `/api/identification/batches/${batch.id}/township-review`, { ...sign, onDate: '2026-03-16' }), 409, 'NOTICE_NOT_ENDED');
    expect(e.message).toContain('2026-03-16 之后');
  });

  let objection: ObjectionDto;
  it('an anonymous objection against one household blocks its review: OPEN_OBJECTION; the others may go on', async () => {
    const res = await clerk.request('POST', `/api/identification/applications/${appOf('识别丙').id}/objections`, { raisedOn: '2026-03-12', grounds: '该户子女在城里有房' });
    expect(res.statusCode, res.body).toBe(201);
    objection = res.json() as ObjectionDto;
    expect(objection).toMatchObject({ status: 'open', raisedBy: null, headName: '识别丙' });

    const refused = await township.request('POST', `/api/identification/batches/${batch.id}/township-review`, { ...sign, onDate: '2026-03-17' });
    const e = expectError(refused, 409, 'OPEN_OBJECTION');
    expect(e.details.blocked).toEqual([expect.objectContaining({ applicationId: appOf('识别丙').id, code: 'OPEN_OBJECTION' })]);
    expect(((await township.request('GET', `/api/identification/batches/${batch.id}`)).json() as BatchDto).states).toEqual({ firstNotice: 3 });

    const r = await step(township, 'township-review', { ...sign, onDate: '2026-03-17', skipBlocked: true });
    expect(r.moved).toBe(2);
    expect(r.blocked.map((b) => b.code)).toEqual(['OPEN_OBJECTION']);
    expect(batch.states).toEqual({ townshipReviewed: 2, firstNotice: 1 });
  });

  it('the worklist shows the township the objection to decide', async () => {
    const items = ((await township.request('GET', '/api/identification/worklist')).json() as { items: WorklistItemDto[] }).items;
    expect(items).toContainEqual(expect.objectContaining({ kind: 'objection', batchId: batch.id, count: 1 }));
  });

  it('the objection is investigated and dismissed; the household is reviewed too', async () => {
    const res = await township.request('POST', `/api/identification/objections/${objection.id}/decision`, { decision: 'dismissed', decidedOn: '2026-03-18', investigation: '入户核实：房屋属子女单独户', reason: '子女已分户，不影响认定', ...sign });
    expect(res.statusCode, res.body).toBe(200);
    expect((res.json() as ObjectionDto).status).toBe('dismissed');
    await step(township, 'township-review', { ...sign, onDate: '2026-03-18', applicationIds: [appOf('识别丙').id] });
    expect(batch.states).toEqual({ townshipReviewed: 3 });
  });

  it('the county cannot approve before the second notice: STEP_NOT_ALLOWED', async () => {
    expectError(await county.request('POST', `/api/identification/batches/${batch.id}/county-approval`, { ...sign, onDate: '2026-03-19' }), 409, 'STEP_NOT_ALLOWED');
  });

  it('the second notice; the county approves after it has ended', async () => {
    await step(township, 'notices', { ...sign, kind: 'secondNotice', startDate: '2026-03-20', endDate: '2026-03-26', postedAt: '村务公开栏', objectionContact: '县扶贫办' });
    expect(batch.states).toEqual({ secondNotice: 3 });
    await step(county, 'county-approval', { ...sign, onDate: '2026-03-27' });
    expect(batch.states).toEqual({ countyApproved: 3 });
  });

  it('a rejection needs a reason (REASON_REQUIRED); rejected with one, the household leaves the batch', async () => {
    const a = appOf('识别乙');
    const none = await county.request('POST', `/api/identification/applications/${a.id}/rejection`, { ...sign, reason: '', version: a.version });
    expectError(none, 400, 'VALIDATION_FAILED');
    // After the county's approval only the announcement can still reject (the table's allowed points).
    const early = await county.request('POST', `/api/identification/applications/${a.id}/rejection`, { ...sign, reason: '复核发现有稳定工资收入', version: a.version });
    expectError(early, 409, 'STEP_NOT_ALLOWED');
  });

  it('the announcement, then registration after it has ended: the households become registered poor', async () => {
    await step(county, 'notices', { ...sign, kind: 'announcement', startDate: '2026-03-28', endDate: '2026-04-03', postedAt: '县政府网站', objectionContact: '县扶贫办' });
    expect(batch.states).toEqual({ announced: 3 });
    const a = appOf('识别乙');
    const rejected = await county.request('POST', `/api/identification/applications/${a.id}/rejection`, { ...sign, onDate: '2026-03-30', reason: '公告期间复核发现有稳定工资收入', version: a.version });
    expect(rejected.statusCode, rejected.body).toBe(200);
    expect((rejected.json() as TimelineDto).application).toMatchObject({ state: 'rejected', endReason: '公告期间复核发现有稳定工资收入' });

    expectError(await county.request('POST', `/api/identification/batches/${batch.id}/registration`, { ...sign, onDate: '2026-04-03' }), 409, 'NOTICE_NOT_ENDED');
    const r = await step(county, 'registration', { ...sign, onDate: '2026-04-04' });
    expect(r.moved).toBe(2);
    expect(batch.states).toEqual({ registered: 2, rejected: 1 });
    const registered = (await county.request('GET', `/api/households/${hh[0]!.id}`)).json() as HouseholdDto;
    expect(registered).toMatchObject({ householdType: 'registeredPoor', status: 'notExited', identificationYear: 2026 });
    const history = (await county.request('GET', `/api/households/${hh[0]!.id}/history`)).json() as { items: { reason: string | null }[] };
    expect(history.items[0]!.reason).toBe('识别登记：中岳村2026年贫困户识别');
    const events = await database.db.select().from(householdEvents).where(eq(householdEvents.householdId, hh[0]!.id));
    expect(events).toMatchObject([{ kind: 'newEntry', onDate: '2026-04-04', areaCode: ZHONGYUE, reason: '中岳村2026年贫困户识别' }]);
    const stillOrdinary = (await county.request('GET', `/api/households/${hh[1]!.id}`)).json() as HouseholdDto;
    expect(stillOrdinary.householdType).toBe('ordinary');
  });

  it('a registered application has ended: PROCEDURE_ENDED', async () => {
    const a = appOf('识别甲');
    expectError(await county.request('POST', `/api/identification/applications/${a.id}/rejection`, { ...sign, reason: '再次复核', version: a.version }), 409, 'PROCEDURE_ENDED');
  });

  it('the timeline shows every step with its date and responsible person', async () => {
    const t = (await township.request('GET', `/api/identification/applications/${appOf('识别丙').id}`)).json() as TimelineDto;
    expect(t.steps.map((s) => [s.action, s.onDate])).toEqual([
      ['apply', '2026-03-01'],
      ['appraise', '2026-03-05'],
      ['crossCheck', '2026-03-07'],
      ['openFirstNotice', '2026-03-10'],
      ['reviewTownship', '2026-03-18'],
      ['openSecondNotice', '2026-03-20'],
      ['approveCounty', '2026-03-27'],
      ['announce', '2026-03-28'],
      ['register', '2026-04-04'],
    ]);
    expect(t.steps.every((s) => s.responsiblePerson.length > 0)).toBe(true);
    expect(t.objections).toMatchObject([{ status: 'dismissed', decisionReason: '子女已分户，不影响认定' }]);
  });

  it('the announcement list prints the registered households with ID numbers masked', async () => {
    const res = await clerk.request('GET', `/api/identification/batches/${batch.id}/notices/announcement`);
    expect(res.statusCode, res.body).toBe(200);
    const list = res.json() as NoticeListDto;
    expect(list).toMatchObject({ title: '中岳村2026年贫困户识别公告', village: '中岳村', township: '大围山镇', county: '浏阳市', startDate: '2026-03-28', endDate: '2026-04-03', postedAt: '县政府网站' });
    expect(list.rows.map((r) => r.headName)).toEqual(['识别甲', '识别丙']);
    for (const r of list.rows) expect(r.idNumberMasked).toMatch(/^430181\*{8}\d{3}[\dX]$/);
  });

  it('every step was audited', async () => {
    const res = await county.request('GET', `/api/audit?targetId=${batch.id}&pageSize=50`);
    expect(res.statusCode, res.body).toBe(200);
    const actions = (res.json() as { items: { action: string }[] }).items.map((i) => i.action);
    expect(actions.filter((a) => a.startsWith('identification.')).length).toBeGreaterThanOrEqual(9);
  });
});

describe('an upheld objection', () => {
  it('takes the household out of the batch with the objection as the reason', async () => {
    const h = await ordinaryHousehold('识别丁', '19750404');
    const created = (await clerk.request('POST', '/api/identification/batches', { areaCode: ZHONGYUE, year: 2026, title: '补充批次', applications: [{ householdId: h.id, appliedOn: '2026-05-01' }] })).json() as BatchDto;
    const path = `/api/identification/batches/${created.id}`;
    expect((await clerk.request('POST', `${path}/appraisal`, { ...sign, meetingDate: '2026-05-03', representatives: 9, attended: 9, chairedBy: '村主任' })).statusCode).toBe(200);
    expect((await township.request('POST', `${path}/cross-check`, { ...sign, onDate: '2026-05-04' })).statusCode).toBe(200);
    expect((await clerk.request('POST', `${path}/notices`, { ...sign, kind: 'firstNotice', startDate: '2026-05-05', endDate: '2026-05-11', postedAt: '村口', objectionContact: '乡镇' })).statusCode).toBe(200);
    const b = (await clerk.request('GET', path)).json() as BatchDto;
    const o = (await clerk.request('POST', `/api/identification/applications/${b.applications[0]!.id}/objections`, { raisedOn: '2026-05-06', raisedBy: '村民甲', grounds: '该户有小轿车' })).json() as ObjectionDto;
    expect(o.raisedBy).toBe('村民甲');
    const d = await township.request('POST', `/api/identification/objections/${o.id}/decision`, { decision: 'upheld', decidedOn: '2026-05-09', investigation: '核实属实', reason: '家庭拥有非生产经营性小轿车', ...sign });
    expect(d.statusCode, d.body).toBe(200);
    const t = (await clerk.request('GET', `/api/identification/applications/${b.applications[0]!.id}`)).json() as TimelineDto;
    expect(t.application).toMatchObject({ state: 'rejected', endReason: '异议成立：家庭拥有非生产经营性小轿车' });
    expectError(await township.request('POST', `/api/identification/objections/${o.id}/decision`, { decision: 'dismissed', investigation: '再议', reason: '再议', ...sign }), 409, 'CONFLICT');
  });
});

describe('a red-line hit', () => {
  it('found by 比对 blocks the township review until a reviewer justifies it in writing: RED_LINE_HIT', async () => {
    // 22,700.50 yuan per person: above the identification line (exclusion rule incomeAboveLine).
    const res = await clerk.request('POST', '/api/households', householdBody({ householdType: 'ordinary', members: [member('识别戊', 'head', '19800505', 'male')] }));
    const h = res.json() as HouseholdDto;
    const b = (await clerk.request('POST', '/api/identification/batches', { areaCode: ZHONGYUE, year: 2026, title: '红线批次', applications: [{ householdId: h.id, appliedOn: '2026-06-01' }] })).json() as BatchDto;
    const path = `/api/identification/batches/${b.id}`;
    expect((await clerk.request('POST', `${path}/appraisal`, { ...sign, meetingDate: '2026-06-03', representatives: 9, attended: 7, chairedBy: '村主任' })).statusCode).toBe(200);
    const checked = await township.request('POST', `${path}/cross-check`, { ...sign, onDate: '2026-06-04' });
    expect((checked.json() as StepResultDto).batch.applications[0]!.openRedLineHits).toBe(1);
    expect((await clerk.request('POST', `${path}/notices`, { ...sign, kind: 'firstNotice', startDate: '2026-06-05', endDate: '2026-06-11', postedAt: '村口', objectionContact: '乡镇' })).statusCode).toBe(200);
    const refused = await township.request('POST', `${path}/township-review`, { ...sign, onDate: '2026-06-12' });
    const e = expectError(refused, 409, 'RED_LINE_HIT');
    expect(e.message).toContain('识别戊户');
    expect(e.message).toContain('书面说明理由');
    const items = ((await township.request('GET', '/api/identification/worklist')).json() as { items: WorklistItemDto[] }).items;
    expect(items).toContainEqual(expect.objectContaining({ kind: 'redLine', batchId: b.id, count: 1 }));

    const [hit] = await database.db.select().from(redLineHits).where(eq(redLineHits.householdId, h.id));
    expect(hit).toMatchObject({ rule: 'incomeAboveLine', status: 'open' });
    const justified = await township.request('POST', `/api/identification/red-line-hits/${hit!.id}/justify`, { justification: '该户主 2026 年初重病，收入骤降，入户核实属实' });
    expect(justified.statusCode, justified.body).toBe(200);
    const ok = await township.request('POST', `${path}/township-review`, { ...sign, onDate: '2026-06-12' });
    expect(ok.statusCode, ok.body).toBe(200);
    const after = (ok.json() as StepResultDto).batch;
    expect(after.states).toEqual({ townshipReviewed: 1 });
    // The county sees that the household passed on a written justification, and reads it on the timeline.
    expect(after.applications[0]).toMatchObject({ openRedLineHits: 0, justifiedRedLineHits: 1 });
    const t = (await county.request('GET', `/api/identification/applications/${after.applications[0]!.id}`)).json() as TimelineDto;
    expect(t.redLineHits).toMatchObject([{ rule: 'incomeAboveLine', status: 'justified', justification: '该户主 2026 年初重病，收入骤降，入户核实属实' }]);
  });
});
