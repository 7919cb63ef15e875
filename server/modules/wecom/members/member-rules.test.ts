import { describe, expect, it } from 'vitest';
import { checkMember, checkMembers, type MemberRuleContext } from './member-rules';

const context: MemberRuleContext = { departmentIds: new Set([1, 2, 3]), departmentPaths: new Set(['华东区', '华东区/上海店']) };
const valid = { userid: 'zhangsan', name: '张三', mobile: '13800000001', departments: [{ departmentId: 2 }] };
const codes = (input: Parameters<typeof checkMember>[0], ctx: MemberRuleContext = context) => checkMember(input, ctx).map((p) => `${p.field}:${p.code}`);

describe('checkMember', () => {
  it('accepts a member WeCom would accept', () => {
    expect(checkMember(valid, context)).toEqual([]);
    expect(checkMember({ ...valid, userid: 'Li.Si-2@corp_x', mobile: null, email: 'lisi@example.com' }, context)).toEqual([]);
  });

  it.each([
    ['', 'empty'],
    ['_zhangsan', 'starting with a symbol'],
    ['zhang san', 'with a space'],
    ['张三', 'with Chinese characters'],
    ['a'.repeat(65), 'longer than 64 bytes'],
  ])('refuses the userid %j (%s)', (userid) => {
    expect(codes({ ...valid, userid })).toEqual(['userid:WECOM_MEMBER_USERID_FORMAT']);
  });

  it('needs a name of at most 64 characters', () => {
    expect(codes({ ...valid, name: '  ' })).toEqual(['name:WECOM_MEMBER_FIELD_REQUIRED']);
    expect(codes({ ...valid, name: '名'.repeat(64) })).toEqual([]);
    expect(checkMember({ ...valid, name: '名'.repeat(65) }, context)).toEqual([
      { field: 'name', code: 'WECOM_MEMBER_FIELD_LENGTH', details: { field: 'name', max: 64, length: 65 } },
    ]);
  });

  it('needs a mobile or an email, each well-formed', () => {
    expect(codes({ ...valid, mobile: null })).toEqual(['mobile:WECOM_MEMBER_CONTACT_REQUIRED']);
    expect(codes({ ...valid, mobile: null }, { ...context, requireContact: false })).toEqual([]);
    expect(codes({ ...valid, mobile: '12345' })).toEqual(['mobile:WECOM_MEMBER_MOBILE_FORMAT']);
    expect(codes({ ...valid, mobile: '+852 91234567' })).toEqual([]);
    expect(codes({ ...valid, email: 'not-an-email' })).toEqual(['email:WECOM_MEMBER_EMAIL_FORMAT']);
    expect(codes({ ...valid, email: 'a@b.c' })).toEqual(['email:WECOM_MEMBER_EMAIL_FORMAT']);
  });

  it('limits position to 128 characters and telephone to digits, -, + and ,', () => {
    expect(codes({ ...valid, position: '职'.repeat(129) })).toEqual(['position:WECOM_MEMBER_FIELD_LENGTH']);
    expect(codes({ ...valid, telephone: '021-1234567,8' })).toEqual([]);
    expect(codes({ ...valid, telephone: '021 1234567' })).toEqual(['telephone:WECOM_MEMBER_TELEPHONE_FORMAT']);
  });

  it('needs 1 to 100 existing departments, each once, with at most one main', () => {
    expect(codes({ ...valid, departments: [] })).toEqual(['departments:WECOM_MEMBER_DEPARTMENT_COUNT']);
    expect(codes({ ...valid, departments: undefined })).toEqual(['departments:WECOM_MEMBER_DEPARTMENT_COUNT']);
    expect(codes({ ...valid, departments: [{ departmentId: 9 }] })).toEqual(['departments:WECOM_MEMBER_DEPARTMENT_UNKNOWN']);
    expect(codes({ ...valid, departments: [{ departmentId: 2 }, { departmentId: 2 }] })).toEqual(['departments:WECOM_MEMBER_DEPARTMENT_REPEATED']);
    expect(codes({ ...valid, departments: [{ departmentId: 2, isMain: true }, { departmentId: 3, isMain: true }] })).toEqual(['mainDepartment:WECOM_MEMBER_MAIN_DEPARTMENT']);
    const many = Array.from({ length: 101 }, (_, i) => ({ departmentId: i + 1 }));
    expect(codes({ ...valid, departments: many }, { departmentIds: new Set(many.map((d) => d.departmentId)) })).toEqual(['departments:WECOM_MEMBER_DEPARTMENT_COUNT']);
  });

  it('accepts department paths that exist, or any valid path when missing ones will be created', () => {
    expect(codes({ ...valid, departments: [{ path: ['华东区', '上海店'] }] })).toEqual([]);
    expect(codes({ ...valid, departments: [{ path: ['华东区', '杭州店'] }] })).toEqual(['departments:WECOM_MEMBER_DEPARTMENT_UNKNOWN']);
    expect(codes({ ...valid, departments: [{ path: ['华东区', '杭州店'] }] }, { ...context, createMissingDepartments: true })).toEqual([]);
    expect(codes({ ...valid, departments: [{ path: ['华东区', '杭州?店'] }] }, { ...context, createMissingDepartments: true })).toEqual([
      'departments:WECOM_DEPARTMENT_NAME_CHARACTERS',
    ]);
  });

  it('checks an edit merged onto the member’s current values', () => {
    const existing = {
      userid: 'zhangsan',
      name: '张三',
      alias: null,
      mobile: '13800000001',
      email: null,
      position: null,
      gender: 'unknown' as const,
      telephone: null,
      status: 'active' as const,
      mainDepartmentId: 2,
      departments: [{ departmentId: 2, order: 0, isLeader: false }],
    };
    expect(codes({ userid: 'zhangsan', position: '店长' }, { ...context, existing })).toEqual([]);
    expect(codes({ userid: 'zhangsan', mobile: null }, { ...context, existing })).toEqual(['mobile:WECOM_MEMBER_CONTACT_REQUIRED']);
  });
});

describe('checkMembers', () => {
  it('reports userids repeated in one batch, ignoring case, with their index', () => {
    const found = checkMembers([valid, { ...valid, userid: 'ZhangSan', mobile: '13800000002' }], () => context);
    expect(found).toEqual([{ index: 1, userid: 'ZhangSan', problem: { field: 'userid', code: 'WECOM_MEMBER_USERID_REPEATED', details: { userid: 'ZhangSan' } } }]);
  });
});
