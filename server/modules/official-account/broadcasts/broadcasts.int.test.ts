import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginAs, rootCredentials, setupRoot, type Caller } from '../../../../test/support/callers';
import { useTestApp } from '../../../../test/support/test-app';
import { connectSandboxOa, type SandboxOa } from '../../../../test/support/oa-sandbox-account-kit';

describe('targeted pushes (群发) against the sandbox', () => {
  const t = useTestApp({ startQueue: true });
  let base = '';
  beforeAll(async () => {
    await t().app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(t().app.server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await t().app.close();
  });

  const root = (): Promise<Caller> => setupRoot(t().app).catch(() => loginAs(t().app, rootCredentials.username, rootCredentials.password));
  const api = (caller: Caller, method: 'GET' | 'POST', url: string, payload?: object) =>
    t().app.inject({ method, url, headers: caller.headers, ...(payload ? { payload } : {}) });
  const text = (value: string) => ({ type: 'text', text: value });

  async function setup(followers: number, accountType: 'service' | 'subscription' = 'service') {
    const caller = await root();
    const oa = await connectSandboxOa(t().app, caller, base, { followers, accountType });
    return { caller, oa, url: `/api/v1/official-accounts/${oa.accountId}/broadcasts` };
  }

  async function tag(oa: SandboxOa, name: string, openIds: string[]): Promise<number> {
    const created = (await oa.wechat('cgi-bin/tags/create', { tag: { name } })) as { tag: { id: number } };
    if (openIds.length > 0) await oa.wechat('cgi-bin/tags/members/batchtagging', { tagid: created.tag.id, openid_list: openIds });
    return created.tag.id;
  }

  /** The push once the sandbox finished its job and Qiao recorded MASSSENDJOBFINISH. */
  async function settled(caller: Caller, url: string, id: string) {
    await t().app.sandbox.officialAccount.idle();
    for (let i = 0; i < 100; i++) {
      const push = (await api(caller, 'GET', `${url}/${id}`)).json() as { state: string };
      if (push.state === 'finished' || push.state === 'failed') return push;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error('the push never settled');
  }

  const massCount = async (oa: SandboxOa, openId: string) => (await oa.inbox(openId)).filter((m) => m.source === 'mass').length;

  it('counts a tag’s recipients, reaches exactly the tagged followers and records WeChat’s counts from MASSSENDJOBFINISH', async () => {
    const { caller, oa, url } = await setup(6);
    const tagged = oa.openIds.slice(0, 3);
    const tagId = await tag(oa, '意向客户', tagged);

    const estimate = await api(caller, 'POST', `${url}/estimate`, { audience: { kind: 'tags', tagIds: [tagId] } });
    expect(estimate.json()).toMatchObject({ accountType: 'service', recipientCount: 3, quota: { kind: 'monthly', overQuota: 0, allowed: true } });

    const sent = await api(caller, 'POST', url, { content: text('新品上市，回复「价格」了解详情'), audience: { kind: 'tags', tagIds: [tagId] } });
    expect(sent.statusCode, sent.body).toBe(201);
    const push = sent.json() as { id: string; state: string; msgId: string; recipientCount: number };
    expect(push).toMatchObject({ recipientCount: 3, msgId: expect.stringMatching(/^\d+$/) });
    // WeChat (the sandbox) may finish the job and send MASSSENDJOBFINISH before the answer reads the push back.
    expect(['submitted', 'finished']).toContain(push.state);

    expect(await settled(caller, url, push.id)).toMatchObject({ state: 'finished', wechatStatus: 'send success', counts: { total: 3, filter: 3, sent: 3, error: 0 } });
    for (const openId of oa.openIds) {
      const inbox = await oa.inbox(openId);
      const mass = inbox.filter((m) => m.source === 'mass');
      expect([openId, mass.length]).toEqual([openId, tagged.includes(openId) ? 1 : 0]);
      if (mass[0]) expect(mass[0].content).toMatchObject({ msgtype: 'text', text: { content: '新品上市，回复「价格」了解详情' } });
    }
    const recipients = (await api(caller, 'GET', `${url}/${push.id}/recipients`)).json() as { items: { openId: string; status: string }[]; total: number };
    expect(recipients.total).toBe(3);
    expect(recipients.items.map((r) => r.status)).toEqual(['submitted', 'submitted', 'submitted']);

    const refreshed = await api(caller, 'POST', `${url}/${push.id}/refresh`);
    expect(refreshed.json()).toMatchObject({ state: 'finished', wechatStatus: 'SEND_SUCCESS' });
  });

  it('previews to one chosen follower only, without counting as a push', async () => {
    const { caller, oa, url } = await setup(3);
    const [chosen, other] = oa.openIds as [string, string];
    const previewed = await api(caller, 'POST', `${url}/preview`, { content: text('预览：双十一活动'), openId: chosen });
    expect(previewed.statusCode, previewed.body).toBe(200);
    expect((await oa.inbox(chosen)).map((m) => [m.source, m.content])).toEqual([['mass_preview', { msgtype: 'text', text: { content: '预览：双十一活动' } }]]);
    expect(await oa.inbox(other)).toEqual([]);
    expect((await api(caller, 'GET', url)).json()).toMatchObject({ items: [], total: 0 });
  });

  it('sends a scheduled push when its time comes, and a cancelled one never', async () => {
    const { caller, oa, url } = await setup(2);
    const inAnHour = new Date(t().clock.now().getTime() + 3_600_000).toISOString();
    const kept = (await api(caller, 'POST', url, { content: text('定时推送'), audience: { kind: 'all' }, scheduledAt: inAnHour })).json() as { id: string; state: string };
    const dropped = (await api(caller, 'POST', url, { content: text('取消的推送'), audience: { kind: 'all' }, scheduledAt: inAnHour })).json() as { id: string; state: string };
    expect([kept.state, dropped.state]).toEqual(['scheduled', 'scheduled']);
    expect((await api(caller, 'POST', `${url}/${dropped.id}/cancel`)).json()).toMatchObject({ state: 'cancelled' });
    expect((await api(caller, 'POST', `${url}/${dropped.id}/cancel`)).json()).toMatchObject({ code: 'OA_PUSH_NOT_EDITABLE' });

    expect(await t().app.oaBroadcasts.service.dispatchDue()).toBe(0);
    expect(await massCount(oa, oa.openIds[0] as string)).toBe(0);

    t().clock.advance(3_600_000 + 1000);
    expect(await t().app.oaBroadcasts.service.dispatchDue()).toBe(1);
    const done = await settled(caller, url, kept.id);
    expect(done).toMatchObject({ state: 'finished', counts: { sent: 2 }, jobId: expect.any(String) });
    for (const openId of oa.openIds) expect((await oa.inbox(openId)).filter((m) => m.source === 'mass').map((m) => m.content)).toEqual([{ msgtype: 'text', text: { content: '定时推送' } }]);
    expect((await api(caller, 'GET', `${url}/${dropped.id}`)).json()).toMatchObject({ state: 'cancelled', msgId: null });
  });

  it('refuses a subscription account’s second push of the day, naming the quota', async () => {
    const { caller, oa, url } = await setup(2, 'subscription');
    const first = await api(caller, 'POST', url, { content: text('今日推送'), audience: { kind: 'all' } });
    expect(first.statusCode, first.body).toBe(201);
    await settled(caller, url, (first.json() as { id: string }).id);

    const estimate = (await api(caller, 'POST', `${url}/estimate`, { audience: { kind: 'all' } })).json();
    expect(estimate).toMatchObject({ accountType: 'subscription', quota: { kind: 'daily', limit: 1, usedToday: 1, allowed: false } });
    const second = await api(caller, 'POST', url, { content: text('第二条'), audience: { kind: 'all' } });
    expect(second.statusCode).toBe(409);
    expect(second.json()).toMatchObject({ code: 'OA_PUSH_DAILY_QUOTA_EXCEEDED', message: expect.stringContaining('每天只能群发 1 次') });
    expect(await massCount(oa, oa.openIds[0] as string)).toBe(1);
    expect((await api(caller, 'POST', url, { content: text('名单'), audience: { kind: 'openIds', openIds: oa.openIds } })).json()).toMatchObject({ code: 'OA_PUSH_OPENID_LIST_SERVICE_ONLY' });
  });

  it('counts 4 mass messages per follower a month on a service account: refuses, or skips them when asked', async () => {
    const { caller, oa, url } = await setup(4);
    const [a, b, c, d] = oa.openIds as [string, string, string, string];
    for (let i = 1; i <= 4; i++) {
      const sent = await api(caller, 'POST', url, { content: text(`第 ${i} 条`), audience: { kind: 'openIds', openIds: [a, b] } });
      expect(sent.statusCode, sent.body).toBe(201);
      await settled(caller, url, (sent.json() as { id: string }).id);
    }
    const audience = { kind: 'openIds', openIds: [a, b, c, d] };
    expect((await api(caller, 'POST', `${url}/estimate`, { audience })).json()).toMatchObject({ recipientCount: 4, quota: { kind: 'monthly', overQuota: 2, remaining: 2, allowed: false } });
    const refused = await api(caller, 'POST', url, { content: text('第 5 条'), audience });
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ code: 'OA_PUSH_MONTHLY_QUOTA_EXCEEDED', details: { overQuota: 2, remaining: 2 } });
    expect((await api(caller, 'POST', url, { content: text('第 5 条'), audience: { kind: 'openIds', openIds: [a, b] } })).json()).toMatchObject({ code: 'OA_PUSH_ALL_OVER_QUOTA' });

    const partial = await api(caller, 'POST', url, { content: text('第 5 条'), audience, skipOverQuota: true });
    expect(partial.statusCode, partial.body).toBe(201);
    const id = (partial.json() as { id: string }).id;
    expect(await settled(caller, url, id)).toMatchObject({ state: 'finished', overQuotaCount: 2, counts: { total: 2, sent: 2 } });
    const recipients = (await api(caller, 'GET', `${url}/${id}/recipients`)).json() as { items: { openId: string; status: string }[] };
    expect(Object.fromEntries(recipients.items.map((r) => [r.openId, r.status]))).toEqual({ [a]: 'over_quota', [b]: 'over_quota', [c]: 'submitted', [d]: 'submitted' });
    expect([await massCount(oa, a), await massCount(oa, c)]).toEqual([4, 1]);
  });

  it('refuses an empty audience and a deleted tag with nothing sent', async () => {
    const { caller, oa, url } = await setup(3);
    const emptyTag = await tag(oa, '空标签', []);
    const empty = await api(caller, 'POST', url, { content: text('无人可收'), audience: { kind: 'tags', tagIds: [emptyTag] } });
    expect(empty.statusCode).toBe(400);
    expect(empty.json()).toMatchObject({ code: 'OA_PUSH_AUDIENCE_EMPTY' });

    const doomed = await tag(oa, '将删除', oa.openIds);
    await oa.wechat('cgi-bin/tags/delete', { tag: { id: doomed } });
    const deleted = await api(caller, 'POST', url, { content: text('旧标签'), audience: { kind: 'tags', tagIds: [doomed] } });
    expect(deleted.statusCode).toBe(400);
    expect(deleted.json()).toMatchObject({ code: 'OA_PUSH_TAG_NOT_FOUND', details: { tagId: doomed } });

    expect((await api(caller, 'GET', url)).json()).toMatchObject({ items: [], total: 0 });
    for (const openId of oa.openIds) expect(await oa.inbox(openId)).toEqual([]);
  });
});
