import {
  MessageCrypt,
  buildWeChatXml,
  officialAccountVerifyQuery,
  openReply,
  sealOfficialAccountPush,
  sealWeComPush,
  weComVerifyQuery,
  type OfficialAccountMode,
  type XmlInputRecord,
} from '../../../wechat/core';

// What the integration tests of callbacks share: connected accounts and pushes sealed as WeChat seals them.

/** The part of the app (Fastify's inject) the helpers use. */
interface Injector {
  inject(options: { method: 'GET' | 'POST'; url: string; payload?: string | object; headers?: Record<string, string> }): Promise<{ statusCode: number; body: string; json(): unknown }>;
}
type QiaoApp = Injector;
type Caller = { headers: Record<string, string> };

export const appId = 'wx2c2769f8efd9abc2';
export const corpId = 'ww1436e0e65a779aee';
export const oaToken = 'QiaoCallbackToken01';
export const keyA = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';
export const keyB = 'ZYXWVUTSRQPONMLKJIHGFEDCBAzyxwvutsrqpo98765';
export const openId = 'oyORnuP8q7ou2gfYjqLzSIWZf0rs';
export const ghId = 'gh_10f6c3c3ac5a';

export function cryptFor(key: string, receiverId: string): MessageCrypt {
  return new MessageCrypt({ currentKey: key, receiverId });
}

export async function connectOfficialAccount(
  app: QiaoApp,
  root: Caller,
  options: { mode?: OfficialAccountMode; key?: string; apiBaseUrl?: string; appId?: string } = {},
): Promise<string> {
  const response = await app.inject({
    method: 'POST',
    url: '/api/v1/accounts',
    headers: root.headers,
    payload: {
      type: 'official_account',
      name: '桥服务号',
      appId: options.appId ?? appId,
      appSecret: 'good-oa-secret-0123456789',
      token: oaToken,
      encodingAesKey: options.key ?? keyA,
      encryptMode: options.mode ?? 'safe',
      ...(options.apiBaseUrl ? { apiBaseUrl: options.apiBaseUrl } : {}),
    },
  });
  if (response.statusCode !== 201) throw new Error(`connect failed: ${response.statusCode} ${response.body}`);
  return (response.json() as { id: string }).id;
}

export const wecomReceivers = [
  { receiver: '1000002', token: 'AppToken1000002', key: keyA },
  { receiver: 'contacts', token: 'ContactsToken01', key: keyB },
  { receiver: 'customer-contact', token: 'CustomerToken01', key: keyA },
] as const;

export async function connectWeCom(app: QiaoApp, root: Caller, options: { apiBaseUrl?: string } = {}): Promise<string> {
  const response = await app.inject({
    method: 'POST',
    url: '/api/v1/accounts',
    headers: root.headers,
    payload: {
      type: 'wecom',
      name: '桥科技',
      corpId,
      receivers: wecomReceivers.map((r) => ({ receiver: r.receiver, secret: `good-secret-${r.receiver}`, token: r.token, encodingAesKey: r.key })),
      ...(options.apiBaseUrl ? { apiBaseUrl: options.apiBaseUrl } : {}),
    },
  });
  if (response.statusCode !== 201) throw new Error(`connect failed: ${response.statusCode} ${response.body}`);
  return (response.json() as { id: string }).id;
}

export function oaXml(fields: XmlInputRecord, createTime = Math.floor(Date.now() / 1000)): string {
  return buildWeChatXml({ ToUserName: ghId, FromUserName: openId, CreateTime: createTime, ...fields });
}

export function wecomXml(fields: XmlInputRecord, from = 'zhangsan', createTime = Math.floor(Date.now() / 1000)): string {
  return buildWeChatXml({ ToUserName: corpId, FromUserName: from, CreateTime: createTime, ...fields });
}

export function querystring(query: Record<string, string>): string {
  return new URLSearchParams(query).toString();
}

export interface Push {
  url: string;
  body: string;
}

export function oaPush(
  accountId: string,
  message: string,
  options: { mode?: OfficialAccountMode; key?: string; timestamp?: string; token?: string; receiverId?: string } = {},
): Push {
  const sealed = sealOfficialAccountPush({
    message,
    mode: options.mode ?? 'safe',
    token: options.token ?? oaToken,
    crypt: cryptFor(options.key ?? keyA, options.receiverId ?? appId),
    openId,
    toUserName: ghId,
    ...(options.timestamp ? { timestamp: options.timestamp } : {}),
  });
  return { url: `/wechat/official-account/${accountId}/callback?${querystring(sealed.query)}`, body: sealed.body };
}

export function wecomPush(accountId: string, receiver: string, message: string, options: { receiverId?: string } = {}): Push {
  const config = wecomReceivers.find((r) => r.receiver === receiver);
  if (!config) throw new Error(`no receiver ${receiver}`);
  const sealed = sealWeComPush({
    message,
    token: config.token,
    crypt: cryptFor(config.key, options.receiverId ?? corpId),
    toUserName: corpId,
    ...(/^\d+$/.test(receiver) ? { agentId: receiver } : {}),
  });
  return { url: `/wechat/wecom/${accountId}/${receiver}/callback?${querystring(sealed.query)}`, body: sealed.body };
}

export function deliver(app: QiaoApp, push: Push) {
  return app.inject({ method: 'POST', url: push.url, payload: push.body, headers: { 'content-type': 'text/xml' } });
}

export function oaVerifyUrl(accountId: string, echostr: string, token = oaToken): string {
  return `/wechat/official-account/${accountId}/callback?${querystring(officialAccountVerifyQuery({ token, echostr }))}`;
}

export function wecomVerifyUrl(accountId: string, receiver: string, echostr: string): string {
  const config = wecomReceivers.find((r) => r.receiver === receiver);
  if (!config) throw new Error(`no receiver ${receiver}`);
  return `/wechat/wecom/${accountId}/${receiver}/callback?${querystring(weComVerifyQuery({ token: config.token, crypt: cryptFor(config.key, corpId), echostr }))}`;
}

/** Opens an answer as WeChat would; `key` is the key expected to have sealed it. */
export function readAnswer(body: string, options: { token?: string; key?: string; receiverId?: string } = {}) {
  return openReply({ body, token: options.token ?? oaToken, crypt: cryptFor(options.key ?? keyA, options.receiverId ?? appId) });
}
