import { DeleteOutlined, LinkOutlined, PictureOutlined, AppstoreOutlined, UserAddOutlined } from '@ant-design/icons';
import { App, Button, Card, Flex, Input, Space, Typography, Upload } from 'antd';
import { useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useMe } from '../../../app/session';
import { errorMessage } from '../../../components/error-display';
import { CUSTOMER_NAME_VARIABLES, WELCOME_LIMITS, contactWaysApi, type WelcomeAttachment, type WelcomeMessage } from './contact-ways.api';

const encoder = new TextEncoder();
const bytes = (s: string) => encoder.encode(s).length;

/** The size WeCom will count: each name variable at its reserved size (the server checks the same). */
export function welcomeBytes(text: string): number {
  let stripped = text;
  let variables = 0;
  for (const variable of CUSTOMER_NAME_VARIABLES) {
    variables += stripped.split(variable).length - 1;
    stripped = stripped.split(variable).join('');
  }
  return bytes(stripped) + variables * WELCOME_LIMITS.nameBytes;
}

export const emptyWelcome: WelcomeMessage = { text: '', attachments: [] };

/** Text with the customer-name variable and a byte counter, plus image, link and mini-program attachments. */
export function WelcomeEditor({ accountId, value, onChange }: { accountId: string; value?: WelcomeMessage | null; onChange?: (next: WelcomeMessage) => void }) {
  const { t, i18n } = useTranslation('wecomContactWays');
  const { message } = App.useApp();
  const me = useMe();
  const textRef = useRef<HTMLTextAreaElement | null>(null);
  const current = value ?? emptyWelcome;
  const set = (next: Partial<WelcomeMessage>) => onChange?.({ ...current, ...next });
  const setAttachment = (index: number, next: WelcomeAttachment | null) =>
    set({ attachments: next ? current.attachments.map((a, i) => (i === index ? next : a)) : current.attachments.filter((_, i) => i !== index) });
  const variable = i18n.language.startsWith('en') ? '{customerName}' : '{客户昵称}';
  const used = welcomeBytes(current.text);
  const full = current.attachments.length >= WELCOME_LIMITS.attachments;

  const insertVariable = () => {
    const area = textRef.current;
    const at = area?.selectionStart ?? current.text.length;
    set({ text: current.text.slice(0, at) + variable + current.text.slice(area?.selectionEnd ?? at) });
  };

  const upload = async (file: File, after: (mediaFileId: string) => void) => {
    try {
      const media = await contactWaysApi.uploadImage(accountId, file, me.csrfToken);
      after(media.id);
    } catch (error) {
      void message.error(errorMessage(error, t('common:error.unknown')));
    }
  };

  return (
    <Flex vertical gap={8} data-testid="welcome-editor">
      <Input.TextArea
        ref={(node) => {
          textRef.current = node?.resizableTextArea?.textArea ?? null;
        }}
        rows={4}
        value={current.text}
        placeholder={t('welcome.placeholder', { variable })}
        onChange={(e) => set({ text: e.target.value })}
        data-testid="welcome-text"
      />
      <Flex justify="space-between" align="center">
        <Button size="small" icon={<UserAddOutlined />} onClick={insertVariable} data-testid="welcome-insert-name">
          {t('welcome.insertName')}
        </Button>
        <Typography.Text type={used > WELCOME_LIMITS.textBytes ? 'danger' : 'secondary'} data-testid="welcome-bytes">
          {t('welcome.bytes', { used, max: WELCOME_LIMITS.textBytes })}
        </Typography.Text>
      </Flex>
      {current.attachments.map((attachment, index) => (
        <Card
          key={index}
          size="small"
          title={t(`welcome.attachment.${attachment.type}`)}
          extra={<Button type="text" size="small" danger icon={<DeleteOutlined />} onClick={() => setAttachment(index, null)} aria-label={t('welcome.removeAttachment')} />}
        >
          {attachment.type === 'image' ? (
            <img src={contactWaysApi.mediaUrl(accountId, attachment.mediaFileId)} alt="" style={{ maxHeight: 96, maxWidth: '100%' }} />
          ) : null}
          {attachment.type === 'link' ? (
            <Space direction="vertical" style={{ width: '100%' }}>
              <Input addonBefore={t('welcome.link.title')} value={attachment.title} onChange={(e) => setAttachment(index, { ...attachment, title: e.target.value })} />
              <Input addonBefore={t('welcome.link.url')} value={attachment.url} placeholder="https://" onChange={(e) => setAttachment(index, { ...attachment, url: e.target.value })} />
              <Input addonBefore={t('welcome.link.desc')} value={attachment.desc ?? ''} onChange={(e) => setAttachment(index, { ...attachment, desc: e.target.value || undefined })} />
              <Typography.Text type="secondary">{t('welcome.link.limits', { title: WELCOME_LIMITS.linkTitleBytes, desc: WELCOME_LIMITS.linkDescBytes })}</Typography.Text>
            </Space>
          ) : null}
          {attachment.type === 'miniprogram' ? (
            <Space direction="vertical" style={{ width: '100%' }}>
              <Input addonBefore={t('welcome.mini.title')} value={attachment.title} onChange={(e) => setAttachment(index, { ...attachment, title: e.target.value })} />
              <Input addonBefore="AppID" value={attachment.appid} onChange={(e) => setAttachment(index, { ...attachment, appid: e.target.value })} />
              <Input addonBefore={t('welcome.mini.page')} value={attachment.page} placeholder="pages/index/index" onChange={(e) => setAttachment(index, { ...attachment, page: e.target.value })} />
              <Flex gap={8} align="center">
                <img src={contactWaysApi.mediaUrl(accountId, attachment.mediaFileId)} alt="" style={{ maxHeight: 64 }} />
                <Typography.Text type="secondary">{t('welcome.mini.limits', { title: WELCOME_LIMITS.miniprogramTitleBytes })}</Typography.Text>
              </Flex>
            </Space>
          ) : null}
        </Card>
      ))}
      <Space wrap>
        <Upload accept="image/png,image/jpeg" showUploadList={false} disabled={full} beforeUpload={(file) => {
            void upload(file, (id) => set({ attachments: [...current.attachments, { type: 'image', mediaFileId: id }] }));
            return false;
          }}>
          <Button size="small" icon={<PictureOutlined />} disabled={full} data-testid="welcome-add-image">
            {t('welcome.addImage')}
          </Button>
        </Upload>
        <Button size="small" icon={<LinkOutlined />} disabled={full} onClick={() => set({ attachments: [...current.attachments, { type: 'link', title: '', url: '' }] })} data-testid="welcome-add-link">
          {t('welcome.addLink')}
        </Button>
        <Upload
          accept="image/png,image/jpeg"
          showUploadList={false}
          disabled={full}
          beforeUpload={(file) => {
            void upload(file, (id) => set({ attachments: [...current.attachments, { type: 'miniprogram', title: '', appid: '', page: '', mediaFileId: id }] }));
            return false;
          }}
        >
          <Button size="small" icon={<AppstoreOutlined />} disabled={full}>
            {t('welcome.addMiniprogram')}
          </Button>
        </Upload>
        <Typography.Text type="secondary">{t('welcome.attachmentCount', { count: current.attachments.length, max: WELCOME_LIMITS.attachments })}</Typography.Text>
      </Space>
    </Flex>
  );
}
