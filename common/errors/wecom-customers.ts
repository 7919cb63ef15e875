import type { ErrorSpec } from './spec';

/** Errors of WeCom customers (客户): list, sync, remarks, consent, export. */
export const wecomCustomersErrors = {
  WECOM_CUSTOMER_NOT_FOUND: { status: 404, zh: '找不到客户 {externalUserId}', en: 'Customer {externalUserId} not found' },
  WECOM_CUSTOMER_FOLLOW_NOT_FOUND: {
    status: 404,
    zh: '成员 {userid} 没有添加客户 {externalUserId}',
    en: 'Member {userid} does not follow customer {externalUserId}',
  },
  WECOM_CUSTOMER_FOLLOW_ENDED: {
    status: 409,
    zh: '成员 {userid} 与该客户的好友关系已结束，不能再修改备注',
    en: 'Member {userid} no longer follows this customer; the remark can no longer be changed',
  },
  WECOM_CUSTOMER_FOLLOWER_REQUIRED: {
    status: 400,
    zh: '该客户被多位成员添加，请用 userid 指明修改哪位成员的备注（{userids}）',
    en: 'Several members follow this customer; name the member whose remark to change with userid ({userids})',
  },
  WECOM_CUSTOMER_CURSOR_INVALID: { status: 400, zh: '翻页游标无效，请从第一页重新开始', en: 'Invalid page cursor; start again from the first page' },
  WECOM_CUSTOMER_NO_RECEIVER: {
    status: 409,
    zh: '账号“{name}”没有接入“客户联系”密钥或可调用客户联系的应用，无法读取客户',
    en: 'Account “{name}” has neither the customer-contact secret nor an app allowed to use customer contact; customers cannot be read',
  },
  WECOM_CUSTOMER_SYNC_RUNNING: {
    status: 409,
    zh: '该企业的客户同步正在进行（任务 {jobId}），请等待完成',
    en: 'A customer sync of this corp is already running (job {jobId})',
  },
  WECOM_CUSTOMER_REMARK_TOO_LONG: {
    status: 400,
    zh: '{field} 不能超过 {max} 个字符（当前 {actual}）',
    en: '{field} may be at most {max} characters (now {actual})',
  },
  WECOM_CUSTOMER_MOBILE_INVALID: {
    status: 400,
    zh: '备注手机号 {mobile} 无效：只能包含数字、+ 和 -，最长 32 位',
    en: 'Remark phone number {mobile} is invalid: digits, + and - only, at most 32 characters',
  },
  WECOM_CUSTOMER_EXPORT_LIMIT: {
    status: 429,
    zh: '今天的客户导出次数已用完（每人每天 {limit} 次），请在 {resetAt} 之后再导出，或请管理员调整 QIAO_CUSTOMER_EXPORTS_PER_DAY',
    en: 'Today’s customer exports are used up ({limit} per user per day); export again after {resetAt}, or ask an admin to raise QIAO_CUSTOMER_EXPORTS_PER_DAY',
  },
  WECOM_CUSTOMER_EXPORT_NOT_ALLOWED: {
    status: 403,
    zh: '只有登录的人员才能导出客户，导出次数按人计算',
    en: 'Only a signed-in user or a user’s API key may export customers; exports are counted per user',
  },
  WECOM_CUSTOMER_OVERVIEW_RANGE_REVERSED: {
    status: 400,
    zh: '统计区间无效：开始日期 {from} 晚于结束日期 {to}',
    en: 'Invalid window: the start day {from} is after the end day {to}',
  },
  WECOM_CUSTOMER_OVERVIEW_RANGE_TOO_LONG: {
    status: 400,
    zh: '统计区间最长 {maxDays} 天（{from} 至 {to} 共 {days} 天），请缩短区间',
    en: 'The window may span at most {maxDays} days ({from} to {to} is {days} days); shorten it',
  },
  WECOM_CUSTOMER_OVERVIEW_DAY_INVALID: {
    status: 400,
    zh: '日期 {day} 不存在，请用 YYYY-MM-DD 格式的真实日期',
    en: 'Day {day} does not exist; give a real date as YYYY-MM-DD',
  },
} as const satisfies Record<string, ErrorSpec>;
