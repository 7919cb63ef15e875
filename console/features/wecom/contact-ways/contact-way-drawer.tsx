import { useMutation, useQuery } from '@tanstack/react-query';
import { Alert, App, Button, Drawer, Form, Input, InputNumber, Radio, Select, Space, Switch } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { applyFieldErrors, ErrorAlert } from '../../../components/error-display';
import { CONTACT_WAY_LIMITS, contactWaysApi, type ContactWay, type WelcomeMessage } from './contact-ways.api';
import { WelcomeEditor } from './welcome-editor';

interface FormValues {
  name: string;
  type: 'single' | 'multi';
  scene: 'qr' | 'miniprogram';
  /** Mini-program buttons only: WeCom's button style number. */
  style: number | null;
  userids: string[];
  state: string;
  skipVerify: boolean;
  tagIds: string[];
  ownWelcome: boolean;
  welcomeMessage: WelcomeMessage | null;
  isTemp: boolean;
  expiresInDays: number | null;
  chatExpiresInHours: number | null;
}

const toValues = (way: ContactWay | null): FormValues => ({
  name: way?.name ?? '',
  type: way?.type ?? 'single',
  scene: way?.scene ?? 'qr',
  style: way?.style ?? 1,
  userids: way?.userids ?? [],
  state: way?.state ?? '',
  skipVerify: way?.skipVerify ?? true,
  tagIds: way?.tagIds ?? [],
  ownWelcome: !!way?.welcomeMessage,
  welcomeMessage: way?.welcomeMessage ?? null,
  isTemp: way?.isTemp ?? false,
  expiresInDays: way?.expiresInS ? Math.round(way.expiresInS / 86_400) : 7,
  chatExpiresInHours: way?.chatExpiresInS ? Math.round(way.chatExpiresInS / 3600) : 24,
});

/** Create or edit a 「联系我」 code: members from the directory, tags, state, auto-accept, temporary mode, welcome message. */
export function ContactWayDrawer({
  accountId,
  editing,
  managedByRule = null,
  open,
  onClose,
  onSaved,
}: {
  accountId: string;
  editing: ContactWay | null;
  /** The assignment rule that keeps this code's members, if any. */
  managedByRule?: string | null;
  open: boolean;
  onClose: () => void;
  onSaved: () => void;
}) {
  const { t } = useTranslation('wecomContactWays');
  const { message } = App.useApp();
  const [form] = Form.useForm<FormValues>();
  const [memberQuery, setMemberQuery] = useState('');
  const type = Form.useWatch('type', form);
  const isTemp = Form.useWatch('isTemp', form);
  const ownWelcome = Form.useWatch('ownWelcome', form);
  const scene = Form.useWatch('scene', form);

  useEffect(() => {
    if (open) form.setFieldsValue(toValues(editing));
  }, [open, editing, form]);

  const members = useQuery({ queryKey: ['wecom-members-picker', accountId, memberQuery], queryFn: () => contactWaysApi.members(accountId, memberQuery), enabled: open });
  const tags = useQuery({ queryKey: ['wecom-customer-tags-picker', accountId], queryFn: () => contactWaysApi.tags(accountId), enabled: open, retry: false });

  const save = useMutation({
    mutationFn: async (values: FormValues) => {
      const welcomeMessage = values.ownWelcome ? values.welcomeMessage : null;
      const common = {
        name: values.name,
        userids: values.userids,
        skipVerify: values.skipVerify,
        tagIds: values.tagIds,
        welcomeMessage,
        ...(values.scene === 'miniprogram' ? { style: values.style ?? 1 } : {}),
      };
      if (editing) {
        return contactWaysApi.update(accountId, editing.configId, {
          ...common,
          state: values.state,
          ...(editing.isTemp ? { expiresInS: (values.expiresInDays ?? 7) * 86_400, chatExpiresInS: (values.chatExpiresInHours ?? 24) * 3600 } : {}),
        });
      }
      return contactWaysApi.create(accountId, {
        ...common,
        type: values.type,
        scene: values.scene,
        ...(values.state.trim() ? { state: values.state.trim() } : {}),
        isTemp: values.isTemp,
        ...(values.isTemp ? { expiresInS: (values.expiresInDays ?? 7) * 86_400, chatExpiresInS: (values.chatExpiresInHours ?? 24) * 3600 } : {}),
      });
    },
    onSuccess: () => {
      void message.success(t(editing ? 'drawer.saved' : 'drawer.created'));
      onSaved();
    },
    onError: (error) => applyFieldErrors(form, error),
  });

  const memberOptions = (members.data?.items ?? []).map((m) => ({ value: m.userid, label: `${m.name} (${m.userid})` }));
  for (const userid of form.getFieldValue('userids') ?? []) if (!memberOptions.some((o) => o.value === userid)) memberOptions.push({ value: userid, label: userid });
  const tagOptions = (tags.data?.groups ?? []).map((g) => ({
    label: g.name,
    options: g.tags.filter((tag) => tag.wecomId).map((tag) => ({ value: tag.wecomId as string, label: tag.name })),
  }));

  return (
    <Drawer
      title={editing ? t('drawer.editTitle', { name: editing.name }) : t('drawer.createTitle')}
      width={640}
      open={open}
      onClose={onClose}
      destroyOnHidden
      extra={
        <Space>
          <Button onClick={onClose}>{t('common:action.cancel')}</Button>
          <Button type="primary" loading={save.isPending} onClick={() => form.submit()} data-testid="contact-way-save">
            {t('common:action.save')}
          </Button>
        </Space>
      }
    >
      <ErrorAlert error={save.error} />
      <Form<FormValues> form={form} layout="vertical" onFinish={(values) => save.mutate(values)} initialValues={toValues(editing)}>
        <Form.Item name="name" label={t('field.name')} extra={t('field.nameHelp', { max: CONTACT_WAY_LIMITS.nameChars })} rules={[{ required: true, max: CONTACT_WAY_LIMITS.nameChars }]}>
          <Input data-testid="contact-way-name" />
        </Form.Item>
        <Space size="large" wrap>
          <Form.Item name="type" label={t('field.type')}>
            <Radio.Group disabled={!!editing} optionType="button" options={[{ value: 'single', label: t('type.single') }, { value: 'multi', label: t('type.multi') }]} />
          </Form.Item>
          <Form.Item name="scene" label={t('field.scene')}>
            <Radio.Group disabled={!!editing} optionType="button" options={[{ value: 'qr', label: t('scene.qr') }, { value: 'miniprogram', label: t('scene.miniprogram') }]} />
          </Form.Item>
          {scene === 'miniprogram' ? (
            <Form.Item name="style" label={t('field.style')} tooltip={t('field.styleHelp')} rules={[{ required: true, type: 'integer', min: 1, max: 99 }]}>
              <InputNumber min={1} max={99} precision={0} data-testid="contact-way-style" />
            </Form.Item>
          ) : null}
        </Space>
        {managedByRule ? <Alert type="info" showIcon style={{ marginBottom: 16 }} message={t('drawer.ruleManaged', { name: managedByRule })} data-testid="contact-way-rule-note" /> : null}
        <Form.Item
          name="userids"
          label={t('field.members')}
          extra={type === 'single' ? t('field.membersSingle') : t('field.membersMulti', { max: CONTACT_WAY_LIMITS.membersPerCode })}
          rules={[{ required: true, type: 'array', min: 1 }]}
        >
          <Select
            mode="multiple"
            showSearch
            filterOption={false}
            onSearch={setMemberQuery}
            options={memberOptions}
            maxCount={type === 'single' ? 1 : CONTACT_WAY_LIMITS.membersPerCode}
            loading={members.isFetching}
            placeholder={t('field.membersPlaceholder')}
            data-testid="contact-way-members"
          />
        </Form.Item>
        <Form.Item name="tagIds" label={t('field.tags')} extra={tags.error ? t('field.tagsUnavailable') : t('field.tagsHelp')}>
          <Select mode="multiple" options={tagOptions} loading={tags.isFetching} placeholder={t('field.tagsPlaceholder')} optionFilterProp="label" />
        </Form.Item>
        <Form.Item name="state" label={t('field.state')} extra={t('field.stateHelp', { max: CONTACT_WAY_LIMITS.stateChars })} rules={[{ max: CONTACT_WAY_LIMITS.stateChars }]}>
          <Input placeholder={t('field.statePlaceholder')} />
        </Form.Item>
        <Form.Item name="skipVerify" label={t('field.skipVerify')} valuePropName="checked" extra={t('field.skipVerifyHelp')}>
          <Switch />
        </Form.Item>
        <Form.Item name="isTemp" label={t('field.isTemp')} valuePropName="checked" extra={t('field.isTempHelp')}>
          <Switch disabled={!!editing || type !== 'single'} />
        </Form.Item>
        {isTemp ? (
          <Space size="large">
            <Form.Item name="expiresInDays" label={t('field.expiresInDays')} rules={[{ type: 'number', min: 1, max: 14 }]}>
              <InputNumber min={1} max={14} addonAfter={t('unit.days')} />
            </Form.Item>
            <Form.Item name="chatExpiresInHours" label={t('field.chatExpiresInHours')} rules={[{ type: 'number', min: 1, max: 336 }]}>
              <InputNumber min={1} max={336} addonAfter={t('unit.hours')} />
            </Form.Item>
          </Space>
        ) : null}
        <Form.Item name="ownWelcome" label={t('field.ownWelcome')} valuePropName="checked" extra={t('field.ownWelcomeHelp')}>
          <Switch data-testid="contact-way-own-welcome" />
        </Form.Item>
        {ownWelcome ? (
          <Form.Item name="welcomeMessage">
            <WelcomeEditor accountId={accountId} />
          </Form.Item>
        ) : (
          <Alert type="info" showIcon message={t('field.usesDefault')} />
        )}
      </Form>
    </Drawer>
  );
}
