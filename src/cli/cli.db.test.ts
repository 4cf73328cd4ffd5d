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
import { makeIdNumber } from '../../test/people.ts';

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

describe('fupin import', () => {
  it('imports a person list with a progress bar and writes the validation report; exit 0 even with rejected rows', async () => {
    const env = targetEnv();
    expect((await runFupin(['areas', 'import', '--root', '430181'], env, 120_000)).code).toBe(0);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fupin-cli-import-'));
    dirs.push(dir);
    const file = path.join(dir, '人员名单.csv');
    // Two synthetic households of one: a valid ID number, and one with a wrong check character.
    const id = makeIdNumber('19900101', 'male');
    const other = makeIdNumber('19910101', 'male');
    const bad = other.slice(0, 17) + (other[17] === '0' ? '1' : '0');
    fs.writeFileSync(
      file,
      `\ufeff县(市、区、旗),乡(镇),行政村,姓名,证件号码,与户主关系,户类型,脱贫属性,主要致贫原因\n` +
        `浏阳市,大围山镇,中岳村,命令行户,${id},户主,建档立卡贫困户,未脱贫,因病\n` +
        `浏阳市,大围山镇,同幸村,命令行坏户,${bad},户主,建档立卡贫困户,未脱贫,因病\n`,
    );
    const report = path.join(dir, 'report.xlsx');
    const r = await runFupin(['import', file, '--report', report], env, 120_000);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('新增 created 1');
    expect(r.stdout).toContain('退回 rejected 1');
    expect(r.stdout).toMatch(/错误 人员名单 第 3 行 \[证件号码\]/);
    expect(fs.statSync(report).size).toBeGreaterThan(1000);
    // Again: nothing new (matched by ID number), and a dry run writes nothing either.
    const again = await runFupin(['import', file, '--dry-run'], env, 120_000);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('新增 created 0');
    expect(again.stdout).toContain('未变化 unchanged 1');
  });

  it('a file that is not a spreadsheet: the refusal in Chinese and English, exit code 1, no stack trace', async () => {
    const env = targetEnv();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fupin-cli-import-'));
    dirs.push(dir);
    const file = path.join(dir, 'list.xlsx');
    fs.writeFileSync(file, '<html><table><tr><td>户编号</td></tr></table></html>');
    const r = await runFupin(['import', file], env, 120_000);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('文件未能读取（NOT_A_SPREADSHEET）');
    expect(r.stderr).toContain('The file was refused');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
