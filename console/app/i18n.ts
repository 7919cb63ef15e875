import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { resources, namespaces, type UiLanguage, uiLanguages } from '../locales';

const storageKey = 'qiao.language';

function storedLanguage(): UiLanguage {
  try {
    const value = globalThis.localStorage?.getItem(storageKey);
    return uiLanguages.includes(value as UiLanguage) ? (value as UiLanguage) : 'zh-CN';
  } catch {
    return 'zh-CN';
  }
}

function applyLanguage(language: UiLanguage): void {
  dayjs.locale(language === 'zh-CN' ? 'zh-cn' : 'en');
  if (typeof document !== 'undefined') document.documentElement.lang = language;
}

/** One i18next instance for the console; zh-CN unless the user picked otherwise. */
export const i18n = i18next.createInstance();

const initial = storedLanguage();
applyLanguage(initial);
void i18n.use(initReactI18next).init({
  resources,
  ns: namespaces,
  defaultNS: 'common',
  lng: initial,
  fallbackLng: false,
  interpolation: { escapeValue: false },
  returnNull: false,
  initAsync: false,
});

export function currentLanguage(): UiLanguage {
  return uiLanguages.includes(i18n.language as UiLanguage) ? (i18n.language as UiLanguage) : 'zh-CN';
}

/** Switches every string, antd's own texts and dayjs dates, and remembers the choice. */
export async function changeLanguage(language: UiLanguage): Promise<void> {
  try {
    globalThis.localStorage?.setItem(storageKey, language);
  } catch {
    // Private windows may refuse storage; the switch still applies to this page.
  }
  applyLanguage(language);
  await i18n.changeLanguage(language);
}
