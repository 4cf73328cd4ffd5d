/** Reads and writes of accounts and sessions; lists are restricted to the actor's scope in SQL. */
import { and, asc, count, eq, ilike, isNull, like, lt, or, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db.ts';
import { sessions } from '../../platform/schema.ts';
import { areas } from '../areas/schema.ts';
import { users } from './schema.ts';

export type UserRow = typeof users.$inferSelect;
export type UserWithArea = UserRow & { areaName: string | null };

const withArea = { user: users, areaName: areas.name };

export async function selectUserById(db: DbOrTx, id: string): Promise<UserWithArea | undefined> {
  const [r] = await db.select(withArea).from(users).leftJoin(areas, eq(areas.code, users.areaCode)).where(eq(users.id, id));
  return r ? { ...r.user, areaName: r.areaName } : undefined;
}

export async function selectUserByUsername(db: DbOrTx, username: string): Promise<UserRow | undefined> {
  const [r] = await db.select().from(users).where(sql`lower(${users.username}) = lower(${username})`);
  return r;
}

export async function countUsers(db: DbOrTx): Promise<number> {
  const [r] = await db.select({ n: count() }).from(users);
  return Number(r!.n);
}

/**
 * Lists users whose area lies within `scopePattern` (a LIKE pattern; '%' = everything, including
 * administrators without an area).
 */
export async function selectUsers(db: DbOrTx, scopePattern: string, f: { q?: string | undefined; role?: string | undefined; areaPattern?: string | undefined }, limit: number, offset: number) {
  const conds: SQL[] = [];
  if (scopePattern !== '%') conds.push(like(users.areaCode, scopePattern));
  if (f.areaPattern) conds.push(like(users.areaCode, f.areaPattern));
  if (f.role) conds.push(eq(users.role, f.role as UserRow['role']));
  if (f.q) {
    const p = `%${f.q.replace(/[%_\\]/g, '\\$&')}%`;
    conds.push(or(ilike(users.username, p), ilike(users.displayName, p))!);
  }
  const where = conds.length ? and(...conds) : undefined;
  const [rows, totalRows] = await Promise.all([
    db.select(withArea).from(users).leftJoin(areas, eq(areas.code, users.areaCode)).where(where).orderBy(asc(users.areaCode), asc(users.username)).limit(limit).offset(offset),
    db.select({ total: count() }).from(users).where(where),
  ]);
  return { items: rows.map((r) => ({ ...r.user, areaName: r.areaName })), total: Number(totalRows[0]?.total ?? 0) };
}

export async function insertUser(db: DbOrTx, values: typeof users.$inferInsert): Promise<UserRow> {
  const [r] = await db.insert(users).values(values).returning();
  return r!;
}

/** Updates a user only if its version is still `version`. @returns the new row, or undefined when stale */
export async function updateUserIfVersion(db: DbOrTx, id: string, version: number, set: Partial<typeof users.$inferInsert>): Promise<UserRow | undefined> {
  const [r] = await db
    .update(users)
    .set({ ...set, version: sql`${users.version} + 1`, updatedAt: new Date() })
    .where(and(eq(users.id, id), eq(users.version, version)))
    .returning();
  return r;
}

/**
 * Updates a user regardless of its version.
 * @param bumpVersion false for sign-in bookkeeping (last sign-in, failed count, lock), which is no edit
 *   of the account and must not turn a manager's open edit stale
 */
export async function updateUser(db: DbOrTx, id: string, set: Partial<typeof users.$inferInsert>, bumpVersion = true): Promise<UserRow> {
  const [r] = await db
    .update(users)
    .set(bumpVersion ? { ...set, version: sql`${users.version} + 1`, updatedAt: new Date() } : set)
    .where(eq(users.id, id))
    .returning();
  return r!;
}

/**
 * Counts a failed sign-in in one statement (so that concurrent attempts all count); at `threshold`
 * the count starts over and the account is locked until `lockUntil`. Does not change `version`.
 * @returns the row after the update; `failedLogins` is 0 exactly when this attempt locked the account
 */
export async function recordFailedLogin(db: DbOrTx, id: string, threshold: number, lockUntil: Date): Promise<UserRow> {
  const reached = sql`${users.failedLogins} + 1 >= ${threshold}`;
  const [r] = await db
    .update(users)
    .set({
      failedLogins: sql`CASE WHEN ${reached} THEN 0 ELSE ${users.failedLogins} + 1 END`,
      lockedUntil: sql`CASE WHEN ${reached} THEN ${lockUntil.toISOString()}::timestamptz ELSE ${users.lockedUntil} END`,
    })
    .where(eq(users.id, id))
    .returning();
  return r!;
}

export async function insertSession(db: DbOrTx, values: typeof sessions.$inferInsert): Promise<void> {
  await db.insert(sessions).values(values);
}

export async function selectSessionUser(db: DbOrTx, sessionId: string) {
  const [r] = await db
    .select({ session: sessions, user: users })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.id, sessionId), sql`${sessions.expiresAt} > now()`));
  return r;
}

export async function touchSession(db: DbOrTx, sessionId: string, expiresAt: Date): Promise<void> {
  await db.update(sessions).set({ lastSeenAt: new Date(), expiresAt }).where(eq(sessions.id, sessionId));
}

export async function deleteSession(db: DbOrTx, sessionId: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.id, sessionId));
}

/** Ends a user's sessions, except `keep` (the current one) when given. */
export async function deleteUserSessions(db: DbOrTx, userId: string, keep?: string): Promise<void> {
  await db.delete(sessions).where(keep ? and(eq(sessions.userId, userId), sql`${sessions.id} <> ${keep}`) : eq(sessions.userId, userId));
}

export async function deleteExpiredSessions(db: DbOrTx): Promise<void> {
  await db.delete(sessions).where(lt(sessions.expiresAt, new Date()));
}

export { isNull };
