import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { revokedCountSchema } from '../users/users.schema';
import { contextOf, principalOf } from '../audit';
import {
  changePasswordBodySchema,
  loginBodySchema,
  loginResponseSchema,
  meSchema,
  sessionCookieName,
  sessionIdParamsSchema,
  sessionListSchema,
  setupBodySchema,
  setupStatusSchema,
} from './auth.schema';
import { sessionAbsoluteMaxMs, type AuthService } from './auth.service';
import { meOf } from './principals';

export interface AuthRoutesOptions {
  /** Secure cookies when the public URL is https. */
  secureCookies: boolean;
}

export function authRoutes(service: AuthService, options: AuthRoutesOptions): FastifyPluginAsyncZod {
  const setSessionCookie = (reply: FastifyReply, token: string) =>
    reply.setCookie(sessionCookieName, token, {
      httpOnly: true,
      sameSite: 'lax',
      path: '/',
      secure: options.secureCookies,
      maxAge: Math.floor(sessionAbsoluteMaxMs / 1000),
    });

  return async (app) => {
    app.get(
      '/api/v1/setup',
      {
        config: { access: 'public' },
        schema: { tags: ['auth'], summary: 'Whether the first super admin still has to be created', security: [], response: { 200: setupStatusSchema } },
      },
      async () => service.setupStatus(),
    );

    app.post(
      '/api/v1/setup',
      {
        config: { access: 'public' },
        schema: {
          tags: ['auth'],
          summary: 'Create the first super admin and log in',
          description: 'Refused with 409 SETUP_ALREADY_DONE once any user exists.',
          security: [],
          body: setupBodySchema,
          response: { 201: loginResponseSchema },
        },
      },
      async (request, reply) => {
        const session = await service.setup(contextOf(request), request.body);
        setSessionCookie(reply, session.token);
        return reply.status(201).send({ user: meOf(session.principal) });
      },
    );

    app.post(
      '/api/v1/auth/login',
      {
        config: { access: 'public' },
        schema: {
          tags: ['auth'],
          summary: 'Log in with username and password',
          description: `Sets the HttpOnly session cookie \`${sessionCookieName}\`. After 10 failures in 15 minutes for one username from one address, answers 429 until the window passes.`,
          security: [],
          body: loginBodySchema,
          response: { 200: loginResponseSchema },
        },
      },
      async (request, reply) => {
        const session = await service.login(contextOf(request, null), request.body, request.cookies[sessionCookieName]);
        setSessionCookie(reply, session.token);
        return { user: meOf(session.principal) };
      },
    );

    app.post(
      '/api/v1/auth/logout',
      {
        config: { access: 'authenticated' },
        schema: { tags: ['auth'], summary: 'End the current session', response: { 204: z.null() } },
      },
      async (request, reply) => {
        await service.logout(contextOf(request), principalOf(request));
        reply.clearCookie(sessionCookieName, { path: '/' });
        return reply.status(204).send(null);
      },
    );

    app.get(
      '/api/v1/me',
      {
        config: { access: 'authenticated' },
        schema: {
          tags: ['auth'],
          summary: 'The caller: user, role, department scopes, permissions',
          description: '`csrfToken` (session callers only) must be sent back as header `x-csrf-token` on POST, PUT, PATCH and DELETE.',
          response: { 200: meSchema },
        },
      },
      async (request) => meOf(principalOf(request)),
    );

    app.post(
      '/api/v1/me/password',
      {
        config: { access: 'authenticated' },
        schema: {
          tags: ['auth'],
          summary: 'Change your password',
          description: 'Revokes your other sessions.',
          body: changePasswordBodySchema,
          response: { 200: revokedCountSchema },
        },
      },
      async (request) => service.changePassword(contextOf(request), principalOf(request), request.body),
    );

    app.get(
      '/api/v1/me/sessions',
      {
        config: { access: 'authenticated' },
        schema: { tags: ['auth'], summary: 'Your open sessions', response: { 200: sessionListSchema } },
      },
      async (request) => service.listSessions(principalOf(request)),
    );

    app.delete(
      '/api/v1/me/sessions/:id',
      {
        config: { access: 'authenticated' },
        schema: { tags: ['auth'], summary: 'End one of your sessions', params: sessionIdParamsSchema, response: { 204: z.null() } },
      },
      async (request, reply) => {
        await service.revokeSession(contextOf(request), principalOf(request), request.params.id);
        return reply.status(204).send(null);
      },
    );

    app.post(
      '/api/v1/me/sessions/revoke-all',
      {
        config: { access: 'authenticated' },
        schema: { tags: ['auth'], summary: 'End all your sessions but the current one', response: { 200: revokedCountSchema } },
      },
      async (request) => service.revokeOtherSessions(contextOf(request), principalOf(request)),
    );
  };
}
