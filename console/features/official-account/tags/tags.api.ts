import type { Tag, TagRule, TagRuleBody } from '../../../../server/modules/official-account/tags/tags.schema';
import { api, request } from '../../../app/api-client';

const base = (accountId: string) => `/api/v1/official-accounts/${encodeURIComponent(accountId)}`;

export const tagsKey = (accountId: string) => ['oa-tags', accountId] as const;
export const tagRulesKey = (accountId: string) => ['oa-tag-rules', accountId] as const;

interface StartedJob {
  id: string;
  kind: string;
  state: string;
}

export const tagsApi = {
  list: (accountId: string) => api.get<{ items: Tag[] }>(`${base(accountId)}/tags`),
  pull: (accountId: string) => api.post<{ items: Tag[] }>(`${base(accountId)}/tags/sync`),
  create: (accountId: string, name: string) => api.post<Tag>(`${base(accountId)}/tags`, { name }),
  rename: (accountId: string, tagId: number, name: string) => api.patch<Tag>(`${base(accountId)}/tags/${tagId}`, { name }),
  remove: (accountId: string, tagId: number) => api.delete<null>(`${base(accountId)}/tags/${tagId}`),
  tagFollowers: (accountId: string, tagId: number, openIds: string[]) => api.post<StartedJob>(`${base(accountId)}/tags/${tagId}/followers`, { openIds }),
  untagFollowers: (accountId: string, tagId: number, openIds: string[]) =>
    request<StartedJob>('DELETE', `${base(accountId)}/tags/${tagId}/followers`, { body: { openIds } }),
  rules: (accountId: string) => api.get<{ items: TagRule[] }>(`${base(accountId)}/tag-rules`),
  createRule: (accountId: string, body: TagRuleBody) => api.post<TagRule>(`${base(accountId)}/tag-rules`, body),
  updateRule: (accountId: string, ruleId: string, body: TagRuleBody) => api.put<TagRule>(`${base(accountId)}/tag-rules/${ruleId}`, body),
  removeRule: (accountId: string, ruleId: string) => api.delete<null>(`${base(accountId)}/tag-rules/${ruleId}`),
};
