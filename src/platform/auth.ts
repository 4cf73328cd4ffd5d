/**
 * Who is acting, and whether they may. `authorize(actor, action, target)` is the one check every
 * service makes: the role must hold the action (else FORBIDDEN, HTTP 403) and the target must lie in
 * the actor's area scope (else NOT_FOUND, HTTP 404: a record outside the scope is not disclosed).
 */
import { hash, verify } from '@node-rs/argon2';
import { AppError, forbidden, notFound } from '../shared/errors.ts';
import { isWithinScope, scopePrefix } from '../shared/area-code.ts';
import { roleCan, type Role } from '../shared/access.ts';

/** The person (or the system) performing a use case. */
export interface Actor {
  /** The user's id; null for the system actor (CLI, migrations, demo seeding). */
  id: string | null;
  username: string;
  displayName: string;
  role: Role;
  /** 12-digit area code of the actor's scope; null = the whole country (administrator, system). */
  areaCode: string | null;
  /** Client address, for the audit log. */
  ip?: string | undefined;
  requestId?: string | undefined;
}

/** The actor of CLI commands and start-up seeding: administrator rights, whole-country scope. */
export const SYSTEM_ACTOR: Actor = { id: null, username: 'system', displayName: '系统', role: 'admin', areaCode: null };

/** What an action is done to: anything with an area (null area = not tied to one, e.g. the country). */
export interface ScopedTarget {
  areaCode: string | null;
  /** Names the record in the NOT_FOUND message, e.g. { zh: '用户', en: 'User' }. */
  label?: { zh: string; en: string };
}

/**
 * Checks that `actor` may perform `action` on `target`.
 * @throws AppError FORBIDDEN when the role lacks the action; NOT_FOUND when the target is outside scope
 */
export function authorize(actor: Actor, action: string, target?: ScopedTarget): void {
  if (!roleCan(actor.role, action)) throw forbidden(action);
  if (target && !inScope(actor, target.areaCode)) {
    throw notFound(target.label?.zh ?? '记录', target.label?.en ?? 'Record');
  }
}

/** Whether the actor's role holds the action (no scope check): for choosing what to show. */
export function roleHolds(actor: Actor, action: string): boolean {
  return roleCan(actor.role, action);
}

/** Whether an area (12-digit code; null = national) lies inside the actor's scope. */
export function inScope(actor: Actor, areaCode: string | null): boolean {
  if (actor.areaCode === null) return true;
  if (areaCode === null) return false;
  return isWithinScope(actor.areaCode, areaCode);
}

/**
 * The LIKE pattern that restricts a code column to the actor's scope, e.g. '430181%'; '%' for the
 * whole country. Every list query in queries.ts applies it.
 */
export function scopePattern(actor: Actor): string {
  return actor.areaCode === null ? '%' : `${scopePrefix(actor.areaCode)}%`;
}

/** Password rules: 8–128 characters with at least a letter and a digit. */
export function checkPasswordStrength(password: string): void {
  if (password.length < 8 || password.length > 128 || !/[A-Za-z]/.test(password) || !/\d/.test(password)) {
    throw new AppError('VALIDATION_FAILED', '密码须为 8–128 位，且同时包含字母和数字', 'The password needs 8–128 characters with at least one letter and one digit', {
      issues: [{ path: ['password'], message: '密码须为 8–128 位，且同时包含字母和数字', messageEn: 'needs 8–128 characters with a letter and a digit' }],
    });
  }
}

/** Hashes a password with argon2id (the @node-rs/argon2 default algorithm, OWASP parameters). */
export function hashPassword(password: string): Promise<string> {
  return hash(password, { algorithm: 2 /* Argon2id */, memoryCost: 19456, timeCost: 2, parallelism: 1 });
}

/** Verifies a password against its argon2 hash; false on mismatch or a malformed hash. */
export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}
