import { describe, expect, it } from 'vitest';
import { findDuplicatesInFile, parseMemberRow, splitDepartmentList, splitDepartmentPath } from './member-rows';

describe('department cells', () => {
  it('splits several departments on ; or the full-width ；, and levels on /', () => {
    expect(splitDepartmentList('华东区/上海店;市场部； 研发部 ')).toEqual(['华东区/上海店', '市场部', '研发部']);
    expect(splitDepartmentPath(' 华东区 / 上海店 ')).toEqual(['华东区', '上海店']);
    expect(splitDepartmentPath('/总部/')).toEqual(['总部']);
    expect(splitDepartmentPath('华东区//上海店')).toBeNull();
  });
});

describe('parsing a member row', () => {
  it('turns a full row into a member input with the main department and leader flags', () => {
    const { parsed, problems } = parseMemberRow({
      row: 7,
      values: {
        name: '张三',
        userid: 'ZhangSan',
        mobile: '13800000001',
        departments: '华东区/上海店;市场部',
        mainDepartment: '市场部',
        isLeader: '是;否',
        gender: '男',
        position: '店长',
      },
    });
    expect(problems).toEqual([]);
    expect(parsed).toEqual({
      row: 7,
      input: {
        userid: 'ZhangSan',
        name: '张三',
        mobile: '13800000001',
        position: '店长',
        gender: 'male',
        departments: [
          { path: ['华东区', '上海店'], isMain: false, isLeader: true },
          { path: ['市场部'], isMain: true, isLeader: false },
        ],
      },
    });
  });

  it('leaves empty optional cells out, so the member keeps its current values', () => {
    const { parsed } = parseMemberRow({ row: 2, values: { name: '李四', userid: 'lisi', departments: '市场部' } });
    expect(parsed.input).toEqual({ userid: 'lisi', name: '李四', departments: [{ path: ['市场部'], isMain: true }] });
  });

  it('reports each sheet-level problem with its row and column', () => {
    const { problems } = parseMemberRow({
      row: 9,
      values: { departments: '华东区//上海店;市场部', mainDepartment: '研发部', isLeader: '是;否;是', gender: '中' },
    });
    expect(problems.map((p) => [p.row, p.column, p.code])).toEqual([
      [9, 'userid', 'MEMBER_IMPORT_REQUIRED'],
      [9, 'name', 'MEMBER_IMPORT_REQUIRED'],
      [9, 'gender', 'MEMBER_IMPORT_INVALID_CHOICE'],
      [9, 'departments', 'MEMBER_IMPORT_DEPARTMENT_PATH_INVALID'],
      [9, 'isLeader', 'MEMBER_IMPORT_LEADER_COUNT_MISMATCH'],
      [9, 'mainDepartment', 'MEMBER_IMPORT_MAIN_DEPARTMENT_NOT_LISTED'],
    ]);
  });
});

describe('duplicates within a file', () => {
  it('finds repeated userids and emails ignoring case, and repeated mobiles, naming the first row', () => {
    const rows = [
      { row: 2, input: { userid: 'Zhang', mobile: '13800000001', email: 'a@example.com' } },
      { row: 3, input: { userid: 'zhang', mobile: '13800000002' } },
      { row: 4, input: { userid: 'li', mobile: '13800000001', email: 'A@Example.com' } },
    ];
    expect(findDuplicatesInFile(rows).map((p) => [p.row, p.column, p.details.otherRow])).toEqual([
      [3, 'userid', 2],
      [4, 'mobile', 2],
      [4, 'email', 2],
    ]);
  });
});
