/**
 * Contracts (zod) of assistance: visits (走访记录) with photos, visit monitoring (走访监测: households
 * not visited within the visit period) and the helper's workspace (我的帮扶户).
 */
import { z } from 'zod';
import { pageQuery } from '../../shared/paging.ts';

const ymd = z.iso.date({ error: '日期格式应为 YYYY-MM-DD · a date as YYYY-MM-DD' });
const areaCode = z.string().regex(/^\d{12}$/, { error: '区划代码应为 12 位数字 · a 12-digit area code' });

/** At most this many photos per visit. */
export const VISIT_MAX_PHOTOS = 5;
/** Largest photo accepted (bytes): 5 MB. */
export const VISIT_PHOTO_MAX_BYTES = 5 * 1024 * 1024;
/** Photo types accepted, read from the bytes (never the file name). */
export const VISIT_PHOTO_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;
export type VisitPhotoType = (typeof VISIT_PHOTO_TYPES)[number];
/** Longest content / problems text (characters). */
export const VISIT_TEXT_MAX = 2000;

/**
 * The text fields of POST /api/assistance/visits (multipart/form-data; photos in the file field
 * "photos", 0–5 of them). Dates are YYYY-MM-DD (China Standard Time).
 */
export const recordVisitFields = z.object({
  householdId: z.uuid({ error: '请选择农户 · choose the household' }),
  /** Not in the future, not before the household's registration. */
  visitDate: ymd,
  content: z
    .string({ error: '请填写走访内容 · enter what the visit was about' })
    .trim()
    .min(1, { error: '请填写走访内容 · enter what the visit was about' })
    .max(VISIT_TEXT_MAX, { error: `走访内容不超过 ${VISIT_TEXT_MAX} 字 · at most ${VISIT_TEXT_MAX} characters` }),
  problems: z
    .string()
    .trim()
    .max(VISIT_TEXT_MAX, { error: `发现问题不超过 ${VISIT_TEXT_MAX} 字 · at most ${VISIT_TEXT_MAX} characters` })
    .optional()
    .transform((v) => (v ? v : null)),
});
export type RecordVisitInput = z.input<typeof recordVisitFields>;

export const visitPhotoSchema = z.object({
  id: z.uuid(),
  mimeType: z.string(),
  /** Bytes. */
  sizeBytes: z.number().int(),
  /** GET this (same origin, the session's cookie) to show the photo. */
  url: z.string(),
});
export type VisitPhotoDto = z.infer<typeof visitPhotoSchema>;

export const visitSchema = z.object({
  id: z.uuid(),
  householdId: z.uuid(),
  householdNo: z.string(),
  headName: z.string(),
  /** The village (12 digits) and its name. */
  areaCode: z.string(),
  villageName: z.string(),
  /** The helper who visited; null when someone else did (then visitorName says who). */
  helperId: z.uuid().nullable(),
  visitorName: z.string(),
  visitDate: z.string(),
  content: z.string(),
  problems: z.string().nullable(),
  recordedByName: z.string(),
  createdAt: z.string(),
  photos: z.array(visitPhotoSchema),
});
export type VisitDto = z.infer<typeof visitSchema>;

/** GET /api/assistance/visits: visits in scope, newest first; by household, by helper, by area. */
export const visitListQuery = pageQuery.extend({
  householdId: z.uuid().optional(),
  helperId: z.uuid().optional(),
  areaCode: areaCode.optional(),
});
export type VisitListQuery = z.input<typeof visitListQuery>;

// ---------------------------------------------------------------------------------------------
// Monitoring (走访监测)

/** GET /api/assistance/visits/due: the households not visited within the period. */
export const visitsDueQuery = pageQuery.extend({
  /** Within the actor's scope; default the actor's area. */
  areaCode: areaCode.optional(),
  /** One helper's households; 'none' for households without a current helper. */
  helperId: z.union([z.uuid(), z.literal('none')]).optional(),
  /** Only households never visited. */
  neverVisited: z.stringbool().default(false),
});
/** The query as the route hands it over (parsed); page, pageSize and neverVisited may be left out. */
export type VisitsDueQuery = Omit<z.output<typeof visitsDueQuery>, 'page' | 'pageSize' | 'neverVisited'> & { page?: number; pageSize?: number; neverVisited?: boolean };

export const visitDueItemSchema = z.object({
  householdId: z.uuid(),
  householdNo: z.string(),
  headName: z.string(),
  householdType: z.string(),
  areaCode: z.string(),
  villageName: z.string(),
  townshipName: z.string(),
  /** YYYY-MM-DD; null: never visited. */
  lastVisitDate: z.string().nullable(),
  /** Days since the last visit; null: never visited. */
  daysSince: z.number().int().nullable(),
  /**
   * The day the next visit was due (YYYY-MM-DD): the last visit + the period, or — never visited — the
   * pairing with the current helper + the period; null: never visited and without a helper (due now).
   */
  dueOn: z.string().nullable(),
  /** The period that applies to the household's area (days). */
  visitPeriodDays: z.number().int(),
  helperId: z.uuid().nullable(),
  helperName: z.string().nullable(),
});
export type VisitDueItem = z.infer<typeof visitDueItemSchema>;

/** Counts of one group: assisted households, overdue ones (rules.ts visitStatus), never visited (overdue or not yet due after pairing). */
const dueCounts = {
  households: z.number().int(),
  overdue: z.number().int(),
  neverVisited: z.number().int(),
};

export const visitsDueSummarySchema = z.object({
  areaCode: z.string().nullable(),
  areaName: z.string(),
  /** Today (China Standard Time), the day the status is computed for. */
  asOf: z.string(),
  /** The period in force for the chosen area (days); areas below may define their own. */
  visitPeriodDays: z.number().int(),
  total: z.object(dueCounts),
  /** Per township inside the area (empty when the area is a village). */
  byTownship: z.array(z.object({ areaCode: z.string(), name: z.string(), ...dueCounts })),
  /** Per village inside the area (empty above the county, where the list would be too long). */
  byVillage: z.array(z.object({ areaCode: z.string(), name: z.string(), townshipName: z.string(), ...dueCounts })),
  /** Per current helper (null: households without a helper), most overdue first, at most 200. */
  byHelper: z.array(z.object({ helperId: z.uuid().nullable(), name: z.string().nullable(), unitName: z.string().nullable(), ...dueCounts })),
});
export type VisitsDueSummaryDto = z.infer<typeof visitsDueSummarySchema>;
export const visitsDueSummaryQuery = z.object({ areaCode: areaCode.optional() });

// ---------------------------------------------------------------------------------------------
// The helper's workspace (我的帮扶户)

export const myHouseholdSchema = z.object({
  householdId: z.uuid(),
  householdNo: z.string(),
  headName: z.string(),
  householdType: z.string(),
  status: z.string(),
  memberCount: z.number().int(),
  areaCode: z.string(),
  villageName: z.string(),
  townshipName: z.string(),
  /** Since when the helper has the household (YYYY-MM-DD). */
  assignedOn: z.string(),
  lastVisitDate: z.string().nullable(),
  daysSince: z.number().int().nullable(),
  /** When the next visit is due (YYYY-MM-DD): the last visit + the period, or — never visited — assignedOn + the period. */
  dueOn: z.string().nullable(),
  overdue: z.boolean(),
  visitPeriodDays: z.number().int(),
  /** Needs not yet met (待落实 and 落实中). */
  openNeeds: z.number().int(),
});
export type MyHouseholdDto = z.infer<typeof myHouseholdSchema>;

export const myWorkspaceSchema = z.object({
  /** The helper record linked to the account; null when there is none (then items is empty). */
  helper: z.object({ id: z.uuid(), name: z.string(), unitName: z.string().nullable() }).nullable(),
  asOf: z.string(),
  summary: z.object({ households: z.number().int(), visitsDue: z.number().int(), needsOpen: z.number().int() }),
  /** Overdue first (never visited first among them), then by due date. */
  items: z.array(myHouseholdSchema),
});
export type MyWorkspaceDto = z.infer<typeof myWorkspaceSchema>;
