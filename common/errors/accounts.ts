import type { ErrorSpec } from './spec';

/** Errors of connected accounts and of calls Qiao makes to WeChat's server APIs. */
export const accountsErrors = {
  ACCOUNT_NOT_FOUND: { status: 404, zh: '找不到该接入账号', en: 'Connected account not found' },
  ACCOUNT_ALREADY_CONNECTED: {
    status: 409,
    zh: '{wechatId} 已经接入（账号「{name}」），不能重复接入',
    en: '{wechatId} is already connected (account "{name}")',
  },
  ACCOUNT_RECEIVER_NOT_FOUND: { status: 404, zh: '该账号没有接收方 {receiver}', en: 'The account has no receiver {receiver}' },
  ACCOUNT_FIELD_NOT_APPLICABLE: {
    status: 400,
    zh: '字段 {field} 不适用于{typeLabel}账号',
    en: 'The field {field} does not apply to a {typeLabel} account',
  },
  ACCOUNT_RECEIVER_SECRET_REQUIRED: {
    status: 400,
    zh: '新增的接收方 {receiver} 需要填写 Secret',
    en: 'The new receiver {receiver} needs its secret',
  },
  ACCOUNT_LAST_RECEIVER: {
    status: 400,
    zh: '企业微信账号至少要保留一个接收方（应用、通讯录同步或客户联系）',
    en: 'A WeCom account needs at least one receiver (an app, contacts or customer-contact)',
  },
  WECHAT_API_ERROR: {
    status: 502,
    zh: '微信接口「{title}」返回错误 {errcode}：{explanationZh}',
    en: 'WeChat API {endpoint} answered errcode {errcode}: {explanationEn}',
  },
  WECHAT_API_RATE_LIMITED: {
    status: 429,
    zh: '微信接口「{title}」调用过于频繁，请 {retryAfterS} 秒后再试',
    en: 'WeChat API {endpoint} is called too often; try again in {retryAfterS} s',
  },
  WECHAT_API_BAD_RESPONSE: {
    status: 502,
    zh: '微信接口「{title}」返回的数据格式与预期不符',
    en: 'WeChat API {endpoint} answered in an unexpected shape',
  },
  WECHAT_API_UNREACHABLE: {
    status: 502,
    zh: '无法连接微信接口「{title}」（{reason}），请检查网络或接口地址',
    en: 'Could not reach WeChat API {endpoint} ({reason}); check the network or the API base URL',
  },
} as const satisfies Record<string, ErrorSpec>;
