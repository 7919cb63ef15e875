import { charCount, checkDepartmentName, departmentLimits, type Problem } from '../departments';
import type { MemberSnapshot, MemberStatusValue } from './members.tables';

export type { Problem };

/** WeCom's member limits (wechat-protocol §5.3). */
export const memberLimits = {
  maxUseridBytes: 64,
  maxNameChars: 64,
  maxAliasChars: 64,
  maxPositionChars: 128,
  maxTelephoneChars: 32,
  maxDepartments: 100,
  minEmailBytes: 6,
  maxEmailBytes: 64,
} as const;

/**
 * Where a member sits: a department by WeCom id, or by the names of the path
 * below the root (「华东区/上海店」), which an import may ask Qiao to create.
 */
export interface MemberDepartmentInput {
  departmentId?: number;
  path?: string[];
  order?: number;
  isLeader?: boolean;
  isMain?: boolean;
}

/**
 * A member as created or changed. `undefined` keeps the current value (or
 * the default on creation), `null` clears it; `departments`, when given,
 * replaces the member's departments.
 */
export interface MemberInput {
  userid: string;
  name?: string;
  alias?: string | null;
  mobile?: string | null;
  email?: string | null;
  position?: string | null;
  gender?: MemberSnapshot['gender'] | null;
  telephone?: string | null;
  status?: MemberStatusValue;
  departments?: MemberDepartmentInput[];
}

export interface MemberRuleContext {
  /** Ids of the corp's live departments. */
  departmentIds: ReadonlySet<number>;
  /** Live department paths below the root, joined with "/" (「华东区/上海店」). */
  departmentPaths?: ReadonlySet<string>;
  /** Unknown department paths are fine: the caller will create them. */
  createMissingDepartments?: boolean;
  /** The member's current values when it exists; the input is checked merged onto them. */
  existing?: MemberSnapshot | null;
  /**
   * WeCom demands a mobile or an email when Qiao creates a member; values
   * pulled from WeCom (which hides both from new apps since 2022) skip it.
   */
  requireContact?: boolean;
}

const useridPattern = /^[A-Za-z0-9][A-Za-z0-9_\-@.]*$/;
const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const mobilePattern = /^(1\d{10}|\+\d{1,4}[- ]?\d{4,14})$/;
const telephonePattern = /^[0-9+\-,]+$/;

const utf8Bytes = (value: string) => new TextEncoder().encode(value).length;

/** The key WeCom compares userids by. */
export const useridKey = (userid: string) => userid.toLowerCase();

/** A department reference as people read it, for messages. */
export function departmentLabel(ref: MemberDepartmentInput): string {
  return ref.departmentId !== undefined ? String(ref.departmentId) : (ref.path ?? []).join('/');
}

function checkLength(problems: Problem[], field: string, value: string | null | undefined, max: number) {
  if (value && charCount(value) > max) problems.push({ field, code: 'WECOM_MEMBER_FIELD_LENGTH', details: { field, max, length: charCount(value) } });
}

function checkDepartments(problems: Problem[], departments: MemberDepartmentInput[], context: MemberRuleContext) {
  if (departments.length < 1 || departments.length > memberLimits.maxDepartments) {
    problems.push({ field: 'departments', code: 'WECOM_MEMBER_DEPARTMENT_COUNT', details: { max: memberLimits.maxDepartments, count: departments.length } });
  }
  const seen = new Set<string>();
  for (const ref of departments) {
    const label = departmentLabel(ref);
    const key = ref.departmentId !== undefined ? `#${ref.departmentId}` : `/${label}`;
    if (seen.has(key)) problems.push({ field: 'departments', code: 'WECOM_MEMBER_DEPARTMENT_REPEATED', details: { department: label } });
    seen.add(key);
    if (ref.departmentId !== undefined) {
      if (!context.departmentIds.has(ref.departmentId)) problems.push({ field: 'departments', code: 'WECOM_MEMBER_DEPARTMENT_UNKNOWN', details: { department: label } });
    } else {
      const path = ref.path ?? [];
      const nameProblem = path.length === 0 ? { field: 'departments', code: 'WECOM_MEMBER_DEPARTMENT_UNKNOWN' as const, details: { department: label } } : null;
      if (nameProblem) problems.push(nameProblem);
      for (const name of path) {
        const problem = checkDepartmentName('departments', name);
        if (problem) problems.push(problem);
      }
      if (path.length + 1 > departmentLimits.maxDepth) {
        problems.push({ field: 'departments', code: 'WECOM_DEPARTMENT_TOO_DEEP', details: { maxDepth: departmentLimits.maxDepth, depth: path.length + 1 } });
      }
      if (path.length > 0 && !context.createMissingDepartments && !context.departmentPaths?.has(path.join('/'))) {
        problems.push({ field: 'departments', code: 'WECOM_MEMBER_DEPARTMENT_UNKNOWN', details: { department: label } });
      }
    }
    if (ref.order !== undefined && (!Number.isInteger(ref.order) || ref.order < 0 || ref.order > departmentLimits.maxOrder)) {
      problems.push({ field: 'departments', code: 'WECOM_MEMBER_ORDER_RANGE', details: { order: ref.order } });
    }
  }
  const mains = departments.filter((d) => d.isMain).length;
  if (mains > 1) problems.push({ field: 'mainDepartment', code: 'WECOM_MEMBER_MAIN_DEPARTMENT', details: { count: mains } });
}

/**
 * WeCom's rules for one member, checked on the input merged onto the
 * member's current values. Pure, so an import can report every bad row
 * before writing anything. Duplicates against other members (userid, mobile,
 * email) need the database and are checked by the service.
 */
export function checkMember(input: MemberInput, context: MemberRuleContext): Problem[] {
  const problems: Problem[] = [];
  const existing = context.existing ?? null;
  const userid = input.userid ?? '';
  if (!existing && (utf8Bytes(userid) < 1 || utf8Bytes(userid) > memberLimits.maxUseridBytes || !useridPattern.test(userid))) {
    problems.push({ field: 'userid', code: 'WECOM_MEMBER_USERID_FORMAT', details: { value: userid } });
  }
  const pick = <K extends keyof MemberSnapshot>(key: K, value: MemberSnapshot[K] | null | undefined) =>
    value === undefined ? (existing?.[key] ?? null) : value;

  const name = pick('name', input.name);
  if (!name || !name.trim()) problems.push({ field: 'name', code: 'WECOM_MEMBER_FIELD_REQUIRED', details: { field: 'name' } });
  else checkLength(problems, 'name', name, memberLimits.maxNameChars);
  checkLength(problems, 'alias', pick('alias', input.alias), memberLimits.maxAliasChars);
  checkLength(problems, 'position', pick('position', input.position), memberLimits.maxPositionChars);

  const mobile = pick('mobile', input.mobile);
  const email = pick('email', input.email);
  if (mobile && !mobilePattern.test(mobile)) problems.push({ field: 'mobile', code: 'WECOM_MEMBER_MOBILE_FORMAT', details: { value: mobile } });
  if (email && (!emailPattern.test(email) || utf8Bytes(email) < memberLimits.minEmailBytes || utf8Bytes(email) > memberLimits.maxEmailBytes)) {
    problems.push({ field: 'email', code: 'WECOM_MEMBER_EMAIL_FORMAT', details: { value: email } });
  }
  if ((context.requireContact ?? true) && !mobile && !email) problems.push({ field: 'mobile', code: 'WECOM_MEMBER_CONTACT_REQUIRED', details: {} });

  const telephone = pick('telephone', input.telephone);
  if (telephone && (charCount(telephone) > memberLimits.maxTelephoneChars || !telephonePattern.test(telephone))) {
    problems.push({ field: 'telephone', code: 'WECOM_MEMBER_TELEPHONE_FORMAT', details: { value: telephone } });
  }

  if (input.departments !== undefined) checkDepartments(problems, input.departments, context);
  else if (!existing) problems.push({ field: 'departments', code: 'WECOM_MEMBER_DEPARTMENT_COUNT', details: { max: memberLimits.maxDepartments, count: 0 } });
  return problems;
}

/** Problems of a batch: each member's own, plus userids repeated within the batch (WeCom ignores case). */
export function checkMembers(inputs: readonly MemberInput[], contextOf: (input: MemberInput) => MemberRuleContext): { index: number; userid: string; problem: Problem }[] {
  const found: { index: number; userid: string; problem: Problem }[] = [];
  const firstIndex = new Map<string, number>();
  inputs.forEach((input, index) => {
    const key = useridKey(input.userid ?? '');
    if (firstIndex.has(key)) {
      found.push({ index, userid: input.userid, problem: { field: 'userid', code: 'WECOM_MEMBER_USERID_REPEATED', details: { userid: input.userid } } });
    } else firstIndex.set(key, index);
    for (const problem of checkMember(input, contextOf(input))) found.push({ index, userid: input.userid, problem });
  });
  return found;
}
