/**
 * Journeys of the registry (建档立卡) pages:
 * (a) a village clerk registers a household of four through the form, sees the instant ID-number
 *     error first, then the saved household's card; reusing one of those ID numbers is refused with a
 *     message naming the person and the household;
 * (b) two sessions edit the same household; the second gets the conflict dialog with the first's value,
 *     and the first save survives;
 * (c) the household card and the village register print without the app chrome (screenshots in
 *     test-results/).
 * People are synthetic: ID numbers are generated here (region 430181 浏阳市) with their check character.
 */
import fs from 'node:fs';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { checkCharacter } from '../src/shared/id-number.ts';
import { startServer, type RunningServer } from './server.ts';
import { launchBrowser, newPage } from './browser.ts';

const SHOTS = 'test-results';
const TOWNSHIP = '430181125000'; // 大围山镇
const CLERK = { username: 'e2e_reg_clerk', name: '测试·登记员', initial: 'Initial-Pass-2026', password: 'Registry-2026-ok' };

let server: RunningServer;
let browser: Browser;
let village = { code: '', name: '' };

/** A synthetic 18-character ID number (region 430102, a county the demo never uses, so it cannot collide with demo people) with a random sequence of the right parity. */
function idNumber(birth: string, sex: 'male' | 'female'): string {
  let seq = 100 + Math.floor(Math.random() * 899);
  if ((seq % 2 === 1) !== (sex === 'male')) seq += 1;
  const first17 = `430102${birth.replaceAll('-', '')}${String(seq).padStart(3, '0')}`;
  return first17 + checkCharacter(first17);
}

/** A tiny API client with a cookie jar, for setting up accounts. */
async function apiSession(baseUrl: string, username: string, password: string) {
  const res = await fetch(`${baseUrl}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  if (!res.ok) throw new Error(`login ${username}: ${res.status} ${await res.text()}`);
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const r = await fetch(`${baseUrl}/api${path}`, {
      method,
      headers: { cookie, 'x-csrf-token': csrfToken, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    const text = await r.text();
    if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  };
  return call;
}

beforeAll(async () => {
  fs.mkdirSync(SHOTS, { recursive: true });
  server = await startServer(300_000);
  browser = await launchBrowser();
  const admin = await apiSession(server.baseUrl, 'admin', server.adminPassword);
  const villages = (await admin<{ items: { code: string; name: string; level: string }[] }>('GET', `/areas/${TOWNSHIP}/children`)).items;
  village = { code: villages[0]!.code, name: villages[0]!.name };
  await admin('POST', '/users', { username: CLERK.username, displayName: CLERK.name, role: 'village_clerk', areaCode: village.code, password: CLERK.initial });
  const clerk = await apiSession(server.baseUrl, CLERK.username, CLERK.initial);
  await clerk('POST', '/auth/password', { currentPassword: CLERK.initial, newPassword: CLERK.password });
}, 320_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function signIn(page: Page) {
  await page.goto('/');
  await page.getByLabel('用户名').fill(CLERK.username);
  await page.getByLabel('密码').fill(CLERK.password);
  await page.getByRole('button', { name: /登\s*录/ }).click();
  await page.getByTestId('current-user').waitFor();
}

/** Picks an option of a searchable antd Select: types the label, takes the first match with Enter. */
async function choose(page: Page, id: string, option: string) {
  const input = page.locator(`#${id}`);
  await input.click();
  await input.fill(option);
  await page.locator('.ant-select-item-option-active', { hasText: option }).first().waitFor();
  await input.press('Enter');
  await page.locator(`.ant-select:has(#${id}) .ant-select-content`, { hasText: option }).or(page.locator(`.ant-select:has(#${id})`, { hasText: option })).first().waitFor();
}

/** Saves the registration form; fails with the refusal's text when the server refuses. */
async function saveRegistration(page: Page) {
  await page.getByRole('button', { name: '保存登记' }).click();
  const title = page.getByTestId('household-title');
  const refusal = page.getByTestId('refusal');
  await title.or(refusal).first().waitFor();
  if (await refusal.isVisible()) {
    await page.screenshot({ path: `${SHOTS}/registry-refused.png`, fullPage: true });
    throw new Error(`registration refused: ${await refusal.innerText()}`);
  }
}

const visible = (page: Page, text: string | RegExp) => page.getByText(text).first().waitFor({ state: 'visible' });

/** Fills one member row of the registration form. */
async function fillMember(page: Page, i: number, m: { name: string; id: string; relation?: string }) {
  await page.locator(`#hh_members_${i}_name`).fill(m.name);
  await page.locator(`#hh_members_${i}_idNumber`).fill(m.id);
  if (m.relation) await choose(page, `hh_members_${i}_relationToHead`, m.relation);
}

const FAMILY = {
  head: { name: '测试·刘建国', birth: '1968-04-12', sex: 'male' as const },
  spouse: { name: '测试·王秀英', birth: '1970-09-03', sex: 'female' as const, relation: '配偶' },
  son: { name: '测试·刘小军', birth: '1995-01-20', sex: 'male' as const, relation: '之子' },
  daughter: { name: '测试·刘小红', birth: '2008-06-15', sex: 'female' as const, relation: '之女' },
};
const ids = Object.fromEntries(Object.entries(FAMILY).map(([k, p]) => [k, idNumber(p.birth, p.sex)])) as Record<keyof typeof FAMILY, string>;
let householdId = '';
let householdNo = '';

describe('registry pages', () => {
  test('(a) a village clerk registers a household of four; instant ID check; the card; a reused ID number is refused', async () => {
    const { page, errors } = await newPage(browser, server.baseUrl);
    await signIn(page);
    await page.getByRole('menuitem', { name: '农户档案' }).click();
    await page.getByRole('heading', { name: '农户档案' }).waitFor();
    await page.getByRole('button', { name: '登记农户' }).click();
    await page.getByRole('heading', { name: '登记农户（建档立卡）' }).waitFor();
    await visible(page, village.name);

    await choose(page, 'hh_mainPovertyCause', '因病');
    await page.locator('#hh_groupName').fill('三组');
    await page.locator('#hh_address').fill('测试路 1 号');

    // A mistyped ID number (wrong check character) is refused as it is typed, with the precise reason.
    const good = ids.head;
    const wrongCheck = good.slice(0, 17) + (good[17] === '1' ? '2' : '1');
    await page.locator('#hh_members_0_name').fill(FAMILY.head.name);
    await page.locator('#hh_members_0_idNumber').fill(wrongCheck);
    await visible(page, `第 18 位校验码应为 ${good[17]}，实际为 ${wrongCheck[17]}`);
    await page.screenshot({ path: `${SHOTS}/registry-1-id-error.png` });
    // Corrected: the hint names birth date and sex, which are filled in.
    await page.locator('#hh_members_0_idNumber').fill(good);
    await visible(page, `号码有效：${FAMILY.head.birth} 出生，男`);
    expect(await page.locator('#hh_members_0_birthDate').inputValue()).toBe(FAMILY.head.birth);

    // Three more members.
    for (const [i, key] of (['spouse', 'son', 'daughter'] as const).entries()) {
      await page.getByRole('button', { name: '添加成员' }).last().click();
      await fillMember(page, i + 1, { name: FAMILY[key].name, id: ids[key], relation: FAMILY[key].relation });
    }
    await visible(page, '家庭成员（4 人）');
    expect(await page.getByTestId('head-check').count()).toBe(0);

    // Income with the derived figures shown live: (12000 + 8000.50 + 0 + 3000 − 1500) ÷ 4 = 5375.125 → ¥5,375.13.
    await page.getByRole('switch', { name: '同时登记收入' }).click();
    await page.locator('#hh_income_wageIncome').fill('12000');
    await page.locator('#hh_income_productionIncome').fill('8000.50');
    await page.locator('#hh_income_transferIncome').fill('3000');
    await page.locator('#hh_income_productionCosts').fill('1500');
    await page.getByTestId('income-derived').getByText('¥5,375.13').waitFor();
    await page.getByTestId('income-derived').getByText('¥21,500.50').waitFor();
    await page.screenshot({ path: `${SHOTS}/registry-2-form.png`, fullPage: true });

    await saveRegistration(page);
    expect(await page.getByTestId('household-title').innerText()).toBe(`${FAMILY.head.name}户`);
    householdId = page.url().split('/households/')[1]!.split(/[/?]/)[0]!;
    const subtitle = await page.locator('.fupin-page-header').innerText();
    householdNo = /户编号 (\d{16})/.exec(subtitle)![1]!;
    expect(householdNo.startsWith(village.code)).toBe(true);
    await visible(page, '本次查看已记入审计日志');

    // The card.
    await page.getByRole('button', { name: '户有卡' }).click();
    const card = page.getByTestId('household-card');
    await card.waitFor();
    for (const p of Object.values(FAMILY)) await card.getByText(p.name, { exact: true }).first().waitFor();
    await card.getByText(ids.spouse).waitFor();
    await card.getByText('¥5,375.13').waitFor();
    await card.getByText('因病').waitFor();
    await page.screenshot({ path: `${SHOTS}/registry-3-card.png`, fullPage: true });

    // The draft was cleared by the save: a second registration starts empty; it reuses the spouse's number.
    await page.goto('/households/new');
    await page.getByRole('heading', { name: '登记农户（建档立卡）' }).waitFor();
    expect(await page.locator('#hh_members_0_name').inputValue()).toBe('');
    await choose(page, 'hh_mainPovertyCause', '缺技术');
    await page.locator('#hh_members_0_name').fill(FAMILY.spouse.name);
    await page.locator('#hh_members_0_idNumber').fill(ids.spouse);
    await visible(page, `号码有效：${FAMILY.spouse.birth} 出生，女`);
    await page.getByRole('button', { name: '保存登记' }).click();
    const refusal = page.getByTestId('refusal');
    await refusal.waitFor();
    const text = await refusal.innerText();
    expect(text).toContain(FAMILY.spouse.name);
    expect(text).toContain(`户编号 ${householdNo}`);
    expect(text).toContain('一人只能属于一户');
    // The same message sits under the member's ID number field, and what was typed is kept.
    await page.locator('#hh_members_0_idNumber_help').getByText('一人只能属于一户').waitFor();
    expect(await page.locator('#hh_members_0_idNumber').inputValue()).toBe(ids.spouse);
    await page.screenshot({ path: `${SHOTS}/registry-4-duplicate.png` });

    // The draft survives a reload, even one right after the last keystroke.
    await page.locator('#hh_members_0_name').fill(`${FAMILY.spouse.name}乙`);
    await page.reload();
    await visible(page, '未提交的草稿');
    expect(await page.locator('#hh_members_0_name').inputValue()).toBe(`${FAMILY.spouse.name}乙`);
    await page.getByRole('button', { name: '清空重填' }).click();
    expect(await page.locator('#hh_members_0_name').inputValue()).toBe('');

    expect(errors).toEqual([]);
    await page.context().close();
  });

  test('(b) two sessions edit the same household: the second gets the conflict dialog; the first save survives', async () => {
    expect(householdId).not.toBe('');
    const a = await newPage(browser, server.baseUrl);
    const b = await newPage(browser, server.baseUrl);
    await signIn(a.page);
    await signIn(b.page);
    for (const p of [a.page, b.page]) {
      await p.goto(`/households/${householdId}/edit`);
      await p.locator('#edit_address').waitFor();
      expect(await p.locator('#edit_address').inputValue()).toBe('测试路 1 号');
    }
    await a.page.locator('#edit_address').fill('测试路 18 号（甲改）');
    await a.page.getByRole('button', { name: '保存修改' }).click();
    await a.page.getByTestId('household-title').waitFor();

    await b.page.locator('#edit_address').fill('测试路 29 号（乙改）');
    await b.page.getByRole('button', { name: '保存修改' }).click();
    const dialog = b.page.getByTestId('conflict-dialog');
    await dialog.waitFor();
    expect(await b.page.getByTestId('theirs-address').innerText()).toBe('测试路 18 号（甲改）');
    expect(await b.page.getByTestId('mine-address').innerText()).toBe('测试路 29 号（乙改）');
    await b.page.waitForTimeout(500); // the dialog's opening animation
    await b.page.screenshot({ path: `${SHOTS}/registry-5-conflict.png` });
    await dialog.getByText('采用当前值').click();
    await b.page.getByRole('button', { name: '按所选重新保存' }).click();
    await visible(b.page, '已采用他人保存的当前值');
    expect(await b.page.locator('#edit_address').inputValue()).toBe('测试路 18 号（甲改）');

    // On reload both see the first save.
    await b.page.reload();
    await b.page.locator('#edit_address').waitFor();
    expect(await b.page.locator('#edit_address').inputValue()).toBe('测试路 18 号（甲改）');
    await a.page.reload();
    await a.page.getByText('测试路 18 号（甲改）').waitFor();

    expect(a.errors).toEqual([]);
    expect(b.errors).toEqual([]);
    await a.page.context().close();
    await b.page.context().close();
  });

  test('(c) the household card and the village register print without the app chrome', async () => {
    expect(householdId).not.toBe('');
    const { page, errors } = await newPage(browser, server.baseUrl);
    await signIn(page);

    await page.goto(`/households/${householdId}/card`);
    await page.getByTestId('household-card').waitFor();
    await expect.poll(() => page.locator('.fupin-header').isVisible()).toBe(true);
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.fupin-header').isVisible()).toBe(false);
    expect(await page.locator('.fupin-sider').isVisible()).toBe(false);
    expect(await page.getByRole('button', { name: /打\s*印/ }).isVisible()).toBe(false);
    expect(await page.getByText('扶贫手册 · 户有卡').isVisible()).toBe(true);
    expect(await page.getByText(householdNo).first().isVisible()).toBe(true);
    expect(await page.getByTestId('household-card').getByText(FAMILY.head.name, { exact: true }).first().isVisible()).toBe(true);
    // The card's 帮扶 part (assistance): a household just registered has no helper yet, and says so.
    const help = page.getByTestId('card-assistance');
    await help.waitFor();
    expect(await help.getByText('帮扶责任人', { exact: true }).isVisible()).toBe(true);
    expect(await help.getByText('尚未落实帮扶责任人').isVisible()).toBe(true);
    await page.screenshot({ path: `${SHOTS}/registry-6-card-print.png`, fullPage: true });
    await page.emulateMedia({ media: 'screen' });

    await page.goto(`/villages/${village.code}/register`);
    const register = page.getByTestId('village-register');
    await register.waitFor();
    await register.getByText(householdNo).waitFor();
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.fupin-header').isVisible()).toBe(false);
    expect(await page.locator('.fupin-sider').isVisible()).toBe(false);
    expect(await page.getByRole('menu').first().isVisible()).toBe(false);
    expect(await register.getByText(`${village.name} 建档立卡农户花名册（村有册）`).isVisible()).toBe(true);
    expect(await register.getByText(FAMILY.head.name).isVisible()).toBe(true);
    await page.screenshot({ path: `${SHOTS}/registry-7-register-print.png` });
    await page.emulateMedia({ media: 'screen' });

    expect(errors).toEqual([]);
    await page.context().close();
  });

  test('(d) an officer reviews likely duplicates: the same name and birth date in two households', async () => {
    const admin = await apiSession(server.baseUrl, 'admin', server.adminPassword);
    const villages = (await admin<{ items: { code: string }[] }>('GET', `/areas/${TOWNSHIP}/children`)).items;
    const registered: string[] = [];
    const numbers = new Set<string>();
    while (numbers.size < 2) numbers.add(idNumber('19660606', 'male'));
    const [first, second] = [...numbers];
    for (const [v, id] of [
      [villages[1]!, first!],
      [villages[2]!, second!],
    ] as const) {
      const h = await admin<{ householdNo: string }>('POST', '/households', {
        areaCode: v.code,
        householdType: 'registeredPoor',
        mainPovertyCause: 'illness',
        status: 'notExited',
        members: [{ name: '测试·重名人', sex: 'male', idType: 'residentId', idNumber: id, relationToHead: 'head' }],
      });
      registered.push(h.householdNo);
    }
    const { page, errors } = await newPage(browser, server.baseUrl);
    await page.goto('/');
    await page.getByLabel('用户名').fill('admin');
    await page.getByLabel('密码').fill(server.adminPassword);
    await page.getByRole('button', { name: /登\s*录/ }).click();
    await page.getByTestId('current-user').waitFor();
    await page.getByRole('menuitem', { name: '农户档案' }).click();
    await page.getByRole('button', { name: '疑似重复人员' }).click();
    await page.getByRole('heading', { name: '疑似重复人员' }).waitFor();
    const row = page.getByRole('row').filter({ hasText: '测试·重名人' });
    await row.first().waitFor();
    await expect.poll(() => row.first().textContent()).toContain('姓名与出生日期相同');
    for (const no of registered) expect(await row.first().textContent()).toContain(no);
    await page.screenshot({ path: `${SHOTS}/registry-8-duplicates.png` });
    expect(errors).toEqual([]);
    await page.context().close();
  });

  test("(e) a clerk exports the village's people list as Excel: ID numbers masked, all columns of the national list", async () => {
    const { page, errors } = await newPage(browser, server.baseUrl);
    await signIn(page);
    await page.getByRole('menuitem', { name: '农户档案' }).click();
    await page.getByRole('heading', { name: '农户档案' }).waitFor();
    await page.getByRole('button', { name: '导出' }).hover();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByText('人员名单（Excel，国家系统格式）').click()]);
    expect(download.suggestedFilename()).toMatch(/\.xlsx$/);
    const file = await download.path();
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    const sheet = wb.worksheets[0]!;
    const header = (sheet.getRow(1).values as unknown[]).map((v) => String(v ?? ''));
    expect(header).toEqual(expect.arrayContaining(['户编号', '姓名', '证件号码', '与户主关系']));
    const idCol = header.indexOf('证件号码');
    const firstId = String(sheet.getRow(2).getCell(idCol).value);
    expect(firstId).toMatch(/^\d{6}\*{8}[\dX]{4}$/);
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
