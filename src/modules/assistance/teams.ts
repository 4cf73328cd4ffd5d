/**
 * Work teams (驻村工作队) and leader contact points (市领导联系点).
 *
 * A work team is sent by an assisting unit to a village, from its start date until it ends; its
 * members include the 队长 (`isLeader`) and the 第一书记 (`isFirstSecretary`), at most one current of
 * each. A village has at most one current team: replacing a team ends the old one (and its members)
 * and installs the new one, so past teams stay as the village's history. The database holds these
 * rules too (partial unique indexes in migration 0008); a concurrent write that breaks one gets the
 * same clear refusal as the checks here. Every write is one transaction, audited; edits carry the
 * team's `version` (every member change raises it) and are refused with STALE_EDIT when stale.
 *
 * "Poor villages without a team" (每个贫困村都有驻村工作队): villages designated poor in a year
 * (poor_village_designations, relative designations included) with no current team, in the actor's
 * scope, with counts per township.
 *
 * A leader contact point links a city leader to one township and one poor village of this year
 * (the village inside the township), with the county-level leader and the assisting unit for the
 * same places; a leader (name and post) has one current contact point.
 *
 * Sources: the issue's items 2 and 3 (the seed policy: "每个贫困村都有驻村工作队", "市领导联系一个乡镇、
 * 一个贫困村"), REFERENCE §5.
 */
import { and, eq, isNull, sql, type SQL } from 'drizzle-orm';
import type { Db, DbOrTx, Tx } from '../../platform/db.ts';
import { pgErrorCode, rowsOf } from '../../platform/db.ts';
import { authorize, inScope, roleHolds, scopePattern, type Actor } from '../../platform/auth.ts';
import { AppError, invalidField, notFound, type FieldIssue } from '../../shared/errors.ts';
import { levelOfCode, scopePrefix } from '../../shared/area-code.ts';
import { maskPhone } from '../../shared/mask.ts';
import type { Page } from '../../shared/paging.ts';
import { recordAudit } from '../audit/index.ts';
import { currentYear, loadArea } from '../areas/index.ts';
import { poorVillageDesignations } from '../areas/schema.ts';
import { users } from '../accounts/schema.ts';
import { HOUSEHOLDS, todayCst } from '../households/index.ts';
import { onActorLine } from './access.ts';
import { ASSISTANCE } from './permissions.ts';
import { assistingUnits, leaderContactPoints, workTeamMembers, workTeams } from './schema.ts';
import {
  addTeamMemberBody,
  contactPointListQuery,
  createContactPointBody,
  createWorkTeamBody,
  endContactPointBody,
  endTeamMemberBody,
  endWorkTeamBody,
  replaceWorkTeamBody,
  updateContactPointBody,
  updateTeamMemberBody,
  updateWorkTeamBody,
  villagesWithoutTeamQuery,
  workTeamListQuery,
  type AddTeamMemberInput,
  type ContactPointDto,
  type ContactPointListQuery,
  type CreateContactPointInput,
  type CreateWorkTeamInput,
  type EndContactPointInput,
  type EndTeamMemberInput,
  type EndWorkTeamInput,
  type ReplaceWorkTeamInput,
  type TeamChoicesDto,
  type UpdateContactPointInput,
  type UpdateTeamMemberInput,
  type UpdateWorkTeamInput,
  type VillagesWithoutTeamDto,
  type VillagesWithoutTeamQuery,
  type WorkTeamDto,
  type WorkTeamListQuery,
  type WorkTeamMemberDto,
  type WorkTeamMemberInput,
  type WorkTeamSummaryDto,
} from './teams-contract.ts';

const TEAM = { zh: '驻村工作队', en: 'Work team' };
const MEMBER = { zh: '工作队员', en: 'Team member' };
const POINT = { zh: '领导联系点', en: 'Leader contact point' };
const VILLAGE = { zh: '村', en: 'Village' };
const TOWNSHIP = { zh: '乡镇', en: 'Township' };
const AREA = { zh: '区域', en: 'Area' };

type TeamRow = typeof workTeams.$inferSelect;
type MemberRow = typeof workTeamMembers.$inferSelect;
type PointRow = typeof leaderContactPoints.$inferSelect;

const townshipOf = (villageCode: string) => `${villageCode.slice(0, 9)}000`;

// ---------------------------------------------------------------------------------------------
// Checks shared by the use cases

function conflict(zh: string, en: string, issues?: FieldIssue[]): AppError {
  return new AppError('CONFLICT', zh, en, issues ? { issues } : {});
}

/** The constraint a failed write broke, when it is a unique violation (SQLSTATE 23505). */
function brokenUnique(e: unknown): string | undefined {
  if (pgErrorCode(e) !== '23505') return undefined;
  const err = e as { constraint?: unknown; cause?: { constraint?: unknown } };
  const c = err?.cause?.constraint ?? err?.constraint;
  return typeof c === 'string' ? c : '';
}

const secondTeam = (villageName: string) =>
  conflict(`${villageName}已有在任的驻村工作队，一个村同时只能有一支工作队：请先结束或撤换原工作队`, `${villageName} already has a current work team; end or replace it first`, [
    { path: ['villageCode'], message: `${villageName}已有在任的驻村工作队`, messageEn: `${villageName} already has a current work team` },
  ]);
const secondLeader = (path: (string | number)[], name?: string) =>
  conflict(
    `该工作队已有在任队长${name ? `（${name}）` : ''}，一个工作队只能有一名队长：请先卸任原队长或取消其队长标记`,
    `This team already has a current leader${name ? ` (${name})` : ''}; a team has one leader: end the current leader or unflag them first`,
    [{ path, message: '该工作队已有在任队长', messageEn: 'the team already has a current leader' }],
  );
const secondSecretary = (path: (string | number)[], name?: string) =>
  conflict(
    `该工作队已有在任第一书记${name ? `（${name}）` : ''}，一个工作队只能有一名第一书记：请先卸任原第一书记或取消其标记`,
    `This team already has a current first secretary${name ? ` (${name})` : ''}; a team has one: end the current one or unflag them first`,
    [{ path, message: '该工作队已有在任第一书记', messageEn: 'the team already has a current first secretary' }],
  );

/**
 * Turns a unique violation of the teams' indexes into the refusal a user understands.
 * @returns the AppError, or the original error when it is something else
 */
function translateUnique(e: unknown, ctx: { villageName?: string; leader?: string; memberPath?: (string | number)[] }): unknown {
  const c = brokenUnique(e);
  if (c === undefined) return e;
  if (c === 'work_teams_current_idx') return secondTeam(ctx.villageName ?? '该村');
  if (c === 'work_team_members_leader_idx') return secondLeader([...(ctx.memberPath ?? []), 'isLeader']);
  if (c === 'work_team_members_secretary_idx') return secondSecretary([...(ctx.memberPath ?? []), 'isFirstSecretary']);
  if (c === 'leader_contact_points_current_idx')
    return conflict(`${ctx.leader ?? '该领导'}已有在任的联系点，一名领导同时只能联系一个乡镇、一个贫困村：请先结束原联系点`, `${ctx.leader ?? 'This leader'} already has a current contact point; end it first`, [
      { path: ['leaderName'], message: '该领导已有在任的联系点', messageEn: 'the leader already has a current contact point' },
    ]);
  return e;
}

/** A current village (12-digit code). @throws VALIDATION_FAILED naming `path` */
async function checkVillage(db: DbOrTx, code: string, path: (string | number)[]): Promise<{ code: string; name: string }> {
  const a = await loadArea(db, code);
  if (!a || a.validTo !== null || levelOfCode(code) !== 'village') throw invalidField(path, '应选择一个现行的村（社区）', 'choose a current village');
  return { code: a.code, name: a.name };
}

/** An active assisting unit on the actor's line. @throws VALIDATION_FAILED naming `path` */
async function checkUnit(db: DbOrTx, actor: Actor, unitId: string, path: (string | number)[]): Promise<{ id: string; name: string }> {
  const [u] = await db
    .select({ id: assistingUnits.id, name: assistingUnits.name })
    .from(assistingUnits)
    .where(and(eq(assistingUnits.id, unitId), eq(assistingUnits.active, true), onActorLine(actor, assistingUnits.areaCode)));
  if (!u) throw invalidField(path, '帮扶单位不存在、已停用或不在您的管辖范围内', 'no such active assisting unit within your area');
  return u;
}

/** An active account of role work_team_member in the village. @throws VALIDATION_FAILED naming `path` */
async function checkAccount(db: DbOrTx, userId: string, villageCode: string, path: (string | number)[]): Promise<void> {
  const [u] = await db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.id, userId), eq(users.role, 'work_team_member'), eq(users.active, true), eq(users.areaCode, villageCode)));
  if (!u) throw invalidField(path, '应为本村在用的驻村工作队员账号', 'must be an active work-team member account of this village');
}

/** Whether the village is designated poor in the year (relative designations included). */
async function isPoor(db: DbOrTx, villageCode: string, year: number): Promise<boolean> {
  const [d] = await db
    .select({ y: poorVillageDesignations.year })
    .from(poorVillageDesignations)
    .where(and(eq(poorVillageDesignations.areaCode, villageCode), eq(poorVillageDesignations.year, year)));
  return !!d;
}

function notAfterToday(date: string, path: (string | number)[]): void {
  if (date > todayCst()) throw invalidField(path, '结束日期不能晚于今天', 'the end date cannot be after today');
}

function staleTeam(current: number): AppError {
  return new AppError('STALE_EDIT', '该工作队已被他人修改，未保存您的更改。请刷新后重新操作', 'Someone else changed this work team since you opened it; nothing of yours was saved. Reload and try again', {
    currentVersion: current,
  });
}

/** Loads a team for a write: row-locked, in scope, at the expected version, still current. */
async function loadTeamForWrite(tx: Tx, actor: Actor, id: string, version: number): Promise<TeamRow> {
  const [t] = await tx.select().from(workTeams).where(eq(workTeams.id, id)).for('update');
  if (!t) throw notFound(TEAM.zh, TEAM.en);
  authorize(actor, ASSISTANCE['assistance.teams'], { areaCode: t.villageCode, label: TEAM });
  if (t.version !== version) throw staleTeam(t.version);
  if (t.endDate !== null) throw conflict(`该工作队已于 ${t.endDate} 结束，不能再修改`, `This work team ended on ${t.endDate} and cannot be changed`);
  return t;
}

async function currentMembers(tx: DbOrTx, teamId: string): Promise<MemberRow[]> {
  return tx
    .select()
    .from(workTeamMembers)
    .where(and(eq(workTeamMembers.teamId, teamId), isNull(workTeamMembers.endDate)));
}

async function bumpTeam(tx: Tx, t: TeamRow, set: Partial<typeof workTeams.$inferInsert> = {}): Promise<TeamRow> {
  const [r] = await tx
    .update(workTeams)
    .set({ ...set, version: t.version + 1 })
    .where(and(eq(workTeams.id, t.id), eq(workTeams.version, t.version)))
    .returning();
  if (!r) throw staleTeam(t.version + 1);
  return r;
}

/**
 * Checks and inserts members of a team. At most one 队长 and one 第一书记 among the given members and
 * the team's current ones; each start date on or after the team's; units on the actor's line;
 * accounts of the village's work-team members, not already on the team.
 */
async function insertMembers(tx: Tx, actor: Actor, team: TeamRow, inputs: WorkTeamMemberInput[], path: (i: number) => (string | number)[]): Promise<MemberRow[]> {
  const present = await currentMembers(tx, team.id);
  const leader = present.find((m) => m.isLeader);
  const secretary = present.find((m) => m.isFirstSecretary);
  const accounts = new Set(present.map((m) => m.userId).filter(Boolean));
  let leaders = 0;
  let secretaries = 0;
  const rows: (typeof workTeamMembers.$inferInsert)[] = [];
  for (const [i, m] of inputs.entries()) {
    const p = path(i);
    if (m.isLeader) {
      if (leader) throw secondLeader([...p, 'isLeader'], leader.name);
      if (++leaders > 1) throw invalidField([...p, 'isLeader'], '一个工作队只能有一名队长', 'a team has one leader');
    }
    if (m.isFirstSecretary) {
      if (secretary) throw secondSecretary([...p, 'isFirstSecretary'], secretary.name);
      if (++secretaries > 1) throw invalidField([...p, 'isFirstSecretary'], '一个工作队只能有一名第一书记', 'a team has one first secretary');
    }
    const start = m.startDate ?? team.startDate;
    if (start < team.startDate) throw invalidField([...p, 'startDate'], `到岗日期不能早于工作队进驻日期 ${team.startDate}`, `cannot be before the team’s start date ${team.startDate}`);
    if (m.unitId) await checkUnit(tx, actor, m.unitId, [...p, 'unitId']);
    if (m.userId) {
      await checkAccount(tx, m.userId, team.villageCode, [...p, 'userId']);
      if (accounts.has(m.userId)) throw invalidField([...p, 'userId'], '该账号已是本工作队的在任队员', 'this account is already a current member of the team');
      accounts.add(m.userId);
    }
    rows.push({
      teamId: team.id,
      name: m.name,
      unitId: m.unitId ?? null,
      post: m.post || null,
      phone: m.phone || null,
      isLeader: m.isLeader ?? false,
      isFirstSecretary: m.isFirstSecretary ?? false,
      fullTime: m.fullTime ?? true,
      startDate: start,
      userId: m.userId ?? null,
    });
  }
  return rows.length ? tx.insert(workTeamMembers).values(rows).returning() : [];
}

const memberAudit = (m: MemberRow) => ({
  name: m.name,
  unitId: m.unitId,
  post: m.post,
  phone: maskPhone(m.phone),
  isLeader: m.isLeader,
  isFirstSecretary: m.isFirstSecretary,
  fullTime: m.fullTime,
  startDate: m.startDate,
  endDate: m.endDate,
  userId: m.userId,
});
const teamAudit = (t: TeamRow) => ({ villageCode: t.villageCode, sendingUnitId: t.sendingUnitId, startDate: t.startDate, endDate: t.endDate, note: t.note, version: t.version });

/** Creates a team (inside a transaction) after the village, unit and one-current-team checks. */
async function insertTeam(tx: Tx, actor: Actor, villageCode: string, villageName: string, input: Omit<CreateWorkTeamInput, 'villageCode'>, path: (string | number)[]): Promise<{ team: TeamRow; members: MemberRow[] }> {
  await checkUnit(tx, actor, input.sendingUnitId, [...path, 'sendingUnitId']);
  const [existing] = await tx
    .select({ id: workTeams.id })
    .from(workTeams)
    .where(and(eq(workTeams.villageCode, villageCode), isNull(workTeams.endDate)));
  if (existing) throw secondTeam(villageName);
  const [team] = await tx
    .insert(workTeams)
    .values({ villageCode, sendingUnitId: input.sendingUnitId, startDate: input.startDate, note: input.note || null, createdBy: actor.id })
    .returning();
  const members = await insertMembers(tx, actor, team!, input.members ?? [], (i) => [...path, 'members', i]);
  return { team: team!, members };
}

/** Ends a team and its current members on `endDate` (inside a transaction). */
async function closeTeam(tx: Tx, t: TeamRow, endDate: string): Promise<{ team: TeamRow; ended: number }> {
  if (endDate < t.startDate) throw invalidField(['endDate'], `结束日期不能早于工作队进驻日期 ${t.startDate}`, `cannot be before the team’s start date ${t.startDate}`);
  notAfterToday(endDate, ['endDate']);
  const present = await currentMembers(tx, t.id);
  const late = present.find((m) => m.startDate > endDate);
  if (late) throw invalidField(['endDate'], `结束日期不能早于队员${late.name}的到岗日期 ${late.startDate}`, `cannot be before member ${late.name}’s start date ${late.startDate}`);
  await tx
    .update(workTeamMembers)
    .set({ endDate })
    .where(and(eq(workTeamMembers.teamId, t.id), isNull(workTeamMembers.endDate)));
  const team = await bumpTeam(tx, t, { endDate });
  return { team, ended: present.length };
}

// ---------------------------------------------------------------------------------------------
// Reading teams

interface SummaryRow {
  id: string;
  village_code: string;
  village_name: string;
  township_code: string;
  township_name: string | null;
  sending_unit_id: string;
  sending_unit_name: string;
  start_date: string;
  end_date: string | null;
  note: string | null;
  version: number;
  leader_name: string | null;
  secretary_name: string | null;
  member_count: number;
  full_time_count: number;
  poor_this_year: boolean;
}

/**
 * Team summaries matching `where` (a condition on `t`, work_teams): the 队长 and 第一书记 and the
 * member counts of a current team are its current members'; of an ended team, those who ended with it.
 */
async function selectSummaries(db: DbOrTx, where: SQL, limit?: { limit: number; offset: number }): Promise<WorkTeamSummaryDto[]> {
  const year = currentYear();
  const withTeam = sql`m.team_id = t.id AND m.end_date IS NOT DISTINCT FROM t.end_date`;
  const res = await db.execute(sql`
    SELECT t.id, t.village_code, v.name AS village_name, substr(t.village_code, 1, 9) || '000' AS township_code, tw.name AS township_name,
      t.sending_unit_id, u.name AS sending_unit_name, t.start_date::text AS start_date, t.end_date::text AS end_date, t.note, t.version,
      (SELECT m.name FROM work_team_members m WHERE ${withTeam} AND m.is_leader ORDER BY m.start_date DESC LIMIT 1) AS leader_name,
      (SELECT m.name FROM work_team_members m WHERE ${withTeam} AND m.is_first_secretary ORDER BY m.start_date DESC LIMIT 1) AS secretary_name,
      (SELECT count(*)::int FROM work_team_members m WHERE ${withTeam}) AS member_count,
      (SELECT count(*)::int FROM work_team_members m WHERE ${withTeam} AND m.full_time) AS full_time_count,
      EXISTS (SELECT 1 FROM poor_village_designations d WHERE d.area_code = t.village_code AND d.year = ${year}) AS poor_this_year
    FROM work_teams t
    JOIN areas v ON v.code = t.village_code
    LEFT JOIN areas tw ON tw.code = substr(t.village_code, 1, 9) || '000'
    JOIN assisting_units u ON u.id = t.sending_unit_id
    WHERE ${where}
    ORDER BY t.village_code, t.start_date DESC, t.created_at DESC
    ${limit ? sql`LIMIT ${limit.limit} OFFSET ${limit.offset}` : sql``}`);
  return rowsOf<SummaryRow>(res).map((r) => ({
    id: r.id,
    villageCode: r.village_code,
    villageName: r.village_name,
    townshipCode: r.township_code,
    townshipName: r.township_name ?? '',
    sendingUnitId: r.sending_unit_id,
    sendingUnitName: r.sending_unit_name,
    startDate: r.start_date,
    endDate: r.end_date,
    current: r.end_date === null,
    note: r.note,
    leaderName: r.leader_name,
    firstSecretaryName: r.secretary_name,
    memberCount: Number(r.member_count),
    fullTimeCount: Number(r.full_time_count),
    poorThisYear: r.poor_this_year,
    version: Number(r.version),
  }));
}

/** The condition "area column inside the actor's scope, and inside `areaCode` when given" (404 when `areaCode` is outside). */
function areaCondition(actor: Actor, column: SQL, areaCode: string | undefined): SQL {
  const parts = [sql`${column} LIKE ${scopePattern(actor)}`];
  if (areaCode) {
    if (!inScope(actor, areaCode)) throw notFound(AREA.zh, AREA.en);
    parts.push(sql`${column} LIKE ${`${scopePrefix(areaCode)}%`}`);
  }
  return sql.join(parts, sql` AND `);
}

const statusCondition = (status: 'current' | 'ended' | 'all', column: SQL): SQL =>
  status === 'current' ? sql`${column} IS NULL` : status === 'ended' ? sql`${column} IS NOT NULL` : sql`true`;

/**
 * The teams in the actor's scope (and `areaCode`), current by default, ended (history) or all, by
 * village: village, sending unit, 队长, 第一书记, member and full-time counts (persons).
 * @throws AppError FORBIDDEN, NOT_FOUND (areaCode outside the scope)
 */
export async function findWorkTeams(db: DbOrTx, actor: Actor, query: WorkTeamListQuery): Promise<Page<WorkTeamSummaryDto>> {
  authorize(actor, ASSISTANCE['assistance.read']);
  const q = workTeamListQuery.parse(query);
  const where = sql`${areaCondition(actor, sql`t.village_code`, q.areaCode)} AND ${statusCondition(q.status, sql`t.end_date`)}`;
  const [c] = rowsOf<{ n: number }>(await db.execute(sql`SELECT count(*)::int AS n FROM work_teams t WHERE ${where}`));
  const items = await selectSummaries(db, where, { limit: q.pageSize, offset: (q.page - 1) * q.pageSize });
  return { items, total: Number(c?.n ?? 0), page: q.page, pageSize: q.pageSize };
}

/**
 * One team with its members (current first: 队长, 第一书记, then by start date; then former members)
 * and the village's other teams. Phones in full for roles that read personal data in full
 * (households.read-full), masked otherwise.
 * @throws AppError NOT_FOUND (no such team, or outside the scope)
 */
export async function getWorkTeam(db: DbOrTx, actor: Actor, id: string): Promise<WorkTeamDto> {
  authorize(actor, ASSISTANCE['assistance.read']);
  const [t] = await db.select({ villageCode: workTeams.villageCode }).from(workTeams).where(eq(workTeams.id, id));
  if (!t) throw notFound(TEAM.zh, TEAM.en);
  authorize(actor, ASSISTANCE['assistance.read'], { areaCode: t.villageCode, label: TEAM });
  const [summary] = await selectSummaries(db, sql`t.id = ${id}`);
  const history = await selectSummaries(db, sql`t.village_code = ${t.villageCode} AND t.id <> ${id}`);
  history.sort((a, b) => (a.startDate < b.startDate ? 1 : -1));
  const full = roleHolds(actor, HOUSEHOLDS['households.read-full']);
  const res = await db.execute(sql`
    SELECT m.id, m.name, m.unit_id, un.name AS unit_name, m.post, m.phone, m.is_leader, m.is_first_secretary, m.full_time,
      m.start_date::text AS start_date, m.end_date::text AS end_date, m.user_id, us.display_name AS user_name
    FROM work_team_members m
    LEFT JOIN assisting_units un ON un.id = m.unit_id
    LEFT JOIN users us ON us.id = m.user_id
    WHERE m.team_id = ${id}
    ORDER BY (m.end_date IS NULL) DESC, m.is_leader DESC, m.is_first_secretary DESC, m.start_date, m.name`);
  const members: WorkTeamMemberDto[] = rowsOf<{
    id: string;
    name: string;
    unit_id: string | null;
    unit_name: string | null;
    post: string | null;
    phone: string | null;
    is_leader: boolean;
    is_first_secretary: boolean;
    full_time: boolean;
    start_date: string;
    end_date: string | null;
    user_id: string | null;
    user_name: string | null;
  }>(res).map((m) => ({
    id: m.id,
    name: m.name,
    unitId: m.unit_id,
    unitName: m.unit_name,
    post: m.post,
    phone: full ? m.phone : maskPhone(m.phone),
    isLeader: m.is_leader,
    isFirstSecretary: m.is_first_secretary,
    fullTime: m.full_time,
    startDate: m.start_date,
    endDate: m.end_date,
    current: m.end_date === null,
    userId: m.user_id,
    userName: m.user_name,
  }));
  return { ...summary!, members, history };
}

// ---------------------------------------------------------------------------------------------
// Writing teams

/**
 * Creates a village's work team (sending unit, start date, note) with its members.
 * @throws AppError FORBIDDEN (not assistance.teams), NOT_FOUND (village outside the scope),
 *   VALIDATION_FAILED (not a current village; unit not on the actor's line; account not the village's
 *   work-team member; two leaders or secretaries; a member starting before the team), CONFLICT (the
 *   village already has a current team — named in the message)
 */
export async function createWorkTeam(db: Db, actor: Actor, input: CreateWorkTeamInput): Promise<WorkTeamDto> {
  const body = createWorkTeamBody.parse(input);
  authorize(actor, ASSISTANCE['assistance.teams'], { areaCode: body.villageCode, label: VILLAGE });
  const village = await checkVillage(db, body.villageCode, ['villageCode']);
  let id: string;
  try {
    id = await db.transaction(async (tx) => {
      const { team, members } = await insertTeam(tx, actor, village.code, village.name, body, []);
      await recordAudit(tx, actor, { action: ASSISTANCE['assistance.teams'], targetType: 'workTeam', targetId: team.id, areaCode: team.villageCode, after: { ...teamAudit(team), members: members.map(memberAudit) } });
      return team.id;
    });
  } catch (e) {
    throw translateUnique(e, { villageName: village.name });
  }
  return getWorkTeam(db, actor, id);
}

/**
 * Edits a current team's sending unit, start date or note.
 * @throws AppError NOT_FOUND, STALE_EDIT (the team changed since `version`), CONFLICT (ended team),
 *   VALIDATION_FAILED (unit; a start date after a member's)
 */
export async function updateWorkTeam(db: Db, actor: Actor, id: string, input: UpdateWorkTeamInput): Promise<WorkTeamDto> {
  const body = updateWorkTeamBody.parse(input);
  await db.transaction(async (tx) => {
    const before = await loadTeamForWrite(tx, actor, id, body.version);
    const set: Partial<typeof workTeams.$inferInsert> = {};
    if (body.sendingUnitId !== undefined && body.sendingUnitId !== before.sendingUnitId) {
      await checkUnit(tx, actor, body.sendingUnitId, ['sendingUnitId']);
      set.sendingUnitId = body.sendingUnitId;
    }
    if (body.startDate !== undefined && body.startDate !== before.startDate) {
      const first = (await currentMembers(tx, id)).sort((a, b) => (a.startDate < b.startDate ? -1 : 1))[0];
      if (first && first.startDate < body.startDate) throw invalidField(['startDate'], `进驻日期不能晚于队员${first.name}的到岗日期 ${first.startDate}`, `cannot be after member ${first.name}’s start date ${first.startDate}`);
      set.startDate = body.startDate;
    }
    if (body.note !== undefined) set.note = body.note || null;
    const after = await bumpTeam(tx, before, set);
    await recordAudit(tx, actor, { action: ASSISTANCE['assistance.teams'], targetType: 'workTeam', targetId: id, areaCode: before.villageCode, before: teamAudit(before), after: teamAudit(after) });
  });
  return getWorkTeam(db, actor, id);
}

/**
 * Ends a team on `endDate` (not after today, not before its start or a current member's start); its
 * current members end the same day. The village then appears among the poor villages without a team
 * (if poor) until a new team is created.
 * @throws AppError NOT_FOUND, STALE_EDIT, CONFLICT (already ended), VALIDATION_FAILED (endDate)
 */
export async function endWorkTeam(db: Db, actor: Actor, id: string, input: EndWorkTeamInput): Promise<WorkTeamDto> {
  const body = endWorkTeamBody.parse(input);
  await db.transaction(async (tx) => {
    const before = await loadTeamForWrite(tx, actor, id, body.version);
    const { team, ended } = await closeTeam(tx, before, body.endDate);
    await recordAudit(tx, actor, { action: ASSISTANCE['assistance.teams'], targetType: 'workTeam', targetId: id, areaCode: team.villageCode, before: teamAudit(before), after: { ...teamAudit(team), membersEnded: ended } });
  });
  return getWorkTeam(db, actor, id);
}

/**
 * Replaces a team (轮换): ends it and its members on `endDate` and creates the new team of the same
 * village (start on or after `endDate`) in one transaction; the old team stays as history.
 * @returns the new team (with the old one in `history`)
 * @throws AppError as endWorkTeam and createWorkTeam (paths of the new team under `team`)
 */
export async function replaceWorkTeam(db: Db, actor: Actor, id: string, input: ReplaceWorkTeamInput): Promise<WorkTeamDto> {
  const body = replaceWorkTeamBody.parse(input);
  let newId: string;
  let villageName: string | undefined;
  try {
    newId = await db.transaction(async (tx) => {
      const before = await loadTeamForWrite(tx, actor, id, body.version);
      const village = await checkVillage(tx, before.villageCode, ['villageCode']);
      villageName = village.name;
      if (body.team.startDate < body.endDate)
        throw invalidField(['team', 'startDate'], `新工作队进驻日期不能早于原工作队结束日期 ${body.endDate}`, `the new team cannot start before the old one ends (${body.endDate})`);
      const { team: old, ended } = await closeTeam(tx, before, body.endDate);
      const { team, members } = await insertTeam(tx, actor, village.code, village.name, body.team, ['team']);
      await recordAudit(tx, actor, { action: ASSISTANCE['assistance.teams'], targetType: 'workTeam', targetId: id, areaCode: old.villageCode, before: teamAudit(before), after: { ...teamAudit(old), membersEnded: ended, replacedBy: team.id } });
      await recordAudit(tx, actor, { action: ASSISTANCE['assistance.teams'], targetType: 'workTeam', targetId: team.id, areaCode: team.villageCode, after: { ...teamAudit(team), replaces: id, members: members.map(memberAudit) } });
      return team.id;
    });
  } catch (e) {
    throw translateUnique(e, { ...(villageName ? { villageName } : {}), memberPath: ['team', 'members'] });
  }
  return getWorkTeam(db, actor, newId);
}

/**
 * Adds a member to a current team (the team's `version`).
 * @throws AppError NOT_FOUND, STALE_EDIT, CONFLICT (ended team; a second current 队长 or 第一书记 —
 *   the current one named), VALIDATION_FAILED (unit, account, start date)
 */
export async function addWorkTeamMember(db: Db, actor: Actor, teamId: string, input: AddTeamMemberInput): Promise<WorkTeamDto> {
  const { version, ...member } = addTeamMemberBody.parse(input);
  try {
    await db.transaction(async (tx) => {
      const before = await loadTeamForWrite(tx, actor, teamId, version);
      const [m] = await insertMembers(tx, actor, before, [member], () => []);
      await bumpTeam(tx, before);
      await recordAudit(tx, actor, { action: ASSISTANCE['assistance.teams'], targetType: 'workTeamMember', targetId: m!.id, areaCode: before.villageCode, after: { teamId, ...memberAudit(m!) } });
    });
  } catch (e) {
    throw translateUnique(e, {});
  }
  return getWorkTeam(db, actor, teamId);
}

async function loadMember(tx: Tx, teamId: string, memberId: string): Promise<MemberRow> {
  const [m] = await tx
    .select()
    .from(workTeamMembers)
    .where(and(eq(workTeamMembers.id, memberId), eq(workTeamMembers.teamId, teamId)))
    .for('update');
  if (!m) throw notFound(MEMBER.zh, MEMBER.en);
  if (m.endDate !== null) throw conflict(`${m.name}已于 ${m.endDate} 离队，不能再修改`, `${m.name} left the team on ${m.endDate} and cannot be changed`);
  return m;
}

/**
 * Edits a current member (name, unit, post, phone, 队长 / 第一书记 / full-time flags, account).
 * @throws AppError NOT_FOUND, STALE_EDIT, CONFLICT (a second 队长 or 第一书记; a former member),
 *   VALIDATION_FAILED
 */
export async function updateWorkTeamMember(db: Db, actor: Actor, teamId: string, memberId: string, input: UpdateTeamMemberInput): Promise<WorkTeamDto> {
  const { version, ...b } = updateTeamMemberBody.parse(input);
  try {
    await db.transaction(async (tx) => {
      const team = await loadTeamForWrite(tx, actor, teamId, version);
      const before = await loadMember(tx, teamId, memberId);
      const others = (await currentMembers(tx, teamId)).filter((m) => m.id !== memberId);
      if (b.isLeader && !before.isLeader) {
        const l = others.find((m) => m.isLeader);
        if (l) throw secondLeader(['isLeader'], l.name);
      }
      if (b.isFirstSecretary && !before.isFirstSecretary) {
        const s = others.find((m) => m.isFirstSecretary);
        if (s) throw secondSecretary(['isFirstSecretary'], s.name);
      }
      if (b.unitId && b.unitId !== before.unitId) await checkUnit(tx, actor, b.unitId, ['unitId']);
      if (b.userId && b.userId !== before.userId) {
        await checkAccount(tx, b.userId, team.villageCode, ['userId']);
        if (others.some((m) => m.userId === b.userId)) throw invalidField(['userId'], '该账号已是本工作队的在任队员', 'this account is already a current member of the team');
      }
      const set: Partial<typeof workTeamMembers.$inferInsert> = {};
      if (b.name !== undefined) set.name = b.name;
      if (b.unitId !== undefined) set.unitId = b.unitId;
      if (b.post !== undefined) set.post = b.post || null;
      if (b.phone !== undefined) set.phone = b.phone || null;
      if (b.isLeader !== undefined) set.isLeader = b.isLeader;
      if (b.isFirstSecretary !== undefined) set.isFirstSecretary = b.isFirstSecretary;
      if (b.fullTime !== undefined) set.fullTime = b.fullTime;
      if (b.userId !== undefined) set.userId = b.userId;
      const [after] = Object.keys(set).length ? await tx.update(workTeamMembers).set(set).where(eq(workTeamMembers.id, memberId)).returning() : [before];
      await bumpTeam(tx, team);
      await recordAudit(tx, actor, { action: ASSISTANCE['assistance.teams'], targetType: 'workTeamMember', targetId: memberId, areaCode: team.villageCode, before: memberAudit(before), after: memberAudit(after!) });
    });
  } catch (e) {
    throw translateUnique(e, {});
  }
  return getWorkTeam(db, actor, teamId);
}

/**
 * A member leaves the team on `endDate` (not before their start, not after today); the member stays
 * in the team's list as a former member.
 * @throws AppError NOT_FOUND, STALE_EDIT, CONFLICT (already left), VALIDATION_FAILED (endDate)
 */
export async function endWorkTeamMember(db: Db, actor: Actor, teamId: string, memberId: string, input: EndTeamMemberInput): Promise<WorkTeamDto> {
  const body = endTeamMemberBody.parse(input);
  await db.transaction(async (tx) => {
    const team = await loadTeamForWrite(tx, actor, teamId, body.version);
    const before = await loadMember(tx, teamId, memberId);
    if (body.endDate < before.startDate) throw invalidField(['endDate'], `离队日期不能早于到岗日期 ${before.startDate}`, `cannot be before the start date ${before.startDate}`);
    notAfterToday(body.endDate, ['endDate']);
    const [after] = await tx.update(workTeamMembers).set({ endDate: body.endDate }).where(eq(workTeamMembers.id, memberId)).returning();
    await bumpTeam(tx, team);
    await recordAudit(tx, actor, { action: ASSISTANCE['assistance.teams'], targetType: 'workTeamMember', targetId: memberId, areaCode: team.villageCode, before: memberAudit(before), after: memberAudit(after!) });
  });
  return getWorkTeam(db, actor, teamId);
}

// ---------------------------------------------------------------------------------------------
// Poor villages without a team

/**
 * The villages designated poor in `year` (default this year; relative designations included) that
 * have no current work team, in the actor's scope (and `areaCode`), by village code; with the counts
 * of poor villages, of those without a team, and both per township (villages).
 * @throws AppError NOT_FOUND (areaCode outside the scope)
 */
export async function findVillagesWithoutTeam(db: DbOrTx, actor: Actor, query: VillagesWithoutTeamQuery): Promise<VillagesWithoutTeamDto> {
  authorize(actor, ASSISTANCE['assistance.read']);
  const q = villagesWithoutTeamQuery.parse(query);
  const year = q.year ?? currentYear();
  const poor = sql`
    WITH poor AS (
      SELECT d.area_code, d.kind, d.relative,
        EXISTS (SELECT 1 FROM work_teams t WHERE t.village_code = d.area_code AND t.end_date IS NULL) AS has_team
      FROM poor_village_designations d
      WHERE d.year = ${year} AND ${areaCondition(actor, sql`d.area_code`, q.areaCode)}
    )`;
  const counts = rowsOf<{ township_code: string; township_name: string | null; poor: number; with_team: number }>(
    await db.execute(sql`${poor}
      SELECT substr(p.area_code, 1, 9) || '000' AS township_code, tw.name AS township_name, count(*)::int AS poor, (count(*) FILTER (WHERE p.has_team))::int AS with_team
      FROM poor p LEFT JOIN areas tw ON tw.code = substr(p.area_code, 1, 9) || '000'
      GROUP BY 1, 2 ORDER BY 1`),
  );
  const items = rowsOf<{ area_code: string; village_name: string; township_name: string | null; kind: string; relative: boolean; last_end: string | null }>(
    await db.execute(sql`${poor}
      SELECT p.area_code, v.name AS village_name, tw.name AS township_name, p.kind, p.relative,
        (SELECT max(t.end_date)::text FROM work_teams t WHERE t.village_code = p.area_code) AS last_end
      FROM poor p
      JOIN areas v ON v.code = p.area_code
      LEFT JOIN areas tw ON tw.code = substr(p.area_code, 1, 9) || '000'
      WHERE NOT p.has_team
      ORDER BY p.area_code
      LIMIT ${q.pageSize} OFFSET ${(q.page - 1) * q.pageSize}`),
  );
  const byTownship = counts.map((c) => ({
    townshipCode: c.township_code,
    townshipName: c.township_name ?? '',
    poorVillages: Number(c.poor),
    withTeam: Number(c.with_team),
    withoutTeam: Number(c.poor) - Number(c.with_team),
  }));
  const withoutTeam = byTownship.reduce((s, t) => s + t.withoutTeam, 0);
  return {
    items: items.map((r) => ({
      villageCode: r.area_code,
      villageName: r.village_name,
      townshipCode: townshipOf(r.area_code),
      townshipName: r.township_name ?? '',
      kind: r.kind,
      relative: r.relative,
      lastTeamEndDate: r.last_end,
    })),
    total: withoutTeam,
    page: q.page,
    pageSize: q.pageSize,
    year,
    poorVillages: byTownship.reduce((s, t) => s + t.poorVillages, 0),
    withoutTeam,
    byTownship,
  };
}

/**
 * What the team and contact-point forms offer: active units on the actor's line, active work-team
 * member accounts and this year's poor villages (with whether each has a current team) in the area
 * (default: the scope). At most 1,000 of each.
 * @throws AppError NOT_FOUND (areaCode outside the scope)
 */
export async function getTeamChoices(db: DbOrTx, actor: Actor, areaCode?: string): Promise<TeamChoicesDto> {
  authorize(actor, ASSISTANCE['assistance.read']);
  const year = currentYear();
  const units = await db
    .select({ id: assistingUnits.id, name: assistingUnits.name, kind: assistingUnits.kind, level: assistingUnits.level, areaCode: assistingUnits.areaCode })
    .from(assistingUnits)
    .where(and(eq(assistingUnits.active, true), onActorLine(actor, assistingUnits.areaCode)))
    .orderBy(assistingUnits.areaCode, assistingUnits.name)
    .limit(1000);
  const accounts = rowsOf<{ id: string; display_name: string; username: string; area_code: string }>(
    await db.execute(sql`SELECT u.id, u.display_name, u.username, u.area_code FROM users u
      WHERE u.role = 'work_team_member' AND u.active AND ${areaCondition(actor, sql`u.area_code`, areaCode)}
      ORDER BY u.area_code, u.display_name LIMIT 1000`),
  );
  const villages = rowsOf<{ code: string; name: string; township_name: string | null; has_team: boolean }>(
    await db.execute(sql`SELECT d.area_code AS code, v.name, tw.name AS township_name,
        EXISTS (SELECT 1 FROM work_teams t WHERE t.village_code = d.area_code AND t.end_date IS NULL) AS has_team
      FROM poor_village_designations d
      JOIN areas v ON v.code = d.area_code
      LEFT JOIN areas tw ON tw.code = substr(d.area_code, 1, 9) || '000'
      WHERE d.year = ${year} AND ${areaCondition(actor, sql`d.area_code`, areaCode)}
      ORDER BY d.area_code LIMIT 1000`),
  );
  return {
    units,
    accounts: accounts.map((a) => ({ id: a.id, displayName: a.display_name, username: a.username, areaCode: a.area_code })),
    poorVillages: villages.map((v) => ({ code: v.code, name: v.name, townshipCode: townshipOf(v.code), townshipName: v.township_name ?? '', hasTeam: v.has_team })),
    year,
  };
}

// ---------------------------------------------------------------------------------------------
// Leader contact points

/**
 * Checks the places of a contact point: a current township in the scope, a current village inside
 * it, designated poor this year (when `checkPoor`). @returns the names
 * @throws AppError NOT_FOUND (township outside the scope), VALIDATION_FAILED naming townshipCode or villageCode
 */
async function checkPlaces(db: DbOrTx, actor: Actor, townshipCode: string, villageCode: string, checkPoor: boolean): Promise<{ township: string; village: string }> {
  authorize(actor, ASSISTANCE['assistance.contact-points'], { areaCode: townshipCode, label: TOWNSHIP });
  const t = await loadArea(db, townshipCode);
  if (!t || t.validTo !== null || levelOfCode(townshipCode) !== 'township') throw invalidField(['townshipCode'], '应选择一个现行的乡镇（街道）', 'choose a current township');
  const v = await checkVillage(db, villageCode, ['villageCode']);
  if (townshipOf(villageCode) !== townshipCode) throw invalidField(['villageCode'], `${v.name}不在${t.name}内：联系的贫困村应在联系的乡镇内`, `${v.name} is not in ${t.name}: the village must lie inside the township`);
  const year = currentYear();
  if (checkPoor && !(await isPoor(db, villageCode, year)))
    throw invalidField(['villageCode'], `${v.name}不是 ${year} 年认定的贫困村：联系村应为贫困村`, `${v.name} is not designated a poor village for ${year}: the contact village must be poor`);
  return { township: t.name, village: v.name };
}

const pointAudit = (p: PointRow) => ({
  leaderName: p.leaderName,
  leaderPost: p.leaderPost,
  townshipCode: p.townshipCode,
  villageCode: p.villageCode,
  countyLeaderName: p.countyLeaderName,
  countyLeaderPost: p.countyLeaderPost,
  unitId: p.unitId,
  startDate: p.startDate,
  endDate: p.endDate,
  version: p.version,
});

async function currentPointOf(db: DbOrTx, leaderName: string, leaderPost: string, except?: string): Promise<PointRow | undefined> {
  const rows = await db
    .select()
    .from(leaderContactPoints)
    .where(and(eq(leaderContactPoints.leaderName, leaderName), eq(leaderContactPoints.leaderPost, leaderPost), isNull(leaderContactPoints.endDate)));
  return rows.find((r) => r.id !== except);
}

async function secondPoint(db: DbOrTx, p: PointRow): Promise<AppError> {
  const names = await checkedNames(db, [p.villageCode]);
  const where = names.get(p.villageCode) ?? p.villageCode;
  return conflict(
    `${p.leaderName}（${p.leaderPost}）已有在任的联系点（${where}），一名领导同时只能联系一个乡镇、一个贫困村：请先结束原联系点`,
    `${p.leaderName} (${p.leaderPost}) already has a current contact point (${where}); end it first`,
    [{ path: ['leaderName'], message: `已有在任的联系点（${where}）`, messageEn: `already has a current contact point (${where})` }],
  );
}

async function checkedNames(db: DbOrTx, codes: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const c of codes) {
    const v = await loadArea(db, c);
    const t = await loadArea(db, townshipOf(c));
    if (v) out.set(c, `${t?.name ?? ''}${v.name}`);
  }
  return out;
}

function stalePoint(current: number): AppError {
  return new AppError('STALE_EDIT', '该联系点已被他人修改，未保存您的更改。请刷新后重新操作', 'Someone else changed this contact point since you opened it; nothing of yours was saved. Reload and try again', {
    currentVersion: current,
  });
}

/**
 * Creates a leader contact point.
 * @throws AppError FORBIDDEN (not assistance.contact-points), NOT_FOUND (township outside the scope),
 *   VALIDATION_FAILED (townshipCode not a township; villageCode not a village, not inside the township,
 *   not poor this year; unitId), CONFLICT (the leader has a current contact point — named)
 */
export async function createContactPoint(db: Db, actor: Actor, input: CreateContactPointInput): Promise<ContactPointDto> {
  const body = createContactPointBody.parse(input);
  await checkPlaces(db, actor, body.townshipCode, body.villageCode, true);
  const leader = `${body.leaderName}（${body.leaderPost}）`;
  let id: string;
  try {
    id = await db.transaction(async (tx) => {
      if (body.unitId) await checkUnit(tx, actor, body.unitId, ['unitId']);
      const existing = await currentPointOf(tx, body.leaderName, body.leaderPost);
      if (existing) throw await secondPoint(tx, existing);
      const [p] = await tx
        .insert(leaderContactPoints)
        .values({
          leaderName: body.leaderName,
          leaderPost: body.leaderPost,
          townshipCode: body.townshipCode,
          villageCode: body.villageCode,
          countyLeaderName: body.countyLeaderName || null,
          countyLeaderPost: body.countyLeaderPost || null,
          unitId: body.unitId ?? null,
          startDate: body.startDate,
          createdBy: actor.id,
        })
        .returning();
      await recordAudit(tx, actor, { action: ASSISTANCE['assistance.contact-points'], targetType: 'leaderContactPoint', targetId: p!.id, areaCode: p!.villageCode, after: pointAudit(p!) });
      return p!.id;
    });
  } catch (e) {
    throw translateUnique(e, { leader });
  }
  return getContactPoint(db, actor, id);
}

async function loadPointForWrite(tx: Tx, actor: Actor, id: string, version: number): Promise<PointRow> {
  const [p] = await tx.select().from(leaderContactPoints).where(eq(leaderContactPoints.id, id)).for('update');
  if (!p) throw notFound(POINT.zh, POINT.en);
  authorize(actor, ASSISTANCE['assistance.contact-points'], { areaCode: p.villageCode, label: POINT });
  if (p.version !== version) throw stalePoint(p.version);
  if (p.endDate !== null) throw conflict(`该联系点已于 ${p.endDate} 结束，不能再修改`, `This contact point ended on ${p.endDate} and cannot be changed`);
  return p;
}

/**
 * Edits a current contact point; a new township or village is checked as on creation.
 * @throws AppError NOT_FOUND, STALE_EDIT, CONFLICT (ended; the leader's other current point), VALIDATION_FAILED
 */
export async function updateContactPoint(db: Db, actor: Actor, id: string, input: UpdateContactPointInput): Promise<ContactPointDto> {
  const { version, ...b } = updateContactPointBody.parse(input);
  let leader: string | undefined;
  try {
    await db.transaction(async (tx) => {
      const before = await loadPointForWrite(tx, actor, id, version);
      const next = {
        leaderName: b.leaderName ?? before.leaderName,
        leaderPost: b.leaderPost ?? before.leaderPost,
        townshipCode: b.townshipCode ?? before.townshipCode,
        villageCode: b.villageCode ?? before.villageCode,
        countyLeaderName: b.countyLeaderName !== undefined ? b.countyLeaderName || null : before.countyLeaderName,
        countyLeaderPost: b.countyLeaderPost !== undefined ? b.countyLeaderPost || null : before.countyLeaderPost,
        unitId: b.unitId !== undefined ? b.unitId : before.unitId,
        startDate: b.startDate ?? before.startDate,
      };
      leader = `${next.leaderName}（${next.leaderPost}）`;
      if (next.townshipCode !== before.townshipCode || next.villageCode !== before.villageCode) await checkPlaces(tx, actor, next.townshipCode, next.villageCode, next.villageCode !== before.villageCode);
      if (next.unitId && next.unitId !== before.unitId) await checkUnit(tx, actor, next.unitId, ['unitId']);
      const other = await currentPointOf(tx, next.leaderName, next.leaderPost, id);
      if (other) throw await secondPoint(tx, other);
      const [after] = await tx
        .update(leaderContactPoints)
        .set({ ...next, version: before.version + 1 })
        .where(and(eq(leaderContactPoints.id, id), eq(leaderContactPoints.version, version)))
        .returning();
      if (!after) throw stalePoint(version + 1);
      await recordAudit(tx, actor, { action: ASSISTANCE['assistance.contact-points'], targetType: 'leaderContactPoint', targetId: id, areaCode: after.villageCode, before: pointAudit(before), after: pointAudit(after) });
    });
  } catch (e) {
    throw translateUnique(e, leader ? { leader } : {});
  }
  return getContactPoint(db, actor, id);
}

/**
 * Ends a contact point on `endDate` (not before its start, not after today).
 * @throws AppError NOT_FOUND, STALE_EDIT, CONFLICT (already ended), VALIDATION_FAILED (endDate)
 */
export async function endContactPoint(db: Db, actor: Actor, id: string, input: EndContactPointInput): Promise<ContactPointDto> {
  const body = endContactPointBody.parse(input);
  await db.transaction(async (tx) => {
    const before = await loadPointForWrite(tx, actor, id, body.version);
    if (body.endDate < before.startDate) throw invalidField(['endDate'], `结束日期不能早于开始日期 ${before.startDate}`, `cannot be before the start date ${before.startDate}`);
    notAfterToday(body.endDate, ['endDate']);
    const [after] = await tx
      .update(leaderContactPoints)
      .set({ endDate: body.endDate, version: before.version + 1 })
      .where(and(eq(leaderContactPoints.id, id), eq(leaderContactPoints.version, body.version)))
      .returning();
    if (!after) throw stalePoint(body.version + 1);
    await recordAudit(tx, actor, { action: ASSISTANCE['assistance.contact-points'], targetType: 'leaderContactPoint', targetId: id, areaCode: after.villageCode, before: pointAudit(before), after: pointAudit(after) });
  });
  return getContactPoint(db, actor, id);
}

async function selectPoints(db: DbOrTx, where: SQL, limit?: { limit: number; offset: number }): Promise<ContactPointDto[]> {
  const year = currentYear();
  const res = await db.execute(sql`
    SELECT p.id, p.leader_name, p.leader_post, p.township_code, tw.name AS township_name, p.village_code, v.name AS village_name,
      p.county_leader_name, p.county_leader_post, p.unit_id, u.name AS unit_name, p.start_date::text AS start_date, p.end_date::text AS end_date, p.version,
      EXISTS (SELECT 1 FROM poor_village_designations d WHERE d.area_code = p.village_code AND d.year = ${year}) AS poor,
      t.id AS team_id,
      (SELECT m.name FROM work_team_members m WHERE m.team_id = t.id AND m.end_date IS NULL AND m.is_leader LIMIT 1) AS team_leader,
      (SELECT m.name FROM work_team_members m WHERE m.team_id = t.id AND m.end_date IS NULL AND m.is_first_secretary LIMIT 1) AS secretary
    FROM leader_contact_points p
    JOIN areas tw ON tw.code = p.township_code
    JOIN areas v ON v.code = p.village_code
    LEFT JOIN assisting_units u ON u.id = p.unit_id
    LEFT JOIN work_teams t ON t.village_code = p.village_code AND t.end_date IS NULL
    WHERE ${where}
    ORDER BY p.township_code, p.village_code, p.start_date DESC, p.leader_name
    ${limit ? sql`LIMIT ${limit.limit} OFFSET ${limit.offset}` : sql``}`);
  return rowsOf<{
    id: string;
    leader_name: string;
    leader_post: string;
    township_code: string;
    township_name: string;
    village_code: string;
    village_name: string;
    county_leader_name: string | null;
    county_leader_post: string | null;
    unit_id: string | null;
    unit_name: string | null;
    start_date: string;
    end_date: string | null;
    version: number;
    poor: boolean;
    team_id: string | null;
    team_leader: string | null;
    secretary: string | null;
  }>(res).map((r) => ({
    id: r.id,
    leaderName: r.leader_name,
    leaderPost: r.leader_post,
    townshipCode: r.township_code,
    townshipName: r.township_name,
    villageCode: r.village_code,
    villageName: r.village_name,
    countyLeaderName: r.county_leader_name,
    countyLeaderPost: r.county_leader_post,
    unitId: r.unit_id,
    unitName: r.unit_name,
    startDate: r.start_date,
    endDate: r.end_date,
    current: r.end_date === null,
    villagePoorThisYear: r.poor,
    villageHasTeam: r.team_id !== null,
    teamLeaderName: r.team_leader,
    firstSecretaryName: r.secretary,
    version: Number(r.version),
  }));
}

/** One contact point (in the scope). @throws AppError NOT_FOUND */
export async function getContactPoint(db: DbOrTx, actor: Actor, id: string): Promise<ContactPointDto> {
  authorize(actor, ASSISTANCE['assistance.read']);
  const [p] = await selectPoints(db, sql`p.id = ${id} AND p.village_code LIKE ${scopePattern(actor)}`);
  if (!p) throw notFound(POINT.zh, POINT.en);
  return p;
}

/**
 * The contact points whose village lies in the actor's scope (and `areaCode`), current by default,
 * with the village's poor status this year and its current team's 队长 and 第一书记.
 * @throws AppError NOT_FOUND (areaCode outside the scope)
 */
export async function findContactPoints(db: DbOrTx, actor: Actor, query: ContactPointListQuery): Promise<Page<ContactPointDto>> {
  authorize(actor, ASSISTANCE['assistance.read']);
  const q = contactPointListQuery.parse(query);
  const where = sql`${areaCondition(actor, sql`p.village_code`, q.areaCode)} AND ${statusCondition(q.status, sql`p.end_date`)}`;
  const [c] = rowsOf<{ n: number }>(await db.execute(sql`SELECT count(*)::int AS n FROM leader_contact_points p WHERE ${where}`));
  const items = await selectPoints(db, where, { limit: q.pageSize, offset: (q.page - 1) * q.pageSize });
  return { items, total: Number(c?.n ?? 0), page: q.page, pageSize: q.pageSize };
}
