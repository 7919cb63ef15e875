import { WarningOutlined } from '@ant-design/icons';
import { Alert, Descriptions, Flex, Space, Tag, Tooltip, Typography } from 'antd';
import type { TFunction } from 'i18next';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Account, AccountTestResult } from '../../../../server/modules/system/accounts/accounts.schema';
import { formatDateTime, formatRelative } from '../../../components/format';

type Callback = Account['callbacks'][number];

/** How a receiver reads in the console: the Official Account, an app by AgentId, or one of WeCom's two tools. */
export function receiverLabel(t: TFunction, receiver: string): string {
  if (receiver === 'official-account') return t('accounts:receiver.officialAccount');
  if (receiver === 'contacts') return t('accounts:receiver.contacts');
  if (receiver === 'customer-contact') return t('accounts:receiver.customerContact');
  return t('accounts:receiver.app', { agentId: receiver });
}

function pasteSteps(t: TFunction, account: Pick<Account, 'type' | 'encryptMode'>, receiver: string): string {
  if (account.type === 'official_account') {
    return t('accounts:paste.officialAccount', { site: 'mp.weixin.qq.com', mode: t(`accounts:mode.${account.encryptMode}.label`) });
  }
  const site = 'work.weixin.qq.com';
  if (receiver === 'contacts') return t('accounts:paste.contacts', { site });
  if (receiver === 'customer-contact') return t('accounts:paste.customerContact', { site });
  return t('accounts:paste.app', { site, agentId: receiver });
}

/** WeChat cannot call a loopback or private address: say so before the user pastes it. */
export function isUnreachableFromWeChat(url: string): boolean {
  try {
    const host = new URL(url).hostname;
    return /^(localhost|127\.|10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.|\[?::1\]?$|0\.0\.0\.0)/.test(host);
  } catch {
    return false;
  }
}

function Copyable({ value, testId }: { value: string | null; testId: string }) {
  const { t } = useTranslation('accounts');
  if (value === null) {
    return (
      <Typography.Text type="danger" data-testid={testId}>
        {t('callbacks.unreadable')}
      </Typography.Text>
    );
  }
  return (
    <Typography.Text code copyable={{ text: value, tooltips: [t('copy'), t('copied')] }} style={{ wordBreak: 'break-all' }} data-testid={testId}>
      {value}
    </Typography.Text>
  );
}

/** The values to paste into WeChat for each receiver, with where to paste them. */
export function CallbackValues({
  account,
  renderExtra,
}: {
  account: Pick<Account, 'type' | 'encryptMode' | 'callbacks'>;
  renderExtra?: (callback: Callback) => ReactNode;
}) {
  const { t } = useTranslation('accounts');
  const local = account.callbacks.some((c) => isUnreachableFromWeChat(c.url));
  return (
    <Flex vertical gap={16}>
      {local ? <Alert type="warning" showIcon title={t('callbacks.localTitle')} description={t('callbacks.localDescription', { variable: 'QIAO_PUBLIC_URL' })} data-testid="callbacks-local-warning" /> : null}
      {account.callbacks.map((callback) => (
        <div key={callback.receiver} data-testid={`callback-${callback.receiver}`}>
          <Flex justify="space-between" align="center" style={{ marginBottom: 8 }}>
            <Typography.Text strong>{receiverLabel(t, callback.receiver)}</Typography.Text>
            {renderExtra?.(callback)}
          </Flex>
          <Descriptions size="small" column={1} bordered styles={{ label: { width: 200 } }}>
            <Descriptions.Item label={t('callbacks.url', { name: 'URL' })}>
              <Copyable value={callback.url} testId={`callback-url-${callback.receiver}`} />
            </Descriptions.Item>
            <Descriptions.Item label={t('callbacks.token', { name: 'Token' })}>
              <Copyable value={callback.token} testId={`callback-token-${callback.receiver}`} />
            </Descriptions.Item>
            <Descriptions.Item label={t('callbacks.aesKey', { name: 'EncodingAESKey' })}>
              <Copyable value={callback.encodingAesKey} testId={`callback-key-${callback.receiver}`} />
            </Descriptions.Item>
          </Descriptions>
          <Typography.Paragraph type="secondary" style={{ margin: '8px 0 0', fontSize: 13 }}>
            {pasteSteps(t, account, callback.receiver)}
          </Typography.Paragraph>
        </div>
      ))}
    </Flex>
  );
}

/** 最近回调 and 最近接口错误 of one account, compact for a table cell. */
export function HealthCell({ health }: { health: Account['health'] }) {
  const { t } = useTranslation('accounts');
  const error = health.lastApiError;
  return (
    <Flex vertical gap={2}>
      {health.secretsReadable ? null : (
        <Tooltip title={t('health.secretsUnreadableHint')}>
          <Tag color="error" icon={<WarningOutlined />} style={{ width: 'fit-content' }} data-testid="health-secrets-unreadable">
            {t('health.secretsUnreadable')}
          </Tag>
        </Tooltip>
      )}
      <Typography.Text type={health.lastCallbackAt ? undefined : 'secondary'} style={{ fontSize: 13 }}>
        {health.lastCallbackAt ? (
          <Tooltip title={formatDateTime(health.lastCallbackAt)}>{t('health.lastCallback', { when: formatRelative(health.lastCallbackAt) })}</Tooltip>
        ) : (
          t('health.noCallback')
        )}
      </Typography.Text>
      {error ? (
        <Tooltip title={`${error.endpoint} · ${error.errmsg} · ${formatDateTime(health.lastApiErrorAt)}`}>
          <Typography.Text type="danger" style={{ fontSize: 13 }} ellipsis data-testid="health-api-error">
            {t('health.lastError', { errcode: error.errcode, when: formatRelative(health.lastApiErrorAt) })}
          </Typography.Text>
        </Tooltip>
      ) : (
        <Typography.Text type="secondary" style={{ fontSize: 13 }}>
          {t('health.noError')}
        </Typography.Text>
      )}
    </Flex>
  );
}

/** The answer of 测试连接: every receiver's outcome, WeChat's errcode explained, and how to fix it. */
export function TestResultView({ result, apiBaseUrl }: { result: AccountTestResult; apiBaseUrl: string }) {
  const { t } = useTranslation('accounts');
  return (
    <Flex vertical gap={8} data-testid="account-test-result">
      {result.results.map((r) => {
        const label = receiverLabel(t, r.receiver);
        const single = result.results.length === 1;
        if (r.ok) return <Alert key={r.receiver} type="success" showIcon title={single ? t('test.okSingle') : t('test.ok', { receiver: label })} />;
        const hint = r.hint ?? (r.errcode === undefined ? t('test.networkHint', { apiBaseUrl }) : undefined);
        return (
          <Alert
            key={r.receiver}
            type="error"
            showIcon
            title={single ? (r.message ?? t('common:error.unknown')) : t('test.failed', { receiver: label, message: r.message ?? t('common:error.unknown') })}
            description={
              <Flex vertical gap={4}>
                {r.errcode !== undefined ? (
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {t('test.errcode', { errcode: r.errcode, errmsg: r.errmsg ?? '' })}
                  </Typography.Text>
                ) : null}
                {hint ? <Typography.Text>{hint}</Typography.Text> : null}
              </Flex>
            }
          />
        );
      })}
    </Flex>
  );
}

export function AccountTypeTag({ account }: { account: Pick<Account, 'type' | 'sandbox'> }) {
  const { t } = useTranslation('accounts');
  return (
    <Space size={4} wrap>
      <Tag color={account.type === 'wecom' ? 'blue' : 'green'}>{t(`type.${account.type}`)}</Tag>
      {account.sandbox ? (
        <Tag color="orange" data-testid="sandbox-tag">
          {t('sandbox')}
        </Tag>
      ) : null}
    </Space>
  );
}
