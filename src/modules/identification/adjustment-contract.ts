/**
 * Shapes of the yearly adjustment round (动态调整) and poor-village identification (贫困村识别) APIs,
 * shared by adjustment-routes.ts, the pages and the tests. Money in yuan (two decimals), populations in
 * persons, dates YYYY-MM-DD (China Standard Time).
 */
import { z } from 'zod';
import { VILLAGE_ACTIONS, VILLAGE_STATES } from './village-rules.ts';

const ymd = z.iso.date({ error: '日期格式应为 YYYY-MM-DD · a date as YYYY-MM-DD' });
const text = (max: number) => z.string().trim().max(max);
const required = (max: number, zh: string, en: string) => z.string({ error: `${zh}不能为空 · ${en} is required` }).trim().min(1, `${zh}不能为空 · ${en} is required`).max(max);
const areaCode = z.string().regex(/^\d{12}$/, '应为 12 位区划代码 · a 12-digit area code');
const year = z.number().int().min(2013, '年份不早于 2013 · year from 2013').max(2100);
const queryYear = z.coerce.number().int().min(2013).max(2100);
const version = z.number().int().min(1);
const yuan = z
  .number({ error: '应为金额（元）· expected an amount in yuan' })
  .min(0, '金额不能为负 · must not be negative')
  .max(1_000_000_000, '金额过大 · amount too large')
  .refine((v) => Math.abs(Math.round(v * 100) - v * 100) < 1e-6, '金额最多两位小数 · at most two decimals (fen)');
const persons = z.number().int('应为整数 · a whole number').min(0, '人数不能为负 · must not be negative').max(1_000_000);

// ---------------------------------------------------------------------------------------------
// The yearly adjustment round

/** POST /api/identification/adjustment-rounds: a county opens the year's round. */
export const openRoundBody = z.object({
  /** The county (12-digit code). */
  areaCode,
  year,
  /** The last day villages may record and submit (YYYY-MM-DD). */
  deadline: ymd,
  note: text(500).optional(),
});
export type OpenRoundInput = z.input<typeof openRoundBody>;

export const roundListQuery = z.object({
  areaCode: z.string().regex(/^\d{12}$/).optional(),
  year: queryYear.optional(),
});

export const roundSchema = z.object({
  id: z.uuid(),
  areaCode: z.string(),
  countyName: z.string(),
  year: z.number().int(),
  deadline: z.string(),
  note: z.string().nullable(),
  openedAt: z.string(),
  closedAt: z.string().nullable(),
  open: z.boolean(),
  /** Days from today to the deadline (negative once it has passed). */
  daysLeft: z.number().int(),
});
export type RoundDto = z.infer<typeof roundSchema>;

/** The kinds of dynamic-adjustment events (动态调整事项). */
export const HOUSEHOLD_EVENT_KINDS = ['newEntry', 'memberAdded', 'memberRemoved', 'split', 'merged', 'cleared', 'returned'] as const;
export type HouseholdEventKind = (typeof HOUSEHOLD_EVENT_KINDS)[number];
export const householdEventKind = z.enum(HOUSEHOLD_EVENT_KINDS);

export const HOUSEHOLD_EVENT_LABELS: Record<HouseholdEventKind, { zh: string; en: string }> = {
  newEntry: { zh: '新识别', en: 'New entry' },
  memberAdded: { zh: '成员增加', en: 'Member added' },
  memberRemoved: { zh: '成员减少', en: 'Member removed' },
  split: { zh: '分户', en: 'Split' },
  merged: { zh: '并户', en: 'Merged' },
  cleared: { zh: '清退', en: 'Cleared (wrongly identified)' },
  returned: { zh: '返贫', en: 'Returned to poverty' },
};

export const eventCountsSchema = z.object(Object.fromEntries(HOUSEHOLD_EVENT_KINDS.map((k) => [k, z.number().int()])) as Record<HouseholdEventKind, z.ZodNumber>);
export type EventCounts = z.infer<typeof eventCountsSchema>;

/** One village's progress in a round. */
export const villageProgressSchema = z.object({
  areaCode: z.string(),
  villageName: z.string(),
  townshipName: z.string(),
  counts: eventCountsSchema,
  /** Identification batches of the round (or its year) submitted, and those submitted by the deadline. */
  batchesSubmitted: z.number().int(),
  batchesOnTime: z.number().int(),
  /** Whether the village recorded an event or submitted a batch by the deadline. */
  done: z.boolean(),
});
export type VillageProgressDto = z.infer<typeof villageProgressSchema>;

export const roundProgressSchema = roundSchema.extend({
  villages: z.array(villageProgressSchema),
  totals: z.object({ villages: z.number().int(), done: z.number().int(), counts: eventCountsSchema, batchesSubmitted: z.number().int() }),
});
export type RoundProgressDto = z.infer<typeof roundProgressSchema>;

// ---------------------------------------------------------------------------------------------
// Household events

const eventBase = {
  householdId: z.uuid('农户 ID 格式不正确 · malformed household id'),
  /** The household's version the form was based on (a changed household is refused with STALE_EDIT). */
  version,
  /** The date of the event (birth, death, decision …); defaults to today; never in the future. */
  onDate: ymd.optional(),
  note: text(200).optional(),
};

export const MEMBER_ADD_REASONS = ['birth', 'marriageIn', 'moveIn', 'otherAddition'] as const;
export const MEMBER_REMOVE_REASONS = ['death', 'marriageOut', 'moveOut', 'otherRemoval'] as const;
const relation = z.object({ memberId: z.uuid(), relationToHead: z.string().min(1).max(40) });

/**
 * POST /api/identification/household-events: one event with the registry change it records, in one
 * transaction. `member` of memberAdded is the registry's member form (checked by the registry).
 * New entries (newEntry) are written by the identification procedure, not here.
 */
export const householdEventBody = z.discriminatedUnion('kind', [
  z.object({ ...eventBase, kind: z.literal('memberAdded'), reason: z.enum(MEMBER_ADD_REASONS), member: z.record(z.string(), z.unknown()) }),
  z.object({ ...eventBase, kind: z.literal('memberRemoved'), reason: z.enum(MEMBER_REMOVE_REASONS), memberId: z.uuid(), deceasedDate: ymd.nullish() }),
  z.object({
    ...eventBase,
    kind: z.literal('split'),
    /** The members who leave, each with the relation to the new household's head (exactly one 'head'). */
    members: z.array(relation).min(1, '请选择分出的成员 · choose the members who leave').max(30),
    groupName: text(50).nullish(),
    reason: text(200).optional(),
  }),
  z.object({
    ...eventBase,
    kind: z.literal('merged'),
    intoHouseholdId: z.uuid(),
    intoVersion: version,
    /** Relations of the moving members to the other household's head (default 其他). */
    relations: z.array(relation).max(30).optional(),
    reason: required(200, '并户原因', 'The reason'),
  }),
  z.object({ ...eventBase, kind: z.literal('cleared'), reason: required(200, '清退原因', 'The reason of the clearing') }),
  z.object({ ...eventBase, kind: z.literal('returned'), reason: required(200, '返贫原因', 'The reason of the return'), mainPovertyCause: z.string().max(40).optional() }),
]);
export type HouseholdEventInput = z.input<typeof householdEventBody>;
export type HouseholdEventValues = z.output<typeof householdEventBody>;

export const householdEventSchema = z.object({
  id: z.uuid(),
  householdId: z.uuid(),
  householdNo: z.string(),
  headName: z.string(),
  areaCode: z.string(),
  villageName: z.string(),
  year: z.number().int(),
  kind: householdEventKind,
  roundId: z.string().nullable(),
  onDate: z.string(),
  reason: z.string().nullable(),
  details: z.record(z.string(), z.unknown()).nullable(),
  actorName: z.string(),
  at: z.string(),
});
export type HouseholdEventDto = z.infer<typeof householdEventSchema>;

export const recordEventResultSchema = z.object({
  event: householdEventSchema,
  /** The household after the change (its new version for the next edit). */
  household: z.object({ id: z.uuid(), householdNo: z.string(), version: z.number().int(), householdType: z.string(), status: z.string(), memberCount: z.number().int(), active: z.boolean() }),
  /** The new household of a split. */
  created: z.object({ id: z.uuid(), householdNo: z.string() }).nullable(),
});
export type RecordEventResultDto = z.infer<typeof recordEventResultSchema>;

export const eventListQuery = z.object({
  householdId: z.uuid().optional(),
  areaCode: z.string().regex(/^\d{12}$/).optional(),
  year: queryYear.optional(),
  kind: householdEventKind.optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
});
export type EventListQuery = z.infer<typeof eventListQuery>;

export const eventCountsQuery = z.object({ areaCode: z.string().regex(/^\d{12}$/).optional(), year: queryYear.optional() });

export const areaEventCountsSchema = z.object({
  areaCode: z.string(),
  year: z.number().int(),
  rows: z.array(z.object({ areaCode: z.string(), name: z.string(), counts: eventCountsSchema })),
  totals: eventCountsSchema,
});
export type AreaEventCountsDto = z.infer<typeof areaEventCountsSchema>;

// ---------------------------------------------------------------------------------------------
// Village indicators and identification

/** PUT /api/identification/village-indicators/{areaCode}/{year}: a village's indicators of a year (村级指标). */
export const villageIndicatorsBody = z
  .object({
    /** Yuan per person per year. */
    perCapitaNetIncome: yuan.nullable().default(null),
    /** Persons. */
    registeredPopulation: persons.nullable().default(null),
    poorPopulation: persons.nullable().default(null),
    hardenedRoad: z.boolean().nullable().default(null),
    safeWater: z.boolean().nullable().default(null),
    power: z.boolean().nullable().default(null),
    broadband: z.boolean().nullable().default(null),
    clinic: z.boolean().nullable().default(null),
    /** Village collective income, yuan per year. */
    collectiveIncome: yuan.nullable().default(null),
  })
  .refine((v) => v.poorPopulation === null || v.registeredPopulation === null || v.poorPopulation <= v.registeredPopulation, {
    path: ['poorPopulation'],
    message: '贫困人口不能多于户籍人口 · the poor population cannot exceed the registered population',
  });
export type VillageIndicatorsInput = z.input<typeof villageIndicatorsBody>;

export const indicatorParams = z.object({ areaCode, year: queryYear });

export const villageIndicatorsSchema = z.object({
  areaCode: z.string(),
  villageName: z.string(),
  townshipName: z.string(),
  year: z.number().int(),
  perCapitaNetIncome: z.number().nullable(),
  registeredPopulation: z.number().int().nullable(),
  poorPopulation: z.number().int().nullable(),
  /** Poor ÷ registered population (0–1). */
  incidence: z.number().nullable(),
  hardenedRoad: z.boolean().nullable(),
  safeWater: z.boolean().nullable(),
  power: z.boolean().nullable(),
  broadband: z.boolean().nullable(),
  clinic: z.boolean().nullable(),
  collectiveIncome: z.number().nullable(),
  updatedAt: z.string().nullable(),
});
export type VillageIndicatorsDto = z.infer<typeof villageIndicatorsSchema>;

/** GET …/village-indicators/{areaCode}/{year}: the stored indicators (null when none) and the registry's figures to prefill. */
export const villageIndicatorsReadSchema = z.object({
  indicators: villageIndicatorsSchema.nullable(),
  /** Persons in the village's active households; of them, in registered poor households not yet out of poverty (未脱贫 / 返贫). */
  registry: z.object({ households: z.number().int(), persons: z.number().int(), poorHouseholds: z.number().int(), poorPersons: z.number().int() }),
});
export type VillageIndicatorsReadDto = z.infer<typeof villageIndicatorsReadSchema>;

export const indicatorListQuery = z.object({ areaCode: z.string().regex(/^\d{12}$/).optional(), year: queryYear.optional() });

export const villageState = z.enum(VILLAGE_STATES);
export const villageAction = z.enum(VILLAGE_ACTIONS);

const signed = {
  /** The date of the step; defaults to today; never in the future. */
  onDate: ymd.optional(),
  /** 责任人: who is responsible for the step (as signed). */
  responsiblePerson: required(50, '责任人', 'The responsible person'),
  note: text(500).optional(),
};

/** POST /api/identification/village-identifications: the village applies (村申请). */
export const villageApplyBody = z.object({ areaCode, year, relative: z.boolean().default(false), ...signed });
export type VillageApplyInput = z.input<typeof villageApplyBody>;
export const villageStepBody = z.object({ version, ...signed });
export const villageDesignateBody = villageStepBody.extend({ kind: z.enum(['provincial', 'city', 'county']).default('provincial') });
export const villageRejectBody = villageStepBody.extend({ reason: required(500, '不予认定理由', 'The reason') });

export const villageListQuery = z.object({ areaCode: z.string().regex(/^\d{12}$/).optional(), year: queryYear.optional(), state: villageState.optional() });

const tri = z.boolean().nullable();
export const villageAdviceSchema = z.object({
  incidence: z.number().nullable(),
  reference: z.object({ incidence: z.number().nullable(), averageIncome: z.number().nullable(), villages: z.number().int() }),
  highIncidence: tri,
  lowIncome: tri,
  oneHighOneLow: tri,
  relativePoorVillage: tri,
});

export const villageIdentificationSchema = z.object({
  id: z.uuid(),
  areaCode: z.string(),
  villageName: z.string(),
  townshipName: z.string(),
  year: z.number().int(),
  relative: z.boolean(),
  state: villageState,
  steps: z.array(
    z.object({ action: z.string(), from: z.string().nullable(), to: z.string(), onDate: z.string(), responsiblePerson: z.string(), note: z.string().nullable(), actorName: z.string(), at: z.string() }),
  ),
  endReason: z.string().nullable(),
  version: z.number().int(),
  indicators: villageIndicatorsSchema.nullable(),
  /** 一高一低 and the relative-poverty village test against the county's villages of the year: advice only. */
  advice: villageAdviceSchema,
  /** The steps the actor may take now. */
  nextActions: z.array(villageAction),
});
export type VillageIdentificationDto = z.infer<typeof villageIdentificationSchema>;
