import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { setupRoot, type Caller } from '../../../../test/support/callers';
import { anotherInstance, useTestApp } from '../../../../test/support/test-app';
import { buildApp, type QiaoApp } from '../../../app';
import { createCache } from '../../../platform/cache';
import { createLogger } from '../../../platform/logger';
import { createJobQueue } from '../../../platform/queue';
import { readCallbackEvent } from '../../../wechat/callback';
import { callbackMarkerKey } from './callbacks.service';
import { connectOfficialAccount, connectWeCom, deliver, oaPush, oaXml, readAnswer, wecomPush, wecomXml } from './callback-test-kit';

// A short budget so "too slow" takes milliseconds; the queue runs so late replies go out.
const t = useTestApp({ env: { QIAO_CALLBACK_BUDGET_MS: '200' }, startQueue: true });

/** Plays WeChat's token and message APIs; `errcodes` answers the next message sends with those codes. */
const wechat = {
  sends: [] as { path: string; body: Record<string, unknown> }[],
  errcodes: [] as number[],
  baseUrl: '',
  server: createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk: Buffer) => (raw += chunk.toString()));
    req.on('end', () => {
      const path = new URL(req.url ?? '/', 'http://localhost').pathname.replace(/^\//, '');
      const send = (body: unknown) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      if (path.endsWith('token')) return send({ access_token: `token-${Math.random()}`, expires_in: 7200 });
      wechat.sends.push({ path, body: JSON.parse(raw) as Record<string, unknown> });
      const errcode = wechat.errcodes.shift() ?? 0;
      return send({ errcode, errmsg: errcode === 0 ? 'ok' : `error ${errcode}` });
    });
  }),
};

let root: Caller;
const offs: (() => void)[] = [];

beforeAll(async () => {
  await new Promise<void>((resolve) => wechat.server.listen(0, '127.0.0.1', resolve));
  wechat.baseUrl = `http://127.0.0.1:${(wechat.server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => wechat.server.close(resolve));
});
beforeEach(async () => {
  wechat.sends = [];
  wechat.errcodes = [];
  while (offs.length > 0) offs.pop()?.();
  root = await setupRoot(t().app);
});

function sleep(ms: number) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > until) return value;
    await sleep(100);
  }
}

async function onlyMessage(accountId: string) {
  const response = await t().app.inject({ method: 'GET', url: `/api/v1/accounts/${accountId}/messages`, headers: root.headers });
  const body = response.json() as { items: Record<string, unknown>[]; total: number };
  expect(body.total).toBe(1);
  return body.items[0] as Record<string, unknown>;
}

describe('the reply deadline', () => {
  it('answers success at once for a slow handler and sends its reply once as a customer-service message', async () => {
    const id = await connectOfficialAccount(t().app, root, { apiBaseUrl: wechat.baseUrl });
    let runs = 0;
    offs.push(
      t().app.callbacks.subscribe('official-account.text', async () => {
        runs++;
        await sleep(600);
        return { type: 'text', content: '久等了' };
      }),
    );
    const push = oaPush(id, oaXml({ MsgType: 'text', Content: '在吗', MsgId: '8001' }));
    const response = await deliver(t().app, push);
    expect(response.statusCode).toBe(200);
    expect(response.body).toBe('success');
    const message = await eventually(() => onlyMessage(id), (m) => m.lateDelivery !== null);
    expect(message).toMatchObject({ handledLate: true, state: 'done', reply: { type: 'text', content: '久等了' }, lateDelivery: { status: 'sent' } });
    expect(wechat.sends).toEqual([{ path: 'cgi-bin/message/custom/send', body: { touser: 'oyORnuP8q7ou2gfYjqLzSIWZf0rs', msgtype: 'text', text: { content: '久等了' } } }]);
    const retry = await deliver(t().app, push);
    expect(retry.body).toBe('success');
    await sleep(300);
    expect(runs).toBe(1);
    expect(wechat.sends).toHaveLength(1);
  });

  it('records a refusal of the quota (45047) without retrying it', async () => {
    const id = await connectOfficialAccount(t().app, root, { apiBaseUrl: wechat.baseUrl });
    wechat.errcodes = [45047];
    offs.push(
      t().app.callbacks.subscribe('official-account.image', async () => {
        await sleep(400);
        return { type: 'image', mediaId: 'MEDIA_1' };
      }),
    );
    const response = await deliver(t().app, oaPush(id, oaXml({ MsgType: 'image', PicUrl: 'https://x/y.jpg', MediaId: 'm1', MsgId: '8002' })));
    expect(response.body).toBe('success');
    const message = await eventually(() => onlyMessage(id), (m) => m.lateDelivery !== null);
    expect(message.lateDelivery).toMatchObject({ status: 'failed', errcode: 45047 });
    await sleep(500);
    expect(wechat.sends).toEqual([{ path: 'cgi-bin/message/custom/send', body: { touser: 'oyORnuP8q7ou2gfYjqLzSIWZf0rs', msgtype: 'image', image: { media_id: 'MEDIA_1' } } }]);
  });

  it('does not call WeChat when the event opened no customer-service window', async () => {
    const id = await connectOfficialAccount(t().app, root, { apiBaseUrl: wechat.baseUrl });
    offs.push(
      t().app.callbacks.subscribe('official-account.VIEW', async () => {
        await sleep(400);
        return { type: 'text', content: '欢迎' };
      }),
    );
    await deliver(t().app, oaPush(id, oaXml({ MsgType: 'event', Event: 'VIEW', EventKey: 'https://example.com/' })));
    const message = await eventually(() => onlyMessage(id), (m) => m.lateDelivery !== null);
    expect(message.lateDelivery).toMatchObject({ status: 'failed', code: 'CALLBACK_REPLY_WINDOW_CLOSED' });
    expect(wechat.sends).toEqual([]);
  });

  it('sends a late WeCom reply as an app message to the member', async () => {
    const id = await connectWeCom(t().app, root, { apiBaseUrl: wechat.baseUrl });
    offs.push(
      t().app.callbacks.subscribe('wecom.text', async (context) => {
        // Taken before the deadline, the signal is aborted when it passes; read after it, the same signal.
        const early = context.signal;
        expect(early.aborted).toBe(false);
        await sleep(500);
        expect(early.aborted).toBe(true);
        expect(context.signal).toBe(early);
        return { type: 'text', content: '审批已提交' };
      }),
    );
    const response = await deliver(t().app, wecomPush(id, '1000002', wecomXml({ MsgType: 'text', Content: '提交审批', MsgId: '9001', AgentID: 1000002 })));
    expect(response.statusCode).toBe(200);
    expect(response.body).toBe('');
    const message = await eventually(() => onlyMessage(id), (m) => m.lateDelivery !== null);
    expect(message.lateDelivery).toMatchObject({ status: 'sent' });
    expect(wechat.sends).toEqual([
      { path: 'cgi-bin/message/send', body: { touser: 'zhangsan', agentid: 1000002, msgtype: 'text', text: { content: '审批已提交' } } },
    ]);
  });
});

describe('two instances on one database and one cache', () => {
  // Separate caches on one database happen only with PostgreSQL (an embedded database admits one process).
  const setups = ['one shared cache (Redis when REDIS_URL is set)', ...(process.env.TEST_DATABASE_URL ? ['separate in-process caches, the database row alone'] : [])];
  it.each(setups)('processes concurrent deliveries spread over both instances once, with the same reply: %s', async (setup) => {
    const { db, config } = t();
    const logger = createLogger('silent');
    const shared = setup.startsWith('one');
    const caches = [await createCache({ redisUrl: shared ? process.env.REDIS_URL : undefined, keyPrefix: `qiao-test-${process.pid}-${Date.now()}:` })];
    if (!shared) caches.push(await createCache({}));
    const apps: QiaoApp[] = [];
    for (let i = 0; i < 2; i++) {
      const cache = caches[i] ?? caches[0]!;
      const queue = createJobQueue({ database: db.handle, logger, clock: t().clock });
      const app = await buildApp({ config: { ...config, callbackBudgetMs: 4500 }, database: db.handle, cache, queue, clock: t().clock, logger });
      await app.ready();
      apps.push(app);
    }
    try {
      const id = await connectOfficialAccount(t().app, root);
      let runs = 0;
      for (const app of apps) {
        app.callbacks.subscribe('official-account.text', async (context) => {
          runs++;
          await sleep(150);
          return { type: 'text', content: `一次：${context.event.content}` };
        });
      }
      const push = oaPush(id, oaXml({ MsgType: 'text', Content: '分布式', MsgId: '9101' }));
      const [a, b] = apps as [QiaoApp, QiaoApp];
      const responses = await Promise.all([deliver(a, push), deliver(b, push), deliver(a, push), deliver(b, push)]);
      const texts = responses.map((r) => {
        const answer = readAnswer(r.body);
        return answer.kind === 'message' ? answer.plaintext : answer.body;
      });
      expect(runs).toBe(1);
      expect(texts.every((text) => text.includes('一次：分布式'))).toBe(true);
      expect(new Set(texts).size).toBe(1);
      const after = await deliver(b, push);
      expect(readAnswer(after.body)).toMatchObject({ kind: 'message' });
      expect(runs).toBe(1);
      await onlyMessage(id);
    } finally {
      for (const app of apps) await app.close();
      for (const cache of caches) await cache.close();
    }
  });
});

describe('after a restart (in-process markers lost)', () => {
  const restartedApp = () => anotherInstance(t(), { callbackBudgetMs: 4500 });

  async function countRuns(app: QiaoApp, counter: { runs: number }) {
    app.callbacks.subscribe('official-account.text', (context) => {
      counter.runs++;
      return { type: 'text', content: `收到：${context.event.content}` };
    });
  }

  it.each([
    ['a retry of a push handled a moment before', 0, 0],
    ['a copy of a push handled longer ago than a marker lives', 300, 10],
  ])('answers %s from the log without handling it again', async (_name, createdAgoS, receivedAgoMin) => {
    const id = await connectOfficialAccount(t().app, root);
    const push = oaPush(id, oaXml({ MsgType: 'text', Content: '重启', MsgId: '9201' }, Math.floor(Date.now() / 1000) - createdAgoS));
    const counter = { runs: 0 };
    const before = await restartedApp();
    const after = await restartedApp();
    try {
      await countRuns(before.app, counter);
      await countRuns(after.app, counter);
      const first = readAnswer((await deliver(before.app, push)).body);
      expect(counter.runs).toBe(1);
      if (receivedAgoMin > 0) await t().db.handle.db.execute(`update callback_messages set received_at = received_at - interval '${receivedAgoMin} minutes'`);
      const again = readAnswer((await deliver(after.app, push)).body);
      expect(counter.runs).toBe(1);
      expect(again).toEqual(first);
      await onlyMessage(id);
    } finally {
      await before.close();
      await after.close();
    }
  });
});

describe('rows left processing and closing', () => {
  const instance = () => anotherInstance(t(), { callbackBudgetMs: 300 });

  /** The row a process that stopped mid-push leaves: `processing`, its lease ending `endsInS` from now. */
  async function leftProcessing(accountId: string, xml: string, endsInS: number): Promise<void> {
    const event = readCallbackEvent('official-account', xml);
    const stored = await t().app.messages.service.log.claim({
      accountId,
      receiver: 'official-account',
      dedupeKey: event.dedupeKey,
      type: event.type,
      msgType: 'text',
      fromUser: event.fromUserName,
      content: 'content' in event ? event.content : null,
      fields: {},
      state: 'processing',
      createTime: new Date(event.createTimeS * 1000),
      receivedAt: new Date(),
    });
    expect(stored).not.toBeNull();
    await t().db.handle.db.execute(sql`update callback_messages set lease_until = now() + make_interval(secs => ${endsInS}) where id = ${stored!.id}`);
  }

  it('lets a retry take over a row whose lease ran out and handle the push once', async () => {
    const id = await connectOfficialAccount(t().app, root);
    const xml = oaXml({ MsgType: 'text', Content: '接手', MsgId: '9301' });
    await leftProcessing(id, xml, -1);
    const restarted = await instance();
    try {
      let runs = 0;
      restarted.app.callbacks.subscribe('official-account.text', (context) => {
        runs++;
        return { type: 'text', content: `收到：${context.event.content}` };
      });
      const push = oaPush(id, xml);
      const first = readAnswer((await deliver(restarted.app, push)).body);
      expect(first).toMatchObject({ kind: 'message' });
      expect(first.kind === 'message' && first.plaintext).toContain('收到：接手');
      const again = readAnswer((await deliver(restarted.app, push)).body);
      expect(again).toEqual(first);
      expect(runs).toBe(1);
      expect(await onlyMessage(id)).toMatchObject({ state: 'done', handledLate: false, reply: { type: 'text', content: '收到：接手' } });
    } finally {
      await restarted.close();
    }
  });

  it('leaves a row whose lease still runs to the process holding it', async () => {
    const id = await connectOfficialAccount(t().app, root);
    const xml = oaXml({ MsgType: 'text', Content: '还在处理', MsgId: '9302' });
    await leftProcessing(id, xml, 60);
    const other = await instance();
    try {
      let runs = 0;
      other.app.callbacks.subscribe('official-account.text', () => {
        runs++;
        return { type: 'text', content: '不该出现' };
      });
      const response = await deliver(other.app, oaPush(id, xml));
      expect(response.body).toBe('success');
      expect(runs).toBe(0);
      expect(await onlyMessage(id)).toMatchObject({ state: 'processing' });
    } finally {
      await other.close();
    }
  });

  it('handles a push once whose claimer stopped after taking its marker and before writing its row', async () => {
    const id = await connectOfficialAccount(t().app, root);
    const xml = oaXml({ MsgType: 'text', Content: '标记后停了', MsgId: '9304' });
    const other = await instance();
    try {
      let runs = 0;
      other.app.callbacks.subscribe('official-account.text', () => {
        runs++;
        return { type: 'text', content: '补上了' };
      });
      // What a claimer leaves when it dies right after claiming: the marker (a lease of budget + 1.5 s) and no row.
      const event = readCallbackEvent('official-account', xml);
      expect(await other.cache.markIfAbsent(callbackMarkerKey(id, event.dedupeKey), 300 + 1500)).toBe(true);
      const response = await deliver(other.app, oaPush(id, xml));
      expect(response.body).toBe('success');
      expect(await eventually(() => onlyMessage(id), (m) => m.state === 'done')).toMatchObject({ state: 'done', handledLate: true, reply: { type: 'text', content: '补上了' } });
      expect(runs).toBe(1);
      const again = await deliver(other.app, oaPush(id, xml));
      expect(again.body).toBe('success');
      expect(runs).toBe(1);
    } finally {
      await other.close();
    }
  });

  it('finishes the row of a handler that missed the deadline before close returns', async () => {
    const id = await connectOfficialAccount(t().app, root);
    const closing = await instance();
    let finished = false;
    closing.app.callbacks.subscribe('official-account.text', async () => {
      await sleep(1500);
      finished = true;
    });
    const response = await deliver(closing.app, oaPush(id, oaXml({ MsgType: 'text', Content: '关门前', MsgId: '9303' })));
    expect(response.body).toBe('success');
    await closing.close();
    expect(finished).toBe(true);
    expect(await onlyMessage(id)).toMatchObject({ state: 'done', handledLate: true });
  });
});
