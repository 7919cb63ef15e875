import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/** Debian's Chromium; playwright-core downloads no browser of its own. */
export const chromiumPath = process.env.QIAO_CHROMIUM ?? '/usr/bin/chromium';

const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface ConsoleBrowser {
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

/**
 * A headless Chromium with a fresh profile (no cookies, no stored language),
 * sized like a laptop screen. The console turns its animations off because
 * `navigator.webdriver` is true, so screenshots never catch a half-open modal.
 */
export async function openBrowser(options: { width?: number; height?: number; locale?: string } = {}): Promise<ConsoleBrowser> {
  const profileDir = mkdtempSync(join(tmpdir(), 'qiao-chromium-'));
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: chromiumPath,
    headless: true,
    args: chromiumArgs,
    viewport: { width: options.width ?? 1440, height: options.height ?? 900 },
    locale: options.locale ?? 'zh-CN',
    timezoneId: 'Asia/Shanghai',
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    async close() {
      await context.close();
      rmSync(profileDir, { recursive: true, force: true });
    },
  };
}

/** Picks the console language for a fresh profile, as the header switch would have stored it. */
export async function useConsoleLanguage(context: BrowserContext, language: 'zh-CN' | 'en-US'): Promise<void> {
  await context.addInitScript((lang) => {
    if (!window.localStorage.getItem('qiao.language')) window.localStorage.setItem('qiao.language', lang);
  }, language);
}

/** Waits until no antd spinner or skeleton is visible, so a screenshot shows loaded data. */
export async function settle(page: Page): Promise<void> {
  await page.waitForLoadState('networkidle');
  await page.waitForFunction(() => !document.querySelector('.ant-spin-spinning, .ant-skeleton-active'), undefined, { timeout: 10_000 });
}
