import { INVALID_PARAMETER } from './wecom-errors';

/** A failed rule: WeCom's errcode and the field it is about. */
export interface RuleFailure {
  errcode: number;
  field: string;
}

const fail = (errcode: number, field: string): RuleFailure => ({ errcode, field });

/** WeCom counts most text limits in characters (code points) and a few in UTF-8 bytes. */
export function charCount(value: string): number {
  return [...value].length;
}

export function byteCount(value: string): number {
  return Buffer.byteLength(value, 'utf8');
}

export const ROOT_DEPARTMENT_ID = 1;
export const MAX_DEPARTMENT_DEPTH = 15;
export const MAX_NODES_PER_DEPARTMENT = 30_000;
export const MAX_DEPARTMENTS = 30_000;
export const MAX_MEMBER_DEPARTMENTS = 100;
export const MAX_BATCH_DELETE = 200;
export const WELCOME_CODE_TTL_MS = 20_000;
const INT32_MAX = 2_147_483_647;
const ORDER_LIMIT = 2 ** 32;

const departmentNameForbidden = /[\\:*?"<>|]/;

/** Department names: 1–64 characters (60001), none of `\ : * ? " < > |` (60009). */
export function checkDepartmentName(name: string | undefined, field = 'name'): RuleFailure | null {
  if (name === undefined || charCount(name) < 1 || charCount(name) > 64) return fail(60001, field);
  if (departmentNameForbidden.test(name)) return fail(60009, field);
  return null;
}

/** A department id given by the caller: a 32-bit integer above the root's 1. */
export function checkDepartmentId(id: number): RuleFailure | null {
  return Number.isInteger(id) && id > ROOT_DEPARTMENT_ID && id <= INT32_MAX ? null : fail(60123, 'id');
}

export function checkParentId(parentId: number): RuleFailure | null {
  return Number.isInteger(parentId) && parentId >= ROOT_DEPARTMENT_ID && parentId <= INT32_MAX ? null : fail(60124, 'parentid');
}

/** `order` spans [0, 2^32); larger sorts first. */
export function checkOrder(order: number | undefined, field = 'order'): RuleFailure | null {
  if (order === undefined) return null;
  return Number.isInteger(order) && order >= 0 && order < ORDER_LIMIT ? null : fail(INVALID_PARAMETER, field);
}

/** The root is level 1; a department under a parent at level 15 would be the 16th (81002). */
export function checkDepthUnder(parentLevel: number, subtreeHeight = 1): RuleFailure | null {
  return parentLevel + subtreeHeight > MAX_DEPARTMENT_DEPTH ? fail(81002, 'parentid') : null;
}

const useridPattern = /^[A-Za-z0-9][A-Za-z0-9_\-@.]*$/;

/** UserIDs: 1–64 bytes of letters, digits and `_ - @ .`, starting with a letter or digit (40003). */
export function checkUserid(userid: string, field = 'userid'): RuleFailure | null {
  return byteCount(userid) >= 1 && byteCount(userid) <= 64 && useridPattern.test(userid) ? null : fail(40003, field);
}

/** WeCom compares UserIDs ignoring case: `ZhangSan` and `zhangsan` are the same member. */
export function useridKey(userid: string): string {
  return userid.toLowerCase();
}

export function checkMemberName(name: string | undefined): RuleFailure | null {
  return name !== undefined && charCount(name) >= 1 && charCount(name) <= 64 ? null : fail(60112, 'name');
}

const emailPattern = /^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/;

/** 6–64 bytes and an address shape (60105). */
export function checkEmail(email: string): RuleFailure | null {
  return byteCount(email) >= 6 && byteCount(email) <= 64 && emailPattern.test(email) ? null : fail(60105, 'email');
}

// Mainland numbers are 11 digits; WeCom also takes "+<country code> <number>".
const mobilePattern = /^(\+\d{1,4}[ -]?)?\d{5,20}$/;

export function checkMobile(mobile: string): RuleFailure | null {
  return mobilePattern.test(mobile) ? null : fail(60103, 'mobile');
}

/** ≤ 32 characters of digits, `-`, `+` and `,` (301013). */
export function checkTelephone(telephone: string): RuleFailure | null {
  return charCount(telephone) <= 32 && /^[0-9+,-]*$/.test(telephone) ? null : fail(301013, 'telephone');
}

export function checkPosition(position: string): RuleFailure | null {
  return charCount(position) <= 128 ? null : fail(301012, 'position');
}

export interface MemberDepartmentsInput {
  department: number[] | undefined;
  order?: number[] | undefined;
  isLeaderInDept?: number[] | undefined;
  mainDepartment?: number | undefined;
}

/** At least one and at most 100 departments; `order` and `is_leader_in_dept` parallel to them; the main one among them. */
export function checkMemberDepartments(input: MemberDepartmentsInput): RuleFailure | null {
  const departments = input.department;
  if (!departments || departments.length === 0) return fail(60127, 'department');
  if (departments.length > MAX_MEMBER_DEPARTMENTS) return fail(60110, 'department');
  if (new Set(departments).size !== departments.length) return fail(INVALID_PARAMETER, 'department');
  if (input.order && input.order.length !== departments.length) return fail(INVALID_PARAMETER, 'order');
  for (const order of input.order ?? []) if (checkOrder(order)) return fail(INVALID_PARAMETER, 'order');
  if (input.isLeaderInDept) {
    if (input.isLeaderInDept.length !== departments.length) return fail(INVALID_PARAMETER, 'is_leader_in_dept');
    if (input.isLeaderInDept.some((v) => v !== 0 && v !== 1)) return fail(INVALID_PARAMETER, 'is_leader_in_dept');
  }
  if (input.mainDepartment !== undefined && !departments.includes(input.mainDepartment)) return fail(INVALID_PARAMETER, 'main_department');
  return null;
}

export interface MemberFieldsInput {
  name?: string | undefined;
  alias?: string | undefined;
  mobile?: string | undefined;
  email?: string | undefined;
  position?: string | undefined;
  telephone?: string | undefined;
  gender?: string | undefined;
  address?: string | undefined;
  enable?: number | undefined;
}

/** Field-by-field rules shared by create and update (only the fields present are checked). */
export function checkMemberFields(input: MemberFieldsInput): RuleFailure | null {
  if (input.name !== undefined) {
    const failure = checkMemberName(input.name);
    if (failure) return failure;
  }
  if (input.alias !== undefined && charCount(input.alias) > 64) return fail(INVALID_PARAMETER, 'alias');
  if (input.mobile) {
    const failure = checkMobile(input.mobile);
    if (failure) return failure;
  }
  if (input.email) {
    const failure = checkEmail(input.email);
    if (failure) return failure;
  }
  if (input.position !== undefined) {
    const failure = checkPosition(input.position);
    if (failure) return failure;
  }
  if (input.telephone !== undefined) {
    const failure = checkTelephone(input.telephone);
    if (failure) return failure;
  }
  if (input.gender !== undefined && !['0', '1', '2'].includes(input.gender)) return fail(INVALID_PARAMETER, 'gender');
  if (input.address !== undefined && charCount(input.address) > 128) return fail(INVALID_PARAMETER, 'address');
  if (input.enable !== undefined && input.enable !== 0 && input.enable !== 1) return fail(INVALID_PARAMETER, 'enable');
  return null;
}

/** Mobile and email may not both be empty (60129). */
export function checkReachable(mobile: string | null | undefined, email: string | null | undefined): RuleFailure | null {
  return mobile || email ? null : fail(60129, 'mobile');
}

/** A welcome code works once, within 20 s of the add event; anything else answers 41051. */
export function checkWelcomeCode(code: { issuedAt: Date; usedAt: Date | null } | null, now: Date): RuleFailure | null {
  if (!code || code.usedAt) return fail(41051, 'welcome_code');
  return now.getTime() - code.issuedAt.getTime() > WELCOME_CODE_TTL_MS ? fail(41051, 'welcome_code') : null;
}

export interface WelcomeMessageInput {
  text?: { content: string } | undefined;
  attachments?: { msgtype: string; [key: string]: unknown }[] | undefined;
}

/** Text ≤ 4000 bytes, ≤ 9 attachments, not both empty; link and mini-program titles in bytes. */
export function checkWelcomeMessage(input: WelcomeMessageInput): RuleFailure | null {
  const content = input.text?.content ?? '';
  const attachments = input.attachments ?? [];
  if (content === '' && attachments.length === 0) return fail(44004, 'text');
  if (byteCount(content) > 4000) return fail(45002, 'text.content');
  if (attachments.length > 9) return fail(INVALID_PARAMETER, 'attachments');
  for (const [index, attachment] of attachments.entries()) {
    const body = attachment[attachment.msgtype] as Record<string, unknown> | undefined;
    if (!body || typeof body !== 'object') return fail(INVALID_PARAMETER, `attachments.${index}`);
    const title = typeof body.title === 'string' ? body.title : '';
    if (attachment.msgtype === 'link') {
      if (!title || byteCount(title) > 128) return fail(INVALID_PARAMETER, `attachments.${index}.link.title`);
      if (typeof body.desc === 'string' && byteCount(body.desc) > 512) return fail(INVALID_PARAMETER, `attachments.${index}.link.desc`);
      if (typeof body.url !== 'string' || body.url === '') return fail(INVALID_PARAMETER, `attachments.${index}.link.url`);
    }
    if (attachment.msgtype === 'miniprogram' && (!title || byteCount(title) > 64)) {
      return fail(INVALID_PARAMETER, `attachments.${index}.miniprogram.title`);
    }
  }
  return null;
}

/** Customer tag and tag-group names: 1–30 characters. */
export function checkCorpTagName(name: string, field = 'name'): RuleFailure | null {
  return charCount(name.trim()) >= 1 && charCount(name) <= 30 ? null : fail(40072, field);
}

export interface ContactWayInput {
  type?: number | undefined;
  scene?: number | undefined;
  remark?: string | undefined;
  state?: string | undefined;
  user?: string[] | undefined;
  party?: number[] | undefined;
  expiresIn?: number | undefined;
  chatExpiresIn?: number | undefined;
}

/** Type 1 takes exactly one member and no departments; remark and state ≤ 30 characters. */
export function checkContactWay(input: ContactWayInput): RuleFailure | null {
  if (input.type !== undefined && input.type !== 1 && input.type !== 2) return fail(INVALID_PARAMETER, 'type');
  if (input.scene !== undefined && input.scene !== 1 && input.scene !== 2) return fail(INVALID_PARAMETER, 'scene');
  if (input.remark !== undefined && charCount(input.remark) > 30) return fail(INVALID_PARAMETER, 'remark');
  if (input.state !== undefined && charCount(input.state) > 30) return fail(INVALID_PARAMETER, 'state');
  const users = input.user ?? [];
  const parties = input.party ?? [];
  if (input.type === 1 && (users.length !== 1 || parties.length > 0)) return fail(INVALID_PARAMETER, 'user');
  if (input.type === 2 && users.length + parties.length === 0) return fail(INVALID_PARAMETER, 'user');
  if (input.expiresIn !== undefined && input.expiresIn <= 0) return fail(INVALID_PARAMETER, 'expires_in');
  if (input.chatExpiresIn !== undefined && input.chatExpiresIn <= 0) return fail(INVALID_PARAMETER, 'chat_expires_in');
  return null;
}

/** `a|b|c` → ids; `@all` stays as is. Empty parts are dropped, as WeCom does. */
export function splitRecipients(value: string | undefined): string[] {
  if (!value) return [];
  return value.split('|').map((part) => part.trim()).filter((part) => part !== '');
}

export interface RecipientsInput {
  touser?: string | undefined;
  toparty?: string | undefined;
  totag?: string | undefined;
}

/** ≤ 1000 users (40032), ≤ 100 departments (82002), ≤ 100 tags (82003). */
export function checkRecipients(input: RecipientsInput): RuleFailure | null {
  const users = splitRecipients(input.touser);
  if (users.length > 1000) return fail(40032, 'touser');
  if (splitRecipients(input.toparty).length > 100) return fail(82002, 'toparty');
  if (splitRecipients(input.totag).length > 100) return fail(82003, 'totag');
  if (users.length + splitRecipients(input.toparty).length + splitRecipients(input.totag).length === 0) return fail(40031, 'touser');
  return null;
}

/** The message body of each msgtype, checked for WeCom's documented limits. */
export function checkAppMessage(msgtype: string, body: Record<string, unknown> | undefined): RuleFailure | null {
  if (!body || typeof body !== 'object') return fail(40008, msgtype);
  const str = (key: string) => (typeof body[key] === 'string' ? (body[key] as string) : undefined);
  switch (msgtype) {
    case 'text':
    case 'markdown': {
      const content = str('content') ?? '';
      if (content.trim() === '') return fail(44004, `${msgtype}.content`);
      return byteCount(content) > 2048 ? fail(45002, `${msgtype}.content`) : null;
    }
    case 'textcard': {
      const title = str('title') ?? '';
      if (!title || byteCount(title) > 128) return fail(45002, 'textcard.title');
      if (!str('description') || byteCount(str('description') ?? '') > 512) return fail(45002, 'textcard.description');
      if (!str('url')) return fail(INVALID_PARAMETER, 'textcard.url');
      if (str('btntxt') !== undefined && charCount(str('btntxt') ?? '') > 4) return fail(45002, 'textcard.btntxt');
      return null;
    }
    case 'news':
    case 'mpnews': {
      const articles = body.articles;
      if (!Array.isArray(articles) || articles.length < 1 || articles.length > 8) return fail(45008, `${msgtype}.articles`);
      return null;
    }
    case 'image':
    case 'voice':
    case 'video':
    case 'file':
      return str('media_id') ? null : fail(INVALID_PARAMETER, `${msgtype}.media_id`);
    default:
      return null;
  }
}
