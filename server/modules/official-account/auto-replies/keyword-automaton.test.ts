import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildKeywordAutomaton, foldCodeUnit, naiveKeywordMatch, normalizeKeywordText, type AutomatonRule } from './keyword-automaton';

// A small alphabet makes overlaps (shared prefixes, keywords inside keywords) frequent.
const alphabet = ['产', '品', '价', '格', '优', '惠', 'a', 'B', 'Ａ', 'ｂ', ' ', '　', '\u2003', '\t', '😀'];
const piece = fc.constantFrom(...alphabet);
const word = (min: number, max: number) => fc.array(piece, { minLength: min, maxLength: max }).map((parts) => parts.join(''));
const keyword = fc.record({ text: word(1, 4), match: fc.constantFrom('exact' as const, 'contains' as const) });
const rules = fc.array(fc.record({ keywords: fc.array(keyword, { minLength: 1, maxLength: 4 }) }), { minLength: 0, maxLength: 25 });

describe('keyword automaton', () => {
  it('finds the same rule and keyword as a naive scan for random rules and messages', () => {
    fc.assert(
      fc.property(rules, fc.array(word(0, 12), { minLength: 1, maxLength: 10 }), (list, messages) => {
        const automaton = buildKeywordAutomaton(list);
        for (const message of messages) expect(automaton.match(message)).toEqual(naiveKeywordMatch(list, message));
      }),
      { numRuns: 400 },
    );
  });

  it('finds keywords that occur inside messages built around them', () => {
    fc.assert(
      fc.property(rules.filter((l) => l.length > 0), fc.nat(), word(0, 5), word(0, 5), (list, pick, before, after) => {
        const rule = list[pick % list.length] as AutomatonRule;
        const message = before + (rule.keywords[0]?.text ?? '') + after;
        const automaton = buildKeywordAutomaton(list);
        const found = automaton.match(message);
        expect(found).toEqual(naiveKeywordMatch(list, message));
        if (rule.keywords[0]?.match === 'contains') expect(found?.ruleIndex).toBeLessThanOrEqual(pick % list.length);
      }),
      { numRuns: 300 },
    );
  });

  it('prefers the earlier rule when keywords overlap', () => {
    const automaton = buildKeywordAutomaton([
      { keywords: [{ text: '价格', match: 'contains' }] },
      { keywords: [{ text: '产品价格', match: 'exact' }] },
    ]);
    expect(automaton.match('产品价格')).toEqual({ ruleIndex: 0, keywordIndex: 0 });
    const reversed = buildKeywordAutomaton([
      { keywords: [{ text: '产品价格', match: 'exact' }] },
      { keywords: [{ text: '价格', match: 'contains' }] },
    ]);
    expect(reversed.match('产品价格')).toEqual({ ruleIndex: 0, keywordIndex: 0 });
    expect(reversed.match('请问产品价格')).toEqual({ ruleIndex: 1, keywordIndex: 0 });
  });

  it('matches an exact keyword only as the whole message, ignoring surrounding spaces', () => {
    const automaton = buildKeywordAutomaton([{ keywords: [{ text: '营业时间', match: 'exact' }] }]);
    expect(automaton.match(' 营业时间　')).toEqual({ ruleIndex: 0, keywordIndex: 0 });
    expect(automaton.match('营业时间？')).toBeNull();
  });

  it('reports its size', () => {
    const automaton = buildKeywordAutomaton([{ keywords: [{ text: '优惠', match: 'contains' }, { text: '优惠券', match: 'contains' }, { text: '你好', match: 'exact' }] }]);
    expect(automaton.stats).toMatchObject({ rules: 1, containsKeywords: 2, exactKeywords: 1, states: 4 });
  });
});

describe('keyword normalization', () => {
  it('folds full-width ASCII to half-width and letters to lower case', () => {
    expect(normalizeKeywordText('ＶＩＰ会员Ｎｏ．１')).toBe('vip会员no.1');
    expect(normalizeKeywordText('WiFi　密码')).toBe('wifi 密码');
  });

  it('folds full-width ASCII punctuation but leaves Chinese, CJK punctuation and emoji alone', () => {
    expect(normalizeKeywordText('产品价格，？。「」😀')).toBe('产品价格,?。「」😀');
    expect(foldCodeUnit('、'.charCodeAt(0))).toBe('、'.charCodeAt(0));
  });

  it('lets a full-width message find a half-width keyword and the reverse', () => {
    const automaton = buildKeywordAutomaton([{ keywords: [{ text: 'vip', match: 'contains' }] }, { keywords: [{ text: 'ＷＩＦＩ', match: 'exact' }] }]);
    expect(automaton.match('我要办ＶＩＰ')).toEqual({ ruleIndex: 0, keywordIndex: 0 });
    expect(automaton.match('wifi')).toEqual({ ruleIndex: 1, keywordIndex: 0 });
  });
});
