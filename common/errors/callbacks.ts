import type { ErrorSpec } from './spec';

/** Errors of the WeChat callback endpoints, the message log and replies sent after the deadline. */
export const callbacksErrors = {
  MESSAGE_NOT_FOUND: { status: 404, zh: '找不到该消息记录', en: 'Message not found' },
  CALLBACK_REPLY_WINDOW_CLOSED: {
    status: 409,
    zh: '客服消息窗口已关闭：粉丝最近一次互动已超过 {windowLabel}，无法再补发回复',
    en: 'The customer-service window is closed: the follower last interacted more than {windowLabel} ago, so the reply cannot be sent',
  },
  CALLBACK_REPLY_NOT_DELIVERABLE: {
    status: 400,
    zh: '这种回复（{replyType}）无法在超时后通过接口补发',
    en: 'A reply of type {replyType} cannot be sent later through the API',
  },
} as const satisfies Record<string, ErrorSpec>;
