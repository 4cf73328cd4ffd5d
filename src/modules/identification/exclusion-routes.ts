import type { FastifyInstance } from 'fastify';
import multipart from '@fastify/multipart';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { pageOf } from '../../shared/paging.ts';
import { AppError, type FieldIssue } from '../../shared/errors.ts';
import { readUploadedForm, type AppContext } from '../../platform/http.ts';
import {
  crossCheckImportResult,
  crossCheckListItem,
  crossCheckListQuery,
  crossCheckUploadFields,
  exclusionSettingsQuery,
  exclusionSettingsSchema,
  justifyHitBody,
  redLineHitItem,
  redLineHitQuery,
  redLineSummary,
  redLineSummaryQuery,
  refreshHitsBody,
  refreshHitsResult,
  saveExclusionSettingsBody,
} from './exclusion-contract.ts';
import {
  CROSS_CHECK_MAX_BYTES,
  findCrossCheckLists,
  findRedLineHits,
  getExclusionSettings,
  importCrossCheckList,
  justifyRedLineHit,
  refreshRedLineHitsInArea,
  saveExclusionSettings,
  summarizeRedLineHits,
} from './exclusion.ts';
import { IDENTIFICATION } from './permissions.ts';

const hitParams = z.object({ id: z.uuid('红线命中 ID 格式不正确 · malformed hit id') });

/**
 * Routes of exclusion rules (红线) and cross-check lists (比对), under /api/identification:
 * /exclusion-rules, /cross-check-lists, /red-line-hits.
 */
export function exclusionRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['identification'];
  const read = { action: IDENTIFICATION['identification.read'] };
  const crossCheck = { action: IDENTIFICATION['identification.cross-check'] };

  r.get(
    '/identification/exclusion-rules',
    {
      config: read,
      schema: { tags, summary: '红线规则及其在某区划的设置 · The exclusion rules and their settings in an area', querystring: exclusionSettingsQuery, response: { 200: exclusionSettingsSchema } },
    },
    async (req) => getExclusionSettings(ctx.db, req.actor!, req.query.areaCode),
  );

  r.put(
    '/identification/exclusion-rules',
    {
      config: crossCheck,
      schema: {
        tags,
        summary: '设置某县（或更大范围）的红线规则 · Set the exclusion rules of a county or wider area',
        body: saveExclusionSettingsBody,
        response: { 200: exclusionSettingsSchema.extend({ refreshed: refreshHitsResult }) },
      },
    },
    async (req) => saveExclusionSettings(ctx.db, req.actor!, req.body),
  );

  r.get(
    '/identification/cross-check-lists',
    {
      config: read,
      schema: { tags, summary: '比对名单 · Cross-check lists of an area (its own and those of the areas containing it)', querystring: crossCheckListQuery, response: { 200: z.object({ items: z.array(crossCheckListItem) }) } },
    },
    async (req) => ({ items: await findCrossCheckLists(ctx.db, req.actor!, req.query) }),
  );

  // Upload: multipart, one file of at most 20 MB, in this route's own scope.
  app.register(async (scope) => {
    await scope.register(multipart, { limits: { files: 1, fileSize: CROSS_CHECK_MAX_BYTES, fields: 10, fieldSize: 1000 }, throwFileSizeLimit: true });
    scope.withTypeProvider<ZodTypeProvider>().post(
      '/identification/cross-check-lists',
      {
        config: crossCheck,
        schema: {
          tags,
          summary: '导入比对名单（车辆、房产、财政供养、工商注册、村干部）· Import a cross-check list',
          description:
            'multipart/form-data: file (.xlsx / .csv, ≤ 20 MB, a 身份证号 column required; 姓名 and detail columns such as 车牌号 / 房屋地址 / 工作单位 / 企业名称 / 职务 recognised), kind (vehicle | property | payroll | business | cadre), name, source (department), areaCode (a county or wider; default your own). A row with a bad ID number refuses the whole file. The previous active list of the same kind and area is replaced; hits are re-evaluated.',
          consumes: ['multipart/form-data'],
          response: { 201: crossCheckImportResult },
        },
      },
      async (req, reply) => {
        const { file, fields } = await readUploadedForm(req, { zh: '文件超过 20 MB：请按乡镇拆分后分批导入', en: 'The file is over 20 MB: split it (e.g. by township) and import the parts' });
        const parsed = crossCheckUploadFields.safeParse(Object.fromEntries(Object.entries(fields).filter(([k, v]) => ['kind', 'name', 'source', 'areaCode'].includes(k) && v !== '')));
        const issues: FieldIssue[] = [];
        if (!parsed.success) {
          for (const i of parsed.error.issues) {
            const custom = i.message.split(' · ');
            const key = String(i.path[0] ?? '');
            issues.push({
              path: i.path.map(String),
              message: custom.length === 2 ? custom[0]! : fields[key] === undefined ? '必填' : `取值无效：${fields[key]}`,
              messageEn: custom.length === 2 ? custom[1]! : fields[key] === undefined ? 'required' : `invalid value: ${fields[key]}`,
            });
          }
        }
        if (!file) issues.push({ path: ['file'], message: '请选择名单文件', messageEn: 'choose the list file' });
        else if (file.content.length === 0) issues.push({ path: ['file'], message: `文件“${file.fileName}”是空的（0 字节）`, messageEn: `the file “${file.fileName}” is empty (0 bytes)` });
        if (issues.length || !parsed.success || !file) {
          throw new AppError('VALIDATION_FAILED', `输入有误：${issues.map((i) => `${i.path.join('.')} ${i.message}`).join('；')}`, `Invalid input: ${issues.map((i) => `${i.path.join('.')} ${i.messageEn}`).join('; ')}`, { issues });
        }
        return reply.code(201).send(await importCrossCheckList(ctx.db, req.actor!, parsed.data, file));
      },
    );
  });

  r.get(
    '/identification/red-line-hits',
    {
      config: read,
      schema: { tags, summary: '红线命中（按村、乡、县）· Red-line hits of an area, ID numbers masked', querystring: redLineHitQuery, response: { 200: pageOf(redLineHitItem) } },
    },
    async (req) => findRedLineHits(ctx.db, req.actor!, req.query),
  );

  r.get(
    '/identification/red-line-hits/summary',
    {
      config: read,
      schema: { tags, summary: '红线命中统计：按规则、按下级区划 · Hit counts by rule and by child area', querystring: redLineSummaryQuery, response: { 200: redLineSummary } },
    },
    async (req) => summarizeRedLineHits(ctx.db, req.actor!, req.query.areaCode),
  );

  r.post(
    '/identification/red-line-hits/refresh',
    {
      config: crossCheck,
      schema: {
        tags,
        summary: '重新比对某区划 · Re-run the exclusion rules over an area (all=true: every active household, 回头看)',
        body: refreshHitsBody,
        response: { 200: refreshHitsResult },
      },
    },
    async (req) => refreshRedLineHitsInArea(ctx.db, req.actor!, req.body),
  );

  r.post(
    '/identification/red-line-hits/:id/justify',
    {
      config: { action: IDENTIFICATION['identification.override'] },
      schema: {
        tags,
        summary: '书面说明红线命中（放行）· Justify a red-line hit in writing (at least 10 characters)',
        params: hitParams,
        body: justifyHitBody,
        response: { 200: redLineHitItem },
      },
    },
    async (req) => justifyRedLineHit(ctx.db, req.actor!, req.params.id, req.body.justification),
  );
}
