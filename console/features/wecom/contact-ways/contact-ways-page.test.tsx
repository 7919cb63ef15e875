// @vitest-environment happy-dom
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { cleanup, render, screen } from '@testing-library/react';
import { App } from 'antd';
import { I18nextProvider } from 'react-i18next';
import { MemoryRouter } from 'react-router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { i18n } from '../../../app/i18n';
import { SessionProvider } from '../../../app/session';
import { ContactWaysPage } from './contact-ways-page';
import type { Me } from '../../../../server/modules/system/auth/auth.schema';
import type { ContactWay } from './contact-ways.api';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});
beforeEach(() => void i18n.changeLanguage('zh-CN'));

function code(configId: string, name: string, scene: ContactWay['scene']): ContactWay {
  return {
    configId,
    name,
    type: 'single',
    scene,
    style: scene === 'miniprogram' ? 1 : null,
    userids: ['zhangsan', 'lisi'],
    members: [
      { userid: 'zhangsan', name: '张三' },
      { userid: 'lisi', name: null },
    ],
    state: name,
    skipVerify: true,
    tagIds: [],
    welcomeMessage: null,
    isTemp: false,
    expiresInS: null,
    chatExpiresInS: null,
    expiresAt: null,
    qrCodeUrl: scene === 'qr' ? `https://wework.qpic.cn/${configId}.png` : null,
    addsTotal: 0,
    addsLast7Days: [0, 0, 0, 0, 0, 0, 0],
    createdAt: '2026-11-01T00:00:00.000Z',
    updatedAt: '2026-11-01T00:00:00.000Z',
  };
}

/** The page as the console shows it to `me`, with a fresh query cache. */
function renderPage(me: Me) {
  render(
    <I18nextProvider i18n={i18n}>
      <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
        <MemoryRouter>
          <SessionProvider me={me}>
            <App>
              <ContactWaysPage />
            </App>
          </SessionProvider>
        </MemoryRouter>
      </QueryClientProvider>
    </I18nextProvider>,
  );
}

describe('ContactWaysPage', () => {
  it('shows a mini-program button’s config id, the only thing a mini program can use it by, and no QR action for it', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async (input: string) => {
        const path = new URL(input, 'http://console.test').pathname;
        if (path === '/api/v1/accounts') return Response.json({ items: [{ id: 'acc', type: 'wecom', name: '桥科技', sandbox: false }], nextCursor: null });
        if (path.endsWith('/contact-ways/failed')) return Response.json({ items: [] });
        if (path.endsWith('/contact-ways')) return Response.json({ items: [code('cfgButton01', '商城客服', 'miniprogram'), code('cfgPoster01', '门店海报', 'qr')], nextCursor: null, total: 2 });
        return Response.json({});
      }),
    );
    const me: Me = { id: 'u1', username: 'root', displayName: '管理员', role: 'super_admin', departmentScopes: [], wecomMembers: [], permissions: ['wecom.customers.read'], authMethod: 'session' };
    renderPage(me);
    const shown = await screen.findAllByTestId('contact-way-config-id', {}, { timeout: 10_000 });
    expect(shown).toHaveLength(1);
    expect(shown[0]!.textContent).toContain('cfgButton01');
    expect(screen.getAllByRole('button', { name: '二维码' })).toHaveLength(1);
    // Members by their directory names; one the directory does not hold by userid.
    expect(screen.getAllByTestId('contact-way-members').map((e) => e.textContent)).toEqual(['张三, lisi', '张三, lisi']);
  });

  it('says which assignment rule rotates a code’s members, for a caller who may see the rules', async () => {
    const asked: string[] = [];
    vi.stubGlobal(
      'fetch',
      vi.fn(async (input: string) => {
        const path = new URL(input, 'http://console.test').pathname;
        asked.push(path);
        if (path === '/api/v1/accounts') return Response.json({ items: [{ id: 'acc', type: 'wecom', name: '桥科技', sandbox: false }], nextCursor: null });
        if (path.endsWith('/contact-ways/failed')) return Response.json({ items: [] });
        if (path.endsWith('/contact-ways')) return Response.json({ items: [code('cfgRotated1', '华东轮换', 'qr'), code('cfgPoster01', '门店海报', 'qr')], nextCursor: null, total: 2 });
        if (path.endsWith('/assignment-rules')) return Response.json({ items: [{ id: 'r1', name: '华东区', configId: 'cfgRotated1' }, { id: 'r2', name: '未绑定', configId: null }] });
        return Response.json({});
      }),
    );
    const me: Me = {
      id: 'u1',
      username: 'root',
      displayName: '管理员',
      role: 'super_admin',
      departmentScopes: [],
      wecomMembers: [],
      permissions: ['wecom.customers.read', 'wecom.customers.assign'],
      authMethod: 'session',
    };
    renderPage(me);
    const tags = await screen.findAllByTestId('contact-way-rule', {}, { timeout: 10_000 });
    expect(tags.map((tag) => tag.textContent)).toEqual(['由分配规则「华东区」轮换']);
    expect(asked.some((path) => path.endsWith('/assignment-rules'))).toBe(true);
  });
});
