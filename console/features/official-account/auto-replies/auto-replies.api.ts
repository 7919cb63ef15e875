import type { Page } from '../../../../common/paging';
import type {
  AutoReplyImportResult,
  AutoReplyKind,
  AutoReplyRule,
  AutoReplyRuleWithWarnings,
  AutoReplyStatus,
  AutoReplyTestResult,
  CreateAutoReplyBody,
  UpdateAutoReplyBody,
} from '../../../../server/modules/official-account/auto-replies/auto-replies.schema';
import { api } from '../../../app/api-client';

export const autoRepliesQueryKey = ['oa-auto-replies'] as const;

const base = (accountId: string) => `/api/v1/official-accounts/${accountId}/auto-replies`;

export const autoRepliesApi = {
  list: (accountId: string, kind: AutoReplyKind, q: string | undefined, cursor?: string) =>
    api.get<Page<AutoReplyRule>>(base(accountId), { kind, q, cursor, limit: 100 }),
  get: (accountId: string, ruleId: string) => api.get<AutoReplyRuleWithWarnings>(`${base(accountId)}/${ruleId}`),
  status: (accountId: string) => api.get<AutoReplyStatus>(`${base(accountId)}/status`),
  create: (accountId: string, body: CreateAutoReplyBody) => api.post<AutoReplyRuleWithWarnings>(base(accountId), body),
  update: (accountId: string, ruleId: string, body: UpdateAutoReplyBody) => api.patch<AutoReplyRuleWithWarnings>(`${base(accountId)}/${ruleId}`, body),
  move: (accountId: string, ruleId: string, toIndex: number) => api.post<AutoReplyRuleWithWarnings>(`${base(accountId)}/${ruleId}/move`, { toIndex }),
  remove: (accountId: string, ruleId: string) => api.delete<void>(`${base(accountId)}/${ruleId}`),
  test: (accountId: string, content: string, trigger: 'message' | 'subscribe' | 'click') =>
    api.post<AutoReplyTestResult>(`${base(accountId)}/test`, { content, trigger }),
  importPlatform: (accountId: string) => api.post<AutoReplyImportResult>(`${base(accountId)}/import-platform`),
};
