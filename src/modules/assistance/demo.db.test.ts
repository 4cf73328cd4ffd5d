/**
 * The demo's assistance as `fupin demo` seeds it (seedAssistanceDemo): the demo township and the
 * county's other townships are paired, recorded and visited, the last two townships are left without
 * helpers on purpose, the `helper` account has its six households, the `team` account sits in a work
 * team, and a second run adds nothing.
 */
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { resetDatabase } from '../../../test/db.ts';
import { SYSTEM_ACTOR, type Actor } from '../../platform/auth.ts';
import { rowsOf, type Db } from '../../platform/db.ts';
import { createUser } from '../accounts/index.ts';
import { currentYear, designatePoorVillage, findChildAreas } from '../areas/index.ts';
import { seedHouseholds } from '../households/index.ts';
import { seedAssistanceDemo, type AssistanceDemoResult } from './demo.ts';
import { findCoverageGaps, getCoverage } from './coverage.ts';
import { COVERAGE_INDICATORS } from './rules.ts';
import { myWorkspace } from './visits.ts';

const COUNTY = '430181000000';
const TOWNSHIP = '430181125000';
const Y = currentYear();
let db: Db;
let townships: string[];
let first: AssistanceDemoResult;
let helperId: string;

const input = { countyCode: COUNTY, townshipCode: TOWNSHIP, helperUsername: 'helper', teamUsername: 'team', year: Y, seed: 2026 };

/** Rows per table, to compare two runs. */
async function counts(): Promise<Record<string, number>> {
  const [r] = rowsOf<Record<string, string>>(
    await db.execute(sql`SELECT (SELECT count(*) FROM helpers) helpers, (SELECT count(*) FROM helper_assignments) assignments,
      (SELECT count(*) FROM household_needs) needs, (SELECT count(*) FROM assistance_measures) measures,
      (SELECT count(*) FROM visits) visits, (SELECT count(*) FROM work_teams) teams`),
  );
  return Object.fromEntries(Object.entries(r!).map(([k, v]) => [k, Number(v)]));
}

/** Assisted households of an area without a current helper, and all assisted households. */
async function unpaired(prefix: string): Promise<{ assisted: number; without: number }> {
  const [r] = rowsOf<{ assisted: string; unpaired: string }>(
    await db.execute(sql`SELECT count(*) assisted, count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM helper_assignments a WHERE a.household_id = h.id AND a.end_date IS NULL)) unpaired
      FROM households h WHERE h.active AND h.household_type IN ('registeredPoor','monitored','relativePoor') AND h.area_code LIKE ${`${prefix}%`}`),
  );
  return { assisted: Number(r!.assisted), without: Number(r!.unpaired) };
}

beforeAll(async () => {
  db = (await resetDatabase()).db;
  townships = (await findChildAreas(db, SYSTEM_ACTOR, COUNTY)).map((t) => t.code).sort();
  // Households in the demo township and in the first and last townships of the county.
  const chosen = [TOWNSHIP, townships[0]!, townships.at(-1)!];
  const villages = [];
  for (const t of chosen) villages.push(...(await findChildAreas(db, SYSTEM_ACTOR, t)).slice(0, 3));
  await seedHouseholds(db, { seed: 11, count: 270, villages: villages.map((v) => ({ code: v.code, name: v.name })), year: Y });
  // A poor village in the demo township, the work-team account's.
  const teamVillage = villages[1]!.code;
  await designatePoorVillage(db, SYSTEM_ACTOR, teamVillage, { year: Y, kind: 'provincial', relative: true, note: '演示数据 · demo data' });
  helperId = (await createUser(db, SYSTEM_ACTOR, { username: 'helper', displayName: '演示·帮扶责任人', role: 'helper', areaCode: TOWNSHIP, phone: null, password: 'fupin2026a' })).user.id;
  await createUser(db, SYSTEM_ACTOR, { username: 'team', displayName: '演示·驻村工作队', role: 'work_team_member', areaCode: teamVillage, phone: null, password: 'fupin2026a' });
  first = await seedAssistanceDemo(db, input);
}, 180_000);

describe('the demo’s assistance', () => {
  it('pairs the demo township and the county’s other townships, with gaps, and leaves the last two townships unpaired', async () => {
    const demo = await unpaired(TOWNSHIP.slice(0, 9));
    expect(demo.assisted).toBeGreaterThan(0);
    expect(demo.without).toBeGreaterThan(0);
    expect(demo.without / demo.assisted).toBeLessThan(0.5);
    const firstTownship = await unpaired(townships[0]!.slice(0, 9));
    expect(firstTownship.without).toBeLessThan(firstTownship.assisted);
    const lastTownship = await unpaired(townships.at(-1)!.slice(0, 9));
    expect(lastTownship.assisted).toBeGreaterThan(0);
    expect(lastTownship.without).toBe(lastTownship.assisted);
    expect(first).toMatchObject({ needs: expect.any(Number), measures: expect.any(Number), visits: expect.any(Number), workTeams: expect.any(Number) });
    expect(first.measures).toBeGreaterThan(0);
    expect(first.visits).toBeGreaterThan(0);
  });

  it('gives the helper account its six households, some not visited within the period', async () => {
    const actor: Actor = { id: helperId, username: 'helper', displayName: '演示·帮扶责任人', role: 'helper', areaCode: TOWNSHIP };
    const mine = await myWorkspace(db, actor);
    expect(mine.items).toHaveLength(6);
    expect(mine.items.filter((h) => h.overdue).length).toBeGreaterThan(0);
    expect(mine.items.filter((h) => !h.overdue).length).toBeGreaterThan(0);
  });

  it('shows coverage gaps in the county', async () => {
    const county: Actor = { id: null, username: 'c', displayName: 'c', role: 'county_officer', areaCode: COUNTY };
    const c = await getCoverage(db, county, {});
    const withGaps = c.indicators.filter((i) => i.receives < i.should);
    expect(withGaps.length).toBeGreaterThan(0);
  });

  it('the SQL counts what the rules count (coverage and gap lists, county, township, helper)', async () => {
    const county: Actor = { id: null, username: 'c', displayName: 'c', role: 'county_officer', areaCode: COUNTY };
    const township: Actor = { id: null, username: 't', displayName: 't', role: 'township_officer', areaCode: TOWNSHIP };
    const helper: Actor = { id: helperId, username: 'helper', displayName: 'h', role: 'helper', areaCode: TOWNSHIP };
    for (const actor of [county, township, helper]) {
      const bySql = await getCoverage(db, actor, {}, { engine: 'sql' });
      const byRules = await getCoverage(db, actor, {}, { engine: 'rules', batchSize: 50 });
      expect(bySql).toEqual(byRules);
      expect(bySql.households).toBeGreaterThan(0);
      for (const indicator of COVERAGE_INDICATORS.map((i) => i.id)) {
        for (const page of [1, 2]) {
          const q = { indicator, page, pageSize: 7 };
          expect(await findCoverageGaps(db, actor, q, { engine: 'sql' }), `${actor.role} ${indicator} ${page}`).toEqual(await findCoverageGaps(db, actor, q, { engine: 'rules', batchSize: 50 }));
        }
      }
    }
  });

  it('adds nothing on a second run', async () => {
    const before = await counts();
    await seedAssistanceDemo(db, input);
    expect(await counts()).toEqual(before);
  });
});
