import { describe, expect, it } from 'vitest';
import { controlHeaders, qy, useWeComHarness } from '../../../test/support/wecom-sandbox-kit';

describe('WeCom sandbox: the simulated world and its control API', () => {
  const h = useWeComHarness();

  it('bootstraps one corp on first boot with an app, contacts and customer contact, and nothing afterwards', async () => {
    const connection = await h().wecom.bootstrapWeCom(5);
    expect(connection?.receivers.map((r) => r.receiver)).toEqual(['1000002', 'contacts', 'customer-contact']);
    expect(connection?.apiBaseUrl).toMatch(/\/sandbox\/wecom$/);
    expect(await h().wecom.bootstrapWeCom(5)).toBeNull();
    const corps = await h().app.inject({ method: 'GET', url: '/sandbox/control/wecom-corps', headers: controlHeaders });
    const [corp] = (corps.json() as { items: { corpId: string; receivers: { receiver: string; secret: string }[] }[] }).items;
    expect(corp?.corpId).toBe(connection?.corpId);
    const secret = corp?.receivers.find((r) => r.receiver === 'contacts')?.secret as string;
    const token = (await h().app.inject({ method: 'GET', url: `/sandbox/wecom/cgi-bin/gettoken?corpid=${corp?.corpId}&corpsecret=${secret}` })).json() as { access_token: string };
    const departments = await qy(h(), token.access_token, 'GET', 'cgi-bin/department/simplelist');
    expect(departments.department_id).toHaveLength(13);
    const members = await qy(h(), token.access_token, 'POST', 'cgi-bin/user/list_id', { limit: 10_000 });
    expect(members.dept_user).toHaveLength(40);
    const templates = await h().app.inject({ method: 'GET', url: `/sandbox/control/wecom-corps/${corp?.corpId}/approval-templates`, headers: controlHeaders });
    expect((templates.json() as { items: { name: string }[] }).items.map((t) => t.name)).toEqual(['请假', '报销']);
  });

  it('generates members and customers in bulk for benchmarks', async () => {
    const created = await h().app.inject({ method: 'POST', url: '/sandbox/control/wecom-corps', headers: controlHeaders, payload: { departments: 50, members: 500, customers: 1000 } });
    expect(created.statusCode).toBe(201);
    const corpId = (created.json() as { corpId: string }).corpId;
    const more = await h().app.inject({ method: 'POST', url: `/sandbox/control/wecom-corps/${corpId}/populate`, headers: controlHeaders, payload: { members: 100, customers: 10 } });
    expect(more.json()).toMatchObject({ members: 100 });
    expect((more.json() as { customers: unknown[] }).customers).toHaveLength(10);
  });

  it('refuses the control API without the sandbox.control permission, and unknown corps', async () => {
    expect((await h().app.inject({ method: 'GET', url: '/sandbox/control/wecom-corps' })).statusCode).toBe(401);
    const missing = await h().app.inject({ method: 'GET', url: '/sandbox/control/wecom-corps/ww0/members/x/inbox', headers: controlHeaders });
    expect(missing.json()).toMatchObject({ code: 'SANDBOX_WECOM_CORP_NOT_FOUND' });
    const patch = await h().app.inject({ method: 'PATCH', url: '/sandbox/control/wecom-corps/ww0/receivers/contacts', headers: controlHeaders, payload: { callbackUrl: 'ftp://x' } });
    expect(patch.statusCode).toBe(400);
  });
});
