import { AppError } from '../../../../common/errors';
import { NEWS_REPLY_MAX_ARTICLES, TEXT_REPLY_MAX_BYTES } from '../../../wechat/callback';
import type { AutoReplyKeyword, AutoReplyKind, AutoReplyMessage, AutoReplyOverlap, ReplyMode } from './auto-replies.schema';
import { normalizeKeywordText } from './keyword-automaton';

/** A menu button key, in UTF-8 bytes (facts §4.2). */
export const CLICK_KEY_MAX_BYTES = 128;

/**
 * Customer-service messages a follower's action allows after the passive
 * reply (facts §4.6): 5 after a message, 3 after a follow or a menu click.
 */
const customerServiceQuota: Record<AutoReplyKind, number> = { keyword: 5, default: 5, subscribe: 3, click: 3 };

export const kindLabels: Record<AutoReplyKind, string> = {
  subscribe: '被关注回复 (on follow)',
  default: '收到消息回复 (default)',
  keyword: '关键词回复 (keyword)',
  click: '菜单点击回复 (menu click)',
};

/** Answers to events may carry 8 articles, answers to a follower's message 1 (facts §3.3). */
function passiveArticleLimit(kind: AutoReplyKind): number {
  return kind === 'subscribe' || kind === 'click' ? NEWS_REPLY_MAX_ARTICLES : 1;
}

export interface RuleContent {
  kind: AutoReplyKind;
  keywords: AutoReplyKeyword[];
  clickKeys: string[];
  replies: AutoReplyMessage[];
  replyMode: ReplyMode;
}

const bytes = (value: string) => new TextEncoder().encode(value).length;

/** Refuses what WeChat would refuse, naming the field and the limit. */
export function checkRuleContent(rule: RuleContent): void {
  const label = kindLabels[rule.kind];
  if (rule.kind === 'keyword' && rule.keywords.length === 0) throw new AppError('AUTO_REPLY_KEYWORDS_REQUIRED', { field: 'keywords' });
  if (rule.kind !== 'keyword' && rule.keywords.length > 0) throw new AppError('AUTO_REPLY_FIELD_NOT_APPLICABLE', { field: 'keywords', kindLabel: label });
  if (rule.kind === 'click' && rule.clickKeys.length === 0) throw new AppError('AUTO_REPLY_CLICK_KEYS_REQUIRED', { field: 'clickKeys' });
  if (rule.kind !== 'click' && rule.clickKeys.length > 0) throw new AppError('AUTO_REPLY_FIELD_NOT_APPLICABLE', { field: 'clickKeys', kindLabel: label });

  const seen = new Set<string>();
  rule.keywords.forEach((keyword, index) => {
    const field = `keywords[${index}].text`;
    const normalized = normalizeKeywordText(keyword.text).trim();
    if (normalized === '') throw new AppError('AUTO_REPLY_KEYWORD_EMPTY', { field });
    const key = `${keyword.match}:${normalized}`;
    if (seen.has(key)) throw new AppError('AUTO_REPLY_KEYWORD_DUPLICATE', { field, keyword: keyword.text });
    seen.add(key);
  });
  const seenKeys = new Set<string>();
  rule.clickKeys.forEach((key, index) => {
    const field = `clickKeys[${index}]`;
    const size = bytes(key);
    if (size > CLICK_KEY_MAX_BYTES) throw new AppError('AUTO_REPLY_CLICK_KEY_TOO_LONG', { field, max: CLICK_KEY_MAX_BYTES, actual: size });
    if (seenKeys.has(key)) throw new AppError('AUTO_REPLY_KEYWORD_DUPLICATE', { field, keyword: key });
    seenKeys.add(key);
  });

  if (rule.replyMode === 'all') {
    const max = 1 + customerServiceQuota[rule.kind];
    if (rule.replies.length > max) {
      throw new AppError('AUTO_REPLY_TOO_MANY_REPLIES', {
        field: 'replies',
        max,
        actual: rule.replies.length,
        reason: `1 条被动回复 + ${customerServiceQuota[rule.kind]} 条客服消息（微信对该触发方式的客服消息配额）`,
      });
    }
  }
  rule.replies.forEach((reply, index) => {
    if (reply.type === 'text') {
      const size = bytes(reply.content);
      if (size > TEXT_REPLY_MAX_BYTES) throw new AppError('AUTO_REPLY_TEXT_TOO_LONG', { field: `replies[${index}].content`, max: TEXT_REPLY_MAX_BYTES, actual: size });
    }
    if (reply.type === 'news') {
      // In reply-all mode only the first reply is passive; the rest go as customer-service messages (1 article each).
      const asCustomerService = rule.replyMode === 'all' && index > 0;
      const max = asCustomerService ? 1 : passiveArticleLimit(rule.kind);
      if (reply.articles.length > max) {
        throw new AppError('AUTO_REPLY_TOO_MANY_ARTICLES', {
          field: `replies[${index}].articles`,
          max,
          actual: reply.articles.length,
          reason: asCustomerService
            ? '第 2 条起以客服消息发出，客服图文消息只能 1 篇'
            : max === 1
              ? '回复粉丝发来的消息时，被动回复图文只能 1 篇'
              : '回复事件时，被动回复图文最多 8 篇',
        });
      }
    }
  });
}

export interface OverlapCandidate {
  id: string;
  name: string;
  position: number;
  keywords: AutoReplyKeyword[];
}

/** True when one message can match both keywords: the same exact text, or a contains-keyword inside the other. */
export function keywordsOverlap(a: AutoReplyKeyword, b: AutoReplyKeyword): boolean {
  const x = normalizeKeywordText(a.text).trim();
  const y = normalizeKeywordText(b.text).trim();
  if (x === '' || y === '') return false;
  if (a.match === 'exact' && b.match === 'exact') return x === y;
  if (a.match === 'contains' && b.match === 'exact') return y.includes(x);
  if (a.match === 'exact' && b.match === 'contains') return x.includes(y);
  return x.includes(y) || y.includes(x);
}

/** Other enabled keyword rules whose keywords overlap `rule`'s, with who wins by priority. */
export function findOverlaps(rule: { id: string; position: number; keywords: AutoReplyKeyword[] }, others: readonly OverlapCandidate[], limit = 50): AutoReplyOverlap[] {
  const found: AutoReplyOverlap[] = [];
  for (const other of others) {
    if (other.id === rule.id) continue;
    for (const keyword of rule.keywords) {
      for (const otherKeyword of other.keywords) {
        if (!keywordsOverlap(keyword, otherKeyword)) continue;
        found.push({ keyword, otherRuleId: other.id, otherRuleName: other.name, otherKeyword, winner: rule.position < other.position ? 'this' : 'other' });
        if (found.length >= limit) return found;
      }
    }
  }
  return found;
}

/** The replies one trigger sends: all of them, or one picked with `random` (0 ≤ value < 1). */
export function pickReplies(replies: readonly AutoReplyMessage[], mode: ReplyMode, random: () => number = Math.random): AutoReplyMessage[] {
  if (mode === 'all' || replies.length <= 1) return [...replies];
  return [replies[Math.min(replies.length - 1, Math.floor(random() * replies.length))]!];
}

/** A rule's display name when the user gave none: its first keyword or key. */
export function defaultRuleName(rule: Pick<RuleContent, 'kind' | 'keywords' | 'clickKeys'>): string {
  if (rule.kind === 'keyword') return rule.keywords.map((k) => k.text).join('、').slice(0, 60);
  if (rule.kind === 'click') return rule.clickKeys.join('、').slice(0, 60);
  return rule.kind === 'subscribe' ? '被关注回复' : '收到消息回复';
}
