import { EditOutlined, LeftOutlined, MenuOutlined, SendOutlined, UserOutlined } from '@ant-design/icons';
import { Avatar, Button, Empty, Flex, Input, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { MenuButton } from './sandbox.api';

/** One line of the chat: what the follower did (right), what they received (left), or a grey system tip. */
export interface ChatEntry {
  id: string;
  side: 'me' | 'account' | 'system';
  at: string;
  body: ReactNode;
  /** Small caption under an account bubble, e.g. 被动回复. */
  caption?: string;
  tone?: 'warning' | 'error';
}

const green = '#95ec69';
const screenBg = '#ededed';

function Bubble({ entry }: { entry: ChatEntry }) {
  if (entry.side === 'system') {
    return (
      <Flex justify="center" style={{ margin: '8px 0' }} data-testid="phone-system">
        <span
          style={{
            fontSize: 12,
            padding: '3px 8px',
            borderRadius: 4,
            background: entry.tone === 'error' ? '#fff1f0' : entry.tone === 'warning' ? '#fff7e6' : 'rgba(0,0,0,0.06)',
            color: entry.tone === 'error' ? '#cf1322' : entry.tone === 'warning' ? '#ad6800' : '#888',
            maxWidth: '85%',
            textAlign: 'center',
          }}
        >
          {entry.body}
        </span>
      </Flex>
    );
  }
  const mine = entry.side === 'me';
  return (
    <Flex justify={mine ? 'flex-end' : 'flex-start'} gap={8} style={{ margin: '10px 0' }} data-testid={mine ? 'phone-sent' : 'phone-received'}>
      {mine ? null : <Avatar shape="square" size={34} style={{ background: '#07c160', flex: 'none' }}>公</Avatar>}
      <Flex vertical align={mine ? 'flex-end' : 'flex-start'} style={{ maxWidth: '72%' }}>
        <div
          style={{
            background: mine ? green : '#fff',
            borderRadius: 6,
            padding: '8px 10px',
            fontSize: 14,
            lineHeight: 1.5,
            wordBreak: 'break-word',
            whiteSpace: 'pre-wrap',
            boxShadow: '0 1px 1px rgba(0,0,0,0.04)',
          }}
        >
          {entry.body}
        </div>
        {entry.caption ? (
          <Typography.Text type="secondary" style={{ fontSize: 11, marginTop: 2 }}>
            {entry.caption} · {dayjs(entry.at).format('HH:mm:ss')}
          </Typography.Text>
        ) : null}
      </Flex>
      {mine ? <Avatar shape="square" size={34} icon={<UserOutlined />} style={{ flex: 'none' }} /> : null}
    </Flex>
  );
}

function scrollToEnd(element: HTMLElement | null): void {
  if (element) element.scrollTop = element.scrollHeight;
}

function isPressable(button: MenuButton): boolean {
  return Boolean(button.key || button.url);
}

/** WeChat's bottom bar: up to three buttons; one with sub-buttons opens a list above it. */
function MenuBar({ buttons, disabled, onPress, onKeyboard }: { buttons: MenuButton[]; disabled: boolean; onPress: (button: MenuButton) => void; onKeyboard: () => void }) {
  const [open, setOpen] = useState<number | null>(null);
  return (
    <Flex style={{ borderTop: '1px solid #ddd', background: '#f7f7f7', height: 48, position: 'relative' }} data-testid="phone-menu">
      <Button type="text" icon={<EditOutlined />} onClick={onKeyboard} style={{ height: 48, width: 44, borderRadius: 0, borderRight: '1px solid #ddd' }} data-testid="phone-keyboard" />
      {buttons.map((button, index) => {
        const subs = button.sub_button ?? [];
        return (
          <div key={`${button.name}-${index}`} style={{ flex: 1, position: 'relative', borderLeft: index === 0 ? 'none' : '1px solid #ddd' }}>
            <Button
              type="text"
              block
              disabled={disabled || (subs.length === 0 && !isPressable(button))}
              onClick={() => {
                if (subs.length > 0) setOpen(open === index ? null : index);
                else {
                  setOpen(null);
                  onPress(button);
                }
              }}
              style={{ height: 48, borderRadius: 0, fontSize: 13 }}
              data-testid={`phone-menu-${index}`}
            >
              {subs.length > 0 ? <span style={{ color: '#999', marginRight: 4 }}>≡</span> : null}
              {button.name}
            </Button>
            {open === index && subs.length > 0 ? (
              <Flex
                vertical
                style={{ position: 'absolute', bottom: 54, left: 4, right: 4, background: '#fff', borderRadius: 6, boxShadow: '0 2px 10px rgba(0,0,0,0.15)', zIndex: 2 }}
                data-testid={`phone-submenu-${index}`}
              >
                {subs.map((sub, subIndex) => (
                  <Button
                    key={`${sub.name}-${subIndex}`}
                    type="text"
                    disabled={disabled || !isPressable(sub)}
                    onClick={() => {
                      setOpen(null);
                      onPress(sub);
                    }}
                    style={{ height: 40, borderRadius: 0, borderTop: subIndex === 0 ? 'none' : '1px solid #f0f0f0', fontSize: 13 }}
                    data-testid={`phone-submenu-${index}-${subIndex}`}
                  >
                    {sub.name}
                  </Button>
                ))}
              </Flex>
            ) : null}
          </div>
        );
      })}
    </Flex>
  );
}

export interface PhoneFrameProps {
  title: string;
  entries: ChatEntry[];
  menu: MenuButton[];
  /** Sending and menu presses are off (no follower chosen, or they do not follow). */
  disabled: boolean;
  busy: boolean;
  onSendText: (text: string) => void;
  onPressMenu: (button: MenuButton) => void;
  emptyText: string;
}

/** A phone showing one follower's chat with an Official Account, the way WeChat draws it. */
export function PhoneFrame(props: PhoneFrameProps) {
  const { t } = useTranslation('sandbox');
  const [draft, setDraft] = useState('');
  const [typingChosen, setTyping] = useState(false);
  const typing = props.menu.length === 0 || typingChosen;
  const count = props.entries.length;

  const send = () => {
    const text = draft.trim();
    if (!text) return;
    props.onSendText(text);
    setDraft('');
  };

  return (
    <div
      style={{ width: 375, height: 720, borderRadius: 44, background: '#111', padding: 12, boxShadow: '0 12px 32px rgba(0,0,0,0.18)', flex: 'none' }}
      data-testid="phone"
    >
      <Flex vertical style={{ height: '100%', borderRadius: 34, overflow: 'hidden', background: screenBg }}>
        <Flex justify="space-between" style={{ padding: '10px 26px 4px', fontSize: 12, fontWeight: 600, background: screenBg }}>
          <span>9:41</span>
          <span>5G ▮▮▮</span>
        </Flex>
        <Flex align="center" style={{ height: 44, padding: '0 8px', background: screenBg, borderBottom: '1px solid #ddd' }}>
          <LeftOutlined style={{ width: 32 }} />
          <Typography.Text strong ellipsis style={{ flex: 1, textAlign: 'center', fontSize: 16 }} data-testid="phone-title">
            {props.title}
          </Typography.Text>
          <UserOutlined style={{ width: 32 }} />
        </Flex>
        <div style={{ flex: 1, overflowY: 'auto', padding: '4px 12px' }} data-testid="phone-chat">
          {count === 0 ? <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={props.emptyText} style={{ marginTop: 120 }} /> : null}
          {props.entries.map((entry) => (
            <Bubble key={entry.id} entry={entry} />
          ))}
          {/* Remounted whenever a line arrives, so the chat scrolls to the newest one as WeChat does. */}
          <div key={count} ref={(element) => scrollToEnd(element?.parentElement ?? null)} />
        </div>
        {typing ? (
          <Flex gap={6} align="center" style={{ padding: 8, borderTop: '1px solid #ddd', background: '#f7f7f7', height: 48 }}>
            {props.menu.length > 0 ? (
              <Button type="text" icon={<MenuOutlined />} onClick={() => setTyping(false)} aria-label={t('phone.showMenu')} data-testid="phone-show-menu" />
            ) : null}
            <Input
              value={draft}
              onChange={(event) => setDraft(event.target.value)}
              onPressEnter={send}
              disabled={props.disabled}
              placeholder={t('phone.inputPlaceholder')}
              maxLength={2048}
              data-testid="phone-input"
            />
            <Button type="primary" icon={<SendOutlined />} onClick={send} loading={props.busy} disabled={props.disabled || !draft.trim()} data-testid="phone-send">
              {t('phone.send')}
            </Button>
          </Flex>
        ) : (
          <MenuBar buttons={props.menu} disabled={props.disabled || props.busy} onPress={props.onPressMenu} onKeyboard={() => setTyping(true)} />
        )}
        <div style={{ height: 18, background: '#f7f7f7' }} />
      </Flex>
    </div>
  );
}

/** A status tag for a delivery outcome, shared by the phone, the WeCom page and the feed. */
export function DeliveryStatusTag({ status }: { status: string }) {
  const { t } = useTranslation('sandbox');
  const color = status === 'replied' || status === 'no_reply' ? 'success' : status === 'no_callback_url' ? 'default' : 'error';
  return <Tag color={color}>{t(`deliveryStatus.${status}`, { defaultValue: status })}</Tag>;
}
