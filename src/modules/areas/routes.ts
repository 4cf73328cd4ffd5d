import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { pageOf } from '../../shared/paging.ts';
import { jobSchema } from '../../shared/jobs.ts';
import type { AppContext } from '../../platform/http.ts';
import { enqueueJob } from '../../platform/jobs.ts';
import { toJobDto } from '../../platform/jobs-dto.ts';
import { areaChildSchema, areaCode12, areaDetailSchema, areaSearchItem, areaSearchQuery, designateBody, importAreasBody } from './contract.ts';
import { AREAS } from './permissions.ts';
import { designatePoorVillage, findChildAreas, getArea, searchAreas, undesignatePoorVillage } from './service.ts';
import { authorize } from '../../platform/auth.ts';

const yearQuery = z.object({ year: z.coerce.number().int().min(2000).max(2100).optional() });

/** Routes under /api/areas. */
export function areaRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['areas'];

  r.get(
    '/areas',
    {
      config: { action: AREAS['areas.read'] },
      schema: { tags, summary: '本人管辖范围的顶层区划 · Top areas of my scope', querystring: yearQuery, response: { 200: z.object({ items: z.array(areaChildSchema) }) } },
    },
    async (req) => ({ items: await findChildAreas(ctx.db, req.actor!, null, req.query.year) }),
  );

  r.get(
    '/areas/search',
    {
      config: { action: AREAS['areas.read'] },
      schema: { tags, summary: '按名称或代码查找区划 · Search areas by name or code', querystring: areaSearchQuery, response: { 200: pageOf(areaSearchItem) } },
    },
    async (req) => searchAreas(ctx.db, req.actor!, req.query),
  );

  r.get(
    '/areas/:code',
    {
      config: { action: AREAS['areas.read'] },
      schema: { tags, summary: '区划详情及下级 · An area with its children', params: z.object({ code: areaCode12 }), querystring: yearQuery, response: { 200: areaDetailSchema } },
    },
    async (req) => getArea(ctx.db, req.actor!, req.params.code, req.query.year),
  );

  r.get(
    '/areas/:code/children',
    {
      config: { action: AREAS['areas.read'] },
      schema: { tags, summary: '下级区划 · Child areas', params: z.object({ code: areaCode12 }), querystring: yearQuery, response: { 200: z.object({ items: z.array(areaChildSchema) }) } },
    },
    async (req) => ({ items: await findChildAreas(ctx.db, req.actor!, req.params.code, req.query.year) }),
  );

  r.put(
    '/areas/:code/poor-village/:year',
    {
      config: { action: AREAS['areas.designate'] },
      schema: {
        tags,
        summary: '认定贫困村 · Designate a poor village for a year',
        params: z.object({ code: areaCode12, year: z.coerce.number().int().min(2000).max(2100) }),
        body: designateBody.omit({ year: true }),
      },
    },
    async (req) => designatePoorVillage(ctx.db, req.actor!, req.params.code, { ...req.body, year: req.params.year }),
  );

  r.delete(
    '/areas/:code/poor-village/:year',
    {
      config: { action: AREAS['areas.designate'] },
      schema: { tags, summary: '取消贫困村认定 · Remove a designation', params: z.object({ code: areaCode12, year: z.coerce.number().int().min(2000).max(2100) }) },
    },
    async (req, reply) => {
      await undesignatePoorVillage(ctx.db, req.actor!, req.params.code, req.params.year);
      return reply.status(204).send();
    },
  );

  r.post(
    '/areas/import',
    {
      config: { action: AREAS['areas.import'] },
      schema: { tags, summary: '从国家统计局区划数据导入 · Import divisions from the NBS data (a job)', body: importAreasBody, response: { 202: jobSchema } },
    },
    async (req, reply) => {
      authorize(req.actor!, AREAS['areas.import']);
      const job = await enqueueJob(ctx.db, { type: 'areas.import', payload: { root: req.body.root }, createdBy: req.actor!.id, areaCode: null });
      return reply.status(202).send(toJobDto(job));
    },
  );
}
