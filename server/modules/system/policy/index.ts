/** The access policy: department trees, the directory they come from, and the scope and role checks. */
export { departmentTreeFromParents, flatDepartmentTree, unknownMemberDepartments, type DepartmentTree, type MemberDepartments } from './department-tree';
export { createDirectoryHolder, type Directory, type DirectoryHolder } from './directory';
export {
  intersectScopes,
  lowerRole,
  managesUser,
  mayActOnDepartment,
  mayActOnMemberRecord,
  mayGrantRole,
  mayTieWecomMembers,
  reachOf,
  scopeWithin,
  scopesCover,
  type MemberRecordRef,
  type Reach,
} from './policy';
