import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { contextOf } from '../../system';
import {
  assignBodySchema,
  conversationDetailSchema,
  conversationPageSchema,
  conversationParamsSchema,
  conversationSchema,
  inboxAccountParamsSchema,
  inboxMessagePageSchema,
  inboxMessageSchema,
  listConversationsQuerySchema,
  listMessagesQuerySchema,
  listQuickRepliesQuerySchema,
  quickReplyBodySchema,
  quickReplyListSchema,
  quickReplyParamsSchema,
  quickReplySchema,
  replyBodySchema,
  updateQuickReplyBodySchema,
} from './inbox.schema';
import type { InboxService } from './inbox.service';

const tags = ['official-account inbox'];
const base = '/api/v1/official-accounts/:accountId';
const read = { access: 'official_account.read' } as const;
const write = { access: 'official_account.write' } as const;

/** The customer-service inbox (客服消息): conversations, answers inside WeChat's window, quick replies. */
export function inboxRoutes(service: InboxService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      `${base}/messages`,
      {
        config: read,
        schema: {
          tags,
          summary: 'What followers sent and what operators answered, newest first',
          params: inboxAccountParamsSchema,
          querystring: listMessagesQuerySchema,
          response: { 200: inboxMessagePageSchema },
        },
      },
      async (request) => service.listMessages(request.params.accountId, request.query),
    );

    app.get(
      `${base}/conversations`,
      {
        config: read,
        schema: {
          tags,
          summary: 'Conversations, latest activity first, with unread count, waiting time and the 48-hour window',
          params: inboxAccountParamsSchema,
          querystring: listConversationsQuerySchema,
          response: { 200: conversationPageSchema },
        },
      },
      async (request) => service.listConversations(request.params.accountId, request.query),
    );

    app.get(
      `${base}/conversations/:conversationId`,
      { config: read, schema: { tags, summary: 'One conversation with its response times', params: conversationParamsSchema, response: { 200: conversationDetailSchema } } },
      async (request) => service.getConversation(request.params.accountId, request.params.conversationId),
    );

    app.get(
      `${base}/conversations/:conversationId/messages`,
      {
        config: read,
        schema: {
          tags,
          summary: 'The conversation’s history, newest first',
          params: conversationParamsSchema,
          querystring: listMessagesQuerySchema.omit({ openId: true }),
          response: { 200: inboxMessagePageSchema },
        },
      },
      async (request) => service.listMessages(request.params.accountId, { ...request.query, conversationId: request.params.conversationId }),
    );

    app.post(
      `${base}/conversations/:conversationId/replies`,
      {
        config: write,
        schema: {
          tags,
          summary: 'Answer through the customer-service API (only within 48 hours of the follower’s last message)',
          params: conversationParamsSchema,
          body: replyBodySchema,
          response: { 201: inboxMessageSchema },
        },
      },
      async (request, reply) => reply.status(201).send(await service.reply(contextOf(request), request.params.accountId, request.params.conversationId, request.body)),
    );

    app.post(
      `${base}/conversations/:conversationId/read`,
      { config: read, schema: { tags, summary: 'Mark the conversation read', params: conversationParamsSchema, response: { 200: conversationSchema } } },
      async (request) => service.markRead(request.params.accountId, request.params.conversationId),
    );

    app.post(
      `${base}/conversations/:conversationId/assign`,
      {
        config: write,
        schema: { tags, summary: 'Assign the conversation to an operator (null: unassign)', params: conversationParamsSchema, body: assignBodySchema, response: { 200: conversationSchema } },
      },
      async (request) => service.assign(contextOf(request), request.params.accountId, request.params.conversationId, request.body.assigneeId),
    );

    app.post(
      `${base}/conversations/:conversationId/close`,
      { config: write, schema: { tags, summary: 'Close the conversation (the follower’s next message reopens it)', params: conversationParamsSchema, response: { 200: conversationSchema } } },
      async (request) => service.close(contextOf(request), request.params.accountId, request.params.conversationId),
    );

    app.get(
      `${base}/quick-replies`,
      {
        config: read,
        schema: { tags, summary: 'Quick replies by group and title; `q` searches title and content', params: inboxAccountParamsSchema, querystring: listQuickRepliesQuerySchema, response: { 200: quickReplyListSchema } },
      },
      async (request) => service.listQuickReplies(request.params.accountId, request.query),
    );

    app.post(
      `${base}/quick-replies`,
      {
        config: write,
        schema: {
          tags,
          summary: 'Create a quick reply (variables: {{remark}}, {{openId}}, {{operator}})',
          params: inboxAccountParamsSchema,
          body: quickReplyBodySchema,
          response: { 201: quickReplySchema },
        },
      },
      async (request, reply) => reply.status(201).send(await service.createQuickReply(contextOf(request), request.params.accountId, request.body)),
    );

    app.patch(
      `${base}/quick-replies/:quickReplyId`,
      { config: write, schema: { tags, summary: 'Edit a quick reply', params: quickReplyParamsSchema, body: updateQuickReplyBodySchema, response: { 200: quickReplySchema } } },
      async (request) => service.updateQuickReply(contextOf(request), request.params.accountId, request.params.quickReplyId, request.body),
    );

    app.delete(
      `${base}/quick-replies/:quickReplyId`,
      { config: write, schema: { tags, summary: 'Delete a quick reply', params: quickReplyParamsSchema, response: { 204: z.null() } } },
      async (request, reply) => {
        await service.deleteQuickReply(contextOf(request), request.params.accountId, request.params.quickReplyId);
        return reply.status(204).send(null);
      },
    );
  };
}
