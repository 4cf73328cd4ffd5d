/**
 * Journey of the import page (数据导入): the demo county officer uploads a generated national person
 * list of 5,000 households (.xlsx, ~17,000 rows) with 导入有效户 + 更新, follows the progress bar to
 * the end, reads 新增户 = 5,000; uploads the same file again and reads 新增户 0 and 未变化 5,000; the
 * household list then holds 5,000 households more, and one of the file's 户编号 is found.
 *
 * The file's people are synthetic (writeDemoPersonList, seed 4242, 户编号 from …5001 so they never meet
 * the demo's). Their ID numbers share the demo's region (430181): the demo's own households (seed
 * 2026, 5,000, the county's villages in code order, every 12th village weighted 4) are generated again
 * here and their ID numbers given as taken, so that no person of the file is already registered.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { generateHouseholds, type DemoVillage } from '../src/modules/households/demo.ts';
import { writeDemoPersonList, type DemoFileVillage } from '../src/modules/exchange/demo-file.ts';
import { startServer, type RunningServer } from './server.ts';
import { launchBrowser, newPage } from './browser.ts';

const SHOTS = 'test-results';
const COUNTY = { code: '430181000000', name: '浏阳市' };
const OFFICER = { username: 'county', password: 'fupin2026' };
const HOUSEHOLDS = 5000;
/** Households the demo seeds on the first start, with its seed (src/cli/demo.ts). */
const DEMO = { households: 5000, seed: 2026, poorEvery: 12, poorAt: 5, poorWeight: 4 };

let server: RunningServer;
let browser: Browser;
let dir: string;
let file: { path: string; households: number; rows: number; firstHouseholdNo: string };

type Area = { code: string; name: string };

async function apiSession(baseUrl: string, username: string, password: string) {
  const res = await fetch(`${baseUrl}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  if (!res.ok) throw new Error(`login ${username}: ${res.status} ${await res.text()}`);
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  return async <T>(p: string): Promise<T> => {
    const r = await fetch(`${baseUrl}/api${p}`, { headers: { cookie } });
    if (!r.ok) throw new Error(`GET ${p}: ${r.status} ${await r.text()}`);
    return (await r.json()) as T;
  };
}

/** The registry year of the demo: the current year in China Standard Time. */
const currentYear = () => new Date(Date.now() + 8 * 3_600_000).getUTCFullYear();

beforeAll(async () => {
  fs.mkdirSync(SHOTS, { recursive: true });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fupin-e2e-import-'));
  server = await startServer(300_000);
  browser = await launchBrowser();

  // The county's villages in code order, as the demo walked them.
  const get = await apiSession(server.baseUrl, OFFICER.username, OFFICER.password);
  const townships = (await get<{ items: Area[] }>(`/areas/${COUNTY.code}/children`)).items;
  const villages: (Area & { township: string })[] = [];
  for (const t of townships) for (const v of (await get<{ items: Area[] }>(`/areas/${t.code}/children`)).items) villages.push({ ...v, township: t.name });
  expect(villages.length).toBeGreaterThan(300);

  const year = currentYear();
  const demoVillages: DemoVillage[] = villages.map((v, i) => ({ code: v.code, name: v.name, weight: i % DEMO.poorEvery === DEMO.poorAt ? DEMO.poorWeight : 1 }));
  const taken = new Set<string>();
  for (const h of generateHouseholds({ seed: DEMO.seed, count: DEMO.households, villages: demoVillages, year })) for (const m of h.members) taken.add(m.idNumber);

  // 20 villages spread over the county (every 16th), with their township's name.
  const chosen: DemoFileVillage[] = villages.filter((_, i) => i % 16 === 3).slice(0, 20).map((v) => ({ code: v.code, name: v.name, township: v.township, county: COUNTY.name }));
  const p = path.join(dir, '人员名单-导入测试.xlsx');
  const t0 = performance.now();
  const written = await writeDemoPersonList(p, { format: 'xlsx', count: HOUSEHOLDS, seed: 4242, year, villages: chosen, takenIdNumbers: taken, householdNoOffset: 5000 });
  console.log(`import e2e: wrote ${written.households} households, ${written.rows} rows, ${(written.bytes / 1e6).toFixed(1)} MB in ${Math.round(performance.now() - t0)} ms`);
  file = { path: p, households: written.households, rows: written.rows, firstHouseholdNo: `${chosen[0]!.code}5001` };
}, 320_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

async function signIn(page: Page) {
  await page.goto('/');
  await page.getByLabel('用户名').fill(OFFICER.username);
  await page.getByLabel('密码').fill(OFFICER.password);
  await page.getByRole('button', { name: /登\s*录/ }).click();
  await page.getByTestId('current-user').waitFor();
}

/** The number a Statistic card shows (5,000 → 5000). */
async function stat(page: Page, key: string): Promise<number> {
  const text = await page.getByTestId(`stat-${key}`).locator('.ant-statistic-content').innerText();
  return Number(text.replace(/[,\s]/g, ''));
}

/**
 * Chooses the file, starts the import and follows it to its end.
 * @returns the progress percentages the bar showed while the import ran, and the seconds it took
 */
async function runImport(page: Page, filePath: string): Promise<{ seen: number[]; seconds: number; id: string }> {
  await page.locator('input[type=file]').setInputFiles(filePath);
  await page.locator('.ant-upload-list-item-name', { hasText: path.basename(filePath) }).waitFor();
  // Every value the import's bar takes, recorded in the page as it renders (a poll from here could miss them).
  await page.evaluate(() => {
    const w = window as unknown as { __seen: number[]; __observer?: MutationObserver };
    w.__seen = [];
    w.__observer?.disconnect();
    const record = () => {
      const el = document.querySelector('[data-testid="import-progress"][data-phase="import"]');
      const v = el?.getAttribute('data-percent');
      if (v !== null && v !== undefined && w.__seen.at(-1) !== Number(v)) w.__seen.push(Number(v));
    };
    w.__observer = new MutationObserver(record);
    w.__observer.observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-percent'] });
  });
  const before = new URL(page.url()).searchParams.get('id');
  const t0 = performance.now();
  await page.getByRole('button', { name: '开始导入' }).click();
  await expect.poll(() => new URL(page.url()).searchParams.get('id'), { timeout: 60_000 }).not.toBe(before);
  const id = new URL(page.url()).searchParams.get('id')!;
  await page.getByTestId('import-outcome').or(page.getByTestId('import-error')).first().waitFor({ timeout: 180_000 });
  const seconds = (performance.now() - t0) / 1000;
  if (await page.getByTestId('import-error').isVisible()) throw new Error(`import failed: ${await page.getByTestId('import-error').innerText()}`);
  const seen = await page.evaluate(() => (window as unknown as { __seen: number[] }).__seen);
  return { seen, seconds, id };
}

describe('import', () => {
  test('a county officer imports 5,000 households from a person list, then the same file again changes nothing', async () => {
    const { page, errors } = await newPage(browser, server.baseUrl);
    await signIn(page);
    const get = await apiSession(server.baseUrl, OFFICER.username, OFFICER.password);
    const totalBefore = (await get<{ total: number }>(`/households?areaCode=${COUNTY.code}&pageSize=1`)).total;

    // 1. The menu leads to the page; the template is offered; the defaults are 导入有效户 + 更新.
    await page.getByRole('menuitem', { name: '数据导入' }).click();
    await page.getByRole('heading', { name: '数据导入' }).waitFor();
    expect(await page.getByRole('link', { name: /下载导入模板/ }).getAttribute('href')).toBe('/api/imports/template');
    expect(await page.getByRole('radio', { name: '导入有效户，退回有问题的户' }).isChecked()).toBe(true);
    expect(await page.getByRole('radio', { name: '更新' }).isChecked()).toBe(true);
    await page.screenshot({ path: `${SHOTS}/import-1-page.png` });

    // 2. The first import: the bar moves, then the figures.
    const first = await runImport(page, file.path);
    console.log(`import e2e: first import of ${file.households} households took ${first.seconds.toFixed(1)} s in the page; bar values ${first.seen.join(' ')}`);
    expect(first.seen.length).toBeGreaterThan(0);
    expect(first.seen.some((v) => v < 100)).toBe(true);
    expect(first.seen.at(-1)).toBe(100);
    for (let i = 1; i < first.seen.length; i++) expect(first.seen[i]!).toBeGreaterThanOrEqual(first.seen[i - 1]!);
    await page.screenshot({ path: `${SHOTS}/import-2-result.png`, fullPage: true });
    expect(await stat(page, 'rows')).toBe(file.rows);
    expect(await stat(page, 'households')).toBe(file.households);
    expect(await stat(page, 'created')).toBe(file.households);
    expect(await stat(page, 'rejected')).toBe(0);
    expect(await stat(page, 'updated')).toBe(0);
    await expect.poll(() => page.getByTestId('import-outcome').innerText()).toContain('农户档案已更新');
    const detail = await get<{ status: string; progress: number; summary: { created: number; committed: boolean; ms: { total: number } } }>(`/imports/${first.id}`);
    expect(detail).toMatchObject({ status: 'succeeded', progress: 100, summary: { created: file.households, committed: true } });
    console.log(`import e2e: the server's own time for the first import: ${(detail.summary.ms.total / 1000).toFixed(1)} s`);

    // 3. The same file again: nothing new, every household unchanged.
    const second = await runImport(page, file.path);
    console.log(`import e2e: second import took ${second.seconds.toFixed(1)} s in the page`);
    expect(second.id).not.toBe(first.id);
    expect(await stat(page, 'created')).toBe(0);
    expect(await stat(page, 'updated')).toBe(0);
    expect(await stat(page, 'unchanged')).toBe(file.households);
    expect(await stat(page, 'rejected')).toBe(0);
    expect(await page.getByTestId('import-outcome').innerText()).toContain('农户档案没有改变');
    await page.screenshot({ path: `${SHOTS}/import-3-again.png`, fullPage: true });

    // 4. Both imports are listed under 最近导入; the first one opens from there.
    const recent = page.getByTestId('recent-imports').locator('tr.ant-table-row', { hasText: path.basename(file.path) });
    await expect.poll(() => recent.count()).toBe(2);
    await page.locator(`[data-testid="recent-imports"] a[href="/imports?id=${first.id}"]`).first().click();
    await expect.poll(() => stat(page, 'created')).toBe(file.households);

    // 5. The household list holds the 5,000 households more; one of the file's 户编号 is found.
    await page.getByRole('menuitem', { name: '农户档案' }).click();
    await page.getByText(`共 ${totalBefore + file.households} 户`).first().waitFor();
    await page.getByPlaceholder('姓名 / 身份证号 / 户编号').fill(file.firstHouseholdNo);
    await page.getByPlaceholder('姓名 / 身份证号 / 户编号').press('Enter');
    await page.getByText('共 1 户').first().waitFor();
    await page.getByRole('link', { name: file.firstHouseholdNo }).waitFor();

    // 6. The 导出 menu offers the import to a role that may import.
    await page.getByRole('button', { name: /导\s*出/ }).hover();
    await page.getByRole('menuitem', { name: '导入人员名单…' }).click();
    await page.getByRole('heading', { name: '数据导入' }).waitFor();

    expect(errors).toEqual([]);
  }, 600_000);

  test('on a phone the page still reads: an .xls is refused with the reason', async () => {
    const { page, errors } = await newPage(browser, server.baseUrl);
    await page.setViewportSize({ width: 390, height: 844 });
    await signIn(page);
    await page.goto('/imports');
    await page.getByRole('heading', { name: '数据导入' }).waitFor();
    // An Excel 97-2003 file as the reader knows one: the OLE2 signature and a Workbook stream's name.
    const xls = path.join(dir, '旧格式.xls');
    fs.writeFileSync(xls, Buffer.concat([Buffer.from('d0cf11e0a1b11ae1', 'hex'), Buffer.alloc(1024), Buffer.from('Workbook', 'utf16le'), Buffer.alloc(3072)]));
    await page.locator('input[type=file]').setInputFiles(xls);
    await page.getByRole('button', { name: '开始导入' }).click();
    const refusal = page.getByTestId('import-error');
    await refusal.waitFor({ timeout: 60_000 });
    expect(await refusal.innerText()).toContain('另存为');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: `${SHOTS}/import-4-phone-xls.png`, fullPage: true });
    expect(errors).toEqual([]);
  }, 120_000);
});
