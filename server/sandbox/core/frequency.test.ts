import { describe, expect, it } from 'vitest';
import { createFrequencyLimits, FREQUENCY_ERRCODE } from './frequency';
import { isSandboxWeChatError } from './wechat-error';

const errcodeOf = (run: () => void): number | null => {
  try {
    run();
    return null;
  } catch (error) {
    if (isSandboxWeChatError(error)) return error.errcode;
    throw error;
  }
};

describe('frequency limits', () => {
  const minute = [{ limit: 3, windowMs: 60_000 }];
  const at = (ms: number) => new Date(Date.UTC(2026, 0, 1) + ms);

  it('refuses the call past the limit and keeps refusing for the penalty, then counts anew', () => {
    const limits = createFrequencyLimits();
    const call = (ms: number, scope = 'corpA') => errcodeOf(() => limits.consume({ product: 'wecom', scope, path: 'cgi-bin/user/get', now: at(ms) }, minute));
    expect([call(0), call(1), call(2)]).toEqual([null, null, null]);
    expect(call(3)).toBe(FREQUENCY_ERRCODE);
    expect(call(4, 'corpB')).toBeNull();
    // The window would have ended at 60 s, but the penalty runs 60 s from the excess call.
    expect(call(60_001)).toBe(FREQUENCY_ERRCODE);
    expect(call(60_004)).toBeNull();
  });

  it('counts each API separately', () => {
    const limits = createFrequencyLimits();
    for (let i = 0; i < 3; i++) limits.consume({ product: 'wecom', scope: 'corpA', path: 'a', now: at(i) }, minute);
    expect(errcodeOf(() => limits.consume({ product: 'wecom', scope: 'corpA', path: 'b', now: at(5) }, minute))).toBeNull();
    expect(errcodeOf(() => limits.consume({ product: 'wecom', scope: 'corpA', path: 'a', now: at(5) }, minute))).toBe(FREQUENCY_ERRCODE);
  });

  it('counts two limits over the same window separately', () => {
    const limits = createFrequencyLimits();
    const both = [
      { limit: 10, windowMs: 60_000 },
      { limit: 4, windowMs: 60_000 },
    ];
    const codes = Array.from({ length: 5 }, (_, i) => errcodeOf(() => limits.consume({ product: 'wecom', scope: 'corpA', path: 'a', now: at(i) }, both)));
    expect(codes).toEqual([null, null, null, null, FREQUENCY_ERRCODE]);
  });
});
