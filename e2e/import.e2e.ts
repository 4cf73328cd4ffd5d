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
 *
 * A second journey runs a small faulty CSV as 试导入 (dry run): one valid household, one whose head's ID
 * number has a wrong check character, one in a village that does not exist. The page shows the
 * problems (in Chinese, then in English), offers the validation report and the rejected rows, and the
 * registry is not changed. Its ID numbers are of region 430102, which the demo never uses.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import ExcelJS from 'exceljs';
import type { Browser, Page } from 'playwright-core';
import { checkCharacter } from '../src/shared/id-number.ts';
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

  test('a faulty file as a dry run shows its problems, the report and the rejected rows, and writes nothing', async () => {
    // Synthetic ID numbers of region 430102 (never the demo's), with their check character.
    const id = (birth: string, seq: number) => {
      const first17 = `430102${birth}${String(seq).padStart(3, '0')}`;
      return first17 + checkCharacter(first17);
    };
    const validHead = { name: '试导甲户主', id: id('19700312', 731) };
    const validSpouse = { name: '试导甲配偶', id: id('19720518', 732) };
    const good = id('19650101', 511);
    const badHead = { name: '试导乙户主', id: good.slice(0, 17) + (good[17] === '0' ? '1' : '0') };
    const badSpouse = { name: '试导乙配偶', id: id('19660202', 512) };
    const lostHead = { name: '试导丙户主', id: id('19800808', 913) };
    const header = ['县(市、区、旗)', '乡(镇)', '行政村', '户编号', '姓名', '证件号码', '与户主关系', '户类型', '脱贫属性', '主要致贫原因'];
    const row = (village: string, p: { name: string; id: string }, relation: string) => ['浏阳市', '大围山镇', village, '', p.name, p.id, relation, '脱贫户', '已脱贫', '因病'];
    const rows = [
      row('中岳村', validHead, '户主'), // row 2
      row('中岳村', validSpouse, '配偶'), // row 3
      row('中岳村', badHead, '户主'), // row 4: wrong check character
      row('中岳村', badSpouse, '配偶'), // row 5
      row('不存在村', lostHead, '户主'), // row 6: no such village
    ];
    const csvPath = path.join(dir, '人员名单-有错误.csv');
    fs.writeFileSync(csvPath, `\ufeff${[header, ...rows].map((r) => r.join(',')).join('\r\n')}\r\n`, 'utf8');

    const { page, errors } = await newPage(browser, server.baseUrl);
    await signIn(page);
    await page.goto('/imports');
    await page.getByRole('heading', { name: '数据导入' }).waitFor();

    // 1. 试导入, upload, the outcome: 3 households, 2 returned, the registry not changed.
    await page.getByRole('radio', { name: '试导入（只校验，不写入）' }).check();
    const run = await runImport(page, csvPath);
    console.log(`import e2e: the dry run of the faulty file took ${run.seconds.toFixed(1)} s in the page`);
    expect(await stat(page, 'rows')).toBe(5);
    expect(await stat(page, 'households')).toBe(3);
    expect(await stat(page, 'rejected')).toBe(2);
    // The figures say what a real import would do; the sentence says nothing was done.
    expect(await stat(page, 'created')).toBe(1);
    const outcome = await page.getByTestId('import-outcome').innerText();
    expect(outcome).toContain('试导入只做校验，农户档案没有改变');
    expect(outcome).toContain('正式导入将新增 1 户');
    expect(await page.getByTestId('import-result').getByText('试导入', { exact: true }).count()).toBe(1);

    // 2. The problems table: row 4 证件号码 (校验码), row 6 naming 不存在村.
    const problemRows = async () =>
      page
        .getByTestId('import-problems')
        .locator('tr.ant-table-row')
        .evaluateAll((trs) => trs.map((tr) => Array.from(tr.querySelectorAll('td'), (td) => (td.textContent ?? '').trim())));
    const zh = await problemRows();
    // Cells: 工作表, 行, 列, 值, 级别, 问题.
    const idProblem = zh.find((c) => c[1] === '4' && c[2] === '证件号码');
    expect(idProblem, JSON.stringify(zh)).toBeDefined();
    expect(idProblem![3]).toBe(badHead.id);
    expect(idProblem![4]).toBe('错误');
    expect(idProblem![5]).toContain('校验码');
    const areaProblem = zh.find((c) => c[1] === '6' && c[5]!.includes('不存在村'));
    expect(areaProblem, JSON.stringify(zh)).toBeDefined();
    expect(zh.some((c) => c[1] === '2' || c[1] === '3')).toBe(false);
    await page.screenshot({ path: `${SHOTS}/import-5-dry-run-problems.png`, fullPage: true });

    // 3. The validation report: 问题清单 first, then the data with the problem column last.
    const report = page.getByRole('link', { name: /下载校验报告/ });
    const rejected = page.getByRole('link', { name: /下载退回数据/ });
    await report.waitFor();
    await rejected.waitFor();
    const download = async (link: typeof report) => {
      const [d] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), link.click()]);
      const to = path.join(dir, `${Date.now()}-${d.suggestedFilename()}`);
      await d.saveAs(to);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.readFile(to);
      return wb;
    };
    const cellTexts = (ws: ExcelJS.Worksheet, r: number) => (ws.getRow(r).values as unknown[]).slice(1).map((v) => (v === null || v === undefined ? '' : String(v)));
    const rep = await download(report);
    expect(rep.worksheets[0]!.name).toBe('问题清单');
    expect(rep.worksheets.length).toBeGreaterThanOrEqual(2);
    const data = rep.worksheets[1]!;
    expect(cellTexts(data, 1).at(-1)).toBe('导入问题 / Problems');
    expect(cellTexts(data, 1).slice(0, header.length)).toEqual(header);

    // 4. The rejected rows: the header and the 3 rows of the two returned households, ID numbers as text.
    const rej = await download(rejected);
    const sheet = rej.worksheets[0]!;
    expect(sheet.actualRowCount).toBe(4);
    const head = cellTexts(sheet, 1);
    expect(head.slice(0, header.length)).toEqual(header);
    const idCol = head.indexOf('证件号码') + 1;
    const nameCol = head.indexOf('姓名') + 1;
    const returned = [badHead, badSpouse, lostHead];
    for (let i = 0; i < returned.length; i++) {
      const r = sheet.getRow(i + 2);
      expect(r.getCell(nameCol).value).toBe(returned[i]!.name);
      const v = r.getCell(idCol).value;
      expect(typeof v).toBe('string');
      expect(v).toBe(returned[i]!.id);
      expect((v as string).length).toBe(18);
    }

    // 5. Nothing was written: the valid household is not in the registry.
    const found = await page.evaluate(async (q) => {
      const r = await fetch(`/api/households?q=${encodeURIComponent(q)}`, { credentials: 'include' });
      return { status: r.status, body: (await r.json()) as { total: number } };
    }, validHead.name);
    expect(found.status).toBe(200);
    expect(found.body.total).toBe(0);

    // 6. In English, the problems read in English.
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Import' }).waitFor();
    await expect.poll(async () => (await problemRows()).find((c) => c[1] === '4')?.[5] ?? '').toContain('check');
    expect(await page.getByTestId('import-outcome').innerText()).toContain('the registry was not changed');
    await page.screenshot({ path: `${SHOTS}/import-6-dry-run-english.png`, fullPage: true });

    expect(errors).toEqual([]);
  }, 240_000);
});
