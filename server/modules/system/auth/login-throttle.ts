import type { Cache } from '../../../platform/cache/cache';

/** Failed-login limits; tests pass small windows. */
export interface LoginThrottleOptions {
  /** Failures allowed for one username from one address within the window. */
  perPair: number;
  /** Failures allowed from one address across usernames within the window. */
  perIp: number;
  windowMs: number;
}

export const defaultLoginThrottle: LoginThrottleOptions = { perPair: 10, perIp: 50, windowMs: 15 * 60_000 };

/**
 * Counts failed logins per (username, address) and per address. Only
 * failures count, and attempts refused while throttled do not, so the window
 * always ends 15 minutes after the last real failure: a throttled pair never
 * locks the user out for good, and other addresses are unaffected.
 */
export function createLoginThrottle(cache: Cache, options: LoginThrottleOptions) {
  const pairKey = (username: string, ip: string) => `login-fail:pair:${encodeURIComponent(username.toLowerCase())}:${ip}`;
  const ipKey = (ip: string) => `login-fail:ip:${ip}`;

  return {
    /** Milliseconds until another attempt is allowed; 0 when allowed now. */
    async blockedForMs(username: string, ip: string): Promise<number> {
      const [pair, address] = await Promise.all([
        cache.peek(pairKey(username, ip), options.perPair, options.windowMs),
        cache.peek(ipKey(ip), options.perIp, options.windowMs),
      ]);
      const waits = [
        !pair.allowed || pair.count >= options.perPair ? Math.max(pair.retryAfterMs, 1) : 0,
        !address.allowed || address.count >= options.perIp ? Math.max(address.retryAfterMs, 1) : 0,
      ];
      return Math.max(...waits);
    },

    async recordFailure(username: string, ip: string): Promise<void> {
      await Promise.all([
        cache.hit(pairKey(username, ip), options.perPair, options.windowMs),
        cache.hit(ipKey(ip), options.perIp, options.windowMs),
      ]);
    },

    async recordSuccess(username: string, ip: string): Promise<void> {
      await cache.reset(pairKey(username, ip));
    },
  };
}
