import { describe, expect, it } from 'vitest';
import { controlHeaders, createCorpFixture, qy, useWeComHarness } from '../../../test/support/wecom-sandbox-kit';
import { wecomCustomerRemark } from '../../wechat/wecom';

describe('externalcontact/remark in the WeCom sandbox', () => {
  const h = useWeComHarness();

  async function world() {
    const corp = await createCorpFixture(h(), { departments: 1, members: 2, customers: 0 });
    const created = await h().app.inject({ method: 'POST', url: `/sandbox/control/wecom-corps/${corp.corpId}/customers`, headers: controlHeaders, payload: { count: 1, userid: 'user00001' } });
    const customer = (created.json() as { customers: { externalUserId: string }[] }).customers[0]!.externalUserId;
    return { cc: corp.tokens['customer-contact'] as string, customer };
  }

  it('stores the remark, description and phone numbers, which externalcontact/get then answers', async () => {
    const { cc, customer } = await world();
    const body = { userid: 'user00001', external_userid: customer, remark: '王总', description: '老客户', remark_mobiles: ['13812341234'] };
    const answer = await qy(h(), cc, 'POST', 'cgi-bin/externalcontact/remark', body);
    expect(answer).toMatchObject({ errcode: 0 });
    expect(wecomCustomerRemark.response.safeParse(answer).success).toBe(true);
    expect(wecomCustomerRemark.request.safeParse(body).success).toBe(true);
    const got = await qy(h(), cc, 'GET', 'cgi-bin/externalcontact/get', undefined, { external_userid: customer });
    expect((got.follow_user as { remark: string; description: string }[])[0]).toMatchObject({ remark: '王总', description: '老客户', remark_mobiles: ['13812341234'] });
    await qy(h(), cc, 'POST', 'cgi-bin/externalcontact/remark', { userid: 'user00001', external_userid: customer, remark_mobiles: [''] });
    const cleared = await qy(h(), cc, 'GET', 'cgi-bin/externalcontact/get', undefined, { external_userid: customer });
    expect((cleared.follow_user as { remark_mobiles: string[] }[])[0]).toMatchObject({ remark: '王总', remark_mobiles: [] });
  });

  it('refuses what WeCom refuses: nothing given, too long, an unknown member, a member who does not follow the customer', async () => {
    const { cc, customer } = await world();
    const remark = (body: Record<string, unknown>) => qy(h(), cc, 'POST', 'cgi-bin/externalcontact/remark', { userid: 'user00001', external_userid: customer, ...body });
    expect((await remark({})).errcode).toBe(40058);
    expect((await remark({ remark: '一'.repeat(21) })).errcode).toBe(40058);
    expect((await remark({ description: 'd'.repeat(151) })).errcode).toBe(40058);
    expect((await remark({ remark_mobiles: ['call me'] })).errcode).toBe(40058);
    expect((await remark({ userid: 'nobody', remark: 'x' })).errcode).toBe(60111);
    expect((await remark({ userid: 'user00002', remark: 'x' })).errcode).toBe(84061);
    expect((await remark({ external_userid: 'wmUnknown', remark: 'x' })).errcode).toBe(40096);
    // [""] clears the numbers and is accepted.
    expect((await remark({ remark_mobiles: [''] })).errcode).toBe(0);
  });
});
