import type { FastifyInstance } from 'fastify';
import multipart from '@fastify/multipart';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { pageOf } from '../../shared/paging.ts';
import { AppError, type FieldIssue } from '../../shared/errors.ts';
import { contentDisposition, readUploadedForm, type AppContext } from '../../platform/http.ts';
import {
  assignBody,
  assignmentImportFields,
  assignmentImportResult,
  assignmentListQuery,
  assignmentPage,
  assignmentSchema,
  assignResult,
  endAssignmentBody,
  helperBody,
  helperListQuery,
  helperSaveResult,
  helperSchema,
  helperUpdateBody,
  unassignedItem,
  unassignedQuery,
  unassignedSummary,
  unassignedSummaryQuery,
  unitBody,
  unitListQuery,
  unitSchema,
  unitUpdateBody,
  villageAssignBody,
  villageAssignResult,
} from './pairing-contract.ts';
import * as s from './pairing.ts';
import { ASSIGNMENT_IMPORT_MAX_BYTES, importAssignments } from './pairing-import.ts';
import { PAIRING_TEMPLATE_FILE_NAME, writePairingTemplate } from './pairing-template.ts';
import { ASSISTANCE } from './permissions.ts';

const unitParams = z.object({ id: z.uuid('帮扶单位 ID 格式不正确 · malformed unit id') });
const helperParams = z.object({ id: z.uuid('帮扶责任人 ID 格式不正确 · malformed helper id') });
const assignmentParams = z.object({ id: z.uuid('结对记录 ID 格式不正确 · malformed assignment id') });

/**
 * Routes of pairing under /api/assistance: /units, /helpers, /assignments (with /by-village,
 * /{id}/end, /import, /template) and /unassigned (with /summary).
 */
export function pairingRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['assistance'];
  const read = { action: ASSISTANCE['assistance.read'] };
  const pair = { action: ASSISTANCE['assistance.pair'] };

  r.get(
    '/assistance/units',
    { config: read, schema: { tags, summary: '帮扶单位（本级及上级）· Assisting units on your line (your area and the areas above it)', querystring: unitListQuery, response: { 200: pageOf(unitSchema) } } },
    async (req) => s.findUnits(ctx.db, req.actor!, req.query),
  );
  r.post(
    '/assistance/units',
    { config: pair, schema: { tags, summary: '登记帮扶单位 · Register an assisting unit', body: unitBody, response: { 201: unitSchema } } },
    async (req, reply) => reply.status(201).send(await s.createUnit(ctx.db, req.actor!, req.body)),
  );
  r.put(
    '/assistance/units/:id',
    { config: pair, schema: { tags, summary: '修改或停用帮扶单位 · Edit or deactivate an assisting unit (version required)', params: unitParams, body: unitUpdateBody, response: { 200: unitSchema } } },
    async (req) => s.updateUnit(ctx.db, req.actor!, req.params.id, req.body),
  );

  r.get(
    '/assistance/helpers',
    { config: read, schema: { tags, summary: '帮扶责任人及其帮扶户数 · Helpers with their load (households currently assigned)', querystring: helperListQuery, response: { 200: pageOf(helperSchema) } } },
    async (req) => s.findHelpers(ctx.db, req.actor!, req.query),
  );
  r.post(
    '/assistance/helpers',
    { config: pair, schema: { tags, summary: '登记帮扶责任人 · Register a helper (optionally linked to a helper account by username)', body: helperBody, response: { 201: helperSaveResult } } },
    async (req, reply) => reply.status(201).send(await s.createHelper(ctx.db, req.actor!, req.body)),
  );
  r.get(
    '/assistance/helpers/:id',
    { config: read, schema: { tags, summary: '帮扶责任人 · One helper with the load', params: helperParams, response: { 200: helperSchema } } },
    async (req) => s.getHelper(ctx.db, req.actor!, req.params.id),
  );
  r.put(
    '/assistance/helpers/:id',
    { config: pair, schema: { tags, summary: '修改或停用帮扶责任人 · Edit or deactivate a helper (version required)', params: helperParams, body: helperUpdateBody, response: { 200: helperSaveResult } } },
    async (req) => s.updateHelper(ctx.db, req.actor!, req.params.id, req.body),
  );

  r.get(
    '/assistance/assignments',
    {
      config: read,
      schema: { tags, summary: '结对记录：某户的帮扶责任人历史，或某帮扶责任人的帮扶户 · A household’s helper history, or a helper’s households', querystring: assignmentListQuery, response: { 200: assignmentPage } },
    },
    async (req) => s.findAssignments(ctx.db, req.actor!, req.query),
  );
  r.post(
    '/assistance/assignments',
    {
      config: pair,
      schema: { tags, summary: '结对：把农户分配给帮扶责任人（更换须填原因）· Assign households to a helper (a change of helper needs a reason)', body: assignBody, response: { 200: assignResult } },
    },
    async (req) => s.assignHelper(ctx.db, req.actor!, req.body),
  );
  r.get(
    '/assistance/assignments/template',
    { config: pair, schema: { tags, summary: '下载结对名单导入模板（.xlsx，含示例行和填写说明）· The template of a pairing list to import (.xlsx, with an example row and instructions)' } },
    async (_req, reply) =>
      reply
        .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', contentDisposition(PAIRING_TEMPLATE_FILE_NAME))
        .header('cache-control', 'no-store')
        .send(await writePairingTemplate()),
  );
  r.post(
    '/assistance/assignments/by-village',
    {
      config: pair,
      schema: { tags, summary: '按村结对：本村未结对的帮扶对象分给一位或几位帮扶责任人 · Assign a village’s households without a helper to one or several helpers', body: villageAssignBody, response: { 200: villageAssignResult } },
    },
    async (req) => s.assignVillage(ctx.db, req.actor!, req.body),
  );
  r.post(
    '/assistance/assignments/:id/end',
    { config: pair, schema: { tags, summary: '结束结对（须填原因）· End an assignment (reason required)', params: assignmentParams, body: endAssignmentBody, response: { 200: assignmentSchema } } },
    async (req) => s.endAssignment(ctx.db, req.actor!, req.params.id, req.body),
  );

  app.register(async (scope) => {
    await scope.register(multipart, { limits: { files: 1, fileSize: ASSIGNMENT_IMPORT_MAX_BYTES, fields: 10, fieldSize: 1000 }, throwFileSizeLimit: true });
    scope.withTypeProvider<ZodTypeProvider>().post(
      '/assistance/assignments/import',
      {
        config: pair,
        schema: {
          tags,
          summary: '导入结对名单 · Import helper assignments from a file',
          description:
            'multipart/form-data: file (.xlsx first sheet, or CSV; ≤ 10 MB) with the columns 户编号 or 户主身份证号, 帮扶责任人, 联系电话, 帮扶单位, 开始日期; createHelpers (true | false): create helpers not yet registered (their 帮扶单位 must exist); replaceReason: change households whose current helper differs, with this reason. All or nothing: any bad row refuses the file with every problem (path file.row.column); a re-import changes nothing. A template: GET /api/assistance/assignments/template (its example row, marked 示例, is skipped).',
          consumes: ['multipart/form-data'],
          response: { 200: assignmentImportResult },
        },
      },
      async (req) => {
        const { file, fields } = await readUploadedForm(req, { zh: '文件超过 10 MB：请按乡镇拆分后分批导入', en: 'The file is over 10 MB: split it (e.g. by township) and import the parts' });
        const parsed = assignmentImportFields.safeParse(Object.fromEntries(Object.entries(fields).filter(([k, v]) => ['createHelpers', 'replaceReason'].includes(k) && v !== '')));
        const issues: FieldIssue[] = [];
        if (!parsed.success) for (const i of parsed.error.issues) issues.push({ path: i.path.map(String), message: `取值无效：${String(fields[String(i.path[0])])}`, messageEn: `invalid value: ${String(fields[String(i.path[0])])}` });
        if (!file) issues.push({ path: ['file'], message: '请选择结对名单文件', messageEn: 'choose the file' });
        else if (file.content.length === 0) issues.push({ path: ['file'], message: `文件“${file.fileName}”是空的（0 字节）`, messageEn: `the file “${file.fileName}” is empty (0 bytes)` });
        if (issues.length || !parsed.success || !file) {
          throw new AppError('VALIDATION_FAILED', `输入有误：${issues.map((i) => i.message).join('；')}`, `Invalid input: ${issues.map((i) => i.messageEn).join('; ')}`, { issues });
        }
        return importAssignments(ctx.db, req.actor!, parsed.data, file);
      },
    );
  });

  r.get(
    '/assistance/unassigned',
    {
      config: read,
      schema: { tags, summary: '未落实帮扶责任人的帮扶对象 · Households that must have a helper and have none', querystring: unassignedQuery, response: { 200: pageOf(unassignedItem) } },
    },
    async (req) => s.findUnassigned(ctx.db, req.actor!, req.query),
  );
  r.get(
    '/assistance/unassigned/summary',
    {
      config: read,
      schema: { tags, summary: '未结对户数：本区划及各下级区划 · Households without a helper, for the area and per child area', querystring: unassignedSummaryQuery, response: { 200: unassignedSummary } },
    },
    async (req) => s.summarizeUnassigned(ctx.db, req.actor!, req.query.areaCode),
  );
}
