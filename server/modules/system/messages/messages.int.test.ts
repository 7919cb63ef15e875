import { sql } from 'drizzle-orm';
import { beforeEach, describe, expect, it } from 'vitest';
import { setupRoot, userSession, type Caller } from '../../../../test/support/callers';
import { useTestApp } from '../../../../test/support/test-app';
import { MessageCrypt, buildWeChatXml, sealOfficialAccountPush, type XmlInputRecord } from '../../../wechat/core';

const t = useTestApp();

const appId = 'wx2c2769f8efd9abc2';
const token = 'MessagesToken01';
const encodingAesKey = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';
const crypt = new MessageCrypt({ currentKey: encodingAesKey, receiverId: appId });

let root: Caller;

beforeEach(async () => {
  root = await setupRoot(t().app);
});

const offs: (() => void)[] = [];
beforeEach(() => {
  while (offs.length > 0) offs.pop()?.();
  offs.push(t().app.callbacks.subscribe('official-account.text', ({ event }) => ({ type: 'text', content: `收到：${event.content}` })));
});

async function connectOfficialAccount(app: ReturnType<typeof t>['app'], caller: Caller): Promise<string> {
  const response = await app.inject({
    method: 'POST',
    url: '/api/v1/accounts',
    headers: caller.headers,
    payload: { type: 'official_account', name: '桥服务号', appId, appSecret: 'secret-0123456789', token, encodingAesKey, encryptMode: 'safe' },
  });
  return (response.json() as { id: string }).id;
}

function oaXml(fields: XmlInputRecord): string {
  return buildWeChatXml({ ToUserName: 'gh_10f6c3c3ac5a', FromUserName: 'oyORnuP8q7ou2gfYjqLzSIWZf0rs', CreateTime: Math.floor(Date.now() / 1000), ...fields });
}

function oaPush(accountId: string, message: string) {
  const sealed = sealOfficialAccountPush({ message, mode: 'safe', token, crypt, openId: 'oyORnuP8q7ou2gfYjqLzSIWZf0rs', toUserName: 'gh_10f6c3c3ac5a' });
  return { url: `/wechat/official-account/${accountId}/callback?${new URLSearchParams(sealed.query).toString()}`, body: sealed.body };
}

function deliver(app: ReturnType<typeof t>['app'], push: { url: string; body: string }) {
  return app.inject({ method: 'POST', url: push.url, payload: push.body, headers: { 'content-type': 'text/xml' } });
}

async function messages(accountId: string, query = '', caller = root) {
  const response = await t().app.inject({ method: 'GET', url: `/api/v1/accounts/${accountId}/messages?${query}`, headers: caller.headers });
  return { status: response.statusCode, body: response.json() as { items: Record<string, unknown>[]; nextCursor: string | null; total: number } };
}

describe('message log API', () => {
  it('lists newest first with filters and cursor paging, and shows one message', async () => {
    const id = await connectOfficialAccount(t().app, root);
    for (let i = 0; i < 5; i++) {
      t().clock.advance(1000);
      await deliver(t().app, oaPush(id, oaXml({ MsgType: 'text', Content: i === 3 ? '查询订单' : `消息 ${i}`, MsgId: `50${i}` })));
    }
    t().clock.advance(1000);
    await deliver(t().app, oaPush(id, oaXml({ MsgType: 'event', Event: 'subscribe' })));
    const first = await messages(id, 'limit=4');
    expect(first.status).toBe(200);
    expect(first.body.total).toBe(6);
    expect(first.body.items.map((m) => m.content ?? m.type)).toEqual(['official-account.subscribe', '消息 4', '查询订单', '消息 2']);
    const second = await messages(id, `limit=4&cursor=${first.body.nextCursor}`);
    expect(second.body.items.map((m) => m.content)).toEqual(['消息 1', '消息 0']);
    expect(second.body.nextCursor).toBeNull();
    expect((await messages(id, 'q=订单')).body.items.map((m) => m.content)).toEqual(['查询订单']);
    expect((await messages(id, 'type=official-account.subscribe')).body.total).toBe(1);
    expect((await messages(id, 'from=someone-else')).body.total).toBe(0);
    const since = new Date(t().clock.now().getTime() - 1500).toISOString();
    expect((await messages(id, `since=${encodeURIComponent(since)}`)).body.total).toBe(2);
    expect((await messages(id, `until=${encodeURIComponent(since)}`)).body.total).toBe(4);
    const one = await t().app.inject({ method: 'GET', url: `/api/v1/accounts/${id}/messages/${first.body.items[2]?.id}`, headers: root.headers });
    expect(one.json()).toMatchObject({ content: '查询订单', reply: { type: 'text', content: '收到：查询订单' } });
    expect((await messages(id, 'unknown=1')).status).toBe(400);
    expect((await messages('00000000-0000-4000-8000-000000000000')).status).toBe(404);
  });

  it('shows the fields of a push whole while its row holds the text content once', async () => {
    const id = await connectOfficialAccount(t().app, root);
    const createTimeS = Math.floor(Date.now() / 1000);
    const content = '想问一下，门店几点开门？'.repeat(20);
    await deliver(t().app, oaPush(id, oaXml({ MsgType: 'text', Content: content, MsgId: '7001', CreateTime: createTimeS })));
    const [item] = (await messages(id)).body.items;
    expect(item?.fields).toEqual({
      product: 'official-account',
      type: 'official-account.text',
      toUserName: 'gh_10f6c3c3ac5a',
      fromUserName: 'oyORnuP8q7ou2gfYjqLzSIWZf0rs',
      createTimeS,
      content,
      msgId: '7001',
    });
    const stored = await t().db.handle.db.execute<{ fields: Record<string, unknown>; content: string }>(
      sql`select fields, content from callback_messages where account_id = ${id}`,
    );
    expect(stored.rows[0]?.content).toBe(content);
    expect(Object.keys(stored.rows[0]?.fields ?? {}).sort()).toEqual(['msgId', 'toUserName']);

    // A push nobody answers: its empty columns are SQL nulls, not JSON nulls.
    await deliver(t().app, oaPush(id, oaXml({ MsgType: 'event', Event: 'subscribe' })));
    const silent = await t().db.handle.db.execute<{ state: string; no_reply: boolean; no_summary: boolean; no_event_key: boolean; late: boolean }>(
      sql`select state, reply_xml is null as no_reply, reply_summary is null as no_summary, content is null as no_event_key, handled_late as late
        from callback_messages where account_id = ${id} and type = 'official-account.subscribe'`,
    );
    expect(silent.rows).toEqual([{ state: 'done', no_reply: true, no_summary: true, no_event_key: true, late: false }]);
  });

  it('refuses a member without messages.read', async () => {
    const id = await connectOfficialAccount(t().app, root);
    const member = await userSession(t().app, root, { username: 'member1', role: 'member' });
    const refused = await messages(id, '', member);
    expect(refused.status).toBe(403);
    const admin = await userSession(t().app, root, { username: 'deptadmin1', role: 'dept_admin', departmentScopes: [{ accountId: id, departmentId: 1 }] });
    expect((await messages(id, '', admin)).status).toBe(200);
  });
});
