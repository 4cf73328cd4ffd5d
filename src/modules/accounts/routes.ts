import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { pageOf } from '../../shared/paging.ts';
import { SESSION_COOKIE, type AppContext } from '../../platform/http.ts';
import { changePasswordBody, createUserBody, loginBody, passwordResetSchema, sessionSchema, updateUserBody, userCreatedSchema, userListQuery, userSchema } from './contract.ts';
import { ACCOUNTS } from './permissions.ts';
import { SESSION_ABSOLUTE_DAYS } from './rules.ts';
import * as service from './service.ts';

const idParams = z.object({ id: z.uuid('用户 ID 格式不正确 · malformed user id') });

/** Routes under /api/auth (sign-in, session, own password) and /api/users (user management). */
export function accountRoutes(app: FastifyInstance, ctx: AppContext, opts: { secureCookies?: boolean } = {}): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const auth = ['auth'];
  const tags = ['users'];

  async function sessionReply(reply: FastifyReply, actor: Parameters<typeof service.getProfile>[1]) {
    const profile = await service.getProfile(ctx.db, actor);
    return { ...profile, csrfToken: reply.generateCsrf() };
  }

  r.post(
    '/auth/login',
    {
      config: { public: true, csrf: false, rateLimit: { max: 20, timeWindow: 60_000 } },
      schema: { tags: auth, summary: '登录 · Sign in', body: loginBody, response: { 200: sessionSchema }, security: [] },
    },
    async (req, reply) => {
      const { token, user } = await service.login(ctx.db, { ...req.body, ip: req.ip, userAgent: req.headers['user-agent'] });
      void reply.setCookie(SESSION_COOKIE, token, { path: '/', httpOnly: true, sameSite: 'lax', secure: opts.secureCookies ?? false, maxAge: SESSION_ABSOLUTE_DAYS * 86_400 });
      return sessionReply(reply, service.actorOf(user));
    },
  );

  r.post('/auth/logout', { schema: { tags: auth, summary: '退出登录 · Sign out' } }, async (req, reply) => {
    await service.logout(ctx.db, req.actor!, req.sessionId!);
    void reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.status(204).send();
  });

  r.get('/auth/session', { schema: { tags: auth, summary: '当前登录信息与 CSRF 令牌 · The current session and its CSRF token', response: { 200: sessionSchema } } }, async (req, reply) =>
    sessionReply(reply, req.actor!),
  );

  r.post('/auth/password', { schema: { tags: auth, summary: '修改本人密码 · Change my password', body: changePasswordBody } }, async (req, reply) => {
    await service.changeOwnPassword(ctx.db, req.actor!, req.sessionId, req.body);
    return reply.status(204).send();
  });

  r.get(
    '/users',
    { config: { action: ACCOUNTS['accounts.read'] }, schema: { tags, summary: '用户列表 · List users', querystring: userListQuery, response: { 200: pageOf(userSchema) } } },
    async (req) => service.findUsers(ctx.db, req.actor!, req.query),
  );

  r.post(
    '/users',
    { config: { action: ACCOUNTS['accounts.create'] }, schema: { tags, summary: '新建用户 · Create a user', body: createUserBody, response: { 201: userCreatedSchema } } },
    async (req, reply) => reply.status(201).send(await service.createUser(ctx.db, req.actor!, req.body)),
  );

  r.get(
    '/users/:id',
    { config: { action: ACCOUNTS['accounts.read'] }, schema: { tags, summary: '用户详情 · A user', params: idParams, response: { 200: userSchema } } },
    async (req) => service.getUser(ctx.db, req.actor!, req.params.id),
  );

  r.patch(
    '/users/:id',
    { config: { action: ACCOUNTS['accounts.update'] }, schema: { tags, summary: '修改用户 · Edit a user', params: idParams, body: updateUserBody, response: { 200: userSchema } } },
    async (req) => service.updateUser(ctx.db, req.actor!, req.params.id, req.body),
  );

  r.post(
    '/users/:id/reset-password',
    {
      config: { action: ACCOUNTS['accounts.reset-password'] },
      schema: { tags, summary: '重置密码 · Reset a password', params: idParams, response: { 200: passwordResetSchema } },
    },
    async (req) => service.resetPassword(ctx.db, req.actor!, req.params.id),
  );
}
