import type { ErrorSpec } from './spec';

/** Errors of WeCom customer transfers (在职继承 / 离职继承) and assignment rules. */
export const wecomTransfersErrors = {
  SANDBOX_WECOM_TRANSFER_NOT_PENDING: {
    status: 409,
    zh: '客户 {externalUserId} 没有等待中的在职继承，无法拒绝',
    en: 'Customer {externalUserId} has no waiting on-duty transfer to refuse',
  },
  WECOM_TRANSFER_ROLE_FORBIDDEN: {
    status: 403,
    zh: '成员角色不能分配或转接客户，请联系部门管理员',
    en: 'The member role cannot transfer customers; ask a department admin',
  },
  WECOM_TRANSFER_NOT_FOUND: { status: 404, zh: '找不到该客户转接记录', en: 'Customer transfer not found' },
  WECOM_TRANSFER_SAME_MEMBER: {
    status: 400,
    zh: '原跟进成员与接替成员相同（{userid}），不能转接',
    en: 'The handover and takeover member are the same ({userid}); nothing to transfer',
  },
  WECOM_TRANSFER_NOTHING_ALLOWED: {
    status: 409,
    zh: '所选客户现在都不能转接：{reasons}',
    en: 'None of the chosen customers can be transferred now: {reasons}',
  },
  WECOM_TRANSFER_MESSAGE_TOO_LONG: {
    status: 400,
    zh: '转接成功提示语最多 {limit} 个字，当前 {length} 个字',
    en: 'The transfer success message may have at most {limit} characters; it has {length}',
  },
  WECOM_TRANSFER_TAKEOVER_INACTIVE: {
    status: 409,
    zh: '接替成员 {userid} 当前状态为「{status}」，只有已激活的成员才能接替客户',
    en: 'Takeover member {userid} is {status}; only active members can take customers over',
  },
  WECOM_TRANSFER_MEMBER_OUT_OF_SCOPE: {
    status: 403,
    zh: '成员 {userid} 不在你管理的部门范围内，不能转接其客户',
    en: 'Member {userid} is outside the departments you manage; you cannot transfer their customers',
  },
  WECOM_TRANSFER_HANDOVER_UNKNOWN: {
    status: 403,
    zh: '桥的通讯录里没有离职成员 {userid}，只有超级管理员可以分配其客户',
    en: 'Qiao’s directory has no record of the departed member {userid}; only a super admin may hand over their customers',
  },
  WECOM_TRANSFER_NO_UNASSIGNED: {
    status: 409,
    zh: '离职成员 {userid} 没有待分配的客户',
    en: 'The departed member {userid} has no unassigned customers',
  },
  WECOM_ASSIGNMENT_RULE_NOT_FOUND: { status: 404, zh: '找不到该分配规则', en: 'Assignment rule not found' },
  WECOM_ASSIGNMENT_RULE_INVALID: { status: 400, zh: '分配规则有误：{problem}', en: 'The assignment rule is invalid: {problem}' },
  WECOM_ASSIGNMENT_NO_MEMBER: {
    status: 409,
    zh: '规则「{rule}」现在没有可分配的成员（{reason}），未更新「联系我」',
    en: 'Rule “{rule}” has no member to assign now ({reason}); the contact way was left unchanged',
  },
} as const satisfies Record<string, ErrorSpec>;
