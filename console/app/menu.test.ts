import { describe, expect, it } from 'vitest';
import { rolePermissions } from '../../common/permissions';
import { safeNext } from '../features/auth/login-page';
import { menuAreas, requiredPermission, selectedPath, visibleAreas } from './menu';

const paths = (permissions: readonly string[]) => visibleAreas(permissions).flatMap((a) => a.pages.map((p) => p.path));

describe('side menu', () => {
  it('shows a super admin every page', () => {
    expect(paths(rolePermissions.super_admin)).toEqual(menuAreas.flatMap((a) => a.pages.map((p) => p.path)));
    expect(paths(rolePermissions.super_admin)).toEqual(expect.arrayContaining([
      '/',
      '/accounts',
      '/accounts/api-calls',
      '/accounts/messages',
      '/system/users',
      '/system/roles',
      '/system/api-keys',
      '/system/audit-log',
      '/system/jobs',
      '/simulator/phone',
      '/simulator/wecom',
      '/simulator/deliveries',
      '/simulator/faults',
    ]));
  });

  it('hides pages a member may not open, and areas left empty', () => {
    expect(paths(rolePermissions.member)).toEqual([
      '/',
      '/wecom/directory',
      '/wecom/customer-overview',
      '/wecom/contact-ways',
      '/wecom/customers',
      '/wecom/customer-tags',
      '/wecom/group-chats',
      '/wecom/follow-ups',
      '/wecom/quick-replies',
      '/accounts', '/accounts/api-calls', '/system/api-keys', '/system/jobs']);
    expect(visibleAreas([]).map((a) => a.key)).toEqual(['home']);
  });

  it('selects the entry of nested pages', () => {
    expect(selectedPath('/system/jobs/abc')).toBe('/system/jobs');
    expect(selectedPath('/system/users')).toBe('/system/users');
    expect(selectedPath('/')).toBe('/');
  });
});

describe('page permissions', () => {
  it('knows what each page needs, nested pages included', () => {
    expect(requiredPermission('/system/users')).toBe('users.read');
    expect(requiredPermission('/system/jobs/abc')).toBe('jobs.read');
    expect(requiredPermission('/')).toBeUndefined();
    expect(requiredPermission('/account')).toBeUndefined();
  });
});

describe('login redirect', () => {
  it('only follows same-site paths', () => {
    expect(safeNext('/system/users?q=li')).toBe('/system/users?q=li');
    expect(safeNext('//evil.example/x')).toBe('/');
    expect(safeNext('https://evil.example')).toBe('/');
    expect(safeNext(null)).toBe('/');
  });
});
