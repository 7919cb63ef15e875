import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWeChatXml, stringField } from '../../wechat/core';
import { callbackReceiver, controlHeaders, createCorpFixture, qy, useWeComHarness, type CorpFixture } from '../../../test/support/wecom-sandbox-kit';

describe('WeCom sandbox: customers, welcome codes, tags and messages', () => {
  const h = useWeComHarness();
  const server = callbackReceiver();
  let url = '';

  beforeAll(async () => {
    url = await server.start();
  });
  afterAll(async () => {
    await server.stop();
  });

  async function control(method: 'GET' | 'POST' | 'PATCH', path: string, payload?: unknown) {
    const response = await h().app.inject({ method, url: `/sandbox/control/wecom-corps${path}`, headers: controlHeaders, ...(payload === undefined ? {} : { payload: payload as object }) });
    return { status: response.statusCode, json: response.json() as Record<string, unknown> };
  }

  async function connect(corp: CorpFixture, receiver: string) {
    const keys = corp.receivers.find((r) => r.receiver === receiver);
    if (!keys) throw new Error(`no receiver ${receiver}`);
    const patched = await control('PATCH', `/${corp.corpId}/receivers/${receiver}`, { callbackUrl: url });
    expect(patched.status).toBe(200);
    return { token: keys.token, encodingAesKey: keys.encodingAesKey, corpId: corp.corpId };
  }

  async function customerAddsMember(corp: CorpFixture, state = 'spring') {
    const created = await control('POST', `/${corp.corpId}/customers`, { count: 1 });
    expect(created.status).toBe(201);
    const externalUserId = (created.json.customers as { externalUserId: string }[])[0]?.externalUserId as string;
    const added = await control('POST', `/${corp.corpId}/customers/${externalUserId}/add-member`, { userid: 'user00002', state });
    expect(added.status).toBe(200);
    return { externalUserId, added: added.json };
  }

  it('pushes add_external_contact with a WelcomeCode to the customer-contact receiver', async () => {
    const corp = await createCorpFixture(h(), { departments: 2, members: 3 });
    server.use(await connect(corp, 'customer-contact'));
    const { externalUserId, added } = await customerAddsMember(corp);
    expect(added).toMatchObject({ delivery: { attempts: 1, status: 'no_reply' }, received: [] });
    const [event] = server.received;
    expect(event).toMatchObject({
      ToUserName: corp.corpId,
      MsgType: 'event',
      Event: 'change_external_contact',
      ChangeType: 'add_external_contact',
      UserID: 'user00002',
      ExternalUserID: externalUserId,
      State: 'spring',
      WelcomeCode: added.welcomeCode,
    });
    const customer = await qy(h(), corp.tokens['customer-contact'] as string, 'GET', 'cgi-bin/externalcontact/get', undefined, { external_userid: externalUserId });
    expect(customer).toMatchObject({ external_contact: { external_userid: externalUserId, type: 1 }, follow_user: [{ userid: 'user00002', state: 'spring', add_way: 1 }] });
    const again = await control('POST', `/${corp.corpId}/customers/${externalUserId}/add-member`, { userid: 'user00002' });
    expect(again).toMatchObject({ status: 409, json: { code: 'SANDBOX_WECOM_ALREADY_FOLLOWING' } });
  });

  it('sends a welcome message once within 20 s; a second send or a late one answers 41051', async () => {
    const corp = await createCorpFixture(h(), { departments: 2, members: 3 });
    server.use(await connect(corp, 'customer-contact'));
    const token = corp.tokens['customer-contact'] as string;
    const first = await customerAddsMember(corp);
    h().clock.advance(19_000);
    const welcome = { welcome_code: first.added.welcomeCode, text: { content: '欢迎！' }, attachments: [{ msgtype: 'link', link: { title: '官网', url: 'https://example.com' } }] };
    expect(await qy(h(), token, 'POST', 'cgi-bin/externalcontact/send_welcome_msg', welcome)).toMatchObject({ errcode: 0 });
    expect(await qy(h(), token, 'POST', 'cgi-bin/externalcontact/send_welcome_msg', welcome)).toMatchObject({ errcode: 41051 });
    const inbox = await control('GET', `/${corp.corpId}/customers/${first.externalUserId}/inbox`);
    expect(inbox.json.items).toEqual([expect.objectContaining({ source: 'welcome', sender: 'user00002', payload: expect.objectContaining({ text: { content: '欢迎！' } }) })]);

    const late = await customerAddsMember(corp);
    h().clock.advance(20_001);
    expect(await qy(h(), token, 'POST', 'cgi-bin/externalcontact/send_welcome_msg', { welcome_code: late.added.welcomeCode, text: { content: 'hi' } })).toMatchObject({ errcode: 41051 });
    expect(await qy(h(), token, 'POST', 'cgi-bin/externalcontact/send_welcome_msg', { welcome_code: 'unknown', text: { content: 'hi' } })).toMatchObject({ errcode: 41051 });
    expect(await qy(h(), token, 'POST', 'cgi-bin/externalcontact/send_welcome_msg', { welcome_code: late.added.welcomeCode })).toMatchObject({ errcode: 44004 });
  });

  it('lists customers per member and in batches, and refuses the contacts secret (48002)', async () => {
    const corp = await createCorpFixture(h(), { departments: 1, members: 2, customers: 5 });
    const token = corp.tokens['customer-contact'] as string;
    expect(await qy(h(), corp.tokens.contacts as string, 'GET', 'cgi-bin/externalcontact/list', undefined, { userid: 'user00001' })).toMatchObject({ errcode: 48002 });
    const mine = await qy(h(), token, 'GET', 'cgi-bin/externalcontact/list', undefined, { userid: 'user00001' });
    expect(mine.external_userid).toHaveLength(3);
    const page = await qy(h(), token, 'POST', 'cgi-bin/externalcontact/batch/get_by_user', { userid_list: ['user00001', 'user00002'], limit: 4 });
    expect(page.external_contact_list).toHaveLength(4);
    const rest = await qy(h(), token, 'POST', 'cgi-bin/externalcontact/batch/get_by_user', { userid_list: ['user00001', 'user00002'], limit: 4, cursor: page.next_cursor });
    expect(rest).toMatchObject({ next_cursor: '' });
    expect(rest.external_contact_list).toHaveLength(1);
    expect(await qy(h(), token, 'POST', 'cgi-bin/externalcontact/batch/get_by_user', { userid_list: ['user00001'], limit: 101 })).toMatchObject({ errcode: 40058 });
    expect(await qy(h(), token, 'GET', 'cgi-bin/externalcontact/get', undefined, { external_userid: 'wmnobody' })).toMatchObject({ errcode: 40096 });
    expect(await qy(h(), token, 'GET', 'cgi-bin/externalcontact/get_follow_user_list')).toMatchObject({ follow_user: ['user00001', 'user00002'] });
  });

  it('manages contact ways', async () => {
    const corp = await createCorpFixture(h(), { members: 2 });
    const token = corp.tokens['customer-contact'] as string;
    expect(await qy(h(), token, 'POST', 'cgi-bin/externalcontact/add_contact_way', { type: 1, scene: 2, user: ['user00001', 'user00002'] })).toMatchObject({ errcode: 40058 });
    expect(await qy(h(), token, 'POST', 'cgi-bin/externalcontact/add_contact_way', { type: 1, scene: 2, user: ['nobody'] })).toMatchObject({ errcode: 60111 });
    const added = await qy(h(), token, 'POST', 'cgi-bin/externalcontact/add_contact_way', { type: 1, scene: 2, user: ['user00001'], state: 'qr1', remark: '门店' });
    expect(added).toMatchObject({ errcode: 0, config_id: expect.any(String), qr_code: expect.stringMatching(/^https?:/) });
    expect(await qy(h(), token, 'POST', 'cgi-bin/externalcontact/update_contact_way', { config_id: added.config_id, state: 's'.repeat(31) })).toMatchObject({ errcode: 40058 });
    expect(await qy(h(), token, 'POST', 'cgi-bin/externalcontact/update_contact_way', { config_id: added.config_id, state: 'qr2' })).toMatchObject({ errcode: 0 });
    expect(await qy(h(), token, 'POST', 'cgi-bin/externalcontact/get_contact_way', { config_id: added.config_id })).toMatchObject({
      contact_way: { config_id: added.config_id, type: 1, scene: 2, state: 'qr2', user: ['user00001'], remark: '门店', skip_verify: true },
    });
    expect(await qy(h(), token, 'POST', 'cgi-bin/externalcontact/del_contact_way', { config_id: added.config_id })).toMatchObject({ errcode: 0 });
    expect(await qy(h(), token, 'POST', 'cgi-bin/externalcontact/get_contact_way', { config_id: added.config_id })).toMatchObject({ errcode: 40058 });
  });

  it('adds, edits, marks and deletes corp tags; a group without tags goes', async () => {
    const corp = await createCorpFixture(h(), { members: 1, customers: 1 });
    const token = corp.tokens['customer-contact'] as string;
    const customer = ((await qy(h(), token, 'GET', 'cgi-bin/externalcontact/list', undefined, { userid: 'user00001' })).external_userid as string[])[0] as string;
    expect(await qy(h(), token, 'POST', 'cgi-bin/externalcontact/add_corp_tag', { group_name: '等级', tag: [] })).toMatchObject({ errcode: 40058 });
    expect(await qy(h(), token, 'POST', 'cgi-bin/externalcontact/add_corp_tag', { group_name: '等级', tag: [{ name: '标'.repeat(31) }] })).toMatchObject({ errcode: 40072 });
    const added = await qy(h(), token, 'POST', 'cgi-bin/externalcontact/add_corp_tag', { group_name: '等级', tag: [{ name: '金牌', order: 2 }, { name: '银牌', order: 1 }] });
    const group = added.tag_group as { group_id: string; tag: { id: string; name: string }[] };
    const [gold, silver] = group.tag as unknown as [{ id: string }, { id: string }];
    const merged = await qy(h(), token, 'POST', 'cgi-bin/externalcontact/add_corp_tag', { group_name: '等级', tag: [{ name: '金牌' }] });
    expect((merged.tag_group as typeof group).tag[0]?.id).toBe(gold.id);
    expect(await qy(h(), token, 'POST', 'cgi-bin/externalcontact/edit_corp_tag', { id: silver.id, name: '金牌' })).toMatchObject({ errcode: 40071 });
    expect(await qy(h(), token, 'POST', 'cgi-bin/externalcontact/edit_corp_tag', { id: 'etnope', name: 'x' })).toMatchObject({ errcode: 40068 });
    expect(await qy(h(), token, 'POST', 'cgi-bin/externalcontact/mark_tag', { userid: 'user00001', external_userid: customer, add_tag: [gold.id] })).toMatchObject({ errcode: 0 });
    expect(await qy(h(), token, 'GET', 'cgi-bin/externalcontact/get', undefined, { external_userid: customer })).toMatchObject({
      follow_user: [{ tags: [{ group_name: '等级', tag_name: '金牌', tag_id: gold.id, type: 1 }] }],
    });
    const filtered = await qy(h(), token, 'POST', 'cgi-bin/externalcontact/get_corp_tag_list', { tag_id: [silver.id] });
    expect(filtered.tag_group).toEqual([expect.objectContaining({ group_id: group.group_id, tag: [expect.objectContaining({ id: silver.id })] })]);
    expect(await qy(h(), token, 'POST', 'cgi-bin/externalcontact/del_corp_tag', { tag_id: [gold.id, silver.id] })).toMatchObject({ errcode: 0 });
    expect(await qy(h(), token, 'POST', 'cgi-bin/externalcontact/get_corp_tag_list', {})).toMatchObject({ tag_group: [] });
    expect(await qy(h(), token, 'GET', 'cgi-bin/externalcontact/get', undefined, { external_userid: customer })).toMatchObject({ follow_user: [{ tags: [] }] });
  });

  it('delivers app messages to members’ inboxes and reports invalid recipients', async () => {
    const corp = await createCorpFixture(h(), { departments: 2, members: 4 });
    const app = corp.tokens['1000002'] as string;
    const sent = await qy(h(), app, 'POST', 'cgi-bin/message/send', { touser: 'USER00001|ghost', toparty: '2|999', totag: '7', msgtype: 'text', agentid: 1000002, text: { content: '开会' } });
    expect(sent).toMatchObject({ errcode: 0, invaliduser: 'ghost', invalidparty: '999', invalidtag: '7', msgid: expect.stringMatching(/^\d+$/) });
    const inbox = await control('GET', `/${corp.corpId}/members/user00001/inbox`);
    expect(inbox.json.items).toEqual([expect.objectContaining({ source: 'app_message', sender: '1000002', msgtype: 'text', payload: { content: '开会' } })]);
    expect(await qy(h(), app, 'POST', 'cgi-bin/message/send', { touser: 'ghost', msgtype: 'text', agentid: 1000002, text: { content: 'x' } })).toMatchObject({ errcode: 81013 });
    expect(await qy(h(), app, 'POST', 'cgi-bin/message/send', { touser: '@all', msgtype: 'text', agentid: 1000003, text: { content: 'x' } })).toMatchObject({ errcode: 40056 });
    expect(await qy(h(), app, 'POST', 'cgi-bin/message/send', { touser: '@all', msgtype: 'sticker', agentid: 1000002 })).toMatchObject({ errcode: 40008 });
    expect(await qy(h(), corp.tokens.contacts as string, 'POST', 'cgi-bin/message/send', { touser: '@all', msgtype: 'text', agentid: 1000002, text: { content: 'x' } })).toMatchObject({ errcode: 48002 });
  });

  it('pushes a member’s text to the app and puts the passive reply in the member’s inbox', async () => {
    const corp = await createCorpFixture(h(), { members: 2 });
    const keys = await connect(corp, '1000002');
    server.use(keys, (message) =>
      buildWeChatXml({ ToUserName: stringField(message, 'FromUserName'), FromUserName: keys.corpId, CreateTime: 1, MsgType: 'text', Content: `收到：${stringField(message, 'Content')}` }),
    );
    const sent = await control('POST', `/${corp.corpId}/members/user00002/messages`, { content: '请假' });
    expect(sent.json).toMatchObject({ delivery: { status: 'replied', attempts: 1 }, received: [expect.objectContaining({ msgtype: 'text' })] });
    expect(server.received[0]).toMatchObject({ FromUserName: 'user00002', MsgType: 'text', Content: '请假', AgentID: '1000002' });
    const inbox = await control('GET', `/${corp.corpId}/members/user00002/inbox`);
    expect(inbox.json.items).toEqual([expect.objectContaining({ source: 'passive_reply', payload: expect.objectContaining({ Content: '收到：请假' }) })]);
  });
});
