/**
 * Imports as background jobs: the upload is stored (import_files, kind 'upload') and a job of type
 * `exchange.import` queued; any server process runs it (runImport with the job's id as stage id, so a
 * rerun after a crash clears its own staging rows), writes the validation report and the rejected
 * rows next to the upload, and leaves the summary as the job's result. A refused file (FileRefusal)
 * ends the job as failed with the refusal's code (ENCRYPTED, XLS_UNSUPPORTED …) and messages.
 */
import { PassThrough } from 'node:stream';
import { and, desc, eq, or, sql } from 'drizzle-orm';
import { inScope, scopePattern, type Actor } from '../../platform/auth.ts';
import { rowsOf, type Db } from '../../platform/db.ts';
import { enqueueJob, getJob, type JobContext, type JobRow } from '../../platform/jobs.ts';
import { jobs } from '../../platform/schema.ts';
import { authorize } from '../../platform/auth.ts';
import { AppError, notFound } from '../../shared/errors.ts';
import { users } from '../accounts/schema.ts';
import { importSummarySchema, type ImportDetail, type ImportListItem, type ImportOptions, type ImportProgress } from './contract.ts';
import { runImport, summaryOf, type ImportOutcome } from './import.ts';
import { EXCHANGE } from './permissions.ts';
import { writeImportReport } from './report.ts';
import { importFiles } from './schema.ts';

export const IMPORT_JOB = 'exchange.import';

interface ImportPayload extends ImportOptions {
  fileName: string;
  size: number;
}

/**
 * Stores an uploaded file and queues its import.
 * @param content the file's bytes (the route caps them at 100 MB)
 * @returns the job's id (the import's id)
 * @throws AppError FORBIDDEN without exchange.import
 */
export async function queueImport(db: Db, actor: Actor, file: { fileName: string; content: Buffer }, options: ImportOptions): Promise<string> {
  authorize(actor, EXCHANGE['exchange.import']);
  const fileName = file.fileName.replace(/^.*[\\/]/, '').slice(0, 200) || 'upload';
  return db.transaction(async (tx) => {
    const payload: ImportPayload = { ...options, fileName, size: file.content.length };
    const job = await enqueueJob(tx as unknown as Db, { type: IMPORT_JOB, payload, createdBy: actor.id, areaCode: actor.areaCode });
    await tx.insert(importFiles).values({ jobId: job.id, kind: 'upload', fileName, content: file.content });
    return job.id;
  });
}

function progressMessage(p: ImportProgress, started: number): string {
  const secs = Math.max(0.001, (performance.now() - started) / 1000);
  const rate = Math.round(p.rows / secs);
  const n = p.rows.toLocaleString('en-US');
  switch (p.phase) {
    case 'reading':
      return `正在读取：已读 ${n} 行 · ${rate.toLocaleString('en-US')} 行/秒 · reading: ${n} rows, ${rate} rows/s`;
    case 'matching':
      return `正在校验并与库中数据比对（${n} 行）· checking and matching ${n} rows`;
    case 'writing':
      return `正在写入 · writing`;
    case 'report':
      return `正在生成校验报告 · writing the validation report`;
    default:
      return `完成 · done`;
  }
}

async function toBuffer(write: (out: NodeJS.WritableStream) => Promise<unknown>): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const ended = new Promise<void>((resolve, reject) => {
    out.on('end', resolve);
    out.on('error', reject);
  });
  await write(out);
  await ended;
  return Buffer.concat(chunks);
}

/** Writes the validation report (when there are problems) and the rejected rows (when households were rejected). */
export async function writeReports(outcome: ImportOutcome, source: { buffer?: Buffer; path?: string; fileName: string; encoding?: ImportOptions['encoding'] }): Promise<{ report: Buffer | null; rejected: Buffer | null }> {
  const input = { source, problems: outcome.allProblems, rejectedRows: outcome.rejectedRowsBySheet };
  const report = outcome.allProblems.length > 0 ? await toBuffer((out) => writeImportReport(input, 'report', out)) : null;
  const rejected = outcome.rejected > 0 ? await toBuffer((out) => writeImportReport(input, 'rejected', out)) : null;
  return { report, rejected };
}

const baseName = (fileName: string) => fileName.replace(/\.[^.]*$/, '');

/**
 * The job handler: runs the import of the stored upload as the job's creator.
 * @returns the import's summary (the job's result)
 * @throws FileRefusal (the job fails with its code and messages), AppError (STALE_EDIT, CONFLICT …)
 */
export async function runImportJob(ctx: JobContext, actor: Actor): Promise<unknown> {
  const { db, job } = ctx;
  const payload = job.payload as ImportPayload;
  const [upload] = await db.select().from(importFiles).where(and(eq(importFiles.jobId, job.id), eq(importFiles.kind, 'upload')));
  if (!upload) throw new AppError('NOT_FOUND', '上传的文件已不存在', 'The uploaded file is gone');
  const started = performance.now();
  await db.delete(importFiles).where(and(eq(importFiles.jobId, job.id), or(eq(importFiles.kind, 'report'), eq(importFiles.kind, 'rejected'))));
  const source = { buffer: upload.content, fileName: payload.fileName, encoding: payload.encoding };
  const outcome = await runImport(db, actor, source, {
    mode: payload.mode,
    onExisting: payload.onExisting,
    encoding: payload.encoding,
    causeNumbering: payload.causeNumbering ?? 'none',
    stageId: job.id,
    onProgress: (p) => void ctx.progress(Math.min(p.percent, 99), 100, progressMessage(p, started)),
  });
  void ctx.progress(99, 100, progressMessage({ phase: 'report', rows: outcome.rows, bytes: 0, totalBytes: 0, percent: 99 }, started));
  const { report, rejected } = await writeReports(outcome, source);
  if (report) await db.insert(importFiles).values({ jobId: job.id, kind: 'report', fileName: `校验报告-${baseName(payload.fileName)}.xlsx`, content: report });
  if (rejected) await db.insert(importFiles).values({ jobId: job.id, kind: 'rejected', fileName: `退回数据-${baseName(payload.fileName)}.xlsx`, content: rejected });
  void ctx.progress(100, 100, progressMessage({ phase: 'done', rows: outcome.rows, bytes: 0, totalBytes: 0, percent: 100 }, started));
  return summaryOf(outcome);
}

// ---------------------------------------------------------------------------------------------
// Reading imports

function visible(actor: Actor, job: JobRow): boolean {
  return job.type === IMPORT_JOB && (job.createdBy === actor.id || actor.areaCode === null || (job.areaCode !== null && inScope(actor, job.areaCode)));
}

function toItem(job: JobRow, kinds: Set<string>, createdByName: string | null): ImportListItem {
  const p = job.payload as ImportPayload;
  const summary = job.status === 'succeeded' ? importSummarySchema.safeParse(job.result) : null;
  const e = job.error as { code?: string; message?: string; messageEn?: string } | null;
  return {
    id: job.id,
    fileName: p.fileName,
    status: job.status,
    mode: p.mode,
    onExisting: p.onExisting,
    createdAt: job.createdAt.toISOString(),
    finishedAt: job.finishedAt?.toISOString() ?? null,
    createdByName,
    summary: summary?.success ? summary.data : null,
    error: e ? { code: String(e.code ?? 'INTERNAL'), message: e.message ?? '', messageEn: e.messageEn ?? e.message ?? '' } : null,
    hasReport: kinds.has('report'),
    hasRejected: kinds.has('rejected'),
  };
}

async function fileKinds(db: Db, jobId: string): Promise<Set<string>> {
  const rows = await db.select({ kind: importFiles.kind }).from(importFiles).where(eq(importFiles.jobId, jobId));
  return new Set(rows.map((r) => r.kind));
}

async function userName(db: Db, id: string | null): Promise<string | null> {
  if (!id) return null;
  const [u] = await db.select({ n: users.displayName }).from(users).where(eq(users.id, id));
  return u?.n ?? null;
}

/**
 * One import with its progress (0–100) and, once finished, its summary or error.
 * @throws AppError NOT_FOUND when it does not exist or is not the actor's to see (own, or in scope)
 */
export async function getImport(db: Db, actor: Actor, id: string): Promise<ImportDetail> {
  authorize(actor, EXCHANGE['exchange.import']);
  const job = await getJob(db, id);
  if (!job || !visible(actor, job)) throw notFound('导入', 'Import');
  const item = toItem(job, await fileKinds(db, id), await userName(db, job.createdBy));
  return { ...item, progress: job.status === 'succeeded' ? 100 : Number(job.progress), message: job.message };
}

/** The latest 20 imports the actor may see (own, or in scope), newest first. */
export async function findImports(db: Db, actor: Actor): Promise<ImportListItem[]> {
  authorize(actor, EXCHANGE['exchange.import']);
  const where = actor.areaCode === null ? eq(jobs.type, IMPORT_JOB) : and(eq(jobs.type, IMPORT_JOB), or(actor.id ? eq(jobs.createdBy, actor.id) : sql`false`, sql`${jobs.areaCode} LIKE ${scopePattern(actor)}`));
  const rows = await db.select({ job: jobs, name: users.displayName }).from(jobs).leftJoin(users, eq(users.id, jobs.createdBy)).where(where).orderBy(desc(jobs.createdAt)).limit(20);
  const kinds = new Map<string, Set<string>>();
  if (rows.length > 0) {
    const fs = await db.execute(sql`SELECT job_id, kind FROM import_files WHERE job_id IN (${sql.join(rows.map((r) => sql`${r.job.id}::uuid`), sql`, `)})`);
    for (const f of rowsOf<{ job_id: string; kind: string }>(fs)) {
      const set = kinds.get(f.job_id) ?? new Set<string>();
      set.add(f.kind);
      kinds.set(f.job_id, set);
    }
  }
  return rows.map((r) => toItem(r.job, kinds.get(r.job.id) ?? new Set(), r.name));
}

/**
 * A stored file of an import: the validation report or the rejected rows.
 * @throws AppError NOT_FOUND when the import is not the actor's to see, or has no such file
 */
export async function getImportFile(db: Db, actor: Actor, id: string, kind: 'report' | 'rejected'): Promise<{ fileName: string; content: Buffer }> {
  authorize(actor, EXCHANGE['exchange.import']);
  const job = await getJob(db, id);
  if (!job || !visible(actor, job)) throw notFound('导入', 'Import');
  const [f] = await db.select().from(importFiles).where(and(eq(importFiles.jobId, id), eq(importFiles.kind, kind)));
  if (!f) throw notFound(kind === 'report' ? '校验报告' : '退回数据', kind === 'report' ? 'Validation report' : 'Rejected rows');
  return { fileName: f.fileName, content: f.content };
}

/** Days an import's upload and reports are kept (then only the job's summary remains). */
export const IMPORT_FILES_KEPT_DAYS = 30;

/**
 * Deletes uploads and reports older than IMPORT_FILES_KEPT_DAYS (run by the server's hourly housekeeping).
 * @returns files deleted
 */
export async function purgeOldImportFiles(db: Db, days = IMPORT_FILES_KEPT_DAYS): Promise<number> {
  const res = await db.execute(sql`DELETE FROM import_files WHERE created_at < now() - make_interval(days => ${days})`);
  return Number((res as { rowCount?: number; affectedRows?: number }).rowCount ?? (res as { affectedRows?: number }).affectedRows ?? 0);
}
