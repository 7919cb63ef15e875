import { describe, expect, it } from 'vitest';
import { diffEntity, outcomeOf, sameValue } from './three-way-diff';

interface Person {
  name: string;
  mobile: string | null;
  position: string | null;
  departments: number[];
}
const fields = ['name', 'mobile', 'position', 'departments'] as const;
const base: Person = { name: '王伟', mobile: '13800000001', position: '店长', departments: [2, 3] };

describe('three-way diff', () => {
  it('pulls an entity only WeCom has', () => {
    const [entry] = diffEntity<Person>(fields, null, { values: base, unavailable: [] });
    expect(entry?.action).toBe('pull-create');
    expect(entry?.fields.map((f) => f.field)).toEqual(['name', 'mobile', 'position', 'departments']);
  });

  it('pushes an entity created in Qiao and never pushed', () => {
    expect(diffEntity<Person>(fields, { values: base, snapshot: null }, null).map((e) => e.action)).toEqual(['push-create']);
  });

  it('finds nothing when all three agree, whatever the order of list values', () => {
    const remote = { ...base, departments: [3, 2] };
    expect(diffEntity<Person>(fields, { values: base, snapshot: base }, { values: remote, unavailable: [] })).toEqual([]);
  });

  it('pulls a field changed only in WeCom and pushes one changed only in Qiao', () => {
    const local = { ...base, position: '区域经理' };
    const remote = { ...base, name: '王伟伟' };
    const entries = diffEntity<Person>(fields, { values: local, snapshot: base }, { values: remote, unavailable: [] });
    expect(entries.map((e) => [e.action, e.fields.map((f) => f.field)])).toEqual([
      ['pull-update', ['name']],
      ['push-update', ['position']],
    ]);
  });

  it('reports a field changed differently on both sides as a conflict with all three values', () => {
    const entries = diffEntity<Person>(fields, { values: { ...base, position: 'A' }, snapshot: base }, { values: { ...base, position: 'B' }, unavailable: [] });
    expect(entries).toHaveLength(1);
    expect(entries[0]?.action).toBe('conflict');
    expect(entries[0]?.fields).toEqual([{ field: 'position', qiao: 'A', wecom: 'B', base: '店长', conflict: true }]);
  });

  it('does not call the same change made on both sides a conflict', () => {
    const same = { ...base, position: 'A' };
    expect(diffEntity<Person>(fields, { values: same, snapshot: base }, { values: same, unavailable: [] })).toEqual([]);
  });

  it('treats a field WeCom did not return as unavailable, not as cleared', () => {
    const remote = { ...base, mobile: null };
    const entries = diffEntity<Person>(fields, { values: base, snapshot: base }, { values: remote, unavailable: ['mobile'] });
    expect(entries).toEqual([]);
    const [created] = diffEntity<Person>(fields, null, { values: remote, unavailable: ['mobile'] });
    expect(created?.unavailableFields).toEqual(['mobile']);
    expect(created?.fields.map((f) => f.field)).not.toContain('mobile');
  });

  it('still pushes a restricted field Qiao changed', () => {
    const local = { ...base, mobile: '13900000000' };
    const entries = diffEntity<Person>(fields, { values: local, snapshot: base }, { values: { ...base, mobile: null }, unavailable: ['mobile'] });
    expect(entries.map((e) => [e.action, e.fields.map((f) => f.field)])).toEqual([['push-update', ['mobile']]]);
  });

  it('follows a deletion in WeCom unless Qiao changed the entity since', () => {
    expect(diffEntity<Person>(fields, { values: base, snapshot: base }, null).map((e) => e.action)).toEqual(['pull-delete']);
    expect(diffEntity<Person>(fields, { values: { ...base, name: 'x' }, snapshot: base }, null).map((e) => e.action)).toEqual(['conflict']);
  });

  it('pushes a deletion made in Qiao unless WeCom changed the entity since', () => {
    expect(diffEntity<Person>(fields, { values: null, snapshot: base }, { values: base, unavailable: [] }).map((e) => e.action)).toEqual(['push-delete']);
    expect(diffEntity<Person>(fields, { values: null, snapshot: base }, { values: { ...base, name: 'y' }, unavailable: [] }).map((e) => e.action)).toEqual(['conflict']);
  });

  it('calls an entity created on both sides with different values a conflict', () => {
    const entries = diffEntity<Person>(fields, { values: base, snapshot: null }, { values: { ...base, name: 'z' }, unavailable: [] });
    expect(entries.map((e) => e.action)).toEqual(['conflict']);
  });

  it('compares nested values structurally', () => {
    expect(sameValue([{ a: 1, b: 2 }], [{ b: 2, a: 1 }])).toBe(true);
    expect(sameValue(null, undefined)).toBe(false);
  });
});

describe('outcome of applying an item', () => {
  it('a pull-update changes only the pulled fields in Qiao and in the snapshot', () => {
    const local = { ...base, position: 'local' };
    const remote = { ...base, name: 'remote' };
    const [pull, push] = diffEntity<Person>(fields, { values: local, snapshot: base }, { values: remote, unavailable: [] });
    const pulled = outcomeOf(pull!, null);
    expect(pulled.local).toEqual({ ...base, name: 'remote', position: 'local' });
    expect(pulled.snapshot).toEqual({ ...base, name: 'remote' });
    const pushed = outcomeOf(push!, null);
    expect(pushed.remote).toEqual({ op: 'update', values: local, fields: ['position'] });
    expect(pushed.snapshot).toEqual({ ...base, position: 'local' });
  });

  it('a conflict needs a choice and each choice makes one whole side win', () => {
    const [conflict] = diffEntity<Person>(fields, { values: { ...base, position: 'A' }, snapshot: base }, { values: { ...base, position: 'B' }, unavailable: ['mobile'] });
    expect(() => outcomeOf(conflict!, null)).toThrow();
    expect(outcomeOf(conflict!, 'take-wecom').local).toEqual({ ...base, position: 'B' });
    expect(outcomeOf(conflict!, 'keep-qiao').remote).toEqual({ op: 'update', values: { ...base, position: 'A' }, fields: ['position'] });
  });

  it('resolving "changed in Qiao, deleted in WeCom" by keeping Qiao recreates the entity in WeCom', () => {
    const [conflict] = diffEntity<Person>(fields, { values: { ...base, name: 'kept' }, snapshot: base }, null);
    expect(outcomeOf(conflict!, 'keep-qiao').remote).toEqual({ op: 'create', values: { ...base, name: 'kept' } });
    expect(outcomeOf(conflict!, 'take-wecom').local).toBeNull();
  });
});
