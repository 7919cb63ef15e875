import { eq } from 'drizzle-orm';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loginAs, setupRoot, type Caller } from '../../../../test/support/callers';
import { useTestApp } from '../../../../test/support/test-app';
import { callWeCom, connectPulledCorp, listenForCallbacks, type ConnectedCorp } from '../../../../test/support/wecom-corp-kit';
import type { ContactWay } from './contact-ways.schema';
import { wecomContactWays } from './contact-ways.tables';
import { STUCK_AFTER_MS, type FailedCode } from './stuck-codes';

const t = useTestApp({ startQueue: true });
let base = '';
let root: Caller;
let corp: ConnectedCorp;

beforeAll(async () => {
  // The tests run each sweep themselves; the boot-time one would take the injected faults.
  t().app.wecomContactWays.stopStuckSweep();
  base = await listenForCallbacks(t().app);
});

beforeEach(async () => {
  root = await setupRoot(t().app);
  corp = await connectPulledCorp(t().app, base, root, { departments: 1, members: 2 });
});

async function api(method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object, caller: Caller = root, locale = 'zh-CN') {
  const response = await t().app.inject({ method, url, headers: { ...caller.headers, 'accept-language': locale }, ...(payload ? { payload } : {}) });
  return { status: response.statusCode, body: (response.body ? response.json() : {}) as Record<string, unknown> & { code?: string } };
}

/** The intent row a creation writes before add_contact_way, as a crash right after it leaves it. */
async function leftCreating(state: string, options: { userid?: string; isTemp?: boolean } = {}): Promise<string> {
  const now = t().clock.now();
  const [row] = await t()
    .db.handle.db.insert(wecomContactWays)
    .values({
      accountId: corp.accountId,
      configId: null,
      name: `渠道 ${state}`,
      type: 'single',
      scene: 'qr',
      style: null,
      userids: [options.userid ?? 'user00001'],
      state,
      skipVerify: true,
      tagIds: [],
      welcomeMessage: null,
      isTemp: options.isTemp ?? false,
      expiresInS: options.isTemp ? 86_400 : null,
      chatExpiresInS: options.isTemp ? 86_400 : null,
      expiresAt: null,
      qrCodeUrl: null,
      syncState: 'creating',
      pending: null,
      createdAt: now,
      updatedAt: now,
    })
    .returning({ id: wecomContactWays.id });
  return row!.id;
}

/** add_contact_way as the cut-off creation had sent it: WeCom made the code, Qiao never heard back. */
async function madeInWeCom(state: string, userid = 'user00001'): Promise<string> {
  const added = await callWeCom(corp, 'customer-contact', 'POST', 'cgi-bin/externalcontact/add_contact_way', { type: 1, scene: 2, user: [userid], state, remark: `渠道 ${state}` });
  expect(added.errcode).toBe(0);
  return added.config_id as string;
}

const syncStateOf = async (id: string) => (await t().db.handle.db.select().from(wecomContactWays).where(eq(wecomContactWays.id, id)))[0];
const failedUrl = () => `/api/v1/wecom/${corp.accountId}/contact-ways/failed`;

describe('contact-me codes left creating', () => {
  it('applies a code WeCom has, fails one it lacks with a reason shown, and leaves recent ones alone', async () => {
    const configId = await madeInWeCom('crash-found');
    // Another code made at the same time through WeCom's own console: never taken for this row.
    await madeInWeCom('someone-else', 'user00002');
    const found = await leftCreating('crash-found');
    const missing = await leftCreating('crash-missing');
    const temp = await leftCreating('crash-temp', { isTemp: true });
    t().clock.advance(STUCK_AFTER_MS + 60_000);
    const recent = await leftCreating('still-creating');

    expect(await t().app.wecomContactWays.stuck.sweep()).toEqual({ applied: 1, failed: 2, left: 0 });
    expect(await syncStateOf(found)).toMatchObject({ syncState: 'applied', configId, syncError: null, qrCodeUrl: expect.stringMatching(/^https?:\/\//) });
    expect(await syncStateOf(missing)).toMatchObject({ syncState: 'failed', configId: null, syncError: 'not_in_wecom' });
    expect(await syncStateOf(temp)).toMatchObject({ syncState: 'failed', syncError: 'temp_unverifiable' });
    expect(await syncStateOf(recent)).toMatchObject({ syncState: 'creating' });

    const listed = (await api('GET', `/api/v1/wecom/${corp.accountId}/contact-ways`)).body.items as ContactWay[];
    expect(listed.map((c) => c.state)).toEqual(['crash-found']);
    const failed = (await api('GET', failedUrl())).body.items as FailedCode[];
    expect(failed.map((f) => [f.state, f.reason])).toEqual([
      ['crash-missing', 'not_in_wecom'],
      ['crash-temp', 'temp_unverifiable'],
    ]);
    expect(failed[0]!.message).toContain('企业微信中也没有');
    const inEnglish = (await api('GET', failedUrl(), undefined, root, 'en-US')).body.items as FailedCode[];
    expect(inEnglish[0]!.message).toContain('WeCom does not have this code');

    // A second sweep, or one on another instance, changes nothing.
    expect(await t().app.wecomContactWays.stuck.sweep()).toEqual({ applied: 0, failed: 0, left: 0 });

    // A member sees only failed codes it is on.
    const password = 'sales2-password';
    await api('POST', '/api/v1/users', { username: 'sales2', displayName: '销售二', role: 'member', password, departmentScopes: [], wecomMembers: [{ accountId: corp.accountId, userid: 'user00002' }] });
    const sales = await loginAs(t().app, 'sales2', password);
    expect((await api('GET', failedUrl(), undefined, sales)).body.items).toEqual([]);
    expect((await api('DELETE', `${failedUrl()}/${missing}`, undefined, sales)).body.code).toBe('CONTACT_WAY_FAILED_NOT_FOUND');

    // The state stays taken until the failed creation is dismissed; then the code can be made again.
    const body = { name: '再建', type: 'single', userids: ['user00001'], state: 'crash-missing' };
    expect((await api('POST', `/api/v1/wecom/${corp.accountId}/contact-ways`, body)).body.code).toBe('CONTACT_WAY_STATE_TAKEN');
    expect((await api('DELETE', `${failedUrl()}/${missing}`)).status).toBe(204);
    const again = await api('POST', `/api/v1/wecom/${corp.accountId}/contact-ways`, body);
    expect(again.status, JSON.stringify(again.body)).toBe(201);
    expect((await api('DELETE', `${failedUrl()}/${found}`)).body.code).toBe('CONTACT_WAY_FAILED_NOT_FOUND');
  });

  it('waits while WeCom is busy and names WeCom’s refusal of the lookup', async () => {
    const busy = await leftCreating('crash-busy');
    t().clock.advance(STUCK_AFTER_MS + 60_000);
    // "System busy" past the client's own three retries: nothing is decided this round.
    await api('POST', '/sandbox/control/faults', { product: 'wecom', path: 'cgi-bin/externalcontact/list_contact_way', errcode: -1, count: 4 });
    expect(await t().app.wecomContactWays.stuck.sweep()).toEqual({ applied: 0, failed: 0, left: 1 });
    expect(await syncStateOf(busy)).toMatchObject({ syncState: 'creating' });

    await api('POST', '/sandbox/control/faults', { product: 'wecom', path: 'cgi-bin/externalcontact/list_contact_way', errcode: 48002, count: 1 });
    expect(await t().app.wecomContactWays.stuck.sweep()).toEqual({ applied: 0, failed: 1, left: 0 });
    const failed = (await api('GET', failedUrl())).body.items as FailedCode[];
    expect(failed).toMatchObject([{ state: 'crash-busy', reason: 'wechat_error:48002', message: expect.stringContaining('48002') }]);
  });
});
