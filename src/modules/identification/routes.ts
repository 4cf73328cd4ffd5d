import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../platform/http.ts';
import { minutesRoutes, procedureRoutes } from './procedure-routes.ts';
import { exclusionRoutes } from './exclusion-routes.ts';
import { qualityRoutes } from './quality-routes.ts';
import { samplingRoutes } from './sampling-routes.ts';
import { adjustmentRoutes } from './adjustment-routes.ts';

/** Every route of identification and dynamic management, under /api/identification. */
export function identificationRoutes(app: FastifyInstance, ctx: AppContext): void {
  procedureRoutes(app, ctx);
  minutesRoutes(app, ctx);
  exclusionRoutes(app, ctx);
  qualityRoutes(app, ctx);
  samplingRoutes(app, ctx);
  adjustmentRoutes(app, ctx);
}
