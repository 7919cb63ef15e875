import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { contextOf } from '../../system';
import {
  accountParamsSchema,
  createGroupBodySchema,
  createQuickReplyBodySchema,
  groupParamsSchema,
  itemParamsSchema,
  listQuickRepliesQuerySchema,
  quickReplyGroupListSchema,
  quickReplyGroupSchema,
  quickReplyPageSchema,
  quickReplySchema,
  renderBodySchema,
  renderedSchema,
  updateGroupBodySchema,
  updateQuickReplyBodySchema,
} from './quick-replies.schema';
import type { QuickRepliesService } from './quick-replies.service';

const tags = ['wecom-quick-replies'];
const base = '/api/v1/wecom/:accountId/quick-replies';

/** 话术库: groups and replies under `/api/v1/wecom/{accountId}/quick-replies`, for the console and for sidebars. */
export function quickRepliesRoutes(service: QuickRepliesService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      `${base}/groups`,
      {
        config: { access: 'wecom.customers.read' },
        schema: { tags, summary: 'List the quick-reply groups the caller may see, in order', params: accountParamsSchema, response: { 200: quickReplyGroupListSchema } },
      },
      async (request) => service.listGroups(contextOf(request), request.params.accountId),
    );

    app.post(
      `${base}/groups`,
      {
        config: { access: 'wecom.customers.manage' },
        schema: {
          tags,
          summary: 'Create a group; `departmentId` restricts it to members of that department’s subtree',
          description: 'Corp-wide groups are managed by super admins; a dept_admin manages groups restricted to its departments.',
          params: accountParamsSchema,
          body: createGroupBodySchema,
          response: { 201: quickReplyGroupSchema },
        },
      },
      async (request, reply) => reply.status(201).send(await service.createGroup(contextOf(request), request.params.accountId, request.body)),
    );

    app.patch(
      `${base}/groups/:groupId`,
      {
        config: { access: 'wecom.customers.manage' },
        schema: { tags, summary: 'Rename, reorder or restrict a group', params: groupParamsSchema, body: updateGroupBodySchema, response: { 200: quickReplyGroupSchema } },
      },
      async (request) => service.updateGroup(contextOf(request), request.params.accountId, request.params.groupId, request.body),
    );

    app.delete(
      `${base}/groups/:groupId`,
      {
        config: { access: 'wecom.customers.manage' },
        schema: { tags, summary: 'Delete an empty group', params: groupParamsSchema },
      },
      async (request, reply) => {
        await service.removeGroup(contextOf(request), request.params.accountId, request.params.groupId);
        return reply.status(204).send();
      },
    );

    app.get(
      base,
      {
        config: { access: 'wecom.customers.read' },
        schema: {
          tags,
          summary: 'Search quick replies (title or content) in library order; `userid` narrows to what that member may use',
          params: accountParamsSchema,
          querystring: listQuickRepliesQuerySchema,
          response: { 200: quickReplyPageSchema },
        },
      },
      async (request) => service.list(contextOf(request), request.params.accountId, request.query),
    );

    app.post(
      base,
      {
        config: { access: 'wecom.customers.manage' },
        schema: {
          tags,
          summary: 'Create a quick reply (text, image, link or mini-program) with variables such as {客户昵称}',
          description: 'WeCom’s limits are checked in bytes: text 4000; link title 128, description 512, URL 2048; mini-program title 64.',
          params: accountParamsSchema,
          body: createQuickReplyBodySchema,
          response: { 201: quickReplySchema },
        },
      },
      async (request, reply) => reply.status(201).send(await service.create(contextOf(request), request.params.accountId, request.body)),
    );

    app.get(
      `${base}/:itemId`,
      {
        config: { access: 'wecom.customers.read' },
        schema: { tags, summary: 'Get a quick reply', params: itemParamsSchema, response: { 200: quickReplySchema } },
      },
      async (request) => service.get(contextOf(request), request.params.accountId, request.params.itemId),
    );

    app.patch(
      `${base}/:itemId`,
      {
        config: { access: 'wecom.customers.manage' },
        schema: { tags, summary: 'Edit or move a quick reply', params: itemParamsSchema, body: updateQuickReplyBodySchema, response: { 200: quickReplySchema } },
      },
      async (request) => service.update(contextOf(request), request.params.accountId, request.params.itemId, request.body),
    );

    app.delete(
      `${base}/:itemId`,
      {
        config: { access: 'wecom.customers.manage' },
        schema: { tags, summary: 'Delete a quick reply', params: itemParamsSchema },
      },
      async (request, reply) => {
        await service.remove(contextOf(request), request.params.accountId, request.params.itemId);
        return reply.status(204).send();
      },
    );

    app.post(
      `${base}/:itemId/render`,
      {
        config: { access: 'wecom.customers.read' },
        schema: {
          tags,
          summary: 'Fill a quick reply’s variables for a customer and member, checked against WeCom’s limits',
          description:
            'Customer variables ({客户昵称}, {客户备注}) are read from WeCom (externalcontact/get), only for a customer within the caller’s reach as in the customer list ' +
            '(else 404 WECOM_CUSTOMER_NOT_FOUND); {成员姓名} from the directory. ' +
            '`message` is the reply in the attachment shape of WeCom’s customer-contact calls.',
          params: itemParamsSchema,
          body: renderBodySchema,
          response: { 200: renderedSchema },
        },
      },
      async (request) => service.render(contextOf(request), request.params.accountId, request.params.itemId, request.body),
    );
  };
}
