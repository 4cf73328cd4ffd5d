import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../platform/http.ts';
import { pageOf } from '../../shared/paging.ts';
import {
  areaEventCountsSchema,
  eventCountsQuery,
  eventListQuery,
  householdEventBody,
  householdEventSchema,
  indicatorListQuery,
  indicatorParams,
  openRoundBody,
  recordEventResultSchema,
  roundListQuery,
  roundProgressSchema,
  roundSchema,
  villageApplyBody,
  villageDesignateBody,
  villageIdentificationSchema,
  villageIndicatorsBody,
  villageIndicatorsReadSchema,
  villageIndicatorsSchema,
  villageListQuery,
  villageRejectBody,
  villageStepBody,
} from './adjustment-contract.ts';
import * as a from './adjustment.ts';
import { IDENTIFICATION } from './permissions.ts';
import * as v from './villages.ts';

const idParams = z.object({ id: z.uuid('ID 格式不正确 · malformed id') });

/** Routes of the yearly adjustment round (动态调整) and poor-village identification (贫困村识别), under /api/identification. */
export function adjustmentRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['identification'];
  const read = { action: IDENTIFICATION['identification.read'] };
  const round = { action: IDENTIFICATION['identification.round'] };
  const adjust = { action: IDENTIFICATION['identification.adjust'] };
  const villageApply = { action: IDENTIFICATION['identification.village-apply'] };
  const villageReview = { action: IDENTIFICATION['identification.village-review'] };
  const villageApprove = { action: IDENTIFICATION['identification.village-approve'] };

  // --- The yearly round -----------------------------------------------------------------------

  r.get(
    '/identification/adjustment-rounds',
    { config: read, schema: { tags, summary: '动态调整轮次 · Adjustment rounds (of the counties in scope, or the own county)', querystring: roundListQuery, response: { 200: z.object({ items: z.array(roundSchema) }) } } },
    async (req) => ({ items: await a.findAdjustmentRounds(ctx.db, req.actor!, req.query) }),
  );

  r.post(
    '/identification/adjustment-rounds',
    { config: round, schema: { tags, summary: '县开启年度动态调整 · A county opens the year’s adjustment round', body: openRoundBody, response: { 201: roundSchema } } },
    async (req, reply) => reply.status(201).send(await a.openAdjustmentRound(ctx.db, req.actor!, req.body)),
  );

  r.get(
    '/identification/adjustment-rounds/:id',
    { config: read, schema: { tags, summary: '动态调整进度（按村）· A round with its progress per village', params: idParams, response: { 200: roundProgressSchema } } },
    async (req) => a.getRoundProgress(ctx.db, req.actor!, req.params.id),
  );

  r.post(
    '/identification/adjustment-rounds/:id/close',
    { config: round, schema: { tags, summary: '结束动态调整 · Close a round', params: idParams, response: { 200: roundSchema } } },
    async (req) => a.closeAdjustmentRound(ctx.db, req.actor!, req.params.id),
  );

  // --- Household events -----------------------------------------------------------------------

  r.get(
    '/identification/household-events',
    { config: read, schema: { tags, summary: '动态调整事项（某户或某区域）· Events of a household, or of an area, paged', querystring: eventListQuery, response: { 200: pageOf(householdEventSchema) } } },
    async (req) => a.findHouseholdEvents(ctx.db, req.actor!, req.query),
  );

  r.post(
    '/identification/household-events',
    {
      config: adjust,
      schema: {
        tags,
        summary: '登记动态调整事项（与户籍变更同一事务）· Record an event with its registry change: members in and out, split, merge, 清退, 返贫',
        body: householdEventBody,
        response: { 201: recordEventResultSchema },
      },
    },
    async (req, reply) => reply.status(201).send(await a.recordEvent(ctx.db, req.actor!, req.body)),
  );

  r.get(
    '/identification/household-events/counts',
    { config: read, schema: { tags, summary: '动态调整事项统计（按下级区划）· Counts of each kind per child area and year', querystring: eventCountsQuery, response: { 200: areaEventCountsSchema } } },
    async (req) => a.getEventCounts(ctx.db, req.actor!, req.query),
  );

  // --- Village indicators -----------------------------------------------------------------------

  r.get(
    '/identification/village-indicators',
    { config: read, schema: { tags, summary: '村级指标列表 · Village indicators of a year in scope', querystring: indicatorListQuery, response: { 200: z.object({ items: z.array(villageIndicatorsSchema) }) } } },
    async (req) => ({ items: await v.findVillageIndicators(ctx.db, req.actor!, req.query) }),
  );

  r.get(
    '/identification/village-indicators/:areaCode/:year',
    { config: read, schema: { tags, summary: '某村某年指标（含户籍数据预填）· A village’s indicators of a year, with the registry’s figures to prefill', params: indicatorParams, response: { 200: villageIndicatorsReadSchema } } },
    async (req) => v.getVillageIndicators(ctx.db, req.actor!, req.params.areaCode, req.params.year),
  );

  r.put(
    '/identification/village-indicators/:areaCode/:year',
    { config: villageApply, schema: { tags, summary: '填报村级指标 · Record a village’s indicators of a year', params: indicatorParams, body: villageIndicatorsBody, response: { 200: villageIndicatorsSchema } } },
    async (req) => v.upsertVillageIndicators(ctx.db, req.actor!, req.params.areaCode, req.params.year, req.body),
  );

  // --- Village identification -------------------------------------------------------------------

  r.get(
    '/identification/village-identifications',
    { config: read, schema: { tags, summary: '贫困村识别列表 · Poor-village identifications in scope', querystring: villageListQuery, response: { 200: z.object({ items: z.array(villageIdentificationSchema) }) } } },
    async (req) => ({ items: await v.findVillageIdentifications(ctx.db, req.actor!, req.query) }),
  );

  r.post(
    '/identification/village-identifications',
    { config: villageApply, schema: { tags, summary: '村申请贫困村识别 · A village applies to be identified as poor', body: villageApplyBody, response: { 201: villageIdentificationSchema } } },
    async (req, reply) => reply.status(201).send(await v.applyVillageIdentification(ctx.db, req.actor!, req.body)),
  );

  r.get(
    '/identification/village-identifications/:id',
    { config: read, schema: { tags, summary: '贫困村识别详情（步骤与一高一低参考）· One identification with its steps and advice', params: idParams, response: { 200: villageIdentificationSchema } } },
    async (req) => v.getVillageIdentification(ctx.db, req.actor!, req.params.id),
  );

  r.post(
    '/identification/village-identifications/:id/township-review',
    { config: villageReview, schema: { tags, summary: '乡镇初审 · Township review', params: idParams, body: villageStepBody, response: { 200: villageIdentificationSchema } } },
    async (req) => v.reviewVillageTownship(ctx.db, req.actor!, req.params.id, req.body),
  );

  r.post(
    '/identification/village-identifications/:id/designation',
    { config: villageApprove, schema: { tags, summary: '县审核认定贫困村 · County designation', params: idParams, body: villageDesignateBody, response: { 200: villageIdentificationSchema } } },
    async (req) => v.designateVillage(ctx.db, req.actor!, req.params.id, req.body),
  );

  r.post(
    '/identification/village-identifications/:id/rejection',
    { config: villageReview, schema: { tags, summary: '不予认定（乡镇或县审核）· Reject, with the reason, at either review', params: idParams, body: villageRejectBody, response: { 200: villageIdentificationSchema } } },
    async (req) => v.rejectVillage(ctx.db, req.actor!, req.params.id, req.body),
  );
}
