/**
 * The composition root: puts the platform and the capabilities together into one server. The only
 * file that knows every module.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Database } from './platform/db.ts';
import { buildHttp, type App } from './platform/http.ts';
import { getJob, startWorker, type JobHandler } from './platform/jobs.ts';
import { toJobDto } from './platform/jobs-dto.ts';
import { cookieSecret } from './platform/settings.ts';
import { jobSchema } from './shared/jobs.ts';
import { notFound } from './shared/errors.ts';
import { inScope } from './platform/auth.ts';
import { accountRoutes, actorForUser, purgeExpiredSessions, resolveSession } from './modules/accounts/index.ts';
import { areaRoutes, importAreas } from './modules/areas/index.ts';
import { auditRoutes } from './modules/audit/index.ts';
import { householdRoutes } from './modules/households/index.ts';
import { assistanceRoutes } from './modules/assistance/index.ts';
import { identificationRoutes, QUALITY_JOB, queueStaleDataQualityRuns, runDataQualityJob } from './modules/identification/index.ts';
import { exchangeRoutes, IMPORT_JOB, purgeOldImportFiles, runImportJob } from './modules/exchange/index.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const VERSION = (JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string }).version;
export const CLIENT_DIR = path.join(root, 'dist', 'client');

/** Background job handlers by type. */
export function jobHandlers(): Record<string, JobHandler> {
  return {
    'areas.import': async ({ db, job, progress }) => {
      const actor = await actorForUser(db, job.createdBy);
      const { root: code } = job.payload as { root: string };
      return importAreas(db, actor, code, (done) => progress(done, undefined, `已写入 ${done} 个区划 · ${done} areas written`));
    },
    [IMPORT_JOB]: async (ctx) => runImportJob(ctx, await actorForUser(ctx.db, ctx.job.createdBy)),
    [QUALITY_JOB]: async (ctx) => runDataQualityJob(ctx, await actorForUser(ctx.db, ctx.job.createdBy)),
  };
}

export interface CreateAppOptions {
  database: Database;
  sessionSecret?: string | undefined;
  clientDir?: string | undefined;
  logLevel?: string;
  secureCookies?: boolean;
  trustProxy?: boolean | number | string[];
}

/** Builds the HTTP app for a database (not listening). */
export async function createApp(opts: CreateAppOptions): Promise<App> {
  const { db, kind } = opts.database;
  return buildHttp({
    db,
    kind,
    version: VERSION,
    cookieSecret: await cookieSecret(db, opts.sessionSecret),
    clientDir: opts.clientDir,
    logLevel: opts.logLevel ?? 'info',
    secureCookies: opts.secureCookies ?? false,
    trustProxy: opts.trustProxy ?? false,
    sessions: { resolve: (token) => resolveSession(db, token) },
    routes: (api: FastifyInstance, ctx) => {
      const r = api.withTypeProvider<ZodTypeProvider>();
      r.get(
        '/health',
        {
          config: { public: true },
          schema: {
            tags: ['platform'],
            summary: '健康检查 · Health',
            security: [],
            response: { 200: z.object({ status: z.literal('ok'), database: z.enum(['pglite', 'postgresql']), version: z.string() }) },
          },
        },
        async () => {
          await db.execute('select 1' as never);
          return { status: 'ok' as const, database: kind, version: VERSION };
        },
      );
      r.get(
        '/jobs/:id',
        { schema: { tags: ['platform'], summary: '后台任务进度 · A background job and its progress', params: z.object({ id: z.uuid() }), response: { 200: jobSchema } } },
        async (req) => {
          const job = await getJob(db, req.params.id);
          const actor = req.actor!;
          if (!job || (job.createdBy !== actor.id && !(job.areaCode && inScope(actor, job.areaCode)) && actor.areaCode !== null)) {
            throw notFound('任务', 'Job');
          }
          return toJobDto(job);
        },
      );
      areaRoutes(api, ctx);
      accountRoutes(api, ctx, { secureCookies: opts.secureCookies ?? false });
      auditRoutes(api, ctx);
      householdRoutes(api, ctx);
      exchangeRoutes(api, ctx);
      identificationRoutes(api, ctx);
      assistanceRoutes(api, ctx);
    },
  });
}

/** Starts the job worker and periodic housekeeping. @returns a function that stops both */
export function startBackground(database: Database, log: (msg: string, e?: unknown) => void): () => Promise<void> {
  const stopWorker = startWorker(database.db, jobHandlers(), 1000, log);
  const timer = setInterval(() => {
    void purgeExpiredSessions(database.db).catch((e) => log('session purge failed', e));
    void purgeOldImportFiles(database.db).catch((e) => log('import file purge failed', e));
    void queueStaleDataQualityRuns(database.db).catch((e) => log('data-quality nightly run failed', e));
  }, 3_600_000);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await stopWorker();
  };
}
