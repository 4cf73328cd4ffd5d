import type { FastifyInstance, FastifyRequest } from 'fastify';
import multipart from '@fastify/multipart';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../platform/http.ts';
import { pageOf } from '../../shared/paging.ts';
import { AppError } from '../../shared/errors.ts';
import { ASSISTANCE } from './permissions.ts';
import { findVisits, findVisitsDue, getVisitPhoto, myWorkspace, recordVisit, visitsDueSummary, type UploadedPhoto } from './visits.ts';
import {
  myWorkspaceSchema,
  visitDueItemSchema,
  visitListQuery,
  visitSchema,
  visitsDueQuery,
  visitsDueSummaryQuery,
  visitsDueSummarySchema,
  VISIT_MAX_PHOTOS,
  VISIT_PHOTO_MAX_BYTES,
} from './visits-contract.ts';

const TEXT_FIELDS = ['householdId', 'visitDate', 'content', 'problems'] as const;

/**
 * Reads the visit form: the text fields and the photos (file field "photos"; other file fields are
 * drained and ignored). A photo over 5 MB stops the upload with PAYLOAD_TOO_LARGE naming it.
 * @throws AppError VALIDATION_FAILED (not multipart; more than 5 photos), PAYLOAD_TOO_LARGE
 */
async function readVisitForm(req: FastifyRequest): Promise<{ fields: Record<string, string>; photos: UploadedPhoto[] }> {
  if (!req.isMultipart()) {
    throw new AppError('VALIDATION_FAILED', '请以 multipart/form-data 提交走访记录', 'Send the visit as multipart/form-data', {
      issues: [{ path: ['content'], message: '请填写走访内容', messageEn: 'enter what the visit was about' }],
    });
  }
  const fields: Record<string, string> = {};
  const photos: UploadedPhoto[] = [];
  let reading: { index: number; fileName: string } | null = null;
  try {
    for await (const part of req.parts()) {
      if (part.type === 'file') {
        if (part.fieldname !== 'photos') {
          await part.toBuffer();
          continue;
        }
        reading = { index: photos.length, fileName: part.filename };
        photos.push({ fileName: part.filename, content: await part.toBuffer() });
        reading = null;
      } else if ((TEXT_FIELDS as readonly string[]).includes(part.fieldname)) fields[part.fieldname] = String(part.value);
    }
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE' && reading) {
      const name = `第 ${reading.index + 1} 张照片“${reading.fileName}”`;
      const nameEn = `photo ${reading.index + 1} “${reading.fileName}”`;
      throw new AppError('PAYLOAD_TOO_LARGE', `${name}超过 5 MB，请压缩后再传`, `${nameEn} is over 5 MB; make it smaller and send it again`, {
        issues: [{ path: ['photos', reading.index], message: `${name}超过 5 MB`, messageEn: `${nameEn} is over 5 MB` }],
      });
    }
    if (code === 'FST_FILES_LIMIT') {
      throw new AppError('VALIDATION_FAILED', `输入有误：每次走访最多 ${VISIT_MAX_PHOTOS} 张照片`, `Invalid input: at most ${VISIT_MAX_PHOTOS} photos per visit`, {
        issues: [{ path: ['photos'], message: `每次走访最多 ${VISIT_MAX_PHOTOS} 张照片`, messageEn: `At most ${VISIT_MAX_PHOTOS} photos per visit` }],
      });
    }
    if (code === 'FST_FIELDS_LIMIT' || code === 'FST_PARTS_LIMIT') throw new AppError('VALIDATION_FAILED', '请求的字段过多', 'Too many fields in the request');
    throw e;
  }
  return { fields, photos };
}

/**
 * Routes of assistance: visits (走访记录) and their photos, visit monitoring (走访监测) and the
 * helper's workspace (我的帮扶户), under /api/assistance/visits and /api/assistance/my.
 */
export function visitsRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['assistance'];
  const read = { action: ASSISTANCE['assistance.read'] };

  app.register(async (scope) => {
    // One more file than allowed, so that a sixth photo reaches the service's count check and a
    // seventh stops the reader: both answer "at most 5 photos".
    await scope.register(multipart, { limits: { files: VISIT_MAX_PHOTOS + 1, fileSize: VISIT_PHOTO_MAX_BYTES, fields: 10, fieldSize: 64 * 1024, parts: 20 }, throwFileSizeLimit: true });
    scope.withTypeProvider<ZodTypeProvider>().post(
      '/assistance/visits',
      {
        config: { action: ASSISTANCE['assistance.record'] },
        schema: {
          tags,
          summary: '记录走访（日期、内容、发现问题、照片）· Record a visit with photos',
          description:
            'multipart/form-data: householdId, visitDate (YYYY-MM-DD, not in the future, not before the household’s registration), content (required), problems (optional), and 0–5 files in the field "photos" (JPEG / PNG / WebP by their bytes, each ≤ 5 MB). A helper records only on their current households.',
          consumes: ['multipart/form-data'],
          response: { 201: visitSchema },
        },
      },
      async (req, reply) => {
        const { fields, photos } = await readVisitForm(req);
        const input = { householdId: fields.householdId ?? '', visitDate: fields.visitDate ?? '', content: fields.content ?? '', problems: fields.problems || undefined };
        return reply.status(201).send(await recordVisit(ctx.db, req.actor!, input, photos));
      },
    );
  });

  r.get(
    '/assistance/visits',
    { config: read, schema: { tags, summary: '走访记录列表（按农户、帮扶责任人或区划）· Visits by household, helper or area', querystring: visitListQuery, response: { 200: pageOf(visitSchema) } } },
    async (req) => findVisits(ctx.db, req.actor!, req.query),
  );

  r.get(
    '/assistance/visits/:id/photos/:photoId',
    { config: read, schema: { tags, summary: '走访照片 · A visit’s photo', params: z.object({ id: z.uuid(), photoId: z.uuid() }) } },
    async (req, reply) => {
      const p = await getVisitPhoto(ctx.db, req.actor!, req.params.id, req.params.photoId);
      return reply.header('content-type', p.mimeType).header('cache-control', 'private, max-age=86400').header('x-content-type-options', 'nosniff').send(p.data);
    },
  );

  r.get(
    '/assistance/visits/due',
    {
      config: read,
      schema: {
        tags,
        summary: '未按期走访的农户（超过走访周期未走访）· Households not visited within the period',
        description:
          '走访周期从最近一次走访起算；从未走访的从与现帮扶责任人结对之日起算；从未走访且无帮扶责任人的即列入。· The period counts from the last visit; a household never visited counts from its pairing with its current helper; one never visited and without a helper is listed at once.',
        querystring: visitsDueQuery,
        response: { 200: pageOf(visitDueItemSchema) },
      },
    },
    async (req) => findVisitsDue(ctx.db, req.actor!, req.query),
  );

  r.get(
    '/assistance/visits/due/summary',
    {
      config: read,
      schema: { tags, summary: '走访监测：按乡镇、村、帮扶责任人统计 · Visit monitoring counts by township, village and helper', querystring: visitsDueSummaryQuery, response: { 200: visitsDueSummarySchema } },
    },
    async (req) => visitsDueSummary(ctx.db, req.actor!, req.query),
  );

  r.get(
    '/assistance/my',
    {
      config: read,
      schema: {
        tags,
        summary: '我的帮扶户（走访到期、待落实需求）· My households: visits due, open needs',
        description: 'The households of the helper record linked to the signed-in account (any role); without one, helper is null and the list is empty.',
        response: { 200: myWorkspaceSchema },
      },
    },
    async (req) => myWorkspace(ctx.db, req.actor!),
  );
}
