import { buildWeChatXml, type XmlInputRecord } from '../core/xml';

// Realistic pushes for every typed event, written from the field lists in the
// protocol facts (§3.1, §3.2, §3.4, §3.5). Used by tests; the sandbox may reuse them.

const oa = (fields: XmlInputRecord) =>
  buildWeChatXml({ ToUserName: 'gh_10f6c3c3ac5a', FromUserName: 'oyORnuP8q7ou2gfYjqLzSIWZf0rs', CreateTime: 1714036504, ...fields });
const oaEvent = (event: string, fields: XmlInputRecord = {}) => oa({ MsgType: 'event', Event: event, ...fields });
const wc = (fields: XmlInputRecord, from = 'zhangsan') => buildWeChatXml({ ToUserName: 'ww1436e0e65a779aee', FromUserName: from, CreateTime: 1476422779, ...fields });
const wcEvent = (event: string, fields: XmlInputRecord = {}, from = 'zhangsan') => wc({ MsgType: 'event', Event: event, ...fields }, from);
const contact = (changeType: string, fields: XmlInputRecord) => wcEvent('change_contact', { ChangeType: changeType, ...fields }, 'sys');
const customer = (changeType: string, fields: XmlInputRecord = {}) =>
  wcEvent('change_external_contact', { ChangeType: changeType, UserID: 'zhangsan', ExternalUserID: 'wmAbCdEf0123456789', ...fields }, 'sys');
const chat = (changeType: string, fields: XmlInputRecord = {}) => wcEvent('change_external_chat', { ChangeType: changeType, ChatId: 'wrOgQhDgAAMYQiS5ol9G7gK9JVAAAA', ...fields }, 'sys');
const tag = (changeType: string, fields: XmlInputRecord = {}) => wcEvent('change_external_tag', { ChangeType: changeType, Id: 'etm7wjCgAA', TagType: 'tag', ...fields }, 'sys');

const pics = { Count: 2, PicList: { item: [{ PicMd5Sum: '1b5f7c23b5bf75682a53e7b6d163e185' }, { PicMd5Sum: '5fdf9bf4e1e8bd2c80b8c1a8d1f3e6b2' }] } };
const location = { Location_X: '23.137466', Location_Y: '113.352425', Scale: 15, Label: '广州市天河区', Poiname: '天河城' };
const user = {
  UserID: 'zhangsan', Name: '张三', Department: '1,2,3', MainDepartment: 1, IsLeaderInDept: '1,0,0', Mobile: '13800000000', Position: '产品经理', Gender: 1,
  Email: 'zhangsan@example.com', BizMail: 'zhangsan@corp.example.com', Status: 1, Avatar: 'https://wework.qpic.cn/x/0', Alias: 'jackzhang', Telephone: '020-123456', Address: '广州市',
  ExtAttr: { Item: [{ Name: '爱好', Type: 0, Text: { Value: '旅游' } }, { Name: '主页', Type: 1, Web: { Title: '主页', Url: 'https://example.com' } }] },
};

/** One sample per typed event: the plaintext push and some of the fields it must yield. */
export const eventSamples: { product: 'official-account' | 'wecom'; type: string; xml: string; expected: Record<string, unknown> }[] = [
  { product: 'official-account', type: 'official-account.text', xml: oa({ MsgType: 'text', Content: '你好 000123', MsgId: '6054768590064713728' }), expected: { content: '你好 000123', msgId: '6054768590064713728', createTimeS: 1714036504 } },
  { product: 'official-account', type: 'official-account.image', xml: oa({ MsgType: 'image', PicUrl: 'https://mmbiz.qpic.cn/x', MediaId: 'media_1', MsgId: '1001' }), expected: { mediaId: 'media_1', picUrl: 'https://mmbiz.qpic.cn/x' } },
  { product: 'official-account', type: 'official-account.voice', xml: oa({ MsgType: 'voice', MediaId: 'media_2', Format: 'amr', MediaId16K: 'media_2_16k', MsgId: '1002' }), expected: { format: 'amr', mediaId16K: 'media_2_16k' } },
  { product: 'official-account', type: 'official-account.video', xml: oa({ MsgType: 'video', MediaId: 'media_3', ThumbMediaId: 'thumb_3', MsgId: '1003' }), expected: { thumbMediaId: 'thumb_3' } },
  { product: 'official-account', type: 'official-account.shortvideo', xml: oa({ MsgType: 'shortvideo', MediaId: 'media_4', ThumbMediaId: 'thumb_4', MsgId: '1004' }), expected: { mediaId: 'media_4' } },
  { product: 'official-account', type: 'official-account.location', xml: oa({ MsgType: 'location', Location_X: '23.134521', Location_Y: '113.358803', Scale: 20, Label: '位置信息', MsgId: '1005' }), expected: { locationX: 23.134521, locationY: 113.358803, scale: 20 } },
  { product: 'official-account', type: 'official-account.link', xml: oa({ MsgType: 'link', Title: '公众平台官网链接', Description: '公众平台官网链接', Url: 'https://mp.weixin.qq.com', MsgId: '1006' }), expected: { url: 'https://mp.weixin.qq.com' } },
  { product: 'official-account', type: 'official-account.miniprogrampage', xml: oa({ MsgType: 'miniprogrampage', AppId: 'wxabcdef0123456789', Title: '商品', PagePath: 'pages/index/index', ThumbUrl: 'https://x/y.jpg', ThumbMediaId: 'thumb_5', MsgId: '1007' }), expected: { appId: 'wxabcdef0123456789', pagePath: 'pages/index/index' } },
  { product: 'official-account', type: 'official-account.subscribe', xml: oaEvent('subscribe', { EventKey: 'qrscene_000123', Ticket: 'gQH47joAAAAAAAAAASxodHRw' }), expected: { eventKey: 'qrscene_000123', qrScene: '000123', ticket: 'gQH47joAAAAAAAAAASxodHRw' } },
  { product: 'official-account', type: 'official-account.unsubscribe', xml: oaEvent('unsubscribe', { EventKey: '' }), expected: { eventKey: '' } },
  { product: 'official-account', type: 'official-account.SCAN', xml: oaEvent('SCAN', { EventKey: '123', Ticket: 'TICKET' }), expected: { eventKey: '123' } },
  { product: 'official-account', type: 'official-account.LOCATION', xml: oaEvent('LOCATION', { Latitude: '23.137466', Longitude: '113.352425', Precision: '119.385040' }), expected: { latitude: 23.137466, precision: 119.38504 } },
  { product: 'official-account', type: 'official-account.CLICK', xml: oaEvent('CLICK', { EventKey: 'V1001_TODAY_MUSIC' }), expected: { eventKey: 'V1001_TODAY_MUSIC' } },
  { product: 'official-account', type: 'official-account.VIEW', xml: oaEvent('VIEW', { EventKey: 'https://www.qq.com/', MenuId: '208' }), expected: { menuId: '208' } },
  { product: 'official-account', type: 'official-account.view_miniprogram', xml: oaEvent('view_miniprogram', { EventKey: 'pages/index/index', MenuId: '209' }), expected: { eventKey: 'pages/index/index' } },
  { product: 'official-account', type: 'official-account.scancode_push', xml: oaEvent('scancode_push', { EventKey: 'rselfmenu_0_1', ScanCodeInfo: { ScanType: 'qrcode', ScanResult: 'https://x' } }), expected: { scanCodeInfo: { scanType: 'qrcode', scanResult: 'https://x' } } },
  { product: 'official-account', type: 'official-account.scancode_waitmsg', xml: oaEvent('scancode_waitmsg', { EventKey: 'rselfmenu_0_0', ScanCodeInfo: { ScanType: 'barcode', ScanResult: 'EAN_13,6901234567892' } }), expected: { scanCodeInfo: { scanType: 'barcode', scanResult: 'EAN_13,6901234567892' } } },
  { product: 'official-account', type: 'official-account.pic_sysphoto', xml: oaEvent('pic_sysphoto', { EventKey: 'rselfmenu_1_0', SendPicsInfo: { Count: 1, PicList: { item: [{ PicMd5Sum: '1b5f7c23b5bf75682a53e7b6d163e185' }] } } }), expected: { sendPicsInfo: { count: 1, picList: { item: [{ picMd5Sum: '1b5f7c23b5bf75682a53e7b6d163e185' }] } } } },
  { product: 'official-account', type: 'official-account.pic_photo_or_album', xml: oaEvent('pic_photo_or_album', { EventKey: 'rselfmenu_1_1', SendPicsInfo: pics }), expected: { sendPicsInfo: { count: 2 } } },
  { product: 'official-account', type: 'official-account.pic_weixin', xml: oaEvent('pic_weixin', { EventKey: 'rselfmenu_1_2', SendPicsInfo: pics }), expected: { eventKey: 'rselfmenu_1_2' } },
  { product: 'official-account', type: 'official-account.location_select', xml: oaEvent('location_select', { EventKey: 'rselfmenu_2_0', SendLocationInfo: location }), expected: { sendLocationInfo: { locationX: 23.137466, poiname: '天河城', scale: 15 } } },
  {
    product: 'official-account', type: 'official-account.MASSSENDJOBFINISH',
    xml: oaEvent('MASSSENDJOBFINISH', {
      MsgID: '1988', Status: 'send success', TotalCount: 100, FilterCount: 80, SentCount: 75, ErrorCount: 5,
      CopyrightCheckResult: { Count: 2, ResultList: { item: [{ ArticleIdx: 1, UserDeclareState: 0, AuditState: 2, OriginalArticleUrl: 'Url_1', OriginalArticleType: 1, CanReprint: 1, NeedReplaceContent: 1, NeedShowReprintSource: 1 }, { ArticleIdx: 2, UserDeclareState: 0, AuditState: 2, OriginalArticleUrl: 'Url_2', OriginalArticleType: 1, CanReprint: 1, NeedReplaceContent: 1, NeedShowReprintSource: 1 }] }, CheckState: 2 },
      ArticleUrlResult: { Count: 1, ResultList: { item: [{ ArticleIdx: 1, ArticleUrl: 'https://mp.weixin.qq.com/s/abc' }] } },
    }),
    expected: { msgId: '1988', totalCount: 100, sentCount: 75, copyrightCheckResult: { checkState: 2 } },
  },
  { product: 'official-account', type: 'official-account.TEMPLATESENDJOBFINISH', xml: oaEvent('TEMPLATESENDJOBFINISH', { MsgID: '200163836', Status: 'failed:user block' }), expected: { msgId: '200163836', status: 'failed:user block' } },
  {
    product: 'official-account', type: 'official-account.PUBLISHJOBFINISH',
    xml: oaEvent('PUBLISHJOBFINISH', { PublishEventInfo: { publish_id: '2247503051', publish_status: 0, article_id: 'b5O2OUs25HBxRceL7hfReg-U9QGeq9zQjiDvy', article_detail: { count: 1, item: { idx: 1, article_url: 'https://mp.weixin.qq.com/s/x' } } } }),
    expected: { publishEventInfo: { publishId: '2247503051', publishStatus: 0, articleDetail: { count: 1, item: [{ idx: 1, articleUrl: 'https://mp.weixin.qq.com/s/x' }] }, failIdx: [] } },
  },
  { product: 'official-account', type: 'official-account.subscribe_msg_popup_event', xml: oaEvent('subscribe_msg_popup_event', { SubscribeMsgPopupEvent: { List: [{ TemplateId: 'VRR0UEO9VJOLs0MHlU0OilqX6MVFDwH3_3gz3Oc0NIc', SubscribeStatusString: 'accept', PopupScene: 2 }, { TemplateId: '9nLIlbOQZC5Y89AZteFEux3WCXRRRG5Wfzkpssu4bLI', SubscribeStatusString: 'reject', PopupScene: 2 }] } }), expected: { subscribeMsgPopupEvent: { list: [{ subscribeStatus: 'accept', popupScene: 2 }, { subscribeStatus: 'reject' }] } } },
  { product: 'official-account', type: 'official-account.subscribe_msg_change_event', xml: oaEvent('subscribe_msg_change_event', { SubscribeMsgChangeEvent: { List: { TemplateId: 'VRR0UEO9VJOLs0MHlU0OilqX6MVFDwH3_3gz3Oc0NIc', SubscribeStatusString: 'reject' } } }), expected: { subscribeMsgChangeEvent: { list: [{ subscribeStatus: 'reject' }] } } },
  { product: 'official-account', type: 'official-account.subscribe_msg_sent_event', xml: oaEvent('subscribe_msg_sent_event', { SubscribeMsgSentEvent: { List: { TemplateId: 'VRR0UEO9VJOLs0MHlU0OilqX6MVFDwH3_3gz3Oc0NIc', MsgID: '1700827132819554304', ErrorCode: 0, ErrorStatus: 'success' } } }), expected: { subscribeMsgSentEvent: { list: [{ msgId: '1700827132819554304', errorCode: 0 }] } } },
  { product: 'official-account', type: 'official-account.user_authorization_revoke', xml: oaEvent('user_authorization_revoke', { AppID: 'wx10f6c3c3ac5a0000', OpenID: 'oyORnuP8q7ou2gfYjqLzSIWZf0rs', RevokeInfo: '301' }), expected: { appId: 'wx10f6c3c3ac5a0000', revokeInfo: '301' } },

  { product: 'wecom', type: 'wecom.text', xml: wc({ MsgType: 'text', Content: 'hello', MsgId: '4561255354251345929', AgentID: 1000002 }), expected: { content: 'hello', agentId: '1000002', msgId: '4561255354251345929' } },
  { product: 'wecom', type: 'wecom.image', xml: wc({ MsgType: 'image', PicUrl: 'https://x/y.jpg', MediaId: 'media_1', MsgId: '2001', AgentID: 1000002 }), expected: { mediaId: 'media_1' } },
  { product: 'wecom', type: 'wecom.voice', xml: wc({ MsgType: 'voice', MediaId: 'media_2', Format: 'amr', MsgId: '2002', AgentID: 1000002 }), expected: { format: 'amr' } },
  { product: 'wecom', type: 'wecom.video', xml: wc({ MsgType: 'video', MediaId: 'media_3', ThumbMediaId: 'thumb_3', MsgId: '2003', AgentID: 1000002 }), expected: { thumbMediaId: 'thumb_3' } },
  { product: 'wecom', type: 'wecom.location', xml: wc({ MsgType: 'location', Location_X: '23.134', Location_Y: '113.358', Scale: 20, Label: '位置信息', AppType: 'wxwork', MsgId: '2004', AgentID: 1000002 }), expected: { appType: 'wxwork', locationX: 23.134 } },
  { product: 'wecom', type: 'wecom.link', xml: wc({ MsgType: 'link', Title: 'this is a title', Description: 'desc', Url: 'https://x', PicUrl: 'https://x/p.jpg', MsgId: '2005', AgentID: 1000002 }), expected: { picUrl: 'https://x/p.jpg' } },
  { product: 'wecom', type: 'wecom.subscribe', xml: wcEvent('subscribe', { AgentID: 1000002, EventKey: '' }), expected: { agentId: '1000002' } },
  { product: 'wecom', type: 'wecom.unsubscribe', xml: wcEvent('unsubscribe', { AgentID: 1000002, EventKey: '' }), expected: { agentId: '1000002' } },
  { product: 'wecom', type: 'wecom.enter_agent', xml: wcEvent('enter_agent', { AgentID: 1000002, EventKey: '' }), expected: { agentId: '1000002' } },
  { product: 'wecom', type: 'wecom.LOCATION', xml: wcEvent('LOCATION', { AgentID: 1000002, Latitude: '23.104', Longitude: '113.320', Precision: '65.000', AppType: 'wxwork' }), expected: { latitude: 23.104, precision: 65 } },
  { product: 'wecom', type: 'wecom.batch_job_result', xml: wcEvent('batch_job_result', { BatchJob: { JobId: 'S0MrnndvRG5fadSlLwiBqiDDbM143UqTmKP3152FZk4', JobType: 'sync_user', ErrCode: 0, ErrMsg: 'ok' } }, 'sys'), expected: { batchJob: { jobId: 'S0MrnndvRG5fadSlLwiBqiDDbM143UqTmKP3152FZk4', jobType: 'sync_user', errCode: 0 } } },
  { product: 'wecom', type: 'wecom.change_contact.create_user', xml: contact('create_user', user), expected: { userId: 'zhangsan', department: ['1', '2', '3'], isLeaderInDept: ['1', '0', '0'], gender: 1, extAttr: { item: [{ name: '爱好', type: 0, text: { value: '旅游' } }, { name: '主页', type: 1, web: { title: '主页', url: 'https://example.com' } }] } } },
  { product: 'wecom', type: 'wecom.change_contact.update_user', xml: contact('update_user', { UserID: 'zhangsan', NewUserID: 'zhangsan001', Name: '张三丰' }), expected: { newUserId: 'zhangsan001', department: [] } },
  { product: 'wecom', type: 'wecom.change_contact.delete_user', xml: contact('delete_user', { UserID: 'zhangsan' }), expected: { userId: 'zhangsan' } },
  { product: 'wecom', type: 'wecom.change_contact.create_party', xml: contact('create_party', { Id: 2, Name: '华东区', ParentId: 1, Order: 1 }), expected: { id: '2', name: '华东区', parentId: '1', order: '1' } },
  { product: 'wecom', type: 'wecom.change_contact.update_party', xml: contact('update_party', { Id: 2, Name: '华东大区', ParentId: 1 }), expected: { name: '华东大区' } },
  { product: 'wecom', type: 'wecom.change_contact.delete_party', xml: contact('delete_party', { Id: 2 }), expected: { id: '2' } },
  { product: 'wecom', type: 'wecom.change_contact.update_tag', xml: contact('update_tag', { TagId: 1, AddUserItems: 'zhangsan,lisi', DelUserItems: 'zhangsan1', AddPartyItems: '1,2', DelPartyItems: '3' }), expected: { tagId: '1', addUserItems: ['zhangsan', 'lisi'], delPartyItems: ['3'] } },
  { product: 'wecom', type: 'wecom.click', xml: wcEvent('click', { EventKey: 'MENU_1', AgentID: 1000002 }), expected: { eventKey: 'MENU_1' } },
  { product: 'wecom', type: 'wecom.view', xml: wcEvent('view', { EventKey: 'https://www.qq.com', AgentID: 1000002 }), expected: { eventKey: 'https://www.qq.com' } },
  { product: 'wecom', type: 'wecom.scancode_push', xml: wcEvent('scancode_push', { EventKey: 'k', ScanCodeInfo: { ScanType: 'qrcode', ScanResult: '1' }, AgentID: 1000002 }), expected: { scanCodeInfo: { scanResult: '1' } } },
  { product: 'wecom', type: 'wecom.scancode_waitmsg', xml: wcEvent('scancode_waitmsg', { EventKey: 'k', ScanCodeInfo: { ScanType: 'qrcode', ScanResult: '2' }, AgentID: 1000002 }), expected: { scanCodeInfo: { scanResult: '2' } } },
  { product: 'wecom', type: 'wecom.pic_sysphoto', xml: wcEvent('pic_sysphoto', { EventKey: 'k', SendPicsInfo: pics, AgentID: 1000002 }), expected: { sendPicsInfo: { count: 2 } } },
  { product: 'wecom', type: 'wecom.pic_photo_or_album', xml: wcEvent('pic_photo_or_album', { EventKey: 'k', SendPicsInfo: pics, AgentID: 1000002 }), expected: { sendPicsInfo: { count: 2 } } },
  { product: 'wecom', type: 'wecom.pic_weixin', xml: wcEvent('pic_weixin', { EventKey: 'k', SendPicsInfo: { Count: 0, PicList: '' }, AgentID: 1000002 }), expected: { sendPicsInfo: { count: 0, picList: { item: [] } } } },
  { product: 'wecom', type: 'wecom.location_select', xml: wcEvent('location_select', { EventKey: 'k', SendLocationInfo: location, AgentID: 1000002 }), expected: { sendLocationInfo: { label: '广州市天河区' } } },
  {
    product: 'wecom', type: 'wecom.template_card_event',
    xml: wcEvent('template_card_event', { EventKey: 'key111', TaskId: 'taskid111', CardType: 'vote_interaction', ResponseCode: 'ResponseCode', AgentID: 1, SelectedItems: { SelectedItem: [{ QuestionKey: 'QuestionKey1', OptionIds: { OptionId: ['OptionId1', 'OptionId2'] } }, { QuestionKey: 'QuestionKey2', OpitonIds: { OpitonId: 'OptionId3' } }] } }),
    expected: { taskId: 'taskid111', responseCode: 'ResponseCode', selectedItems: { selectedItem: [{ questionKey: 'QuestionKey1', optionIds: ['OptionId1', 'OptionId2'] }, { questionKey: 'QuestionKey2', optionIds: ['OptionId3'] }] } },
  },
  { product: 'wecom', type: 'wecom.template_card_menu_event', xml: wcEvent('template_card_menu_event', { EventKey: 'key111', TaskId: 'taskid111', CardType: 'text_notice', ResponseCode: 'rc', AgentID: 1 }), expected: { cardType: 'text_notice' } },
  { product: 'wecom', type: 'wecom.taskcard_click', xml: wcEvent('taskcard_click', { EventKey: 'key111', TaskId: 'taskid111', AgentID: 1 }), expected: { taskId: 'taskid111' } },
  { product: 'wecom', type: 'wecom.change_external_contact.add_external_contact', xml: customer('add_external_contact', { State: 'spring_campaign', WelcomeCode: 'WELCOMECODE' }), expected: { externalUserId: 'wmAbCdEf0123456789', state: 'spring_campaign', welcomeCode: 'WELCOMECODE' } },
  { product: 'wecom', type: 'wecom.change_external_contact.add_half_external_contact', xml: customer('add_half_external_contact', { State: 's', WelcomeCode: 'WELCOMECODE' }), expected: { welcomeCode: 'WELCOMECODE' } },
  { product: 'wecom', type: 'wecom.change_external_contact.edit_external_contact', xml: customer('edit_external_contact'), expected: { userId: 'zhangsan' } },
  { product: 'wecom', type: 'wecom.change_external_contact.del_external_contact', xml: customer('del_external_contact', { Source: 'DELETE_BY_TRANSFER' }), expected: { source: 'DELETE_BY_TRANSFER' } },
  { product: 'wecom', type: 'wecom.change_external_contact.del_follow_user', xml: customer('del_follow_user'), expected: { externalUserId: 'wmAbCdEf0123456789' } },
  { product: 'wecom', type: 'wecom.change_external_contact.transfer_fail', xml: customer('transfer_fail', { FailReason: 'customer_refused' }), expected: { failReason: 'customer_refused' } },
  { product: 'wecom', type: 'wecom.change_external_chat.create', xml: chat('create'), expected: { chatId: 'wrOgQhDgAAMYQiS5ol9G7gK9JVAAAA' } },
  { product: 'wecom', type: 'wecom.change_external_chat.update', xml: chat('update', { UpdateDetail: 'add_member', JoinScene: 1, QuitScene: 0, MemChangeCnt: 2, MemChangeList: { Item: ['Jack', 'Rose'] }, LastMemVer: '9c3f97c2ada667dfb5f6d03308d963e1', CurMemVer: '71217227bbd112ecfe3a49c482195cb4' }), expected: { updateDetail: 'add_member', joinScene: 1, memChangeCnt: 2, memChangeList: { item: ['Jack', 'Rose'] } } },
  { product: 'wecom', type: 'wecom.change_external_chat.dismiss', xml: chat('dismiss'), expected: { chatId: 'wrOgQhDgAAMYQiS5ol9G7gK9JVAAAA' } },
  { product: 'wecom', type: 'wecom.change_external_tag.create', xml: tag('create'), expected: { id: 'etm7wjCgAA', tagType: 'tag' } },
  { product: 'wecom', type: 'wecom.change_external_tag.update', xml: tag('update', { TagType: 'tag_group' }), expected: { tagType: 'tag_group' } },
  { product: 'wecom', type: 'wecom.change_external_tag.delete', xml: tag('delete'), expected: { id: 'etm7wjCgAA' } },
  { product: 'wecom', type: 'wecom.change_external_tag.shuffle', xml: tag('shuffle', { Id: 'et_group', StrategyId: '1' }), expected: { strategyId: '1' } },
  {
    product: 'wecom', type: 'wecom.sys_approval_change',
    xml: wcEvent('sys_approval_change', {
      AgentID: 3010040,
      ApprovalInfo: {
        SpNo: '202003310001', SpName: '请假', SpStatus: 1, TemplateId: 'C4NsEK7cYCwMDtKZbYfAJaSMDx1MYNCZzXNFHmrtD', ApplyTime: 1585637186,
        Applyer: { UserId: 'zhangsan', Party: 1 },
        SpRecord: [
          { SpStatus: 2, ApproverAttr: 1, Details: { Approver: { UserId: 'lisi' }, Speech: '同意', SpStatus: 2, SpTime: 1585637200, Attach: ['m1', 'm2'] } },
          { SpStatus: 1, ApproverAttr: 2, Details: [{ Approver: { UserId: 'wangwu' }, Speech: '', SpStatus: 1, SpTime: 0 }, { Approver: { UserId: 'zhaoliu' }, Speech: '', SpStatus: 1, SpTime: 0 }] },
        ],
        Notifyer: { UserId: 'sunqi' },
        Comments: { CommentUserInfo: { UserId: 'lisi' }, CommentTime: 1585637300, CommentContent: '早点回来', CommentId: '6808846385526243336' },
        StatuChangeEvent: 2,
      },
    }, 'sys'),
    expected: { agentId: '3010040', approvalInfo: { spNo: '202003310001', spStatus: 1, statuChangeEvent: 2, notifyer: [{ userId: 'sunqi' }], spRecord: [{ approverAttr: 1, details: [{ speech: '同意', attach: ['m1', 'm2'] }] }, { details: [{ approver: { userId: 'wangwu' } }, { approver: { userId: 'zhaoliu' } }] }] } },
  },
  {
    product: 'wecom', type: 'wecom.open_approval_change',
    xml: wcEvent('open_approval_change', {
      AgentID: 1,
      ApprovalInfo: {
        ThirdNo: 'thirdNoxxx', OpenSpName: '付款', OpenTemplateId: '1234567111', OpenSpStatus: 1, ApplyTime: 1527837645, ApplyUserName: 'xiaoming', ApplyUserId: '1', ApplyUserParty: '产品部', ApplyUserImage: 'http://x/0',
        ApprovalNodes: { ApprovalNode: { NodeStatus: 1, NodeAttr: 1, NodeType: 1, Items: { Item: { ItemName: 'xiaohong', ItemUserId: '2', ItemImage: 'http://x/1', ItemStatus: 1, ItemSpeech: '', ItemOpTime: 0 } } } },
        NotifyNodes: { NotifyNode: { ItemName: 'xiaogang', ItemUserid: '3', ItemImage: 'http://x/2' } },
        approverstep: 0,
      },
    }, 'sys'),
    expected: { approvalInfo: { thirdNo: 'thirdNoxxx', openSpStatus: 1, approverStep: 0, approvalNodes: { approvalNode: [{ items: { item: [{ itemUserId: '2' }] } }] }, notifyNodes: { notifyNode: [{ itemUserId: '3' }] } } },
  },
  { product: 'wecom', type: 'wecom.msgaudit_notify', xml: wcEvent('msgaudit_notify', { AgentID: 2000004 }, 'sys'), expected: { agentId: '2000004', fromUserName: 'sys' } },
  { product: 'wecom', type: 'wecom.kf_msg_or_event', xml: wcEvent('kf_msg_or_event', { Token: 'ENCApHxnGDNAVNY4AaSJKj4Tb5mwsEMzxhFmHVGcra996NR', OpenKfId: 'wkxxxxxxx' }, 'sys'), expected: { token: 'ENCApHxnGDNAVNY4AaSJKj4Tb5mwsEMzxhFmHVGcra996NR', openKfId: 'wkxxxxxxx' } },
];
