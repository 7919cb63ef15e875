import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callbackReceiver, controlHeaders, createCorpFixture, qy, useWeComHarness, type CorpFixture } from '../../../test/support/wecom-sandbox-kit';

describe('WeCom sandbox: approvals (审批)', () => {
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

  async function corpWithTemplate(): Promise<{ corp: CorpFixture; templateId: string }> {
    const corp = await createCorpFixture(h(), { departments: 2, members: 4 });
    const template = await control('POST', `/${corp.corpId}/approval-templates`, {
      name: '报销',
      controls: [
        { id: 'amount', control: 'Money', title: '金额', required: true },
        { id: 'reason', control: 'Textarea', title: '事由', required: false },
      ],
      approvers: [{ attr: 1, userid: ['user00004'] }],
    });
    expect(template.status).toBe(201);
    return { corp, templateId: template.json.templateId as string };
  }

  const application = (templateId: string, overrides: Record<string, unknown> = {}) => ({
    creator_userid: 'user00001',
    template_id: templateId,
    use_template_approver: 0,
    approver: [
      { attr: 2, userid: ['user00002', 'user00003'] },
      { attr: 1, userid: ['user00004'] },
    ],
    notifyer: ['user00004'],
    apply_data: { contents: [{ control: 'Money', id: 'amount', value: { new_money: '1280.50' } }] },
    summary_list: [{ summary_info: [{ text: '差旅报销', lang: 'zh_CN' }] }],
    ...overrides,
  });

  const apply = (corp: CorpFixture, body: unknown, as = '1000002') => qy(h(), corp.tokens[as] as string, 'POST', 'cgi-bin/oa/applyevent', body);

  it.each([
    ['an unknown template', (t: string) => application(t, { template_id: 'nope' }), 301025],
    ['an unknown applicant', (t: string) => application(t, { creator_userid: 'ghost' }), 40003],
    ['an unknown approver', (t: string) => application(t, { approver: [{ attr: 1, userid: ['ghost'] }] }), 40003],
    ['no approvers of its own', (t: string) => application(t, { approver: [] }), 301025],
    ['an approver mode other than 1 or 2', (t: string) => application(t, { approver: [{ attr: 3, userid: ['user00002'] }] }), 301025],
    ['a required control left out', (t: string) => application(t, { apply_data: { contents: [{ control: 'Textarea', id: 'reason', value: { text: '出差' } }] } }), 301025],
    ['a control of the wrong type', (t: string) => application(t, { apply_data: { contents: [{ control: 'Text', id: 'amount', value: { text: '1' } }] } }), 301025],
  ])('refuses an application with %s', async (_name, body, errcode) => {
    const { corp, templateId } = await corpWithTemplate();
    expect(await apply(corp, body(templateId))).toMatchObject({ errcode });
  });

  it('takes an app secret only', async () => {
    const { corp, templateId } = await corpWithTemplate();
    expect(await apply(corp, application(templateId), 'contacts')).toMatchObject({ errcode: 48002 });
  });

  it('runs the steps: all of a 会签 node, then any one of the next; each change pushes sys_approval_change', async () => {
    const { corp, templateId } = await corpWithTemplate();
    const app = corp.receivers.find((r) => r.receiver === '1000002');
    expect((await control('PATCH', `/${corp.corpId}/receivers/1000002`, { callbackUrl: url })).status).toBe(200);
    server.use({ token: app?.token as string, encodingAesKey: app?.encodingAesKey as string, corpId: corp.corpId });
    const applied = await apply(corp, application(templateId));
    expect(applied).toMatchObject({ errcode: 0, sp_no: expect.stringMatching(/^\d{12}$/) });
    const spNo = applied.sp_no as string;
    const decide = (userid: string, decision: 'approve' | 'reject', speech?: string) =>
      control('POST', `/${corp.corpId}/approvals/${spNo}/decisions`, { userid, decision, ...(speech ? { speech } : {}) });

    expect(await decide('user00004', 'approve')).toMatchObject({ status: 409, json: { code: 'SANDBOX_APPROVAL_NOT_APPROVER' } });
    expect(await decide('user00002', 'approve', '同意')).toMatchObject({ status: 200, json: { spStatus: 1 } });
    expect(await decide('user00003', 'approve')).toMatchObject({ status: 200, json: { spStatus: 1 } });
    expect(await decide('user00004', 'approve')).toMatchObject({ status: 200, json: { spStatus: 2 } });
    expect(await decide('user00004', 'approve')).toMatchObject({ status: 409, json: { code: 'SANDBOX_APPROVAL_CLOSED' } });

    const detail = await qy(h(), corp.tokens['1000002'] as string, 'POST', 'cgi-bin/oa/getapprovaldetail', { sp_no: spNo });
    expect(detail).toMatchObject({
      info: {
        sp_status: 2,
        sp_name: '报销',
        applyer: { userid: 'user00001' },
        notifyer: [{ userid: 'user00004' }],
        sp_record: [
          { sp_status: 2, approverattr: 2, details: [{ approver: { userid: 'user00002' }, speech: '同意', sp_status: 2 }, { sp_status: 2 }] },
          { sp_status: 2, approverattr: 1, details: [{ approver: { userid: 'user00004' }, sp_status: 2 }] },
        ],
      },
    });

    expect(await control('POST', `/${corp.corpId}/approvals/${spNo}/comments`, { userid: 'user00002', content: '发票已收到' })).toMatchObject({ status: 200 });
    expect(await control('POST', `/${corp.corpId}/approvals/${spNo}/withdraw`)).toMatchObject({ status: 200, json: { spStatus: 6 } });
    expect(await control('POST', `/${corp.corpId}/approvals/${spNo}/withdraw`)).toMatchObject({ status: 409 });

    const changes = server.received.map((m) => {
      const info = m.ApprovalInfo as Record<string, unknown>;
      return [m.Event, info.SpNo, info.SpStatus, info.StatuChangeEvent];
    });
    expect(changes).toEqual([
      ['sys_approval_change', spNo, '1', '1'],
      ['sys_approval_change', spNo, '1', '2'],
      ['sys_approval_change', spNo, '1', '2'],
      ['sys_approval_change', spNo, '2', '2'],
      ['sys_approval_change', spNo, '2', '10'],
      ['sys_approval_change', spNo, '6', '8'],
    ]);
  });

  it('ends an application at the first rejection and lets the applicant withdraw one in progress', async () => {
    const { corp, templateId } = await corpWithTemplate();
    const rejected = (await apply(corp, application(templateId))).sp_no as string;
    expect(await control('POST', `/${corp.corpId}/approvals/${rejected}/decisions`, { userid: 'user00003', decision: 'reject', speech: '金额不符' })).toMatchObject({ json: { spStatus: 3 } });
    const withdrawn = (await apply(corp, application(templateId, { use_template_approver: 1, approver: undefined }))).sp_no as string;
    expect(await control('POST', `/${corp.corpId}/approvals/${withdrawn}/withdraw`)).toMatchObject({ json: { spStatus: 4 } });
    const detail = await qy(h(), corp.tokens['1000002'] as string, 'POST', 'cgi-bin/oa/getapprovaldetail', { sp_no: withdrawn });
    expect(detail).toMatchObject({ info: { sp_status: 4, sp_record: [{ approverattr: 1, details: [{ approver: { userid: 'user00004' } }] }] } });
    expect(await qy(h(), corp.tokens['1000002'] as string, 'POST', 'cgi-bin/oa/getapprovaldetail', { sp_no: '209901010001' })).toMatchObject({ errcode: 301025 });
  });

  it('lists numbers in a range of at most 31 days, filtered and paged', async () => {
    const { corp, templateId } = await corpWithTemplate();
    const token = corp.tokens['1000002'] as string;
    const numbers: string[] = [];
    for (const creator of ['user00001', 'user00002', 'user00001']) numbers.push((await apply(corp, application(templateId, { creator_userid: creator }))).sp_no as string);
    await control('POST', `/${corp.corpId}/approvals/${numbers[1] as string}/decisions`, { userid: 'user00002', decision: 'reject' });
    const now = Math.floor(h().clock.now().getTime() / 1000);
    const list = (body: Record<string, unknown>) => qy(h(), token, 'POST', 'cgi-bin/oa/getapprovalinfo', { starttime: now - 3600, endtime: now + 3600, ...body });

    expect(await list({ endtime: now - 3600 })).toMatchObject({ errcode: 301025 });
    expect(await list({ starttime: now - 32 * 86_400 })).toMatchObject({ errcode: 301025 });
    expect(await list({ size: 101 })).toMatchObject({ errcode: 301025 });
    expect(await list({ filters: [{ key: 'creator', value: 'user00001' }, { key: 'creator', value: 'user00002' }] })).toMatchObject({ errcode: 301025 });
    expect(await list({ filters: [{ key: 'color', value: 'red' }] })).toMatchObject({ errcode: 301025 });

    expect(await list({})).toMatchObject({ sp_no_list: numbers, new_next_cursor: '' });
    expect(await list({ filters: [{ key: 'creator', value: 'user00001' }] })).toMatchObject({ sp_no_list: [numbers[0], numbers[2]] });
    expect(await list({ filters: [{ key: 'sp_status', value: '3' }] })).toMatchObject({ sp_no_list: [numbers[1]] });
    const first = await list({ size: 2 });
    expect(first).toMatchObject({ sp_no_list: numbers.slice(0, 2), new_next_cursor: expect.any(String) });
    expect(await list({ size: 2, new_cursor: first.new_next_cursor })).toMatchObject({ sp_no_list: numbers.slice(2), new_next_cursor: '' });
  });

  it('allows 600 calls a minute to getapprovalinfo (45009 after), as WeCom does', async () => {
    const { corp } = await corpWithTemplate();
    const now = Math.floor(h().clock.now().getTime() / 1000);
    const body = { starttime: now - 60, endtime: now };
    const errcodes: number[] = [];
    for (let i = 0; i < 601; i++) errcodes.push((await qy(h(), corp.tokens['1000002'] as string, 'POST', 'cgi-bin/oa/getapprovalinfo', body)).errcode);
    expect([...new Set(errcodes.slice(0, 600))]).toEqual([0]);
    expect(errcodes[600]).toBe(45009);
    h().clock.advance(61_000);
    expect((await qy(h(), corp.tokens['1000002'] as string, 'POST', 'cgi-bin/oa/getapprovalinfo', body)).errcode).toBe(0);
  });
});
