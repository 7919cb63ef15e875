import { ApiOutlined, DashboardOutlined, ExperimentOutlined, SettingOutlined, TeamOutlined, WechatOutlined } from '@ant-design/icons';
import type { ReactNode } from 'react';
import type { Permission } from '../../common/permissions';

export interface MenuPage {
  path: string;
  /** Key in the common namespace. */
  labelKey: string;
  /** Shown only to users holding it; absent means every signed-in user. */
  permission?: Permission;
}

export interface MenuArea {
  key: string;
  labelKey: string;
  icon: ReactNode;
  pages: MenuPage[];
}

/**
 * The side menu, grouped by product area like the server's modules. A page is
 * listed only once it exists; an area with no page the user may open is hidden.
 */
export const menuAreas: MenuArea[] = [
  { key: 'home', labelKey: 'menu.home', icon: <DashboardOutlined />, pages: [{ path: '/', labelKey: 'menu.home' }] },
  {
    key: 'wecom',
    labelKey: 'menu.wecomArea',
    icon: <TeamOutlined />,
    pages: [
      { path: '/wecom/directory', labelKey: 'menu.wecomDirectory', permission: 'wecom.directory.read' },
      { path: '/wecom/directory-sync', labelKey: 'menu.wecomDirectorySync', permission: 'wecom.directory.write' },
      { path: '/wecom/customer-overview', labelKey: 'menu.wecomCustomerOverview', permission: 'wecom.customers.read' },
      { path: '/wecom/contact-ways', labelKey: 'menu.wecomContactWays', permission: 'wecom.customers.read' },
      { path: '/wecom/customers', labelKey: 'menu.wecomCustomers', permission: 'wecom.customers.read' },
      { path: '/wecom/customer-tags', labelKey: 'menu.wecomCustomerTags', permission: 'wecom.customers.read' },
      { path: '/wecom/group-chats', labelKey: 'menu.wecomGroupChats', permission: 'wecom.customers.read' },
      { path: '/wecom/customer-transfers', labelKey: 'menu.wecomCustomerTransfers', permission: 'wecom.customers.assign' },
      { path: '/wecom/assignment-rules', labelKey: 'menu.wecomAssignmentRules', permission: 'wecom.customers.assign' },
      { path: '/wecom/follow-ups', labelKey: 'menu.wecomFollowUps', permission: 'wecom.customers.read' },
      { path: '/wecom/quick-replies', labelKey: 'menu.wecomQuickReplies', permission: 'wecom.customers.read' },
    ],
  },
  {
    key: 'officialAccount',
    labelKey: 'menu.officialAccountArea',
    icon: <WechatOutlined />,
    pages: [
      { path: '/official-account/profile', labelKey: 'menu.oaProfile', permission: 'official_account.read' },
      { path: '/official-account/menu', labelKey: 'menu.oaMenu', permission: 'official_account.read' },
      { path: '/official-account/auto-replies', labelKey: 'menu.oaAutoReplies', permission: 'official_account.read' },
      { path: '/official-account/followers', labelKey: 'menu.oaFollowers', permission: 'official_account.read' },
      { path: '/official-account/tags', labelKey: 'menu.oaTags', permission: 'official_account.read' },
      { path: '/official-account/broadcasts', labelKey: 'menu.oaBroadcasts', permission: 'official_account.read' },
      { path: '/official-account/inbox', labelKey: 'menu.oaInbox', permission: 'official_account.read' },
    ],
  },
  {
    key: 'accounts',
    labelKey: 'menu.accountsArea',
    icon: <ApiOutlined />,
    pages: [
      { path: '/accounts', labelKey: 'menu.accounts', permission: 'accounts.read' },
      { path: '/accounts/api-calls', labelKey: 'menu.apiCalls', permission: 'accounts.read' },
      { path: '/accounts/messages', labelKey: 'menu.messages', permission: 'messages.read' },
    ],
  },
  {
    key: 'system',
    labelKey: 'menu.system',
    icon: <SettingOutlined />,
    pages: [
      { path: '/system/users', labelKey: 'menu.users', permission: 'users.read' },
      { path: '/system/roles', labelKey: 'menu.roles', permission: 'users.read' },
      { path: '/system/api-keys', labelKey: 'menu.apiKeys', permission: 'api_keys.manage' },
      { path: '/system/audit-log', labelKey: 'menu.auditLog', permission: 'audit.read' },
      { path: '/system/jobs', labelKey: 'menu.jobs', permission: 'jobs.read' },
    ],
  },
  {
    // Not under /sandbox: that prefix belongs to the emulator itself (the server serves no console page there).
    key: 'sandbox',
    labelKey: 'menu.sandboxArea',
    icon: <ExperimentOutlined />,
    pages: [
      { path: '/simulator/phone', labelKey: 'menu.sandboxPhone', permission: 'sandbox.control' },
      { path: '/simulator/wecom', labelKey: 'menu.sandboxWecom', permission: 'sandbox.control' },
      { path: '/simulator/deliveries', labelKey: 'menu.sandboxDeliveries', permission: 'sandbox.control' },
      { path: '/simulator/faults', labelKey: 'menu.sandboxFaults', permission: 'sandbox.control' },
    ],
  },
];

export function visibleAreas(permissions: readonly string[]): MenuArea[] {
  return menuAreas
    .map((area) => ({ ...area, pages: area.pages.filter((p) => !p.permission || permissions.includes(p.permission)) }))
    .filter((area) => area.pages.length > 0);
}

/** The menu entry a location belongs to: the longest page path that prefixes it. */
export function selectedPath(pathname: string): string {
  const all = menuAreas.flatMap((a) => a.pages.map((p) => p.path));
  const matches = all.filter((path) => (path === '/' ? pathname === '/' : pathname === path || pathname.startsWith(`${path}/`)));
  return matches.sort((a, b) => b.length - a.length)[0] ?? pathname;
}

/** The permission the page at a location needs, if any; the shell shows 403 instead of a page that would fail. */
export function requiredPermission(pathname: string): Permission | undefined {
  const path = selectedPath(pathname);
  return menuAreas.flatMap((a) => a.pages).find((p) => p.path === path)?.permission;
}
