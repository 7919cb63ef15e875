import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { contextOf, principalOf } from '../audit';
import {
  createUserBodySchema,
  listUsersQuerySchema,
  revokedCountSchema,
  updateUserBodySchema,
  userIdParamsSchema,
  userPageSchema,
  userSchema,
} from './users.schema';
import type { UsersService } from './users.service';

const tags = ['users'];

export function usersRoutes(service: UsersService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/v1/users',
      {
        config: { access: 'users.read' },
        schema: {
          tags,
          summary: 'List users',
          description: 'Ordered by username. A dept_admin sees itself and the users inside its department scopes.',
          querystring: listUsersQuerySchema,
          response: { 200: userPageSchema },
        },
      },
      async (request) => service.list(principalOf(request), request.query),
    );

    app.post(
      '/api/v1/users',
      {
        config: { access: 'users.write' },
        schema: { tags, summary: 'Create a user', body: createUserBodySchema, response: { 201: userSchema } },
      },
      async (request, reply) => reply.status(201).send(await service.create(contextOf(request), principalOf(request), request.body)),
    );

    app.get(
      '/api/v1/users/:id',
      {
        config: { access: 'users.read' },
        schema: { tags, summary: 'Get a user', params: userIdParamsSchema, response: { 200: userSchema } },
      },
      async (request) => service.get(principalOf(request), request.params.id),
    );

    app.patch(
      '/api/v1/users/:id',
      {
        config: { access: 'users.write' },
        schema: {
          tags,
          summary: 'Edit a user',
          description: '`disabled` disables or re-enables the account; `password` resets it. Disabling or resetting revokes the user\'s sessions.',
          params: userIdParamsSchema,
          body: updateUserBodySchema,
          response: { 200: userSchema },
        },
      },
      async (request) => service.update(contextOf(request), principalOf(request), request.params.id, request.body),
    );

    app.delete(
      '/api/v1/users/:id',
      {
        config: { access: 'users.write' },
        schema: { tags, summary: 'Delete a user, its sessions and API keys', params: userIdParamsSchema, response: { 204: z.null() } },
      },
      async (request, reply) => {
        await service.remove(contextOf(request), principalOf(request), request.params.id);
        return reply.status(204).send(null);
      },
    );

    app.post(
      '/api/v1/users/:id/sessions/revoke',
      {
        config: { access: 'users.write' },
        schema: { tags, summary: 'Log a user out everywhere', params: userIdParamsSchema, response: { 200: revokedCountSchema } },
      },
      async (request) => service.revokeSessions(contextOf(request), principalOf(request), request.params.id),
    );
  };
}
