/**
 * `npm run bench -- assistance`: assistance and pairing (精准扶持与对口帮扶) at scale. Loads
 * BENCH_ASSISTANCE_HOUSEHOLDS (default 20,000; ~3.35 members each) synthetic households of 浏阳市 with
 * the demo generator (as bench/quality.ts; every 12th village designated poor this year and given four
 * times the households), creates the demo accounts `helper` and `team`, and seeds the demo's assistance
 * with seedAssistanceDemo (units, helpers, assignments, needs, plans, measures and visits for every
 * township of the county but the last two; work teams and contact points), into a throwaway PostgreSQL
 * database (BENCH_DATABASE_URL, else TEST_DATABASE_URL; dropped afterwards) and/or PGlite (a temporary
 * data folder); BENCH_TARGETS=pglite,postgresql chooses them (default both). It prints the seeding time
 * (households, and assistance rows written per second), then measures through the real HTTP app, p50/p95
 * over BENCH_REQUESTS (default 30) requests each, as a county officer (and as the helper for /my):
 *
 *   - coverage (应享尽享): the county's figures, one township's, and the first page of the households
 *     with a gap in one indicator (the indicator with the most);
 *   - pairing: the counts of households without a helper per township, and the first page of them;
 *   - visit monitoring (走访监测): the counts per township, village and helper, and the first page;
 *   - 我的帮扶户 (GET /my) as the demo helper, and one household's full assistance record;
 *
 * each as a ratio against GET /api/health measured in the same run, and the county's coverage also
 * against the baseline full scan `SELECT count(*)` over the county's active members joined to their
 * assisted households (what the coverage reads, without the rules).
 */
import { rowsOf, sql, type Database } from '../src/platform/db.ts';
import { SYSTEM_ACTOR } from '../src/platform/auth.ts';
import { currentYear, designatePoorVillage, importAreas } from '../src/modules/areas/index.ts';
import { createUser, ensureAdmin } from '../src/modules/accounts/index.ts';
import { seedHouseholds, type DemoVillage } from '../src/modules/households/index.ts';
import { seedAssistanceDemo } from '../src/modules/assistance/index.ts';
import { ASSISTED_HOUSEHOLD_TYPES } from '../src/modules/assistance/rules.ts';
import { createApp } from '../src/app.ts';
import { onBenchTargets } from './pg.ts';

const HOUSEHOLDS = Number(process.env.BENCH_ASSISTANCE_HOUSEHOLDS ?? 20_000);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 30);
const SEED = 2026;
const COUNTY = '430181000000';
/** The demo township (大围山镇), where the accounts `helper` and `team` live, as in src/cli/demo.ts. */
const DEMO_TOWNSHIP = '430181125000';
const PASSWORD = 'bench-pass-1';
/** The tables the assistance demo writes (assistance_settings stays empty). */
const ASSISTANCE_TABLES = [
  'assisting_units',
  'helpers',
  'helper_assignments',
  'work_teams',
  'work_team_members',
  'leader_contact_points',
  'household_needs',
  'assistance_plans',
  'assistance_measures',
  'visits',
  'visit_photos',
];

interface Spread {
  p50: number;
  p95: number;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function timed(n: number, fn: (i: number) => Promise<unknown>, warmUp = 0): Promise<Spread> {
  for (let i = 0; i < warmUp; i++) await fn(i);
  const ms: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await fn(i);
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  return { p50: percentile(ms, 50), p95: percentile(ms, 95) };
}

async function http(n: number, fn: (i: number) => Promise<{ statusCode: number; body: string }>): Promise<Spread> {
  return timed(
    n,
    async (i) => {
      const res = await fn(i);
      if (res.statusCode !== 200) throw new Error(`HTTP ${res.statusCode}: ${res.body.slice(0, 300)}`);
    },
    Math.min(5, n),
  );
}

function line(name: string, r: Spread, base: Spread) {
  console.log(
    `  ${name.padEnd(58)} p50 ${r.p50.toFixed(1).padStart(9)} ms ×${(r.p50 / base.p50).toFixed(1).padStart(7)}   p95 ${r.p95.toFixed(1).padStart(9)} ms ×${(r.p95 / base.p95).toFixed(1).padStart(7)}`,
  );
}

/** The county's villages, every 12th one poor (four times the households), as the demo. */
async function villagesOf(database: Database): Promise<(DemoVillage & { poor: boolean })[]> {
  const rows = rowsOf<{ code: string; name: string }>(
    await database.db.execute(sql`SELECT code, name FROM areas WHERE level = 'village' AND code LIKE '430181%' AND valid_to IS NULL ORDER BY code`),
  );
  return rows.map((r, i) => ({ ...r, poor: i % 12 === 5, weight: i % 12 === 5 ? 4 : 1 }));
}

async function run(label: string, database: Database): Promise<void> {
  console.log(`\n${label}`);
  const db = database.db;
  const year = currentYear();
  await database.migrate();
  await ensureAdmin(db, 'bench-admin-1');
  await importAreas(db, SYSTEM_ACTOR, '430181');
  const villages = await villagesOf(database);
  // This year's designations: the work-team demo gives every poor village of the year a team (but two).
  for (const v of villages.filter((x) => x.poor)) await designatePoorVillage(db, SYSTEM_ACTOR, v.code, { year, kind: 'provincial', relative: year > 2020, note: '演示数据 · demo data' });
  const loaded = await seedHouseholds(db, { seed: SEED, count: HOUSEHOLDS, villages, year });
  console.log(`  loaded ${loaded.households} households, ${loaded.members} members in ${(loaded.ms / 1000).toFixed(1)} s (${Math.round(loaded.households / (loaded.ms / 1000))} households/s)`);

  // The demo's accounts: the helper in the demo township, the work-team member in its first poor village.
  const teamVillage = villages.find((v) => v.poor && v.code.startsWith(DEMO_TOWNSHIP.slice(0, 9)))?.code ?? villages.find((v) => v.code.startsWith(DEMO_TOWNSHIP.slice(0, 9)))!.code;
  await createUser(db, SYSTEM_ACTOR, { username: 'bench-county', displayName: '基准', role: 'county_officer', areaCode: COUNTY, phone: null, password: PASSWORD });
  await createUser(db, SYSTEM_ACTOR, { username: 'helper', displayName: '演示·帮扶责任人', role: 'helper', areaCode: DEMO_TOWNSHIP, phone: null, password: PASSWORD });
  await createUser(db, SYSTEM_ACTOR, { username: 'team', displayName: '演示·驻村工作队', role: 'work_team_member', areaCode: teamVillage, phone: null, password: PASSWORD });

  const t0 = performance.now();
  const seeded = await seedAssistanceDemo(db, { countyCode: COUNTY, townshipCode: DEMO_TOWNSHIP, helperUsername: 'helper', teamUsername: 'team', year, seed: SEED });
  const seedMs = performance.now() - t0;
  await db.execute(sql`ANALYZE`);
  const [written] = rowsOf<{ n: number }>(await db.execute(sql.raw(`SELECT (${ASSISTANCE_TABLES.map((t) => `(SELECT count(*) FROM ${t})`).join(' + ')})::int AS n`)));
  const rows = Number(written!.n);
  const shown = ['units', 'helpers', 'assignments', 'needs', 'plans', 'measures', 'visits', 'workTeams'].map((k) => `${seeded[k] ?? 0} ${k}`).join(', ');
  console.log(`  seeded the assistance demo in ${(seedMs / 1000).toFixed(1)} s: ${rows} rows in ${ASSISTANCE_TABLES.length} tables (${Math.round(rows / (seedMs / 1000))} rows/s; ${shown})`);

  // Baseline: a full scan of the county's active members joined to their assisted households.
  const types = sql.join(
    ASSISTED_HOUSEHOLD_TYPES.map((t) => sql`${t}`),
    sql`, `,
  );
  const baseline = await timed(
    5,
    () =>
      db.execute(
        sql`SELECT count(*) FROM members m JOIN households h ON h.id = m.household_id WHERE h.area_code LIKE '430181%' AND h.active AND h.household_type IN (${types}) AND m.status = 'active'`,
      ),
    1,
  );

  const app = await createApp({ database, sessionSecret: 'bench-secret-0123456789abcdef0123456789', logLevel: 'silent' });
  const signIn = async (username: string) => {
    const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: PASSWORD } });
    if (login.statusCode !== 200) throw new Error(`login of ${username} failed: ${login.body}`);
    const cookie = login.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
    return (url: string) => app.inject({ method: 'GET', url, headers: { cookie } });
  };
  const get = await signIn('bench-county');
  const asHelper = await signIn('helper');

  // The township with the most assisted households; the indicator with the most gaps; the helper's first household.
  const [township] = rowsOf<{ t: string; n: number }>(
    await db.execute(sql`SELECT rpad(left(area_code, 9), 12, '0') AS t, count(*)::int AS n FROM households WHERE active AND household_type IN (${types}) GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 1`),
  );
  const coverage = JSON.parse((await get(`/api/assistance/coverage?areaCode=${COUNTY}`)).body) as { households: number; indicators: { indicator: string; gapHouseholds: number }[] };
  const indicator = [...coverage.indicators].sort((a, b) => b.gapHouseholds - a.gapHouseholds)[0]!;
  const my = JSON.parse((await asHelper('/api/assistance/my')).body) as { summary: { households: number }; items: { householdId: string }[] };
  const household = my.items[0]?.householdId;
  if (!household) throw new Error('the demo helper has no households');
  const unassigned = JSON.parse((await get(`/api/assistance/unassigned/summary?areaCode=${COUNTY}`)).body) as { assisted: number; withoutHelper: number };
  const due = JSON.parse((await get(`/api/assistance/visits/due/summary?areaCode=${COUNTY}`)).body) as { total: { households: number; overdue: number } };
  console.log(
    `  the county: ${coverage.households} assisted households, ${unassigned.withoutHelper} without a helper, ${due.total.overdue} not visited within the period; ` +
      `township ${township!.t} (${township!.n} assisted); indicator ${indicator.indicator} (${indicator.gapHouseholds} households with a gap); the helper's ${my.summary.households} households`,
  );

  const health = await http(REQUESTS, () => app.inject({ method: 'GET', url: '/api/health' }));
  const measured: [string, Spread][] = [];
  const measure = async (name: string, fn: () => Promise<{ statusCode: number; body: string }>) => {
    measured.push([name, await http(REQUESTS, fn)]);
  };
  await measure('GET /api/assistance/coverage (the county)', () => get(`/api/assistance/coverage?areaCode=${COUNTY}`));
  await measure('GET /api/assistance/coverage (largest township)', () => get(`/api/assistance/coverage?areaCode=${township!.t}`));
  await measure('GET /api/assistance/coverage/gaps (the county, page 1)', () => get(`/api/assistance/coverage/gaps?areaCode=${COUNTY}&indicator=${indicator.indicator}&page=1&pageSize=20`));
  await measure('GET /api/assistance/unassigned/summary (the county)', () => get(`/api/assistance/unassigned/summary?areaCode=${COUNTY}`));
  await measure('GET /api/assistance/unassigned (the county, page 1)', () => get(`/api/assistance/unassigned?areaCode=${COUNTY}&page=1&pageSize=20`));
  await measure('GET /api/assistance/visits/due/summary (the county)', () => get(`/api/assistance/visits/due/summary?areaCode=${COUNTY}`));
  await measure('GET /api/assistance/visits/due (the county, page 1)', () => get(`/api/assistance/visits/due?areaCode=${COUNTY}&page=1&pageSize=20`));
  await measure('GET /api/assistance/my (as the helper)', () => asHelper('/api/assistance/my'));
  await measure('GET /api/assistance/households/:id (one household)', () => get(`/api/assistance/households/${household}`));

  console.log(`  ${REQUESTS} requests each as a county officer (/my as the helper); ratios against GET /api/health:`);
  line('baseline: GET /api/health', health, health);
  for (const [name, r] of measured) line(name, r, health);
  console.log(`  the county's coverage against the baseline scan (${coverage.households} assisted households' active members):`);
  line('baseline: count(*) over members ⋈ assisted households', baseline, baseline);
  line(measured[0]![0], measured[0]![1], baseline);
  await app.close();
}

export async function benchAssistance(): Promise<void> {
  console.log(`fupin bench — assistance (${HOUSEHOLDS} households, seed ${SEED})`);
  await onBenchTargets(run);
}
