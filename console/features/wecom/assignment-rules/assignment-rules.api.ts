import type { ApplyAnswer, CreateRuleBody, ResolutionView, ResolveBody, Rule, UpdateRuleBody } from '../../../../server/modules/wecom/assignment-rules/assignment-rules.schema';
import { api } from '../../../app/api-client';

const base = (accountId: string) => `/api/v1/wecom/${encodeURIComponent(accountId)}/assignment-rules`;

export const rulesKey = (accountId: string) => ['wecom-assignment-rules', accountId] as const;

export const assignmentRulesApi = {
  list: (accountId: string) => api.get<{ items: Rule[] }>(base(accountId)),
  create: (accountId: string, body: CreateRuleBody) => api.post<Rule>(base(accountId), body),
  update: (accountId: string, id: string, body: UpdateRuleBody) => api.patch<Rule>(`${base(accountId)}/${id}`, body),
  remove: (accountId: string, id: string) => api.delete<null>(`${base(accountId)}/${id}`),
  resolve: (accountId: string, body: ResolveBody) => api.post<ResolutionView>(`${base(accountId)}/resolve`, body),
  apply: (accountId: string) => api.post<ApplyAnswer>(`${base(accountId)}/apply`),
};
