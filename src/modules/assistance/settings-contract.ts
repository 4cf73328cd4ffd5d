import { z } from 'zod';

/** Saves an area's assistance settings. */
export const assistanceSettingsBody = z.object({
  /** 12-digit area code (a county, usually). */
  areaCode: z.string().regex(/^\d{12}$/),
  /** Days a household may go without a visit (1–366). */
  visitPeriodDays: z.number().int().min(1).max(366),
  /** Households one helper should carry at most (1–200); more is warned. */
  maxHouseholdsPerHelper: z.number().int().min(1).max(200),
});
export type AssistanceSettingsInput = z.input<typeof assistanceSettingsBody>;

export const assistanceSettingsSchema = z.object({
  areaCode: z.string().nullable(),
  visitPeriodDays: z.number().int(),
  maxHouseholdsPerHelper: z.number().int(),
  /** The area whose row applies; null: the defaults. */
  definedAt: z.string().nullable(),
});
export type AssistanceSettingsDto = z.infer<typeof assistanceSettingsSchema>;
