import { ArrowDownOutlined, ArrowUpOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Flex, Input, Popconfirm, Switch, Table, Tabs, Tag, Typography, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import type { AutoReplyKind, AutoReplyRule } from '../../../../server/modules/official-account/auto-replies/auto-replies.schema';
import { useProductAccount } from '../../../components/account-picker';
import { ErrorAlert, errorMessage } from '../../../components/error-display';
import { PageHeader } from '../../../components/page-header';
import { autoRepliesApi, autoRepliesQueryKey } from './auto-replies.api';
import { KeywordTags, RepliesView } from './reply-view';
import { RuleEditor } from './rule-editor';
import { RuleTester } from './rule-tester';

const kinds: AutoReplyKind[] = ['subscribe', 'default', 'keyword', 'click'];

/** Shown until the account's own platform rules were imported: once Qiao takes the callback URL they stop answering. */
function ImportBanner({ accountId }: { accountId: string }) {
  const { t } = useTranslation('oaAutoReplies');
  const { message, modal } = App.useApp();
  const client = useQueryClient();
  const status = useQuery({ queryKey: [...autoRepliesQueryKey, 'status', accountId], queryFn: () => autoRepliesApi.status(accountId) });
  const run = useMutation({
    mutationFn: () => autoRepliesApi.importPlatform(accountId),
    onSuccess: (result) => {
      void client.invalidateQueries({ queryKey: autoRepliesQueryKey });
      void message.success(t('import.done', { imported: result.imported, already: result.alreadyImported }));
      if (result.skipped.length > 0) {
        modal.warning({
          title: t('import.skippedTitle', { count: result.skipped.length }),
          content: (
            <ul style={{ paddingInlineStart: 18 }}>
              {result.skipped.map((s, i) => (
                <li key={i}>
                  {s.name}：{s.reason}
                </li>
              ))}
            </ul>
          ),
        });
      }
    },
    onError: (error) => void message.error(errorMessage(error, t('common:error.unknown'))),
  });
  if (!status.data || status.data.importedAt !== null) return null;
  return (
    <Alert
      type="info"
      showIcon
      style={{ marginBottom: 16 }}
      data-testid="import-banner"
      title={t('import.title')}
      description={t('import.description')}
      action={
        <Button type="primary" loading={run.isPending} onClick={() => run.mutate()} data-testid="import-platform">
          {t('import.action')}
        </Button>
      }
    />
  );
}

function RulesTable({ accountId, kind, onEdit }: { accountId: string; kind: AutoReplyKind; onEdit(rule: AutoReplyRule): void }) {
  const { t } = useTranslation('oaAutoReplies');
  const { message } = App.useApp();
  const client = useQueryClient();
  const [q, setQ] = useState<string | undefined>();
  const rules = useQuery({ queryKey: [...autoRepliesQueryKey, 'list', accountId, kind, q], queryFn: () => autoRepliesApi.list(accountId, kind, q) });
  const refresh = () => void client.invalidateQueries({ queryKey: autoRepliesQueryKey });
  const onError = (error: unknown) => void message.error(errorMessage(error, t('common:error.unknown')));
  const move = useMutation({ mutationFn: ({ id, to }: { id: string; to: number }) => autoRepliesApi.move(accountId, id, to), onSuccess: refresh, onError });
  const toggle = useMutation({ mutationFn: ({ id, enabled }: { id: string; enabled: boolean }) => autoRepliesApi.update(accountId, id, { enabled }), onSuccess: refresh, onError });
  const remove = useMutation({ mutationFn: (id: string) => autoRepliesApi.remove(accountId, id), onSuccess: refresh, onError });
  const total = rules.data?.total ?? 0;

  const columns: TableColumnsType<AutoReplyRule> = [
    { title: t('field.priority'), dataIndex: 'position', width: 80, render: (p: number) => p + 1 },
    {
      title: t('field.name'),
      dataIndex: 'name',
      width: 180,
      render: (name: string, rule) => (
        <Flex vertical gap={2}>
          <Typography.Text strong>{name}</Typography.Text>
          {rule.source === 'platform' ? <Tag style={{ width: 'fit-content' }}>{t('source.platform')}</Tag> : null}
        </Flex>
      ),
    },
    ...(kind === 'keyword' ? [{ title: t('field.keywords'), key: 'keywords', width: 240, render: (_: unknown, rule: AutoReplyRule) => <KeywordTags t={t} keywords={rule.keywords} /> }] : []),
    ...(kind === 'click'
      ? [{ title: t('field.clickKeys'), key: 'clickKeys', width: 200, render: (_: unknown, rule: AutoReplyRule) => rule.clickKeys.map((k) => <Tag key={k}>{k}</Tag>) }]
      : []),
    { title: t('field.replies'), key: 'replies', width: 280, render: (_v, rule) => <RepliesView t={t} replies={rule.replies} /> },
    { title: t('field.replyMode'), dataIndex: 'replyMode', width: 120, render: (m: 'all' | 'random') => t(`replyMode.${m}`) },
    {
      title: t('field.enabled'),
      dataIndex: 'enabled',
      width: 90,
      render: (enabled: boolean, rule) => (
        <Switch size="small" checked={enabled} loading={toggle.isPending && toggle.variables?.id === rule.id} onChange={(next) => toggle.mutate({ id: rule.id, enabled: next })} aria-label={t('field.enabled')} />
      ),
    },
    {
      title: t('field.actions'),
      key: 'actions',
      width: 200,
      fixed: 'right',
      render: (_v, rule) => (
        <Flex gap={4} wrap>
          <Button size="small" type="text" icon={<ArrowUpOutlined />} disabled={rule.position === 0} onClick={() => move.mutate({ id: rule.id, to: rule.position - 1 })} aria-label={t('action.up')} title={t('action.up')} />
          <Button size="small" type="text" icon={<ArrowDownOutlined />} disabled={rule.position >= total - 1} onClick={() => move.mutate({ id: rule.id, to: rule.position + 1 })} aria-label={t('action.down')} title={t('action.down')} />
          <Button size="small" type="link" onClick={() => onEdit(rule)} data-testid={`rule-edit-${rule.id}`}>
            {t('action.edit')}
          </Button>
          <Popconfirm title={t('action.deleteConfirm', { name: rule.name })} onConfirm={() => remove.mutate(rule.id)}>
            <Button size="small" type="link" danger>
              {t('action.delete')}
            </Button>
          </Popconfirm>
        </Flex>
      ),
    },
  ];

  return (
    <>
      <Typography.Paragraph type="secondary">{t(`kindHint.${kind}`)}</Typography.Paragraph>
      {kind === 'keyword' || kind === 'click' ? (
        <Input.Search allowClear placeholder={t('search')} style={{ maxWidth: 320, marginBottom: 12 }} onSearch={(value) => setQ(value.trim() || undefined)} />
      ) : null}
      <ErrorAlert error={rules.error} />
      <Table<AutoReplyRule>
        rowKey="id"
        size="middle"
        loading={rules.isLoading}
        columns={columns}
        dataSource={rules.data?.items ?? []}
        pagination={false}
        locale={{ emptyText: t(`empty.${kind}`) }}
        scroll={{ x: 1160 }}
      />
      {rules.data?.nextCursor ? (
        <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
          {t('showingFirst', { shown: rules.data.items.length, total })}
        </Typography.Paragraph>
      ) : null}
    </>
  );
}

/** 自动回复: welcome, default, keyword and menu-click replies, like the platform's own admin, plus a tester. */
export function AutoRepliesPage() {
  const { t } = useTranslation('oaAutoReplies');
  const { account, picker, empty } = useProductAccount('official_account');
  const [params, setParams] = useSearchParams();
  const kind = (kinds.find((k) => k === params.get('tab')) ?? 'keyword') as AutoReplyKind;
  const [editing, setEditing] = useState<{ rule: AutoReplyRule | null } | null>(null);
  const client = useQueryClient();
  const { message } = App.useApp();

  const setKind = (next: string) =>
    setParams((current) => {
      const copy = new URLSearchParams(current);
      copy.set('tab', next);
      return copy;
    });

  return (
    <>
      <PageHeader
        title={t('title')}
        description={t('description')}
        extra={
          <>
            {picker}
            {account ? (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({ rule: null })} data-testid="rule-create">
                {t('action.create', { kind: t(`kind.${kind}`) })}
              </Button>
            ) : null}
          </>
        }
      />
      {!account ? (
        empty
      ) : (
        <>
          <ImportBanner accountId={account.id} />
          <RuleTester accountId={account.id} />
          <Tabs
            activeKey={kind}
            onChange={setKind}
            items={kinds.map((k) => ({ key: k, label: t(`kind.${k}`), children: <RulesTable accountId={account.id} kind={k} onEdit={(rule) => setEditing({ rule })} /> }))}
          />
          <RuleEditor
            accountId={account.id}
            kind={editing?.rule?.kind ?? kind}
            rule={editing?.rule ?? null}
            open={editing !== null}
            onClose={() => setEditing(null)}
            onSaved={(saved) => {
              void client.invalidateQueries({ queryKey: autoRepliesQueryKey });
              void message.success(t('editor.saved'));
              if (saved.overlaps.length === 0) setEditing(null);
              else setEditing({ rule: saved });
            }}
          />
        </>
      )}
    </>
  );
}
