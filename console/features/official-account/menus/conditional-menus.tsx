import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Empty, Flex, Form, Input, InputNumber, Modal, Popconfirm, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { checkMenu, type WeChatMenuButton } from '../../../../server/modules/official-account/menus/menu-rules.schema';
import type { ConditionalMenu, MatchRule, MenuState } from '../../../../server/modules/official-account/menus/menus.schema';
import { useCan } from '../../../app/session';
import { ErrorAlert } from '../../../components/error-display';
import { formatDateTime } from '../../../components/format';
import { MenuEditor, type Selection } from './menu-editor';
import { conditionalKey, menuApi } from './menu.api';
import { useMiniProgramLock } from './use-mini-program-lock';

/** 个性化菜单: menus shown to followers of a tag or on a client platform; WeChat matches the newest first. */
export function ConditionalMenus({ accountId, accountName, published }: { accountId: string; accountName: string; published: MenuState['published'] }) {
  const { t } = useTranslation('oaMenu');
  const canWrite = useCan()('official_account.write');
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const list = useQuery({ queryKey: conditionalKey(accountId), queryFn: () => menuApi.conditional(accountId) });
  const [creating, setCreating] = useState(false);
  const remove = useMutation({
    mutationFn: (id: string) => menuApi.deleteConditional(accountId, id),
    onSuccess: () => {
      void message.success(t('message.conditionalDeleted'));
      void queryClient.invalidateQueries({ queryKey: conditionalKey(accountId) });
    },
  });
  const ruleText = (rule: ConditionalMenu['matchRule']) =>
    [rule.tagId !== undefined ? t('conditional.ruleTag', { id: rule.tagId }) : null, rule.clientPlatformType ? t(`platform.${rule.clientPlatformType}`) : null].filter(Boolean).join(' + ');

  return (
    <Flex vertical gap={16}>
      <Alert type="info" showIcon title={t('conditional.about')} />
      {!published || published.button.length === 0 ? <Alert type="warning" showIcon title={t('conditional.needsDefault')} /> : null}
      <ErrorAlert error={list.error ?? remove.error} />
      <Card
        size="small"
        title={t('conditional.title')}
        extra={
          canWrite ? (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} disabled={!published || published.button.length === 0} data-testid="conditional-new">
              {t('conditional.new')}
            </Button>
          ) : null
        }
      >
        <Table<ConditionalMenu>
          rowKey="id"
          size="small"
          loading={list.isLoading}
          dataSource={list.data?.items ?? []}
          pagination={false}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('conditional.empty')} /> }}
          columns={[
            { title: t('conditional.name'), dataIndex: 'name' },
            { title: t('conditional.rule'), render: (_, row) => ruleText(row.matchRule) },
            { title: t('conditional.buttons'), render: (_, row) => row.button.map((b) => b.name).join(' | ') },
            { title: t('conditional.menuId'), dataIndex: 'menuId', render: (value: string | null, row) => value ?? <Tag>{t(`conditionalState.${row.state}`)}</Tag> },
            { title: t('conditional.createdAt'), render: (_, row) => `${row.createdBy ?? ''} ${formatDateTime(row.createdAt)}` },
            {
              title: '',
              render: (_, row) =>
                canWrite ? (
                  <Popconfirm title={t('conditional.confirmDelete')} onConfirm={() => remove.mutate(row.id)}>
                    <Button size="small" danger icon={<DeleteOutlined />} aria-label={t('conditional.delete')} />
                  </Popconfirm>
                ) : null,
            },
          ]}
        />
      </Card>
      <TryMatch accountId={accountId} />
      {creating ? (
        <CreateConditional
          accountId={accountId}
          accountName={accountName}
          initial={published?.button ?? []}
          onClose={() => setCreating(false)}
          onCreated={() => {
            setCreating(false);
            void message.success(t('message.conditionalCreated'));
            void queryClient.invalidateQueries({ queryKey: conditionalKey(accountId) });
          }}
        />
      ) : null}
    </Flex>
  );
}

function CreateConditional(props: { accountId: string; accountName: string; initial: WeChatMenuButton[]; onClose: () => void; onCreated: () => void }) {
  const { t } = useTranslation('oaMenu');
  const [name, setName] = useState('');
  const [rule, setRule] = useState<MatchRule>({});
  const [buttons, setButtons] = useState<WeChatMenuButton[]>(props.initial);
  const [selection, setSelection] = useState<Selection | null>(null);
  const miniProgramLock = useMiniProgramLock(props.accountId);
  const create = useMutation({ mutationFn: () => menuApi.createConditional(props.accountId, { name, button: buttons, matchRule: rule }), onSuccess: props.onCreated });
  const invalid = buttons.length === 0 || checkMenu({ button: buttons }).length > 0 || name.trim() === '' || (rule.tagId === undefined && rule.clientPlatformType === undefined);

  return (
    <Modal open width={1100} title={t('conditional.new')} onCancel={props.onClose} onOk={() => create.mutate()} okButtonProps={{ disabled: invalid, loading: create.isPending }} okText={t('conditional.create')}>
      <ErrorAlert error={create.error} />
      <Form layout="inline" style={{ marginBottom: 16, rowGap: 8 }}>
        <Form.Item label={t('conditional.name')} required>
          <Input value={name} onChange={(e) => setName(e.target.value)} maxLength={60} />
        </Form.Item>
        <Form.Item label={t('conditional.tagId')}>
          <InputNumber min={0} value={rule.tagId} onChange={(v) => setRule({ ...rule, tagId: v ?? undefined })} />
        </Form.Item>
        <Form.Item label={t('conditional.platform')}>
          <Select
            allowClear
            style={{ width: 160 }}
            value={rule.clientPlatformType}
            onChange={(v: MatchRule['clientPlatformType']) => setRule({ ...rule, clientPlatformType: v })}
            options={(['1', '2', '3'] as const).map((p) => ({ value: p, label: t(`platform.${p}`) }))}
          />
        </Form.Item>
      </Form>
      <MenuEditor buttons={buttons} onChange={setButtons} selection={selection} onSelect={setSelection} title={props.accountName} miniProgramLock={miniProgramLock} />
    </Modal>
  );
}

function TryMatch({ accountId }: { accountId: string }) {
  const { t } = useTranslation('oaMenu');
  const [userId, setUserId] = useState('');
  const match = useMutation({ mutationFn: () => menuApi.tryMatch(accountId, userId.trim()) });
  return (
    <Card size="small" title={t('tryMatch.title')}>
      <Space.Compact style={{ width: '100%', maxWidth: 520 }}>
        <Input placeholder={t('tryMatch.placeholder')} value={userId} onChange={(e) => setUserId(e.target.value)} data-testid="trymatch-input" />
        <Button type="primary" onClick={() => match.mutate()} disabled={userId.trim() === ''} loading={match.isPending} data-testid="trymatch-run">
          {t('tryMatch.run')}
        </Button>
      </Space.Compact>
      <ErrorAlert error={match.error} />
      {match.data ? (
        <Typography.Paragraph style={{ marginTop: 12 }} data-testid="trymatch-result">
          {match.data.menuId ? t('tryMatch.conditional', { menuId: match.data.menuId }) : t('tryMatch.default')}：{match.data.button.map((b) => b.name).join(' | ')}
        </Typography.Paragraph>
      ) : null}
    </Card>
  );
}
