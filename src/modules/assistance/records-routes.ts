import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../platform/http.ts';

/** Routes of assistance: records. */
export function recordsRoutes(_app: FastifyInstance, _ctx: AppContext): void {}
