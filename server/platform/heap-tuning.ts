import { setFlagsFromString } from 'node:v8';

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
