/**
 * Shapes of work teams (驻村工作队) and leader contact points (市领导联系点), shared by teams-routes.ts,
 * the pages and the tests. Dates YYYY-MM-DD (China Standard Time); a team, member or contact point
 * with no end date is current. Phones are masked in lists.
 */
import { z } from 'zod';
import { pageQuery } from '../../shared/paging.ts';

const ymd = z.iso.date({ error: '日期格式应为 YYYY-MM-DD · a date as YYYY-MM-DD' });
const areaCode = z.string().regex(/^\d{12}$/, '应为 12 位区划代码 · a 12-digit area code');
const required = (max: number, zh: string, en: string) =>
  z
    .string({ error: `${zh}不能为空 · ${en} is required` })
    .trim()
    .min(1, `${zh}不能为空 · ${en} is required`)
    .max(max, `${zh}最多 ${max} 个字 · ${en}: at most ${max} characters`);
const optText = (max: number) => z.string().trim().max(max, `最多 ${max} 个字 · at most ${max} characters`).nullable().optional();
const version = z.number({ error: '缺少版本号 · version is required' }).int().min(1);
const uuid = (zh: string, en: string) => z.uuid(`${zh}格式不正确 · malformed ${en}`);
const phone = z
  .string()
  .trim()
  .regex(/^[0-9+\-\s()]{5,20}$/, '电话号码格式不正确 · malformed phone number')
  .nullable()
  .optional();
const status = z.enum(['current', 'ended', 'all']).default('current');

// ---------------------------------------------------------------------------------------------
// Work teams

/** A member as entered: the 队长 and the 第一书记 are members with a flag (one current each per team). */
export const workTeamMemberInput = z.object({
  name: required(50, '姓名', 'name'),
  /** The member's own unit (帮扶单位); null: the team's sending unit. */
  unitId: uuid('单位 ID', 'unit id').nullable().optional(),
  post: optText(50),
  phone,
  isLeader: z.boolean().default(false),
  isFirstSecretary: z.boolean().default(false),
  fullTime: z.boolean().default(true),
  /** Default: the team's start date. */
  startDate: ymd.optional(),
  /** The member's own account (role work_team_member, in the team's village). */
  userId: uuid('账号 ID', 'account id').nullable().optional(),
});
export type WorkTeamMemberInput = z.input<typeof workTeamMemberInput>;

/** POST /api/assistance/work-teams: a team for a village, with its members. */
export const createWorkTeamBody = z.object({
  villageCode: areaCode,
  sendingUnitId: uuid('派出单位 ID', 'sending unit id'),
  startDate: ymd,
  note: optText(500),
  members: z.array(workTeamMemberInput).max(30, '队员最多 30 人 · at most 30 members').default([]),
});
export type CreateWorkTeamInput = z.input<typeof createWorkTeamBody>;

/** PATCH /api/assistance/work-teams/:id: the sending unit, start date or note (versioned). */
export const updateWorkTeamBody = z.object({
  version,
  sendingUnitId: uuid('派出单位 ID', 'sending unit id').optional(),
  startDate: ymd.optional(),
  note: optText(500),
});
export type UpdateWorkTeamInput = z.input<typeof updateWorkTeamBody>;

/** POST …/end: the team (and every current member) ends on `endDate`. */
export const endWorkTeamBody = z.object({ version, endDate: ymd });
export type EndWorkTeamInput = z.input<typeof endWorkTeamBody>;

/** POST …/replace: ends the team on `endDate` and installs the new team in the same village. */
export const replaceWorkTeamBody = z.object({
  version,
  endDate: ymd,
  team: createWorkTeamBody.omit({ villageCode: true }),
});
export type ReplaceWorkTeamInput = z.input<typeof replaceWorkTeamBody>;

/** POST …/members: a new member (the team's version, which every member change raises). */
export const addTeamMemberBody = workTeamMemberInput.extend({ version });
export type AddTeamMemberInput = z.input<typeof addTeamMemberBody>;

/** PATCH …/members/:memberId: a current member's fields (the team's version). */
export const updateTeamMemberBody = z.object({
  version,
  name: required(50, '姓名', 'name').optional(),
  unitId: uuid('单位 ID', 'unit id').nullable().optional(),
  post: optText(50),
  phone,
  isLeader: z.boolean().optional(),
  isFirstSecretary: z.boolean().optional(),
  fullTime: z.boolean().optional(),
  userId: uuid('账号 ID', 'account id').nullable().optional(),
});
export type UpdateTeamMemberInput = z.input<typeof updateTeamMemberBody>;

/** POST …/members/:memberId/end: the member leaves the team on `endDate` (the team's version). */
export const endTeamMemberBody = z.object({ version, endDate: ymd });
export type EndTeamMemberInput = z.input<typeof endTeamMemberBody>;

export const workTeamListQuery = pageQuery.extend({
  /** A township, village … inside the scope (default: the whole scope). */
  areaCode: areaCode.optional(),
  /** current (default), ended (history) or all. */
  status,
});
export type WorkTeamListQuery = z.input<typeof workTeamListQuery>;

export const workTeamMemberSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  unitId: z.string().nullable(),
  unitName: z.string().nullable(),
  post: z.string().nullable(),
  /** Masked in lists; in full on a team's detail for roles that read personal data in full. */
  phone: z.string().nullable(),
  isLeader: z.boolean(),
  isFirstSecretary: z.boolean(),
  fullTime: z.boolean(),
  startDate: z.string(),
  endDate: z.string().nullable(),
  current: z.boolean(),
  userId: z.string().nullable(),
  userName: z.string().nullable(),
});
export type WorkTeamMemberDto = z.infer<typeof workTeamMemberSchema>;

export const workTeamSummarySchema = z.object({
  id: z.uuid(),
  villageCode: z.string(),
  villageName: z.string(),
  townshipCode: z.string(),
  townshipName: z.string(),
  sendingUnitId: z.string(),
  sendingUnitName: z.string(),
  startDate: z.string(),
  endDate: z.string().nullable(),
  current: z.boolean(),
  note: z.string().nullable(),
  /** The current 队长 / 第一书记 (of an ended team: the last ones). */
  leaderName: z.string().nullable(),
  firstSecretaryName: z.string().nullable(),
  /** Current members (of an ended team: members at its end), persons. */
  memberCount: z.number().int(),
  fullTimeCount: z.number().int(),
  /** Whether the village is designated poor this year. */
  poorThisYear: z.boolean(),
  version: z.number().int(),
});
export type WorkTeamSummaryDto = z.infer<typeof workTeamSummarySchema>;

export const workTeamSchema = workTeamSummarySchema.extend({
  /** Every member, current first (by role), then former members. */
  members: z.array(workTeamMemberSchema),
  /** The village's other teams, latest first (history of replacements). */
  history: z.array(workTeamSummarySchema),
});
export type WorkTeamDto = z.infer<typeof workTeamSchema>;

export const workTeamPageSchema = z.object({ items: z.array(workTeamSummarySchema), total: z.number().int(), page: z.number().int(), pageSize: z.number().int() });
export type WorkTeamPageDto = z.infer<typeof workTeamPageSchema>;

/** GET /api/assistance/villages-without-team: poor villages of a year with no current team. */
export const villagesWithoutTeamQuery = pageQuery.extend({
  areaCode: areaCode.optional(),
  /** Designation year (default: this year, China time). */
  year: z.coerce.number().int().min(2013, '年份不早于 2013 · year from 2013').max(2100).optional(),
});
export type VillagesWithoutTeamQuery = z.input<typeof villagesWithoutTeamQuery>;

export const villageWithoutTeamSchema = z.object({
  villageCode: z.string(),
  villageName: z.string(),
  townshipCode: z.string(),
  townshipName: z.string(),
  /** provincial 省定 / city 市定 / county 县定. */
  kind: z.string(),
  /** A relatively poor village (相对贫困村). */
  relative: z.boolean(),
  /** The end date of the village's last team, if it had one. */
  lastTeamEndDate: z.string().nullable(),
});
export type VillageWithoutTeamDto = z.infer<typeof villageWithoutTeamSchema>;

export const townshipTeamCountSchema = z.object({
  townshipCode: z.string(),
  townshipName: z.string(),
  poorVillages: z.number().int(),
  withTeam: z.number().int(),
  withoutTeam: z.number().int(),
});
export type TownshipTeamCountDto = z.infer<typeof townshipTeamCountSchema>;

export const villagesWithoutTeamSchema = z.object({
  items: z.array(villageWithoutTeamSchema),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
  year: z.number().int(),
  /** Poor villages of the year in the area (persons: villages). */
  poorVillages: z.number().int(),
  withoutTeam: z.number().int(),
  /** Per township of the area, for drill-down. */
  byTownship: z.array(townshipTeamCountSchema),
});
export type VillagesWithoutTeamDto = z.infer<typeof villagesWithoutTeamSchema>;

/** GET /api/assistance/work-teams/choices: what the team and contact-point forms offer. */
export const teamChoicesQuery = z.object({
  /** The area whose poor villages and accounts are offered (default: the scope). */
  areaCode: areaCode.optional(),
});

export const teamChoicesSchema = z.object({
  /** Active assisting units on the actor's line (the scope, and the areas above it). */
  units: z.array(z.object({ id: z.string(), name: z.string(), kind: z.string(), level: z.string(), areaCode: z.string() })),
  /** Active accounts of role work_team_member in the area. */
  accounts: z.array(z.object({ id: z.string(), displayName: z.string(), username: z.string(), areaCode: z.string() })),
  /** Villages designated poor this year in the area, and whether each has a current team. */
  poorVillages: z.array(z.object({ code: z.string(), name: z.string(), townshipCode: z.string(), townshipName: z.string(), hasTeam: z.boolean() })),
  year: z.number().int(),
});
export type TeamChoicesDto = z.infer<typeof teamChoicesSchema>;

// ---------------------------------------------------------------------------------------------
// Leader contact points

/** POST /api/assistance/contact-points. */
export const createContactPointBody = z.object({
  leaderName: required(50, '市领导姓名', 'leader’s name'),
  leaderPost: required(100, '市领导职务', 'leader’s post'),
  townshipCode: areaCode,
  /** A poor village (designated this year) inside the township. */
  villageCode: areaCode,
  countyLeaderName: optText(50),
  countyLeaderPost: optText(100),
  unitId: uuid('帮扶单位 ID', 'unit id').nullable().optional(),
  startDate: ymd,
});
export type CreateContactPointInput = z.input<typeof createContactPointBody>;

/** PATCH /api/assistance/contact-points/:id (versioned). */
export const updateContactPointBody = createContactPointBody.partial().extend({ version });
export type UpdateContactPointInput = z.input<typeof updateContactPointBody>;

export const endContactPointBody = z.object({ version, endDate: ymd });
export type EndContactPointInput = z.input<typeof endContactPointBody>;

export const contactPointListQuery = pageQuery.extend({ areaCode: areaCode.optional(), status });
export type ContactPointListQuery = z.input<typeof contactPointListQuery>;

export const contactPointSchema = z.object({
  id: z.uuid(),
  leaderName: z.string(),
  leaderPost: z.string(),
  townshipCode: z.string(),
  townshipName: z.string(),
  villageCode: z.string(),
  villageName: z.string(),
  countyLeaderName: z.string().nullable(),
  countyLeaderPost: z.string().nullable(),
  unitId: z.string().nullable(),
  unitName: z.string().nullable(),
  startDate: z.string(),
  endDate: z.string().nullable(),
  current: z.boolean(),
  /** Whether the village is designated poor this year, and its current team's 队长 / 第一书记. */
  villagePoorThisYear: z.boolean(),
  villageHasTeam: z.boolean(),
  teamLeaderName: z.string().nullable(),
  firstSecretaryName: z.string().nullable(),
  version: z.number().int(),
});
export type ContactPointDto = z.infer<typeof contactPointSchema>;

export const contactPointPageSchema = z.object({ items: z.array(contactPointSchema), total: z.number().int(), page: z.number().int(), pageSize: z.number().int() });
export type ContactPointPageDto = z.infer<typeof contactPointPageSchema>;
