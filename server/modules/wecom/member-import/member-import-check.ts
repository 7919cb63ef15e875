import type { ErrorCode } from '../../../../common/errors';
import type { DepartmentNode, Problem } from '../departments';
import { memberColumnKeys, type MemberColumnKey } from './member-columns';
import { findDuplicatesInFile, joinDepartmentPath, type ParsedRow, type RowMemberInput, type RowProblem } from './member-rows';

/** A member as the directory holds it: what rows are compared with and checked against. */
export interface ExistingMember {
  userid: string;
  name: string;
  alias: string | null;
  mobile: string | null;
  email: string | null;
  position: string | null;
  gender: 'unknown' | 'male' | 'female';
  telephone: string | null;
  status: 'active' | 'disabled' | 'inactive' | 'resigned';
  mainDepartmentId: number;
  departments: { departmentId: number; order: number; isLeader: boolean }[];
}

/** A department of a member input: by id when it exists, by path when the import will create it. */
export interface DirectoryDepartmentRef {
  departmentId?: number;
  path?: string[];
  isLeader?: boolean;
  isMain?: boolean;
}

/** What the members module's upsert takes: the row's values with departments resolved. */
export type DirectoryMemberInput = Omit<RowMemberInput, 'departments'> & { departments?: DirectoryDepartmentRef[] };

export interface CheckedRow {
  row: number;
  input: DirectoryMemberInput;
  /** What writing it would do, as far as the sheet can tell. */
  effect: 'create' | 'update' | 'unchanged';
}

export interface ImportCheckInputs {
  rows: readonly ParsedRow[];
  sheetProblems: readonly RowProblem[];
  /** The corp's live departments, the root (parent 0) included. */
  departments: readonly DepartmentNode[];
  /** The live members among the rows' userids, keyed by lower-cased userid. */
  existing: ReadonlyMap<string, ExistingMember>;
  /** The live members holding any of the rows' mobiles or emails. */
  contactOwners: readonly { userid: string; mobile: string | null; email: string | null }[];
  createMissingDepartments: boolean;
  /** Whether the importing user may act in a department (a dept_admin's subtrees); always true for a super admin. */
  reaches(departmentId: number): boolean;
  /** The members module's WeCom rules for one member. */
  checkMember(input: DirectoryMemberInput, context: { departmentIds: ReadonlySet<number>; createMissingDepartments: boolean; existing: ExistingMember | null }): Problem[];
}

export interface ImportCheck {
  /** One problem per bad cell, in row order. */
  problems: RowProblem[];
  good: CheckedRow[];
  invalidRows: number;
}

const rootParentId = 0;

/** Department paths below the root (「华东区/上海店」) → id; the root answers to its own name when no top-level department shares it. */
export function departmentPathIndex(departments: readonly DepartmentNode[]): { ids: Map<string, number>; paths: Map<number, string> } {
  const byId = new Map(departments.map((d) => [d.id, d]));
  const paths = new Map<number, string>();
  const pathOf = (id: number, seen = new Set<number>()): string => {
    const known = paths.get(id);
    if (known !== undefined) return known;
    const node = byId.get(id);
    if (!node || seen.has(id)) return '';
    seen.add(id);
    const parent = byId.get(node.parentId);
    const path = !parent || parent.parentId === rootParentId ? node.name : `${pathOf(parent.id, seen)}/${node.name}`;
    paths.set(id, path);
    return path;
  };
  const ids = new Map<string, number>();
  const roots = departments.filter((d) => d.parentId === rootParentId);
  for (const d of departments) if (d.parentId !== rootParentId) ids.set(pathOf(d.id), d.id);
  for (const root of roots) {
    paths.set(root.id, root.name);
    if (!ids.has(root.name)) ids.set(root.name, root.id);
  }
  return { ids, paths };
}

const fieldColumns: Record<string, MemberColumnKey> = { mainDepartmentId: 'mainDepartment', isLeader: 'isLeader' };
function columnOfField(field: string): MemberColumnKey {
  if ((memberColumnKeys as readonly string[]).includes(field)) return field as MemberColumnKey;
  return fieldColumns[field] ?? 'userid';
}

function effectOf(input: DirectoryMemberInput, existing: ExistingMember | undefined): CheckedRow['effect'] {
  if (!existing) return 'create';
  for (const key of ['name', 'alias', 'mobile', 'email', 'position', 'gender', 'telephone'] as const) {
    if (input[key] !== undefined && input[key] !== existing[key]) return 'update';
  }
  const departments = input.departments;
  if (departments) {
    if (departments.length !== existing.departments.length) return 'update';
    for (const [i, ref] of departments.entries()) {
      const current = existing.departments[i]!;
      if (ref.departmentId !== current.departmentId) return 'update';
      if (ref.isLeader !== undefined && ref.isLeader !== current.isLeader) return 'update';
      if (ref.isMain && existing.mainDepartmentId !== ref.departmentId) return 'update';
    }
  }
  return 'unchanged';
}

/**
 * Checks every row before anything is written: the sheet's own problems,
 * WeCom's member rules, repeats within the file, mobiles and emails of other
 * members, unknown departments, and the importer's department scope.
 * Reports at most one problem per cell (the first found) so a fix of one
 * cell is one fix.
 */
export function checkImportRows(inputs: ImportCheckInputs): ImportCheck {
  const { ids: pathIds, paths: idPaths } = departmentPathIndex(inputs.departments);
  const departmentIds = new Set(inputs.departments.map((d) => d.id));
  const problemsByRow = new Map<number, Map<MemberColumnKey, RowProblem>>();
  const add = (row: number, column: MemberColumnKey, code: ErrorCode, details: Record<string, string | number> = {}) => {
    const cells = problemsByRow.get(row) ?? new Map<MemberColumnKey, RowProblem>();
    if (!cells.has(column)) cells.set(column, { row, column, code, details });
    problemsByRow.set(row, cells);
  };
  for (const p of inputs.sheetProblems) add(p.row, p.column, p.code, p.details);
  for (const p of findDuplicatesInFile(inputs.rows)) add(p.row, p.column, p.code, p.details);

  const mobileOwner = new Map<string, string>();
  const emailOwner = new Map<string, string>();
  for (const member of inputs.contactOwners) {
    if (member.mobile) mobileOwner.set(member.mobile, member.userid);
    if (member.email) emailOwner.set(member.email.toLowerCase(), member.userid);
  }

  const resolved: { row: number; input: DirectoryMemberInput; existing: ExistingMember | undefined }[] = [];
  for (const { row, input } of inputs.rows) {
    const key = input.userid.toLowerCase();
    const existing = input.userid ? inputs.existing.get(key) : undefined;
    if (existing && !existing.departments.some((d) => inputs.reaches(d.departmentId))) {
      add(row, 'userid', 'MEMBER_IMPORT_MEMBER_OUT_OF_SCOPE', { userid: existing.userid });
    }
    let departments: DirectoryDepartmentRef[] | undefined;
    if (input.departments) {
      departments = [];
      for (const ref of input.departments) {
        const label = joinDepartmentPath(ref.path);
        const id = pathIds.get(label);
        const { path: _path, ...flags } = ref;
        if (id !== undefined) {
          if (!inputs.reaches(id)) add(row, 'departments', 'MEMBER_IMPORT_DEPARTMENT_OUT_OF_SCOPE', { path: label });
          departments.push({ departmentId: id, ...flags });
          continue;
        }
        if (!inputs.createMissingDepartments) add(row, 'departments', 'MEMBER_IMPORT_DEPARTMENT_UNKNOWN', { path: label });
        else {
          // A department to create lands below its nearest existing ancestor, which must be in reach.
          let parent = 1;
          for (let depth = ref.path.length - 1; depth > 0; depth--) {
            const ancestor = pathIds.get(joinDepartmentPath(ref.path.slice(0, depth)));
            if (ancestor !== undefined) {
              parent = ancestor;
              break;
            }
          }
          if (!inputs.reaches(parent)) add(row, 'departments', 'MEMBER_IMPORT_DEPARTMENT_OUT_OF_SCOPE', { path: label });
        }
        departments.push({ path: ref.path, ...flags });
      }
    }
    if (existing && departments) {
      // Taking a member out of a department is a change in that department too.
      const kept = new Set(departments.map((d) => d.departmentId));
      const removed = existing.departments.find((d) => !kept.has(d.departmentId) && !inputs.reaches(d.departmentId));
      if (removed) add(row, 'departments', 'MEMBER_IMPORT_DEPARTMENT_OUT_OF_SCOPE', { path: idPaths.get(removed.departmentId) ?? String(removed.departmentId) });
    }
    const memberInput: DirectoryMemberInput = { ...input, departments };
    if (!departments) delete memberInput.departments;

    if (input.mobile) {
      const owner = mobileOwner.get(input.mobile);
      if (owner && owner.toLowerCase() !== key) add(row, 'mobile', 'MEMBER_IMPORT_CONTACT_TAKEN', { value: input.mobile, userid: owner });
    }
    if (input.email) {
      const owner = emailOwner.get(input.email.toLowerCase());
      if (owner && owner.toLowerCase() !== key) add(row, 'email', 'MEMBER_IMPORT_CONTACT_TAKEN', { value: input.email, userid: owner });
    }
    for (const problem of inputs.checkMember(memberInput, { departmentIds, createMissingDepartments: inputs.createMissingDepartments, existing: existing ?? null })) {
      add(row, columnOfField(problem.field), problem.code, problem.details);
    }
    resolved.push({ row, input: memberInput, existing });
  }

  const problems = [...problemsByRow.values()].flatMap((cells) => [...cells.values()]).sort((a, b) => a.row - b.row || memberColumnKeys.indexOf(a.column) - memberColumnKeys.indexOf(b.column));
  const good = resolved.filter((r) => !problemsByRow.has(r.row)).map((r) => ({ row: r.row, input: r.input, effect: effectOf(r.input, r.existing) }));
  return { problems, good, invalidRows: problemsByRow.size };
}
