import { setTimeout as tick } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { collectGarbage } from './heap-tuning';

describe('collectGarbage', () => {
  it('frees an object nothing refers to any more, every time it is called', async () => {
    for (let round = 0; round < 2; round++) {
      const ref = ((): WeakRef<object> => new WeakRef({ rows: Array.from({ length: 10_000 }, (_, i) => ({ i })) }))();
      // A WeakRef's target stays alive until the task that made (or last read) it ends.
      await tick(0);
      collectGarbage();
      expect(ref.deref()).toBeUndefined();
    }
  });
});
