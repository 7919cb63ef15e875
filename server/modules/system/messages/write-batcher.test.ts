import { describe, expect, it } from 'vitest';
import { createWriteBatcher } from './write-batcher';

describe('write batcher', () => {
  it('flushes calls of one turn together and answers each in order', async () => {
    const flushes: number[][] = [];
    const double = createWriteBatcher(async (items: number[]) => {
      flushes.push(items);
      return items.map((n) => n * 2);
    }, 3);
    const results = await Promise.all([1, 2, 3, 4, 5].map((n) => double(n)));
    expect(results).toEqual([2, 4, 6, 8, 10]);
    expect(flushes).toEqual([[1, 2, 3], [4, 5]]);
    expect(await double(6)).toBe(12);
  });

  it('fails every call of a failed flush', async () => {
    const failing = createWriteBatcher(async () => {
      throw new Error('database gone');
    });
    await expect(Promise.all([failing(1), failing(2)])).rejects.toThrow('database gone');
  });
});
