import { createHash } from 'node:crypto';

/** The `prevHash` of the first entry. */
export const genesisHash = '0'.repeat(64);

/** The fields an entry's hash covers, exactly as stored. */
export interface ChainedFields {
  seq: number;
  at: string;
  actorType: 'user' | 'api_key' | 'system' | 'anonymous';
  actorId: string | null;
  actorName: string | null;
  action: string;
  outcome: 'ok' | 'refused';
  targetType: string | null;
  targetId: string | null;
  summary: Record<string, unknown>;
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
  prevHash: string;
}

/**
 * JSON with object keys sorted at every depth and no whitespace, so the same
 * row always serialises to the same bytes whatever order jsonb returns keys in.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export function entryHash(fields: ChainedFields): string {
  return createHash('sha256').update(fields.prevHash).update('\n').update(canonicalJson(fields)).digest('hex');
}

const secretKey = /pass(word)?|secret|token|cookie|authorization|aes|^key$|keyhash|hash$|credential/i;
const maxStringLength = 500;

/**
 * Summaries never hold secrets: values under secret-looking keys become
 * `[redacted]` (flags like `passwordReset: true` stay), long strings are cut, and what JSON cannot hold is dropped,
 * so what is hashed is exactly what jsonb keeps.
 */
export function sanitizeSummary(summary: Record<string, unknown> | undefined): Record<string, unknown> {
  const clean = (value: unknown, depth: number): unknown => {
    if (value === null || value === undefined) return value ?? null;
    if (typeof value === 'string') return value.replace(/\u0000/g, '').slice(0, maxStringLength);
    if (typeof value === 'number') return Number.isFinite(value) ? value : null;
    if (typeof value === 'boolean') return value;
    if (value instanceof Date) return value.toISOString();
    if (depth > 6) return '[truncated]';
    if (Array.isArray(value)) return value.slice(0, 100).map((v) => clean(v, depth + 1));
    if (typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
        if (inner === undefined) continue;
        const revealsNothing = typeof inner === 'boolean' || inner === null;
        out[key] = secretKey.test(key) && !revealsNothing ? '[redacted]' : clean(inner, depth + 1);
      }
      return out;
    }
    return String(value);
  };
  return (clean(summary ?? {}, 0) ?? {}) as Record<string, unknown>;
}
