import { describe, expect, it } from 'vitest';
import { createWriteBatcher } from './write-batcher';

describe('write batcher', () => {
  it('flushes calls of one turn together, gathers calls made during a flush into the next, and answers each in order', async () => {
    const flushes: number[][] = [];
    let release: () => void = () => undefined;
    const double = createWriteBatcher(async (items: number[]) => {
      flushes.push(items);
      if (flushes.length === 1) await new Promise<void>((resolve) => (release = resolve));
      return items.map((n) => n * 2);
    }, 3);
    const first = Promise.all([1, 2].map((n) => double(n)));
    await new Promise((resolve) => setImmediate(resolve));
    const second = Promise.all([3, 4, 5, 6].map((n) => double(n)));
    release();
    expect(await first).toEqual([2, 4]);
    expect(await second).toEqual([6, 8, 10, 12]);
    expect(flushes).toEqual([[1, 2], [3, 4, 5], [6]]);
    expect(await double(7)).toBe(14);
  });

  it('fails every call of a failed flush', async () => {
    const failing = createWriteBatcher(async () => {
      throw new Error('database gone');
    });
    await expect(Promise.all([failing(1), failing(2)])).rejects.toThrow('database gone');
  });

  it('with retrySingly, flushes each call of a failed flush again on its own, so only the bad one fails', async () => {
    const flushes: number[][] = [];
    const positive = createWriteBatcher(
      async (items: number[]) => {
        flushes.push(items);
        if (items.some((n) => n < 0)) throw new Error(`negative in ${items.join(',')}`);
        return items;
      },
      500,
      { retrySingly: true },
    );
    const settled = await Promise.allSettled([positive(1), positive(-2), positive(3)]);
    expect(settled).toEqual([
      { status: 'fulfilled', value: 1 },
      { status: 'rejected', reason: new Error('negative in -2') },
      { status: 'fulfilled', value: 3 },
    ]);
    expect(flushes).toEqual([[1, -2, 3], [1], [-2], [3]]);
  });

  it('drains: resolves once every write queued so far has been flushed', async () => {
    const written: number[] = [];
    let release: () => void = () => undefined;
    const write = createWriteBatcher(async (items: number[]) => {
      if (written.length === 0) await new Promise<void>((resolve) => (release = resolve));
      written.push(...items);
      return items;
    });
    await write.drain();
    void write(1);
    await new Promise((resolve) => setImmediate(resolve));
    void write(2);
    void write(3);
    let drained = false;
    const draining = write.drain().then(() => (drained = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(drained).toBe(false);
    release();
    await draining;
    expect(written).toEqual([1, 2, 3]);
  });
});
