/**
 * The assistance journey (精准扶持) on a phone (390×844, touch), in Chromium, as a helper of 大围山镇
 * walks it: sign in → 我的帮扶户 (one household, never visited: 逾期) → 记录走访 with a photo from the
 * album — the first send fails (the signal drops), what was typed and the photo stay, the second send
 * succeeds and the card shows 今天 — → the household's assistance record → 记录措施 (产业扶持, 2,000.00 元)
 * → the household card (户有卡) shows the visit and the measure. The big photo (3200×2400, over 5 MB) is scaled
 * down in the browser before it is sent. Then a township officer reads 走访监测 at a desk.
 * Setup through the API as admin: a poor household, the helper's account, a unit, the helper record
 * linked to the account, the assignment (the pairing capability's endpoints).
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { checkCharacter } from '../src/shared/id-number.ts';
import { encodePng } from '../src/modules/assistance/visits-demo.ts';
import { startServer, type RunningServer } from './server.ts';
import { apiSession } from './api.ts';
import { launchBrowser, newPage } from './browser.ts';

const SHOTS = 'test-results';
const VILLAGE = '430181125201'; // 大围山镇 中岳村
const TOWNSHIP = '430181125000'; // 大围山镇
const COUNTY = '430181000000'; // 浏阳市
const PASSWORD = 'Assist-2026-ok';
const HELPER = { username: 'e2e_helper', displayName: '测试·帮扶责任人', role: 'helper', areaCode: TOWNSHIP } as const;
const HEAD = { name: '测试·帮扶户', birth: '19650412', sex: 'male' as const };
const CONTENT = '了解家庭收入和务工情况，宣讲教育资助政策';
const PROBLEMS = '屋顶漏雨，需要修缮';

/** A synthetic ID number (region 430102, which the demo never uses) with its check character. */
function idNumber(birth: string, sex: 'male' | 'female'): string {
  let seq = 100 + Math.floor(Math.random() * 899);
  if ((seq % 2 === 1) !== (sex === 'male')) seq += 1;
  const first17 = `430102${birth}${String(seq).padStart(3, '0')}`;
  return first17 + checkCharacter(first17);
}

const TODAY = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
const ago = (n: number) => new Date(Date.parse(`${TODAY}T00:00:00Z`) - n * 86_400_000).toISOString().slice(0, 10);

/**
 * A phone's "photo": 3200×2400 pixels of sky, field and a house with a camera's grain (synthetic), as
 * a PNG of several MB — over the 5 MB limit unless the browser scales it down.
 */
let grain = 12345;
const noise = () => {
  grain = (Math.imul(grain, 1103515245) + 12345) >>> 0;
  return (grain >>> 24) & 63;
};
const PHOTO = encodePng(3200, 2400, (x, y) => {
  const n = noise();
  if (x > 1200 && x < 2000 && y > 1200 && y < 2000) return [190 + (n >> 1), 180 + (n >> 1), 160 + (n >> 1)];
  return y < 1300 ? [120 + (y >> 4) + (n >> 2), 170 + (n >> 2), 200 + (n >> 1)] : [50 + n, 110 + n, 40 + (n >> 1)];
});

let server: RunningServer;
let browser: Browser;
let householdId = '';

beforeAll(async () => {
  fs.mkdirSync(SHOTS, { recursive: true });
  server = await startServer(300_000);
  browser = await launchBrowser();
  const admin = await apiSession(server.baseUrl, 'admin', server.adminPassword);
  const initial = 'Initial-Pass-2026';
  await admin('POST', '/users', { ...HELPER, password: initial });
  const first = await apiSession(server.baseUrl, HELPER.username, initial);
  await first('POST', '/auth/password', { currentPassword: initial, newPassword: PASSWORD });
  const h = await admin<{ id: string }>('POST', '/households', {
    areaCode: VILLAGE,
    groupName: '三组',
    householdType: 'registeredPoor',
    povertyAttribute: 'general',
    mainPovertyCause: 'illness',
    status: 'notExited',
    identificationYear: 2016,
    members: [{ name: HEAD.name, sex: HEAD.sex, idType: 'residentId', idNumber: idNumber(HEAD.birth, HEAD.sex), relationToHead: 'head' }],
  });
  householdId = h.id;
  const unit = await admin<{ id: string }>('POST', '/assistance/units', { name: '测试·浏阳市乡村振兴局', kind: 'organ', level: 'county', areaCode: COUNTY });
  const { helper } = await admin<{ helper: { id: string } }>('POST', '/assistance/helpers', { name: '测试·帮扶人', unitId: unit.id, post: '科员', areaCode: TOWNSHIP, username: HELPER.username });
  await admin('POST', '/assistance/assignments', { householdIds: [householdId], helperId: helper.id, startDate: ago(31) });
}, 320_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function phone(): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser.newContext({
    baseURL: server.baseUrl,
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
  });
  context.setDefaultTimeout(30_000);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return { context, page, errors };
}

async function signIn(page: Page, username: string, password: string) {
  await page.goto('/');
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: /登\s*录/ }).click();
  await page.getByTestId('current-user').waitFor();
}

describe('a helper on a phone records a visit with a photo and a measure; the household card shows both', () => {
  test('the journey', async () => {
    const { context, page, errors } = await phone();
    await signIn(page, HELPER.username, PASSWORD);

    // A helper lands on 我的帮扶户: one household, never visited, so 逾期.
    await page.waitForURL(/\/assistance\/my$/);
    const card = page.getByTestId('my-household').filter({ hasText: HEAD.name });
    await card.waitFor();
    await expect.poll(() => card.textContent()).toMatch(/从未走访/);
    await expect.poll(() => card.textContent()).toMatch(/逾期/);
    await expect.poll(() => page.getByTestId('my-summary-households').textContent()).toMatch(/1/);
    await expect.poll(() => page.getByTestId('my-summary-due').textContent()).toMatch(/待走访1/);
    await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: `${SHOTS}/assistance-my-households.png`, fullPage: true });

    // 记录走访: the form opens from the bottom, dated today.
    await card.getByRole('button', { name: /记录走访/ }).click();
    const form = page.getByTestId('visit-form');
    await form.waitFor();
    await expect.poll(() => form.getByLabel('走访日期').inputValue()).toBe(TODAY);
    await form.getByLabel('走访内容').fill(CONTENT);
    await form.getByLabel('发现的问题（可不填）').fill(PROBLEMS);
    await form.getByTestId('visit-photo-input').setInputFiles({ name: 'IMG_20260301.png', mimeType: 'image/png', buffer: PHOTO });
    await form.locator('img[alt^="IMG_20260301"]').waitFor();
    await page.screenshot({ path: `${SHOTS}/assistance-visit-form.png` });

    // The signal drops: the send fails, what was typed and the photo stay.
    await page.route('**/api/assistance/visits', (route) => route.abort('internetdisconnected'));
    await form.getByRole('button', { name: /保存走访记录/ }).click();
    await form.getByTestId('visit-form-error').waitFor();
    await expect.poll(() => form.getByTestId('visit-form-error').textContent()).toMatch(/网络连接失败.*填写的内容已保留/);
    expect(await form.getByLabel('走访内容').inputValue()).toBe(CONTENT);
    expect(await form.locator('img[alt^="IMG_20260301"]').count()).toBe(1);
    await page.unroute('**/api/assistance/visits');

    // Sent again: saved; the card shows today's visit and no longer 逾期.
    await form.getByRole('button', { name: /保存走访记录/ }).click();
    await page.getByText('走访已记录').waitFor();
    await expect.poll(() => card.textContent()).toMatch(/最近走访：今天/);
    expect(await card.textContent()).not.toMatch(/逾期/);
    await expect.poll(() => page.getByTestId('my-summary-due').textContent()).toMatch(/待走访0/);

    // The photo went up scaled down in the browser: a JPEG at most 1600 px wide, served privately.
    const photo = await page.evaluate(async (id) => {
      const list = (await (await fetch(`/api/assistance/visits?householdId=${id}`)).json()) as { items: { content: string; problems: string; photos: { url: string; mimeType: string; sizeBytes: number }[] }[] };
      const p = list.items[0]!.photos[0]!;
      const res = await fetch(p.url);
      const bitmap = await createImageBitmap(await res.blob());
      return { content: list.items[0]!.content, problems: list.items[0]!.problems, type: p.mimeType, size: p.sizeBytes, served: res.headers.get('content-type'), cache: res.headers.get('cache-control'), width: bitmap.width, height: bitmap.height };
    }, householdId);
    expect(photo).toMatchObject({ content: CONTENT, problems: PROBLEMS, type: 'image/jpeg', served: 'image/jpeg', width: 1600, height: 1200 });
    expect(photo.cache).toMatch(/^private/);
    expect(PHOTO.length).toBeGreaterThan(5 * 1024 * 1024);
    expect(photo.size).toBeLessThan(PHOTO.length);

    // The household's assistance record: 记录措施.
    await card.getByRole('link', { name: /帮扶档案/ }).click();
    await page.waitForURL(new RegExp(`/assistance/households/${householdId}$`));
    await page.getByRole('button', { name: /记录措施/ }).first().click();
    const measure = page.getByTestId('measure-form');
    await measure.waitFor();
    await measure.getByLabel('措施类型').click();
    await page.keyboard.type('产业扶持');
    await page.locator('.ant-select-item-option').filter({ hasText: /^产业扶持$/ }).click();
    await measure.getByLabel('金额（元）').fill('2000');
    await measure.getByLabel('资金来源').fill('县级财政扶贫资金');
    await measure.getByRole('button', { name: /保\s*存/ }).click();
    await page.getByText('已保存').first().waitFor();
    await page.screenshot({ path: `${SHOTS}/assistance-household-record.png`, fullPage: true });

    // The household card (户有卡) shows the visit and the measure in its 帮扶 part.
    await page.goto(`/households/${householdId}/card`);
    const section = page.getByTestId('card-assistance');
    await section.waitFor();
    const visitRow = section.getByTestId('card-visit').filter({ hasText: CONTENT });
    await visitRow.waitFor();
    expect(await visitRow.textContent()).toContain(TODAY);
    expect(await visitRow.textContent()).toContain('测试·帮扶人');
    const measureRow = section.getByTestId('card-measure').filter({ hasText: '产业扶持' });
    await measureRow.waitFor();
    expect(await measureRow.textContent()).toContain('2,000.00');
    await page.screenshot({ path: `${SHOTS}/assistance-household-card.png`, fullPage: true });

    expect(errors).toEqual([]);
    await context.close();
  }, 180_000);
});

describe('the demo helper’s households are partly overdue', () => {
  test('some cards say 逾期 (one never visited), the others were visited within the period', async () => {
    const { context, page, errors } = await phone();
    await signIn(page, 'helper', 'fupin2026');
    await page.waitForURL(/\/assistance\/my$/);
    const cards = page.getByTestId('my-household');
    await cards.first().waitFor();
    const texts = await cards.allTextContents();
    const overdue = texts.filter((t) => t.includes('逾期'));
    expect(overdue.length).toBeGreaterThan(0);
    expect(overdue.length).toBeLessThan(texts.length);
    expect(texts.filter((t) => t.includes('从未走访'))).toHaveLength(1);
    // Overdue first.
    expect(texts.findIndex((t) => !t.includes('逾期'))).toBe(overdue.length);
    await page.screenshot({ path: `${SHOTS}/assistance-demo-helper.png`, fullPage: true });
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);
});

describe('a township officer reads 走访监测 at a desk', () => {
  test('counts, the chart per village and the households not visited, with drill-down', async () => {
    const { page, errors } = await newPage(browser, server.baseUrl);
    await signIn(page, 'township', 'fupin2026');
    await page.goto('/assistance/visits');
    await page.getByTestId('visits-due-chart').waitFor();
    // The demo leaves some households never visited and some overdue on purpose.
    await expect.poll(async () => Number((await page.getByTestId('visits-due-overdue').locator('.ant-statistic-content-value').textContent())?.replace(/\D/g, ''))).toBeGreaterThan(0);
    await expect.poll(async () => Number((await page.getByTestId('visits-due-never').locator('.ant-statistic-content-value').textContent())?.replace(/\D/g, ''))).toBeGreaterThan(0);
    // A township officer's counts open by village (not by helper).
    await expect.poll(() => page.locator('.ant-tabs-tab-active').first().textContent()).toContain('按村');
    const rows = page.getByTestId('visits-due-list').locator('tbody tr.ant-table-row');
    await rows.first().waitFor();
    await page.screenshot({ path: `${SHOTS}/assistance-visits-due.png`, fullPage: true });
    // Drill down to 中岳村 from the per-village table: the list holds only its households.
    await page.getByRole('tab', { name: '按村' }).click();
    await page.getByRole('button', { name: '中岳村', exact: true }).click();
    await page.waitForURL(/areaCode=430181125201/);
    const villageCells = page.getByTestId('visits-due-list').locator('tbody tr.ant-table-row td:nth-child(3)');
    await expect.poll(async () => {
      const villages = await villageCells.allTextContents();
      return villages.length > 0 && villages.every((v) => v.includes('中岳村'));
    }).toBe(true);
    expect(errors).toEqual([]);
  }, 120_000);
});
