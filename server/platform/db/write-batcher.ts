/**
 * Group commit: calls made while a flush is running wait and go together in
 * the next one (up to `maxSize`); an idle batcher flushes on the next turn.
 * Under load many callbacks arrive at once, and one statement for all of
 * them costs the database far less than one each (PGlite runs one statement
 * at a time anyway). A failed flush fails every call in it, unless
 * `retrySingly`: then each call is flushed again on its own, so that one bad
 * item (or a batch lost to a deadlock) fails alone. `drain()`
 * resolves once everything queued so far is written (or failed), for a close
 * that must not drop detached writes.
 */
export interface WriteBatcher<T, R> {
  (item: T): Promise<R>;
  drain(): Promise<void>;
}

export function createWriteBatcher<T, R>(flush: (items: T[]) => Promise<R[]>, maxSize = 500, options: { retrySingly?: boolean } = {}): WriteBatcher<T, R> {
  let pending: { item: T; resolve: (value: R) => void; reject: (error: unknown) => void }[] = [];
  let flushing = false;
  let scheduled = false;
  let idle: (() => void)[] = [];

  function run(): void {
    scheduled = false;
    if (flushing || pending.length === 0) return;
    const batch = pending.slice(0, maxSize);
    pending = pending.slice(batch.length);
    flushing = true;
    flush(batch.map((entry) => entry.item))
      .then(
        (results) => batch.forEach((entry, i) => entry.resolve(results[i] as R)),
        async (error: unknown) => {
          if (!options.retrySingly || batch.length === 1) return batch.forEach((entry) => entry.reject(error));
          for (const entry of batch) {
            await flush([entry.item]).then(
              ([result]) => entry.resolve(result as R),
              (alone: unknown) => entry.reject(alone),
            );
          }
        },
      )
      .finally(() => {
        flushing = false;
        run();
        if (!flushing && pending.length === 0) {
          const waiting = idle;
          idle = [];
          for (const resolve of waiting) resolve();
        }
      });
  }

  const write = (item: T) =>
    new Promise<R>((resolve, reject) => {
      pending.push({ item, resolve, reject });
      if (!flushing && !scheduled) {
        scheduled = true;
        setImmediate(run);
      }
    });
  return Object.assign(write, {
    drain(): Promise<void> {
      if (!flushing && pending.length === 0) return Promise.resolve();
      return new Promise<void>((resolve) => idle.push(resolve));
    },
  });
}
