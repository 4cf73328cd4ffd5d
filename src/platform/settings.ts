import crypto from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import type { Db } from './db.ts';
import { settings } from './schema.ts';

/**
 * Reads a shared setting, creating it with `make()` when absent (race-safe across processes: the
 * first writer wins and every process reads the same value).
 */
export async function getOrCreateSetting(db: Db, key: string, make: () => string): Promise<string> {
  await db.insert(settings).values({ key, value: make() }).onConflictDoNothing();
  const [row] = await db.select().from(settings).where(eq(settings.key, key));
  return row!.value;
}

/** The cookie-signing secret: FUPIN_SESSION_SECRET, else one generated once and kept in the database. */
export function cookieSecret(db: Db, configured: string | undefined): Promise<string> {
  return configured ? Promise.resolve(configured) : getOrCreateSetting(db, 'cookie_secret', () => crypto.randomBytes(32).toString('base64url'));
}

export { sql };
