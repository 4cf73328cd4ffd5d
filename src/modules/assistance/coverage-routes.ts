import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../platform/http.ts';

/** Routes of assistance: coverage. */
export function coverageRoutes(_app: FastifyInstance, _ctx: AppContext): void {}
