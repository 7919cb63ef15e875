import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { LockTimeoutError, type Cache, type RateLimitResult } from './cache';

// Compare-and-delete: a holder whose lock expired must not free the lock of whoever took it next.
const releaseScript = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

// Sliding window over a sorted set scored by Redis's own clock, so instances with skewed clocks agree.
// ARGV: limit, windowMs, member, counting ('1' for hit, '0' for peek). Refused hits are not counted,
// so a caller who keeps trying is let in again once the window has passed.
const windowScript = `
local limit = tonumber(ARGV[1])
local windowMs = tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - windowMs)
local count = redis.call('ZCARD', KEYS[1])
local allowed = count < limit
if ARGV[4] == '1' and allowed then
  redis.call('ZADD', KEYS[1], now, ARGV[3])
  redis.call('PEXPIRE', KEYS[1], windowMs)
  count = count + 1
end
local retryAfter = 0
if not allowed and limit > 0 then
  local freeing = redis.call('ZRANGE', KEYS[1], count - limit, count - limit, 'WITHSCORES')
  if freeing[2] then retryAfter = math.max(1, tonumber(freeing[2]) + windowMs - now) end
end
if allowed then return {1, count, 0} end
return {0, count, retryAfter}`;

type WindowReply = [number, number, number];

/** Redis wants a positive whole number of milliseconds. */
const px = (ms: number) => Math.max(1, Math.ceil(ms));

interface ScriptedRedis extends Redis {
  qiaoRelease(key: string, token: string): Promise<number>;
  qiaoWindow(key: string, limit: number, windowMs: number, member: string, counting: '0' | '1'): Promise<WindowReply>;
}

/**
 * The cache shared by several Qiao instances. Every key lives under
 * `keyPrefix` (`qiao:` in production); values, locks and windows use
 * separate namespaces so one name can serve all three.
 */
export async function createRedisCache(options: { url: string; keyPrefix: string }): Promise<Cache> {
  const client = new Redis(options.url, {
    keyPrefix: options.keyPrefix,
    lazyConnect: true,
    connectTimeout: 5_000,
    // Fail a command after a few reconnect attempts instead of queueing it forever while Redis is away.
    maxRetriesPerRequest: 3,
    // Commands issued in one turn of the event loop go out in one write: under a burst of callbacks each
    // push's markers would otherwise cost a system call of their own.
    enableAutoPipelining: true,
  }) as ScriptedRedis;
  client.defineCommand('qiaoRelease', { numberOfKeys: 1, lua: releaseScript });
  client.defineCommand('qiaoWindow', { numberOfKeys: 1, lua: windowScript });
  client.on('error', () => {
    // Reconnects on its own; commands issued meanwhile reject and reach their callers.
  });
  await client.connect();

  const valueKey = (key: string) => `kv:${key}`;
  const lockKey = (key: string) => `lock:${key}`;
  const windowKey = (key: string) => `rate:${key}`;

  const window = async (key: string, limit: number, windowMs: number, counting: '0' | '1'): Promise<RateLimitResult> => {
    const [allowed, count, retryAfterMs] = await client.qiaoWindow(windowKey(key), limit, px(windowMs), randomUUID(), counting);
    return { allowed: allowed === 1, count, retryAfterMs };
  };

  const acquire = async (key: string, ttlMs: number, waitMs: number): Promise<string> => {
    const token = randomUUID();
    const deadline = Date.now() + waitMs;
    let pauseMs = 10;
    for (;;) {
      if ((await client.set(lockKey(key), token, 'PX', px(ttlMs), 'NX')) === 'OK') return token;
      const left = deadline - Date.now();
      if (left <= 0) throw new LockTimeoutError(key);
      await sleep(Math.min(pauseMs, left));
      pauseMs = Math.min(pauseMs * 2, 50);
    }
  };

  return {
    kind: 'redis',
    async get(key) {
      return client.get(valueKey(key));
    },
    async set(key, value, ttlMs) {
      if (ttlMs === undefined) await client.set(valueKey(key), value);
      else await client.set(valueKey(key), value, 'PX', px(ttlMs));
    },
    async setIfAbsent(key, value, ttlMs) {
      return (await client.set(valueKey(key), value, 'PX', px(ttlMs), 'NX')) === 'OK';
    },
    async delete(key) {
      await client.del(valueKey(key));
    },
    // Values of '1' under the value's key: what instances of earlier versions set as markers, so both agree during an upgrade.
    async markIfAbsent(key, ttlMs) {
      return (await client.set(valueKey(key), '1', 'PX', px(ttlMs), 'NX')) === 'OK';
    },
    async mark(key, ttlMs) {
      await client.set(valueKey(key), '1', 'PX', px(ttlMs));
    },
    async isMarked(key) {
      return (await client.exists(valueKey(key))) === 1;
    },
    async withLock(key, options, fn) {
      const token = await acquire(key, options.ttlMs, options.waitMs);
      try {
        return await fn();
      } finally {
        await client.qiaoRelease(lockKey(key), token);
      }
    },
    hit: (key, limit, windowMs) => window(key, limit, windowMs, '1'),
    peek: (key, limit, windowMs) => window(key, limit, windowMs, '0'),
    async reset(key) {
      await client.del(windowKey(key));
    },
    async close() {
      await client.quit();
    },
  };
}
