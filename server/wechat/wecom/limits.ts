import type { EndpointRateLimit } from '../client/endpoint';

/** WeCom's per-corp limit for each API (doc 90454); app messages are counted separately. */
export const wecomApiLimits: readonly EndpointRateLimit[] = [
  { limit: 10_000, windowMs: 60_000 },
  { limit: 150_000, windowMs: 3_600_000 },
];
