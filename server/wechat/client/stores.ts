import type { WeChatProduct } from './endpoint';

export interface StoredAccessToken {
  accountKey: string;
  token: string;
  fetchedAt: Date;
  expiresAt: Date;
}

/** Where access tokens live between calls, instances and restarts. */
export interface AccessTokenStore {
  find(accountKey: string): Promise<StoredAccessToken | null>;
  save(token: StoredAccessToken): Promise<void>;
  delete(accountKey: string): Promise<void>;
}

export type ApiCallOutcome = 'ok' | 'wechat_error' | 'bad_response' | 'unreachable';

/** One outbound call as the log keeps it: no token, secret or body. */
export interface ApiCallEntry {
  at: Date;
  product: WeChatProduct;
  accountKey: string;
  accountId: string | null;
  path: string;
  title: string;
  outcome: ApiCallOutcome;
  errcode: number | null;
  durationMs: number;
}

export interface ApiCallLog {
  record(entry: ApiCallEntry): Promise<void>;
}
