import { z } from 'zod';

/** Roles of contract.md: everything / given department subtrees / own records. */
export const roles = ['super_admin', 'dept_admin', 'member'] as const;
export const roleSchema = z.enum(roles);
export type Role = (typeof roles)[number];

/**
 * Every permission a route can require. Names are `area.action`; a route
 * declares exactly one, or `public` / `authenticated` for the few that need
 * no grant. The console reads this list too, to hide what a user cannot do.
 */
export const permissions = [
  'users.read',
  'users.write',
  'api_keys.manage',
  'audit.read',
  'audit.verify',
  'jobs.read',
  'jobs.cancel',
  'accounts.read',
  'accounts.write',
  'sandbox.control',
  'wecom.directory.read',
  'wecom.directory.write',
  'wecom.directory.export',
  'wecom.customers.read',
  'wecom.customers.write',
  'wecom.customers.export',
  /** See customers' remark phone numbers unmasked (others get 138****1234); super_admin only by default. */
  'wecom.customers.phones',
  /** Hand customers over (在职/离职继承) and set assignment rules; members never may. */
  'wecom.customers.assign',
  /**
   * Change what applies to the whole corp's customer contact: the tag library
   * and auto-tag rules, the default welcome message, join codes, quick-reply
   * groups and replies, and syncs from WeCom. Members never may; `write`
   * covers only their own customers and codes.
   */
  'wecom.customers.manage',
  'official_account.read',
  'official_account.write',
  'messages.read',
] as const;
export const permissionSchema = z.enum(permissions);
export type Permission = (typeof permissions)[number];

/** What a route may declare instead of a permission. */
export type RouteAccess = Permission | 'public' | 'authenticated';

const everything: readonly Permission[] = permissions;

/**
 * Role grants. A dept_admin's grants apply only inside its department scopes;
 * a member's only to its own WeCom members' records. Those narrowings are
 * applied by the policy module on each resource, not here.
 */
export const rolePermissions: Record<Role, readonly Permission[]> = {
  super_admin: everything,
  dept_admin: [
    'users.read',
    'users.write',
    'api_keys.manage',
    'audit.read',
    'jobs.read',
    'jobs.cancel',
    'accounts.read',
    'wecom.directory.read',
    'wecom.directory.write',
    'wecom.directory.export',
    'wecom.customers.read',
    'wecom.customers.write',
    'wecom.customers.export',
    'wecom.customers.assign',
    'wecom.customers.manage',
    'messages.read',
  ],
  member: ['api_keys.manage', 'jobs.read', 'accounts.read', 'wecom.directory.read', 'wecom.customers.read', 'wecom.customers.write'],
};

/** Higher ranks may grant lower ones; equal ranks only within their own scope. */
export const roleRank: Record<Role, number> = { super_admin: 3, dept_admin: 2, member: 1 };

export function roleHasPermission(role: Role, permission: Permission): boolean {
  return rolePermissions[role].includes(permission);
}
