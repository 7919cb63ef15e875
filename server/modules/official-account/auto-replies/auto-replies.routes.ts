import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { RequestContext } from '../../../platform/http/principal';
import {
  accountParamsSchema,
  autoReplyImportResultSchema,
  autoReplyPageSchema,
  autoReplyRuleWithWarningsSchema,
  autoReplyStatusSchema,
  autoReplyTestBodySchema,
  autoReplyTestResultSchema,
  createAutoReplyBodySchema,
  listAutoRepliesQuerySchema,
  moveAutoReplyBodySchema,
  ruleParamsSchema,
  updateAutoReplyBodySchema,
} from './auto-replies.schema';
import type { AutoRepliesService } from './auto-replies.service';

const tags = ['official-account auto-replies'];
const base = '/api/v1/official-accounts/:id/auto-replies';

function contextOf(request: FastifyRequest): RequestContext {
  const userAgent = request.headers['user-agent'];
  return { principal: request.principal, ip: request.ip, userAgent: typeof userAgent === 'string' ? userAgent.slice(0, 500) : null, requestId: request.id };
}

/** `/api/v1/official-accounts/{id}/auto-replies`: rules, priority, the tester and the platform import. */
export function createAutoRepliesRoutes(service: AutoRepliesService) {
  return async function autoRepliesRoutes(fastify: FastifyInstance): Promise<void> {
    const app = fastify.withTypeProvider<ZodTypeProvider>();
    const read = { access: 'official_account.read' } as const;
    const write = { access: 'official_account.write' } as const;

    app.get(
      base,
      { config: read, schema: { tags, summary: 'List auto-reply rules by kind and priority', params: accountParamsSchema, querystring: listAutoRepliesQuerySchema, response: { 200: autoReplyPageSchema } } },
      async (request) => service.list(request.params.id, request.query),
    );

    app.post(
      base,
      {
        config: write,
        schema: {
          tags,
          summary: 'Create an auto-reply rule (last in its kind); the answer lists overlapping keyword rules',
          params: accountParamsSchema,
          body: createAutoReplyBodySchema,
          response: { 201: autoReplyRuleWithWarningsSchema },
        },
      },
      async (request, reply) => reply.status(201).send(await service.create(contextOf(request), request.params.id, request.body)),
    );

    app.get(
      `${base}/status`,
      { config: read, schema: { tags, summary: 'Rule counts and whether the platform rules were imported', params: accountParamsSchema, response: { 200: autoReplyStatusSchema } } },
      async (request) => service.status(request.params.id),
    );

    app.post(
      `${base}/test`,
      {
        config: read,
        schema: {
          tags,
          summary: 'Which rule would answer a message, follow or click (no side effects)',
          params: accountParamsSchema,
          body: autoReplyTestBodySchema,
          response: { 200: autoReplyTestResultSchema },
        },
      },
      async (request) => service.test(request.params.id, request.body),
    );

    app.post(
      `${base}/import-platform`,
      {
        config: write,
        schema: {
          tags,
          summary: 'Import the auto-replies set in the platform web console (get_current_autoreply_info)',
          params: accountParamsSchema,
          response: { 200: autoReplyImportResultSchema },
        },
      },
      async (request) => service.importFromPlatform(contextOf(request), request.params.id),
    );

    app.get(
      `${base}/:ruleId`,
      { config: read, schema: { tags, summary: 'Get an auto-reply rule with its keyword overlaps', params: ruleParamsSchema, response: { 200: autoReplyRuleWithWarningsSchema } } },
      async (request) => service.get(request.params.id, request.params.ruleId),
    );

    app.patch(
      `${base}/:ruleId`,
      {
        config: write,
        schema: { tags, summary: 'Change an auto-reply rule (enable, disable, edit)', params: ruleParamsSchema, body: updateAutoReplyBodySchema, response: { 200: autoReplyRuleWithWarningsSchema } },
      },
      async (request) => service.update(contextOf(request), request.params.id, request.params.ruleId, request.body),
    );

    app.post(
      `${base}/:ruleId/move`,
      {
        config: write,
        schema: { tags, summary: 'Move a rule to another priority within its kind (0 answers first)', params: ruleParamsSchema, body: moveAutoReplyBodySchema, response: { 200: autoReplyRuleWithWarningsSchema } },
      },
      async (request) => service.move(contextOf(request), request.params.id, request.params.ruleId, request.body.toIndex),
    );

    app.delete(
      `${base}/:ruleId`,
      { config: write, schema: { tags, summary: 'Delete an auto-reply rule', params: ruleParamsSchema } },
      async (request, reply) => {
        await service.remove(contextOf(request), request.params.id, request.params.ruleId);
        return reply.status(204).send();
      },
    );
  };
}
