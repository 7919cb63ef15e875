import { roleRank, type Role } from '../../../../common/permissions';
import type { DepartmentScope, Principal } from '../../../platform/http/principal';
import type { DepartmentTree, MemberDepartments } from './department-tree';

type Actor = Pick<Principal, 'role' | 'departmentScopes' | 'wecomMembers'>;

/** True when the department lies in one of the subtrees. */
export async function scopesCover(scopes: readonly DepartmentScope[], accountId: string, departmentId: number, tree: DepartmentTree): Promise<boolean> {
  const roots = scopes.filter((s) => s.accountId === accountId).map((s) => s.departmentId);
  if (roots.length === 0) return false;
  if (roots.includes(departmentId)) return true;
  const ancestors = await tree.ancestorsOf(accountId, departmentId);
  return ancestors.some((a) => roots.includes(a));
}

/** True when every subtree of `inner` lies inside a subtree of `outer` (grant checks). */
export async function scopeWithin(inner: readonly DepartmentScope[], outer: readonly DepartmentScope[], tree: DepartmentTree): Promise<boolean> {
  for (const scope of inner) {
    if (!(await scopesCover(outer, scope.accountId, scope.departmentId, tree))) return false;
  }
  return true;
}

/** The subtrees of `inner` that lie inside `outer`: what a key keeps when its creator lost reach. */
export async function intersectScopes(inner: readonly DepartmentScope[], outer: readonly DepartmentScope[], tree: DepartmentTree): Promise<DepartmentScope[]> {
  const kept: DepartmentScope[] = [];
  for (const scope of inner) {
    if (await scopesCover(outer, scope.accountId, scope.departmentId, tree)) kept.push(scope);
  }
  return kept;
}

/** May this principal act on (records of) this department? super_admin everywhere, dept_admin in its subtrees, member nowhere. */
export async function mayActOnDepartment(actor: Actor, accountId: string, departmentId: number, tree: DepartmentTree): Promise<boolean> {
  if (actor.role === 'super_admin') return true;
  if (actor.role === 'member') return false;
  return scopesCover(actor.departmentScopes, accountId, departmentId, tree);
}

/** A WeCom member's record, as policy needs to see it. */
export interface MemberRecordRef {
  accountId: string;
  userid: string;
  /** The departments the member belongs to. */
  departmentIds: readonly number[];
}

/**
 * May this principal act on a WeCom member's record (the member, their
 * customers, their follow-ups)? A dept_admin when any of the member's
 * departments is in its subtrees; a member only on the WeCom members it is.
 */
export async function mayActOnMemberRecord(actor: Actor, record: MemberRecordRef, tree: DepartmentTree): Promise<boolean> {
  if (actor.role === 'super_admin') return true;
  if (actor.role === 'member') {
    return actor.wecomMembers.some((m) => m.accountId === record.accountId && m.userid === record.userid);
  }
  for (const departmentId of record.departmentIds) {
    if (await scopesCover(actor.departmentScopes, record.accountId, departmentId, tree)) return true;
  }
  return false;
}

/**
 * What a principal reaches, for list queries that filter in SQL: everything,
 * some department subtrees, or only its own WeCom members' records.
 */
export type Reach =
  | { kind: 'all' }
  | { kind: 'departments'; scopes: DepartmentScope[] }
  | { kind: 'own'; members: { accountId: string; userid: string }[] };

export function reachOf(actor: Actor): Reach {
  if (actor.role === 'super_admin') return { kind: 'all' };
  if (actor.role === 'dept_admin') return { kind: 'departments', scopes: [...actor.departmentScopes] };
  return { kind: 'own', members: [...actor.wecomMembers] };
}

/** A role may be given by a holder of an equal or higher one; nobody below super_admin gives super_admin. */
export function mayGrantRole(granter: Role, role: Role): boolean {
  if (granter === 'super_admin') return true;
  if (role === 'super_admin') return false;
  return roleRank[role] <= roleRank[granter];
}

/** The lower of two roles: what a key carries when its creator was demoted. */
export function lowerRole(a: Role, b: Role): Role {
  return roleRank[a] <= roleRank[b] ? a : b;
}

/**
 * Is a user (its role and scopes) managed by this actor? super_admin manages
 * everyone; a dept_admin manages non-super_admin users that have at least one
 * scope, all inside its own subtrees; a member manages nobody.
 */
export async function managesUser(
  actor: Actor,
  user: { role: Role; departmentScopes: readonly DepartmentScope[] },
  tree: DepartmentTree,
): Promise<boolean> {
  if (actor.role === 'super_admin') return true;
  if (actor.role === 'member' || user.role === 'super_admin') return false;
  if (user.departmentScopes.length === 0) return false;
  return scopeWithin(user.departmentScopes, actor.departmentScopes, tree);
}

/** May this actor tie a Qiao user to these WeCom members? Unknown members count as outside a dept_admin's reach. */
export async function mayTieWecomMembers(
  actor: Actor,
  members: readonly { accountId: string; userid: string }[],
  tree: DepartmentTree,
  directory: MemberDepartments,
): Promise<boolean> {
  if (actor.role === 'super_admin') return true;
  if (actor.role === 'member') return members.length === 0;
  for (const member of members) {
    const departmentIds = await directory.departmentsOf(member.accountId, member.userid);
    if (!departmentIds || !(await mayActOnMemberRecord(actor, { ...member, departmentIds }, tree))) return false;
  }
  return true;
}
