import type { ErrorSpec } from './spec';

/** Errors of Official Account customer-service inbox. */
export const oaInboxErrors = {
  OA_CONVERSATION_NOT_FOUND: { status: 404, zh: '找不到该会话', en: 'Conversation not found' },
  OA_INBOX_WINDOW_CLOSED: {
    status: 409,
    zh: '客服消息只能在粉丝最后一次互动后 48 小时内发送；该会话的窗口已于 {closedAt} 关闭，请等待粉丝再次发来消息',
    en: 'Customer-service messages may be sent only within 48 hours of the follower’s last interaction; this window closed at {closedAt}; wait for the follower to write again',
  },
  OA_INBOX_NO_WINDOW: {
    status: 409,
    zh: '该粉丝还没有发来过消息，不能主动发送客服消息',
    en: 'This follower has not written yet; customer-service messages cannot start a conversation',
  },
  OA_INBOX_WECHAT_WINDOW_CLOSED: {
    status: 409,
    zh: '微信拒绝发送（错误码 45015）：回复时间超过限制，粉丝 48 小时内没有互动',
    en: 'WeChat refused (errcode 45015): outside the reply window, the follower has not interacted within 48 hours',
  },
  OA_INBOX_WECHAT_QUOTA: {
    status: 409,
    zh: '微信拒绝发送（错误码 45047）：本次互动后可发的客服消息条数已用完（粉丝发消息后 48 小时内最多 5 条），请等待粉丝再次发来消息',
    en: 'WeChat refused (errcode 45047): the customer-service messages allowed after this interaction are used up (at most 5 within 48 hours of a message); wait for the follower to write again',
  },
  OA_INBOX_ASSIGNEE_NOT_FOUND: { status: 400, zh: '找不到要指派的用户 {userId}', en: 'The user {userId} to assign was not found' },
  OA_QUICK_REPLY_NOT_FOUND: { status: 404, zh: '找不到该快捷回复', en: 'Quick reply not found' },
  OA_QUICK_REPLY_UNKNOWN_VARIABLE: {
    status: 400,
    zh: '快捷回复里的变量 {{{name}}} 不存在，可用的变量：{known}',
    en: 'The quick reply uses an unknown variable {{{name}}}; known variables: {known}',
  },
} as const satisfies Record<string, ErrorSpec>;
