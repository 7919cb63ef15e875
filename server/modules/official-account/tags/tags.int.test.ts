import type { AddressInfo } from 'node:net';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { setupRoot, userSession, type Caller } from '../../../../test/support/callers';
import { useTestApp } from '../../../../test/support/test-app';
import { act, armFault, connectSandboxAccount, eventually, finishedJob, sandboxOpenIds, type ConnectedSandboxAccount } from '../followers/followers-test-kit';
import type { Tag, TagRule } from './tags.schema';

const t = useTestApp({ startQueue: true });
let base = '';
let root: Caller;

beforeAll(async () => {
  await t().app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(t().app.server.address() as AddressInfo).port}`;
});

beforeEach(async () => {
  root = await setupRoot(t().app);
});

/** Calls the sandbox as WeChat's own admin console would (to change things behind Qiao's back, or to look). */
async function wechat(account: ConnectedSandboxAccount, method: 'GET' | 'POST', path: string, body?: object) {
  const sandbox = (await t().app.inject({ method: 'GET', url: `/sandbox/control/official-accounts/${account.appId}`, headers: root.headers })).json() as { appSecret: string };
  const token = await t().app.inject({
    method: 'GET',
    url: `/sandbox/official-account/cgi-bin/token?grant_type=client_credential&appid=${account.appId}&secret=${sandbox.appSecret}`,
  });
  const accessToken = (token.json() as { access_token: string }).access_token;
  const response = await t().app.inject({
    method,
    url: `/sandbox/official-account/${path}?access_token=${accessToken}`,
    ...(body ? { payload: body, headers: { 'content-type': 'application/json' } } : {}),
  });
  return response.json() as Record<string, unknown> & { errcode?: number };
}

async function wechatTags(account: ConnectedSandboxAccount) {
  return ((await wechat(account, 'GET', 'cgi-bin/tags/get')).tags as { id: number; name: string; count: number }[]).filter((tag) => tag.id > 2);
}

function api(method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, payload?: object, caller = root) {
  return t().app.inject({ method, url: `/api/v1/official-accounts/${url}`, headers: caller.headers, ...(payload ? { payload } : {}) });
}

async function createTag(account: ConnectedSandboxAccount, name: string): Promise<Tag> {
  const response = await api('POST', `${account.accountId}/tags`, { name });
  expect(response.statusCode, response.body).toBe(201);
  return response.json() as Tag;
}

async function syncFollowers(account: ConnectedSandboxAccount) {
  const started = await api('POST', `${account.accountId}/followers/sync`);
  expect(started.statusCode, started.body).toBe(202);
  return finishedJob(t().app, root, (started.json() as { id: string }).id, 300_000);
}

async function tagging(account: ConnectedSandboxAccount, tagId: number, openIds: string[], method: 'POST' | 'DELETE' = 'POST') {
  const started = await api(method, `${account.accountId}/tags/${tagId}/followers`, { openIds });
  expect(started.statusCode, started.body).toBe(202);
  return finishedJob(t().app, root, (started.json() as { id: string }).id, 400_000);
}

async function localTags(account: ConnectedSandboxAccount): Promise<Tag[]> {
  return ((await api('GET', `${account.accountId}/tags`)).json() as { items: Tag[] }).items;
}

async function followerTagIds(account: ConnectedSandboxAccount, openId: string): Promise<number[]> {
  return ((await api('GET', `${account.accountId}/followers/${openId}`)).json() as { tagIds: number[] }).tagIds;
}

describe('tags mirrored to WeChat', () => {
  it('creates, renames and deletes on WeChat too, refusing what WeChat would refuse before calling it', async () => {
    const account = await connectSandboxAccount(t().app, root, base, 0);
    const tag = await createTag(account, '意向客户');
    expect(tag).toMatchObject({ name: '意向客户', count: 0, system: false });
    expect(await wechatTags(account)).toEqual([expect.objectContaining({ id: tag.id, name: '意向客户' })]);

    const duplicate = await api('POST', `${account.accountId}/tags`, { name: '意向客户' });
    expect(duplicate.statusCode).toBe(409);
    expect(duplicate.json()).toMatchObject({ code: 'TAG_NAME_TAKEN' });
    expect((duplicate.json() as { details: object }).details).not.toHaveProperty('errcode');
    const long = await api('POST', `${account.accountId}/tags`, { name: '标'.repeat(31) });
    expect(long.json()).toMatchObject({ code: 'TAG_NAME_TOO_LONG', details: { max: 30, actual: 31 } });

    const renamed = await api('PATCH', `${account.accountId}/tags/${tag.id}`, { name: '高意向客户' });
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect((await wechatTags(account)).map((x) => x.name)).toEqual(['高意向客户']);
    const system = await api('PATCH', `${account.accountId}/tags/2`, { name: '星标' });
    expect(system.json()).toMatchObject({ code: 'TAG_PROTECTED' });

    const deleted = await api('DELETE', `${account.accountId}/tags/${tag.id}`);
    expect(deleted.statusCode).toBe(204);
    expect(await wechatTags(account)).toEqual([]);
    expect((await localTags(account)).filter((x) => !x.system)).toEqual([]);
    expect((await api('DELETE', `${account.accountId}/tags/${tag.id}`)).json()).toMatchObject({ code: 'TAG_NOT_FOUND' });
  });

  it("names WeChat's refusal with its errcode when WeChat knows more than Qiao, and pulls WeChat's tags", async () => {
    const account = await connectSandboxAccount(t().app, root, base, 0);
    expect((await wechat(account, 'POST', 'cgi-bin/tags/create', { tag: { name: '老客户' } })).tag).toBeTruthy();
    const refused = await api('POST', `${account.accountId}/tags`, { name: '老客户' });
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ code: 'TAG_NAME_TAKEN', details: { errcode: 45157 } });

    const pulled = await api('POST', `${account.accountId}/tags/sync`);
    expect(pulled.statusCode).toBe(200);
    expect((pulled.json() as { items: Tag[] }).items.filter((x) => !x.system).map((x) => x.name)).toEqual(['老客户']);
  });

  it('takes tags put on or taken off in WeChat’s own console onto the followers Qiao holds when it pulls', async () => {
    const account = await connectSandboxAccount(t().app, root, base, 5);
    await syncFollowers(account);
    const [first, second, third] = (await sandboxOpenIds(t().app, root, account.appId)) as [string, string, string];
    const created = (await wechat(account, 'POST', 'cgi-bin/tags/create', { tag: { name: '线下活动' } })).tag as { id: number };
    expect((await wechat(account, 'POST', 'cgi-bin/tags/members/batchtagging', { tagid: created.id, openid_list: [first, second] })).errcode).toBe(0);

    const countOf = async () => {
      const pulled = await api('POST', `${account.accountId}/tags/sync`);
      expect(pulled.statusCode, pulled.body).toBe(200);
      return (pulled.json() as { items: Tag[] }).items.find((x) => x.id === created.id)?.count;
    };
    expect(await countOf()).toBe(2);
    const tagged = await api('GET', `${account.accountId}/followers?tagId=${created.id}`);
    expect((tagged.json() as { items: { openId: string }[] }).items.map((x) => x.openId).sort()).toEqual([first, second].sort());

    await wechat(account, 'POST', 'cgi-bin/tags/members/batchuntagging', { tagid: created.id, openid_list: [first] });
    await wechat(account, 'POST', 'cgi-bin/tags/members/batchtagging', { tagid: created.id, openid_list: [third] });
    await countOf();
    const after = await api('GET', `${account.accountId}/followers?tagId=${created.id}`);
    expect((after.json() as { items: { openId: string }[] }).items.map((x) => x.openId).sort()).toEqual([second, third].sort());
  });

  it('refuses the 101st tag', async () => {
    const account = await connectSandboxAccount(t().app, root, base, 0);
    for (let i = 0; i < 100; i++) await wechat(account, 'POST', 'cgi-bin/tags/create', { tag: { name: `标签${i}` } });
    await api('POST', `${account.accountId}/tags/sync`);
    const refused = await api('POST', `${account.accountId}/tags`, { name: '第一百零一个' });
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ code: 'TAG_LIMIT_REACHED', details: { max: 100 } });
  }, 300_000);
});

describe('tagging followers in bulk', () => {
  it('tags 2,000 followers with the right counts after WeChat answers 45009 and -1 along the way, and untags them', async () => {
    const account = await connectSandboxAccount(t().app, root, base, 2_000);
    await syncFollowers(account);
    const tag = await createTag(account, '活动参与者');
    const openIds: string[] = [];
    let cursor: string | null = null;
    do {
      const page = (await api('GET', `${account.accountId}/followers?limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`)).json() as {
        items: { openId: string }[];
        nextCursor: string | null;
      };
      openIds.push(...page.items.map((f) => f.openId));
      cursor = page.nextCursor;
    } while (cursor);
    expect(openIds).toHaveLength(2_000);

    await armFault(t().app, root, { path: 'cgi-bin/tags/members/batchtagging', delayMs: 0, count: 7 });
    await armFault(t().app, root, { path: 'cgi-bin/tags/members/batchtagging', errcode: 45009, count: 2 });
    await armFault(t().app, root, { path: 'cgi-bin/tags/members/batchtagging', delayMs: 0, count: 10 });
    await armFault(t().app, root, { path: 'cgi-bin/tags/members/batchtagging', errcode: -1, count: 2 });
    const job = await tagging(account, tag.id, openIds);
    expect(job).toMatchObject({ state: 'succeeded', done: 2_000, total: 2_000, errorCount: 0, result: { succeeded: 2_000, failed: 0 } });
    expect((await localTags(account)).find((x) => x.id === tag.id)?.count).toBe(2_000);
    expect((await wechatTags(account)).find((x) => x.id === tag.id)?.count).toBe(2_000);

    const untag = await tagging(account, tag.id, openIds.slice(0, 800), 'DELETE');
    expect(untag).toMatchObject({ state: 'succeeded', result: { succeeded: 800, failed: 0 } });
    expect((await localTags(account)).find((x) => x.id === tag.id)?.count).toBe(1_200);
    expect((await wechatTags(account)).find((x) => x.id === tag.id)?.count).toBe(1_200);
  }, 900_000);

  it('reports the OpenIDs WeChat refused with the errcode in plain words, and tags the rest', async () => {
    const account = await connectSandboxAccount(t().app, root, base, 120);
    await syncFollowers(account);
    const openIds = await sandboxOpenIds(t().app, root, account.appId);
    const tag = await createTag(account, '重点跟进');
    // One follower already carries WeChat's maximum of 20 tags.
    const full = openIds[7] as string;
    for (let i = 0; i < 20; i++) {
      const made = (await wechat(account, 'POST', 'cgi-bin/tags/create', { tag: { name: `满${i}` } })).tag as { id: number };
      await wechat(account, 'POST', 'cgi-bin/tags/members/batchtagging', { openid_list: [full], tagid: made.id });
    }
    const strangers = ['oStrangerNeverFollowed0001', 'oStrangerNeverFollowed0002'];
    const job = await tagging(account, tag.id, [...openIds.slice(0, 60), ...strangers, ...openIds.slice(60)]);
    expect(job).toMatchObject({ state: 'succeeded', done: 122, errorCount: 3, result: { succeeded: 119, failed: 3, failedByErrcode: { 40003: 2, 45059: 1 } } });
    expect(job.errors).toEqual(
      expect.arrayContaining([
        { item: strangers[0], code: 'WECHAT_40003', message: expect.stringContaining('未关注') },
        { item: strangers[1], code: 'WECHAT_40003', message: expect.stringContaining('40003') },
        { item: full, code: 'WECHAT_45059', message: expect.stringContaining('20') },
      ]),
    );
    expect((await localTags(account)).find((x) => x.id === tag.id)?.count).toBe(119);
    expect(await followerTagIds(account, full)).not.toContain(tag.id);
  }, 120_000);
});

describe('auto-tag rules', () => {
  it('tags who clicks the menu button with the key, and who sends the keyword, without holding up the reply', async () => {
    const account = await connectSandboxAccount(t().app, root, base, 3);
    await syncFollowers(account);
    const [clicker, writer, bystander] = (await sandboxOpenIds(t().app, root, account.appId)) as [string, string, string];
    const product = await createTag(account, '意向客户');
    const price = await createTag(account, '询价');
    expect((await wechat(account, 'POST', 'cgi-bin/menu/create', { button: [{ type: 'click', name: '产品', key: 'PRODUCT' }] })).errcode).toBe(0);

    const clickRule = await api('POST', `${account.accountId}/tag-rules`, { tagId: product.id, trigger: 'menu_click', value: 'PRODUCT' });
    expect(clickRule.statusCode, clickRule.body).toBe(201);
    const keywordRule = await api('POST', `${account.accountId}/tag-rules`, { tagId: price.id, trigger: 'keyword', match: 'contains', value: '价格' });
    expect(keywordRule.statusCode).toBe(201);
    expect(((await api('GET', `${account.accountId}/tag-rules`)).json() as { items: TagRule[] }).items).toHaveLength(2);

    await act(t().app, root, account.appId, clicker, 'menu-clicks', { key: 'PRODUCT' });
    await act(t().app, root, account.appId, writer, 'messages', { type: 'text', content: '请问产品价格是多少？' });
    await act(t().app, root, account.appId, bystander, 'messages', { type: 'text', content: '你好' });

    expect(await eventually(() => followerTagIds(account, clicker), (ids) => ids.includes(product.id))).toEqual([product.id]);
    expect(await eventually(() => followerTagIds(account, writer), (ids) => ids.includes(price.id))).toEqual([price.id]);
    expect(await followerTagIds(account, bystander)).toEqual([]);
    const onWeChat = (await wechat(account, 'POST', 'cgi-bin/tags/getidlist', { openid: clicker })).tagid_list;
    expect(onWeChat).toEqual([product.id]);

    // A deleted rule tags nobody any more.
    const ruleId = (clickRule.json() as TagRule).id;
    expect((await api('DELETE', `${account.accountId}/tag-rules/${ruleId}`)).statusCode).toBe(204);
    await act(t().app, root, account.appId, bystander, 'menu-clicks', { key: 'PRODUCT' });
    await act(t().app, root, account.appId, writer, 'messages', { type: 'text', content: '价格' });
    await eventually(() => followerTagIds(account, writer), () => false, 800);
    expect(await followerTagIds(account, bystander)).toEqual([]);
  });

  it('refuses a rule for an unknown tag or with a blank value', async () => {
    const account = await connectSandboxAccount(t().app, root, base, 0);
    await api('POST', `${account.accountId}/tags/sync`);
    expect((await api('POST', `${account.accountId}/tag-rules`, { tagId: 999, trigger: 'keyword', value: 'x' })).json()).toMatchObject({ code: 'TAG_NOT_FOUND' });
    const blank = await api('POST', `${account.accountId}/tag-rules`, { tagId: 999, trigger: 'keyword', value: '   ' });
    expect(blank.statusCode).toBe(400);
  });
});

describe('tag permissions', () => {
  it('refuses members: Official Account work needs official_account permissions', async () => {
    const account = await connectSandboxAccount(t().app, root, base, 0);
    const member = await userSession(t().app, root, { username: 'member1', role: 'member' });
    expect((await api('GET', `${account.accountId}/tags`, undefined, member)).statusCode).toBe(403);
    expect((await api('POST', `${account.accountId}/tags`, { name: '某标签' }, member)).statusCode).toBe(403);
    expect((await api('GET', `${account.accountId}/tag-rules`, undefined, member)).statusCode).toBe(403);
  });
});
