import type { CreateUserBody, RevokedCount, UpdateUserBody, User, UserPage } from '../../../../server/modules/system/users/users.schema';
import { api } from '../../../app/api-client';
import type { PageRequest } from '../../../components/data-table';

export const usersQueryKey = ['users'] as const;

export const usersApi = {
  list: ({ cursor, limit, filters }: PageRequest) => api.get<UserPage>('/api/v1/users', { cursor, limit, ...filters }),
  create: (body: CreateUserBody) => api.post<User>('/api/v1/users', body),
  update: (id: string, body: UpdateUserBody) => api.patch<User>(`/api/v1/users/${id}`, body),
  remove: (id: string) => api.delete<unknown>(`/api/v1/users/${id}`),
  revokeSessions: (id: string) => api.post<RevokedCount>(`/api/v1/users/${id}/sessions/revoke`),
};
