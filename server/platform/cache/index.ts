import type { Cache } from './cache';
import { createMemoryCache } from './memory-cache';
import { createRedisCache } from './redis-cache';

export type { Cache, RateLimitResult } from './cache';
export { LockTimeoutError } from './cache';

/**
 * The cache for this process: Redis when `redisUrl` is set (several
 * instances share locks and limits), else in-process. `keyPrefix` namespaces
 * Redis keys (`qiao:` unless a test gives each run its own).
 */
export async function createCache(options: { redisUrl?: string; keyPrefix?: string }): Promise<Cache> {
  if (options.redisUrl) return createRedisCache({ url: options.redisUrl, keyPrefix: options.keyPrefix ?? 'qiao:' });
  return createMemoryCache();
}
