import { Flex, Typography } from 'antd';
import type { ReactNode } from 'react';

/** The top of every page: its title, one line on what it is for, and its one main action. */
export function PageHeader({ title, description, extra }: { title: ReactNode; description?: ReactNode; extra?: ReactNode }) {
  return (
    <Flex justify="space-between" align="flex-start" gap={16} style={{ marginBottom: 20 }} wrap>
      <div style={{ minWidth: 0 }}>
        <Typography.Title level={3} style={{ margin: 0 }} data-testid="page-title">
          {title}
        </Typography.Title>
        {description ? (
          <Typography.Paragraph type="secondary" style={{ margin: '6px 0 0' }}>
            {description}
          </Typography.Paragraph>
        ) : null}
      </div>
      {extra ? <Flex gap={8}>{extra}</Flex> : null}
    </Flex>
  );
}
