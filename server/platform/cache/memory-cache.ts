import { randomUUID } from 'node:crypto';
import { LockTimeoutError, type Cache, type RateLimitResult } from './cache';
import { MarkerTable } from './marker-table';

interface Entry {
  value: string;
  expiresAt: number | null;
}

interface Waiter {
  grant(): void;
}

interface HeldLock {
  token: string;
  expiry: NodeJS.Timeout;
}

/**
 * The state behind in-process caches. Two caches made from one state behave
 * like two instances sharing one Redis, which is how the shared test suite
 * checks cross-instance locking against the in-process implementation too.
 */
export class MemoryCacheState {
  readonly values = new Map<string, Entry>();
  readonly windows = new Map<string, { hits: number[]; windowMs: number }>();
  readonly locks = new Map<string, HeldLock>();
  readonly waiters = new Map<string, Waiter[]>();
  readonly markers: MarkerTable;
  readonly now: () => number;

  constructor(now: () => number = Date.now) {
    this.now = now;
    this.markers = new MarkerTable(now);
  }
}

// Often enough that short-lived keys (callback markers: thousands a second under load) do not pile up for long past their expiry.
const sweepEveryMs = 10_000;

/** The cache of a single Qiao instance: values, locks and windows in this process. */
export function createMemoryCache(state = new MemoryCacheState()): Cache {
  const { values, windows, locks, waiters, markers, now } = state;

  // Expired entries are dropped on read; the sweep bounds memory for keys nobody reads again.
  const sweep = setInterval(() => {
    const at = now();
    for (const [key, entry] of values) if (entry.expiresAt !== null && entry.expiresAt <= at) values.delete(key);
    for (const [key, window] of windows) if ((window.hits.at(-1) ?? 0) <= at - window.windowMs) windows.delete(key);
    markers.sweep();
  }, sweepEveryMs);
  sweep.unref();

  const read = (key: string): string | null => {
    const entry = values.get(key);
    if (!entry) return null;
    if (entry.expiresAt !== null && entry.expiresAt <= now()) {
      values.delete(key);
      return null;
    }
    return entry.value;
  };

  const liveHits = (key: string, windowMs: number): number[] => {
    const from = now() - windowMs;
    const hits = (windows.get(key)?.hits ?? []).filter((at) => at > from);
    if (hits.length > 0) windows.set(key, { hits, windowMs });
    else windows.delete(key);
    return hits;
  };

  // Refused until enough hits leave the window to bring the count under the limit.
  const windowResult = (hits: number[], limit: number, windowMs: number, allowed: boolean): RateLimitResult => {
    const freeing = hits[hits.length - limit];
    return {
      allowed,
      count: hits.length,
      retryAfterMs: allowed || freeing === undefined ? 0 : Math.max(1, freeing + windowMs - now()),
    };
  };

  const take = (key: string, ttlMs: number): string => {
    const token = randomUUID();
    const expiry = setTimeout(() => release(key, token), ttlMs);
    expiry.unref();
    locks.set(key, { token, expiry });
    return token;
  };

  const release = (key: string, token: string): void => {
    const held = locks.get(key);
    if (!held || held.token !== token) return;
    clearTimeout(held.expiry);
    locks.delete(key);
    const queue = waiters.get(key);
    const next = queue?.shift();
    if (queue && queue.length === 0) waiters.delete(key);
    next?.grant();
  };

  const acquire = (key: string, ttlMs: number, waitMs: number): Promise<string> => {
    if (!locks.has(key)) return Promise.resolve(take(key, ttlMs));
    return new Promise<string>((resolve, reject) => {
      const waiter: Waiter = {
        grant: () => {
          clearTimeout(timer);
          resolve(take(key, ttlMs));
        },
      };
      const timer = setTimeout(() => {
        const queue = waiters.get(key) ?? [];
        const at = queue.indexOf(waiter);
        if (at >= 0) queue.splice(at, 1);
        if (queue.length === 0) waiters.delete(key);
        reject(new LockTimeoutError(key));
      }, waitMs);
      const queue = waiters.get(key) ?? [];
      queue.push(waiter);
      waiters.set(key, queue);
    });
  };

  return {
    kind: 'memory',
    async get(key) {
      return read(key);
    },
    async set(key, value, ttlMs) {
      values.set(key, { value, expiresAt: ttlMs === undefined ? null : now() + ttlMs });
    },
    async setIfAbsent(key, value, ttlMs) {
      if (read(key) !== null) return false;
      values.set(key, { value, expiresAt: now() + ttlMs });
      return true;
    },
    async delete(key) {
      values.delete(key);
      markers.unmark(key);
    },
    async markIfAbsent(key, ttlMs) {
      return markers.markIfAbsent(key, ttlMs);
    },
    async mark(key, ttlMs) {
      markers.mark(key, ttlMs);
    },
    async isMarked(key) {
      return markers.isMarked(key);
    },
    async withLock(key, options, fn) {
      const token = await acquire(key, options.ttlMs, options.waitMs);
      try {
        return await fn();
      } finally {
        release(key, token);
      }
    },
    async hit(key, limit, windowMs) {
      const hits = liveHits(key, windowMs);
      if (hits.length >= limit) return windowResult(hits, limit, windowMs, false);
      hits.push(now());
      windows.set(key, { hits, windowMs });
      return windowResult(hits, limit, windowMs, true);
    },
    async peek(key, limit, windowMs) {
      const hits = liveHits(key, windowMs);
      return windowResult(hits, limit, windowMs, hits.length < limit);
    },
    async reset(key) {
      windows.delete(key);
    },
    async close() {
      clearInterval(sweep);
    },
  };
}
