/**
 * The demo's work teams and contact points, on the demo's own designations (every 12th village of
 * 浏阳市): every poor village but two has a team of three, the account `team` is a member, three city
 * leaders have contact points, and a second run adds nothing.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { resetDatabase } from '../../../test/db.ts';
import { SYSTEM_ACTOR } from '../../platform/auth.ts';
import type { Db } from '../../platform/db.ts';
import { createUser } from '../accounts/index.ts';
import { currentYear, designatePoorVillage, findChildAreas } from '../areas/index.ts';
import { seedTeamsDemo } from './teams-demo.ts';
import { findContactPoints, findVillagesWithoutTeam, findWorkTeams, getWorkTeam } from './teams.ts';
import type { AssistanceDemoContext } from './demo.ts';

const COUNTY = '430181000000';
const TOWNSHIP = '430181125000';
const Y = currentYear();
let db: Db;
let ctx: AssistanceDemoContext;
let poor: string[];
let first: Awaited<ReturnType<typeof seedTeamsDemo>>;

beforeAll(async () => {
  db = (await resetDatabase()).db;
  poor = [];
  let n = 0;
  for (const t of await findChildAreas(db, SYSTEM_ACTOR, COUNTY)) {
    for (const v of await findChildAreas(db, SYSTEM_ACTOR, t.code)) {
      if (n++ % 12 !== 5) continue;
      poor.push(v.code);
      await designatePoorVillage(db, SYSTEM_ACTOR, v.code, { year: Y, kind: 'provincial', relative: true });
    }
  }
  const village = (await findChildAreas(db, SYSTEM_ACTOR, TOWNSHIP))[0]!.code;
  const { user } = await createUser(db, SYSTEM_ACTOR, { username: 'team', displayName: '演示·驻村工作队', role: 'work_team_member', areaCode: village, phone: null, password: 'fupin2026a' });
  ctx = { countyCode: COUNTY, townshipCode: TOWNSHIP, helperUserId: null, teamUserId: user.id, year: Y, seed: 2026 };
  first = await seedTeamsDemo(db, ctx);
}, 120_000);

describe('the demo’s work teams', () => {
  it('gives every poor village but two a team of three, with one replaced team and one that left', async () => {
    expect(first.poorVillagesWithoutTeam).toBe(2);
    expect(first.contactPoints).toBe(3);
    // Current teams for all but two; plus the replaced team of the township and the team that left.
    expect(first.workTeams).toBe(poor.length - 2 + 2);
    expect(first.workTeamMembers).toBe(first.workTeams! * 3);
    const county = { id: null, username: 'c', displayName: 'c', role: 'county_officer' as const, areaCode: COUNTY };
    const list = await findWorkTeams(db, county, { pageSize: 200 });
    expect(list.total).toBe(poor.length - 2);
    expect(list.items.every((t) => t.memberCount === 3 && t.leaderName && t.firstSecretaryName && t.sendingUnitName.startsWith('演示·'))).toBe(true);
    const none = await findVillagesWithoutTeam(db, county, {});
    expect(none.items.filter((v) => v.lastTeamEndDate === `${Y - 1}-12-31`)).toHaveLength(1);
    expect(none.items.some((v) => v.townshipCode === TOWNSHIP)).toBe(false);
    const points = await findContactPoints(db, county, {});
    expect(points.items.map((p) => p.leaderName).sort()).toEqual(['演示·市领导丙', '演示·市领导乙', '演示·市领导甲']);
    expect(points.items.every((p) => p.villagePoorThisYear && p.villageCode.startsWith(p.townshipCode.slice(0, 9)))).toBe(true);
  });

  it('makes the account `team` a member of a team in its township, with the replaced team as history', async () => {
    const county = { id: null, username: 'c', displayName: 'c', role: 'county_officer' as const, areaCode: COUNTY };
    const list = await findWorkTeams(db, county, { areaCode: TOWNSHIP });
    const withUser = [];
    for (const t of list.items) {
      const d = await getWorkTeam(db, county, t.id);
      if (d.members.some((m) => m.userId === ctx.teamUserId)) withUser.push(d);
    }
    expect(withUser).toHaveLength(1);
    expect(withUser[0]!.history).toHaveLength(1);
  });

  it('adds nothing when run again', async () => {
    const again = await seedTeamsDemo(db, ctx);
    expect(again).toEqual({ workTeams: 0, workTeamMembers: 0, contactPoints: 0, poorVillagesWithoutTeam: 2 });
  });
});
