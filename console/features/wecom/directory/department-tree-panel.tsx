import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined, DragOutlined, EditOutlined, MoreOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Dropdown, Empty, Flex, Form, Input, Modal, Tree, TreeSelect, Typography, type MenuProps, type TreeDataNode } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Department } from '../../../../server/modules/wecom/departments/departments.schema';
import { ErrorAlert, applyFieldErrors, errorMessage } from '../../../components/error-display';
import { departmentsQueryKey, directoryApi, membersQueryKey } from './directory.api';

interface TreeNode extends TreeDataNode {
  key: number;
  department: Department;
  children: TreeNode[];
}

/** Departments as antd tree nodes; a department whose parent the caller cannot see becomes a top node. */
export function toTreeNodes(departments: readonly Department[]): TreeNode[] {
  const nodes = new Map<number, TreeNode>();
  for (const d of departments) nodes.set(d.id, { key: d.id, title: d.name, department: d, children: [] });
  const tops: TreeNode[] = [];
  for (const d of departments) {
    const node = nodes.get(d.id)!;
    const parent = nodes.get(d.parentId);
    if (parent) parent.children.push(node);
    else tops.push(node);
  }
  return tops;
}

type Editing = { kind: 'create'; parent: Department } | { kind: 'rename'; department: Department } | { kind: 'move'; department: Department } | null;

/** 部门树: pick a department to list its members; create, rename, move, reorder and delete through each node's menu. */
export function DepartmentTreePanel(props: {
  accountId: string;
  departments: Department[];
  selectedId: number | undefined;
  onSelect: (id: number | undefined) => void;
  canWrite: boolean;
}) {
  const { t } = useTranslation('wecomDirectory');
  const { message, modal } = App.useApp();
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState<Editing>(null);
  const treeData = useMemo(() => toTreeNodes(props.departments), [props.departments]);
  const byId = useMemo(() => new Map(props.departments.map((d) => [d.id, d])), [props.departments]);

  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: departmentsQueryKey(props.accountId) });
    void queryClient.invalidateQueries({ queryKey: membersQueryKey(props.accountId) });
  };
  const onError = (error: unknown) => void message.error(errorMessage(error, t('common:error.unknown')));

  const remove = useMutation({
    mutationFn: (d: Department) => directoryApi.removeDepartment(props.accountId, d.id),
    onSuccess: (_r, d) => {
      void message.success(t('department.deleted', { name: d.name }));
      if (props.selectedId === d.id) props.onSelect(undefined);
      refresh();
    },
    onError,
  });

  // WeCom shows larger `order` first: renumber the siblings so the moved one swaps with its neighbour.
  const reorder = useMutation({
    mutationFn: async ({ department, direction }: { department: Department; direction: -1 | 1 }) => {
      const siblings = props.departments.filter((d) => d.parentId === department.parentId);
      const index = siblings.findIndex((d) => d.id === department.id);
      const target = index + direction;
      if (target < 0 || target >= siblings.length) return;
      const next = [...siblings];
      [next[index], next[target]] = [next[target]!, next[index]!];
      for (const [position, sibling] of next.entries()) {
        const order = (next.length - position) * 100;
        if (sibling.order !== order) await directoryApi.updateDepartment(props.accountId, sibling.id, { order });
      }
    },
    onSuccess: refresh,
    onError,
  });

  const actionsOf = (d: Department): MenuProps['items'] => {
    const siblings = props.departments.filter((s) => s.parentId === d.parentId);
    const index = siblings.findIndex((s) => s.id === d.id);
    const isRoot = d.parentId === 0;
    return [
      { key: 'create', icon: <PlusOutlined />, label: t('department.addChild') },
      { key: 'rename', icon: <EditOutlined />, label: t('department.rename') },
      { key: 'move', icon: <DragOutlined />, label: t('department.move'), disabled: isRoot },
      { key: 'up', icon: <ArrowUpOutlined />, label: t('department.moveUp'), disabled: isRoot || index <= 0 },
      { key: 'down', icon: <ArrowDownOutlined />, label: t('department.moveDown'), disabled: isRoot || index >= siblings.length - 1 },
      { type: 'divider' },
      { key: 'delete', icon: <DeleteOutlined />, label: t('department.delete'), danger: true, disabled: isRoot },
    ];
  };

  const onAction = (d: Department, key: string) => {
    if (key === 'create') setEditing({ kind: 'create', parent: d });
    if (key === 'rename') setEditing({ kind: 'rename', department: d });
    if (key === 'move') setEditing({ kind: 'move', department: d });
    if (key === 'up' || key === 'down') reorder.mutate({ department: d, direction: key === 'up' ? -1 : 1 });
    if (key === 'delete')
      void modal.confirm({
        title: t('department.deleteTitle', { name: d.name }),
        content: t('department.deleteContent'),
        okButtonProps: { danger: true },
        okText: t('department.delete'),
        onOk: () => remove.mutateAsync(d),
      });
  };

  const titled = (nodes: TreeNode[]): TreeNode[] =>
    nodes.map((node) => ({
      ...node,
      title: <DepartmentTitle department={node.department} canWrite={props.canWrite} actions={actionsOf(node.department)} onAction={(key) => onAction(node.department, key)} />,
      children: titled(node.children),
    }));

  return (
    <Card
      size="small"
      title={t('department.title')}
      styles={{ body: { padding: 8, maxHeight: 'calc(100vh - 260px)', overflow: 'auto' } }}
      extra={
        <Button size="small" type="link" onClick={() => props.onSelect(undefined)} disabled={props.selectedId === undefined} data-testid="directory-all-members">
          {t('department.allMembers')}
        </Button>
      }
      data-testid="directory-tree"
    >
      {treeData.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('department.none')} />
      ) : (
        <Tree<TreeNode>
          blockNode
          defaultExpandAll
          treeData={titled(treeData)}
          selectedKeys={props.selectedId === undefined ? [] : [props.selectedId]}
          onSelect={(keys) => props.onSelect(keys.length > 0 ? Number(keys[0]) : undefined)}
        />
      )}
      <DepartmentModal accountId={props.accountId} editing={editing} byId={byId} treeData={treeData} onClose={() => setEditing(null)} onSaved={refresh} />
    </Card>
  );
}

function DepartmentTitle(props: { department: Department; canWrite: boolean; actions: MenuProps['items']; onAction: (key: string) => void }) {
  const { t } = useTranslation('wecomDirectory');
  const { department } = props;
  return (
    <Flex justify="space-between" align="center" gap={4} data-testid={`department-node-${department.id}`}>
      <Typography.Text ellipsis>
        {department.name}
        <Typography.Text type="secondary" style={{ fontSize: 12, marginLeft: 6 }}>
          {department.memberCount}
        </Typography.Text>
      </Typography.Text>
      {props.canWrite ? (
        <span onClick={(e) => e.stopPropagation()}>
          <Dropdown trigger={['click']} menu={{ items: props.actions, onClick: ({ key }) => props.onAction(key) }}>
            <Button type="text" size="small" icon={<MoreOutlined />} aria-label={t('department.actions')} data-testid={`department-more-${department.id}`} />
          </Dropdown>
        </span>
      ) : null}
    </Flex>
  );
}

function DepartmentModal(props: {
  accountId: string;
  editing: Editing;
  byId: Map<number, Department>;
  treeData: TreeNode[];
  onClose: () => void;
  onSaved: () => void;
}) {
  const { t } = useTranslation('wecomDirectory');
  const { message } = App.useApp();
  const [form] = Form.useForm<{ name: string; nameEn?: string; parentId?: number }>();
  const { editing } = props;
  const save = useMutation({
    mutationFn: (values: { name: string; nameEn?: string; parentId?: number }) => {
      if (editing?.kind === 'create') return directoryApi.createDepartment(props.accountId, { parentId: editing.parent.id, name: values.name, nameEn: values.nameEn || undefined });
      if (editing?.kind === 'rename') return directoryApi.updateDepartment(props.accountId, editing.department.id, { name: values.name, nameEn: values.nameEn || null });
      return directoryApi.updateDepartment(props.accountId, editing!.kind === 'move' ? editing!.department.id : 0, { parentId: values.parentId });
    },
    onSuccess: () => {
      void message.success(t('department.saved'));
      props.onSaved();
      props.onClose();
    },
    onError: (error) => applyFieldErrors(form, error),
  });
  const title =
    editing?.kind === 'create'
      ? t('department.createTitle', { parent: editing.parent.name })
      : editing?.kind === 'rename'
        ? t('department.renameTitle', { name: editing.department.name })
        : editing?.kind === 'move'
          ? t('department.moveTitle', { name: editing.department.name })
          : '';
  interface ParentOption {
    value: number;
    title: string;
    children: ParentOption[];
  }
  const parentOptions = (nodes: TreeNode[]): ParentOption[] => nodes.map((n) => ({ value: n.key, title: n.department.name, children: parentOptions(n.children) }));
  return (
    <Modal
      open={editing !== null}
      title={title}
      onCancel={props.onClose}
      onOk={() => form.submit()}
      confirmLoading={save.isPending}
      destroyOnHidden
      afterOpenChange={(open) => {
        if (!open) return;
        form.resetFields();
        if (editing?.kind === 'rename') form.setFieldsValue({ name: editing.department.name, nameEn: editing.department.nameEn ?? undefined });
        if (editing?.kind === 'move') form.setFieldsValue({ parentId: editing.department.parentId });
        save.reset();
      }}
    >
      <ErrorAlert error={save.error} />
      <Form form={form} layout="vertical" onFinish={(values) => save.mutate(values)}>
        {editing?.kind === 'move' ? (
          <Form.Item name="parentId" label={t('department.parent')} rules={[{ required: true }]} extra={t('department.moveHint')}>
            <TreeSelect treeDefaultExpandAll treeData={parentOptions(props.treeData)} data-testid="department-parent" />
          </Form.Item>
        ) : (
          <>
            <Form.Item name="name" label={t('department.name')} rules={[{ required: true, message: t('department.nameRequired') }, { max: 64 }]} extra={t('department.nameHint')}>
              <Input maxLength={64} showCount data-testid="department-name" />
            </Form.Item>
            <Form.Item name="nameEn" label={t('department.nameEn')} rules={[{ max: 64 }]}>
              <Input maxLength={64} data-testid="department-name-en" />
            </Form.Item>
          </>
        )}
      </Form>
    </Modal>
  );
}
