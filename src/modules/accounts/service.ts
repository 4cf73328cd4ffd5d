/**
 * Accounts (用户与权限): sign-in with lockout, database sessions, the administrator's first account,
 * and user management by administrators and officers for areas inside their own.
 */
import { AppError, forbidden, notFound } from '../../shared/errors.ts';
import { actionsOf, type Role } from '../../shared/access.ts';
import { ancestorCodesOf } from '../../shared/area-code.ts';
import { maskPhone } from '../../shared/mask.ts';
import type { Page } from '../../shared/paging.ts';
import { authorize, checkPasswordStrength, hashPassword, inScope, scopePattern, SYSTEM_ACTOR, verifyPassword, type Actor } from '../../platform/auth.ts';
import type { Db, DbOrTx } from '../../platform/db.ts';
import { areaExists, loadArea } from '../areas/index.ts';
import { recordAudit } from '../audit/index.ts';
import type { CreateUserInput, UpdateUserInput, UserDto, UserListQuery } from './contract.ts';
import { ACCOUNTS } from './permissions.ts';
import * as q from './queries.ts';
import { generatePassword, LOCKOUT_MINUTES, LOCKOUT_THRESHOLD, newSessionToken, roleAreaIssue, SESSION_ABSOLUTE_DAYS, SESSION_IDLE_HOURS, sessionIdOf } from './rules.ts';

const USER_LABEL = { zh: '用户', en: 'User' };

/** A user as the API shows it; the phone is masked unless `fullPhone`. */
export function toUserDto(u: q.UserWithArea | (q.UserRow & { areaName?: string | null }), fullPhone = false): UserDto {
  return {
    id: u.id,
    username: u.username,
    displayName: u.displayName,
    role: u.role,
    areaCode: u.areaCode,
    areaName: u.areaName ?? null,
    phone: fullPhone ? u.phone : maskPhone(u.phone),
    active: u.active,
    locked: !!u.lockedUntil && u.lockedUntil.getTime() > Date.now(),
    mustChangePassword: u.mustChangePassword,
    lastLoginAt: u.lastLoginAt?.toISOString() ?? null,
    createdAt: u.createdAt.toISOString(),
    version: u.version,
  };
}

/** What the audit log keeps of a user (no hash; phone as entered, masked when read by non-admins). */
function auditView(u: q.UserRow) {
  return { username: u.username, displayName: u.displayName, role: u.role, areaCode: u.areaCode, phone: u.phone, active: u.active, mustChangePassword: u.mustChangePassword };
}

export function actorOf(u: q.UserRow): Actor {
  return { id: u.id, username: u.username, displayName: u.displayName, role: u.role, areaCode: u.areaCode };
}

const BAD_LOGIN = () => new AppError('UNAUTHENTICATED', '用户名或密码错误', 'Wrong username or password');
let dummyHash: Promise<string> | undefined;

function lockedError(remainingMs: number): AppError {
  const secs = Math.ceil(remainingMs / 1000);
  return new AppError('ACCOUNT_LOCKED', `密码错误次数过多，账号已锁定，请 ${Math.ceil(secs / 60)} 分钟后再试，或请管理员解锁`, `Too many wrong passwords: the account is locked; try again in ${Math.ceil(secs / 60)} min or ask an administrator to unlock it`, {
    retryAfterSeconds: secs,
  });
}

/**
 * Signs a user in. Five wrong passwords in a row lock the account for 15 minutes.
 * @returns the new session's token (for the cookie) and the user
 * @throws AppError UNAUTHENTICATED (wrong username or password, or a deactivated account),
 *   ACCOUNT_LOCKED (with `details.retryAfterSeconds`)
 */
export async function login(db: Db, input: { username: string; password: string; ip?: string; userAgent?: string }): Promise<{ token: string; user: q.UserRow }> {
  const user = await q.selectUserByUsername(db, input.username);
  if (!user) {
    // Spend the same time as a real check, so that timing does not tell which usernames exist.
    await verifyPassword(await (dummyHash ??= hashPassword('not-a-real-password-1')), input.password);
    throw BAD_LOGIN();
  }
  const now = Date.now();
  if (user.lockedUntil && user.lockedUntil.getTime() > now) {
    throw lockedError(user.lockedUntil.getTime() - now);
  }
  const ok = await verifyPassword(user.passwordHash, input.password);
  const actor = { ...actorOf(user), ip: input.ip };
  if (!ok) {
    const locked = await db.transaction(async (tx) => {
      const updated = await q.recordFailedLogin(tx, user.id, LOCKOUT_THRESHOLD, new Date(now + LOCKOUT_MINUTES * 60_000));
      const lock = updated.failedLogins === 0;
      const failed = lock ? LOCKOUT_THRESHOLD : updated.failedLogins;
      await recordAudit(tx, actor, { action: lock ? 'accounts.locked' : 'accounts.login-failed', targetType: 'user', targetId: user.id, areaCode: user.areaCode, after: { failedLogins: failed, lockedUntil: updated.lockedUntil } });
      return lock;
    });
    // The attempt that locks the account already says so.
    throw locked ? lockedError(LOCKOUT_MINUTES * 60_000) : BAD_LOGIN();
  }
  if (!user.active) throw new AppError('UNAUTHENTICATED', '账号已停用，请联系管理员', 'This account is deactivated; contact the administrator');
  const token = newSessionToken();
  const updated = await db.transaction(async (tx) => {
    const u = await q.updateUser(tx, user.id, { failedLogins: 0, lockedUntil: null, lastLoginAt: new Date() }, false);
    await q.insertSession(tx, {
      id: sessionIdOf(token),
      userId: user.id,
      expiresAt: new Date(now + SESSION_IDLE_HOURS * 3_600_000),
      ip: input.ip ?? null,
      userAgent: input.userAgent?.slice(0, 300) ?? null,
    });
    await recordAudit(tx, actor, { action: 'accounts.login', targetType: 'user', targetId: user.id, areaCode: user.areaCode });
    return u;
  });
  return { token, user: updated };
}

/**
 * Resolves a session cookie's token to the signed-in actor, extending the idle timeout (at most once
 * a minute, and never past the absolute limit).
 * @returns null for an unknown, expired or deactivated session
 */
export async function resolveSession(db: Db, token: string): Promise<{ actor: Actor; sessionId: string; user: q.UserRow } | null> {
  if (!token || token.length > 200) return null;
  const id = sessionIdOf(token);
  const found = await q.selectSessionUser(db, id);
  if (!found || !found.user.active) return null;
  const now = Date.now();
  if (now - found.session.lastSeenAt.getTime() > 60_000) {
    const absolute = found.session.createdAt.getTime() + SESSION_ABSOLUTE_DAYS * 86_400_000;
    await q.touchSession(db, id, new Date(Math.min(now + SESSION_IDLE_HOURS * 3_600_000, absolute)));
  }
  return { actor: actorOf(found.user), sessionId: id, user: found.user };
}

/** Ends a session (sign-out). */
export async function logout(db: Db, actor: Actor, sessionId: string): Promise<void> {
  await db.transaction(async (tx) => {
    await q.deleteSession(tx, sessionId);
    await recordAudit(tx, actor, { action: 'accounts.logout', targetType: 'user', targetId: actor.id, areaCode: actor.areaCode });
  });
}

/** The signed-in user's own profile: the user, the actions of the role, and the area's full name. */
export async function getProfile(db: DbOrTx, actor: Actor) {
  const u = actor.id ? await q.selectUserById(db, actor.id) : undefined;
  if (!u) throw notFound(USER_LABEL.zh, USER_LABEL.en);
  let areaFullName: string | null = null;
  if (u.areaCode) {
    const names = await Promise.all([...ancestorCodesOf(u.areaCode), u.areaCode].map((c) => loadArea(db, c)));
    areaFullName = names.map((a) => a?.name).filter(Boolean).join(' ');
  }
  return { user: toUserDto(u, true), actions: actionsOf(u.role), areaFullName };
}

/**
 * Lists users in the actor's scope (an optional area narrows it further), newest area first.
 * @throws AppError FORBIDDEN without `accounts.read`
 */
export async function findUsers(db: DbOrTx, actor: Actor, query: UserListQuery): Promise<Page<UserDto>> {
  authorize(actor, ACCOUNTS['accounts.read']);
  let areaPattern: string | undefined;
  if (query.areaCode) {
    if (!inScope(actor, query.areaCode)) throw notFound('区划', 'Area');
    areaPattern = scopePattern({ ...actor, areaCode: query.areaCode });
  }
  const { items, total } = await q.selectUsers(db, scopePattern(actor), { q: query.q, role: query.role, areaPattern }, query.pageSize, (query.page - 1) * query.pageSize);
  return { items: items.map((u) => toUserDto(u)), total, page: query.page, pageSize: query.pageSize };
}

/** Reads one user (full phone). @throws AppError NOT_FOUND when absent or outside the actor's scope */
export async function getUser(db: DbOrTx, actor: Actor, id: string): Promise<UserDto> {
  const u = await q.selectUserById(db, id);
  if (!u) throw notFound(USER_LABEL.zh, USER_LABEL.en);
  authorize(actor, ACCOUNTS['accounts.read'], { areaCode: u.areaCode, label: USER_LABEL });
  return toUserDto(u, true);
}

/** Checks that the actor may give `role` and `areaCode` to an account. */
async function checkAssignable(db: DbOrTx, actor: Actor, role: Role, areaCode: string | null): Promise<void> {
  if (role === 'admin' && actor.role !== 'admin') {
    throw new AppError('FORBIDDEN', '只有系统管理员可以设置管理员账号', 'Only an administrator may create or edit administrators', {
      issues: [{ path: ['role'], message: '无权设置为系统管理员', messageEn: 'you may not assign this role' }],
    });
  }
  const issue = roleAreaIssue(role, areaCode);
  if (issue) throw new AppError('VALIDATION_FAILED', `输入有误：${issue.message}`, `Invalid input: ${issue.messageEn}`, { issues: [issue] });
  if (areaCode !== null) {
    if (!inScope(actor, areaCode)) {
      throw new AppError('FORBIDDEN', '只能为本人管辖范围内的区划设置账号', 'You may only assign areas inside your own', {
        issues: [{ path: ['areaCode'], message: '该区划不在您的管辖范围内', messageEn: 'this area is outside your scope' }],
      });
    }
    if (!(await areaExists(db, areaCode))) {
      throw new AppError('VALIDATION_FAILED', `区划代码 ${areaCode} 不存在或已撤销`, `Area ${areaCode} does not exist or is retired`, {
        issues: [{ path: ['areaCode'], message: '区划不存在或已撤销', messageEn: 'no such current area' }],
      });
    }
  } else if (actor.areaCode !== null) {
    throw forbidden('accounts.create');
  }
}

/**
 * Creates an account. Without a password one is generated; either way the user must change it at
 * first sign-in.
 * @returns the user and the generated password (null when one was given)
 * @throws AppError FORBIDDEN (role lacks the action, area outside scope, admin by non-admin),
 *   VALIDATION_FAILED (role and area level do not fit, weak password), CONFLICT (username taken)
 */
export async function createUser(db: Db, actor: Actor, input: CreateUserInput): Promise<{ user: UserDto; initialPassword: string | null }> {
  authorize(actor, ACCOUNTS['accounts.create']);
  const password = input.password ?? generatePassword();
  checkPasswordStrength(password);
  const passwordHash = await hashPassword(password);
  return db.transaction(async (tx) => {
    await checkAssignable(tx, actor, input.role, input.areaCode);
    if (await q.selectUserByUsername(tx, input.username)) {
      throw new AppError('CONFLICT', `用户名 ${input.username} 已被使用`, `The username ${input.username} is taken`, {
        issues: [{ path: ['username'], message: '用户名已被使用', messageEn: 'already taken' }],
      });
    }
    const u = await q.insertUser(tx, {
      username: input.username,
      displayName: input.displayName,
      role: input.role,
      areaCode: input.areaCode,
      phone: input.phone ?? null,
      passwordHash,
      mustChangePassword: actor.id !== null,
    });
    await recordAudit(tx, actor, { action: ACCOUNTS['accounts.create'], targetType: 'user', targetId: u.id, areaCode: u.areaCode, after: auditView(u) });
    const withArea = await q.selectUserById(tx, u.id);
    return { user: toUserDto(withArea!, true), initialPassword: input.password ? null : password };
  });
}

/**
 * Edits an account (name, role, area, phone, active, unlock). The edit names the version it was
 * based on; if someone saved in between, nothing is written.
 * @throws AppError NOT_FOUND (absent or outside scope), STALE_EDIT, FORBIDDEN, VALIDATION_FAILED,
 *   CONFLICT (changing one's own role or area, or deactivating oneself)
 */
export async function updateUser(db: Db, actor: Actor, id: string, input: UpdateUserInput): Promise<UserDto> {
  return db.transaction(async (tx) => {
    const before = await q.selectUserById(tx, id);
    if (!before) throw notFound(USER_LABEL.zh, USER_LABEL.en);
    authorize(actor, ACCOUNTS['accounts.update'], { areaCode: before.areaCode, label: USER_LABEL });
    if (before.role === 'admin' && actor.role !== 'admin') throw forbidden('accounts.update');
    const role = input.role ?? before.role;
    const areaCode = input.areaCode === undefined ? before.areaCode : input.areaCode;
    if (id === actor.id && (role !== before.role || areaCode !== before.areaCode || input.active === false)) {
      throw new AppError('CONFLICT', '不能修改自己的角色、区划或停用自己的账号', 'You cannot change your own role or area, or deactivate yourself');
    }
    if (role !== before.role || areaCode !== before.areaCode) await checkAssignable(tx, actor, role, areaCode);
    const set: Parameters<typeof q.updateUserIfVersion>[3] = {};
    if (input.displayName !== undefined) set.displayName = input.displayName;
    if (input.role !== undefined) set.role = input.role;
    if (input.areaCode !== undefined) set.areaCode = input.areaCode;
    if (input.phone !== undefined) set.phone = input.phone;
    if (input.active !== undefined) set.active = input.active;
    if (input.unlock) Object.assign(set, { lockedUntil: null, failedLogins: 0 });
    const after = await q.updateUserIfVersion(tx, id, input.version, set);
    if (!after) {
      throw new AppError('STALE_EDIT', '该用户已被他人修改，请刷新后重新编辑', 'Someone else changed this user since you opened it; reload and edit again', {
        currentVersion: before.version,
      });
    }
    if (input.active === false || role !== before.role || areaCode !== before.areaCode) await q.deleteUserSessions(tx, id);
    await recordAudit(tx, actor, { action: ACCOUNTS['accounts.update'], targetType: 'user', targetId: id, areaCode: after.areaCode, before: auditView(before), after: auditView(after) });
    return toUserDto({ ...after, areaName: (await loadArea(tx, after.areaCode ?? ''))?.name ?? null }, true);
  });
}

/**
 * Sets a new random password that the user must change at next sign-in, unlocks the account and
 * ends its sessions. @returns the temporary password (shown once)
 * @throws AppError NOT_FOUND, FORBIDDEN
 */
export async function resetPassword(db: Db, actor: Actor, id: string): Promise<{ temporaryPassword: string }> {
  const temporaryPassword = generatePassword();
  const passwordHash = await hashPassword(temporaryPassword);
  await db.transaction(async (tx) => {
    const before = await q.selectUserById(tx, id);
    if (!before) throw notFound(USER_LABEL.zh, USER_LABEL.en);
    authorize(actor, ACCOUNTS['accounts.reset-password'], { areaCode: before.areaCode, label: USER_LABEL });
    if (before.role === 'admin' && actor.role !== 'admin') throw forbidden(ACCOUNTS['accounts.reset-password']);
    await q.updateUser(tx, id, { passwordHash, mustChangePassword: true, lockedUntil: null, failedLogins: 0, passwordChangedAt: new Date() });
    await q.deleteUserSessions(tx, id);
    await recordAudit(tx, actor, { action: ACCOUNTS['accounts.reset-password'], targetType: 'user', targetId: id, areaCode: before.areaCode });
  });
  return { temporaryPassword };
}

/**
 * Changes the signed-in user's own password; other sessions of the user end.
 * @throws AppError VALIDATION_FAILED (wrong current password, weak or unchanged new one)
 */
export async function changeOwnPassword(db: Db, actor: Actor, sessionId: string | null, input: { currentPassword: string; newPassword: string }): Promise<void> {
  const u = actor.id ? await q.selectUserById(db, actor.id) : undefined;
  if (!u) throw notFound(USER_LABEL.zh, USER_LABEL.en);
  if (!(await verifyPassword(u.passwordHash, input.currentPassword))) {
    throw new AppError('VALIDATION_FAILED', '当前密码不正确', 'The current password is wrong', {
      issues: [{ path: ['currentPassword'], message: '当前密码不正确', messageEn: 'wrong password' }],
    });
  }
  checkPasswordStrength(input.newPassword);
  if (input.newPassword === input.currentPassword) {
    throw new AppError('VALIDATION_FAILED', '新密码不能与当前密码相同', 'The new password must differ from the current one', {
      issues: [{ path: ['newPassword'], message: '新密码不能与当前密码相同', messageEn: 'must differ from the current password' }],
    });
  }
  const passwordHash = await hashPassword(input.newPassword);
  await db.transaction(async (tx) => {
    await q.updateUser(tx, u.id, { passwordHash, mustChangePassword: false, passwordChangedAt: new Date() });
    await q.deleteUserSessions(tx, u.id, sessionId ?? undefined);
    await recordAudit(tx, actor, { action: 'accounts.change-password', targetType: 'user', targetId: u.id, areaCode: u.areaCode });
  });
}

/**
 * Creates the administrator `admin` when the database has no user yet.
 * @param password the initial password (FUPIN_ADMIN_PASSWORD); generated when undefined
 * @returns the password when one was generated (to print once), else null; null too when users exist
 */
export async function ensureAdmin(db: Db, password: string | undefined): Promise<{ created: boolean; generatedPassword: string | null }> {
  if ((await q.countUsers(db)) > 0) return { created: false, generatedPassword: null };
  const pw = password ?? generatePassword(16);
  const passwordHash = await hashPassword(pw);
  await db.transaction(async (tx) => {
    if ((await q.countUsers(tx)) > 0) return;
    const u = await q.insertUser(tx, { username: 'admin', displayName: '系统管理员', role: 'admin', areaCode: null, passwordHash });
    await recordAudit(tx, SYSTEM_ACTOR, { action: ACCOUNTS['accounts.create'], targetType: 'user', targetId: u.id, after: auditView(u) });
  });
  return { created: true, generatedPassword: password ? null : pw };
}

/** The actor for a user id (for jobs, which run as the user who queued them). */
export async function actorForUser(db: DbOrTx, id: string | null): Promise<Actor> {
  if (!id) return SYSTEM_ACTOR;
  const u = await q.selectUserById(db, id);
  if (!u || !u.active) throw new AppError('FORBIDDEN', '提交该任务的用户已停用', 'The user who queued this job is deactivated');
  return actorOf(u);
}

/** Removes expired sessions (run periodically by the server). */
export function purgeExpiredSessions(db: Db): Promise<void> {
  return q.deleteExpiredSessions(db);
}

/** Whether a username is taken (case-insensitive). */
export async function usernameTaken(db: DbOrTx, username: string): Promise<boolean> {
  return !!(await q.selectUserByUsername(db, username));
}
