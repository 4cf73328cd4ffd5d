/**
 * The identification demo: candidate households (边缘户, synthetic people) in the villages of one
 * township, and one batch at every step of the procedure — waiting for the appraisal, for 比对, for the
 * first notice, in a notice with an open objection, ready for the township review with a red-line hit,
 * waiting for the second notice, for the county approval, for the announcement, for registration, and
 * one registered (with a household taken out by an upheld objection and one withdrawn) — so that each
 * demo account's worklist has something in it. Dates are counted back from today, so the demo works
 * whenever it is seeded. Only synthetic people.
 */
import { eq } from 'drizzle-orm';
import type { Db } from '../../platform/db.ts';
import { SYSTEM_ACTOR } from '../../platform/auth.ts';
import { checkCharacter } from '../../shared/id-number.ts';
import { mulberry32 } from '../../shared/random.ts';
import { findChildAreas } from '../areas/index.ts';
import { registerHousehold, todayCst } from '../households/index.ts';
import { personIdentities } from '../households/schema.ts';
import { appraiseBatch, approveCounty, createBatch, crossCheckBatch, decideObjection, openNotice, raiseObjection, registerApplications, reviewTownship, withdrawApplication } from './service.ts';
import type { BatchDto } from './contract.ts';

const SURNAMES = ['刘', '陈', '李', '张', '王', '黄', '罗', '周', '邓', '彭', '汤', '寻'];
const GIVEN = ['建国', '桂英', '志强', '秀兰', '德明', '玉梅', '国平', '春花', '新民', '红霞', '正球', '冬生'];


const addDays = (ymd: string, n: number) => new Date(Date.parse(`${ymd}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

export interface IdentificationDemoResult {
  batches: number;
  applications: number;
  openObjections: number;
  /** Household ids of the live applications (for the cross-check demo lists). */
  liveHouseholdIds: string[];
  /** A household whose income is above the line (a red-line hit at 比对). */
  highIncomeHouseholdId: string;
}

/**
 * Seeds the identification demo in `townshipCode` (its first village is the demo clerk's).
 * @param opts.seed the generator's seed (default 2026)
 * @returns what was written
 * @throws Error when the township has fewer than 9 villages
 */
export async function seedIdentificationDemo(db: Db, townshipCode: string, opts: { seed?: number } = {}): Promise<IdentificationDemoResult> {
  const villages = (await findChildAreas(db, SYSTEM_ACTOR, townshipCode)).map((v) => v.code);
  if (villages.length < 9) throw new Error(`the identification demo needs 9 villages in ${townshipCode}`);
  const random = mulberry32(opts.seed ?? 2026);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
  const today = todayCst();
  const year = Number(today.slice(0, 4));
  const d = (n: number) => addDays(today, n);
  let serial = 900;

  async function idNumber(birth: string, male: boolean): Promise<string> {
    for (;;) {
      serial = serial >= 999 ? 100 : serial + 1;
      const seq = String(serial - (serial % 2) + (male ? 1 : 0)).padStart(3, '0');
      const first17 = `430181${birth.replaceAll('-', '')}${seq}`;
      const id = first17 + checkCharacter(first17);
      const [taken] = await db.select({ id: personIdentities.idNumber }).from(personIdentities).where(eq(personIdentities.idNumber, id));
      if (!taken) return id;
    }
  }

  async function candidate(village: string, highIncome = false): Promise<string> {
    const headBirth = `19${50 + Math.floor(random() * 35)}-0${1 + Math.floor(random() * 9)}-1${Math.floor(random() * 9)}`;
    const spouseBirth = addDays(headBirth, 400 + Math.floor(random() * 900));
    const surname = pick(SURNAMES);
    const members = [
      { name: `${surname}${pick(GIVEN)}`, sex: 'male', idType: 'residentId', idNumber: await idNumber(headBirth, true), relationToHead: 'head', health: random() < 0.5 ? 'chronicIllness' : 'healthy' },
      { name: `${pick(SURNAMES)}${pick(GIVEN)}`, sex: 'female', idType: 'residentId', idNumber: await idNumber(spouseBirth, false), relationToHead: 'spouse', health: 'healthy' },
    ];
    const h = await registerHousehold(db, SYSTEM_ACTOR, {
      areaCode: village,
      groupName: pick(['一组', '二组', '三组', '四组', '五组']),
      householdType: 'marginal',
      status: 'monitored',
      povertyAttribute: 'general',
      mainPovertyCause: pick(['illness', 'lackOfLabour', 'lackOfFunds', 'lackOfSkills']),
      otherPovertyCauses: [],
      members,
      income: highIncome
        ? { year: year - 1, wageIncome: 36000, productionIncome: 4000, propertyIncome: 0, transferIncome: 0, productionCosts: 1000 }
        : { year: year - 1, wageIncome: 2400 + Math.round(random() * 1500), productionIncome: 1200, propertyIncome: 0, transferIncome: 600, productionCosts: 300 },
    } as never);
    return h.id;
  }

  const sign = (who: string, onDate: string) => ({ responsiblePerson: who, onDate });
  const CLERK = '演示·村信息员';
  const TOWNSHIP = '演示·乡镇专干';
  const COUNTY = '演示·县扶贫办';
  let batches = 0;
  let applications = 0;
  const live: string[] = [];

  /** A batch of `n` candidates in `village`, walked through `steps` steps of the standard timeline. */
  async function batch(village: string, n: number, steps: number, title: string, extra: string[] = []): Promise<BatchDto> {
    const ids = [...extra];
    while (ids.length < n) ids.push(await candidate(village));
    let b = await createBatch(db, SYSTEM_ACTOR, { areaCode: village, year, title, applications: ids.map((householdId) => ({ householdId, appliedOn: d(-40), statement: '家庭收入低，申请纳入贫困户（演示数据）' })) });
    batches += 1;
    applications += ids.length;
    const walk: (() => Promise<{ batch: BatchDto }>)[] = [
      () => appraiseBatch(db, SYSTEM_ACTOR, b.id, { ...sign(CLERK, d(-35)), meetingDate: d(-35), representatives: 31, attended: 25, chairedBy: '村委会主任', minutes: '村民代表会议民主评议（演示数据）', votes: b.applications.map((a) => ({ applicationId: a.id, votesFor: 22, votesAgainst: 3 })) }),
      () => crossCheckBatch(db, SYSTEM_ACTOR, b.id, sign(TOWNSHIP, d(-33))),
      () => openNotice(db, SYSTEM_ACTOR, b.id, { ...sign(CLERK, d(-30)), kind: 'firstNotice', startDate: d(-30), endDate: d(-24), postedAt: '村务公开栏', objectionContact: '大围山镇扶贫工作站 0731-8300 0000' }),
      () => reviewTownship(db, SYSTEM_ACTOR, b.id, { ...sign(TOWNSHIP, d(-22)), skipBlocked: true }),
      () => openNotice(db, SYSTEM_ACTOR, b.id, { ...sign(TOWNSHIP, d(-20)), kind: 'secondNotice', startDate: d(-20), endDate: d(-14), postedAt: '村务公开栏', objectionContact: '大围山镇扶贫工作站 0731-8300 0000' }),
      () => approveCounty(db, SYSTEM_ACTOR, b.id, { ...sign(COUNTY, d(-12)), skipBlocked: true }),
      () => openNotice(db, SYSTEM_ACTOR, b.id, { ...sign(COUNTY, d(-10)), kind: 'announcement', startDate: d(-10), endDate: d(-4), postedAt: '浏阳市人民政府网站、村务公开栏', objectionContact: '浏阳市扶贫开发办公室 0731-8300 0001' }),
      () => registerApplications(db, SYSTEM_ACTOR, b.id, { ...sign(COUNTY, d(-2)), skipBlocked: true }),
    ];
    for (const s of walk.slice(0, steps)) b = (await s()).batch;
    if (steps < 8) live.push(...b.applications.filter((a) => !['rejected', 'withdrawn'].includes(a.state)).map((a) => a.householdId));
    return b;
  }

  const [clerkVillage, v1, v2, v3, v4, v5, v6, v7, v8] = villages as [string, string, string, string, string, string, string, string, string];
  await batch(clerkVillage, 4, 0, `${year}年贫困户识别（待民主评议）`);
  await batch(clerkVillage, 3, 2, `${year}年贫困户识别（待第一次公示）`);
  await batch(v8, 3, 1, `${year}年贫困户识别（待比对）`);
  // In its first notice now, with an anonymous objection (the township decides it).
  const inNotice = await batch(v1, 4, 2, `${year}年贫困户识别（公示中）`);
  await openNotice(db, SYSTEM_ACTOR, inNotice.id, { ...sign(CLERK, d(-3)), kind: 'firstNotice', startDate: d(-3), endDate: d(3), postedAt: '村务公开栏', objectionContact: '大围山镇扶贫工作站 0731-8300 0000' });
  await raiseObjection(db, SYSTEM_ACTOR, inNotice.applications[0]!.id, { raisedOn: d(-1), grounds: '反映该户有子女在城区购房，家庭条件较好（演示数据）' });
  // The first notice has ended: ready for the township review; one household's income is above the line.
  const highIncomeHouseholdId = await candidate(v2, true);
  await batch(v2, 4, 3, `${year}年贫困户识别（待乡镇审核）`, [highIncomeHouseholdId]);
  await batch(v3, 3, 4, `${year}年贫困户识别（待第二次公示）`);
  await batch(v4, 3, 5, `${year}年贫困户识别（待县审定）`);
  await batch(v5, 3, 6, `${year}年贫困户识别（待公告）`);
  await batch(v6, 3, 7, `${year}年贫困户识别（待登记）`);
  // Registered, with one household taken out by an upheld objection and one withdrawn.
  const done = await batch(v7, 5, 3, `${year}年贫困户识别（已登记）`);
  const [objected, withdrawn] = done.applications;
  const o = await raiseObjection(db, SYSTEM_ACTOR, objected!.id, { raisedOn: d(-27), raisedBy: '村民代表', grounds: '该户家庭成员在镇上经营门店（演示数据）' });
  await decideObjection(db, SYSTEM_ACTOR, o.id, { decision: 'upheld', decidedOn: d(-25), investigation: '入户核实并查询市场监管登记，属实', reason: '家庭成员经营个体工商户，收入稳定', responsiblePerson: TOWNSHIP });
  await withdrawApplication(db, SYSTEM_ACTOR, withdrawn!.id, { ...sign(CLERK, d(-23)), reason: '本户主动申请撤回（演示数据）', version: withdrawn!.version });
  await reviewTownship(db, SYSTEM_ACTOR, done.id, { ...sign(TOWNSHIP, d(-22)) });
  await openNotice(db, SYSTEM_ACTOR, done.id, { ...sign(TOWNSHIP, d(-20)), kind: 'secondNotice', startDate: d(-20), endDate: d(-14), postedAt: '村务公开栏', objectionContact: '大围山镇扶贫工作站' });
  await approveCounty(db, SYSTEM_ACTOR, done.id, sign(COUNTY, d(-12)));
  await openNotice(db, SYSTEM_ACTOR, done.id, { ...sign(COUNTY, d(-10)), kind: 'announcement', startDate: d(-10), endDate: d(-4), postedAt: '浏阳市人民政府网站', objectionContact: '浏阳市扶贫开发办公室' });
  await registerApplications(db, SYSTEM_ACTOR, done.id, sign(COUNTY, d(-2)));
  return { batches, applications, openObjections: 1, liveHouseholdIds: live, highIncomeHouseholdId };
}
