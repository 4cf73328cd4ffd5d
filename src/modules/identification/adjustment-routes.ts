import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../platform/http.ts';

/** Routes of the yearly adjustment round (动态调整) and poor-village identification (贫困村识别), under /api/identification. */
export function adjustmentRoutes(_app: FastifyInstance, _ctx: AppContext): void {}
