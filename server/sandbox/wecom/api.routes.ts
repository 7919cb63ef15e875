import { z } from 'zod';
import type { App } from '../../platform/http/create-server';
import {
  wecomBatchGetResult,
  wecomBatchReplaceParty,
  wecomBatchReplaceUser,
  wecomBatchSyncUser,
  wecomContactWayAdd,
  wecomContactWayDelete,
  wecomContactWayGet,
  wecomContactWayList,
  wecomContactWayUpdate,
  wecomCorpTagAdd,
  wecomCorpTagDelete,
  wecomCorpTagEdit,
  wecomCorpTagList,
  wecomCustomerBatchGetByUser,
  wecomCustomerGet,
  wecomCustomerList,
  wecomCustomerMarkTag,
  wecomDepartmentCreate,
  wecomDepartmentDelete,
  wecomDepartmentGet,
  wecomDepartmentList,
  wecomDepartmentSimpleList,
  wecomDepartmentUpdate,
  wecomFollowUserList,
  wecomGroupChatGet,
  wecomGroupChatList,
  wecomGroupJoinWayAdd,
  wecomGroupJoinWayDelete,
  wecomGroupJoinWayGet,
  wecomGroupJoinWayUpdate,
  wecomMediaUpload,
  wecomMemberBatchDelete,
  wecomMemberCreate,
  wecomMemberDelete,
  wecomMemberGet,
  wecomMemberIdList,
  wecomMemberList,
  wecomMemberSimpleList,
  wecomMemberUpdate,
  wecomMessageSend,
  wecomToken,
  wecomWelcomeSend,
} from '../../wechat/wecom';
import { wecomCustomerRemark } from '../../wechat/wecom/customer-remarks';
import { createCustomerRemarks } from './customer-remarks';
import { createCustomerRemarksRepository } from './customer-remarks.repository';
import type { SandboxContext } from '../core/context';
import type { AppMessageInput, createAppMessages } from './app-messages';
import type { BatchJobs } from './batch-jobs';
import type { CustomerContact } from './customer-contact';
import type { Directory } from './directory';
import type { GroupChats } from './group-chats';
import { newId } from './ids';
import { access, callerOf, ownerKeyOf, receiverKind, requireAccess, type ReceiverKind, type WeComCaller } from './scope';
import type { WeComRepository } from './wecom.repository';
import { weComError } from './wecom-errors';

export interface WeComServices {
  repository: WeComRepository;
  directory: Directory;
  customers: CustomerContact;
  messages: ReturnType<typeof createAppMessages>;
  jobs: BatchJobs;
  groupChats: GroupChats;
}

const msgtypes = new Set(['text', 'image', 'voice', 'video', 'file', 'textcard', 'news', 'mpnews', 'markdown', 'miniprogram_notice', 'template_card']);

// A GET query arrives as text; this declaration types `id` as a number without coercing it.
const departmentListServed = { ...wecomDepartmentList, query: z.strictObject({ id: z.coerce.number().int().optional() }) };

/** Serves every WeCom declaration the sandbox implements at `/sandbox/wecom/<path>`. */
export function weComApiRoutes(ctx: SandboxContext, services: WeComServices) {
  const { repository, directory, customers, messages, jobs, groupChats } = services;

  function as(owner: Parameters<typeof callerOf>[0], allowed: readonly ReceiverKind[]): WeComCaller {
    const caller = callerOf(owner);
    requireAccess(caller, allowed);
    return caller;
  }

  return async (app: App): Promise<void> => {
    ctx.serveEndpoint(app, wecomToken, async ({ query }) => {
      const corp = await repository.findCorp(query.corpid);
      if (!corp) throw weComError(40013, 'corpid');
      const receiver = await repository.findReceiverBySecret(query.corpsecret);
      if (!receiver) throw weComError(40001, 'corpsecret');
      if (receiver.corpId !== corp.corpId) throw weComError(40091, 'corpsecret');
      // Older WeCom docs promise the same token while it is valid; the sandbox keeps that promise.
      const issued = await ctx.tokens.issueStable({ product: 'wecom', ownerKey: ownerKeyOf(corp.corpId, receiver.receiver) }, false);
      return { errcode: 0, errmsg: 'ok', ...issued };
    });

    ctx.serveEndpoint(app, wecomDepartmentCreate, async ({ owner, body }) => directory.createDepartment(as(owner, access.directoryWrite), body));
    ctx.serveEndpoint(app, wecomDepartmentUpdate, async ({ owner, body }) => directory.updateDepartment(as(owner, access.directoryWrite), body));
    ctx.serveEndpoint(app, wecomDepartmentDelete, async ({ owner, query }) => directory.deleteDepartment(as(owner, access.directoryWrite), query.id));
    ctx.serveEndpoint(app, departmentListServed, async ({ owner, query }) => directory.listDepartments(as(owner, access.directoryRead), query.id));
    ctx.serveEndpoint(app, wecomDepartmentSimpleList, async ({ owner, query }) => directory.simpleListDepartments(as(owner, access.directoryRead), query.id));
    ctx.serveEndpoint(app, wecomDepartmentGet, async ({ owner, query }) => directory.getDepartment(as(owner, access.directoryRead), query.id));

    ctx.serveEndpoint(app, wecomMemberCreate, async ({ owner, body }) => directory.createMember(as(owner, access.directoryWrite), body));
    ctx.serveEndpoint(app, wecomMemberUpdate, async ({ owner, body }) => directory.updateMember(as(owner, access.directoryWrite), body));
    ctx.serveEndpoint(app, wecomMemberDelete, async ({ owner, query }) => {
      const caller = as(owner, access.directoryWrite);
      const corp = await repository.findCorp(caller.corpId);
      return directory.deleteMembers(caller, [query.userid], corp?.creatorUserid ?? null);
    });
    ctx.serveEndpoint(app, wecomMemberBatchDelete, async ({ owner, body }) => {
      const caller = as(owner, access.directoryWrite);
      const corp = await repository.findCorp(caller.corpId);
      return directory.deleteMembers(caller, body.useridlist, corp?.creatorUserid ?? null);
    });
    ctx.serveEndpoint(app, wecomMemberGet, async ({ owner, query }) => directory.getMember(as(owner, access.directoryRead), query.userid));
    ctx.serveEndpoint(app, wecomMemberList, async ({ owner, query }) => directory.listMembers(as(owner, access.directoryRead), query.department_id, false));
    ctx.serveEndpoint(app, wecomMemberSimpleList, async ({ owner, query }) => directory.listMembers(as(owner, access.directoryRead), query.department_id, true));
    ctx.serveEndpoint(app, wecomMemberIdList, async ({ owner, body }) => directory.listMemberIds(as(owner, access.directoryRead), body.cursor, body.limit));

    ctx.serveEndpoint(
      app,
      wecomMediaUpload,
      async ({ owner, query, request, now }) => {
        const caller = as(owner, access.media);
        const file = await request.file();
        if (!file) throw weComError(41005, 'media');
        const content = await file.toBuffer();
        if (content.length === 0) throw weComError(41005, 'media');
        const mediaId = newId.media();
        await repository.insertMedia({ mediaId, corpId: caller.corpId, type: query.type, filename: file.filename || 'media', contentBase64: content.toString('base64'), createdAt: now });
        return { errcode: 0, errmsg: 'ok', type: query.type, media_id: mediaId, created_at: String(Math.floor(now.getTime() / 1000)) };
      },
      { multipart: true },
    );
    ctx.serveEndpoint(app, wecomBatchSyncUser, async ({ owner, body }) => jobs.start(as(owner, access.directoryWrite), 'sync_user', body));
    ctx.serveEndpoint(app, wecomBatchReplaceUser, async ({ owner, body }) => jobs.start(as(owner, access.directoryWrite), 'replace_user', body));
    ctx.serveEndpoint(app, wecomBatchReplaceParty, async ({ owner, body }) => jobs.start(as(owner, access.directoryWrite), 'replace_party', body));
    ctx.serveEndpoint(app, wecomBatchGetResult, async ({ owner, query }) => jobs.result(as(owner, access.directoryWrite), query.jobid));

    ctx.serveEndpoint(
      app,
      wecomMessageSend,
      async ({ owner, body }) => {
        const caller = as(owner, access.appMessage);
        const agentExists = async (agentId: string) => receiverKind(agentId) === 'app' && (await repository.findReceiver(caller.corpId, agentId)) !== null;
        return messages.send(caller, body as AppMessageInput, agentExists);
      },
      {
        check: ({ body }) => {
          const msgtype = (body as { msgtype?: unknown } | null)?.msgtype;
          if (typeof msgtype !== 'string' || !msgtypes.has(msgtype)) throw weComError(40008, 'msgtype');
        },
      },
    );

    ctx.serveEndpoint(app, wecomFollowUserList, async ({ owner }) => customers.followUserList(as(owner, access.customerContact)));
    ctx.serveEndpoint(app, wecomCustomerList, async ({ owner, query }) => customers.listCustomers(as(owner, access.customerContact), query.userid));
    ctx.serveEndpoint(app, wecomCustomerGet, async ({ owner, query }) => customers.getCustomer(as(owner, access.customerContact), query.external_userid, query.cursor));
    ctx.serveEndpoint(app, wecomCustomerBatchGetByUser, async ({ owner, body }) => customers.batchGetByUser(as(owner, access.customerContact), body));
    ctx.serveEndpoint(app, wecomContactWayAdd, async ({ owner, body, request }) =>
      customers.addContactWay(as(owner, access.customerContact), body, `${request.protocol}://${request.host}`),
    );
    ctx.serveEndpoint(app, wecomContactWayGet, async ({ owner, body }) => customers.getContactWay(as(owner, access.customerContact), body.config_id));
    ctx.serveEndpoint(app, wecomContactWayList, async ({ owner, body }) => customers.listContactWays(as(owner, access.customerContact), body));
    ctx.serveEndpoint(app, wecomContactWayUpdate, async ({ owner, body }) => customers.updateContactWay(as(owner, access.customerContact), body));
    ctx.serveEndpoint(app, wecomContactWayDelete, async ({ owner, body }) => customers.deleteContactWay(as(owner, access.customerContact), body.config_id));
    ctx.serveEndpoint(app, wecomWelcomeSend, async ({ owner, body }) =>
      customers.sendWelcome(as(owner, access.customerContact), body as Parameters<CustomerContact['sendWelcome']>[1]),
    );
    ctx.serveEndpoint(app, wecomCorpTagList, async ({ owner, body }) => customers.listCorpTags(as(owner, access.customerContact), body));
    ctx.serveEndpoint(app, wecomCorpTagAdd, async ({ owner, body }) => {
      return customers.addCorpTags(as(owner, access.customerContact), body);
    });
    ctx.serveEndpoint(app, wecomCorpTagEdit, async ({ owner, body }) => {
      return customers.editCorpTag(as(owner, access.customerContact), body);
    });
    ctx.serveEndpoint(app, wecomCorpTagDelete, async ({ owner, body }) => {
      return customers.deleteCorpTags(as(owner, access.customerContact), body);
    });
    ctx.serveEndpoint(app, wecomCustomerMarkTag, async ({ owner, body }) => customers.markTag(as(owner, access.customerContact), body));
    ctx.serveEndpoint(app, wecomGroupChatList, async ({ owner, body }) => groupChats.list(as(owner, access.customerContact), body));
    ctx.serveEndpoint(app, wecomGroupChatGet, async ({ owner, body }) => groupChats.get(as(owner, access.customerContact), body));
    ctx.serveEndpoint(app, wecomGroupJoinWayAdd, async ({ owner, body }) => groupChats.addJoinWay(as(owner, access.customerContact), body));
    ctx.serveEndpoint(app, wecomGroupJoinWayGet, async ({ owner, body }) => groupChats.getJoinWay(as(owner, access.customerContact), body.config_id));
    ctx.serveEndpoint(app, wecomGroupJoinWayUpdate, async ({ owner, body }) => groupChats.updateJoinWay(as(owner, access.customerContact), body));
    ctx.serveEndpoint(app, wecomGroupJoinWayDelete, async ({ owner, body }) => groupChats.deleteJoinWay(as(owner, access.customerContact), body.config_id));
    const remarks = createCustomerRemarks({ repository, remarks: createCustomerRemarksRepository(ctx.db) });
    ctx.serveEndpoint(app, wecomCustomerRemark, async ({ owner, body }) => remarks.setRemark(as(owner, access.customerContact), body));
  };
}
