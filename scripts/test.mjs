#!/usr/bin/env node
// `npm test`: lint, typecheck, unit and db tiers (db on PGlite, then again on PostgreSQL when
// TEST_DATABASE_URL is set), the client build, and the e2e journeys in Chromium. Stops at the first
// failing step and ends with one line "N passed, N failed".
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const steps = [
  ['lint', 'npx', ['eslint', '.']],
  ['typecheck', 'npx', ['tsc', '--noEmit', '-p', 'tsconfig.json']],
  ['unit + db (PGlite)', 'npx', ['vitest', 'run', '--project', 'unit', '--project', 'db'], { FUPIN_TEST_DATABASE: 'pglite' }],
];
if (process.env.TEST_DATABASE_URL) {
  steps.push(['db (PostgreSQL)', 'npx', ['vitest', 'run', '--project', 'db'], { FUPIN_TEST_DATABASE: 'postgresql' }]);
} else {
  console.log('TEST_DATABASE_URL 未设置：跳过 PostgreSQL 上的 db 层 · not set: the db tier runs on PGlite only');
}
steps.push(['client build', 'npx', ['vite', 'build', '--logLevel', 'warn']]);
steps.push(['e2e (Chromium)', 'npx', ['vitest', 'run', '--project', 'e2e']]);

let passed = 0;
let failed = 0;
for (const [name, cmd, args, env] of steps) {
  console.log(`\n▶ ${name}`);
  const report = path.join(os.tmpdir(), `fupin-vitest-${process.pid}-${passed + failed}.json`);
  const isVitest = args[0] === 'vitest';
  const fullArgs = isVitest ? [...args, '--reporter=default', `--reporter=json`, `--outputFile.json=${report}`] : args;
  const r = spawnSync(cmd, fullArgs, { stdio: 'inherit', env: { ...process.env, ...(env ?? {}) } });
  if (isVitest && fs.existsSync(report)) {
    const j = JSON.parse(fs.readFileSync(report, 'utf8'));
    passed += j.numPassedTests;
    failed += j.numFailedTests;
    fs.rmSync(report);
  }
  if (r.status !== 0) {
    console.error(`✖ ${name} failed`);
    console.log(`${passed} passed, ${Math.max(failed, 1)} failed`);
    process.exit(1);
  }
}
console.log(`\n${passed} passed, ${failed} failed`);
