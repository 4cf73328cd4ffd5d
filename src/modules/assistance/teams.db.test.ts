/**
 * Work teams (驻村工作队) and leader contact points (市领导联系点) on a hand-built fixture: the list of
 * poor villages without a team, exactly, for every role's scope; one current team per village, one
 * current 队长 and 第一书记 per team (the service's checks and the database's indexes); replacement
 * keeps the history; stale edits refused; contact points only in a poor village inside the township.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { resetDatabase } from '../../../test/db.ts';
import { rowsOf, sql, type Database, type Db } from '../../platform/db.ts';
import { SYSTEM_ACTOR, type Actor } from '../../platform/auth.ts';
import { AppError, type ErrorCode } from '../../shared/errors.ts';
import type { Role } from '../../shared/access.ts';
import { createUser } from '../accounts/index.ts';
import { currentYear, designatePoorVillage } from '../areas/index.ts';
import { todayCst } from '../households/index.ts';
import { assistingUnits, workTeamMembers, workTeams } from './schema.ts';
import {
  addWorkTeamMember,
  createContactPoint,
  createWorkTeam,
  endContactPoint,
  endWorkTeam,
  endWorkTeamMember,
  findContactPoints,
  findVillagesWithoutTeam,
  findWorkTeams,
  getWorkTeam,
  replaceWorkTeam,
  updateContactPoint,
  updateWorkTeam,
  updateWorkTeamMember,
} from './teams.ts';
import type { WorkTeamDto } from './teams-contract.ts';

const CITY = '430100000000';
const LIUYANG = '430181000000';
const HUAICHUAN = '430181001000'; // 淮川街道
const CHENGXI = '430181001001'; // 淮川街道 城西社区
const GUANDU = '430181104000'; // 官渡镇
const GUANYINTANG = '430181104203'; // 官渡镇 观音塘村
const DAWEISHAN = '430181125000'; // 大围山镇
const ZHONGYUE = '430181125201'; // 中岳村
const TONGXING = '430181125206'; // 同幸村
const ZHONGDUAN = '430181125209'; // 中塅村
const JINZHONGQIAO = '430181125211'; // 金钟桥村
const CHUDONG = '430181125216'; // 楚东村
const Y = currentYear();

let database: Database;
let db: Db;
const units: Record<string, string> = {};
const users: Record<string, string> = {};
const teams: Record<string, WorkTeamDto> = {};

const actor = (role: Role, areaCode: string | null, id: string | null = null): Actor => ({ id, username: role, displayName: `测试${role}`, role, areaCode });
const county = actor('county_officer', LIUYANG);

/** Awaits a refusal and returns it. */
async function refused(p: Promise<unknown>, code: ErrorCode): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    expect((e as AppError).code, (e as AppError).message).toBe(code);
    return e as AppError;
  }
  throw new Error(`expected ${code}, the call succeeded`);
}
const paths = (e: AppError) => e.details.issues?.map((i) => i.path);

async function account(username: string, role: Role, areaCode: string): Promise<string> {
  const { user } = await createUser(db, SYSTEM_ACTOR, { username, displayName: username, role, areaCode, phone: null, password: 'team-pass-1' });
  return user.id;
}

const member = (name: string, extra: Record<string, unknown> = {}) => ({ name, post: '科员', phone: '13912345678', ...extra });

beforeAll(async () => {
  database = await resetDatabase();
  db = database.db;
  // Poor this year: 中岳村, 同幸村, 中塅村 (relatively poor), 观音塘村, 城西社区; 金钟桥村 only last year; 楚东村 never.
  for (const code of [ZHONGYUE, TONGXING, GUANYINTANG, CHENGXI]) await designatePoorVillage(db, SYSTEM_ACTOR, code, { year: Y, kind: 'provincial', relative: false });
  await designatePoorVillage(db, SYSTEM_ACTOR, ZHONGDUAN, { year: Y, kind: 'county', relative: true });
  await designatePoorVillage(db, SYSTEM_ACTOR, JINZHONGQIAO, { year: Y - 1, kind: 'provincial', relative: false });
  const unit = async (key: string, name: string, level: string, areaCode: string, active = true) => {
    const [u] = await db.insert(assistingUnits).values({ name, kind: 'organ', level, areaCode, active }).returning();
    units[key] = u!.id;
  };
  await unit('city', '市农业农村局', 'city', CITY);
  await unit('county', '县教育局', 'county', LIUYANG);
  await unit('township', '大围山镇政府', 'township', DAWEISHAN);
  await unit('closed', '已撤并单位', 'county', LIUYANG, false);
  users.zhongyue = await account('teamzy', 'work_team_member', ZHONGYUE);
  users.tongxing = await account('teamtx', 'work_team_member', TONGXING);
  // 中岳村 and 观音塘村 have teams; 同幸村's team ended; 楚东村 (not poor) has one too.
  teams.zhongyue = await createWorkTeam(db, county, {
    villageCode: ZHONGYUE,
    sendingUnitId: units.county!,
    startDate: '2024-03-01',
    note: '首批',
    members: [member('李队长', { isLeader: true }), member('王书记', { isFirstSecretary: true, unitId: units.city }), member('赵队员', { fullTime: false, userId: users.zhongyue })],
  });
  teams.guanyintang = await createWorkTeam(db, county, { villageCode: GUANYINTANG, sendingUnitId: units.county!, startDate: '2024-01-01', members: [member('钱队长', { isLeader: true })] });
  const tx = await createWorkTeam(db, county, { villageCode: TONGXING, sendingUnitId: units.township!, startDate: '2023-01-01', members: [member('孙队长', { isLeader: true })] });
  teams.tongxing = await endWorkTeam(db, county, tx.id, { version: tx.version, endDate: '2024-12-31' });
  teams.chudong = await createWorkTeam(db, county, { villageCode: CHUDONG, sendingUnitId: units.county!, startDate: '2024-01-01' });
});

describe('poor villages without a team', () => {
  it('lists exactly this year’s poor villages with no current team, with counts per township', async () => {
    const r = await findVillagesWithoutTeam(db, county, {});
    expect(r.year).toBe(Y);
    expect(r.items.map((v) => [v.villageName, v.townshipName, v.relative, v.lastTeamEndDate])).toEqual([
      ['城西社区', '淮川街道', false, null],
      ['同幸村', '大围山镇', false, '2024-12-31'],
      ['中塅村', '大围山镇', true, null],
    ]);
    expect([r.poorVillages, r.withoutTeam, r.total]).toEqual([5, 3, 3]);
    expect(r.byTownship.map((t) => [t.townshipName, t.poorVillages, t.withTeam, t.withoutTeam])).toEqual([
      ['淮川街道', 1, 0, 1],
      ['官渡镇', 1, 1, 0],
      ['大围山镇', 3, 1, 2],
    ]);
  });

  it('reads another year’s designations, and pages', async () => {
    const last = await findVillagesWithoutTeam(db, county, { year: Y - 1 });
    expect(last.items.map((v) => v.villageName)).toEqual(['金钟桥村']);
    const page2 = await findVillagesWithoutTeam(db, county, { page: 2, pageSize: 2 });
    expect(page2.items.map((v) => v.villageName)).toEqual(['中塅村']);
    expect(page2.total).toBe(3);
  });

  it.each([
    ['admin', null, [CHENGXI, TONGXING, ZHONGDUAN]],
    ['city_officer', CITY, [CHENGXI, TONGXING, ZHONGDUAN]],
    ['county_officer', LIUYANG, [CHENGXI, TONGXING, ZHONGDUAN]],
    ['inspector', LIUYANG, [CHENGXI, TONGXING, ZHONGDUAN]],
    ['township_officer', DAWEISHAN, [TONGXING, ZHONGDUAN]],
    ['township_officer', GUANDU, []],
    ['township_officer', HUAICHUAN, [CHENGXI]],
    ['helper', DAWEISHAN, [TONGXING, ZHONGDUAN]],
    ['helper', ZHONGDUAN, [ZHONGDUAN]],
    ['village_clerk', ZHONGYUE, []],
    ['village_clerk', TONGXING, [TONGXING]],
    ['work_team_member', TONGXING, [TONGXING]],
    ['work_team_member', ZHONGYUE, []],
  ] as const)('is scoped by area: %s of %s', async (role, area, expected) => {
    const r = await findVillagesWithoutTeam(db, actor(role, area), {});
    expect(r.items.map((v) => v.villageCode)).toEqual(expected);
    expect(r.withoutTeam).toBe(expected.length);
  });

  it('narrows to an area in the scope and refuses one outside it', async () => {
    const r = await findVillagesWithoutTeam(db, county, { areaCode: DAWEISHAN });
    expect(r.items.map((v) => v.villageCode)).toEqual([TONGXING, ZHONGDUAN]);
    expect(r.byTownship.map((t) => t.townshipCode)).toEqual([DAWEISHAN]);
    await refused(findVillagesWithoutTeam(db, actor('township_officer', DAWEISHAN), { areaCode: HUAICHUAN }), 'NOT_FOUND');
  });
});

describe('work teams', () => {
  it('lists the teams in scope with village, unit, 队长, 第一书记, member and full-time counts', async () => {
    const p = await findWorkTeams(db, actor('township_officer', DAWEISHAN), {});
    expect(p.items.map((t) => [t.villageName, t.sendingUnitName, t.leaderName, t.firstSecretaryName, t.memberCount, t.fullTimeCount, t.poorThisYear])).toEqual([
      ['中岳村', '县教育局', '李队长', '王书记', 3, 2, true],
      ['楚东村', '县教育局', null, null, 0, 0, false],
    ]);
    const ended = await findWorkTeams(db, actor('township_officer', DAWEISHAN), { status: 'ended' });
    expect(ended.items.map((t) => [t.villageName, t.endDate, t.leaderName, t.memberCount])).toEqual([['同幸村', '2024-12-31', '孙队长', 1]]);
    // A work-team member sees their own village's team.
    const own = await findWorkTeams(db, actor('work_team_member', ZHONGYUE, users.zhongyue), {});
    expect(own.items.map((t) => t.id)).toEqual([teams.zhongyue!.id]);
  });

  it('masks phones unless the role reads personal data in full', async () => {
    const full = await getWorkTeam(db, county, teams.zhongyue!.id);
    expect(full.members.map((m) => [m.name, m.phone, m.isLeader, m.isFirstSecretary, m.fullTime])).toEqual([
      ['李队长', '13912345678', true, false, true],
      ['王书记', '13912345678', false, true, true],
      ['赵队员', '13912345678', false, false, false],
    ]);
    expect(full.members[1]!.unitName).toBe('市农业农村局');
    expect(full.members[2]!.userName).toBe('teamzy');
    const masked = await getWorkTeam(db, actor('helper', DAWEISHAN), teams.zhongyue!.id);
    expect(masked.members.map((m) => m.phone)).toEqual(['139****5678', '139****5678', '139****5678']);
    await refused(getWorkTeam(db, actor('township_officer', GUANDU), teams.zhongyue!.id), 'NOT_FOUND');
  });

  it('keeps one current team per village: the service names the village, the database index holds', async () => {
    const e = await refused(createWorkTeam(db, county, { villageCode: ZHONGYUE, sendingUnitId: units.county!, startDate: '2025-01-01' }), 'CONFLICT');
    expect(e.message).toContain('中岳村已有在任的驻村工作队');
    expect(paths(e)).toEqual([['villageCode']]);
    await expect(db.insert(workTeams).values({ villageCode: ZHONGYUE, sendingUnitId: units.county!, startDate: '2025-01-01' })).rejects.toThrow();
  });

  it('refuses a unit that is inactive, an account of another village, a code that is not a village, a village outside the scope', async () => {
    expect(paths(await refused(createWorkTeam(db, county, { villageCode: ZHONGDUAN, sendingUnitId: units.closed!, startDate: '2025-01-01' }), 'VALIDATION_FAILED'))).toEqual([['sendingUnitId']]);
    const wrongAccount = createWorkTeam(db, county, { villageCode: ZHONGDUAN, sendingUnitId: units.county!, startDate: '2025-01-01', members: [member('甲', { userId: users.tongxing })] });
    expect(paths(await refused(wrongAccount, 'VALIDATION_FAILED'))).toEqual([['members', 0, 'userId']]);
    expect(paths(await refused(createWorkTeam(db, county, { villageCode: DAWEISHAN, sendingUnitId: units.county!, startDate: '2025-01-01' }), 'VALIDATION_FAILED'))).toEqual([['villageCode']]);
    await refused(createWorkTeam(db, actor('county_officer', '430181000000'), { villageCode: '430100000000', sendingUnitId: units.county!, startDate: '2025-01-01' }), 'NOT_FOUND');
    await refused(createWorkTeam(db, actor('township_officer', DAWEISHAN), { villageCode: ZHONGDUAN, sendingUnitId: units.county!, startDate: '2025-01-01' }), 'FORBIDDEN');
    // Nothing of the refused teams was written.
    expect((await findVillagesWithoutTeam(db, county, {})).items.map((v) => v.villageCode)).toContain(ZHONGDUAN);
  });

  it('keeps one current 队长 and one 第一书记 per team', async () => {
    const two = createWorkTeam(db, county, { villageCode: ZHONGDUAN, sendingUnitId: units.county!, startDate: '2025-01-01', members: [member('甲', { isLeader: true }), member('乙', { isLeader: true })] });
    expect(paths(await refused(two, 'VALIDATION_FAILED'))).toEqual([['members', 1, 'isLeader']]);
    let t = (await getWorkTeam(db, county, teams.zhongyue!.id))!;
    const e = await refused(addWorkTeamMember(db, county, t.id, { version: t.version, ...member('新队长', { isLeader: true }) }), 'CONFLICT');
    expect(e.message).toContain('李队长');
    expect(paths(e)).toEqual([['isLeader']]);
    const zhao = t.members.find((m) => m.name === '赵队员')!;
    const s = await refused(updateWorkTeamMember(db, county, t.id, zhao.id, { version: t.version, isFirstSecretary: true }), 'CONFLICT');
    expect(s.message).toContain('王书记');
    // The database's partial unique indexes hold even without the service.
    await expect(db.insert(workTeamMembers).values({ teamId: t.id, name: '绕过者', isLeader: true, startDate: '2025-01-01' })).rejects.toThrow();
    await expect(db.insert(workTeamMembers).values({ teamId: t.id, name: '绕过者', isFirstSecretary: true, startDate: '2025-01-01' })).rejects.toThrow();
    // Once the leader leaves, another member may lead.
    const li = t.members.find((m) => m.name === '李队长')!;
    t = await endWorkTeamMember(db, county, t.id, li.id, { version: t.version, endDate: '2025-01-15' });
    t = await updateWorkTeamMember(db, county, t.id, zhao.id, { version: t.version, isLeader: true, fullTime: true });
    expect(t.leaderName).toBe('赵队员');
    expect([t.memberCount, t.fullTimeCount]).toEqual([2, 2]);
    expect(t.members.map((m) => [m.name, m.current])).toEqual([
      ['赵队员', true],
      ['王书记', true],
      ['李队长', false],
    ]);
    teams.zhongyue = t;
  });

  it('refuses a stale edit and changes nothing', async () => {
    const t = teams.zhongyue!;
    const e = await refused(updateWorkTeam(db, county, t.id, { version: t.version - 1, note: '旧页面' }), 'STALE_EDIT');
    expect(e.details.currentVersion).toBe(t.version);
    await refused(addWorkTeamMember(db, county, t.id, { version: t.version - 1, ...member('迟到者') }), 'STALE_EDIT');
    const now = await updateWorkTeam(db, county, t.id, { version: t.version, note: '2025 年轮换前' });
    expect([now.note, now.version, now.memberCount]).toEqual(['2025 年轮换前', t.version + 1, 2]);
    teams.zhongyue = now;
  });

  it('replaces a team: the old one and its members end, the new one is current, the history stays', async () => {
    const old = teams.zhongyue!;
    const bad = replaceWorkTeam(db, county, old.id, { version: old.version, endDate: '2025-02-28', team: { sendingUnitId: units.city!, startDate: '2025-02-01' } });
    expect(paths(await refused(bad, 'VALIDATION_FAILED'))).toEqual([['team', 'startDate']]);
    const end = todayCst();
    const fresh = await replaceWorkTeam(db, county, old.id, {
      version: old.version,
      endDate: end,
      team: { sendingUnitId: units.city!, startDate: end, members: [member('周队长', { isLeader: true }), member('吴书记', { isFirstSecretary: true, userId: users.zhongyue })] },
    });
    expect([fresh.villageName, fresh.sendingUnitName, fresh.leaderName, fresh.firstSecretaryName, fresh.current]).toEqual(['中岳村', '市农业农村局', '周队长', '吴书记', true]);
    expect(fresh.history.map((h) => [h.id, h.endDate, h.leaderName, h.firstSecretaryName, h.memberCount])).toEqual([[old.id, end, '赵队员', '王书记', 2]]);
    const ended = await getWorkTeam(db, county, old.id);
    expect(ended.members.every((m) => m.endDate !== null)).toBe(true);
    expect(ended.members.filter((m) => m.endDate === end).map((m) => m.name)).toEqual(['赵队员', '王书记']);
    // The ended team cannot be changed any more, and the village never lacked a team.
    await refused(updateWorkTeam(db, county, old.id, { version: ended.version, note: 'x' }), 'CONFLICT');
    expect((await findVillagesWithoutTeam(db, county, {})).items.map((v) => v.villageCode)).not.toContain(ZHONGYUE);
    const history = await findWorkTeams(db, county, { areaCode: ZHONGYUE, status: 'all' });
    expect(history.items.map((t) => [t.id, t.current])).toEqual([
      [fresh.id, true],
      [old.id, false],
    ]);
    teams.zhongyue = fresh;
  });

  it('ending a poor village’s team puts it on the list; a new team takes it off', async () => {
    const t = teams.guanyintang!;
    expect(paths(await refused(endWorkTeam(db, county, t.id, { version: t.version, endDate: '2023-12-31' }), 'VALIDATION_FAILED'))).toEqual([['endDate']]);
    await endWorkTeam(db, county, t.id, { version: t.version, endDate: todayCst() });
    const after = await findVillagesWithoutTeam(db, county, { areaCode: GUANDU });
    expect(after.items.map((v) => [v.villageName, v.lastTeamEndDate])).toEqual([['观音塘村', todayCst()]]);
    await createWorkTeam(db, county, { villageCode: GUANYINTANG, sendingUnitId: units.county!, startDate: todayCst() });
    expect((await findVillagesWithoutTeam(db, county, { areaCode: GUANDU })).items).toEqual([]);
  });

  it('audits every write', async () => {
    const audit = rowsOf<{ target_type: string; n: number }>(
      await db.execute(sql`SELECT target_type, count(*)::int AS n FROM audit_events WHERE action = 'assistance.teams' GROUP BY target_type ORDER BY target_type`),
    );
    // Teams: 4 created and 1 ended in the fixture; 1 edit, 2 for the replacement, 1 end, 1 new; members: 1 left, 1 edited.
    expect(audit).toEqual([
      { target_type: 'workTeam', n: 10 },
      { target_type: 'workTeamMember', n: 2 },
    ]);
  });
});

describe('leader contact points', () => {
  const point = (extra: Record<string, unknown> = {}) => ({
    leaderName: '市领导甲',
    leaderPost: '副市长',
    townshipCode: DAWEISHAN,
    villageCode: ZHONGYUE,
    countyLeaderName: '县领导乙',
    countyLeaderPost: '副县长',
    unitId: units.county!,
    startDate: '2025-01-01',
    ...extra,
  });

  it('needs a poor village of this year inside the township', async () => {
    const city = actor('city_officer', CITY);
    const outside = await refused(createContactPoint(db, city, point({ villageCode: GUANYINTANG })), 'VALIDATION_FAILED');
    expect(paths(outside)).toEqual([['villageCode']]);
    expect(outside.message).toContain('观音塘村不在大围山镇内');
    const notPoor = await refused(createContactPoint(db, city, point({ villageCode: JINZHONGQIAO })), 'VALIDATION_FAILED');
    expect(paths(notPoor)).toEqual([['villageCode']]);
    expect(notPoor.message).toContain(`金钟桥村不是 ${Y} 年认定的贫困村`);
    expect(paths(await refused(createContactPoint(db, city, point({ townshipCode: ZHONGYUE })), 'VALIDATION_FAILED'))).toEqual([['townshipCode']]);
    expect(paths(await refused(createContactPoint(db, city, point({ unitId: units.closed })), 'VALIDATION_FAILED'))).toEqual([['unitId']]);
    await refused(createContactPoint(db, actor('township_officer', DAWEISHAN), point()), 'FORBIDDEN');
  });

  it('gives a leader one current contact point, listed in scope with the village’s team', async () => {
    const city = actor('city_officer', CITY);
    const p = await createContactPoint(db, city, point());
    expect(p).toMatchObject({ townshipName: '大围山镇', villageName: '中岳村', unitName: '县教育局', villagePoorThisYear: true, villageHasTeam: true, teamLeaderName: '周队长', firstSecretaryName: '吴书记', current: true });
    const again = await refused(createContactPoint(db, county, point({ villageCode: ZHONGDUAN })), 'CONFLICT');
    expect(again.message).toContain('市领导甲（副市长）已有在任的联系点（大围山镇中岳村）');
    // Another leader may share the village; the list is scoped by the village.
    await createContactPoint(db, county, point({ leaderName: '市领导丙', villageCode: CHENGXI, townshipCode: HUAICHUAN }));
    const seen = async (a: Actor) => (await findContactPoints(db, a, {})).items.map((x) => x.leaderName);
    expect(await seen(city)).toEqual(['市领导丙', '市领导甲']);
    expect(await seen(actor('township_officer', DAWEISHAN))).toEqual(['市领导甲']);
    expect(await seen(actor('village_clerk', ZHONGYUE))).toEqual(['市领导甲']);
    expect(await seen(actor('work_team_member', TONGXING))).toEqual([]);
    // Edits are versioned; moving to a village outside the township is refused.
    await refused(updateContactPoint(db, city, p.id, { version: p.version + 1, countyLeaderName: '县领导丁' }), 'STALE_EDIT');
    expect(paths(await refused(updateContactPoint(db, city, p.id, { version: p.version, villageCode: CHENGXI }), 'VALIDATION_FAILED'))).toEqual([['villageCode']]);
    const moved = await updateContactPoint(db, city, p.id, { version: p.version, villageCode: ZHONGDUAN, countyLeaderName: '县领导丁' });
    expect([moved.villageName, moved.countyLeaderName, moved.villageHasTeam, moved.version]).toEqual(['中塅村', '县领导丁', false, p.version + 1]);
    // Ended, the leader may take a new contact point; the old one is history.
    const ended = await endContactPoint(db, city, p.id, { version: moved.version, endDate: todayCst() });
    expect(ended.current).toBe(false);
    await createContactPoint(db, city, point({ startDate: todayCst() }));
    expect((await findContactPoints(db, city, { status: 'ended' })).items.map((x) => [x.leaderName, x.villageName])).toEqual([['市领导甲', '中塅村']]);
    const audit = rowsOf<{ n: number }>(await db.execute(sql`SELECT count(*)::int AS n FROM audit_events WHERE action = 'assistance.contact-points'`));
    expect(audit[0]!.n).toBe(5);
  });
});
