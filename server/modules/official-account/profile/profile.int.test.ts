import { beforeEach, describe, expect, it } from 'vitest';
import { loginAs, rootCredentials, setupRoot, userSession, type Caller } from '../../../../test/support/callers';
import { useTestApp } from '../../../../test/support/test-app';


/** A JSON answer: the assertions below check its shape, so the type stays open. */
// oxlint-disable-next-line typescript/no-explicit-any
type Json = any;
const t = useTestApp();
const dayMs = 86_400_000;
let root: Caller;
let accountId = '';

beforeEach(async () => {
  root = await setupRoot(t().app);
  const created = await t().app.inject({
    method: 'POST',
    url: '/api/v1/accounts',
    headers: root.headers,
    payload: { type: 'official_account', name: '桥科技', appId: 'wx1234567890abcdef', appSecret: 'a'.repeat(32) },
  });
  if (created.statusCode !== 201) throw new Error(`connect: ${created.statusCode} ${created.body}`);
  accountId = (created.json() as { id: string }).id;
});

async function call(method: 'GET' | 'PUT', path: string, payload?: unknown, caller: Caller = root) {
  const response = await t().app.inject({ method, url: `/api/v1/official-accounts/${accountId}${path}`, headers: caller.headers, ...(payload === undefined ? {} : { payload: payload as object }) });
  return { status: response.statusCode, body: response.json() as Json, raw: response };
}

const lockOf = (body: Json, feature: string) => (body.capabilities as { feature: string; available: boolean; reason: string | null }[]).find((c) => c.feature === feature);

/** The smallest valid PNG: signature plus IHDR, IDAT and IEND of a 1×1 image. */
const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

describe('Official Account profile', () => {
  it('starts from defaults: subscription account, unverified, with every verified-only feature locked and why', async () => {
    const { status, body } = await call('GET', '/profile');
    expect(status).toBe(200);
    expect(body).toMatchObject({ accountId, name: '桥科技', introduction: '', accountType: 'subscription', verification: 'unverified', saved: false, avatarUrl: null });
    expect(lockOf(body, 'menu.miniprogram')).toMatchObject({ available: false, reason: 'not_verified' });
    expect(lockOf(body, 'payments')).toMatchObject({ available: false, reason: 'needs_service_account' });
  });

  it('edits name, introduction and account type with the introduction’s length limit named, and audits it', async () => {
    const short = await call('PUT', '/profile', { introduction: '简介' });
    expect(short.status).toBe(400);
    expect(short.body).toMatchObject({ code: 'OA_PROFILE_INTRODUCTION_LENGTH', message: '功能介绍须为 4–120 个字（当前 2）', details: { field: 'introduction' } });
    expect((await call('PUT', '/profile', { introduction: '字'.repeat(121) })).body.details).toMatchObject({ actual: 121, max: 120 });

    const saved = await call('PUT', '/profile', { name: '桥科技服务号', introduction: '企业微信与公众号运营，一站搞定。', accountType: 'service' });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ name: '桥科技服务号', accountType: 'service', saved: true });
    expect(lockOf(saved.body, 'payments')).toMatchObject({ available: false, reason: 'not_verified' });
    const audit = (await t().app.inject({ method: 'GET', url: '/api/v1/audit-log?action=official_account.profile.update', headers: root.headers })).json() as { items: { summary: unknown }[] };
    expect(audit.items[0]?.summary).toEqual({ name: '桥科技服务号', introduction: '企业微信与公众号运营，一站搞定。', accountType: 'service' });
  });

  it('stores an uploaded avatar and serves it back; refuses oversized and non-image uploads', async () => {
    const uploaded = await call('PUT', '/profile/avatar', { contentType: 'image/png', data: png.toString('base64') });
    expect(uploaded.status, JSON.stringify(uploaded.body)).toBe(200);
    expect(uploaded.body.avatarUrl).toMatch(new RegExp(`^/api/v1/official-accounts/${accountId}/profile/avatar\\?v=\\d+$`));
    const image = await t().app.inject({ method: 'GET', url: uploaded.body.avatarUrl as string, headers: root.headers });
    expect(image.headers['content-type']).toBe('image/png');
    expect(Buffer.compare(image.rawPayload, png)).toBe(0);

    const big = Buffer.concat([png, Buffer.alloc(2 * 1024 * 1024)]);
    const tooBig = await call('PUT', '/profile/avatar', { contentType: 'image/png', data: big.toString('base64') });
    expect(tooBig.body).toMatchObject({ code: 'OA_PROFILE_AVATAR_TOO_LARGE', details: { limitKb: 2048, actualKb: 2049 } });
    const notImage = await call('PUT', '/profile/avatar', { contentType: 'image/png', data: Buffer.from('<svg/>').toString('base64') });
    expect(notImage.body.code).toBe('OA_PROFILE_AVATAR_TYPE');
  });

  it('records 微信认证 and reminds at 30, 7 and 1 days before expiry by the clock, then locks verified features', async () => {
    const approved = new Date('2026-03-01T00:00:00+08:00');
    const saved = await call('PUT', '/certification', { status: 'approved', submittedAt: '2026-02-26', approvedAt: '2026-03-01' });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    const expiresAt = new Date(approved.getTime() + 365 * dayMs);
    expect(saved.body.certification).toMatchObject({ status: 'approved', feeYuan: 300, expiresAt: expiresAt.toISOString() });

    const at = async (daysBeforeExpiry: number) => {
      t().clock.set(new Date(expiresAt.getTime() - daysBeforeExpiry * dayMs));
      // Moving the clock by months ends the session; sign in again at the new time.
      root = await loginAs(t().app, rootCredentials.username, rootCredentials.password);
      return (await call('GET', '/certification')).body;
    };
    const due = (c: Json) => (c.reminders as { daysBefore: number; due: boolean }[]).filter((r) => r.due).map((r) => r.daysBefore);
    expect(due(await at(31))).toEqual([]);
    expect(await at(31)).toMatchObject({ daysLeft: 31, currentReminder: null });
    expect(await at(30)).toMatchObject({ currentReminder: 30, daysLeft: 30 });
    expect(await at(7.5)).toMatchObject({ currentReminder: 30, daysLeft: 8 });
    expect(due(await at(7))).toEqual([30, 7]);
    expect(await at(1)).toMatchObject({ currentReminder: 1 });
    expect(due(await at(0.5))).toEqual([30, 7, 1]);

    await at(10);
    const verified = (await call('GET', '/profile')).body;
    expect(verified.verification).toBe('verified');
    expect(lockOf(verified, 'menu.miniprogram')).toMatchObject({ available: true, reason: null });

    await at(-1);
    const expired = (await call('GET', '/profile')).body;
    expect(expired.verification).toBe('expired');
    expect(expired.certification).toMatchObject({ currentReminder: null, daysLeft: -1 });
    expect(lockOf(expired, 'menu.miniprogram')).toMatchObject({ available: false, reason: 'certification_expired' });
  });

  it('refuses certification dates out of order and an approval without its date', async () => {
    const order = await call('PUT', '/certification', { status: 'approved', submittedAt: '2026-03-05', approvedAt: '2026-03-01' });
    expect(order.body).toMatchObject({ code: 'OA_CERTIFICATION_DATE_ORDER', details: { field: 'approvedAt' } });
    const missing = await call('PUT', '/certification', { status: 'approved' });
    expect(missing.body.code).toBe('OA_CERTIFICATION_FIELD_REQUIRED');
    const pending = await call('PUT', '/certification', { status: 'submitted', submittedAt: '2026-03-05' });
    expect(pending.body).toMatchObject({ verification: 'pending' });
  });

  it('refuses members (no official_account permission) and refuses a WeCom account', async () => {
    const member = await userSession(t().app, root, { username: 'reader', role: 'member' });
    const read = await call('GET', '/profile', undefined, member);
    const write = await call('PUT', '/profile', { name: 'x' }, member);
    expect([read.status, write.status]).toEqual([403, 403]);
    expect(write.body).toMatchObject({ code: 'FORBIDDEN', details: { permission: 'official_account.write' } });

    const wecom = await t().app.inject({
      method: 'POST',
      url: '/api/v1/accounts',
      headers: root.headers,
      payload: { type: 'wecom', name: '企业', corpId: 'ww1234567890abcdef', receivers: [{ receiver: 'contacts', secret: 's'.repeat(43) }] },
    });
    expect(wecom.statusCode, wecom.body).toBe(201);
    const refused = await t().app.inject({ method: 'GET', url: `/api/v1/official-accounts/${(wecom.json() as { id: string }).id}/profile`, headers: root.headers });
    expect(refused.json()).toMatchObject({ code: 'OA_PROFILE_NOT_OFFICIAL_ACCOUNT' });
  });
});
