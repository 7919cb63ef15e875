import { createBrowserRouter } from 'react-router';
import { FullPageSpin } from '../components/full-page-spin';
import { AppLayout } from './app-layout';
import { RequireSession } from './session';

/** Every page loads lazily, so the first screen does not wait for the whole console. */
export const router = createBrowserRouter([
  { path: '/setup', lazy: async () => ({ Component: (await import('../features/auth/setup-page')).SetupPage }) },
  { path: '/login', lazy: async () => ({ Component: (await import('../features/auth/login-page')).LoginPage }) },
  {
    element: <RequireSession />,
    hydrateFallbackElement: <FullPageSpin />,
    children: [
      {
        element: <AppLayout />,
        children: [
          { index: true, lazy: async () => ({ Component: (await import('../features/home/home-page')).HomePage }) },
          { path: 'account', lazy: async () => ({ Component: (await import('../features/account/account-page')).AccountPage }) },
          { path: 'accounts', lazy: async () => ({ Component: (await import('../features/system/accounts/accounts-page')).AccountsPage }) },
          { path: 'accounts/connect', lazy: async () => ({ Component: (await import('../features/system/accounts/connect-page')).ConnectPage }) },
          { path: 'accounts/api-calls', lazy: async () => ({ Component: (await import('../features/system/api-calls/api-calls-page')).ApiCallsPage }) },
          { path: 'accounts/messages', lazy: async () => ({ Component: (await import('../features/system/messages/messages-page')).MessagesPage }) },
          { path: 'official-account/auto-replies', lazy: async () => ({ Component: (await import('../features/official-account/auto-replies/auto-replies-page')).AutoRepliesPage }) },
          { path: 'system/users', lazy: async () => ({ Component: (await import('../features/system/users/users-page')).UsersPage }) },
          { path: 'system/roles', lazy: async () => ({ Component: (await import('../features/system/roles/roles-page')).RolesPage }) },
          { path: 'system/api-keys', lazy: async () => ({ Component: (await import('../features/system/api-keys/api-keys-page')).ApiKeysPage }) },
          { path: 'system/audit-log', lazy: async () => ({ Component: (await import('../features/system/audit/audit-page')).AuditPage }) },
          { path: 'system/jobs', lazy: async () => ({ Component: (await import('../features/system/jobs/jobs-page')).JobsPage }) },
          { path: 'system/jobs/:jobId', lazy: async () => ({ Component: (await import('../features/system/jobs/job-page')).JobPage }) },
          { path: 'wecom/directory', lazy: async () => ({ Component: (await import('../features/wecom/directory/directory-page')).DirectoryPage }) },
          { path: 'wecom/directory/import', lazy: async () => ({ Component: (await import('../features/wecom/member-import/member-import-page')).MemberImportPage }) },
          { path: 'wecom/directory-sync', lazy: async () => ({ Component: (await import('../features/wecom/directory-sync/directory-sync-page')).DirectorySyncPage }) },
          { path: 'wecom/customer-overview', lazy: async () => ({ Component: (await import('../features/wecom/customer-overview/customer-overview-page')).CustomerOverviewPage }) },
          { path: 'wecom/contact-ways', lazy: async () => ({ Component: (await import('../features/wecom/contact-ways/contact-ways-page')).ContactWaysPage }) },
          { path: 'wecom/customers', lazy: async () => ({ Component: (await import('../features/wecom/customers/customers-page')).CustomersPage }) },
          { path: 'wecom/customers/:externalUserId', lazy: async () => ({ Component: (await import('../features/wecom/customers/customer-page')).CustomerPage }) },
          { path: 'wecom/customer-tags', lazy: async () => ({ Component: (await import('../features/wecom/customer-tags/customer-tags-page')).CustomerTagsPage }) },
          { path: 'wecom/group-chats', lazy: async () => ({ Component: (await import('../features/wecom/group-chats/group-chats-page')).GroupChatsPage }) },
          { path: 'wecom/customer-transfers', lazy: async () => ({ Component: (await import('../features/wecom/customer-transfers/customer-transfers-page')).CustomerTransfersPage }) },
          { path: 'wecom/assignment-rules', lazy: async () => ({ Component: (await import('../features/wecom/assignment-rules/assignment-rules-page')).AssignmentRulesPage }) },
          { path: 'wecom/follow-ups', lazy: async () => ({ Component: (await import('../features/wecom/follow-ups/follow-ups-page')).FollowUpsPage }) },
          { path: 'wecom/quick-replies', lazy: async () => ({ Component: (await import('../features/wecom/quick-replies/quick-replies-page')).QuickRepliesPage }) },
          { path: 'official-account/profile', lazy: async () => ({ Component: (await import('../features/official-account/profile/profile-page')).ProfilePage }) },
          { path: 'official-account/menu', lazy: async () => ({ Component: (await import('../features/official-account/menus/menu-page')).MenuPage }) },
          { path: 'official-account/followers', lazy: async () => ({ Component: (await import('../features/official-account/followers/followers-page')).FollowersPage }) },
          { path: 'official-account/tags', lazy: async () => ({ Component: (await import('../features/official-account/tags/tags-page')).TagsPage }) },
          { path: 'official-account/broadcasts', lazy: async () => ({ Component: (await import('../features/official-account/broadcasts/broadcasts-page')).BroadcastsPage }) },
          { path: 'official-account/inbox', lazy: async () => ({ Component: (await import('../features/official-account/inbox/inbox-page')).InboxPage }) },
          { path: 'simulator/phone', lazy: async () => ({ Component: (await import('../features/sandbox/phone-page')).PhonePage }) },
          { path: 'simulator/wecom', lazy: async () => ({ Component: (await import('../features/sandbox/wecom-page')).WeComPage }) },
          { path: 'simulator/deliveries', lazy: async () => ({ Component: (await import('../features/sandbox/deliveries-page')).DeliveriesPage }) },
          { path: 'simulator/faults', lazy: async () => ({ Component: (await import('../features/sandbox/faults-page')).FaultsPage }) },
          { path: '*', lazy: async () => ({ Component: (await import('./not-found-page')).NotFoundPage }) },
        ],
      },
    ],
  },
]);
