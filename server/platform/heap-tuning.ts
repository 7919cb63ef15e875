import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * Turns off V8's allocation-site pretenuring for this process. V8 learns that objects made at one spot
 * in the code tend to survive and from then on makes every later one there directly in the old
 * generation, where only a full collection frees it. Reading a large Excel file keeps a few values of
 * each row, so the reader's throwaway objects went old as well: ~270 MiB of garbage per 50,000-row
 * import before the next full collection (docs/benchmarks.md, member import). Called before serving.
 */
export function tuneHeap(): void {
  setFlagsFromString('--no-allocation-site-pretenuring');
}

let fullCollection: (() => void) | null | undefined;

/**
 * A full garbage collection, for a long job between two of its batches, when the garbage of the
 * batches before is known to be done with. V8 collects the old generation only once it has grown by
 * a factor of itself, so a job that writes 50,000 rows in batches climbed ~1.5 MiB per batch towards
 * that limit (+100 MiB RSS on top of the rows it held); one collection every few batches keeps it flat.
 * The collector is reached through `--expose-gc` in a fresh context; where V8 refuses, this does nothing.
 */
export function collectGarbage(): void {
  if (fullCollection === undefined) {
    try {
      setFlagsFromString('--expose-gc');
      const gc: unknown = runInNewContext('gc');
      fullCollection = typeof gc === 'function' ? (gc as () => void) : null;
    } catch {
      fullCollection = null;
    }
  }
  fullCollection?.();
}
