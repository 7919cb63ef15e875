import type {
  CreateGroupBody,
  CreateQuickReplyBody,
  QuickReply,
  QuickReplyGroup,
  Rendered,
  RenderBody,
  UpdateGroupBody,
  UpdateQuickReplyBody,
} from '../../../../server/modules/wecom/quick-replies/quick-replies.schema';
import { api, type QueryValue } from '../../../app/api-client';
import type { Page } from '../../../../common/paging';

export type { QuickReply, QuickReplyGroup, Rendered };
export { quickReplyVariableNames } from '../../../../server/modules/wecom/quick-replies/quick-replies.schema';

const base = (accountId: string) => `/api/v1/wecom/${encodeURIComponent(accountId)}/quick-replies`;

export const quickRepliesKey = (accountId: string) => ['wecom-quick-replies', accountId] as const;

/** WeCom's limits in bytes, as the server checks them. */
export const quickReplyByteLimits = { text: 4000, linkTitle: 128, linkDescription: 512, miniprogramTitle: 64 } as const;

export const utf8Bytes = (value: string | undefined) => new TextEncoder().encode(value ?? '').length;

export const quickRepliesApi = {
  groups: (accountId: string) => api.get<{ items: QuickReplyGroup[] }>(`${base(accountId)}/groups`),
  createGroup: (accountId: string, body: CreateGroupBody) => api.post<QuickReplyGroup>(`${base(accountId)}/groups`, body),
  updateGroup: (accountId: string, id: string, body: UpdateGroupBody) => api.patch<QuickReplyGroup>(`${base(accountId)}/groups/${id}`, body),
  removeGroup: (accountId: string, id: string) => api.delete<null>(`${base(accountId)}/groups/${id}`),
  list: (accountId: string, query: Record<string, QueryValue>) => api.get<Page<QuickReply>>(base(accountId), query),
  create: (accountId: string, body: CreateQuickReplyBody) => api.post<QuickReply>(base(accountId), body),
  update: (accountId: string, id: string, body: UpdateQuickReplyBody) => api.patch<QuickReply>(`${base(accountId)}/${id}`, body),
  remove: (accountId: string, id: string) => api.delete<null>(`${base(accountId)}/${id}`),
  render: (accountId: string, id: string, body: RenderBody) => api.post<Rendered>(`${base(accountId)}/${id}/render`, body),
};
