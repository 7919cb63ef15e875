import type { Page } from '../../../../common/paging';
import type { Customer, CustomerDetail, StartedJob, UpdateCustomerBody } from '../../../../server/modules/wecom/customers/customers.schema';
import { api, ApiError, withQuery, type QueryValue } from '../../../app/api-client';
import { currentLanguage } from '../../../app/i18n';

export type { Customer, CustomerDetail, UpdateCustomerBody };
export type Follower = Customer['followers'][number];
export type TimelineEntry = CustomerDetail['timeline'][number];

const base = (accountId: string) => `/api/v1/wecom/${encodeURIComponent(accountId)}/customers`;

export const customersKey = (accountId: string) => ['wecom-customers', accountId] as const;

/** Filters the list page keeps in the URL; the API (and the export) take the same names. */
export const customerFilterKeys = ['userid', 'departmentId', 'tagId', 'source', 'addedFrom', 'addedTo', 'q', 'status'] as const;
export type CustomerFilters = Partial<Record<(typeof customerFilterKeys)[number], string>>;

async function failure(response: Response): Promise<ApiError> {
  const body = (await response.json().catch(() => null)) as { code?: string; message?: string } | null;
  if (body && typeof body.code === 'string' && typeof body.message === 'string') return new ApiError(response.status, body as { code: string; message: string });
  return new ApiError(response.status, { code: `HTTP_${response.status}`, message: response.statusText || `HTTP ${response.status}` });
}

/** The name the server offers in Content-Disposition (its UTF-8 form first). */
function offeredName(response: Response, fallback: string): string {
  const header = response.headers.get('content-disposition') ?? '';
  const utf8 = /filename\*=UTF-8''([^;]+)/i.exec(header);
  if (utf8?.[1]) return decodeURIComponent(utf8[1]);
  const plain = /filename="([^"]+)"/i.exec(header);
  return plain?.[1] ?? fallback;
}

export const customersApi = {
  list: (accountId: string, filters: CustomerFilters, cursor: string | undefined, limit: number) => api.get<Page<Customer>>(base(accountId), { ...filters, cursor, limit }),
  /** The count of a filter, asked once per filter rather than on every page; the server counts up to 10,000 (`capped`: more than that). */
  count: async (accountId: string, filters: CustomerFilters) => {
    const page = await api.get<Page<Customer> & { totalCapped?: boolean }>(base(accountId), { ...filters, limit: 1, withTotal: 'true' });
    return { total: page.total ?? 0, capped: page.totalCapped === true };
  },
  get: (accountId: string, externalUserId: string) => api.get<CustomerDetail>(`${base(accountId)}/${encodeURIComponent(externalUserId)}`),
  update: (accountId: string, externalUserId: string, body: UpdateCustomerBody) => api.patch<CustomerDetail>(`${base(accountId)}/${encodeURIComponent(externalUserId)}`, body),
  sync: (accountId: string) => api.post<StartedJob>(`${base(accountId)}/sync`),
  /** Downloads the filtered list as .xlsx in the console's language; a refusal (daily cap) throws with the server's message. */
  async exportXlsx(accountId: string, filters: Record<string, QueryValue>): Promise<void> {
    const response = await fetch(withQuery(`${base(accountId)}/export.xlsx`, filters), { headers: { 'accept-language': currentLanguage() }, credentials: 'same-origin' });
    if (!response.ok) throw await failure(response);
    const url = URL.createObjectURL(await response.blob());
    const link = document.createElement('a');
    link.href = url;
    link.download = offeredName(response, 'customers.xlsx');
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  },
};
