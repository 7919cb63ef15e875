import { describe, expect, it } from 'vitest';
import { createMemoryCache } from '../../../platform/cache/memory-cache';
import { systemClock } from '../../../platform/clock';
import { createLogger } from '../../../platform/logger';
import { MessageCrypt, buildWeChatXml, openReply, sealOfficialAccountPush } from '../../../wechat/core';
import type { MessageLog, NewMessageRow } from '../messages';
import { createCallbacksService } from './callbacks.service';
import { dispatch } from './dispatch';
import { markerClaims } from './push-claims';
import { createCallbackSubscriptions, type CallbackAccount, type CallbackHandler } from './subscriptions';

const account: CallbackAccount = { id: 'a', product: 'official-account', receiver: 'official-account', wechatId: 'wx1' };
const event = { type: 'official-account.text', product: 'official-account', content: 'hi' } as never;
const base = { event, account, deadlineAt: Date.now() + 60_000 };
const noSignal = (): AbortSignal => {
  throw new Error('the signal was made though no handler read it');
};
const text = (content: string) => ({ type: 'text', content }) as never;

describe('dispatch when every handler answers synchronously', () => {
  it('has the outcome before it returns: the first reply, set or returned', () => {
    const started = dispatch([() => undefined, () => text('returned'), (context) => context.reply(text('set'))], base, noSignal);
    expect(started.done).toBe(true);
    if (!started.done) return;
    // Set while the handlers ran, so before the returned one counts.
    expect(started.outcome).toEqual({ reply: text('set'), errors: [] });
  });

  it('collects a thrown error and still takes another handler’s reply', () => {
    const boom = new Error('boom');
    const started = dispatch(
      [
        () => {
          throw boom;
        },
        () => text('ok'),
      ],
      base,
      noSignal,
    );
    expect(started.done && started.outcome).toEqual({ reply: text('ok'), errors: [boom] });
  });

  it('makes the signal only for a handler that reads it', () => {
    const controller = new AbortController();
    let made = 0;
    const started = dispatch(
      [
        (context) => {
          expect(context.signal).toBe(controller.signal);
          return undefined;
        },
      ],
      base,
      () => {
        made++;
        return controller.signal;
      },
    );
    expect(started.done).toBe(true);
    expect(made).toBe(1);
  });
});

describe('dispatch with a handler that returns a promise', () => {
  it('answers with a reply set synchronously by another handler without waiting for the slow one', async () => {
    let finish: () => void = () => undefined;
    const slow: CallbackHandler = () => new Promise<undefined>((resolve) => (finish = () => resolve(undefined)));
    const started = dispatch([(context) => context.reply(text('early')), slow], base, noSignal);
    expect(started.done).toBe(false);
    if (started.done) return;
    expect((await started.answer).reply).toEqual(text('early'));
    finish();
    expect((await started.finished).reply).toEqual(text('early'));
  });

  it('gives a synchronous handler’s returned reply and an async handler’s error', async () => {
    const boom = new Error('late boom');
    const started = dispatch(
      [
        async () => {
          throw boom;
        },
        () => text('sync'),
      ],
      base,
      noSignal,
    );
    if (started.done) throw new Error('a promise was returned: not done at once');
    expect((await started.answer).reply).toEqual(text('sync'));
    expect(await started.finished).toEqual({ reply: text('sync'), errors: [boom] });
  });
});

// The pipeline itself with fakes around it: what WeChat gets back, and what the log gets.
const token = 'SyncPathToken01';
const aesKey = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';
const appId = 'wx2c2769f8efd9abc2';
const accountId = '0b6a6f0e-6c1d-4f7e-9a59-0d7c1f6c2a11';
const crypt = new MessageCrypt({ currentKey: aesKey, receiverId: appId });

function pipeline(budgetMs: number) {
  const rows: NewMessageRow[] = [];
  const finished: { id: string; changes: unknown }[] = [];
  const log = {
    claim: async (row: NewMessageRow) => (rows.push({ ...row }), { id: `row-${rows.length}` }),
    finish: async (id: string, changes: unknown) => void finished.push({ id, changes }),
    findByKey: async () => null,
    recentKeys: async () => [],
    renewLeases: async () => undefined,
    takeOver: async () => null,
    drain: async () => undefined,
  } as unknown as MessageLog;
  const subscriptions = createCallbackSubscriptions();
  const service = createCallbacksService({
    accounts: {
      openCredentials: async () => ({ accountId, type: 'official_account', wechatId: appId, receiver: 'official-account', secret: 's', token, encodingAesKeys: [aesKey], encryptMode: 'safe' }),
      recordCallbackReceived: async () => undefined,
    },
    log,
    subscriptions,
    cache: createMemoryCache(),
    queue: { enqueue: async () => undefined as never },
    clock: systemClock,
    logger: createLogger('silent'),
    maxAgeS: 300,
    budgetMs,
    claims: markerClaims,
  });
  let next = 1;
  const receive = () => {
    const now = Math.floor(Date.now() / 1000);
    const message = buildWeChatXml({ ToUserName: 'gh_1', FromUserName: 'o1', CreateTime: now, MsgType: 'text', Content: 'hello', MsgId: String(next++) });
    const sealed = sealOfficialAccountPush({ message, mode: 'safe', token, crypt, openId: 'o1', toUserName: 'gh_1', timestamp: String(now), nonce: String(next) });
    return service.receive({ product: 'official-account', accountId, receiver: 'official-account' }, sealed.query, sealed.body);
  };
  const replyOf = (body: string) => {
    const opened = openReply({ body, token, crypt });
    return opened.kind === 'message' ? opened.plaintext : opened.body;
  };
  return { service, subscriptions, receive, replyOf, rows, finished };
}

describe('the pipeline with synchronous handlers', () => {
  it('seals a synchronous handler’s reply and logs the push done', async () => {
    const { subscriptions, receive, replyOf, rows, service } = pipeline(1000);
    subscriptions.subscribe('official-account.text', ({ event }) => ({ type: 'text', content: `got ${event.content}` }));
    const answer = await receive();
    expect(replyOf(answer.body)).toContain('<Content><![CDATA[got hello]]></Content>');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ state: 'done', handledLate: false, failure: null, replySummary: { type: 'text', content: 'got hello' } });
    await service.close(10);
  });

  it('records a synchronous handler’s error and still answers with another’s reply', async () => {
    const { subscriptions, receive, replyOf, rows, service } = pipeline(1000);
    subscriptions.subscribe('official-account.text', () => {
      throw new Error('sync boom');
    });
    subscriptions.subscribe('official-account.text', () => ({ type: 'text', content: 'still here' }));
    const answer = await receive();
    expect(replyOf(answer.body)).toContain('still here');
    expect(rows[0]).toMatchObject({ state: 'failed', failure: 'Error: sync boom' });
    await service.close(10);
  });

  it('answers with a synchronous reply while an async handler still runs, which finishes normally', async () => {
    const { subscriptions, receive, replyOf, rows, service } = pipeline(1000);
    let ran = false;
    subscriptions.subscribe('official-account.text', async () => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      ran = true;
    });
    subscriptions.subscribe('official-account.text', () => ({ type: 'text', content: 'quick' }));
    const answer = await receive();
    expect(replyOf(answer.body)).toContain('quick');
    expect(ran).toBe(false);
    expect(rows[0]).toMatchObject({ state: 'done', handledLate: false });
    await service.close(10);
  });

  it('still answers without a slow async handler at the deadline, aborts its signal and finishes its row late', async () => {
    const { subscriptions, receive, rows, finished, service } = pipeline(80);
    let aborted: boolean | undefined;
    subscriptions.subscribe('official-account.text', () => undefined);
    subscriptions.subscribe('official-account.text', async ({ signal }) => {
      await new Promise((resolve) => setTimeout(resolve, 200));
      aborted = signal.aborted;
      return { type: 'text', content: 'too late' };
    });
    const started = Date.now();
    const answer = await receive();
    expect(answer.body).toBe('success');
    expect(Date.now() - started).toBeGreaterThanOrEqual(70);
    expect(Date.now() - started).toBeLessThan(190);
    expect(rows[0]).toMatchObject({ state: 'processing' });
    await service.close(1000);
    expect(aborted).toBe(true);
    expect(finished).toEqual([{ id: 'row-1', changes: expect.objectContaining({ state: 'done', handledLate: true, replySummary: { type: 'text', content: 'too late' } }) }]);
  });
});
