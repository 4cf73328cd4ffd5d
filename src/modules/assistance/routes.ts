import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../platform/http.ts';
import { settingsRoutes } from './settings-routes.ts';
import { pairingRoutes } from './pairing-routes.ts';
import { teamsRoutes } from './teams-routes.ts';
import { recordsRoutes } from './records-routes.ts';
import { visitsRoutes } from './visits-routes.ts';
import { coverageRoutes } from './coverage-routes.ts';

/** Every route of assistance and pairing, under /api/assistance. */
export function assistanceRoutes(app: FastifyInstance, ctx: AppContext): void {
  settingsRoutes(app, ctx);
  pairingRoutes(app, ctx);
  teamsRoutes(app, ctx);
  recordsRoutes(app, ctx);
  visitsRoutes(app, ctx);
  coverageRoutes(app, ctx);
}
