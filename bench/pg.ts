/** PostgreSQL helpers shared by the benches. */
import type pg from 'pg';

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
