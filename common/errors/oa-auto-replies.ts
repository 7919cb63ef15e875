import type { ErrorSpec } from './spec';

/** Errors of Official Account automatic replies. */
export const oaAutoRepliesErrors = {
  AUTO_REPLY_RULE_NOT_FOUND: { status: 404, zh: '找不到该自动回复规则', en: 'Auto-reply rule not found' },
  AUTO_REPLY_ACCOUNT_NOT_OFFICIAL: {
    status: 400,
    zh: '自动回复只适用于公众号账号',
    en: 'Automatic replies apply to Official Accounts only',
  },
  AUTO_REPLY_KEYWORDS_REQUIRED: {
    status: 400,
    zh: '关键词回复至少需要一个关键词（字段 {field}）',
    en: 'A keyword rule needs at least one keyword (field {field})',
  },
  AUTO_REPLY_CLICK_KEYS_REQUIRED: {
    status: 400,
    zh: '菜单点击回复至少需要一个菜单 key（字段 {field}）',
    en: 'A menu-click rule needs at least one menu button key (field {field})',
  },
  AUTO_REPLY_FIELD_NOT_APPLICABLE: {
    status: 400,
    zh: '字段 {field} 不适用于「{kindLabel}」规则',
    en: 'The field {field} does not apply to a "{kindLabel}" rule',
  },
  AUTO_REPLY_KEYWORD_EMPTY: {
    status: 400,
    zh: '关键词不能为空（字段 {field}）',
    en: 'A keyword must not be empty (field {field})',
  },
  AUTO_REPLY_KEYWORD_DUPLICATE: {
    status: 400,
    zh: '关键词「{keyword}」在本规则中重复出现（字段 {field}）',
    en: 'The keyword "{keyword}" appears twice in this rule (field {field})',
  },
  AUTO_REPLY_CLICK_KEY_TOO_LONG: {
    status: 400,
    zh: '菜单 key 不能超过 {max} 字节（字段 {field}，当前 {actual}）',
    en: 'A menu button key may be at most {max} bytes (field {field}, now {actual})',
  },
  AUTO_REPLY_TEXT_TOO_LONG: {
    status: 400,
    zh: '文字回复不能超过 {max} 字节（字段 {field}，当前 {actual}）',
    en: 'A text reply may be at most {max} bytes (field {field}, now {actual})',
  },
  AUTO_REPLY_TOO_MANY_ARTICLES: {
    status: 400,
    zh: '图文回复最多 {max} 篇（字段 {field}，当前 {actual}）：{reason}',
    en: 'A news reply may carry at most {max} articles (field {field}, now {actual}): {reason}',
  },
  AUTO_REPLY_TOO_MANY_REPLIES: {
    status: 400,
    zh: '「全部回复」模式最多 {max} 条回复（字段 {field}，当前 {actual}）：{reason}',
    en: 'Reply-all mode allows at most {max} replies (field {field}, now {actual}): {reason}',
  },
  AUTO_REPLY_MOVE_OUT_OF_RANGE: {
    status: 400,
    zh: '目标位置 {toIndex} 超出范围（该类规则共 {count} 条）',
    en: 'Target position {toIndex} is out of range (there are {count} rules of this kind)',
  },
} as const satisfies Record<string, ErrorSpec>;
