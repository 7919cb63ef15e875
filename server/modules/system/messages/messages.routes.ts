import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { listMessagesQuerySchema, messageAccountParamsSchema, messagePageSchema, messageParamsSchema, messageSchema } from './messages.schema';
import type { MessagesService } from './messages.service';

const tags = ['messages'];

/** `/api/v1/accounts/{accountId}/messages`: what WeChat pushed to an account and what Qiao answered. */
export function messagesRoutes(service: MessagesService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/v1/accounts/:accountId/messages',
      {
        config: { access: 'messages.read' },
        schema: {
          tags,
          summary: 'List received messages and events',
          description: 'Newest first. Filters: `type` (e.g. `official-account.text`), `from` (sender id), `since`/`until` (received time), `q` (words in text content).',
          params: messageAccountParamsSchema,
          querystring: listMessagesQuerySchema,
          response: { 200: messagePageSchema },
        },
      },
      async (request) => service.list(request.params.accountId, request.query),
    );

    app.get(
      '/api/v1/accounts/:accountId/messages/:id',
      {
        config: { access: 'messages.read' },
        schema: { tags, summary: 'Get one received message or event', params: messageParamsSchema, response: { 200: messageSchema } },
      },
      async (request) => service.get(request.params.accountId, request.params.id),
    );
  };
}
