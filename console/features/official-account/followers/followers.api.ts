import type { Page } from '../../../../common/paging';
import type { Follower, FollowerDetail, FollowerMessage, FollowerPage, StartedJob } from '../../../../server/modules/official-account/followers/followers.schema';
import { api } from '../../../app/api-client';

const base = (accountId: string) => `/api/v1/official-accounts/${encodeURIComponent(accountId)}/followers`;

export const followersKey = (accountId: string) => ['oa-followers', accountId] as const;

/** Filters the list page keeps in the URL; the API takes the same names. */
export const followerFilterKeys = ['tagId', 'subscribedFrom', 'subscribedTo', 'scene', 'language', 'region', 'q', 'status'] as const;
export type FollowerFilters = Partial<Record<(typeof followerFilterKeys)[number], string>>;

export const followersApi = {
  list: (accountId: string, filters: FollowerFilters, cursor: string | undefined, limit: number) => api.get<Page<Follower>>(base(accountId), { ...filters, cursor, limit }),
  /** The count of a filter, asked once per filter rather than on every page; above 10,000 matches it is the database's estimate. */
  count: async (accountId: string, filters: FollowerFilters) => {
    const page = await api.get<FollowerPage>(base(accountId), { ...filters, limit: 1, withTotal: 'true' });
    return { total: page.total ?? 0, exact: page.totalExact !== false };
  },
  get: (accountId: string, openId: string) => api.get<FollowerDetail>(`${base(accountId)}/${encodeURIComponent(openId)}`),
  messages: (accountId: string, openId: string, cursor?: string) =>
    api.get<Page<FollowerMessage>>(`${base(accountId)}/${encodeURIComponent(openId)}/messages`, { cursor, limit: 20 }),
  updateRemark: (accountId: string, openId: string, remark: string) => api.patch<FollowerDetail>(`${base(accountId)}/${encodeURIComponent(openId)}`, { remark }),
  sync: (accountId: string) => api.post<StartedJob>(`${base(accountId)}/sync`),
};
