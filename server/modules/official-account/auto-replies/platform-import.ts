import type { z } from 'zod';
import { isAppError, renderErrorMessage } from '../../../../common/errors';
import type { oaCurrentAutoReply } from '../../../wechat/official-account';
import type { AutoReplyKeyword, AutoReplyKind, AutoReplyMessage, ReplyMode } from './auto-replies.schema';
import { checkRuleContent, defaultRuleName } from './auto-reply-rules';

type PlatformAnswer = z.infer<typeof oaCurrentAutoReply.response>;
type PlatformItem = { type: string; content?: string | undefined; news_info?: Record<string, unknown> | undefined };

/** A rule as the platform's web console had it, in Qiao's terms. */
export interface ImportedRule {
  kind: AutoReplyKind;
  name: string;
  enabled: boolean;
  keywords: AutoReplyKeyword[];
  replies: AutoReplyMessage[];
  replyMode: ReplyMode;
  /** Stable per platform rule, so importing twice adds nothing. */
  platformKey: string;
}

export interface PlatformConversion {
  rules: ImportedRule[];
  skipped: { name: string; reason: string }[];
}

const str = (value: unknown) => (typeof value === 'string' ? value : '');

function newsArticles(item: PlatformItem, max: number): AutoReplyMessage | null {
  const list = (item.news_info as { list?: unknown } | undefined)?.list;
  if (!Array.isArray(list) || list.length === 0) return null;
  const articles = list.slice(0, max).map((raw) => {
    const article = raw as Record<string, unknown>;
    return {
      title: str(article.title).slice(0, 64) || '图文',
      description: str(article.digest).slice(0, 120),
      picUrl: str(article.cover_url).slice(0, 1024),
      url: str(article.content_url).slice(0, 1024),
    };
  });
  return { type: 'news', articles };
}

/**
 * One platform reply item as a Qiao reply: text carries the text, image,
 * voice and video carry a media_id, news its articles (`news_info`).
 */
function replyOf(item: PlatformItem, articleLimit: number): AutoReplyMessage | string {
  const content = item.content ?? '';
  switch (item.type) {
    case 'text':
      return content ? { type: 'text', content } : '空的文字回复 (empty text)';
    case 'img':
    case 'image':
      return content ? { type: 'image', mediaId: content } : '图片缺少 media_id (image without media_id)';
    case 'voice':
      return content ? { type: 'voice', mediaId: content } : '语音缺少 media_id (voice without media_id)';
    case 'video':
      return content ? { type: 'video', mediaId: content } : '视频缺少 media_id (video without media_id)';
    case 'news':
      return newsArticles(item, articleLimit) ?? '图文没有文章 (news without articles)';
    default:
      return `不支持的回复类型 ${item.type} (unsupported reply type)`;
  }
}

/** Converts `get_current_autoreply_info` into rules; what cannot be represented is listed with the reason. */
export function convertPlatformAutoReplies(answer: PlatformAnswer): PlatformConversion {
  const rules: ImportedRule[] = [];
  const skipped: PlatformConversion['skipped'] = [];
  const add = (rule: ImportedRule, items: PlatformItem[]) => {
    const replies: AutoReplyMessage[] = [];
    const reasons: string[] = [];
    // After the first, replies go out as customer-service messages, which carry one article (facts §4.6).
    items.forEach((item, index) => {
      const limit = rule.replyMode === 'all' && index > 0 ? 1 : rule.kind === 'subscribe' ? 8 : 1;
      const reply = replyOf(item, limit);
      if (typeof reply === 'string') reasons.push(reply);
      else replies.push(reply);
    });
    if (replies.length === 0) {
      skipped.push({ name: rule.name, reason: reasons.join('；') || '没有回复内容 (no replies)' });
      return;
    }
    const candidate = { ...rule, replies: rule.replyMode === 'all' ? replies.slice(0, 6) : replies };
    try {
      checkRuleContent({ ...candidate, clickKeys: [] });
    } catch (error) {
      skipped.push({ name: rule.name, reason: isAppError(error) ? renderErrorMessage(error.code, 'zh-CN', error.details) : String(error) });
      return;
    }
    rules.push(candidate);
  };

  if (answer.add_friend_autoreply_info) {
    add(
      { kind: 'subscribe', name: '被关注回复', enabled: answer.is_add_friend_reply_open === 1, keywords: [], replies: [], replyMode: 'all', platformKey: 'subscribe' },
      [answer.add_friend_autoreply_info as PlatformItem],
    );
  }
  const messagesOn = answer.is_autoreply_open === 1;
  if (answer.message_default_autoreply_info) {
    add(
      { kind: 'default', name: '收到消息回复', enabled: messagesOn, keywords: [], replies: [], replyMode: 'all', platformKey: 'default' },
      [answer.message_default_autoreply_info as PlatformItem],
    );
  }
  for (const [index, item] of (answer.keyword_autoreply_info?.list ?? []).entries()) {
    const keywords: AutoReplyKeyword[] = (item.keyword_list_info ?? [])
      .map((k) => ({ text: k.content.trim().slice(0, 60), match: k.match_mode === 'equal' ? ('exact' as const) : ('contains' as const) }))
      .filter((k, at, all) => k.text !== '' && all.findIndex((o) => o.text === k.text && o.match === k.match) === at);
    const base = { kind: 'keyword' as const, keywords, clickKeys: [] };
    const name = (item.rule_name ?? '').trim().slice(0, 60) || defaultRuleName(base) || `规则 ${index + 1}`;
    if (keywords.length === 0) {
      skipped.push({ name, reason: '没有关键词 (no keywords)' });
      continue;
    }
    add(
      {
        kind: 'keyword',
        name,
        enabled: messagesOn,
        keywords,
        replies: [],
        replyMode: item.reply_mode === 'random_one' ? 'random' : 'all',
        platformKey: `keyword:${item.create_time ?? ''}:${name}`,
      },
      (item.reply_list_info ?? []) as PlatformItem[],
    );
  }
  return { rules, skipped };
}
