import type { Page } from '../../../../common/paging';
import type {
  Broadcast,
  BroadcastAudienceInput,
  BroadcastContentInput,
  CreateBroadcastBody,
  Estimate,
} from '../../../../server/modules/official-account/broadcasts/broadcasts.schema';
import { api } from '../../../app/api-client';
import type { PageRequest } from '../../../components/data-table';

export const broadcastsKey = (accountId: string) => ['oa-broadcasts', accountId] as const;

const base = (accountId: string) => `/api/v1/official-accounts/${accountId}/broadcasts`;

export const broadcastsApi = {
  list: (accountId: string, { cursor, limit, filters }: PageRequest) => api.get<Page<Broadcast>>(base(accountId), { cursor, limit, ...filters }),
  get: (accountId: string, id: string) => api.get<Broadcast>(`${base(accountId)}/${id}`),
  recipients: (accountId: string, id: string, cursor?: string) =>
    api.get<Page<{ openId: string; status: string }>>(`${base(accountId)}/${id}/recipients`, { cursor, limit: 100 }),
  estimate: (accountId: string, audience: BroadcastAudienceInput) => api.post<Estimate>(`${base(accountId)}/estimate`, { audience }),
  preview: (accountId: string, content: BroadcastContentInput, openId: string) => api.post<{ ok: true }>(`${base(accountId)}/preview`, { content, openId }),
  create: (accountId: string, body: Partial<CreateBroadcastBody> & Pick<CreateBroadcastBody, 'content' | 'audience'>) => api.post<Broadcast>(base(accountId), body),
  cancel: (accountId: string, id: string) => api.post<Broadcast>(`${base(accountId)}/${id}/cancel`),
  retry: (accountId: string, id: string) => api.post<Broadcast>(`${base(accountId)}/${id}/retry`),
  refresh: (accountId: string, id: string) => api.post<Broadcast>(`${base(accountId)}/${id}/refresh`),
  /** The account's tags, for the audience picker (ids as WeChat numbers them). */
  tags: (accountId: string) => api.get<{ items: { id: number; name: string; count: number }[] }>(`/api/v1/official-accounts/${accountId}/tags`),
};
