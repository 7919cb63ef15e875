import { describe, expect, it } from 'vitest';
import { setupRoot } from './callers';
import { useTestApp } from './test-app';
import { callWeCom, connectSandboxCorp, listenForCallbacks } from './wecom-corp-kit';

describe('the connected sandbox corp kit', () => {
  const t = useTestApp();
  it('connects a corp whose receivers push to Qiao and whose API answers with its secrets', async () => {
    const root = await setupRoot(t().app);
    const base = await listenForCallbacks(t().app);
    const corp = await connectSandboxCorp(t().app, base, root, { members: 3, customers: 2 });
    const corps = (await t().app.inject({ method: 'GET', url: '/sandbox/control/wecom-corps', headers: root.headers })).json() as {
      items: { corpId: string; receivers: { receiver: string; callbackUrl: string | null }[] }[];
    };
    const receivers = corps.items.find((c) => c.corpId === corp.corpId)?.receivers ?? [];
    expect(receivers.find((r) => r.receiver === 'customer-contact')?.callbackUrl).toBe(`${base}/wechat/wecom/${corp.accountId}/customer-contact/callback`);
    const users = await callWeCom(corp, 'contacts', 'GET', 'cgi-bin/department/list');
    expect(users.errcode).toBe(0);
    await t().app.close();
  });
});
