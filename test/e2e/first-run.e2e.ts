import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openBrowser, settle, type ConsoleBrowser } from './support/browser';
import { startServerProcess, type ServerProcess } from '../support/server-process';

const admin = { username: 'admin', password: 'Qiao-e2e-admin-1', displayName: '王小明' };
const deptAdmin = { username: 'li.na', password: 'Li-na-e2e-2026', displayName: 'Li Na' };
const peer = { username: 'zhou.peer', password: 'Zhou-peer-2026', displayName: 'Zhou Peer' };
const outsider = { username: 'chen.out', password: 'Chen-out-2026', displayName: 'Chen Outside' };

async function logIn(page: Page, url: string, who: { username: string; password: string }) {
  await page.goto(`${url}/login`);
  await page.getByTestId('login-username').fill(who.username);
  await page.getByTestId('login-password').fill(who.password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('side-menu').waitFor();
}

async function logOut(page: Page) {
  await page.getByTestId('user-menu').click();
  await page.getByTestId('user-menu-logout').click();
  await page.waitForURL(/\/login/);
}

async function tableUsernames(page: Page): Promise<string[]> {
  await settle(page);
  const cells = await page.locator('.ant-table-tbody tr.ant-table-row').allInnerTexts();
  return cells.map((row) => row.split('\n').map((s) => s.trim()).find((s) => /^[a-z][a-z.]+$/.test(s)) ?? row);
}

/** Creates a user through the API with the browser's own session, as a second admin tab would. */
async function createUserViaApi(page: Page, url: string, body: Record<string, unknown>) {
  const me = (await (await page.request.get(`${url}/api/v1/me`)).json()) as { csrfToken: string };
  const response = await page.request.post(`${url}/api/v1/users`, { data: body, headers: { 'x-csrf-token': me.csrfToken } });
  expect(response.status(), await response.text()).toBe(201);
}

describe('first run to a department admin, in the browser', () => {
  let server: ServerProcess;
  let browser: ConsoleBrowser;

  beforeAll(async () => {
    server = await startServerProcess();
    browser = await openBrowser({ locale: 'zh-CN' });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('sets up the super admin in Chinese, switches to English, creates a dept admin who sees only their part, and audits every step', async () => {
    const { page } = browser;
    const url = server.url;

    // First run, in Chinese by default.
    await page.goto(url);
    await page.waitForURL(/\/setup/);
    await expect.poll(() => page.locator('body').innerText()).toContain('超级管理员');
    await page.getByTestId('setup-username').fill(admin.username);
    await page.getByTestId('setup-display-name').fill(admin.displayName);
    await page.getByTestId('setup-password').fill(admin.password);
    await page.getByTestId('setup-confirm-password').fill(admin.password);
    await page.getByTestId('setup-submit').click();
    await page.getByTestId('side-menu').waitFor();
    expect(await page.getByTestId('side-menu').innerText()).toContain('审计日志');

    // Log out and back in.
    await logOut(page);
    await logIn(page, url, admin);

    // Switch to English; the choice survives a reload.
    await page.getByTestId('language-switch').click();
    await page.getByTestId('language-en-US').click();
    await expect.poll(() => page.getByTestId('side-menu').innerText()).toContain('Audit log');
    await page.reload();
    await expect.poll(() => page.getByTestId('side-menu').innerText()).toContain('Audit log');

    // Create a department admin for department 2 of one corp in the drawer.
    await page.goto(`${url}/system/users`);
    await page.getByTestId('user-create').click();
    await page.getByTestId('user-username').fill(deptAdmin.username);
    await page.getByTestId('user-display-name').fill(deptAdmin.displayName);
    await page.getByTestId('user-password').fill(deptAdmin.password);
    await page.getByTestId('user-role').click();
    await page.locator('.ant-select-item-option', { hasText: 'Department admin' }).click();
    await page.getByTestId('user-add-scope').click();
    await page.getByTestId('user-scope-account-0').fill('corp-e2e');
    await page.getByTestId('user-scope-department-0').fill('2');
    await page.getByTestId('user-save').click();
    await page.getByTestId('user-drawer').waitFor({ state: 'hidden' });
    await expect.poll(() => tableUsernames(page)).toContain(deptAdmin.username);

    // A peer inside the same department and an admin of another corp.
    await createUserViaApi(page, url, { ...peer, role: 'dept_admin', departmentScopes: [{ accountId: 'corp-e2e', departmentId: 2 }], wecomMembers: [] });
    await createUserViaApi(page, url, { ...outsider, role: 'dept_admin', departmentScopes: [{ accountId: 'corp-other', departmentId: 9 }], wecomMembers: [] });
    await logOut(page);

    // The department admin sees only their part.
    await logIn(page, url, deptAdmin);
    await page.goto(`${url}/system/users`);
    const visible = await tableUsernames(page);
    expect(visible.sort()).toEqual([deptAdmin.username, peer.username].sort());
    await page.getByTestId('user-create').click();
    await page.getByTestId('user-role').click();
    const roleOptions = await page.locator('.ant-select-item-option').allInnerTexts();
    expect(roleOptions).not.toContain('Super admin');
    await page.keyboard.press('Escape');
    const refused = await page.request.get(`${url}/api/v1/api-keys?all=true`);
    expect(refused.status()).toBe(403);
    await page.goto(`${url}/system/audit-log`);
    await settle(page);
    const ownAudit = await page.locator('.ant-table-tbody').innerText();
    expect(ownAudit).not.toContain(admin.username);
    await logOut(page);

    // The super admin's audit log shows every step, and the chain verifies.
    await logIn(page, url, admin);
    await page.goto(`${url}/system/audit-log`);
    await settle(page);
    const entries = (await (await page.request.get(`${url}/api/v1/audit-log?limit=200`)).json()) as {
      items: { action: string; outcome: string; actorName: string | null; targetId: string | null }[];
    };
    const steps = entries.items.map((e) => `${e.action}:${e.outcome}:${e.actorName ?? ''}`);
    for (const expected of [
      `setup.create_admin:ok:${admin.username}`,
      `auth.logout:ok:${admin.username}`,
      `auth.login:ok:${admin.username}`,
      `users.create:ok:${admin.username}`,
      `auth.login:ok:${deptAdmin.username}`,
      `api_keys.list:refused:${deptAdmin.username}`,
      `auth.logout:ok:${deptAdmin.username}`,
    ]) {
      expect(steps.some((s) => s.startsWith(expected.replace(/:$/, ''))), `${expected} in ${steps.join(', ')}`).toBe(true);
    }
    expect(steps.filter((s) => s.startsWith('users.create:ok')).length).toBe(3);
    await page.getByTestId('audit-verify').click();
    await expect.poll(() => page.getByTestId('audit-verify-result').innerText()).toMatch(/verified|intact|OK|passed/i);
  });
});
