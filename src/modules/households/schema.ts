/**
 * Tables of the registry (建档立卡). Every household-owned table carries `household_id` and is keyed
 * and joined by it, so that the registry can be distributed by household (Citus distribution column
 * `household_id`; ARCHITECTURE.md). The one-person-one-household rule lives in `person_identities`,
 * keyed by the ID number (its own distribution column), written in the same transaction as the member.
 */
import { sql } from 'drizzle-orm';
import { boolean, check, date, index, integer, jsonb, numeric, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { areas } from '../areas/schema.ts';

const money = (name: string) => numeric(name, { precision: 14, scale: 2, mode: 'number' });
const area = (name: string) => numeric(name, { precision: 10, scale: 2, mode: 'number' });

/** A household (户) with the fields of the national 贫困户登记表 and its provincial supersets. */
export const households = pgTable(
  'households',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** 户编号: village code (12 digits) + a 4-digit sequence in the village; never reused. */
    householdNo: text('household_no').notNull(),
    /** The village (12-digit code). */
    areaCode: text('area_code')
      .notNull()
      .references(() => areas.code),
    /** 组 / 自然村. */
    groupName: text('group_name'),
    address: text('address'),
    householdType: text('household_type').notNull(),
    identificationStandard: text('identification_standard'),
    povertyAttribute: text('poverty_attribute'),
    mainPovertyCause: text('main_poverty_cause'),
    otherPovertyCauses: text('other_poverty_causes').array().notNull().default(sql`'{}'::text[]`),
    status: text('status').notNull(),
    identificationYear: integer('identification_year'),
    phone: text('phone'),
    bankName: text('bank_name'),
    bankAccount: text('bank_account'),
    housingArea: area('housing_area'),
    housingStructure: text('housing_structure'),
    /** 危房等级 A–D (null: not assessed). */
    housingDangerGrade: text('housing_danger_grade'),
    housingRenovated: boolean('housing_renovated').notNull().default(false),
    safeDrinkingWater: boolean('safe_drinking_water'),
    drinkingWaterDifficulty: boolean('drinking_water_difficulty'),
    /** 耕地 and 林地 in mu (亩). */
    cultivatedLand: area('cultivated_land'),
    forestLand: area('forest_land'),
    relocated: boolean('relocated').notNull().default(false),
    relocationType: text('relocation_type'),
    reservoirMigrant: boolean('reservoir_migrant').notNull().default(false),
    militaryFamily: boolean('military_family').notNull().default(false),
    /** Kept in step with the active members by the service (same transaction): list columns. */
    headName: text('head_name').notNull(),
    memberCount: integer('member_count').notNull(),
    /** Latest income year's per-capita net income (yuan per person per year), for list filters. */
    latestIncomeYear: integer('latest_income_year'),
    latestPerCapitaNetIncome: money('latest_per_capita_net_income'),
    /** Registration ends only by removal with a reason; the row stays. */
    active: boolean('active').notNull().default(true),
    removedReason: text('removed_reason'),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    createdBy: uuid('created_by'),
    updatedBy: uuid('updated_by'),
  },
  (t) => [
    uniqueIndex('households_no_idx').on(t.householdNo),
    index('households_area_idx').using('btree', t.areaCode.op('text_pattern_ops'), t.householdNo),
    index('households_head_name_idx').on(t.headName),
    // The list's usual filter (status, main cause) in 户编号 order, over current households.
    index('households_list_idx').on(t.status, t.mainPovertyCause, t.householdNo).where(sql`${t.active}`),
    check('households_member_count_positive', sql`${t.memberCount} >= 1`),
    check('households_other_causes_max2', sql`coalesce(array_length(${t.otherPovertyCauses}, 1), 0) <= 2`),
    check('households_danger_grade', sql`${t.housingDangerGrade} IS NULL OR ${t.housingDangerGrade} IN ('A','B','C','D')`),
  ],
);

/** Members (家庭成员). A removed member keeps the row with status 'removed' and the reason. */
export const members = pgTable(
  'members',
  {
    householdId: uuid('household_id')
      .notNull()
      .references(() => households.id),
    id: uuid('id').notNull().defaultRandom(),
    name: text('name').notNull(),
    sex: text('sex').notNull(),
    idType: text('id_type').notNull(),
    /** Normalised 18-character number (or the 20-character disability certificate number). */
    idNumber: text('id_number').notNull(),
    birthDate: date('birth_date', { mode: 'string' }).notNull(),
    relationToHead: text('relation_to_head').notNull(),
    ethnicity: text('ethnicity'),
    politicalStatus: text('political_status'),
    education: text('education'),
    schooling: text('schooling'),
    health: text('health'),
    diseaseName: text('disease_name'),
    disabilityCategory: text('disability_category'),
    disabilityGrade: text('disability_grade'),
    labourAbility: text('labour_ability'),
    employment: text('employment'),
    monthsWorked: integer('months_worked'),
    medicalInsurance: boolean('medical_insurance').notNull().default(false),
    seriousIllnessInsurance: boolean('serious_illness_insurance').notNull().default(false),
    pensionInsurance: boolean('pension_insurance').notNull().default(false),
    minimumLiving: boolean('minimum_living').notNull().default(false),
    extremeHardship: boolean('extreme_hardship').notNull().default(false),
    activeMilitary: boolean('active_military').notNull().default(false),
    phone: text('phone'),
    alive: boolean('alive').notNull().default(true),
    deceasedDate: date('deceased_date', { mode: 'string' }),
    /** 'active' or 'removed' (moved out, deceased, married out …: see changeReason). */
    status: text('status').notNull().default('active'),
    changeReason: text('change_reason'),
    changeNote: text('change_note'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.householdId, t.id] }),
    // Exactly one head among a household's active members (at most one here; at least one in the service).
    uniqueIndex('members_one_head_idx').on(t.householdId).where(sql`${t.relationToHead} = 'head' AND ${t.status} = 'active'`),
    index('members_id_number_idx').on(t.idNumber),
    index('members_name_birth_idx').on(t.name, t.birthDate),
    check('members_months_worked', sql`${t.monthsWorked} IS NULL OR ${t.monthsWorked} BETWEEN 0 AND 12`),
    check('members_status', sql`${t.status} IN ('active','removed')`),
  ],
);

/**
 * One person (ID number) belongs to at most one active household in the whole registry: the primary
 * key refuses a second active membership, concurrent submissions included.
 */
export const personIdentities = pgTable('person_identities', {
  idNumber: text('id_number').primaryKey(),
  householdId: uuid('household_id').notNull(),
  memberId: uuid('member_id').notNull(),
  since: timestamp('since', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * The yearly income record (yuan per year). The database checks the arithmetic: net income = the four
 * incomes − production costs; per-capita net income = net income ÷ members counted, to the fen.
 */
export const householdIncomes = pgTable(
  'household_incomes',
  {
    householdId: uuid('household_id')
      .notNull()
      .references(() => households.id),
    year: integer('year').notNull(),
    wageIncome: money('wage_income').notNull().default(0),
    productionIncome: money('production_income').notNull().default(0),
    propertyIncome: money('property_income').notNull().default(0),
    transferIncome: money('transfer_income').notNull().default(0),
    productionCosts: money('production_costs').notNull().default(0),
    netIncome: money('net_income').notNull(),
    /** Persons the per-capita figure divides by (the household's members in that year). */
    memberCount: integer('member_count').notNull(),
    perCapitaNetIncome: money('per_capita_net_income').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.householdId, t.year] }),
    check('incomes_net', sql`${t.netIncome} = ${t.wageIncome} + ${t.productionIncome} + ${t.propertyIncome} + ${t.transferIncome} - ${t.productionCosts}`),
    check('incomes_members', sql`${t.memberCount} >= 1`),
    check('incomes_per_capita', sql`${t.perCapitaNetIncome} = round(${t.netIncome} / ${t.memberCount}, 2)`),
    check(
      'incomes_non_negative',
      sql`${t.wageIncome} >= 0 AND ${t.productionIncome} >= 0 AND ${t.propertyIncome} >= 0 AND ${t.transferIncome} >= 0 AND ${t.productionCosts} >= 0`,
    ),
  ],
);

/**
 * History: every change of a household stores the whole household (fields, members, incomes) as it
 * stood after the change, with who changed it, when and why. Version 1 is the registration.
 */
export const householdVersions = pgTable(
  'household_versions',
  {
    householdId: uuid('household_id')
      .notNull()
      .references(() => households.id),
    version: integer('version').notNull(),
    /**
     * The whole household after the change. NULL only for version 1 of a household registered by an
     * import and unchanged since (the registry rows are that version); the service writes it out
     * before the first change (service.ts materializeVersion).
     */
    snapshot: jsonb('snapshot'),
    /** What changed, e.g. "members.add", "household.update". */
    change: text('change').notNull(),
    changedFields: text('changed_fields').array().notNull().default(sql`'{}'::text[]`),
    reason: text('reason'),
    changedAt: timestamp('changed_at', { withTimezone: true }).notNull().defaultNow(),
    changedBy: uuid('changed_by'),
    changedByName: text('changed_by_name').notNull(),
  },
  (t) => [primaryKey({ columns: [t.householdId, t.version] })],
);

/** Next 户编号 sequence number per village. */
export const householdNoCounters = pgTable('household_no_counters', {
  areaCode: text('area_code').primaryKey(),
  next: integer('next').notNull(),
});
