import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBrowser, settle, type ConsoleBrowser } from './support/browser';
import { startServerProcess, type ServerProcess } from '../support/server-process';

const admin = { username: 'admin', password: 'Qiao-broadcast-e2e-1' };

describe('an operator pushes to a tag from the console, in the browser', () => {
  let server: ServerProcess;
  let browser: ConsoleBrowser;

  beforeAll(async () => {
    server = await startServerProcess({ QIAO_ADMIN_USERNAME: admin.username, QIAO_ADMIN_PASSWORD: admin.password, QIAO_SANDBOX_FOLLOWERS: '6' });
    browser = await openBrowser({ locale: 'zh-CN' });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('composes a push to a tag, sends it and finds it in the tagged follower’s phone', async () => {
    const { page } = browser;
    const url = server.url;
    await page.goto(`${url}/login`);
    await page.getByTestId('login-username').fill(admin.username);
    await page.getByTestId('login-password').fill(admin.password);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('side-menu').waitFor();

    // WeChat's side (the sandbox): tag one follower, as the MP admin console would.
    const sandbox = (await (await page.request.get(`${url}/sandbox/control/official-accounts`)).json()) as { items: { appId: string; appSecret: string }[] };
    const { appId, appSecret } = sandbox.items[0] as { appId: string; appSecret: string };
    const token = ((await (await page.request.get(`${url}/sandbox/official-account/cgi-bin/token?grant_type=client_credential&appid=${appId}&secret=${appSecret}`)).json()) as { access_token: string }).access_token;
    const wx = async (path: string, body: unknown) => (await page.request.post(`${url}/sandbox/official-account/${path}?access_token=${token}`, { data: body })).json() as Promise<Record<string, unknown>>;
    const followers = (await (await page.request.get(`${url}/sandbox/control/official-accounts/${appId}/followers`)).json()) as { items: { openId: string }[] };
    const [tagged, untagged] = followers.items.map((f) => f.openId) as [string, string];
    const tagName = `新品关注 ${Date.now() % 10000}`;
    const tagId = ((await wx('cgi-bin/tags/create', { tag: { name: tagName } })) as { tag: { id: number } }).tag.id;
    await wx('cgi-bin/tags/members/batchtagging', { tagid: tagId, openid_list: [tagged] });

    // Qiao's side: pull the tags so the audience picker lists it.
    const me = (await (await page.request.get(`${url}/api/v1/me`)).json()) as { csrfToken: string };
    const accounts = (await (await page.request.get(`${url}/api/v1/accounts?type=official_account`)).json()) as { items: { id: string }[] };
    const accountId = (accounts.items[0] as { id: string }).id;
    const pulled = await page.request.post(`${url}/api/v1/official-accounts/${accountId}/tags/sync`, { headers: { 'x-csrf-token': me.csrfToken } });
    expect(pulled.status()).toBe(200);

    await page.goto(`${url}/official-account/broadcasts?account=${accountId}`);
    await settle(page);
    await page.getByTestId('push-compose').click();
    const text = `双十一新品预告 ${Date.now()}`;
    await page.getByTestId('push-text').fill(text);
    await page.getByTestId('push-tags').click();
    await page.locator('.ant-select-item-option').filter({ hasText: tagName }).click();
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('push-recipient-count').innerText(), { timeout: 15_000 }).toContain('1');
    await page.getByTestId('push-submit').click();
    await page.locator('.ant-modal-confirm-btns .ant-btn-primary').click();
    await expect.poll(() => page.getByTestId('broadcasts-table').innerText(), { timeout: 15_000 }).toContain(text);
    await expect.poll(async () => (await page.getByTestId('broadcasts-table').innerText()).includes('已完成'), { timeout: 60_000 }).toBe(true);

    await page.goto(`${url}/simulator/phone?openId=${tagged}`);
    await settle(page);
    await expect.poll(() => page.getByTestId('phone-chat').innerText(), { timeout: 15_000 }).toContain(text);
    await page.goto(`${url}/simulator/phone?openId=${untagged}`);
    await settle(page);
    expect(await page.getByTestId('phone-chat').innerText()).not.toContain(text);
  });
});
