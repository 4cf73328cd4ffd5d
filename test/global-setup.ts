/**
 * Names this run's per-worker PostgreSQL databases (see test/db.ts) and drops them afterwards.
 */
import crypto from 'node:crypto';
import pg from 'pg';
import { TEST_DB_PREFIX } from './db.ts';

export default function setup() {
  const run = crypto.randomBytes(4).toString('hex');
  process.env.FUPIN_TEST_RUN = run;
  return async function teardown() {
    if (process.env.FUPIN_TEST_DATABASE !== 'postgresql' || !process.env.TEST_DATABASE_URL) return;
    const c = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
    await c.connect();
    const { rows } = await c.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname LIKE $1', [`${TEST_DB_PREFIX}_${run}_%`]);
    for (const r of rows) await c.query(`DROP DATABASE IF EXISTS "${r.datname}" WITH (FORCE)`);
    await c.end();
  };
}
