/**
 * PGlite's data folder belongs to one process: a second `fupin` process opening it fails with a clear
 * message naming the holder's PID; a lock left by a dead process is taken over.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runFupin } from '../../test/process.ts';
import { DataDirLockedError, lockDataDir, openPglite, type Database } from './db.ts';

let dir: string;
let held: Database | undefined;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fupin-lock-'));
});
afterAll(async () => {
  await held?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A PID that certainly belonged to a process that has ended. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(r.stdout);
}

describe('the PGlite data folder lock', () => {
  it('a second process opening a folder in use exits 1 naming the PID that holds it', async () => {
    held = await openPglite(dir);
    expect(fs.readFileSync(path.join(dir, 'fupin.lock'), 'utf8')).toBe(String(process.pid));
    const r = await runFupin(['migrate'], { FUPIN_DATA_DIR: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`PID ${process.pid}`);
    expect(r.stderr).toMatch(/in use/);
    expect(r.stderr).toMatch(/正被另一个 fupin 进程/);
    // No stack trace: a message for a person.
    expect(r.stderr).not.toMatch(/\n\s+at /);
    // The holder's lock is untouched.
    expect(fs.readFileSync(path.join(dir, 'fupin.lock'), 'utf8')).toBe(String(process.pid));
  }, 180_000);

  it('closing releases the lock', async () => {
    await held!.close();
    held = undefined;
    expect(fs.existsSync(path.join(dir, 'fupin.lock'))).toBe(false);
  }, 60_000);

  it('a lock left by a dead process is taken over, and released at exit', async () => {
    fs.writeFileSync(path.join(dir, 'fupin.lock'), String(deadPid()));
    const r = await runFupin(['migrate'], { FUPIN_DATA_DIR: dir, FUPIN_ADMIN_PASSWORD: 'lock-test-pass-1' });
    expect(r.stderr).not.toMatch(/in use|Error/);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/up to date/);
    expect(fs.existsSync(path.join(dir, 'fupin.lock'))).toBe(false);
  }, 180_000);

  it('lockDataDir in process: refuses a live holder, takes over a dead one', () => {
    const sub = fs.mkdtempSync(path.join(dir, 'inproc-'));
    const file = path.join(sub, 'fupin.lock');
    // The parent of this worker is alive.
    fs.writeFileSync(file, String(process.ppid));
    expect(() => lockDataDir(sub)).toThrow(DataDirLockedError);
    expect(() => lockDataDir(sub)).toThrow(new RegExp(`PID ${process.ppid}`));
    fs.writeFileSync(file, String(deadPid()));
    const release = lockDataDir(sub);
    expect(fs.readFileSync(file, 'utf8')).toBe(String(process.pid));
    release();
    expect(fs.existsSync(file)).toBe(false);
  });
});
