import type { CoreRepository } from './core.repository';
import { wechatError } from './wechat-error';

const BEIJING_OFFSET_MS = 8 * 3_600_000;

/** The day a WeChat quota counts in: quotas reset at midnight Beijing time. */
export function quotaDay(date: Date): string {
  return new Date(date.getTime() + BEIJING_OFFSET_MS).toISOString().slice(0, 10);
}

/**
 * Daily call quotas (45009). The limit is WeChat's default for the path unless
 * the control API set another for that owner (so a test need not make 2,000 calls).
 */
export function createQuotaService(deps: { repository: CoreRepository }) {
  return {
    dayOf: quotaDay,
    /** Counts one call of `path` by `ownerKey`; throws 45009 past the limit. */
    async consume(key: { product: string; ownerKey: string; path: string; now: Date }, defaultLimit: number | undefined): Promise<void> {
      const { count, limit } = await deps.repository.countCall({ product: key.product, ownerKey: key.ownerKey, path: key.path, day: quotaDay(key.now) });
      const effective = limit ?? defaultLimit;
      if (effective !== undefined && count > effective) throw wechatError(45009);
    },
    setLimit(key: { product: string; ownerKey: string; path: string }, dailyLimit: number | null): Promise<void> {
      return deps.repository.setQuotaLimit(key, dailyLimit);
    },
  };
}

export type QuotaService = ReturnType<typeof createQuotaService>;
