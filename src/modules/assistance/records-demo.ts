/**
 * The demo's needs, plans and measures (synthetic, descriptions marked 演示数据) for the assisted
 * households of the demo township: measures that fit each household's situation, with gaps left on
 * purpose so the coverage pages show something — some students without an education subsidy, some
 * uninsured members without a premium paid, some C/D houses not renovated, some households without
 * labour ability not backed by 低保.
 */
import { randomUUID } from 'node:crypto';
import { and, eq, inArray, like } from 'drizzle-orm';
import type { Db } from '../../platform/db.ts';
import { mulberry32 } from '../../shared/random.ts';
import { scopePrefix } from '../../shared/area-code.ts';
import { todayCst } from '../households/index.ts';
import { households, members } from '../households/schema.ts';
import type { AssistanceDemoContext } from './demo.ts';
import type { MeasureType, NeedCategory } from './codes.ts';
import { addDays, ASSISTED_HOUSEHOLD_TYPES, daysBetween, schoolYearStart } from './rules.ts';
import { assistanceMeasures, assistancePlans, householdNeeds } from './schema.ts';

const RECORDER = '演示数据（村扶贫专干）';
const FUNDS = {
  central: '中央财政专项扶贫资金',
  province: '省级财政专项扶贫资金',
  county: '县级财政扶贫资金',
  education: '教育部门学生资助资金',
  medical: '医疗救助资金',
  housing: '农村危房改造补助资金',
  civil: '民政低保资金',
  bank: '扶贫小额信贷（合作银行）',
  unit: '帮扶单位自筹资金',
} as const;

const ABLE = new Set(['ordinaryLabour', 'skilledLabour', 'weakLabour']);
const NEED_TEXT: Record<NeedCategory, string[]> = {
  industry: ['发展油茶种植缺少启动资金', '希望养殖土鸡，需要鸡苗和技术指导', '想扩大烤烟种植面积'],
  employment: ['家中劳动力希望就近务工', '希望安排公益性岗位'],
  training: ['希望参加厨师技能培训', '孩子想读职业学校（雨露计划）'],
  housing: ['住房为危房，需改造', '屋顶漏雨需维修'],
  education: ['孩子上学费用负担重', '需申请学生资助'],
  medical: ['慢性病长期服药负担重', '需办理医保参保资助'],
  credit: ['希望申请扶贫小额信贷发展产业'],
  infrastructure: ['入户道路需硬化', '饮水管道需接通'],
  other: ['家中缺少过冬物资'],
};

/** Schooling → the education subsidy of the stage (null: not a student). */
function subsidyType(schooling: string | null): MeasureType | null {
  if (!schooling || schooling === 'notInSchool') return null;
  if (schooling === 'preschool') return 'educationPreschool';
  if (schooling === 'primary' || schooling.startsWith('grade')) return 'educationCompulsory';
  if (schooling.startsWith('senior') || schooling.startsWith('secondaryVocational')) return 'educationSenior';
  return 'educationHigher';
}

/**
 * Seeds needs, this year's plans and measures for the assisted households (ASSISTED_HOUSEHOLD_TYPES,
 * active) of `ctx.townshipCode`, reproducibly from `ctx.seed`. Amounts in yuan: 教育资助 1,000–3,000,
 * 医保参保资助 380 per person, 危房改造 15,000–35,000, 产业扶持 2,000–5,000, 低保 3,600–7,200 a year.
 * @returns { needs, plans, measures } counts of rows written
 */
export async function seedRecordsDemo(db: Db, ctx: AssistanceDemoContext): Promise<Record<string, number>> {
  const rand = mulberry32((ctx.seed ^ 0x5eed0006) >>> 0);
  const chance = (p: number) => rand() < p;
  const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const today = todayCst();
  const within = (days: number) => addDays(today, -int(3, days));
  const yuan100 = (lo: number, hi: number) => int(lo / 100, hi / 100) * 100;

  const hs = await db
    .select({
      id: households.id,
      mainPovertyCause: households.mainPovertyCause,
      povertyAttribute: households.povertyAttribute,
      housingDangerGrade: households.housingDangerGrade,
      housingRenovated: households.housingRenovated,
      relocated: households.relocated,
    })
    .from(households)
    .where(and(like(households.areaCode, `${scopePrefix(ctx.townshipCode)}%`), eq(households.active, true), inArray(households.householdType, [...ASSISTED_HOUSEHOLD_TYPES])))
    .orderBy(households.householdNo);
  if (hs.length === 0) return { needs: 0, plans: 0, measures: 0 };
  const ms = await db
    .select({
      id: members.id,
      householdId: members.householdId,
      name: members.name,
      idNumber: members.idNumber,
      alive: members.alive,
      schooling: members.schooling,
      labourAbility: members.labourAbility,
      medicalInsurance: members.medicalInsurance,
      minimumLiving: members.minimumLiving,
      extremeHardship: members.extremeHardship,
    })
    .from(members)
    .innerJoin(households, eq(households.id, members.householdId))
    .where(and(like(households.areaCode, `${scopePrefix(ctx.townshipCode)}%`), eq(members.status, 'active')))
    .orderBy(members.householdId, members.idNumber);
  const byHousehold = new Map<string, typeof ms>();
  for (const m of ms) (byHousehold.get(m.householdId) ?? byHousehold.set(m.householdId, []).get(m.householdId)!).push(m);

  const needs: (typeof householdNeeds.$inferInsert)[] = [];
  const plans: (typeof assistancePlans.$inferInsert)[] = [];
  const measures: (typeof assistanceMeasures.$inferInsert)[] = [];
  const schoolDay = addDays(schoolYearStart(today), 14) <= today ? addDays(schoolYearStart(today), 14) : within(30);

  for (const h of hs) {
    const people = (byHousehold.get(h.id) ?? []).filter((m) => m.alive);
    const ref = (xs: typeof people) => ({ memberIds: xs.map((m) => m.id), memberRefs: xs.map((m) => ({ memberId: m.id, name: m.name, idNumber: m.idNumber })) });
    const add = (type: MeasureType, xs: typeof people, onDate: string, amount: number | null, fundingSource: string, description: string, needId: string | null = null) => {
      const id = randomUUID();
      measures.push({ id, householdId: h.id, type, ...ref(xs), onDate, amount, fundingSource, description: `${description}（演示数据）`, needId, recordedByName: RECORDER });
      return id;
    };
    const planned: { type: MeasureType; description: string; amount: number | null }[] = [];

    // Education subsidies: most students, not all (gaps on purpose).
    for (const m of people) {
      const type = subsidyType(m.schooling);
      if (!type) continue;
      planned.push({ type, description: `${m.name}${type === 'educationCompulsory' ? '义务教育' : ''}资助`, amount: null });
      if (chance(0.75)) add(type, [m], schoolDay, yuan100(1000, 3000), chance(0.7) ? FUNDS.education : FUNDS.central, `${ctx.year}年秋季学期学生资助`);
    }
    // Medical-insurance premiums for some uninsured members.
    const uninsured = people.filter((m) => !m.medicalInsurance);
    if (uninsured.length > 0 && chance(0.55)) add('medicalPremium', uninsured, within(200), 380 * uninsured.length, FUNDS.medical, '城乡居民医保个人缴费资助');
    if (h.mainPovertyCause === 'illness' && chance(0.5) && people.length > 0) add('medicalAid', [pick(people)], within(300), yuan100(1000, 8000), FUNDS.medical, '住院医疗费用救助');
    // Dangerous-housing renovation for some C/D houses, not all.
    const dangerous = (h.housingDangerGrade === 'C' || h.housingDangerGrade === 'D') && !h.housingRenovated && !h.relocated;
    if (dangerous) {
      const housingNeed = randomUUID();
      const renovate = chance(0.6);
      needs.push({ id: housingNeed, householdId: h.id, category: 'housing', description: `${pick(NEED_TEXT.housing)}（演示数据）`, status: 'open', raisedOn: within(330) });
      planned.push({ type: 'housingRenovation', description: `${h.housingDangerGrade}级危房改造`, amount: yuan100(15000, 35000) });
      if (renovate) {
        const mid = add('housingRenovation', [], within(150), yuan100(15000, 35000), FUNDS.housing, `${h.housingDangerGrade}级危房改造补助`, housingNeed);
        const n = needs[needs.length - 1]!;
        const onDate = measures[measures.length - 1]!.onDate;
        Object.assign(n, { status: 'met', metOn: onDate > n.raisedOn ? onDate : n.raisedOn, metByMeasureId: mid });
      }
    }
    // 低保 for some households without labour ability that are not backed yet.
    const noLabour = people.length > 0 && !people.some((m) => m.labourAbility !== null && ABLE.has(m.labourAbility));
    const backed = h.povertyAttribute === 'minimumLiving' || h.povertyAttribute === 'extremeHardship' || people.some((m) => m.minimumLiving || m.extremeHardship);
    if (noLabour && !backed && chance(0.6)) add('minimumLiving', people, within(120), yuan100(3600, 7200), FUNDS.civil, '纳入农村低保，按月发放');
    // Production and employment.
    const able = people.filter((m) => m.labourAbility !== null && ABLE.has(m.labourAbility));
    if (able.length > 0 && chance(0.55)) {
      planned.push({ type: 'industrySupport', description: pick(['发展油茶种植', '养殖土鸡', '种植烤烟', '发展黄桃种植']), amount: yuan100(2000, 5000) });
      add('industrySupport', [], within(300), yuan100(2000, 5000), pick([FUNDS.central, FUNDS.province, FUNDS.county, FUNDS.unit]), '产业奖补：种苗与技术指导');
    }
    if (able.length > 0 && chance(0.18)) add('publicWelfarePost', [pick(able)], within(250), yuan100(4800, 7200), FUNDS.county, '村级保洁员公益性岗位');
    if (able.length > 0 && chance(0.12)) add('skillsTraining', [pick(able)], within(300), 1500, FUNDS.province, '厨师职业技能培训');
    if (able.length > 0 && chance(0.1)) {
      add('microcredit', [pick(able)], within(330), 50000, FUNDS.bank, '扶贫小额信贷，三年期');
      add('interestSubsidy', [], within(60), yuan100(1500, 2400), FUNDS.county, '小额信贷贴息');
    }

    // Needs: one or two more, open / in progress / met.
    const taken = new Set<NeedCategory>();
    for (let i = int(1, 2); i > 0; i--) {
      const category = pick(['industry', 'employment', 'training', 'education', 'medical', 'credit', 'infrastructure', 'other'] as const);
      // One need per category and household (two identical needs would read as a mistake).
      if (taken.has(category)) continue;
      taken.add(category);
      const raisedOn = within(330);
      const roll = rand();
      const status = roll < 0.4 ? 'open' : roll < 0.7 ? 'inProgress' : 'met';
      needs.push({
        id: randomUUID(),
        householdId: h.id,
        category,
        description: `${pick(NEED_TEXT[category])}（演示数据）`,
        status,
        raisedOn,
        ...(status === 'met' ? { metOn: addDays(raisedOn, int(0, daysBetween(raisedOn, today))), metNote: '已协调落实（演示数据）' } : {}),
      });
    }
    // This year's plan for most households.
    if (chance(0.85)) {
      plans.push({
        householdId: h.id,
        year: ctx.year,
        goal: `${pick(['稳定增收，实现“两不愁三保障”', '发展产业，提高家庭经营性收入', '落实兜底保障，确保基本生活', '改善住房条件，稳定务工收入'])}（演示数据）`,
        plannedExitYear: ctx.year + int(0, 1),
        plannedMeasures: planned.slice(0, 4),
      });
    }
  }

  const chunk = async <T>(rows: T[], write: (xs: T[]) => Promise<unknown>) => {
    for (let i = 0; i < rows.length; i += 1000) await write(rows.slice(i, i + 1000));
  };
  await db.transaction(async (tx) => {
    await chunk(needs, (xs) => tx.insert(householdNeeds).values(xs));
    await chunk(plans, (xs) => tx.insert(assistancePlans).values(xs).onConflictDoNothing());
    await chunk(measures, (xs) => tx.insert(assistanceMeasures).values(xs));
  });
  return { needs: needs.length, plans: plans.length, measures: measures.length };
}
