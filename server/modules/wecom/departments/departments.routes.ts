import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { contextOf } from '../../system';
import {
  accountParamsSchema,
  createDepartmentBodySchema,
  departmentListSchema,
  departmentParamsSchema,
  departmentSchema,
  updateDepartmentBodySchema,
} from './departments.schema';
import type { DepartmentsService } from './departments.service';

const tags = ['wecom-directory'];

/** `/api/v1/wecom/{accountId}/departments`: the corp's department tree, within the caller's reach. */
export function createDepartmentsRoutes(service: DepartmentsService) {
  return async function departmentsRoutes(fastify: FastifyInstance): Promise<void> {
    const app = fastify.withTypeProvider<ZodTypeProvider>();

    app.get(
      '/api/v1/wecom/:accountId/departments',
      {
        config: { access: 'wecom.directory.read' },
        schema: { tags, summary: 'List the departments the caller may see, parents first', params: accountParamsSchema, response: { 200: departmentListSchema } },
      },
      async (request) => ({ items: await service.list(contextOf(request), request.params.accountId) }),
    );

    app.post(
      '/api/v1/wecom/:accountId/departments',
      {
        config: { access: 'wecom.directory.write' },
        schema: {
          tags,
          summary: 'Create a department (WeCom rules: name 1–64 characters without \\ : * ? " < > |, unique among siblings, at most 15 levels)',
          params: accountParamsSchema,
          body: createDepartmentBodySchema,
          response: { 201: departmentSchema },
        },
      },
      async (request, reply) => reply.status(201).send(await service.create(contextOf(request), request.params.accountId, request.body)),
    );

    app.get(
      '/api/v1/wecom/:accountId/departments/:departmentId',
      {
        config: { access: 'wecom.directory.read' },
        schema: { tags, summary: 'Get a department', params: departmentParamsSchema, response: { 200: departmentSchema } },
      },
      async (request) => service.get(contextOf(request), request.params.accountId, request.params.departmentId),
    );

    app.patch(
      '/api/v1/wecom/:accountId/departments/:departmentId',
      {
        config: { access: 'wecom.directory.write' },
        schema: {
          tags,
          summary: 'Rename, move (no cycles), reorder a department or change its leaders',
          params: departmentParamsSchema,
          body: updateDepartmentBodySchema,
          response: { 200: departmentSchema },
        },
      },
      async (request) => service.update(contextOf(request), request.params.accountId, request.params.departmentId, request.body),
    );

    app.delete(
      '/api/v1/wecom/:accountId/departments/:departmentId',
      {
        config: { access: 'wecom.directory.write' },
        schema: { tags, summary: 'Delete an empty department (no members, no sub-departments)', params: departmentParamsSchema },
      },
      async (request, reply) => {
        await service.remove(contextOf(request), request.params.accountId, request.params.departmentId);
        return reply.status(204).send();
      },
    );
  };
}
