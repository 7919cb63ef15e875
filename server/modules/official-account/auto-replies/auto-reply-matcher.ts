import type { AutoReplyKeyword, AutoReplyKind, AutoReplyMessage, ReplyMode } from './auto-replies.schema';
import { buildKeywordAutomaton, type KeywordAutomaton } from './keyword-automaton';

/** What the matcher keeps of a rule. */
export interface MatchableRule {
  id: string;
  name: string;
  kind: AutoReplyKind;
  enabled: boolean;
  keywords: AutoReplyKeyword[];
  clickKeys: string[];
  replies: AutoReplyMessage[];
  replyMode: ReplyMode;
}

export interface RuleMatch {
  rule: MatchableRule;
  /** The keyword that matched (keyword rules only). */
  keyword: AutoReplyKeyword | null;
}

/** One account's enabled rules compiled for answering: every lookup is O(input length). */
export interface AutoReplyMatcher {
  /** A text message: the highest-priority keyword rule, else the default rule. */
  forText(content: string): RuleMatch | null;
  /** Any other message (image, voice, location…): the default rule. */
  forOtherMessage(): RuleMatch | null;
  forSubscribe(): RuleMatch | null;
  forClick(key: string): RuleMatch | null;
  readonly keywordAutomaton: KeywordAutomaton;
}

/** `rules` in priority order (position ascending within each kind); disabled rules are left out. */
export function compileAutoReplies(rules: readonly MatchableRule[]): AutoReplyMatcher {
  const enabled = rules.filter((rule) => rule.enabled);
  const keywordRules = enabled.filter((rule) => rule.kind === 'keyword');
  const automaton = buildKeywordAutomaton(keywordRules);
  const first = (kind: AutoReplyKind) => enabled.find((rule) => rule.kind === kind) ?? null;
  const subscribe = first('subscribe');
  const fallback = first('default');
  const clicks = new Map<string, MatchableRule>();
  for (const rule of enabled) {
    if (rule.kind !== 'click') continue;
    for (const key of rule.clickKeys) if (!clicks.has(key)) clicks.set(key, rule);
  }
  const plain = (rule: MatchableRule | null | undefined): RuleMatch | null => (rule ? { rule, keyword: null } : null);
  return {
    forText(content) {
      const found = automaton.match(content);
      if (!found) return plain(fallback);
      const rule = keywordRules[found.ruleIndex]!;
      return { rule, keyword: rule.keywords[found.keywordIndex] ?? null };
    },
    forOtherMessage: () => plain(fallback),
    forSubscribe: () => plain(subscribe),
    forClick: (key) => plain(clicks.get(key)),
    keywordAutomaton: automaton,
  };
}
