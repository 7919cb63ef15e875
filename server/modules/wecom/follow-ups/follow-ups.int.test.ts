import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loginAs, setupRoot, type Caller } from '../../../../test/support/callers';
import { useTestApp } from '../../../../test/support/test-app';
import { callWeCom, connectSandboxCorp, listenForCallbacks, type ConnectedCorp } from '../../../../test/support/wecom-corp-kit';
import type { FollowUp, FollowUpOverview, FollowUpPage } from './follow-ups.schema';
import type { FollowUpWritten } from './follow-ups.service';

const t = useTestApp();
let base = '';

beforeAll(async () => {
  base = await listenForCallbacks(t().app);
});

async function call(caller: Caller, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object) {
  const response = await t().app.inject({ method, url, headers: caller.headers, ...(payload ? { payload } : {}) });
  const json = response.headers['content-type']?.toString().startsWith('application/json') ? response.json() : null;
  return { status: response.statusCode, body: json as Record<string, unknown> & { code?: string }, raw: response.rawPayload, headers: response.headers };
}

/** A Qiao user of a role, tied to WeCom members (member role) or scoped to departments (dept_admin). */
async function user(root: Caller, spec: { username: string; role: 'dept_admin' | 'member'; departmentScopes?: { accountId: string; departmentId: number }[]; wecomMembers?: { accountId: string; userid: string }[] }) {
  const password = `${spec.username}-password`;
  const created = await call(root, 'POST', '/api/v1/users', { displayName: spec.username, departmentScopes: [], wecomMembers: [], ...spec, password });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return loginAs(t().app, spec.username, password);
}

interface World {
  root: Caller;
  corp: ConnectedCorp;
  /** Follows user00001 (department 2). */
  c1: string;
  /** Follows user00002 (department 3). */
  c2: string;
  member1: Caller;
  admin3: Caller;
}

/**
 * A sandbox corp with departments 2 and 3 under the root and three members
 * (user00001 and user00003 in 2, user00002 in 3), mirrored into Qiao's
 * directory as a sync would; one customer each for user00001 and user00002.
 */
async function world(): Promise<World> {
  const root = await setupRoot(t().app);
  const corp = await connectSandboxCorp(t().app, base, root, { departments: 2, members: 3 });
  const { accountId } = corp;
  await t().app.wecomDepartments.service.upsertDepartments(
    null,
    accountId,
    [
      { id: 2, parentId: 1, name: '销售一部' },
      { id: 3, parentId: 1, name: '销售二部' },
    ],
    { origin: 'sync' },
  );
  for (const userid of ['user00001', 'user00002', 'user00003']) {
    const member = (await callWeCom(corp, 'contacts', 'GET', 'cgi-bin/user/get', undefined, { userid })) as { name: string; department: number[] };
    await t().app.wecomMembers.service.upsertMembers(
      null,
      accountId,
      [{ userid, name: member.name, status: 'active', departments: member.department.map((departmentId, i) => ({ departmentId, isMain: i === 0 })) }],
      { origin: 'sync' },
    );
  }
  const customer = async (userid: string) => {
    const created = await call(root, 'POST', `/sandbox/control/wecom-corps/${corp.corpId}/customers`, { count: 1, userid });
    expect(created.status).toBe(201);
    return (created.body.customers as { externalUserId: string }[])[0]!.externalUserId;
  };
  const c1 = await customer('user00001');
  const c2 = await customer('user00002');
  const member1 = await user(root, { username: 'sales1', role: 'member', wecomMembers: [{ accountId, userid: 'user00001' }] });
  const admin3 = await user(root, { username: 'lead3', role: 'dept_admin', departmentScopes: [{ accountId, departmentId: 3 }] });
  return { root, corp, c1, c2, member1, admin3 };
}

const followUps = (w: World, customer: string) => `/api/v1/wecom/${w.corp.accountId}/customers/${customer}/follow-ups`;
const later = (ms: number) => new Date(t().clock.now().getTime() + ms).toISOString();

async function sheetRows(raw: Buffer): Promise<string[][]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(raw as unknown as ArrayBuffer);
  const rows: string[][] = [];
  workbook.worksheets[0]!.eachRow((row) => rows.push((row.values as unknown[]).slice(1).map((v) => String(v ?? ''))));
  return rows;
}

function multipart(filename: string, content: Buffer) {
  const boundary = '----qiao-follow-up-test';
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`),
    content,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 1)]);

describe('follow-up records', () => {
  it('keeps member, dept-admin and super-admin scopes on every route', async () => {
    const w = await world();
    const { accountId } = w.corp;

    // A member writes on its own customer without naming itself; the customer's name comes from WeCom.
    const own = await call(w.member1, 'POST', followUps(w, w.c1), { note: '初次电话沟通，对 A 套餐感兴趣', stage: 'initial_contact' });
    expect(own.status, JSON.stringify(own.body)).toBe(201);
    const ownRecord = own.body as unknown as FollowUp;
    expect(ownRecord).toMatchObject({ userid: 'user00001', stage: 'initial_contact', createdBy: { userId: w.member1.userId } });
    expect(ownRecord.customerName).not.toBe('');

    // Someone else's customer: refused for the member, written by the dept admin of department 3.
    expect((await call(w.member1, 'POST', followUps(w, w.c2), { userid: 'user00002', note: '越权', stage: 'proposal' })).status).toBe(403);
    const theirs = await call(w.admin3, 'POST', followUps(w, w.c2), { userid: 'user00002', note: '已发报价单', stage: 'proposal' });
    expect(theirs.status, JSON.stringify(theirs.body)).toBe(201);
    const theirId = theirs.body.id as string;
    const deptRefused = await call(w.admin3, 'POST', followUps(w, w.c1), { userid: 'user00001', note: '越权', stage: 'proposal' });
    expect(deptRefused.body.code).toBe('FOLLOW_UP_OUT_OF_SCOPE');

    // Lists and search.
    const listed = async (caller: Caller, query = '') => ((await call(caller, 'GET', `/api/v1/wecom/${accountId}/follow-ups${query}`)).body as unknown as FollowUpPage).items.map((i) => i.userid);
    expect(await listed(w.member1)).toEqual(['user00001']);
    expect(await listed(w.admin3)).toEqual(['user00002']);
    expect((await listed(w.root)).sort()).toEqual(['user00001', 'user00002']);
    expect(await listed(w.root, '?q=报价')).toEqual(['user00002']);
    expect(await listed(w.root, '?departmentId=2')).toEqual(['user00001']);
    expect(await listed(w.root, '?stage=initial_contact')).toEqual(['user00001']);
    expect(await listed(w.admin3, '?userid=user00001')).toEqual([]);
    expect(((await call(w.member1, 'GET', followUps(w, w.c2))).body as unknown as FollowUpPage).items).toEqual([]);
    expect(((await call(w.root, 'GET', followUps(w, w.c2))).body as unknown as FollowUpPage).total).toBe(1);

    // One record: get, edit, history, delete.
    expect((await call(w.member1, 'GET', `${followUps(w, w.c2)}/${theirId}`)).status).toBe(404);
    expect((await call(w.member1, 'PATCH', `${followUps(w, w.c2)}/${theirId}`, { note: 'x' })).status).toBe(404);
    expect((await call(w.member1, 'DELETE', `${followUps(w, w.c2)}/${theirId}`)).status).toBe(404);
    expect((await call(w.admin3, 'PATCH', `${followUps(w, w.c1)}/${ownRecord.id}`, { note: 'x' })).body.code).toBe('FOLLOW_UP_OUT_OF_SCOPE');
    expect((await call(w.admin3, 'GET', `${followUps(w, w.c1)}/${ownRecord.id}/history`)).status).toBe(403);
    // The record's customer is part of its address.
    expect((await call(w.root, 'GET', `${followUps(w, w.c1)}/${theirId}`)).status).toBe(404);

    const edited = await call(w.admin3, 'PATCH', `${followUps(w, w.c2)}/${theirId}`, { note: '报价单已确认，等待合同', stage: 'negotiation' });
    expect(edited.status, JSON.stringify(edited.body)).toBe(200);
    expect(edited.body).toMatchObject({ revision: 2, stage: 'negotiation', updatedBy: { userId: w.admin3.userId } });
    const history = await call(w.root, 'GET', `${followUps(w, w.c2)}/${theirId}/history`);
    expect(history.body.items).toMatchObject([{ revision: 1, note: '已发报价单', stage: 'proposal', writtenBy: { userId: w.admin3.userId } }]);
    const audit = await call(w.root, 'GET', `/api/v1/audit-log?action=wecom.follow_ups.update`);
    expect(JSON.stringify(audit.body)).toContain(theirId);

    // Export: a member has no export permission; a dept admin exports its reach only.
    expect((await call(w.member1, 'GET', `/api/v1/wecom/${accountId}/follow-ups/export.xlsx`)).status).toBe(403);
    const exported = await call(w.admin3, 'GET', `/api/v1/wecom/${accountId}/follow-ups/export.xlsx`);
    expect(exported.status).toBe(200);
    const rows = await sheetRows(exported.raw);
    expect(rows).toHaveLength(2);
    expect(rows[0]![0]).toBe('客户');
    expect(rows[1]).toContain('user00002');
    expect(rows[1]).toContain('商务谈判');
    expect(await sheetRows((await call(w.root, 'GET', `/api/v1/wecom/${accountId}/follow-ups/export.xlsx`)).raw)).toHaveLength(3);

    // Overview: per member within reach.
    const overview = (caller: Caller) => call(caller, 'GET', `/api/v1/wecom/${accountId}/follow-ups/overview`).then((r) => r.body as unknown as FollowUpOverview);
    expect((await overview(w.admin3)).members.map((m) => m.userid)).toEqual(['user00002']);
    expect((await overview(w.member1)).members).toMatchObject([{ userid: 'user00001', written: 1 }]);
    expect((await overview(w.root)).totals.written).toBe(2);

    expect((await call(w.admin3, 'DELETE', `${followUps(w, w.c1)}/${ownRecord.id}`)).status).toBe(403);
    expect((await call(w.member1, 'DELETE', `${followUps(w, w.c1)}/${ownRecord.id}`)).status).toBe(204);
    expect((await call(w.root, 'GET', `${followUps(w, w.c1)}/${ownRecord.id}`)).status).toBe(404);
  });

  it('puts each record on its customer’s timeline, shown only to callers who may read the record', async () => {
    const w = await world();
    const { accountId } = w.corp;
    // c2 follows user00002 (department 3) and now user00001 (department 2) too: both admins' callers see the customer.
    const added = await call(w.root, 'POST', `/sandbox/control/wecom-corps/${w.corp.corpId}/customers/${w.c2}/add-member`, { userid: 'user00001' });
    expect(added.status, JSON.stringify(added.body)).toBe(200);
    await t().app.wecomCustomers.service.refreshFromWeCom(accountId, w.c2);

    const quote = await call(w.admin3, 'POST', followUps(w, w.c2), { userid: 'user00002', note: '已发报价单，\n客户要求九折', stage: 'proposal' });
    expect(quote.status, JSON.stringify(quote.body)).toBe(201);
    const secret = '私下沟通：预算上限三十万，决策人是王总，暂不要告诉其他同事。'.repeat(3);
    const own = await call(w.member1, 'POST', followUps(w, w.c2), { note: secret, stage: 'needs_confirmed' });
    expect(own.status, JSON.stringify(own.body)).toBe(201);
    const ownId = own.body.id as string;

    type Entry = { kind: string; userid: string | null; detail: Record<string, unknown> };
    const timeline = async (caller: Caller) => {
      const response = await call(caller, 'GET', `/api/v1/wecom/${accountId}/customers/${w.c2}`);
      expect(response.status, JSON.stringify(response.body)).toBe(200);
      return (response.body.timeline as Entry[]).filter((e) => e.kind === 'follow_up');
    };
    const excerpt = `${[...secret].slice(0, 60).join('')}…`;
    const ownEntry = { kind: 'follow_up', userid: 'user00001', detail: { followUpId: ownId, stage: 'needs_confirmed', excerpt } };
    const quoteEntry = { kind: 'follow_up', userid: 'user00002', detail: { followUpId: quote.body.id, stage: 'proposal', excerpt: '已发报价单， 客户要求九折' } };
    expect(await timeline(w.root)).toEqual([expect.objectContaining(ownEntry), expect.objectContaining(quoteEntry)]);
    // Each sees the customer, and only the records its follow-up list shows: not a word of the other member's.
    expect(await timeline(w.admin3)).toEqual([expect.objectContaining(quoteEntry)]);
    expect(JSON.stringify((await call(w.admin3, 'GET', `/api/v1/wecom/${accountId}/customers/${w.c2}`)).body)).not.toContain('预算');
    expect(await timeline(w.member1)).toEqual([expect.objectContaining(ownEntry)]);

    // The entry follows the record: an edit rewrites it, a deletion takes it away.
    expect((await call(w.member1, 'PATCH', `${followUps(w, w.c2)}/${ownId}`, { note: '客户确认需求：50 台', stage: 'proposal' })).status).toBe(200);
    expect(await timeline(w.member1)).toEqual([expect.objectContaining({ ...ownEntry, detail: { followUpId: ownId, stage: 'proposal', excerpt: '客户确认需求：50 台' } })]);
    expect((await call(w.member1, 'DELETE', `${followUps(w, w.c2)}/${ownId}`)).status).toBe(204);
    expect(await timeline(w.root)).toEqual([expect.objectContaining(quoteEntry)]);
  });

  it('checks the customer with WeCom and refuses bad input without writing', async () => {
    const w = await world();
    const missing = await call(w.root, 'POST', followUps(w, 'wmNoSuchCustomer000000000000000'), { userid: 'user00001', note: '记录', stage: 'initial_contact' });
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ code: 'FOLLOW_UP_CUSTOMER_NOT_FOUND', details: { errcode: 40096 } });
    const notFollowing = await call(w.root, 'POST', followUps(w, w.c1), { userid: 'user00002', note: '记录', stage: 'initial_contact' });
    expect(notFollowing.body.code).toBe('FOLLOW_UP_NOT_FOLLOWER');
    expect((await call(w.root, 'POST', followUps(w, w.c1), { userid: 'user00001', note: '记录', stage: 'closed' })).status).toBe(400);
    expect((await call(w.root, 'POST', followUps(w, w.c1), { userid: 'user00001', note: '   ', stage: 'won' })).status).toBe(400);
    expect((await call(w.root, 'POST', followUps(w, w.c1), { note: '谁的客户？', stage: 'won' })).body.code).toBe('FOLLOW_UP_MEMBER_REQUIRED');
    const past = await call(w.root, 'POST', followUps(w, w.c1), { userid: 'user00001', note: '记录', stage: 'won', nextContactAt: later(-60_000) });
    expect(past.body.code).toBe('FOLLOW_UP_REMINDER_IN_PAST');
    const range = await call(w.root, 'GET', `/api/v1/wecom/${w.corp.accountId}/follow-ups/overview?from=${later(0)}&to=${later(-1000)}`);
    expect(range.body.code).toBe('FOLLOW_UP_RANGE_INVALID');
    expect(((await call(w.root, 'GET', `/api/v1/wecom/${w.corp.accountId}/follow-ups`)).body as unknown as FollowUpPage).total).toBe(0);
  });

  it('sends the member one WeCom reminder when the next contact falls due, and counts due and overdue', async () => {
    const w = await world();
    const { accountId } = w.corp;
    const written: FollowUpWritten[] = [];
    const stop = t().app.wecomFollowUps.onFollowUpWritten((event) => void written.push(event));
    const created = await call(w.member1, 'POST', followUps(w, w.c1), { note: '约好下周演示', stage: 'needs_confirmed', nextContactAt: later(3_600_000) });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const id = created.body.id as string;
    expect(created.body).toMatchObject({ reminderStatus: 'due', reminder: { state: 'pending' } });
    const other = await call(w.root, 'POST', followUps(w, w.c2), { userid: 'user00002', note: '明天回访', stage: 'initial_contact', nextContactAt: later(86_400_000) });
    expect(other.status).toBe(201);
    stop();
    await new Promise((resolve) => setImmediate(resolve));
    expect(written.map((e) => [e.kind, e.userid, e.note])).toEqual([
      ['created', 'user00001', '约好下周演示'],
      ['created', 'user00002', '明天回访'],
    ]);

    const tick = () => t().app.wecomFollowUps.service.tick();
    expect(await tick()).toEqual({ sent: 0, failed: 0 });
    const due = await call(w.root, 'GET', `/api/v1/wecom/${accountId}/follow-ups?dueBefore=${encodeURIComponent(later(7_200_000))}`);
    expect((due.body as unknown as FollowUpPage).items.map((i) => i.id)).toEqual([id]);

    t().clock.advance(2 * 3_600_000);
    expect(await tick()).toEqual({ sent: 1, failed: 0 });
    expect(await tick()).toEqual({ sent: 0, failed: 0 });
    const inbox = await call(w.root, 'GET', `/sandbox/control/wecom-corps/${w.corp.corpId}/members/user00001/inbox`);
    const texts = (inbox.body.items as { msgtype: string; payload: { content?: string } }[]).filter((m) => m.msgtype === 'text');
    expect(texts).toHaveLength(1);
    expect(texts[0]!.payload.content).toContain(created.body.customerName as string);
    expect(texts[0]!.payload.content).toContain('约好下周演示');

    const after = await call(w.member1, 'GET', `${followUps(w, w.c1)}/${id}`);
    expect(after.body).toMatchObject({ reminderStatus: 'overdue', reminder: { state: 'sent', error: null } });
    const overdue = await call(w.admin3, 'GET', `/api/v1/wecom/${accountId}/follow-ups?overdue=true`);
    expect((overdue.body as unknown as FollowUpPage).items).toEqual([]);
    const allOverdue = (await call(w.root, 'GET', `/api/v1/wecom/${accountId}/follow-ups?overdue=true`)).body as unknown as FollowUpPage;
    expect([allOverdue.total, allOverdue.items.map((i) => i.id)]).toEqual([1, [id]]);
    const overview = (await call(w.root, 'GET', `/api/v1/wecom/${accountId}/follow-ups/overview`)).body as unknown as FollowUpOverview;
    expect(overview.members).toMatchObject([
      { userid: 'user00001', written: 1, due: 0, overdue: 1 },
      { userid: 'user00002', written: 1, due: 1, overdue: 0 },
    ]);

    // A newer record on the same customer replaces the open reminder; moving a time re-arms it.
    const next = await call(w.member1, 'POST', followUps(w, w.c1), { note: '演示完成', stage: 'proposal' });
    expect(next.status).toBe(201);
    expect((await call(w.member1, 'GET', `${followUps(w, w.c1)}/${id}`)).body.reminderStatus).toBe('none');
    const superseded = await call(w.member1, 'PATCH', `${followUps(w, w.c1)}/${id}`, { nextContactAt: later(30_000) });
    expect(superseded.body).toMatchObject({ reminderStatus: 'none', reminder: { state: 'cancelled' } });
    const moved = await call(w.root, 'PATCH', `${followUps(w, w.c2)}/${other.body.id as string}`, { nextContactAt: later(60_000) });
    expect(moved.body).toMatchObject({ reminder: { state: 'pending' }, revision: 2 });
    t().clock.advance(120_000);
    expect(await tick()).toEqual({ sent: 1, failed: 0 });
    const totals = ((await call(w.root, 'GET', `/api/v1/wecom/${accountId}/follow-ups/overview`)).body as unknown as FollowUpOverview).totals;
    expect(totals).toEqual({ written: 3, due: 0, overdue: 1 });
  });

  it('records a reminder WeCom would not deliver as failed, once', async () => {
    const w = await world();
    const created = await call(w.root, 'POST', followUps(w, w.c2), { userid: 'user00002', note: '回访', stage: 'won', nextContactAt: later(60_000) });
    expect(created.status).toBe(201);
    // The member left WeCom before the reminder fell due.
    expect((await callWeCom(w.corp, 'contacts', 'GET', 'cgi-bin/user/delete', undefined, { userid: 'user00002' })).errcode).toBe(0);
    t().clock.advance(120_000);
    expect(await t().app.wecomFollowUps.service.tick()).toEqual({ sent: 0, failed: 1 });
    expect(await t().app.wecomFollowUps.service.tick()).toEqual({ sent: 0, failed: 0 });
    const after = await call(w.root, 'GET', `${followUps(w, w.c2)}/${created.body.id as string}`);
    expect(after.body).toMatchObject({ reminder: { state: 'failed' } });
    expect((after.body.reminder as { error: string }).error).not.toBe('');
  });

  it('stores attachments within their type, size and count limits', async () => {
    const w = await world();
    const created = await call(w.member1, 'POST', followUps(w, w.c1), { note: '附上报价单', stage: 'proposal' });
    const url = `${followUps(w, w.c1)}/${created.body.id as string}/attachments`;
    const upload = (caller: Caller, filename: string, content: Buffer) => {
      const form = multipart(filename, content);
      return t().app.inject({ method: 'POST', url, headers: { ...caller.headers, ...form.headers }, payload: form.payload });
    };
    const stored = await upload(w.member1, '报价单.png', png);
    expect(stored.statusCode, stored.body).toBe(201);
    const attachment = stored.json() as { id: string; contentType: string; sizeBytes: number; filename: string };
    expect(attachment).toMatchObject({ contentType: 'image/png', sizeBytes: png.length, filename: '报价单.png' });

    expect((await upload(w.member1, 'page.html', Buffer.from('<html></html>'))).json().code).toBe('FOLLOW_UP_ATTACHMENT_TYPE');
    expect((await upload(w.member1, 'fake.pdf', png)).json().code).toBe('FOLLOW_UP_ATTACHMENT_CONTENT');
    const big = await upload(w.member1, 'big.txt', Buffer.alloc(10 * 1024 * 1024 + 1, 0x61));
    expect(big.statusCode).toBe(413);
    expect(big.json().code).toBe('FOLLOW_UP_ATTACHMENT_TOO_LARGE');
    expect((await upload(w.admin3, 'x.png', png)).statusCode).toBe(403);

    const downloaded = await t().app.inject({ method: 'GET', url: `${url}/${attachment.id}`, headers: w.member1.headers });
    expect(downloaded.statusCode).toBe(200);
    expect(downloaded.headers['content-type']).toBe('image/png');
    expect(downloaded.headers['x-content-type-options']).toBe('nosniff');
    expect(Buffer.compare(downloaded.rawPayload, png)).toBe(0);

    for (let i = 1; i < 9; i++) expect((await upload(w.member1, `note-${i}.txt`, Buffer.from(`第 ${i} 页`))).statusCode).toBe(201);
    expect((await upload(w.member1, 'tenth.txt', Buffer.from('多一个'))).json().code).toBe('FOLLOW_UP_ATTACHMENTS_FULL');
    const record = await call(w.member1, 'GET', `${followUps(w, w.c1)}/${created.body.id as string}`);
    expect((record.body.attachments as unknown[]).length).toBe(9);

    expect((await call(w.member1, 'DELETE', `${url}/${attachment.id}`)).status).toBe(204);
    expect((await call(w.member1, 'GET', `${url}/${attachment.id}`)).status).toBe(404);
  });
});
