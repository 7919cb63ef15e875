import { ArrowLeftOutlined, EditOutlined, SwapOutlined, TagsOutlined, UserOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Avatar, Button, Card, Col, DatePicker, Descriptions, Empty, Flex, Form, Input, Modal, Row, Select, Space, Table, Tag, Timeline, Typography, type TableColumnsType } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { useCan } from '../../../app/session';
import { useProductAccount } from '../../../components/account-picker';
import { applyFieldErrors, ErrorResult, errorMessage } from '../../../components/error-display';
import { formatDate, formatDateTime } from '../../../components/format';
import { PageHeader } from '../../../components/page-header';
import { openTransfer, pickedOf } from '../customer-transfers/customer-select';
import { CustomerFollowUps } from '../follow-ups/customer-follow-ups';
import { TagList, useTagNames } from './customers-page';
import { FOLLOW_UPS_SECTION_ID, TimelineText, timelineColor, useMemberNames } from './customer-timeline';
import { customersApi, customersKey, type CustomerDetail, type Follower } from './customers.api';
import { FollowTagsModal } from './tag-chooser';

interface RemarkForm {
  remark: string;
  description: string;
  remarkMobiles: string[];
}

interface ConsentForm {
  givenAt: Dayjs;
  source: string;
  note: string;
}

/** 客户详情: profile, the members who follow the customer, consent, timeline and follow-ups. */
export function CustomerPage() {
  const { t } = useTranslation('wecomCustomers');
  const can = useCan();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const { externalUserId = '' } = useParams();
  const { account, empty } = useProductAccount('wecom');
  const accountId = account?.id ?? '';
  const tagNames = useTagNames(accountId);
  const [editing, setEditing] = useState<Follower | null>(null);
  const [consentOpen, setConsentOpen] = useState(false);
  const [tagging, setTagging] = useState<Follower | null>(null);
  const navigate = useNavigate();
  const [remarkForm] = Form.useForm<RemarkForm>();
  const [consentForm] = Form.useForm<ConsentForm>();
  const query = useQuery({
    queryKey: [...customersKey(accountId), 'detail', externalUserId],
    queryFn: () => customersApi.get(accountId, externalUserId),
    enabled: Boolean(accountId && externalUserId),
  });
  const memberName = useMemberNames(accountId, query.data);
  const saved = (detail: CustomerDetail) => {
    queryClient.setQueryData([...customersKey(accountId), 'detail', externalUserId], detail);
    void queryClient.invalidateQueries({ queryKey: customersKey(accountId) });
    void message.success(t('saved'));
  };
  const saveRemark = useMutation({
    mutationFn: (values: RemarkForm & { userid: string }) => {
      const mobiles = values.remarkMobiles ?? [];
      // Without wecom.customers.phones the form starts empty (the numbers are masked): an empty field leaves them as they are.
      const sendMobiles = can('wecom.customers.phones') || mobiles.length > 0;
      return customersApi.update(accountId, externalUserId, {
        userid: values.userid,
        remark: values.remark ?? '',
        description: values.description ?? '',
        ...(sendMobiles ? { remarkMobiles: mobiles } : {}),
      });
    },
    onSuccess: (detail) => {
      setEditing(null);
      saved(detail);
    },
    onError: (error) => {
      if (!applyFieldErrors(remarkForm, error)) void message.error(errorMessage(error, t('common:error.unknown')));
    },
  });
  const saveConsent = useMutation({
    mutationFn: (consent: { givenAt: string; source: string; note: string } | null) => customersApi.update(accountId, externalUserId, { consent }),
    onSuccess: (detail) => {
      setConsentOpen(false);
      saved(detail);
    },
    onError: (error) => void message.error(errorMessage(error, t('common:error.unknown'))),
  });

  const back = (
    <Link to={`/wecom/customers?account=${accountId}`}>
      <Button icon={<ArrowLeftOutlined />}>{t('action.back')}</Button>
    </Link>
  );
  if (!account) return <>{empty}</>;
  if (query.error) return <ErrorResult error={query.error} onRetry={() => void query.refetch()} />;
  const customer = query.data;
  const writable = can('wecom.customers.write');
  const canTransfer = can('wecom.customers.assign');

  const followerColumns: TableColumnsType<Follower> = [
    { title: t('field.member'), dataIndex: 'userid', width: 160, render: (v: string) => memberName(v) },
    { title: t('field.remark'), dataIndex: 'remark', width: 120, render: (v: string) => v || '—' },
    { title: t('field.description'), dataIndex: 'description', width: 200, render: (v: string) => v || '—' },
    { title: t('field.phones'), dataIndex: 'remarkMobiles', width: 140, render: (v: string[]) => (v.length ? v.join(', ') : '—') },
    { title: t('field.tags'), dataIndex: 'tagIds', width: 140, render: (ids: string[]) => <TagList ids={ids} names={tagNames} /> },
    {
      title: t('field.source'),
      key: 'source',
      width: 170,
      render: (_v, f) => (
        <Space size={4} wrap>
          {f.state ? <Tag color="purple">{f.state}</Tag> : null}
          <Typography.Text type="secondary">{t(`addWay.${f.addWay}`, { defaultValue: t('addWay.other', { code: f.addWay }) })}</Typography.Text>
        </Space>
      ),
    },
    { title: t('field.addedAt'), dataIndex: 'addedAt', width: 160, render: (v: string) => formatDateTime(v) },
    {
      title: t('field.status'),
      dataIndex: 'status',
      width: 150,
      render: (v: Follower['status'], f) => (
        <Space direction="vertical" size={0}>
          <Tag color={v === 'active' ? 'success' : 'default'}>{t(`followStatus.${v}`)}</Tag>
          {f.endedAt ? <Typography.Text type="secondary" style={{ fontSize: 12 }}>{formatDateTime(f.endedAt)}</Typography.Text> : null}
        </Space>
      ),
    },
    ...(writable || canTransfer
      ? [
          {
            title: t('field.actions'),
            key: 'actions',
            width: 120,
            fixed: 'right' as const,
            render: (_v: unknown, f: Follower) =>
              f.status === 'active' ? (
                <Space direction="vertical" size={0} align="start">
                  {writable ? (
                    <Button
                      type="link"
                      size="small"
                      icon={<EditOutlined />}
                      onClick={() => {
                        remarkForm.setFieldsValue({ remark: f.remark, description: f.description, remarkMobiles: can('wecom.customers.phones') ? f.remarkMobiles : [] });
                        setEditing(f);
                      }}
                      data-testid={`edit-remark-${f.userid}`}
                    >
                      {t('action.editRemark')}
                    </Button>
                  ) : null}
                  {writable ? (
                    <Button type="link" size="small" icon={<TagsOutlined />} onClick={() => setTagging(f)} data-testid={`edit-tags-${f.userid}`}>
                      {t('action.editTags')}
                    </Button>
                  ) : null}
                  {canTransfer && customer ? (
                    <Button
                      type="link"
                      size="small"
                      icon={<SwapOutlined />}
                      onClick={() => openTransfer(navigate, accountId, { handoverUserid: f.userid, customers: [pickedOf(customer)] })}
                      data-testid={`transfer-${f.userid}`}
                    >
                      {t('action.transfer')}
                    </Button>
                  ) : null}
                </Space>
              ) : null,
          },
        ]
      : []),
  ];

  return (
    <>
      <PageHeader title={customer ? customer.name || customer.externalUserId : t('detailTitle')} description={t('detailDescription')} extra={back} />
      {!customer ? (
        <Card loading />
      ) : (
        <Flex vertical gap={16}>
          <Row gutter={16}>
            <Col xs={24} lg={16}>
              <Card size="small" title={t('section.profile')} style={{ height: '100%' }}>
                <Flex gap={16} align="flex-start">
                  <Avatar size={64} src={customer.avatar ?? undefined} icon={<UserOutlined />} />
                  <Descriptions size="small" column={2} style={{ flex: 1 }}>
                    <Descriptions.Item label={t('field.name')}>{customer.name || '—'}</Descriptions.Item>
                    <Descriptions.Item label={t('field.type')}>{t(`type.${customer.type}`)}</Descriptions.Item>
                    <Descriptions.Item label={t('field.externalUserId')}>
                      <Typography.Text copyable style={{ fontFamily: 'monospace', fontSize: 12 }}>
                        {customer.externalUserId}
                      </Typography.Text>
                    </Descriptions.Item>
                    <Descriptions.Item label={t('field.gender')}>{t(`gender.${customer.gender}`)}</Descriptions.Item>
                    {customer.type === 'wecom' ? <Descriptions.Item label={t('field.corp')}>{customer.corpFullName ?? customer.corpName ?? '—'}</Descriptions.Item> : null}
                    {customer.position ? <Descriptions.Item label={t('field.position')}>{customer.position}</Descriptions.Item> : null}
                    <Descriptions.Item label={t('field.firstAddedAt')}>{formatDateTime(customer.firstAddedAt)}</Descriptions.Item>
                    <Descriptions.Item label={t('field.source')}>
                      {customer.source ? (
                        <Space size={4}>
                          {customer.source.state ? <Tag color="purple">{customer.source.state}</Tag> : null}
                          {t(`addWay.${customer.source.addWay}`, { defaultValue: t('addWay.other', { code: customer.source.addWay }) })}
                        </Space>
                      ) : (
                        '—'
                      )}
                    </Descriptions.Item>
                    <Descriptions.Item label={t('field.status')}>
                      <Tag color={customer.status === 'active' ? 'success' : 'default'}>{t(`status.${customer.status}`)}</Tag>
                      {customer.purgeAfter ? <Typography.Text type="secondary">{t('purgeAfter', { date: formatDate(customer.purgeAfter) })}</Typography.Text> : null}
                    </Descriptions.Item>
                    <Descriptions.Item label={t('field.tags')}>
                      <TagList ids={customer.tagIds} names={tagNames} />
                    </Descriptions.Item>
                  </Descriptions>
                </Flex>
              </Card>
            </Col>
            <Col xs={24} lg={8}>
              <Card
                size="small"
                title={t('section.consent')}
                style={{ height: '100%' }}
                extra={
                  writable ? (
                    <Button
                      type="link"
                      size="small"
                      onClick={() => {
                        consentForm.setFieldsValue(
                          customer.consent
                            ? { givenAt: dayjs(customer.consent.givenAt), source: customer.consent.source, note: customer.consent.note }
                            : { givenAt: dayjs(), source: '', note: '' },
                        );
                        setConsentOpen(true);
                      }}
                      data-testid="edit-consent"
                    >
                      {customer.consent ? t('action.editConsent') : t('action.recordConsent')}
                    </Button>
                  ) : null
                }
              >
                {customer.consent ? (
                  <Descriptions size="small" column={1}>
                    <Descriptions.Item label={t('consent.givenAt')}>{formatDateTime(customer.consent.givenAt)}</Descriptions.Item>
                    <Descriptions.Item label={t('consent.source')}>{customer.consent.source}</Descriptions.Item>
                    <Descriptions.Item label={t('consent.note')}>{customer.consent.note || '—'}</Descriptions.Item>
                  </Descriptions>
                ) : (
                  <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('consent.none')} />
                )}
              </Card>
            </Col>
          </Row>
          <Card
            size="small"
            title={t('section.followers')}
            extra={can('wecom.customers.phones') ? null : <Typography.Text type="secondary">{t('phonesMasked')}</Typography.Text>}
          >
            <Table<Follower> rowKey="userid" size="small" columns={followerColumns} dataSource={customer.followers} pagination={false} scroll={{ x: 1360 }} data-testid="followers-table" />
          </Card>
          <Row gutter={16}>
            <Col xs={24} lg={10}>
              <Card size="small" title={t('section.timeline')} data-testid="customer-timeline">
                {customer.timeline.length ? (
                  <Timeline
                    items={customer.timeline.map((entry) => ({
                      key: entry.id,
                      color: timelineColor(entry),
                      children: <TimelineText entry={entry} memberName={memberName} />,
                    }))}
                  />
                ) : (
                  <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('timeline.empty')} />
                )}
              </Card>
            </Col>
            <Col xs={24} lg={14} id={FOLLOW_UPS_SECTION_ID}>
              <CustomerFollowUps
                accountId={accountId}
                externalUserId={customer.externalUserId}
                {...(customer.followers.filter((f) => f.status === 'active').length === 1 ? { defaultUserid: customer.followers.find((f) => f.status === 'active')!.userid } : {})}
              />
            </Col>
          </Row>
        </Flex>
      )}
      <Modal
        open={editing !== null}
        title={editing ? t('remark.title', { member: memberName(editing.userid) }) : ''}
        okText={t('common:action.save')}
        confirmLoading={saveRemark.isPending}
        onCancel={() => setEditing(null)}
        onOk={() => void remarkForm.validateFields().then((values) => editing && saveRemark.mutate({ ...values, userid: editing.userid }))}
        destroyOnHidden
      >
        <Typography.Paragraph type="secondary">{t('remark.hint')}</Typography.Paragraph>
        <Form form={remarkForm} layout="vertical" preserve={false}>
          <Form.Item name="remark" label={t('field.remark')} rules={[{ max: 20, message: t('remark.tooLong', { max: 20 }) }]}>
            <Input showCount maxLength={20} />
          </Form.Item>
          <Form.Item name="description" label={t('field.description')} rules={[{ max: 150, message: t('remark.tooLong', { max: 150 }) }]}>
            <Input.TextArea showCount maxLength={150} autoSize={{ minRows: 2 }} />
          </Form.Item>
          <Form.Item
            name="remarkMobiles"
            label={t('field.phones')}
            tooltip={can('wecom.customers.phones') ? undefined : t('remark.phonesReplace')}
            rules={[{ validator: async (_r, v: string[] | undefined) => ((v ?? []).every((m) => /^[0-9+-]{1,32}$/.test(m)) ? undefined : Promise.reject(new Error(t('remark.phoneInvalid')))) }]}
          >
            <Select mode="tags" open={false} tokenSeparators={[',', ' ', '，']} placeholder={t('remark.phonesPlaceholder')} />
          </Form.Item>
        </Form>
      </Modal>
      <FollowTagsModal
        accountId={accountId}
        externalUserId={externalUserId}
        follow={tagging}
        memberLabel={tagging ? memberName(tagging.userid) : ''}
        onClose={() => setTagging(null)}
        onSaved={() => void queryClient.invalidateQueries({ queryKey: customersKey(accountId) })}
      />
      <Modal
        open={consentOpen}
        title={t('section.consent')}
        okText={t('common:action.save')}
        confirmLoading={saveConsent.isPending}
        onCancel={() => setConsentOpen(false)}
        onOk={() =>
          void consentForm.validateFields().then((values) => saveConsent.mutate({ givenAt: values.givenAt.toISOString(), source: values.source.trim(), note: (values.note ?? '').trim() }))
        }
        destroyOnHidden
      >
        <Typography.Paragraph type="secondary">{t('consent.hint')}</Typography.Paragraph>
        <Form form={consentForm} layout="vertical" preserve={false}>
          <Form.Item name="givenAt" label={t('consent.givenAt')} rules={[{ required: true, message: t('consent.required') }]}>
            <DatePicker showTime style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item name="source" label={t('consent.source')} rules={[{ required: true, whitespace: true, message: t('consent.required') }]}>
            <Input maxLength={100} placeholder={t('consent.sourcePlaceholder')} />
          </Form.Item>
          <Form.Item name="note" label={t('consent.note')}>
            <Input.TextArea maxLength={500} autoSize={{ minRows: 2 }} />
          </Form.Item>
        </Form>
        {customer?.consent ? (
          <Button danger size="small" loading={saveConsent.isPending} onClick={() => saveConsent.mutate(null)}>
            {t('action.clearConsent')}
          </Button>
        ) : null}
      </Modal>
    </>
  );
}
