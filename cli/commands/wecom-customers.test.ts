import { access, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loginAs, setupRoot, type Caller } from '../../test/support/callers';
import { useTestApp } from '../../test/support/test-app';
import { firstSheetRows } from '../../test/support/xlsx';
import { connectPulledCorp, finishedJob, listenForCallbacks } from '../../test/support/wecom-corp-kit';
import type { Customer } from '../../server/modules/wecom/customers/customers.schema';
import { runQiao } from '../../test/support/cli-runner';

const t = useTestApp({ startQueue: true, env: { QIAO_CUSTOMER_EXPORTS_PER_DAY: '2' } });

function qiao(args: string[], env: Record<string, string>) {
  return runQiao(args, env, 'qiao-cli-customers');
}

async function inject(caller: Caller, method: 'GET' | 'POST', url: string, payload?: object) {
  const response = await t().app.inject({ method, url, headers: caller.headers, ...(payload ? { payload } : {}) });
  return { status: response.statusCode, body: response.json() as Record<string, unknown> };
}

async function keyOf(caller: Caller): Promise<string> {
  const created = await inject(caller, 'POST', '/api/v1/api-keys', { name: 'cli' });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body.key as string;
}

const idsOf = (stdout: string) => (JSON.parse(stdout) as { items: Customer[] }).items.map((c) => c.externalUserId).sort();

describe('qiao customers', () => {
  it('lists and exports the customers the caller’s scope and filters reach, and says plainly when the API refuses an export', async () => {
    const app = t().app;
    const root = await setupRoot(app);
    const base = await listenForCallbacks(app);
    const corp = await connectPulledCorp(app, base, root, { departments: 1, members: 2, customers: 0 });
    const { accountId } = corp;
    const customersOf = async (userid: string, count: number) => {
      const created = await inject(root, 'POST', `/sandbox/control/wecom-corps/${corp.corpId}/customers`, { count, userid });
      expect(created.status).toBe(201);
      return (created.body.customers as { externalUserId: string }[]).map((c) => c.externalUserId).sort();
    };
    const ofFirst = await customersOf('user00001', 2);
    const ofSecond = await customersOf('user00002', 1);
    const sync = await inject(root, 'POST', `/api/v1/wecom/${accountId}/customers/sync`);
    expect(sync.status, JSON.stringify(sync.body)).toBe(202);
    expect(await finishedJob(app, root, sync.body.id as string)).toMatchObject({ state: 'succeeded' });

    const created = await inject(root, 'POST', '/api/v1/users', {
      username: 'sales1',
      displayName: '销售一',
      role: 'member',
      password: 'sales1-password',
      departmentScopes: [],
      wecomMembers: [{ accountId, userid: 'user00001' }],
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const sales = await loginAs(app, 'sales1', 'sales1-password');
    const asRoot = { QIAO_URL: base, QIAO_API_KEY: await keyOf(root) };
    const asSales = { QIAO_URL: base, QIAO_API_KEY: await keyOf(sales) };

    const all = await qiao(['customers', 'list', '--json'], asRoot);
    expect(all.stderr).toBe('');
    expect(all.code).toBe(0);
    expect(idsOf(all.stdout)).toEqual([...ofFirst, ...ofSecond].sort());

    const filtered = await qiao(['customers', 'list', '--userid', 'user00002', '--json'], asRoot);
    expect(filtered.code).toBe(0);
    expect(idsOf(filtered.stdout)).toEqual(ofSecond);

    // A member's key reaches that member's customers only, whatever filter it asks for.
    const own = await qiao(['customers', 'list'], asSales);
    expect(own.stderr).toBe('');
    expect(own.code).toBe(0);
    const lines = own.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^EXTERNAL USERID\s+NAME\s+MEMBERS/);
    expect(lines.slice(1).map((line) => line.split(/\s+/)[0]).sort()).toEqual(ofFirst);
    expect(own.stdout).not.toContain(ofSecond[0]);
    expect(idsOf((await qiao(['customers', 'list', '--userid', 'user00002', '--json'], asSales)).stdout)).toEqual([]);

    const paged = await qiao(['customers', 'list', '--limit', '1'], asRoot);
    expect(paged.code).toBe(0);
    expect(paged.stderr).toMatch(/More results: repeat with --cursor \S+/);
    const badStatus = await qiao(['customers', 'list', '--status', 'gone'], asRoot);
    expect(badStatus.code).not.toBe(0);
    expect(badStatus.stderr).toContain('status');

    const dir = await mkdtemp(join(tmpdir(), 'qiao-customers-'));
    const file = join(dir, 'customers.xlsx');
    const exported = await qiao(['customers', 'export', '--userid', 'user00001', '--out', file, '--json'], asRoot);
    expect(exported.stderr).toBe('');
    expect(exported.code).toBe(0);
    expect(JSON.parse(exported.stdout)).toMatchObject({ file, bytes: expect.any(Number) });
    const rows = await firstSheetRows(file);
    expect(rows).toHaveLength(1 + ofFirst.length);
    // The CLI asks in its own language (LANG=en_US): English headers.
    const idColumn = rows[0]!.indexOf('External userid');
    const memberColumn = rows[0]!.indexOf('Member');
    expect(idColumn).toBeGreaterThanOrEqual(0);
    expect(rows.slice(1).map((row) => row[idColumn]).sort()).toEqual(ofFirst);
    for (const row of rows.slice(1)) expect(row[memberColumn]).toMatch(/(^|\()user00001\)?$/);

    // The member role has no export permission: the API's code and the permission it lacks, a non-zero exit, no file.
    const refused = await qiao(['customers', 'export', '--out', join(dir, 'member.xlsx')], asSales);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('FORBIDDEN');
    expect(refused.stderr).toContain('wecom.customers.export');
    await expect(access(join(dir, 'member.xlsx'))).rejects.toThrow();

    // A file that cannot be written is refused before the API is asked, so it spends none of the day's exports.
    const unwritable = await qiao(['customers', 'export', '--out', join(dir, 'missing', 'customers.xlsx')], asRoot);
    expect(unwritable.code).toBe(2);
    expect(unwritable.stderr).toContain(`cannot write ${join(dir, 'missing', 'customers.xlsx')} (ENOENT)`);
    const intoDirectory = await qiao(['customers', 'export', '--out', dir], asRoot);
    expect(intoDirectory.code).toBe(2);
    expect(intoDirectory.stderr).toContain('it is a directory');

    // Two exports a day (QIAO_CUSTOMER_EXPORTS_PER_DAY=2): the third is refused with the cap and when it resets.
    const second = await qiao(['customers', 'export', '--out', join(dir, 'second.xlsx')], asRoot);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toMatch(/^Wrote .*second\.xlsx \(\d+ bytes\)/);
    expect(await firstSheetRows(join(dir, 'second.xlsx'))).toHaveLength(1 + ofFirst.length + ofSecond.length);
    const capped = await qiao(['customers', 'export', '--out', join(dir, 'third.xlsx')], asRoot);
    expect(capped.code).not.toBe(0);
    expect(capped.stderr).toContain('WECOM_CUSTOMER_EXPORT_LIMIT');
    expect(capped.stderr).toContain('2 per user per day');
    expect(capped.stdout).toBe('');
    await expect(access(join(dir, 'third.xlsx'))).rejects.toThrow();

    const noOut = await qiao(['customers', 'export'], asRoot);
    expect(noOut.code).toBe(2);
    expect(noOut.stderr).toContain('--out');
  });
});
