// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { App as AntApp, ConfigProvider } from 'antd';
import { afterEach, describe, expect, it } from 'vitest';
import { I18nextProvider, useTranslation } from 'react-i18next';
import { changeLanguage, i18n } from '../app/i18n';
import { LanguageSwitch } from './language-switch';

function MenuLabel() {
  const { t } = useTranslation();
  return <span data-testid="label">{t('menu.users')}</span>;
}

function renderSwitch() {
  return render(
    <I18nextProvider i18n={i18n}>
      <ConfigProvider theme={{ token: { motion: false } }}>
        <AntApp>
          <LanguageSwitch />
          <MenuLabel />
        </AntApp>
      </ConfigProvider>
    </I18nextProvider>,
  );
}

afterEach(async () => {
  cleanup();
  await act(() => changeLanguage('zh-CN'));
  localStorage.clear();
});

describe('LanguageSwitch', () => {
  it('starts in Chinese', () => {
    renderSwitch();
    expect(screen.getByTestId('label').textContent).toBe('管理员与成员');
    expect(screen.getByTestId('language-switch').textContent).toContain('简体中文');
  });

  it('switches every text to English and remembers the choice', async () => {
    renderSwitch();
    fireEvent.click(screen.getByTestId('language-switch'));
    const english = await screen.findByTestId('language-en-US');
    await act(async () => {
      fireEvent.click(english);
    });
    await waitFor(() => expect(screen.getByTestId('label').textContent).toBe('Admins & members'));
    expect(screen.getByTestId('language-switch').textContent).toContain('English');
    expect(localStorage.getItem('qiao.language')).toBe('en-US');
    expect(document.documentElement.lang).toBe('en-US');
  });
});
