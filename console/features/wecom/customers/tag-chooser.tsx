import { SearchOutlined } from '@ant-design/icons';
import { useMutation, useQuery } from '@tanstack/react-query';
import { Alert, App, Button, Empty, Flex, Input, Modal, Space, Spin, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ErrorAlert, errorMessage } from '../../../components/error-display';
import { customerTagsApi, customerTagsKey } from '../customer-tags/customer-tags.api';

/**
 * The corp's tag library as WeCom's own admin shows it: one row per group, its tags
 * to click on and off. Only tags WeCom knows (with a WeCom id) can be put on a customer.
 */
export function TagChooser({ accountId, value, onChange }: { accountId: string; value: string[]; onChange(next: string[]): void }) {
  const { t } = useTranslation('wecomCustomers');
  const [search, setSearch] = useState('');
  const library = useQuery({ queryKey: customerTagsKey(accountId), queryFn: () => customerTagsApi.library(accountId), enabled: Boolean(accountId) });
  const selected = useMemo(() => new Set(value), [value]);
  const groups = useMemo(() => {
    const needle = search.trim().toLowerCase();
    return (library.data?.groups ?? [])
      .map((group) => ({
        ...group,
        tags: group.tags.filter((tag) => tag.wecomId && (!needle || tag.name.toLowerCase().includes(needle) || group.name.toLowerCase().includes(needle))),
      }))
      .filter((group) => group.tags.length > 0);
  }, [library.data, search]);
  const toggle = (wecomId: string, on: boolean) => onChange(on ? [...value, wecomId] : value.filter((id) => id !== wecomId));

  if (library.error) return <ErrorAlert error={library.error} />;
  if (library.isPending) return <Spin />;
  const hasTags = (library.data?.groups ?? []).some((g) => g.tags.some((tag) => tag.wecomId));
  if (!hasTags) {
    return (
      <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('tags.noLibrary')}>
        <Link to={`/wecom/customer-tags?account=${accountId}`}>{t('tags.openLibrary')}</Link>
      </Empty>
    );
  }
  return (
    <Flex vertical gap={12} data-testid="tag-chooser">
      <Input allowClear prefix={<SearchOutlined />} placeholder={t('tags.search')} value={search} onChange={(e) => setSearch(e.target.value)} />
      <Flex vertical gap={10} style={{ maxHeight: 360, overflowY: 'auto' }}>
        {groups.length === 0 ? <Typography.Text type="secondary">{t('tags.noMatch')}</Typography.Text> : null}
        {groups.map((group) => (
          <Flex key={group.id} gap={12} align="baseline">
            <Typography.Text type="secondary" style={{ width: 96, flexShrink: 0 }} ellipsis={{ tooltip: group.name }}>
              {group.name}
            </Typography.Text>
            <Flex wrap gap={6}>
              {group.tags.map((tag) => (
                <Tag.CheckableTag
                  key={tag.id}
                  checked={selected.has(tag.wecomId!)}
                  onChange={(on) => toggle(tag.wecomId!, on)}
                  style={{ border: '1px solid var(--ant-color-border)', marginInlineEnd: 0 }}
                  data-testid={`tag-option-${tag.name}`}
                >
                  {tag.name}
                </Tag.CheckableTag>
              ))}
            </Flex>
          </Flex>
        ))}
      </Flex>
    </Flex>
  );
}

/** What changes between a follow's tags and the chosen ones; tags outside the library stay as they are. */
export function tagChanges(current: string[], chosen: string[]): { add: string[]; remove: string[] } {
  const before = new Set(current);
  const after = new Set(chosen);
  return { add: [...after].filter((id) => !before.has(id)), remove: [...before].filter((id) => !after.has(id)) };
}

/** Edits the corp tags one member put on this customer (WeCom keeps tags per member and customer). */
export function FollowTagsModal(props: {
  accountId: string;
  externalUserId: string;
  follow: { userid: string; tagIds: string[] } | null;
  memberLabel: string;
  onClose(): void;
  onSaved(): void;
}) {
  const { t } = useTranslation('wecomCustomers');
  const { message } = App.useApp();
  const [chosen, setChosen] = useState<string[]>([]);
  const [editing, setEditing] = useState<string | null>(null);
  // A new follow starts from its own tags (reset while rendering, not in an effect).
  const followKey = props.follow ? `${props.follow.userid}|${props.follow.tagIds.join(',')}` : null;
  if (followKey !== editing) {
    setEditing(followKey);
    setChosen(props.follow?.tagIds ?? []);
  }
  const changes = tagChanges(props.follow?.tagIds ?? [], chosen);
  const save = useMutation({
    mutationFn: () => customerTagsApi.mark(props.accountId, { userid: props.follow!.userid, externalUserId: props.externalUserId, ...changes }),
    onSuccess: (result) => {
      void message.success(t('tags.saved', { added: result.added.length, removed: result.removed.length }));
      props.onSaved();
      props.onClose();
    },
    onError: (error) => void message.error(errorMessage(error, t('common:error.unknown'))),
  });
  const unchanged = changes.add.length === 0 && changes.remove.length === 0;
  return (
    <Modal
      open={props.follow !== null}
      title={t('tags.title', { member: props.memberLabel })}
      onCancel={props.onClose}
      footer={
        <Space>
          <Button onClick={props.onClose}>{t('common:action.cancel')}</Button>
          <Button type="primary" disabled={unchanged} loading={save.isPending} onClick={() => save.mutate()} data-testid="follow-tags-save">
            {t('common:action.save')}
          </Button>
        </Space>
      }
      width={640}
      destroyOnHidden
    >
      <Flex vertical gap={12}>
        <Typography.Text type="secondary">{t('tags.hint')}</Typography.Text>
        <TagChooser accountId={props.accountId} value={chosen} onChange={setChosen} />
        {!unchanged ? <Alert type="info" showIcon title={t('tags.pending', { added: changes.add.length, removed: changes.remove.length })} /> : null}
      </Flex>
    </Modal>
  );
}
