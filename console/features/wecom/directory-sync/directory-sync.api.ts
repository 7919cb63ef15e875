import type { Page } from '../../../../common/paging';
import type { ApplyBody, RunWithJob, SyncItem, SyncRun } from '../../../../server/modules/wecom/directory-sync/directory-sync.schema';
import { api } from '../../../app/api-client';

export type { ApplyBody, SyncItem, SyncRun } from '../../../../server/modules/wecom/directory-sync/directory-sync.schema';
export { restrictedMemberFields, syncActions, syncKinds } from '../../../../server/modules/wecom/directory-sync/directory-sync.schema';

const base = (accountId: string) => `/api/v1/wecom/${accountId}/directory-sync`;

export const syncRunsQueryKey = (accountId: string) => ['wecom-directory-sync', accountId, 'runs'] as const;
export const syncItemsQueryKey = (accountId: string, runId: string) => ['wecom-directory-sync', accountId, 'items', runId] as const;

export const directorySyncApi = {
  compare: (accountId: string) => api.post<RunWithJob>(`${base(accountId)}/diff`),
  runs: (accountId: string) => api.get<Page<SyncRun>>(`${base(accountId)}/runs`, { limit: 20 }),
  run: (accountId: string, runId: string) => api.get<SyncRun>(`${base(accountId)}/runs/${runId}`),
  items: (accountId: string, runId: string, query: { kind?: string | undefined; action?: string | undefined; cursor?: string | undefined; limit: number }) =>
    api.get<Page<SyncItem>>(`${base(accountId)}/runs/${runId}/items`, query),
  apply: (accountId: string, runId: string, body: ApplyBody) => api.post<RunWithJob>(`${base(accountId)}/runs/${runId}/apply`, body),
};
