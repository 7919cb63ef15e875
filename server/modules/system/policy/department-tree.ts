import type { DepartmentScope } from '../../../platform/http/principal';

/**
 * Where departments sit. Implemented by the WeCom directory; until one is
 * wired, `flatDepartmentTree` knows no ancestry, so a scope covers exactly
 * its own department and nothing below it.
 */
export interface DepartmentTree {
  /** Ancestors of a department, nearest first, without the department itself. */
  ancestorsOf(accountId: string, departmentId: number): Promise<number[]>;
}

/** Which departments a WeCom member belongs to; null when the member is unknown. */
export interface MemberDepartments {
  departmentsOf(accountId: string, userid: string): Promise<number[] | null>;
}

export const flatDepartmentTree: DepartmentTree = {
  ancestorsOf: async () => [],
};

export const unknownMemberDepartments: MemberDepartments = {
  departmentsOf: async () => null,
};

/** A tree from `{accountId: {departmentId: parentId}}`; the root's parent is 0 or absent. */
export function departmentTreeFromParents(parents: Record<string, Record<number, number>>): DepartmentTree {
  return {
    async ancestorsOf(accountId, departmentId) {
      const parentOf = parents[accountId] ?? {};
      const ancestors: number[] = [];
      const seen = new Set<number>([departmentId]);
      let current = parentOf[departmentId];
      while (current !== undefined && current !== 0 && !seen.has(current)) {
        ancestors.push(current);
        seen.add(current);
        current = parentOf[current];
      }
      return ancestors;
    },
  };
}

export type { DepartmentScope };
