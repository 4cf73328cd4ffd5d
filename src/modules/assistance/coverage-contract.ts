/**
 * Contracts (zod) of policy coverage (应享尽享): the figures of an area per indicator with its child
 * areas for drill-down, the households with a gap in one indicator, and one household's coverage.
 */
import { z } from 'zod';
import { pageOf, pageQuery } from '../../shared/paging.ts';
import { COVERAGE_INDICATORS, type CoverageIndicator } from './rules.ts';

const INDICATOR_IDS = COVERAGE_INDICATORS.map((i) => i.id) as unknown as [CoverageIndicator, ...CoverageIndicator[]];

const areaCode = z.string().regex(/^\d{12}$/, '应为 12 位区划代码 · a 12-digit area code');
const asOf = z.iso.date('日期格式应为 YYYY-MM-DD · a date YYYY-MM-DD');

/** GET /api/assistance/coverage: the area (default: the actor's own) and the date (default: today, China time). */
export const coverageQuery = z.object({ areaCode: areaCode.optional(), asOf: asOf.optional() });
export type CoverageQuery = z.infer<typeof coverageQuery>;

/** GET /api/assistance/coverage/gaps: the households of an area with a gap in one indicator. */
export const coverageGapQuery = pageQuery.extend({
  areaCode: areaCode.optional(),
  asOf: asOf.optional(),
  indicator: z.enum(INDICATOR_IDS, { error: '未知的应享尽享指标 · unknown coverage indicator' }),
});
export type CoverageGapQuery = z.input<typeof coverageGapQuery>;

/** GET /api/assistance/coverage/households/:id */
export const householdCoverageQuery = z.object({ asOf: asOf.optional() });

/** One indicator's figures over a set of households. */
export const coverageFigureSchema = z.object({
  indicator: z.enum(INDICATOR_IDS),
  /** Persons (person indicators) or households (household indicators) that should receive it. */
  should: z.number().int(),
  /** Of those, how many do. */
  receives: z.number().int(),
  /** receives ÷ should (0–1); null when nobody should receive it. */
  rate: z.number().nullable(),
  /** Households with at least one person (or the household itself) without it. */
  gapHouseholds: z.number().int(),
});
export type CoverageFigureDto = z.infer<typeof coverageFigureSchema>;

/** The coverage of one area: its assisted households and one figure per indicator. */
export const coverageAreaSchema = z.object({
  /** 12-digit code; null: the whole country. */
  areaCode: z.string().nullable(),
  name: z.string(),
  level: z.string(),
  /** Assisted households (建档立卡贫困户, 监测户, 相对贫困户; current) counted. */
  households: z.number().int(),
  indicators: z.array(coverageFigureSchema),
});
export type CoverageAreaDto = z.infer<typeof coverageAreaSchema>;

export const coverageSummarySchema = coverageAreaSchema.extend({
  /** "湖南省 长沙市 浏阳市"; '' for the country. */
  fullName: z.string(),
  /** The areas above, province first (for the breadcrumb; the page offers those inside the user's scope). */
  ancestors: z.array(z.object({ code: z.string(), name: z.string(), level: z.string() })),
  asOf: z.string(),
  /** The child areas (townships of a county, villages of a township …), each with its figures. */
  children: z.array(coverageAreaSchema),
  /** True when the figures are a helper's own households only. */
  ownHouseholdsOnly: z.boolean(),
});
export type CoverageSummaryDto = z.infer<typeof coverageSummarySchema>;

/** A household with a gap in one indicator. */
export const coverageGapSchema = z.object({
  householdId: z.string(),
  householdNo: z.string(),
  headName: z.string(),
  villageCode: z.string(),
  villageName: z.string(),
  townshipName: z.string(),
  householdType: z.string(),
  should: z.number().int(),
  receives: z.number().int(),
  /** The members without it (person indicators); empty for household indicators. */
  missing: z.array(z.object({ memberId: z.string(), name: z.string() })),
});
export type CoverageGapDto = z.infer<typeof coverageGapSchema>;
export const coverageGapPageSchema = pageOf(coverageGapSchema);

/** One household's coverage, indicator by indicator, with the members missing each. */
export const householdCoverageSchema = z.object({
  householdId: z.string(),
  asOf: z.string(),
  /** Whether the household is an assisted one (a 脱贫户 or 一般农户 is shown but not counted in the area figures). */
  assisted: z.boolean(),
  indicators: z.array(
    z.object({
      indicator: z.enum(INDICATOR_IDS),
      should: z.number().int(),
      receives: z.number().int(),
      missing: z.array(z.object({ memberId: z.string(), name: z.string() })),
    }),
  ),
});
export type HouseholdCoverageDto = z.infer<typeof householdCoverageSchema>;
