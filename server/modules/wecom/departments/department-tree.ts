import { randomUUID } from 'node:crypto';
import type { Cache } from '../../../platform/cache/cache';
import type { DepartmentRow } from './departments.repository';

/** One corp's live departments, in memory: what scope checks and subtree listings walk. */
export interface Tree {
  nodes: ReadonlyMap<number, DepartmentRow>;
  children: ReadonlyMap<number, readonly number[]>;
}

export function buildTree(rows: readonly DepartmentRow[]): Tree {
  const nodes = new Map<number, DepartmentRow>();
  const children = new Map<number, number[]>();
  for (const row of rows) nodes.set(row.id, row);
  for (const row of rows) {
    const list = children.get(row.parentId) ?? [];
    list.push(row.id);
    children.set(row.parentId, list);
  }
  // WeCom shows larger `order` first; ids break ties so the order is stable.
  for (const list of children.values()) list.sort((a, b) => nodes.get(b)!.order - nodes.get(a)!.order || a - b);
  return { nodes, children };
}

/** The departments and everything below them (only those that exist). */
export function subtreeIds(tree: Tree, roots: Iterable<number>): Set<number> {
  const found = new Set<number>();
  const stack = [...roots].filter((id) => tree.nodes.has(id));
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (found.has(id)) continue;
    found.add(id);
    stack.push(...(tree.children.get(id) ?? []));
  }
  return found;
}

/** Ancestors nearest first, without the department itself. */
export function ancestorIds(tree: Tree, id: number): number[] {
  const ancestors: number[] = [];
  const seen = new Set<number>([id]);
  let current = tree.nodes.get(id)?.parentId;
  while (current !== undefined && current !== 0 && !seen.has(current)) {
    ancestors.push(current);
    seen.add(current);
    current = tree.nodes.get(current)?.parentId;
  }
  return ancestors;
}

/** Parents before children, siblings in WeCom's order. */
export function treeOrder(tree: Tree, ids?: ReadonlySet<number>): number[] {
  const ordered: number[] = [];
  const visited = new Set<number>();
  const visit = (id: number) => {
    if (visited.has(id)) return;
    visited.add(id);
    if (!ids || ids.has(id)) ordered.push(id);
    for (const child of tree.children.get(id) ?? []) visit(child);
  };
  for (const top of tree.children.get(0) ?? []) visit(top);
  // Departments whose parent is missing (never expected) still show up.
  for (const id of tree.nodes.keys()) if (!visited.has(id) && !tree.nodes.has(tree.nodes.get(id)!.parentId)) visit(id);
  return ordered;
}

/**
 * Trees per corp, kept in process and reloaded when the corp's version in the
 * shared cache changes, so every Qiao instance sees a write at once.
 */
export function createTreeCache(deps: { cache: Cache; load(accountId: string): Promise<DepartmentRow[]> }) {
  const memo = new Map<string, { version: string; tree: Tree }>();
  const versionKey = (accountId: string) => `wecom-directory:tree-version:${accountId}`;
  return {
    async get(accountId: string): Promise<Tree> {
      const version = (await deps.cache.get(versionKey(accountId))) ?? 'initial';
      const hit = memo.get(accountId);
      if (hit && hit.version === version) return hit.tree;
      const tree = buildTree(await deps.load(accountId));
      memo.set(accountId, { version, tree });
      return tree;
    },
    /** Call after the write committed. */
    async invalidate(accountId: string): Promise<void> {
      memo.delete(accountId);
      await deps.cache.set(versionKey(accountId), randomUUID());
    },
  };
}
export type TreeCache = ReturnType<typeof createTreeCache>;
