import type {
  CreateFollowUpBody,
  FollowUp,
  FollowUpAttachment,
  FollowUpOverview,
  FollowUpPage,
  FollowUpRevision,
  FollowUpStage,
  UpdateFollowUpBody,
} from '../../../../server/modules/wecom/follow-ups/follow-ups.schema';
import { api, ApiError, withQuery, type QueryValue } from '../../../app/api-client';
import { currentLanguage } from '../../../app/i18n';

export type { FollowUp, FollowUpAttachment, FollowUpOverview, FollowUpRevision, FollowUpStage };

/** In funnel order, as the server's enum. */
export const followUpStages: FollowUpStage[] = ['initial_contact', 'needs_confirmed', 'proposal', 'negotiation', 'won', 'lost'];
export const stageColors: Record<FollowUpStage, string> = {
  initial_contact: 'default',
  needs_confirmed: 'blue',
  proposal: 'geekblue',
  negotiation: 'purple',
  won: 'green',
  lost: 'red',
};

const base = (accountId: string) => `/api/v1/wecom/${encodeURIComponent(accountId)}`;
const perCustomer = (accountId: string, externalUserId: string) => `${base(accountId)}/customers/${encodeURIComponent(externalUserId)}/follow-ups`;

export const followUpsKey = (accountId: string) => ['wecom-follow-ups', accountId] as const;

async function failure(response: Response): Promise<ApiError> {
  const body = (await response.json().catch(() => null)) as { code?: string; message?: string } | null;
  if (body && typeof body.code === 'string' && typeof body.message === 'string') return new ApiError(response.status, body as { code: string; message: string });
  return new ApiError(response.status, { code: `HTTP_${response.status}`, message: response.statusText || `HTTP ${response.status}` });
}

function offeredName(response: Response, fallback: string): string {
  const header = response.headers.get('content-disposition') ?? '';
  const utf8 = /filename\*=UTF-8''([^;]+)/i.exec(header);
  if (utf8?.[1]) return decodeURIComponent(utf8[1]);
  return fallback;
}

/** Fetches a file in the console's language and hands it to the browser. */
async function download(path: string, fallback: string, query?: Record<string, QueryValue>): Promise<void> {
  const response = await fetch(withQuery(path, query), { headers: { 'accept-language': currentLanguage() }, credentials: 'same-origin' });
  if (!response.ok) throw await failure(response);
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = offeredName(response, fallback);
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export const followUpsApi = {
  list: (accountId: string, query: Record<string, QueryValue>) => api.get<FollowUpPage>(`${base(accountId)}/follow-ups`, query),
  overview: (accountId: string, query: Record<string, QueryValue> = {}) => api.get<FollowUpOverview>(`${base(accountId)}/follow-ups/overview`, query),
  exportXlsx: (accountId: string, filters: Record<string, QueryValue>) => download(`${base(accountId)}/follow-ups/export.xlsx`, 'follow-ups.xlsx', filters),
  ofCustomer: (accountId: string, externalUserId: string, query: Record<string, QueryValue> = {}) => api.get<FollowUpPage>(perCustomer(accountId, externalUserId), query),
  create: (accountId: string, externalUserId: string, body: CreateFollowUpBody) => api.post<FollowUp>(perCustomer(accountId, externalUserId), body),
  update: (accountId: string, externalUserId: string, id: string, body: UpdateFollowUpBody) => api.patch<FollowUp>(`${perCustomer(accountId, externalUserId)}/${id}`, body),
  remove: (accountId: string, externalUserId: string, id: string) => api.delete<null>(`${perCustomer(accountId, externalUserId)}/${id}`),
  history: (accountId: string, externalUserId: string, id: string) => api.get<{ items: FollowUpRevision[] }>(`${perCustomer(accountId, externalUserId)}/${id}/history`),
  removeAttachment: (accountId: string, externalUserId: string, id: string, attachmentId: string) =>
    api.delete<null>(`${perCustomer(accountId, externalUserId)}/${id}/attachments/${attachmentId}`),
  downloadAttachment: (accountId: string, externalUserId: string, id: string, attachment: FollowUpAttachment) =>
    download(`${perCustomer(accountId, externalUserId)}/${id}/attachments/${attachment.id}`, attachment.filename),

  /** Uploads one file as the multipart field `file`. */
  async attach(accountId: string, externalUserId: string, id: string, file: File, csrfToken: string | undefined): Promise<FollowUpAttachment> {
    const form = new FormData();
    form.append('file', file, file.name);
    const headers: Record<string, string> = { accept: 'application/json', 'accept-language': currentLanguage() };
    if (csrfToken) headers['x-csrf-token'] = csrfToken;
    const response = await fetch(`${perCustomer(accountId, externalUserId)}/${id}/attachments`, { method: 'POST', body: form, headers, credentials: 'same-origin' });
    if (!response.ok) throw await failure(response);
    return (await response.json()) as FollowUpAttachment;
  },
};
