import type { Page } from '../../../../common/paging';
import type {
  ContactWay,
  ContactWayStats,
  CreateContactWayInput,
  DefaultWelcome,
  UpdateContactWayBody,
  WelcomeMedia,
  WelcomeMessageInput,
  WelcomeSend,
} from '../../../../server/modules/wecom/contact-ways/contact-ways.schema';
import { ApiError, api } from '../../../app/api-client';
import { currentLanguage } from '../../../app/i18n';

export type { ContactWay, ContactWayStats, WelcomeAttachment, WelcomeMessage, WelcomeSend } from '../../../../server/modules/wecom/contact-ways/contact-ways.schema';
export { CONTACT_WAY_LIMITS, CUSTOMER_NAME_VARIABLES, WELCOME_LIMITS } from '../../../../server/modules/wecom/contact-ways/contact-ways.schema';

const base = (accountId: string) => `/api/v1/wecom/${encodeURIComponent(accountId)}`;

export const contactWaysKey = (accountId: string) => ['wecom-contact-ways', accountId] as const;

/** What the directory and tag pickers need; the full shapes belong to their own pages. */
interface MemberOption {
  userid: string;
  name: string;
  status: string;
}
interface TagLibrary {
  groups: { id: string; name: string; tags: { id: string; wecomId: string | null; name: string }[] }[];
}

export const contactWaysApi = {
  list: (accountId: string, query: Record<string, string | number | undefined>) => api.get<Page<ContactWay>>(`${base(accountId)}/contact-ways`, query),
  create: (accountId: string, body: CreateContactWayInput) => api.post<ContactWay>(`${base(accountId)}/contact-ways`, body),
  update: (accountId: string, configId: string, body: UpdateContactWayBody) => api.patch<ContactWay>(`${base(accountId)}/contact-ways/${configId}`, body),
  remove: (accountId: string, configId: string) => api.delete<null>(`${base(accountId)}/contact-ways/${configId}`),
  stats: (accountId: string, configId: string, range: { from?: string; to?: string } = {}) => api.get<ContactWayStats>(`${base(accountId)}/contact-ways/${configId}/stats`, range),
  qrUrl: (accountId: string, configId: string) => `${base(accountId)}/contact-ways/${configId}/qr.png`,
  defaultWelcome: (accountId: string) => api.get<DefaultWelcome>(`${base(accountId)}/welcome-messages/default`),
  setDefaultWelcome: (accountId: string, message: WelcomeMessageInput | null) => api.put<DefaultWelcome>(`${base(accountId)}/welcome-messages/default`, { message }),
  sends: (accountId: string, query: Record<string, string | number | undefined>) => api.get<Page<WelcomeSend>>(`${base(accountId)}/welcome-messages/sends`, query),
  mediaUrl: (accountId: string, mediaFileId: string) => `${base(accountId)}/welcome-messages/media/${mediaFileId}`,
  members: (accountId: string, q: string) => api.get<Page<MemberOption>>(`${base(accountId)}/members`, { q: q || undefined, status: 'active', limit: 50 }),
  tags: (accountId: string) => api.get<TagLibrary>(`${base(accountId)}/customer-tags`),

  /** Multipart, which the JSON client does not send. */
  async uploadImage(accountId: string, file: File, csrfToken: string | undefined): Promise<WelcomeMedia> {
    const form = new FormData();
    form.append('file', file, file.name);
    const headers: Record<string, string> = { accept: 'application/json', 'accept-language': currentLanguage() };
    if (csrfToken) headers['x-csrf-token'] = csrfToken;
    const response = await fetch(`${base(accountId)}/welcome-messages/media`, { method: 'POST', body: form, headers, credentials: 'same-origin' });
    const body = (await response.json().catch(() => null)) as { code: string; message: string } | WelcomeMedia | null;
    if (!response.ok) throw new ApiError(response.status, body && 'code' in body ? body : { code: 'UNKNOWN', message: response.statusText });
    return body as WelcomeMedia;
  },
};
