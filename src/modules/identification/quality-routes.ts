import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../platform/http.ts';

/** Routes of data-quality checks (数据质量), under /api/identification. */
export function qualityRoutes(_app: FastifyInstance, _ctx: AppContext): void {}
