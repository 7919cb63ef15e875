import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callbackReceiver, controlHeaders, createCorpFixture, qy, useWeComHarness, type CorpFixture } from '../../../test/support/wecom-sandbox-kit';

const DAY = 86_400_000;

describe('WeCom sandbox: customer transfers (在职继承, 离职继承)', () => {
  const h = useWeComHarness();
  const server = callbackReceiver();
  let url = '';

  beforeAll(async () => {
    url = await server.start();
  });
  afterAll(async () => {
    await server.stop();
  });

  async function control(method: 'GET' | 'POST' | 'PATCH', path: string, payload?: unknown) {
    const response = await h().app.inject({ method, url: `/sandbox/control/wecom-corps${path}`, headers: controlHeaders, ...(payload === undefined ? {} : { payload: payload as object }) });
    return { status: response.statusCode, json: response.json() as Record<string, unknown> };
  }

  async function customersOf(corp: CorpFixture, userid: string, count: number): Promise<string[]> {
    const created = await control('POST', `/${corp.corpId}/customers`, { count, userid });
    expect(created.status).toBe(201);
    return (created.json.customers as { externalUserId: string }[]).map((c) => c.externalUserId);
  }

  /** A fresh token: moving the clock by a day outlives the one fetched at the start. */
  async function token(corp: CorpFixture): Promise<string> {
    const answer = await h().app.inject({ method: 'GET', url: `/sandbox/wecom/cgi-bin/gettoken?corpid=${corp.corpId}&corpsecret=${corp.secret('customer-contact')}` });
    return (answer.json() as { access_token: string }).access_token;
  }

  async function call(corp: CorpFixture, path: string, body: unknown) {
    return qy(h(), await token(corp), 'POST', `cgi-bin/externalcontact/${path}`, body);
  }

  async function followers(corp: CorpFixture, externalUserId: string): Promise<string[]> {
    const answer = await qy(h(), await token(corp), 'GET', 'cgi-bin/externalcontact/get', undefined, { external_userid: externalUserId });
    return (answer.follow_user as { userid: string }[]).map((f) => f.userid);
  }

  it('moves a customer to the takeover member 24 hours after an on-duty transfer, and names each refusal', async () => {
    const corp = await createCorpFixture(h(), { departments: 1, members: 3 });
    const [a, b] = await customersOf(corp, 'user00001', 2);
    const answer = await call(corp, 'transfer_customer', {
      handover_userid: 'user00001',
      takeover_userid: 'user00002',
      external_userid: [a, b, 'wmUnknownCustomer'],
      transfer_success_msg: '您好，我是新的客户经理',
    });
    expect(answer).toMatchObject({ errcode: 0, customer: [{ external_userid: a, errcode: 0 }, { external_userid: b, errcode: 0 }, { external_userid: 'wmUnknownCustomer', errcode: 40096 }] });
    const again = await call(corp, 'transfer_customer', { handover_userid: 'user00001', takeover_userid: 'user00003', external_userid: [a] });
    expect(again.customer).toEqual([{ external_userid: a, errcode: 40129 }]);

    const waiting = await call(corp, 'transfer_result', { handover_userid: 'user00001', takeover_userid: 'user00002' });
    expect((waiting.customer as { status: number }[]).map((c) => c.status)).toEqual([2, 2]);
    expect(await followers(corp, a as string)).toEqual(['user00001']);

    h().clock.advance(DAY + 1000);
    const done = await call(corp, 'transfer_result', { handover_userid: 'user00001', takeover_userid: 'user00002' });
    expect(done.customer).toMatchObject([{ external_userid: a, status: 1 }, { external_userid: b, status: 1 }]);
    expect(await followers(corp, a as string)).toEqual(['user00002']);

    expect(await call(corp, 'transfer_customer', { handover_userid: 'user00002', takeover_userid: 'user00002', external_userid: [a] })).toMatchObject({ errcode: 40130 });
    expect((await call(corp, 'transfer_customer', { handover_userid: 'user00001', takeover_userid: 'user00003', external_userid: [a] })).customer).toEqual([
      { external_userid: a, errcode: 40131 },
    ]);
    expect(await call(corp, 'transfer_customer', { handover_userid: 'user00002', takeover_userid: 'user00003', external_userid: Array.from({ length: 101 }, (_, i) => `wm${i}`) })).toMatchObject({
      errcode: 40058,
    });
  });

  it('refuses a third transfer of a customer within 90 days (40128)', async () => {
    const corp = await createCorpFixture(h(), { departments: 1, members: 3 });
    const [a] = await customersOf(corp, 'user00001', 1);
    for (const [from, to] of [
      ['user00001', 'user00002'],
      ['user00002', 'user00003'],
    ]) {
      expect((await call(corp, 'transfer_customer', { handover_userid: from, takeover_userid: to, external_userid: [a] })).customer).toEqual([{ external_userid: a, errcode: 0 }]);
      h().clock.advance(DAY + 1000);
    }
    expect((await call(corp, 'transfer_customer', { handover_userid: 'user00003', takeover_userid: 'user00001', external_userid: [a] })).customer).toEqual([
      { external_userid: a, errcode: 40128 },
    ]);
    h().clock.advance(89 * DAY);
    expect((await call(corp, 'transfer_customer', { handover_userid: 'user00003', takeover_userid: 'user00001', external_userid: [a] })).customer).toEqual([
      { external_userid: a, errcode: 0 },
    ]);
  });

  it('lets the customer refuse, pushing transfer_fail (customer_refused)', async () => {
    const corp = await createCorpFixture(h(), { departments: 1, members: 3 });
    const keys = corp.receivers.find((r) => r.receiver === 'customer-contact');
    expect((await control('PATCH', `/${corp.corpId}/receivers/customer-contact`, { callbackUrl: url })).status).toBe(200);
    server.use({ token: keys?.token as string, encodingAesKey: keys?.encodingAesKey as string, corpId: corp.corpId });
    const [a] = await customersOf(corp, 'user00001', 1);
    await call(corp, 'transfer_customer', { handover_userid: 'user00001', takeover_userid: 'user00002', external_userid: [a] });
    const refused = await control('POST', `/${corp.corpId}/customers/${a}/refuse-transfer`);
    expect(refused).toMatchObject({ status: 200, json: { status: 3, takeoverUserid: 'user00002' } });
    expect(server.received).toMatchObject([{ Event: 'change_external_contact', ChangeType: 'transfer_fail', FailReason: 'customer_refused', UserID: 'user00002', ExternalUserID: a }]);
    expect(await control('POST', `/${corp.corpId}/customers/${a}/refuse-transfer`)).toMatchObject({ status: 409, json: { code: 'SANDBOX_WECOM_TRANSFER_NOT_PENDING' } });
    h().clock.advance(2 * DAY);
    expect((await call(corp, 'transfer_result', { handover_userid: 'user00001', takeover_userid: 'user00002' })).customer).toMatchObject([{ external_userid: a, status: 3 }]);
    expect(await followers(corp, a as string)).toEqual(['user00001']);
  });

  it('lists a departed member’s customers as unassigned and hands them over (离职继承)', async () => {
    const corp = await createCorpFixture(h(), { departments: 1, members: 3 });
    const ids = await customersOf(corp, 'user00003', 3);
    const early = await call(corp, 'resigned/transfer_customer', { handover_userid: 'user00003', takeover_userid: 'user00002', external_userid: ids });
    expect((early.customer as { errcode: number }[]).map((c) => c.errcode)).toEqual([40097, 40097, 40097]);
    expect(await control('POST', `/${corp.corpId}/members/user00003/resign`)).toMatchObject({ status: 200, json: { userid: 'user00003', unassignedCustomers: 3 } });

    const first = await call(corp, 'get_unassigned_list', { page_size: 2 });
    expect(first).toMatchObject({ errcode: 0, is_last: false });
    const second = await call(corp, 'get_unassigned_list', { page_size: 2, cursor: first.next_cursor });
    const listed = [...(first.info as { external_userid: string; handover_userid: string }[]), ...(second.info as { external_userid: string; handover_userid: string }[])];
    expect(second.is_last).toBe(true);
    expect(listed.map((i) => i.external_userid).sort()).toEqual([...ids].sort());
    expect(listed.every((i) => i.handover_userid === 'user00003')).toBe(true);

    const started = await call(corp, 'resigned/transfer_customer', { handover_userid: 'user00003', takeover_userid: 'user00002', external_userid: ids.slice(0, 2) });
    expect((started.customer as { errcode: number }[]).map((c) => c.errcode)).toEqual([0, 0]);
    expect(((await call(corp, 'get_unassigned_list', {})).info as unknown[]).length).toBe(1);
    h().clock.advance(DAY + 1000);
    const result = await call(corp, 'resigned/transfer_result', { handover_userid: 'user00003', takeover_userid: 'user00002' });
    expect((result.customer as { status: number }[]).map((c) => c.status)).toEqual([1, 1]);
    expect(await followers(corp, ids[0] as string)).toEqual(['user00002']);
    expect(((await call(corp, 'get_unassigned_list', {})).info as { external_userid: string }[]).map((i) => i.external_userid)).toEqual([ids[2]]);
  });
});
