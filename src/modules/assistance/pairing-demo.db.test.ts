/**
 * The demo's pairing on generated households of 大围山镇's first four villages: most assisted
 * households get a helper, the last village and a few others none, the account `helper` has six
 * households, one helper is above the maximum, a few households show a change of helper, and a
 * second run adds nothing.
 */
import { isNotNull } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { resetDatabase } from '../../../test/db.ts';
import { SYSTEM_ACTOR, type Actor } from '../../platform/auth.ts';
import type { Db } from '../../platform/db.ts';
import { createUser } from '../accounts/index.ts';
import { currentYear, findChildAreas } from '../areas/index.ts';
import { seedHouseholds } from '../households/index.ts';
import type { AssistanceDemoContext } from './demo.ts';
import { findAssignments, findHelpers, summarizeUnassigned } from './pairing.ts';
import { seedPairingDemo } from './pairing-demo.ts';
import { helperAssignments } from './schema.ts';

const COUNTY = '430181000000';
const TOWNSHIP = '430181125000';
const Y = currentYear();
let db: Db;
let ctx: AssistanceDemoContext;
let villages: string[];
let result: Record<string, number>;
const township: Actor = { id: null, username: 't', displayName: 't', role: 'township_officer', areaCode: TOWNSHIP };

beforeAll(async () => {
  db = (await resetDatabase()).db;
  villages = (await findChildAreas(db, SYSTEM_ACTOR, TOWNSHIP)).slice(0, 4).map((v) => v.code);
  await seedHouseholds(db, { seed: 7, count: 160, villages: villages.map((code) => ({ code, name: code })), year: Y });
  const { user } = await createUser(db, SYSTEM_ACTOR, { username: 'helper', displayName: '演示·帮扶责任人', role: 'helper', areaCode: TOWNSHIP, phone: null, password: 'fupin2026a' });
  ctx = { countyCode: COUNTY, townshipCode: TOWNSHIP, helperUserId: user.id, teamUserId: null, year: Y, seed: 2026 };
  result = await seedPairingDemo(db, ctx);
}, 120_000);

describe('the demo’s pairing', () => {
  it('pairs most assisted households and leaves the last village and some others without a helper', async () => {
    const s = await summarizeUnassigned(db, township);
    expect(result).toMatchObject({ units: 4, assignments: s.assisted - s.withoutHelper, householdsWithoutHelper: s.withoutHelper });
    expect(result.helpers).toBe(Math.ceil(s.assisted / 5));
    const last = s.children.find((c) => c.code === villages.at(-1));
    expect(last && last.withoutHelper).toBe(last?.assisted);
    const others = s.children.filter((c) => c.code !== villages.at(-1));
    expect(others.some((c) => c.withoutHelper > 0)).toBe(true);
    expect(s.withoutHelper / s.assisted).toBeLessThan(0.5);
  });

  it('links the account `helper` to a helper with six households of the first village, and shows one helper above the maximum', async () => {
    const helperActor: Actor = { id: ctx.helperUserId, username: 'helper', displayName: 'h', role: 'helper', areaCode: TOWNSHIP };
    const own = await findHelpers(db, helperActor, {});
    expect(own.items).toHaveLength(1);
    expect(own.items[0]).toMatchObject({ load: 6, username: 'helper' });
    const mine = await findAssignments(db, helperActor, { helperId: own.items[0]!.id });
    expect(mine.items.every((a) => a.villageCode === villages[0])).toBe(true);
    // Every demo helper works in the township (whatever their unit's level), so another township's
    // officer does not see them.
    const all = await findHelpers(db, township, { pageSize: 200 });
    expect(all.total).toBe(result.helpers);
    expect(new Set(all.items.map((h) => h.areaCode))).toEqual(new Set([TOWNSHIP]));
    expect(new Set(all.items.map((h) => h.unitName)).size).toBe(4);
    const neighbour: Actor = { ...township, areaCode: '430181001000' }; // 淮川街道
    expect((await findHelpers(db, neighbour, {})).total).toBe(0);
    const over = await findHelpers(db, township, { overloaded: 'true' });
    expect(over.items.map((h) => [h.load, h.effectiveMax])).toEqual([[12, 10]]);
  });

  it('shows changes of helper in the history, and a second run adds nothing', async () => {
    const ended = await db.select({ householdId: helperAssignments.householdId }).from(helperAssignments).where(isNotNull(helperAssignments.endDate));
    let withHistory = 0;
    for (const e of ended) {
      const history = await findAssignments(db, township, { householdId: e.householdId });
      if (history.items.length === 2 && history.items[0]!.current && history.items[1]!.endReason === '原帮扶责任人工作调动（演示）') withHistory++;
    }
    expect(withHistory).toBe(3);
    const again = await seedPairingDemo(db, ctx);
    expect(again).toEqual({ units: 0, helpers: 0, assignments: 0, householdsWithoutHelper: result.householdsWithoutHelper });
  });
});
