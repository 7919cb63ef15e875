import enAccount from './en-US/account.json';
import enAccounts from './en-US/accounts.json';
import enApiCalls from './en-US/api-calls.json';
import enApiKeys from './en-US/api-keys.json';
import enAudit from './en-US/audit.json';
import enAuth from './en-US/auth.json';
import enCommon from './en-US/common.json';
import enHome from './en-US/home.json';
import enJobs from './en-US/jobs.json';
import enMessages from './en-US/messages.json';
import enRoles from './en-US/roles.json';
import enSandbox from './en-US/sandbox.json';
import enUsers from './en-US/users.json';
import zhAccount from './zh-CN/account.json';
import zhAccounts from './zh-CN/accounts.json';
import zhApiCalls from './zh-CN/api-calls.json';
import zhApiKeys from './zh-CN/api-keys.json';
import zhAudit from './zh-CN/audit.json';
import zhAuth from './zh-CN/auth.json';
import zhCommon from './zh-CN/common.json';
import zhHome from './zh-CN/home.json';
import zhJobs from './zh-CN/jobs.json';
import zhMessages from './zh-CN/messages.json';
import zhRoles from './zh-CN/roles.json';
import zhSandbox from './zh-CN/sandbox.json';
import zhUsers from './zh-CN/users.json';
import enWecomDirectory from './en-US/wecom-directory.json';
import zhWecomDirectory from './zh-CN/wecom-directory.json';
import enWecomImport from './en-US/wecom-import.json';
import zhWecomImport from './zh-CN/wecom-import.json';
import enWecomSync from './en-US/wecom-sync.json';
import zhWecomSync from './zh-CN/wecom-sync.json';
import enWecomCustomerTags from './en-US/wecom-customer-tags.json';
import zhWecomCustomerTags from './zh-CN/wecom-customer-tags.json';
import enWecomGroupChats from './en-US/wecom-group-chats.json';
import zhWecomGroupChats from './zh-CN/wecom-group-chats.json';
import enWecomTransfers from './en-US/wecom-transfers.json';
import zhWecomTransfers from './zh-CN/wecom-transfers.json';
import enWecomCustomers from './en-US/wecom-customers.json';
import zhWecomCustomers from './zh-CN/wecom-customers.json';
import enWecomFollowUps from './en-US/wecom-follow-ups.json';
import zhWecomFollowUps from './zh-CN/wecom-follow-ups.json';
import enWecomQuickReplies from './en-US/wecom-quick-replies.json';
import zhWecomQuickReplies from './zh-CN/wecom-quick-replies.json';
import enWecomContactWays from './en-US/wecom-contact-ways.json';
import zhWecomContactWays from './zh-CN/wecom-contact-ways.json';
import enOaProfile from './en-US/oa-profile.json';
import zhOaProfile from './zh-CN/oa-profile.json';
import enOaMenu from './en-US/oa-menu.json';
import zhOaMenu from './zh-CN/oa-menu.json';
import enOaAutoReplies from './en-US/oa-auto-replies.json';
import zhOaAutoReplies from './zh-CN/oa-auto-replies.json';
import enOaFollowers from './en-US/oa-followers.json';
import zhOaFollowers from './zh-CN/oa-followers.json';
import enOaPushes from './en-US/oa-pushes.json';
import zhOaPushes from './zh-CN/oa-pushes.json';
import enOaInbox from './en-US/oa-inbox.json';
import zhOaInbox from './zh-CN/oa-inbox.json';

export const uiLanguages = ['zh-CN', 'en-US'] as const;
export type UiLanguage = (typeof uiLanguages)[number];

/** One namespace per feature, named like its JSON file. */
export const resources = {
  'zh-CN': {
    common: zhCommon,
    auth: zhAuth,
    home: zhHome,
    users: zhUsers,
    roles: zhRoles,
    apiKeys: zhApiKeys,
    audit: zhAudit,
    account: zhAccount,
    jobs: zhJobs,
    accounts: zhAccounts,
    apiCalls: zhApiCalls,
    messages: zhMessages,
    sandbox: zhSandbox,
    wecomDirectory: zhWecomDirectory,
    wecomImport: zhWecomImport,
    wecomSync: zhWecomSync,
    wecomCustomerTags: zhWecomCustomerTags,
    wecomGroupChats: zhWecomGroupChats,
    wecomTransfers: zhWecomTransfers,
    wecomCustomers: zhWecomCustomers,
    wecomFollowUps: zhWecomFollowUps,
    wecomQuickReplies: zhWecomQuickReplies,
    wecomContactWays: zhWecomContactWays,
    oaProfile: zhOaProfile,
    oaMenu: zhOaMenu,
    oaAutoReplies: zhOaAutoReplies,
    oaFollowers: zhOaFollowers,
    oaPushes: zhOaPushes,
    oaInbox: zhOaInbox,
  },
  'en-US': {
    common: enCommon,
    auth: enAuth,
    home: enHome,
    users: enUsers,
    roles: enRoles,
    apiKeys: enApiKeys,
    audit: enAudit,
    account: enAccount,
    jobs: enJobs,
    accounts: enAccounts,
    apiCalls: enApiCalls,
    messages: enMessages,
    sandbox: enSandbox,
    wecomDirectory: enWecomDirectory,
    wecomImport: enWecomImport,
    wecomSync: enWecomSync,
    wecomCustomerTags: enWecomCustomerTags,
    wecomGroupChats: enWecomGroupChats,
    wecomTransfers: enWecomTransfers,
    wecomCustomers: enWecomCustomers,
    wecomFollowUps: enWecomFollowUps,
    wecomQuickReplies: enWecomQuickReplies,
    wecomContactWays: enWecomContactWays,
    oaProfile: enOaProfile,
    oaMenu: enOaMenu,
    oaAutoReplies: enOaAutoReplies,
    oaFollowers: enOaFollowers,
    oaPushes: enOaPushes,
    oaInbox: enOaInbox,
  },
} as const;

export const namespaces = Object.keys(resources['zh-CN']) as (keyof (typeof resources)['zh-CN'])[];
