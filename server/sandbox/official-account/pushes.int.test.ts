import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginAs, rootCredentials, setupRoot } from '../../../test/support/callers';
import { useTestApp } from '../../../test/support/test-app';
import { MessageCrypt, buildWeChatXml, openOfficialAccountPush, parseWeChatXml, sealReply, type OfficialAccountMode } from '../../wechat/core';
import { createOaFixture, wx, type OaFixture } from '../testing/sandbox-kit';
import { UNAVAILABLE_NOTICE } from './push';

interface Received {
  query: Record<string, string>;
  body: string;
}

/** A callback server standing in for a developer's app: checks every push with the crypto helpers and answers as scripted. */
function developerServer() {
  const received: Received[] = [];
  let respond: (push: Received, response: ServerResponse) => void = (_push, res) => res.end('success');
  const server = createServer((request: IncomingMessage, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => {
      const query = Object.fromEntries(new URL(request.url ?? '/', 'http://x').searchParams);
      const push = { query, body };
      received.push(push);
      respond(push, response);
    });
  });
  return {
    received,
    onPush(fn: typeof respond) {
      respond = fn;
      received.length = 0;
    },
    async start() {
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}/wx`;
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('sandbox Official Account: pushes to the callback URL', () => {
  const t = useTestApp();
  const root = () => setupRoot(t().app).catch(() => loginAs(t().app, rootCredentials.username, rootCredentials.password));
  const dev = developerServer();
  let callbackUrl = '';
  beforeAll(async () => {
    callbackUrl = await dev.start();
  });
  afterAll(() => dev.stop());

  async function account(mode: OfficialAccountMode, followers = 1) {
    const f = await createOaFixture(t().app, root, { encryptMode: mode, callbackUrl, followers });
    const openId = ((await wx(t().app, f, 'GET', 'cgi-bin/user/get')).json.data as { openid: string[] }).openid[0] as string;
    return { f, openId, crypt: new MessageCrypt({ currentKey: f.encodingAesKey, receiverId: f.appId }) };
  }
  const act = (f: OaFixture, openId: string, path: string, payload?: unknown) =>
    t().app.inject({ method: 'POST', url: `/sandbox/control/official-accounts/${f.appId}/followers/${openId}/${path}`, headers: f.root.headers, ...(payload === undefined ? {} : { payload: payload as object }) });
  const open = (f: OaFixture, crypt: MessageCrypt, mode: OfficialAccountMode, push: Received) =>
    parseWeChatXml(openOfficialAccountPush({ query: push.query, body: push.body, token: f.token, mode, crypt }).plaintext);

  it.each(['plain', 'compatible', 'safe'] as const)('pushes a signed message in %s mode that the developer can open', async (mode) => {
    const { f, openId, crypt } = await account(mode);
    dev.onPush((_push, res) => res.end(''));
    const result = (await act(f, openId, 'messages', { type: 'text', content: '你好 000123' })).json();
    expect(result).toMatchObject({ delivery: { attempts: 1, status: 'no_reply' }, received: [] });
    const [push] = dev.received;
    expect(push?.query.openid).toBe(openId);
    expect(push?.query.encrypt_type).toBe(mode === 'plain' ? undefined : 'aes');
    const message = open(f, crypt, mode, push as Received);
    expect(message).toMatchObject({ FromUserName: openId, MsgType: 'text', Content: '你好 000123', MsgId: expect.stringMatching(/^\d+$/) });
    if (mode === 'safe') expect(push?.body).not.toContain('Content');
  });

  it('delivers a valid passive reply (encrypted in safe mode) to the follower inbox', async () => {
    const { f, openId, crypt } = await account('safe');
    dev.onPush((push, res) => {
      const message = open(f, crypt, 'safe', push);
      const reply = buildWeChatXml({ ToUserName: String(message.FromUserName), FromUserName: String(message.ToUserName), CreateTime: 1, MsgType: 'text', Content: '收到' });
      res.end(sealReply(reply, { token: f.token, crypt }));
    });
    const result = (await act(f, openId, 'messages', { type: 'text', content: 'hi' })).json();
    expect(result).toMatchObject({ delivery: { status: 'replied' }, received: [{ source: 'passive_reply', msgType: 'text', content: { Content: '收到' } }] });
  });

  it.each([
    ['a plain reply in safe mode', (_f: OaFixture, message: Record<string, unknown>) => buildWeChatXml({ ToUserName: String(message.FromUserName), FromUserName: String(message.ToUserName), CreateTime: 1, MsgType: 'text', Content: 'x' })],
    ['JSON instead of XML', () => '{"msgtype":"text"}'],
    ['a reply to someone else', (_f: OaFixture, message: Record<string, unknown>) => buildWeChatXml({ ToUserName: 'oSomeoneElse', FromUserName: String(message.ToUserName), CreateTime: 1, MsgType: 'text', Content: 'x' })],
  ])('shows the follower WeChat’s notice for %s', async (_name, makeReply) => {
    const { f, openId, crypt } = await account('safe');
    dev.onPush((push, res) => res.end(makeReply(f, open(f, crypt, 'safe', push) as Record<string, unknown>)));
    const result = (await act(f, openId, 'messages', { type: 'text', content: 'hi' })).json();
    expect(result).toMatchObject({ delivery: { status: 'invalid_reply', attempts: 1 }, received: [{ source: 'notice', content: { Content: UNAVAILABLE_NOTICE } }] });
  });

  it('retries an unanswered push 3 times, then shows the notice', async () => {
    const { f, openId } = await account('plain');
    dev.onPush((_push, res) => {
      res.statusCode = 500;
      res.end();
    });
    const result = (await act(f, openId, 'unfollow')).json();
    expect(result).toMatchObject({ delivery: { attempts: 3, status: 'failed' }, received: [{ source: 'notice' }] });
    expect(dev.received).toHaveLength(3);
    expect(new Set(dev.received.map((p) => p.body)).size).toBe(1);
  });

  it('pushes subscribe with qrscene_ for a newcomer and SCAN for a follower', async () => {
    const { f, openId, crypt } = await account('compatible');
    const code = (await wx(t().app, f, 'POST', 'cgi-bin/qrcode/create', { action_name: 'QR_LIMIT_STR_SCENE', action_info: { scene: { scene_str: 'shop-1' } } })).json;
    dev.onPush((_push, res) => res.end('success'));
    await act(f, 'oNewcomer000000000000000001', 'scans', { scene: 'shop-1' });
    await act(f, openId, 'scans', { scene: 'shop-1' });
    const [subscribe, scan] = dev.received.map((p) => open(f, crypt, 'compatible', p));
    expect(subscribe).toMatchObject({ MsgType: 'event', Event: 'subscribe', EventKey: 'qrscene_shop-1', Ticket: code.ticket });
    expect(scan).toMatchObject({ Event: 'SCAN', EventKey: 'shop-1', Ticket: code.ticket });
    expect((await wx(t().app, f, 'GET', 'cgi-bin/user/info', undefined, { openid: 'oNewcomer000000000000000001' })).json).toMatchObject({ subscribe_scene: 'ADD_SCENE_QR_CODE', qr_scene_str: 'shop-1' });
  });

  it('pushes the menu event of the pressed button (VIEW of a conditional menu carries MenuId)', async () => {
    const { f, openId, crypt } = await account('plain');
    await wx(t().app, f, 'POST', 'cgi-bin/menu/create', { button: [{ type: 'click', name: '签到', key: 'SIGN' }] });
    const added = (await wx(t().app, f, 'POST', 'cgi-bin/menu/addconditional', { button: [{ type: 'view', name: '官网', url: 'https://example.com/' }, { type: 'scancode_push', name: '扫一扫', key: 'SCAN' }], matchrule: { tag_id: '2' } })).json;
    dev.onPush((_push, res) => res.end('success'));
    await act(f, openId, 'menu-clicks', { key: 'SIGN' });
    await wx(t().app, f, 'POST', 'cgi-bin/tags/members/batchtagging', { tagid: 2, openid_list: [openId] });
    await act(f, openId, 'menu-clicks', { url: 'https://example.com/' });
    await act(f, openId, 'menu-clicks', { key: 'SCAN' });
    const events = dev.received.map((p) => open(f, crypt, 'plain', p));
    expect(events[0]).toMatchObject({ Event: 'CLICK', EventKey: 'SIGN' });
    expect(events[1]).toMatchObject({ Event: 'VIEW', EventKey: 'https://example.com/', MenuId: String(added.menuid) });
    expect(events[2]).toMatchObject({ Event: 'scancode_push', EventKey: 'SCAN', ScanCodeInfo: { ScanType: 'qrcode' } });
  });

  it('lists deliveries in the live feed', async () => {
    const { f, openId } = await account('plain');
    dev.onPush((_push, res) => res.end('success'));
    await act(f, openId, 'messages', { type: 'location', content: '23.1,113.3,天河城' });
    const feed = (await t().app.inject({ method: 'GET', url: `/sandbox/control/deliveries?ownerKey=${f.appId}`, headers: f.root.headers })).json();
    expect(feed).toMatchObject({ items: [{ product: 'official-account', ownerKey: f.appId, target: openId, event: 'location', status: 'no_reply', attempts: 1, url: callbackUrl }], nextCursor: null });
    expect(feed.items[0].message).toContain('<Label><![CDATA[天河城]]></Label>');
  });
});
