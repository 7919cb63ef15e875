import type { z } from 'zod';
import { defineEvent, fields, int, list, num, optInt, optNum, optStr, scanCodeInfo, sendLocationInfo, sendPicsInfo, str } from './event-fields';

const P = 'official-account';
const msgId = ['MsgId', str] as const;

const copyrightCheckResult = fields({
  count: ['Count', optInt],
  resultList: [
    'ResultList',
    fields({
      item: [
        'item',
        list(
          fields({
            articleIdx: ['ArticleIdx', optInt],
            userDeclareState: ['UserDeclareState', optInt],
            auditState: ['AuditState', optInt],
            originalArticleUrl: ['OriginalArticleUrl', optStr],
            originalArticleType: ['OriginalArticleType', optInt],
            canReprint: ['CanReprint', optInt],
            needReplaceContent: ['NeedReplaceContent', optInt],
            needShowReprintSource: ['NeedShowReprintSource', optInt],
          }),
        ),
      ],
    }).optional(),
  ],
  checkState: ['CheckState', optInt],
});
const articleUrlResult = fields({
  count: ['Count', optInt],
  resultList: [
    'ResultList',
    fields({ item: ['item', list(fields({ articleIdx: ['ArticleIdx', optInt], articleUrl: ['ArticleUrl', optStr] }))] }).optional(),
  ],
});
const publishEventInfo = fields({
  publishId: ['publish_id', str],
  publishStatus: ['publish_status', int],
  articleId: ['article_id', optStr],
  articleDetail: [
    'article_detail',
    fields({
      count: ['count', optInt],
      item: ['item', list(fields({ idx: ['idx', optInt], articleUrl: ['article_url', optStr] }))],
    }).optional(),
  ],
  failIdx: ['fail_idx', list(int)],
});
const subscribeMsgList = <S extends Parameters<typeof fields>[0]>(spec: S) => fields({ list: ['List', list(fields(spec))] });

/**
 * Official Account messages and events (facts §3.1, §3.2). Messages are typed
 * `official-account.<MsgType>`, events `official-account.<Event>` with WeChat's
 * own spelling: `official-account.location` is a location *message*,
 * `official-account.LOCATION` the periodic location *report*.
 */
export const officialAccountMessages = {
  text: defineEvent(P, 'text', {
    content: ['Content', str],
    msgId,
    msgDataId: ['MsgDataId', optStr],
    idx: ['Idx', optStr],
    businessId: ['BusinessId', optStr],
  }),
  image: defineEvent(P, 'image', { picUrl: ['PicUrl', optStr], mediaId: ['MediaId', str], msgId, msgDataId: ['MsgDataId', optStr], idx: ['Idx', optStr] }),
  voice: defineEvent(P, 'voice', {
    format: ['Format', optStr],
    mediaId: ['MediaId', str],
    mediaId16K: ['MediaId16K', optStr],
    recognition: ['Recognition', optStr],
    msgId,
    msgDataId: ['MsgDataId', optStr],
    idx: ['Idx', optStr],
  }),
  video: defineEvent(P, 'video', { mediaId: ['MediaId', str], thumbMediaId: ['ThumbMediaId', optStr], msgId }),
  shortvideo: defineEvent(P, 'shortvideo', { mediaId: ['MediaId', str], thumbMediaId: ['ThumbMediaId', optStr], msgId }),
  location: defineEvent(P, 'location', {
    locationX: ['Location_X', num],
    locationY: ['Location_Y', num],
    scale: ['Scale', optInt],
    label: ['Label', optStr],
    msgId,
  }),
  link: defineEvent(P, 'link', { title: ['Title', optStr], description: ['Description', optStr], url: ['Url', str], msgId }),
  miniprogrampage: defineEvent(P, 'miniprogrampage', {
    appId: ['AppId', str],
    title: ['Title', optStr],
    pagePath: ['PagePath', optStr],
    thumbUrl: ['ThumbUrl', optStr],
    thumbMediaId: ['ThumbMediaId', optStr],
    msgId: ['MsgId', optStr],
  }),
} as const;

const subscribe = defineEvent(P, 'subscribe', { eventKey: ['EventKey', optStr], ticket: ['Ticket', optStr] }).transform((event) => {
  // A follow through a parametric QR code carries "qrscene_" + the scene value.
  const qrScene: string | undefined = event.eventKey?.startsWith('qrscene_') ? event.eventKey.slice('qrscene_'.length) : undefined;
  return { ...event, qrScene };
});

const menuKey = { eventKey: ['EventKey', optStr] } as const;

/** Official Account events by `Event` (facts §3.2); see `officialAccountMessages` for the naming. */
export const officialAccountEvents = {
  subscribe,
  unsubscribe: defineEvent(P, 'unsubscribe', { eventKey: ['EventKey', optStr] }),
  SCAN: defineEvent(P, 'SCAN', { eventKey: ['EventKey', str], ticket: ['Ticket', optStr] }),
  LOCATION: defineEvent(P, 'LOCATION', { latitude: ['Latitude', num], longitude: ['Longitude', num], precision: ['Precision', optNum] }),
  CLICK: defineEvent(P, 'CLICK', { eventKey: ['EventKey', str] }),
  VIEW: defineEvent(P, 'VIEW', { eventKey: ['EventKey', str], menuId: ['MenuId', optStr] }),
  view_miniprogram: defineEvent(P, 'view_miniprogram', { eventKey: ['EventKey', str], menuId: ['MenuId', optStr] }),
  scancode_push: defineEvent(P, 'scancode_push', { ...menuKey, scanCodeInfo: ['ScanCodeInfo', scanCodeInfo] }),
  scancode_waitmsg: defineEvent(P, 'scancode_waitmsg', { ...menuKey, scanCodeInfo: ['ScanCodeInfo', scanCodeInfo] }),
  pic_sysphoto: defineEvent(P, 'pic_sysphoto', { ...menuKey, sendPicsInfo: ['SendPicsInfo', sendPicsInfo] }),
  pic_photo_or_album: defineEvent(P, 'pic_photo_or_album', { ...menuKey, sendPicsInfo: ['SendPicsInfo', sendPicsInfo] }),
  pic_weixin: defineEvent(P, 'pic_weixin', { ...menuKey, sendPicsInfo: ['SendPicsInfo', sendPicsInfo] }),
  location_select: defineEvent(P, 'location_select', { ...menuKey, sendLocationInfo: ['SendLocationInfo', sendLocationInfo] }),
  MASSSENDJOBFINISH: defineEvent(P, 'MASSSENDJOBFINISH', {
    msgId: ['MsgID', str],
    status: ['Status', str],
    totalCount: ['TotalCount', optInt],
    filterCount: ['FilterCount', optInt],
    sentCount: ['SentCount', optInt],
    errorCount: ['ErrorCount', optInt],
    copyrightCheckResult: ['CopyrightCheckResult', copyrightCheckResult.optional()],
    articleUrlResult: ['ArticleUrlResult', articleUrlResult.optional()],
  }),
  TEMPLATESENDJOBFINISH: defineEvent(P, 'TEMPLATESENDJOBFINISH', { msgId: ['MsgID', str], status: ['Status', str] }),
  PUBLISHJOBFINISH: defineEvent(P, 'PUBLISHJOBFINISH', { publishEventInfo: ['PublishEventInfo', publishEventInfo] }),
  subscribe_msg_popup_event: defineEvent(P, 'subscribe_msg_popup_event', {
    subscribeMsgPopupEvent: [
      'SubscribeMsgPopupEvent',
      subscribeMsgList({ templateId: ['TemplateId', str], subscribeStatus: ['SubscribeStatusString', str], popupScene: ['PopupScene', optInt] }),
    ],
  }),
  subscribe_msg_change_event: defineEvent(P, 'subscribe_msg_change_event', {
    subscribeMsgChangeEvent: ['SubscribeMsgChangeEvent', subscribeMsgList({ templateId: ['TemplateId', str], subscribeStatus: ['SubscribeStatusString', str] })],
  }),
  subscribe_msg_sent_event: defineEvent(P, 'subscribe_msg_sent_event', {
    subscribeMsgSentEvent: [
      'SubscribeMsgSentEvent',
      subscribeMsgList({ templateId: ['TemplateId', str], msgId: ['MsgID', optStr], errorCode: ['ErrorCode', optInt], errorStatus: ['ErrorStatus', optStr] }),
    ],
  }),
  user_authorization_revoke: defineEvent(P, 'user_authorization_revoke', {
    appId: ['AppID', optStr],
    openId: ['OpenID', optStr],
    revokeInfo: ['RevokeInfo', optStr],
  }),
} as const;

type Outputs<T> = { [K in keyof T]: T[K] extends z.ZodType ? z.output<T[K]> : never }[keyof T];
/** A typed Official Account message or event. */
export type KnownOfficialAccountEvent = Outputs<typeof officialAccountMessages> | Outputs<typeof officialAccountEvents>;
