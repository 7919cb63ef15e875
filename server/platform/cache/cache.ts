/**
 * Shared state that must agree across Qiao instances: cached values
 * (access tokens), one-shot markers (callback dedupe), locks and rate limits.
 * In-process when one instance runs, Redis when `REDIS_URL` is set; one test
 * suite runs against both implementations.
 */
export interface Cache {
  readonly kind: 'memory' | 'redis';
  get(key: string): Promise<string | null>;
  /** `ttlMs` undefined keeps the value until deleted. */
  set(key: string, value: string, ttlMs?: number): Promise<void>;
  /** Sets only when absent; true when this call set it (dedupe, single-flight). */
  setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean>;
  delete(key: string): Promise<void>;
  /**
   * A marker: a key that holds no value, only whether it is there (callback dedupe). Marks `key` for
   * `ttlMs` when it is not marked yet; true when this call marked it. In process, markers take a
   * fraction of a value's memory; in Redis they are values of '1'.
   */
  markIfAbsent(key: string, ttlMs: number): Promise<boolean>;
  /** Marks `key` for `ttlMs` from now, whether it was marked or not. */
  mark(key: string, ttlMs: number): Promise<void>;
  isMarked(key: string): Promise<boolean>;
  /**
   * Runs `fn` while holding a lock on `key` across instances; waits up to
   * `waitMs` for it, then throws. The lock expires after `ttlMs` if the holder dies.
   */
  withLock<T>(key: string, options: { ttlMs: number; waitMs: number }, fn: () => Promise<T>): Promise<T>;
  /**
   * Counts one hit in a sliding window of `windowMs`; `allowed` is false once
   * `limit` hits were counted, with the time until one expires.
   */
  hit(key: string, limit: number, windowMs: number): Promise<RateLimitResult>;
  /** Looks at a window without counting a hit. */
  peek(key: string, limit: number, windowMs: number): Promise<RateLimitResult>;
  /** Forgets a window (e.g. failed logins after a success). */
  reset(key: string): Promise<void>;
  close(): Promise<void>;
}

export interface RateLimitResult {
  allowed: boolean;
  count: number;
  retryAfterMs: number;
}

export class LockTimeoutError extends Error {
  constructor(key: string) {
    super(`Timed out waiting for lock ${key}`);
    this.name = 'LockTimeoutError';
  }
}
