import type { Db } from '../../platform/db.ts';
import type { AssistanceDemoContext } from './demo.ts';

/** Seeds the demo's visits (synthetic, marked as demo data). Filled in by the visits work. */
export async function seedVisitsDemo(_db: Db, _ctx: AssistanceDemoContext): Promise<Record<string, number>> {
  return {};
}
