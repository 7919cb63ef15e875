import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { contextOf } from '../../system';
import {
  accountParamsSchema,
  conflictListSchema,
  createGroupBodySchema,
  createTagBodySchema,
  customerTagGroupSchema,
  customerTagLibrarySchema,
  customerTagSchema,
  groupParamsSchema,
  markBodySchema,
  markResultSchema,
  resolveBodySchema,
  ruleParamsSchema,
  syncResultSchema,
  tagParamsSchema,
  tagRuleBodySchema,
  tagRuleListSchema,
  tagRuleSchema,
  updateTagBodySchema,
} from './customer-tags.schema';
import type { CustomerTagsService } from './customer-tags.service';

const tags = ['wecom customer tags'];
const base = '/api/v1/wecom/:id/customer-tags';
const read = { access: 'wecom.customers.read' as const };
const write = { access: 'wecom.customers.write' as const };
/** The library and its rules are the corp's; only marking a customer is a member's own work. */
const manage = { access: 'wecom.customers.manage' as const };

/** 客户标签: `/api/v1/wecom/{id}/customer-tags`, two-way with WeCom's corp tag library. */
export function customerTagsRoutes(service: CustomerTagsService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(base, {
      config: read,
      schema: { tags, summary: 'The corp tag library: groups with their tags, each synced, pending or in conflict', params: accountParamsSchema, response: { 200: customerTagLibrarySchema } },
      handler: async (request) => service.list(request.params.id),
    });

    app.post(`${base}/sync`, {
      config: manage,
      schema: {
        tags,
        summary: 'Pull the library from WeCom, then send Qiao’s pending changes that are not in conflict',
        description: 'A row changed in both Qiao (not yet applied) and WeCom since the last sync becomes a conflict; it is never overwritten.',
        params: accountParamsSchema,
        response: { 200: syncResultSchema },
      },
      handler: async (request) => service.sync(contextOf(request), request.params.id),
    });

    app.post(`${base}/groups`, {
      config: manage,
      schema: {
        tags,
        summary: 'Create a tag group with its tags (in WeCom too)',
        description: 'Checked first: names 1–30 characters, unique in their group, order 0 to 2^32−1, at least one tag, at most 10,000 tags per corp.',
        params: accountParamsSchema,
        body: createGroupBodySchema,
        response: { 201: customerTagGroupSchema },
      },
      handler: async (request, reply) => reply.status(201).send(await service.createGroup(contextOf(request), request.params.id, request.body)),
    });

    app.patch(`${base}/groups/:groupId`, {
      config: manage,
      schema: { tags, summary: 'Rename or reorder a tag group (in WeCom too)', params: groupParamsSchema, body: updateTagBodySchema, response: { 200: customerTagLibrarySchema } },
      handler: async (request) => service.update(contextOf(request), request.params.id, request.params.groupId, 'group', request.body),
    });

    app.delete(`${base}/groups/:groupId`, {
      config: manage,
      schema: { tags, summary: 'Delete a tag group and its tags (in WeCom too)', params: groupParamsSchema, response: { 204: z.null() } },
      handler: async (request, reply) => {
        await service.remove(contextOf(request), request.params.id, request.params.groupId, 'group');
        return reply.status(204).send(null);
      },
    });

    app.post(`${base}/groups/:groupId/tags`, {
      config: manage,
      schema: { tags, summary: 'Add a tag to a group (in WeCom too)', params: groupParamsSchema, body: createTagBodySchema, response: { 201: customerTagSchema } },
      handler: async (request, reply) => reply.status(201).send(await service.createTag(contextOf(request), request.params.id, request.params.groupId, request.body)),
    });

    app.patch(`${base}/tags/:tagId`, {
      config: manage,
      schema: { tags, summary: 'Rename or reorder a tag (in WeCom too)', params: tagParamsSchema, body: updateTagBodySchema, response: { 200: customerTagLibrarySchema } },
      handler: async (request) => service.update(contextOf(request), request.params.id, request.params.tagId, 'tag', request.body),
    });

    app.delete(`${base}/tags/:tagId`, {
      config: manage,
      schema: {
        tags,
        summary: 'Delete a tag (in WeCom too)',
        description: 'WeCom deletes a group together with its last tag; Qiao does the same.',
        params: tagParamsSchema,
        response: { 204: z.null() },
      },
      handler: async (request, reply) => {
        await service.remove(contextOf(request), request.params.id, request.params.tagId, 'tag');
        return reply.status(204).send(null);
      },
    });

    app.get(`${base}/conflicts`, {
      config: read,
      schema: { tags, summary: 'Groups and tags changed on both sides since the last sync: Qiao’s, WeCom’s and the last agreed values', params: accountParamsSchema, response: { 200: conflictListSchema } },
      handler: async (request) => ({ items: await service.conflicts(request.params.id) }),
    });

    app.post(`${base}/conflicts/:tagId/resolve`, {
      config: manage,
      schema: {
        tags,
        summary: 'Settle a conflict: keep WeCom’s values, or send Qiao’s to WeCom',
        params: tagParamsSchema,
        body: resolveBodySchema,
        response: { 200: customerTagLibrarySchema },
      },
      handler: async (request) => service.resolve(contextOf(request), request.params.id, request.params.tagId, request.body.side),
    });

    app.post(`${base}/mark`, {
      config: write,
      schema: {
        tags,
        summary: 'Add or remove corp tags on a member’s customer (mark_tag)',
        description: 'A member may tag only the customers of the WeCom members they are; a department admin those of members in their subtrees. Tag ids are WeCom’s.',
        params: accountParamsSchema,
        body: markBodySchema,
        response: { 200: markResultSchema },
      },
      handler: async (request) => service.mark(contextOf(request), request.params.id, request.body),
    });

    app.get(`${base}/rules`, {
      config: read,
      schema: { tags, summary: 'List auto-tag rules', params: accountParamsSchema, response: { 200: tagRuleListSchema } },
      handler: async (request) => ({ items: await service.listRules(request.params.id) }),
    });

    app.post(`${base}/rules`, {
      config: manage,
      schema: {
        tags,
        summary: 'Create an auto-tag rule',
        description:
          '`state`: customers added through a 「联系我」 code with that state; `add_way`: customers added that way (1 QR code, 2 phone search, 4 group chat…); ' +
          '`keyword`: customers a member writes about with matching text. Each customer is tagged once per rule and member.',
        params: accountParamsSchema,
        body: tagRuleBodySchema,
        response: { 201: tagRuleSchema },
      },
      handler: async (request, reply) => reply.status(201).send(await service.createRule(contextOf(request), request.params.id, request.body)),
    });

    app.put(`${base}/rules/:ruleId`, {
      config: manage,
      schema: { tags, summary: 'Change an auto-tag rule', params: ruleParamsSchema, body: tagRuleBodySchema, response: { 200: tagRuleSchema } },
      handler: async (request) => service.updateRule(contextOf(request), request.params.id, request.params.ruleId, request.body),
    });

    app.delete(`${base}/rules/:ruleId`, {
      config: manage,
      schema: { tags, summary: 'Delete an auto-tag rule', params: ruleParamsSchema, response: { 204: z.null() } },
      handler: async (request, reply) => {
        await service.deleteRule(contextOf(request), request.params.id, request.params.ruleId);
        return reply.status(204).send(null);
      },
    });
  };
}
