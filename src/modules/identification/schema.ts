/**
 * Tables of identification and dynamic management (精准识别, 动态管理). Applications are keyed by their
 * own id and carry `household_id` (the registry household they concern). Dates a person signs for
 * (meeting, notice start and end, a decision) are calendar dates (YYYY-MM-DD, China Standard Time);
 * `*_at` columns are the moments rows were written.
 */
import { sql } from 'drizzle-orm';
import { bigserial, boolean, check, customType, date, index, integer, jsonb, numeric, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { areas } from '../areas/schema.ts';
import { households } from '../households/schema.ts';

const money = (name: string) => numeric(name, { precision: 14, scale: 2, mode: 'number' });
const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (v) => (Buffer.isBuffer(v) ? v : Buffer.from(v)),
});

// ---------------------------------------------------------------------------------------------
// The procedure: batches, applications, steps, notices, appraisals, objections

/**
 * A batch (识别批次): the candidates one village submits together. Reviewers act on the batch and on
 * single applications inside it. `kind`: 'poverty' (贫困户识别) or 'relativePoverty' (相对贫困).
 */
export const identificationBatches = pgTable(
  'identification_batches',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** The village (12-digit code). */
    areaCode: text('area_code')
      .notNull()
      .references(() => areas.code),
    year: integer('year').notNull(),
    kind: text('kind').notNull().default('poverty'),
    title: text('title').notNull(),
    /** The adjustment round the batch belongs to (new entries of a yearly round), if any. */
    roundId: uuid('round_id'),
    /** Null while the clerk is still adding candidates. */
    submittedAt: timestamp('submitted_at', { withTimezone: true }),
    submittedBy: uuid('submitted_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    createdBy: uuid('created_by'),
    version: integer('version').notNull().default(1),
  },
  (t) => [index('identification_batches_area_idx').using('btree', t.areaCode.op('text_pattern_ops'), t.year), check('identification_batches_kind', sql`${t.kind} IN ('poverty','relativePoverty')`)],
);

/** One household's application (申请) in a batch, and where its procedure stands. */
export const identificationApplications = pgTable(
  'identification_applications',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    batchId: uuid('batch_id')
      .notNull()
      .references(() => identificationBatches.id),
    householdId: uuid('household_id')
      .notNull()
      .references(() => households.id),
    /** Copied from the household when the application is made (scope filters without a join). */
    areaCode: text('area_code').notNull(),
    /** identificationState (rules.ts). */
    state: text('state').notNull().default('applied'),
    appliedOn: date('applied_on', { mode: 'string' }).notNull(),
    /** What the household states in its application. */
    statement: text('statement'),
    /** 民主评议 votes on this household (persons). */
    votesFor: integer('votes_for'),
    votesAgainst: integer('votes_against'),
    /** The reason of a rejection (不予认定) or withdrawal (撤回). */
    endReason: text('end_reason'),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('identification_applications_batch_idx').on(t.batchId),
    index('identification_applications_household_idx').on(t.householdId),
    index('identification_applications_area_idx').using('btree', t.areaCode.op('text_pattern_ops'), t.state),
    // One live application per household at a time.
    uniqueIndex('identification_applications_live_idx')
      .on(t.householdId)
      .where(sql`${t.state} NOT IN ('registered','rejected','withdrawn')`),
    check('identification_applications_votes', sql`coalesce(${t.votesFor}, 0) >= 0 AND coalesce(${t.votesAgainst}, 0) >= 0`),
  ],
);

/**
 * Every step taken on an application: what, from which state to which, on which date, who is
 * responsible (the person who signs, 责任人) and who entered it. Append-only.
 */
export const identificationSteps = pgTable(
  'identification_steps',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    applicationId: uuid('application_id')
      .notNull()
      .references(() => identificationApplications.id),
    batchId: uuid('batch_id').notNull(),
    action: text('action').notNull(),
    fromState: text('from_state'),
    toState: text('to_state').notNull(),
    /** The date of the step (the meeting, the review, the approval). */
    onDate: date('on_date', { mode: 'string' }).notNull(),
    /** 责任人: who is responsible for this step (name as signed). */
    responsiblePerson: text('responsible_person').notNull(),
    note: text('note'),
    details: jsonb('details'),
    actorId: uuid('actor_id'),
    actorName: text('actor_name').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('identification_steps_application_idx').on(t.applicationId, t.id)],
);

/** The 民主评议 meeting of a batch (村民代表大会): date, attendance, minutes. */
export const identificationAppraisals = pgTable('identification_appraisals', {
  batchId: uuid('batch_id')
    .primaryKey()
    .references(() => identificationBatches.id),
  meetingDate: date('meeting_date', { mode: 'string' }).notNull(),
  /** Village representatives in all, and those who attended (persons). */
  representatives: integer('representatives').notNull(),
  attended: integer('attended').notNull(),
  chairedBy: text('chaired_by').notNull(),
  minutes: text('minutes'),
  /** The signed minutes, scanned (optional). */
  minutesFileName: text('minutes_file_name'),
  minutesFileType: text('minutes_file_type'),
  minutesFile: bytea('minutes_file'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * A public notice (公示) or the announcement (公告) of a batch: the list as posted, with its dates. A
 * batch usually has one of each kind; households held back by an objection get a later one of their own.
 */
export const identificationNotices = pgTable(
  'identification_notices',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    batchId: uuid('batch_id')
      .notNull()
      .references(() => identificationBatches.id),
    /** 'firstNotice' | 'secondNotice' | 'announcement'. */
    kind: text('kind').notNull(),
    startDate: date('start_date', { mode: 'string' }).notNull(),
    endDate: date('end_date', { mode: 'string' }).notNull(),
    /** Where the list is posted (村务公开栏 …). */
    postedAt: text('posted_at').notNull(),
    /** Where and to whom objections go (office, phone). */
    objectionContact: text('objection_contact').notNull(),
    /** The application ids on the list when it was opened. */
    applicationIds: uuid('application_ids').array().notNull(),
    openedBy: uuid('opened_by'),
    openedByName: text('opened_by_name').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('identification_notices_batch_kind_idx').on(t.batchId, t.kind), check('identification_notices_dates', sql`${t.endDate} >= ${t.startDate}`)],
);

/** An objection (异议) raised against one application, investigated and decided. */
export const identificationObjections = pgTable(
  'identification_objections',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    applicationId: uuid('application_id')
      .notNull()
      .references(() => identificationApplications.id),
    batchId: uuid('batch_id').notNull(),
    areaCode: text('area_code').notNull(),
    raisedOn: date('raised_on', { mode: 'string' }).notNull(),
    /** Null when raised anonymously. */
    raisedBy: text('raised_by'),
    contact: text('contact'),
    grounds: text('grounds').notNull(),
    /** 'open' | 'upheld' | 'dismissed'. */
    status: text('status').notNull().default('open'),
    investigation: text('investigation'),
    decidedOn: date('decided_on', { mode: 'string' }),
    decisionReason: text('decision_reason'),
    decidedBy: uuid('decided_by'),
    decidedByName: text('decided_by_name'),
    recordedBy: uuid('recorded_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('identification_objections_application_idx').on(t.applicationId),
    index('identification_objections_area_idx').using('btree', t.areaCode.op('text_pattern_ops'), t.status),
    check('identification_objections_status', sql`${t.status} IN ('open','upheld','dismissed')`),
  ],
);

// ---------------------------------------------------------------------------------------------
// Exclusion rules (红线) and cross-checks (比对)

/**
 * Which exclusion rules apply in an area and with what parameters (e.g. the income line). The most
 * specific area's row wins; an area without rows uses the built-in defaults (rules in exclusion.ts).
 */
export const exclusionRuleSettings = pgTable(
  'exclusion_rule_settings',
  {
    /** '' for the built-in national default row, otherwise a province/city/county code. */
    areaCode: text('area_code').notNull(),
    rule: text('rule').notNull(),
    enabled: boolean('enabled').notNull().default(true),
    params: jsonb('params'),
    updatedBy: uuid('updated_by'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.areaCode, t.rule] })],
);

/** A cross-check list (比对名单) imported from another department: vehicles, property, payroll, businesses … */
export const crossCheckLists = pgTable('cross_check_lists', {
  id: uuid('id').primaryKey().defaultRandom(),
  /** 'vehicle' | 'property' | 'payroll' | 'business' | 'cadre'. */
  kind: text('kind').notNull(),
  /** The area the list covers (county or wider). */
  areaCode: text('area_code').notNull(),
  name: text('name').notNull(),
  /** The department it came from (公安, 住建/房管, 财政/人社, 市场监管 …). */
  source: text('source'),
  fileName: text('file_name').notNull(),
  rowCount: integer('row_count').notNull(),
  importedBy: uuid('imported_by'),
  importedAt: timestamp('imported_at', { withTimezone: true }).notNull().defaultNow(),
  /** A list replaced by a newer one of the same kind stays for history. */
  active: boolean('active').notNull().default(true),
});

/** One person on a cross-check list, keyed by ID number. */
export const crossCheckEntries = pgTable(
  'cross_check_entries',
  {
    listId: uuid('list_id')
      .notNull()
      .references(() => crossCheckLists.id),
    row: integer('row').notNull(),
    idNumber: text('id_number').notNull(),
    name: text('name'),
    /** What the list says (plate number, address, employer, company name …). */
    detail: text('detail'),
  },
  (t) => [primaryKey({ columns: [t.listId, t.row] }), index('cross_check_entries_id_number_idx').on(t.idNumber)],
);

/**
 * A red-line hit (红线命中): a rule that a household meets, from its own data or a cross-check list.
 * Blocks approval until cleared (the data changed) or justified in writing by a reviewer.
 */
export const redLineHits = pgTable(
  'red_line_hits',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    householdId: uuid('household_id')
      .notNull()
      .references(() => households.id),
    areaCode: text('area_code').notNull(),
    rule: text('rule').notNull(),
    /** The member concerned, if the rule is about a person. */
    memberId: uuid('member_id'),
    /** 'registry' or the cross-check list's id. */
    source: text('source').notNull(),
    listId: uuid('list_id'),
    detail: text('detail').notNull(),
    /** 'open' | 'justified' | 'cleared'. */
    status: text('status').notNull().default('open'),
    justification: text('justification'),
    justifiedBy: uuid('justified_by'),
    justifiedByName: text('justified_by_name'),
    justifiedAt: timestamp('justified_at', { withTimezone: true }),
    foundAt: timestamp('found_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('red_line_hits_household_idx').on(t.householdId, t.status),
    index('red_line_hits_area_idx').using('btree', t.areaCode.op('text_pattern_ops'), t.status),
    check('red_line_hits_status', sql`${t.status} IN ('open','justified','cleared')`),
  ],
);

// ---------------------------------------------------------------------------------------------
// Dynamic adjustment (动态调整)

/** The yearly adjustment round a county opens, with its deadline. */
export const adjustmentRounds = pgTable(
  'adjustment_rounds',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** The county (12-digit code). */
    areaCode: text('area_code')
      .notNull()
      .references(() => areas.code),
    year: integer('year').notNull(),
    deadline: date('deadline', { mode: 'string' }).notNull(),
    note: text('note'),
    openedBy: uuid('opened_by'),
    openedAt: timestamp('opened_at', { withTimezone: true }).notNull().defaultNow(),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    closedBy: uuid('closed_by'),
  },
  (t) => [uniqueIndex('adjustment_rounds_area_year_idx').on(t.areaCode, t.year)],
);

/**
 * A dynamic-management event on a household (动态调整事项): newEntry, memberAdded, memberRemoved, split,
 * merged, cleared (清退), returned (返贫). Counted per area and year by statistics.
 */
export const householdEvents = pgTable(
  'household_events',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    householdId: uuid('household_id')
      .notNull()
      .references(() => households.id),
    /** The household's village at the time of the event. */
    areaCode: text('area_code').notNull(),
    year: integer('year').notNull(),
    kind: text('kind').notNull(),
    roundId: uuid('round_id'),
    onDate: date('on_date', { mode: 'string' }).notNull(),
    reason: text('reason'),
    /** E.g. the member concerned, the other household of a split or merge, the persons affected. */
    details: jsonb('details'),
    actorId: uuid('actor_id'),
    actorName: text('actor_name').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('household_events_area_idx').using('btree', t.areaCode.op('text_pattern_ops'), t.year, t.kind),
    index('household_events_household_idx').on(t.householdId),
    check('household_events_kind', sql`${t.kind} IN ('newEntry','memberAdded','memberRemoved','split','merged','cleared','returned')`),
  ],
);

// ---------------------------------------------------------------------------------------------
// Relative poverty (相对贫困)

/**
 * A relative-poverty standard (相对贫困标准) of an area for a year: an absolute line (yuan per person
 * per year) or a share of the area's median per-capita net income.
 */
export const relativePovertyStandards = pgTable(
  'relative_poverty_standards',
  {
    areaCode: text('area_code')
      .notNull()
      .references(() => areas.code),
    year: integer('year').notNull(),
    /** 'absolute' | 'medianShare'. */
    method: text('method').notNull(),
    /** For 'absolute': the line, yuan per person per year. */
    line: money('line'),
    /** For 'medianShare': the share of the median (e.g. 0.4). */
    share: numeric('share', { precision: 5, scale: 4, mode: 'number' }),
    note: text('note'),
    updatedBy: uuid('updated_by'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.areaCode, t.year] }),
    check('relative_poverty_standards_method', sql`(${t.method} = 'absolute' AND ${t.line} > 0) OR (${t.method} = 'medianShare' AND ${t.share} > 0 AND ${t.share} <= 1)`),
  ],
);

// ---------------------------------------------------------------------------------------------
// Verification sampling (校准复核 / 回头看)

/**
 * A verification sample (抽样复核): drawn reproducibly from a seed over an area's households, poor and
 * not poor (strata), at the given rates.
 */
export const verificationSamples = pgTable('verification_samples', {
  id: uuid('id').primaryKey().defaultRandom(),
  areaCode: text('area_code')
    .notNull()
    .references(() => areas.code),
  year: integer('year').notNull(),
  seed: integer('seed').notNull(),
  /** Shares drawn from each stratum (e.g. 0.2 = 20 %). */
  poorRate: numeric('poor_rate', { precision: 5, scale: 4, mode: 'number' }).notNull(),
  nonPoorRate: numeric('non_poor_rate', { precision: 5, scale: 4, mode: 'number' }).notNull(),
  /** Households in each stratum when drawn (persons are not counted: households). */
  poorPopulation: integer('poor_population').notNull(),
  nonPoorPopulation: integer('non_poor_population').notNull(),
  note: text('note'),
  drawnBy: uuid('drawn_by'),
  drawnAt: timestamp('drawn_at', { withTimezone: true }).notNull().defaultNow(),
});

/** One household of a sample and the verification visit's finding. */
export const verificationFindings = pgTable(
  'verification_findings',
  {
    sampleId: uuid('sample_id')
      .notNull()
      .references(() => verificationSamples.id),
    householdId: uuid('household_id')
      .notNull()
      .references(() => households.id),
    areaCode: text('area_code').notNull(),
    /** 'poor' (registered poor when drawn) | 'nonPoor'. */
    stratum: text('stratum').notNull(),
    /** Order in the draw (1-based). */
    position: integer('position').notNull(),
    /** Null until visited: 'correct' | 'shouldExclude' (错评) | 'missing' (漏评: a poor household not registered). */
    finding: text('finding'),
    visitedOn: date('visited_on', { mode: 'string' }),
    visitor: text('visitor'),
    note: text('note'),
    recordedBy: uuid('recorded_by'),
    recordedAt: timestamp('recorded_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.sampleId, t.householdId] }),
    check('verification_findings_stratum', sql`${t.stratum} IN ('poor','nonPoor')`),
    check('verification_findings_finding', sql`${t.finding} IS NULL OR ${t.finding} IN ('correct','shouldExclude','missing')`),
  ],
);

// ---------------------------------------------------------------------------------------------
// Poor-village identification (贫困村识别)

/** A village's indicators for a year (村级指标). */
export const villageIndicators = pgTable(
  'village_indicators',
  {
    areaCode: text('area_code')
      .notNull()
      .references(() => areas.code),
    year: integer('year').notNull(),
    /** Yuan per person per year. */
    perCapitaNetIncome: money('per_capita_net_income'),
    /** Registered population (persons) and poor population (persons); incidence = poor ÷ registered. */
    registeredPopulation: integer('registered_population'),
    poorPopulation: integer('poor_population'),
    hardenedRoad: boolean('hardened_road'),
    safeWater: boolean('safe_water'),
    power: boolean('power'),
    broadband: boolean('broadband'),
    clinic: boolean('clinic'),
    /** Village collective income, yuan per year. */
    collectiveIncome: money('collective_income'),
    updatedBy: uuid('updated_by'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.areaCode, t.year] })],
);

/**
 * A village's identification as poor for a year (贫困村识别): 村申请 → 乡初审 → 县审核 → designated (the
 * designation itself lives in areas' poor_village_designations) or rejected.
 */
export const villageIdentifications = pgTable(
  'village_identifications',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    areaCode: text('area_code')
      .notNull()
      .references(() => areas.code),
    year: integer('year').notNull(),
    relative: boolean('relative').notNull().default(false),
    /** 'applied' | 'townshipReviewed' | 'designated' | 'rejected'. */
    state: text('state').notNull().default('applied'),
    /** Every step: [{ action, from, to, onDate, responsiblePerson, note, actorName, at }]. */
    steps: jsonb('steps').notNull().default(sql`'[]'::jsonb`),
    endReason: text('end_reason'),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('village_identifications_area_year_idx').on(t.areaCode, t.year)],
);

// ---------------------------------------------------------------------------------------------
// Data quality (数据质量)

/**
 * The findings of the last data-quality check of each household (one row per failing check), written
 * by the checking job for an area at a time; the page reads counts and lists from here.
 */
export const dataQualityFindings = pgTable(
  'data_quality_findings',
  {
    householdId: uuid('household_id')
      .notNull()
      .references(() => households.id),
    /** The household's village when checked. */
    areaCode: text('area_code').notNull(),
    check: text('check').notNull(),
    /** What is wrong (which member, which field), as the list shows it. */
    detail: jsonb('detail'),
    checkedAt: timestamp('checked_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.householdId, t.check] }), index('data_quality_findings_area_idx').using('btree', t.areaCode.op('text_pattern_ops'), t.check)],
);

/** A data-quality check of an area (a job): when, how many households, and its state. */
export const dataQualityRuns = pgTable(
  'data_quality_runs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** The area checked (12-digit code; '' for the whole country). */
    areaCode: text('area_code').notNull(),
    jobId: uuid('job_id'),
    status: text('status').notNull().default('queued'),
    households: integer('households'),
    startedAt: timestamp('started_at', { withTimezone: true }),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    requestedBy: uuid('requested_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('data_quality_runs_area_idx').on(t.areaCode, t.createdAt), check('data_quality_runs_status', sql`${t.status} IN ('queued','running','done','failed')`)],
);
