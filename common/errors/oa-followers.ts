import type { ErrorSpec } from './spec';

/** Errors of Official Account followers and tags. */
export const oaFollowersErrors = {
  FOLLOWERS_ACCOUNT_NOT_OFFICIAL: {
    status: 400,
    zh: '粉丝与标签只适用于公众号账号',
    en: 'Followers and tags apply to Official Accounts only',
  },
  FOLLOWER_NOT_FOUND: { status: 404, zh: '找不到粉丝 {openId}', en: 'Follower {openId} not found' },
  FOLLOWER_REMARK_TOO_LONG: {
    status: 400,
    zh: '备注名不能超过 {max} 个字符（当前 {actual}）',
    en: 'A remark may be at most {max} characters (now {actual})',
  },
  FOLLOWER_CURSOR_INVALID: { status: 400, zh: '翻页游标无效，请从第一页重新开始', en: 'Invalid page cursor; start again from the first page' },
  FOLLOWER_SYNC_RUNNING: {
    status: 409,
    zh: '该公众号的粉丝同步正在进行（任务 {jobId}），请等待完成',
    en: 'A follower sync of this account is already running (job {jobId})',
  },
  TAG_NOT_FOUND: { status: 404, zh: '找不到标签 {tagId}', en: 'Tag {tagId} not found' },
  TAG_NAME_TOO_LONG: {
    status: 400,
    zh: '标签名不能超过 {max} 个字符（当前 {actual}）',
    en: 'A tag name may be at most {max} characters (now {actual})',
  },
  TAG_NAME_TAKEN: { status: 409, zh: '标签名「{name}」已存在', en: 'A tag named "{name}" already exists' },
  TAG_LIMIT_REACHED: {
    status: 409,
    zh: '每个公众号最多 {max} 个标签，已达上限',
    en: 'An account may have at most {max} tags; the limit is reached',
  },
  TAG_PROTECTED: {
    status: 400,
    zh: '系统标签（编号 0、1、2）不能修改或删除（标签 {tagId}）',
    en: 'System tags (ids 0, 1, 2) cannot be changed or deleted (tag {tagId})',
  },
  TAG_TOO_MANY_FOLLOWERS: {
    status: 409,
    zh: '标签「{name}」下粉丝超过 {max} 人，微信不允许直接删除；请先取消部分粉丝的标签',
    en: 'The tag "{name}" has more than {max} followers, which WeChat will not delete; untag some first',
  },
  TAG_WECHAT_REFUSED: {
    status: 502,
    zh: '微信拒绝了标签操作：{reason}（错误码 {errcode}）',
    en: 'WeChat refused the tag operation: {reason} (errcode {errcode})',
  },
  TAG_RULE_NOT_FOUND: { status: 404, zh: '找不到该自动打标签规则', en: 'Auto-tag rule not found' },
  TAG_BATCH_TOO_LARGE: {
    status: 400,
    zh: '一次最多为 {max} 个粉丝打标签（当前 {actual}）',
    en: 'At most {max} followers can be tagged at once (now {actual})',
  },
} as const satisfies Record<string, ErrorSpec>;
