import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';
import { AppError } from '../../../common/errors';
import type { RouteAccess } from '../../../common/permissions';
import type { Principal } from './principal';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The permission this route needs; every `/api/v1` route must declare one. */
    access?: RouteAccess;
  }
  interface FastifyRequest {
    principal: Principal | null;
  }
}

/** How a request proves who it is; supplied by the system module at wiring time. */
export interface Authenticator {
  authenticate(request: FastifyRequest): Promise<Principal | null>;
}

/** Where refused actions are written (the audit log). */
export interface RefusalRecorder {
  recordRefusal(request: FastifyRequest, reason: { code: string; permission?: string }): Promise<void>;
}

const guardedPrefixes = ['/api/v1/', '/sandbox/control/'];

export function isGuardedUrl(url: string): boolean {
  return guardedPrefixes.some((prefix) => url.startsWith(prefix));
}

const unsafeMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * One gate for every guarded route: the route must declare its access, the
 * caller must be authenticated unless it is public, hold the permission, and
 * cookie sessions must echo their CSRF token on state-changing requests.
 */
export function installAccessGuard(app: FastifyInstance, deps: { authenticator: Authenticator; refusals: RefusalRecorder }): void {
  app.decorateRequest('principal', null);

  app.addHook('onRoute', (route: RouteOptions) => {
    const url = route.url;
    if (!isGuardedUrl(url)) return;
    if (!route.config?.access) {
      throw new Error(`Route ${String(route.method)} ${url} declares no access permission`);
    }
  });

  // preValidation: an unauthenticated or unauthorised caller learns nothing about request schemas.
  app.addHook('preValidation', async (request: FastifyRequest) => {
    const access = request.routeOptions.config.access;
    if (!access) return;
    if (access === 'public') {
      request.principal = await deps.authenticator.authenticate(request).catch(() => null);
      return;
    }
    const principal = await deps.authenticator.authenticate(request);
    if (!principal) throw new AppError('UNAUTHENTICATED');
    request.principal = principal;
    if (principal.kind === 'session' && unsafeMethods.has(request.method)) {
      const sent = request.headers['x-csrf-token'];
      if (typeof sent !== 'string' || sent !== principal.csrfToken) {
        await deps.refusals.recordRefusal(request, { code: 'CSRF_TOKEN_INVALID' });
        throw new AppError('CSRF_TOKEN_INVALID');
      }
    }
    if (access === 'authenticated') return;
    if (!principal.permissions.includes(access)) {
      await deps.refusals.recordRefusal(request, { code: 'FORBIDDEN', permission: access });
      throw new AppError('FORBIDDEN', { permission: access });
    }
  });
}
