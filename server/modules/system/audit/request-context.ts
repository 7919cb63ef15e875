import type { FastifyRequest } from 'fastify';
import type { Principal, RequestContext } from '../../../platform/http/principal';

/** What the audit log records about a request. */
export function contextOf(request: FastifyRequest, principal: Principal | null = request.principal): RequestContext {
  const userAgent = request.headers['user-agent'];
  return {
    principal,
    ip: request.ip,
    userAgent: typeof userAgent === 'string' ? userAgent.slice(0, 500) : null,
    requestId: request.id,
  };
}

/** The caller of a route that is not public; the access guard has set it. */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new Error('principalOf: the route is public; the access guard set no principal');
  return request.principal;
}
