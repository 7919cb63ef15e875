import { useMutation, useQuery } from '@tanstack/react-query';
import { Button, Drawer, Empty, Flex, List, Popconfirm, Radio, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MenuState, MenuVersion } from '../../../../server/modules/official-account/menus/menus.schema';
import { ErrorAlert } from '../../../components/error-display';
import { formatDateTime } from '../../../components/format';
import { useCan } from '../../../app/session';
import { menuApi, versionsKey } from './menu.api';

const stateColor: Record<MenuVersion['state'], string> = { applied: 'success', pulled: 'blue', failed: 'error', publishing: 'processing' };

/** 历史版本: every version with who and when, a diff against another version, and 回滚. */
export function HistoryDrawer(props: { accountId: string; open: boolean; onClose: () => void; currentVersion: number | null; onRolledBack: (state: MenuState) => void }) {
  const { t } = useTranslation('oaMenu');
  const canWrite = useCan()('official_account.write');
  const versions = useQuery({ queryKey: versionsKey(props.accountId), queryFn: () => menuApi.versions(props.accountId), enabled: props.open });
  const items = versions.data?.items ?? [];
  // Until someone picks, the newest version is compared with the one before it.
  const [picked, setSelected] = useState<number | null>(null);
  const [pickedAgainst, setAgainst] = useState<number | null>(null);
  const selected = picked ?? items[0]?.version ?? null;
  const against = pickedAgainst ?? items.find((v) => v.version !== selected)?.version ?? null;
  const diff = useQuery({
    queryKey: [...versionsKey(props.accountId), 'diff', against, selected],
    queryFn: () => menuApi.diff(props.accountId, against as number, selected as number),
    enabled: props.open && selected !== null && against !== null && selected !== against,
  });
  const rollback = useMutation({
    mutationFn: (version: number) => menuApi.rollback(props.accountId, version),
    onSuccess: (state) => {
      props.onRolledBack(state);
      setSelected(null);
      setAgainst(null);
      void versions.refetch();
    },
  });

  return (
    <Drawer title={t('history.title')} open={props.open} onClose={props.onClose} size="large" data-testid="menu-history-drawer">
      <ErrorAlert error={versions.error ?? rollback.error} />
      {items.length === 0 && !versions.isLoading ? <Empty description={t('history.empty')} /> : null}
      <List
        dataSource={items}
        renderItem={(v) => (
          <List.Item
            style={{ background: v.version === selected ? '#f6ffed' : undefined, paddingInline: 8 }}
            onClick={() => setSelected(v.version)}
            data-testid={`menu-version-${v.version}`}
            actions={[
              <Radio key="against" checked={against === v.version} onClick={(e) => (e.stopPropagation(), setAgainst(v.version))}>
                {t('history.compareWith')}
              </Radio>,
              canWrite && v.state !== 'failed' && v.state !== 'publishing' && v.version !== props.currentVersion ? (
                <Popconfirm key="rollback" title={t('history.confirmRollback', { version: v.version })} onConfirm={() => rollback.mutate(v.version)}>
                  <Button size="small" onClick={(e) => e.stopPropagation()} loading={rollback.isPending && rollback.variables === v.version} data-testid={`menu-rollback-${v.version}`}>
                    {t('history.rollback')}
                  </Button>
                </Popconfirm>
              ) : null,
            ]}
          >
            <List.Item.Meta
              title={
                <Space wrap>
                  <Typography.Text strong>v{v.version}</Typography.Text>
                  <Tag color={stateColor[v.state]}>{t(`versionState.${v.state}`)}</Tag>
                  <Tag>{t(`versionSource.${v.source}`, { version: v.rolledBackFrom ?? '' })}</Tag>
                  {v.version === props.currentVersion ? <Tag color="green">{t('history.live')}</Tag> : null}
                </Space>
              }
              description={
                <Flex vertical>
                  <span>
                    {v.createdBy ?? t('history.system')} · {formatDateTime(v.createdAt)}
                  </span>
                  <span>{v.menu.button.map((b) => b.name).join(' | ') || t('history.noMenu')}</span>
                  {v.state === 'failed' ? (
                    <Typography.Text type="danger">{t('history.failed', { errcode: v.errcode ?? '—', errmsg: v.errmsg ?? '' })}</Typography.Text>
                  ) : null}
                </Flex>
              }
            />
          </List.Item>
        )}
      />
      {selected !== null && against !== null && selected !== against ? (
        <div data-testid="menu-diff" style={{ marginTop: 16 }}>
          <Typography.Title level={5}>{t('history.diffTitle', { from: against, to: selected })}</Typography.Title>
          {diff.data && diff.data.changes.length === 0 ? <Typography.Text type="secondary">{t('history.noChanges')}</Typography.Text> : null}
          <List
            size="small"
            dataSource={diff.data?.changes ?? []}
            renderItem={(change) => (
              <List.Item>
                <Flex vertical>
                  <Space>
                    <Tag color={change.kind === 'added' ? 'green' : change.kind === 'removed' ? 'red' : 'gold'}>{t(`diff.${change.kind}`)}</Tag>
                    <Typography.Text strong>{change.name}</Typography.Text>
                    <Typography.Text type="secondary" code>
                      {change.path}
                    </Typography.Text>
                  </Space>
                  {change.fields.map((f) => (
                    <Typography.Text key={f.field} style={{ fontSize: 13 }}>
                      {f.field}: <Typography.Text delete>{f.before ?? '∅'}</Typography.Text> → <Typography.Text mark>{f.after ?? '∅'}</Typography.Text>
                    </Typography.Text>
                  ))}
                </Flex>
              </List.Item>
            )}
          />
        </div>
      ) : null}
    </Drawer>
  );
}
