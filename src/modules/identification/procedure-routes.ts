import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../platform/http.ts';

/** Routes of the procedure: batches, applications, notices, objections, the worklist. */
export function procedureRoutes(_app: FastifyInstance, _ctx: AppContext): void {}
