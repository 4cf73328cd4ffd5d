import type { Db } from '../../platform/db.ts';
import type { AssistanceDemoContext } from './demo.ts';

/** Seeds the demo's pairing (synthetic, marked as demo data). Filled in by the pairing work. */
export async function seedPairingDemo(_db: Db, _ctx: AssistanceDemoContext): Promise<Record<string, number>> {
  return {};
}
