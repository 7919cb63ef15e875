import { describe, expect, it } from 'vitest';
import type { CallbackAccount } from './subscriptions';
import { runHandlers } from './dispatch';

const account: CallbackAccount = { id: 'a', product: 'official-account', receiver: 'official-account', wechatId: 'wx1' };
const event = { type: 'official-account.text', product: 'official-account', content: 'hi' } as never;

describe('runHandlers', () => {
  it('reads the signal through only when a handler asks for it', async () => {
    let made = 0;
    const controller = new AbortController();
    const base = {
      event,
      account,
      deadlineAt: Date.now() + 1000,
      get signal() {
        made++;
        return controller.signal;
      },
    };
    const quiet = runHandlers([() => ({ type: 'text', content: 'ok' })], base);
    expect((await quiet.answer).reply).toEqual({ type: 'text', content: 'ok' });
    expect(made).toBe(0);
    const curious = runHandlers([(context) => void expect(context.signal).toBe(controller.signal)], base);
    await curious.finished;
    expect(made).toBe(1);
  });

  it('gives the first reply, set or returned, and collects errors', async () => {
    const { answer, finished } = runHandlers(
      [
        async () => {
          throw new Error('boom');
        },
        (context) => {
          context.reply({ type: 'text', content: 'first' } as never);
          return { type: 'text', content: 'second' } as never;
        },
      ],
      { event, account, deadlineAt: Date.now() + 1000, signal: new AbortController().signal },
    );
    expect((await answer).reply).toEqual({ type: 'text', content: 'first' });
    const outcome = await finished;
    expect(outcome.errors).toHaveLength(1);
  });
});
