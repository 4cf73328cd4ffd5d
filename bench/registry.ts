/**
 * `npm run bench -- registry`: the registry at scale. Loads BENCH_HOUSEHOLDS (default 250,000)
 * synthetic households (~3.35 members each) with the demo generator into PGlite (a temporary data
 * folder) and, when BENCH_DATABASE_URL or TEST_DATABASE_URL is set, into a throwaway PostgreSQL
 * database (dropped afterwards), spread over 浏阳市's 326 villages (4× the households in the demo poor
 * villages). Then, through the real HTTP app signed in as a county officer of 430181 (all households in
 * scope), it measures p50/p95 over BENCH_REQUESTS (default 200) requests each of
 *   - the filtered, paged list: GET /api/households?status=notExited&mainPovertyCause=illness&page=K
 *   - the detail: GET /api/households/:id
 * as ratios against GET /api/health measured in the same run (absolute ms for context), and the
 * load rate. BENCH_TARGETS=pglite,postgresql chooses the databases.
 */
import { rowsOf, sql, type Database } from '../src/platform/db.ts';
import { SYSTEM_ACTOR } from '../src/platform/auth.ts';
import { importAreas } from '../src/modules/areas/index.ts';
import { createUser, ensureAdmin } from '../src/modules/accounts/index.ts';
import { seedHouseholds, type DemoVillage } from '../src/modules/households/index.ts';
import { createApp } from '../src/app.ts';
import { onBenchTargets } from './pg.ts';

const HOUSEHOLDS = Number(process.env.BENCH_HOUSEHOLDS ?? 250_000);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 200);
const SEED = 2026;
const YEAR = 2026;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function sample(n: number, fn: (i: number) => Promise<{ statusCode: number; body: string }>): Promise<{ p50: number; p95: number }> {
  for (let i = 0; i < Math.min(10, n); i++) await fn(i); // warm-up
  const ms: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const res = await fn(i);
    ms.push(performance.now() - t0);
    if (res.statusCode !== 200) throw new Error(`HTTP ${res.statusCode}: ${res.body.slice(0, 300)}`);
  }
  ms.sort((a, b) => a - b);
  return { p50: percentile(ms, 50), p95: percentile(ms, 95) };
}

function line(name: string, r: { p50: number; p95: number }, base: { p50: number; p95: number }) {
  console.log(
    `  ${name.padEnd(62)} p50 ${r.p50.toFixed(2).padStart(8)} ms ×${(r.p50 / base.p50).toFixed(1).padStart(6)}   p95 ${r.p95.toFixed(2).padStart(8)} ms ×${(r.p95 / base.p95).toFixed(1).padStart(6)}`,
  );
}

async function villagesOf(database: Database): Promise<DemoVillage[]> {
  const rows = rowsOf<{ code: string; name: string }>(
    await database.db.execute(sql`SELECT code, name FROM areas WHERE level = 'village' AND code LIKE '430181%' AND valid_to IS NULL ORDER BY code`),
  );
  // As the demo: every 12th village is a (demo) poor village with 4× the households.
  return rows.map((r, i) => ({ ...r, weight: i % 12 === 5 ? 4 : 1 }));
}

async function run(label: string, database: Database): Promise<void> {
  console.log(`\n${label}`);
  await database.migrate();
  await ensureAdmin(database.db, 'bench-admin-1');
  await importAreas(database.db, SYSTEM_ACTOR, '430181');
  const villages = await villagesOf(database);
  const mem0 = process.memoryUsage().rss;
  let lastPrint = 0;
  const loaded = await seedHouseholds(database.db, {
    seed: SEED,
    count: HOUSEHOLDS,
    villages,
    year: YEAR,
    onProgress: (n) => {
      if (n - lastPrint >= 25_000 || n === HOUSEHOLDS) {
        lastPrint = n;
        process.stdout.write(`    loaded ${n} households (rss ${Math.round(process.memoryUsage().rss / 2 ** 20)} MiB)\n`);
      }
    },
  });
  const t1 = performance.now();
  await database.db.execute(sql`ANALYZE`);
  const analyzeMs = performance.now() - t1;
  const sizes = rowsOf<Record<string, number>>(
    await database.db.execute(sql`SELECT
      (SELECT count(*)::int FROM households) AS households,
      (SELECT count(*)::int FROM members) AS members,
      (SELECT count(*)::int FROM household_incomes) AS incomes,
      (SELECT count(*)::int FROM household_versions) AS versions,
      (SELECT count(*)::int FROM households WHERE status = 'notExited' AND main_poverty_cause = 'illness' AND active) AS "listMatches",
      (pg_database_size(current_database()) / 1048576)::int AS "databaseMiB"`),
  )[0]!;
  console.log(
    `  loaded ${loaded.households} households, ${loaded.members} members, ${loaded.incomes} income records in ${(loaded.ms / 1000).toFixed(1)} s` +
      ` = ${Math.round((loaded.households / loaded.ms) * 1000)} households/s (${Math.round((loaded.members / loaded.ms) * 1000)} members/s); ANALYZE ${(analyzeMs / 1000).toFixed(1)} s; rss +${Math.round((process.memoryUsage().rss - mem0) / 2 ** 20)} MiB`,
  );
  console.log(`  sizes: ${Object.entries(sizes).map(([k, v]) => `${k} ${v}`).join(', ')}; ${villages.length} villages`);

  await createUser(database.db, SYSTEM_ACTOR, { username: 'bench-county', displayName: '基准', role: 'county_officer', areaCode: '430181000000', phone: null, password: 'bench-pass-1' });
  const app = await createApp({ database, sessionSecret: 'bench-secret-0123456789abcdef0123456789', logLevel: 'silent' });
  const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'bench-county', password: 'bench-pass-1' } });
  if (login.statusCode !== 200) throw new Error(`login failed: ${login.body}`);
  const cookie = login.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
  const pages = Math.max(1, Math.floor(Number(sizes.listMatches) / 20));
  const ids = rowsOf<{ id: string }>(await database.db.execute(sql`SELECT id FROM households ORDER BY md5(id::text) LIMIT ${REQUESTS}`)).map((r) => r.id);
  const get = (url: string) => app.inject({ method: 'GET', url, headers: { cookie } });

  const health = await sample(REQUESTS, () => app.inject({ method: 'GET', url: '/api/health' }));
  const list = await sample(REQUESTS, (i) => get(`/api/households?status=notExited&mainPovertyCause=illness&page=${1 + ((i * 37) % Math.min(pages, 500))}`));
  const firstPage = await sample(REQUESTS, () => get('/api/households'));
  const detail = await sample(REQUESTS, (i) => get(`/api/households/${ids[i % ids.length]}`));
  console.log(`  ${REQUESTS} requests each, as a county officer of 浏阳市 (all ${sizes.households} households in scope); ratios against the baseline:`);
  line('baseline: GET /api/health', health, health);
  line(`GET /api/households?status=notExited&mainPovertyCause=illness&page=K`, list, health);
  line('GET /api/households (first page, no filter)', firstPage, health);
  line('GET /api/households/:id', detail, health);
  await app.close();
}

export async function benchRegistry(): Promise<void> {
  console.log(`fupin bench — registry (${HOUSEHOLDS} households, seed ${SEED})`);
  await onBenchTargets(run);
}
