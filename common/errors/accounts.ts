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
  ACCOUNT_SECRETS_UNREADABLE: {
    status: 503,
    zh: '无法解密保存的微信密钥：它们是用另一把主密钥（编号 {keyId}）加密的，本服务器没有这把密钥。请把 QIAO_SECRET_KEY 设回原来的密钥后重启，或在「接入账号」中重新填写该账号的 Secret、Token 和 EncodingAESKey',
    en: 'The stored WeChat secrets cannot be decrypted: they were sealed with another master key (id {keyId}) that this server does not have. Set QIAO_SECRET_KEY back to that key and restart, or enter the account’s secret, token and EncodingAESKey again under Connected accounts',
  },
  ACCOUNT_LAST_RECEIVER: {
    status: 400,
    zh: '企业微信账号至少要保留一个接收方（应用、通讯录同步或客户联系）',
    en: 'A WeCom account needs at least one receiver (an app, contacts or customer-contact)',
  },
  WECHAT_API_ERROR: {
    status: 502,
    zh: '微信接口 {endpoint} 返回错误 {errcode}：{errmsg}',
    en: 'WeChat API {endpoint} answered errcode {errcode}: {errmsg}',
  },
  WECHAT_API_BUSY: {
    status: 503,
    zh: '微信系统繁忙（接口 {endpoint}，错误码 {errcode}），已重试仍失败，请稍后再试',
    en: 'WeChat is busy (API {endpoint}, errcode {errcode}) and retries did not help; try again shortly',
  },
  WECHAT_CREDENTIALS_INVALID: {
    status: 502,
    zh: '微信拒绝了账号凭据（错误码 {errcode}：{errmsg}），请核对 AppID/CorpID 和 Secret',
    en: 'WeChat refused the account credentials (errcode {errcode}: {errmsg}); check the AppID/CorpID and the secret',
  },
  WECHAT_IP_NOT_WHITELISTED: {
    status: 502,
    zh: '服务器 IP {ip} 不在公众号的 IP 白名单中（错误码 {errcode}），请在公众号后台「设置与开发 → 基本配置 → IP白名单」添加 {ip}',
    en: 'Server IP {ip} is not in the Official Account IP whitelist (errcode {errcode}); add {ip} under Settings & Development → Basic Configuration → IP whitelist',
  },
  WECOM_IP_NOT_TRUSTED: {
    status: 502,
    zh: '服务器 IP {ip} 不在企业可信 IP 中（错误码 {errcode}），请在企业微信管理后台「应用管理 → 对应应用 → 企业可信IP」添加 {ip}',
    en: 'Server IP {ip} is not a trusted corporate IP (errcode {errcode}); add {ip} in the WeCom admin console under App Management → the app → Trusted corporate IP',
  },
  WECHAT_QUOTA_EXCEEDED: {
    status: 429,
    zh: '微信接口 {endpoint} 的调用次数或频率已达上限（错误码 {errcode}），请稍后再试',
    en: 'The quota or rate limit of WeChat API {endpoint} is used up (errcode {errcode}); try again later',
  },
  WECHAT_PERMISSION_DENIED: {
    status: 502,
    zh: '没有调用微信接口 {endpoint} 的权限（错误码 {errcode}：{errmsg}），请检查账号类型、认证状态或该 Secret 的权限范围',
    en: 'Not allowed to call WeChat API {endpoint} (errcode {errcode}: {errmsg}); check the account type, verification or the secret’s scope',
  },
  WECHAT_API_RATE_LIMITED: {
    status: 429,
    zh: '微信接口 {endpoint} 调用过于频繁，请 {retryAfterS} 秒后再试',
    en: 'WeChat API {endpoint} is called too often; try again in {retryAfterS} s',
  },
  WECHAT_API_BAD_RESPONSE: {
    status: 502,
    zh: '微信接口 {endpoint} 返回的数据格式与预期不符',
    en: 'WeChat API {endpoint} answered in an unexpected shape',
  },
  WECHAT_API_UNREACHABLE: {
    status: 502,
    zh: '无法连接微信接口 {endpoint}（{reason}），请检查网络或接口地址',
    en: 'Could not reach WeChat API {endpoint} ({reason}); check the network or the API base URL',
  },
} as const satisfies Record<string, ErrorSpec>;
