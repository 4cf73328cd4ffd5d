/**
 * The identification journey (精准识别, "两公示一公告") in Chromium, through the pages, as the village,
 * the township and the county of 浏阳市 walk it (Hunan adds the 比对 step). Paper procedures are entered
 * afterwards, so every date lies in the past, relative to today:
 *   the village clerk submits a batch of two ordinary households and records the appraisal; the township
 *   does 比对; the clerk posts the first notice; the township tries to review on the notice's last day and
 *   is refused with the Chinese reason, then reviews the day after and posts the second notice; the
 *   county approves and announces; the announcement list prints (names, masked ID numbers, the dates and
 *   where to object) without the app chrome.
 * The households are created through the API as setup (the registry's own journey covers the form).
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { checkCharacter } from '../src/shared/id-number.ts';
import { startServer, type RunningServer } from './server.ts';
import { apiSession } from './api.ts';
import { launchBrowser, newPage } from './browser.ts';

const SHOTS = 'test-results';
const VILLAGE = '430181125201'; // 大围山镇 中岳村
const TOWNSHIP = '430181125000'; // 大围山镇
const COUNTY = '430181000000'; // 浏阳市
const PASSWORD = 'Identify-2026-ok';
const USERS = {
  clerk: { username: 'e2e_idn_clerk', displayName: '测试·村信息员', role: 'village_clerk', areaCode: VILLAGE },
  township: { username: 'e2e_idn_township', displayName: '测试·乡镇专干', role: 'township_officer', areaCode: TOWNSHIP },
  county: { username: 'e2e_idn_county', displayName: '测试·县扶贫办', role: 'county_officer', areaCode: COUNTY },
} as const;
const HEADS = [
  { name: '测试·识别甲', birth: '19620315', sex: 'male' as const },
  { name: '测试·识别乙', birth: '19680722', sex: 'female' as const },
];
const TITLE = '中岳村识别批次（E2E）';
const POSTED_AT = '浏阳市人民政府网站、中岳村村务公开栏';
const CONTACT = '浏阳市乡村振兴局 0731-83000000';

/** A synthetic ID number (region 430102, which the demo never uses) with its check character. */
function idNumber(birth: string, sex: 'male' | 'female'): string {
  let seq = 100 + Math.floor(Math.random() * 899);
  if ((seq % 2 === 1) !== (sex === 'male')) seq += 1;
  const first17 = `430102${birth}${String(seq).padStart(3, '0')}`;
  return first17 + checkCharacter(first17);
}
const ids = HEADS.map((h) => idNumber(h.birth, h.sex));
const masked = (id: string) => `${id.slice(0, 6)}********${id.slice(-4)}`;

/** Today in China Standard Time, and a day `n` days before it (YYYY-MM-DD). */
const TODAY = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
const ago = (n: number) => new Date(Date.parse(`${TODAY}T00:00:00Z`) - n * 86_400_000).toISOString().slice(0, 10);

let server: RunningServer;
let browser: Browser;
let batchUrl = '';

beforeAll(async () => {
  fs.mkdirSync(SHOTS, { recursive: true });
  server = await startServer(300_000);
  browser = await launchBrowser();
  const admin = await apiSession(server.baseUrl, 'admin', server.adminPassword);
  for (const u of Object.values(USERS)) {
    const initial = 'Initial-Pass-2026';
    await admin('POST', '/users', { ...u, password: initial });
    const s = await apiSession(server.baseUrl, u.username, initial);
    await s('POST', '/auth/password', { currentPassword: initial, newPassword: PASSWORD });
  }
  const clerk = await apiSession(server.baseUrl, USERS.clerk.username, PASSWORD);
  for (const [i, h] of HEADS.entries()) {
    await clerk('POST', '/households', {
      areaCode: VILLAGE,
      groupName: i === 0 ? '二组' : '五组',
      householdType: 'ordinary',
      povertyAttribute: 'general',
      mainPovertyCause: i === 0 ? 'illness' : 'disability',
      status: 'notExited',
      members: [{ name: h.name, sex: h.sex, idType: 'residentId', idNumber: ids[i], relationToHead: 'head' }],
    });
  }
}, 320_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function signIn(page: Page, username: string) {
  await page.goto('/');
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(PASSWORD);
  await page.getByRole('button', { name: /登\s*录/ }).click();
  await page.getByTestId('current-user').waitFor();
}

/**
 * Types a date into one of the app's date fields (antd DatePicker) and checks the field then shows it
 * as YYYY-MM-DD.
 */
async function fillDate(page: Page, selector: string, ymd: string) {
  const input = page.locator(selector);
  await input.click();
  await input.fill(ymd);
  await input.press('Enter');
  await expect.poll(() => input.inputValue()).toBe(ymd);
}

/** Submits the open step modal; fails with the refusal's text when the server refuses. */
async function submitModal(page: Page, shot: string) {
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('button', { name: /提\s*交/ }).click();
  const refusal = dialog.getByTestId('refusal');
  await dialog.waitFor({ state: 'hidden' }).catch(async (e: unknown) => {
    if (await refusal.isVisible()) {
      await page.screenshot({ path: `${SHOTS}/identification-${shot}.png`, fullPage: true });
      throw new Error(`${shot} refused: ${await refusal.innerText()}`);
    }
    throw e;
  });
}

/** Opens the batch page and waits for the state tag of the whole batch. */
async function openBatch(page: Page, state: string) {
  await page.goto(batchUrl);
  await page.getByTestId('batch-states').getByTestId(`state-${state}`).waitFor();
}

/** The batch's state tags, e.g. ['第一次公示中 2']. */
const stateTags = async (page: Page) => (await page.getByTestId('batch-states').locator('.ant-tag').allInnerTexts()).map((s) => s.trim());

describe('identification pages', () => {
  test('the village clerk submits a batch of two households and records the appraisal', async () => {
    const { page, errors } = await newPage(browser, server.baseUrl);
    await signIn(page, USERS.clerk.username);
    await page.getByRole('menuitem', { name: '精准识别' }).click();
    await page.getByRole('heading', { name: '精准识别' }).waitFor();
    await page.getByRole('button', { name: '新建识别批次' }).click();
    await page.getByRole('heading', { name: '新建识别批次' }).waitFor();
    expect(await page.getByTestId('batch-village').innerText()).toContain('中岳村');
    await page.locator('#batch_title').fill(TITLE);

    for (const h of HEADS) {
      const search = page.getByPlaceholder('姓名 / 身份证号 / 户编号');
      await search.fill(h.name);
      await search.press('Enter');
      const row = page.getByRole('row', { name: new RegExp(h.name) });
      await row.getByRole('checkbox').check();
      const chosen = page.getByTestId(`chosen-${h.name}`);
      await chosen.getByLabel('申请日期').fill(ago(40));
      await chosen.getByLabel('申请理由（户主陈述）').fill('家中有病人，收入低');
    }
    await page.getByText('已选 2 户').waitFor();
    await page.getByRole('button', { name: '提交批次' }).click();
    await page.getByTestId('batch-title').filter({ hasText: TITLE }).waitFor();
    batchUrl = new URL(page.url()).pathname;
    expect(batchUrl).toMatch(/^\/identification\/batches\/[0-9a-f-]{36}$/);
    expect(await stateTags(page)).toEqual(['已申请 2']);
    // 浏阳市 is in Hunan: the step bar has the 比对 step between the appraisal and the first notice.
    const bar = await page.locator('.ant-steps-item-title').allInnerTexts();
    expect(bar.slice(0, 4)).toEqual(['农户申请', '民主评议', '比对', '第一次公示']);

    // 民主评议: the meeting and each household's votes.
    await page.getByTestId('step-appraise').click();
    await fillDate(page, '#appraisal_meetingDate', ago(38));
    await page.locator('#appraisal_representatives').fill('30');
    // Too few present: the form says so before anything is sent.
    await page.locator('#appraisal_attended').fill('15');
    await page.getByText('应到 30 人，至少 20 人到会').waitFor();
    await page.locator('#appraisal_attended').fill('24');
    await page.locator('#appraisal_chairedBy').fill('测试·村主任');
    await page.locator('#appraisal_minutes').fill('两户家庭困难，同意申请');
    for (const h of HEADS) {
      await page.getByLabel(`${h.name} 赞成`).fill('22');
      await page.getByLabel(`${h.name} 反对`).fill('2');
    }
    await submitModal(page, 'appraisal');
    await page.getByTestId('batch-states').getByTestId('state-appraised').waitFor();
    expect(await stateTags(page)).toEqual(['已民主评议 2']);
    expect(await page.getByRole('row', { name: new RegExp(HEADS[0]!.name) }).innerText()).toContain('22 / 2');
    // The clerk may not take the township's 比对 step: no button for it.
    expect(await page.getByTestId('step-crossCheck').count()).toBe(0);
    // The signed minutes, scanned, are attached and can be opened.
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(256)]);
    await page.locator('input[type=file][accept*=".pdf"]').setInputFiles({ name: '民主评议会议记录.png', mimeType: 'image/png', buffer: png });
    await expect.poll(() => page.getByTestId('minutes-file').textContent()).toContain('民主评议会议记录.png');
    await page.screenshot({ path: `${SHOTS}/identification-batch.png`, fullPage: true });

    // On a phone (village clerks use phones) the page does not scroll sideways; the table scrolls in its card.
    await page.setViewportSize({ width: 390, height: 844 });
    await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect(await page.getByTestId('batch-states').isVisible()).toBe(true);
    await page.screenshot({ path: `${SHOTS}/identification-batch-phone.png`, fullPage: true });
    expect(errors).toEqual([]);
  });

  test('the township does 比对; the clerk posts the first notice with dates in the past', async () => {
    expect(batchUrl).not.toBe('');
    const township = await newPage(browser, server.baseUrl);
    await signIn(township.page, USERS.township.username);
    await openBatch(township.page, 'appraised');
    await township.page.getByTestId('step-crossCheck').click();
    await fillDate(township.page, '#step_onDate', ago(37));
    await submitModal(township.page, 'cross-check');
    await township.page.getByTestId('batch-states').getByTestId('state-crossChecked').waitFor();

    const { page, errors } = await newPage(browser, server.baseUrl);
    await signIn(page, USERS.clerk.username);
    await openBatch(page, 'crossChecked');
    await page.getByTestId('step-openFirstNotice').click();
    expect(await page.getByTestId('min-days').innerText()).toContain('公示期不少于 7 天');
    // Dates show as YYYY-MM-DD whatever the browser's locale (a native date input shows 2026/10/31 here).
    expect(await page.locator('#notice_startDate').inputValue()).toBe(TODAY);
    expect(await page.locator('#notice_endDate').inputValue()).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    await fillDate(page, '#notice_startDate', ago(36));
    await fillDate(page, '#notice_endDate', ago(30));
    await page.locator('#notice_postedAt').fill('中岳村村务公开栏');
    await page.locator('#notice_objectionContact').fill('大围山镇扶贫办 0731-83000001');
    await submitModal(page, 'first-notice');
    await page.getByTestId('batch-states').getByTestId('state-firstNotice').waitFor();
    const notice = page.getByTestId('notice-firstNotice');
    expect(await notice.innerText()).toContain(`${ago(36)} 至 ${ago(30)}`);
    expect(await notice.innerText()).toContain('已期满');
    expect(errors).toEqual([]);
    expect(township.errors).toEqual([]);
  });

  test('the township’s worklist shows the review; a review on the notice’s last day is refused in Chinese; the next day it passes', async () => {
    const { page, errors } = await newPage(browser, server.baseUrl);
    await signIn(page, USERS.township.username);
    await page.getByRole('menuitem', { name: '精准识别' }).click();
    const item = page.getByTestId('worklist').getByRole('listitem').filter({ hasText: TITLE }).filter({ hasText: '乡镇审核' });
    await item.waitFor();
    expect(await item.innerText()).toContain('2 户');
    expect(await item.innerText()).toContain('可办理');
    await page.screenshot({ path: `${SHOTS}/identification-worklist.png`, fullPage: true });
    await item.getByRole('link').click();
    await page.getByTestId('batch-title').filter({ hasText: TITLE }).waitFor();

    await page.getByTestId('step-reviewTownship').click();
    await fillDate(page, '#step_onDate', ago(30));
    await page.getByRole('dialog').getByRole('button', { name: /提\s*交/ }).click();
    const refusal = page.getByRole('dialog').getByTestId('refusal');
    await refusal.waitFor();
    expect(await refusal.innerText()).toContain(`公示期未满：${ago(30)} 之后才能进行下一步`);
    await page.screenshot({ path: `${SHOTS}/identification-refusal.png` });
    expect(await stateTags(page)).toEqual(['第一次公示中 2']);

    await fillDate(page, '#step_onDate', ago(29));
    await submitModal(page, 'township-review');
    await page.getByTestId('batch-states').getByTestId('state-townshipReviewed').waitFor();
    expect(await stateTags(page)).toEqual(['乡镇已审核 2']);

    await page.getByTestId('step-openSecondNotice').click();
    await fillDate(page, '#notice_startDate', ago(28));
    await fillDate(page, '#notice_endDate', ago(22));
    await page.locator('#notice_postedAt').fill('大围山镇政务公开栏、中岳村村务公开栏');
    await page.locator('#notice_objectionContact').fill('大围山镇扶贫办 0731-83000001');
    await submitModal(page, 'second-notice');
    await page.getByTestId('batch-states').getByTestId('state-secondNotice').waitFor();
    expect(errors).toEqual([]);
  });

  test('the county approves and announces; the timeline shows every step', async () => {
    const { page, errors } = await newPage(browser, server.baseUrl);
    await signIn(page, USERS.county.username);
    await openBatch(page, 'secondNotice');
    await page.getByTestId('step-approveCounty').click();
    await fillDate(page, '#step_onDate', ago(21));
    await submitModal(page, 'county-approval');
    await page.getByTestId('batch-states').getByTestId('state-countyApproved').waitFor();

    await page.getByTestId('step-announce').click();
    await fillDate(page, '#notice_startDate', ago(20));
    await fillDate(page, '#notice_endDate', ago(14));
    await page.locator('#notice_postedAt').fill(POSTED_AT);
    await page.locator('#notice_objectionContact').fill(CONTACT);
    await submitModal(page, 'announcement');
    await page.getByTestId('batch-states').getByTestId('state-announced').waitFor();
    expect(await stateTags(page)).toEqual(['公告中 2']);

    await page.getByRole('row', { name: new RegExp(HEADS[0]!.name) }).getByRole('link', { name: HEADS[0]!.name }).click();
    await page.getByRole('heading', { name: `${HEADS[0]!.name}户的识别经过` }).waitFor();
    const timeline = page.getByTestId('timeline');
    const steps = await timeline.locator('[data-testid^="step-"]').allInnerTexts();
    expect(steps.map((s) => s.split('\n')[0]!.trim())).toEqual([
      `${ago(40)} 农户申请`,
      `${ago(38)} 民主评议`,
      `${ago(37)} 比对`,
      `${ago(36)} 第一次公示`,
      `${ago(29)} 乡镇审核`,
      `${ago(28)} 第二次公示`,
      `${ago(21)} 县审定`,
      `${ago(20)} 公告`,
    ]);
    expect(steps.every((s) => s.includes('责任人'))).toBe(true);
    expect(steps[4]).toContain(USERS.township.displayName);
    expect(errors).toEqual([]);
  });

  test('the announcement list prints: names, masked ID numbers, the dates and where to object, without the app chrome', async () => {
    const { page, errors } = await newPage(browser, server.baseUrl);
    await signIn(page, USERS.clerk.username);
    await openBatch(page, 'announced');
    await page.getByTestId('notice-announcement').getByRole('button', { name: /打印名单/ }).click();
    const sheet = page.getByTestId('notice-sheet');
    await sheet.getByRole('heading', { name: /公告/ }).waitFor();
    const text = await sheet.innerText();
    expect(text).toContain('浏阳市');
    expect(text).toContain('大围山镇');
    expect(text).toContain('中岳村');
    expect(await page.getByTestId('notice-period').innerText()).toBe(`公告期：${ago(20)} 至 ${ago(14)}`);
    expect(await page.getByTestId('notice-posted').innerText()).toContain(POSTED_AT);
    expect(await page.getByTestId('notice-object').innerText()).toContain(CONTACT);
    const rows = await sheet.locator('tbody tr').allInnerTexts();
    expect(rows).toHaveLength(2);
    for (const [i, h] of HEADS.entries()) {
      const row = rows.find((r) => r.includes(h.name));
      expect(row, h.name).toBeDefined();
      expect(row).toContain(masked(ids[i]!));
      expect(row).not.toContain(ids[i]!);
    }
    expect(rows.find((r) => r.includes(HEADS[0]!.name))).toContain('因病');
    expect(text).toContain('共 2 户 2 人');

    await expect.poll(() => page.locator('.fupin-header').isVisible()).toBe(true);
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.fupin-header').isVisible()).toBe(false);
    expect(await page.locator('.fupin-sider').isVisible()).toBe(false);
    expect(await page.getByRole('button', { name: /打\s*印/ }).isVisible()).toBe(false);
    expect(await sheet.isVisible()).toBe(true);
    expect(await sheet.getByText(HEADS[1]!.name).isVisible()).toBe(true);
    await page.screenshot({ path: `${SHOTS}/identification-announcement-print.png`, fullPage: true });
    expect(errors).toEqual([]);
  });
});
