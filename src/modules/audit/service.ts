/**
 * The audit log (审计日志): every write records who did what to which record, with the values
 * before and after, in the same transaction as the write. Reads of full personal records are
 * recorded the same way. The table is append-only (a database trigger refuses UPDATE and DELETE).
 */
import { and, count, desc, eq, gte, ilike, like, lt, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db.ts';
import { authorize, scopePattern, type Actor } from '../../platform/auth.ts';
import { maskIdNumber, maskPhone } from '../../shared/mask.ts';
import type { Page } from '../../shared/paging.ts';
import { auditEvents } from './schema.ts';
import type { AuditEventDto, AuditQuery } from './contract.ts';
import { AUDIT } from './permissions.ts';

export interface AuditInput {
  /** Permission-style action, e.g. "accounts.create". */
  action: string;
  targetType: string;
  targetId?: string | null;
  /** 12-digit area code the target belongs to (scopes who may read the event). */
  areaCode?: string | null;
  before?: unknown;
  after?: unknown;
}

const SECRET_KEYS = /password|secret|token/i;

/** Removes secrets (password hashes, tokens) from a value recorded in the log. */
export function redactSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactSecrets);
  if (value instanceof Date) return value.toISOString();
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([k]) => !SECRET_KEYS.test(k))
        .map(([k, v]) => [k, redactSecrets(v)]),
    );
  }
  return value;
}

/**
 * Appends one event. Call it inside the use case's transaction, after the write it records.
 * @param tx the transaction of the write (so that the event and the write commit together)
 */
export async function recordAudit(tx: DbOrTx, actor: Actor, input: AuditInput): Promise<void> {
  await tx.insert(auditEvents).values({
    actorId: actor.id,
    actorUsername: actor.username,
    actorRole: actor.role,
    action: input.action,
    targetType: input.targetType,
    targetId: input.targetId ?? null,
    areaCode: input.areaCode ?? null,
    before: (input.before === undefined ? null : redactSecrets(input.before)) as never,
    after: (input.after === undefined ? null : redactSecrets(input.after)) as never,
    ip: actor.ip ?? null,
    requestId: actor.requestId ?? null,
  });
}

const PERSONAL_KEYS: Record<string, (v: string) => string | null> = { phone: maskPhone, idNumber: maskIdNumber };

/** Masks phones and ID numbers inside recorded values for roles that do not need them in full. */
function maskPersonal(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(maskPersonal);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, typeof v === 'string' && PERSONAL_KEYS[k] ? PERSONAL_KEYS[k](v) : maskPersonal(v)]),
    );
  }
  return value;
}

/** Start of a China Standard Time calendar day as an instant. */
function cstDayStart(day: string): Date {
  return new Date(`${day}T00:00:00+08:00`);
}

/**
 * Searches the log within the actor's scope, newest first. Events tied to no area are visible only to
 * whole-country scopes. Phones and ID numbers in the values are masked except for administrators.
 * @throws AppError FORBIDDEN without `audit.read`
 */
export async function findAuditEvents(db: DbOrTx, actor: Actor, q: AuditQuery): Promise<Page<AuditEventDto>> {
  authorize(actor, AUDIT['audit.read']);
  const where: SQL[] = [];
  if (actor.areaCode !== null) where.push(like(auditEvents.areaCode, scopePattern(actor)));
  if (q.actor) where.push(ilike(auditEvents.actorUsername, `%${q.actor}%`));
  if (q.action) where.push(like(auditEvents.action, `${q.action}%`));
  if (q.targetType) where.push(eq(auditEvents.targetType, q.targetType));
  if (q.targetId) where.push(eq(auditEvents.targetId, q.targetId));
  if (q.from) where.push(gte(auditEvents.at, cstDayStart(q.from)));
  if (q.to) where.push(lt(auditEvents.at, new Date(cstDayStart(q.to).getTime() + 86_400_000)));
  const cond = where.length ? and(...where) : undefined;
  const [rows, totalRows] = await Promise.all([
    db.select().from(auditEvents).where(cond).orderBy(desc(auditEvents.id)).limit(q.pageSize).offset((q.page - 1) * q.pageSize),
    db.select({ total: count() }).from(auditEvents).where(cond),
  ]);
  const mask = actor.role !== 'admin';
  return {
    items: rows.map((r) => ({
      id: r.id,
      at: r.at.toISOString(),
      actorId: r.actorId,
      actorUsername: r.actorUsername,
      actorRole: r.actorRole,
      action: r.action,
      targetType: r.targetType,
      targetId: r.targetId,
      areaCode: r.areaCode,
      before: mask ? maskPersonal(r.before) : r.before,
      after: mask ? maskPersonal(r.after) : r.after,
      ip: r.ip,
    })),
    total: Number(totalRows[0]?.total ?? 0),
    page: q.page,
    pageSize: q.pageSize,
  };
}
