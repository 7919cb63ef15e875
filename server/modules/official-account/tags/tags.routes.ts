import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { contextOf } from '../../system';
import {
  ruleParamsSchema,
  startedTagJobSchema,
  tagAccountParamsSchema,
  tagBodySchema,
  tagFollowersBodySchema,
  tagListSchema,
  tagParamsSchema,
  tagRuleBodySchema,
  tagRuleListSchema,
  tagRuleSchema,
  tagSchema,
} from './tags.schema';
import type { TagsService } from './tags.service';

const tags = ['official-account tags'];
const base = '/api/v1/official-accounts/:id/tags';
const rules = '/api/v1/official-accounts/:id/tag-rules';

/** 标签管理: `/api/v1/official-accounts/{id}/tags` and the auto-tag rules. */
export function tagsRoutes(service: TagsService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      base,
      {
        config: { access: 'official_account.read' },
        schema: { tags, summary: 'List tags with their follower counts', params: tagAccountParamsSchema, response: { 200: tagListSchema } },
      },
      async (request) => ({ items: await service.list(request.params.id) }),
    );

    app.post(
      `${base}/sync`,
      {
        config: { access: 'official_account.write' },
        schema: { tags, summary: 'Pull the tags from WeChat (tags/get), and the members of each tag whose count differs from Qiao’s (user/tag/get)', params: tagAccountParamsSchema, response: { 200: tagListSchema } },
      },
      async (request) => {
        await service.pull(request.params.id);
        return { items: await service.list(request.params.id) };
      },
    );

    app.post(
      base,
      {
        config: { access: 'official_account.write' },
        schema: {
          tags,
          summary: 'Create a tag (on WeChat too)',
          description: 'At most 100 tags per account; names at most 30 characters and unique.',
          params: tagAccountParamsSchema,
          body: tagBodySchema,
          response: { 201: tagSchema },
        },
      },
      async (request, reply) => reply.status(201).send(await service.create(contextOf(request), request.params.id, request.body.name)),
    );

    app.patch(
      `${base}/:tagId`,
      {
        config: { access: 'official_account.write' },
        schema: { tags, summary: 'Rename a tag (on WeChat too); system tags 0–2 cannot change', params: tagParamsSchema, body: tagBodySchema, response: { 200: tagSchema } },
      },
      async (request) => service.rename(contextOf(request), request.params.id, request.params.tagId, request.body.name),
    );

    app.delete(
      `${base}/:tagId`,
      {
        config: { access: 'official_account.write' },
        schema: {
          tags,
          summary: 'Delete a tag (on WeChat too)',
          description: 'WeChat refuses tags with more than 100,000 followers; system tags 0–2 cannot be deleted.',
          params: tagParamsSchema,
          response: { 204: z.null() },
        },
      },
      async (request, reply) => {
        await service.remove(contextOf(request), request.params.id, request.params.tagId);
        return reply.status(204).send(null);
      },
    );

    for (const [method, action] of [
      ['post', 'tag'],
      ['delete', 'untag'],
    ] as const) {
      app[method](
        `${base}/:tagId/followers`,
        {
          config: { access: 'official_account.write' },
          schema: {
            tags,
            summary: action === 'tag' ? 'Tag followers (a job)' : 'Untag followers (a job)',
            description:
              'Sent to WeChat in batches of 50, each retried with backoff when WeChat is busy or over quota. The job’s row errors list ' +
              'the OpenIDs WeChat refused with the errcode in plain words; only accepted ones change locally.',
            params: tagParamsSchema,
            body: tagFollowersBodySchema,
            response: { 202: startedTagJobSchema },
          },
        },
        async (request, reply) =>
          reply.status(202).send(await service.startTagging(contextOf(request), request.params.id, request.params.tagId, action, request.body.openIds)),
      );
    }

    app.get(
      rules,
      {
        config: { access: 'official_account.read' },
        schema: { tags, summary: 'List auto-tag rules', params: tagAccountParamsSchema, response: { 200: tagRuleListSchema } },
      },
      async (request) => ({ items: await service.listRules(request.params.id) }),
    );

    app.post(
      rules,
      {
        config: { access: 'official_account.write' },
        schema: {
          tags,
          summary: 'Create an auto-tag rule',
          description: 'Who clicks the menu button with key `value` (`menu_click`), or sends text matching `value` (`keyword`), gets the tag.',
          params: tagAccountParamsSchema,
          body: tagRuleBodySchema,
          response: { 201: tagRuleSchema },
        },
      },
      async (request, reply) => reply.status(201).send(await service.createRule(contextOf(request), request.params.id, request.body)),
    );

    app.put(
      `${rules}/:ruleId`,
      {
        config: { access: 'official_account.write' },
        schema: { tags, summary: 'Change an auto-tag rule', params: ruleParamsSchema, body: tagRuleBodySchema, response: { 200: tagRuleSchema } },
      },
      async (request) => service.updateRule(contextOf(request), request.params.id, request.params.ruleId, request.body),
    );

    app.delete(
      `${rules}/:ruleId`,
      {
        config: { access: 'official_account.write' },
        schema: { tags, summary: 'Delete an auto-tag rule', params: ruleParamsSchema, response: { 204: z.null() } },
      },
      async (request, reply) => {
        await service.deleteRule(contextOf(request), request.params.id, request.params.ruleId);
        return reply.status(204).send(null);
      },
    );
  };
}
