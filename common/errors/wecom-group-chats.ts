import type { ErrorSpec } from './spec';

/** Errors of WeCom customer groups (客户群) and their join codes, and of the sandbox's groups. */
export const wecomGroupChatsErrors = {
  GROUP_CHAT_NOT_FOUND: { status: 404, zh: '找不到客户群 {chatId}', en: 'Customer group {chatId} not found' },
  GROUP_JOIN_WAY_NOT_FOUND: { status: 404, zh: '找不到入群码 {id}', en: 'Join code {id} not found' },
  GROUP_JOIN_WAY_INVALID: {
    status: 400,
    zh: '入群码设置不符合企业微信的限制：{field} {limit}',
    en: 'The join code breaks WeCom’s limits: {field} {limit}',
  },
  GROUP_JOIN_WAY_UNKNOWN_CHAT: {
    status: 400,
    zh: '客户群 {chatId} 不存在或已解散，请先同步客户群',
    en: 'Customer group {chatId} does not exist or was dismissed; sync the groups first',
  },
  GROUP_CHAT_WECHAT_REFUSED: {
    status: 409,
    zh: '企业微信拒绝了该操作（错误码 {errcode}：{words}），桥中没有任何改动',
    en: 'WeCom refused (errcode {errcode}: {words}); nothing changed in Qiao',
  },
  GROUP_CHAT_SYNC_RUNNING: {
    status: 409,
    zh: '该企业的客户群同步正在进行（任务 {jobId}），请等待完成',
    en: 'A customer-group sync of this corp is already running (job {jobId})',
  },
  SANDBOX_WECOM_GROUP_CHAT_NOT_FOUND: { status: 404, zh: '沙箱企业 {corpId} 没有客户群 {chatId}', en: 'Sandbox corp {corpId} has no customer group {chatId}' },
  SANDBOX_WECOM_ALREADY_IN_GROUP: { status: 409, zh: '客户 {externalUserId} 已在群 {chatId} 中', en: 'Customer {externalUserId} is already in group {chatId}' },
  SANDBOX_WECOM_GROUP_FULL: { status: 409, zh: '客户群 {chatId} 已满（最多 {max} 人）', en: 'Customer group {chatId} is full (at most {max} people)' },
} as const satisfies Record<string, ErrorSpec>;
