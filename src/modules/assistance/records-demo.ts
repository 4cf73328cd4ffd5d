import type { Db } from '../../platform/db.ts';
import type { AssistanceDemoContext } from './demo.ts';

/** Seeds the demo's records (synthetic, marked as demo data). Filled in by the records work. */
export async function seedRecordsDemo(_db: Db, _ctx: AssistanceDemoContext): Promise<Record<string, number>> {
  return {};
}
