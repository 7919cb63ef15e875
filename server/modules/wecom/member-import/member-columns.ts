import type { Locale } from '../../../../common/errors';

export const memberColumnKeys = [
  'name',
  'userid',
  'mobile',
  'email',
  'departments',
  'position',
  'mainDepartment',
  'gender',
  'telephone',
  'isLeader',
  'alias',
] as const;
export type MemberColumnKey = (typeof memberColumnKeys)[number];

export interface MemberColumn {
  key: MemberColumnKey;
  zh: string;
  en: string;
  /** Other spellings accepted on import (WeCom's own template, older Qiao files). */
  aliases: string[];
  required: boolean;
  /** Shown on the instructions sheet. */
  ruleZh: string;
  ruleEn: string;
  widthChars: number;
}

/**
 * The member sheet's columns in template order. The first six are fixed by
 * contract.md (姓名, 账号, 手机, 邮箱, 部门, 职务); limits follow WeCom's
 * user/create rules (wechat-protocol.md §5.3) so a file that passes here is
 * one WeCom accepts too.
 */
export const memberColumns: readonly MemberColumn[] = [
  { key: 'name', zh: '姓名', en: 'Name', aliases: ['名字'], required: true, ruleZh: '必填，1–64 个字符', ruleEn: 'Required, 1–64 characters', widthChars: 12 },
  {
    key: 'userid',
    zh: '账号',
    en: 'Userid',
    aliases: ['账号(userid)', 'userid', 'user id', 'account', '帐号'],
    required: true,
    ruleZh: '必填，1–64 字节；只能有字母、数字和 _ - @ .，以字母或数字开头；不区分大小写，企业内唯一。已存在的账号会被更新',
    ruleEn: 'Required, 1–64 bytes of letters, digits and _ - @ . starting with a letter or digit; unique in the company ignoring case. An existing userid is updated',
    widthChars: 16,
  },
  {
    key: 'mobile',
    zh: '手机',
    en: 'Mobile',
    aliases: ['手机号', '手机号码', 'mobile phone', 'phone'],
    required: false,
    ruleZh: '手机和邮箱至少填一项；企业内唯一',
    ruleEn: 'Mobile or email (at least one); unique in the company',
    widthChars: 16,
  },
  {
    key: 'email',
    zh: '邮箱',
    en: 'Email',
    aliases: ['电子邮箱', '邮件', 'e-mail', 'mail'],
    required: false,
    ruleZh: '手机和邮箱至少填一项；6–64 字节，企业内唯一',
    ruleEn: 'Mobile or email (at least one); 6–64 bytes, unique in the company',
    widthChars: 24,
  },
  {
    key: 'departments',
    zh: '部门',
    en: 'Departments',
    aliases: ['所在部门', 'department', 'depts'],
    required: true,
    ruleZh: '必填。从公司下第一级开始的部门路径，层级用 / 分隔，多个部门用 ; 分隔，如「华东区/上海店;市场部」；最多 100 个',
    ruleEn: 'Required. Department paths from the first level under the company, levels joined by /, several departments by ;, e.g. "East/Shanghai;Marketing"; at most 100',
    widthChars: 30,
  },
  { key: 'position', zh: '职务', en: 'Position', aliases: ['职位', 'title', 'job title'], required: false, ruleZh: '选填，最多 128 个字符', ruleEn: 'Optional, at most 128 characters', widthChars: 14 },
  {
    key: 'mainDepartment',
    zh: '主部门',
    en: 'Main department',
    aliases: ['main dept'],
    required: false,
    ruleZh: '选填，必须是「部门」中的一个；不填时为第一个部门',
    ruleEn: 'Optional, one of "Departments"; the first department when empty',
    widthChars: 20,
  },
  { key: 'gender', zh: '性别', en: 'Gender', aliases: ['sex'], required: false, ruleZh: '选填：男 或 女', ruleEn: 'Optional: male or female (男 / 女)', widthChars: 8 },
  {
    key: 'telephone',
    zh: '座机',
    en: 'Telephone',
    aliases: ['座机号', '电话', 'landline'],
    required: false,
    ruleZh: '选填，最多 32 个字符，只能有数字、- + ,',
    ruleEn: 'Optional, at most 32 characters of digits, - + ,',
    widthChars: 14,
  },
  {
    key: 'isLeader',
    zh: '是否部门负责人',
    en: 'Department leader',
    aliases: ['部门负责人', '是否为部门负责人', 'leader', 'is leader'],
    required: false,
    ruleZh: '选填：是 或 否；一个值对所有部门，或按「部门」的顺序每个部门一个值（用 ; 分隔）',
    ruleEn: 'Optional: yes or no; one value for all departments, or one per department in the order of "Departments" (joined by ;)',
    widthChars: 16,
  },
  { key: 'alias', zh: '别名', en: 'Alias', aliases: ['英文名'], required: false, ruleZh: '选填，最多 64 个字符', ruleEn: 'Optional, at most 64 characters', widthChars: 12 },
];

export const errorsColumnHeaders = { zh: '错误', en: 'Errors' } as const;

/** Case, spaces, brackets and punctuation do not matter: 「账号 (userid)」 and 「账号（userid）」 match 账号(userid). */
export function normaliseHeader(header: string): string {
  return header
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s_\-:：*＊]/g, '')
    .replace(/[（]/g, '(')
    .replace(/[）]/g, ')');
}

const headerLookup: Map<string, MemberColumnKey> = (() => {
  const lookup = new Map<string, MemberColumnKey>();
  for (const column of memberColumns) {
    for (const spelling of [column.zh, column.en, column.key, ...column.aliases]) lookup.set(normaliseHeader(spelling), column.key);
  }
  return lookup;
})();

const errorsHeaders = new Set([errorsColumnHeaders.zh, errorsColumnHeaders.en, '错误原因', 'error', 'errors'].map(normaliseHeader));

export function columnForHeader(header: string): MemberColumnKey | 'errors' | null {
  const normalised = normaliseHeader(header);
  if (errorsHeaders.has(normalised)) return 'errors';
  return headerLookup.get(normalised) ?? null;
}

export function columnLabel(key: MemberColumnKey, locale: Locale): string {
  const column = memberColumns.find((c) => c.key === key)!;
  return locale === 'en-US' ? column.en : column.zh;
}

/** Where each known column sits in the uploaded header row (1-based cell numbers). */
export interface HeaderMap {
  columns: Partial<Record<MemberColumnKey, number>>;
  /** The annotated copy's own Errors column, ignored on import so a fixed copy can be uploaded again. */
  errorsColumn: number | null;
  /** The header row's texts as uploaded, cell number → text. */
  headers: Map<number, string>;
}

export type HeaderProblem =
  | { code: 'MEMBER_IMPORT_HEADERS_MISSING'; missing: MemberColumnKey[] }
  | { code: 'MEMBER_IMPORT_HEADERS_UNKNOWN'; unknown: string[] }
  | { code: 'MEMBER_IMPORT_HEADERS_DUPLICATED'; header: string };

/** Maps a header row (zh or en) to columns; unknown or missing required headers are refused rather than silently dropped. */
export function mapHeaders(headerCells: Map<number, string>): HeaderMap | HeaderProblem {
  const columns: Partial<Record<MemberColumnKey, number>> = {};
  const unknown: string[] = [];
  let errorsColumn: number | null = null;
  for (const [cell, raw] of [...headerCells].sort((a, b) => a[0] - b[0])) {
    const header = raw.trim();
    if (header === '') continue;
    const key = columnForHeader(header);
    if (key === 'errors') {
      errorsColumn = cell;
      continue;
    }
    if (key === null) {
      unknown.push(header);
      continue;
    }
    if (columns[key] !== undefined) return { code: 'MEMBER_IMPORT_HEADERS_DUPLICATED', header };
    columns[key] = cell;
  }
  const missing = memberColumns.filter((c) => c.required && columns[c.key] === undefined).map((c) => c.key);
  if (missing.length > 0) return { code: 'MEMBER_IMPORT_HEADERS_MISSING', missing };
  if (unknown.length > 0) return { code: 'MEMBER_IMPORT_HEADERS_UNKNOWN', unknown };
  return { columns, errorsColumn, headers: headerCells };
}
