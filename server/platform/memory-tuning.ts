import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * V8 settings that keep the server's memory down, set at boot before anything is served and before the
 * embedded database compiles its WebAssembly.
 *
 * Allocation-site pretenuring off: V8 learns that objects made at one spot in the code tend to survive
 * and from then on makes every later one there directly in the old generation, where only a full
 * collection frees it. Reading a large Excel file keeps a few values of each row, so the reader's
 * throwaway objects went old as well: ~270 MiB of garbage per 50,000-row import before the next full
 * collection (docs/benchmarks.md, member import).
 *
 * WebAssembly compiled once, by the optimizing compiler (no Liftoff): by default V8 first compiles the
 * embedded PostgreSQL's functions with its baseline compiler and then again, optimized, for the hot ones,
 * and keeps both. Without the baseline tier the 50,000-row member import peaks ~80 MiB lower (487–552 →
 * 415–477 MiB) at the same callback throughput and query times; a start on an existing data dir takes
 * ~1 s longer, because each function is optimized when it is first called (docs/benchmarks.md,
 * "WebAssembly compiled once").
 */
export function tuneMemory(): void {
  setFlagsFromString('--no-allocation-site-pretenuring');
  setFlagsFromString('--no-liftoff');
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
