/** Background jobs: a queued job is claimed by exactly one worker, even when workers race. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resetDatabase, testDatabaseUrl, testTarget } from '../../test/db.ts';
import { openPostgres, type Database } from './db.ts';
import { claimJob, enqueueJob, getJob, runJob } from './jobs.ts';

const TYPE = 'test.claim-once';

let database: Database;
/** Two independent workers: on PostgreSQL two connection pools (as two processes would have); on PGlite the one database. */
let workerDbs: [Database['db'], Database['db']];
const extra: Database[] = [];

beforeAll(async () => {
  database = await resetDatabase();
  if (testTarget() === 'postgresql') {
    for (let i = 0; i < 2; i++) extra.push(await openPostgres(testDatabaseUrl(), 2));
    workerDbs = [extra[0]!.db, extra[1]!.db];
  } else {
    workerDbs = [database.db, database.db];
  }
});
afterAll(async () => {
  for (const d of extra) await d.close();
});

describe(`claimJob (${testTarget()})`, () => {
  it('two concurrent claims of one queued job: exactly one gets it', async () => {
    for (let round = 0; round < 10; round++) {
      const job = await enqueueJob(database.db, { type: TYPE, payload: { round } });
      const [a, b] = await Promise.all([claimJob(workerDbs[0], [TYPE], 'worker-a'), claimJob(workerDbs[1], [TYPE], 'worker-b')]);
      const winners = [a, b].filter((x) => x !== null);
      expect(winners, `round ${round}`).toHaveLength(1);
      expect(winners[0]!.id).toBe(job.id);
      const row = await getJob(database.db, job.id);
      expect(row).toMatchObject({ status: 'running', attempts: 1, lockedBy: a ? 'worker-a' : 'worker-b' });
    }
  });

  it('many workers racing for a few jobs: each job claimed once, the others get nothing', async () => {
    const jobs = await Promise.all([1, 2, 3].map((n) => enqueueJob(database.db, { type: TYPE, payload: { n } })));
    const claims = await Promise.all(Array.from({ length: 8 }, (_, i) => claimJob(workerDbs[i % 2]!, [TYPE], `worker-${i}`)));
    const claimed = claims.filter((c) => c !== null).map((c) => c!.id);
    expect(claimed.sort()).toEqual(jobs.map((j) => j.id).sort());
    expect(await claimJob(database.db, [TYPE])).toBeNull();
  });

  it('claims only the types asked for, oldest first', async () => {
    const first = await enqueueJob(database.db, { type: `${TYPE}.x` });
    const second = await enqueueJob(database.db, { type: `${TYPE}.x` });
    expect(await claimJob(database.db, [`${TYPE}.other`])).toBeNull();
    expect((await claimJob(database.db, [`${TYPE}.x`]))?.id).toBe(first.id);
    expect((await claimJob(database.db, [`${TYPE}.x`]))?.id).toBe(second.id);
  });

  it('runJob records the handler’s result, or its error with code and messages', async () => {
    await enqueueJob(database.db, { type: `${TYPE}.run` });
    const ok = (await claimJob(database.db, [`${TYPE}.run`]))!;
    await runJob(database.db, ok, async ({ progress }) => {
      await progress(5, 10, '一半 · half');
      return { rows: 10 };
    });
    expect(await getJob(database.db, ok.id)).toMatchObject({ status: 'succeeded', result: { rows: 10 }, finishedAt: expect.any(Date) });

    await enqueueJob(database.db, { type: `${TYPE}.run` });
    const bad = (await claimJob(database.db, [`${TYPE}.run`]))!;
    await runJob(database.db, bad, async () => {
      throw Object.assign(new Error('测试失败'), { code: 'VALIDATION_FAILED', messageEn: 'test failure' });
    });
    expect(await getJob(database.db, bad.id)).toMatchObject({ status: 'failed', error: { code: 'VALIDATION_FAILED', message: '测试失败', messageEn: 'test failure' } });
  });

  it('a handler may report progress from inside its own transaction', async () => {
    await enqueueJob(database.db, { type: `${TYPE}.tx` });
    const job = (await claimJob(database.db, [`${TYPE}.tx`]))!;
    await runJob(database.db, job, ({ db, progress }) =>
      db.transaction(async () => {
        await progress(1, 2);
        await progress(2, 2, '完成 · done');
        return 'ok';
      }),
    );
    expect(await getJob(database.db, job.id)).toMatchObject({ status: 'succeeded', progress: 2, total: 2, message: '完成 · done' });
  }, 60_000);
});
