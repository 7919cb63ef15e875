import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { localeFromAcceptLanguage } from '../../../platform/i18n/locale';
import { contextOf } from '../../system/audit';
import {
  accountParamsSchema,
  conditionalMenuListSchema,
  conditionalMenuSchema,
  conditionalParamsSchema,
  createConditionalMenuSchema,
  menuDiffQuerySchema,
  menuDiffSchema,
  menuStateSchema,
  menuVersionListSchema,
  tryMatchBodySchema,
  tryMatchResultSchema,
  versionParamsSchema,
  wechatMenuSchema,
} from './menus.schema';
import type { MenusService } from './menus.service';

const tags = ['official-account'];
const base = '/api/v1/official-accounts/:accountId/menu';

/** `/api/v1/official-accounts/{id}/menu`: draft, publish, pull, history with rollback, conditional menus. */
export function createMenusRoutes(service: MenusService) {
  return async function menusRoutes(fastify: FastifyInstance): Promise<void> {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    const read = { access: 'official_account.read' } as const;
    const write = { access: 'official_account.write' } as const;

    app.get(base, { config: read, schema: { tags, summary: 'Draft and published menu (settles an interrupted publish first)', params: accountParamsSchema, response: { 200: menuStateSchema } } }, async (request) =>
      service.getState(request.params.accountId),
    );

    app.put(
      base,
      { config: write, schema: { tags, summary: 'Save the draft (checked against WeChat’s rules; nothing is sent to WeChat)', params: accountParamsSchema, body: wechatMenuSchema, response: { 200: menuStateSchema } } },
      async (request) => service.saveDraft(contextOf(request), request.params.accountId, request.body),
    );

    app.post(
      `${base}/publish`,
      { config: write, schema: { tags, summary: 'Publish the draft to WeChat (menu/create)', params: accountParamsSchema, response: { 200: menuStateSchema } } },
      async (request) => service.publish(contextOf(request), request.params.accountId, localeFromAcceptLanguage(request.headers['accept-language'])),
    );

    app.post(
      `${base}/pull`,
      { config: write, schema: { tags, summary: 'Copy WeChat’s live menu into the draft (and record it as published if it differs)', params: accountParamsSchema, response: { 200: menuStateSchema } } },
      async (request) => service.pull(contextOf(request), request.params.accountId),
    );

    app.get(
      `${base}/versions`,
      { config: read, schema: { tags, summary: 'Every published, failed or pulled version, newest first', params: accountParamsSchema, response: { 200: menuVersionListSchema } } },
      async (request) => ({ items: await service.history(request.params.accountId) }),
    );

    app.get(
      `${base}/diff`,
      { config: read, schema: { tags, summary: 'Button-level changes from one version to another', params: accountParamsSchema, querystring: menuDiffQuerySchema, response: { 200: menuDiffSchema } } },
      async (request) => service.diff(request.params.accountId, request.query.from, request.query.to),
    );

    app.post(
      `${base}/versions/:version/rollback`,
      { config: write, schema: { tags, summary: 'Publish an earlier version again', params: versionParamsSchema, response: { 200: menuStateSchema } } },
      async (request) =>
        service.rollback(contextOf(request), request.params.accountId, request.params.version, localeFromAcceptLanguage(request.headers['accept-language'])),
    );

    app.get(
      `${base}/conditional`,
      { config: read, schema: { tags, summary: 'Conditional menus (by tag or client platform)', params: accountParamsSchema, response: { 200: conditionalMenuListSchema } } },
      async (request) => ({ items: await service.listConditional(request.params.accountId) }),
    );

    app.post(
      `${base}/conditional`,
      {
        config: write,
        schema: { tags, summary: 'Create a conditional menu on WeChat (menu/addconditional)', params: accountParamsSchema, body: createConditionalMenuSchema, response: { 201: conditionalMenuSchema } },
      },
      async (request, reply) =>
        reply.status(201).send(await service.createConditional(contextOf(request), request.params.accountId, request.body, localeFromAcceptLanguage(request.headers['accept-language']))),
    );

    app.delete(
      `${base}/conditional/:id`,
      { config: write, schema: { tags, summary: 'Delete a conditional menu on WeChat and in Qiao', params: conditionalParamsSchema } },
      async (request, reply) => {
        await service.deleteConditional(contextOf(request), request.params.accountId, request.params.id, localeFromAcceptLanguage(request.headers['accept-language']));
        return reply.status(204).send();
      },
    );

    app.post(
      `${base}/trymatch`,
      { config: read, schema: { tags, summary: 'Which menu a follower (OpenID or WeChat id) would see', params: accountParamsSchema, body: tryMatchBodySchema, response: { 200: tryMatchResultSchema } } },
      async (request) => service.tryMatch(request.params.accountId, request.body.userId),
    );
  };
}
