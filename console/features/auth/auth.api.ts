import type { ChangePasswordBody, LoginBody, LoginResponse, Me, Ok, SessionList, SetupBody, SetupStatus } from '../../../server/modules/system/auth/auth.schema';
import { api } from '../../app/api-client';

export const setupQueryKey = ['setup'] as const;
export const meQueryKey = ['me'] as const;
export const mySessionsQueryKey = ['me', 'sessions'] as const;

export const authApi = {
  setupStatus: () => api.get<SetupStatus>('/api/v1/setup'),
  setup: (body: SetupBody) => api.post<LoginResponse>('/api/v1/setup', body),
  login: (body: LoginBody) => api.post<LoginResponse>('/api/v1/auth/login', body),
  logout: () => api.post<Ok>('/api/v1/auth/logout'),
  me: () => api.get<Me>('/api/v1/me'),
  changePassword: (body: ChangePasswordBody) => api.post<Ok>('/api/v1/me/password', body),
  sessions: () => api.get<SessionList>('/api/v1/me/sessions'),
  revokeSession: (id: string) => api.delete<Ok>(`/api/v1/me/sessions/${encodeURIComponent(id)}`),
  revokeOtherSessions: () => api.post<Ok>('/api/v1/me/sessions/revoke-all'),
};
