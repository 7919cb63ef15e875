import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * A route served straight from node:http, before Fastify's routing, hooks and
 * reply pipeline: for WeChat's pushes, which come by the thousand and whose
 * every microsecond counts (Fastify's per-request work cost as much CPU as a
 * bare node:http server's whole answer). It decides at once and synchronously
 * whether it takes the request; one it declines goes to Fastify as usual.
 */
export type FastRoute = (req: IncomingMessage, res: ServerResponse) => boolean;

export interface FastLane {
  add(route: FastRoute): void;
  /** Serves the request when a route takes it; false when Fastify should. */
  take(req: IncomingMessage, res: ServerResponse): boolean;
  /** From now on every request goes to Fastify (which answers 503 while closing). */
  close(): void;
}

const requestIdPattern = /^[A-Za-z0-9._-]{1,64}$/;

/** The caller's request id when it sent a well-formed one, otherwise a new one (as Fastify's genReqId does). */
export function requestIdOf(req: IncomingMessage): string {
  const sent = req.headers['x-request-id'];
  return typeof sent === 'string' && requestIdPattern.test(sent) ? sent : randomUUID();
}

/** The security headers every answer carries, Fastify's and the fast lane's alike. */
export function securityHeaders(publicBaseUrl: string): Readonly<Record<string, string>> {
  return Object.freeze({
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'same-origin',
    'x-frame-options': 'DENY',
    'cross-origin-opener-policy': 'same-origin',
    ...(publicBaseUrl.startsWith('https:') ? { 'strict-transport-security': 'max-age=31536000' } : {}),
  });
}

export function createFastLane(): FastLane {
  const routes: FastRoute[] = [];
  let open = true;
  return {
    add(route) {
      routes.push(route);
    },
    take(req, res) {
      if (!open) return false;
      for (const route of routes) if (route(req, res)) return true;
      return false;
    },
    close() {
      open = false;
    },
  };
}
