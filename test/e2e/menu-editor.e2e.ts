import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBrowser, settle, type ConsoleBrowser } from './support/browser';
import { startServerProcess, type ServerProcess } from '../support/server-process';

const admin = { username: 'admin', password: 'Qiao-menu-e2e-1' };

describe('an operator builds a custom menu in the editor, in the browser', () => {
  let server: ServerProcess;
  let browser: ConsoleBrowser;

  beforeAll(async () => {
    server = await startServerProcess({ QIAO_ADMIN_USERNAME: admin.username, QIAO_ADMIN_PASSWORD: admin.password, QIAO_SANDBOX_FOLLOWERS: '20' });
    browser = await openBrowser({ locale: 'zh-CN', width: 1600, height: 1100 });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('builds a menu with a live preview, publishes it and finds it on a follower’s phone', async () => {
    const { page } = browser;
    const url = server.url;
    await page.goto(`${url}/login`);
    await page.getByTestId('login-username').fill(admin.username);
    await page.getByTestId('login-password').fill(admin.password);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('side-menu').waitFor();

    await page.goto(`${url}/official-account/menu`);
    await settle(page);
    await page.getByTestId('menu-add-top').click();
    await page.getByTestId('menu-field-name').fill('产品价格');
    await page.getByTestId('menu-add-top').click();
    await page.getByTestId('menu-field-name').fill('官网');
    await page.getByTestId('menu-field-type').click();
    await page.locator('.ant-select-item-option').filter({ hasText: '跳转网页' }).click();
    await page.getByTestId('menu-field-url').fill('https://example.com/');

    // The phone preview follows the editor as it is typed.
    await expect.poll(() => page.getByTestId('menu-preview').innerText()).toContain('产品价格');
    expect(await page.getByTestId('menu-preview').innerText()).toContain('官网');

    // A name past 16 bytes turns the button and its counter red and blocks publishing, before any request.
    await page.getByTestId('menu-field-name').fill('官方网站入口链接');
    expect(await page.getByTestId('menu-top-1').getAttribute('data-invalid')).toBe('true');
    expect(await page.getByTestId('menu-byte-counter').first().innerText()).toContain('24/16');
    expect(await page.getByTestId('menu-publish').isDisabled()).toBe(true);
    await page.getByTestId('menu-field-name').fill('官网');
    expect(await page.getByTestId('menu-top-1').getAttribute('data-invalid')).toBe('false');

    await page.getByTestId('menu-publish').click();
    await page.getByTestId('menu-publish-confirm').click();
    await expect.poll(() => page.getByTestId('menu-status').innerText(), { timeout: 15_000 }).toContain('v1');

    await page.goto(`${url}/simulator/phone`);
    await settle(page);
    if (await page.getByTestId('phone-new-follower').isDisabled()) {
      await page.getByTestId('phone-account').click();
      await page.locator('.ant-select-item-option').first().click();
    }
    await page.getByTestId('phone-new-follower').click();
    await expect.poll(() => page.getByTestId('phone').innerText(), { timeout: 15_000 }).toContain('产品价格');
    expect(await page.getByTestId('phone-menu').innerText()).toContain('官网');
  });
});
