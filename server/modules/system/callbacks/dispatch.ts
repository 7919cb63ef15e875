import type { CallbackContext, CallbackHandler } from './subscriptions';

export interface DispatchOutcome {
  /** The first reply any handler gave, or null. */
  reply: unknown;
  errors: unknown[];
}

/** Handlers started: `outcome` when every one returned without a promise, else the promises of `runHandlers`. */
export type Dispatch =
  | { done: true; outcome: DispatchOutcome }
  | { done: false; answer: Promise<DispatchOutcome>; finished: Promise<DispatchOutcome> };

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return value !== null && (typeof value === 'object' || typeof value === 'function') && typeof (value as { then?: unknown }).then === 'function';
}

/**
 * Calls every handler at once. When none returns a promise the outcome is
 * known before this returns, and no promise or timer is made for the push
 * (most handlers answer synchronously); otherwise as `runHandlers`.
 * `signal` is called only when a handler reads its context's signal.
 */
export function dispatch(
  handlers: readonly CallbackHandler[],
  base: Omit<CallbackContext, 'reply' | 'signal'>,
  signal: () => AbortSignal,
): Dispatch {
  let chosen: unknown = null;
  const errors: unknown[] = [];
  let announce: ((reply: unknown) => void) | undefined;
  const give = (reply: unknown): void => {
    if (chosen !== null || reply === null || reply === undefined) return;
    chosen = reply;
    announce?.(reply);
  };
  const { event, account, deadlineAt } = base;
  // What each handler returned, given once all have been called: a returned reply counts after any set with `context.reply` while the handlers ran, as it did when each return was awaited.
  const returned: unknown[] = [];
  let pending = false;
  for (const handler of handlers) {
    const context = {
      event,
      account,
      deadlineAt,
      reply: give,
      get signal() {
        return signal();
      },
    };
    try {
      const result = handler(context as CallbackContext);
      if (!pending && isThenable(result)) pending = true;
      returned.push(result);
    } catch (error) {
      errors.push(error);
    }
  }
  if (!pending) {
    for (const result of returned) give(result);
    return { done: true, outcome: { reply: chosen, errors } };
  }
  const replied = new Promise<unknown>((resolve) => {
    announce = resolve;
    if (chosen !== null) resolve(chosen);
  });
  const settle = async (result: unknown): Promise<void> => {
    try {
      give(await result);
    } catch (error) {
      errors.push(error);
    }
  };
  const runs: Promise<void>[] = [];
  for (const result of returned) runs.push(settle(result));
  const finished = Promise.all(runs).then(() => ({ reply: chosen, errors }));
  const answer = Promise.race([replied.then((reply) => ({ reply, errors })), finished]);
  return { done: false, answer, finished };
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
  // `signal` is read through, not copied: most handlers never look at it, and the caller makes it only on demand.
  const started = dispatch(handlers, base, () => base.signal);
  if (!started.done) return started;
  const settled = Promise.resolve(started.outcome);
  return { answer: settled, finished: settled };
}
