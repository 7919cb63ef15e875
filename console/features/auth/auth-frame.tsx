import { Avatar, Card, Flex, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { LanguageSwitch } from '../../components/language-switch';

/** The centred card of the pages shown before signing in. */
export function AuthFrame({ title, subtitle, children }: { title: ReactNode; subtitle?: ReactNode; children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <Flex vertical style={{ minHeight: '100vh', background: 'linear-gradient(180deg, #eef7f1 0%, #f5f5f5 60%)' }}>
      <Flex justify="space-between" align="center" style={{ padding: '16px 32px' }}>
        <Flex align="center" gap={10}>
          <Avatar shape="square" size={32} style={{ background: '#07c160', fontWeight: 600 }}>
            桥
          </Avatar>
          <Typography.Text strong style={{ fontSize: 18 }}>
            {t('appName')}
          </Typography.Text>
        </Flex>
        <LanguageSwitch />
      </Flex>
      <Flex flex={1} align="center" justify="center" style={{ padding: 24 }}>
        <Card style={{ width: 420, maxWidth: '100%' }} styles={{ body: { padding: 32 } }}>
          <Typography.Title level={3} style={{ marginTop: 0, marginBottom: 4 }} data-testid="page-title">
            {title}
          </Typography.Title>
          {subtitle ? (
            <Typography.Paragraph type="secondary" style={{ marginBottom: 24 }}>
              {subtitle}
            </Typography.Paragraph>
          ) : null}
          {children}
        </Card>
      </Flex>
      <Typography.Text type="secondary" style={{ textAlign: 'center', padding: 16, fontSize: 12 }}>
        {t('tagline')}
      </Typography.Text>
    </Flex>
  );
}
