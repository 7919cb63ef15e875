import type { ErrorCode } from '../../../../common/errors';

/**
 * One broken WeCom rule: the field it concerns, the error code (its message
 * lives in the error registry) and the values that fill the message.
 */
export interface Problem {
  field: string;
  code: ErrorCode;
  details: Record<string, string | number>;
}

/** WeCom's department limits (wechat-protocol §5.2). */
export const departmentLimits = {
  rootId: 1,
  /** Department ids are 32-bit signed integers in WeCom's API; 1 is the root. */
  maxId: 2_147_483_647,
  maxOrder: 4_294_967_295,
  maxDepth: 15,
  maxDepartments: 30_000,
  maxNameChars: 64,
} as const;

const forbiddenNameCharacters = /[\\:*?"<>|]/;

/** Counts characters as WeCom does: code points, not UTF-16 units. */
export function charCount(value: string): number {
  return [...value].length;
}

/** `name` / `nameEn`: 1–64 characters, none of \ : * ? " < > |. */
export function checkDepartmentName(field: string, value: string): Problem | null {
  const length = charCount(value.trim());
  if (length < 1 || length > departmentLimits.maxNameChars) return { field, code: 'WECOM_DEPARTMENT_NAME_LENGTH', details: { field, length } };
  const found = forbiddenNameCharacters.exec(value);
  if (found) return { field, code: 'WECOM_DEPARTMENT_NAME_CHARACTERS', details: { field, character: found[0] } };
  return null;
}

export interface DepartmentNode {
  id: number;
  parentId: number;
  name: string;
}

/** A department as created or changed; absent fields keep their current value. */
export interface DepartmentInput {
  id?: number;
  parentId?: number;
  name?: string;
  nameEn?: string | null;
  order?: number;
}

export interface DepartmentRuleContext {
  /** Every live department of the corp, by id. */
  departments: ReadonlyMap<number, DepartmentNode>;
  /** The department being changed; absent when creating. */
  existing?: DepartmentNode;
}

/** Levels from the root (root = 1) of a department, following parents in `departments`. */
export function depthOf(departments: ReadonlyMap<number, DepartmentNode>, id: number): number {
  let depth = 0;
  let current: number | undefined = id;
  const seen = new Set<number>();
  while (current !== undefined && current !== 0 && !seen.has(current)) {
    seen.add(current);
    depth += 1;
    current = departments.get(current)?.parentId;
  }
  return depth;
}

/** Levels below and including `id` (a leaf has height 1). */
export function heightOf(departments: ReadonlyMap<number, DepartmentNode>, id: number): number {
  const children = new Map<number, number[]>();
  for (const d of departments.values()) {
    const list = children.get(d.parentId) ?? [];
    list.push(d.id);
    children.set(d.parentId, list);
  }
  let height = 0;
  let level = [id];
  const seen = new Set<number>();
  while (level.length > 0) {
    height += 1;
    const next: number[] = [];
    for (const node of level) {
      if (seen.has(node)) continue;
      seen.add(node);
      next.push(...(children.get(node) ?? []));
    }
    level = next;
  }
  return height;
}

/** True when `candidate` is `id` itself or lies below it. */
export function isSelfOrDescendant(departments: ReadonlyMap<number, DepartmentNode>, id: number, candidate: number): boolean {
  let current: number | undefined = candidate;
  const seen = new Set<number>();
  while (current !== undefined && current !== 0 && !seen.has(current)) {
    if (current === id) return true;
    seen.add(current);
    current = departments.get(current)?.parentId;
  }
  return false;
}

/**
 * WeCom's rules for creating or changing one department: id range, name
 * characters and length, sibling names, parent existence, no cycles, depth.
 * Pure: the caller supplies the corp's current tree.
 */
export function checkDepartment(input: DepartmentInput, context: DepartmentRuleContext): Problem[] {
  const problems: Problem[] = [];
  const { departments, existing } = context;
  const id = existing?.id ?? input.id;
  if (!existing && input.id !== undefined) {
    if (!Number.isInteger(input.id) || input.id < 2 || input.id > departmentLimits.maxId) {
      problems.push({ field: 'id', code: 'WECOM_DEPARTMENT_ID_RANGE', details: { departmentId: input.id, max: departmentLimits.maxId } });
    } else if (departments.has(input.id)) {
      problems.push({ field: 'id', code: 'WECOM_DEPARTMENT_ID_TAKEN', details: { departmentId: input.id } });
    }
  }
  const name = input.name ?? existing?.name;
  if (name === undefined) problems.push({ field: 'name', code: 'WECOM_MEMBER_FIELD_REQUIRED', details: { field: 'name' } });
  else {
    const nameProblem = checkDepartmentName('name', name);
    if (nameProblem) problems.push(nameProblem);
  }
  if (input.nameEn) {
    const nameEnProblem = checkDepartmentName('nameEn', input.nameEn);
    if (nameEnProblem) problems.push(nameEnProblem);
  }
  if (input.order !== undefined && (!Number.isInteger(input.order) || input.order < 0 || input.order > departmentLimits.maxOrder)) {
    problems.push({ field: 'order', code: 'WECOM_DEPARTMENT_ORDER_RANGE', details: { order: input.order } });
  }
  const parentId = input.parentId ?? existing?.parentId;
  if (existing?.id === departmentLimits.rootId) {
    if (input.parentId !== undefined && input.parentId !== 0) problems.push({ field: 'parentId', code: 'WECOM_DEPARTMENT_ROOT_FIXED', details: {} });
    return problems;
  }
  if (parentId === undefined || !departments.has(parentId)) {
    problems.push({ field: 'parentId', code: 'WECOM_DEPARTMENT_PARENT_NOT_FOUND', details: { parentId: parentId ?? 0 } });
    return problems;
  }
  if (existing && isSelfOrDescendant(departments, existing.id, parentId)) {
    problems.push({ field: 'parentId', code: 'WECOM_DEPARTMENT_CYCLE', details: { departmentId: existing.id, parentId } });
    return problems;
  }
  const height = existing ? heightOf(departments, existing.id) : 1;
  const depth = depthOf(departments, parentId) + height;
  if (depth > departmentLimits.maxDepth) {
    problems.push({ field: 'parentId', code: 'WECOM_DEPARTMENT_TOO_DEEP', details: { maxDepth: departmentLimits.maxDepth, depth } });
  }
  if (name !== undefined) {
    const trimmed = name.trim();
    for (const other of departments.values()) {
      if (other.parentId === parentId && other.id !== id && other.name === trimmed) {
        problems.push({ field: 'name', code: 'WECOM_DEPARTMENT_NAME_TAKEN', details: { name: trimmed } });
        break;
      }
    }
  }
  return problems;
}

/**
 * An id WeCom would accept for a new department: one above the highest in
 * use (tombstones included, so a pending deletion never collides), else the
 * lowest free one.
 */
export function nextDepartmentId(usedIds: Iterable<number>): number {
  const used = new Set(usedIds);
  let highest: number = departmentLimits.rootId;
  for (const id of used) if (id > highest) highest = id;
  if (highest < departmentLimits.maxId) return highest + 1;
  for (let id = 2; id <= departmentLimits.maxId; id++) if (!used.has(id)) return id;
  throw new Error('no free department id');
}
