import { AppError, type Locale } from '../../../../common/errors';
import { decodeCursor, encodeCursor, type Page } from '../../../../common/paging';
import { describeErrcode, type WeChatEndpoint } from '../../../wechat/client';
import type { ApiCallRow, ApiCallsRepository } from './api-calls.repository';
import type { ApiCall, ListApiCallsQuery } from './api-calls.schema';

export interface ApiCallsServiceDeps {
  repository: ApiCallsRepository;
  /** Names the account of each call; null once it was disconnected. */
  findAccountName(id: string): Promise<string | null>;
  /** Every endpoint Qiao declares, for the English titles (the log keeps the Chinese one). */
  endpoints: readonly Pick<WeChatEndpoint, 'product' | 'path' | 'titleEn'>[];
}

export type ApiCallsService = ReturnType<typeof createApiCallsService>;

const outcomeTexts = {
  unreachable: {
    zh: '无法连接微信服务器（网络不通、超时或接口地址有误）',
    en: 'Could not reach WeChat (no network route, timeout or a wrong API base URL)',
  },
  bad_response: { zh: '微信返回了无法识别的内容', en: 'WeChat answered in an unexpected shape' },
} as const;

export function createApiCallsService(deps: ApiCallsServiceDeps) {
  const titlesEn = new Map(deps.endpoints.map((e) => [`${e.product} ${e.path}`, e.titleEn]));

  function messageOf(row: ApiCallRow, locale: Locale): string | null {
    const zh = locale === 'zh-CN';
    if (row.outcome === 'ok') return null;
    if (row.outcome === 'wechat_error') {
      const info = row.errcode === null ? null : describeErrcode(row.product, row.errcode);
      if (info) return zh ? info.zh : info.en;
      return zh ? '未收录的错误码，请查阅微信官方文档' : 'An errcode Qiao does not describe yet; see WeChat’s documentation';
    }
    const text = outcomeTexts[row.outcome];
    return zh ? text.zh : text.en;
  }

  function cursorOf(cursor: string | undefined): { at: Date; id: number } | undefined {
    if (!cursor) return undefined;
    const values = decodeCursor(cursor);
    const [at, id] = values ?? [];
    if (typeof at !== 'string' || typeof id !== 'number' || Number.isNaN(Date.parse(at))) {
      throw new AppError('VALIDATION_FAILED', { fields: [{ field: 'querystring.cursor', message: 'invalid cursor' }] });
    }
    return { at: new Date(at), id };
  }

  return {
    async list(query: ListApiCallsQuery, locale: Locale): Promise<Page<ApiCall>> {
      const filter = {
        accountId: query.accountId,
        path: query.path?.trim() || undefined,
        errcode: query.errcode,
        failed: query.failed === undefined ? undefined : query.failed === 'true',
        outcome: query.outcome,
        from: query.from ? new Date(query.from) : undefined,
        to: query.to ? new Date(query.to) : undefined,
      };
      const rows = await deps.repository.list(filter, { before: cursorOf(query.cursor), limit: query.limit + 1 });
      const page = rows.slice(0, query.limit);
      const names = new Map<string, string | null>();
      for (const id of new Set(page.map((r) => r.accountId).filter((id): id is string => id !== null))) names.set(id, await deps.findAccountName(id));
      const last = page.at(-1);
      return {
        items: page.map((row) => ({
          id: String(row.id),
          at: row.at.toISOString(),
          product: row.product,
          accountId: row.accountId,
          accountName: row.accountId ? (names.get(row.accountId) ?? null) : null,
          receiver: row.product === 'wecom' ? (row.accountKey.split(':')[1] ?? null) : null,
          path: row.path,
          titleZh: row.title,
          titleEn: titlesEn.get(`${row.product} ${row.path}`) ?? null,
          outcome: row.outcome,
          errcode: row.errcode,
          message: messageOf(row, locale),
          durationMs: row.durationMs,
        })),
        nextCursor: rows.length > query.limit && last ? encodeCursor([last.at.toISOString(), last.id]) : null,
        total: await deps.repository.count(filter),
      };
    },
  };
}
