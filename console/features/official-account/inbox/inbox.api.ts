import type { Page } from '../../../../common/paging';
import type { Conversation, ConversationDetail, InboxMessage, QuickReply, QuickReplyBody, ReplyBody, UpdateQuickReplyBody } from '../../../../server/modules/official-account/inbox/inbox.schema';
import type { UserPage } from '../../../../server/modules/system/users/users.schema';
import { api } from '../../../app/api-client';

export const inboxKey = (accountId: string) => ['oa-inbox', accountId] as const;
export const quickRepliesKey = (accountId: string) => ['oa-quick-replies', accountId] as const;

const base = (accountId: string) => `/api/v1/official-accounts/${accountId}`;

export const inboxApi = {
  conversations: (accountId: string, filters: { state?: string; waiting?: string; q?: string }) =>
    api.get<Page<Conversation>>(`${base(accountId)}/conversations`, { limit: 100, ...filters }),
  conversation: (accountId: string, id: string) => api.get<ConversationDetail>(`${base(accountId)}/conversations/${id}`),
  messages: (accountId: string, id: string) => api.get<Page<InboxMessage>>(`${base(accountId)}/conversations/${id}/messages`, { limit: 200 }),
  reply: (accountId: string, id: string, body: ReplyBody) => api.post<InboxMessage>(`${base(accountId)}/conversations/${id}/replies`, body),
  read: (accountId: string, id: string) => api.post<Conversation>(`${base(accountId)}/conversations/${id}/read`),
  assign: (accountId: string, id: string, assigneeId: string | null) => api.post<Conversation>(`${base(accountId)}/conversations/${id}/assign`, { assigneeId }),
  close: (accountId: string, id: string) => api.post<Conversation>(`${base(accountId)}/conversations/${id}/close`),
  quickReplies: (accountId: string, filters: { q?: string } = {}) => api.get<{ items: QuickReply[] }>(`${base(accountId)}/quick-replies`, filters),
  createQuickReply: (accountId: string, body: QuickReplyBody) => api.post<QuickReply>(`${base(accountId)}/quick-replies`, body),
  updateQuickReply: (accountId: string, id: string, body: UpdateQuickReplyBody) => api.patch<QuickReply>(`${base(accountId)}/quick-replies/${id}`, body),
  deleteQuickReply: (accountId: string, id: string) => api.delete<unknown>(`${base(accountId)}/quick-replies/${id}`),
  /** Operators to assign to (needs users.read). */
  users: () => api.get<UserPage>('/api/v1/users', { limit: 500 }),
};
