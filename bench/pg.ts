/** Database helpers shared by the benches. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { openPglite, openPostgres, rowsOf, sql, type Database } from '../src/platform/db.ts';

const PgClient = pg.Client;

/**
 * Drops a throwaway database once its pool has ended: without FORCE (terminating a still-idle pooled
 * connection would surface as an unhandled pool error), retrying while the server notices the disconnects.
 */
export async function dropDatabase(admin: pg.Client, name: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await admin.query(`DROP DATABASE IF EXISTS ${name}`);
      return;
    } catch (e) {
      if (attempt >= 20) throw e;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

/**
 * Runs a bench on each target of BENCH_TARGETS (default "pglite,postgresql"): PostgreSQL in a
 * throwaway database beside BENCH_DATABASE_URL or TEST_DATABASE_URL (skipped with a line when neither
 * is set; dropped afterwards), and PGlite in a temporary data folder (removed afterwards).
 * @param run the bench, given a label for its figures and the open database
 */
export async function onBenchTargets(run: (label: string, database: Database) => Promise<void>): Promise<void> {
  const targets = (process.env.BENCH_TARGETS ?? 'pglite,postgresql').split(',');
  const pgUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
  if (targets.includes('postgresql')) {
    if (!pgUrl) {
      console.log('\nPostgreSQL: skipped (set BENCH_DATABASE_URL or TEST_DATABASE_URL)');
    } else {
      const name = `fupin_bench_${process.pid}`;
      const admin = new PgClient({ connectionString: pgUrl });
      await admin.connect();
      await admin.query(`CREATE DATABASE ${name}`);
      const url = new URL(pgUrl);
      url.pathname = `/${name}`;
      const database = await openPostgres(url.toString());
      try {
        const version = rowsOf<{ server_version: string }>(await database.db.execute(sql`SHOW server_version`))[0]!.server_version;
        await run(`PostgreSQL (${version}, throwaway database ${name})`, database);
      } finally {
        await database.close();
        await dropDatabase(admin, name);
        await admin.end();
      }
    }
  }
  if (targets.includes('pglite')) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fupin-bench-'));
    const database = await openPglite(dir);
    try {
      await run(`PGlite (data folder ${dir})`, database);
    } finally {
      await database.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
}
