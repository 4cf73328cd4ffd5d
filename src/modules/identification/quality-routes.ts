import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../platform/http.ts';
import { pageOf, pageQuery } from '../../shared/paging.ts';
import { IDENTIFICATION } from './permissions.ts';
import { QUALITY_CHECK_CODES, qualityHouseholdSchema, qualityOverviewSchema } from './quality-rules.ts';
import { findDataQualityCounts, findDataQualityHouseholds } from './quality.ts';

const areaQuery = z.object({
  areaCode: z.string().regex(/^\d{12}$/, '应为 12 位区划代码 · a 12-digit area code').optional(),
});
const checkParams = z.object({
  check: z.enum(QUALITY_CHECK_CODES, { error: `没有这项数据质量检查 · no such data-quality check (${QUALITY_CHECK_CODES.join(', ')})` }),
});

/** Routes of data-quality checks (数据质量), under /api/identification/data-quality. Reads, not audited. */
export function qualityRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['identification'];
  const config = { action: IDENTIFICATION['identification.quality'] };

  r.get(
    '/identification/data-quality',
    {
      config,
      schema: {
        tags,
        summary: '数据质量：区划及下级区划各项检查的问题户数 · Data quality: households failing each check, for an area and its child areas',
        querystring: areaQuery,
        response: { 200: qualityOverviewSchema },
      },
    },
    async (req) => findDataQualityCounts(ctx.db, req.actor!, req.query.areaCode),
  );

  r.get(
    '/identification/data-quality/:check',
    {
      config,
      schema: {
        tags,
        summary: '数据质量：某项检查的问题户（分页，证件号码脱敏）· Data quality: the households failing one check (paged, ID numbers masked)',
        params: checkParams,
        querystring: pageQuery.extend(areaQuery.shape),
        response: { 200: pageOf(qualityHouseholdSchema) },
      },
    },
    async (req) => findDataQualityHouseholds(ctx.db, req.actor!, req.params.check, req.query),
  );
}
