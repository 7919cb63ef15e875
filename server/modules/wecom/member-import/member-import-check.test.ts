import { describe, expect, it } from 'vitest';
import { checkImportRows, departmentPathIndex, type ExistingMember } from './member-import-check';
import { parseMemberRow } from './member-rows';

const departments = [
  { id: 1, parentId: 0, name: '桥科技' },
  { id: 2, parentId: 1, name: '华东区' },
  { id: 3, parentId: 2, name: '上海店' },
  { id: 4, parentId: 1, name: '市场部' },
];

const lisi: ExistingMember = {
  userid: 'LiSi',
  name: '李四',
  alias: null,
  mobile: '13800000002',
  email: null,
  position: null,
  gender: 'unknown',
  telephone: null,
  status: 'active',
  mainDepartmentId: 4,
  departments: [{ departmentId: 4, order: 0, isLeader: false }],
};

function check(rows: Record<string, string>[], options: { createMissingDepartments?: boolean; reach?: number[] } = {}) {
  const parsed = rows.map((values, i) => parseMemberRow({ row: i + 2, values }));
  return checkImportRows({
    rows: parsed.map((p) => p.parsed),
    sheetProblems: parsed.flatMap((p) => p.problems),
    departments,
    existing: new Map([['lisi', lisi]]),
    contactOwners: [{ userid: lisi.userid, mobile: lisi.mobile, email: lisi.email }],
    createMissingDepartments: options.createMissingDepartments ?? false,
    reaches: options.reach ? (id) => options.reach!.includes(id) : () => true,
    checkMember: () => [],
  });
}

describe('department paths', () => {
  it('names departments from the first level below the root, and the root by its own name', () => {
    const { ids, paths } = departmentPathIndex(departments);
    expect([...ids]).toEqual([['华东区', 2], ['华东区/上海店', 3], ['市场部', 4], ['桥科技', 1]]);
    expect(paths.get(3)).toBe('华东区/上海店');
  });
});

describe('checking import rows', () => {
  it('resolves known paths to ids and tells create, update and unchanged apart (userids ignoring case)', () => {
    const result = check([
      { name: '张三', userid: 'zhangsan', mobile: '13800000001', departments: '华东区/上海店' },
      { name: '李四', userid: 'lisi', departments: '市场部' },
      { name: '李四', userid: 'LISI', departments: '市场部', position: '经理' },
    ]);
    expect(result.good.map((r) => [r.row, r.effect])).toEqual([[2, 'create'], [3, 'unchanged']]);
    expect(result.problems.map((p) => [p.row, p.code])).toEqual([[4, 'MEMBER_IMPORT_DUPLICATE_IN_FILE']]);
    expect(result.good[0]!.input.departments).toEqual([{ departmentId: 3, isMain: true }]);
  });

  it('refuses another member’s mobile and unknown departments unless they are to be created', () => {
    const rows = [{ name: '王五', userid: 'wangwu', mobile: '13800000002', departments: '华南区/广州店' }];
    expect(check(rows).problems.map((p) => [p.column, p.code])).toEqual([
      ['mobile', 'MEMBER_IMPORT_CONTACT_TAKEN'],
      ['departments', 'MEMBER_IMPORT_DEPARTMENT_UNKNOWN'],
    ]);
    const creating = check([{ ...rows[0]!, mobile: '13800000009' }], { createMissingDepartments: true });
    expect(creating.problems).toEqual([]);
    expect(creating.good[0]!.input.departments).toEqual([{ path: ['华南区', '广州店'], isMain: true }]);
  });

  it('keeps a department admin inside its subtrees, also for departments it would create', () => {
    const result = check(
      [
        { name: '张三', userid: 'zhangsan', mobile: '13800000001', departments: '华东区/上海店/新组' },
        { name: '王五', userid: 'wangwu', mobile: '13800000003', departments: '新区' },
        { name: '李四', userid: 'lisi', departments: '华东区' },
      ],
      { createMissingDepartments: true, reach: [2, 3] },
    );
    expect(result.problems.map((p) => [p.row, p.column, p.code])).toEqual([
      [3, 'departments', 'MEMBER_IMPORT_DEPARTMENT_OUT_OF_SCOPE'],
      [4, 'userid', 'MEMBER_IMPORT_MEMBER_OUT_OF_SCOPE'],
      [4, 'departments', 'MEMBER_IMPORT_DEPARTMENT_OUT_OF_SCOPE'],
    ]);
    expect(result.good.map((r) => r.row)).toEqual([2]);
  });
});
