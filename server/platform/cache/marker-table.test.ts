import { describe, expect, it } from 'vitest';
import { MarkerTable } from './marker-table';

function clock(start = 1_700_000_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('MarkerTable', () => {
  it('marks a key once until it expires, and again after', () => {
    const time = clock();
    const table = new MarkerTable(time.now);
    expect(table.markIfAbsent('a', 1000)).toBe(true);
    expect(table.markIfAbsent('a', 1000)).toBe(false);
    expect(table.isMarked('a')).toBe(true);
    expect(table.isMarked('b')).toBe(false);
    time.advance(999);
    expect(table.markIfAbsent('a', 1000)).toBe(false);
    time.advance(1);
    expect(table.isMarked('a')).toBe(false);
    expect(table.markIfAbsent('a', 1000)).toBe(true);
  });

  it('extends a marker with mark and forgets it with unmark', () => {
    const time = clock();
    const table = new MarkerTable(time.now);
    table.markIfAbsent('a', 100);
    table.mark('a', 10_000);
    time.advance(5_000);
    expect(table.isMarked('a')).toBe(true);
    table.unmark('a');
    expect(table.isMarked('a')).toBe(false);
    expect(table.markIfAbsent('a', 100)).toBe(true);
  });

  it('keeps every one of 200,000 keys apart as it grows, and none past their expiry', () => {
    const time = clock();
    const table = new MarkerTable(time.now);
    const keys = Array.from({ length: 200_000 }, (_, i) => `callbacks:claim:account|${7_000_000_000_000_000_000n + BigInt(i)}`);
    expect(keys.filter((key) => !table.markIfAbsent(key, 30_000))).toEqual([]);
    expect(table.size).toBe(keys.length);
    expect(keys.every((key) => table.isMarked(key))).toBe(true);
    expect(keys.some((key) => table.markIfAbsent(key, 30_000))).toBe(false);
    expect(table.isMarked('callbacks:claim:account|6999999999999999999')).toBe(false);
    time.advance(30_000);
    expect(table.size).toBe(0);
    expect(keys.some((key) => table.isMarked(key))).toBe(false);
  });

  it('reuses expired slots under steady churn and gives memory back once load falls', () => {
    const time = clock();
    const table = new MarkerTable(time.now);
    const capacity = () => (table as unknown as { capacity: number }).capacity;
    // 1,000 new keys a second, each kept 30 s, for 5 minutes: the table settles at a size for ~30,000 keys.
    let n = 0;
    let refused = 0;
    for (let second = 0; second < 300; second++) {
      for (let i = 0; i < 1000; i++) if (!table.markIfAbsent(`k${n++}`, 30_000)) refused++;
      time.advance(1000);
      if (second % 10 === 9) table.sweep();
    }
    expect(refused).toBe(0);
    expect(table.size).toBe(29_000);
    expect(capacity()).toBeLessThanOrEqual(262_144);
    const recent = `k${n - 1}`;
    expect(table.isMarked(recent)).toBe(true);
    expect(table.isMarked(`k${n - 31_000}`)).toBe(false);
    time.advance(29_000);
    table.mark('late', 60_000);
    table.sweep();
    expect(table.size).toBe(1);
    expect(capacity()).toBe(1024);
    expect(table.isMarked('late')).toBe(true);
  });
});
