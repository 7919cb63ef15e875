import { GlobalOutlined } from '@ant-design/icons';
import { Button, Dropdown } from 'antd';
import { useTranslation } from 'react-i18next';
import { changeLanguage, currentLanguage } from '../app/i18n';
import { uiLanguages, type UiLanguage } from '../locales';

const labels: Record<UiLanguage, string> = { 'zh-CN': '简体中文', 'en-US': 'English' };

/** Header control: each language is named in itself, so anyone can find their own. */
export function LanguageSwitch() {
  const { i18n } = useTranslation();
  const active = uiLanguages.includes(i18n.language as UiLanguage) ? (i18n.language as UiLanguage) : currentLanguage();
  return (
    <Dropdown
      trigger={['click']}
      menu={{
        selectable: true,
        selectedKeys: [active],
        items: uiLanguages.map((language) => ({ key: language, label: <span data-testid={`language-${language}`}>{labels[language]}</span> })),
        onClick: ({ key }) => void changeLanguage(key as UiLanguage),
      }}
    >
      <Button type="text" icon={<GlobalOutlined />} data-testid="language-switch">
        {labels[active]}
      </Button>
    </Dropdown>
  );
}
