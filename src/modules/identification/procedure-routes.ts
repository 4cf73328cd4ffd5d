import type { FastifyInstance } from 'fastify';
import multipart from '@fastify/multipart';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { contentDisposition, readUploadedForm, type AppContext } from '../../platform/http.ts';
import type { Actor } from '../../platform/auth.ts';
import { pageOf } from '../../shared/paging.ts';
import { AppError } from '../../shared/errors.ts';
import {
  appraisalBody,
  applicationSchema,
  batchListQuery,
  batchSchema,
  batchSummarySchema,
  createBatchBody,
  endBody,
  noticeKind,
  noticeListSchema,
  objectionBody,
  objectionDecisionBody,
  objectionSchema,
  openNoticeBody,
  stepBody,
  stepResultSchema,
  timelineSchema,
  worklistItemSchema,
} from './contract.ts';
import { IDENTIFICATION } from './permissions.ts';
import * as s from './service.ts';
import type { StepResultDto } from './contract.ts';

const idParams = z.object({ id: z.uuid() });

/** Routes of the procedure: batches, steps, applications, notices, objections, the worklist. */
export function procedureRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['identification'];
  const read = { action: IDENTIFICATION['identification.read'] };
  const apply = { action: IDENTIFICATION['identification.apply'] };
  const review = { action: IDENTIFICATION['identification.review'] };
  const approve = { action: IDENTIFICATION['identification.approve'] };

  r.get(
    '/identification/worklist',
    { config: read, schema: { tags, summary: '待办：等我办理的识别事项 · What waits for me (steps, objections, red-line hits)', response: { 200: z.object({ items: z.array(worklistItemSchema) }) } } },
    async (req) => ({ items: await s.findWorklist(ctx.db, req.actor!) }),
  );

  r.get(
    '/identification/batches',
    { config: read, schema: { tags, summary: '识别批次列表 · Identification batches in scope', querystring: batchListQuery, response: { 200: pageOf(batchSummarySchema) } } },
    async (req) => s.findBatches(ctx.db, req.actor!, req.query),
  );

  r.post(
    '/identification/batches',
    { config: apply, schema: { tags, summary: '村提交识别批次（农户申请）· A village submits its candidates as a batch', body: createBatchBody, response: { 201: batchSchema } } },
    async (req, reply) => reply.status(201).send(await s.createBatch(ctx.db, req.actor!, req.body)),
  );

  r.get(
    '/identification/batches/:id',
    { config: read, schema: { tags, summary: '识别批次（各户进度、评议、公示）· A batch with its applications, meeting and notices', params: idParams, response: { 200: batchSchema } } },
    async (req) => s.getBatch(ctx.db, req.actor!, req.params.id),
  );

  const step = (path: string, summary: string, config: { action: string }, body: z.ZodType, run: (id: string, actor: Actor, input: never) => Promise<StepResultDto>) =>
    r.post(path, { config, schema: { tags, summary, params: idParams, body, response: { 200: stepResultSchema } } }, async (req) => run((req.params as { id: string }).id, req.actor!, req.body as never));

  step(
    '/identification/batches/:id/appraisal',
    '民主评议（会议、到会人数、票数）· The democratic appraisal: meeting, attendance, votes',
    apply,
    appraisalBody,
    (id, actor, input) => s.appraiseBatch(ctx.db, actor, id, input),
  );
  step('/identification/batches/:id/cross-check', '比对（按省配置）· Cross-check against other departments’ data (where the province has the step)', review, stepBody, (id, actor, input) =>
    s.crossCheckBatch(ctx.db, actor, id, input),
  );
  step('/identification/batches/:id/notices', '张贴公示或公告（起止日期、地点、异议受理）· Open a public notice or the announcement', apply, openNoticeBody, (id, actor, input) => s.openNotice(ctx.db, actor, id, input));
  step('/identification/batches/:id/township-review', '乡镇审核（第一次公示期满后）· Township review, after the first notice', review, stepBody, (id, actor, input) => s.reviewTownship(ctx.db, actor, id, input));
  step('/identification/batches/:id/county-approval', '县审定（第二次公示期满后）· County approval, after the second notice', approve, stepBody, (id, actor, input) => s.approveCounty(ctx.db, actor, id, input));
  step('/identification/batches/:id/registration', '登记建档立卡（公告期满后）· Registration, after the announcement', approve, stepBody, (id, actor, input) =>
    s.registerApplications(ctx.db, actor, id, input),
  );

  r.get(
    '/identification/batches/:id/notices/:kind',
    {
      config: read,
      schema: {
        tags,
        summary: '公示/公告名单（打印用，身份证号脱敏）· The printable notice or announcement list (ID numbers masked)',
        params: z.object({ id: z.uuid(), kind: noticeKind }),
        response: { 200: noticeListSchema },
      },
    },
    async (req) => s.getNoticeList(ctx.db, req.actor!, req.params.id, req.params.kind),
  );

  r.get(
    '/identification/applications/:id',
    { config: read, schema: { tags, summary: '一户的识别经过（每一步的日期与责任人、异议）· An application’s timeline', params: idParams, response: { 200: timelineSchema } } },
    async (req) => s.getApplicationTimeline(ctx.db, req.actor!, req.params.id),
  );

  r.post(
    '/identification/applications/:id/rejection',
    { config: review, schema: { tags, summary: '不予认定（须填理由）· Reject one application, with a reason', params: idParams, body: endBody, response: { 200: timelineSchema } } },
    async (req) => s.rejectApplication(ctx.db, req.actor!, req.params.id, req.body),
  );

  r.post(
    '/identification/applications/:id/withdrawal',
    { config: apply, schema: { tags, summary: '撤回申请（须填理由）· Withdraw one application, with a reason', params: idParams, body: endBody, response: { 200: timelineSchema } } },
    async (req) => s.withdrawApplication(ctx.db, req.actor!, req.params.id, req.body),
  );

  r.post(
    '/identification/applications/:id/objections',
    { config: apply, schema: { tags, summary: '登记异议（可匿名）· Record an objection (may be anonymous)', params: idParams, body: objectionBody, response: { 201: objectionSchema } } },
    async (req, reply) => reply.status(201).send(await s.raiseObjection(ctx.db, req.actor!, req.params.id, req.body)),
  );

  r.get(
    '/identification/objections',
    {
      config: read,
      schema: {
        tags,
        summary: '异议列表（未处理的在前）· Objections in scope, open ones first',
        querystring: z.object({
          status: z.enum(['open', 'upheld', 'dismissed']).optional(),
          batchId: z.uuid().optional(),
          page: z.coerce.number().int().min(1).default(1),
          pageSize: z.coerce.number().int().min(1).max(200).default(20),
        }),
        response: { 200: pageOf(objectionSchema) },
      },
    },
    async (req) => s.findObjections(ctx.db, req.actor!, req.query),
  );

  r.post(
    '/identification/objections/:id/decision',
    { config: review, schema: { tags, summary: '异议处理（成立则该户不予认定）· Decide an objection (upheld takes the household out)', params: idParams, body: objectionDecisionBody, response: { 200: objectionSchema } } },
    async (req) => s.decideObjection(ctx.db, req.actor!, req.params.id, req.body),
  );

  r.get(
    '/identification/households/:id/applications',
    { config: read, schema: { tags, summary: '一户的识别申请 · A household’s applications', params: idParams, response: { 200: z.object({ items: z.array(applicationSchema) }) } } },
    async (req) => ({ items: await s.findHouseholdApplications(ctx.db, req.actor!, req.params.id) }),
  );
}

/** The appraisal's signed minutes: upload (multipart, in its own scope) and download. */
export function minutesRoutes(app: FastifyInstance, ctx: AppContext): void {
  const tags = ['identification'];
  app.register(async (scope) => {
    await scope.register(multipart, { limits: { files: 1, fileSize: s.MINUTES_MAX_BYTES, fields: 2, fieldSize: 100 }, throwFileSizeLimit: true });
    scope.withTypeProvider<ZodTypeProvider>().post(
      '/identification/batches/:id/appraisal/minutes',
      {
        config: { action: IDENTIFICATION['identification.apply'] },
        schema: {
          tags,
          summary: '上传民主评议会议记录扫描件（PDF/JPEG/PNG，≤ 10 MB）· Attach the appraisal’s signed minutes',
          description: 'multipart/form-data with one field "file".',
          consumes: ['multipart/form-data'],
          params: idParams,
          response: { 200: batchSchema },
        },
      },
      async (req) => {
        const { file } = await readUploadedForm(req, { zh: '文件超过 10 MB', en: 'The file is over 10 MB' });
        if (!file) throw new AppError('VALIDATION_FAILED', '请选择会议记录文件', 'Choose the minutes file', { issues: [{ path: ['file'], message: '请选择文件', messageEn: 'choose a file' }] });
        return s.attachMinutes(ctx.db, req.actor!, req.params.id, file);
      },
    );
  });

  app.withTypeProvider<ZodTypeProvider>().get(
    '/identification/batches/:id/appraisal/minutes',
    { config: { action: IDENTIFICATION['identification.read'] }, schema: { tags, summary: '下载民主评议会议记录扫描件 · Download the appraisal’s signed minutes', params: idParams } },
    async (req, reply) => {
      const f = await s.getMinutesFile(ctx.db, req.actor!, req.params.id);
      return reply.header('content-type', f.type).header('content-disposition', contentDisposition(f.fileName)).header('cache-control', 'no-store').send(f.content);
    },
  );
}
