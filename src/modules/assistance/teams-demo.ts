/**
 * The demo's work teams and leader contact points (synthetic, marked 演示 / 演示数据): a team of three
 * (队长, 第一书记, 队员) for every poor village of the demo county this year but two (left without a
 * team on purpose, so that the 无工作队 list shows something; one of them had a team that left), a
 * replaced team kept as history in the demo township, the demo account `team` as a member, and three
 * city leaders' contact points. Idempotent: villages that have a current team and leaders that have a
 * current contact point are left alone.
 */
import { and, eq, isNull, like, or, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db.ts';
import { rowsOf } from '../../platform/db.ts';
import { SYSTEM_ACTOR } from '../../platform/auth.ts';
import { ancestorCodesOf, scopePrefix } from '../../shared/area-code.ts';
import { mulberry32 } from '../../shared/random.ts';
import { recordAudit } from '../audit/index.ts';
import { users } from '../accounts/schema.ts';
import type { AssistanceDemoContext } from './demo.ts';
import { ASSISTANCE } from './permissions.ts';
import { assistingUnits, leaderContactPoints, workTeamMembers, workTeams } from './schema.ts';

const SURNAMES = '王李张刘陈杨黄赵周吴徐孙胡朱高林何郭罗谢唐邓彭曾肖田蒋';
const GIVEN = ['建国', '志强', '海波', '丽华', '卫东', '红梅', '晓明', '文斌', '小军', '春燕', '国庆', '振华', '秀英', '立新', '德胜', '永红'];
const NOTE = '演示数据 · demo data';

/** The demo's own units, created when the pairing demo left none on the county's line. */
const DEMO_UNITS = [
  { name: '演示·县委组织部', kind: 'organ', level: 'county' },
  { name: '演示·县农业农村局', kind: 'organ', level: 'county' },
  { name: '演示·县人民医院', kind: 'institution', level: 'county' },
] as const;

/**
 * Seeds work teams and contact points in the demo county (one transaction).
 * @returns { workTeams, workTeamMembers, contactPoints, poorVillagesWithoutTeam } — counts of what this run
 *   created, and the poor villages of the year left without a current team
 */
export async function seedTeamsDemo(db: Db, ctx: AssistanceDemoContext): Promise<Record<string, number>> {
  const rand = mulberry32(ctx.seed + 6);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  let phoneSeq = 0;
  const person = () => ({ name: `${pick([...SURNAMES])}${pick(GIVEN)}`, phone: `1390731${String(++phoneSeq).padStart(4, '0')}` });
  const county = scopePrefix(ctx.countyCode);

  return db.transaction(async (tx) => {
    const poor = rowsOf<{ code: string }>(
      await tx.execute(sql`SELECT area_code AS code FROM poor_village_designations WHERE year = ${ctx.year} AND area_code LIKE ${`${county}%`} ORDER BY area_code`),
    ).map((r) => r.code);
    if (poor.length === 0) return { workTeams: 0, workTeamMembers: 0, contactPoints: 0, poorVillagesWithoutTeam: 0 };

    // Sending units: the pairing demo's (on the county's line) if any, else the demo's own.
    const line = or(like(assistingUnits.areaCode, `${county}%`), inArray(assistingUnits.areaCode, ancestorCodesOf(ctx.countyCode)));
    let units = await tx
      .select({ id: assistingUnits.id, name: assistingUnits.name })
      .from(assistingUnits)
      .where(and(eq(assistingUnits.active, true), line))
      .orderBy(assistingUnits.name);
    if (units.length === 0) {
      await tx
        .insert(assistingUnits)
        .values(DEMO_UNITS.map((u) => ({ ...u, areaCode: ctx.countyCode, contactPerson: '演示·联络员' })))
        .onConflictDoNothing();
      units = await tx
        .select({ id: assistingUnits.id, name: assistingUnits.name })
        .from(assistingUnits)
        .where(and(eq(assistingUnits.areaCode, ctx.countyCode), like(assistingUnits.name, '演示·%')));
    }

    // The demo account `team` joins its village's team if the village is poor, else the township's first poor village's.
    const [teamUser] = ctx.teamUserId ? await tx.select({ id: users.id, areaCode: users.areaCode }).from(users).where(eq(users.id, ctx.teamUserId)) : [];
    const inTownship = poor.filter((c) => c.startsWith(scopePrefix(ctx.townshipCode)));
    const teamVillage = teamUser?.areaCode && poor.includes(teamUser.areaCode) ? teamUser.areaCode : (inTownship[0] ?? null);

    // Two poor villages outside the demo township stay without a team (the last two of the county).
    const elsewhere = poor.filter((c) => !inTownship.includes(c) && c !== teamVillage);
    const withoutTeam = new Set(elsewhere.slice(-2));
    const existing = await tx
      .select({ v: workTeams.villageCode, endDate: workTeams.endDate })
      .from(workTeams)
      .where(like(workTeams.villageCode, `${county}%`));
    const current = new Set(existing.filter((r) => r.endDate === null).map((r) => r.v));
    const hadTeam = new Set(existing.map((r) => r.v));

    let teamsCreated = 0;
    let membersCreated = 0;
    const addTeam = async (villageCode: string, startDate: string, endDate: string | null, joinTeamUser: boolean) => {
      const [t] = await tx
        .insert(workTeams)
        .values({ villageCode, sendingUnitId: pick(units).id, startDate, endDate, note: endDate ? `${NOTE}（已轮换）` : NOTE })
        .returning();
      const roles = [
        { isLeader: true, isFirstSecretary: false, post: '队长', fullTime: true },
        { isLeader: false, isFirstSecretary: true, post: '第一书记', fullTime: true },
        { isLeader: false, isFirstSecretary: false, post: '队员', fullTime: rand() < 0.6 },
      ];
      await tx.insert(workTeamMembers).values(
        roles.map((r, i) => ({
          teamId: t!.id,
          ...person(),
          unitId: i === 1 ? pick(units).id : null,
          ...r,
          startDate,
          endDate,
          userId: joinTeamUser && i === 2 ? ctx.teamUserId : null,
        })),
      );
      if (joinTeamUser) await tx.update(workTeamMembers).set({ name: '演示·驻村工作队' }).where(and(eq(workTeamMembers.teamId, t!.id), eq(workTeamMembers.userId, ctx.teamUserId!)));
      teamsCreated++;
      membersCreated += roles.length;
    };

    const first = [...withoutTeam][0];
    for (const village of poor) {
      if (current.has(village)) continue;
      if (withoutTeam.has(village)) {
        // One of the two had a team that left at the end of last year.
        if (village === first && !hadTeam.has(village)) await addTeam(village, `${ctx.year - 3}-03-01`, `${ctx.year - 1}-12-31`, false);
        continue;
      }
      // The team account's village: a team replaced two years ago, kept as history.
      if (village === teamVillage) await addTeam(village, `${ctx.year - 5}-03-01`, `${ctx.year - 2}-02-28`, false);
      await addTeam(village, village === teamVillage ? `${ctx.year - 2}-03-01` : `${ctx.year - 1 - Math.floor(rand() * 3)}-0${1 + Math.floor(rand() * 9)}-01`, null, village === teamVillage && !!ctx.teamUserId);
    }

    // Three city leaders: the demo township's poor village and two other townships'.
    const places = [inTownship[0], ...elsewhere.filter((c, i, all) => all.findIndex((x) => x.slice(0, 9) === c.slice(0, 9)) === i).slice(0, 2)].filter((c): c is string => !!c);
    const leaders = [
      { leaderName: '演示·市领导甲', leaderPost: '副市长', countyLeaderName: '演示·县领导甲', countyLeaderPost: '县委副书记' },
      { leaderName: '演示·市领导乙', leaderPost: '市人大常委会副主任', countyLeaderName: '演示·县领导乙', countyLeaderPost: '副县长' },
      { leaderName: '演示·市领导丙', leaderPost: '市政协副主席', countyLeaderName: '演示·县领导丙', countyLeaderPost: '县人大常委会副主任' },
    ];
    let points = 0;
    for (const [i, village] of places.entries()) {
      const l = leaders[i]!;
      const [has] = await tx
        .select({ id: leaderContactPoints.id })
        .from(leaderContactPoints)
        .where(and(eq(leaderContactPoints.leaderName, l.leaderName), eq(leaderContactPoints.leaderPost, l.leaderPost), isNull(leaderContactPoints.endDate)));
      if (has) continue;
      await tx.insert(leaderContactPoints).values({ ...l, townshipCode: `${village.slice(0, 9)}000`, villageCode: village, unitId: units[i % units.length]!.id, startDate: `${ctx.year - 1}-01-01` });
      points++;
    }

    const [left] = rowsOf<{ n: number }>(
      await tx.execute(sql`SELECT count(*)::int AS n FROM poor_village_designations d
        WHERE d.year = ${ctx.year} AND d.area_code LIKE ${`${county}%`}
          AND NOT EXISTS (SELECT 1 FROM work_teams t WHERE t.village_code = d.area_code AND t.end_date IS NULL)`),
    );
    const result = { workTeams: teamsCreated, workTeamMembers: membersCreated, contactPoints: points, poorVillagesWithoutTeam: Number(left?.n ?? 0) };
    await recordAudit(tx, SYSTEM_ACTOR, { action: ASSISTANCE['assistance.teams'], targetType: 'workTeams', areaCode: ctx.countyCode, after: { demo: true, ...result } });
    return result;
  });
}
