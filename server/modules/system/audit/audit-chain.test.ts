import { describe, expect, it } from 'vitest';
import { canonicalJson, entryHash, genesisHash, sanitizeSummary, type ChainedFields } from './audit-chain';

const entry: ChainedFields = {
  seq: 1,
  at: '2026-01-01T00:00:00.000Z',
  actorType: 'user',
  actorId: 'u1',
  actorName: 'admin',
  action: 'users.create',
  outcome: 'ok',
  targetType: 'user',
  targetId: 'u2',
  summary: { after: { username: 'li', role: 'member' } },
  ip: '127.0.0.1',
  userAgent: null,
  requestId: 'r1',
  prevHash: genesisHash,
};

describe('canonicalJson', () => {
  it('serialises objects the same whatever their key order', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: null } })).toBe(canonicalJson({ a: { c: null, d: [1, { y: 2, z: 1 }] }, b: 1 }));
    expect(canonicalJson({ b: 1, a: 2 })).toBe('{"a":2,"b":1}');
  });
});

describe('entryHash', () => {
  it('changes when any covered field or the previous hash changes', () => {
    const base = entryHash(entry);
    expect(entryHash({ ...entry })).toBe(base);
    expect(entryHash({ ...entry, actorName: 'mallory' })).not.toBe(base);
    expect(entryHash({ ...entry, summary: { after: { username: 'li', role: 'super_admin' } } })).not.toBe(base);
    expect(entryHash({ ...entry, prevHash: 'f'.repeat(64) })).not.toBe(base);
    expect(entryHash({ ...entry, seq: 2 })).not.toBe(base);
  });
});

describe('sanitizeSummary', () => {
  it('redacts secrets at any depth and keeps the rest', () => {
    expect(
      sanitizeSummary({ after: { username: 'li', password: 'hunter22', nested: { appSecret: 'x', csrfToken: 'y', name: 'n' } }, key: 'qiao_abc' }),
    ).toEqual({ after: { username: 'li', password: '[redacted]', nested: { appSecret: '[redacted]', csrfToken: '[redacted]', name: 'n' } }, key: '[redacted]' });
  });

  it('keeps flags under secret-looking keys', () => {
    expect(sanitizeSummary({ passwordReset: true, token: null })).toEqual({ passwordReset: true, token: null });
  });

  it('cuts long strings and drops undefined values', () => {
    const out = sanitizeSummary({ long: 'x'.repeat(2000), gone: undefined });
    expect(out).toEqual({ long: 'x'.repeat(500) });
  });
});
