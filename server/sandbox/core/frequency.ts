import type { WeChatProduct } from '../../wechat/client/endpoint';
import { wechatError } from './wechat-error';

/** At most `limit` calls per `windowMs`; past it the caller is refused until `windowMs` after the excess call (WeCom's penalty). */
export interface FrequencyLimit {
  limit: number;
  windowMs: number;
}

/** WeCom's answer to a call over a frequency limit (facts §5.12). */
export const FREQUENCY_ERRCODE = 45009;

interface Window {
  startedAt: number;
  count: number;
  blockedUntil: number;
}

/**
 * Fixed windows counted in memory, like the fault registry: limits protect
 * WeChat's servers for a minute or an hour, not state worth a database write
 * on every call. Several sandbox processes would each count their own share.
 */
export function createFrequencyLimits() {
  const windows = new Map<string, Window>();
  let lastSweep = 0;

  function sweep(now: number): void {
    if (now - lastSweep < 60_000) return;
    lastSweep = now;
    for (const [key, window] of windows) if (window.blockedUntil <= now && now - window.startedAt > 3_600_000) windows.delete(key);
  }

  return {
    /** Counts one call of `path` by `scope` (a corp) against each limit; throws 45009 when one is exceeded or still in its penalty. */
    consume(input: { product: WeChatProduct; scope: string; path: string; now: Date }, limits: readonly FrequencyLimit[]): void {
      const now = input.now.getTime();
      sweep(now);
      for (const limit of limits) {
        const key = `${input.product}\u0000${input.scope}\u0000${input.path}\u0000${limit.limit}/${limit.windowMs}`;
        let window = windows.get(key);
        if (!window || now - window.startedAt >= limit.windowMs) {
          window = { startedAt: now, count: 0, blockedUntil: window?.blockedUntil ?? 0 };
          windows.set(key, window);
        }
        if (window.blockedUntil > now) throw wechatError(FREQUENCY_ERRCODE, `blocked for ${Math.ceil((window.blockedUntil - now) / 1000)} s`);
        window.count += 1;
        if (window.count > limit.limit) {
          window.blockedUntil = now + limit.windowMs;
          throw wechatError(FREQUENCY_ERRCODE, `more than ${limit.limit} calls in ${limit.windowMs / 1000} s`);
        }
      }
    },
  };
}

export type FrequencyLimits = ReturnType<typeof createFrequencyLimits>;
