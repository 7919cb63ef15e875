import { CheckOutlined, MinusOutlined } from '@ant-design/icons';
import { Card, Table, Tag, Typography, type TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { permissions, roleHasPermission, roles, type Permission } from '../../../../common/permissions';
import { PageHeader } from '../../../components/page-header';

interface Row {
  key: string;
  area: string;
  permission: Permission;
  /** How many rows of its area follow, for the merged area cell. */
  areaSpan: number;
}

function rowsOf(): Row[] {
  const areaOf = (p: Permission) => p.split('.')[0] ?? p;
  const counts = new Map<string, number>();
  for (const p of permissions) counts.set(areaOf(p), (counts.get(areaOf(p)) ?? 0) + 1);
  const seen = new Set<string>();
  return permissions.map((permission) => {
    const area = areaOf(permission);
    const first = !seen.has(area);
    seen.add(area);
    return { key: permission, area, permission, areaSpan: first ? (counts.get(area) ?? 1) : 0 };
  });
}

/** 角色与权限: what each role may do, read from the same table the server enforces. */
export function RolesPage() {
  const { t } = useTranslation('roles');
  const columns: TableColumnsType<Row> = [
    {
      title: t('column.area'),
      dataIndex: 'area',
      width: 180,
      onCell: (row) => ({ rowSpan: row.areaSpan }),
      render: (area: string) => <Typography.Text strong>{t(`area.${area}`)}</Typography.Text>,
    },
    {
      title: t('column.permission'),
      dataIndex: 'permission',
      render: (p: Permission) => (
        <>
          <Typography.Text>{t(`permission.${p}`)}</Typography.Text>
          <br />
          <Typography.Text type="secondary" code style={{ fontSize: 12 }}>
            {p}
          </Typography.Text>
        </>
      ),
    },
    ...roles.map((role) => ({
      title: <Tag color={role === 'super_admin' ? 'gold' : role === 'dept_admin' ? 'blue' : 'default'}>{t(`common:role.${role}`)}</Tag>,
      key: role,
      width: 150,
      align: 'center' as const,
      render: (_v: unknown, row: Row) =>
        roleHasPermission(role, row.permission) ? (
          <CheckOutlined style={{ color: '#07c160' }} aria-label={t('granted')} />
        ) : (
          <MinusOutlined style={{ color: 'rgba(0,0,0,0.25)' }} aria-label={t('notGranted')} />
        ),
    })),
  ];

  return (
    <>
      <PageHeader title={t('title')} description={t('description')} />
      <Card size="small" style={{ marginBottom: 16 }}>
        {roles.map((role) => (
          <Typography.Paragraph key={role} style={{ marginBottom: 6 }}>
            <Typography.Text strong>{t(`common:role.${role}`)}</Typography.Text>
            <Typography.Text type="secondary">
              {t('common:punctuation.colon')}
              {t(`common:roleDescription.${role}`)}
            </Typography.Text>
          </Typography.Paragraph>
        ))}
      </Card>
      <Card size="small">
        <Table<Row> data-testid="roles-matrix" rowKey="key" columns={columns} dataSource={rowsOf()} pagination={false} size="middle" bordered />
      </Card>
    </>
  );
}
