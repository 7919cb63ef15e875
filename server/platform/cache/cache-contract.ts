import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LockTimeoutError, type Cache } from './cache';

/**
 * The behaviour every Cache implementation must show. `open` returns a new
 * instance on shared state each call (two Redis clients, or two in-process
 * caches on one state), so cross-instance guarantees are checked too.
 */
export function describeCacheContract(name: string, open: () => Promise<Cache>, cleanup?: () => Promise<void>): void {
  describe(`${name} cache`, () => {
    let a: Cache;
    let b: Cache;
    const key = (label: string) => `${label}:${randomUUID()}`;

    beforeAll(async () => {
      a = await open();
      b = await open();
    });
    afterAll(async () => {
      await a?.close();
      await b?.close();
      await cleanup?.();
    });

    it('stores, reads and deletes values, visible to every instance', async () => {
      const k = key('value');
      expect(await a.get(k)).toBeNull();
      await a.set(k, 'one');
      expect(await b.get(k)).toBe('one');
      await b.set(k, 'two');
      expect(await a.get(k)).toBe('two');
      await a.delete(k);
      expect(await b.get(k)).toBeNull();
    });

    it('forgets a value once its ttl has passed and keeps one without ttl', async () => {
      const short = key('short');
      const kept = key('kept');
      await a.set(short, 'x', 40);
      await a.set(kept, 'y');
      expect(await b.get(short)).toBe('x');
      await sleep(150);
      expect(await b.get(short)).toBeNull();
      expect(await b.get(kept)).toBe('y');
    });

    it('lets exactly one of 20 concurrent setIfAbsent calls win, across instances', async () => {
      const k = key('once');
      const outcomes = await Promise.all(
        Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? a : b).setIfAbsent(k, `caller-${i}`, 10_000)),
      );
      expect(outcomes.filter(Boolean)).toHaveLength(1);
      expect(await a.get(k)).toBe(`caller-${outcomes.indexOf(true)}`);
      expect(await b.setIfAbsent(k, 'late', 10_000)).toBe(false);
    });

    it('lets setIfAbsent succeed again after the marker expired', async () => {
      const k = key('marker');
      expect(await a.setIfAbsent(k, '1', 40)).toBe(true);
      await sleep(150);
      expect(await b.setIfAbsent(k, '2', 10_000)).toBe(true);
      expect(await a.get(k)).toBe('2');
    });

    it('lets exactly one of 20 concurrent markIfAbsent calls win, across instances, until the marker expires', async () => {
      const k = key('mark');
      expect(await b.isMarked(k)).toBe(false);
      const outcomes = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? a : b).markIfAbsent(k, 60)));
      expect(outcomes.filter(Boolean)).toHaveLength(1);
      expect(await b.isMarked(k)).toBe(true);
      expect(await a.markIfAbsent(k, 10_000)).toBe(false);
      await sleep(150);
      expect(await a.isMarked(k)).toBe(false);
      expect(await b.markIfAbsent(k, 10_000)).toBe(true);
    });

    it('extends a marker with mark, and forgets it on delete', async () => {
      const k = key('held');
      const other = key('held');
      expect(await a.markIfAbsent(k, 40)).toBe(true);
      await b.mark(k, 10_000);
      await a.mark(other, 10_000);
      await sleep(150);
      expect(await a.isMarked(k)).toBe(true);
      expect(await b.markIfAbsent(k, 10_000)).toBe(false);
      await b.delete(k);
      expect(await a.isMarked(k)).toBe(false);
      expect(await a.isMarked(other)).toBe(true);
    });

    it('runs lock holders one at a time across two instances', async () => {
      const k = key('lock');
      let inside = 0;
      let mostInside = 0;
      let counter = 0;
      await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          (i % 2 === 0 ? a : b).withLock(k, { ttlMs: 10_000, waitMs: 10_000 }, async () => {
            inside++;
            mostInside = Math.max(mostInside, inside);
            const read = counter;
            await sleep(5);
            counter = read + 1;
            inside--;
          }),
        ),
      );
      expect(mostInside).toBe(1);
      expect(counter).toBe(12);
    });

    it('returns what the locked function returns and frees the lock when it throws', async () => {
      const k = key('lock');
      expect(await a.withLock(k, { ttlMs: 1_000, waitMs: 100 }, async () => 42)).toBe(42);
      await expect(a.withLock(k, { ttlMs: 1_000, waitMs: 100 }, async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
      expect(await b.withLock(k, { ttlMs: 1_000, waitMs: 0 }, async () => 'free')).toBe('free');
    });

    it('gives up with LockTimeoutError when the lock stays held past waitMs', async () => {
      const k = key('lock');
      let release!: () => void;
      const held = a.withLock(k, { ttlMs: 10_000, waitMs: 100 }, () => new Promise<void>((r) => (release = r)));
      await sleep(20);
      let ran = false;
      const attempt = b.withLock(k, { ttlMs: 1_000, waitMs: 60 }, async () => {
        ran = true;
      });
      await expect(attempt).rejects.toBeInstanceOf(LockTimeoutError);
      expect(ran).toBe(false);
      release();
      await held;
    });

    it('hands an abandoned lock over once its ttl expires, and the late holder cannot free the new one', async () => {
      const k = key('lock');
      let finishAbandoned!: () => void;
      const abandoned = a.withLock(k, { ttlMs: 100, waitMs: 100 }, () => new Promise<void>((r) => (finishAbandoned = r)));
      await sleep(20);
      let lateFinished!: Promise<void>;
      const outcome = await b.withLock(k, { ttlMs: 10_000, waitMs: 5_000 }, async () => {
        finishAbandoned();
        lateFinished = abandoned;
        await lateFinished;
        // The abandoned holder has now "released": the lock must still be ours.
        return a.withLock(k, { ttlMs: 1_000, waitMs: 0 }, async () => 'stolen').catch((error: unknown) => error);
      });
      expect(outcome).toBeInstanceOf(LockTimeoutError);
    });

    it('counts hits in a window across instances and refuses past the limit', async () => {
      const k = key('rate');
      expect(await a.hit(k, 3, 60_000)).toEqual({ allowed: true, count: 1, retryAfterMs: 0 });
      expect(await b.hit(k, 3, 60_000)).toMatchObject({ allowed: true, count: 2 });
      expect(await a.hit(k, 3, 60_000)).toMatchObject({ allowed: true, count: 3 });
      const refused = await b.hit(k, 3, 60_000);
      expect(refused).toMatchObject({ allowed: false, count: 3 });
      expect(refused.retryAfterMs).toBeGreaterThan(0);
      expect(refused.retryAfterMs).toBeLessThanOrEqual(60_000);
    });

    it('peeks without counting and resets a window', async () => {
      const k = key('rate');
      expect(await a.peek(k, 2, 60_000)).toEqual({ allowed: true, count: 0, retryAfterMs: 0 });
      await a.hit(k, 2, 60_000);
      expect(await b.peek(k, 2, 60_000)).toMatchObject({ allowed: true, count: 1 });
      await b.hit(k, 2, 60_000);
      const full = await a.peek(k, 2, 60_000);
      expect(full).toMatchObject({ allowed: false, count: 2 });
      expect(full.retryAfterMs).toBeGreaterThan(0);
      expect(await a.peek(k, 2, 60_000)).toMatchObject({ count: 2 });
      await b.reset(k);
      expect(await a.peek(k, 2, 60_000)).toEqual({ allowed: true, count: 0, retryAfterMs: 0 });
      expect(await a.hit(k, 2, 60_000)).toMatchObject({ allowed: true, count: 1 });
    });

    it('lets hits in again once the window has slid past them', async () => {
      const k = key('rate');
      await a.hit(k, 1, 80);
      expect((await b.hit(k, 1, 80)).allowed).toBe(false);
      await sleep(200);
      expect(await b.hit(k, 1, 80)).toMatchObject({ allowed: true, count: 1 });
    });

    it('keeps values, locks and windows of the same name apart', async () => {
      const k = key('shared-name');
      await a.set(k, 'value');
      await a.hit(k, 5, 60_000);
      await a.withLock(k, { ttlMs: 1_000, waitMs: 100 }, async () => {
        expect(await b.get(k)).toBe('value');
      });
      await a.reset(k);
      expect(await b.get(k)).toBe('value');
    });
  });
}
