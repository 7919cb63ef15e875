import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import type { Download, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBrowser, settle, type ConsoleBrowser } from './support/browser';
import { startServerProcess, type ServerProcess } from '../support/server-process';

const admin = { username: 'admin', password: 'Qiao-directory-import-e2e-1' };
const rowCount = 40;
const badRows = { userid: 5, contact: 12 };

interface Account {
  id: string;
  type: string;
  sandbox: boolean;
}

/** Clicks what starts a browser download and answers the saved file's workbook and offered name. */
async function downloaded(page: Page, dir: string, click: () => Promise<void>): Promise<{ workbook: ExcelJS.Workbook; name: string }> {
  const [download] = (await Promise.all([page.waitForEvent('download', { timeout: 30_000 }), click()])) as [Download, void];
  const path = join(dir, `${Date.now()}-${download.suggestedFilename()}`);
  await download.saveAs(path);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(path);
  return { workbook, name: download.suggestedFilename() };
}

async function statistic(within: Page | Locator, key: string): Promise<string> {
  return ((await within.getByTestId(`result-${key}`).locator('.ant-statistic-content-value').textContent()) ?? '').trim();
}

describe('an admin imports members from the Excel template in the browser', () => {
  let server: ServerProcess;
  let browser: ConsoleBrowser;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'qiao-e2e-import-'));
    server = await startServerProcess({ QIAO_ADMIN_USERNAME: admin.username, QIAO_ADMIN_PASSWORD: admin.password, QIAO_SANDBOX_FOLLOWERS: '10' });
    browser = await openBrowser({ locale: 'zh-CN', width: 1440, height: 1000 });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('downloads the template, fills it, dry-runs, fixes the bad rows, imports with progress and exports the result', async () => {
    const { page } = browser;
    const url = server.url;

    await page.goto(`${url}/login`);
    await page.getByTestId('login-username').fill(admin.username);
    await page.getByTestId('login-password').fill(admin.password);
    const login = page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/login') && r.request().method() === 'POST');
    await page.getByTestId('login-submit').click();
    const { user } = (await (await login).json()) as { user: { csrfToken: string } };
    await page.getByTestId('side-menu').waitFor();

    // The sandbox corp connected at first boot; its departments are pulled first, as an admin would start.
    const accounts = (await (await page.request.get(`${url}/api/v1/accounts`)).json()) as { items: Account[] };
    const accountId = accounts.items.find((a) => a.type === 'wecom' && a.sandbox)!.id;
    const pulled = await page.request.post(`${url}/api/v1/wecom/${accountId}/departments/sync`, { headers: { 'x-csrf-token': user.csrfToken } });
    expect(pulled.status()).toBe(202);
    await expect
      .poll(async () => ((await (await page.request.get(`${url}/api/v1/wecom/${accountId}/departments`)).json()) as { items: unknown[] }).items.length, { timeout: 30_000 })
      .toBeGreaterThan(1);

    await page.goto(`${url}/wecom/directory/import?account=${accountId}`);
    await settle(page);

    // 1. The template: a 成员 sheet with headers only, the instructions, and the corp's department paths for the drop-down.
    const template = await downloaded(page, dir, () => page.getByTestId('template-download').click());
    expect(template.name).toMatch(/\.xlsx$/);
    const members = template.workbook.getWorksheet('成员')!;
    expect(members.rowCount).toBe(1);
    expect(template.workbook.getWorksheet('说明')).toBeDefined();
    const paths = template.workbook.getWorksheet('部门列表')!.getColumn(1).values.slice(2).map(String);
    expect(paths.length).toBeGreaterThan(0);
    const headers = (members.getRow(1).values as unknown[]).slice(1).map(String);
    const column = (label: string) => headers.findIndex((h) => h.startsWith(label)) + 1;
    const [nameCol, useridCol, mobileCol, departmentCol] = [column('姓名'), column('账号'), column('手机'), column('部门')];
    expect([nameCol, useridCol, mobileCol, departmentCol].every((c) => c > 0)).toBe(true);

    // 2. Filled in, with two mistakes: a userid with a space and a row without mobile or email.
    for (let i = 0; i < rowCount; i++) {
      const row = members.getRow(i + 2);
      row.getCell(nameCol).value = `导入测试${i}`;
      row.getCell(useridCol).value = i === badRows.userid ? 'bad user' : `e2e-import-${i}`;
      row.getCell(mobileCol).value = i === badRows.contact ? null : `1${8_600_000_000 + i}`;
      row.getCell(departmentCol).value = paths[i % paths.length]!;
      row.commit();
    }
    const firstPath = join(dir, 'members.xlsx');
    await template.workbook.xlsx.writeFile(firstPath);

    // 3. Dry run: both bad rows reported with their row numbers, nothing written, an annotated copy to download.
    const fileInput = page.locator('input[type=file]');
    await fileInput.setInputFiles(firstPath);
    await page.getByTestId('import-dry-run').click();
    await page.getByTestId('annotated-download').waitFor({ timeout: 60_000 });
    expect(await statistic(page, 'rows')).toBe(String(rowCount));
    expect(await statistic(page, 'invalidRows')).toBe('2');
    const annotated = await downloaded(page, dir, () => page.getByTestId('annotated-download').click());
    const sheet = annotated.workbook.worksheets[0]!;
    const errorsCol = (sheet.getRow(1).values as unknown[]).findIndex((v) => String(v).includes('错误'));
    expect(errorsCol).toBeGreaterThan(0);
    const flagged = [...Array(rowCount).keys()].filter((i) => String(sheet.getRow(i + 2).getCell(errorsCol).value ?? '').trim() !== '');
    expect(flagged).toEqual([badRows.userid, badRows.contact]);
    const listed = (await (await page.request.get(`${url}/api/v1/wecom/${accountId}/members?q=e2e-import&limit=100`)).json()) as { items: unknown[] };
    expect(listed.items).toHaveLength(0);

    // 4. Fixed in the same file and checked again: clean.
    members.getRow(badRows.userid + 2).getCell(useridCol).value = `e2e-import-${badRows.userid}`;
    members.getRow(badRows.contact + 2).getCell(mobileCol).value = `1${8_600_000_000 + badRows.contact}`;
    const fixedPath = join(dir, 'members-fixed.xlsx');
    await template.workbook.xlsx.writeFile(fixedPath);
    await fileInput.setInputFiles(fixedPath);
    await page.getByTestId('import-dry-run').click();
    await page.getByTestId('dry-run-clean').waitFor({ timeout: 60_000 });

    // 5. The import itself, as a job with its progress shown until it ends.
    // Everything below is read from the elements that name the import's own job: the URL changes at once, but the
    // router renders the new job in a transition, so for a while the dry run's finished card can still be on screen.
    const started = page.waitForResponse((r) => r.url().includes('/members/import?') && r.url().includes('dryRun=false') && r.request().method() === 'POST');
    await page.getByTestId('import-start').click();
    const importJob = (await (await started).json()) as { id: string };
    const progress = page.locator(`[data-testid="job-progress"][data-job-id="${importJob.id}"]`);
    await progress.waitFor();
    await expect.poll(async () => (await progress.getByTestId('job-state').textContent())?.trim(), { timeout: 60_000 }).toBe('已完成');
    const outcome = page.locator(`[data-testid="import-result"][data-job-id="${importJob.id}"]`);
    await outcome.getByTestId('result-created').waitFor();
    expect(await outcome.locator('.ant-card-head-title').textContent()).toBe('导入结果');
    expect(await statistic(outcome, 'created')).toBe(String(rowCount));
    expect(await statistic(outcome, 'invalidRows')).toBe('0');

    // 6. Export: the file holds every imported member, with its department path.
    const exported = await downloaded(page, dir, () => page.getByTestId('member-export').click());
    const out = exported.workbook.worksheets[0]!;
    const outHeaders = (out.getRow(1).values as unknown[]).slice(1).map(String);
    const outUserid = outHeaders.findIndex((h) => h.startsWith('账号')) + 1;
    const outDepartment = outHeaders.findIndex((h) => h.startsWith('部门')) + 1;
    const rows = new Map<string, string>();
    out.eachRow((row, n) => {
      if (n > 1) rows.set(String(row.getCell(outUserid).value), String(row.getCell(outDepartment).value));
    });
    for (let i = 0; i < rowCount; i++) expect(rows.get(`e2e-import-${i}`)).toBe(paths[i % paths.length]);
  });
});
