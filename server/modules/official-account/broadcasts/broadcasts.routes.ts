import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { contextOf } from '../../system';
import {
  broadcastAccountParamsSchema,
  broadcastPageSchema,
  broadcastParamsSchema,
  broadcastSchema,
  createBroadcastBodySchema,
  estimateBroadcastBodySchema,
  estimateSchema,
  listBroadcastsQuerySchema,
  listRecipientsQuerySchema,
  previewBroadcastBodySchema,
  previewResultSchema,
  recipientPageSchema,
} from './broadcasts.schema';
import type { BroadcastsService } from './broadcasts.service';

const tags = ['official-account broadcasts'];
const base = '/api/v1/official-accounts/:accountId/broadcasts';

/** `/api/v1/official-accounts/{id}/broadcasts`: targeted pushes (群发) by tag, list or to everyone. */
export function broadcastsRoutes(service: BroadcastsService): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      `${base}/estimate`,
      {
        config: { access: 'official_account.read' },
        schema: {
          tags,
          summary: 'Count the recipients of an audience and check WeChat’s mass-send limits',
          description: 'Service accounts: 4 mass messages per follower a month; subscription accounts: one mass send a day (Beijing time). Counted from Qiao’s own sends.',
          params: broadcastAccountParamsSchema,
          body: estimateBroadcastBodySchema,
          response: { 200: estimateSchema },
        },
      },
      async (request) => service.estimate(request.params.accountId, request.body.audience),
    );

    app.post(
      `${base}/preview`,
      {
        config: { access: 'official_account.write' },
        schema: { tags, summary: 'Preview a push to one follower (mass/preview)', params: broadcastAccountParamsSchema, body: previewBroadcastBodySchema, response: { 200: previewResultSchema } },
      },
      async (request) => service.preview(contextOf(request), request.params.accountId, request.body.content, request.body.openId),
    );

    app.post(
      base,
      {
        config: { access: 'official_account.write' },
        schema: {
          tags,
          summary: 'Send a push now or schedule it',
          description:
            'Writes the push first, then calls WeChat: the answer is `submitted` (WeChat took it; MASSSENDJOBFINISH brings the counts), `failed` (WeChat refused, nothing sent) or an error. With `scheduledAt` it is `scheduled` and a job sends it then.',
          params: broadcastAccountParamsSchema,
          body: createBroadcastBodySchema,
          response: { 201: broadcastSchema },
        },
      },
      async (request, reply) => reply.status(201).send(await service.create(contextOf(request), request.params.accountId, request.body)),
    );

    app.get(
      base,
      {
        config: { access: 'official_account.read' },
        schema: { tags, summary: 'List pushes, newest first', params: broadcastAccountParamsSchema, querystring: listBroadcastsQuerySchema, response: { 200: broadcastPageSchema } },
      },
      async (request) => service.list(request.params.accountId, request.query),
    );

    app.get(
      `${base}/:broadcastId`,
      {
        config: { access: 'official_account.read' },
        schema: { tags, summary: 'Get a push with its status and counts', params: broadcastParamsSchema, response: { 200: broadcastSchema } },
      },
      async (request) => service.get(request.params.accountId, request.params.broadcastId),
    );

    app.get(
      `${base}/:broadcastId/recipients`,
      {
        config: { access: 'official_account.read' },
        schema: {
          tags,
          summary: 'Who a push was meant for, with each one’s status',
          params: broadcastParamsSchema,
          querystring: listRecipientsQuerySchema,
          response: { 200: recipientPageSchema },
        },
      },
      async (request) => service.recipients(request.params.accountId, request.params.broadcastId, request.query),
    );

    app.post(
      `${base}/:broadcastId/cancel`,
      {
        config: { access: 'official_account.write' },
        schema: { tags, summary: 'Cancel a scheduled push before it runs', params: broadcastParamsSchema, response: { 200: broadcastSchema } },
      },
      async (request) => service.cancel(contextOf(request), request.params.accountId, request.params.broadcastId),
    );

    app.post(
      `${base}/:broadcastId/retry`,
      {
        config: { access: 'official_account.write' },
        schema: {
          tags,
          summary: 'Send an unknown-state push again with the same clientmsgid (WeChat refuses a duplicate)',
          params: broadcastParamsSchema,
          response: { 200: broadcastSchema },
        },
      },
      async (request) => service.retry(contextOf(request), request.params.accountId, request.params.broadcastId),
    );

    app.post(
      `${base}/:broadcastId/refresh`,
      {
        config: { access: 'official_account.write' },
        schema: { tags, summary: 'Ask WeChat for the status (mass/get) when its event has not come', params: broadcastParamsSchema, response: { 200: broadcastSchema } },
      },
      async (request) => service.refresh(request.params.accountId, request.params.broadcastId),
    );
  };
}
