import { describe, expect, it } from 'vitest';
import { loginAs, rootCredentials, setupRoot } from '../../../test/support/callers';
import { useTestApp } from '../../../test/support/test-app';
import { createOaFixture, wx } from '../testing/sandbox-kit';

describe('sandbox control: what the phone simulator reads', () => {
  const t = useTestApp();
  const root = () => setupRoot(t().app).catch(() => loginAs(t().app, rootCredentials.username, rootCredentials.password));

  it('lists current followers in OpenID order, page by page, without the unsubscribed', async () => {
    const f = await createOaFixture(t().app, root, { followers: 5 });
    const get = (query: string) =>
      t().app.inject({ method: 'GET', url: `/sandbox/control/official-accounts/${f.appId}/followers${query}`, headers: f.root.headers });
    const first = (await get('?limit=3')).json() as { items: { openId: string }[]; nextCursor: string | null; total: number };
    expect(first.items).toHaveLength(3);
    expect(first.total).toBe(5);
    const second = (await get(`?limit=3&cursor=${first.nextCursor}`)).json() as { items: { openId: string }[]; nextCursor: string | null };
    expect(second.items).toHaveLength(2);
    expect(second.nextCursor).toBeNull();
    const all = [...first.items, ...second.items].map((i) => i.openId);
    expect([...all].sort()).toEqual(all);

    const gone = all[0]!;
    await t().app.inject({ method: 'POST', url: `/sandbox/control/official-accounts/${f.appId}/followers/${gone}/unfollow`, headers: f.root.headers });
    const after = (await get('?limit=10')).json() as { items: { openId: string }[] };
    expect(after.items.map((i) => i.openId)).not.toContain(gone);
  });

  it('shows a follower the published menu, and an empty one before anything is published', async () => {
    const f = await createOaFixture(t().app, root, { followers: 1 });
    const openId = (((await wx(t().app, f, 'GET', 'cgi-bin/user/get')).json.data as { openid: string[] }).openid)[0]!;
    const menuOf = async () =>
      (await t().app.inject({ method: 'GET', url: `/sandbox/control/official-accounts/${f.appId}/followers/${openId}/menu`, headers: f.root.headers })).json() as {
        button: { name: string }[];
      };
    expect((await menuOf()).button).toEqual([]);
    const created = await wx(t().app, f, 'POST', 'cgi-bin/menu/create', { button: [{ type: 'click', name: '产品', key: 'PRODUCTS' }] });
    expect(created.json).toMatchObject({ errcode: 0 });
    expect((await menuOf()).button.map((b) => b.name)).toEqual(['产品']);
  });

  it('needs sandbox.control', async () => {
    const response = await t().app.inject({ method: 'GET', url: '/sandbox/control/official-accounts/wx0000000000000000/followers' });
    expect(response.statusCode).toBe(401);
  });
});
