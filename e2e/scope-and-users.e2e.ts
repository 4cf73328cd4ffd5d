/**
 * Journey: the administrator signs in, sees 浏阳市's townships, switches scope to a township, creates
 * a village clerk for one of its villages; the clerk signs in, changes the forced password and sees
 * only that village; the administrator finds the creation in the audit log.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startServer, type RunningServer } from './server.ts';
import { launchBrowser, newPage } from './browser.ts';

const SHOTS = 'test-results';
const CLERK = { username: 'e2e_clerk01', name: '测试·村信息员甲', newPassword: 'Village-2026-ok' };

let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  fs.mkdirSync(SHOTS, { recursive: true });
  server = await startServer();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function signIn(page: Page, username: string, password: string) {
  await page.goto('/');
  await expect.poll(() => page.getByRole('heading', { name: '精准扶贫信息平台' }).isVisible()).toBe(true);
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: /登\s*录/ }).click();
}

async function signOut(page: Page) {
  await page.getByRole('button', { name: '退出登录' }).click();
  await page.getByRole('button', { name: /登\s*录/ }).waitFor();
}

const visible = (page: Page, text: string | RegExp) => page.getByText(text).first().waitFor({ state: 'visible' });

describe('scope and users', () => {
  test('admin creates a village clerk in a township; the clerk sees only the village; the audit log shows it', async () => {
    const { page, errors } = await newPage(browser, server.baseUrl);

    // 1. The administrator signs in through the login page, after one wrong password.
    await signIn(page, 'admin', 'not-the-password');
    await visible(page, '用户名或密码错误');
    await page.getByLabel('密码').fill(server.adminPassword);
    await page.getByRole('button', { name: /登\s*录/ }).click();

    // 2. The county of the demo, 浏阳市, with its townships' real names.
    await page.getByRole('heading', { name: /浏阳市/ }).waitFor();
    await page.getByRole('link', { name: '淮川街道' }).waitFor();
    await page.getByRole('link', { name: '大围山镇' }).waitFor();
    await visible(page, '326');
    await page.screenshot({ path: `${SHOTS}/scope-and-users-1-county.png` });

    // 3. Switch scope to 大围山镇 through the search box above the area tree.
    await page.getByPlaceholder('搜索区划名称或代码').fill('大围山镇');
    await page.locator('.ant-select-item-option', { hasText: '湖南省 长沙市 浏阳市 大围山镇' }).first().click();
    await page.getByRole('heading', { name: /大围山镇/ }).waitFor();
    expect(page.url()).toContain('/areas/430181125000');
    const rows = page.locator('.ant-table-tbody tr.ant-table-row');
    await rows.first().waitFor();
    expect(await rows.count()).toBeGreaterThan(3);
    // The village for the new clerk (the second row) and another one (the first row).
    const village = { name: (await rows.nth(1).locator('td').nth(0).innerText()).trim(), code: (await rows.nth(1).locator('td').nth(1).innerText()).trim() };
    const otherVillage = { name: (await rows.nth(0).locator('td').nth(0).innerText()).trim(), code: (await rows.nth(0).locator('td').nth(1).innerText()).trim() };
    expect(village.code).toMatch(/^430181125\d{3}$/);
    expect(otherVillage.code).not.toBe(village.code);

    // 4. Create a village clerk for that village; read the generated password from the dialog.
    await page.getByRole('menuitem', { name: '用户管理' }).click();
    await visible(page, '大围山镇及下级区划的用户账号');
    await page.getByRole('button', { name: '新建用户' }).click();
    const form = page.getByRole('dialog', { name: '新建用户' });
    await form.getByLabel('用户名').fill(CLERK.username);
    await form.getByLabel('姓名').fill(CLERK.name);
    await form.getByLabel('角色').click();
    await page.locator('.ant-select-item-option', { hasText: '村级信息员' }).click();
    await visible(page, '村级信息员的所属区划应为：村');
    await form.getByLabel('所属区划').click();
    await page.locator('.ant-select-tree-node-content-wrapper', { hasText: village.name }).first().click();
    await page.screenshot({ path: `${SHOTS}/scope-and-users-2-create.png` });
    await form.getByRole('button', { name: /保\s*存/ }).click();
    const created = page.getByRole('dialog', { name: '用户已创建' });
    await created.waitFor();
    await created.getByText(`${CLERK.name}（${CLERK.username}）的初始密码`).waitFor();
    const initialPassword = (await created.getByTestId('one-time-secret').innerText()).trim();
    expect(initialPassword).toMatch(/^[A-Za-z0-9]{14}$/);
    await created.getByRole('button', { name: '我已记下' }).click();
    const newRow = page.locator('.ant-table-tbody tr', { hasText: CLERK.username });
    await newRow.waitFor();
    expect(await newRow.innerText()).toContain(village.name);
    expect(await newRow.innerText()).toContain('待改密码');
    await page.screenshot({ path: `${SHOTS}/scope-and-users-3-users.png` });
    await signOut(page);

    // 5. The clerk signs in and must first change the password.
    await signIn(page, CLERK.username, initialPassword);
    await visible(page, '首次登录或密码已被重置，请先修改密码后再使用系统');
    await page.getByLabel('当前密码').fill(initialPassword);
    await page.getByLabel('新密码', { exact: true }).fill(CLERK.newPassword);
    await page.getByLabel('再次输入新密码').fill(CLERK.newPassword);
    await page.getByRole('button', { name: '修改密码' }).click();
    await visible(page, '密码已修改');

    // 6. The clerk's world is the one village: its page, the top of the tree, no user management.
    await page.getByRole('heading', { name: new RegExp(village.name) }).waitFor();
    await visible(page, `湖南省 长沙市 浏阳市 大围山镇 ${village.name}`);
    const tree = page.getByRole('tree');
    await tree.getByText(village.name).waitFor();
    expect(await tree.getByText('大围山镇').count()).toBe(0);
    expect(await tree.getByText(otherVillage.name).count()).toBe(0);
    expect(await page.getByRole('menuitem', { name: '用户管理' }).count()).toBe(0);
    expect(await page.getByRole('menuitem', { name: '审计日志' }).count()).toBe(0);
    await page.screenshot({ path: `${SHOTS}/scope-and-users-4-clerk.png` });

    // A direct visit of another village's page shows not-found.
    await page.goto(`/areas/${otherVillage.code}`);
    await visible(page, '区划不存在或不在您的管辖范围内');
    expect(await page.getByRole('heading', { name: new RegExp(otherVillage.name) }).count()).toBe(0);
    await signOut(page);

    // 7. The administrator finds the creation in the audit log.
    await signIn(page, 'admin', server.adminPassword);
    await page.getByRole('heading', { name: /浏阳市|大围山镇/ }).waitFor();
    await page.getByRole('menuitem', { name: '审计日志' }).click();
    await page.getByLabel('操作', { exact: true }).fill('accounts.create');
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: /查\s*询/ }).click();
    const event = page.locator('.ant-table-tbody tr.ant-table-row', { hasText: '新建用户' }).first();
    await event.waitFor();
    expect(await event.innerText()).toContain('admin');
    await event.getByRole('button', { name: /展开/ }).click();
    await visible(page, `"username": "${CLERK.username}"`);
    await visible(page, `"areaCode": "${village.code}"`);
    await page.screenshot({ path: `${SHOTS}/scope-and-users-5-audit.png` });

    expect(errors).toEqual([]);
  });
});
