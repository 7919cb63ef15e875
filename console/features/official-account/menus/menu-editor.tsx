import { ArrowDownOutlined, ArrowLeftOutlined, ArrowRightOutlined, ArrowUpOutlined, DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Empty, Flex, Form, Input, Select, Space, Tag, Tooltip, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { renderErrorMessage } from '../../../../common/errors';
import {
  MENU_LIMITS,
  MENU_TYPES,
  REQUIRED_FIELDS,
  checkMenu,
  isMenuButtonType,
  subButtonsOf,
  utf8Bytes,
  type MenuIssue,
  type WeChatMenuButton,
} from '../../../../server/modules/official-account/menus/menu-rules.schema';
import { currentLanguage } from '../../../app/i18n';
import { PhoneFrame } from '../../sandbox/phone-frame';

/** Which button is selected: a top button, or one of its sub-buttons. */
export interface Selection {
  top: number;
  sub: number | null;
}

export function pathOf(selection: Selection): string {
  return selection.sub === null ? `button[${selection.top}]` : `button[${selection.top}].sub_button[${selection.sub}]`;
}

/** Issues that belong to this very button (not to its sub-buttons). */
function issuesAt(issues: MenuIssue[], path: string): MenuIssue[] {
  return issues.filter((i) => i.field.startsWith(`${path}.`) && !i.field.slice(path.length + 1).startsWith('sub_button['));
}

export function issueText(issue: MenuIssue): string {
  return renderErrorMessage(issue.code, currentLanguage(), issue.params);
}

function buttonAt(buttons: WeChatMenuButton[], selection: Selection | null): WeChatMenuButton | null {
  if (!selection) return null;
  const top = buttons[selection.top];
  if (!top) return null;
  return selection.sub === null ? top : (subButtonsOf(top)[selection.sub] ?? null);
}

function replaceAt(buttons: WeChatMenuButton[], selection: Selection, next: WeChatMenuButton): WeChatMenuButton[] {
  return buttons.map((top, i) => {
    if (i !== selection.top) return top;
    if (selection.sub === null) return next;
    return { ...top, sub_button: subButtonsOf(top).map((sub, j) => (j === selection.sub ? next : sub)) };
  });
}

function move<T>(list: T[], from: number, to: number): T[] {
  if (to < 0 || to >= list.length) return list;
  const next = [...list];
  const [item] = next.splice(from, 1);
  next.splice(to, 0, item as T);
  return next;
}

/** A byte counter as WeChat counts: red past the limit. */
export function ByteCounter({ value, limit }: { value: string; limit: number }) {
  const { t } = useTranslation('oaMenu');
  const bytes = utf8Bytes(value);
  return (
    <Tag color={bytes > limit ? 'error' : 'default'} data-testid="menu-byte-counter" style={{ marginInlineEnd: 0 }}>
      {t('editor.bytes', { bytes, limit })}
    </Tag>
  );
}

export interface MenuEditorProps {
  buttons: WeChatMenuButton[];
  onChange: (buttons: WeChatMenuButton[]) => void;
  selection: Selection | null;
  onSelect: (selection: Selection | null) => void;
  title: string;
  readOnly?: boolean;
  /** The mini-program type is offered but marked locked when the account is not verified. */
  miniProgramLock?: string | null;
}

/**
 * WeChat's menu editor: the phone preview on the left, the 3 × 5 button grid
 * laid out as the bar at the bottom of a chat, and the selected button's form.
 * Rule breaks show on the buttons as they are typed, before any save.
 */
export function MenuEditor(props: MenuEditorProps) {
  const { t } = useTranslation('oaMenu');
  const { buttons, onChange, selection, onSelect } = props;
  const issues = buttons.length === 0 ? [] : checkMenu({ button: buttons });
  const selected = buttonAt(buttons, selection);

  const addTop = () => {
    onChange([...buttons, { name: t('editor.newButton'), type: 'click', key: `KEY_${Date.now().toString(36).toUpperCase()}` }]);
    onSelect({ top: buttons.length, sub: null });
  };
  const addSub = (top: number) => {
    const parent = buttons[top] as WeChatMenuButton;
    const subs = subButtonsOf(parent);
    const child: WeChatMenuButton = { name: t('editor.newSubButton'), type: 'click', key: `KEY_${Date.now().toString(36).toUpperCase()}` };
    // The first sub-button turns the parent into a folder: WeChat ignores a parent's own action.
    onChange(buttons.map((b, i) => (i === top ? { name: b.name, sub_button: [...subs, child] } : b)));
    onSelect({ top, sub: subs.length });
  };
  const remove = () => {
    if (!selection) return;
    if (selection.sub === null) onChange(buttons.filter((_, i) => i !== selection.top));
    else {
      onChange(
        buttons.map((b, i) => {
          if (i !== selection.top) return b;
          const subs = subButtonsOf(b).filter((_, j) => j !== selection.sub);
          return subs.length > 0 ? { ...b, sub_button: subs } : { name: b.name, type: 'click', key: `KEY_${Date.now().toString(36).toUpperCase()}` };
        }),
      );
    }
    onSelect(null);
  };
  const shift = (delta: number) => {
    if (!selection) return;
    if (selection.sub === null) {
      onChange(move(buttons, selection.top, selection.top + delta));
      onSelect({ top: Math.min(Math.max(selection.top + delta, 0), buttons.length - 1), sub: null });
    } else {
      const parent = buttons[selection.top] as WeChatMenuButton;
      const subs = subButtonsOf(parent);
      onChange(replaceAt(buttons, { top: selection.top, sub: null }, { ...parent, sub_button: move(subs, selection.sub, selection.sub + delta) }));
      onSelect({ top: selection.top, sub: Math.min(Math.max(selection.sub + delta, 0), subs.length - 1) });
    }
  };

  return (
    <Flex gap={24} wrap align="flex-start">
      <div data-testid="menu-preview">
        <PhoneFrame
          title={props.title}
          entries={[]}
          menu={buttons}
          disabled={false}
          busy={false}
          onSendText={() => undefined}
          onPressMenu={(pressed) => {
            buttons.forEach((top, i) => {
              if (top === pressed) onSelect({ top: i, sub: null });
              subButtonsOf(top).forEach((sub, j) => sub === pressed && onSelect({ top: i, sub: j }));
            });
          }}
          emptyText={t('preview.empty')}
        />
      </div>
      <Flex vertical gap={16} style={{ flex: 1, minWidth: 360 }}>
        <Card size="small" title={t('editor.gridTitle')} data-testid="menu-grid">
          {buttons.length === 0 ? <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('editor.empty')} /> : null}
          <Flex gap={8} align="flex-end">
            {buttons.map((top, i) => {
              const subs = subButtonsOf(top);
              const topIssues = issuesAt(issues, `button[${i}]`).length + issues.filter((x) => x.field.startsWith(`button[${i}].sub_button`)).length;
              return (
                <Flex key={i} vertical gap={6} style={{ flex: 1, minWidth: 0 }}>
                  {subs.map((sub, j) => (
                    <GridButton
                      key={j}
                      label={sub.name}
                      active={selection?.top === i && selection.sub === j}
                      invalid={issuesAt(issues, `button[${i}].sub_button[${j}]`).length > 0}
                      onClick={() => onSelect({ top: i, sub: j })}
                      testId={`menu-sub-${i}-${j}`}
                    />
                  ))}
                  {!props.readOnly && subs.length < MENU_LIMITS.subButtons ? (
                    <Button size="small" type="dashed" icon={<PlusOutlined />} onClick={() => addSub(i)} data-testid={`menu-add-sub-${i}`}>
                      {t('editor.addSub')}
                    </Button>
                  ) : null}
                  <GridButton
                    label={top.name}
                    strong
                    active={selection?.top === i && selection.sub === null}
                    invalid={topIssues > 0}
                    onClick={() => onSelect({ top: i, sub: null })}
                    testId={`menu-top-${i}`}
                  />
                </Flex>
              );
            })}
            {!props.readOnly && buttons.length < MENU_LIMITS.topButtons ? (
              <Button type="dashed" icon={<PlusOutlined />} onClick={addTop} style={{ flex: buttons.length === 0 ? 1 : 'none', height: 40 }} data-testid="menu-add-top">
                {t('editor.addTop')}
              </Button>
            ) : null}
          </Flex>
          <Typography.Paragraph type="secondary" style={{ margin: '12px 0 0', fontSize: 12 }}>
            {t('editor.limits', { top: MENU_LIMITS.topButtons, sub: MENU_LIMITS.subButtons, topBytes: MENU_LIMITS.topNameBytes, subBytes: MENU_LIMITS.subNameBytes })}
          </Typography.Paragraph>
        </Card>
        {issues.length > 0 ? (
          <Alert
            type="error"
            showIcon
            data-testid="menu-issues"
            title={t('editor.issues', { count: issues.length })}
            description={
              <ul style={{ margin: 0, paddingInlineStart: 18 }}>
                {issues.map((issue) => (
                  <li key={`${issue.field}-${issue.code}`}>
                    <Typography.Text code>{issue.field}</Typography.Text> {issueText(issue)}
                  </li>
                ))}
              </ul>
            }
          />
        ) : null}
        {selected && selection ? (
          <ButtonForm
            key={pathOf(selection)}
            button={selected}
            isTop={selection.sub === null}
            issues={issuesAt(issues, pathOf(selection))}
            readOnly={props.readOnly ?? false}
            miniProgramLock={props.miniProgramLock ?? null}
            onChange={(next) => onChange(replaceAt(buttons, selection, next))}
            onRemove={remove}
            onMove={shift}
          />
        ) : buttons.length > 0 ? (
          <Typography.Text type="secondary">{t('editor.selectHint')}</Typography.Text>
        ) : null}
      </Flex>
    </Flex>
  );
}

function GridButton(props: { label: string; active: boolean; invalid: boolean; strong?: boolean; onClick: () => void; testId: string }) {
  return (
    <Button
      onClick={props.onClick}
      type={props.active ? 'primary' : 'default'}
      danger={props.invalid}
      style={{ height: props.strong ? 40 : 34, fontWeight: props.strong ? 600 : 400, overflow: 'hidden', textOverflow: 'ellipsis' }}
      data-testid={props.testId}
      data-invalid={props.invalid ? 'true' : 'false'}
    >
      {props.label || '—'}
    </Button>
  );
}

const fieldLimits: Partial<Record<string, number>> = { key: MENU_LIMITS.keyBytes, url: MENU_LIMITS.urlBytes };

function ButtonForm(props: {
  button: WeChatMenuButton;
  isTop: boolean;
  issues: MenuIssue[];
  readOnly: boolean;
  miniProgramLock: string | null;
  onChange: (next: WeChatMenuButton) => void;
  onRemove: () => void;
  onMove: (delta: number) => void;
}) {
  const { t } = useTranslation('oaMenu');
  const { button } = props;
  const isFolder = props.isTop && subButtonsOf(button).length > 0;
  const nameLimit = props.isTop ? MENU_LIMITS.topNameBytes : MENU_LIMITS.subNameBytes;
  const issueFor = (field: string) => props.issues.find((i) => i.field.endsWith(`.${field}`));
  const status = (field: string) => (issueFor(field) ? 'error' : undefined);
  const help = (field: string) => {
    const issue = issueFor(field);
    return issue ? issueText(issue) : undefined;
  };
  const type = isMenuButtonType(button.type) ? button.type : undefined;
  const set = (patch: Partial<WeChatMenuButton>) => props.onChange({ ...button, ...patch });

  return (
    <Card
      size="small"
      title={props.isTop ? t('form.topTitle') : t('form.subTitle')}
      data-testid="menu-button-form"
      extra={
        props.readOnly ? null : (
          <Space>
            <Tooltip title={t('form.moveBack')}>
              <Button size="small" icon={props.isTop ? <ArrowLeftOutlined /> : <ArrowUpOutlined />} onClick={() => props.onMove(-1)} aria-label={t('form.moveBack')} />
            </Tooltip>
            <Tooltip title={t('form.moveForward')}>
              <Button size="small" icon={props.isTop ? <ArrowRightOutlined /> : <ArrowDownOutlined />} onClick={() => props.onMove(1)} aria-label={t('form.moveForward')} />
            </Tooltip>
            <Button size="small" danger icon={<DeleteOutlined />} onClick={props.onRemove} data-testid="menu-remove">
              {t('form.remove')}
            </Button>
          </Space>
        )
      }
    >
      <Form layout="vertical" disabled={props.readOnly}>
        <Form.Item label={t('form.name')} validateStatus={status('name')} help={help('name')} extra={<ByteCounter value={button.name} limit={nameLimit} />}>
          <Input value={button.name} onChange={(e) => set({ name: e.target.value })} data-testid="menu-field-name" />
        </Form.Item>
        {isFolder ? (
          <Alert type="info" showIcon title={t('form.folder')} />
        ) : (
          <>
            <Form.Item label={t('form.type')} validateStatus={status('type')} help={help('type')}>
              <Select
                value={type}
                onChange={(next: string) => set({ type: next })}
                data-testid="menu-field-type"
                options={MENU_TYPES.map((value) => ({
                  value,
                  label: (
                    <span>
                      {t(`type.${value}`)}
                      {value === 'miniprogram' && props.miniProgramLock ? <Tag color="orange" style={{ marginInlineStart: 8 }}>{t('form.locked')}</Tag> : null}
                    </span>
                  ),
                }))}
              />
            </Form.Item>
            {type === 'miniprogram' && props.miniProgramLock ? <Alert type="warning" showIcon title={props.miniProgramLock} style={{ marginBottom: 16 }} data-testid="menu-miniprogram-lock" /> : null}
            {type
              ? REQUIRED_FIELDS[type].map((field) => (
                  <Form.Item
                    key={field}
                    label={t(`form.field.${field}`)}
                    validateStatus={status(field)}
                    help={help(field) ?? (field === 'url' && type === 'miniprogram' ? t('form.fallbackHint') : undefined)}
                    extra={fieldLimits[field] ? <ByteCounter value={button[field] ?? ''} limit={fieldLimits[field] as number} /> : undefined}
                  >
                    <Input value={button[field] ?? ''} onChange={(e) => set({ [field]: e.target.value })} data-testid={`menu-field-${field}`} />
                  </Form.Item>
                ))
              : null}
          </>
        )}
      </Form>
    </Card>
  );
}
