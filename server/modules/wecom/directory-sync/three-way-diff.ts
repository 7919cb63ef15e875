import type { FieldChange, SyncAction } from './directory-sync.schema';

/** Qiao's side of one entity: its current values (null once deleted in Qiao) and the values both sides last agreed on. */
export interface LocalSide<V> {
  values: V | null;
  /** null: created in Qiao and never pushed. */
  snapshot: V | null;
}

/** WeCom's side of one entity, with the fields WeCom did not return. */
export interface RemoteSide<V> {
  values: V;
  unavailable: readonly string[];
}

export interface DiffEntry<V> {
  action: SyncAction;
  fields: FieldChange[];
  unavailableFields: string[];
  local: V | null;
  remote: V | null;
  base: V | null;
}

/** Values compared as canonical JSON: member departments and leader lists are sets, not sequences. */
export function sameValue(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}

function canonical(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (Array.isArray(value)) {
    const parts = value.map(canonical);
    return `[${parts.sort().join(',')}]`;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

type Fields<V> = readonly (keyof V & string)[];

function read<V>(values: V | null, field: keyof V & string): unknown {
  return values ? values[field] : null;
}

function change<V>(field: keyof V & string, local: V | null, remote: V | null, base: V | null, unavailable: ReadonlySet<string>, conflict = false): FieldChange {
  return { field, qiao: read(local, field), wecom: unavailable.has(field) ? null : read(remote, field), base: read(base, field), conflict };
}

/**
 * Compares one entity three ways: base (last agreed), Qiao, WeCom. A side
 * "changed" a field when it differs from base; a field WeCom did not return
 * never counts as changed there. Changes to different fields on both sides
 * give a pull and a push; the same field changed differently on both sides is
 * a conflict, which is shown and never resolved here.
 */
export function diffEntity<V>(fields: Fields<V>, local: LocalSide<V> | null, remote: RemoteSide<V> | null): DiffEntry<V>[] {
  const unavailable = new Set(remote?.unavailable ?? []);
  const available = fields.filter((f) => !unavailable.has(f));
  const localValues = local?.values ?? null;
  const base = local?.snapshot ?? null;
  const remoteValues = remote?.values ?? null;
  const entry = (action: SyncAction, changes: FieldChange[]): DiffEntry<V> => ({
    action,
    fields: changes,
    unavailableFields: [...unavailable].filter((f) => (fields as readonly string[]).includes(f)),
    local: localValues,
    remote: remoteValues,
    base,
  });
  const all = (list: Fields<V>, conflict = false) => list.map((f) => change(f, localValues, remoteValues, base, unavailable, conflict));

  if (!local) return remoteValues ? [entry('pull-create', all(available))] : [];

  if (!localValues) {
    // Deleted in Qiao: push the deletion unless WeCom changed what Qiao deleted.
    if (!remoteValues) return [entry('push-delete', [])];
    if (!base) return [entry('conflict', all(available, true))];
    const changedRemotely = available.filter((f) => !sameValue(remoteValues[f], base[f]));
    if (changedRemotely.length > 0) return [entry('conflict', all(changedRemotely, true))];
    return [entry('push-delete', [])];
  }

  if (!remoteValues) {
    if (!base) return [entry('push-create', all(fields))];
    // Gone from WeCom: follow unless Qiao changed it since.
    const changedLocally = fields.filter((f) => !sameValue(localValues[f], base[f]));
    if (changedLocally.length > 0) return [entry('conflict', all(changedLocally, true))];
    return [entry('pull-delete', [])];
  }

  if (!base) {
    const differing = available.filter((f) => !sameValue(localValues[f], remoteValues[f]));
    return differing.length > 0 ? [entry('conflict', all(differing, true))] : [];
  }

  const changedLocally = new Set(fields.filter((f) => !sameValue(localValues[f], base[f])));
  const changedRemotely = new Set(available.filter((f) => !sameValue(remoteValues[f], base[f])));
  const clashing = new Set([...changedLocally].filter((f) => changedRemotely.has(f) && !sameValue(localValues[f], remoteValues[f])));
  if (clashing.size > 0) {
    const differing = fields.filter((f) => clashing.has(f) || ((changedLocally.has(f) || changedRemotely.has(f)) && !sameValue(localValues[f], remoteValues[f])));
    return [entry('conflict', differing.map((f) => change(f, localValues, remoteValues, base, unavailable, clashing.has(f))))];
  }
  const out: DiffEntry<V>[] = [];
  const pull = fields.filter((f) => changedRemotely.has(f) && !changedLocally.has(f) && !sameValue(localValues[f], remoteValues[f]));
  const push = fields.filter((f) => changedLocally.has(f) && (unavailable.has(f) || !sameValue(localValues[f], remoteValues[f])));
  if (pull.length > 0) out.push(entry('pull-update', all(pull)));
  if (push.length > 0) out.push(entry('push-update', all(push)));
  return out;
}

function pick<V>(values: V, fields: readonly string[]): Partial<V> {
  const out: Partial<V> = {};
  for (const f of fields) (out as Record<string, unknown>)[f] = (values as Record<string, unknown>)[f];
  return out;
}

/** What Qiao and the agreed snapshot become when one item is applied; `null` values mean "delete in Qiao". */
export interface Outcome<V> {
  /** What to write into Qiao, or null to delete there, or undefined to leave Qiao as it is. */
  local?: V | null;
  /** What to send to WeCom: create, the changed fields, or delete. */
  remote?: { op: 'create'; values: V } | { op: 'update'; values: V; fields: string[] } | { op: 'delete' };
  /** The new agreed snapshot (written after WeCom accepted the push). */
  snapshot: V | null;
}

/**
 * The effect of applying an item. Updates only touch the fields listed, so a
 * pull and a push of one entity compose in either order; a resolved conflict
 * makes one side's whole version win ("keep Qiao" / "take WeCom").
 */
export function outcomeOf<V>(
  item: { action: SyncAction; fields: readonly FieldChange[]; unavailableFields: readonly string[]; local: V | null; remote: V | null; base: V | null },
  choice: 'keep-qiao' | 'take-wecom' | null,
): Outcome<V> {
  const names = item.fields.map((f) => f.field);
  const { local, remote, base } = item;
  switch (item.action) {
    case 'pull-create':
      return { local: remote, snapshot: remote };
    case 'pull-update': {
      const next = { ...(local as V), ...pick(remote as V, names) };
      return { local: next, snapshot: { ...((base ?? next) as V), ...pick(remote as V, names) } };
    }
    case 'pull-delete':
      return { local: null, snapshot: null };
    case 'push-create':
      return { remote: { op: 'create', values: local as V }, snapshot: local };
    case 'push-update':
      return { remote: { op: 'update', values: local as V, fields: names }, snapshot: { ...((base ?? local) as V), ...pick(local as V, names) } };
    case 'push-delete':
      return remote ? { remote: { op: 'delete' }, snapshot: null } : { snapshot: null };
    case 'conflict':
      if (choice === 'take-wecom') {
        if (!remote) return { local: null, snapshot: null };
        // Fields WeCom did not return keep Qiao's values.
        const next = local ? { ...local, ...pick(remote, Object.keys(remote as object).filter((f) => !item.unavailableFields.includes(f))) } : remote;
        return { local: next, snapshot: next };
      }
      if (choice === 'keep-qiao') {
        if (!local) return remote ? { remote: { op: 'delete' }, snapshot: null } : { snapshot: null };
        if (!remote) return { remote: { op: 'create', values: local }, snapshot: local };
        return { remote: { op: 'update', values: local, fields: names }, snapshot: local };
      }
      throw new Error('A conflict needs a choice');
  }
}
