import { describe, expect, it } from 'vitest';
import { useTestApp } from '../../test/support/test-app';
import { setupRoot } from '../../test/support/callers';

describe('sandbox first boot', () => {
  const t = useTestApp();

  it('creates one sandbox Official Account with followers once, and it connects as an ordinary account', async () => {
    const { app } = t();
    const first = await app.sandbox.bootstrap({ population: 120 });
    const connection = first.officialAccount;
    expect(connection).toMatchObject({
      name: '沙箱公众号',
      appId: expect.stringMatching(/^wx[0-9a-f]{16}$/),
      appSecret: expect.stringMatching(/^[0-9a-f]{32}$/),
      encodingAesKey: expect.stringMatching(/^[A-Za-z0-9]{43}$/),
      encryptMode: 'safe',
      apiBaseUrl: `${t().config.publicBaseUrl}/sandbox/official-account`,
    });
    expect(await app.sandbox.bootstrap({ population: 120 })).toEqual({});

    // What main.ts does with the answer: connect it through the accounts module and point the sandbox at Qiao.
    const account = await app.accounts.service.create(null, { type: 'official_account', ...(connection as NonNullable<typeof connection>) }, { sandbox: true });
    await app.sandbox.setCallbackUrl(account.appId as string, account.callbacks[0]?.url as string);

    const root = await setupRoot(app);
    const listed = (await app.inject({ method: 'GET', url: '/sandbox/control/official-accounts', headers: root.headers })).json() as { items: { appId: string; callbackUrl: string; followersTotal: number }[] };
    expect(listed.items).toEqual([expect.objectContaining({ appId: connection?.appId, followersTotal: 120, callbackUrl: `${t().config.publicBaseUrl}/wechat/official-account/${account.id}/callback` })]);
    expect(account.sandbox).toBe(true);
  });
});
