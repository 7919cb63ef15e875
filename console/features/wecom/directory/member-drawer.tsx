import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button, Checkbox, Drawer, Flex, Form, Input, Select, Space, TreeSelect, Typography } from 'antd';
import { useEffect, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { Department } from '../../../../server/modules/wecom/departments/departments.schema';
import type { Member } from '../../../../server/modules/wecom/members/members.schema';
import { ErrorAlert, applyFieldErrors } from '../../../components/error-display';
import { toTreeNodes } from './department-tree-panel';
import { departmentsQueryKey, directoryApi, membersQueryKey } from './directory.api';

interface MemberForm {
  userid: string;
  name: string;
  alias?: string;
  mobile?: string;
  email?: string;
  position?: string;
  gender?: Member['gender'];
  telephone?: string;
  departments: { departmentId?: number; isLeader?: boolean }[];
  mainDepartmentId?: number;
}

const optional = (value: string | undefined) => (value?.trim() ? value.trim() : null);

/** Create (member undefined) or edit a member: profile, several departments, the main one and leader flags. */
export function MemberDrawer(props: { accountId: string; open: boolean; member?: Member; departments: Department[]; defaultDepartmentId?: number; onClose: () => void }) {
  const { t } = useTranslation('wecomDirectory');
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<MemberForm>();
  const chosen = Form.useWatch('departments', form);
  const { member } = props;
  const byId = useMemo(() => new Map(props.departments.map((d) => [d.id, d])), [props.departments]);
  const treeOptions = useMemo(() => {
    type Option = { value: number; title: string; children: Option[] };
    const convert = (nodes: ReturnType<typeof toTreeNodes>): Option[] => nodes.map((n) => ({ value: n.key, title: n.department.name, children: convert(n.children) }));
    return convert(toTreeNodes(props.departments));
  }, [props.departments]);

  useEffect(() => {
    if (!props.open) return;
    form.resetFields();
    form.setFieldsValue(
      member
        ? {
            ...member,
            alias: member.alias ?? undefined,
            mobile: member.mobile ?? undefined,
            email: member.email ?? undefined,
            position: member.position ?? undefined,
            telephone: member.telephone ?? undefined,
            departments: member.departments.map((d) => ({ departmentId: d.departmentId, isLeader: d.isLeader })),
            mainDepartmentId: member.mainDepartmentId,
          }
        : { gender: 'unknown', departments: [{ departmentId: props.defaultDepartmentId, isLeader: false }], mainDepartmentId: props.defaultDepartmentId },
    );
  }, [props.open, member, form, props.defaultDepartmentId]);

  const save = useMutation({
    mutationFn: (values: MemberForm) => {
      const placements = values.departments.filter((d) => d.departmentId !== undefined);
      const main = placements.some((d) => d.departmentId === values.mainDepartmentId) ? values.mainDepartmentId : placements[0]?.departmentId;
      const departments = placements.map((d) => ({ departmentId: d.departmentId!, isLeader: Boolean(d.isLeader), isMain: d.departmentId === main, order: orderIn(d.departmentId!) }));
      const fields = {
        name: values.name.trim(),
        alias: optional(values.alias),
        mobile: optional(values.mobile),
        email: optional(values.email),
        position: optional(values.position),
        gender: values.gender ?? null,
        telephone: optional(values.telephone),
        departments,
      };
      return member ? directoryApi.updateMember(props.accountId, member.userid, fields) : directoryApi.createMember(props.accountId, { userid: values.userid.trim(), ...fields });
    },
    onSuccess: () => {
      void message.success(member ? t('member.updated') : t('member.created'));
      void queryClient.invalidateQueries({ queryKey: membersQueryKey(props.accountId) });
      void queryClient.invalidateQueries({ queryKey: departmentsQueryKey(props.accountId) });
      props.onClose();
    },
    onError: (error) => applyFieldErrors(form, error),
  });

  // A member keeps its order inside departments it stays in.
  const orderIn = (departmentId: number) => member?.departments.find((d) => d.departmentId === departmentId)?.order ?? 0;
  const mainOptions = (chosen ?? []).flatMap((d) => (d?.departmentId !== undefined ? [{ value: d.departmentId, label: byId.get(d.departmentId)?.name ?? String(d.departmentId) }] : []));

  return (
    <Drawer
      open={props.open}
      onClose={props.onClose}
      width={560}
      title={member ? t('member.editTitle', { name: member.name }) : t('member.createTitle')}
      destroyOnHidden
      extra={
        <Space>
          <Button onClick={props.onClose}>{t('common:action.cancel')}</Button>
          <Button type="primary" loading={save.isPending} onClick={() => form.submit()} data-testid="member-save">
            {t('common:action.save')}
          </Button>
        </Space>
      }
    >
      <ErrorAlert error={save.error} />
      <Form form={form} layout="vertical" onFinish={(values) => save.mutate(values)} data-testid="member-form">
        <Form.Item name="userid" label={t('field.userid')} rules={[{ required: true, message: t('member.useridRequired') }, { max: 64 }]} extra={t('member.useridHint')}>
          <Input disabled={Boolean(member)} data-testid="member-userid" />
        </Form.Item>
        <Flex gap={12}>
          <Form.Item name="name" label={t('field.name')} rules={[{ required: true, message: t('member.nameRequired') }, { max: 64 }]} style={{ flex: 1 }}>
            <Input data-testid="member-name" />
          </Form.Item>
          <Form.Item name="alias" label={t('field.alias')} rules={[{ max: 64 }]} style={{ flex: 1 }}>
            <Input />
          </Form.Item>
        </Flex>
        <Typography.Paragraph type="secondary" style={{ marginTop: -8 }}>
          {t('member.contactHint')}
        </Typography.Paragraph>
        <Flex gap={12}>
          <Form.Item name="mobile" label={t('field.mobile')} style={{ flex: 1 }}>
            <Input data-testid="member-mobile" />
          </Form.Item>
          <Form.Item name="email" label={t('field.email')} style={{ flex: 1 }}>
            <Input data-testid="member-email" />
          </Form.Item>
        </Flex>
        <Flex gap={12}>
          <Form.Item name="position" label={t('field.position')} rules={[{ max: 128 }]} style={{ flex: 2 }}>
            <Input />
          </Form.Item>
          <Form.Item name="gender" label={t('field.gender')} style={{ flex: 1 }}>
            <Select options={(['unknown', 'male', 'female'] as const).map((g) => ({ value: g, label: t(`gender.${g}`) }))} />
          </Form.Item>
        </Flex>
        <Form.Item name="telephone" label={t('field.telephone')} rules={[{ max: 32 }]}>
          <Input />
        </Form.Item>
        <Form.Item label={t('field.departments')} required extra={t('member.departmentsHint')}>
          <Form.List name="departments">
            {(fields, { add, remove }) => (
              <Flex vertical gap={8}>
                {fields.map((field) => (
                  <Flex key={field.key} gap={8} align="center">
                    <Form.Item name={[field.name, 'departmentId']} noStyle rules={[{ required: true, message: t('member.departmentRequired') }]}>
                      <TreeSelect style={{ flex: 1 }} treeDefaultExpandAll treeData={treeOptions} placeholder={t('member.pickDepartment')} data-testid={`member-department-${field.name}`} />
                    </Form.Item>
                    <Form.Item name={[field.name, 'isLeader']} valuePropName="checked" noStyle>
                      <Checkbox>{t('field.isLeader')}</Checkbox>
                    </Form.Item>
                    <Button type="text" icon={<MinusCircleOutlined />} disabled={fields.length <= 1} onClick={() => remove(field.name)} aria-label={t('member.removeDepartment')} />
                  </Flex>
                ))}
                <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ isLeader: false })} disabled={fields.length >= 100}>
                  {t('member.addDepartment')}
                </Button>
              </Flex>
            )}
          </Form.List>
        </Form.Item>
        <Form.Item name="mainDepartmentId" label={t('field.mainDepartment')} extra={t('member.mainHint')}>
          <Select options={mainOptions} data-testid="member-main-department" />
        </Form.Item>
      </Form>
    </Drawer>
  );
}
