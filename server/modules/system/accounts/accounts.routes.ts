import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { RequestContext } from '../../../platform/http/principal';
import { localeFromAcceptLanguage } from '../../../platform/i18n/locale';
import {
  accountIdParamsSchema,
  accountPageSchema,
  accountSchema,
  accountTestResultSchema,
  callbackCheckBodySchema,
  callbackCheckResultSchema,
  createAccountBodySchema,
  listAccountsQuerySchema,
  updateAccountBodySchema,
} from './accounts.schema';
import type { AccountsService } from './accounts.service';

const tags = ['accounts'];

function contextOf(request: FastifyRequest): RequestContext {
  const userAgent = request.headers['user-agent'];
  return { principal: request.principal, ip: request.ip, userAgent: typeof userAgent === 'string' ? userAgent.slice(0, 500) : null, requestId: request.id };
}

/** `/api/v1/accounts`: connected Official Accounts and WeCom corps. Secrets go in, never out. */
export function createAccountsRoutes(service: AccountsService) {
  return async function accountsRoutes(fastify: FastifyInstance): Promise<void> {
    const app = fastify.withTypeProvider<ZodTypeProvider>();

    app.post(
      '/api/v1/accounts',
      {
        config: { access: 'accounts.write' },
        schema: {
          tags,
          summary: 'Connect an Official Account or a WeCom corp (does not call WeChat)',
          body: createAccountBodySchema,
          response: { 201: accountSchema },
        },
      },
      async (request, reply) => reply.status(201).send(await service.create(contextOf(request), request.body)),
    );

    app.get(
      '/api/v1/accounts',
      {
        config: { access: 'accounts.read' },
        schema: { tags, summary: 'List connected accounts', querystring: listAccountsQuerySchema, response: { 200: accountPageSchema } },
      },
      async (request) => service.list(request.query),
    );

    app.get(
      '/api/v1/accounts/:id',
      {
        config: { access: 'accounts.read' },
        schema: { tags, summary: 'Get a connected account with its callback settings', params: accountIdParamsSchema, response: { 200: accountSchema } },
      },
      async (request) => service.getAccount(request.params.id),
    );

    app.patch(
      '/api/v1/accounts/:id',
      {
        config: { access: 'accounts.write' },
        schema: {
          tags,
          summary: 'Change a connected account (name, secrets, callback token, EncodingAESKey, WeCom receivers)',
          params: accountIdParamsSchema,
          body: updateAccountBodySchema,
          response: { 200: accountSchema },
        },
      },
      async (request) => service.update(contextOf(request), request.params.id, request.body),
    );

    app.delete(
      '/api/v1/accounts/:id',
      {
        config: { access: 'accounts.write' },
        schema: { tags, summary: 'Disconnect an account', params: accountIdParamsSchema },
      },
      async (request, reply) => {
        await service.remove(contextOf(request), request.params.id);
        return reply.status(204).send();
      },
    );

    app.post(
      '/api/v1/accounts/:id/test',
      {
        config: { access: 'accounts.write' },
        schema: {
          tags,
          summary: 'Fetch an access token for each receiver: checks secrets and the IP whitelist',
          params: accountIdParamsSchema,
          response: { 200: accountTestResultSchema },
        },
      },
      async (request) => service.test(request.params.id, localeFromAcceptLanguage(request.headers['accept-language'])),
    );

    app.post(
      '/api/v1/accounts/:id/callback-check',
      {
        config: { access: 'accounts.write' },
        schema: {
          tags,
          summary: 'Callback self-check: replay WeChat’s URL verification and a refused push against each callback URL',
          params: accountIdParamsSchema,
          body: callbackCheckBodySchema,
          response: { 200: callbackCheckResultSchema },
        },
      },
      async (request) => service.checkCallbacks(request.params.id, request.body),
    );
  };
}
