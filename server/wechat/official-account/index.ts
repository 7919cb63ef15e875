import { oaCurrentSelfMenu, oaMenuCreate, oaMenuDelete, oaMenuGet } from './menu';
import { oaCurrentAutoReply, oaCustomerServiceSend } from './messages';
import { oaFollowerInfo, oaFollowerInfoBatch, oaFollowerList, oaTagCreate, oaTagList } from './followers';
import { oaApiDomainIps, oaCallbackIps, oaStableToken, oaToken } from './token';
import { oaMenuAddConditional, oaMenuDelConditional, oaMenuTryMatch } from './conditional-menu';
import { oaFollowerTagIds, oaFollowerUpdateRemark, oaTagBatchTagging, oaTagBatchUntagging, oaTagDelete, oaTagFollowers, oaTagUpdate } from './follower-tags';
import { oaMassGet, oaMassPreview, oaMassSend, oaMassSendAll } from './mass-send';
import { oaMediaGet, oaMediaUpload, oaQrCodeCreate } from './media-qrcode';
import { oaDraftAdd, oaDraftBatchGet, oaDraftCount, oaDraftDelete, oaDraftGet, oaDraftUpdate, oaPublishBatchGet, oaPublishDelete, oaPublishGet, oaPublishGetArticle, oaPublishSubmit } from './drafts-publish';
import { datacubeEndpoints } from './datacube';

export * from './followers';
export * from './menu';
export * from './messages';
export * from './token';
export * from './conditional-menu';
export * from './follower-tags';
export * from './mass-send';
export * from './media-qrcode';
export * from './drafts-publish';
export * from './datacube';

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
  oaMenuAddConditional,
  oaMenuDelConditional,
  oaMenuTryMatch,
  oaFollowerUpdateRemark,
  oaTagUpdate,
  oaTagDelete,
  oaTagBatchTagging,
  oaTagBatchUntagging,
  oaTagFollowers,
  oaFollowerTagIds,
  oaMassSendAll,
  oaMassSend,
  oaMassGet,
  oaMassPreview,
  oaMediaUpload,
  oaMediaGet,
  oaQrCodeCreate,
  oaDraftAdd,
  oaDraftGet,
  oaDraftDelete,
  oaDraftUpdate,
  oaDraftCount,
  oaDraftBatchGet,
  oaPublishSubmit,
  oaPublishGet,
  oaPublishDelete,
  oaPublishGetArticle,
  oaPublishBatchGet,
  ...datacubeEndpoints,
] as const;
