import type { ErrorSpec } from './spec';

/** Errors of Official Account targeted pushes (群发). */
export const oaPushesErrors = {
  OA_PUSH_NOT_FOUND: { status: 404, zh: '找不到该群发消息', en: 'Broadcast not found' },
  OA_PUSH_NOT_OFFICIAL_ACCOUNT: { status: 400, zh: '群发只适用于公众号账号', en: 'Broadcasts apply to Official Accounts only' },
  OA_PUSH_AUDIENCE_EMPTY: { status: 400, zh: '发送对象为空：所选{audience}没有关注的粉丝，未发送任何消息', en: 'The audience is empty: {audience} has no followers; nothing was sent' },
  OA_PUSH_TAG_NOT_FOUND: { status: 400, zh: '标签 {tagId} 已不存在（可能已被删除），未发送任何消息', en: 'Tag {tagId} no longer exists (it may have been deleted); nothing was sent' },
  OA_PUSH_OPENID_LIST_SIZE: {
    status: 400,
    zh: '按 OpenID 列表群发需要 {min} 至 {max} 个粉丝（当前 {count} 个）',
    en: 'A send to an OpenID list needs {min} to {max} followers (now {count})',
  },
  OA_PUSH_OPENID_LIST_SERVICE_ONLY: {
    status: 400,
    zh: '只有服务号能按 OpenID 列表或多个标签群发；订阅号请按单个标签或全部粉丝群发',
    en: 'Only service accounts can send to an OpenID list or several tags; a subscription account sends to one tag or to everyone',
  },
  OA_PUSH_DAILY_QUOTA_EXCEEDED: {
    status: 409,
    zh: '订阅号每天只能群发 1 次，今天（北京时间）已群发过（{sentAt}），请明天再发',
    en: 'A subscription account may mass-send once a day; it already did today (Beijing time, {sentAt}); send tomorrow',
  },
  OA_PUSH_MONTHLY_QUOTA_EXCEEDED: {
    status: 409,
    zh: '服务号每位粉丝每月最多收到 4 条群发：{overQuota} 位粉丝本月已收满，微信会跳过他们；确认后可仅发送给其余 {remaining} 位',
    en: 'A service account may reach each follower with 4 mass messages a month: {overQuota} followers have had 4 this month and WeChat would skip them; confirm to send to the other {remaining}',
  },
  OA_PUSH_ALL_OVER_QUOTA: {
    status: 409,
    zh: '所选 {count} 位粉丝本月都已收满 4 条群发（服务号每位粉丝每月 4 条），未发送任何消息',
    en: 'All {count} followers selected have had their 4 mass messages this month (service accounts: 4 per follower a month); nothing was sent',
  },
  OA_PUSH_NOT_EDITABLE: { status: 409, zh: '该群发当前状态为「{state}」，不能再{action}', en: 'The broadcast is {state}; it can no longer be {action}' },
  OA_PUSH_SCHEDULE_IN_PAST: { status: 400, zh: '定时时间 {scheduledAt} 已经过去，请选择将来的时间', en: 'The scheduled time {scheduledAt} has passed; choose a future time' },
  OA_PUSH_MEDIA_EXPIRES: {
    status: 400,
    zh: '图片素材将于 {expiresAt} 过期（临时素材保存 3 天），定时时间不能晚于它',
    en: 'The image media expires at {expiresAt} (temporary media lasts 3 days); schedule before then',
  },
  OA_PUSH_NO_MESSAGE_ID: {
    status: 409,
    zh: '该群发还没有微信的消息 ID（状态「{state}」），无法向微信查询',
    en: 'The broadcast has no WeChat message id yet (state {state}); there is nothing to ask WeChat about',
  },
} as const satisfies Record<string, ErrorSpec>;
