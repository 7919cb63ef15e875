import { desc, eq, lt } from 'drizzle-orm';
import type { Clock } from '../../platform/clock';
import type { Db } from '../../platform/db/client';
import { wechatApiCalls } from './api-calls.tables';
import type { ApiCallEntry, ApiCallLog } from './stores';

export interface ApiCallRepository extends ApiCallLog {
  listRecent(filter: { accountId?: string; limit: number }): Promise<ApiCallEntry[]>;
  pruneOlderThan(before: Date): Promise<void>;
}

const dayMs = 24 * 60 * 60 * 1000;

/**
 * The API call log. Pruning runs on the first insert and then every
 * `pruneEvery` inserts of this process, so the table stays bounded without a timer.
 */
export function createApiCallRepository(db: Db, options: { clock: Clock; retentionDays?: number; pruneEvery?: number }): ApiCallRepository {
  const retentionMs = (options.retentionDays ?? 30) * dayMs;
  const pruneEvery = options.pruneEvery ?? 500;
  let inserts = 0;
  const repository: ApiCallRepository = {
    async record(entry) {
      await db.insert(wechatApiCalls).values(entry);
      if (inserts++ % pruneEvery === 0) await repository.pruneOlderThan(new Date(options.clock.now().getTime() - retentionMs));
    },
    async pruneOlderThan(before) {
      await db.delete(wechatApiCalls).where(lt(wechatApiCalls.at, before));
    },
    async listRecent(filter) {
      const rows = await db
        .select()
        .from(wechatApiCalls)
        .where(filter.accountId ? eq(wechatApiCalls.accountId, filter.accountId) : undefined)
        .orderBy(desc(wechatApiCalls.at), desc(wechatApiCalls.id))
        .limit(filter.limit);
      return rows.map(({ id: _id, ...entry }) => entry);
    },
  };
  return repository;
}
