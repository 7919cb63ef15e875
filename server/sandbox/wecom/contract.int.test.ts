import { describe, expect, it } from 'vitest';
import type { WeChatEndpoint } from '../../wechat/client/endpoint';
import * as wc from '../../wechat/wecom';
import { controlHeaders, createCorpFixture, qy, upload, useWeComHarness, type CorpFixture, type WeComHarness } from '../../../test/support/wecom-sandbox-kit';

interface World {
  corp: CorpFixture;
  customer: string;
  welcomeCode: string;
  tagId: string;
  configId: string;
  mediaId: string;
  jobId: string;
  chatId: string;
  joinConfigId: string;
  templateId: string;
  spNo: string;
}

type Call = { as: string; body?: unknown; query?: Record<string, string | number> };

// One valid request per declaration the sandbox serves: the answer must satisfy the client's own response schema.
const calls: [WeChatEndpoint, (w: World) => Call][] = [
  [wc.wecomDepartmentCreate, () => ({ as: 'contacts', body: { name: '新部门', parentid: 1 } })],
  [wc.wecomDepartmentUpdate, () => ({ as: 'contacts', body: { id: 2, name: '改名' } })],
  [wc.wecomDepartmentDelete, () => ({ as: 'contacts', query: { id: 9 } })],
  [wc.wecomDepartmentList, () => ({ as: '1000002' })],
  [wc.wecomDepartmentSimpleList, () => ({ as: 'contacts', query: { id: 1 } })],
  [wc.wecomDepartmentGet, () => ({ as: 'contacts', query: { id: 2 } })],
  [wc.wecomMemberCreate, () => ({ as: 'contacts', body: { userid: 'newbie', name: '新人', department: [1], mobile: '13700000001' } })],
  [wc.wecomMemberUpdate, () => ({ as: 'contacts', body: { userid: 'user00001', position: '总监' } })],
  [wc.wecomMemberDelete, () => ({ as: 'contacts', query: { userid: 'user00003' } })],
  [wc.wecomMemberBatchDelete, () => ({ as: 'contacts', body: { useridlist: ['user00003'] } })],
  [wc.wecomMemberGet, () => ({ as: '1000002', query: { userid: 'user00001' } })],
  [wc.wecomMemberList, () => ({ as: 'contacts', query: { department_id: 2 } })],
  [wc.wecomMemberSimpleList, () => ({ as: 'contacts', query: { department_id: 2 } })],
  [wc.wecomMemberIdList, () => ({ as: 'contacts', body: { limit: 2 } })],
  [wc.wecomBatchSyncUser, (w) => ({ as: 'contacts', body: { media_id: w.mediaId } })],
  [wc.wecomBatchReplaceUser, (w) => ({ as: 'contacts', body: { media_id: w.mediaId } })],
  [wc.wecomBatchReplaceParty, (w) => ({ as: 'contacts', body: { media_id: w.mediaId } })],
  [wc.wecomBatchGetResult, (w) => ({ as: 'contacts', query: { jobid: w.jobId } })],
  [wc.wecomMessageSend, () => ({ as: '1000002', body: { touser: 'user00001', msgtype: 'text', agentid: 1000002, text: { content: '你好' } } })],
  [wc.wecomFollowUserList, () => ({ as: 'customer-contact' })],
  [wc.wecomCustomerList, () => ({ as: 'customer-contact', query: { userid: 'user00001' } })],
  [wc.wecomCustomerGet, (w) => ({ as: 'customer-contact', query: { external_userid: w.customer } })],
  [wc.wecomCustomerBatchGetByUser, () => ({ as: 'customer-contact', body: { userid_list: ['user00001', 'user00002'] } })],
  [wc.wecomContactWayAdd, () => ({ as: 'customer-contact', body: { type: 1, scene: 2, user: ['user00001'] } })],
  [wc.wecomContactWayGet, (w) => ({ as: 'customer-contact', body: { config_id: w.configId } })],
  [wc.wecomContactWayList, () => ({ as: 'customer-contact', body: { limit: 10 } })],
  [wc.wecomContactWayUpdate, (w) => ({ as: 'customer-contact', body: { config_id: w.configId, remark: '新备注' } })],
  [wc.wecomContactWayDelete, (w) => ({ as: 'customer-contact', body: { config_id: w.configId } })],
  [wc.wecomWelcomeSend, (w) => ({ as: 'customer-contact', body: { welcome_code: w.welcomeCode, text: { content: '欢迎' } } })],
  [wc.wecomCorpTagList, () => ({ as: 'customer-contact', body: {} })],
  [wc.wecomCorpTagAdd, () => ({ as: 'customer-contact', body: { group_name: '来源', tag: [{ name: '展会' }] } })],
  [wc.wecomCorpTagEdit, (w) => ({ as: 'customer-contact', body: { id: w.tagId, name: '钻石' } })],
  [wc.wecomCorpTagDelete, (w) => ({ as: 'customer-contact', body: { tag_id: [w.tagId] } })],
  [wc.wecomCustomerMarkTag, (w) => ({ as: 'customer-contact', body: { userid: 'user00001', external_userid: w.customer, add_tag: [w.tagId] } })],
  [wc.wecomTransferCustomer, (w) => ({ as: 'customer-contact', body: { handover_userid: 'user00001', takeover_userid: 'user00002', external_userid: [w.customer] } })],
  [wc.wecomTransferResult, () => ({ as: 'customer-contact', body: { handover_userid: 'user00001', takeover_userid: 'user00002' } })],
  [wc.wecomResignedTransferCustomer, (w) => ({ as: 'customer-contact', body: { handover_userid: 'user00001', takeover_userid: 'user00002', external_userid: [w.customer] } })],
  [wc.wecomResignedTransferResult, () => ({ as: 'customer-contact', body: { handover_userid: 'user00001', takeover_userid: 'user00002' } })],
  [wc.wecomUnassignedList, () => ({ as: 'customer-contact', body: { page_size: 100 } })],
  [wc.wecomCustomerRemark, (w) => ({ as: 'customer-contact', body: { userid: 'user00001', external_userid: w.customer, remark: '老客户', description: '喜欢早上联系' } })],
  [wc.wecomGroupChatList, () => ({ as: 'customer-contact', body: { limit: 10 } })],
  [wc.wecomGroupChatGet, (w) => ({ as: 'customer-contact', body: { chat_id: w.chatId, need_name: 1 } })],
  [wc.wecomGroupJoinWayAdd, (w) => ({ as: 'customer-contact', body: { scene: 2, chat_id_list: [w.chatId], remark: '门店群' } })],
  [wc.wecomGroupJoinWayGet, (w) => ({ as: 'customer-contact', body: { config_id: w.joinConfigId } })],
  [wc.wecomGroupJoinWayUpdate, (w) => ({ as: 'customer-contact', body: { config_id: w.joinConfigId, scene: 2, chat_id_list: [w.chatId], remark: '新备注' } })],
  [wc.wecomGroupJoinWayDelete, (w) => ({ as: 'customer-contact', body: { config_id: w.joinConfigId } })],
  [wc.wecomApprovalApply, (w) => ({ as: '1000002', body: leaveApplication(w.templateId) })],
  [wc.wecomApprovalInfo, () => ({ as: '1000002', body: { starttime: Math.floor(Date.now() / 1000) - 3600, endtime: Math.floor(Date.now() / 1000) + 3600, size: 100 } })],
  [wc.wecomApprovalDetail, (w) => ({ as: '1000002', body: { sp_no: w.spNo } })],
];

function leaveApplication(templateId: string) {
  return {
    creator_userid: 'user00001',
    template_id: templateId,
    use_template_approver: 0,
    approver: [{ attr: 1, userid: ['user00002'] }],
    apply_data: { contents: [{ control: 'Textarea', id: 'reason', value: { text: '家中有事' } }] },
    summary_list: [{ summary_info: [{ text: '请假一天', lang: 'zh_CN' }] }],
  };
}

async function buildWorld(h: WeComHarness): Promise<World> {
  const corp = await createCorpFixture(h, { departments: 2, members: 3, customers: 2 });
  const cc = corp.tokens['customer-contact'] as string;
  const contacts = corp.tokens.contacts as string;
  const [customer] = (await qy(h, cc, 'GET', 'cgi-bin/externalcontact/list', undefined, { userid: 'user00001' })).external_userid as string[];
  const created = await h.app.inject({ method: 'POST', url: `/sandbox/control/wecom-corps/${corp.corpId}/customers`, headers: controlHeaders, payload: { count: 1 } });
  const fresh = (created.json() as { customers: { externalUserId: string }[] }).customers[0]?.externalUserId as string;
  const added = await h.app.inject({ method: 'POST', url: `/sandbox/control/wecom-corps/${corp.corpId}/customers/${fresh}/add-member`, headers: controlHeaders, payload: { userid: 'user00001' } });
  await qy(h, contacts, 'POST', 'cgi-bin/department/create', { name: '空部门', parentid: 1, id: 9 });
  const tags = await qy(h, cc, 'POST', 'cgi-bin/externalcontact/add_corp_tag', { group_name: '等级', tag: [{ name: '金牌' }] });
  const way = await qy(h, cc, 'POST', 'cgi-bin/externalcontact/add_contact_way', { type: 2, scene: 1, party: [2] });
  const mediaId = await upload(h, contacts, 'parties.csv', '姓名,账号,手机号,部门名称,部门ID,父部门ID\n甲,user00001,13900000001,研发,2,1\n');
  const job = await qy(h, contacts, 'POST', 'cgi-bin/batch/syncuser', { media_id: mediaId });
  await h.wecom.jobs.idle();
  const chat = await h.app.inject({ method: 'POST', url: `/sandbox/control/wecom-corps/${corp.corpId}/group-chats`, headers: controlHeaders, payload: { owner: 'user00001', customers: 2 } });
  const chatId = (chat.json() as { chatId: string }).chatId;
  const joinWay = await qy(h, cc, 'POST', 'cgi-bin/externalcontact/groupchat/add_join_way', { scene: 2, chat_id_list: [chatId] });
  const template = await h.app.inject({
    method: 'POST',
    url: `/sandbox/control/wecom-corps/${corp.corpId}/approval-templates`,
    headers: controlHeaders,
    payload: { name: '请假', controls: [{ id: 'reason', control: 'Textarea', title: '事由', required: true }], approvers: [] },
  });
  const templateId = (template.json() as { templateId: string }).templateId;
  const applied = await qy(h, corp.tokens['1000002'] as string, 'POST', 'cgi-bin/oa/applyevent', leaveApplication(templateId));
  return {
    templateId,
    spNo: applied.sp_no as string,
    chatId,
    joinConfigId: joinWay.config_id as string,
    corp,
    customer: customer as string,
    welcomeCode: (added.json() as { welcomeCode: string }).welcomeCode,
    tagId: (tags.tag_group as { tag: { id: string }[] }).tag[0]?.id as string,
    configId: way.config_id as string,
    mediaId,
    jobId: job.jobid as string,
  };
}

describe('WeCom sandbox answers satisfy the client declarations', () => {
  const h = useWeComHarness();

  it('serves every declared WeCom endpoint', () => {
    const served = new Set([wc.wecomToken, wc.wecomMediaUpload, ...calls.map(([d]) => d)]);
    expect(wc.wecomEndpoints.filter((d) => !served.has(d)).map((d) => d.path)).toEqual([]);
  });

  it('answers gettoken and media/upload in the declared shape', async () => {
    const corp = await createCorpFixture(h());
    const token = await h().app.inject({ method: 'GET', url: `/sandbox/wecom/cgi-bin/gettoken?corpid=${corp.corpId}&corpsecret=${corp.secret('contacts')}` });
    expect(wc.wecomToken.response.safeParse(token.json()).success).toBe(true);
    const mediaId = await upload(h(), corp.tokens.contacts as string, 'a.csv', '姓名,账号\n');
    expect(mediaId).toMatch(/^3/);
  });

  it.each(calls.map(([declaration, call]) => [`${declaration.method} ${declaration.path}`, declaration, call] as const))('%s', async (_name, declaration, call) => {
    const world = await buildWorld(h());
    const { as, body, query } = call(world);
    const answer = await qy(h(), world.corp.tokens[as] as string, declaration.method, declaration.path, body, query ?? {});
    expect(answer).toMatchObject({ errcode: 0 });
    const parsed = declaration.response.safeParse(answer);
    expect(parsed.success ? [] : parsed.error.issues).toEqual([]);
    if (body !== undefined) expect(declaration.request.safeParse(body).success).toBe(true);
    expect(declaration.query.safeParse(Object.fromEntries(Object.entries(query ?? {}))).success).toBe(true);
  });
});
