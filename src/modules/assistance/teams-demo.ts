import type { Db } from '../../platform/db.ts';
import type { AssistanceDemoContext } from './demo.ts';

/** Seeds the demo's teams (synthetic, marked as demo data). Filled in by the teams work. */
export async function seedTeamsDemo(_db: Db, _ctx: AssistanceDemoContext): Promise<Record<string, number>> {
  return {};
}
