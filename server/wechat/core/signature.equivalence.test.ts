import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { messageSignature, plainSignature } from './signature';

// The definition: sha1 over the Array#sort-ordered values, joined.
const reference = (...parts: unknown[]) => createHash('sha1').update(parts.sort().join(''), 'utf8').digest('hex');

describe('WeChat signatures against their definition', () => {
  // Few distinct letters make equal strings and shared prefixes common, which is where orderings go wrong.
  const part = fc.oneof(
    fc.string({ unit: fc.constantFrom('a', 'b', 'A', '1', '\u00E9', '\uD83D', '\uDE00', '\uFFFF'), maxLength: 4 }),
    fc.string({ unit: 'binary', maxLength: 30 }),
    fc.string({ maxLength: 30 }),
  );

  it('gives the same plain signature for any three strings', () => {
    fc.assert(fc.property(part, part, part, (a, b, c) => {
      expect(plainSignature(a, b, c)).toBe(reference(a, b, c));
    }), { numRuns: 2000 });
  });

  it('gives the same message signature for any four strings', () => {
    fc.assert(
      fc.property(part, part, part, part, (a, b, c, d) => {
        expect(messageSignature(a, b, c, d)).toBe(reference(a, b, c, d));
      }),
      { numRuns: 3000 },
    );
  });

  it('orders every permutation of four distinct values the same way', () => {
    const values = ['b1', 'a', 'B', 'a0'];
    const permutations = (items: string[]): string[][] =>
      items.length <= 1 ? [items] : items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]));
    for (const [a, b, c, d] of permutations(values)) expect(messageSignature(a!, b!, c!, d!)).toBe(reference(...values));
    for (const [a, b, c] of permutations(values.slice(0, 3))) expect(plainSignature(a!, b!, c!)).toBe(reference(...values.slice(0, 3)));
  });

  it('keeps the array semantics for values that are not strings (untyped callers)', () => {
    const loose = [1700000000, 99, undefined, null, '100'] as unknown as string[];
    const [n1, n2, u, z, s] = loose as [string, string, string, string, string];
    expect(plainSignature(n1, n2, s)).toBe(reference(1700000000, 99, '100'));
    expect(messageSignature(n2, u, s, z)).toBe(reference(99, undefined, '100', null));
  });
});
