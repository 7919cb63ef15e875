import type { ApiCallPage } from '../../../../server/modules/system/api-calls/api-calls.schema';
import { api } from '../../../app/api-client';
import type { PageRequest } from '../../../components/data-table';

export const apiCallsQueryKey = ['api-calls'] as const;

export const apiCallFilterKeys = ['accountId', 'path', 'errcode', 'failed', 'from', 'to'] as const;

export const apiCallsApi = {
  list: ({ cursor, limit, filters }: PageRequest) => api.get<ApiCallPage>('/api/v1/api-calls', { cursor, limit, ...filters }),
};
