import type { ErrorSpec } from './spec';

/**
 * Errors of WeCom directory: departments and members. The rule codes
 * (`WECOM_DEPARTMENT_*`, `WECOM_MEMBER_*`) double as the `code` of a
 * member-rules problem, so an import can report each bad row in both languages.
 */
export const wecomDirectoryErrors = {
  WECOM_ACCOUNT_REQUIRED: {
    status: 400,
    zh: '账号「{name}」不是企业微信账号，通讯录只适用于企业微信',
    en: 'The account "{name}" is not a WeCom corp; the directory applies to WeCom only',
  },
  WECOM_DEPARTMENT_NOT_FOUND: { status: 404, zh: '找不到部门 {departmentId}', en: 'Department {departmentId} not found' },
  WECOM_DEPARTMENT_OUT_OF_SCOPE: {
    status: 403,
    zh: '部门 {departmentId} 不在你管辖的部门范围内',
    en: 'Department {departmentId} is outside the departments you manage',
  },
  WECOM_DEPARTMENT_NAME_LENGTH: {
    status: 400,
    zh: '{field} 须为 1–64 个字符（当前 {length}）',
    en: '{field} must be 1 to 64 characters (now {length})',
  },
  WECOM_DEPARTMENT_NAME_CHARACTERS: {
    status: 400,
    zh: '{field} 不能包含字符 \\ : * ? " < > |（发现「{character}」）',
    en: '{field} must not contain \\ : * ? " < > | (found "{character}")',
  },
  WECOM_DEPARTMENT_NAME_TAKEN: {
    status: 409,
    zh: '同一上级部门下已有名为「{name}」的部门',
    en: 'A department named "{name}" already exists under the same parent',
  },
  WECOM_DEPARTMENT_ID_RANGE: {
    status: 400,
    zh: '部门 ID 须为 2 到 {max} 之间的整数（1 是根部门），当前 {departmentId}',
    en: 'A department id must be an integer from 2 to {max} (1 is the root), got {departmentId}',
  },
  WECOM_DEPARTMENT_ID_TAKEN: { status: 409, zh: '部门 ID {departmentId} 已被使用', en: 'Department id {departmentId} is already used' },
  WECOM_DEPARTMENT_ORDER_RANGE: {
    status: 400,
    zh: '部门排序值须在 0 到 4294967295 之间（当前 {order}）',
    en: 'A department order must be from 0 to 4294967295 (got {order})',
  },
  WECOM_DEPARTMENT_PARENT_NOT_FOUND: { status: 400, zh: '上级部门 {parentId} 不存在', en: 'The parent department {parentId} does not exist' },
  WECOM_DEPARTMENT_TOO_DEEP: {
    status: 400,
    zh: '企业微信部门最多 {maxDepth} 层，此操作会产生 {depth} 层',
    en: 'WeCom allows at most {maxDepth} department levels; this would make {depth}',
  },
  WECOM_DEPARTMENT_CYCLE: {
    status: 400,
    zh: '不能把部门 {departmentId} 移到它自己或它的下级部门 {parentId} 之下',
    en: 'Department {departmentId} cannot move under itself or its own sub-department {parentId}',
  },
  WECOM_DEPARTMENT_ROOT_FIXED: {
    status: 400,
    zh: '根部门（ID 1）不能移动或删除',
    en: 'The root department (id 1) cannot be moved or deleted',
  },
  WECOM_DEPARTMENT_HAS_MEMBERS: {
    status: 409,
    zh: '部门「{name}」下还有 {count} 名成员，请先移走成员再删除',
    en: 'Department "{name}" still has {count} member(s); move them out before deleting it',
  },
  WECOM_DEPARTMENT_HAS_CHILDREN: {
    status: 409,
    zh: '部门「{name}」下还有 {count} 个子部门，请先删除或移走子部门',
    en: 'Department "{name}" still has {count} sub-department(s); delete or move them first',
  },
  WECOM_DEPARTMENT_LIMIT: {
    status: 409,
    zh: '企业微信最多 {max} 个部门，已达上限',
    en: 'WeCom allows at most {max} departments; the limit is reached',
  },
  WECOM_DEPARTMENT_LEADER_UNKNOWN: {
    status: 400,
    zh: '部门负责人 {userid} 不是本企业的成员',
    en: 'The department leader {userid} is not a member of this corp',
  },
  WECOM_DEPARTMENTS_INVALID: {
    status: 400,
    zh: '有 {count} 个部门不符合企业微信规则，第一个问题：部门 {departmentId} 的 {field}（{problem}）',
    en: '{count} department(s) break WeCom rules; first: field {field} of department {departmentId} ({problem})',
  },
  WECOM_MEMBER_NOT_FOUND: { status: 404, zh: '找不到成员 {userid}', en: 'Member {userid} not found' },
  WECOM_MEMBER_OUT_OF_SCOPE: {
    status: 403,
    zh: '成员 {userid} 不在你管辖的部门范围内',
    en: 'Member {userid} is outside the departments you manage',
  },
  WECOM_MEMBER_USERID_FORMAT: {
    status: 400,
    zh: '账号（userid）须为 1–64 字节，只能含字母、数字和 _ - @ .，且以字母或数字开头（当前「{value}」）',
    en: 'The userid must be 1 to 64 bytes of letters, digits and _ - @ ., starting with a letter or digit (got "{value}")',
  },
  WECOM_MEMBER_USERID_TAKEN: {
    status: 409,
    zh: '账号 {userid} 已被成员 {existing} 使用（企业微信账号不区分大小写）',
    en: 'The userid {userid} is taken by member {existing} (WeCom userids ignore case)',
  },
  WECOM_MEMBER_USERID_REPEATED: {
    status: 400,
    zh: '账号 {userid} 在本批数据中出现了多次（不区分大小写）',
    en: 'The userid {userid} appears more than once in this batch (ignoring case)',
  },
  WECOM_MEMBER_FIELD_REQUIRED: { status: 400, zh: '{field} 不能为空', en: '{field} is required' },
  WECOM_MEMBER_FIELD_LENGTH: {
    status: 400,
    zh: '{field} 不能超过 {max} 个字符（当前 {length}）',
    en: '{field} must be at most {max} characters (now {length})',
  },
  WECOM_MEMBER_CONTACT_REQUIRED: {
    status: 400,
    zh: '手机号和邮箱不能同时为空（企业微信要求至少填写一项）',
    en: 'Mobile and email cannot both be empty (WeCom needs at least one)',
  },
  WECOM_MEMBER_MOBILE_FORMAT: {
    status: 400,
    zh: '手机号格式不正确（当前「{value}」），应为 11 位中国大陆手机号或 +区号 手机号',
    en: 'The mobile number is not valid (got "{value}"); use an 11-digit mainland number or +country code and number',
  },
  WECOM_MEMBER_EMAIL_FORMAT: {
    status: 400,
    zh: '邮箱格式不正确或长度不在 6–64 字节之间（当前「{value}」）',
    en: 'The email is malformed or not 6 to 64 bytes long (got "{value}")',
  },
  WECOM_MEMBER_TELEPHONE_FORMAT: {
    status: 400,
    zh: '座机只能包含数字、-、+ 和 ,，且不超过 32 个字符（当前「{value}」）',
    en: 'The telephone may hold only digits, -, + and , and at most 32 characters (got "{value}")',
  },
  WECOM_MEMBER_MOBILE_TAKEN: {
    status: 409,
    zh: '手机号 {value} 已被成员 {existing} 使用',
    en: 'The mobile number {value} is used by member {existing}',
  },
  WECOM_MEMBER_EMAIL_TAKEN: { status: 409, zh: '邮箱 {value} 已被成员 {existing} 使用', en: 'The email {value} is used by member {existing}' },
  WECOM_MEMBER_DEPARTMENT_COUNT: {
    status: 400,
    zh: '成员须属于 1–{max} 个部门（当前 {count} 个）',
    en: 'A member belongs to 1 to {max} departments (now {count})',
  },
  WECOM_MEMBER_DEPARTMENT_UNKNOWN: {
    status: 400,
    zh: '所在部门「{department}」不存在',
    en: 'The department "{department}" does not exist',
  },
  WECOM_MEMBER_DEPARTMENT_REPEATED: {
    status: 400,
    zh: '所在部门「{department}」重复填写',
    en: 'The department "{department}" is listed twice',
  },
  WECOM_MEMBER_MAIN_DEPARTMENT: {
    status: 400,
    zh: '主部门须是成员所在部门之一，且只能有一个（当前 {count} 个）',
    en: 'The main department must be one of the member’s departments, and only one (now {count})',
  },
  WECOM_MEMBER_ORDER_RANGE: {
    status: 400,
    zh: '成员在部门内的排序值须在 0 到 4294967295 之间（当前 {order}）',
    en: 'A member’s order in a department must be from 0 to 4294967295 (got {order})',
  },
  WECOM_VISIBILITY_SUPER_ADMIN_ONLY: {
    status: 403,
    zh: '只有超级管理员可以修改通讯录可见范围',
    en: 'Only a super admin can change who sees the directory',
  },
  WECOM_MEMBERS_INVALID: {
    status: 400,
    zh: '有 {count} 个问题不符合企业微信规则，第一个：成员 {userid} 的 {field}（{problem}）',
    en: '{count} problem(s) break WeCom rules; first: field {field} of member {userid} ({problem})',
  },
} as const satisfies Record<string, ErrorSpec>;
