import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../platform/http.ts';

/** Routes of assistance: pairing. */
export function pairingRoutes(_app: FastifyInstance, _ctx: AppContext): void {}
