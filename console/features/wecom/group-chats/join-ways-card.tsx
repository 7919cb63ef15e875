import { LockOutlined, PlusOutlined, QrcodeOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Form, Input, InputNumber, Modal, Popconfirm, Popover, QRCode, Select, Space, Switch, Table, Tag, Tooltip, Typography, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { JOIN_WAY_LIMITS, type GroupChat, type JoinWay, type JoinWayBody } from '../../../../server/modules/wecom/group-chats/group-chats.schema';
import { ErrorAlert, errorMessage } from '../../../components/error-display';
import { formatDateTime } from '../../../components/format';
import { groupChatsApi, groupChatsKey } from './group-chats.api';

/** 「加入群聊」 codes: one QR code (or mini-program button) for up to 5 groups, opening a new group when the last is full. */
export function JoinWaysCard(props: { accountId: string; chats: GroupChat[]; writable: boolean }) {
  const { t } = useTranslation('wecomGroupChats');
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState<JoinWay | 'new' | null>(null);
  const [form] = Form.useForm<JoinWayBody>();
  const autoCreate = Form.useWatch('autoCreateRoom', form);
  const ways = useQuery({ queryKey: [...groupChatsKey(props.accountId), 'join-ways'], queryFn: () => groupChatsApi.joinWays(props.accountId), enabled: Boolean(props.accountId) });
  const refresh = () => void queryClient.invalidateQueries({ queryKey: groupChatsKey(props.accountId) });
  const save = useMutation({
    mutationFn: (body: JoinWayBody) => (editing && editing !== 'new' ? groupChatsApi.updateJoinWay(props.accountId, editing.id, body) : groupChatsApi.createJoinWay(props.accountId, body)),
    onSuccess: () => {
      setEditing(null);
      refresh();
      void message.success(t('joinWays.saved'));
    },
  });
  const remove = useMutation({
    mutationFn: (id: string) => groupChatsApi.removeJoinWay(props.accountId, id),
    onSuccess: () => (refresh(), void message.success(t('joinWays.deleted'))),
    onError: (error) => void message.error(errorMessage(error, t('common:error.unknown'))),
  });
  const chatName = new Map(props.chats.map((c) => [c.chatId, c.name || c.chatId]));
  const limit = (max: number) => ({
    validator: async (_r: unknown, value: string | undefined) => ([...(value ?? '')].length > max ? Promise.reject(new Error(t('joinWays.tooLong', { max }))) : undefined),
  });

  const columns: TableColumnsType<JoinWay> = [
    { title: t('joinWays.remark'), dataIndex: 'remark' },
    { title: t('joinWays.chats'), dataIndex: 'chatIds', render: (ids: string[]) => ids.map((id) => <Tag key={id}>{chatName.get(id) ?? id}</Tag>) },
    { title: t('joinWays.state'), dataIndex: 'state', width: 120, render: (s: string) => s || '—' },
    { title: t('joinWays.joins'), dataIndex: 'joins', width: 90 },
    {
      title: t('joinWays.qr'),
      key: 'qr',
      width: 90,
      render: (_v, way) =>
        way.qrCode ? (
          <Popover
            content={
              <Space direction="vertical" align="center">
                <QRCode value={way.qrCode} size={180} />
                <Typography.Link href={way.qrCode} target="_blank" rel="noreferrer">
                  {t('joinWays.openQr')}
                </Typography.Link>
              </Space>
            }
          >
            <Button size="small" icon={<QrcodeOutlined />} aria-label={t('joinWays.qr')} />
          </Popover>
        ) : (
          <Tag>{t('joinWays.miniprogram')}</Tag>
        ),
    },
    { title: t('joinWays.updatedAt'), dataIndex: 'updatedAt', width: 170, render: (v: string) => formatDateTime(v) },
    {
      title: t('field.actions'),
      key: 'actions',
      width: 130,
      render: (_v, way) =>
        !props.writable ? null : way.editable ? (
          <Space size={0}>
            <Button
              type="link"
              size="small"
              onClick={() => {
                save.reset();
                form.setFieldsValue({ remark: way.remark, scene: way.scene, chatIds: way.chatIds, autoCreateRoom: way.autoCreateRoom, roomBaseName: way.roomBaseName, roomBaseId: way.roomBaseId, state: way.state });
                setEditing(way);
              }}
            >
              {t('joinWays.edit')}
            </Button>
            <Popconfirm title={t('joinWays.deleteConfirm', { name: way.remark })} onConfirm={() => remove.mutate(way.id)}>
              <Button type="link" size="small" danger>
                {t('joinWays.delete')}
              </Button>
            </Popconfirm>
          </Space>
        ) : (
          <Tooltip title={t('joinWays.readOnly')}>
            <LockOutlined style={{ color: '#999' }} aria-label={t('joinWays.readOnly')} />
          </Tooltip>
        ),
    },
  ];

  return (
    <Card
      size="small"
      title={t('joinWays.title')}
      extra={
        props.writable ? (
          <Button
            size="small"
            icon={<PlusOutlined />}
            onClick={() => {
              save.reset();
              form.resetFields();
              setEditing('new');
            }}
            data-testid="join-way-new"
          >
            {t('joinWays.new')}
          </Button>
        ) : null
      }
    >
      <Typography.Paragraph type="secondary">{t('joinWays.explain')}</Typography.Paragraph>
      <ErrorAlert error={ways.error} />
      <Table<JoinWay> rowKey="id" size="small" loading={ways.isLoading} columns={columns} dataSource={ways.data?.items ?? []} pagination={false} locale={{ emptyText: t('joinWays.empty') }} />
      <Modal open={editing !== null} title={editing === 'new' ? t('joinWays.new') : t('joinWays.edit')} onCancel={() => setEditing(null)} onOk={() => form.submit()} confirmLoading={save.isPending} destroyOnHidden>
        <ErrorAlert error={save.error} />
        <Form
          form={form}
          layout="vertical"
          initialValues={{ scene: 'qr_code', autoCreateRoom: true, roomBaseName: '', roomBaseId: 1, state: '', chatIds: [] }}
          onFinish={(values) => save.mutate({ ...values, roomBaseName: values.roomBaseName ?? '', state: values.state ?? '' })}
        >
          <Form.Item name="remark" label={t('joinWays.remark')} rules={[{ required: true, whitespace: true, message: t('joinWays.remarkRequired') }, limit(JOIN_WAY_LIMITS.remarkChars)]}>
            <Input showCount maxLength={JOIN_WAY_LIMITS.remarkChars} />
          </Form.Item>
          <Form.Item name="scene" label={t('joinWays.scene')}>
            <Select options={[{ value: 'qr_code', label: t('joinWays.sceneQr') }, { value: 'miniprogram', label: t('joinWays.miniprogram') }]} />
          </Form.Item>
          <Form.Item
            name="chatIds"
            label={t('joinWays.chats')}
            extra={t('joinWays.chatsHint', { max: JOIN_WAY_LIMITS.chats })}
            rules={[{ required: true, type: 'array', min: 1, max: JOIN_WAY_LIMITS.chats, message: t('joinWays.chatsRequired', { max: JOIN_WAY_LIMITS.chats }) }]}
          >
            <Select mode="multiple" optionFilterProp="label" options={props.chats.filter((c) => !c.dismissedAt).map((c) => ({ value: c.chatId, label: c.name || c.chatId }))} />
          </Form.Item>
          <Form.Item name="autoCreateRoom" label={t('joinWays.autoCreate')} valuePropName="checked" extra={t('joinWays.autoCreateHint')}>
            <Switch />
          </Form.Item>
          {autoCreate ? (
            <Space.Compact block>
              <Form.Item name="roomBaseName" label={t('joinWays.roomBaseName')} style={{ flex: 1 }} rules={[{ required: true, whitespace: true, message: t('joinWays.roomBaseNameRequired') }, limit(JOIN_WAY_LIMITS.roomBaseNameChars)]}>
                <Input maxLength={JOIN_WAY_LIMITS.roomBaseNameChars} />
              </Form.Item>
              <Form.Item name="roomBaseId" label={t('joinWays.roomBaseId')}>
                <InputNumber min={0} precision={0} />
              </Form.Item>
            </Space.Compact>
          ) : null}
          <Form.Item name="state" label={t('joinWays.state')} extra={t('joinWays.stateHint')} rules={[limit(JOIN_WAY_LIMITS.stateChars)]}>
            <Input maxLength={JOIN_WAY_LIMITS.stateChars} showCount />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}
