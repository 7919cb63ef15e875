import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { contextOf } from '../../system';
import {
  accountParamsSchema,
  chatParamsSchema,
  groupChatDetailSchema,
  groupChatListQuerySchema,
  groupChatPageSchema,
  joinWayBodySchema,
  joinWayListSchema,
  joinWayParamsSchema,
  joinWaySchema,
  startedJobSchema,
} from './group-chats.schema';
import type { GroupChatsService } from './group-chats.service';

const tags = ['wecom group chats'];
const base = '/api/v1/wecom/:id/group-chats';
const read = { access: 'wecom.customers.read' as const };
/** Syncing and join codes concern the corp's groups beyond one member's own, so members only read. */
const manage = { access: 'wecom.customers.manage' as const };

/** 客户群: `/api/v1/wecom/{id}/group-chats` and their 「加入群聊」 codes. */
export function groupChatsRoutes(service: GroupChatsService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(base, {
      config: read,
      schema: {
        tags,
        summary: 'List customer groups with owner, member counts and join counts by scene',
        description: 'A member sees the groups they own; a department admin those owned by members of their subtrees.',
        params: accountParamsSchema,
        querystring: groupChatListQuerySchema,
        response: { 200: groupChatPageSchema },
      },
      handler: async (request) => service.list(contextOf(request), request.params.id, request.query),
    });

    app.post(`${base}/sync`, {
      config: manage,
      schema: {
        tags,
        summary: 'Read every customer group from WeCom (groupchat/list, groupchat/get) as a resumable job',
        description:
          'Answers 202 with the job; its progress (groups read of all listed) and result (`listed`, `synced`, `failed`, `dismissed`) are at /api/v1/jobs/{jobId}. A group WeCom refuses to describe is a row error of the job; groups no longer listed are marked dismissed. One sync per corp at a time.',
        params: accountParamsSchema,
        response: { 202: startedJobSchema },
      },
      handler: async (request, reply) => reply.status(202).send(await service.startSync(contextOf(request), request.params.id)),
    });

    app.get(`${base}/join-ways`, {
      config: read,
      schema: {
        tags,
        summary: 'List 「加入群聊」 codes with their QR code and joins through their state',
        description:
          'A code is listed when the caller reaches at least one of its groups (as the group list reaches them); `editable` says whether the caller may change or delete it, which needs every one of its groups within reach.',
        params: accountParamsSchema,
        response: { 200: joinWayListSchema },
      },
      handler: async (request) => ({ items: await service.listJoinWays(contextOf(request), request.params.id) }),
    });

    app.post(`${base}/join-ways`, {
      config: manage,
      schema: {
        tags,
        summary: 'Create a join code for up to 5 groups (in WeCom too)',
        description: 'Checked first: 1–5 live groups, remark and state at most 30 characters, the new-group name prefix at most 40 (needed when groups are opened automatically).',
        params: accountParamsSchema,
        body: joinWayBodySchema,
        response: { 201: joinWaySchema },
      },
      handler: async (request, reply) => reply.status(201).send(await service.createJoinWay(contextOf(request), request.params.id, request.body)),
    });

    app.put(`${base}/join-ways/:joinWayId`, {
      config: manage,
      schema: {
        tags,
        summary: 'Change a join code (in WeCom too)',
        description:
          'Its current groups and the new ones must all be within the caller’s reach: a code the caller does not see is not found (404), a group out of reach is refused as on create (`GROUP_JOIN_WAY_UNKNOWN_CHAT`).',
        params: joinWayParamsSchema,
        body: joinWayBodySchema,
        response: { 200: joinWaySchema },
      },
      handler: async (request) => service.updateJoinWay(contextOf(request), request.params.id, request.params.joinWayId, request.body),
    });

    app.delete(`${base}/join-ways/:joinWayId`, {
      config: manage,
      schema: {
        tags,
        summary: 'Delete a join code (in WeCom too)',
        description: 'Its groups must all be within the caller’s reach, checked as on change.',
        params: joinWayParamsSchema,
        response: { 204: z.null() },
      },
      handler: async (request, reply) => {
        await service.deleteJoinWay(contextOf(request), request.params.id, request.params.joinWayId);
        return reply.status(204).send(null);
      },
    });

    app.get(`${base}/:chatId`, {
      config: read,
      schema: { tags, summary: 'One customer group: members, how each joined, joins per day', params: chatParamsSchema, response: { 200: groupChatDetailSchema } },
      handler: async (request) => service.get(contextOf(request), request.params.id, request.params.chatId),
    });
  };
}
