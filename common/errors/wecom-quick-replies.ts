import type { ErrorSpec } from './spec';

/** Errors of the WeCom quick-reply library (话术库). */
export const wecomQuickRepliesErrors = {
  QUICK_REPLY_GROUP_NOT_FOUND: { status: 404, zh: '找不到该话术分组', en: 'Quick-reply group not found' },
  QUICK_REPLY_GROUP_NAME_TAKEN: { status: 409, zh: '话术分组「{name}」已存在', en: 'A quick-reply group named "{name}" exists' },
  QUICK_REPLY_GROUP_NOT_EMPTY: {
    status: 409,
    zh: '分组中还有 {count} 条话术，请先移走或删除',
    en: 'The group still holds {count} quick replies; move or delete them first',
  },
  QUICK_REPLY_MANAGE_FORBIDDEN: {
    status: 403,
    zh: '只有超级管理员能管理全企业的话术；部门管理员只能管理限定在其管理部门内的分组',
    en: 'Only a super admin manages the corp-wide library; a department admin manages groups restricted to its departments only',
  },
  QUICK_REPLY_NOT_FOUND: { status: 404, zh: '找不到该话术', en: 'Quick reply not found' },
  QUICK_REPLY_DEPARTMENT_UNKNOWN: {
    status: 400,
    zh: '部门 {departmentId} 不存在',
    en: 'Department {departmentId} does not exist',
  },
  QUICK_REPLY_DEPARTMENT_OUT_OF_SCOPE: {
    status: 403,
    zh: '部门 {departmentId} 不在你的管理范围内',
    en: 'Department {departmentId} is outside your reach',
  },
  QUICK_REPLY_UNKNOWN_VARIABLE: {
    status: 400,
    zh: '话术中的变量 {{name}} 不存在，可用的变量：{known}',
    en: 'The quick reply uses an unknown variable {{name}}; known variables: {known}',
  },
  QUICK_REPLY_TOO_LONG: {
    status: 400,
    zh: '{field} 超过企业微信的上限：{bytes} 字节，最多 {max} 字节（一个汉字占 3 字节）',
    en: '{field} is over WeCom’s limit: {bytes} bytes, at most {max} (a Chinese character takes 3 bytes)',
  },
  QUICK_REPLY_URL_INVALID: {
    status: 400,
    zh: '{field} 必须是 http:// 或 https:// 开头的网址',
    en: '{field} must be an http:// or https:// URL',
  },
  QUICK_REPLY_FIELD_REQUIRED: {
    status: 400,
    zh: '{type} 类型的话术必须填写 {field}',
    en: 'A {type} quick reply needs {field}',
  },
  QUICK_REPLY_RENDER_CUSTOMER_REQUIRED: {
    status: 400,
    zh: '该话术使用了客户变量 {{name}}，请指定客户（externalUserId）',
    en: 'This quick reply uses the customer variable {{name}}; give the customer (externalUserId)',
  },
  QUICK_REPLY_RENDER_MEMBER_REQUIRED: {
    status: 400,
    zh: '该话术使用了成员变量 {{name}}，请指定成员（userid）',
    en: 'This quick reply uses the member variable {{name}}; give the member (userid)',
  },
  QUICK_REPLY_RENDER_CUSTOMER_UNKNOWN: {
    status: 404,
    zh: '企业微信中找不到客户 {externalUserId}',
    en: 'WeCom has no customer {externalUserId}',
  },
  QUICK_REPLY_RENDER_MEMBER_UNKNOWN: { status: 404, zh: '找不到成员 {userid}', en: 'Member {userid} not found' },
  QUICK_REPLY_NOT_VISIBLE: {
    status: 404,
    zh: '找不到该话术（或它只对其他部门可见）',
    en: 'Quick reply not found (or visible to other departments only)',
  },
} as const satisfies Record<string, ErrorSpec>;
