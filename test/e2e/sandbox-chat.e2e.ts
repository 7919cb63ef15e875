import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBrowser, settle, type ConsoleBrowser } from './support/browser';
import { startServerProcess, type ServerProcess } from '../support/server-process';

const admin = { username: 'admin', password: 'Qiao-sandbox-e2e-1' };

describe('a new user chats with the sandbox Official Account, in the browser', () => {
  let server: ServerProcess;
  let browser: ConsoleBrowser;

  beforeAll(async () => {
    server = await startServerProcess({ QIAO_ADMIN_USERNAME: admin.username, QIAO_ADMIN_PASSWORD: admin.password, QIAO_SANDBOX_FOLLOWERS: '20' });
    browser = await openBrowser({ locale: 'zh-CN' });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('sends a message from the phone simulator and finds it in Qiao’s message log', async () => {
    const { page } = browser;
    const url = server.url;
    await page.goto(`${url}/login`);
    await page.getByTestId('login-username').fill(admin.username);
    await page.getByTestId('login-password').fill(admin.password);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('side-menu').waitFor();

    // First boot connected a sandbox Official Account as an ordinary account.
    const accounts = (await (await page.request.get(`${url}/api/v1/accounts`)).json()) as {
      items: { id: string; type: string; sandbox: boolean }[];
    };
    const officialAccount = accounts.items.find((a) => a.type === 'official_account' && a.sandbox);
    expect(officialAccount).toBeDefined();

    await page.goto(`${url}/simulator/phone`);
    await settle(page);
    if ((await page.getByTestId('phone-new-follower').isDisabled())) {
      await page.getByTestId('phone-account').click();
      await page.locator('.ant-select-item-option').first().click();
    }
    await page.getByTestId('phone-new-follower').click();
    await expect.poll(() => page.getByTestId('phone-last').innerText(), { timeout: 15_000 }).toMatch(/\d+\s*(ms|毫秒)/);
    const text = `你好，想了解一下产品价格 ${Date.now()}`;
    await page.getByTestId('phone-input').fill(text);
    await page.getByTestId('phone-send').click();
    await expect.poll(() => page.getByTestId('phone-chat').innerText(), { timeout: 15_000 }).toContain(text);

    await page.goto(`${url}/accounts/messages?account=${officialAccount!.id}`);
    await settle(page);
    await expect.poll(() => page.locator('.ant-table-tbody').innerText(), { timeout: 15_000 }).toContain(text);
  });
});
