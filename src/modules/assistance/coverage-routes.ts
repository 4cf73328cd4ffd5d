import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../platform/http.ts';
import { findCoverageGaps, getCoverage, getHouseholdCoverage } from './coverage.ts';
import { coverageGapPageSchema, coverageGapQuery, coverageQuery, coverageSummarySchema, householdCoverageQuery, householdCoverageSchema } from './coverage-contract.ts';
import { ASSISTANCE } from './permissions.ts';

const householdParams = z.object({ id: z.uuid('农户 ID 格式不正确 · malformed household id') });

/** Routes of policy coverage (应享尽享), under /api/assistance/coverage. */
export function coverageRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['assistance'];
  const read = { action: ASSISTANCE['assistance.read'] };

  r.get(
    '/assistance/coverage',
    {
      config: read,
      schema: {
        tags,
        summary: '应享尽享：区域的应享 / 已享人数（户数）及下级区域 · Policy coverage of an area per indicator, with its child areas',
        querystring: coverageQuery,
        response: { 200: coverageSummarySchema },
      },
    },
    async (req) => getCoverage(ctx.db, req.actor!, req.query),
  );

  r.get(
    '/assistance/coverage/gaps',
    {
      config: read,
      schema: {
        tags,
        summary: '应享未享的农户（按指标）· Households with a coverage gap in one indicator, and the members missing it',
        querystring: coverageGapQuery,
        response: { 200: coverageGapPageSchema },
      },
    },
    async (req) => findCoverageGaps(ctx.db, req.actor!, req.query),
  );

  r.get(
    '/assistance/coverage/households/:id',
    {
      config: read,
      schema: {
        tags,
        summary: '一户的应享尽享情况 · One household’s policy coverage, indicator by indicator',
        params: householdParams,
        querystring: householdCoverageQuery,
        response: { 200: householdCoverageSchema },
      },
    },
    async (req) => getHouseholdCoverage(ctx.db, req.actor!, req.params.id, req.query),
  );
}
