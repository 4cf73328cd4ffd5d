/**
 * `npm run bench -- quality`: the data-quality checks (数据质量) at scale. Loads
 * BENCH_QUALITY_HOUSEHOLDS (default 20,000; ~3.35 members each) synthetic households of 浏阳市 with the
 * demo generator (as bench/registry.ts), a few of them broken on purpose (empty head numbers, a
 * disabled member without category), into a throwaway PostgreSQL database (BENCH_DATABASE_URL, else
 * TEST_DATABASE_URL; dropped afterwards) and/or PGlite (a temporary data folder);
 * BENCH_TARGETS=pglite,postgresql chooses them (default both). Then it measures:
 *
 *   - the refresh of the county (refreshDataQuality over every household, stored findings replaced),
 *     BENCH_QUALITY_RUNS times (default 3), as a ratio against the baseline full scan
 *     `SELECT count(*)` over the county's active members joined to their households, and against the
 *     flags query alone (the checks' aggregate, what the page ran live before the findings were stored);
 *   - reading the stored findings through the real HTTP app as a county officer, p50/p95 over
 *     BENCH_REQUESTS (default 50) requests each: the county's counts, a township's counts and one
 *     check's first page, as ratios against GET /api/health measured in the same run.
 */
import { rowsOf, sql, type Database } from '../src/platform/db.ts';
import { SYSTEM_ACTOR } from '../src/platform/auth.ts';
import { importAreas } from '../src/modules/areas/index.ts';
import { createUser, ensureAdmin } from '../src/modules/accounts/index.ts';
import { seedHouseholds, type DemoVillage } from '../src/modules/households/index.ts';
import { refreshDataQuality } from '../src/modules/identification/index.ts';
import { flagsCte } from '../src/modules/identification/quality.ts';
import { QUALITY_CHECK_CODES } from '../src/modules/identification/quality-rules.ts';
import { createApp } from '../src/app.ts';
import { onBenchTargets } from './pg.ts';

const HOUSEHOLDS = Number(process.env.BENCH_QUALITY_HOUSEHOLDS ?? 20_000);
const RUNS = Number(process.env.BENCH_QUALITY_RUNS ?? 3);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 50);
const SEED = 2026;
const YEAR = 2026;
const COUNTY = '430181000000';

interface Spread {
  p50: number;
  p95: number;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function timed(n: number, fn: (i: number) => Promise<unknown>, warmUp = 0): Promise<Spread & { all: number[] }> {
  for (let i = 0; i < warmUp; i++) await fn(i);
  const ms: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await fn(i);
    ms.push(performance.now() - t0);
  }
  const all = [...ms];
  ms.sort((a, b) => a - b);
  return { p50: percentile(ms, 50), p95: percentile(ms, 95), all };
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

async function villagesOf(database: Database): Promise<DemoVillage[]> {
  const rows = rowsOf<{ code: string; name: string }>(
    await database.db.execute(sql`SELECT code, name FROM areas WHERE level = 'village' AND code LIKE '430181%' AND valid_to IS NULL ORDER BY code`),
  );
  return rows.map((r, i) => ({ ...r, weight: i % 12 === 5 ? 4 : 1 }));
}

async function run(label: string, database: Database): Promise<void> {
  console.log(`\n${label}`);
  const db = database.db;
  await database.migrate();
  await ensureAdmin(db, 'bench-admin-1');
  await importAreas(db, SYSTEM_ACTOR, '430181');
  const loaded = await seedHouseholds(db, { seed: SEED, count: HOUSEHOLDS, villages: await villagesOf(database), year: YEAR });
  // Older data the registry would refuse today: every 50th head without a number, every 70th disabled member without category.
  await db.execute(sql`UPDATE members SET id_number = '' WHERE relation_to_head = 'head' AND ('x' || substr(md5(id::text), 1, 6))::bit(24)::int % 50 = 0`);
  await db.execute(sql`UPDATE members SET health = 'disabled', disability_category = NULL WHERE ('x' || substr(md5(id::text), 1, 6))::bit(24)::int % 70 = 0`);
  await db.execute(sql`ANALYZE`);
  console.log(`  loaded ${loaded.households} households, ${loaded.members} members in ${(loaded.ms / 1000).toFixed(1)} s`);

  // Baseline: a full scan of the county's members joined to their households.
  const baseline = await timed(
    5,
    () => db.execute(sql`SELECT count(*) FROM members m JOIN households h ON h.id = m.household_id WHERE h.area_code LIKE '430181%' AND h.active AND m.status = 'active'`),
    1,
  );
  // The checks' aggregate alone, over the county in one query (the page's live query before).
  const flags = await timed(
    RUNS,
    () =>
      db.transaction(async (tx) => {
        await tx.execute(sql`SET LOCAL jit = off`);
        await tx.execute(sql`${flagsCte(sql`h.area_code LIKE '430181%'`, { id: true, person: true })}
          SELECT count(*) FILTER (WHERE ${sql.raw(QUALITY_CHECK_CODES.map((c) => `"${c}"`).join(' OR '))}) FROM g`);
      }),
  );
  let households = 0;
  const refresh = await timed(RUNS, async () => {
    households = (await refreshDataQuality(db, SYSTEM_ACTOR, COUNTY)).households;
  });
  const stored = rowsOf<{ findings: number; households: number; top: string }>(
    await db.execute(sql`SELECT count(*)::int AS findings, count(DISTINCT household_id)::int AS households,
      (SELECT "check" FROM data_quality_findings GROUP BY 1 ORDER BY count(*) DESC LIMIT 1) AS top FROM data_quality_findings`),
  )[0]!;
  console.log(`  refresh of 浏阳市 (${households} households; ${stored.findings} findings of ${stored.households} households stored), ${RUNS} runs: ${refresh.all.map((m) => `${(m / 1000).toFixed(2)} s`).join(', ')}`);
  line('baseline: count(*) over the county’s members ⋈ households', baseline, baseline);
  line('the checks’ aggregate alone (the old live count)', flags, baseline);
  line('refreshDataQuality(county): check + store, per township', refresh, baseline);
  console.log(`  refresh ÷ the checks’ aggregate: p50 ×${(refresh.p50 / flags.p50).toFixed(2)}`);

  await createUser(db, SYSTEM_ACTOR, { username: 'bench-county', displayName: '基准', role: 'county_officer', areaCode: COUNTY, phone: null, password: 'bench-pass-1' });
  const app = await createApp({ database, sessionSecret: 'bench-secret-0123456789abcdef0123456789', logLevel: 'silent' });
  const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'bench-county', password: 'bench-pass-1' } });
  if (login.statusCode !== 200) throw new Error(`login failed: ${login.body}`);
  const cookie = login.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
  const get = (url: string) => app.inject({ method: 'GET', url, headers: { cookie } });
  const [township] = rowsOf<{ t: string }>(await db.execute(sql`SELECT rpad(left(area_code, 9), 12, '0') AS t FROM households GROUP BY 1 ORDER BY count(*) DESC LIMIT 1`));

  const health = await http(REQUESTS, () => app.inject({ method: 'GET', url: '/api/health' }));
  const county = await http(REQUESTS, () => get(`/api/identification/data-quality?areaCode=${COUNTY}`));
  const town = await http(REQUESTS, () => get(`/api/identification/data-quality?areaCode=${township!.t}`));
  const list = await http(REQUESTS, () => get(`/api/identification/data-quality/${stored.top}?areaCode=${COUNTY}&page=1&pageSize=20`));
  const deep = await http(REQUESTS, (i) => get(`/api/identification/data-quality/${stored.top}?areaCode=${COUNTY}&page=${1 + ((i * 7) % 20)}&pageSize=20`));
  console.log(`  reading the stored findings, ${REQUESTS} requests each as a county officer; ratios against GET /api/health and (last column) the baseline scan:`);
  line('baseline: GET /api/health', health, health);
  for (const [name, r] of [
    ['GET /api/identification/data-quality (the county)', county],
    ['GET /api/identification/data-quality (largest township)', town],
    [`GET /api/identification/data-quality/${stored.top} (page 1)`, list],
    [`GET /api/identification/data-quality/${stored.top} (pages 1–20)`, deep],
  ] as const) {
    line(name, r, health);
    console.log(`  ${''.padEnd(58)} vs the baseline scan: p50 ×${(r.p50 / baseline.p50).toFixed(2)}`);
  }
  await app.close();
}

export async function benchQuality(): Promise<void> {
  console.log(`fupin bench — data quality (${HOUSEHOLDS} households, seed ${SEED})`);
  await onBenchTargets(run);
}
