import { z } from 'zod';
import type { App } from '../../platform/http/create-server';
import type { World } from './world';
import type { GroupChats } from './group-chats';
import { groupChatControlRoutes } from './group-chats.control';
import {
  addMemberAnswer,
  addMemberBody,
  corpParams,
  createCorpBody,
  createCustomersBody,
  customerListSchema,
  customerParams,
  inboxSchema,
  memberMessageAnswer,
  memberMessageBody,
  memberParams,
  patchReceiverBody,
  populateBody,
  receiverParams,
  weComCorpSchema,
  weComReceiverSchema,
} from './wecom-control.schema';

const tags = ['sandbox'];
const access = { access: 'sandbox.control' as const };

/** The WeCom admin console and members' and customers' phones, as an API: `/sandbox/control/wecom-corps/...`. */
export async function weComControlRoutes(app: App, deps: { world: World; apiBaseUrl: string; groupChats: GroupChats }): Promise<void> {
  const { world } = deps;
  groupChatControlRoutes(app, deps.groupChats);
  const withBase = <T extends object>(corp: T) => ({ ...corp, apiBaseUrl: deps.apiBaseUrl });

  app.get('/sandbox/control/wecom-corps', {
    config: access,
    schema: { tags, summary: 'List sandbox WeCom corps with their secrets and callback settings', response: { 200: z.object({ items: z.array(weComCorpSchema) }) } },
    handler: async () => ({ items: (await world.listCorps()).map(withBase) }),
  });

  app.post('/sandbox/control/wecom-corps', {
    config: access,
    schema: {
      tags,
      summary: 'Create a sandbox WeCom corp: apps, contacts and customer-contact receivers, and a generated directory and customers',
      body: createCorpBody,
      response: { 201: weComCorpSchema },
    },
    handler: async (request, reply) => reply.status(201).send(withBase(await world.createCorp(request.body))),
  });

  app.patch('/sandbox/control/wecom-corps/:corpId/receivers/:receiver', {
    config: access,
    schema: {
      tags,
      summary: 'Set a receiver’s callback URL, token or EncodingAESKey (as in the WeCom admin console)',
      params: receiverParams,
      body: patchReceiverBody,
      response: { 200: weComReceiverSchema },
    },
    handler: async (request) => world.updateReceiver(request.params.corpId, request.params.receiver, request.body),
  });

  app.post('/sandbox/control/wecom-corps/:corpId/populate', {
    config: access,
    schema: {
      tags,
      summary: 'Add generated members and customers to a corp (benchmarks); no callbacks are sent',
      params: corpParams,
      body: populateBody,
      response: { 200: z.object({ members: z.number(), customers: customerListSchema.shape.customers }) },
    },
    handler: async (request) => world.populate(request.params.corpId, request.body),
  });

  app.post('/sandbox/control/wecom-corps/:corpId/customers', {
    config: access,
    schema: {
      tags,
      summary: 'Create customers, optionally already following a member; no callbacks are sent',
      params: corpParams,
      body: createCustomersBody,
      response: { 201: customerListSchema },
    },
    handler: async (request, reply) => reply.status(201).send(await world.createCustomers(request.params.corpId, request.body)),
  });

  app.post('/sandbox/control/wecom-corps/:corpId/customers/:externalUserId/add-member', {
    config: access,
    schema: {
      tags,
      summary: 'The customer adds a member: the customer-contact receiver gets add_external_contact with a WelcomeCode (valid 20 s, once)',
      params: customerParams,
      body: addMemberBody,
      response: { 200: addMemberAnswer },
    },
    handler: async (request) => world.addMember(request.params.corpId, request.params.externalUserId, request.body),
  });

  app.post('/sandbox/control/wecom-corps/:corpId/members/:userid/messages', {
    config: access,
    schema: {
      tags,
      summary: 'A member sends text to an app: the app’s receiver gets the message; a passive reply lands in the member’s inbox',
      params: memberParams,
      body: memberMessageBody,
      response: { 200: memberMessageAnswer },
    },
    handler: async (request) => world.memberSendsText(request.params.corpId, request.params.userid, request.body),
  });

  app.get('/sandbox/control/wecom-corps/:corpId/customers/:externalUserId/inbox', {
    config: access,
    schema: { tags, summary: 'What a customer received (welcome messages), oldest first', params: customerParams, response: { 200: inboxSchema } },
    handler: async (request) => world.inbox(request.params.corpId, 'customer', request.params.externalUserId),
  });

  app.get('/sandbox/control/wecom-corps/:corpId/members/:userid/inbox', {
    config: access,
    schema: { tags, summary: 'What a member received (app messages, passive replies), oldest first', params: memberParams, response: { 200: inboxSchema } },
    handler: async (request) => world.inbox(request.params.corpId, 'member', request.params.userid),
  });
}
