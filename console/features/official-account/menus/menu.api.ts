import type { MenuChange, WeChatMenuButton } from '../../../../server/modules/official-account/menus/menu-rules.schema';
import type { ConditionalMenu, CreateConditionalMenuBody, MenuState, MenuVersion } from '../../../../server/modules/official-account/menus/menus.schema';
import { api } from '../../../app/api-client';

const base = (accountId: string) => `/api/v1/official-accounts/${encodeURIComponent(accountId)}/menu`;

export const menuKey = (accountId: string) => ['oa-menu', accountId] as const;
export const versionsKey = (accountId: string) => ['oa-menu', accountId, 'versions'] as const;
export const conditionalKey = (accountId: string) => ['oa-menu', accountId, 'conditional'] as const;

export const menuApi = {
  get: (accountId: string) => api.get<MenuState>(base(accountId)),
  saveDraft: (accountId: string, button: WeChatMenuButton[]) => api.put<MenuState>(base(accountId), { button }),
  publish: (accountId: string) => api.post<MenuState>(`${base(accountId)}/publish`),
  pull: (accountId: string) => api.post<MenuState>(`${base(accountId)}/pull`),
  versions: (accountId: string) => api.get<{ items: MenuVersion[] }>(`${base(accountId)}/versions`),
  diff: (accountId: string, from: number, to: number) => api.get<{ from: number; to: number; changes: MenuChange[] }>(`${base(accountId)}/diff`, { from, to }),
  rollback: (accountId: string, version: number) => api.post<MenuState>(`${base(accountId)}/versions/${version}/rollback`),
  conditional: (accountId: string) => api.get<{ items: ConditionalMenu[] }>(`${base(accountId)}/conditional`),
  createConditional: (accountId: string, body: CreateConditionalMenuBody) => api.post<ConditionalMenu>(`${base(accountId)}/conditional`, body),
  deleteConditional: (accountId: string, id: string) => api.delete<void>(`${base(accountId)}/conditional/${encodeURIComponent(id)}`),
  tryMatch: (accountId: string, userId: string) => api.post<{ button: WeChatMenuButton[]; menuId: string | null; conditionalMenuId: string | null }>(`${base(accountId)}/trymatch`, { userId }),
};
