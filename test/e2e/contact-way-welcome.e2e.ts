import type { APIRequestContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBrowser, settle, type ConsoleBrowser } from './support/browser';
import { startServerProcess, type ServerProcess } from '../support/server-process';

const admin = { username: 'admin', password: 'Qiao-contact-way-e2e-1' };
const codeName = '春季展会海报';
const state = 'expo2026-spring';
const tagGroup = '客户来源';
const tagName = '春季展会';
const markedTag = '重要客户';

interface Account {
  id: string;
  type: string;
  sandbox: boolean;
  corpId: string | null;
}

/** The console's session API, as the pages call it (the CSRF token rides on every write). */
function sessionApi(request: APIRequestContext, url: string, csrfToken: string) {
  return {
    get: async <T>(path: string): Promise<T> => {
      const response = await request.get(`${url}${path}`);
      expect(response.status(), `GET ${path}: ${await response.text()}`).toBe(200);
      return (await response.json()) as T;
    },
    post: async <T>(path: string, data?: unknown): Promise<T> => {
      const response = await request.post(`${url}${path}`, { headers: { 'x-csrf-token': csrfToken }, ...(data === undefined ? {} : { data }) });
      expect(response.status(), `POST ${path}: ${await response.text()}`).toBeLessThan(300);
      return (await response.json()) as T;
    },
  };
}

/** Picks an option of an antd select by its visible text, once the dropdown shows it. */
async function pickOption(page: Page, text: string | RegExp) {
  const option = page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: text }).first();
  await option.click();
}

describe('a customer scans a contact-me code and gets its welcome message, tag and source, and an admin tags them by hand, in the browser', () => {
  let server: ServerProcess;
  let browser: ConsoleBrowser;

  beforeAll(async () => {
    server = await startServerProcess({ QIAO_ADMIN_USERNAME: admin.username, QIAO_ADMIN_PASSWORD: admin.password, QIAO_SANDBOX_FOLLOWERS: '20' });
    browser = await openBrowser({ locale: 'zh-CN', width: 1600, height: 1000 });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('creates a code with a tag and a named welcome, scans it as a new customer in the simulator, and finds the customer tagged with the code’s source, then adds a tag from the customer page and finds the customer by text inside its name', async () => {
    const { page } = browser;
    const url = server.url;

    await page.goto(`${url}/login`);
    await page.getByTestId('login-username').fill(admin.username);
    await page.getByTestId('login-password').fill(admin.password);
    const login = page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/login') && r.request().method() === 'POST');
    await page.getByTestId('login-submit').click();
    const { user } = (await (await login).json()) as { user: { csrfToken: string } };
    await page.getByTestId('side-menu').waitFor();
    const api = sessionApi(page.request, url, user.csrfToken);

    // First boot connected a sandbox WeCom corp; its directory and a tag are what an admin would have set up before.
    const accounts = await api.get<{ items: Account[] }>('/api/v1/accounts');
    const corp = accounts.items.find((a) => a.type === 'wecom' && a.sandbox);
    expect(corp).toBeDefined();
    const accountId = corp!.id;
    await api.post(`/api/v1/wecom/${accountId}/departments/sync`);
    await expect
      .poll(async () => (await api.get<{ items: unknown[] }>(`/api/v1/wecom/${accountId}/members?status=active&limit=1`)).items.length, { timeout: 30_000 })
      .toBe(1);
    await api.post(`/api/v1/wecom/${accountId}/customer-tags/groups`, { name: tagGroup, tags: [{ name: tagName }, { name: markedTag }] });

    // 联系我与欢迎语: a single-member code with a tag, a state and its own welcome message using the name variable.
    await page.goto(`${url}/wecom/contact-ways?account=${accountId}`);
    await settle(page);
    await page.getByTestId('contact-way-create').click();
    const drawer = page.locator('.ant-drawer-open');
    await page.getByTestId('contact-way-name').fill(codeName);
    await drawer.getByTestId('contact-way-members').click();
    const firstMember = page.locator('.ant-select-dropdown:visible .ant-select-item-option').first();
    await firstMember.waitFor();
    const memberLabel = (await firstMember.innerText()).trim();
    const userid = /\(([^)]+)\)$/.exec(memberLabel)?.[1];
    expect(userid).toBeTruthy();
    await firstMember.click();
    await page.keyboard.press('Escape');
    await drawer.getByLabel('自动打标签').click();
    await pickOption(page, tagName);
    await page.keyboard.press('Escape');
    await drawer.getByLabel('渠道参数').fill(state);
    await page.getByTestId('contact-way-own-welcome').click();
    await page.getByTestId('welcome-text').fill('你好，');
    await page.getByTestId('welcome-insert-name').click();
    await expect.poll(() => page.getByTestId('welcome-text').inputValue()).toBe('你好，{客户昵称}');
    await page.getByTestId('welcome-text').press('End');
    await page.getByTestId('welcome-text').pressSequentially('！欢迎来到春季展会');
    const created = page.waitForResponse((r) => r.url().endsWith(`/api/v1/wecom/${accountId}/contact-ways`) && r.request().method() === 'POST');
    await page.getByTestId('contact-way-save').click();
    expect((await created).status()).toBe(201);
    await expect.poll(() => page.locator('.ant-table-tbody').innerText(), { timeout: 15_000 }).toContain(codeName);
    expect(await page.locator('.ant-table-tbody').innerText()).toContain(state);

    // 企业微信客户 simulator: a new customer scans the code, which adds its member with its state.
    await page.goto(`${url}/simulator/wecom`);
    await settle(page);
    await page.getByTestId('wecom-scan-code').click();
    await pickOption(page, codeName);
    await page.getByRole('button', { name: '新客户扫码添加' }).click();
    // The new customer becomes the picked one, shown as "name · external_userid".
    const picked = page.getByTestId('wecom-customer');
    await expect.poll(() => picked.innerText(), { timeout: 15_000 }).toContain(' · ');
    const [customerName, externalUserId] = (await picked.innerText()).split(' · ').map((s) => s.trim());
    expect(customerName).toBeTruthy();
    expect(externalUserId).toBeTruthy();
    await expect
      .poll(() => page.getByTestId('wecom-customer-inbox').innerText(), { timeout: 20_000 })
      .toContain(`你好，${customerName}！欢迎来到春季展会`);
    expect(await page.getByTestId('wecom-customer-inbox').innerText()).toContain(userid!);

    // 客户列表: the new customer, with its source (the code's state), found by the source filter.
    await page.goto(`${url}/wecom/customers?account=${accountId}&source=${encodeURIComponent(state)}`);
    await settle(page);
    const row = page.locator('.ant-table-tbody tr').filter({ has: page.getByTestId(`customer-${externalUserId}`) });
    // The customer is stored while the add_external_contact callback is handled, which can end after
    // the welcome arrived and the list was read: reload, as a user would, until it is there.
    await expect
      .poll(
        async () => {
          if ((await row.count()) === 1) return row.innerText();
          await page.reload();
          await settle(page);
          return '';
        },
        { timeout: 30_000, interval: 1500 },
      )
      .toContain(customerName);
    expect(await row.innerText()).toContain(state);

    // 客户详情: the follow by the code's member carries the state.
    await page.getByTestId(`customer-${externalUserId}`).click();
    await page.waitForURL(`**/wecom/customers/${externalUserId}**`);
    await settle(page);
    await expect.poll(() => page.locator('body').innerText(), { timeout: 15_000 }).toContain(customerName);
    const follow = page.locator('.ant-table-tbody tr').filter({ hasText: userid! });
    await expect.poll(() => follow.innerText(), { timeout: 15_000 }).toContain(state);

    // The code's tag, on the follow and in the list. WeCom sends no callback for a tag set through
    // the API, so Qiao must record the tag it applied itself; no sync is pressed here.
    await expect.poll(() => follow.innerText(), { timeout: 15_000 }).toContain(tagName);

    // An admin adds a tag to the member's follow by hand: the selector shows the corp's tags with the current one on.
    await page.getByTestId(`edit-tags-${userid}`).click();
    const chooser = page.getByTestId('tag-chooser');
    await chooser.waitFor();
    expect(await chooser.locator('.ant-tag-checkable-checked').allInnerTexts()).toEqual([tagName]);
    await page.getByTestId(`tag-option-${markedTag}`).click();
    const marked = page.waitForResponse((r) => r.url().endsWith(`/api/v1/wecom/${accountId}/customer-tags/mark`) && r.request().method() === 'POST');
    await page.getByTestId('follow-tags-save').click();
    const markResponse = await marked;
    expect(markResponse.status()).toBe(200);
    expect(((await markResponse.json()) as { added: string[] }).added).toHaveLength(1);
    await expect.poll(() => page.locator('.ant-message').innerText(), { timeout: 10_000 }).toContain('标签已保存到企业微信');
    await expect.poll(() => follow.innerText(), { timeout: 15_000 }).toContain(markedTag);
    expect(await follow.innerText()).toContain(tagName);
    await page.goto(`${url}/wecom/customers?account=${accountId}&source=${encodeURIComponent(state)}`);
    await settle(page);
    await expect.poll(async () => ((await row.count()) === 1 ? row.innerText() : ''), { timeout: 15_000 }).toContain(tagName);
    expect(await row.innerText()).toContain(markedTag);

    // 关键词: the end of the customer's name finds it (the simulator's names begin with 客户), a search inside the name.
    const inside = customerName!.slice(-2);
    expect(customerName!.startsWith(inside)).toBe(false);
    await page.goto(`${url}/wecom/customers?account=${accountId}`);
    await settle(page);
    await page.getByTestId('filter-q').fill(inside);
    await page.getByTestId('filter-q').press('Enter');
    await expect.poll(async () => ((await row.count()) === 1 ? row.innerText() : ''), { timeout: 15_000 }).toContain(customerName);
  });
});
