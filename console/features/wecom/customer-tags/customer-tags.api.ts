import type { z } from 'zod';
import type {
  CreateGroupBody,
  CreateTagBody,
  CustomerTag,
  CustomerTagConflict,
  CustomerTagGroup,
  CustomerTagLibrary,
  MarkBody,
  SyncResult,
  markResultSchema,
  TagRule,
  TagRuleBody,
  UpdateTagBody,
} from '../../../../server/modules/wecom/customer-tags/customer-tags.schema';
import { api } from '../../../app/api-client';

export type MarkResult = z.infer<typeof markResultSchema>;

const base = (accountId: string) => `/api/v1/wecom/${encodeURIComponent(accountId)}/customer-tags`;

export const customerTagsKey = (accountId: string) => ['wecom-customer-tags', accountId] as const;

export const customerTagsApi = {
  library: (accountId: string) => api.get<CustomerTagLibrary>(base(accountId)),
  sync: (accountId: string) => api.post<SyncResult>(`${base(accountId)}/sync`),
  createGroup: (accountId: string, body: CreateGroupBody) => api.post<CustomerTagGroup>(`${base(accountId)}/groups`, body),
  updateGroup: (accountId: string, groupId: string, body: UpdateTagBody) => api.patch<CustomerTagLibrary>(`${base(accountId)}/groups/${groupId}`, body),
  removeGroup: (accountId: string, groupId: string) => api.delete<null>(`${base(accountId)}/groups/${groupId}`),
  createTag: (accountId: string, groupId: string, body: CreateTagBody) => api.post<CustomerTag>(`${base(accountId)}/groups/${groupId}/tags`, body),
  updateTag: (accountId: string, tagId: string, body: UpdateTagBody) => api.patch<CustomerTagLibrary>(`${base(accountId)}/tags/${tagId}`, body),
  removeTag: (accountId: string, tagId: string) => api.delete<null>(`${base(accountId)}/tags/${tagId}`),
  conflicts: (accountId: string) => api.get<{ items: CustomerTagConflict[] }>(`${base(accountId)}/conflicts`),
  resolve: (accountId: string, tagId: string, side: 'qiao' | 'wecom') => api.post<CustomerTagLibrary>(`${base(accountId)}/conflicts/${tagId}/resolve`, { side }),
  rules: (accountId: string) => api.get<{ items: TagRule[] }>(`${base(accountId)}/rules`),
  createRule: (accountId: string, body: TagRuleBody) => api.post<TagRule>(`${base(accountId)}/rules`, body),
  updateRule: (accountId: string, ruleId: string, body: TagRuleBody) => api.put<TagRule>(`${base(accountId)}/rules/${ruleId}`, body),
  removeRule: (accountId: string, ruleId: string) => api.delete<null>(`${base(accountId)}/rules/${ruleId}`),
  /** Adds and removes corp tags (WeCom ids) on one member's customer; WeCom takes one member/customer pair per call. */
  mark: (accountId: string, body: MarkBody) => api.post<MarkResult>(`${base(accountId)}/mark`, body),
};
