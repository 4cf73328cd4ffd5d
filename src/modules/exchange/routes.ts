import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../platform/http.ts';
import { householdListQuery } from '../households/index.ts';
import { exportHouseholds } from './export.ts';
import { EXCHANGE } from './permissions.ts';

/** The export's query: the household list's filters, plus what to export and how. */
export const exportQuery = householdListQuery
  .pick({ areaCode: true, householdType: true, status: true, povertyAttribute: true, mainPovertyCause: true, incomeMin: true, incomeMax: true, q: true, includeRemoved: true })
  .extend({
    kind: z.enum(['households', 'members']).default('households'),
    format: z.enum(['xlsx', 'csv']).default('xlsx'),
    encoding: z.enum(['utf-8', 'gbk']).default('utf-8'),
    full: z.stringbool().default(false),
  });

/**
 * Content-Disposition for a file name that may be Chinese: an ASCII fallback and the RFC 5987
 * filename*=UTF-8''… form that browsers prefer.
 */
export function contentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  const encoded = encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/** Routes under /api/exports. */
export function exchangeRoutes(app: FastifyInstance, ctx: AppContext): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['exchange'];

  r.get(
    '/exports/households',
    {
      config: { action: EXCHANGE['exchange.export'] },
      schema: {
        tags,
        summary: '导出农户名单或人员名单（.xlsx / CSV）· Export the household or member list; full=true shows ID numbers in full and is audited',
        querystring: exportQuery,
      },
    },
    async (req, reply) => {
      const { kind, format, encoding, full, ...filters } = req.query;
      const f = await exportHouseholds(ctx.db, req.actor!, { kind, format, encoding, full, filters });
      return reply.header('content-type', f.contentType).header('content-disposition', contentDisposition(f.fileName)).header('cache-control', 'no-store').send(f.body);
    },
  );
}
