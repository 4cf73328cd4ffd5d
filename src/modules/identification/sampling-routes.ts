import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../platform/http.ts';

/** Routes of verification sampling (抽样复核) and relative-poverty standards (相对贫困), under /api/identification. */
export function samplingRoutes(_app: FastifyInstance, _ctx: AppContext): void {}
