import { useMutation } from '@tanstack/react-query';
import { Button, Card, Descriptions, Empty, Flex, Input, Segmented, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../../components/error-display';
import { autoRepliesApi } from './auto-replies.api';
import { RepliesView } from './reply-view';

type Trigger = 'message' | 'subscribe' | 'click';

/** Which rule would answer what a follower does; sends nothing to anyone. */
export function RuleTester({ accountId }: { accountId: string }) {
  const { t } = useTranslation('oaAutoReplies');
  const [trigger, setTrigger] = useState<Trigger>('message');
  const [content, setContent] = useState('');
  const test = useMutation({ mutationFn: () => autoRepliesApi.test(accountId, content, trigger) });
  const result = test.data;

  return (
    <Card title={t('tester.title')} size="small" style={{ marginBottom: 16 }} data-testid="rule-tester" extra={<Typography.Text type="secondary">{t('tester.hint')}</Typography.Text>}>
      <Flex vertical gap={12}>
        <Flex gap={8} wrap align="center">
          <Segmented<Trigger>
            value={trigger}
            onChange={(value) => {
              setTrigger(value);
              test.reset();
            }}
            options={(['message', 'subscribe', 'click'] as const).map((value) => ({ value, label: t(`tester.trigger.${value}`) }))}
          />
          {trigger === 'subscribe' ? null : (
            <Input
              value={content}
              onChange={(e) => setContent(e.target.value)}
              onPressEnter={() => content.trim() && test.mutate()}
              maxLength={4000}
              style={{ flex: '1 1 280px' }}
              placeholder={t(trigger === 'click' ? 'tester.keyPlaceholder' : 'tester.placeholder')}
              data-testid="tester-input"
            />
          )}
          <Button type="primary" onClick={() => test.mutate()} loading={test.isPending} disabled={trigger !== 'subscribe' && content.trim() === ''} data-testid="tester-run">
            {t('tester.run')}
          </Button>
        </Flex>
        <ErrorAlert error={test.error} />
        {result ? (
          result.matched ? (
            <Descriptions size="small" column={{ xs: 1, md: 2 }} data-testid="tester-result">
              <Descriptions.Item label={t('tester.rule')}>
                {result.ruleName} · {t(`kind.${result.kind}`)}
              </Descriptions.Item>
              {result.keyword ? (
                <Descriptions.Item label={t('tester.keyword')}>
                  {result.keyword.text}（{t(`match.${result.keyword.match}`)}）
                </Descriptions.Item>
              ) : null}
              <Descriptions.Item label={t('field.replyMode')}>{result.replyMode ? t(`replyMode.${result.replyMode}`) : '—'}</Descriptions.Item>
              <Descriptions.Item label={t('field.replies')}>
                <RepliesView t={t} replies={result.replies} max={10} />
              </Descriptions.Item>
            </Descriptions>
          ) : (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('tester.noMatch')} data-testid="tester-result" />
          )
        ) : null}
      </Flex>
    </Card>
  );
}
