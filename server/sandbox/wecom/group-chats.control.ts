import { z } from 'zod';
import { text } from '../../../common/text';
import type { App } from '../../platform/http/create-server';
import { MAX_GROUP_SIZE, type GroupChats } from './group-chats';

const tags = ['sandbox'];
const access = { access: 'sandbox.control' as const };
const deliverySchema = z.object({ attempts: z.number(), status: z.string(), latencyMs: z.number() });

/** `/sandbox/control/wecom-corps/{corpId}/group-chats`: members open customer groups, customers join them. */
export function groupChatControlRoutes(app: App, groupChats: GroupChats): void {
  app.post('/sandbox/control/wecom-corps/:corpId/group-chats', {
    config: access,
    schema: {
      tags,
      summary: 'A member opens a customer group with new customers in it: the customer-contact receiver gets change_external_chat/create',
      params: z.strictObject({ corpId: text(64, 1) }),
      body: z.strictObject({ owner: text(64, 1), customers: z.number().int().min(0).max(MAX_GROUP_SIZE - 1), name: text(60, 1).optional() }),
      response: {
        201: z.object({ chatId: z.string(), customers: z.array(z.object({ externalUserId: z.string(), name: z.string() })), delivery: deliverySchema }),
      },
    },
    handler: async (request, reply) => reply.status(201).send(await groupChats.createChat(request.params.corpId, request.body)),
  });

  app.post('/sandbox/control/wecom-corps/:corpId/group-chats/:chatId/join', {
    config: access,
    schema: {
      tags,
      summary: 'A customer joins a group (scene 1 invited, 2 by link, 3 by QR code): change_external_chat/update with add_member',
      params: z.strictObject({ corpId: text(64, 1), chatId: text(64, 1) }),
      body: z.strictObject({ externalUserId: text(64, 1).optional(), joinScene: z.union([z.literal(1), z.literal(2), z.literal(3)]).optional(), state: text(30).optional() }),
      response: { 200: z.object({ externalUserId: z.string(), delivery: deliverySchema }) },
    },
    handler: async (request) => groupChats.join(request.params.corpId, request.params.chatId, request.body),
  });

  app.post('/sandbox/control/wecom-corps/:corpId/group-chats/:chatId/dismiss', {
    config: access,
    schema: {
      tags,
      summary: 'The owner dismisses a group: change_external_chat/dismiss',
      params: z.strictObject({ corpId: text(64, 1), chatId: text(64, 1) }),
      response: { 200: z.object({ chatId: z.string(), delivery: deliverySchema }) },
    },
    handler: async (request) => groupChats.dismiss(request.params.corpId, request.params.chatId),
  });
}
