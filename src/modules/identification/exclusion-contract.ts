/**
 * The API contract of exclusion rules (红线), cross-check lists (比对名单) and red-line hits (红线命中):
 * zod schemas shared by the routes and the web client. Money in yuan; dates and times ISO 8601.
 */
import { z } from 'zod';
import { pageQuery } from '../../shared/paging.ts';
import { CROSS_CHECK_KINDS, EXCLUSION_RULE_CODES } from './exclusion-rules.ts';

const areaCode = z.string().regex(/^\d{12}$/, '区划代码应为 12 位数字 · the area code has 12 digits');

export const crossCheckKind = z.enum(CROSS_CHECK_KINDS);
export const exclusionRuleCode = z.enum(EXCLUSION_RULE_CODES);
export const redLineHitStatus = z.enum(['open', 'justified', 'cleared']);
export type RedLineHitStatus = z.infer<typeof redLineHitStatus>;

/** One rule as an area sees it: the catalogue entry and the setting that applies. */
export const exclusionRuleSetting = z.object({
  code: exclusionRuleCode,
  label: z.object({ zh: z.string(), en: z.string() }),
  description: z.object({ zh: z.string(), en: z.string() }),
  source: z.string(),
  listKind: crossCheckKind.nullable(),
  registryData: z.string().nullable(),
  defaultEnabled: z.boolean(),
  defaultParams: z.record(z.string(), z.number()),
  enabled: z.boolean(),
  params: z.record(z.string(), z.number()),
  /** The area whose row applies ('' the national row); null = the built-in default. */
  from: z.string().nullable(),
});
export type ExclusionRuleSettingDto = z.infer<typeof exclusionRuleSetting>;

export const exclusionSettingsSchema = z.object({
  /** The area the settings are shown for; null = the national row. */
  areaCode: z.string().nullable(),
  /** Its full name (湖南省 长沙市 浏阳市); null for the national row. */
  areaName: z.string().nullable(),
  rules: z.array(exclusionRuleSetting),
});
export type ExclusionSettingsDto = z.infer<typeof exclusionSettingsSchema>;

export const exclusionSettingsQuery = z.object({ areaCode: areaCode.optional() });

/** PUT body: the rules an area (a county or wider; null = national, administrators only) sets. */
export const saveExclusionSettingsBody = z.object({
  areaCode: areaCode.nullable(),
  rules: z
    .array(
      z.object({
        rule: exclusionRuleCode,
        enabled: z.boolean(),
        params: z.record(z.string(), z.number()).default({}),
      }),
    )
    .min(1, '至少一条规则 · at least one rule')
    .max(EXCLUSION_RULE_CODES.length),
});
export type SaveExclusionSettingsBody = z.infer<typeof saveExclusionSettingsBody>;

export const crossCheckListItem = z.object({
  id: z.string(),
  kind: crossCheckKind,
  areaCode: z.string(),
  areaName: z.string(),
  name: z.string(),
  source: z.string().nullable(),
  fileName: z.string(),
  rowCount: z.number().int(),
  importedByName: z.string().nullable(),
  importedAt: z.string(),
  active: z.boolean(),
  /** Open and justified hits found from this list. */
  hits: z.number().int(),
});
export type CrossCheckListItem = z.infer<typeof crossCheckListItem>;

export const crossCheckListQuery = z.object({
  areaCode: areaCode.optional(),
  kind: crossCheckKind.optional(),
  active: z.stringbool().optional(),
});

/** The multipart fields of an upload (besides the file). */
export const crossCheckUploadFields = z.object({
  kind: crossCheckKind,
  name: z.string().trim().min(1, '请填写名单名称 · name the list').max(100),
  source: z.string().trim().max(100).optional(),
  /** The area the list covers (a county or wider); default the importer's own area. */
  areaCode: areaCode.optional(),
});

export const crossCheckImportResult = z.object({
  list: crossCheckListItem,
  /** Lists of the same kind and area replaced (made inactive). */
  replaced: z.number().int(),
  /** Households evaluated, hits opened and cleared. */
  evaluated: z.number().int(),
  opened: z.number().int(),
  cleared: z.number().int(),
});
export type CrossCheckImportResult = z.infer<typeof crossCheckImportResult>;

export const redLineHitItem = z.object({
  id: z.string(),
  householdId: z.string(),
  householdNo: z.string(),
  headName: z.string(),
  areaCode: z.string(),
  villageName: z.string(),
  townshipName: z.string(),
  rule: exclusionRuleCode,
  memberId: z.string().nullable(),
  memberName: z.string().nullable(),
  /** Masked (430181********123X). */
  memberIdNumber: z.string().nullable(),
  source: z.string(),
  listId: z.string().nullable(),
  listName: z.string().nullable(),
  detail: z.string(),
  status: redLineHitStatus,
  justification: z.string().nullable(),
  justifiedByName: z.string().nullable(),
  justifiedAt: z.string().nullable(),
  foundAt: z.string(),
});
export type RedLineHitItem = z.infer<typeof redLineHitItem>;

export const redLineHitQuery = pageQuery.extend({
  areaCode: areaCode.optional(),
  status: redLineHitStatus.optional(),
  rule: exclusionRuleCode.optional(),
  householdId: z.uuid('农户 ID 格式不正确 · malformed household id').optional(),
});
export type RedLineHitQuery = z.infer<typeof redLineHitQuery>;

export const redLineSummaryQuery = z.object({ areaCode: areaCode.optional() });

export const redLineSummary = z.object({
  areaCode: z.string().nullable(),
  /** The area's full name (湖南省 长沙市 浏阳市); null for the whole country. */
  areaName: z.string().nullable(),
  byRule: z.array(z.object({ rule: exclusionRuleCode, open: z.number().int(), justified: z.number().int() })),
  byArea: z.array(z.object({ areaCode: z.string(), name: z.string(), open: z.number().int(), justified: z.number().int() })),
  open: z.number().int(),
  justified: z.number().int(),
});
export type RedLineSummary = z.infer<typeof redLineSummary>;

export const justifyHitBody = z.object({
  justification: z.string().trim().max(2000, '不超过 2000 字 · at most 2000 characters'),
});

export const refreshHitsBody = z.object({
  areaCode,
  /** Every active household of the area (回头看), not only those in the procedure and those with open hits. */
  all: z.boolean().default(false),
});

export const refreshHitsResult = z.object({ evaluated: z.number().int(), opened: z.number().int(), cleared: z.number().int() });
export type RefreshHitsResult = z.infer<typeof refreshHitsResult>;
