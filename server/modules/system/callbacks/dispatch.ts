import type { CallbackContext, CallbackHandler } from './subscriptions';

export interface DispatchOutcome {
  /** The first reply any handler gave, or null. */
  reply: unknown;
  errors: unknown[];
}

/**
 * Runs every handler concurrently. `answer` settles as soon as one gives a
 * reply, or when all have finished without one; `finished` when all have
 * finished (errors are collected, never thrown).
 */
export function runHandlers(
  handlers: readonly CallbackHandler[],
  base: Omit<CallbackContext, 'reply'>,
): { answer: Promise<DispatchOutcome>; finished: Promise<DispatchOutcome> } {
  let chosen: unknown = null;
  const errors: unknown[] = [];
  let announce: (reply: unknown) => void = () => undefined;
  const replied = new Promise<unknown>((resolve) => {
    announce = resolve;
  });
  const give = (reply: unknown) => {
    if (chosen !== null || reply === null || reply === undefined) return;
    chosen = reply;
    announce(reply);
  };
  const runs = handlers.map(async (handler) => {
    try {
      // `signal` is read through, not copied: most handlers never look at it, and the caller makes it only on demand.
      const context = {
        event: base.event,
        account: base.account,
        deadlineAt: base.deadlineAt,
        reply: give,
        get signal() {
          return base.signal;
        },
      };
      give(await handler(context as CallbackContext));
    } catch (error) {
      errors.push(error);
    }
  });
  const finished = Promise.all(runs).then(() => ({ reply: chosen, errors }));
  const answer = Promise.race([replied.then((reply) => ({ reply, errors })), finished]);
  return { answer, finished };
}
