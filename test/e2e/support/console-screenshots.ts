/**
 * Screenshots of every console page in zh-CN and en-US, for looking at layout
 * and translations by eye. Run against a running Qiao:
 *   QIAO_URL=http://127.0.0.1:3311 QIAO_USERNAME=admin QIAO_PASSWORD=… npx tsx test/e2e/support/console-screenshots.ts
 * On a fresh data dir it first shoots the first-run page and creates the admin with those credentials.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { openBrowser, settle, useConsoleLanguage } from './browser';

const baseUrl = process.env.QIAO_URL ?? 'http://127.0.0.1:3311';
const username = process.env.QIAO_USERNAME ?? 'admin';
const password = process.env.QIAO_PASSWORD ?? 'Qiao-screenshots-2026';
const outDir = process.env.SHOTS_DIR ?? '/tmp/console-shots';
const jobId = process.env.QIAO_JOB_ID;

async function shoot(page: Page, language: string, name: string): Promise<void> {
  await settle(page);
  const file = join(outDir, `${language}-${name}.png`);
  await page.screenshot({ path: file });
  process.stdout.write(`${file}\n`);
}

async function visit(page: Page, path: string): Promise<void> {
  await page.goto(`${baseUrl}${path}`);
  await page.getByTestId('page-title').first().waitFor();
}

async function signIn(page: Page, language: string): Promise<void> {
  await page.goto(baseUrl);
  await page.waitForURL(/\/(login|setup)/);
  await page.getByTestId('page-title').first().waitFor();
  if (page.url().includes('/setup')) {
    await shoot(page, language, '00-setup');
    await page.getByTestId('setup-username').fill(username);
    await page.getByTestId('setup-display-name').fill(language === 'zh-CN' ? '王小明' : 'Wang Xiaoming');
    await page.getByTestId('setup-password').fill(password);
    await page.getByTestId('setup-confirm-password').fill(password);
    await page.getByTestId('setup-submit').click();
    await page.getByTestId('side-menu').waitFor();
    return;
  }
  await shoot(page, language, '01-login');
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(`${password}-wrong`);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('error-alert').waitFor();
  await shoot(page, language, '02-login-error');
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('side-menu').waitFor();
}

const member = { username: 'zhao.member', password: 'Zhao-member-2026' };

/** A plain member, to see what the console hides from someone without admin permissions. */
async function createMember(page: Page): Promise<void> {
  const me = (await (await page.request.get(`${baseUrl}/api/v1/me`)).json()) as { csrfToken: string };
  const response = await page.request.post(`${baseUrl}/api/v1/users`, {
    headers: { 'x-csrf-token': me.csrfToken },
    data: { ...member, displayName: '赵成员', role: 'member', wecomMembers: [{ accountId: 'sandbox-corp', userid: 'zhao' }] },
  });
  if (!response.ok()) throw new Error(`creating the member failed: ${response.status()} ${await response.text()}`);
}

async function runAsMember(): Promise<void> {
  const browser = await openBrowser();
  const { page } = browser;
  try {
    await page.goto(`${baseUrl}/login`);
    await page.getByTestId('login-username').fill(member.username);
    await page.getByTestId('login-password').fill(member.password);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('side-menu').waitFor();
    await page.getByTestId('home-profile').waitFor();
    await shoot(page, 'zh-CN', '80-member-home');
    await visit(page, '/system/api-keys');
    await shoot(page, 'zh-CN', '81-member-api-keys');
    await page.goto(`${baseUrl}/system/users`);
    await page.getByTestId('forbidden').waitFor();
    await shoot(page, 'zh-CN', '82-member-users-refused');
  } finally {
    await browser.close();
  }
}

async function run(language: 'zh-CN' | 'en-US'): Promise<void> {
  const browser = await openBrowser({ locale: language });
  const { page } = browser;
  await useConsoleLanguage(browser.context, language);
  try {
    await signIn(page, language);
    await visit(page, '/');
    await shoot(page, language, '10-home');

    await visit(page, '/system/users');
    await shoot(page, language, '20-users');
    await page.getByTestId('user-create').click();
    await page.getByTestId('user-drawer').waitFor();
    await page.getByTestId('user-role').click();
    await page.getByTitle(language === 'zh-CN' ? '部门管理员' : 'Department admin').click();
    await page.getByTestId('user-add-scope').click();
    await page.getByTestId('user-add-member').click();
    await shoot(page, language, '21-user-create');
    await page.getByTestId('user-username').fill('bad name');
    await page.getByTestId('user-save').click();
    await page.getByText(language === 'zh-CN' ? '只能包含字母、数字和 . _ @ -' : 'Use letters, digits and . _ @ - only').first().waitFor();
    await shoot(page, language, '22-user-create-invalid');
    // The second language run meets the user the first one created: the server's localised refusal shows.
    await page.getByTestId('user-username').fill('li.na');
    await page.getByTestId('user-display-name').fill(language === 'zh-CN' ? '李娜' : 'Li Na');
    await page.getByTestId('user-password').fill('Li-Na-password-2026');
    await page.getByTestId('user-scope-account-0').fill('sandbox-corp');
    await page.getByTestId('user-scope-department-0').fill('2');
    await page.getByTestId('user-member-account-0').fill('sandbox-corp');
    await page.getByTestId('user-member-userid-0').fill('lina');
    await page.getByTestId('user-save').click();
    if (language === 'zh-CN') {
      await page.getByTestId('user-drawer').waitFor({ state: 'hidden' });
      await page.getByText('li.na').first().waitFor();
      await shoot(page, language, '23-users-after-create');
      await createMember(page);
    } else {
      await page.getByTestId('error-alert').waitFor();
      await shoot(page, language, '23-user-create-taken');
      await page.keyboard.press('Escape');
    }

    await visit(page, '/system/roles');
    await shoot(page, language, '30-roles');
    await page.screenshot({ path: join(outDir, `${language}-31-roles-full.png`), fullPage: true });

    await visit(page, '/system/api-keys');
    await shoot(page, language, '40-api-keys');
    await page.getByTestId('api-key-create').click();
    await page.getByTestId('api-key-name').fill(language === 'zh-CN' ? 'CRM 同步脚本' : 'CRM sync script');
    await shoot(page, language, '41-api-key-create');
    await page.getByTestId('api-key-create-submit').click();
    await page.getByTestId('api-key-secret').waitFor();
    await shoot(page, language, '42-api-key-created');
    await page.getByTestId('api-key-done').click();
    await shoot(page, language, '43-api-keys-after');

    await visit(page, '/system/audit-log');
    await shoot(page, language, '50-audit');
    await page.getByTestId('audit-verify').click();
    await page.getByTestId('audit-verify-result').waitFor();
    await shoot(page, language, '51-audit-verified');
    const detail = page.locator('[data-testid^="audit-detail-"]').first();
    if (await detail.count()) {
      await detail.click();
      await page.getByTestId('audit-detail').waitFor();
      await shoot(page, language, '52-audit-detail');
      await page.keyboard.press('Escape');
    }

    await visit(page, '/system/jobs');
    await shoot(page, language, '55-jobs');

    await visit(page, '/account');
    await shoot(page, language, '60-account');

    if (jobId) {
      await visit(page, `/system/jobs/${jobId}`);
      await shoot(page, language, '70-job');
    }

    await page.goto(`${baseUrl}/no/such/page`);
    await page.getByTestId('not-found').waitFor();
    await shoot(page, language, '90-not-found');

    await page.getByTestId('user-menu').click();
    await shoot(page, language, '91-user-menu');
    await page.getByTestId('user-menu-logout').click();
    await page.waitForURL(/\/login/);
  } finally {
    await browser.close();
  }
}

mkdirSync(outDir, { recursive: true });
for (const language of ['zh-CN', 'en-US'] as const) await run(language);
await runAsMember();
