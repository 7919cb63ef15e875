import type { ErrorSpec } from './spec';

/** Errors of WeCom customer tags (客户标签): the corp tag library, marking customers, auto-tag rules. */
export const wecomCustomerTagsErrors = {
  CUSTOMER_TAG_NOT_FOUND: { status: 404, zh: '找不到客户标签 {tagId}', en: 'Customer tag {tagId} not found' },
  CUSTOMER_TAG_GROUP_NOT_FOUND: { status: 404, zh: '找不到标签组 {groupId}', en: 'Tag group {groupId} not found' },
  CUSTOMER_TAG_NAME_INVALID: {
    status: 400,
    zh: '{field} 不能为空，且最多 {max} 个字符（企业微信的限制），现在是 {actual} 个',
    en: '{field} must not be empty and may have at most {max} characters (WeCom’s limit); it has {actual}',
  },
  CUSTOMER_TAG_NAME_TAKEN: { status: 409, zh: '标签组里已有名为「{name}」的标签', en: 'The group already has a tag named “{name}”' },
  CUSTOMER_TAG_GROUP_NAME_TAKEN: { status: 409, zh: '已有名为「{name}」的标签组', en: 'A tag group named “{name}” already exists' },
  CUSTOMER_TAG_ORDER_INVALID: {
    status: 400,
    zh: '排序值必须是 0 到 {max} 之间的整数（企业微信的限制，值越大越靠前）',
    en: 'The order must be an integer from 0 to {max} (WeCom’s limit; larger comes first)',
  },
  CUSTOMER_TAG_LIMIT_REACHED: {
    status: 409,
    zh: '企业客户标签已达上限：每个企业最多 {max} 个，现有 {current} 个，本次要新增 {adding} 个',
    en: 'Corp customer tag limit reached: at most {max} per corp; there are {current} and this adds {adding}',
  },
  CUSTOMER_TAG_GROUP_EMPTY: {
    status: 400,
    zh: '企业微信不允许空的标签组：新建标签组时至少要带一个标签',
    en: 'WeCom does not allow empty tag groups: a new group needs at least one tag',
  },
  CUSTOMER_TAG_UNSETTLED: {
    status: 409,
    zh: '「{name}」有尚未同步到企业微信的改动或冲突，请先同步或处理冲突',
    en: '“{name}” has a change not yet applied in WeCom, or a conflict; sync or resolve it first',
  },
  CUSTOMER_TAG_CHANGE_KEPT: {
    status: 503,
    zh: '企业微信暂时无法处理（错误码 {errcode}：{words}），改动已记录在桥中，下次同步时会再提交',
    en: 'WeCom could not take the change now (errcode {errcode}: {words}); it is kept in Qiao and sent again at the next sync',
  },
  CUSTOMER_TAG_WECHAT_REFUSED: {
    status: 409,
    zh: '企业微信拒绝了该操作（错误码 {errcode}：{words}），桥中没有任何改动',
    en: 'WeCom refused (errcode {errcode}: {words}); nothing changed in Qiao',
  },
  CUSTOMER_TAG_CONFLICT_NOT_FOUND: { status: 404, zh: '「{tagId}」没有待处理的冲突', en: 'There is no open conflict on {tagId}' },
  CUSTOMER_TAG_NOT_APPLIED: {
    status: 409,
    zh: '标签「{name}」还没有在企业微信中创建，暂不能使用',
    en: 'The tag “{name}” does not exist in WeCom yet and cannot be used',
  },
  CUSTOMER_TAG_MARK_EMPTY: { status: 400, zh: '请至少选择一个要添加或移除的标签', en: 'Choose at least one tag to add or remove' },
  CUSTOMER_TAG_MARK_FORBIDDEN: {
    status: 403,
    zh: '你不能给成员 {userid} 的客户打标签（只能操作自己或所管部门成员的客户）',
    en: 'You may not tag customers of member {userid} (only your own, or those of members in departments you manage)',
  },
  CUSTOMER_TAG_MEMBER_NOT_FOUND: { status: 404, zh: '找不到企业成员 {userid}', en: 'WeCom member {userid} not found' },
  CUSTOMER_TAG_NOT_CUSTOMER: {
    status: 409,
    zh: '客户 {externalUserId} 不是成员 {userid} 的客户（企业微信错误码 84061）',
    en: 'Customer {externalUserId} is not a customer of member {userid} (WeCom errcode 84061)',
  },
  CUSTOMER_TAG_RULE_NOT_FOUND: { status: 404, zh: '找不到自动打标签规则 {id}', en: 'Auto-tag rule {id} not found' },
} as const satisfies Record<string, ErrorSpec>;
