import { EyeOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Badge, Button, Checkbox, Col, Dropdown, Flex, Form, Input, Modal, Radio, Row, Select, Space, Tag, Typography, type TableColumnsType } from 'antd';
import { useCallback, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Member, MemberVisibility } from '../../../../server/modules/wecom/members/members.schema';
import { useCan, useMe } from '../../../app/session';
import { useProductAccount } from '../../../components/account-picker';
import { DataTable, type PageRequest } from '../../../components/data-table';
import { ErrorAlert, errorMessage } from '../../../components/error-display';
import { PageHeader } from '../../../components/page-header';
import { useUrlState } from '../../../components/url-state';
import { DirectoryFileActions } from '../member-import/directory-file-actions';
import { DepartmentTreePanel } from './department-tree-panel';
import { departmentsQueryKey, directoryApi, membersQueryKey } from './directory.api';
import { MemberDrawer } from './member-drawer';

const filterKeys = ['departmentId', 'includeSubdepartments', 'status', 'q'] as const;
const urlKeys = ['departmentId', 'cursor'] as const;
const statuses = ['active', 'disabled', 'inactive', 'resigned'] as const;
const visibilities = ['all', 'own_department_tree', 'own_departments', 'self'] as const;
const statusBadge: Record<Member['status'], 'success' | 'default' | 'warning' | 'error'> = { active: 'success', disabled: 'error', inactive: 'warning', resigned: 'default' };

// The search form holds booleans; the URL holds strings.
const toFormValues = (filters: Record<string, string | undefined>) => ({ ...filters, includeSubdepartments: filters.includeSubdepartments !== 'false' });
const toFilters = (values: Record<string, unknown>) => ({
  departmentId: values.departmentId ? String(values.departmentId) : undefined,
  includeSubdepartments: values.includeSubdepartments === false ? 'false' : undefined,
  status: typeof values.status === 'string' ? values.status : undefined,
  q: typeof values.q === 'string' && values.q.trim() ? values.q.trim() : undefined,
});

/** 通讯录: the department tree on the left, its members on the right. */
export function DirectoryPage() {
  const { t } = useTranslation('wecomDirectory');
  const { account, picker, empty, isLoading } = useProductAccount('wecom');
  return (
    <>
      <PageHeader title={t('title')} description={t('description')} extra={picker} />
      {account ? <Directory accountId={account.id} /> : isLoading ? null : empty}
    </>
  );
}

function Directory({ accountId }: { accountId: string }) {
  const { t } = useTranslation('wecomDirectory');
  const can = useCan();
  const me = useMe();
  const { message, modal } = App.useApp();
  const queryClient = useQueryClient();
  const canWrite = can('wecom.directory.write');
  const [url, setUrl] = useUrlState(urlKeys);
  const [drawer, setDrawer] = useState<{ open: boolean; member?: Member }>({ open: false });
  const [visibilityOpen, setVisibilityOpen] = useState(false);
  const departments = useQuery({ queryKey: departmentsQueryKey(accountId), queryFn: () => directoryApi.departments(accountId) });
  const items = useMemo(() => departments.data?.items ?? [], [departments.data]);
  const byId = useMemo(() => new Map(items.map((d) => [d.id, d])), [items]);
  const selectedId = url.departmentId ? Number(url.departmentId) : undefined;

  const fetchPage = useCallback(
    ({ cursor, limit, filters }: PageRequest) =>
      directoryApi.members(accountId, {
        cursor,
        limit,
        filters: { ...filters, includeSubdepartments: filters.departmentId ? (filters.includeSubdepartments ?? 'true') : undefined },
      }),
    [accountId],
  );

  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: membersQueryKey(accountId) });
    void queryClient.invalidateQueries({ queryKey: departmentsQueryKey(accountId) });
  };
  const onError = (error: unknown) => void message.error(errorMessage(error, t('common:error.unknown')));
  const setStatus = useMutation({
    mutationFn: ({ member, status }: { member: Member; status: 'active' | 'disabled' }) => directoryApi.updateMember(accountId, member.userid, { status }),
    onSuccess: (_m, { status }) => {
      void message.success(status === 'disabled' ? t('member.disabled') : t('member.enabled'));
      refresh();
    },
    onError,
  });
  const remove = useMutation({
    mutationFn: (member: Member) => directoryApi.removeMember(accountId, member.userid),
    onSuccess: () => {
      void message.success(t('member.deleted'));
      refresh();
    },
    onError,
  });

  const onAction = (member: Member, key: string) => {
    if (key === 'enable') setStatus.mutate({ member, status: 'active' });
    if (key === 'disable')
      void modal.confirm({ title: t('member.disableTitle', { name: member.name }), content: t('member.disableContent'), onOk: () => setStatus.mutateAsync({ member, status: 'disabled' }) });
    if (key === 'delete')
      void modal.confirm({
        title: t('member.deleteTitle', { name: member.name }),
        content: t('member.deleteContent'),
        okButtonProps: { danger: true },
        okText: t('member.delete'),
        onOk: () => remove.mutateAsync(member),
      });
  };

  const columns: TableColumnsType<Member> = [
    {
      title: t('field.name'),
      key: 'name',
      width: 160,
      render: (_v, m) => (
        <Flex vertical>
          <Typography.Text strong>{m.name}</Typography.Text>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {m.userid}
          </Typography.Text>
        </Flex>
      ),
    },
    {
      title: t('field.departments'),
      key: 'departments',
      width: 240,
      render: (_v, m) => (
        <Flex wrap gap={4}>
          {m.departments.map((d) => (
            <Tag key={d.departmentId} color={d.isMain ? 'blue' : undefined}>
              {byId.get(d.departmentId)?.name ?? d.departmentId}
              {d.isLeader ? ` · ${t('field.isLeader')}` : ''}
            </Tag>
          ))}
        </Flex>
      ),
    },
    { title: t('field.position'), dataIndex: 'position', width: 140, render: (v: string | null) => v ?? '—' },
    {
      title: t('field.contact'),
      key: 'contact',
      width: 200,
      render: (_v, m) => (
        <Flex vertical>
          <span>{m.mobile ?? ''}</span>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {m.email ?? ''}
          </Typography.Text>
        </Flex>
      ),
    },
    { title: t('field.status'), dataIndex: 'status', width: 130, render: (s: Member['status']) => <Badge status={statusBadge[s]} text={t(`status.${s}`)} /> },
    {
      title: t('field.synced'),
      dataIndex: 'synced',
      width: 120,
      render: (synced: boolean) => (synced ? <Tag color="green">{t('synced.yes')}</Tag> : <Tag color="orange">{t('synced.no')}</Tag>),
    },
  ];
  if (canWrite) {
    columns.push({
      title: t('common:field.actions'),
      key: 'actions',
      width: 130,
      fixed: 'right',
      render: (_v, m) => (
        <Space size={0}>
          <Button type="link" size="small" onClick={() => setDrawer({ open: true, member: m })} data-testid={`member-edit-${m.userid}`}>
            {t('common:action.edit')}
          </Button>
          <Dropdown
            trigger={['click']}
            menu={{
              items: [
                m.status === 'disabled' ? { key: 'enable', label: t('member.enable') } : { key: 'disable', label: t('member.disable') },
                { type: 'divider' },
                { key: 'delete', label: t('member.delete'), danger: true },
              ],
              onClick: ({ key }) => onAction(m, key),
            }}
          >
            <Button type="link" size="small" aria-label={t('common:action.more')} data-testid={`member-more-${m.userid}`}>
              ···
            </Button>
          </Dropdown>
        </Space>
      ),
    });
  }

  return (
    <>
      <Flex justify="flex-end" gap={8} wrap style={{ marginTop: -8, marginBottom: 16 }} data-testid="directory-actions">
        <DirectoryFileActions accountId={accountId} departmentId={selectedId} />
        <Button icon={<EyeOutlined />} onClick={() => setVisibilityOpen(true)} data-testid="directory-visibility">
          {t('visibility.button')}
        </Button>
        {canWrite ? (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setDrawer({ open: true })} data-testid="member-create">
            {t('member.create')}
          </Button>
        ) : null}
      </Flex>
      <ErrorAlert error={departments.error} />
      <Row gutter={16} wrap={false}>
        <Col flex="300px" style={{ minWidth: 0 }}>
          <DepartmentTreePanel
            accountId={accountId}
            departments={items}
            selectedId={selectedId}
            onSelect={(id) => setUrl({ departmentId: id === undefined ? undefined : String(id), cursor: undefined })}
            canWrite={canWrite}
          />
        </Col>
        <Col flex="auto" style={{ minWidth: 0 }}>
          <DataTable<Member>
            testId="members-table"
            title={selectedId !== undefined ? (byId.get(selectedId)?.name ?? t('listTitle')) : t('listTitle')}
            queryKey={membersQueryKey(accountId)}
            fetchPage={fetchPage}
            rowKey="userid"
            columns={columns}
            filterKeys={filterKeys}
            toFormValues={toFormValues}
            toFilters={toFilters}
            scrollX={1150}
            searchFields={
              <>
                <Form.Item name="departmentId" hidden>
                  <Input />
                </Form.Item>
                <Form.Item name="q" label={t('filter.q')}>
                  <Input allowClear placeholder={t('filter.qPlaceholder')} style={{ width: 220 }} data-testid="members-filter-q" />
                </Form.Item>
                <Form.Item name="status" label={t('field.status')}>
                  <Select allowClear placeholder={t('common:placeholder.all')} style={{ width: 120 }} options={statuses.map((s) => ({ value: s, label: t(`status.${s}`) }))} data-testid="members-filter-status" />
                </Form.Item>
                <Form.Item name="includeSubdepartments" valuePropName="checked">
                  <Checkbox disabled={selectedId === undefined} data-testid="members-filter-subdepartments">
                    {t('filter.includeSubdepartments')}
                  </Checkbox>
                </Form.Item>
              </>
            }
          />
        </Col>
      </Row>
      <MemberDrawer accountId={accountId} open={drawer.open} member={drawer.member} departments={items} defaultDepartmentId={selectedId} onClose={() => setDrawer({ open: false })} />
      <VisibilityModal accountId={accountId} open={visibilityOpen} editable={me.role === 'super_admin'} onClose={() => setVisibilityOpen(false)} />
    </>
  );
}

function VisibilityModal({ accountId, open, editable, onClose }: { accountId: string; open: boolean; editable: boolean; onClose: () => void }) {
  const { t } = useTranslation('wecomDirectory');
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const queryKey = ['wecom-directory', accountId, 'visibility'];
  const current = useQuery({ queryKey, queryFn: () => directoryApi.visibility(accountId), enabled: open });
  const [choice, setChoice] = useState<MemberVisibility | undefined>(undefined);
  const save = useMutation({
    mutationFn: (memberVisibility: MemberVisibility) => directoryApi.setVisibility(accountId, { memberVisibility }),
    onSuccess: () => {
      void message.success(t('visibility.saved'));
      void queryClient.invalidateQueries({ queryKey });
      onClose();
    },
  });
  const value = choice ?? current.data?.memberVisibility;
  return (
    <Modal
      open={open}
      title={t('visibility.title')}
      onCancel={onClose}
      onOk={() => (editable && value ? save.mutate(value) : onClose())}
      okButtonProps={{ disabled: !value }}
      confirmLoading={save.isPending}
      afterOpenChange={(isOpen) => isOpen && setChoice(undefined)}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">{t('visibility.description')}</Typography.Paragraph>
      <ErrorAlert error={save.error ?? current.error} />
      <Radio.Group value={value} onChange={(e) => setChoice(e.target.value as MemberVisibility)} disabled={!editable} data-testid="visibility-options">
        <Flex vertical gap={8}>
          {visibilities.map((v) => (
            <Radio key={v} value={v}>
              {t(`visibility.${v}`)}
            </Radio>
          ))}
        </Flex>
      </Radio.Group>
      <Typography.Paragraph type="secondary" style={{ marginTop: 12, marginBottom: 0, fontSize: 12 }}>
        {editable ? t('visibility.wecomNote') : t('visibility.superAdminOnly')}
      </Typography.Paragraph>
    </Modal>
  );
}
