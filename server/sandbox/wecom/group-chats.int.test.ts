import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callbackReceiver, controlHeaders, createCorpFixture, qy, useWeComHarness, type CorpFixture } from '../../../test/support/wecom-sandbox-kit';

describe('WeCom sandbox: customer groups, join codes and tag events', () => {
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

  async function listen(corp: CorpFixture) {
    const keys = corp.receivers.find((r) => r.receiver === 'customer-contact')!;
    expect((await control('PATCH', `/${corp.corpId}/receivers/customer-contact`, { callbackUrl: url })).status).toBe(200);
    server.use({ token: keys.token, encodingAesKey: keys.encodingAesKey, corpId: corp.corpId });
  }

  it('opens a group, lists and reads it, and pushes create and add_member events', async () => {
    const corp = await createCorpFixture(h(), { departments: 2, members: 3 });
    await listen(corp);
    const token = corp.tokens['customer-contact'] as string;
    const created = await control('POST', `/${corp.corpId}/group-chats`, { owner: 'user00002', customers: 2 });
    expect(created.status).toBe(201);
    const chatId = created.json.chatId as string;
    expect(server.received[0]).toMatchObject({ Event: 'change_external_chat', ChangeType: 'create', ChatId: chatId });

    const list = await qy(h(), token, 'POST', 'cgi-bin/externalcontact/groupchat/list', { limit: 10 });
    expect(list).toMatchObject({ errcode: 0, group_chat_list: [{ chat_id: chatId, status: 0 }] });
    expect(list).not.toHaveProperty('next_cursor');
    const got = await qy(h(), token, 'POST', 'cgi-bin/externalcontact/groupchat/get', { chat_id: chatId, need_name: 1 });
    expect(got.group_chat).toMatchObject({ chat_id: chatId, owner: 'user00002', member_version: '1' });
    const members = (got.group_chat as { member_list: { type: number; join_scene: number; name?: string }[] }).member_list;
    expect(members.map((m) => m.type)).toEqual([1, 2, 2]);
    expect(members.every((m) => m.join_scene === 1 && m.name)).toBe(true);

    const joined = await control('POST', `/${corp.corpId}/group-chats/${chatId}/join`, { joinScene: 3, state: 'poster' });
    expect(joined.status).toBe(200);
    expect(server.received[1]).toMatchObject({ ChangeType: 'update', UpdateDetail: 'add_member', JoinScene: '3', MemChangeCnt: '1', LastMemVer: '1', CurMemVer: '2' });
    const after = await qy(h(), token, 'POST', 'cgi-bin/externalcontact/groupchat/get', { chat_id: chatId });
    const newcomer = (after.group_chat as { member_list: { userid: string; join_scene: number; state?: string; name?: string }[] }).member_list.find((m) => m.userid === joined.json.externalUserId);
    expect(newcomer).toMatchObject({ join_scene: 3, state: 'poster' });
    expect(newcomer).not.toHaveProperty('name');
    expect((await control('POST', `/${corp.corpId}/group-chats/${chatId}/join`, { externalUserId: joined.json.externalUserId })).status).toBe(409);
    expect((await control('POST', `/${corp.corpId}/group-chats/${chatId}/dismiss`)).status).toBe(200);
    expect(server.received[2]).toMatchObject({ ChangeType: 'dismiss', ChatId: chatId });
    expect(await qy(h(), token, 'POST', 'cgi-bin/externalcontact/groupchat/get', { chat_id: chatId })).toMatchObject({ errcode: 40058 });
  });

  it('pages with a cursor, filters by owner and status, and answers WeCom’s errcodes', async () => {
    const corp = await createCorpFixture(h(), { departments: 2, members: 3 });
    const token = corp.tokens['customer-contact'] as string;
    for (const owner of ['user00001', 'user00001', 'user00002']) expect((await control('POST', `/${corp.corpId}/group-chats`, { owner, customers: 1 })).status).toBe(201);
    const first = await qy(h(), token, 'POST', 'cgi-bin/externalcontact/groupchat/list', { limit: 2 });
    expect(first.group_chat_list).toHaveLength(2);
    const second = await qy(h(), token, 'POST', 'cgi-bin/externalcontact/groupchat/list', { limit: 2, cursor: first.next_cursor });
    expect(second.group_chat_list).toHaveLength(1);
    const mine = await qy(h(), token, 'POST', 'cgi-bin/externalcontact/groupchat/list', { limit: 10, owner_filter: { userid_list: ['USER00001'] } });
    expect(mine.group_chat_list).toHaveLength(2);
    expect((await qy(h(), token, 'POST', 'cgi-bin/externalcontact/groupchat/list', { limit: 10, status_filter: 1 })).group_chat_list).toEqual([]);
    expect(await qy(h(), token, 'POST', 'cgi-bin/externalcontact/groupchat/list', { limit: 1001 })).toMatchObject({ errcode: 40058 });
    expect(await qy(h(), token, 'POST', 'cgi-bin/externalcontact/groupchat/get', { chat_id: 'wrnope' })).toMatchObject({ errcode: 40058 });
    expect(await qy(h(), corp.tokens.contacts as string, 'POST', 'cgi-bin/externalcontact/groupchat/list', { limit: 10 })).toMatchObject({ errcode: 48002 });
  });

  it('keeps join codes for up to 5 groups with a QR code', async () => {
    const corp = await createCorpFixture(h(), { departments: 1, members: 2 });
    const token = corp.tokens['customer-contact'] as string;
    const chatId = (await control('POST', `/${corp.corpId}/group-chats`, { owner: 'user00001', customers: 0 })).json.chatId as string;
    const added = await qy(h(), token, 'POST', 'cgi-bin/externalcontact/groupchat/add_join_way', { scene: 2, remark: '门店海报', chat_id_list: [chatId], state: 'store1', room_base_name: '门店群', room_base_id: 2 });
    expect(added.errcode).toBe(0);
    const got = await qy(h(), token, 'POST', 'cgi-bin/externalcontact/groupchat/get_join_way', { config_id: added.config_id });
    expect(got.join_way).toMatchObject({ scene: 2, remark: '门店海报', auto_create_room: 1, room_base_name: '门店群', room_base_id: 2, chat_id_list: [chatId], state: 'store1' });
    expect((got.join_way as { qr_code: string }).qr_code).toMatch(/^https:\/\//);
    const update = { config_id: added.config_id, scene: 1, chat_id_list: [chatId], auto_create_room: 0 };
    expect(await qy(h(), token, 'POST', 'cgi-bin/externalcontact/groupchat/update_join_way', update)).toMatchObject({ errcode: 0 });
    expect((await qy(h(), token, 'POST', 'cgi-bin/externalcontact/groupchat/get_join_way', { config_id: added.config_id })).join_way).not.toHaveProperty('qr_code');
    const six = Array.from({ length: 6 }, () => chatId);
    expect(await qy(h(), token, 'POST', 'cgi-bin/externalcontact/groupchat/add_join_way', { scene: 2, chat_id_list: six })).toMatchObject({ errcode: 40058 });
    expect(await qy(h(), token, 'POST', 'cgi-bin/externalcontact/groupchat/add_join_way', { scene: 2, chat_id_list: ['wrnope'] })).toMatchObject({ errcode: 40058 });
    expect(await qy(h(), token, 'POST', 'cgi-bin/externalcontact/groupchat/add_join_way', { scene: 2, chat_id_list: [chatId], remark: '长'.repeat(31) })).toMatchObject({ errcode: 40058 });
    expect(await qy(h(), token, 'POST', 'cgi-bin/externalcontact/groupchat/del_join_way', { config_id: added.config_id })).toMatchObject({ errcode: 0 });
    expect(await qy(h(), token, 'POST', 'cgi-bin/externalcontact/groupchat/get_join_way', { config_id: added.config_id })).toMatchObject({ errcode: 40058 });
  });

  it('pushes change_external_tag for tag changes made in the admin console, and none for the API’s', async () => {
    const corp = await createCorpFixture(h(), { departments: 1, members: 2 });
    await listen(corp);
    const token = corp.tokens['customer-contact'] as string;
    const admin = async (action: string, body: object) =>
      (await h().app.inject({ method: 'POST', url: `/sandbox/control/wecom-corps/${corp.corpId}/corp-tags`, headers: controlHeaders, payload: { action, body } })).json() as Record<string, unknown>;
    const added = await admin('add', { group_name: '等级', tag: [{ name: 'A' }] });
    const group = added.tag_group as { group_id: string; tag: { id: string }[] };
    expect(server.received.map((r) => [r.ChangeType, r.TagType, r.Id])).toEqual([['create', 'tag_group', group.group_id]]);
    await admin('add', { group_id: group.group_id, tag: [{ name: 'B' }] });
    await admin('edit', { id: group.tag[0]!.id, name: 'A+' });
    expect((await admin('edit', { id: 'etUnknown', name: 'x' })).errcode).not.toBe(0);
    // Changes made through the API are never reported back (WeCom doc 96361).
    const viaApi = await qy(h(), token, 'POST', 'cgi-bin/externalcontact/add_corp_tag', { group_name: '来源', tag: [{ name: '官网' }] });
    expect(viaApi).toMatchObject({ errcode: 0 });
    await qy(h(), token, 'POST', 'cgi-bin/externalcontact/del_corp_tag', { group_id: [(viaApi.tag_group as { group_id: string }).group_id] });
    await admin('delete', { group_id: [group.group_id] });
    expect(server.received.slice(1).map((r) => [r.Event, r.ChangeType, r.TagType])).toEqual([
      ['change_external_tag', 'create', 'tag'],
      ['change_external_tag', 'update', 'tag'],
      ['change_external_tag', 'delete', 'tag_group'],
    ]);
  });
});
