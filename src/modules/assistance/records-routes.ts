import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../platform/http.ts';
import { ASSISTANCE } from './permissions.ts';
import {
  correctMeasureBody,
  createMeasureBody,
  createNeedBody,
  householdAssistanceSchema,
  measureListQuery,
  measurePageSchema,
  measureSchema,
  needSchema,
  planBody,
  planSchema,
  updateNeedBody,
} from './records-contract.ts';
import { correctMeasure, createMeasure, createNeed, deleteMeasure, deleteNeed, findMeasures, getHouseholdAssistance, savePlan, updateNeed } from './records.ts';

const idParams = z.object({ id: z.uuid() });

/**
 * Routes of a household's assistance records: the household's assistance summary, needs (脱贫需求清单),
 * yearly plans (脱贫计划) and measures (帮扶措施), with the measures of an area.
 */
export function recordsRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['assistance'];
  const read = { action: ASSISTANCE['assistance.read'] };
  const record = { action: ASSISTANCE['assistance.record'] };

  r.get(
    '/assistance/households/:id',
    {
      config: read,
      schema: {
        tags,
        summary: '农户帮扶档案（责任人及变更、需求、计划、措施、走访、应享尽享）· A household’s assistance record: helper and history, needs, plans, measures, visits, coverage (read audited)',
        params: idParams,
        response: { 200: householdAssistanceSchema },
      },
    },
    async (req) => getHouseholdAssistance(ctx.db, req.actor!, req.params.id),
  );

  r.post(
    '/assistance/needs',
    { config: record, schema: { tags, summary: '登记脱贫需求 · Add a need to a household’s needs list', body: createNeedBody, response: { 201: needSchema } } },
    async (req, reply) => reply.status(201).send(await createNeed(ctx.db, req.actor!, req.body)),
  );
  r.patch(
    '/assistance/needs/:id',
    { config: record, schema: { tags, summary: '修改需求或推进状态（待落实 → 落实中 → 已满足）· Edit a need or move its status forward', params: idParams, body: updateNeedBody, response: { 200: needSchema } } },
    async (req) => updateNeed(ctx.db, req.actor!, req.params.id, req.body),
  );
  r.delete(
    '/assistance/needs/:id',
    { config: record, schema: { tags, summary: '删除待落实的需求 · Delete a need while it is open', params: idParams } },
    async (req, reply) => {
      await deleteNeed(ctx.db, req.actor!, req.params.id);
      return reply.status(204).send();
    },
  );

  r.put(
    '/assistance/plans',
    { config: record, schema: { tags, summary: '保存农户年度脱贫计划 · Create or replace a household’s plan for a year', body: planBody, response: { 200: planSchema } } },
    async (req) => savePlan(ctx.db, req.actor!, req.body),
  );

  r.get(
    '/assistance/measures',
    { config: read, schema: { tags, summary: '帮扶措施列表（含金额合计）· Measures of an area with the total amount in yuan', querystring: measureListQuery, response: { 200: measurePageSchema } } },
    async (req) => findMeasures(ctx.db, req.actor!, req.query),
  );
  r.post(
    '/assistance/measures',
    { config: record, schema: { tags, summary: '记录帮扶措施 · Record a measure delivered to a household', body: createMeasureBody, response: { 201: measureSchema } } },
    async (req, reply) => reply.status(201).send(await createMeasure(ctx.db, req.actor!, req.body)),
  );
  r.put(
    '/assistance/measures/:id',
    { config: record, schema: { tags, summary: '更正帮扶措施（记录人或干部）· Correct a measure (its recorder or an officer)', params: idParams, body: correctMeasureBody, response: { 200: measureSchema } } },
    async (req) => correctMeasure(ctx.db, req.actor!, req.params.id, req.body),
  );
  r.delete(
    '/assistance/measures/:id',
    { config: record, schema: { tags, summary: '删除帮扶措施（记录人或干部）· Delete a measure (its recorder or an officer)', params: idParams } },
    async (req, reply) => {
      await deleteMeasure(ctx.db, req.actor!, req.params.id);
      return reply.status(204).send();
    },
  );
}
