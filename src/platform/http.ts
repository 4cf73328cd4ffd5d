/**
 * The Fastify factory: JSON API under /api, the built web client at /, the OpenAPI document at
 * /api/openapi.json and its page at /api/docs. Maps every error to one shape
 * `{error: {code, message, messageEn, details}}` in one place.
 *
 * Each route declares in its `config` either `public: true` or the `action` it performs; a hook
 * answers 401 without a session, checks CSRF on state-changing requests, and 403 when the role lacks
 * the action. Scope (404) is checked by the service, which knows the target.
 */
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import Fastify, { LogController, type FastifyInstance, type FastifyReply, type FastifyRequest, type FastifyError } from 'fastify';
import fastifyCompress from '@fastify/compress';
import fastifyCookie from '@fastify/cookie';
import fastifyCsrf from '@fastify/csrf-protection';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import fastifyStatic from '@fastify/static';
import {
  hasZodFastifySchemaValidationErrors,
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError, type FieldIssue } from '../shared/errors.ts';
import { roleCan } from '../shared/access.ts';
import type { Actor } from './auth.ts';
import type { Db, DatabaseKind } from './db.ts';
import { databaseRateLimitStore } from './rate-limit-store.ts';

export const SESSION_COOKIE = 'fupin_session';
export const CSRF_HEADER = 'x-csrf-token';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
    sessionId: string | null;
  }
  interface FastifyContextConfig {
    /** The route needs no session. */
    public?: boolean;
    /** The permission the route performs; checked against the role before the handler runs. */
    action?: string;
    /** Skip the CSRF check (only for login, which has no session yet). */
    csrf?: false;
  }
}

/** What the platform needs from the accounts capability to turn a cookie into an actor. */
export interface SessionResolver {
  /** @returns the actor and the session id, or null when the token is unknown or expired */
  resolve(token: string, ip: string): Promise<{ actor: Actor; sessionId: string } | null>;
}

export interface AppContext {
  db: Db;
  kind: DatabaseKind;
  version: string;
}

export interface HttpOptions extends AppContext {
  sessions: SessionResolver;
  /** Secret that signs cookies; shared by all processes (from FUPIN_SESSION_SECRET or the settings table). */
  cookieSecret: string;
  /** Registers the capabilities' routes under /api. */
  routes: (app: FastifyInstance, ctx: AppContext) => Promise<void> | void;
  /** Folder of the built web client (served at /); omitted in API-only tests. */
  clientDir?: string | undefined;
  logLevel?: string;
  /** Fastify's trustProxy: whose X-Forwarded-For to believe (default false). */
  trustProxy?: boolean | number | string[];
  /** Mark cookies Secure (behind HTTPS). */
  secureCookies?: boolean;
}

export type App = FastifyInstance;

const zh = z.locales.zhCN().localeError;
const en = z.locales.en().localeError;

function localise(fn: typeof zh, issue: unknown, fallback: string): string {
  try {
    const r = fn(issue as never);
    const msg = typeof r === 'string' ? r : r?.message;
    return msg ?? fallback;
  } catch {
    return fallback;
  }
}

/** Turns a Fastify/zod validation error into field issues with paths and zh/en messages. */
function validationIssues(err: FastifyError): FieldIssue[] {
  if (!hasZodFastifySchemaValidationErrors(err)) return [{ path: [], message: err.message, messageEn: err.message }];
  const context = (err as { validationContext?: string }).validationContext;
  return err.validation.map((v) => {
    // fastify-type-provider-zod 7 flattens each zod issue: code → keyword, path → instancePath ("/a/0/b"),
    // the remaining fields → params. Rebuild the issue for the zod locales.
    const fieldPath = v.instancePath
      .split('/')
      .slice(1)
      .filter((p) => p !== '')
      .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
    const issue = { ...v.params, code: v.keyword, path: fieldPath, message: v.message ?? '' };
    const path = context && context !== 'body' ? [context, ...fieldPath] : fieldPath;
    // A contract's own message is written "中文 · English"; zod's generic ones are localised.
    const custom = issue.message.split(' · ');
    if (custom.length === 2) return { path, message: custom[0]!, messageEn: custom[1]! };
    return { path, message: localise(zh, issue, issue.message), messageEn: localise(en, issue, issue.message) };
  });
}

/** Maps any thrown error to the one error body and its status. */
export function toErrorReply(err: unknown): { status: number; body: ReturnType<AppError['toBody']> } {
  if (err instanceof AppError) return { status: err.status, body: err.toBody() };
  const fe = err as FastifyError & { statusCode?: number };
  if (fe?.validation) {
    const issues = validationIssues(fe);
    const e = new AppError(
      'VALIDATION_FAILED',
      `输入有误：${issues.map((i) => `${i.path.join('.') || '请求'} ${i.message}`).join('；')}`,
      `Invalid input: ${issues.map((i) => `${i.path.join('.') || 'request'} ${i.messageEn}`).join('; ')}`,
      { issues },
    );
    return { status: 400, body: e.toBody() };
  }
  if (fe?.code === 'FST_CSRF_INVALID_TOKEN' || fe?.code === 'FST_CSRF_MISSING_SECRET') {
    const e = new AppError('CSRF_INVALID', '页面已过期或请求来源无效，请刷新页面后重试', 'The page is stale or the request did not come from fupin; reload the page and try again');
    return { status: 403, body: e.toBody() };
  }
  if (fe?.statusCode === 429) {
    const e = new AppError('RATE_LIMITED', '请求过于频繁，请稍后再试', 'Too many requests; try again later');
    return { status: 429, body: e.toBody() };
  }
  if (fe?.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
    const e = new AppError('VALIDATION_FAILED', `请求无效：${fe.message}`, `Bad request: ${fe.message}`);
    return { status: fe.statusCode === 415 || fe.statusCode === 413 ? fe.statusCode : 400, body: e.toBody() };
  }
  const e = new AppError('INTERNAL', '服务器内部错误，请稍后再试或联系管理员', 'Internal server error; try again later or contact the administrator');
  return { status: 500, body: e.toBody() };
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Builds the HTTP application (not yet listening).
 * @returns the Fastify instance; call `.listen()` or use `.inject()` in tests
 */
export async function buildHttp(opts: HttpOptions): Promise<App> {
  const app = Fastify({
    logger: {
      level: opts.logLevel ?? 'info',
      // Never log cookies, CSRF tokens or bodies (which may hold ID numbers and phones).
      redact: ['req.headers.cookie', 'req.headers["x-csrf-token"]', 'res.headers["set-cookie"]'],
    },
    genReqId: () => crypto.randomUUID(),
    // One log line per request only when debugging: the console stays readable for the operator.
    logController: new LogController({ disableRequestLogging: !['debug', 'trace'].includes(opts.logLevel ?? 'info') }),
    // A hop count is valid at run time (proxy-addr) though Fastify's types omit it.
    trustProxy: (opts.trustProxy ?? false) as boolean | string[],
    bodyLimit: 10 * 1024 * 1024,
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  app.decorateRequest('actor', null);
  app.decorateRequest('sessionId', null);

  // gzip/brotli for the client bundle and JSON: village networks are slow.
  await app.register(fastifyCompress, { global: true, threshold: 1024 });
  await app.register(fastifyCookie, { secret: opts.cookieSecret });
  await app.register(fastifyCsrf, {
    cookieKey: 'fupin_csrf',
    cookieOpts: { path: '/', sameSite: 'strict', httpOnly: true, signed: true, secure: opts.secureCookies ?? false },
    getToken: (req: FastifyRequest) => req.headers[CSRF_HEADER] as string | undefined,
  });
  await app.register(fastifyRateLimit, {
    global: false,
    store: databaseRateLimitStore(opts.db),
    errorResponseBuilder: (_req, ctx) => {
      const e = new AppError('RATE_LIMITED', `请求过于频繁，请 ${Math.ceil(ctx.ttl / 1000)} 秒后再试`, `Too many requests; try again in ${Math.ceil(ctx.ttl / 1000)} s`, {
        retryAfterSeconds: Math.ceil(ctx.ttl / 1000),
      });
      return Object.assign(e, { statusCode: 429 });
    },
  });

  await app.register(fastifySwagger, {
    openapi: {
      info: { title: 'fupin API', description: '精准扶贫信息平台接口 · Targeted poverty alleviation platform API', version: opts.version },
      components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE } } },
      security: [{ session: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs' });

  app.setErrorHandler((err, req, reply) => {
    const { status, body } = toErrorReply(err);
    if (status >= 500) req.log.error({ err }, 'request failed');
    void reply.status(status).send(body);
  });

  // Session → actor, then the route's declared requirements.
  app.addHook('onRequest', async (req) => {
    const token = req.cookies[SESSION_COOKIE];
    if (token) {
      const found = await opts.sessions.resolve(token, req.ip);
      if (found) {
        req.actor = { ...found.actor, ip: req.ip, requestId: req.id };
        req.sessionId = found.sessionId;
      }
    }
  });
  app.addHook('preValidation', (req, reply, done) => {
    const cfg = req.routeOptions.config;
    // The API's own documentation page (/api/docs and its assets) is public, like /api/openapi.json.
    if (!req.url.startsWith('/api/') || cfg.public || req.url.startsWith('/api/docs')) return done();
    if (!req.actor) {
      return done(new AppError('UNAUTHENTICATED', '请先登录', 'Please sign in first'));
    }
    const check = () => {
      if (cfg.action && !roleCan(req.actor!.role, cfg.action)) return done(new AppError('FORBIDDEN', `您的角色无权执行此操作（${cfg.action}）`, `Your role may not perform this action (${cfg.action})`, { action: cfg.action }));
      done();
    };
    if (UNSAFE.has(req.method) && cfg.csrf !== false) {
      app.csrfProtection(req, reply, (err?: Error) => (err ? done(err) : check()));
    } else check();
  });

  app.get('/api/openapi.json', { config: { public: true }, schema: { hide: true } }, async () => app.swagger());

  await app.register(async (api) => opts.routes(api, { db: opts.db, kind: opts.kind, version: opts.version }), { prefix: '/api' });

  if (opts.clientDir && fs.existsSync(path.join(opts.clientDir, 'index.html'))) {
    await app.register(fastifyStatic, { root: opts.clientDir, prefix: '/', wildcard: false, index: ['index.html'] });
  }
  app.setNotFoundHandler((req: FastifyRequest, reply: FastifyReply) => {
    const pathname = req.url.split('?')[0] ?? '';
    // API calls, non-GET requests and missing files (a path with an extension, e.g. /assets/x.js) are 404;
    // every other GET is a client-side route and gets the single-page app.
    if (pathname.startsWith('/api') || req.method !== 'GET' || !opts.clientDir || /\.[a-z0-9]+$/i.test(pathname)) {
      const e = new AppError('NOT_FOUND', `接口不存在：${req.method} ${req.url.split('?')[0]}`, `No such endpoint: ${req.method} ${req.url.split('?')[0]}`);
      return reply.status(404).send(e.toBody());
    }
    return reply.type('text/html').sendFile('index.html');
  });

  return app;
}

/**
 * Content-Disposition for a file name that may be Chinese: an ASCII fallback and the RFC 5987
 * filename*=UTF-8''… form that browsers prefer.
 */
export function contentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  const encoded = encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/** One uploaded file and the text fields sent with it. */
export interface UploadedForm {
  file: { fileName: string; content: Buffer } | null;
  fields: Record<string, string>;
}

/**
 * Reads a multipart/form-data request holding at most one file in the field "file" (other file
 * parts are drained and ignored) and text fields. Register @fastify/multipart with
 * `throwFileSizeLimit: true` in the route's scope first.
 * @param tooLarge the message (zh, en) when the file is over the scope's size limit
 * @throws AppError VALIDATION_FAILED (path file) when the request is not multipart; PAYLOAD_TOO_LARGE
 */
export async function readUploadedForm(req: FastifyRequest, tooLarge: { zh: string; en: string }): Promise<UploadedForm> {
  if (!req.isMultipart()) {
    throw new AppError('VALIDATION_FAILED', '请以 multipart/form-data 上传文件（字段 file）', 'Upload the file as multipart/form-data (field "file")', {
      issues: [{ path: ['file'], message: '请选择文件', messageEn: 'choose a file' }],
    });
  }
  const fields: Record<string, string> = {};
  let file: UploadedForm['file'] = null;
  try {
    for await (const part of req.parts()) {
      if (part.type === 'file') {
        if (part.fieldname !== 'file' || file) {
          await part.toBuffer();
          continue;
        }
        file = { fileName: part.filename, content: await part.toBuffer() };
      } else fields[part.fieldname] = String(part.value);
    }
  } catch (e) {
    if ((e as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw new AppError('PAYLOAD_TOO_LARGE', tooLarge.zh, tooLarge.en);
    throw e;
  }
  return { file, fields };
}
