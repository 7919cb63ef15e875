import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { contextOf, principalOf } from '../audit';
import { apiKeyIdParamsSchema, apiKeyPageSchema, apiKeySchema, createApiKeyBodySchema, createdApiKeySchema, listApiKeysQuerySchema } from './api-keys.schema';
import type { ApiKeysService } from './api-keys.service';

const tags = ['api-keys'];

export function apiKeysRoutes(service: ApiKeysService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/v1/api-keys',
      {
        config: { access: 'api_keys.manage' },
        schema: {
          tags,
          summary: 'List API keys',
          description: 'Your own keys, newest first; a super_admin may pass `all=true` for every user\'s keys.',
          querystring: listApiKeysQuerySchema,
          response: { 200: apiKeyPageSchema },
        },
      },
      async (request) => service.list(contextOf(request), principalOf(request), request.query),
    );

    app.post(
      '/api/v1/api-keys',
      {
        config: { access: 'api_keys.manage' },
        schema: {
          tags,
          summary: 'Create an API key',
          description: 'The answer holds `key`, shown only this once. Role and scopes may only narrow your own.',
          body: createApiKeyBodySchema,
          response: { 201: createdApiKeySchema },
        },
      },
      async (request, reply) => reply.status(201).send(await service.create(contextOf(request), principalOf(request), request.body)),
    );

    app.delete(
      '/api/v1/api-keys/:id',
      {
        config: { access: 'api_keys.manage' },
        schema: { tags, summary: 'Revoke an API key', params: apiKeyIdParamsSchema, response: { 200: apiKeySchema } },
      },
      async (request) => service.revoke(contextOf(request), principalOf(request), request.params.id),
    );
  };
}
