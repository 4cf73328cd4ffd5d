/**
 * Background jobs kept in the database. A job is a row in `jobs`; any server process claims the
 * oldest queued one with `FOR UPDATE SKIP LOCKED`, runs its handler and writes progress to the row,
 * so progress is readable from any process. A job whose process died (no heartbeat for
 * STALE_AFTER_MS) is queued again, up to MAX_ATTEMPTS.
 */
import os from 'node:os';
import { sql } from 'drizzle-orm';
import { eq } from 'drizzle-orm';
import { jobs } from './schema.ts';
import { rowsOf, type Db } from './db.ts';

export type JobRow = typeof jobs.$inferSelect;

/** Passed to a handler so it can report progress (units are the handler's own: rows, areas …). */
export interface JobContext {
  job: JobRow;
  db: Db;
  /** Records progress; cheap to call often (writes at most every 250 ms). */
  progress(done: number, total?: number, message?: string): Promise<void>;
}

export type JobHandler = (ctx: JobContext) => Promise<unknown>;

const STALE_AFTER_MS = 60_000;
const MAX_ATTEMPTS = 3;
export const WORKER_ID = `${os.hostname()}:${process.pid}`;

/** Queues a job. @returns the new job's row */
export async function enqueueJob(db: Db, input: { type: string; payload?: unknown; createdBy?: string | null; areaCode?: string | null }): Promise<JobRow> {
  const [row] = await db
    .insert(jobs)
    .values({ type: input.type, payload: input.payload ?? {}, createdBy: input.createdBy ?? null, areaCode: input.areaCode ?? null })
    .returning();
  return row!;
}

/** Reads one job, or null. */
export async function getJob(db: Db, id: string): Promise<JobRow | null> {
  const [row] = await db.select().from(jobs).where(eq(jobs.id, id));
  return row ?? null;
}

/**
 * Claims the oldest queued job of the given types (or a stale running one) for this process.
 * @returns the claimed row, or null when nothing waits
 */
export async function claimJob(db: Db, types: string[], workerId = WORKER_ID): Promise<JobRow | null> {
  if (types.length === 0) return null;
  const res = await db.execute(sql`
    UPDATE jobs SET status = 'running', locked_by = ${workerId}, started_at = COALESCE(started_at, now()),
                    heartbeat_at = now(), attempts = attempts + 1
    WHERE id = (
      SELECT id FROM jobs
      WHERE type IN (${sql.join(types.map((t) => sql`${t}`), sql`, `)})
        AND (status = 'queued'
             OR (status = 'running' AND heartbeat_at < now() - make_interval(secs => ${STALE_AFTER_MS / 1000}) AND attempts < ${MAX_ATTEMPTS}))
      ORDER BY created_at
      FOR UPDATE SKIP LOCKED
      LIMIT 1)
    RETURNING id`);
  const id = rowsOf<{ id: string }>(res)[0]?.id;
  return id ? getJob(db, id) : null;
}

/** Runs a claimed job to its end, recording success (with the handler's result) or failure. */
export async function runJob(db: Db, job: JobRow, handler: JobHandler): Promise<void> {
  let last = 0;
  // Progress is written in the background, in order, and never awaited by the handler: a handler
  // reports progress from inside its own transaction, and on PGlite (one connection) a write outside
  // that transaction waits until it ends, so awaiting it there would deadlock.
  let writes: Promise<unknown> = Promise.resolve();
  const ctx: JobContext = {
    job,
    db,
    async progress(done, total, message) {
      const now = Date.now();
      if (now - last < 250 && (total === undefined || done < total)) return;
      last = now;
      writes = writes
        .then(() =>
          db
            .update(jobs)
            .set({ progress: done, ...(total !== undefined ? { total } : {}), ...(message !== undefined ? { message } : {}), heartbeatAt: new Date() })
            .where(eq(jobs.id, job.id)),
        )
        .catch(() => {});
    },
  };
  try {
    const result = await handler(ctx);
    await writes;
    await db.update(jobs).set({ status: 'succeeded', result: (result ?? null) as never, finishedAt: new Date() }).where(eq(jobs.id, job.id));
  } catch (e) {
    await writes;
    const err = e as { code?: string; message?: string; messageEn?: string; details?: unknown };
    await db
      .update(jobs)
      .set({ status: 'failed', error: { code: err.code ?? 'INTERNAL', message: err.message ?? String(e), messageEn: err.messageEn ?? err.message ?? String(e), details: err.details ?? {} }, finishedAt: new Date() })
      .where(eq(jobs.id, job.id));
  }
}

/**
 * Polls for jobs of the registered types every `intervalMs` and runs them one at a time.
 * @returns a function that stops the worker (waits for the running job to finish)
 */
export function startWorker(db: Db, handlers: Record<string, JobHandler>, intervalMs = 1000, log: (msg: string, e?: unknown) => void = () => {}): () => Promise<void> {
  let stopped = false;
  let running: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | undefined;
  const tick = async () => {
    if (stopped) return;
    try {
      for (;;) {
        const job = await claimJob(db, Object.keys(handlers));
        if (!job || stopped) break;
        await runJob(db, job, handlers[job.type]!);
      }
    } catch (e) {
      log('job worker error', e);
    }
    if (!stopped) timer = setTimeout(() => (running = tick()), intervalMs);
  };
  timer = setTimeout(() => (running = tick()), 10);
  return async () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    await running;
  };
}
