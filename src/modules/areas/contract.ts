import { z } from 'zod';
import { AREA_LEVELS } from '../../shared/area-code.ts';

/** An area code in the URL: the 12-digit NBS form, or its natural length (2/4/6/9 digits), read as 12 digits. */
export const areaCode12 = z
  .string()
  .regex(/^(\d{2}|\d{4}|\d{6}|\d{9}|\d{12})$/, '区划代码应为 2、4、6、9 或 12 位数字 · the area code must have 2, 4, 6, 9 or 12 digits')
  .transform((c) => c.padEnd(12, '0'));

/** An area as the API returns it. */
export const areaSchema = z.object({
  code: z.string(),
  name: z.string(),
  level: z.enum(AREA_LEVELS),
  parentCode: z.string().nullable(),
  validFrom: z.number().int(),
  validTo: z.number().int().nullable(),
  /** Years the village is designated poor (villages only; empty otherwise). */
  poorVillageYears: z.array(z.number().int()),
});
export type AreaDto = z.infer<typeof areaSchema>;

/** A child area on an area page, with counts of what lies below it. */
export const areaChildSchema = areaSchema.extend({
  townshipCount: z.number().int(),
  villageCount: z.number().int(),
  poorVillageCount: z.number().int(),
  hasChildren: z.boolean(),
});
export type AreaChildDto = z.infer<typeof areaChildSchema>;

export const areaDetailSchema = areaSchema.extend({
  /** Ancestors, province first. */
  ancestors: z.array(z.object({ code: z.string(), name: z.string(), level: z.enum(AREA_LEVELS) })),
  /** "湖南省 长沙市 浏阳市 …" */
  fullName: z.string(),
  children: z.array(areaChildSchema),
  townshipCount: z.number().int(),
  villageCount: z.number().int(),
  poorVillageCount: z.number().int(),
});
export type AreaDetailDto = z.infer<typeof areaDetailSchema>;

export const areaSearchQuery = z.object({
  q: z.string().trim().min(1, '请输入名称或代码 · enter a name or a code').max(50),
  level: z.enum(AREA_LEVELS).optional(),
  /** "true"/"false" (also 1/0, yes/no, on/off); z.coerce.boolean would read "false" as true. */
  includeRetired: z.stringbool().default(false),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
});

export const areaSearchItem = areaSchema.extend({ fullName: z.string() });

export const importAreasBody = z.object({
  /** Natural-length (2/4/6 digits) or 12-digit code of a province, city or county. */
  root: z.string().regex(/^(\d{2}|\d{4}|\d{6}|\d{12})$/, '应为省、市或县的区划代码 · expected a province, city or county code'),
});

export const designateBody = z.object({
  year: z.number().int().min(2000).max(2100),
  kind: z.enum(['provincial', 'city', 'county']).default('provincial'),
  relative: z.boolean().default(false),
  note: z.string().max(200).optional(),
});

