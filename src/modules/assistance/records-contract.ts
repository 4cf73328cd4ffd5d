/**
 * Shapes of a household's assistance records (脱贫需求清单, 脱贫计划, 帮扶措施) and of its assistance
 * summary, shared by routes, pages and tests. Money is yuan with at most two decimals; dates are
 * YYYY-MM-DD (China Standard Time).
 */
import { z } from 'zod';
import { MEASURE_GROUP, MEASURE_TYPE, NEED_CATEGORY, NEED_STATUS, valuesOf } from './codes.ts';

const ymd = z.iso.date({ error: '日期格式应为 YYYY-MM-DD · a date as YYYY-MM-DD' });
const text = (max: number) => z.string().trim().max(max, `至多 ${max} 个字 · at most ${max} characters`);
const required = (max: number, zh: string, en: string) =>
  z
    .string({ error: `${zh}不能为空 · ${en} is required` })
    .trim()
    .min(1, `${zh}不能为空 · ${en} is required`)
    .max(max, `${zh}至多 ${max} 个字 · ${en}: at most ${max} characters`);

/** Yuan, ≥ 0, at most two decimals (null: no money moved). */
export const amountYuan = z
  .number({ error: '金额应为数字 · the amount is a number' })
  .min(0, '金额不能为负 · the amount cannot be negative')
  .max(99_999_999.99, '金额过大 · the amount is too large')
  .refine((v) => Math.abs(Math.round(v * 100) - v * 100) < 1e-6, '金额至多两位小数 · at most two decimals (fen)');

export const needCategoryEnum = z.enum(valuesOf(NEED_CATEGORY));
export const needStatusEnum = z.enum(valuesOf(NEED_STATUS));
export const measureTypeEnum = z.enum(valuesOf(MEASURE_TYPE));
export const measureGroupEnum = z.enum(valuesOf(MEASURE_GROUP));

// ---------------------------------------------------------------------------------------------
// Needs

/** POST /api/assistance/needs: a need of a household (status open). */
export const createNeedBody = z.object({
  householdId: z.uuid(),
  category: needCategoryEnum,
  description: required(500, '需求内容', 'The description'),
  /** The date the need was raised; not in the future. */
  raisedOn: ymd,
});
export type CreateNeedInput = z.input<typeof createNeedBody>;

/**
 * PATCH /api/assistance/needs/{id}: edit a need at `version`. Status moves forward only (open →
 * inProgress → met); met needs `metOn` and a `metNote` or a `metByMeasureId` of the same household.
 */
export const updateNeedBody = z.object({
  version: z.number().int().min(1),
  category: needCategoryEnum.optional(),
  description: required(500, '需求内容', 'The description').optional(),
  raisedOn: ymd.optional(),
  status: needStatusEnum.optional(),
  metOn: ymd.nullish(),
  metNote: text(500).nullish(),
  metByMeasureId: z.uuid().nullish(),
});
export type UpdateNeedInput = z.input<typeof updateNeedBody>;

export const needSchema = z.object({
  id: z.uuid(),
  householdId: z.uuid(),
  category: needCategoryEnum,
  description: z.string(),
  status: needStatusEnum,
  raisedOn: z.string(),
  metOn: z.string().nullable(),
  metByMeasureId: z.string().nullable(),
  metNote: z.string().nullable(),
  version: z.number().int(),
  createdAt: z.string(),
});
export type NeedDto = z.infer<typeof needSchema>;

// ---------------------------------------------------------------------------------------------
// Plans

export const plannedMeasureSchema = z.object({
  type: measureTypeEnum,
  description: text(200).default(''),
  /** Yuan, or null when not costed. */
  amount: amountYuan.nullable().default(null),
});
export type PlannedMeasure = z.infer<typeof plannedMeasureSchema>;

/**
 * PUT /api/assistance/plans: creates (version 0) or replaces (the current version) a household's plan
 * for one year. The planned exit year is not before the plan's year.
 */
export const planBody = z
  .object({
    householdId: z.uuid(),
    year: z.number().int().min(2013).max(2100),
    goal: text(1000).nullish(),
    plannedExitYear: z.number().int().min(2013).max(2100).nullish(),
    plannedMeasures: z.array(plannedMeasureSchema).max(30, '至多 30 项 · at most 30 planned measures').default([]),
    /** 0: a new plan; else the version the edit starts from (STALE_EDIT when it changed since). */
    version: z.number().int().min(0).default(0),
  })
  .superRefine((b, ctx) => {
    if (b.plannedExitYear !== null && b.plannedExitYear !== undefined && b.plannedExitYear < b.year) {
      ctx.addIssue({ code: 'custom', path: ['plannedExitYear'], message: '计划脱贫年度不能早于计划年度 · the planned exit year cannot be before the plan’s year' });
    }
  });
export type PlanInput = z.input<typeof planBody>;

export const planSchema = z.object({
  id: z.uuid(),
  householdId: z.uuid(),
  year: z.number().int(),
  goal: z.string().nullable(),
  plannedExitYear: z.number().int().nullable(),
  plannedMeasures: z.array(z.object({ type: z.string(), description: z.string(), amount: z.number().nullable() })),
  /** Yuan: the sum of the planned measures' amounts. */
  plannedAmount: z.number(),
  version: z.number().int(),
  updatedAt: z.string(),
});
export type PlanDto = z.infer<typeof planSchema>;

// ---------------------------------------------------------------------------------------------
// Measures

const measureFields = {
  type: measureTypeEnum,
  /** Active members of the household the measure is for; required when the type's forMembers. */
  memberIds: z.array(z.uuid()).max(30).default([]),
  /** The date the measure was delivered; not in the future. */
  onDate: ymd,
  amount: amountYuan.nullable().default(null),
  /** 资金来源 (free text for now). */
  fundingSource: text(100).nullish(),
  description: text(1000).nullish(),
  /** A need of the same household the measure answers. */
  needId: z.uuid().nullish(),
  /** Marks that need met (on `onDate`, by this measure) in the same transaction. */
  markNeedMet: z.boolean().default(false),
};

/** POST /api/assistance/measures: records a measure delivered to a household. */
export const createMeasureBody = z.object({ householdId: z.uuid(), ...measureFields });
export type CreateMeasureInput = z.input<typeof createMeasureBody>;

/** PUT /api/assistance/measures/{id}: corrects a measure (its recorder or an officer). */
/** A correction carries the `version` the editor saw (STALE_EDIT when the measure changed since). */
export const correctMeasureBody = z.object({ ...measureFields, version: z.number().int().min(1), reason: text(200).nullish() });
export type CorrectMeasureInput = z.input<typeof correctMeasureBody>;

export const measureMemberSchema = z.object({
  memberId: z.string(),
  name: z.string(),
  /** Masked unless the reader holds households.read-full and reads one household. */
  idNumber: z.string().nullable(),
  /** Whether the person is still an active member of the household. */
  current: z.boolean(),
});

export const measureSchema = z.object({
  id: z.uuid(),
  householdId: z.uuid(),
  type: z.string(),
  group: z.string(),
  members: z.array(measureMemberSchema),
  onDate: z.string(),
  /** Yuan, or null. */
  amount: z.number().nullable(),
  fundingSource: z.string().nullable(),
  description: z.string().nullable(),
  needId: z.string().nullable(),
  version: z.number().int(),
  recordedByName: z.string(),
  createdAt: z.string(),
  /** Whether the reader may correct or delete it (its recorder, or an officer). */
  canEdit: z.boolean(),
});
export type MeasureDto = z.infer<typeof measureSchema>;

/** GET /api/assistance/measures: measures of an area, newest first. */
export const measureListQuery = z.object({
  areaCode: z
    .string()
    .regex(/^\d{12}$/, '应为 12 位区划代码 · a 12-digit area code')
    .optional(),
  type: measureTypeEnum.optional(),
  group: measureGroupEnum.optional(),
  year: z.coerce.number().int().min(2013).max(2100).optional(),
  householdId: z.uuid().optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
});
export type MeasureListQuery = z.infer<typeof measureListQuery>;

export const measureListItemSchema = measureSchema.extend({
  householdNo: z.string(),
  headName: z.string(),
  areaCode: z.string(),
  villageName: z.string(),
});
export type MeasureListItemDto = z.infer<typeof measureListItemSchema>;

export const measurePageSchema = z.object({
  items: z.array(measureListItemSchema),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
  /** Yuan: the sum of the amounts of every measure the filter selects (all pages). */
  totalAmount: z.number(),
  /** Households the selected measures reached. */
  households: z.number().int(),
});
export type MeasurePageDto = z.infer<typeof measurePageSchema>;

// ---------------------------------------------------------------------------------------------
// The household's assistance summary

export const householdHelperSchema = z.object({
  assignmentId: z.string(),
  helperId: z.string(),
  name: z.string(),
  unitName: z.string(),
  post: z.string().nullable(),
  /** Masked unless the reader holds households.read-full. */
  phone: z.string().nullable(),
  startDate: z.string(),
  endDate: z.string().nullable(),
  endReason: z.string().nullable(),
});
export type HouseholdHelperDto = z.infer<typeof householdHelperSchema>;

export const householdVisitBriefSchema = z.object({
  id: z.string(),
  visitDate: z.string(),
  visitorName: z.string(),
  content: z.string(),
  problems: z.string().nullable(),
  /** Photo ids; bytes at GET /api/assistance/visits/{id}/photos/{photoId}. */
  photoIds: z.array(z.string()),
});
export type HouseholdVisitBriefDto = z.infer<typeof householdVisitBriefSchema>;

export const householdCoverageResultSchema = z.object({
  indicator: z.string(),
  should: z.number().int(),
  receives: z.number().int(),
  gaps: z.array(z.object({ memberId: z.string(), name: z.string() })),
});

export const householdAssistanceSchema = z.object({
  household: z.object({
    id: z.uuid(),
    householdNo: z.string(),
    headName: z.string(),
    areaCode: z.string(),
    villageName: z.string(),
    areaFullName: z.string(),
    householdType: z.string(),
    status: z.string(),
    povertyAttribute: z.string().nullable(),
    housingDangerGrade: z.string().nullable(),
    active: z.boolean(),
  }),
  /** Whether phones and ID numbers are shown in full (households.read-full; the read is audited). */
  full: z.boolean(),
  /** Active members, head first (for the measure form's member choice). */
  members: z.array(z.object({ id: z.string(), name: z.string(), relationToHead: z.string(), birthDate: z.string(), schooling: z.string().nullable(), idNumber: z.string().nullable() })),
  helper: householdHelperSchema.nullable(),
  /** Every assignment, newest first (the current one included). */
  helperHistory: z.array(householdHelperSchema),
  /** Open and in-progress needs first, then met; each group newest first. */
  needs: z.array(needSchema),
  /** Newest year first. */
  plans: z.array(planSchema),
  /** Newest first. */
  measures: z.array(measureSchema),
  /** Yuan: the sum of the measures' amounts. */
  measuresAmount: z.number(),
  /** The latest visits (at most 10), newest first. */
  visits: z.array(householdVisitBriefSchema),
  visitCount: z.number().int(),
  /** Policy coverage (rules.ts householdCoverage) on `asOf`. */
  coverage: z.array(householdCoverageResultSchema),
  asOf: z.string(),
});
export type HouseholdAssistanceDto = z.infer<typeof householdAssistanceSchema>;
