import { SyncOutlined, TagsOutlined } from '@ant-design/icons';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, DatePicker, Flex, Form, Input, Select, Space, Table, Tag, Typography, type TableColumnsType } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Follower } from '../../../../server/modules/official-account/followers/followers.schema';
import { subscribeScenes } from '../../../../server/modules/official-account/followers/followers.schema';
import { useCan } from '../../../app/session';
import { useProductAccount } from '../../../components/account-picker';
import { ErrorAlert, errorMessage } from '../../../components/error-display';
import { formatDateTime } from '../../../components/format';
import { JobProgress, useUrlJob } from '../../../components/job-progress';
import { PageHeader } from '../../../components/page-header';
import { useUrlState } from '../../../components/url-state';
import { tagsApi, tagsKey } from '../tags/tags.api';
import { FollowerDrawer } from './follower-drawer';
import { followerFilterKeys, followersApi, followersKey, type FollowerFilters } from './followers.api';
import { TagFollowersModal } from './tag-followers-modal';

const languages = ['zh_CN', 'zh_TW', 'en'];
const cleared: FollowerFilters = Object.fromEntries(followerFilterKeys.map((k) => [k, undefined]));
const pageSize = 50;

/** The middle of an OpenID is noise to a person; the ends tell followers apart. */
export function shortOpenId(openId: string): string {
  return openId.length > 14 ? `${openId.slice(0, 6)}…${openId.slice(-6)}` : openId;
}

interface FormValues {
  tagId?: number;
  range?: [Dayjs | null, Dayjs | null];
  scene?: string;
  language?: string;
  region?: string;
  q?: string;
  status?: string;
}

function toForm(filters: FollowerFilters): FormValues {
  return {
    tagId: filters.tagId ? Number(filters.tagId) : undefined,
    range: filters.subscribedFrom || filters.subscribedTo ? [filters.subscribedFrom ? dayjs(filters.subscribedFrom) : null, filters.subscribedTo ? dayjs(filters.subscribedTo) : null] : undefined,
    scene: filters.scene,
    language: filters.language,
    region: filters.region,
    q: filters.q,
    status: filters.status ?? 'subscribed',
  };
}

function toFilters(values: FormValues): FollowerFilters {
  const text = (value: string | undefined) => value?.trim() || undefined;
  return {
    tagId: values.tagId === undefined ? undefined : String(values.tagId),
    subscribedFrom: values.range?.[0]?.format('YYYY-MM-DD') ?? undefined,
    subscribedTo: values.range?.[1]?.format('YYYY-MM-DD') ?? undefined,
    scene: values.scene,
    language: values.language,
    region: text(values.region),
    q: text(values.q),
    status: values.status === 'subscribed' ? undefined : values.status,
  };
}

/** 粉丝管理: followers of the Official Account, filtered, tagged in bulk, synced from WeChat. */
export function FollowersPage() {
  const { t } = useTranslation('oaFollowers');
  const can = useCan();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const { account, picker, empty } = useProductAccount('official_account');
  const accountId = account?.id ?? '';
  const [url, setUrl] = useUrlState(followerFilterKeys);
  const [jobId, setJobId] = useUrlJob();
  const [form] = Form.useForm<FormValues>();
  const [bulk, setBulk] = useState<'tag' | 'untag' | null>(null);
  const [openFollower, setOpenFollower] = useState<string | null>(null);
  const filters = useMemo(() => Object.fromEntries(followerFilterKeys.map((k) => [k, url[k]]).filter(([, v]) => v)) as FollowerFilters, [url]);
  const signature = JSON.stringify(filters);

  useEffect(() => {
    form.resetFields();
    form.setFieldsValue(toForm(JSON.parse(signature) as FollowerFilters));
  }, [signature, form]);

  // Paging and selection start over whenever the account or the filters change.
  const resetKey = `${accountId}|${signature}`;
  const [view, setView] = useState<{ key: string; cursors: (string | undefined)[]; selected: string[] }>({ key: resetKey, cursors: [undefined], selected: [] });
  const current = view.key === resetKey ? view : { key: resetKey, cursors: [undefined], selected: [] };
  const { cursors, selected } = current;
  const setCursors = (change: (c: (string | undefined)[]) => (string | undefined)[]) => setView({ ...current, cursors: change(cursors) });
  const setSelected = (keys: string[]) => setView({ ...current, selected: keys });
  const cursor = cursors[cursors.length - 1];
  const tags = useQuery({ queryKey: tagsKey(accountId), queryFn: () => tagsApi.list(accountId), enabled: Boolean(accountId) });
  const tagNames = new Map((tags.data?.items ?? []).map((tag) => [tag.id, tag.name]));
  const list = useQuery({
    queryKey: [...followersKey(accountId), filters, cursor],
    queryFn: () => followersApi.list(accountId, filters, cursor, pageSize),
    enabled: Boolean(accountId),
    placeholderData: keepPreviousData,
  });
  const counted = useQuery({ queryKey: [...followersKey(accountId), 'total', filters], queryFn: () => followersApi.count(accountId, filters), enabled: Boolean(accountId) });
  const total = counted.data;

  const sync = useMutation({
    mutationFn: () => followersApi.sync(accountId),
    onMutate: () => setJobId(undefined),
    onSuccess: (job) => setJobId(job.id),
    onError: (error) => void message.error(errorMessage(error, t('common:error.unknown'))),
  });
  const remark = useMutation({
    mutationFn: ({ openId, value }: { openId: string; value: string }) => followersApi.updateRemark(accountId, openId, value),
    onSuccess: () => {
      void message.success(t('remark.saved'));
      void queryClient.invalidateQueries({ queryKey: followersKey(accountId) });
    },
    onError: (error) => void message.error(errorMessage(error, t('common:error.unknown'))),
  });

  const columns: TableColumnsType<Follower> = [
    {
      title: t('field.openId'),
      dataIndex: 'openId',
      width: 160,
      render: (v: string) => (
        <Typography.Text copyable={{ text: v }} style={{ fontFamily: 'monospace' }}>
          {shortOpenId(v)}
        </Typography.Text>
      ),
    },
    {
      title: t('field.remark'),
      dataIndex: 'remark',
      width: 180,
      render: (v: string, f) =>
        can('official_account.write') ? (
          <Typography.Text
            editable={{
              maxLength: 29,
              tooltip: t('remark.edit'),
              onChange: (value) => {
                if (value.trim() !== v) remark.mutate({ openId: f.openId, value });
              },
            }}
            data-testid={`remark-${f.openId}`}
          >
            {v || ''}
          </Typography.Text>
        ) : (
          v || <Typography.Text type="secondary">—</Typography.Text>
        ),
    },
    {
      title: t('field.tags'),
      dataIndex: 'tagIds',
      render: (ids: number[]) =>
        ids.length ? (
          <Flex wrap gap={4}>
            {ids.map((id) => (
              <Tag key={id} color="blue" style={{ marginInlineEnd: 0 }}>
                {tagNames.get(id) ?? id}
              </Tag>
            ))}
          </Flex>
        ) : (
          <Typography.Text type="secondary">—</Typography.Text>
        ),
    },
    { title: t('field.subscribeTime'), dataIndex: 'subscribeTime', width: 165, render: (v: string) => formatDateTime(v) },
    { title: t('field.scene'), dataIndex: 'subscribeScene', width: 140, render: (v: string | null) => (v ? t(`scene.${v}`, { defaultValue: v }) : '—') },
    { title: t('field.language'), dataIndex: 'language', width: 130, render: (v: string | null) => (v ? t(`language.${v}`, { defaultValue: v }) : '—') },
    {
      title: t('field.status'),
      dataIndex: 'subscribed',
      width: 110,
      render: (v: boolean) => <Tag color={v ? 'success' : 'default'}>{t(v ? 'status.subscribed' : 'status.unsubscribed')}</Tag>,
    },
    {
      title: t('field.actions'),
      key: 'actions',
      width: 80,
      fixed: 'right',
      render: (_v, f) => (
        <Button type="link" size="small" onClick={() => setOpenFollower(f.openId)} data-testid={`follower-open-${f.openId}`}>
          {t('action.detail')}
        </Button>
      ),
    },
  ];

  const tagOptions = (tags.data?.items ?? []).map((tag) => ({ value: tag.id, label: `${tag.name} (${tag.count})` }));
  const page = list.data;

  return (
    <>
      <PageHeader
        title={t('title')}
        description={t('description')}
        extra={
          <>
            {picker}
            {account && can('official_account.write') ? (
              <Button type="primary" icon={<SyncOutlined />} loading={sync.isPending} onClick={() => sync.mutate()} data-testid="followers-sync">
                {t('action.sync')}
              </Button>
            ) : null}
          </>
        }
      />
      {!account ? (
        empty
      ) : (
        <Flex vertical gap={16}>
          {jobId ? (
            <JobProgress
              jobId={jobId}
              onClose={() => {
                setJobId(undefined);
                void queryClient.invalidateQueries({ queryKey: followersKey(accountId) });
                void queryClient.invalidateQueries({ queryKey: tagsKey(accountId) });
              }}
            />
          ) : null}
          <Card size="small">
            <Form form={form} layout="inline" onFinish={(values) => setUrl({ ...cleared, ...toFilters(values) })} style={{ rowGap: 12 }}>
              <Form.Item name="tagId" label={t('field.tags')}>
                <Select allowClear showSearch optionFilterProp="label" placeholder={t('filter.all')} style={{ width: 180 }} options={tagOptions} data-testid="filter-tag" />
              </Form.Item>
              <Form.Item name="range" label={t('filter.subscribedBetween')}>
                <DatePicker.RangePicker allowEmpty={[true, true]} />
              </Form.Item>
              <Form.Item name="scene" label={t('field.scene')}>
                <Select allowClear placeholder={t('filter.all')} style={{ width: 180 }} options={subscribeScenes.map((s) => ({ value: s, label: t(`scene.${s}`) }))} data-testid="filter-scene" />
              </Form.Item>
              <Form.Item name="language" label={t('field.language')}>
                <Select allowClear placeholder={t('filter.all')} style={{ width: 130 }} options={languages.map((l) => ({ value: l, label: t(`language.${l}`) }))} />
              </Form.Item>
              <Form.Item name="region" label={t('field.region')} tooltip={t('filter.regionHint')}>
                <Input allowClear placeholder={t('filter.regionPlaceholder')} style={{ width: 140 }} />
              </Form.Item>
              <Form.Item name="q" label={t('filter.keyword')}>
                <Input allowClear placeholder={t('filter.keywordPlaceholder')} style={{ width: 200 }} data-testid="filter-q" />
              </Form.Item>
              <Form.Item name="status" label={t('field.status')}>
                <Select
                  style={{ width: 120 }}
                  options={['subscribed', 'unsubscribed', 'all'].map((s) => ({ value: s, label: t(`status.${s}`) }))}
                />
              </Form.Item>
              <Form.Item>
                <Space>
                  <Button type="primary" htmlType="submit" data-testid="filter-search">
                    {t('common:action.search')}
                  </Button>
                  <Button onClick={() => setUrl(cleared)}>{t('common:action.reset')}</Button>
                </Space>
              </Form.Item>
            </Form>
          </Card>
          <Card
            size="small"
            title={
              <Space>
                <span>{t('listTitle')}</span>
                {total !== undefined ? (
                  <Typography.Text type="secondary" data-testid="followers-total">
                    {t(total.exact ? 'total' : 'totalEstimated', { count: total.total })}
                  </Typography.Text>
                ) : null}
              </Space>
            }
            extra={
              can('official_account.write') ? (
                <Space>
                  {selected.length ? <Typography.Text type="secondary">{t('selected', { count: selected.length })}</Typography.Text> : null}
                  <Button icon={<TagsOutlined />} disabled={!selected.length} onClick={() => setBulk('tag')} data-testid="bulk-tag">
                    {t('action.tag')}
                  </Button>
                  <Button disabled={!selected.length} onClick={() => setBulk('untag')} data-testid="bulk-untag">
                    {t('action.untag')}
                  </Button>
                </Space>
              ) : null
            }
          >
            <ErrorAlert error={list.error} />
            <Table<Follower>
              rowKey="openId"
              size="middle"
              loading={list.isFetching}
              columns={columns}
              dataSource={page?.items ?? []}
              pagination={false}
              scroll={{ x: 1110 }}
              rowSelection={can('official_account.write') ? { selectedRowKeys: selected, onChange: (keys) => setSelected(keys as string[]), preserveSelectedRowKeys: true } : undefined}
              locale={{ emptyText: t('emptyList') }}
              data-testid="followers-table"
            />
            <Flex justify="flex-end" gap={8} style={{ marginTop: 12 }}>
              <Button disabled={cursors.length < 2} onClick={() => setCursors((c) => c.slice(0, -1))}>
                {t('page.previous')}
              </Button>
              <Button disabled={!page?.nextCursor} onClick={() => page?.nextCursor && setCursors((c) => [...c, page.nextCursor ?? undefined])}>
                {t('page.next')}
              </Button>
            </Flex>
          </Card>
        </Flex>
      )}
      {account && bulk ? (
        <TagFollowersModal
          accountId={accountId}
          action={bulk}
          openIds={selected}
          tags={(tags.data?.items ?? []).filter((tag) => !tag.system)}
          onClose={() => setBulk(null)}
          onStarted={(id) => {
            setBulk(null);
            setSelected([]);
            setJobId(id);
          }}
        />
      ) : null}
      {account ? <FollowerDrawer accountId={accountId} openId={openFollower} tagNames={tagNames} onClose={() => setOpenFollower(null)} /> : null}
    </>
  );
}
