import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { localeFromAcceptLanguage } from '../../../platform/i18n/locale';
import { contextOf } from '../../system';
import {
  applyBodySchema,
  listItemsQuerySchema,
  listRunsQuerySchema,
  runWithJobSchema,
  syncAccountParamsSchema,
  syncItemPageSchema,
  syncRunPageSchema,
  syncRunParamsSchema,
  syncRunSchema,
} from './directory-sync.schema';
import type { DirectorySyncService } from './directory-sync.service';

const tags = ['wecom-directory-sync'];

/**
 * `/api/v1/wecom/{accountId}/directory-sync`: compare Qiao's directory with
 * WeCom's, review the differences, apply the chosen ones. `POST
 * .../departments/sync` is the one-step "pull from WeCom".
 */
export function createDirectorySyncRoutes(service: DirectorySyncService) {
  return async function directorySyncRoutes(fastify: FastifyInstance): Promise<void> {
    const app = fastify.withTypeProvider<ZodTypeProvider>();

    app.post(
      '/api/v1/wecom/:accountId/directory-sync/diff',
      {
        config: { access: 'wecom.directory.read' },
        schema: {
          tags,
          summary: 'Compare Qiao’s directory with WeCom’s (a job; writes no directory row)',
          params: syncAccountParamsSchema,
          response: { 202: runWithJobSchema },
        },
      },
      async (request, reply) => reply.status(202).send(await service.compare(contextOf(request), request.params.accountId, 'manual')),
    );

    app.post(
      '/api/v1/wecom/:accountId/departments/sync',
      {
        config: { access: 'wecom.directory.write' },
        schema: {
          tags,
          summary: 'Pull the directory from WeCom: compare, then apply every pull; conflicts and pushes stay for review',
          params: syncAccountParamsSchema,
          response: { 202: runWithJobSchema },
        },
      },
      async (request, reply) => reply.status(202).send(await service.compare(contextOf(request), request.params.accountId, 'pull')),
    );

    app.get(
      '/api/v1/wecom/:accountId/directory-sync/runs',
      {
        config: { access: 'wecom.directory.read' },
        schema: { tags, summary: 'List sync runs, newest first', params: syncAccountParamsSchema, querystring: listRunsQuerySchema, response: { 200: syncRunPageSchema } },
      },
      async (request) => service.listRuns(contextOf(request), request.params.accountId, request.query),
    );

    app.get(
      '/api/v1/wecom/:accountId/directory-sync/runs/:runId',
      {
        config: { access: 'wecom.directory.read' },
        schema: { tags, summary: 'Get a sync run with its counts by action', params: syncRunParamsSchema, response: { 200: syncRunSchema } },
      },
      async (request) => service.getRun(contextOf(request), request.params.accountId, request.params.runId),
    );

    app.get(
      '/api/v1/wecom/:accountId/directory-sync/runs/:runId/items',
      {
        config: { access: 'wecom.directory.read' },
        schema: {
          tags,
          summary: 'List the differences of a run (filters kind, action, state)',
          params: syncRunParamsSchema,
          querystring: listItemsQuerySchema,
          response: { 200: syncItemPageSchema },
        },
      },
      async (request) =>
        service.listItems(contextOf(request), request.params.accountId, request.params.runId, request.query, localeFromAcceptLanguage(request.headers['accept-language'])),
    );

    app.post(
      '/api/v1/wecom/:accountId/directory-sync/runs/:runId/apply',
      {
        config: { access: 'wecom.directory.write' },
        schema: {
          tags,
          summary: 'Apply chosen differences (all pulls, all pushes, single items, a choice per conflict) as a job',
          params: syncRunParamsSchema,
          body: applyBodySchema,
          response: { 202: runWithJobSchema },
        },
      },
      async (request, reply) => reply.status(202).send(await service.apply(contextOf(request), request.params.accountId, request.params.runId, request.body)),
    );
  };
}
