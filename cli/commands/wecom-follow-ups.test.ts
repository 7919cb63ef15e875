import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loginAs, setupRoot, type Caller } from '../../test/support/callers';
import { useTestApp } from '../../test/support/test-app';
import { firstSheetRows } from '../../test/support/xlsx';
import { callWeCom, connectSandboxCorp, listenForCallbacks } from '../../test/support/wecom-corp-kit';
import type { FollowUp } from '../../server/modules/wecom/follow-ups/follow-ups.schema';
import { runQiao } from '../../test/support/cli-runner';

const t = useTestApp();

function qiao(args: string[], env: Record<string, string>) {
  return runQiao(args, env, 'qiao-cli-follow-ups');
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

describe('qiao follow-ups', () => {
  it('lists and exports only the records the caller’s scope reaches, as the API decides', async () => {
    const app = t().app;
    const root = await setupRoot(app);
    const base = await listenForCallbacks(app);
    const corp = await connectSandboxCorp(app, base, root, { departments: 2, members: 2 });
    const { accountId } = corp;
    for (const userid of ['user00001', 'user00002']) {
      const member = (await callWeCom(corp, 'contacts', 'GET', 'cgi-bin/user/get', undefined, { userid })) as { name: string; department: number[] };
      await app.wecomDepartments.service.upsertDepartments(null, accountId, member.department.filter((d) => d !== 1).map((id) => ({ id, parentId: 1, name: `部门${id}` })), { origin: 'sync' });
      await app.wecomMembers.service.upsertMembers(
        null,
        accountId,
        [{ userid, name: member.name, status: 'active', departments: member.department.map((departmentId, i) => ({ departmentId, isMain: i === 0 })) }],
        { origin: 'sync' },
      );
    }
    const customerOf = async (userid: string) => {
      const created = await inject(root, 'POST', `/sandbox/control/wecom-corps/${corp.corpId}/customers`, { count: 1, userid });
      expect(created.status).toBe(201);
      return (created.body.customers as { externalUserId: string }[])[0]!.externalUserId;
    };
    const c1 = await customerOf('user00001');
    const c2 = await customerOf('user00002');
    const write = async (customer: string, userid: string, note: string, stage: string) => {
      const written = await inject(root, 'POST', `/api/v1/wecom/${accountId}/customers/${customer}/follow-ups`, { userid, note, stage });
      expect(written.status, JSON.stringify(written.body)).toBe(201);
    };
    await write(c1, 'user00001', '初次电话沟通，对 A 套餐感兴趣', 'initial_contact');
    await write(c2, 'user00002', '已发报价单', 'proposal');
    const created = await inject(root, 'POST', '/api/v1/users', {
      username: 'sales1',
      displayName: '销售一',
      role: 'member',
      password: 'sales1-password',
      departmentScopes: [],
      wecomMembers: [{ accountId, userid: 'user00001' }],
    });
    expect(created.status).toBe(201);
    const sales = await loginAs(app, 'sales1', 'sales1-password');
    const asRoot = { QIAO_URL: base, QIAO_API_KEY: await keyOf(root) };
    const asSales = { QIAO_URL: base, QIAO_API_KEY: await keyOf(sales) };

    const all = await qiao(['follow-ups', 'list', '--json'], asRoot);
    expect(all.stderr).toBe('');
    expect(all.code).toBe(0);
    expect((JSON.parse(all.stdout) as { items: FollowUp[] }).items.map((f) => f.userid).sort()).toEqual(['user00001', 'user00002']);

    const own = await qiao(['follow-ups', 'list'], asSales);
    expect(own.code).toBe(0);
    expect(own.stdout).toMatch(/^WRITTEN\s+CUSTOMER\s+MEMBER\s+STAGE\s+NOTE/);
    expect(own.stdout).toContain('初次电话沟通');
    expect(own.stdout).toContain('initial_contact');
    expect(own.stdout).not.toContain('已发报价单');

    const byStage = await qiao(['follow-ups', 'list', '--stage', 'proposal', '--json'], asRoot);
    expect((JSON.parse(byStage.stdout) as { items: FollowUp[] }).items.map((f) => f.externalUserId)).toEqual([c2]);
    const paged = await qiao(['follow-ups', 'list', '--limit', '1'], asRoot);
    expect(paged.stderr).toMatch(/More results: repeat with --cursor \S+/);

    const badStage = await qiao(['follow-ups', 'list', '--stage', 'closing'], asRoot);
    expect(badStage.code).not.toBe(0);
    expect(badStage.stderr).toContain('stage');

    const dir = await mkdtemp(join(tmpdir(), 'qiao-follow-ups-'));
    const file = join(dir, 'follow-ups.xlsx');
    const exported = await qiao(['follow-ups', 'export', '--out', file, '--json'], asRoot);
    expect(exported.stderr).toBe('');
    expect(JSON.parse(exported.stdout)).toMatchObject({ file, bytes: expect.any(Number) });
    const rows = await firstSheetRows(file);
    expect(rows).toHaveLength(3);
    expect(rows.flat().join(' ')).toContain('已发报价单');

    // A member may not export customers' records: the API refuses and the CLI exits non-zero with its code.
    const refused = await qiao(['follow-ups', 'export', '--out', join(dir, 'no.xlsx')], asSales);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('FORBIDDEN');
    expect(refused.stderr).toContain('wecom.customers.export');
    const noOut = await qiao(['follow-ups', 'export'], asRoot);
    expect(noOut.code).not.toBe(0);
    expect(noOut.stderr).toContain('--out');
    // A file that cannot be written is refused before the API is asked, so the export is neither spent nor audited.
    const audited = async () => (await t().app.inject({ method: 'GET', url: '/api/v1/audit-log?action=wecom.follow_ups.export', headers: root.headers })).json() as { items: unknown[] };
    const before = (await audited()).items.length;
    expect(before).toBeGreaterThan(0);
    const unwritable = await qiao(['follow-ups', 'export', '--out', join(dir, 'missing', 'records.xlsx')], asRoot);
    expect(unwritable.code).toBe(2);
    expect(unwritable.stderr).toContain(`cannot write ${join(dir, 'missing', 'records.xlsx')} (ENOENT)`);
    expect((await qiao(['follow-ups', 'export', '--out', dir], asRoot)).stderr).toContain('it is a directory');
    expect((await audited()).items.length).toBe(before);
  });
});
