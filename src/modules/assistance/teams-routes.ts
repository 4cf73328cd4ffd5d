import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../platform/http.ts';

/** Routes of assistance: teams. */
export function teamsRoutes(_app: FastifyInstance, _ctx: AppContext): void {}
