/**
 * The command line as an operator meets it: a failing command says why and ends (exit code 1), it
 * never hangs holding the database.
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabase, testDatabaseUrl, testTarget } from '../../test/db.ts';
import { runFupin } from '../../test/process.ts';

const dirs: string[] = [];
/** The environment for the current target: a fresh PGlite folder, or the worker's PostgreSQL database. */
function targetEnv(): Record<string, string> {
  const base = { FUPIN_ADMIN_PASSWORD: 'cli-test-pass-1', FUPIN_DEMO: 'off', FUPIN_LOG_LEVEL: 'warn' };
  if (testTarget() === 'postgresql') return { ...base, DATABASE_URL: testDatabaseUrl() };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fupin-cli-'));
  dirs.push(dir);
  return { ...base, FUPIN_DATA_DIR: dir };
}
// The worker's PostgreSQL database exists once the db helper has opened it.
beforeAll(async () => {
  await testDatabase();
});
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

describe('fupin areas import', () => {
  it('a code that is not in the division data: a clear message, exit code 1, and the database is free again', async () => {
    const env = targetEnv();
    const r = await runFupin(['areas', 'import', '--root', '99'], env, 90_000);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('区划数据中没有代码 99');
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    const next = await runFupin(['migrate'], env, 90_000);
    expect(next.code, next.stderr).toBe(0);
  });
});

describe('fupin serve', () => {
  it('a port already in use: says so, exits 1 instead of hanging', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      const r = await runFupin(['serve', '--no-build'], { ...targetEnv(), PORT: String(port) }, 90_000);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`端口 ${port} 已被占用`);
      expect(r.stderr).toContain('already in use');
    } finally {
      blocker.close();
    }
  });
});
