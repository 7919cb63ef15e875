import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupRoot, type Caller } from '../../../../test/support/callers';
import { useTestApp } from '../../../../test/support/test-app';
import { createOaFixture, wx, type OaFixture } from '../../../sandbox/testing/sandbox-kit';
import { createAutoRepliesRepository, type AutoRepliesRepository } from './auto-replies.repository';
import { createAutoReplyBodySchema, listAutoRepliesQuerySchema, updateAutoReplyBodySchema } from './auto-replies.schema';
import { createAutoRepliesService } from './auto-replies.service';

// The sandbox plays WeChat over real HTTP: it pushes callbacks to Qiao's URL and reads the passive reply.
type Json = string & { [key: string]: Json } & Json[];

const t = useTestApp({ startQueue: true });
let base = '';
beforeAll(async () => {
  await t().app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(t().app.server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await t().app.close();
});

interface Connected {
  root: Caller;
  fixture: OaFixture;
  accountId: string;
  openIds: string[];
  rules: string;
}

async function connect(): Promise<Connected> {
  const root = await setupRoot(t().app);
  const fixture = await createOaFixture(t().app, async () => root, { encryptMode: 'safe', followers: 6 });
  const connected = await t().app.inject({
    method: 'POST',
    url: '/api/v1/accounts',
    headers: root.headers,
    payload: {
      type: 'official_account',
      name: '桥·沙箱',
      appId: fixture.appId,
      appSecret: fixture.appSecret,
      token: fixture.token,
      encodingAesKey: fixture.encodingAesKey,
      encryptMode: 'safe',
      apiBaseUrl: `${base}/sandbox/official-account`,
    },
  });
  expect(connected.statusCode, connected.body).toBe(201);
  const accountId = (connected.json() as { id: string }).id;
  await t().app.inject({
    method: 'PATCH',
    url: `/sandbox/control/official-accounts/${fixture.appId}`,
    headers: root.headers,
    payload: { callbackUrl: `${base}/wechat/official-account/${accountId}/callback` },
  });
  const openIds = ((await wx(t().app, fixture, 'GET', 'cgi-bin/user/get')).json.data as { openid: string[] }).openid;
  return { root, fixture, accountId, openIds, rules: `/api/v1/official-accounts/${accountId}/auto-replies` };
}

async function api(c: Connected, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, payload?: object) {
  const response = await t().app.inject({ method, url: `${c.rules}${path}`, headers: c.root.headers, ...(payload ? { payload } : {}) });
  return { status: response.statusCode, body: (response.body ? response.json() : null) as Json };
}

async function createRule(c: Connected, rule: object): Promise<Json> {
  const created = await api(c, 'POST', '', rule);
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body;
}

type Received = { source: string; msgType: string; content: Json }[];

async function follower(c: Connected, openId: string, action: string, payload?: object): Promise<{ status: string; received: Received }> {
  const response = await t().app.inject({
    method: 'POST',
    url: `/sandbox/control/official-accounts/${c.fixture.appId}/followers/${openId}/${action}`,
    headers: c.root.headers,
    ...(payload ? { payload } : {}),
  });
  expect(response.statusCode, response.body).toBe(200);
  const body = response.json() as { delivery: { status: string }; received: Received };
  return { status: body.delivery.status, received: body.received };
}

const say = (c: Connected, openId: string, content: string) => follower(c, openId, 'messages', { type: 'text', content });
const textOf = (received: Received) => received.map((r) => r.content.Content ?? r.content.text?.content);

async function inboxUntil(c: Connected, openId: string, count: number): Promise<Received> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const response = await t().app.inject({ method: 'GET', url: `/sandbox/control/official-accounts/${c.fixture.appId}/followers/${openId}/inbox`, headers: c.root.headers });
    const items = (response.json() as { items: Received }).items;
    if (items.length >= count) return items;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`the inbox of ${openId} never reached ${count} items`);
}

const priceRule = {
  kind: 'keyword',
  name: '产品价格',
  keywords: [
    { text: '价格', match: 'contains' },
    { text: '多少钱', match: 'contains' },
  ],
  replies: [{ type: 'text', content: '标准版 ¥2,999/年，专业版 ¥8,999/年。' }],
  replyMode: 'all',
};

describe('automatic replies through real callbacks', () => {
  it('answers a follower who sends 「产品价格」 with the keyword reply', async () => {
    const c = await connect();
    await createRule(c, priceRule);
    const answered = await say(c, c.openIds[0]!, '产品价格');
    expect(answered.status).toBe('replied');
    expect(textOf(answered.received)).toEqual(['标准版 ¥2,999/年，专业版 ¥8,999/年。']);
  });

  it('welcomes a new follower with the subscribe rule', async () => {
    const c = await connect();
    await createRule(c, { kind: 'subscribe', replies: [{ type: 'text', content: '欢迎关注桥科技！' }] });
    const followed = await follower(c, 'oNewFollower000000000000000A', 'follow');
    expect(textOf(followed.received)).toEqual(['欢迎关注桥科技！']);
  });

  it('answers a menu click with the rule for its key, and news with several articles to the click', async () => {
    const c = await connect();
    const menu = await wx(t().app, c.fixture, 'POST', 'cgi-bin/menu/create', { button: [{ type: 'click', name: '产品', key: 'PRODUCTS' }] });
    expect(menu.json.errcode).toBe(0);
    const articles = [
      { title: '标准版', url: 'https://example.com/a' },
      { title: '专业版', url: 'https://example.com/b' },
    ];
    await createRule(c, { kind: 'click', clickKeys: ['PRODUCTS'], replies: [{ type: 'news', articles }] });
    const clicked = await follower(c, c.openIds[0]!, 'menu-clicks', { key: 'PRODUCTS' });
    expect(clicked.received).toHaveLength(1);
    expect(clicked.received[0]).toMatchObject({ msgType: 'news', content: { ArticleCount: '2' } });
  });

  it('falls back to the default rule for unmatched text and for other message types, once an hour per follower', async () => {
    const c = await connect();
    await createRule(c, priceRule);
    await createRule(c, { kind: 'default', replies: [{ type: 'text', content: '消息已收到，客服稍后回复。' }] });
    expect(textOf((await say(c, c.openIds[0]!, '你们在哪里')).received)).toEqual(['消息已收到，客服稍后回复。']);
    expect((await say(c, c.openIds[0]!, '还在吗')).status).toBe('no_reply');
    expect(textOf((await say(c, c.openIds[0]!, '价格多少')).received)).toEqual(['标准版 ¥2,999/年，专业版 ¥8,999/年。']);
    const image = await follower(c, c.openIds[1]!, 'messages', { type: 'image', content: '' });
    expect(textOf(image.received)).toEqual(['消息已收到，客服稍后回复。']);
  });

  it('sends one reply at random in random mode, and every reply in reply-all mode (the rest as customer-service messages)', async () => {
    const c = await connect();
    await createRule(c, {
      kind: 'keyword',
      keywords: [{ text: '抽奖', match: 'exact' }],
      replies: [
        { type: 'text', content: '一等奖' },
        { type: 'text', content: '二等奖' },
        { type: 'text', content: '三等奖' },
      ],
      replyMode: 'random',
    });
    const seen = new Set<string>();
    for (const openId of c.openIds) {
      const answered = await say(c, openId, '抽奖');
      expect(answered.received).toHaveLength(1);
      seen.add(String(textOf(answered.received)[0]));
    }
    for (const text of seen) expect(['一等奖', '二等奖', '三等奖']).toContain(text);

    await createRule(c, {
      kind: 'keyword',
      keywords: [{ text: '资料', match: 'exact' }],
      replies: [
        { type: 'text', content: '第一部分' },
        { type: 'text', content: '第二部分' },
      ],
      replyMode: 'all',
    });
    const answered = await say(c, c.openIds[0]!, '资料');
    expect(textOf(answered.received)).toEqual(['第一部分']);
    const inbox = await inboxUntil(c, c.openIds[0]!, 3);
    expect(inbox.at(-1)).toMatchObject({ source: 'customer_service', content: { text: { content: '第二部分' } } });
  });

  it('lets the higher-priority rule answer when keywords overlap, warns about it, and follows a move', async () => {
    const c = await connect();
    const general = await createRule(c, priceRule);
    expect(general.overlaps).toEqual([]);
    const specific = await createRule(c, {
      kind: 'keyword',
      name: '企业版价格',
      keywords: [{ text: '企业版价格', match: 'exact' }],
      replies: [{ type: 'text', content: '企业版请联系销售。' }],
    });
    expect(specific.overlaps).toEqual([
      expect.objectContaining({ keyword: { text: '企业版价格', match: 'exact' }, otherRuleId: general.id, otherKeyword: { text: '价格', match: 'contains' }, winner: 'other' }),
    ]);
    expect(textOf((await say(c, c.openIds[0]!, '企业版价格')).received)).toEqual(['标准版 ¥2,999/年，专业版 ¥8,999/年。']);

    const moved = await api(c, 'POST', `/${specific.id}/move`, { toIndex: 0 });
    expect(moved.status).toBe(200);
    expect(moved.body.overlaps![0]!.winner).toBe('this');
    expect(textOf((await say(c, c.openIds[1]!, '企业版价格')).received)).toEqual(['企业版请联系销售。']);
    const listed = await api(c, 'GET', '?kind=keyword');
    expect(listed.body.items!.map((r) => [r.name, r.position])).toEqual([
      ['企业版价格', 0],
      ['产品价格', 1],
    ]);
  });

  it('stops answering from a disabled rule and forgets a deleted one', async () => {
    const c = await connect();
    const rule = await createRule(c, priceRule);
    expect((await api(c, 'PATCH', `/${rule.id}`, { enabled: false })).body.enabled).toBe(false);
    expect((await say(c, c.openIds[0]!, '价格')).status).toBe('no_reply');
    await api(c, 'PATCH', `/${rule.id}`, { enabled: true });
    expect((await say(c, c.openIds[1]!, '价格')).status).toBe('replied');
    expect((await api(c, 'DELETE', `/${rule.id}`)).status).toBe(204);
    expect((await say(c, c.openIds[2]!, '价格')).status).toBe('no_reply');
    expect((await api(c, 'GET', `/${rule.id}`)).body.code).toBe('AUTO_REPLY_RULE_NOT_FOUND');
  });
});

describe('the compiled rules under load', () => {
  it('reads the rule version once for the messages of one moment, applies its own edits at once and another instance’s within a second', async () => {
    const c = await connect();
    const app = t().app;
    /** One instance's service on the shared database, counting how often it reads the version. */
    function instance() {
      const real = createAutoRepliesRepository(t().db.handle.db);
      let reads = 0;
      const repository: AutoRepliesRepository = {
        ...real,
        findSettings: (accountId) => {
          reads++;
          return real.findSettings(accountId);
        },
      };
      const service = createAutoRepliesService({
        repository,
        accounts: { getAccount: (id) => app.accounts.service.getAccount(id), wechatAccountFor: (id) => app.accounts.service.wechatAccountFor(id) },
        wechat: app.accounts.wechat,
        audit: app.system.audit,
        clock: t().clock,
      });
      return { service, reads: () => reads };
    }
    const here = instance();
    const there = instance();
    const reply = async (which: ReturnType<typeof instance>, text: string) => {
      const found = (await which.service.matcherFor(c.accountId)).forText(text);
      return found ? (found.rule.replies[0] as { content?: string }).content : null;
    };
    const priced = (content: string) => updateAutoReplyBodySchema.parse({ replies: [{ type: 'text', content }] });
    await here.service.create(null, c.accountId, createAutoReplyBodySchema.parse({ kind: 'keyword', name: '价格', keywords: [{ text: '价格', match: 'contains' }], replies: [{ type: 'text', content: '一百元' }] }));

    const answers = await Promise.all(Array.from({ length: 50 }, () => reply(here, '产品价格')));
    expect(new Set(answers)).toEqual(new Set(['一百元']));
    expect(here.reads()).toBe(1);

    const [rule] = (await here.service.list(c.accountId, listAutoRepliesQuerySchema.parse({}))).items;
    await here.service.update(null, c.accountId, rule!.id, priced('八十元'));
    expect(await reply(here, '产品价格')).toBe('八十元');
    expect(here.reads()).toBe(2);

    // The other instance read the version before the edit: it keeps its copy for up to a second, then reads again.
    expect(await reply(there, '价格')).toBe('八十元');
    await here.service.update(null, c.accountId, rule!.id, priced('六十元'));
    expect(await reply(there, '价格')).toBe('八十元');
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect(await reply(there, '价格')).toBe('六十元');
    expect(there.reads()).toBe(2);
  });
});

describe('the rule tester', () => {
  it('names the rule and keyword that would answer, without sending anything', async () => {
    const c = await connect();
    const rule = await createRule(c, priceRule);
    await createRule(c, { kind: 'click', clickKeys: ['CONTACT'], replies: [{ type: 'text', content: '电话 400-000-0000' }] });
    const tested = await api(c, 'POST', '/test', { content: '请问ＶＩＰ价格' });
    expect(tested.body).toEqual({
      matched: true,
      ruleId: rule.id,
      ruleName: '产品价格',
      kind: 'keyword',
      keyword: { text: '价格', match: 'contains' },
      replyMode: 'all',
      replies: priceRule.replies,
    });
    expect((await api(c, 'POST', '/test', { content: '你好' })).body).toMatchObject({ matched: false, ruleId: null, replies: [] });
    expect((await api(c, 'POST', '/test', { content: 'CONTACT', trigger: 'click' })).body).toMatchObject({ matched: true, kind: 'click' });
    const inbox = await t().app.inject({ method: 'GET', url: `/sandbox/control/official-accounts/${c.fixture.appId}/followers/${c.openIds[0]}/inbox`, headers: c.root.headers });
    expect((inbox.json() as { items: unknown[] }).items).toEqual([]);
  });
});

describe('importing the platform rules', () => {
  it('turns get_current_autoreply_info into enabled rules once, and answers with them', async () => {
    const c = await connect();
    expect((await api(c, 'GET', '/status')).body).toMatchObject({ importedAt: null });
    const imported = await api(c, 'POST', '/import-platform');
    expect(imported.status, JSON.stringify(imported.body)).toBe(200);
    expect(imported.body).toMatchObject({ imported: 3, alreadyImported: 0, skipped: [] });
    const listed = await api(c, 'GET', '');
    expect(listed.body.items!.map((r) => [r.kind, r.enabled, r.source])).toEqual([
      ['subscribe', true, 'platform'],
      ['default', true, 'platform'],
      ['keyword', true, 'platform'],
    ]);
    expect(listed.body.items![2]).toMatchObject({ name: '营业时间', keywords: [{ text: '营业时间', match: 'contains' }], replyMode: 'all' });
    expect((await api(c, 'POST', '/import-platform')).body).toMatchObject({ imported: 0, alreadyImported: 3 });
    expect((await api(c, 'GET', '/status')).body).toMatchObject({ counts: { subscribe: 1, default: 1, keyword: 1, click: 0 }, importedAt: expect.any(String) });
    expect(textOf((await say(c, c.openIds[0]!, '请问营业时间'))
      .received)).toEqual(['周一至周日 10:00-22:00']);
  });
});

describe('validation', () => {
  it('refuses what WeChat would refuse, naming the field and the limit', async () => {
    const c = await connect();
    const long = await api(c, 'POST', '', { ...priceRule, replies: [{ type: 'text', content: '价'.repeat(683) }] });
    expect(long.status).toBe(400);
    expect(long.body).toMatchObject({ code: 'AUTO_REPLY_TEXT_TOO_LONG', details: { field: 'replies[0].content', max: 2048, actual: 2049 } });
    expect(long.body.message).toBe('文字回复不能超过 2048 字节（字段 replies[0].content，当前 2049）');

    const news = await api(c, 'POST', '', {
      ...priceRule,
      replies: [{ type: 'news', articles: [{ title: 'a' }, { title: 'b' }] }],
    });
    expect(news.body).toMatchObject({ code: 'AUTO_REPLY_TOO_MANY_ARTICLES', details: { field: 'replies[0].articles', max: 1, actual: 2 } });

    const noKeywords = await api(c, 'POST', '', { ...priceRule, keywords: [] });
    expect(noKeywords.body).toMatchObject({ code: 'AUTO_REPLY_KEYWORDS_REQUIRED', details: { field: 'keywords' } });
    const noKeys = await api(c, 'POST', '', { kind: 'click', replies: priceRule.replies });
    expect(noKeys.body.code).toBe('AUTO_REPLY_CLICK_KEYS_REQUIRED');
    const keywordsOnWelcome = await api(c, 'POST', '', { ...priceRule, kind: 'subscribe' });
    expect(keywordsOnWelcome.body).toMatchObject({ code: 'AUTO_REPLY_FIELD_NOT_APPLICABLE', details: { field: 'keywords' } });
    const duplicate = await api(c, 'POST', '', { ...priceRule, keywords: [{ text: 'VIP', match: 'exact' }, { text: 'ｖｉｐ', match: 'exact' }] });
    expect(duplicate.body).toMatchObject({ code: 'AUTO_REPLY_KEYWORD_DUPLICATE', details: { field: 'keywords[1].text' } });
    const tooMany = await api(c, 'POST', '', { kind: 'subscribe', replyMode: 'all', replies: Array.from({ length: 5 }, (_, i) => ({ type: 'text', content: `${i}` })) });
    expect(tooMany.body).toMatchObject({ code: 'AUTO_REPLY_TOO_MANY_REPLIES', details: { max: 4, actual: 5 } });
    const unknownField = await api(c, 'POST', '', { ...priceRule, colour: 'red' });
    expect(unknownField.status).toBe(400);
    const moveTooFar = await api(c, 'POST', `/${(await createRule(c, priceRule)).id}/move`, { toIndex: 5 });
    expect(moveTooFar.body).toMatchObject({ code: 'AUTO_REPLY_MOVE_OUT_OF_RANGE', details: { count: 1 } });
  });
});
