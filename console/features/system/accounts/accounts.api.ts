import type {
  Account,
  AccountTestResult,
  CallbackCheckBody,
  CallbackCheckResult,
  CreateAccountBody,
  UpdateAccountBody,
} from '../../../../server/modules/system/accounts/accounts.schema';
import { api } from '../../../app/api-client';
import type { PageRequest } from '../../../components/data-table';
import type { Page } from '../../../../common/paging';

export const accountsQueryKey = ['accounts'] as const;

export const accountsApi = {
  list: ({ cursor, limit, filters }: PageRequest) => api.get<Page<Account>>('/api/v1/accounts', { cursor, limit, type: filters.type }),
  /** Every account, for pickers; a company connects a handful. */
  all: () => api.get<Page<Account>>('/api/v1/accounts', { limit: 500 }),
  get: (id: string) => api.get<Account>(`/api/v1/accounts/${id}`),
  create: (body: CreateAccountBody) => api.post<Account>('/api/v1/accounts', body),
  update: (id: string, body: UpdateAccountBody) => api.patch<Account>(`/api/v1/accounts/${id}`, body),
  remove: (id: string) => api.delete<unknown>(`/api/v1/accounts/${id}`),
  test: (id: string) => api.post<AccountTestResult>(`/api/v1/accounts/${id}/test`),
  checkCallbacks: (id: string, body: CallbackCheckBody) => api.post<CallbackCheckResult>(`/api/v1/accounts/${id}/callback-check`, body),
};
