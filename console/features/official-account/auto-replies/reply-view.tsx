import { Flex, Tag, Typography } from 'antd';
import type { TFunction } from 'i18next';
import type { AutoReplyKeyword, AutoReplyMessage } from '../../../../server/modules/official-account/auto-replies/auto-replies.schema';

/** One reply in one line: its text, or its type with what identifies it. */
export function replyLine(t: TFunction, reply: AutoReplyMessage): string {
  switch (reply.type) {
    case 'text':
      return reply.content;
    case 'news':
      return `[${t('replyType.news')}] ${reply.articles.map((a) => a.title).join(' / ')}`;
    case 'music':
      return `[${t('replyType.music')}] ${reply.title ?? reply.thumbMediaId}`;
    case 'video':
      return `[${t('replyType.video')}] ${reply.title ?? reply.mediaId}`;
    default:
      return `[${t(`replyType.${reply.type}`)}] ${reply.mediaId}`;
  }
}

export function RepliesView({ t, replies, max = 3 }: { t: TFunction; replies: AutoReplyMessage[]; max?: number }) {
  return (
    <Flex vertical gap={2} style={{ minWidth: 0 }}>
      {replies.slice(0, max).map((reply, index) => (
        <Typography.Text key={index} ellipsis={{ tooltip: replyLine(t, reply) }} style={{ maxWidth: 360 }}>
          {replyLine(t, reply)}
        </Typography.Text>
      ))}
      {replies.length > max ? <Typography.Text type="secondary">{t('moreReplies', { count: replies.length - max })}</Typography.Text> : null}
    </Flex>
  );
}

export function KeywordTags({ t, keywords }: { t: TFunction; keywords: AutoReplyKeyword[] }) {
  return (
    <Flex wrap gap={4}>
      {keywords.map((k, index) => (
        <Tag key={index} color={k.match === 'exact' ? 'blue' : 'default'}>
          {k.text}
          <Typography.Text type="secondary" style={{ fontSize: 11, marginLeft: 4 }}>
            {t(`match.${k.match}`)}
          </Typography.Text>
        </Tag>
      ))}
    </Flex>
  );
}
