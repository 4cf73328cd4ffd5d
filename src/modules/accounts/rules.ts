/** Pure rules of the accounts capability. */
import crypto from 'node:crypto';
import { levelOfCode, LEVEL_LABELS } from '../../shared/area-code.ts';
import { ROLE_AREA_LEVELS, ROLE_LABELS, type Role } from '../../shared/access.ts';
import type { FieldIssue } from '../../shared/errors.ts';

/** Failed sign-ins in a row that lock an account, and for how long (minutes). */
export const LOCKOUT_THRESHOLD = 5;
export const LOCKOUT_MINUTES = 15;
/** A session ends after this long without a request (hours), and in any case after ABSOLUTE days. */
export const SESSION_IDLE_HOURS = 12;
export const SESSION_ABSOLUTE_DAYS = 7;

/**
 * Checks that a role may hold an area of this level (e.g. a village clerk holds a village).
 * @returns the field issue, or null when the pair is allowed
 */
export function roleAreaIssue(role: Role, areaCode: string | null): FieldIssue | null {
  if (areaCode === null) {
    return role === 'admin' ? null : { path: ['areaCode'], message: `${ROLE_LABELS[role].zh}必须指定所属区划`, messageEn: `a ${ROLE_LABELS[role].en} needs an area` };
  }
  const level = levelOfCode(areaCode);
  const allowed = ROLE_AREA_LEVELS[role];
  if (allowed.includes(level)) return null;
  return {
    path: ['areaCode'],
    message: `${ROLE_LABELS[role].zh}的所属区划应为${allowed.map((l) => LEVEL_LABELS[l].zh).join('或')}级，而不是${LEVEL_LABELS[level].zh}级`,
    messageEn: `a ${ROLE_LABELS[role].en} belongs to a ${allowed.map((l) => LEVEL_LABELS[l].en.toLowerCase()).join(' or ')}, not a ${LEVEL_LABELS[level].en.toLowerCase()}`,
  };
}

/** A random password for first sign-in or reset: 14 characters, letters and digits (no look-alikes). */
export function generatePassword(length = 14): string {
  const letters = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ';
  const digits = '23456789';
  const all = letters + digits;
  for (;;) {
    const bytes = crypto.randomBytes(length);
    const pw = Array.from(bytes, (b) => all[b % all.length]).join('');
    if (/[A-Za-z]/.test(pw) && /\d/.test(pw)) return pw;
  }
}

/** The session id stored in the database: SHA-256 of the cookie's token (hex). */
export function sessionIdOf(token: string): string {
  return crypto.createHash('sha256').update(token).digest('hex');
}

export function newSessionToken(): string {
  return crypto.randomBytes(32).toString('base64url');
}
