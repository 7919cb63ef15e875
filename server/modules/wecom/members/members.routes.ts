import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { contextOf } from '../../system';
import {
  createMemberBodySchema,
  directoryVisibilitySchema,
  listMembersQuerySchema,
  memberPageSchema,
  memberParamsSchema,
  memberSchema,
  updateDirectoryVisibilityBodySchema,
  updateMemberBodySchema,
} from './members.schema';
import { accountParamsSchema } from '../departments/departments.schema';
import type { MembersService } from './members.service';

const tags = ['wecom-directory'];

/** `/api/v1/wecom/{accountId}/members`: the corp's members, within the caller's reach. */
export function createMembersRoutes(service: MembersService) {
  return async function membersRoutes(fastify: FastifyInstance): Promise<void> {
    const app = fastify.withTypeProvider<ZodTypeProvider>();

    app.get(
      '/api/v1/wecom/:accountId/members',
      {
        config: { access: 'wecom.directory.read' },
        schema: {
          tags,
          summary: 'List members by userid (cursor paging); filter by department (and its sub-departments), status and keyword',
          params: accountParamsSchema,
          querystring: listMembersQuerySchema,
          response: { 200: memberPageSchema },
        },
      },
      async (request) => service.list(contextOf(request), request.params.accountId, request.query),
    );

    app.post(
      '/api/v1/wecom/:accountId/members',
      {
        config: { access: 'wecom.directory.write' },
        schema: {
          tags,
          summary: 'Create a member (WeCom rules: userid unique ignoring case, mobile or email, 1–100 departments with one main)',
          params: accountParamsSchema,
          body: createMemberBodySchema,
          response: { 201: memberSchema },
        },
      },
      async (request, reply) => reply.status(201).send(await service.create(contextOf(request), request.params.accountId, request.body)),
    );

    app.get(
      '/api/v1/wecom/:accountId/directory/visibility',
      {
        config: { access: 'wecom.directory.read' },
        schema: { tags, summary: 'What Qiao users with the member role see of this directory', params: accountParamsSchema, response: { 200: directoryVisibilitySchema } },
      },
      async (request) => ({ memberVisibility: await service.visibility(request.params.accountId) }),
    );

    app.put(
      '/api/v1/wecom/:accountId/directory/visibility',
      {
        config: { access: 'wecom.directory.write' },
        schema: {
          tags,
          summary: 'Set what Qiao users with the member role see (super admins only)',
          params: accountParamsSchema,
          body: updateDirectoryVisibilityBodySchema,
          response: { 200: directoryVisibilitySchema },
        },
      },
      async (request) => ({ memberVisibility: await service.setVisibility(contextOf(request), request.params.accountId, request.body.memberVisibility) }),
    );

    app.get(
      '/api/v1/wecom/:accountId/members/:userid',
      {
        config: { access: 'wecom.directory.read' },
        schema: { tags, summary: 'Get a member (userid matched ignoring case)', params: memberParamsSchema, response: { 200: memberSchema } },
      },
      async (request) => service.get(contextOf(request), request.params.accountId, request.params.userid),
    );

    app.patch(
      '/api/v1/wecom/:accountId/members/:userid',
      {
        config: { access: 'wecom.directory.write' },
        schema: {
          tags,
          summary: 'Edit a member; `status` disables or enables it',
          params: memberParamsSchema,
          body: updateMemberBodySchema,
          response: { 200: memberSchema },
        },
      },
      async (request) => service.update(contextOf(request), request.params.accountId, request.params.userid, request.body),
    );

    app.delete(
      '/api/v1/wecom/:accountId/members/:userid',
      {
        config: { access: 'wecom.directory.write' },
        schema: { tags, summary: 'Delete a member', params: memberParamsSchema },
      },
      async (request, reply) => {
        await service.remove(contextOf(request), request.params.accountId, request.params.userid);
        return reply.status(204).send();
      },
    );
  };
}
