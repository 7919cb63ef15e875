import { describe, expect, it } from 'vitest';
import { loginAs, rootCredentials, setupRoot } from '../../../test/support/callers';
import { useTestApp } from '../../../test/support/test-app';
import { createOaFixture, refreshToken, wx, type OaFixture } from '../testing/sandbox-kit';

function multipart(field: string, filename: string, data: Buffer) {
  const boundary = '----sandboxBoundary7MA4YWxkTrZu0gW';
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`),
    data,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

describe('sandbox Official Account: messages, mass sends, media and QR codes', () => {
  const t = useTestApp();
  const root = () => setupRoot(t().app).catch(() => loginAs(t().app, rootCredentials.username, rootCredentials.password));
  const call = (f: OaFixture, method: 'GET' | 'POST', path: string, body?: unknown, query?: Record<string, string>) => wx(t().app, f, method, path, body, query);
  const firstOpenId = async (f: OaFixture) => ((await call(f, 'GET', 'cgi-bin/user/get')).json.data as { openid: string[] }).openid[0] as string;
  const act = (f: OaFixture, openId: string, path: string, payload?: unknown) =>
    t().app.inject({ method: 'POST', url: `/sandbox/control/official-accounts/${f.appId}/followers/${openId}/${path}`, headers: f.root.headers, ...(payload === undefined ? {} : { payload: payload as object }) });
  const inbox = async (f: OaFixture, openId: string) =>
    ((await t().app.inject({ method: 'GET', url: `/sandbox/control/official-accounts/${f.appId}/followers/${openId}/inbox`, headers: f.root.headers })).json() as { items: { source: string; msgType: string; content: unknown }[] }).items;
  const text = (touser: string, content = '你好') => ({ touser, msgtype: 'text', text: { content } });

  it('refuses customer-service messages before the follower interacted (45015)', async () => {
    const f = await createOaFixture(t().app, root, { followers: 1 });
    expect((await call(f, 'POST', 'cgi-bin/message/custom/send', text(await firstOpenId(f)))).json).toMatchObject({ errcode: 45015 });
    expect((await call(f, 'POST', 'cgi-bin/message/custom/send', text('oStranger'))).json).toMatchObject({ errcode: 40003 });
  });

  it('allows 5 customer-service messages in the 48 hours after a message (then 45047, and 45015 once it closes)', async () => {
    const f = await createOaFixture(t().app, root, { followers: 1 });
    const openId = await firstOpenId(f);
    expect((await act(f, openId, 'messages', { type: 'text', content: '在吗' })).json()).toMatchObject({ delivery: { status: 'no_callback_url' } });
    for (let i = 0; i < 5; i++) expect((await call(f, 'POST', 'cgi-bin/message/custom/send', text(openId, `回复${i}`))).json).toMatchObject({ errcode: 0 });
    expect((await call(f, 'POST', 'cgi-bin/message/custom/send', text(openId))).json).toMatchObject({ errcode: 45047 });
    const received = await inbox(f, openId);
    expect(received.map((item) => [item.source, item.msgType])).toEqual(Array.from({ length: 5 }, () => ['customer_service', 'text']));
    expect(received[0]?.content).toMatchObject({ text: { content: '回复0' } });
    await act(f, openId, 'messages', { type: 'text', content: '再问一下' });
    t().clock.advance(48 * 3_600_000 + 1000);
    expect((await call(await refreshToken(t().app, f), 'POST', 'cgi-bin/message/custom/send', text(openId))).json).toMatchObject({ errcode: 45015 });
  });

  it('allows 3 customer-service messages within a minute of a follow, click or scan', async () => {
    const f = await createOaFixture(t().app, root);
    await call(f, 'POST', 'cgi-bin/menu/create', { button: [{ type: 'click', name: '点我', key: 'CLICK_ME' }] });
    expect((await act(f, 'oNewPerson00000000000000001', 'follow')).json()).toMatchObject({ delivery: { status: 'no_callback_url', attempts: 0 } });
    for (let i = 0; i < 3; i++) expect((await call(f, 'POST', 'cgi-bin/message/custom/send', text('oNewPerson00000000000000001'))).json).toMatchObject({ errcode: 0 });
    expect((await call(f, 'POST', 'cgi-bin/message/custom/send', text('oNewPerson00000000000000001'))).json).toMatchObject({ errcode: 45047 });
    expect((await act(f, 'oNewPerson00000000000000001', 'menu-clicks', { key: 'CLICK_ME' })).statusCode).toBe(200);
    expect((await call(f, 'POST', 'cgi-bin/message/custom/send', text('oNewPerson00000000000000001'))).json).toMatchObject({ errcode: 0 });
    t().clock.advance(61_000);
    expect((await call(f, 'POST', 'cgi-bin/message/custom/send', text('oNewPerson00000000000000001'))).json).toMatchObject({ errcode: 45015 });
    expect((await act(f, 'oNewPerson00000000000000001', 'menu-clicks', { key: 'NOPE' })).statusCode).toBe(404);
  });

  it('refuses a customer-service news message with more than one article (45008)', async () => {
    const f = await createOaFixture(t().app, root, { followers: 1 });
    const openId = await firstOpenId(f);
    await act(f, openId, 'messages', { type: 'text', content: 'hi' });
    const article = { title: 'T', description: 'D', url: 'https://e.com', picurl: 'https://e.com/p.jpg' };
    expect((await call(f, 'POST', 'cgi-bin/message/custom/send', { touser: openId, msgtype: 'news', news: { articles: [article, article] } })).json).toMatchObject({ errcode: 45008 });
  });

  it('mass-sends to everyone, reports SEND_SUCCESS and pushes MASSSENDJOBFINISH; a follower gets at most 4 a month', async () => {
    const f = await createOaFixture(t().app, root, { followers: 3 });
    const openId = await firstOpenId(f);
    const msgIds: number[] = [];
    for (let i = 0; i < 5; i++) {
      const sent = (await call(f, 'POST', 'cgi-bin/message/mass/sendall', { filter: { is_to_all: true }, msgtype: 'text', text: { content: `群发${i}` } })).json;
      expect(sent).toMatchObject({ errcode: 0, msg_id: expect.any(Number) });
      msgIds.push(sent.msg_id as number);
      await t().app.sandbox.officialAccount.idle();
    }
    expect((await call(f, 'POST', 'cgi-bin/message/mass/get', { msg_id: msgIds[0] })).json).toMatchObject({ msg_id: msgIds[0], msg_status: 'SEND_SUCCESS' });
    expect((await inbox(f, openId)).filter((item) => item.source === 'mass')).toHaveLength(4);
    const feed = (await t().app.inject({ method: 'GET', url: '/sandbox/control/deliveries?product=official-account', headers: f.root.headers })).json() as { items: { event: string; message: string }[] };
    const finishes = feed.items.filter((item) => item.event === 'event:MASSSENDJOBFINISH');
    expect(finishes).toHaveLength(5);
    expect(finishes[0]?.message).toContain('<SentCount>0</SentCount>');
    expect(finishes[0]?.message).toContain('<TotalCount>3</TotalCount>');
    expect(finishes[4]?.message).toContain('<SentCount>3</SentCount>');
  });

  it.each([
    ['a clientmsgid over 64 bytes', { clientmsgid: 'x'.repeat(65) }, 45067],
    ['an unknown tag', { filter: { is_to_all: false, tag_id: 999 } }, 45159],
    ['an empty text', { text: { content: '' } }, 44004],
  ])('refuses a mass send with %s', async (_name, overrides, errcode) => {
    const f = await createOaFixture(t().app, root, { followers: 1 });
    const body = { filter: { is_to_all: true }, msgtype: 'text', text: { content: 'hi' }, ...overrides };
    expect((await call(f, 'POST', 'cgi-bin/message/mass/sendall', body)).json).toMatchObject({ errcode });
  });

  it('dedupes mass sends by clientmsgid: 45066 within a minute, then 45065 with the earlier msg_id', async () => {
    const f = await createOaFixture(t().app, root, { followers: 2 });
    const body = { filter: { is_to_all: true }, msgtype: 'text', text: { content: 'hi' }, clientmsgid: 'send-1' };
    const first = (await call(f, 'POST', 'cgi-bin/message/mass/sendall', body)).json;
    await t().app.sandbox.officialAccount.idle();
    expect((await call(f, 'POST', 'cgi-bin/message/mass/sendall', body)).json).toMatchObject({ errcode: 45066 });
    t().clock.advance(61_000);
    expect((await call(f, 'POST', 'cgi-bin/message/mass/sendall', body)).json).toMatchObject({ errcode: 45065, msg_id: first.msg_id });
  });

  it('mass-sends to an OpenID list (service accounts only, at most 10,000)', async () => {
    const f = await createOaFixture(t().app, root, { followers: 2 });
    const openId = await firstOpenId(f);
    expect((await call(f, 'POST', 'cgi-bin/message/mass/send', { touser: Array.from({ length: 10_001 }, () => openId), msgtype: 'text', text: { content: 'x' } })).json).toMatchObject({ errcode: 40032 });
    expect((await call(f, 'POST', 'cgi-bin/message/mass/send', { touser: [openId], msgtype: 'text', text: { content: '名单群发' } })).json).toMatchObject({ errcode: 0 });
    await t().app.sandbox.officialAccount.idle();
    expect(await inbox(f, openId)).toMatchObject([{ source: 'mass', msgType: 'text', content: { text: { content: '名单群发' } } }]);
    const sub = await createOaFixture(t().app, root, { accountType: 'subscription', followers: 1 });
    expect((await call(sub, 'POST', 'cgi-bin/message/mass/send', { touser: [openId], msgtype: 'text', text: { content: 'x' } })).json).toMatchObject({ errcode: 48001 });
  });

  it('lets a subscription account mass-send once a day', async () => {
    const f = await createOaFixture(t().app, root, { accountType: 'subscription', followers: 1 });
    const body = { filter: { is_to_all: true }, msgtype: 'text', text: { content: 'hi' } };
    expect((await call(f, 'POST', 'cgi-bin/message/mass/sendall', body)).json).toMatchObject({ errcode: 0 });
    await t().app.sandbox.officialAccount.idle();
    expect((await call(f, 'POST', 'cgi-bin/message/mass/sendall', body)).json).toMatchObject({ errcode: 45009 });
  });

  it('uploads temporary media (multipart `media`) and downloads it for 3 days', async () => {
    const f = await createOaFixture(t().app, root);
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
    const url = (type: string) => `/sandbox/official-account/cgi-bin/media/upload?access_token=${f.accessToken}&type=${type}`;
    const uploaded = (await t().app.inject({ method: 'POST', url: url('image'), ...multipart('media', 'logo.png', png) })).json() as { type: string; media_id: string; created_at: number };
    expect(uploaded).toMatchObject({ type: 'image', media_id: expect.any(String), created_at: expect.any(Number) });
    const downloaded = await t().app.inject({ method: 'GET', url: `/sandbox/official-account/cgi-bin/media/get?access_token=${f.accessToken}&media_id=${uploaded.media_id}` });
    expect(downloaded.rawPayload.equals(png)).toBe(true);
    expect((await t().app.inject({ method: 'POST', url: url('sticker'), ...multipart('media', 'a.png', png) })).json()).toMatchObject({ errcode: 40004 });
    expect((await t().app.inject({ method: 'POST', url: url('image'), ...multipart('media', 'a.exe', png) })).json()).toMatchObject({ errcode: 40005 });
    expect((await t().app.inject({ method: 'POST', url: url('thumb'), ...multipart('media', 'a.jpg', Buffer.alloc(64 * 1024 + 1)) })).json()).toMatchObject({ errcode: 40006 });
    expect((await t().app.inject({ method: 'POST', url: url('image'), payload: '{}' })).json()).toMatchObject({ errcode: 41005 });
    t().clock.advance(3 * 86_400_000);
    expect((await wx(t().app, await refreshToken(t().app, f), 'GET', 'cgi-bin/media/get', undefined, { media_id: uploaded.media_id })).json).toMatchObject({ errcode: 40007 });
  });

  it.each([
    ['a permanent scene_id over 100,000', { action_name: 'QR_LIMIT_SCENE', action_info: { scene: { scene_id: 100_001 } } }, 40053],
    ['a scene_str over 64 characters', { action_name: 'QR_LIMIT_STR_SCENE', action_info: { scene: { scene_str: 's'.repeat(65) } } }, 40053],
    ['a temporary code without scene_id', { action_name: 'QR_SCENE', action_info: { scene: {} } }, 40053],
    ['an unknown action', { action_name: 'QR_FOREVER', action_info: { scene: { scene_id: 1 } } }, 47001],
  ])('refuses a QR code with %s', async (_name, body, errcode) => {
    const f = await createOaFixture(t().app, root);
    expect((await call(f, 'POST', 'cgi-bin/qrcode/create', body)).json).toMatchObject({ errcode });
  });

  it('creates QR codes (temporary ones default to 60 s, at most 30 days) and shows them', async () => {
    const f = await createOaFixture(t().app, root);
    const temporary = (await call(f, 'POST', 'cgi-bin/qrcode/create', { action_name: 'QR_SCENE', action_info: { scene: { scene_id: 123 } } })).json;
    expect(temporary).toMatchObject({ ticket: expect.any(String), expire_seconds: 60, url: expect.stringMatching(/^http:\/\/weixin\.qq\.com\/q\//) });
    const month = (await call(f, 'POST', 'cgi-bin/qrcode/create', { expire_seconds: 9_999_999, action_name: 'QR_STR_SCENE', action_info: { scene: { scene_str: 'spring' } } })).json;
    expect(month.expire_seconds).toBe(2_592_000);
    const permanent = (await call(f, 'POST', 'cgi-bin/qrcode/create', { action_name: 'QR_LIMIT_STR_SCENE', action_info: { scene: { scene_str: 'shop-1' } } })).json;
    expect(permanent).not.toHaveProperty('expire_seconds');
    const image = await t().app.inject({ method: 'GET', url: `/sandbox/official-account/cgi-bin/showqrcode?ticket=${encodeURIComponent(String(permanent.ticket))}` });
    expect(image.headers['content-type']).toMatch(/^image\/svg\+xml/);
    t().clock.advance(61_000);
    const expired = await t().app.inject({ method: 'GET', url: `/sandbox/official-account/cgi-bin/showqrcode?ticket=${encodeURIComponent(String(temporary.ticket))}` });
    expect(expired.statusCode).toBe(404);
  });
});
