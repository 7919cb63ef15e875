import { oaCurrentSelfMenu, oaMenuCreate, oaMenuDelete, oaMenuGet } from './menu';
import { oaCurrentAutoReply, oaCustomerServiceSend } from './messages';
import { oaFollowerInfo, oaFollowerInfoBatch, oaFollowerList, oaTagCreate, oaTagList } from './followers';
import { oaApiDomainIps, oaCallbackIps, oaStableToken, oaToken } from './token';

export * from './followers';
export * from './menu';
export * from './messages';
export * from './token';

/** Every Official Account endpoint Qiao declares (the sandbox serves these). */
export const officialAccountEndpoints = [
  oaToken,
  oaStableToken,
  oaCallbackIps,
  oaApiDomainIps,
  oaMenuCreate,
  oaMenuGet,
  oaMenuDelete,
  oaCurrentSelfMenu,
  oaFollowerList,
  oaFollowerInfo,
  oaFollowerInfoBatch,
  oaTagList,
  oaTagCreate,
  oaCustomerServiceSend,
  oaCurrentAutoReply,
] as const;
