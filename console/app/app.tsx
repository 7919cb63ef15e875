import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { App as AntApp, ConfigProvider } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import { RouterProvider } from 'react-router';
import { I18nextProvider, useTranslation } from 'react-i18next';
import { isApiError } from './api-client';
import { i18n } from './i18n';
import { router } from './router';

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // A refused or missing resource does not get better by asking again.
      retry: (failures, error) => failures < 2 && !(isApiError(error) && error.status >= 400 && error.status < 500),
      refetchOnWindowFocus: false,
    },
  },
});

// Browsers driven by tests take screenshots mid-animation otherwise.
const motion = typeof navigator === 'undefined' || !navigator.webdriver;

function Themed() {
  const { i18n: active } = useTranslation();
  return (
    <ConfigProvider
      locale={active.language === 'en-US' ? enUS : zhCN}
      theme={{ token: { motion, colorPrimary: '#07c160', borderRadius: 6 } }}
    >
      <AntApp>
        <RouterProvider router={router} />
      </AntApp>
    </ConfigProvider>
  );
}

export function App() {
  return (
    <I18nextProvider i18n={i18n}>
      <QueryClientProvider client={queryClient}>
        <Themed />
      </QueryClientProvider>
    </I18nextProvider>
  );
}
