import type { WeChatProduct } from './endpoint';

/** How the client treats a code: retry later, refresh the token, or give up. */
export type ErrcodeKind = 'busy' | 'token' | 'credentials' | 'ip' | 'quota' | 'permission' | 'request';

export interface ErrcodeInfo {
  kind: ErrcodeKind;
  zh: string;
  en: string;
}

const shared: Record<number, ErrcodeInfo> = {
  [-1]: { kind: 'busy', zh: '微信系统繁忙，请稍后再试', en: 'WeChat is busy; try again shortly' },
  40013: { kind: 'credentials', zh: 'AppID 或 CorpID 不正确', en: 'The AppID or CorpID is wrong' },
  40014: { kind: 'token', zh: 'access_token 无效', en: 'The access token is invalid' },
  41001: { kind: 'token', zh: '缺少 access_token 参数', en: 'The access token is missing' },
  42001: { kind: 'token', zh: 'access_token 已过期', en: 'The access token has expired' },
  45009: { kind: 'quota', zh: '接口调用次数已达上限，请明天再试或在后台重置调用次数', en: 'The API quota is used up; wait for tomorrow or reset the quota in the admin console' },
  45033: { kind: 'quota', zh: '接口并发调用超过限制', en: 'Too many concurrent calls to this API' },
  48002: { kind: 'permission', zh: '该 Secret 无权调用此接口', en: 'This secret may not call this API' },
};

const officialAccount: Record<number, ErrcodeInfo> = {
  40001: { kind: 'token', zh: 'AppSecret 错误，或 access_token 无效、不是最新的', en: 'Wrong AppSecret, or the access token is invalid or not the latest' },
  40002: { kind: 'request', zh: 'grant_type 不合法', en: 'Invalid grant_type' },
  40003: { kind: 'request', zh: 'OpenID 不合法（该用户未关注本公众号）', en: 'Invalid OpenID (not a follower of this account)' },
  40125: { kind: 'credentials', zh: 'AppSecret 不正确', en: 'The AppSecret is wrong' },
  40164: { kind: 'ip', zh: '调用接口的 IP 不在公众号的 IP 白名单中', en: 'The calling IP is not in the account’s IP whitelist' },
  43004: { kind: 'request', zh: '该用户需要先关注公众号', en: 'The user must follow the account first' },
  45011: { kind: 'quota', zh: '接口调用太频繁，请稍后再试', en: 'The API is called too often; try again later' },
  45015: { kind: 'request', zh: '回复时间超过限制（用户 48 小时内未互动）', en: 'Outside the reply window (no user interaction recently)' },
  45047: { kind: 'quota', zh: '客服消息下行条数超过上限', en: 'Customer-service message limit reached for this user' },
  47001: { kind: 'request', zh: '请求内容格式错误（JSON/XML 解析失败）', en: 'The request body could not be parsed (JSON/XML)' },
  48001: { kind: 'permission', zh: '公众号未获得该接口权限（账号类型或认证状态不支持）', en: 'The account is not authorised for this API (account type or verification)' },
  48004: { kind: 'permission', zh: '该接口已被封禁', en: 'This API is banned for the account' },
  48006: { kind: 'quota', zh: '本月重置调用次数的机会已用完', en: 'No quota resets left this month' },
  50001: { kind: 'permission', zh: '用户未授权该接口', en: 'The user has not authorised this API' },
  50002: { kind: 'permission', zh: '用户受限，可能被违规封禁', en: 'The user is restricted' },
  61451: { kind: 'request', zh: '参数错误', en: 'Invalid parameter' },
};

const wecom: Record<number, ErrcodeInfo> = {
  40001: { kind: 'credentials', zh: 'Secret 不正确', en: 'The secret is wrong' },
  40003: { kind: 'request', zh: 'UserID 不合法', en: 'Invalid UserID' },
  40056: { kind: 'request', zh: 'AgentId 不合法', en: 'Invalid AgentId' },
  40091: { kind: 'credentials', zh: 'Secret 不合法（可能是其他企业的 Secret）', en: 'Invalid secret (maybe another corp’s)' },
  50002: { kind: 'permission', zh: '成员不在应用的可见范围内', en: 'The member is outside the app’s visible range' },
  60011: { kind: 'permission', zh: '没有该成员、部门或标签的管理权限', en: 'No permission for this member, department or tag' },
  60020: { kind: 'ip', zh: '调用接口的 IP 不在企业可信 IP 列表中', en: 'The calling IP is not in the corp’s trusted IP list' },
  60102: { kind: 'request', zh: 'UserID 已存在', en: 'The UserID already exists' },
  60111: { kind: 'request', zh: 'UserID 不存在', en: 'The UserID does not exist' },
  81013: { kind: 'request', zh: '所有接收人均无效', en: 'Every recipient is invalid' },
  84061: { kind: 'request', zh: '成员与该客户没有外部联系人关系', en: 'The member and the customer have no external-contact relationship' },
  84074: { kind: 'permission', zh: '没有客户联系的权限', en: 'No customer-contact permission' },
  301002: { kind: 'permission', zh: '无权操作该应用', en: 'No permission to operate this app' },
};

/** What Qiao knows about a WeChat errcode; null for codes nobody described yet. */
export function describeErrcode(product: WeChatProduct, errcode: number): ErrcodeInfo | null {
  const own = product === 'wecom' ? wecom : officialAccount;
  return own[errcode] ?? shared[errcode] ?? null;
}

/** Codes after which one token refresh and one retry are worth it. */
export function rejectsToken(errcode: number): boolean {
  return errcode === 40001 || errcode === 40014 || errcode === 42001;
}

const ipPatterns = [/from ip:?\s*([0-9a-f.:]+)/i, /invalid ip\s+([0-9a-f.:]+)/i, /\b(\d{1,3}(?:\.\d{1,3}){3})\b/];

/** The caller's address as WeChat saw it; WeChat puts it in errmsg for 40164 and 60020. */
export function ipFromErrmsg(errmsg: string): string | null {
  for (const pattern of ipPatterns) {
    const found = pattern.exec(errmsg)?.[1];
    if (found && /[0-9]/.test(found)) return found.replace(/[.:,]+$/, '');
  }
  return null;
}

/** Where the user fixes an IP refusal, in each console language. */
export function ipWhitelistHint(product: WeChatProduct, ip: string | null): { zh: string; en: string } {
  const address = ip ?? '本服务器的出口 IP';
  const addressEn = ip ?? 'this server’s outbound IP';
  if (product === 'official-account') {
    return {
      zh: `请把 ${address} 加入公众号的 IP 白名单：公众号后台「设置与开发 → 基本配置 → IP白名单」（或微信开发者平台中该公众号的 API IP 白名单）。`,
      en: `Add ${addressEn} to the Official Account's IP whitelist: MP admin console, Settings & Development → Basic Configuration → IP whitelist (or the account's API IP whitelist on the WeChat developer platform).`,
    };
  }
  return {
    zh: `请把 ${address} 加入企业可信 IP：企业微信管理后台「应用管理 → 对应应用 → 企业可信IP」（通讯录同步、客户联系的 Secret 在各自的设置页）。`,
    en: `Add ${addressEn} to the trusted IPs: WeCom admin console, App Management → the app → Trusted corporate IP (contacts sync and customer contact have it on their own settings pages).`,
  };
}
