import { z } from 'zod';
import { commaList, defineEvent, fields, int, list, num, optInt, optNum, optStr, scanCodeInfo, sendLocationInfo, sendPicsInfo, str } from './event-fields';

const P = 'wecom';
const agentId = ['AgentID', optStr] as const;
const msgId = ['MsgId', str] as const;

/**
 * WeCom messages and events (facts §3.4, §3.5). Messages are typed
 * `wecom.<MsgType>`, events `wecom.<Event>`, and events with a ChangeType
 * `wecom.<Event>.<ChangeType>` (e.g. `wecom.change_contact.create_user`).
 */
export const weComMessages = {
  text: defineEvent(P, 'text', { agentId, msgId, content: ['Content', str] }),
  image: defineEvent(P, 'image', { agentId, msgId, picUrl: ['PicUrl', optStr], mediaId: ['MediaId', str] }),
  voice: defineEvent(P, 'voice', { agentId, msgId, format: ['Format', optStr], mediaId: ['MediaId', str] }),
  video: defineEvent(P, 'video', { agentId, msgId, mediaId: ['MediaId', str], thumbMediaId: ['ThumbMediaId', optStr] }),
  location: defineEvent(P, 'location', {
    agentId,
    msgId,
    locationX: ['Location_X', num],
    locationY: ['Location_Y', num],
    scale: ['Scale', optInt],
    label: ['Label', optStr],
    appType: ['AppType', optStr],
  }),
  link: defineEvent(P, 'link', {
    agentId,
    msgId,
    title: ['Title', optStr],
    description: ['Description', optStr],
    url: ['Url', str],
    picUrl: ['PicUrl', optStr],
  }),
} as const;

const extAttr = fields({
  item: [
    'Item',
    list(
      fields({
        name: ['Name', optStr],
        type: ['Type', optInt],
        text: ['Text', fields({ value: ['Value', optStr] }).optional()],
        web: ['Web', fields({ title: ['Title', optStr], url: ['Url', optStr] }).optional()],
      }),
    ),
  ],
});

// Apps created after 2022-06-20 may not receive the sensitive fields, so all but the id are optional.
const userFields = {
  userId: ['UserID', str],
  newUserId: ['NewUserID', optStr],
  name: ['Name', optStr],
  department: ['Department', commaList],
  isLeaderInDept: ['IsLeaderInDept', commaList],
  mainDepartment: ['MainDepartment', optStr],
  mobile: ['Mobile', optStr],
  position: ['Position', optStr],
  gender: ['Gender', optInt],
  email: ['Email', optStr],
  bizMail: ['BizMail', optStr],
  status: ['Status', optInt],
  avatar: ['Avatar', optStr],
  alias: ['Alias', optStr],
  telephone: ['Telephone', optStr],
  address: ['Address', optStr],
  extAttr: ['ExtAttr', extAttr.optional()],
} as const;

const partyFields = { id: ['Id', str], name: ['Name', optStr], parentId: ['ParentId', optStr], order: ['Order', optStr] } as const;

// The WeCom documentation spells the option list "OptionIds" in places and "OpitonIds" in others.
const optionIds = z.preprocess(
  (value) => {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
    const record = value as Record<string, unknown>;
    return { ...record, OptionIds: record.OptionIds ?? record.OpitonIds };
  },
  fields({
    questionKey: ['QuestionKey', optStr],
    optionIds: ['OptionIds', z.preprocess((value) => {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
      const record = value as Record<string, unknown>;
      return record.OptionId ?? record.OpitonId;
    }, list(str)).optional()],
  }),
);
const selectedItems = fields({ selectedItem: ['SelectedItem', list(optionIds)] });

const externalContact = { userId: ['UserID', str], externalUserId: ['ExternalUserID', str] } as const;
const externalChat = {
  chatId: ['ChatId', str],
  updateDetail: ['UpdateDetail', optStr],
  joinScene: ['JoinScene', optInt],
  quitScene: ['QuitScene', optInt],
  memChangeCnt: ['MemChangeCnt', optInt],
  memChangeList: ['MemChangeList', fields({ item: ['Item', list(str)] }).optional()],
  lastMemVer: ['LastMemVer', optStr],
  curMemVer: ['CurMemVer', optStr],
} as const;
const externalTag = { id: ['Id', optStr], tagType: ['TagType', optStr], strategyId: ['StrategyId', optStr] } as const;
const templateCard = {
  agentId,
  eventKey: ['EventKey', optStr],
  taskId: ['TaskId', optStr],
  cardType: ['CardType', optStr],
  responseCode: ['ResponseCode', optStr],
} as const;

const approvalInfo = fields({
  spNo: ['SpNo', str],
  spName: ['SpName', optStr],
  spStatus: ['SpStatus', int],
  templateId: ['TemplateId', optStr],
  applyTime: ['ApplyTime', optInt],
  applyer: ['Applyer', fields({ userId: ['UserId', optStr], party: ['Party', optStr] }).optional()],
  spRecord: [
    'SpRecord',
    list(
      fields({
        spStatus: ['SpStatus', optInt],
        approverAttr: ['ApproverAttr', optInt],
        details: [
          'Details',
          list(
            fields({
              approver: ['Approver', fields({ userId: ['UserId', optStr] }).optional()],
              speech: ['Speech', optStr],
              spStatus: ['SpStatus', optInt],
              spTime: ['SpTime', optInt],
              attach: ['Attach', list(str)],
            }),
          ),
        ],
      }),
    ),
  ],
  notifyer: ['Notifyer', list(fields({ userId: ['UserId', optStr] }))],
  comments: [
    'Comments',
    list(
      fields({
        commentUserInfo: ['CommentUserInfo', fields({ userId: ['UserId', optStr] }).optional()],
        commentTime: ['CommentTime', optInt],
        commentContent: ['CommentContent', optStr],
        commentId: ['CommentId', optStr],
        attach: ['Attach', list(str)],
      }),
    ),
  ],
  statuChangeEvent: ['StatuChangeEvent', optInt],
});

const openApprovalItem = fields({
  itemName: ['ItemName', optStr],
  itemUserId: ['ItemUserId', optStr],
  itemParty: ['ItemParty', optStr],
  itemImage: ['ItemImage', optStr],
  itemStatus: ['ItemStatus', optInt],
  itemSpeech: ['ItemSpeech', optStr],
  itemOpTime: ['ItemOpTime', optInt],
});
const openApprovalInfo = fields({
  thirdNo: ['ThirdNo', str],
  openSpName: ['OpenSpName', optStr],
  openTemplateId: ['OpenTemplateId', optStr],
  openSpStatus: ['OpenSpStatus', int],
  applyTime: ['ApplyTime', optInt],
  applyUserName: ['ApplyUserName', optStr],
  applyUserId: ['ApplyUserId', optStr],
  applyUserParty: ['ApplyUserParty', optStr],
  applyUserImage: ['ApplyUserImage', optStr],
  approvalNodes: [
    'ApprovalNodes',
    fields({
      approvalNode: [
        'ApprovalNode',
        list(
          fields({
            nodeStatus: ['NodeStatus', optInt],
            nodeAttr: ['NodeAttr', optInt],
            nodeType: ['NodeType', optInt],
            items: ['Items', fields({ item: ['Item', list(openApprovalItem)] }).optional()],
          }),
        ),
      ],
    }).optional(),
  ],
  notifyNodes: [
    'NotifyNodes',
    fields({
      notifyNode: [
        'NotifyNode',
        // Copies of the documentation spell the notifier's id both "ItemUserId" and "ItemUserid".
        list(
          z.preprocess(
            (value) =>
              value !== null && typeof value === 'object' && !Array.isArray(value) && !('ItemUserId' in value) && 'ItemUserid' in value
                ? { ...value, ItemUserId: (value as Record<string, unknown>).ItemUserid }
                : value,
            fields({ itemName: ['ItemName', optStr], itemUserId: ['ItemUserId', optStr], itemImage: ['ItemImage', optStr] }),
          ),
        ),
      ],
    }).optional(),
  ],
  approverStep: ['approverstep', optInt],
});

/** WeCom events by `Event` or `Event.ChangeType` (facts §3.5). */
export const weComEvents = {
  subscribe: defineEvent(P, 'subscribe', { agentId, eventKey: ['EventKey', optStr] }),
  unsubscribe: defineEvent(P, 'unsubscribe', { agentId, eventKey: ['EventKey', optStr] }),
  enter_agent: defineEvent(P, 'enter_agent', { agentId, eventKey: ['EventKey', optStr] }),
  LOCATION: defineEvent(P, 'LOCATION', {
    agentId,
    latitude: ['Latitude', num],
    longitude: ['Longitude', num],
    precision: ['Precision', optNum],
    appType: ['AppType', optStr],
  }),
  batch_job_result: defineEvent(P, 'batch_job_result', {
    batchJob: [
      'BatchJob',
      fields({ jobId: ['JobId', str], jobType: ['JobType', str], errCode: ['ErrCode', optInt], errMsg: ['ErrMsg', optStr] }),
    ],
  }),
  'change_contact.create_user': defineEvent(P, 'change_contact.create_user', userFields),
  'change_contact.update_user': defineEvent(P, 'change_contact.update_user', userFields),
  'change_contact.delete_user': defineEvent(P, 'change_contact.delete_user', { userId: ['UserID', str] }),
  'change_contact.create_party': defineEvent(P, 'change_contact.create_party', partyFields),
  'change_contact.update_party': defineEvent(P, 'change_contact.update_party', partyFields),
  'change_contact.delete_party': defineEvent(P, 'change_contact.delete_party', { id: ['Id', str] }),
  'change_contact.update_tag': defineEvent(P, 'change_contact.update_tag', {
    tagId: ['TagId', str],
    addUserItems: ['AddUserItems', commaList],
    delUserItems: ['DelUserItems', commaList],
    addPartyItems: ['AddPartyItems', commaList],
    delPartyItems: ['DelPartyItems', commaList],
  }),
  click: defineEvent(P, 'click', { agentId, eventKey: ['EventKey', str] }),
  view: defineEvent(P, 'view', { agentId, eventKey: ['EventKey', str] }),
  scancode_push: defineEvent(P, 'scancode_push', { agentId, eventKey: ['EventKey', optStr], scanCodeInfo: ['ScanCodeInfo', scanCodeInfo] }),
  scancode_waitmsg: defineEvent(P, 'scancode_waitmsg', { agentId, eventKey: ['EventKey', optStr], scanCodeInfo: ['ScanCodeInfo', scanCodeInfo] }),
  pic_sysphoto: defineEvent(P, 'pic_sysphoto', { agentId, eventKey: ['EventKey', optStr], sendPicsInfo: ['SendPicsInfo', sendPicsInfo] }),
  pic_photo_or_album: defineEvent(P, 'pic_photo_or_album', { agentId, eventKey: ['EventKey', optStr], sendPicsInfo: ['SendPicsInfo', sendPicsInfo] }),
  pic_weixin: defineEvent(P, 'pic_weixin', { agentId, eventKey: ['EventKey', optStr], sendPicsInfo: ['SendPicsInfo', sendPicsInfo] }),
  location_select: defineEvent(P, 'location_select', { agentId, eventKey: ['EventKey', optStr], sendLocationInfo: ['SendLocationInfo', sendLocationInfo] }),
  template_card_event: defineEvent(P, 'template_card_event', { ...templateCard, selectedItems: ['SelectedItems', selectedItems.optional()] }),
  template_card_menu_event: defineEvent(P, 'template_card_menu_event', templateCard),
  taskcard_click: defineEvent(P, 'taskcard_click', { agentId, eventKey: ['EventKey', optStr], taskId: ['TaskId', str] }),
  'change_external_contact.add_external_contact': defineEvent(P, 'change_external_contact.add_external_contact', {
    ...externalContact,
    state: ['State', optStr],
    welcomeCode: ['WelcomeCode', optStr],
  }),
  'change_external_contact.add_half_external_contact': defineEvent(P, 'change_external_contact.add_half_external_contact', {
    ...externalContact,
    state: ['State', optStr],
    welcomeCode: ['WelcomeCode', optStr],
  }),
  'change_external_contact.edit_external_contact': defineEvent(P, 'change_external_contact.edit_external_contact', externalContact),
  'change_external_contact.del_external_contact': defineEvent(P, 'change_external_contact.del_external_contact', {
    ...externalContact,
    source: ['Source', optStr],
  }),
  'change_external_contact.del_follow_user': defineEvent(P, 'change_external_contact.del_follow_user', externalContact),
  'change_external_contact.transfer_fail': defineEvent(P, 'change_external_contact.transfer_fail', {
    ...externalContact,
    failReason: ['FailReason', optStr],
  }),
  'change_external_chat.create': defineEvent(P, 'change_external_chat.create', externalChat),
  'change_external_chat.update': defineEvent(P, 'change_external_chat.update', externalChat),
  'change_external_chat.dismiss': defineEvent(P, 'change_external_chat.dismiss', externalChat),
  'change_external_tag.create': defineEvent(P, 'change_external_tag.create', externalTag),
  'change_external_tag.update': defineEvent(P, 'change_external_tag.update', externalTag),
  'change_external_tag.delete': defineEvent(P, 'change_external_tag.delete', externalTag),
  'change_external_tag.shuffle': defineEvent(P, 'change_external_tag.shuffle', externalTag),
  sys_approval_change: defineEvent(P, 'sys_approval_change', { agentId, approvalInfo: ['ApprovalInfo', approvalInfo] }),
  open_approval_change: defineEvent(P, 'open_approval_change', { agentId, approvalInfo: ['ApprovalInfo', openApprovalInfo] }),
  msgaudit_notify: defineEvent(P, 'msgaudit_notify', { agentId }),
  kf_msg_or_event: defineEvent(P, 'kf_msg_or_event', { token: ['Token', str], openKfId: ['OpenKfId', str] }),
} as const;

type Outputs<T> = { [K in keyof T]: T[K] extends z.ZodType ? z.output<T[K]> : never }[keyof T];
/** A typed WeCom message or event. */
export type KnownWeComEvent = Outputs<typeof weComMessages> | Outputs<typeof weComEvents>;
