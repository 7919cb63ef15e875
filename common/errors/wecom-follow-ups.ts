import type { ErrorSpec } from './spec';

/** Errors of WeCom follow-up records (跟进记录). */
export const wecomFollowUpsErrors = {
  FOLLOW_UP_NOT_FOUND: { status: 404, zh: '找不到该跟进记录', en: 'Follow-up record not found' },
  FOLLOW_UP_OUT_OF_SCOPE: {
    status: 403,
    zh: '成员 {userid} 的客户不在你的管理范围内，不能查看或编辑其跟进记录',
    en: 'The customers of member {userid} are outside your reach; you cannot see or edit their follow-up records',
  },
  FOLLOW_UP_CUSTOMER_NOT_FOUND: {
    status: 404,
    zh: '企业微信中找不到客户 {externalUserId}',
    en: 'WeCom has no customer {externalUserId}',
  },
  FOLLOW_UP_NOT_FOLLOWER: {
    status: 400,
    zh: '成员 {userid} 没有添加客户 {externalUserId}，跟进记录只能写在成员自己的客户上',
    en: 'Member {userid} has not added customer {externalUserId}; a follow-up belongs to a customer the member follows',
  },
  FOLLOW_UP_MEMBER_REQUIRED: {
    status: 400,
    zh: '请指定跟进成员（userid）：你关联了多个企业微信成员，或不是成员账号',
    en: 'Name the following member (userid): you are tied to several WeCom members, or to none',
  },
  FOLLOW_UP_REMINDER_IN_PAST: {
    status: 400,
    zh: '下次联系时间 {nextContactAt} 已经过去，请选择将来的时间',
    en: 'The next-contact time {nextContactAt} has passed; choose a time in the future',
  },
  FOLLOW_UP_RANGE_INVALID: {
    status: 400,
    zh: '统计区间无效：开始时间必须早于结束时间，且跨度不超过 {maxDays} 天',
    en: 'Invalid range: from must be before to, and the span at most {maxDays} days',
  },
  FOLLOW_UP_ATTACHMENT_MISSING: { status: 400, zh: '请以 multipart 字段 file 上传附件', en: 'Upload the attachment as the multipart field `file`' },
  FOLLOW_UP_ATTACHMENT_TOO_LARGE: {
    status: 413,
    zh: '附件超过 {limitMb} MB 的上限',
    en: 'The attachment is larger than the {limitMb} MB limit',
  },
  FOLLOW_UP_ATTACHMENT_TYPE: {
    status: 415,
    zh: '不支持的附件类型「{extension}」，可上传：{allowed}',
    en: 'Attachments of type "{extension}" are not accepted; allowed: {allowed}',
  },
  FOLLOW_UP_ATTACHMENT_CONTENT: {
    status: 415,
    zh: '附件内容与扩展名「{extension}」不符',
    en: 'The attachment’s content does not match its extension "{extension}"',
  },
  FOLLOW_UP_ATTACHMENTS_FULL: {
    status: 409,
    zh: '一条跟进记录最多 {max} 个附件',
    en: 'A follow-up record holds at most {max} attachments',
  },
  FOLLOW_UP_ATTACHMENT_NOT_FOUND: { status: 404, zh: '找不到该附件', en: 'Attachment not found' },
  FOLLOW_UP_EXPORT_TOO_LARGE: {
    status: 400,
    zh: '一次最多导出 {max} 条跟进记录（当前 {count} 条），请缩小筛选范围',
    en: 'At most {max} follow-up records per export ({count} match); narrow the filters',
  },
  FOLLOW_UP_NO_APP: {
    status: 409,
    zh: '该企业没有接入自建应用，无法给成员发送跟进提醒；请在账号设置中添加应用的 AgentId 与 Secret',
    en: 'This corp has no app connected, so follow-up reminders cannot be sent to members; add an app (AgentId and Secret) to the account',
  },
} as const satisfies Record<string, ErrorSpec>;
