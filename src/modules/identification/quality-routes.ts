import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../platform/http.ts';
import { pageOf, pageQuery } from '../../shared/paging.ts';
import { IDENTIFICATION } from './permissions.ts';
import { QUALITY_CHECK_CODES, qualityHouseholdSchema, qualityOverviewSchema, qualityRunSchema } from './quality-rules.ts';
import { findDataQualityCounts, findDataQualityHouseholds, findDataQualityRuns, queueDataQualityRun } from './quality.ts';

const areaQuery = z.object({
  areaCode: z.string().regex(/^\d{12}$/, '应为 12 位区划代码 · a 12-digit area code').optional(),
});
const checkParams = z.object({
  check: z.enum(QUALITY_CHECK_CODES, { error: `没有这项数据质量检查 · no such data-quality check (${QUALITY_CHECK_CODES.join(', ')})` }),
});

/**
 * Routes of data-quality checks (数据质量), under /api/identification/data-quality: the stored findings
 * (reads) and the runs that refresh them (a job per area). Not audited.
 */
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
    '/identification/data-quality/runs',
    {
      config,
      schema: {
        tags,
        summary: '数据质量：覆盖该区划的最近检查（最新在前）· Data quality: the latest runs covering an area (newest first)',
        querystring: areaQuery,
        response: { 200: z.array(qualityRunSchema) },
      },
    },
    async (req) => findDataQualityRuns(ctx.db, req.actor!, req.query.areaCode),
  );

  r.post(
    '/identification/data-quality/runs',
    {
      config,
      schema: {
        tags,
        summary:
          '数据质量：重新检查一个区划（后台任务；该区划已有排队或进行中的检查时返回那一次）· Data quality: re-check an area (a job; returns the queued or running one of the area if any)',
        body: areaQuery,
        response: { 202: qualityRunSchema },
      },
    },
    async (req, reply) => {
      const { run } = await queueDataQualityRun(ctx.db, req.actor!, req.body.areaCode);
      return reply.status(202).send(run);
    },
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
