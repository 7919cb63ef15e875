import { describe, expect, it } from 'vitest';
import type { Principal } from '../../../platform/http/principal';
import { departmentTreeFromParents, flatDepartmentTree, type MemberDepartments } from './department-tree';
import {
  intersectScopes,
  lowerRole,
  managesUser,
  mayActOnDepartment,
  mayActOnMemberRecord,
  mayGrantRole,
  mayTieWecomMembers,
  reachOf,
  scopeWithin,
  scopesCover,
} from './policy';

// 1 公司 ─┬─ 2 华东区 ─┬─ 3 上海店 ── 6 销售组
//         │            └─ 5 杭州店
//         └─ 4 市场部
// corp-b: 1 ── 2
const tree = departmentTreeFromParents({
  'corp-a': { 1: 0, 2: 1, 3: 2, 4: 1, 5: 2, 6: 3 },
  'corp-b': { 1: 0, 2: 1 },
});
const a = (departmentId: number) => ({ accountId: 'corp-a', departmentId });
const b = (departmentId: number) => ({ accountId: 'corp-b', departmentId });

type Actor = Pick<Principal, 'role' | 'departmentScopes' | 'wecomMembers'>;
const superAdmin: Actor = { role: 'super_admin', departmentScopes: [], wecomMembers: [] };
const eastAdmin: Actor = { role: 'dept_admin', departmentScopes: [a(2)], wecomMembers: [] };
const shanghaiAdmin: Actor = { role: 'dept_admin', departmentScopes: [a(3)], wecomMembers: [] };
const member: Actor = { role: 'member', departmentScopes: [a(3)], wecomMembers: [{ accountId: 'corp-a', userid: 'zhangsan' }] };

describe('scopesCover', () => {
  it.each([
    { scopes: [a(2)], dept: 2, covered: true, why: 'the subtree root itself' },
    { scopes: [a(2)], dept: 3, covered: true, why: 'a child' },
    { scopes: [a(2)], dept: 6, covered: true, why: 'a grandchild' },
    { scopes: [a(2)], dept: 4, covered: false, why: 'a sibling subtree' },
    { scopes: [a(2)], dept: 1, covered: false, why: 'the parent' },
    { scopes: [a(3), a(4)], dept: 4, covered: true, why: 'the second of several subtrees' },
    { scopes: [], dept: 3, covered: false, why: 'no scope at all' },
  ])('$why → $covered', async ({ scopes, dept, covered }) => {
    expect(await scopesCover(scopes, 'corp-a', dept, tree)).toBe(covered);
  });

  it('never crosses accounts even when department ids coincide', async () => {
    expect(await scopesCover([b(1)], 'corp-a', 3, tree)).toBe(false);
    expect(await scopesCover([a(1)], 'corp-b', 2, tree)).toBe(false);
  });

  it('covers only the exact department when the tree knows no ancestry', async () => {
    expect(await scopesCover([a(2)], 'corp-a', 2, flatDepartmentTree)).toBe(true);
    expect(await scopesCover([a(2)], 'corp-a', 3, flatDepartmentTree)).toBe(false);
  });
});

describe('scopeWithin', () => {
  it.each([
    { inner: [a(3)], outer: [a(2)], within: true },
    { inner: [a(3), a(5)], outer: [a(2)], within: true },
    { inner: [a(3), a(4)], outer: [a(2)], within: false },
    { inner: [a(2)], outer: [a(3)], within: false },
    { inner: [a(2)], outer: [a(2)], within: true },
    { inner: [b(2)], outer: [a(1)], within: false },
    { inner: [], outer: [a(2)], within: true },
  ])('$inner.length subtree(s) inside $outer.length → $within', async ({ inner, outer, within }) => {
    expect(await scopeWithin(inner, outer, tree)).toBe(within);
  });
});

describe('intersectScopes', () => {
  it('keeps only the subtrees still inside the outer reach', async () => {
    expect(await intersectScopes([a(3), a(4), b(2)], [a(2), b(1)], tree)).toEqual([a(3), b(2)]);
  });
});

describe('mayActOnDepartment', () => {
  it('lets a super admin act anywhere, a dept admin in its subtrees, a member nowhere', async () => {
    expect(await mayActOnDepartment(superAdmin, 'corp-b', 2, tree)).toBe(true);
    expect(await mayActOnDepartment(eastAdmin, 'corp-a', 6, tree)).toBe(true);
    expect(await mayActOnDepartment(eastAdmin, 'corp-a', 4, tree)).toBe(false);
    expect(await mayActOnDepartment(member, 'corp-a', 3, tree)).toBe(false);
  });
});

describe('mayActOnMemberRecord', () => {
  const zhangsan = { accountId: 'corp-a', userid: 'zhangsan', departmentIds: [6] };
  const lisi = { accountId: 'corp-a', userid: 'lisi', departmentIds: [4, 5] };

  it('lets a dept admin act on members in any department of its subtrees', async () => {
    expect(await mayActOnMemberRecord(eastAdmin, zhangsan, tree)).toBe(true);
    expect(await mayActOnMemberRecord(eastAdmin, lisi, tree)).toBe(true);
    expect(await mayActOnMemberRecord(shanghaiAdmin, lisi, tree)).toBe(false);
  });

  it('lets a member act only on the WeCom members it is', async () => {
    expect(await mayActOnMemberRecord(member, zhangsan, tree)).toBe(true);
    expect(await mayActOnMemberRecord(member, lisi, tree)).toBe(false);
    expect(await mayActOnMemberRecord(member, { ...zhangsan, accountId: 'corp-b' }, tree)).toBe(false);
  });
});

describe('roles', () => {
  it('lets only super admins grant super_admin and nobody grant above itself', () => {
    expect(mayGrantRole('super_admin', 'super_admin')).toBe(true);
    expect(mayGrantRole('dept_admin', 'super_admin')).toBe(false);
    expect(mayGrantRole('dept_admin', 'dept_admin')).toBe(true);
    expect(mayGrantRole('dept_admin', 'member')).toBe(true);
    expect(mayGrantRole('member', 'dept_admin')).toBe(false);
    expect(mayGrantRole('member', 'member')).toBe(true);
  });

  it('takes the lower of two roles', () => {
    expect(lowerRole('super_admin', 'member')).toBe('member');
    expect(lowerRole('dept_admin', 'super_admin')).toBe('dept_admin');
  });

  it('describes reach for SQL filters', () => {
    expect(reachOf(superAdmin)).toEqual({ kind: 'all' });
    expect(reachOf(eastAdmin)).toEqual({ kind: 'departments', scopes: [a(2)] });
    expect(reachOf(member)).toEqual({ kind: 'own', members: [{ accountId: 'corp-a', userid: 'zhangsan' }] });
  });
});

describe('managesUser', () => {
  it('lets a dept admin manage users placed inside its subtrees only', async () => {
    expect(await managesUser(eastAdmin, { role: 'member', departmentScopes: [a(3)] }, tree)).toBe(true);
    expect(await managesUser(eastAdmin, { role: 'dept_admin', departmentScopes: [a(3), a(5)] }, tree)).toBe(true);
    expect(await managesUser(eastAdmin, { role: 'member', departmentScopes: [a(3), a(4)] }, tree)).toBe(false);
    expect(await managesUser(eastAdmin, { role: 'member', departmentScopes: [] }, tree)).toBe(false);
    expect(await managesUser(eastAdmin, { role: 'super_admin', departmentScopes: [a(3)] }, tree)).toBe(false);
    expect(await managesUser(superAdmin, { role: 'super_admin', departmentScopes: [] }, tree)).toBe(true);
    expect(await managesUser(member, { role: 'member', departmentScopes: [a(3)] }, tree)).toBe(false);
  });
});

describe('mayTieWecomMembers', () => {
  const directory: MemberDepartments = {
    departmentsOf: async (_accountId, userid) => ({ zhangsan: [6], lisi: [4] })[userid] ?? null,
  };

  it('lets a dept admin tie only members of its subtrees, and never unknown ones', async () => {
    expect(await mayTieWecomMembers(eastAdmin, [{ accountId: 'corp-a', userid: 'zhangsan' }], tree, directory)).toBe(true);
    expect(await mayTieWecomMembers(eastAdmin, [{ accountId: 'corp-a', userid: 'lisi' }], tree, directory)).toBe(false);
    expect(await mayTieWecomMembers(eastAdmin, [{ accountId: 'corp-a', userid: 'ghost' }], tree, directory)).toBe(false);
    expect(await mayTieWecomMembers(superAdmin, [{ accountId: 'corp-a', userid: 'ghost' }], tree, directory)).toBe(true);
  });
});
