import type { Cache } from '../../platform/cache/cache';
import type { Clock } from '../../platform/clock';
import type { Db } from '../../platform/db/client';
import type { Logger } from '../../platform/logger';
import type { SecretBox } from '../../platform/secrets';
import { createAccessTokenRepository } from './access-tokens.repository';
import { createApiCallRepository } from './api-calls.repository';
import { createWeChatClient, type WeChatClient } from './client';

export { createAccessTokenRepository } from './access-tokens.repository';
export { createApiCallRepository, type ApiCallRepository } from './api-calls.repository';
export { wechatApiCalls } from './api-calls.tables';
export { createWeChatClient, type WeChatAccount, type WeChatClient, type WeChatClientDeps, type WeChatCredentials } from './client';
export * from './endpoint';
export { describeErrcode, ipFromErrmsg, ipWhitelistHint, rejectsToken, type ErrcodeInfo, type ErrcodeKind } from './errcodes';
export { isWeChatApiError, WeChatApiError } from './errors';
export type { AccessTokenStore, ApiCallEntry, ApiCallLog, ApiCallOutcome, StoredAccessToken } from './stores';

/** The client with tokens and the call log in the database: what app.ts builds once. */
export function createDatabaseWeChatClient(deps: {
  db: Db;
  cache: Cache;
  clock: Clock;
  logger: Logger;
  secrets: SecretBox;
  fetch?: typeof fetch;
}): WeChatClient {
  return createWeChatClient({
    cache: deps.cache,
    clock: deps.clock,
    logger: deps.logger,
    fetch: deps.fetch,
    tokenStore: createAccessTokenRepository(deps.db, deps.secrets),
    callLog: createApiCallRepository(deps.db, { clock: deps.clock }),
  });
}
