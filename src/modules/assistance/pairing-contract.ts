/**
 * Contracts (zod) of pairing (对口帮扶): assisting units (帮扶单位), helpers (帮扶责任人) and helper
 * assignments (结对), shared by the server and the pages. Dates are YYYY-MM-DD calendar dates.
 */
import { z } from 'zod';
import { pageOf, pageQuery } from '../../shared/paging.ts';
import { UNIT_KIND, UNIT_LEVEL, valuesOf } from './codes.ts';

const areaCode = z.string().regex(/^\d{12}$/, '区划代码应为 12 位数字 · the area code has 12 digits');
const ymd = z.iso.date('日期格式应为 YYYY-MM-DD · the date is YYYY-MM-DD');
const uuid = (what: string) => z.uuid(`${what} ID 格式不正确 · malformed ${what} id`);
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .nullish()
    .transform((v) => (v ? v : null));
const phone = z
  .string()
  .trim()
  .max(30)
  .regex(/^[0-9*+\- ()（）]*$/, '电话只能包含数字、空格和 + - ( ) · a phone number has digits, spaces and + - ( ) only')
  .nullish()
  .transform((v) => (v ? v : null));

/** A warning that does not stop a save: a helper above the maximum load. Shown by the pages. */
export const pairingWarning = z.object({
  code: z.literal('OVERLOADED'),
  helperId: z.uuid(),
  helperName: z.string(),
  /** Households currently assigned to the helper. */
  households: z.number().int(),
  /** The maximum that applies: the helper's own, else the area's setting. */
  max: z.number().int(),
  message: z.string(),
  messageEn: z.string(),
});
export type PairingWarning = z.infer<typeof pairingWarning>;

// ---------------------------------------------------------------------------------------------
// Units

export const unitBody = z.object({
  name: z.string().trim().min(1, '请输入单位名称 · enter the unit’s name').max(100),
  kind: z.enum(valuesOf(UNIT_KIND)),
  level: z.enum(valuesOf(UNIT_LEVEL)),
  /** The area that registers the unit (a 市直 unit: the city); inside the actor's scope. */
  areaCode,
  contactPerson: optionalText(50),
  phone,
});
export type UnitInput = z.input<typeof unitBody>;

export const unitUpdateBody = unitBody.extend({
  active: z.boolean().default(true),
  /** The version the edit was made from (STALE_EDIT when someone saved in between). */
  version: z.number().int().min(1),
});
export type UnitUpdateInput = z.input<typeof unitUpdateBody>;

export const unitSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  kind: z.string(),
  level: z.string(),
  areaCode: z.string(),
  areaName: z.string(),
  contactPerson: z.string().nullable(),
  /** Masked for roles without households.read-full. */
  phone: z.string().nullable(),
  active: z.boolean(),
  version: z.number().int(),
  /** Active helpers of the unit. */
  helpers: z.number().int(),
  /** Whether the actor may edit it (the unit's area inside the actor's scope and the role pairs). */
  editable: z.boolean(),
});
export type UnitDto = z.infer<typeof unitSchema>;

export const unitListQuery = pageQuery.extend({
  q: z.string().trim().max(50).optional(),
  active: z.enum(['true', 'false', 'all']).default('true'),
});
export type UnitListQuery = z.input<typeof unitListQuery>;

// ---------------------------------------------------------------------------------------------
// Helpers

export const helperBody = z.object({
  name: z.string().trim().min(1, '请输入姓名 · enter the name').max(50),
  unitId: uuid('单位 · unit'),
  post: optionalText(50),
  phone,
  /** Where the helper works (county, township or village); inside the actor's scope. */
  areaCode,
  /** Username of an account of role helper (帮扶责任人) in the actor's scope, to link; null: none. */
  username: optionalText(50),
  /** Overrides the area's maximum load (households); null: the area's setting. */
  maxHouseholds: z.number().int().min(1).max(200).nullish(),
});
export type HelperInput = z.input<typeof helperBody>;

export const helperUpdateBody = helperBody.extend({
  active: z.boolean().default(true),
  version: z.number().int().min(1),
});
export type HelperUpdateInput = z.input<typeof helperUpdateBody>;

export const helperSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  unitId: z.uuid(),
  unitName: z.string(),
  post: z.string().nullable(),
  /** Masked for roles without households.read-full. */
  phone: z.string().nullable(),
  areaCode: z.string(),
  areaName: z.string(),
  userId: z.string().nullable(),
  username: z.string().nullable(),
  maxHouseholds: z.number().int().nullable(),
  /** The maximum that applies (the helper's own, else the area's setting). */
  effectiveMax: z.number().int(),
  /** Households currently assigned. */
  load: z.number().int(),
  overloaded: z.boolean(),
  active: z.boolean(),
  version: z.number().int(),
  editable: z.boolean(),
});
export type HelperDto = z.infer<typeof helperSchema>;

export const helperSaveResult = z.object({ helper: helperSchema, warnings: z.array(pairingWarning) });
export type HelperSaveResult = z.infer<typeof helperSaveResult>;

export const helperListQuery = pageQuery.extend({
  /** Helpers working in this area or below, and on its line above (county helpers for a township). */
  areaCode: areaCode.optional(),
  unitId: z.uuid().optional(),
  q: z.string().trim().max(50).optional(),
  active: z.enum(['true', 'false', 'all']).default('true'),
  /** Only helpers above their maximum. */
  overloaded: z.enum(['true', 'false']).optional(),
});
export type HelperListQuery = z.input<typeof helperListQuery>;

// ---------------------------------------------------------------------------------------------
// Assignments

export const assignBody = z
  .object({
    householdIds: z.array(uuid('户 · household')).min(1, '请选择农户 · choose households').max(500),
    helperId: uuid('帮扶责任人 · helper'),
    startDate: ymd,
    /** Replace a household's current helper (its row ends on startDate with `reason`). */
    replace: z.boolean().default(false),
    reason: optionalText(200),
  })
  .superRefine((v, c) => {
    if (v.replace && !v.reason) c.addIssue({ code: 'custom', path: ['reason'], message: '更换帮扶责任人须填写原因 · a change of helper needs a reason' });
  });
export type AssignInput = z.input<typeof assignBody>;

export const assignResult = z.object({
  /** New assignments written. */
  assigned: z.number().int(),
  /** Of which a previous helper was ended. */
  replaced: z.number().int(),
  /** Households whose current helper already was this helper (nothing written). */
  unchanged: z.number().int(),
  warnings: z.array(pairingWarning),
});
export type AssignResult = z.infer<typeof assignResult>;

export const villageAssignBody = z.object({
  /** The village: every assisted household of it without a current helper is assigned. */
  villageCode: areaCode,
  /** One helper (all to them) or several (spread, each new household to the least loaded). */
  helperIds: z.array(uuid('帮扶责任人 · helper')).min(1, '请选择帮扶责任人 · choose helpers').max(100),
  startDate: ymd,
});
export type VillageAssignInput = z.input<typeof villageAssignBody>;

export const villageAssignResult = z.object({
  assigned: z.number().int(),
  byHelper: z.array(z.object({ helperId: z.uuid(), helperName: z.string(), assigned: z.number().int(), load: z.number().int() })),
  warnings: z.array(pairingWarning),
});
export type VillageAssignResult = z.infer<typeof villageAssignResult>;

export const endAssignmentBody = z.object({
  endDate: ymd,
  reason: z.string().trim().min(1, '请填写结束原因 · enter the reason').max(200),
});
export type EndAssignmentInput = z.input<typeof endAssignmentBody>;

export const assignmentSchema = z.object({
  id: z.uuid(),
  householdId: z.uuid(),
  householdNo: z.string(),
  headName: z.string(),
  householdType: z.string(),
  villageCode: z.string(),
  villageName: z.string(),
  townshipName: z.string(),
  helperId: z.uuid(),
  helperName: z.string(),
  unitName: z.string(),
  /** Masked for roles without households.read-full. */
  helperPhone: z.string().nullable(),
  startDate: z.string(),
  endDate: z.string().nullable(),
  endReason: z.string().nullable(),
  current: z.boolean(),
});
export type AssignmentDto = z.infer<typeof assignmentSchema>;

export const assignmentListQuery = pageQuery
  .extend({
    /** A household's history (newest first). */
    householdId: z.uuid().optional(),
    /** A helper's households. */
    helperId: z.uuid().optional(),
    /** Only current assignments (default) or all, ended included. */
    current: z.enum(['true', 'all']).default('true'),
  })
  .refine((v) => v.householdId || v.helperId, { path: ['helperId'], message: '请指定农户或帮扶责任人 · give a household or a helper' });
export type AssignmentListQuery = z.input<typeof assignmentListQuery>;

/**
 * A page of assignments. `total` counts those the actor may see (the households of their scope);
 * `outsideScope` counts the helper's other ones (same `current` filter) on households outside it —
 * a helper's load is about the person, so it may exceed what a township officer is shown.
 */
export const assignmentPage = pageOf(assignmentSchema).extend({
  /** With `helperId`: the helper's assignments on households outside the actor's scope; else 0. */
  outsideScope: z.number().int(),
});
export type AssignmentPage = z.infer<typeof assignmentPage>;

// ---------------------------------------------------------------------------------------------
// Households without a helper

export const unassignedQuery = pageQuery.extend({
  /** Area code (county, township or village); default the actor's area. */
  areaCode: areaCode.optional(),
  q: z.string().trim().max(50).optional(),
});
export type UnassignedQuery = z.input<typeof unassignedQuery>;

export const unassignedItem = z.object({
  id: z.uuid(),
  householdNo: z.string(),
  headName: z.string(),
  householdType: z.string(),
  status: z.string(),
  memberCount: z.number().int(),
  villageCode: z.string(),
  villageName: z.string(),
  townshipName: z.string(),
  /** The date the last helper's assignment ended, when the household had one. */
  lastEndDate: z.string().nullable(),
});
export type UnassignedItem = z.infer<typeof unassignedItem>;

export const unassignedSummaryQuery = z.object({ areaCode: areaCode.optional() });

export const unassignedSummary = z.object({
  areaCode: z.string().nullable(),
  areaName: z.string(),
  /** Households that must have a helper (ASSISTED_HOUSEHOLD_TYPES, active) in the area. */
  assisted: z.number().int(),
  withoutHelper: z.number().int(),
  /** The same per child area (townships of a county, villages of a township), for drill-down. */
  children: z.array(z.object({ code: z.string(), name: z.string(), assisted: z.number().int(), withoutHelper: z.number().int() })),
});
export type UnassignedSummary = z.infer<typeof unassignedSummary>;

// ---------------------------------------------------------------------------------------------
// Import

/** The import's checkbox for `createHelpers`, as the page shows it and the refusals quote it. */
export const CREATE_HELPERS_LABEL = { zh: '自动新建未登记的帮扶责任人', en: 'Create helpers not yet registered' } as const;

/** The form fields of an assignment import (multipart, beside the file). */
export const assignmentImportFields = z.object({
  /** Create helpers the file names and fupin does not know (their unit must exist). */
  createHelpers: z.enum(['true', 'false']).default('false'),
  /** When given, a household whose current helper differs is changed, with this reason. */
  replaceReason: z.string().trim().max(200).optional(),
});

export const assignmentImportResult = z.object({
  /** Data rows read. */
  rows: z.number().int(),
  assigned: z.number().int(),
  replaced: z.number().int(),
  /** Rows whose helper already was the household's current helper. */
  skipped: z.number().int(),
  helpersCreated: z.number().int(),
  warnings: z.array(pairingWarning),
});
export type AssignmentImportResult = z.infer<typeof assignmentImportResult>;

/** The columns of an assignment import, with the spellings recognised. */
export const ASSIGNMENT_IMPORT_COLUMNS = {
  householdNo: ['户编号', '户码', '农户编号'],
  headIdNumber: ['户主身份证号', '户主证件号码', '户主身份证号码', '身份证号', '证件号码'],
  helperName: ['帮扶责任人', '帮扶责任人姓名', '帮扶人', '帮扶人姓名', '责任人'],
  helperPhone: ['联系电话', '帮扶责任人电话', '帮扶责任人联系电话', '电话', '手机号码', '手机号'],
  unitName: ['帮扶单位', '帮扶单位名称', '单位', '工作单位'],
  startDate: ['开始日期', '结对日期', '帮扶开始日期', '结对时间'],
} as const;
