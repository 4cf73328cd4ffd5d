import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { pageOf } from '../../shared/paging.ts';
import type { AppContext } from '../../platform/http.ts';
import { batchSchema } from './contract.ts';
import { IDENTIFICATION } from './permissions.ts';
import { createRelativePovertyBatch, findRelativePovertyCandidates, getRelativePovertyStandard, setRelativePovertyStandard } from './relative.ts';
import { drawSample, findSamples, getSample, recordFinding } from './sampling.ts';
import {
  candidatePageSchema,
  candidateQuery,
  drawSampleBody,
  recordFindingBody,
  relativeBatchBody,
  relativeStandardBody,
  sampleDetailSchema,
  sampleHouseholdQuery,
  sampleHouseholdSchema,
  sampleListQuery,
  sampleSchema,
  standardQuery,
  standardViewSchema,
} from './sampling-rules.ts';

const sampleParams = z.object({ id: z.uuid('抽样 ID 格式不正确 · malformed sample id') });
const findingParams = sampleParams.extend({ householdId: z.uuid('农户 ID 格式不正确 · malformed household id') });

/** Routes of verification sampling (抽样复核) and relative-poverty standards (相对贫困), under /api/identification. */
export function samplingRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['identification'];
  const read = { action: IDENTIFICATION['identification.read'] };
  const sample = { action: IDENTIFICATION['identification.sample'] };

  r.get(
    '/identification/samples',
    { config: read, schema: { tags, summary: '抽样复核列表 · Verification samples (with 错评率 / 漏评率)', querystring: sampleListQuery, response: { 200: pageOf(sampleSchema) } } },
    async (req) => findSamples(ctx.db, req.actor!, req.query),
  );

  r.post(
    '/identification/samples',
    {
      config: sample,
      schema: { tags, summary: '抽取复核样本（按随机种子可复现）· Draw a verification sample (reproducible from its seed)', body: drawSampleBody, response: { 201: sampleSchema } },
    },
    async (req, reply) => reply.status(201).send(await drawSample(ctx.db, req.actor!, req.body)),
  );

  r.get(
    '/identification/samples/:id',
    {
      config: read,
      schema: { tags, summary: '样本户与错评率、漏评率（95% 置信区间）· A sample: its households and rates with 95 % intervals', params: sampleParams, querystring: sampleHouseholdQuery, response: { 200: sampleDetailSchema } },
    },
    async (req) => getSample(ctx.db, req.actor!, req.params.id, req.query),
  );

  r.put(
    '/identification/samples/:id/households/:householdId',
    {
      config: sample,
      schema: { tags, summary: '登记核查结论 · Record a verification visit’s finding', params: findingParams, body: recordFindingBody, response: { 200: sampleHouseholdSchema } },
    },
    async (req) => recordFinding(ctx.db, req.actor!, req.params.id, req.params.householdId, req.body),
  );

  r.get(
    '/identification/relative-poverty/standards',
    { config: read, schema: { tags, summary: '相对贫困标准 · The relative-poverty standard of an area and year', querystring: standardQuery, response: { 200: standardViewSchema } } },
    async (req) => getRelativePovertyStandard(ctx.db, req.actor!, req.query.areaCode, req.query.year),
  );

  r.put(
    '/identification/relative-poverty/standards',
    {
      config: { action: IDENTIFICATION['identification.standards'] },
      schema: { tags, summary: '设定相对贫困标准 · Set the relative-poverty standard (absolute line or share of the median)', body: relativeStandardBody, response: { 200: standardViewSchema } },
    },
    async (req) => setRelativePovertyStandard(ctx.db, req.actor!, req.body),
  );

  r.get(
    '/identification/relative-poverty/candidates',
    { config: read, schema: { tags, summary: '相对贫困候选户 · Households below the relative-poverty line', querystring: candidateQuery, response: { 200: candidatePageSchema } } },
    async (req) => findRelativePovertyCandidates(ctx.db, req.actor!, req.query),
  );

  r.post(
    '/identification/relative-poverty/batches',
    {
      config: { action: IDENTIFICATION['identification.apply'] },
      schema: { tags, summary: '提交相对贫困识别批次（一个村）· Submit a village’s relative-poverty candidates as a batch', body: relativeBatchBody, response: { 201: batchSchema } },
    },
    async (req, reply) => reply.status(201).send(await createRelativePovertyBatch(ctx.db, req.actor!, req.body)),
  );
}
