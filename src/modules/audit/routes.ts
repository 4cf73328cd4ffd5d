import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { pageOf } from '../../shared/paging.ts';
import type { AppContext } from '../../platform/http.ts';
import { auditEventSchema, auditQuery } from './contract.ts';
import { AUDIT } from './permissions.ts';
import { findAuditEvents } from './service.ts';

/** GET /api/audit: search the audit log. */
export function auditRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get(
    '/audit',
    {
      config: { action: AUDIT['audit.read'] },
      schema: { tags: ['audit'], summary: '查询审计日志 · Search the audit log', querystring: auditQuery, response: { 200: pageOf(auditEventSchema) } },
    },
    async (req) => findAuditEvents(ctx.db, req.actor!, req.query),
  );
}
