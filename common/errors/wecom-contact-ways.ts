import type { ErrorSpec } from './spec';

/** Errors of 「联系我」 codes and welcome messages (WeCom customer contact). */
export const wecomContactWaysErrors = {
  CONTACT_WAY_NOT_FOUND: { status: 404, zh: '找不到该「联系我」二维码（configId {configId}）', en: 'Contact-me code {configId} not found' },
  CONTACT_WAY_FAILED_NOT_FOUND: { status: 404, zh: '找不到创建失败的「联系我」记录 {id}', en: 'No failed contact-me creation {id}' },
  CONTACT_WAY_TOO_MANY_MEMBERS: {
    status: 400,
    zh: '一个「联系我」最多配置 {max} 个使用成员，当前 {actual} 个',
    en: 'A contact-me code takes at most {max} members; this one has {actual}',
  },
  CONTACT_WAY_SINGLE_NEEDS_ONE_MEMBER: {
    status: 400,
    zh: '单人「联系我」必须且只能有 1 个使用成员，当前 {actual} 个',
    en: 'A single-member contact-me code takes exactly 1 member; this one has {actual}',
  },
  CONTACT_WAY_TEMP_SINGLE_ONLY: {
    status: 400,
    zh: '临时会话模式只支持单人「联系我」（企业微信的限制）',
    en: 'Temporary-session codes can only be single-member (a WeCom limit)',
  },
  CONTACT_WAY_EXPIRY_OUT_OF_RANGE: {
    status: 400,
    zh: '{field} 必须在 1 秒到 {max} 秒（14 天）之间，当前 {actual}',
    en: '{field} must be between 1 and {max} seconds (14 days); got {actual}',
  },
  CONTACT_WAY_STATE_TOO_LONG: {
    status: 400,
    zh: '渠道参数 state 最多 {max} 个字符，当前 {actual} 个',
    en: 'The state may be at most {max} characters; it has {actual}',
  },
  CONTACT_WAY_NAME_TOO_LONG: {
    status: 400,
    zh: '渠道名称会作为企业微信的备注，最多 {max} 个字符，当前 {actual} 个',
    en: 'The channel name becomes the WeCom remark: at most {max} characters; it has {actual}',
  },
  CONTACT_WAY_STATE_TAKEN: {
    status: 409,
    zh: '渠道参数 state「{state}」已被另一个「联系我」使用，来源统计需要它唯一',
    en: 'The state "{state}" is used by another contact-me code; attribution needs it to be unique',
  },
  CONTACT_WAY_MEMBER_UNKNOWN: {
    status: 400,
    zh: '成员 {userid} 不在通讯录中（请先同步通讯录）',
    en: 'Member {userid} is not in the directory (sync the directory first)',
  },
  CONTACT_WAY_MEMBER_INACTIVE: {
    status: 400,
    zh: '成员 {userid} 当前状态为「{status}」，只有已激活的成员能使用「联系我」',
    en: 'Member {userid} is {status}; only active members can use a contact-me code',
  },
  CONTACT_WAY_MEMBER_OUT_OF_RANGE: {
    status: 400,
    zh: '成员 {userid} 不在客户联系的可用范围内（企业微信「客户联系 → 权限配置」未包含该成员，或成员尚未同步到企业微信）',
    en: 'Member {userid} is outside the customer-contact range (not included under Customer Contact → Permissions in WeCom, or not yet in WeCom)',
  },
  CONTACT_WAY_MEMBER_NOT_OWN: {
    status: 403,
    zh: '成员账号只能为自己（{own}）创建或修改「联系我」，不能包含 {userid}',
    en: 'A member account may create or change contact-me codes only for itself ({own}), not for {userid}',
  },
  CONTACT_WAY_TAG_UNKNOWN: {
    status: 400,
    zh: '客户标签 {tagIds} 在企业微信中不存在（可能已被删除）',
    en: 'Customer tag(s) {tagIds} do not exist in WeCom (maybe deleted)',
  },
  CONTACT_WAY_NO_RECEIVER: {
    status: 409,
    zh: '该企业微信账号没有配置「客户联系」Secret 或可调用的自建应用，无法调用客户联系接口',
    en: 'This WeCom account has no customer-contact secret or authorised app, so customer-contact APIs cannot be called',
  },
  CONTACT_WAY_WECHAT_REFUSED: {
    status: 502,
    zh: '企业微信拒绝了 {endpoint}（错误码 {errcode}：{reason}），Qiao 未做任何改动',
    en: 'WeCom refused {endpoint} (errcode {errcode}: {reason}); nothing was changed in Qiao',
  },
  CONTACT_WAY_QR_UNAVAILABLE: {
    status: 409,
    zh: '该「联系我」没有二维码（小程序按钮没有二维码）',
    en: 'This contact-me code has no QR code (mini-program buttons have none)',
  },
  CONTACT_WAY_QR_FETCH_FAILED: {
    status: 502,
    zh: '无法从企业微信下载二维码图片（{reason}）',
    en: 'Could not download the QR image from WeCom ({reason})',
  },
  CONTACT_WAY_STATS_RANGE_REVERSED: {
    status: 400,
    zh: '统计区间无效：开始日期 {from} 晚于结束日期 {to}',
    en: 'Invalid window: the start day {from} is after the end day {to}',
  },
  CONTACT_WAY_STATS_RANGE_TOO_LONG: {
    status: 400,
    zh: '统计区间最长 {maxDays} 天（{from} 至 {to} 共 {days} 天），请缩短区间',
    en: 'The window may span at most {maxDays} days ({from} to {to} is {days} days); shorten it',
  },
  WELCOME_MESSAGE_EMPTY: { status: 400, zh: '欢迎语的文字和附件不能都为空', en: 'A welcome message needs text or at least one attachment' },
  WELCOME_MESSAGE_TOO_LONG: {
    status: 400,
    zh: '欢迎语文字最多 {max} 字节，当前 {actual} 字节（每个 {客户昵称} 变量按 {nameBytes} 字节计）',
    en: 'Welcome text may be at most {max} bytes; it has {actual} (each customer-name variable counts as {nameBytes} bytes)',
  },
  WELCOME_MESSAGE_TOO_MANY_ATTACHMENTS: { status: 400, zh: '欢迎语最多 {max} 个附件，当前 {actual} 个', en: 'A welcome message takes at most {max} attachments; it has {actual}' },
  WELCOME_ATTACHMENT_TOO_LONG: {
    status: 400,
    zh: '第 {index} 个附件的{field}最多 {max} 字节，当前 {actual} 字节',
    en: 'Attachment {index}: {field} may be at most {max} bytes; it has {actual}',
  },
  WELCOME_MEDIA_NOT_FOUND: { status: 400, zh: '找不到图片素材 {mediaFileId}，请重新上传', en: 'Image {mediaFileId} not found; upload it again' },
  WELCOME_MEDIA_INVALID: {
    status: 400,
    zh: '图片必须是 JPG 或 PNG，且不超过 {maxBytes} 字节',
    en: 'The image must be a JPG or PNG of at most {maxBytes} bytes',
  },
} as const satisfies Record<string, ErrorSpec>;
