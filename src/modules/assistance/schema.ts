/**
 * Tables of assistance and pairing (精准扶持, 对口帮扶). Household-owned rows carry `household_id` and
 * are scoped through the household's village (a join on households.area_code, never a copy), so a
 * household's assistance records follow it and survive a re-import of the household (the import
 * keeps the household's id). Dates a person signs for are calendar dates (YYYY-MM-DD, China Standard
 * Time); `*_at` columns are the moments rows were written. Money is yuan with two decimals.
 */
import { sql } from 'drizzle-orm';
import { boolean, check, customType, date, index, integer, jsonb, numeric, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { areas } from '../areas/schema.ts';
import { users } from '../accounts/schema.ts';
import { households } from '../households/schema.ts';

const money = (name: string) => numeric(name, { precision: 14, scale: 2, mode: 'number' });
const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (v) => (Buffer.isBuffer(v) ? v : Buffer.from(v)),
});

// ---------------------------------------------------------------------------------------------
// Pairing: assisting units, helpers, helper assignments

/**
 * 帮扶单位: an organ, institution or enterprise paired with villages. `level` is the unit's
 * administrative level (省直 / 市直 / 县直 / 乡镇 / 村级: codes.ts UNIT_LEVEL); `areaCode` is the area that
 * registered it (a 市直 unit: the city), which decides who may see and edit it.
 */
export const assistingUnits = pgTable(
  'assisting_units',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    /** organ 机关 / institution 事业单位 / enterprise 企业 / other 其他 (codes.ts UNIT_KIND). */
    kind: text('kind').notNull(),
    level: text('level').notNull(),
    areaCode: text('area_code')
      .notNull()
      .references(() => areas.code),
    contactPerson: text('contact_person'),
    phone: text('phone'),
    active: boolean('active').notNull().default(true),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    createdBy: uuid('created_by'),
  },
  (t) => [uniqueIndex('assisting_units_name_idx').on(t.areaCode, t.name), check('assisting_units_kind', sql`${t.kind} IN ('organ','institution','enterprise','other')`)],
);

/**
 * 帮扶责任人: a person responsible for households. `areaCode` is where the helper works (a county,
 * township or village); `userId` links the helper's own account (role helper) when there is one.
 * `maxHouseholds` overrides the area's configured maximum load.
 */
export const helpers = pgTable(
  'helpers',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    unitId: uuid('unit_id')
      .notNull()
      .references(() => assistingUnits.id),
    post: text('post'),
    phone: text('phone'),
    areaCode: text('area_code')
      .notNull()
      .references(() => areas.code),
    userId: uuid('user_id').references(() => users.id),
    maxHouseholds: integer('max_households'),
    active: boolean('active').notNull().default(true),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    createdBy: uuid('created_by'),
  },
  (t) => [
    uniqueIndex('helpers_user_idx').on(t.userId).where(sql`${t.userId} IS NOT NULL`),
    index('helpers_area_idx').using('btree', t.areaCode.op('text_pattern_ops')),
    index('helpers_unit_idx').on(t.unitId),
    check('helpers_max_households', sql`${t.maxHouseholds} IS NULL OR ${t.maxHouseholds} >= 1`),
  ],
);

/**
 * A helper's assignment to a household, from `startDate` to `endDate` (null: current). A change of
 * helper ends the current row (end date, reason) and opens a new one, so the history stays. The
 * partial unique index keeps at most one current helper per household, concurrent writes included.
 */
export const helperAssignments = pgTable(
  'helper_assignments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    householdId: uuid('household_id')
      .notNull()
      .references(() => households.id),
    helperId: uuid('helper_id')
      .notNull()
      .references(() => helpers.id),
    startDate: date('start_date', { mode: 'string' }).notNull(),
    endDate: date('end_date', { mode: 'string' }),
    endReason: text('end_reason'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    createdBy: uuid('created_by'),
    endedBy: uuid('ended_by'),
  },
  (t) => [
    uniqueIndex('helper_assignments_current_idx').on(t.householdId).where(sql`${t.endDate} IS NULL`),
    index('helper_assignments_helper_idx').on(t.helperId, t.endDate),
    index('helper_assignments_household_idx').on(t.householdId, t.startDate),
    check('helper_assignments_dates', sql`${t.endDate} IS NULL OR ${t.endDate} >= ${t.startDate}`),
  ],
);

// ---------------------------------------------------------------------------------------------
// Work teams and leader contact points

/** 驻村工作队: the team resident in a (poor) village, sent by a unit, from start to end (null: current). */
export const workTeams = pgTable(
  'work_teams',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    villageCode: text('village_code')
      .notNull()
      .references(() => areas.code),
    sendingUnitId: uuid('sending_unit_id')
      .notNull()
      .references(() => assistingUnits.id),
    startDate: date('start_date', { mode: 'string' }).notNull(),
    endDate: date('end_date', { mode: 'string' }),
    note: text('note'),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    createdBy: uuid('created_by'),
  },
  (t) => [
    uniqueIndex('work_teams_current_idx').on(t.villageCode).where(sql`${t.endDate} IS NULL`),
    index('work_teams_village_idx').using('btree', t.villageCode.op('text_pattern_ops')),
    check('work_teams_dates', sql`${t.endDate} IS NULL OR ${t.endDate} >= ${t.startDate}`),
  ],
);

/** A member of a work team: the 队长 (`isLeader`) and the 第一书记 (`isFirstSecretary`) are members too. */
export const workTeamMembers = pgTable(
  'work_team_members',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    teamId: uuid('team_id')
      .notNull()
      .references(() => workTeams.id),
    name: text('name').notNull(),
    unitId: uuid('unit_id').references(() => assistingUnits.id),
    post: text('post'),
    phone: text('phone'),
    isLeader: boolean('is_leader').notNull().default(false),
    isFirstSecretary: boolean('is_first_secretary').notNull().default(false),
    fullTime: boolean('full_time').notNull().default(true),
    startDate: date('start_date', { mode: 'string' }).notNull(),
    endDate: date('end_date', { mode: 'string' }),
    userId: uuid('user_id').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('work_team_members_team_idx').on(t.teamId),
    uniqueIndex('work_team_members_leader_idx').on(t.teamId).where(sql`${t.isLeader} AND ${t.endDate} IS NULL`),
    uniqueIndex('work_team_members_secretary_idx').on(t.teamId).where(sql`${t.isFirstSecretary} AND ${t.endDate} IS NULL`),
    check('work_team_members_dates', sql`${t.endDate} IS NULL OR ${t.endDate} >= ${t.startDate}`),
  ],
);

/**
 * 市领导联系点: a city leader linked to one township and one poor village, with the county-level
 * leader and the assisting unit assigned to the same places. A leader has one current contact point.
 */
export const leaderContactPoints = pgTable(
  'leader_contact_points',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    leaderName: text('leader_name').notNull(),
    leaderPost: text('leader_post').notNull(),
    townshipCode: text('township_code')
      .notNull()
      .references(() => areas.code),
    villageCode: text('village_code')
      .notNull()
      .references(() => areas.code),
    countyLeaderName: text('county_leader_name'),
    countyLeaderPost: text('county_leader_post'),
    unitId: uuid('unit_id').references(() => assistingUnits.id),
    startDate: date('start_date', { mode: 'string' }).notNull(),
    endDate: date('end_date', { mode: 'string' }),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    createdBy: uuid('created_by'),
  },
  (t) => [
    uniqueIndex('leader_contact_points_current_idx').on(t.leaderName, t.leaderPost).where(sql`${t.endDate} IS NULL`),
    index('leader_contact_points_village_idx').using('btree', t.villageCode.op('text_pattern_ops')),
    check('leader_contact_points_dates', sql`${t.endDate} IS NULL OR ${t.endDate} >= ${t.startDate}`),
  ],
);

// ---------------------------------------------------------------------------------------------
// A household's needs, plans, measures and visits

/** 脱贫需求清单: one need of a household, open → inProgress → met (with what met it). */
export const householdNeeds = pgTable(
  'household_needs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    householdId: uuid('household_id')
      .notNull()
      .references(() => households.id),
    /** codes.ts NEED_CATEGORY. */
    category: text('category').notNull(),
    description: text('description').notNull(),
    status: text('status').notNull().default('open'),
    raisedOn: date('raised_on', { mode: 'string' }).notNull(),
    metOn: date('met_on', { mode: 'string' }),
    /** What met the need: a measure, and/or a note. */
    metByMeasureId: uuid('met_by_measure_id'),
    metNote: text('met_note'),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    createdBy: uuid('created_by'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('household_needs_household_idx').on(t.householdId),
    index('household_needs_status_idx').on(t.status).where(sql`${t.status} <> 'met'`),
    check('household_needs_status', sql`${t.status} IN ('open','inProgress','met')`),
    check('household_needs_met', sql`(${t.status} = 'met') = (${t.metOn} IS NOT NULL)`),
  ],
);

/**
 * 脱贫计划: a household's plan for one year — the goal, the planned measures
 * (`[{ type, description, amount }]`, amount in yuan or null) and the planned exit year.
 */
export const assistancePlans = pgTable(
  'assistance_plans',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    householdId: uuid('household_id')
      .notNull()
      .references(() => households.id),
    year: integer('year').notNull(),
    goal: text('goal'),
    plannedExitYear: integer('planned_exit_year'),
    plannedMeasures: jsonb('planned_measures').notNull().default(sql`'[]'::jsonb`),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    createdBy: uuid('created_by'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    updatedBy: uuid('updated_by'),
  },
  (t) => [uniqueIndex('assistance_plans_household_year_idx').on(t.householdId, t.year), check('assistance_plans_exit_year', sql`${t.plannedExitYear} IS NULL OR ${t.plannedExitYear} >= ${t.year}`)],
);

/**
 * 帮扶措施: one measure delivered to a household (and, where it concerns persons, to members, kept
 * by id and by name and ID number as they were, so a re-imported member is still named). Type from
 * codes.ts MEASURE_TYPE; amount in yuan (null when no money moved); funding source free text for now.
 */
export const assistanceMeasures = pgTable(
  'assistance_measures',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    householdId: uuid('household_id')
      .notNull()
      .references(() => households.id),
    type: text('type').notNull(),
    memberIds: uuid('member_ids').array().notNull().default(sql`'{}'::uuid[]`),
    /** `[{ memberId, name, idNumber }]` as recorded (ID numbers in full; masked on the way out). */
    memberRefs: jsonb('member_refs').notNull().default(sql`'[]'::jsonb`),
    onDate: date('on_date', { mode: 'string' }).notNull(),
    amount: money('amount'),
    fundingSource: text('funding_source'),
    description: text('description'),
    needId: uuid('need_id').references(() => householdNeeds.id),
    version: integer('version').notNull().default(1),
    recordedBy: uuid('recorded_by'),
    recordedByName: text('recorded_by_name').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('assistance_measures_household_idx').on(t.householdId, t.onDate),
    index('assistance_measures_type_idx').on(t.type, t.onDate),
    check('assistance_measures_amount', sql`${t.amount} IS NULL OR ${t.amount} >= 0`),
  ],
);

/** 走访记录: a visit to a household — date, content, problems found — by a helper or another visitor. */
export const visits = pgTable(
  'visits',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    householdId: uuid('household_id')
      .notNull()
      .references(() => households.id),
    /** The helper who visited (null: someone else, e.g. a work-team member; see visitorName). */
    helperId: uuid('helper_id').references(() => helpers.id),
    visitorName: text('visitor_name').notNull(),
    visitDate: date('visit_date', { mode: 'string' }).notNull(),
    content: text('content').notNull(),
    problems: text('problems'),
    recordedBy: uuid('recorded_by'),
    recordedByName: text('recorded_by_name').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('visits_household_idx').on(t.householdId, t.visitDate), index('visits_helper_idx').on(t.helperId, t.visitDate)],
);

/** A visit's photo: the bytes (JPEG, PNG or WebP, type read from the bytes), size-limited by the service. */
export const visitPhotos = pgTable(
  'visit_photos',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    visitId: uuid('visit_id')
      .notNull()
      .references(() => visits.id),
    householdId: uuid('household_id').notNull(),
    mimeType: text('mime_type').notNull(),
    sizeBytes: integer('size_bytes').notNull(),
    data: bytea('data').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('visit_photos_visit_idx').on(t.visitId), check('visit_photos_mime', sql`${t.mimeType} IN ('image/jpeg','image/png','image/webp')`)],
);

/**
 * Assistance settings per area (a county, usually; '' = the default for all): how many days may pass
 * without a visit, and the most households one helper should carry. The nearest ancestor's row applies.
 */
export const assistanceSettings = pgTable(
  'assistance_settings',
  {
    areaCode: text('area_code').primaryKey(),
    visitPeriodDays: integer('visit_period_days').notNull(),
    maxHouseholdsPerHelper: integer('max_households_per_helper').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    updatedBy: uuid('updated_by'),
  },
  (t) => [check('assistance_settings_values', sql`${t.visitPeriodDays} BETWEEN 1 AND 366 AND ${t.maxHouseholdsPerHelper} BETWEEN 1 AND 200`)],
);
