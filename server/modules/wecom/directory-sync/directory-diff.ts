import type { DepartmentValues, FieldChange, MemberValues, SyncAction, SyncKind } from './directory-sync.schema';
import { diffEntity, type LocalSide, type RemoteSide } from './three-way-diff';

export const departmentFields = ['parentId', 'name', 'nameEn', 'order', 'leaderUserids'] as const satisfies readonly (keyof DepartmentValues)[];
export const memberFields = [
  'name',
  'alias',
  'mobile',
  'email',
  'position',
  'gender',
  'telephone',
  'status',
  'mainDepartmentId',
  'departments',
] as const satisfies readonly (keyof MemberValues)[];

/** WeCom's department API takes no leaders (facts §5.2): leaders come from WeCom only. */
const pullOnlyDepartmentFields = new Set(['leaderUserids']);

export interface PlannedItem {
  phase: number;
  seq: number;
  kind: SyncKind;
  key: string;
  label: string;
  action: SyncAction;
  fields: FieldChange[];
  unavailableFields: string[];
  local: Record<string, unknown> | null;
  remote: Record<string, unknown> | null;
  base: Record<string, unknown> | null;
  departmentIds: number[];
}

export interface LocalDirectory {
  departments: (LocalSide<DepartmentValues> & { id: number })[];
  members: (LocalSide<MemberValues> & { userid: string })[];
}

export interface RemoteInput {
  departments: DepartmentValues[];
  members: RemoteSide<MemberValues>[];
}

const ROOT_DEPARTMENT_ID = 1;

/** Application phases: departments (parents first), members, then department deletions (children first). */
const PHASE_DEPARTMENTS = 0;
const PHASE_MEMBERS = 1;
const PHASE_DEPARTMENT_DELETIONS = 2;

function depthsOf(parents: ReadonlyMap<number, number>): (id: number) => number {
  const cache = new Map<number, number>();
  const depth = (id: number): number => {
    const known = cache.get(id);
    if (known !== undefined) return known;
    let level = 0;
    const seen = new Set<number>();
    for (let current: number | undefined = id; current !== undefined && current !== 0 && !seen.has(current); current = parents.get(current)) {
      seen.add(current);
      level++;
    }
    cache.set(id, level);
    return level;
  };
  return depth;
}

/** Departments below (and including) the roots, over the union of both trees. */
export function subtreeOf(parents: ReadonlyMap<number, number>, roots: readonly number[]): Set<number> {
  const children = new Map<number, number[]>();
  for (const [id, parent] of parents) children.set(parent, [...(children.get(parent) ?? []), id]);
  const out = new Set<number>();
  const queue = roots.filter((r) => parents.has(r) || r === 1);
  while (queue.length) {
    const next = queue.pop() as number;
    if (out.has(next)) continue;
    out.add(next);
    queue.push(...(children.get(next) ?? []));
  }
  return out;
}

const isDeletion = (action: SyncAction, local: unknown) => action === 'push-delete' || action === 'pull-delete' || (action === 'conflict' && local === null);

/**
 * The whole comparison: every department and member three ways, as items in
 * application order. `scopeRoots` (a dept_admin's subtrees) keeps only what
 * lies inside them, judged over Qiao's and WeCom's trees together.
 */
export function planDirectoryDiff(local: LocalDirectory, remote: RemoteInput, scopeRoots: readonly number[] | null): PlannedItem[] {
  const parents = new Map<number, number>();
  for (const d of remote.departments) parents.set(d.id, d.parentId);
  for (const d of local.departments) if (d.values) parents.set(d.id, d.values.parentId);
  else if (!parents.has(d.id) && d.snapshot) parents.set(d.id, d.snapshot.parentId);
  const depth = depthsOf(parents);
  const allowed = scopeRoots ? subtreeOf(parents, scopeRoots) : null;
  const inScope = (ids: readonly number[]) => !allowed || ids.some((id) => allowed.has(id));

  const items: PlannedItem[] = [];
  const localDepartments = new Map(local.departments.map((d) => [d.id, d]));
  const remoteDepartments = new Map(remote.departments.map((d) => [d.id, d]));
  for (const id of new Set([...localDepartments.keys(), ...remoteDepartments.keys()])) {
    if (!inScope([id])) continue;
    let l = localDepartments.get(id) ?? null;
    // Qiao creates its root by itself; until the first sync that root agrees with nothing, so WeCom's root wins.
    if (id === ROOT_DEPARTMENT_ID && l?.values && !l.snapshot) l = { ...l, snapshot: l.values };
    const r = remoteDepartments.get(id);
    for (const entry of diffEntity<DepartmentValues>(departmentFields, l, r ? { values: r, unavailable: [] } : null)) {
      if (entry.action === 'push-update') {
        entry.fields = entry.fields.filter((f) => !pullOnlyDepartmentFields.has(f.field));
        if (entry.fields.length === 0) continue;
      }
      const deletion = isDeletion(entry.action, entry.local);
      items.push({
        phase: deletion ? PHASE_DEPARTMENT_DELETIONS : PHASE_DEPARTMENTS,
        seq: deletion ? -depth(id) : depth(id),
        kind: 'department',
        key: String(id),
        label: (entry.local ?? entry.remote ?? entry.base)?.name ?? String(id),
        action: entry.action,
        fields: entry.fields,
        unavailableFields: entry.unavailableFields,
        local: entry.local,
        remote: entry.remote,
        base: entry.base,
        departmentIds: [id],
      });
    }
  }

  const localMembers = new Map(local.members.map((m) => [m.userid.toLowerCase(), m]));
  const remoteMembers = new Map(remote.members.map((m) => [m.values.userid.toLowerCase(), m]));
  for (const key of new Set([...localMembers.keys(), ...remoteMembers.keys()])) {
    const l = localMembers.get(key) ?? null;
    const r = remoteMembers.get(key) ?? null;
    const departmentIds = [
      ...new Set([l?.values, l?.snapshot, r?.values].flatMap((v) => (v ? v.departments.map((d) => d.departmentId) : []))),
    ];
    if (!inScope(departmentIds)) continue;
    for (const entry of diffEntity<MemberValues>(memberFields, l, r)) {
      const shown = entry.local ?? entry.remote ?? entry.base;
      items.push({
        phase: PHASE_MEMBERS,
        seq: 0,
        kind: 'member',
        key: shown?.userid ?? l?.userid ?? key,
        label: shown?.name ?? key,
        action: entry.action,
        fields: entry.fields,
        unavailableFields: entry.unavailableFields,
        local: entry.local,
        remote: entry.remote,
        base: entry.base,
        departmentIds,
      });
    }
  }

  items.sort((a, b) => a.phase - b.phase || a.seq - b.seq || a.key.localeCompare(b.key));
  items.forEach((item, i) => (item.seq = i + 1));
  return items;
}
