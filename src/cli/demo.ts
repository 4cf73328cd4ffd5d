/**
 * The demo: 长沙市 浏阳市 (430181) from the NBS 2023 division codes, a few villages designated poor
 * (synthetic, marked as demo data; relatively poor villages from 2021), one account per role, and
 * synthetic registry households spread over the county's villages (more in the poor ones). Only
 * synthetic people, never real ones.
 */
import type { Db } from '../platform/db.ts';
import { SYSTEM_ACTOR } from '../platform/auth.ts';
import { currentYear, designatePoorVillage, findChildAreas, importAreas } from '../modules/areas/index.ts';
import { createUser, usernameTaken } from '../modules/accounts/index.ts';
import { demoPovertyLine, seedHouseholds, type DemoVillage } from '../modules/households/index.ts';
import { seedAssistanceDemo } from '../modules/assistance/index.ts';
import { saveExclusionSettings, seedAdjustmentDemo, seedCrossCheckDemo, seedIdentificationDemo, refreshDataQuality, seedRelativePovertyDemo, seedSamplingDemo, seedVillageIdentificationDemo } from '../modules/identification/index.ts';
import type { Role } from '../shared/access.ts';

export const DEMO_COUNTY = '430181000000';
/** Password of every demo account (documented in the README; demo data only). */
export const DEMO_PASSWORD = 'fupin2026';

const DEMO_TOWNSHIP = '430181125000'; // 大围山镇
/** Households seeded by default (first start and `fupin demo`), and the generator's default seed. */
export const DEMO_HOUSEHOLDS = 5000;
export const DEMO_SEED = 2026;
/** A poor village gets this many times the households of another village. */
const POOR_VILLAGE_WEIGHT = 4;

export interface DemoOptions {
  /** Households to generate (default DEMO_HOUSEHOLDS; 0 for none). */
  households?: number;
  seed?: number;
  /** Areas written so far. */
  onAreas?: (done: number) => void;
  /** Households written so far (out of `households`). */
  onHouseholds?: (done: number) => void;
}

export interface DemoSummary {
  areas: number;
  poorVillages: number;
  /** Identification batches (one at every step of the procedure). */
  identificationBatches: number;
  households: number;
  members: number;
  accounts: { username: string; role: Role; area: string }[];
}

/** Whether the database has no areas yet (the demo is seeded on the first start only). */
export async function isEmpty(db: Db): Promise<boolean> {
  const top = await findChildAreas(db, SYSTEM_ACTOR, null);
  return top.length === 0;
}

/**
 * Seeds the demo. Areas, designations and accounts are idempotent (existing accounts are kept);
 * households are added on every run (a different seed gives different people; numbers never clash).
 */
export async function seedDemo(db: Db, opts: DemoOptions = {}): Promise<DemoSummary> {
  const imported = await importAreas(db, SYSTEM_ACTOR, '430181', opts.onAreas);
  const townships = await findChildAreas(db, SYSTEM_ACTOR, DEMO_COUNTY);
  // Synthetic designations: every 12th village of the county, 2016–2020, marked as demo data.
  let poorVillages = 0;
  let n = 0;
  const demoVillages: DemoVillage[] = [];
  const poorCodes: string[] = [];
  for (const t of townships) {
    for (const v of await findChildAreas(db, SYSTEM_ACTOR, t.code)) {
      const poor = n++ % 12 === 5;
      demoVillages.push({ code: v.code, name: v.name, weight: poor ? POOR_VILLAGE_WEIGHT : 1 });
      if (!poor) continue;
      poorVillages++;
      poorCodes.push(v.code);
      // 省定贫困村 2016–2020; from 2021 on the same villages as relatively poor villages (相对贫困村).
      for (let year = 2016; year <= currentYear(); year++) {
        await designatePoorVillage(db, SYSTEM_ACTOR, v.code, { year, kind: 'provincial', relative: year > 2020, note: '演示数据 · demo data' });
      }
    }
  }
  const villages = await findChildAreas(db, SYSTEM_ACTOR, DEMO_TOWNSHIP);
  const village = villages[0]!.code;
  // The work-team account lives in the township's first poor village (it has a work team in the demo).
  const teamVillage = poorCodes.find((c) => c.startsWith(DEMO_TOWNSHIP.slice(0, 9))) ?? village;
  const accounts: { username: string; displayName: string; role: Role; areaCode: string }[] = [
    { username: 'city', displayName: '演示·市扶贫办', role: 'city_officer', areaCode: '430100000000' },
    { username: 'county', displayName: '演示·县扶贫办', role: 'county_officer', areaCode: DEMO_COUNTY },
    { username: 'township', displayName: '演示·乡镇专干', role: 'township_officer', areaCode: DEMO_TOWNSHIP },
    { username: 'clerk', displayName: '演示·村信息员', role: 'village_clerk', areaCode: village },
    { username: 'helper', displayName: '演示·帮扶责任人', role: 'helper', areaCode: DEMO_TOWNSHIP },
    { username: 'team', displayName: '演示·驻村工作队', role: 'work_team_member', areaCode: teamVillage },
    { username: 'inspector', displayName: '演示·督查', role: 'inspector', areaCode: DEMO_COUNTY },
  ];
  for (const a of accounts) {
    if (await usernameTaken(db, a.username)) continue;
    await createUser(db, SYSTEM_ACTOR, { ...a, phone: null, password: DEMO_PASSWORD });
  }
  const count = opts.households ?? DEMO_HOUSEHOLDS;
  const seeded =
    count > 0
      ? await seedHouseholds(db, { seed: opts.seed ?? DEMO_SEED, count, villages: demoVillages, year: currentYear(), onProgress: opts.onHouseholds })
      : { households: 0, members: 0 };
  // Identification (with the households): the year's adjustment round first (new entries belong to it),
  // a batch at every step, an open objection, red-line hits, village identifications, a verification
  // sample and a relative-poverty standard.
  let batches = 0;
  if (count > 0) {
    const year = currentYear();
    // The county sets its identification line for the red line "income above the line" (the demo's
    // line of last year, the year incomes are recorded for).
    await saveExclusionSettings(db, SYSTEM_ACTOR, { areaCode: DEMO_COUNTY, rules: [{ rule: 'incomeAboveLine', enabled: true, params: { line: demoPovertyLine(year - 1) } }] });
    await seedAdjustmentDemo(db, DEMO_COUNTY, year);
    const ident = await seedIdentificationDemo(db, DEMO_TOWNSHIP, { seed: opts.seed ?? DEMO_SEED });
    await seedCrossCheckDemo(db, ident.liveHouseholdIds);
    batches = ident.batches;
    await seedVillageIdentificationDemo(db, DEMO_COUNTY, year);
    await seedSamplingDemo(db, DEMO_TOWNSHIP, year);
    // Incomes are recorded for the years before the registry year: the standard is last year's.
    await seedRelativePovertyDemo(db, DEMO_COUNTY, year - 1);
    // The data-quality findings of the county (the page reads the stored ones).
    await refreshDataQuality(db, SYSTEM_ACTOR, DEMO_COUNTY);
    // Assistance: units, helpers (the account `helper` among them), work teams, contact points, needs,
    // plans, measures and visits, with gaps on purpose.
    await seedAssistanceDemo(db, { countyCode: DEMO_COUNTY, townshipCode: DEMO_TOWNSHIP, helperUsername: 'helper', teamUsername: 'team', year, seed: opts.seed ?? DEMO_SEED });
  }
  const total = Object.values(imported.counts).reduce((s, c) => s + c, 0);
  return { areas: total, poorVillages, identificationBatches: batches, households: seeded.households, members: seeded.members, accounts: accounts.map((a) => ({ username: a.username, role: a.role, area: a.areaCode })) };
}
