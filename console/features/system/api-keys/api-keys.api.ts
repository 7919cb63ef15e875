import type { ApiKey, ApiKeyPage, CreateApiKeyBody, CreatedApiKey } from '../../../../server/modules/system/api-keys/api-keys.schema';
import { api } from '../../../app/api-client';
import type { PageRequest } from '../../../components/data-table';

export const apiKeysQueryKey = ['api-keys'] as const;

export type ApiKeyStatus = 'active' | 'revoked' | 'expired';

export function apiKeyStatus(key: ApiKey, now = Date.now()): ApiKeyStatus {
  if (key.revokedAt) return 'revoked';
  if (key.expiresAt && Date.parse(key.expiresAt) <= now) return 'expired';
  return 'active';
}

export const apiKeysApi = {
  list: ({ cursor, limit, filters }: PageRequest) => api.get<ApiKeyPage>('/api/v1/api-keys', { cursor, limit, all: filters.all }),
  create: (body: CreateApiKeyBody) => api.post<CreatedApiKey>('/api/v1/api-keys', body),
  revoke: (id: string) => api.delete<unknown>(`/api/v1/api-keys/${id}`),
};
