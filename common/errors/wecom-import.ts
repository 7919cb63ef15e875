import type { ErrorSpec } from './spec';

/** Errors of Excel import and export of WeCom members. */
export const wecomImportErrors = {
  MEMBER_IMPORT_FILE_MISSING: {
    status: 400,
    zh: '请在表单字段 file 中上传 .xlsx 文件',
    en: 'Upload the .xlsx file in the form field "file"',
  },
  MEMBER_IMPORT_NOT_XLSX: {
    status: 415,
    zh: '上传的文件「{filename}」不是 Excel .xlsx 文件，请用导入模板另存为 .xlsx 后再上传',
    en: 'The uploaded file "{filename}" is not an Excel .xlsx file; save it from the import template as .xlsx and upload again',
  },
  MEMBER_IMPORT_FILE_TOO_LARGE: {
    status: 413,
    zh: '上传的文件过大（上限 {limitBytes} 字节）',
    en: 'The uploaded file is too large (limit {limitBytes} bytes)',
  },
  MEMBER_IMPORT_EMPTY: {
    status: 400,
    zh: '文件中没有成员数据：第一个工作表需要表头行和至少一行成员',
    en: 'The file holds no members: the first sheet needs the header row and at least one member row',
  },
  MEMBER_IMPORT_HEADERS_MISSING: {
    status: 400,
    zh: '表头缺少必填列：{missing}。请使用导入模板，第一行是表头',
    en: 'The header row lacks required columns: {missing}. Use the import template; the first row holds the headers',
  },
  MEMBER_IMPORT_HEADERS_UNKNOWN: {
    status: 400,
    zh: '表头有无法识别的列：{unknown}。可用的列见模板的「说明」工作表',
    en: 'The header row has columns Qiao does not know: {unknown}. The template\'s instructions sheet lists the columns',
  },
  MEMBER_IMPORT_HEADERS_DUPLICATED: {
    status: 400,
    zh: '表头中「{header}」出现了不止一次',
    en: 'The header "{header}" appears more than once',
  },
  MEMBER_IMPORT_TOO_MANY_ROWS: {
    status: 400,
    zh: '文件超过 {limit} 行成员，单次最多导入 {limit} 行，请拆分后分批导入',
    en: 'The file has more than {limit} member rows; import at most {limit} rows at a time by splitting the file',
  },
  MEMBER_IMPORT_NOT_FOUND: { status: 404, zh: '找不到导入任务 {jobId}', en: 'Import job {jobId} not found' },
  MEMBER_IMPORT_UPLOAD_GONE: {
    status: 410,
    zh: '导入任务 {jobId} 上传的文件已被清理（保留 {days} 天）',
    en: 'The file uploaded for import job {jobId} was cleaned up (kept {days} days)',
  },
  MEMBER_IMPORT_NOT_CHECKED_YET: {
    status: 409,
    zh: '导入任务 {jobId} 还没有校验完，请稍后再下载标注文件',
    en: 'Import job {jobId} has not finished checking the rows; download the annotated copy a little later',
  },
  MEMBER_IMPORT_ROWS_INVALID: {
    status: 422,
    zh: '有 {count} 行有错误，未写入任何成员。请修正后重新导入，或选择「跳过错误行」只导入正确的行',
    en: '{count} rows have errors, so no member was written. Fix them and import again, or choose "skip bad rows" to import only the good rows',
  },

  MEMBER_IMPORT_REQUIRED: { status: 400, zh: '「{column}」不能为空', en: '"{column}" must not be empty' },
  MEMBER_IMPORT_MOBILE_OR_EMAIL: {
    status: 400,
    zh: '「手机」和「邮箱」不能都为空（企业微信要求至少填一项）',
    en: '"Mobile" and "Email" must not both be empty (WeCom needs one of them)',
  },
  MEMBER_IMPORT_TOO_LONG: {
    status: 400,
    zh: '「{column}」不能超过 {max} 个字符（当前 {length}）',
    en: '"{column}" must not exceed {max} characters (now {length})',
  },
  MEMBER_IMPORT_DUPLICATE_IN_FILE: {
    status: 400,
    zh: '「{column}」的值 {value} 与第 {otherRow} 行重复（不区分大小写）',
    en: 'The "{column}" value {value} repeats row {otherRow} (ignoring case)',
  },
  MEMBER_IMPORT_CONTACT_TAKEN: {
    status: 409,
    zh: '「{column}」{value} 已被成员 {userid} 使用（企业内必须唯一）',
    en: 'The "{column}" value {value} already belongs to member {userid} (it must be unique in the company)',
  },
  MEMBER_IMPORT_DEPARTMENT_PATH_INVALID: {
    status: 400,
    zh: '部门路径「{path}」有空的层级；层级之间用 / 分隔，多个部门用 ; 分隔',
    en: 'The department path "{path}" has an empty level; separate levels with / and departments with ;',
  },
  MEMBER_IMPORT_DEPARTMENT_UNKNOWN: {
    status: 400,
    zh: '部门「{path}」不存在；如需自动创建，请勾选「自动创建缺失的部门」',
    en: 'The department "{path}" does not exist; choose "create missing departments" to have it created',
  },
  MEMBER_IMPORT_TOO_MANY_DEPARTMENTS: {
    status: 400,
    zh: '一个成员最多属于 {max} 个部门（当前 {count}）',
    en: 'A member belongs to at most {max} departments (now {count})',
  },
  MEMBER_IMPORT_DEPARTMENT_OUT_OF_SCOPE: {
    status: 403,
    zh: '部门「{path}」不在你管理的部门范围内',
    en: 'The department "{path}" is outside the departments you manage',
  },
  MEMBER_IMPORT_MEMBER_OUT_OF_SCOPE: {
    status: 403,
    zh: '成员 {userid} 已存在，且不在你管理的部门范围内',
    en: 'Member {userid} already exists outside the departments you manage',
  },
  MEMBER_IMPORT_MAIN_DEPARTMENT_NOT_LISTED: {
    status: 400,
    zh: '主部门「{path}」必须是「部门」列中的一个',
    en: 'The main department "{path}" must be one of the "Departments" column',
  },
  MEMBER_IMPORT_INVALID_CHOICE: {
    status: 400,
    zh: '「{column}」只能填 {choices}（当前「{value}」）',
    en: '"{column}" accepts only {choices} (now "{value}")',
  },
  MEMBER_IMPORT_LEADER_COUNT_MISMATCH: {
    status: 400,
    zh: '「是否部门负责人」填了 {count} 个值，但「部门」有 {departments} 个；填一个值（对所有部门）或每个部门一个值',
    en: '"Department leader" has {count} values but "Departments" has {departments}; give one value for all or one per department',
  },
  MEMBER_IMPORT_FIELD_INVALID: {
    status: 400,
    zh: '「{column}」不符合企业微信的规则：{reason}',
    en: '"{column}" breaks a WeCom rule: {reason}',
  },
} as const satisfies Record<string, ErrorSpec>;
