import type { Principal } from '../../../platform/http/principal';
import type { MemberVisibilityRule } from './departments.repository';
import { subtreeIds, type Tree } from './department-tree';

/**
 * What of one corp's directory a caller reaches: everything, or a set of
 * departments (a dept_admin's subtrees; what the visibility rule shows a
 * member), optionally only some members (`self` visibility).
 */
export type DirectoryReach =
  | { kind: 'all' }
  | { kind: 'departments'; departmentIds: ReadonlySet<number>; onlyUserids?: readonly string[] };

export interface ReachInputs {
  tree: Tree;
  /** The corp's rule for members; only read for the member role. */
  visibility(): Promise<MemberVisibilityRule>;
  /** Departments the caller's own WeCom members belong to; only read for the member role. */
  ownDepartments(userids: string[]): Promise<number[]>;
}

/**
 * A super admin and system work (null principal) reach all; a dept_admin its
 * scopes' subtrees in this corp; a member what the corp's visibility rule shows.
 */
export async function reachOfPrincipal(principal: Pick<Principal, 'role' | 'departmentScopes' | 'wecomMembers'> | null, accountId: string, inputs: ReachInputs): Promise<DirectoryReach> {
  if (!principal || principal.role === 'super_admin') return { kind: 'all' };
  if (principal.role === 'dept_admin') {
    const roots = principal.departmentScopes.filter((s) => s.accountId === accountId).map((s) => s.departmentId);
    return { kind: 'departments', departmentIds: subtreeIds(inputs.tree, roots) };
  }
  const rule = await inputs.visibility();
  if (rule === 'all') return { kind: 'all' };
  const own = principal.wecomMembers.filter((m) => m.accountId === accountId).map((m) => m.userid);
  const ownDepartments = await inputs.ownDepartments(own);
  if (rule === 'own_department_tree') return { kind: 'departments', departmentIds: subtreeIds(inputs.tree, ownDepartments) };
  if (rule === 'own_departments') return { kind: 'departments', departmentIds: new Set(ownDepartments) };
  return { kind: 'departments', departmentIds: new Set(ownDepartments), onlyUserids: own };
}

export function reachesDepartment(reach: DirectoryReach, departmentId: number): boolean {
  return reach.kind === 'all' || reach.departmentIds.has(departmentId);
}

/** A member is reached when any of its departments is (and, for `self`, when it is the caller's own). */
export function reachesMember(reach: DirectoryReach, member: { userid: string; departmentIds: readonly number[] }): boolean {
  if (reach.kind === 'all') return true;
  if (reach.onlyUserids && !reach.onlyUserids.some((u) => u.toLowerCase() === member.userid.toLowerCase())) return false;
  return member.departmentIds.some((d) => reach.departmentIds.has(d));
}
