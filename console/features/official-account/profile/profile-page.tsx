import { CheckCircleFilled, LockOutlined, UploadOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Avatar, Button, Card, Col, DatePicker, Descriptions, Flex, Form, Input, InputNumber, List, Radio, Row, Select, Space, Statistic, Tag, Typography, Upload } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { PROFILE_LIMITS, type Profile } from '../../../../server/modules/official-account/profile/profile.schema';
import { useCan } from '../../../app/session';
import { useProductAccount } from '../../../components/account-picker';
import { ErrorAlert, ErrorResult, errorMessage } from '../../../components/error-display';
import { formatDate } from '../../../components/format';
import { PageHeader } from '../../../components/page-header';
import { fileToBase64, profileApi, profileKey } from './profile.api';

const verificationColor: Record<Profile['verification'], string> = { verified: 'success', pending: 'processing', expired: 'error', unverified: 'default' };

/** 账号资料: the account's public profile, its 微信认证 record with expiry reminders, and which features stay locked and why. */
export function ProfilePage() {
  const { t } = useTranslation('oaProfile');
  const { account, picker, empty } = useProductAccount('official_account');
  const accountId = account?.id ?? '';
  const query = useQuery({ queryKey: profileKey(accountId), queryFn: () => profileApi.get(accountId), enabled: accountId !== '' });

  return (
    <>
      <PageHeader title={t('title')} description={t('description')} extra={picker} />
      {!account ? empty : query.error ? <ErrorResult error={query.error} onRetry={() => void query.refetch()} /> : null}
      {account && query.data ? (
        <Row gutter={[16, 16]}>
          <Col xs={24} xl={12}>
            <ProfileCard profile={query.data} />
          </Col>
          <Col xs={24} xl={12}>
            <CertificationCard profile={query.data} />
          </Col>
          <Col span={24}>
            <LocksCard profile={query.data} />
          </Col>
        </Row>
      ) : null}
    </>
  );
}

function useSave(accountId: string) {
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const { t } = useTranslation('oaProfile');
  return (saved: Profile) => {
    queryClient.setQueryData(profileKey(accountId), saved);
    void message.success(t('saved'));
  };
}

function ProfileCard({ profile }: { profile: Profile }) {
  const { t } = useTranslation('oaProfile');
  const canWrite = useCan()('official_account.write');
  const { message } = App.useApp();
  const [form] = Form.useForm<{ name: string; introduction: string; accountType: Profile['accountType'] }>();
  const onSaved = useSave(profile.accountId);
  useEffect(() => form.setFieldsValue({ name: profile.name, introduction: profile.introduction, accountType: profile.accountType }), [form, profile]);
  const save = useMutation({ mutationFn: (values: { name: string; introduction: string; accountType: Profile['accountType'] }) => profileApi.update(profile.accountId, values), onSuccess: onSaved });
  const upload = useMutation({
    mutationFn: async (file: File) => profileApi.uploadAvatar(profile.accountId, { contentType: file.type as (typeof PROFILE_LIMITS.avatarTypes)[number], data: await fileToBase64(file) }),
    onSuccess: onSaved,
    onError: (error) => void message.error(errorMessage(error, t('common:error.unknown'))),
  });

  return (
    <Card title={t('profile.title')} data-testid="oa-profile-card">
      {!profile.saved ? <Alert type="info" showIcon title={t('profile.defaults')} style={{ marginBottom: 16 }} /> : null}
      <ErrorAlert error={save.error} />
      <Flex gap={16} align="center" style={{ marginBottom: 20 }}>
        <Avatar size={72} shape="square" src={profile.avatarUrl ?? undefined} style={{ background: '#07c160', flex: 'none' }}>
          {profile.name.slice(0, 1)}
        </Avatar>
        <Space direction="vertical" size={4}>
          <Upload
            accept={PROFILE_LIMITS.avatarTypes.join(',')}
            showUploadList={false}
            disabled={!canWrite}
            beforeUpload={(file) => {
              upload.mutate(file);
              return false;
            }}
          >
            <Button icon={<UploadOutlined />} loading={upload.isPending} disabled={!canWrite} data-testid="oa-avatar-upload">
              {t('profile.uploadAvatar')}
            </Button>
          </Upload>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('profile.avatarHint', { limit: PROFILE_LIMITS.avatarBytes / 1024 / 1024 })}
          </Typography.Text>
        </Space>
      </Flex>
      <Form form={form} layout="vertical" disabled={!canWrite} onFinish={(values) => save.mutate(values)}>
        <Form.Item name="name" label={t('field.name')} rules={[{ required: true, message: t('validation.nameRequired') }]}>
          <Input maxLength={64} data-testid="oa-profile-name" />
        </Form.Item>
        <Form.Item
          name="introduction"
          label={t('field.introduction')}
          extra={t('profile.introductionHint', { min: PROFILE_LIMITS.introductionMin, max: PROFILE_LIMITS.introductionMax })}
        >
          <Input.TextArea rows={3} showCount maxLength={PROFILE_LIMITS.introductionMax} data-testid="oa-profile-introduction" />
        </Form.Item>
        <Form.Item name="accountType" label={t('field.accountType')} extra={t('profile.accountTypeHint')}>
          <Radio.Group
            optionType="button"
            options={[
              { value: 'subscription', label: t('accountType.subscription') },
              { value: 'service', label: t('accountType.service') },
            ]}
          />
        </Form.Item>
        {canWrite ? (
          <Button type="primary" htmlType="submit" loading={save.isPending} data-testid="oa-profile-save">
            {t('action.save')}
          </Button>
        ) : null}
      </Form>
    </Card>
  );
}

interface CertificationForm {
  status: Profile['certification']['status'];
  submittedAt: Dayjs | null;
  approvedAt: Dayjs | null;
  expiresAt: Dayjs | null;
  feeYuan: number;
}

const dateOf = (value: string | null) => (value ? dayjs(value) : null);

function CertificationCard({ profile }: { profile: Profile }) {
  const { t } = useTranslation('oaProfile');
  const canWrite = useCan()('official_account.write');
  const cert = profile.certification;
  const [form] = Form.useForm<CertificationForm>();
  const onSaved = useSave(profile.accountId);
  useEffect(
    () =>
      form.setFieldsValue({ status: cert.status, submittedAt: dateOf(cert.submittedAt), approvedAt: dateOf(cert.approvedAt), expiresAt: dateOf(cert.expiresAt), feeYuan: cert.feeYuan }),
    [form, cert],
  );
  const save = useMutation({
    mutationFn: (values: CertificationForm) =>
      profileApi.updateCertification(profile.accountId, {
        status: values.status,
        submittedAt: values.submittedAt?.format('YYYY-MM-DD') ?? null,
        approvedAt: values.approvedAt?.format('YYYY-MM-DD') ?? null,
        // Left empty: the server sets one year after approval.
        expiresAt: values.expiresAt && values.expiresAt.toISOString() !== cert.expiresAt ? values.expiresAt.format('YYYY-MM-DD') : undefined,
        feeYuan: values.feeYuan,
      }),
    onSuccess: onSaved,
  });

  return (
    <Card
      title={t('certification.title')}
      extra={<Tag color={verificationColor[profile.verification]} data-testid="oa-verification">{t(`verification.${profile.verification}`)}</Tag>}
      data-testid="oa-certification-card"
    >
      {cert.currentReminder !== null ? (
        <Alert type={cert.currentReminder <= 7 ? 'error' : 'warning'} showIcon title={t('certification.reminder', { days: cert.daysLeft, date: formatDate(cert.expiresAt) })} style={{ marginBottom: 16 }} data-testid="oa-cert-reminder" />
      ) : null}
      {profile.verification === 'expired' ? <Alert type="error" showIcon title={t('certification.expired', { date: formatDate(cert.expiresAt) })} style={{ marginBottom: 16 }} /> : null}
      <Row gutter={16} style={{ marginBottom: 16 }}>
        <Col span={12}>
          <Statistic title={t('certification.daysLeft')} value={cert.daysLeft === null ? '—' : Math.max(cert.daysLeft, 0)} suffix={cert.daysLeft === null ? undefined : t('certification.days')} />
        </Col>
        <Col span={12}>
          <Statistic title={t('certification.fee')} value={cert.feeYuan} prefix="¥" suffix={t('certification.perYear')} />
        </Col>
      </Row>
      <Descriptions column={1} size="small" style={{ marginBottom: 12 }}>
        <Descriptions.Item label={t('field.expiresAt')}>{formatDate(cert.expiresAt) || '—'}</Descriptions.Item>
        <Descriptions.Item label={t('certification.reminders')}>
          {cert.reminders.length === 0 ? (
            <Typography.Text type="secondary">{t('certification.noReminders')}</Typography.Text>
          ) : (
            <Space wrap>
              {cert.reminders.map((r) => (
                <Tag key={r.daysBefore} color={r.due ? 'orange' : 'default'} data-testid={`oa-reminder-${r.daysBefore}`}>
                  {t('certification.reminderTag', { days: r.daysBefore, date: formatDate(r.remindAt) })}
                </Tag>
              ))}
            </Space>
          )}
        </Descriptions.Item>
      </Descriptions>
      <ErrorAlert error={save.error} />
      <Form form={form} layout="vertical" disabled={!canWrite} onFinish={(values) => save.mutate(values)}>
        <Row gutter={12}>
          <Col xs={24} md={12}>
            <Form.Item name="status" label={t('field.status')}>
              <Select options={(['none', 'submitted', 'approved', 'rejected'] as const).map((s) => ({ value: s, label: t(`certStatus.${s}`) }))} data-testid="oa-cert-status" />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="feeYuan" label={t('field.feeYuan')}>
              <InputNumber min={0} max={100000} prefix="¥" style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name="submittedAt" label={t('field.submittedAt')}>
              <DatePicker style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name="approvedAt" label={t('field.approvedAt')}>
              <DatePicker style={{ width: '100%' }} data-testid="oa-cert-approved" />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name="expiresAt" label={t('field.expiresAt')} tooltip={t('certification.expiresHint')}>
              <DatePicker style={{ width: '100%' }} />
            </Form.Item>
          </Col>
        </Row>
        {canWrite ? (
          <Button type="primary" htmlType="submit" loading={save.isPending} data-testid="oa-cert-save">
            {t('action.saveCertification')}
          </Button>
        ) : null}
      </Form>
    </Card>
  );
}

function LocksCard({ profile }: { profile: Profile }) {
  const { t } = useTranslation('oaProfile');
  return (
    <Card title={t('locks.title')} data-testid="oa-locks">
      <Typography.Paragraph type="secondary">{t('locks.description')}</Typography.Paragraph>
      <List
        grid={{ gutter: 12, xs: 1, md: 2, xl: 3 }}
        dataSource={profile.capabilities}
        renderItem={(c) => (
          <List.Item>
            <Card size="small" data-testid={`oa-lock-${c.feature}`}>
              <Flex gap={10} align="flex-start">
                {c.available ? <CheckCircleFilled style={{ color: '#52c41a', fontSize: 18, marginTop: 2 }} /> : <LockOutlined style={{ color: '#fa8c16', fontSize: 18, marginTop: 2 }} />}
                <div>
                  <Typography.Text strong>{t(`feature.${c.feature}`)}</Typography.Text>
                  <div>
                    <Typography.Text type={c.available ? 'success' : 'warning'} style={{ fontSize: 13 }}>
                      {c.available ? t('locks.available') : t(`lockReason.${c.reason}`)}
                    </Typography.Text>
                  </div>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {t('locks.requires', { list: c.requires.map((r) => t(`requirement.${r}`)).join(t('locks.and')) })}
                  </Typography.Text>
                </div>
              </Flex>
            </Card>
          </List.Item>
        )}
      />
    </Card>
  );
}
