import { describe, expect, it } from 'vitest';
import { manualClock } from '../../../platform/clock';
import type { CallbackSubscriptions } from '../../system/callbacks';
import { subscribeTagRuleCallbacks } from './tags.callbacks';
import type { TagRuleRow } from './tags.tables';

type Handler = (context: { event: { fromUserName: string; content?: string; eventKey?: string }; account: { id: string } }) => Promise<void>;

/** What the query builder is: a thenable that runs its SQL each time it is awaited. */
function lazyQuery(rows: TagRuleRow[], runs: { count: number }): PromiseLike<TagRuleRow[]> {
  return {
    // oxlint-disable-next-line unicorn/no-thenable -- the point: a query builder is exactly such a thenable.
    then(onFulfilled, onRejected) {
      runs.count++;
      return Promise.resolve(rows).then(onFulfilled, onRejected);
    },
  };
}

describe('auto-tag rules on callbacks', () => {
  it('reads an account’s rules once per cache period however many messages arrive, and again after a change', async () => {
    const clock = manualClock();
    const runs = { count: 0 };
    const rule: TagRuleRow = { id: 'r1', accountId: 'acc', tagId: 101, trigger: 'keyword', match: 'contains', value: '价格', createdAt: clock.now() } as TagRuleRow;
    const handlers = new Map<string, Handler>();
    const tagged: string[] = [];
    const callbacks = subscribeTagRuleCallbacks({
      repository: { listRules: () => lazyQuery([rule], runs) as Promise<TagRuleRow[]> },
      subscribe: ((type: string, handler: Handler) => {
        handlers.set(type, handler);
        return () => undefined;
      }) as unknown as CallbackSubscriptions['subscribe'],
      tagger: { add: (_account: string, openId: string, tagId: number) => tagged.push(`${openId}:${tagId}`), drain: async () => undefined },
      clock,
      cacheMs: 30_000,
    });
    const text = handlers.get('official-account.text')!;
    await Promise.all(Array.from({ length: 20 }, (_, i) => text({ event: { fromUserName: `o${i}`, content: '产品价格' }, account: { id: 'acc' } })));
    await text({ event: { fromUserName: 'oLate', content: '价格呢' }, account: { id: 'acc' } });
    expect(tagged).toHaveLength(21);
    expect(runs.count).toBe(1);

    clock.advance(30_000);
    await text({ event: { fromUserName: 'oNext', content: '你好' }, account: { id: 'acc' } });
    expect(runs.count).toBe(2);
    callbacks.forget('acc');
    await text({ event: { fromUserName: 'oNext', content: '你好' }, account: { id: 'acc' } });
    expect(runs.count).toBe(3);
  });
});
