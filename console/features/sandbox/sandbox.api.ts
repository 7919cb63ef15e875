import type { z } from 'zod';
import type {
  addMemberAnswer,
  customerListSchema,
  inboxSchema,
  memberMessageAnswer,
  weComCorpSchema,
} from '../../../server/sandbox/wecom/wecom-control.schema';
import type { sandboxContactWaySchema } from '../../../server/sandbox/wecom/contact-ways-control.schema';
import { api } from '../../app/api-client';

/** A sandbox Official Account as `GET /sandbox/control/official-accounts` shows it (WeChat's side, secrets included). */
export interface SandboxOfficialAccount {
  appId: string;
  appSecret: string;
  originalId: string;
  name: string;
  accountType: string;
  token: string;
  encodingAesKey: string;
  encryptMode: 'plain' | 'compatible' | 'safe';
  callbackUrl: string | null;
  followersTotal: number;
  apiBaseUrl: string;
  createdAt: string;
}

/** One thing a follower received: `source` is passive_reply, customer_service, mass or notice. */
export interface OaInboxItem {
  id: string;
  source: string;
  msgType: string;
  content: unknown;
  createdAt: string;
}

export interface DeliverySummary {
  attempts: number;
  status: string;
  latencyMs: number;
}

export interface ActionOutcome {
  delivery: DeliverySummary | null;
  received: unknown[];
}

/** One callback the sandbox pushed, as the live feed lists it. */
export interface Delivery {
  id: number;
  product: string;
  ownerKey: string;
  target: string;
  event: string;
  url: string;
  attempts: number;
  status: string;
  latencyMs: number;
  httpStatus: number | null;
  error: string | null;
  message: string;
  answer: string | null;
  createdAt: string;
}

export interface Fault {
  product: 'official-account' | 'wecom';
  path: string;
  errcode?: number;
  delayMs?: number;
  delivery?: 'timeout' | 'duplicate';
  count: number;
}

/** A menu button as WeChat stores it (`cgi-bin/menu/get` shape). */
export interface MenuButton {
  type?: string;
  name: string;
  key?: string;
  url?: string;
  sub_button?: MenuButton[];
}

export type FollowerMessageType = 'text' | 'image' | 'voice' | 'video' | 'shortvideo' | 'location' | 'link';

export type WeComCorp = z.infer<typeof weComCorpSchema>;
export type WeComCustomer = z.infer<typeof customerListSchema>['customers'][number];
export type WeComInboxItem = z.infer<typeof inboxSchema>['items'][number];
export type AddMemberAnswer = z.infer<typeof addMemberAnswer>;
export type MemberMessageAnswer = z.infer<typeof memberMessageAnswer>;
export type SandboxContactWay = z.infer<typeof sandboxContactWaySchema>;

export const sandboxQueryKey = ['sandbox'] as const;

const oaBase = '/sandbox/control/official-accounts';
const corpBase = '/sandbox/control/wecom-corps';
const enc = encodeURIComponent;


export const oaApi = {
  accounts: () => api.get<{ items: SandboxOfficialAccount[] }>(oaBase),
  create: (body: { name?: string; followers?: number }) => api.post<SandboxOfficialAccount>(oaBase, body),
  setCallbackUrl: (appId: string, callbackUrl: string | null) => api.patch<SandboxOfficialAccount>(`${oaBase}/${enc(appId)}`, { callbackUrl }),
  addFollowers: (appId: string, count: number) => api.post<{ added: number; total: number }>(`${oaBase}/${enc(appId)}/followers`, { count }),
  follow: (appId: string, openId: string) => api.post<ActionOutcome>(`${oaBase}/${enc(appId)}/followers/${enc(openId)}/follow`),
  unfollow: (appId: string, openId: string) => api.post<ActionOutcome>(`${oaBase}/${enc(appId)}/followers/${enc(openId)}/unfollow`),
  send: (appId: string, openId: string, body: { type: FollowerMessageType; content: string }) =>
    api.post<ActionOutcome>(`${oaBase}/${enc(appId)}/followers/${enc(openId)}/messages`, body),
  click: (appId: string, openId: string, body: { key: string } | { url: string }) =>
    api.post<ActionOutcome>(`${oaBase}/${enc(appId)}/followers/${enc(openId)}/menu-clicks`, body),
  scan: (appId: string, openId: string, scene: string) => api.post<ActionOutcome>(`${oaBase}/${enc(appId)}/followers/${enc(openId)}/scans`, { scene }),
  inbox: (appId: string, openId: string) =>
    api.get<{ items: OaInboxItem[]; nextCursor: string | null }>(`${oaBase}/${enc(appId)}/followers/${enc(openId)}/inbox`, { limit: 500 }),
  /** Current followers' OpenIDs (the first 1,000 in OpenID order) and how many there are. */
  followers: async (account: SandboxOfficialAccount) => {
    const answer = await api.get<{ items: { openId: string }[]; nextCursor: string | null; total: number }>(`${oaBase}/${enc(account.appId)}/followers`, { limit: 1000 });
    return { total: answer.total, openIds: answer.items.map((f) => f.openId) };
  },
  /** The menu this follower sees; empty when the account has published none. */
  menuFor: async (account: SandboxOfficialAccount, openId: string): Promise<MenuButton[]> => {
    const answer = await api.get<{ button: MenuButton[] }>(`${oaBase}/${enc(account.appId)}/followers/${enc(openId)}/menu`);
    return answer.button;
  },
};

export const weComApi = {
  corps: () => api.get<{ items: WeComCorp[] }>(corpBase),
  createCorp: (body: { name?: string; members?: number; customers?: number }) => api.post<WeComCorp>(corpBase, body),
  createCustomers: (corpId: string, body: { count: number; userid?: string }) => api.post<{ customers: WeComCustomer[] }>(`${corpBase}/${enc(corpId)}/customers`, body),
  addMember: (corpId: string, externalUserId: string, body: { userid: string; state?: string }) =>
    api.post<AddMemberAnswer>(`${corpBase}/${enc(corpId)}/customers/${enc(externalUserId)}/add-member`, body),
  memberSends: (corpId: string, userid: string, body: { content: string; agentId?: string }) =>
    api.post<MemberMessageAnswer>(`${corpBase}/${enc(corpId)}/members/${enc(userid)}/messages`, body),
  customerInbox: (corpId: string, externalUserId: string) => api.get<{ items: WeComInboxItem[] }>(`${corpBase}/${enc(corpId)}/customers/${enc(externalUserId)}/inbox`),
  memberInbox: (corpId: string, userid: string) => api.get<{ items: WeComInboxItem[] }>(`${corpBase}/${enc(corpId)}/members/${enc(userid)}/inbox`),
  contactWays: (corpId: string) => api.get<{ items: SandboxContactWay[] }>(`${corpBase}/${enc(corpId)}/contact-ways`),
};

export const coreApi = {
  deliveries: (query: { product?: string; ownerKey?: string; cursor?: string; limit: number }) =>
    api.get<{ items: Delivery[]; nextCursor: string | null }>('/sandbox/control/deliveries', query),
  faults: () => api.get<{ faults: Fault[] }>('/sandbox/control/faults'),
  armFault: (fault: Fault) => api.post<{ faults: Fault[] }>('/sandbox/control/faults', fault),
  clearFaults: () => api.delete<unknown>('/sandbox/control/faults'),
};
