export {
  dedupeKey,
  dedupeKeyOf,
  parseCallbackEvent,
  readCallbackEvent,
  type CallbackEvent,
  type CallbackEventType,
  type CallbackProduct,
  type OfficialAccountEvent,
  type UnknownCallbackEvent,
  type WeComEvent,
} from './events';
export { officialAccountEvents, officialAccountMessages } from './official-account-events';
export { weComEvents, weComMessages } from './wecom-events';
export {
  NEWS_REPLY_MAX_ARTICLES,
  NO_REPLY,
  TEXT_REPLY_MAX_BYTES,
  buildOfficialAccountReply,
  buildWeComReply,
  officialAccountReplySchema,
  weComReplySchema,
  type OfficialAccountReply,
  type ReplyTarget,
  type WeComReply,
} from './replies';
export { eventSamples } from './event-samples';
