import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loginAs, setupRoot, type Caller } from '../../../../test/support/callers';
import { useTestApp } from '../../../../test/support/test-app';
import { callWeCom, connectSandboxCorp, connectPulledCorp, finishedJob, listenForCallbacks, uploadWelcomeImage, type ConnectedCorp } from '../../../../test/support/wecom-corp-kit';
import { buildWeChatXml, MessageCrypt, sealWeComPush } from '../../../wechat/core';
import type { ContactWay, ContactWayStats } from './contact-ways.schema';
import { wecomWelcomeSends } from './contact-ways.tables';

const t = useTestApp({ startQueue: true });
let base = '';
let root: Caller;

beforeAll(async () => {
  base = await listenForCallbacks(t().app);
});

beforeEach(async () => {
  root = await setupRoot(t().app);
});

type Body = Record<string, unknown> & { code?: string; details?: Record<string, unknown> };

async function api(method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, payload?: object, caller: Caller = root) {
  const response = await t().app.inject({ method, url, headers: caller.headers, ...(payload ? { payload } : {}) });
  const isJson = (response.headers['content-type'] ?? '').toString().includes('json');
  return { status: response.statusCode, body: (isJson ? response.json() : {}) as Body, raw: response.rawPayload, type: response.headers['content-type'] };
}

/** A small connected corp whose directory Qiao has pulled. */
function world(members = 3): Promise<ConnectedCorp> {
  return connectPulledCorp(t().app, base, root, { departments: 1, members });
}

async function corpTag(corp: ConnectedCorp, name: string): Promise<string> {
  const added = await callWeCom(corp, 'customer-contact', 'POST', 'cgi-bin/externalcontact/add_corp_tag', { group_name: '来源', tag: [{ name }] });
  return ((added.tag_group as { tag: { id: string }[] }).tag[0] as { id: string }).id;
}

async function newCustomer(corp: ConnectedCorp): Promise<{ externalUserId: string; name: string }> {
  const created = await api('POST', `/sandbox/control/wecom-corps/${corp.corpId}/customers`, { count: 1 });
  expect(created.status).toBe(201);
  return (created.body.customers as { externalUserId: string; name: string }[])[0]!;
}

async function addMember(corp: ConnectedCorp, externalUserId: string, userid: string, state?: string) {
  const added = await api('POST', `/sandbox/control/wecom-corps/${corp.corpId}/customers/${externalUserId}/add-member`, { userid, ...(state ? { state } : {}) });
  expect(added.status, JSON.stringify(added.body)).toBe(200);
  return added.body;
}

async function inbox(corp: ConnectedCorp, externalUserId: string) {
  return (await api('GET', `/sandbox/control/wecom-corps/${corp.corpId}/customers/${externalUserId}/inbox`)).body.items as { source: string; payload: Record<string, unknown> }[];
}

async function welcomeSends(corp: ConnectedCorp, externalUserId: string, locale = 'zh-CN') {
  const response = await t().app.inject({
    method: 'GET',
    url: `/api/v1/wecom/${corp.accountId}/welcome-messages/sends?externalUserId=${externalUserId}`,
    headers: { ...root.headers, 'accept-language': locale },
  });
  return (response.json() as { items: Record<string, unknown>[] }).items;
}

/** The welcome goes out after the callback answers: waits until its log entry is no longer `sending`. */
async function welcomeSettled(corp: ConnectedCorp, externalUserId: string, locale = 'zh-CN') {
  const until = Date.now() + 10_000;
  for (;;) {
    const sends = await welcomeSends(corp, externalUserId, locale);
    if ((sends.length > 0 && sends.every((s) => s.status !== 'sending')) || Date.now() > until) return sends;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

async function eventually<T>(read: () => Promise<T>, ok: (value: T) => boolean): Promise<T> {
  const until = Date.now() + 10_000;
  for (;;) {
    const value = await read();
    if (ok(value) || Date.now() > until) return value;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

type TimelineEntry = { kind: string; userid: string | null; detail: Record<string, unknown> };

/** The customer's timeline as its detail route serves it, once `ok` holds (or after 10 s). */
async function timelineOf(corp: ConnectedCorp, externalUserId: string, ok: (entries: TimelineEntry[]) => boolean = () => true): Promise<TimelineEntry[]> {
  return eventually(async () => {
    const response = await api('GET', `/api/v1/wecom/${corp.accountId}/customers/${externalUserId}`);
    return response.status === 200 ? (response.body.timeline as TimelineEntry[]) : [];
  }, ok);
}

const welcomes = (entries: TimelineEntry[]) => entries.filter((e) => e.kind === 'welcome_sent' || e.kind === 'welcome_failed');

/** Pushes an add event to Qiao's customer-contact callback URL, sealed as WeCom seals it. */
function pushToQiao(corp: ConnectedCorp, message: string) {
  const receiver = corp.receivers.find((r) => r.receiver === 'customer-contact')!;
  const sealed = sealWeComPush({ message, token: receiver.token, crypt: new MessageCrypt({ currentKey: receiver.encodingAesKey, receiverId: corp.corpId }), toUserName: corp.corpId });
  return t().app.inject({ method: 'POST', url: `/wechat/wecom/${corp.accountId}/customer-contact/callback?${new URLSearchParams(sealed.query)}`, payload: sealed.body, headers: { 'content-type': 'text/xml' } });
}

async function uploadImage(corp: ConnectedCorp): Promise<string> {
  const uploaded = await uploadWelcomeImage(t().app, root, corp.accountId);
  expect(uploaded.status, JSON.stringify(uploaded.body)).toBe(201);
  return uploaded.body.id;
}

describe('contact-me codes end to end', () => {
  it('welcomes a customer who adds through a code by name, tags them in WeCom and counts the add; replays send once', async () => {
    const corp = await world();
    const tagId = await corpTag(corp, '春季门店');
    const imageId = await uploadImage(corp);
    const created = await api('POST', `/api/v1/wecom/${corp.accountId}/contact-ways`, {
      name: '春季门店',
      type: 'multi',
      userids: ['user00001', 'user00002'],
      state: 'spring',
      tagIds: [tagId],
      welcomeMessage: { text: '{客户昵称}您好，欢迎光临！', attachments: [{ type: 'image', mediaFileId: imageId }, { type: 'link', title: '门店地址', url: 'https://example.com/shop' }] },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const code = created.body as unknown as ContactWay;
    expect(code).toMatchObject({ type: 'multi', scene: 'qr', state: 'spring', skipVerify: true, addsTotal: 0, addsLast7Days: [0, 0, 0, 0, 0, 0, 0] });
    const inWeCom = await callWeCom(corp, 'customer-contact', 'POST', 'cgi-bin/externalcontact/get_contact_way', { config_id: code.configId });
    expect(inWeCom).toMatchObject({ errcode: 0, contact_way: { type: 2, scene: 2, state: 'spring', remark: '春季门店', user: ['user00001', 'user00002'] } });

    const qr = await api('GET', `/api/v1/wecom/${corp.accountId}/contact-ways/${code.configId}/qr.png`);
    expect(qr.status).toBe(200);
    expect(qr.type).toBe('image/png');
    expect(qr.raw.subarray(0, 4)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47]));

    const customer = await newCustomer(corp);
    await addMember(corp, customer.externalUserId, 'user00002', 'spring');
    await welcomeSettled(corp, customer.externalUserId);
    const received = await inbox(corp, customer.externalUserId);
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({ source: 'welcome', payload: { text: { content: `${customer.name}您好，欢迎光临！` } } });
    expect(received[0]!.payload.attachments).toEqual([
      { msgtype: 'image', image: { media_id: expect.any(String) } },
      { msgtype: 'link', link: { title: '门店地址', url: 'https://example.com/shop' } },
    ]);
    // Tagging follows the welcome in the line's second lane.
    const contact = await eventually(
      () => callWeCom(corp, 'customer-contact', 'GET', 'cgi-bin/externalcontact/get', undefined, { external_userid: customer.externalUserId }),
      (answer) => ((answer.follow_user as { tags: unknown[] }[] | undefined)?.[0]?.tags.length ?? 0) > 0,
    );
    expect((contact.follow_user as { userid: string; tags: { tag_id: string }[] }[])[0]).toMatchObject({ userid: 'user00002', tags: [{ tag_id: tagId }] });
    expect(await welcomeSends(corp, customer.externalUserId)).toEqual([expect.objectContaining({ status: 'sent', reason: 'sent', configId: code.configId, codeName: '春季门店', userid: 'user00002', latencyMs: expect.any(Number) })]);
    // WeCom sends no callback for its own API's tagging: Qiao's customer record learns the tag from the code all the same.
    const qiaoCustomer = async () => (await api('GET', `/api/v1/wecom/${corp.accountId}/customers/${customer.externalUserId}`)).body as { followers?: { userid: string; tagIds: string[] }[] };
    const until = Date.now() + 10_000;
    let stored = await qiaoCustomer();
    for (;;) {
      if (stored.followers?.[0]?.tagIds.includes(tagId) || Date.now() > until) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
      stored = await qiaoCustomer();
    }
    expect(stored.followers).toEqual([expect.objectContaining({ userid: 'user00002', tagIds: [tagId] })]);

    // WeChat's retries (same push) and a re-delivery with another timestamp: the welcome code is used once.
    const feed = await api('GET', `/sandbox/control/deliveries?product=wecom&limit=50`);
    const push = (feed.body.items as { message: string }[]).find((d) => d.message.includes(customer.externalUserId) && d.message.includes('add_external_contact'))!;
    for (let i = 0; i < 3; i++) expect((await pushToQiao(corp, push.message)).statusCode).toBe(200);
    const shifted = push.message.replace(/<CreateTime>(?:<!\[CDATA\[)?(\d+)(?:\]\]>)?<\/CreateTime>/, (_, s: string) => `<CreateTime>${Number(s) + 1}</CreateTime>`);
    expect((await pushToQiao(corp, shifted)).statusCode).toBe(200);
    expect(await inbox(corp, customer.externalUserId)).toHaveLength(1);
    expect(await welcomeSends(corp, customer.externalUserId)).toHaveLength(1);
    // The customer's timeline tells of the welcome once, with the code and the member it came through.
    const told = welcomes(await timelineOf(corp, customer.externalUserId, (entries) => welcomes(entries).length > 0));
    expect(told).toEqual([
      expect.objectContaining({ kind: 'welcome_sent', userid: 'user00002', detail: { configId: code.configId, codeName: '春季门店', state: 'spring', message: 'code', result: 'sent' } }),
    ]);

    const listed = await api('GET', `/api/v1/wecom/${corp.accountId}/contact-ways`);
    expect(listed.body).toMatchObject({ total: 1, items: [{ configId: code.configId, addsTotal: 1 }] });
    expect((listed.body.items as ContactWay[])[0]!.addsLast7Days.at(-1)).toBe(1);
    const stats = (await api('GET', `/api/v1/wecom/${corp.accountId}/contact-ways/${code.configId}/stats`)).body as unknown as ContactWayStats;
    expect(stats.total).toBe(1);
    expect(stats.days).toHaveLength(30);
  });

  it('records every welcome that could not go, with its reason', async () => {
    const corp = await world();
    await api('POST', `/api/v1/wecom/${corp.accountId}/contact-ways`, { name: '展会', type: 'single', userids: ['user00001'], state: 'expo', welcomeMessage: { text: '欢迎！' } });

    // WeCom answers 41051 for a code that expired or was used: recorded with the errcode.
    await api('POST', '/sandbox/control/faults', { product: 'wecom', path: 'cgi-bin/externalcontact/send_welcome_msg', errcode: 41051, count: 1 });
    const first = await newCustomer(corp);
    await addMember(corp, first.externalUserId, 'user00001', 'expo');
    expect(await welcomeSettled(corp, first.externalUserId, 'en-US')).toEqual([
      expect.objectContaining({ status: 'failed', reason: 'expired', errcode: 41051, message: expect.stringContaining('41051') }),
    ]);
    expect(await inbox(corp, first.externalUserId)).toEqual([]);
    expect(welcomes(await timelineOf(corp, first.externalUserId, (entries) => welcomes(entries).length > 0))).toEqual([
      expect.objectContaining({ kind: 'welcome_failed', userid: 'user00001', detail: expect.objectContaining({ codeName: '展会', message: 'code', failReason: 'expired', errcode: 41051 }) }),
    ]);

    // An event that arrives after the 20-second window is not even tried.
    const late = await newCustomer(corp);
    const nowS = Math.floor(t().clock.now().getTime() / 1000);
    const message = buildWeChatXml({
      ToUserName: corp.corpId,
      FromUserName: 'sys',
      CreateTime: nowS - 30,
      MsgType: 'event',
      Event: 'change_external_contact',
      ChangeType: 'add_external_contact',
      UserID: 'user00001',
      ExternalUserID: late.externalUserId,
      State: 'expo',
      WelcomeCode: 'late-welcome-code-0001',
    });
    expect((await pushToQiao(corp, message)).statusCode).toBe(200);
    expect(await welcomeSettled(corp, late.externalUserId)).toEqual([expect.objectContaining({ status: 'failed', reason: 'expired', errcode: null })]);
    expect(welcomes(await timelineOf(corp, late.externalUserId, (entries) => welcomes(entries).length > 0))).toEqual([
      expect.objectContaining({ kind: 'welcome_failed', detail: expect.objectContaining({ state: 'expo', failReason: 'expired', errcode: null }) }),
    ]);

    // No code matched and no default message: skipped, said so.
    const stray = await newCustomer(corp);
    await addMember(corp, stray.externalUserId, 'user00002', 'unknown-channel');
    expect(await welcomeSettled(corp, stray.externalUserId)).toEqual([expect.objectContaining({ status: 'skipped', reason: 'no_message', configId: null })]);

    // With a default message, the same path is welcomed.
    const set = await api('PUT', `/api/v1/wecom/${corp.accountId}/welcome-messages/default`, { message: { text: 'Hi {customerName}!' } });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    const next = await newCustomer(corp);
    await addMember(corp, next.externalUserId, 'user00002');
    await welcomeSettled(corp, next.externalUserId);
    expect(await inbox(corp, next.externalUserId)).toEqual([expect.objectContaining({ payload: expect.objectContaining({ text: { content: `Hi ${next.name}!` } }) })]);
    expect(welcomes(await timelineOf(corp, next.externalUserId, (entries) => welcomes(entries).length > 0))).toEqual([
      expect.objectContaining({ kind: 'welcome_sent', userid: 'user00002', detail: expect.objectContaining({ configId: null, message: 'default', result: 'sent' }) }),
    ]);
    // Nothing was to be sent to the stray customer: nothing to tell on its timeline.
    expect(welcomes(await timelineOf(corp, stray.externalUserId, (entries) => entries.length > 0))).toEqual([]);
  });
});

describe('welcome messages interrupted mid-send', () => {
  it('marks a welcome left `sending` failed once its window has passed, and leaves a send in progress alone', async () => {
    const corp = await world(1);
    const known = await api('POST', `/sandbox/control/wecom-corps/${corp.corpId}/customers`, { count: 1, userid: 'user00001' });
    const crashed = (known.body.customers as { externalUserId: string }[])[0]!.externalUserId;
    await t().app.wecomCustomers.service.refreshFromWeCom(corp.accountId, crashed);
    const now = t().clock.now().getTime();
    const row = (welcomeCode: string, externalUserid: string, eventAgoMs: number) => ({
      accountId: corp.accountId,
      welcomeCode,
      externalUserid,
      userid: 'user00001',
      configId: null,
      state: null,
      status: 'sending' as const,
      reason: 'sent',
      errcode: null,
      errmsg: null,
      latencyMs: null,
      eventAt: new Date(now - eventAgoMs),
      createdAt: new Date(now - eventAgoMs),
    });
    // A process that died mid-send three minutes ago, and a send that started a second ago.
    await t().db.handle.db.insert(wecomWelcomeSends).values([row('crashed-code', crashed, 3 * 60_000), row('live-code', 'wmLive', 1_000)]);

    expect(await t().app.wecomContactWays.sweepInterrupted()).toBe(1);
    expect(await welcomeSends(corp, crashed, 'en-US')).toEqual([
      expect.objectContaining({ status: 'failed', reason: 'interrupted', message: expect.stringContaining('20-second window has passed') }),
    ]);
    expect(welcomes(await timelineOf(corp, crashed))).toEqual([expect.objectContaining({ kind: 'welcome_failed', userid: 'user00001', detail: expect.objectContaining({ failReason: 'interrupted' }) })]);
    expect(await welcomeSends(corp, 'wmLive')).toEqual([expect.objectContaining({ status: 'sending' })]);
    expect(await t().app.wecomContactWays.sweepInterrupted()).toBe(0);
  });
});

describe('contact-me codes: refusals', () => {
  it('refuses invalid codes before WeCom, naming the limit, and keeps nothing', async () => {
    const corp = await world(3);
    const url = `/api/v1/wecom/${corp.accountId}/contact-ways`;
    const body = { name: '渠道', type: 'multi', userids: ['user00001'] };
    const many = Array.from({ length: 101 }, (_, i) => `user${String(i + 1).padStart(5, '0')}`);
    expect(await api('POST', url, { ...body, userids: many })).toMatchObject({ status: 400, body: { code: 'CONTACT_WAY_TOO_MANY_MEMBERS', details: { max: 100, actual: 101 } } });
    expect(await api('POST', url, { ...body, type: 'single', userids: ['user00001', 'user00002'] })).toMatchObject({ status: 400, body: { code: 'CONTACT_WAY_SINGLE_NEEDS_ONE_MEMBER' } });
    expect(await api('POST', url, { ...body, state: 's'.repeat(31) })).toMatchObject({ status: 400, body: { code: 'CONTACT_WAY_STATE_TOO_LONG', details: { max: 30 } } });
    expect(await api('POST', url, { ...body, userids: ['nobody'] })).toMatchObject({ status: 400, body: { code: 'CONTACT_WAY_MEMBER_UNKNOWN', details: { userid: 'nobody' } } });
    expect(await api('POST', url, { ...body, tagIds: ['etNoSuchTag'] })).toMatchObject({ status: 400, body: { code: 'CONTACT_WAY_TAG_UNKNOWN' } });
    expect(await api('POST', url, { ...body, welcomeMessage: { text: '好'.repeat(1400) } })).toMatchObject({ status: 400, body: { code: 'WELCOME_MESSAGE_TOO_LONG', details: { max: 4000 } } });
    expect(await api('POST', url, { ...body, type: 'multi', isTemp: true })).toMatchObject({ status: 400, body: { code: 'CONTACT_WAY_TEMP_SINGLE_ONLY' } });

    // Never activated in WeCom: refused by Qiao's directory.
    const local = await api('POST', `/api/v1/wecom/${corp.accountId}/members`, { userid: 'localonly', name: '本地成员', mobile: '13900000009', departments: [{ departmentId: 1 }] });
    expect(local.status, JSON.stringify(local.body)).toBe(201);
    expect(await api('POST', url, { ...body, userids: ['localonly'] })).toMatchObject({ status: 400, body: { code: 'CONTACT_WAY_MEMBER_INACTIVE', details: { userid: 'localonly' } } });

    // Gone from WeCom while Qiao did not hear of it yet: outside the customer-contact range.
    await api('PATCH', `/sandbox/control/wecom-corps/${corp.corpId}/receivers/contacts`, { callbackUrl: null });
    expect(await callWeCom(corp, 'contacts', 'GET', 'cgi-bin/user/delete', undefined, { userid: 'user00003' })).toMatchObject({ errcode: 0 });
    expect(await api('POST', url, { ...body, userids: ['user00003'] })).toMatchObject({ status: 400, body: { code: 'CONTACT_WAY_MEMBER_OUT_OF_RANGE', details: { userid: 'user00003' } } });

    // WeCom's own refusal at call time: errcode in plain words, nothing kept.
    await api('POST', '/sandbox/control/faults', { product: 'wecom', path: 'cgi-bin/externalcontact/add_contact_way', errcode: 84074, count: 1 });
    const refused = await api('POST', url, { ...body, state: 'refused' });
    expect(refused).toMatchObject({ status: 502, body: { code: 'CONTACT_WAY_WECHAT_REFUSED', details: { errcode: 84074, errmsg: expect.any(String) } } });
    expect(refused.body.message).toContain('84074');
    expect((await api('GET', url)).body).toMatchObject({ total: 0, items: [] });

    const ok = await api('POST', url, { ...body, state: 'taken' });
    expect(ok.status).toBe(201);
    expect(await api('POST', url, { ...body, state: 'taken' })).toMatchObject({ status: 409, body: { code: 'CONTACT_WAY_STATE_TAKEN' } });
  });

  it('edits and deletes on WeCom and Qiao together, and leaves both unchanged when WeCom refuses', async () => {
    const corp = await world(3);
    const url = `/api/v1/wecom/${corp.accountId}/contact-ways`;
    const created = (await api('POST', url, { name: '临时码', type: 'single', userids: ['user00001'], isTemp: true, expiresInS: 3600 })).body as unknown as ContactWay;
    expect(created).toMatchObject({ isTemp: true, expiresInS: 3600, chatExpiresInS: 86_400, expiresAt: expect.any(String), state: expect.stringMatching(/^qiao_/) });

    const edited = await api('PATCH', `${url}/${created.configId}`, { name: '临时码2', userids: ['user00002'], skipVerify: false });
    expect(edited.status, JSON.stringify(edited.body)).toBe(200);
    const inWeCom = await callWeCom(corp, 'customer-contact', 'POST', 'cgi-bin/externalcontact/get_contact_way', { config_id: created.configId });
    expect(inWeCom).toMatchObject({ contact_way: { remark: '临时码2', user: ['user00002'], skip_verify: false } });

    await api('POST', '/sandbox/control/faults', { product: 'wecom', path: 'cgi-bin/externalcontact/update_contact_way', errcode: -1, count: 10 });
    const refused = await api('PATCH', `${url}/${created.configId}`, { name: '不会生效' });
    expect(refused.status).toBeGreaterThanOrEqual(500);
    await api('DELETE', '/sandbox/control/faults');
    expect((await api('GET', `${url}/${created.configId}`)).body).toMatchObject({ name: '临时码2' });

    expect((await api('DELETE', `${url}/${created.configId}`)).status).toBe(204);
    expect(await callWeCom(corp, 'customer-contact', 'POST', 'cgi-bin/externalcontact/get_contact_way', { config_id: created.configId })).toMatchObject({ errcode: expect.any(Number) });
    expect((await api('GET', `${url}/${created.configId}`)).status).toBe(404);
  });
  it('lets a member-role user see and create codes only for its own WeCom member, and not set the default welcome message', async () => {
    const corp = await world(3);
    const url = `/api/v1/wecom/${corp.accountId}/contact-ways`;
    expect((await api('POST', url, { name: '他人的码', type: 'single', userids: ['user00002'], state: 'other' })).status).toBe(201);
    const created = await api('POST', '/api/v1/users', {
      username: 'sales1',
      password: 'sales1-password',
      displayName: '销售一',
      role: 'member',
      departmentScopes: [],
      wecomMembers: [{ accountId: corp.accountId, userid: 'user00001' }],
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const sales = await loginAs(t().app, 'sales1', 'sales1-password');
    expect((await api('GET', url, undefined, sales)).body).toMatchObject({ total: 0, items: [] });
    expect(await api('POST', url, { name: '我的码', type: 'single', userids: ['user00002'] }, sales)).toMatchObject({ status: 403, body: { code: 'CONTACT_WAY_MEMBER_NOT_OWN' } });
    expect((await api('POST', url, { name: '我的码', type: 'single', userids: ['user00001'], state: 'mine' }, sales)).status).toBe(201);
    expect((await api('GET', url, undefined, sales)).body).toMatchObject({ total: 1, items: [{ name: '我的码' }] });

    const welcome = `/api/v1/wecom/${corp.accountId}/welcome-messages/default`;
    const before = (await api('GET', welcome)).body;
    expect(await api('PUT', welcome, { message: { text: '我的欢迎语' } }, sales)).toMatchObject({ status: 403, body: { code: 'FORBIDDEN', details: { permission: 'wecom.customers.manage' } } });
    expect((await api('GET', welcome)).body).toEqual(before);
  });
  it('shows a department admin only the codes with a member in its departments', async () => {
    // Two departments: 2 (user00001, user00003) and its child 3 (user00002).
    const corp = await connectSandboxCorp(t().app, base, root, { departments: 2, members: 3 });
    const started = await api('POST', `/api/v1/wecom/${corp.accountId}/departments/sync`);
    expect(await finishedJob(t().app, root, (started.body.job as { id: string }).id)).toMatchObject({ state: 'succeeded' });
    const url = `/api/v1/wecom/${corp.accountId}/contact-ways`;
    const outside = (await api('POST', url, { name: '二部', type: 'single', userids: ['user00001'], state: 'dept2' })).body as unknown as ContactWay;
    expect((await api('POST', url, { name: '三部', type: 'single', userids: ['user00002'], state: 'dept3' })).status).toBe(201);
    const created = await api('POST', '/api/v1/users', {
      username: 'admin3',
      password: 'admin3-password',
      displayName: '三部管理员',
      role: 'dept_admin',
      departmentScopes: [{ accountId: corp.accountId, departmentId: 3 }],
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const admin = await loginAs(t().app, 'admin3', 'admin3-password');
    const listed = await api('GET', url, undefined, admin);
    expect((listed.body.items as ContactWay[]).map((w) => w.name)).toEqual(['三部']);
    expect((await api('GET', `${url}/${outside.configId}`, undefined, admin)).status).toBe(404);
    expect((await api('DELETE', `${url}/${outside.configId}`, undefined, admin)).status).toBe(404);
    expect((await api('POST', url, { name: '越权', type: 'single', userids: ['user00001'], state: 'x' }, admin)).status).toBe(403);
    const welcome = await api('PUT', `/api/v1/wecom/${corp.accountId}/welcome-messages/default`, { message: { text: '欢迎{customerName}' } }, admin);
    expect(welcome.status, JSON.stringify(welcome.body)).toBe(200);
    expect((await api('GET', `/api/v1/wecom/${corp.accountId}/welcome-messages/default`)).body).toMatchObject({ message: { text: '欢迎{customerName}' } });
  });
});
