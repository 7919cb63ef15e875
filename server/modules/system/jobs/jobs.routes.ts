import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { localeFromAcceptLanguage } from '../../../platform/i18n/locale';
import { contextOf, principalOf } from '../index';
import { jobIdParamsSchema, jobRunPageSchema, jobRunSchema, listJobsQuerySchema } from './jobs.schema';
import type { JobsService } from './jobs.service';

const tags = ['jobs'];

export function jobsRoutes(service: JobsService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/v1/jobs',
      {
        config: { access: 'jobs.read' },
        schema: {
          tags,
          summary: 'List background jobs',
          description: 'Newest first. A super_admin sees every job; others see the jobs they started.',
          querystring: listJobsQuerySchema,
          response: { 200: jobRunPageSchema },
        },
      },
      async (request) => service.list(principalOf(request), request.query, localeFromAcceptLanguage(request.headers['accept-language'])),
    );

    app.get(
      '/api/v1/jobs/:jobId',
      {
        config: { access: 'jobs.read' },
        schema: {
          tags,
          summary: 'Get the progress of a job',
          description: '`state`, `done`, `total` and row `errors` of an import, sync or push; poll it until the state is final.',
          params: jobIdParamsSchema,
          response: { 200: jobRunSchema },
        },
      },
      async (request) => service.get(principalOf(request), request.params.jobId, localeFromAcceptLanguage(request.headers['accept-language'])),
    );

    app.delete(
      '/api/v1/jobs/:jobId',
      {
        config: { access: 'jobs.cancel' },
        schema: {
          tags,
          summary: 'Cancel a job',
          description:
            'A queued job is cancelled at once. A running one is asked to stop at its next safe point; the answer comes when it ' +
            'stopped or after a few seconds, with `cancelRequested` set. Work already committed stays.',
          params: jobIdParamsSchema,
          response: { 200: jobRunSchema },
        },
      },
      async (request) =>
        service.cancel(contextOf(request), principalOf(request), request.params.jobId, localeFromAcceptLanguage(request.headers['accept-language'])),
    );
  };
}
