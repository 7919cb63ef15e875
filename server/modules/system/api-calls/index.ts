import type { Db } from '../../../platform/db/client';
import { officialAccountEndpoints } from '../../../wechat/official-account';
import { wecomEndpoints } from '../../../wechat/wecom';
import { createApiCallsRepository } from './api-calls.repository';
import { createApiCallsRoutes } from './api-calls.routes';
import { createApiCallsService } from './api-calls.service';

export type { ApiCall, ListApiCallsQuery } from './api-calls.schema';
export type { ApiCallsService } from './api-calls.service';

/** The API call log (接口调用日志): routes under /api/v1/api-calls over the WeChat client's log. */
export function createApiCallsModule(deps: { db: Db; accounts: { findAccount(id: string): Promise<{ name: string } | null> } }) {
  const service = createApiCallsService({
    repository: createApiCallsRepository(deps.db),
    findAccountName: async (id) => (await deps.accounts.findAccount(id))?.name ?? null,
    endpoints: [...officialAccountEndpoints, ...wecomEndpoints],
  });
  return { routes: createApiCallsRoutes(service), service };
}
