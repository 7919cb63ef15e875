import { describe, expect, it } from 'vitest';
import { checkDepartment, checkDepartmentName, depthOf, nextDepartmentId, type DepartmentNode } from './department-rules';

// 1 公司 ─┬─ 2 华东区 ── 3 上海店 ── 6 销售组
//         └─ 4 市场部
const tree = new Map<number, DepartmentNode>(
  [
    { id: 1, parentId: 0, name: '公司' },
    { id: 2, parentId: 1, name: '华东区' },
    { id: 3, parentId: 2, name: '上海店' },
    { id: 4, parentId: 1, name: '市场部' },
    { id: 6, parentId: 3, name: '销售组' },
  ].map((d) => [d.id, d]),
);
const codes = (...args: Parameters<typeof checkDepartment>) => checkDepartment(...args).map((p) => p.code);

describe('checkDepartmentName', () => {
  it('counts characters, not bytes, up to 64', () => {
    expect(checkDepartmentName('name', '部'.repeat(64))).toBeNull();
    expect(checkDepartmentName('name', '部'.repeat(65))).toMatchObject({ code: 'WECOM_DEPARTMENT_NAME_LENGTH', details: { length: 65 } });
    expect(checkDepartmentName('name', '  ')).toMatchObject({ code: 'WECOM_DEPARTMENT_NAME_LENGTH' });
  });

  it.each(['\\', ':', '*', '?', '"', '<', '>', '|'])('refuses %s', (character) => {
    expect(checkDepartmentName('name', `销售${character}部`)).toMatchObject({ code: 'WECOM_DEPARTMENT_NAME_CHARACTERS', details: { character } });
  });
});

describe('checkDepartment', () => {
  it('accepts a new department under an existing parent', () => {
    expect(checkDepartment({ parentId: 2, name: '杭州店' }, { departments: tree })).toEqual([]);
  });

  it('refuses ids outside 2..2^31-1, taken ids, missing parents and sibling twins', () => {
    expect(codes({ id: 1, parentId: 1, name: 'x' }, { departments: tree })).toEqual(['WECOM_DEPARTMENT_ID_RANGE']);
    expect(codes({ id: 2 ** 31, parentId: 1, name: 'x' }, { departments: tree })).toEqual(['WECOM_DEPARTMENT_ID_RANGE']);
    expect(codes({ id: 3, parentId: 1, name: 'x' }, { departments: tree })).toEqual(['WECOM_DEPARTMENT_ID_TAKEN']);
    expect(codes({ parentId: 9, name: 'x' }, { departments: tree })).toEqual(['WECOM_DEPARTMENT_PARENT_NOT_FOUND']);
    expect(codes({ parentId: 1, name: '市场部' }, { departments: tree })).toEqual(['WECOM_DEPARTMENT_NAME_TAKEN']);
  });

  it('refuses a move under the department itself or its descendants', () => {
    expect(codes({ parentId: 6 }, { departments: tree, existing: tree.get(2) })).toEqual(['WECOM_DEPARTMENT_CYCLE']);
    expect(codes({ parentId: 2 }, { departments: tree, existing: tree.get(2) })).toEqual(['WECOM_DEPARTMENT_CYCLE']);
    expect(codes({ parentId: 4 }, { departments: tree, existing: tree.get(3) })).toEqual([]);
  });

  it('counts the moved subtree’s height against the 15-level limit', () => {
    const deep = new Map(tree);
    let parent = 4;
    for (let id = 100; id < 112; id++) {
      deep.set(id, { id, parentId: parent, name: `L${id}` });
      parent = id;
    }
    expect(depthOf(deep, parent)).toBe(14);
    expect(codes({ parentId: parent, name: '叶子' }, { departments: deep })).toEqual([]);
    // 上海店 carries 销售组 below it: 14 + 2 levels.
    expect(codes({ parentId: parent }, { departments: deep, existing: deep.get(3) })).toEqual(['WECOM_DEPARTMENT_TOO_DEEP']);
  });

  it('never moves the root', () => {
    expect(codes({ parentId: 2 }, { departments: tree, existing: tree.get(1) })).toEqual(['WECOM_DEPARTMENT_ROOT_FIXED']);
  });
});

describe('nextDepartmentId', () => {
  it('takes one above the highest id, or the lowest gap once the range is used up', () => {
    expect(nextDepartmentId([1])).toBe(2);
    expect(nextDepartmentId([1, 2, 40])).toBe(41);
    expect(nextDepartmentId([1, 2, 2_147_483_647])).toBe(3);
  });
});
