import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginAs, rootCredentials, setupRoot, type Caller } from '../../../../test/support/callers';
import { useTestApp } from '../../../../test/support/test-app';
import { connectSandboxOa } from '../../../../test/support/oa-sandbox-account-kit';
import { createInboxRepository, type IncomingMessage } from './inbox.repository';

describe('customer-service inbox (客服消息) against the sandbox', () => {
  const t = useTestApp();
  let base = '';
  beforeAll(async () => {
    await t().app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(t().app.server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await t().app.close();
  });

  const root = (): Promise<Caller> => setupRoot(t().app).catch(() => loginAs(t().app, rootCredentials.username, rootCredentials.password));
  const api = (caller: Caller, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object) =>
    t().app.inject({ method, url, headers: caller.headers, ...(payload ? { payload } : {}) });

  async function setup() {
    const caller = await root();
    const oa = await connectSandboxOa(t().app, caller, base, { followers: 2, accountType: 'service' });
    const openId = oa.openIds[0] as string;
    return { caller, oa, openId, url: `/api/v1/official-accounts/${oa.accountId}` };
  }

  async function onlyConversation(caller: Caller, url: string) {
    const page = (await api(caller, 'GET', `${url}/conversations`)).json() as { items: { id: string }[]; total: number };
    expect(page.total).toBe(1);
    return page.items[0] as { id: string } & Record<string, unknown>;
  }

  const serviceMessages = async (oa: Awaited<ReturnType<typeof setup>>['oa'], openId: string) =>
    (await oa.inbox(openId)).filter((m) => m.source === 'customer_service').map((m) => m.content);

  it('shows a follower’s message as a waiting conversation; the answer reaches the phone and its response time is kept', async () => {
    const { caller, oa, openId, url } = await setup();
    // WeChat's CreateTime has whole seconds: start on one so the response time is exact.
    t().clock.set(new Date(Math.ceil(t().clock.now().getTime() / 1000) * 1000));
    const sentAt = t().clock.now();
    await oa.act(openId, 'messages', { type: 'text', content: '请问门店几点关门？' });

    const conversation = await onlyConversation(caller, url);
    const closesAt = new Date(sentAt.getTime() + 48 * 3_600_000).toISOString();
    expect(conversation).toMatchObject({
      openId,
      state: 'open',
      unreadCount: 1,
      waitingSince: expect.any(String),
      lastMessagePreview: '请问门店几点关门？',
      lastDirection: 'in',
      window: { isOpen: true, closesAt, sentSinceOpen: 0, limit: 5 },
      firstResponseMs: null,
    });
    expect((await api(caller, 'GET', `${url}/conversations?waiting=true`)).json()).toMatchObject({ total: 1 });

    t().clock.advance(90_000);
    const replied = await api(caller, 'POST', `${url}/conversations/${conversation.id}/replies`, { type: 'text', text: '您好，门店 22:00 关门。' });
    expect(replied.statusCode, replied.body).toBe(201);
    expect(await serviceMessages(oa, openId)).toEqual([{ msgtype: 'text', text: { content: '您好，门店 22:00 关门。' } }]);

    const detail = (await api(caller, 'GET', `${url}/conversations/${conversation.id}`)).json();
    expect(detail).toMatchObject({ waitingSince: null, unreadCount: 0, lastDirection: 'out', firstResponseMs: 90_000, window: { sentSinceOpen: 1 }, responses: [{ responseMs: 90_000 }] });
    expect((await api(caller, 'GET', `${url}/conversations?waiting=true`)).json()).toMatchObject({ total: 0 });

    const history = (await api(caller, 'GET', `${url}/conversations/${conversation.id}/messages`)).json() as { items: { direction: string; text: string }[] };
    expect(history.items.map((m) => [m.direction, m.text])).toEqual([
      ['out', '您好，门店 22:00 关门。'],
      ['in', '请问门店几点关门？'],
    ]);
    expect((await api(caller, 'GET', `${url}/messages?openId=${openId}&direction=in`)).json()).toMatchObject({ items: [{ text: '请问门店几点关门？', msgType: 'text' }] });
  });

  it('refuses an answer once the 48-hour window has closed, saying when it closed', async () => {
    const { oa, openId, url, caller } = await setup();
    await oa.act(openId, 'messages', { type: 'location', content: '23.1,113.3,天河城' });
    const conversation = await onlyConversation(caller, url);
    expect(conversation).toMatchObject({ lastMessagePreview: '天河城' });

    t().clock.advance(48 * 3_600_000 + 1000);
    // The session expired meanwhile too; the sandbox helpers hold the same headers object.
    Object.assign(caller.headers, (await loginAs(t().app, rootCredentials.username, rootCredentials.password)).headers);
    const refused = await api(caller, 'POST', `${url}/conversations/${conversation.id}/replies`, { type: 'text', text: '抱歉回复晚了' });
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ code: 'OA_INBOX_WINDOW_CLOSED', details: { closedAt: (conversation.window as { closesAt: string }).closesAt } });
    expect(await serviceMessages(oa, openId)).toEqual([]);
    expect((await api(caller, 'GET', `${url}/conversations/${conversation.id}`)).json()).toMatchObject({ window: { isOpen: false } });
  });

  it('puts WeChat’s 45047 in plain words when the window’s 5 messages are used', async () => {
    const { caller, oa, openId, url } = await setup();
    await oa.act(openId, 'messages', { type: 'text', content: '在吗' });
    const { id } = await onlyConversation(caller, url);
    for (let i = 1; i <= 5; i++) expect((await api(caller, 'POST', `${url}/conversations/${id}/replies`, { type: 'text', text: `第 ${i} 条` })).statusCode).toBe(201);
    const sixth = await api(caller, 'POST', `${url}/conversations/${id}/replies`, { type: 'text', text: '第 6 条' });
    expect(sixth.statusCode).toBe(409);
    expect(sixth.json()).toMatchObject({ code: 'OA_INBOX_WECHAT_QUOTA', details: { errcode: 45047 }, message: expect.stringContaining('45047') });
    expect(await serviceMessages(oa, openId)).toHaveLength(5);
  });

  it('keeps quick replies with variables, searchable by group and words, filled per follower when sent', async () => {
    const { caller, oa, openId, url } = await setup();
    await oa.wechat('cgi-bin/user/info/updateremark', { openid: openId, remark: '王女士' });
    const created = await api(caller, 'POST', `${url}/quick-replies`, { groupName: '售后', title: '问候', content: '{{remark}}您好，您的编号是 {{openId}}。' });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({ variables: ['remark', 'openId'] });
    await api(caller, 'POST', `${url}/quick-replies`, { groupName: '售前', title: '价格', content: '价格请见菜单「产品」。' });
    expect((await api(caller, 'POST', `${url}/quick-replies`, { title: '坏变量', content: '{{nickname}}您好' })).json()).toMatchObject({ code: 'OA_QUICK_REPLY_UNKNOWN_VARIABLE' });

    expect(((await api(caller, 'GET', `${url}/quick-replies?q=菜单`)).json() as { items: { title: string }[] }).items.map((q) => q.title)).toEqual(['价格']);
    expect(((await api(caller, 'GET', `${url}/quick-replies?groupName=售后`)).json() as { items: { title: string }[] }).items.map((q) => q.title)).toEqual(['问候']);
    const quick = created.json() as { id: string; content: string };
    expect((await api(caller, 'PATCH', `${url}/quick-replies/${quick.id}`, { title: '问候语' })).json()).toMatchObject({ title: '问候语', groupName: '售后' });

    await oa.act(openId, 'messages', { type: 'text', content: '你好' });
    const { id } = await onlyConversation(caller, url);
    expect((await api(caller, 'POST', `${url}/conversations/${id}/replies`, { type: 'text', text: quick.content })).statusCode).toBe(201);
    expect(await serviceMessages(oa, openId)).toEqual([{ msgtype: 'text', text: { content: `王女士您好，您的编号是 ${openId}。` } }]);

    expect((await api(caller, 'DELETE', `${url}/quick-replies/${quick.id}`)).statusCode).toBe(204);
    expect((await api(caller, 'DELETE', `${url}/quick-replies/${quick.id}`)).json()).toMatchObject({ code: 'OA_QUICK_REPLY_NOT_FOUND' });
  });

  it('assigns a conversation to an operator and closes it; the follower’s next message opens it again', async () => {
    const { caller, oa, openId, url } = await setup();
    await oa.act(openId, 'messages', { type: 'text', content: '投诉' });
    const { id } = await onlyConversation(caller, url);
    expect((await api(caller, 'POST', `${url}/conversations/${id}/assign`, { assigneeId: caller.userId })).json()).toMatchObject({ assigneeId: caller.userId });
    expect((await api(caller, 'POST', `${url}/conversations/${id}/assign`, { assigneeId: '00000000-0000-4000-8000-000000000000' })).json()).toMatchObject({ code: 'OA_INBOX_ASSIGNEE_NOT_FOUND' });
    expect((await api(caller, 'GET', `${url}/conversations?assigneeId=${caller.userId}`)).json()).toMatchObject({ total: 1 });
    expect((await api(caller, 'POST', `${url}/conversations/${id}/close`)).json()).toMatchObject({ state: 'closed', closedAt: expect.any(String) });

    await oa.act(openId, 'messages', { type: 'text', content: '还没处理' });
    expect((await api(caller, 'GET', `${url}/conversations/${id}`)).json()).toMatchObject({ state: 'open', closedAt: null, unreadCount: 1 });
    expect((await api(caller, 'POST', `${url}/conversations/${id}/read`)).json()).toMatchObject({ unreadCount: 0 });
  });
  it('writes messages that arrive together in one go, as if one after the other, and a bad one fails alone', async () => {
    const { caller, oa, url } = await setup();
    const [first, second] = oa.openIds as [string, string];
    // Counts the transactions the repository opens.
    let transactions = 0;
    const db = t().db.handle.db;
    const counted = new Proxy(db, {
      get(target, property, receiver) {
        if (property !== 'transaction') return Reflect.get(target, property, receiver);
        return (...args: Parameters<typeof db.transaction>) => {
          transactions++;
          return target.transaction(...args);
        };
      },
    });
    const repository = createInboxRepository(counted);
    const at = (second_: number) => new Date(Date.UTC(2026, 10, 27, 9, 0, second_));
    const message = (openId: string, msgId: string | null, text: string, when: number, accountId = oa.accountId): IncomingMessage => ({
      accountId,
      openId,
      msgType: 'text',
      text,
      preview: text,
      payload: { content: text },
      wechatMsgId: msgId,
      at: at(when),
    });
    const results = await Promise.all([
      repository.recordIncoming(message(first, 'm1', '第一条', 1)),
      repository.recordIncoming(message(second, 'm2', '另一位', 2)),
      repository.recordIncoming(message(first, 'm3', '第二条', 3)),
      repository.recordIncoming(message(first, 'm1', '第一条', 1)),
      repository.recordIncoming(message(first, null, '没有编号', 4)),
    ]);
    expect(results).toEqual([true, true, true, false, true]);
    expect(transactions).toBe(1);
    const conversations = (await api(caller, 'GET', `${url}/conversations`)).json() as { items: { openId: string; unreadCount: number; lastMessagePreview: string; waitingSince: string; lastMessageAt: string }[] };
    const of = (openId: string) => conversations.items.find((c) => c.openId === openId)!;
    expect(of(first)).toMatchObject({ unreadCount: 3, lastMessagePreview: '没有编号', waitingSince: at(1).toISOString(), lastMessageAt: at(4).toISOString() });
    expect(of(second)).toMatchObject({ unreadCount: 1, lastMessagePreview: '另一位', waitingSince: at(2).toISOString() });

    // A message of an account that does not exist cannot be stored: it fails, the others of its moment are stored.
    const mixed = await Promise.allSettled([
      repository.recordIncoming(message(second, 'm5', '还在吗', 5)),
      repository.recordIncoming(message(first, 'm6', '孤儿', 5, '00000000-0000-4000-8000-000000000000')),
    ]);
    expect(mixed[0]).toEqual({ status: 'fulfilled', value: true });
    expect(mixed[1]?.status).toBe('rejected');
    // The failed batch, then each message on its own.
    expect(transactions).toBe(1 + 1 + 2);
    const after = (await api(caller, 'GET', `${url}/conversations`)).json() as { items: { openId: string; unreadCount: number }[] };
    expect(after.items.find((c) => c.openId === second)?.unreadCount).toBe(2);
  });
});
