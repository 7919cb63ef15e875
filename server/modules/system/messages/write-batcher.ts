/**
 * Gathers calls made in the same event-loop turn (up to `maxSize`) into one
 * `flush`, which answers one result per item in order. Under load many
 * callbacks arrive together; one statement for all of them costs the
 * database far less than one each. A failed flush fails every call in it.
 */
export function createWriteBatcher<T, R>(flush: (items: T[]) => Promise<R[]>, maxSize = 200): (item: T) => Promise<R> {
  let pending: { item: T; resolve: (value: R) => void; reject: (error: unknown) => void }[] = [];
  let scheduled = false;

  function run(): void {
    scheduled = false;
    const batch = pending;
    pending = [];
    if (batch.length === 0) return;
    flush(batch.map((entry) => entry.item)).then(
      (results) => batch.forEach((entry, i) => entry.resolve(results[i] as R)),
      (error: unknown) => batch.forEach((entry) => entry.reject(error)),
    );
  }

  return (item) =>
    new Promise<R>((resolve, reject) => {
      pending.push({ item, resolve, reject });
      if (pending.length >= maxSize) run();
      else if (!scheduled) {
        scheduled = true;
        setImmediate(run);
      }
    });
}
