/**
 * A @fastify/rate-limit store that keeps its counters in the database, so that every server process
 * behind a load balancer counts the same requests (fixed windows).
 */
import type { FastifyRateLimitStore } from '@fastify/rate-limit';
import { sql } from 'drizzle-orm';
import { rowsOf, type Db } from './db.ts';

/** Adds one hit to `key`'s window. @returns the hits in the current window and ms until it resets. */
export async function hitRateLimit(db: Db, key: string, windowMs: number): Promise<{ current: number; ttl: number }> {
  const res = await db.execute(sql`
    INSERT INTO rate_limits (key, count, reset_at)
    VALUES (${key}, 1, now() + make_interval(secs => ${windowMs / 1000}))
    ON CONFLICT (key) DO UPDATE SET
      count = CASE WHEN rate_limits.reset_at <= now() THEN 1 ELSE rate_limits.count + 1 END,
      reset_at = CASE WHEN rate_limits.reset_at <= now() THEN EXCLUDED.reset_at ELSE rate_limits.reset_at END
    RETURNING count, GREATEST(0, (EXTRACT(EPOCH FROM (reset_at - now())) * 1000))::int AS ttl`);
  const row = rowsOf<{ count: number; ttl: number }>(res)[0]!;
  return { current: Number(row.count), ttl: Number(row.ttl) };
}

/** Builds the store class @fastify/rate-limit instantiates, bound to `db`. */
export function databaseRateLimitStore(db: Db, prefix = 'rl') {
  return class DatabaseStore implements FastifyRateLimitStore {
    private readonly keyPrefix: string;
    constructor(_options?: unknown, keyPrefix: string = prefix) {
      this.keyPrefix = keyPrefix;
    }
    incr(key: string, callback: (error: Error | null, result?: { current: number; ttl: number }) => void, timeWindow: number): void {
      hitRateLimit(db, `${this.keyPrefix}:${key}`, timeWindow).then(
        (r) => callback(null, r),
        (e: Error) => callback(e),
      );
    }
    child(routeOptions: { path: string; method: string | string[] }): FastifyRateLimitStore {
      return new DatabaseStore(undefined, `${this.keyPrefix}:${String(routeOptions.method)}:${routeOptions.path}`);
    }
  };
}
