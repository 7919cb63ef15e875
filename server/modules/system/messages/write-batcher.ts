/**
 * Group commit: calls made while a flush is running wait and go together in
 * the next one (up to `maxSize`); an idle batcher flushes on the next turn.
 * Under load many callbacks arrive at once, and one statement for all of
 * them costs the database far less than one each (PGlite runs one statement
 * at a time anyway). A failed flush fails every call in it.
 */
export function createWriteBatcher<T, R>(flush: (items: T[]) => Promise<R[]>, maxSize = 500): (item: T) => Promise<R> {
  let pending: { item: T; resolve: (value: R) => void; reject: (error: unknown) => void }[] = [];
  let flushing = false;
  let scheduled = false;

  function run(): void {
    scheduled = false;
    if (flushing || pending.length === 0) return;
    const batch = pending.slice(0, maxSize);
    pending = pending.slice(batch.length);
    flushing = true;
    flush(batch.map((entry) => entry.item))
      .then(
        (results) => batch.forEach((entry, i) => entry.resolve(results[i] as R)),
        (error: unknown) => batch.forEach((entry) => entry.reject(error)),
      )
      .finally(() => {
        flushing = false;
        run();
      });
  }

  return (item) =>
    new Promise<R>((resolve, reject) => {
      pending.push({ item, resolve, reject });
      if (!flushing && !scheduled) {
        scheduled = true;
        setImmediate(run);
      }
    });
}
