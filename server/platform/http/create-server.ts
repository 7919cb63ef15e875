import { createServer } from 'node:http';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type RawReplyDefaultExpression, type RawRequestDefaultExpression, type RawServerDefault } from 'fastify';
import cookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Logger } from 'pino';
import { AppError } from '../../../common/errors';
import { isGuardedUrl } from './access';
import { createFastLane, requestIdOf, securityHeaders, type FastLane } from './fast-lane';
import { sendAppError, toAppError } from './errors';

export type App = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>;

export interface HttpOptions {
  logger: Logger;
  bodyLimitBytes: number;
  publicBaseUrl: string;
  version: string;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Routes served before Fastify's own pipeline (WeChat's pushes); see fast-lane.ts. */
    fastLane: FastLane;
  }
}

/**
 * The Fastify instance every part of Qiao registers on: zod validation and
 * serialisation, OpenAPI, the error registry, request ids, security headers.
 * Never listens; main.ts does, tests use inject().
 */
export async function createHttpServer(options: HttpOptions): Promise<App> {
  const lane = createFastLane();
  const app = Fastify({
    loggerInstance: options.logger as FastifyBaseLogger,
    bodyLimit: options.bodyLimitBytes,
    trustProxy: false,
    return503OnClosing: true,
    // WeChat pushes come by the thousand and carry OpenIDs in their URL: no access-log lines for them;
    // the callback pipeline logs refusals and failures itself.
    logController: new LogController({ disableRequestLogging: (request) => request.url.startsWith('/wechat/') }),
    requestIdHeader: false,
    genReqId: requestIdOf,
    // The server Fastify would make, with the fast lane in front of Fastify's handler.
    serverFactory: (handler, serverOptions) => {
      const limits = serverOptions as { keepAliveTimeout?: number; requestTimeout?: number; connectionTimeout?: number };
      const server = createServer((req, res) => {
        if (!lane.take(req, res)) handler(req, res);
      });
      server.keepAliveTimeout = limits.keepAliveTimeout ?? 72_000;
      server.requestTimeout = limits.requestTimeout ?? 0;
      server.setTimeout(limits.connectionTimeout ?? 0);
      return server;
    },
    routerOptions: { ignoreTrailingSlash: false, maxParamLength: 200 },
  }).withTypeProvider<ZodTypeProvider>();

  app.decorate('fastLane', lane);
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  await app.register(cookie);

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Qiao API',
        description: 'REST API of Qiao (桥): WeCom and WeChat Official Account control plane. Errors are `{code, message, details, requestId}`; see docs/errors.md.',
        version: options.version,
      },
      servers: [{ url: options.publicBaseUrl }],
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'qiao_session' },
          apiKey: { type: 'http', scheme: 'bearer', description: 'An API key created in the console or with POST /api/v1/api-keys' },
        },
      },
      security: [{ session: [] }, { apiKey: [] }],
    },
    transform: jsonSchemaTransform,
    hideUntagged: false,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true, uiConfig: { docExpansion: 'none', deepLinking: true } });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  app.addHook('onRequest', async (request, reply) => {
    void reply.header('x-request-id', request.id);
  });

  // Requests that were running when close began keep their keep-alive connection
  // once answered; clients (undici honours the server's 72 s keep-alive) would then
  // hold close() open. While closing, answers end their connection, and idle ones
  // are swept until the server is closed.
  let closing = false;
  app.addHook('preClose', (done) => {
    closing = true;
    lane.close();
    if (!app.server.listening) return done();
    const sweep = setInterval(() => app.server.closeIdleConnections(), 100);
    sweep.unref();
    app.server.once('close', () => clearInterval(sweep));
    done();
  });

  const headers = securityHeaders(options.publicBaseUrl);
  app.addHook('onSend', async (request, reply, payload) => {
    if (closing) void reply.header('connection', 'close');
    void reply.headers(headers);
    if (isGuardedUrl(request.url)) void reply.header('cache-control', 'no-store');
    return payload;
  });

  app.setErrorHandler(async (error, request, reply) => {
    const appError = toAppError(error);
    if (appError.code === 'INTERNAL_ERROR') {
      request.log.error({ err: error }, 'request failed');
    } else {
      request.log.info({ code: appError.code }, 'request refused');
    }
    return sendAppError(request, reply, appError);
  });

  app.setNotFoundHandler(async (request, reply) => {
    return sendAppError(request, reply, new AppError('ROUTE_NOT_FOUND', { method: request.method, url: request.url.split('?')[0] }));
  });

  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));

  return app;
}
