import { accountsErrors } from './accounts';
import { callbacksErrors } from './callbacks';
import { platformErrors } from './platform';
import { sandboxErrors } from './sandbox';
import type { ErrorSpec } from './spec';
import { systemErrors } from './system';
import { wechatErrors } from './wechat';
import { wecomDirectoryErrors } from './wecom-directory';
import { wecomImportErrors } from './wecom-import';
import { wecomSyncErrors } from './wecom-sync';
import { oaProfileErrors } from './oa-profile';
import { oaMenuErrors } from './oa-menu';
import { oaAutoRepliesErrors } from './oa-auto-replies';
import { oaFollowersErrors } from './oa-followers';
import { oaPushesErrors } from './oa-pushes';
import { oaInboxErrors } from './oa-inbox';
import { wecomCustomerTagsErrors } from './wecom-customer-tags';
import { wecomGroupChatsErrors } from './wecom-group-chats';
import { wecomTransfersErrors } from './wecom-transfers';
import { wecomFollowUpsErrors } from './wecom-follow-ups';
import { wecomQuickRepliesErrors } from './wecom-quick-replies';
import { wecomCustomersErrors } from './wecom-customers';
import { wecomContactWaysErrors } from './wecom-contact-ways';

export type { ErrorSpec } from './spec';
export { AppError, isAppError } from './app-error';

/**
 * Every error code Qiao answers with. Each area keeps its own file so that
 * parallel work never edits one list; codes must be unique across files
 * (a test checks it) and each has a zh-CN and en-US message.
 */
export const errorRegistry = {
  ...platformErrors,
  ...systemErrors,
  ...wechatErrors,
  ...accountsErrors,
  ...callbacksErrors,
  ...sandboxErrors,
  ...wecomDirectoryErrors,
  ...wecomImportErrors,
  ...wecomSyncErrors,
  ...oaProfileErrors,
  ...oaMenuErrors,
  ...oaAutoRepliesErrors,
  ...oaFollowersErrors,
  ...oaPushesErrors,
  ...oaInboxErrors,
  ...wecomTransfersErrors,
  ...wecomFollowUpsErrors,
  ...wecomQuickRepliesErrors,
  ...wecomCustomersErrors,
  ...wecomContactWaysErrors,
  ...wecomCustomerTagsErrors,
  ...wecomGroupChatsErrors,
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof errorRegistry;

export const errorSources: Record<string, Record<string, ErrorSpec>> = {
  platform: platformErrors,
  system: systemErrors,
  wechat: wechatErrors,
  accounts: accountsErrors,
  callbacks: callbacksErrors,
  sandbox: sandboxErrors,
  'wecom-directory': wecomDirectoryErrors,
  'wecom-import': wecomImportErrors,
  'wecom-sync': wecomSyncErrors,
  'oa-profile': oaProfileErrors,
  'oa-menu': oaMenuErrors,
  'oa-auto-replies': oaAutoRepliesErrors,
  'oa-followers': oaFollowersErrors,
  'oa-pushes': oaPushesErrors,
  'oa-inbox': oaInboxErrors,
  'wecom-transfers': wecomTransfersErrors,
  'wecom-follow-ups': wecomFollowUpsErrors,
  'wecom-quick-replies': wecomQuickRepliesErrors,
  'wecom-customers': wecomCustomersErrors,
  'wecom-contact-ways': wecomContactWaysErrors,
  'wecom-customer-tags': wecomCustomerTagsErrors,
  'wecom-group-chats': wecomGroupChatsErrors,
};

export type Locale = 'zh-CN' | 'en-US';

/** Fills `{name}` placeholders from details (in English from `nameEn` when given); unknown placeholders stay visible. */
export function renderErrorMessage(code: ErrorCode, locale: Locale, details: Record<string, unknown> = {}): string {
  const spec: ErrorSpec = errorRegistry[code];
  const template = locale === 'en-US' ? spec.en : spec.zh;
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => {
    // `reasonEn` beside `reason`: details may carry their own words in English.
    const value = (locale === 'en-US' ? details[`${key}En`] : undefined) ?? details[key];
    return value === undefined || value === null ? whole : String(value);
  });
}
