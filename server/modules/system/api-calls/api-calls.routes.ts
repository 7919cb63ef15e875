import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { localeFromAcceptLanguage } from '../../../platform/i18n/locale';
import { apiCallPageSchema, listApiCallsQuerySchema } from './api-calls.schema';
import type { ApiCallsService } from './api-calls.service';

/** `/api/v1/api-calls`: the log of Qiao's calls to WeChat, for finding what failed and why. */
export function createApiCallsRoutes(service: ApiCallsService) {
  return async function apiCallsRoutes(fastify: FastifyInstance): Promise<void> {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    app.get(
      '/api/v1/api-calls',
      {
        config: { access: 'accounts.read' },
        schema: {
          tags: ['accounts'],
          summary: 'List recent calls to WeChat APIs, newest first, with errcodes explained',
          querystring: listApiCallsQuerySchema,
          response: { 200: apiCallPageSchema },
        },
      },
      async (request) => service.list(request.query, localeFromAcceptLanguage(request.headers['accept-language'])),
    );
  };
}
