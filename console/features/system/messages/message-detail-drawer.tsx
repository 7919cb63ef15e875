import type { TFunction } from 'i18next';
import { Descriptions, Drawer, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Message } from '../../../../server/modules/system/messages/messages.schema';
import { formatDateTime } from '../../../components/format';
import { receiverLabel } from '../accounts/account-parts';

function Json({ value, testId }: { value: unknown; testId: string }) {
  return (
    <Typography.Paragraph data-testid={testId} style={{ margin: 0 }}>
      <pre style={{ margin: 0, fontSize: 12, whiteSpace: 'pre-wrap', wordBreak: 'break-all', maxHeight: 360, overflow: 'auto' }}>{JSON.stringify(value, null, 2)}</pre>
    </Typography.Paragraph>
  );
}

/** The receiver under the type: only WeCom has several (apps, contacts, customer contact). */
export function messageReceiverLabel(t: TFunction, receiver: string): string {
  return receiver === 'official-account' ? t('messages:officialAccount') : receiverLabel(t, receiver);
}

/** One received message or event: its decrypted fields and what was answered. */
export function MessageDetailDrawer({ message, onClose }: { message: Message | null; onClose: () => void }) {
  const { t } = useTranslation('messages');
  const late = message?.lateDelivery;
  return (
    <Drawer open={Boolean(message)} onClose={onClose} size={640} title={message ? t('detail.title') : ''} data-testid="message-detail">
      {message ? (
        <Descriptions
          column={1}
          size="small"
          bordered
          styles={{ label: { width: 120, whiteSpace: 'nowrap' } }}
          items={[
            { key: 'receivedAt', label: t('field.receivedAt'), children: formatDateTime(message.receivedAt) },
            { key: 'createTime', label: t('field.createTime'), children: formatDateTime(message.createTime) },
            { key: 'receiver', label: t('field.receiver'), children: messageReceiverLabel(t, message.receiver) },
            { key: 'type', label: t('field.type'), children: <Typography.Text code>{message.type}</Typography.Text> },
            { key: 'from', label: t('field.from'), children: <Typography.Text copyable>{message.from}</Typography.Text> },
            {
              key: 'state',
              label: t('field.state'),
              children: (
                <>
                  <Tag color={message.state === 'failed' ? 'error' : message.state === 'done' ? 'success' : 'processing'}>{t(`state.${message.state}`)}</Tag>
                  {message.processingMs !== null ? t('processingMs', { ms: message.processingMs }) : null}
                </>
              ),
            },
            { key: 'fields', label: t('field.fields'), children: <Json value={message.fields} testId="message-fields" /> },
            { key: 'reply', label: t('field.reply'), children: message.reply ? <Json value={message.reply} testId="message-reply" /> : t('noReply') },
            {
              key: 'late',
              label: t('field.lateDelivery'),
              children: message.handledLate ? (
                <>
                  <Tag color={late?.status === 'sent' ? 'success' : late ? 'error' : 'processing'}>{t(`late.${late?.status ?? 'pending'}`)}</Tag>
                  {late?.errcode !== undefined ? <Typography.Text code>errcode {late.errcode}</Typography.Text> : null}
                  {late?.code && late.errcode === undefined ? <Typography.Text code>{late.code}</Typography.Text> : null}
                </>
              ) : (
                t('late.onTime')
              ),
            },
            ...(message.failure ? [{ key: 'failure', label: t('field.failure'), children: <Typography.Text type="danger">{message.failure}</Typography.Text> }] : []),
          ]}
        />
      ) : null}
    </Drawer>
  );
}
