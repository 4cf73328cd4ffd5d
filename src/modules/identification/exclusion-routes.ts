import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../platform/http.ts';

/** Routes of exclusion rules (红线) and cross-check lists (比对), under /api/identification. */
export function exclusionRoutes(_app: FastifyInstance, _ctx: AppContext): void {}
