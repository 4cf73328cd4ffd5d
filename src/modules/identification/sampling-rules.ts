/**
 * Verification sampling (校准复核 / 回头看) and relative poverty (相对贫困), pure: the seeded draw, the
 * sample sizes and minimum rates, the 错评率 / 漏评率 with their Wilson score intervals, the effective
 * relative-poverty line, and the API shapes (zod) that the routes, pages and tests share.
 *
 * Sources: REFERENCE.md §2.1 (audit sampling: the township checks at least 20 % of households, the
 * county at least 10 %; Guangdong's relative-poverty line of 4000 yuan per person per year at 2014
 * prices), §3.1 (漏评率 = verified missed ÷ sampled non-registered; 错退率 likewise).
 */
import { mulberry32 } from '../../shared/random.ts';
import { z } from 'zod';
import { pageQuery } from '../../shared/paging.ts';

// ---------------------------------------------------------------------------------------------
// The seeded draw

/** The seeded PRNG of the draw (mulberry32, src/shared/random.ts): same seed, same sequence. */
export const seededRandom = mulberry32;

/**
 * Draws `size` items of `frame` without replacement: a partial Fisher–Yates shuffle driven by
 * `seededRandom(seed)`. The same frame (same order) and seed always give the same sample, in the
 * same order (the draw's positions).
 * @param frame the sampling frame in a stable order (households by 户编号)
 * @param size how many to draw (at most the frame's length)
 */
export function drawFrom<T>(frame: readonly T[], size: number, seed: number): T[] {
  const a = [...frame];
  const n = Math.min(Math.max(0, Math.floor(size)), a.length);
  const rnd = seededRandom(seed);
  for (let i = 0; i < n; i++) {
    const j = i + Math.floor(rnd() * (a.length - i));
    const t = a[i]!;
    a[i] = a[j]!;
    a[j] = t;
  }
  return a.slice(0, n);
}

/** The seed of a stratum: the poor stratum uses the sample's seed, the non-poor one a fixed mix of it (independent draws). */
export function stratumSeed(seed: number, stratum: Stratum): number {
  return stratum === 'poor' ? seed >>> 0 : (Math.imul((seed ^ 0x9e3779b9) >>> 0, 0x85ebca6b) ^ 0x5bd1e995) >>> 0;
}

/**
 * Sample size = ceil(rate × population), computed in basis points so that 7 % of 100 is 7, not 8
 * (0.07 × 100 is 7.000000000000001 in floating point).
 * @param rate share of the stratum, 0–1 (4 decimals are kept, as stored)
 * @param population households in the stratum
 */
export function sampleSize(rate: number, population: number): number {
  const bp = Math.round(rate * 10_000);
  return Math.min(population, Math.ceil((bp * population) / 10_000));
}

// ---------------------------------------------------------------------------------------------
// Strata, findings, minimum rates

export const STRATA = ['poor', 'nonPoor'] as const;
export type Stratum = (typeof STRATA)[number];
export const FINDINGS = ['correct', 'shouldExclude', 'missing'] as const;
export type Finding = (typeof FINDINGS)[number];

/**
 * The poor stratum: active households identified as poor and not out of poverty — household type
 * 建档立卡贫困户 `registeredPoor` or 相对贫困户 `relativePoor`, status 未脱贫 / 预脱贫 / 返贫. The visit
 * checks whether they should be there (错评).
 */
export const POOR_STRATUM = { householdTypes: ['registeredPoor', 'relativePoor'], statuses: ['notExited', 'preExit', 'returned'] } as const;
/**
 * The non-poor stratum: active households never registered as poor — 一般农户 `ordinary`, 边缘户
 * `marginal`, 监测户 `monitored`. The visit checks whether a poor household was missed (漏评).
 * Exited households (脱贫户, or registered poor with status 已脱贫) are in neither stratum: whether they
 * exited rightly is the 错退 check of the exit procedure.
 */
export const NON_POOR_STRATUM = { householdTypes: ['ordinary', 'marginal', 'monitored'] } as const;

/** Which stratum a household belongs to, or null (not sampled here). */
export function stratumOf(householdType: string, status: string): Stratum | null {
  if ((POOR_STRATUM.householdTypes as readonly string[]).includes(householdType)) {
    return (POOR_STRATUM.statuses as readonly string[]).includes(status) ? 'poor' : null;
  }
  return (NON_POOR_STRATUM.householdTypes as readonly string[]).includes(householdType) ? 'nonPoor' : null;
}

/** Levels a sample may be drawn for, and the least share of the poor stratum each must check (REFERENCE §2.1). */
export const MIN_POOR_RATE = { township: 0.2, county: 0.1 } as const;
export type SampleLevel = keyof typeof MIN_POOR_RATE;
/** Default share of the non-poor stratum (no policy minimum was found; 5 % keeps visits affordable). */
export const DEFAULT_NON_POOR_RATE = 0.05;

/**
 * Whether a finding fits the stratum: 'shouldExclude' (错评) is found on a poor household, 'missing'
 * (漏评) on a non-poor one, 'correct' on either.
 */
export function findingFits(stratum: Stratum, finding: Finding): boolean {
  return finding === 'correct' || (finding === 'shouldExclude' ? stratum === 'poor' : stratum === 'nonPoor');
}

// ---------------------------------------------------------------------------------------------
// Rates and intervals

/** z for a two-sided 95 % interval (the 97.5th percentile of the standard normal). */
export const Z95 = 1.959963984540054;

/**
 * The Wilson score interval of a proportion k ÷ n:
 * centre = (p + z²/2n) ÷ (1 + z²/n), half-width = z ÷ (1 + z²/n) × √(p(1−p)/n + z²/4n²).
 * Unlike p ± z√(p(1−p)/n) it stays inside [0, 1] and is not empty at k = 0.
 * @returns null when n = 0
 */
export function wilsonInterval(k: number, n: number, z = Z95): { lower: number; upper: number } | null {
  if (n <= 0) return null;
  const p = k / n;
  const z2 = z * z;
  const d = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / d;
  const half = (z / d) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return { lower: Math.max(0, centre - half), upper: Math.min(1, centre + half) };
}

/** One rate with its 95 % Wilson interval; rate and bounds are shares (0.075 = 7.50 %), null until a household is visited. */
export interface Rate {
  /** Households found wrong (shouldExclude or missing). */
  found: number;
  /** Households of the stratum visited (a finding recorded). */
  visited: number;
  /** Households of the stratum in the sample. */
  drawn: number;
  rate: number | null;
  lower: number | null;
  upper: number | null;
}

export function rateOf(found: number, visited: number, drawn: number): Rate {
  const ci = wilsonInterval(found, visited);
  return { found, visited, drawn, rate: visited > 0 ? found / visited : null, lower: ci?.lower ?? null, upper: ci?.upper ?? null };
}

/**
 * 错评率 (wrong-inclusion rate) = households found 'shouldExclude' ÷ visited households of the poor
 * stratum; 漏评率 (wrong-exclusion rate) = households found 'missing' ÷ visited households of the
 * non-poor stratum (REFERENCE §3.1 defines 漏评率 the same way over sampled non-registered people).
 * @param rows one per sampled household: its stratum and finding (null = not visited yet)
 */
export function computeRates(rows: readonly { stratum: Stratum; finding: Finding | null }[]): { wrongInclusion: Rate; wrongExclusion: Rate } {
  const c = { poor: { drawn: 0, visited: 0, found: 0 }, nonPoor: { drawn: 0, visited: 0, found: 0 } };
  for (const r of rows) {
    const s = c[r.stratum];
    s.drawn++;
    if (r.finding === null) continue;
    s.visited++;
    if ((r.stratum === 'poor' && r.finding === 'shouldExclude') || (r.stratum === 'nonPoor' && r.finding === 'missing')) s.found++;
  }
  return { wrongInclusion: rateOf(c.poor.found, c.poor.visited, c.poor.drawn), wrongExclusion: rateOf(c.nonPoor.found, c.nonPoor.visited, c.nonPoor.drawn) };
}

/** A share as a percentage with two decimals: 0.075 → '7.50%'; '—' for null. */
export function formatPercent(share: number | null | undefined): string {
  return share === null || share === undefined ? '—' : `${(share * 100).toFixed(2)}%`;
}

// ---------------------------------------------------------------------------------------------
// Relative poverty

export const RELATIVE_METHODS = ['absolute', 'medianShare'] as const;
export type RelativeMethod = (typeof RELATIVE_METHODS)[number];

/**
 * The line a standard sets, yuan per person per year: its own line ('absolute'), or share × the
 * median per-capita net income of its area's households for the year ('medianShare'), to the fen.
 * @returns null for 'medianShare' when no household of the area has an income record that year
 */
export function effectiveLine(std: { method: RelativeMethod; line: number | null; share: number | null }, median: number | null): number | null {
  if (std.method === 'absolute') return std.line;
  if (median === null || std.share === null) return null;
  return Math.round(std.share * median * 100) / 100;
}

// ---------------------------------------------------------------------------------------------
// API shapes (shared by sampling-routes.ts, the pages and the tests)

const areaCode = z.string().regex(/^\d{12}$/, '应为 12 位区划代码 · a 12-digit area code');
const year = z.coerce.number().int().min(2013, '年度应在 2013–2100 之间 · a year in 2013–2100').max(2100, '年度应在 2013–2100 之间 · a year in 2013–2100');
const share = (zh: string, en: string) => z.number().min(0, `${zh}应在 0–1 之间 · ${en} between 0 and 1`).max(1, `${zh}应在 0–1 之间 · ${en} between 0 and 1`);
const ymd = z.iso.date({ error: '日期格式应为 YYYY-MM-DD · a date as YYYY-MM-DD' });

/** POST /api/identification/samples. Rates are shares (0.2 = 20 %); the seed is chosen and stored when absent. */
export const drawSampleBody = z.object({
  /** A township or a county (12-digit code). */
  areaCode,
  year: z.number().int().min(2013).max(2100),
  seed: z.number().int().min(0, '随机种子应为 0–2147483647 的整数 · a seed in 0–2147483647').max(2_147_483_647, '随机种子应为 0–2147483647 的整数 · a seed in 0–2147483647').optional(),
  /** Share of the poor stratum; default and least: 20 % (township), 10 % (county). */
  poorRate: share('贫困户抽样比例', 'the poor-stratum rate').optional(),
  /** Share of the non-poor stratum; default 5 %. */
  nonPoorRate: share('非贫困户抽样比例', 'the non-poor-stratum rate').optional(),
  note: z.string().trim().max(500).optional(),
});
export type DrawSampleInput = z.input<typeof drawSampleBody>;

export const sampleListQuery = pageQuery.extend({ areaCode: areaCode.optional(), year: year.optional() });

export const rateSchema = z.object({ found: z.number().int(), visited: z.number().int(), drawn: z.number().int(), rate: z.number().nullable(), lower: z.number().nullable(), upper: z.number().nullable() });
export type RateDto = z.infer<typeof rateSchema>;

export const sampleSchema = z.object({
  id: z.string(),
  areaCode: z.string(),
  areaName: z.string(),
  year: z.number().int(),
  seed: z.number().int(),
  poorRate: z.number(),
  nonPoorRate: z.number(),
  poorPopulation: z.number().int(),
  nonPoorPopulation: z.number().int(),
  note: z.string().nullable(),
  drawnAt: z.string(),
  /** 错评率 over the poor stratum, 漏评率 over the non-poor stratum. */
  wrongInclusion: rateSchema,
  wrongExclusion: rateSchema,
});
export type SampleDto = z.infer<typeof sampleSchema>;

export const sampleHouseholdQuery = pageQuery.extend({ stratum: z.enum(STRATA).optional(), visited: z.stringbool().optional() });

export const sampleHouseholdSchema = z.object({
  householdId: z.string(),
  householdNo: z.string(),
  headName: z.string(),
  areaCode: z.string(),
  villageName: z.string(),
  groupName: z.string().nullable(),
  householdType: z.string(),
  status: z.string(),
  memberCount: z.number().int(),
  /** Masked (138****5678). */
  phone: z.string().nullable(),
  stratum: z.enum(STRATA),
  position: z.number().int(),
  finding: z.enum(FINDINGS).nullable(),
  visitedOn: z.string().nullable(),
  visitor: z.string().nullable(),
  note: z.string().nullable(),
});
export type SampleHouseholdDto = z.infer<typeof sampleHouseholdSchema>;

export const sampleDetailSchema = z.object({
  sample: sampleSchema,
  households: z.object({ items: z.array(sampleHouseholdSchema), total: z.number().int(), page: z.number().int(), pageSize: z.number().int() }),
});
export type SampleDetailDto = z.infer<typeof sampleDetailSchema>;

/** PUT /api/identification/samples/{id}/households/{householdId}: a verification visit's finding. */
export const recordFindingBody = z.object({
  finding: z.enum(FINDINGS, { error: '核查结论应为 correct / shouldExclude / missing · correct, shouldExclude or missing' }),
  visitedOn: ymd,
  visitor: z.string().trim().min(1, '请填写核查人 · the visitor is required').max(50),
  note: z.string().trim().max(500).nullish(),
});
export type RecordFindingInput = z.input<typeof recordFindingBody>;

/** PUT /api/identification/relative-poverty/standards. */
export const relativeStandardBody = z
  .object({
    areaCode,
    year: z.number().int().min(2013).max(2100),
    method: z.enum(RELATIVE_METHODS),
    /** 'absolute': yuan per person per year. */
    line: z.number().positive('标准线应大于 0 · the line must be above 0').max(1_000_000).nullish(),
    /** 'medianShare': share of the median, e.g. 0.4. */
    share: z.number().gt(0, '比例应在 0–1 之间 · a share above 0 and at most 1').max(1, '比例应在 0–1 之间 · a share above 0 and at most 1').nullish(),
    note: z.string().trim().max(500).nullish(),
  })
  .superRefine((v, ctx) => {
    if (v.method === 'absolute' && (v.line === null || v.line === undefined)) ctx.addIssue({ code: 'custom', path: ['line'], message: '按绝对标准须填写标准线（元/人·年）· the line (yuan per person per year) is required' });
    if (v.method === 'medianShare' && (v.share === null || v.share === undefined)) ctx.addIssue({ code: 'custom', path: ['share'], message: '按中位数比例须填写比例 · the share of the median is required' });
  });
export type RelativeStandardInput = z.input<typeof relativeStandardBody>;

export const standardQuery = z.object({ areaCode, year });

export const standardSchema = z.object({
  areaCode: z.string(),
  areaName: z.string(),
  year: z.number().int(),
  method: z.enum(RELATIVE_METHODS),
  line: z.number().nullable(),
  share: z.number().nullable(),
  note: z.string().nullable(),
  /** Median per-capita net income of the area's households with an income record that year (yuan per person per year). */
  median: z.number().nullable(),
  /** Households the median is taken over. */
  householdsWithIncome: z.number().int(),
  /** The line that applies (yuan per person per year); null when a median-based standard has no incomes to work on. */
  effectiveLine: z.number().nullable(),
});
export type StandardDto = z.infer<typeof standardSchema>;

export const standardViewSchema = z.object({
  /** The area's own standard for the year, if set. */
  own: standardSchema.nullable(),
  /** The standard that applies to the area: its own or that of the nearest enclosing area. */
  effective: standardSchema.nullable(),
});
export type StandardViewDto = z.infer<typeof standardViewSchema>;

export const candidateQuery = pageQuery.extend({ areaCode, year });

export const candidateSchema = z.object({
  householdId: z.string(),
  householdNo: z.string(),
  headName: z.string(),
  areaCode: z.string(),
  villageName: z.string(),
  groupName: z.string().nullable(),
  householdType: z.string(),
  status: z.string(),
  memberCount: z.number().int(),
  /** Masked. */
  phone: z.string().nullable(),
  /** Yuan per person per year, of the year asked. */
  perCapitaNetIncome: z.number(),
  /** The line applied to this household and the area whose standard it is. */
  line: z.number(),
  standardAreaCode: z.string(),
});
export type CandidateDto = z.infer<typeof candidateSchema>;

export const candidatePageSchema = z.object({
  /** The standards that apply within the area, most specific first (a township's own standard beats its county's). */
  standards: z.array(standardSchema),
  items: z.array(candidateSchema),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});
export type CandidatePageDto = z.infer<typeof candidatePageSchema>;

/** POST /api/identification/relative-poverty/batches: one village's selected candidates enter the procedure. */
export const relativeBatchBody = z.object({
  areaCode,
  /** The income year (收入年度) of the standard and of the incomes; the batch itself gets the identification year (this year). */
  year: z.number().int().min(2013).max(2100),
  title: z.string().trim().max(100).optional(),
  appliedOn: ymd,
  householdIds: z.array(z.uuid()).min(1, '至少选择一户 · select at least one household').max(500, '一批至多 500 户 · at most 500 households in a batch'),
});
export type RelativeBatchInput = z.input<typeof relativeBatchBody>;
