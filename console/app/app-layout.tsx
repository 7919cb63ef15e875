import { DownOutlined, LogoutOutlined, UserOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Avatar, Button, Dropdown, Flex, Layout, Menu, Result, Tag, Typography, type MenuProps } from 'antd';
import { Suspense, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Outlet, useLocation, useNavigate } from 'react-router';
import { errorMessage } from '../components/error-display';
import { FullPageSpin } from '../components/full-page-spin';
import { LanguageSwitch } from '../components/language-switch';
import { authApi } from '../features/auth/auth.api';
import { setCsrfToken } from './api-client';
import { requiredPermission, selectedPath, visibleAreas } from './menu';
import { useMe } from './session';

/** The signed-in frame: side menu by product area, header with language and user menu. */
export function AppLayout() {
  const { t } = useTranslation();
  const me = useMe();
  const navigate = useNavigate();
  const location = useLocation();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const [collapsed, setCollapsed] = useState(false);

  const logout = useMutation({
    mutationFn: authApi.logout,
    onSuccess: () => {
      setCsrfToken(null);
      queryClient.clear();
      void navigate('/login', { replace: true });
    },
    onError: (error) => void message.error(errorMessage(error, t('error.unknown'))),
  });

  const areas = visibleAreas(me.permissions);
  const needed = requiredPermission(location.pathname);
  const allowed = !needed || me.permissions.includes(needed);
  const items: MenuProps['items'] = areas.map((area) =>
    area.pages.length === 1 && area.pages[0]?.path === '/'
      ? { key: '/', icon: area.icon, label: t(area.labelKey), 'data-testid': 'menu-home' }
      : {
          key: area.key,
          icon: area.icon,
          label: t(area.labelKey),
          children: area.pages.map((page) => ({ key: page.path, label: t(page.labelKey), 'data-testid': `menu-${page.path.split('/').pop()}` })),
        },
  );

  const userMenu: MenuProps['items'] = [
    { key: 'account', icon: <UserOutlined />, label: <span data-testid="user-menu-account">{t('userMenu.account')}</span> },
    { type: 'divider' },
    { key: 'logout', icon: <LogoutOutlined />, danger: true, label: <span data-testid="user-menu-logout">{t('userMenu.logout')}</span> },
  ];

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Sider collapsible collapsed={collapsed} onCollapse={setCollapsed} width={220} theme="light" style={{ borderRight: '1px solid rgba(5,5,5,0.06)' }}>
        <Flex align="center" gap={10} style={{ height: 56, padding: collapsed ? '0 24px' : '0 20px' }}>
          <Avatar shape="square" size={28} style={{ background: '#07c160', fontWeight: 600 }}>
            桥
          </Avatar>
          {collapsed ? null : (
            <Typography.Text strong style={{ fontSize: 16 }}>
              {t('appName')}
            </Typography.Text>
          )}
        </Flex>
        <Menu
          mode="inline"
          items={items}
          selectedKeys={[selectedPath(location.pathname)]}
          defaultOpenKeys={areas.map((a) => a.key)}
          onClick={({ key }) => void navigate(key)}
          style={{ borderInlineEnd: 'none' }}
          data-testid="side-menu"
        />
      </Layout.Sider>
      <Layout>
        <Layout.Header style={{ background: '#fff', padding: '0 24px', height: 56, lineHeight: '56px', borderBottom: '1px solid rgba(5,5,5,0.06)' }}>
          <Flex justify="flex-end" align="center" gap={8} style={{ height: '100%' }}>
            <LanguageSwitch />
            <Dropdown
              trigger={['click']}
              menu={{
                items: userMenu,
                onClick: ({ key }) => {
                  if (key === 'account') void navigate('/account');
                  if (key === 'logout') logout.mutate();
                },
              }}
            >
              <Button type="text" data-testid="user-menu">
                <Flex align="center" gap={8}>
                  <Avatar size={24} icon={<UserOutlined />} />
                  <span>{me.displayName}</span>
                  <Tag style={{ marginInlineEnd: 0 }}>{t(`role.${me.role}`)}</Tag>
                  <DownOutlined style={{ fontSize: 10 }} />
                </Flex>
              </Button>
            </Dropdown>
          </Flex>
        </Layout.Header>
        <Layout.Content style={{ padding: 24 }}>
          {allowed ? (
            <Suspense fallback={<FullPageSpin />}>
              <Outlet />
            </Suspense>
          ) : (
            <Result status="403" title={t('forbidden.title')} subTitle={t('forbidden.description')} data-testid="forbidden" />
          )}
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
