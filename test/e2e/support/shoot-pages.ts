/**
 * Screenshots of chosen console pages in zh-CN and en-US, for looking at a page
 * being worked on. Run against a running Qiao:
 *   QIAO_URL=http://127.0.0.1:3311 QIAO_USERNAME=admin QIAO_PASSWORD=… SHOTS_DIR=/tmp/shots \
 *     npx tsx test/e2e/support/shoot-pages.ts /wecom/members /official-account/menu
 * A fresh data dir gets its first admin from those credentials. Files are
 * `<language>-<path with slashes as dashes>.png`; `--full` shoots the whole scrolling page.
 * To shoot a modal or drawer, name what to click after the path: `/wecom/customers::customers-sync`
 * clicks the element with that test id (several `::id` click in turn) before the shot; `::css=<selector>`
 * clicks the first element a CSS selector matches (e.g. a table row's checkbox).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { openBrowser, settle, useConsoleLanguage } from './browser';

const baseUrl = process.env.QIAO_URL ?? 'http://127.0.0.1:3311';
const username = process.env.QIAO_USERNAME ?? 'admin';
const password = process.env.QIAO_PASSWORD ?? 'Qiao-screenshots-2026';
const outDir = process.env.SHOTS_DIR ?? '/tmp/console-shots';
const fullPage = process.argv.includes('--full');
const paths = process.argv.slice(2).filter((arg) => arg.startsWith('/'));

async function shootIn(language: 'zh-CN' | 'en-US'): Promise<void> {
  const browser = await openBrowser({ locale: language });
  const { page, context } = browser;
  try {
    await useConsoleLanguage(context, language);
    await page.goto(baseUrl);
    await page.waitForURL(/\/(login|setup)/);
    if (page.url().includes('/setup')) {
      await page.getByTestId('setup-username').fill(username);
      await page.getByTestId('setup-display-name').fill('王小明');
      await page.getByTestId('setup-password').fill(password);
      await page.getByTestId('setup-confirm-password').fill(password);
      await page.getByTestId('setup-submit').click();
    } else {
      await page.getByTestId('login-username').fill(username);
      await page.getByTestId('login-password').fill(password);
      await page.getByTestId('login-submit').click();
    }
    await page.getByTestId('side-menu').waitFor();
    for (const arg of paths) {
      const [path = '/', ...clicks] = arg.split('::');
      await page.goto(`${baseUrl}${path}`);
      await page.getByTestId('page-title').first().waitFor();
      await settle(page);
      for (const testId of clicks) {
        await (testId.startsWith('css=') ? page.locator(testId) : page.getByTestId(testId)).first().click();
        // A click may start its request only after a form's async validation: let it begin, then wait for its answer.
        await page.waitForTimeout(300);
        await page.waitForFunction(() => !document.querySelector('.ant-btn-loading'), undefined, { timeout: 15_000 });
        await settle(page);
      }
      const file = join(outDir, `${language}-${arg.replace(/^\//, '').replace(/[^\w.-]+/g, '-') || 'home'}.png`);
      await page.screenshot({ path: file, fullPage });
      process.stdout.write(`${file}\n`);
    }
  } finally {
    await browser.close();
  }
}

if (paths.length === 0) {
  process.stderr.write('Name at least one console path, e.g. /system/users\n');
  process.exit(2);
}
mkdirSync(outDir, { recursive: true });
await shootIn('zh-CN');
await shootIn('en-US');
