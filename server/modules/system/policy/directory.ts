import { flatDepartmentTree, unknownMemberDepartments, type DepartmentTree, type MemberDepartments } from './department-tree';

/** What policy needs to know about WeCom's organisation; the WeCom directory supplies it once wired. */
export interface Directory {
  tree: DepartmentTree;
  members: MemberDepartments;
}

/** A late-bound directory: the system module is built before the WeCom module that implements it. */
export function createDirectoryHolder(initial: Partial<Directory> = {}) {
  let current: Directory = { tree: initial.tree ?? flatDepartmentTree, members: initial.members ?? unknownMemberDepartments };
  return {
    get: (): Directory => current,
    use(next: Partial<Directory>): void {
      current = { tree: next.tree ?? current.tree, members: next.members ?? current.members };
    },
  };
}

export type DirectoryHolder = ReturnType<typeof createDirectoryHolder>;
