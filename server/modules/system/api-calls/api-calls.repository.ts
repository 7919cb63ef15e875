import { and, count, desc, eq, gte, lt, lte, ne, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../../platform/db/client';
import { wechatApiCalls } from '../../../wechat/client';
import type { ApiCallOutcome } from './api-calls.schema';

export interface ApiCallFilter {
  accountId?: string;
  path?: string;
  errcode?: number;
  failed?: boolean;
  outcome?: ApiCallOutcome;
  from?: Date;
  to?: Date;
}

export interface ApiCallRow {
  id: number;
  at: Date;
  product: 'official-account' | 'wecom';
  accountKey: string;
  accountId: string | null;
  path: string;
  title: string;
  outcome: ApiCallOutcome;
  errcode: number | null;
  durationMs: number;
}

function conditionsOf(filter: ApiCallFilter): SQL[] {
  const conditions: SQL[] = [];
  if (filter.accountId) conditions.push(eq(wechatApiCalls.accountId, filter.accountId));
  if (filter.path) {
    const pattern = `%${filter.path.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    conditions.push(sql`${wechatApiCalls.path} ILIKE ${pattern}`);
  }
  if (filter.errcode !== undefined) conditions.push(eq(wechatApiCalls.errcode, filter.errcode));
  if (filter.failed === true) conditions.push(ne(wechatApiCalls.outcome, 'ok'));
  if (filter.failed === false) conditions.push(eq(wechatApiCalls.outcome, 'ok'));
  if (filter.outcome) conditions.push(eq(wechatApiCalls.outcome, filter.outcome));
  if (filter.from) conditions.push(gte(wechatApiCalls.at, filter.from));
  if (filter.to) conditions.push(lte(wechatApiCalls.at, filter.to));
  return conditions;
}

/** Reads the WeChat client's call log (`wechat_api_calls`) for the console: filtered, newest first. */
export function createApiCallsRepository(db: Db) {
  return {
    async list(filter: ApiCallFilter, options: { before?: { at: Date; id: number }; limit: number }): Promise<ApiCallRow[]> {
      const conditions = conditionsOf(filter);
      const before = options.before;
      if (before) {
        const older = or(lt(wechatApiCalls.at, before.at), and(eq(wechatApiCalls.at, before.at), lt(wechatApiCalls.id, before.id)));
        if (older) conditions.push(older);
      }
      return db
        .select()
        .from(wechatApiCalls)
        .where(conditions.length > 0 ? and(...conditions) : undefined)
        .orderBy(desc(wechatApiCalls.at), desc(wechatApiCalls.id))
        .limit(options.limit);
    },

    async count(filter: ApiCallFilter): Promise<number> {
      const conditions = conditionsOf(filter);
      const [row] = await db
        .select({ value: count() })
        .from(wechatApiCalls)
        .where(conditions.length > 0 ? and(...conditions) : undefined);
      return Number(row?.value ?? 0);
    },
  };
}

export type ApiCallsRepository = ReturnType<typeof createApiCallsRepository>;
