import type { FastifyInstance } from 'fastify';
import multipart from '@fastify/multipart';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { contentDisposition, readUploadedForm, type AppContext } from '../../platform/http.ts';
import { householdListQuery } from '../households/index.ts';
import { AppError } from '../../shared/errors.ts';
import { exportHouseholds } from './export.ts';
import { importDetail, importListItem, importOptions } from './contract.ts';
import { findImports, getImport, getImportFile, queueImport } from './import-job.ts';
import { DEFAULT_READER_LIMITS } from './readers.ts';
import { writeImportTemplate } from './template.ts';
import { EXCHANGE } from './permissions.ts';

/** The export's query: the household list's filters, plus what to export and how. */
export const exportQuery = householdListQuery
  .pick({ areaCode: true, householdType: true, status: true, povertyAttribute: true, mainPovertyCause: true, incomeMin: true, incomeMax: true, q: true, includeRemoved: true })
  .extend({
    kind: z.enum(['households', 'members']).default('households'),
    format: z.enum(['xlsx', 'csv']).default('xlsx'),
    encoding: z.enum(['utf-8', 'gbk']).default('utf-8'),
    full: z.stringbool().default(false),
  });


/** Routes under /api/exports. */
export function exchangeRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['exchange'];

  r.get(
    '/exports/households',
    {
      config: { action: EXCHANGE['exchange.export'] },
      schema: {
        tags,
        summary: '导出农户名单或人员名单（.xlsx / CSV）· Export the household or member list; full=true shows ID numbers in full and is audited',
        querystring: exportQuery,
      },
    },
    async (req, reply) => {
      const { kind, format, encoding, full, ...filters } = req.query;
      const f = await exportHouseholds(ctx.db, req.actor!, { kind, format, encoding, full, filters });
      return reply.header('content-type', f.contentType).header('content-disposition', contentDisposition(f.fileName)).header('cache-control', 'no-store').send(f.body);
    },
  );

  r.get(
    '/imports/template',
    {
      config: { action: EXCHANGE['exchange.import'] },
      schema: { tags, summary: '下载导入模板（.xlsx，含代码下拉）· The import template with drop-down code lists' },
    },
    async (_req, reply) => {
      const body = await writeImportTemplate();
      return reply.header('content-type', XLSX).header('content-disposition', contentDisposition('人员名单导入模板.xlsx')).header('cache-control', 'no-store').send(body);
    },
  );

  // Uploads: multipart, one file of at most 100 MB, in this route's own scope.
  app.register(async (scope) => {
    await scope.register(multipart, { limits: { files: 1, fileSize: DEFAULT_READER_LIMITS.maxBytes, fields: 10, fieldSize: 1000 }, throwFileSizeLimit: true });
    scope.withTypeProvider<ZodTypeProvider>().post(
      '/imports',
      {
        config: { action: EXCHANGE['exchange.import'] },
        schema: {
          tags,
          summary: '上传人员名单并开始导入（后台任务）· Upload a person list and start its import (a background job)',
          description:
            'multipart/form-data: file (.xlsx / .csv), mode (commit-valid | all-or-nothing | dry-run), onExisting (update | skip), encoding (auto | utf-8 | gbk | gb18030), causeNumbering (none | form2014 | commonApp | national2017: how numbers in 致贫原因 cells are read). Answers 202 with the import id at once; follow GET /api/imports/{id}.',
          consumes: ['multipart/form-data'],
          response: { 202: z.object({ id: z.string() }) },
        },
      },
      async (req, reply) => {
        const { file, fields } = await readUploadedForm(req, {
          zh: '文件超过 100 MB：请拆分后分批上传，或由管理员在服务器上用 fupin import 导入',
          en: 'The file is over 100 MB: split it and upload the parts, or have an administrator run fupin import on the server',
        });
        if (!file) throw new AppError('VALIDATION_FAILED', '请选择要导入的文件', 'Choose a file to import', { issues: [{ path: ['file'], message: '请选择文件', messageEn: 'choose a file' }] });
        if (file.content.length === 0) throw new AppError('VALIDATION_FAILED', `文件“${file.fileName}”是空的（0 字节）`, `The file “${file.fileName}” is empty (0 bytes)`, { issues: [{ path: ['file'], message: '文件是空的（0 字节）', messageEn: 'the file is empty (0 bytes)' }] });
        const parsed = importOptions.safeParse(Object.fromEntries(Object.entries(fields).filter(([k, v]) => ['mode', 'onExisting', 'encoding', 'causeNumbering'].includes(k) && v !== '')));
        if (!parsed.success) {
          const issues = parsed.error.issues.map((i) => ({ path: i.path.map(String), message: `取值无效：${String(fields[String(i.path[0])])}`, messageEn: `invalid value: ${String(fields[String(i.path[0])])}` }));
          throw new AppError('VALIDATION_FAILED', `导入选项有误：${issues.map((i) => i.path.join('.')).join('、')}`, `Invalid import options: ${issues.map((i) => i.path.join('.')).join(', ')}`, { issues });
        }
        const id = await queueImport(ctx.db, req.actor!, file, parsed.data);
        return reply.code(202).send({ id });
      },
    );
  });

  r.get(
    '/imports',
    {
      config: { action: EXCHANGE['exchange.import'] },
      schema: { tags, summary: '最近的导入 · Recent imports (own, or in scope)', response: { 200: z.object({ items: z.array(importListItem) }) } },
    },
    async (req) => ({ items: await findImports(ctx.db, req.actor!) }),
  );

  r.get(
    '/imports/:id',
    {
      config: { action: EXCHANGE['exchange.import'] },
      schema: { tags, summary: '一次导入的进度与结果 · An import’s progress and outcome', params: z.object({ id: z.uuid() }), response: { 200: importDetail } },
    },
    async (req) => getImport(ctx.db, req.actor!, req.params.id),
  );

  for (const kind of ['report', 'rejected'] as const) {
    r.get(
      `/imports/:id/${kind}`,
      {
        config: { action: EXCHANGE['exchange.import'] },
        schema: {
          tags,
          summary: kind === 'report' ? '下载校验报告（原始行 + 问题列）· The validation report: the original rows plus a problem column' : '下载退回数据（被退回户的行，修改后可重新导入）· The rejected households’ rows, to fix and re-import',
          params: z.object({ id: z.uuid() }),
        },
      },
      async (req, reply) => {
        const f = await getImportFile(ctx.db, req.actor!, req.params.id, kind);
        return reply.header('content-type', XLSX).header('content-disposition', contentDisposition(f.fileName)).header('cache-control', 'no-store').send(f.content);
      },
    );
  }
}

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
