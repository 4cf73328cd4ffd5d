/**
 * The demo's assistance (synthetic, marked 演示数据 where text is free): units, helpers (the demo
 * account `helper` linked to one), assignments, work teams, leader contact points, needs, plans,
 * measures and visits — with gaps on purpose (households without a helper, a poor village without a
 * team, households not visited, coverage gaps) so that every list and the coverage page show something.
 */
import { and, asc, eq, inArray, isNull } from 'drizzle-orm';
import type { Db } from '../../platform/db.ts';
import { users } from '../accounts/schema.ts';
import { areas } from '../areas/schema.ts';
import { seedPairingDemo } from './pairing-demo.ts';
import { seedTeamsDemo } from './teams-demo.ts';
import { seedRecordsDemo } from './records-demo.ts';
import { seedVisitsDemo } from './visits-demo.ts';

/** Where and how the demo seeds assistance. */
export interface AssistanceDemoContext {
  /** The demo county (12 digits). */
  countyCode: string;
  /** The township whose households get the full picture (the demo accounts' township). */
  townshipCode: string;
  /** The demo's helper account (role helper), linked to one helper record; null when absent. */
  helperUserId: string | null;
  /** The demo's work-team account (role work_team_member), made a member of its village's team. */
  teamUserId: string | null;
  /** The registry year (current year). */
  year: number;
  /** The generator's seed (reproducible choices). */
  seed: number;
}

/** Counts of what the demo seeded, by kind. */
export type AssistanceDemoResult = Record<string, number>;

/**
 * Seeds the demo's assistance: for the demo township and then the county's other townships (but the
 * last two), pairing (units, helpers, assignments), needs / plans / measures and visits; then the
 * county's work teams and contact points. Each part is one transaction of its own.
 * @returns the counts each part reports, e.g. { units: 6, helpers: 40, assignments: 300, … }
 */
export async function seedAssistanceDemo(
  db: Db,
  input: Omit<AssistanceDemoContext, 'helperUserId' | 'teamUserId'> & { helperUsername: string; teamUsername: string },
): Promise<AssistanceDemoResult> {
  const found = await db.select({ id: users.id, username: users.username }).from(users).where(inArray(users.username, [input.helperUsername, input.teamUsername]));
  const idOf = (u: string) => found.find((f) => f.username === u)?.id ?? null;
  const { helperUsername, teamUsername, ...rest } = input;
  const ctx: AssistanceDemoContext = { ...rest, helperUserId: idOf(helperUsername), teamUserId: idOf(teamUsername) };
  const total: AssistanceDemoResult = {};
  const add = (r: Record<string, number>) => {
    for (const [k, v] of Object.entries(r)) total[k] = (total[k] ?? 0) + v;
  };
  // The demo township first (the demo accounts' households), then the county's other townships but
  // the last two, left unpaired on purpose so the county's lists and coverage show whole gaps.
  const townships = (await db.select({ code: areas.code }).from(areas).where(and(eq(areas.parentCode, ctx.countyCode), isNull(areas.validTo))).orderBy(asc(areas.code))).map((a) => a.code);
  const others = townships.filter((c) => c !== ctx.townshipCode).slice(0, -2);
  for (const [i, townshipCode] of [ctx.townshipCode, ...others].entries()) {
    const part: AssistanceDemoContext = i === 0 ? ctx : { ...ctx, townshipCode, helperUserId: null, teamUserId: null, seed: ctx.seed + i };
    const pairing = await seedPairingDemo(db, part);
    add(pairing);
    // A township paired by an earlier run keeps its records (a second `fupin demo` adds households only).
    if (pairing.helpers === 0 && pairing.assignments === 0) continue;
    add(await seedRecordsDemo(db, part));
    add(await seedVisitsDemo(db, part));
  }
  add(await seedTeamsDemo(db, ctx));
  return total;
}
