import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../platform/http.ts';

/** Routes of assistance: visits. */
export function visitsRoutes(_app: FastifyInstance, _ctx: AppContext): void {}
