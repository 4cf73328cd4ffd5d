/**
 * The db tier's database: one per test worker, reused by every file the worker runs and reset
 * between files. PGlite in memory by default; PostgreSQL when FUPIN_TEST_DATABASE=postgresql, in a
 * throwaway database `<TEST_DATABASE_URL's database>_w<worker>` created here and dropped by
 * test/global-setup.ts.
 */
import pg from 'pg';
import { sql } from 'drizzle-orm';
import { openPglite, openPostgres, rowsOf, type Database } from '../src/platform/db.ts';
import { ensureAdmin } from '../src/modules/accounts/index.ts';
import { importAreas } from '../src/modules/areas/index.ts';
import { SYSTEM_ACTOR } from '../src/platform/auth.ts';

export const ADMIN_PASSWORD = 'admin-test-1';
export const TEST_DB_PREFIX = 'fupin_t';

export function testTarget(): 'pglite' | 'postgresql' {
  return process.env.FUPIN_TEST_DATABASE === 'postgresql' ? 'postgresql' : 'pglite';
}

/** URL of a per-worker database beside TEST_DATABASE_URL's. */
export function workerDatabaseUrl(workerId: string): { adminUrl: string; url: string; name: string } {
  const base = process.env.TEST_DATABASE_URL;
  if (!base) throw new Error('FUPIN_TEST_DATABASE=postgresql needs TEST_DATABASE_URL');
  const u = new URL(base);
  const name = `${TEST_DB_PREFIX}_${process.env.FUPIN_TEST_RUN ?? process.pid}_w${workerId}`;
  const url = new URL(base);
  url.pathname = `/${name}`;
  return { adminUrl: u.toString(), url: url.toString(), name };
}

/**
 * The URL of this worker's PostgreSQL database (for a second server process on the same data).
 * @throws Error when the target is PGlite (in memory, one process)
 */
export function testDatabaseUrl(): string {
  if (testTarget() !== 'postgresql') throw new Error('testDatabaseUrl() needs FUPIN_TEST_DATABASE=postgresql');
  return workerDatabaseUrl(process.env.VITEST_POOL_ID ?? '0').url;
}

declare global {
  var __fupinTestDb: Promise<Database> | undefined;
}

async function open(): Promise<Database> {
  let database: Database;
  if (testTarget() === 'postgresql') {
    const { adminUrl, url, name } = workerDatabaseUrl(process.env.VITEST_POOL_ID ?? '0');
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${name}`);
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    database = await openPostgres(url);
  } else {
    database = await openPglite(undefined);
  }
  await database.migrate();
  // Areas are reference data: loaded once per worker, kept across resets.
  await importAreas(database.db, SYSTEM_ACTOR, '430181');
  return database;
}

/** The worker's database, migrated, with 浏阳市's areas loaded. */
export function testDatabase(): Promise<Database> {
  globalThis.__fupinTestDb ??= open();
  return globalThis.__fupinTestDb;
}

/**
 * Empties every table except the areas (and the migrations' bookkeeping), then creates `admin`
 * with ADMIN_PASSWORD. Call in each file's beforeAll.
 */
export async function resetDatabase(): Promise<Database> {
  const database = await testDatabase();
  const res = await database.db.execute(
    sql`SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'areas'`,
  );
  const tables = rowsOf<{ tablename: string }>(res).map((r) => `"${r.tablename}"`);
  if (tables.length) await database.db.execute(sql.raw(`TRUNCATE ${tables.join(', ')} RESTART IDENTITY CASCADE`));
  await database.db.execute(sql`UPDATE areas SET valid_to = NULL WHERE valid_to IS NOT NULL`);
  await ensureAdmin(database.db, ADMIN_PASSWORD);
  return database;
}
