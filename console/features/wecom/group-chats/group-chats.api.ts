import type { GroupChat, GroupChatDetail, JoinWay, JoinWayBody, StartedJob } from '../../../../server/modules/wecom/group-chats/group-chats.schema';
import { api } from '../../../app/api-client';

const base = (accountId: string) => `/api/v1/wecom/${encodeURIComponent(accountId)}/group-chats`;

export const groupChatsKey = (accountId: string) => ['wecom-group-chats', accountId] as const;

export interface GroupChatFilters {
  owner?: string;
  departmentId?: number;
  q?: string;
  includeDismissed?: boolean;
  page: number;
  pageSize: number;
}

export const groupChatsApi = {
  list: (accountId: string, f: GroupChatFilters) =>
    api.get<{ items: GroupChat[]; total: number; page: number; pageSize: number }>(base(accountId), {
      owner: f.owner || undefined,
      departmentId: f.departmentId,
      q: f.q || undefined,
      includeDismissed: f.includeDismissed ? 'true' : undefined,
      page: f.page,
      pageSize: f.pageSize,
    }),
  get: (accountId: string, chatId: string) => api.get<GroupChatDetail>(`${base(accountId)}/${encodeURIComponent(chatId)}`),
  sync: (accountId: string) => api.post<StartedJob>(`${base(accountId)}/sync`),
  joinWays: (accountId: string) => api.get<{ items: JoinWay[] }>(`${base(accountId)}/join-ways`),
  createJoinWay: (accountId: string, body: JoinWayBody) => api.post<JoinWay>(`${base(accountId)}/join-ways`, body),
  updateJoinWay: (accountId: string, id: string, body: JoinWayBody) => api.put<JoinWay>(`${base(accountId)}/join-ways/${id}`, body),
  removeJoinWay: (accountId: string, id: string) => api.delete<null>(`${base(accountId)}/join-ways/${id}`),
};
