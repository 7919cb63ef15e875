import type { CodeAdds, CodeAddsPage, CodeAddsSort } from '../../../../server/modules/wecom/contact-ways/contact-ways.schema';
import type { CustomersOverview, MemberCustomersOverview } from '../../../../server/modules/wecom/customers/customers.schema';
import { api } from '../../../app/api-client';

export type { CodeAdds, CodeAddsPage, CodeAddsSort, CustomersOverview, MemberCustomersOverview };

const base = (accountId: string) => `/api/v1/wecom/${encodeURIComponent(accountId)}`;

export const customerOverviewKey = (accountId: string) => ['wecom-customer-overview', accountId] as const;

export const customerOverviewApi = {
  /** from/to are days (YYYY-MM-DD, China time, both included). */
  get: (accountId: string, query: { from: string; to: string; departmentId?: string | undefined }) => api.get<CustomersOverview>(`${base(accountId)}/customers/overview`, query),
  /** One page of codes with their adds in the window. */
  codes: (
    accountId: string,
    query: { from: string; to: string; departmentId?: string | undefined; sort: CodeAddsSort; cursor?: string | undefined; limit: number; perDay?: 'true' | undefined },
  ) => api.get<CodeAddsPage>(`${base(accountId)}/contact-ways/stats`, query),
};
