import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { beforeEach, describe, expect, it } from 'vitest';
import { loginAs, rootCredentials, setupRoot, type Caller } from '../../../../test/support/callers';
import { useTestApp } from '../../../../test/support/test-app';
import { callWeCom, connectSandboxCorp, listenForCallbacks, type ConnectedCorp } from '../../../../test/support/wecom-corp-kit';
import { buildWeChatXml, MessageCrypt, sealWeComPush } from '../../../wechat/core';
import { createCustomersRepository, type CustomerFilter, type CustomerReach } from './customers.repository';
import { wecomAssignmentSeenAdds } from '../assignment-rules';
import { wecomContactWayAdds, wecomWelcomeSends } from '../contact-ways';
import { wecomCustomerTagRuleRuns } from '../customer-tags';
import { wecomCustomerTransferItems, wecomCustomerTransfers } from '../customer-transfers';
import { wecomGroupChatJoins, wecomGroupChatMembers, wecomGroupChats } from '../group-chats';
import { wecomCustomers } from './customers.tables';

/** A JSON answer: the assertions below check its shape, so the type stays open. */
// oxlint-disable-next-line typescript/no-explicit-any
type Json = any;

const t = useTestApp({ startQueue: true, env: { QIAO_CUSTOMER_EXPORTS_PER_DAY: '2' } });

const EAST = 2;
const WEST = 3;

let root: Caller;
let corp: ConnectedCorp;
/** Sandbox members, sorted: a and b in 东区, c in 西区 (in Qiao's directory). */
let a: string;
let b: string;
let c: string;

async function call(caller: Caller, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown) {
  const response = await t().app.inject({ method, url, headers: caller.headers, ...(payload === undefined ? {} : { payload: payload as object }) });
  const json = String(response.headers['content-type'] ?? '').includes('json');
  return { status: response.statusCode, body: (json ? response.json() : null) as Json, raw: response };
}

const customers = (path = '') => `/api/v1/wecom/${corp.accountId}/customers${path}`;

async function sandboxCustomers(count: number, userid?: string): Promise<string[]> {
  const response = await call(root, 'POST', `/sandbox/control/wecom-corps/${corp.corpId}/customers`, { count, ...(userid ? { userid } : {}) });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return (response.body.customers as { externalUserId: string }[]).map((x) => x.externalUserId);
}

async function addMember(externalUserId: string, userid: string, state?: string) {
  const response = await call(root, 'POST', `/sandbox/control/wecom-corps/${corp.corpId}/customers/${externalUserId}/add-member`, { userid, ...(state ? { state } : {}) });
  expect(response.status, JSON.stringify(response.body)).toBe(200);
}

/** A change_external_contact push exactly as WeCom signs and encrypts it, delivered to Qiao's customer-contact URL. */
async function push(changeType: string, fields: Record<string, string>, createTime: number) {
  const receiver = corp.receivers.find((r) => r.receiver === 'customer-contact')!;
  const message = buildWeChatXml({
    ToUserName: corp.corpId,
    FromUserName: 'sys',
    CreateTime: createTime,
    MsgType: 'event',
    Event: 'change_external_contact',
    ChangeType: changeType,
    ...fields,
  });
  const sealed = sealWeComPush({
    message,
    token: receiver.token,
    crypt: new MessageCrypt({ currentKey: receiver.encodingAesKey, receiverId: corp.corpId }),
    toUserName: corp.corpId,
    timestamp: String(Math.floor(t().clock.now().getTime() / 1000)),
  });
  const response = await t().app.inject({
    method: 'POST',
    url: `/wechat/wecom/${corp.accountId}/customer-contact/callback?${new URLSearchParams(sealed.query).toString()}`,
    payload: sealed.body,
    headers: { 'content-type': 'text/xml' },
  });
  expect(response.statusCode, response.body).toBe(200);
}

/** Moves the clock on; the session of the day before has expired, so root signs in again. */
async function later(ms: number): Promise<void> {
  t().clock.advance(ms);
  root = await loginAs(t().app, rootCredentials.username, rootCredentials.password);
}

/** Polls for up to 20 s: a sync retried after WeCom's "busy" waits out the queue's 2 s retry delay, longer on a loaded machine. */
async function eventually<T>(read: () => Promise<T>, ok: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const value = await read();
    if (ok(value)) return value;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return read();
}

async function listIds(caller: Caller, query = ''): Promise<string[]> {
  const response = await call(caller, 'GET', customers(query ? `?${query}` : ''));
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  return (response.body.items as { externalUserId: string }[]).map((x) => x.externalUserId).sort();
}

async function getCustomer(caller: Caller, externalUserId: string) {
  return call(caller, 'GET', customers(`/${externalUserId}`));
}

async function user(username: string, role: 'dept_admin' | 'member', extra: Record<string, unknown>): Promise<Caller> {
  const password = `${username}-password-1`;
  const created = await call(root, 'POST', '/api/v1/users', { username, password, displayName: username, role, departmentScopes: [], ...extra });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return loginAs(t().app, username, password);
}

async function runSync(): Promise<Json> {
  const started = await call(root, 'POST', customers('/sync'));
  expect(started.status, JSON.stringify(started.body)).toBe(202);
  const job = await eventually(
    async () => (await call(root, 'GET', `/api/v1/jobs/${started.body.id}`)).body,
    (j) => ['succeeded', 'failed', 'cancelled'].includes(j.state),
  );
  expect(job.state, JSON.stringify(job)).toBe('succeeded');
  return job;
}

async function sheetRows(response: { raw: { rawPayload: Buffer } }): Promise<string[][]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(response.raw.rawPayload as unknown as ArrayBuffer);
  const rows: string[][] = [];
  workbook.worksheets[0]!.eachRow((row) => rows.push((row.values as unknown[]).slice(1).map((v) => String(v ?? ''))));
  return rows;
}

const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 1)]);

/** A follow-up record by member a on the customer, with a file attached, written through the API. */
async function followUpWithAttachment(externalUserId: string): Promise<void> {
  const created = await call(root, 'POST', customers(`/${externalUserId}/follow-ups`), { userid: a, note: '报价单已发送', stage: 'proposal' });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const boundary = '----qiao-purge-test';
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="报价单.png"\r\nContent-Type: application/octet-stream\r\n\r\n`),
    png,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  const uploaded = await t().app.inject({
    method: 'POST',
    url: customers(`/${externalUserId}/follow-ups/${created.body.id}/attachments`),
    headers: { ...root.headers, 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload,
  });
  expect(uploaded.statusCode, uploaded.body).toBe(201);
}

/**
 * What the other customer-contact modules keep about a customer, as their own
 * writes leave it: a welcome sent, an add through a 联系我 code, a part in a
 * transfer, a tag rule applied, a join of a group it has left since, an add
 * counted for assignment.
 */
async function recordsAbout(accountId: string, externalUserid: string): Promise<void> {
  const db = t().db.handle.db;
  const at = t().clock.now();
  await db.insert(wecomWelcomeSends).values({ accountId, welcomeCode: `code-${accountId}-${externalUserid}`, externalUserid, userid: a, status: 'sent', reason: 'default_message', eventAt: at, createdAt: at });
  await db.insert(wecomContactWayAdds).values({ accountId, configId: 'cfg-fair', externalUserid, userid: a, addedAtS: Math.floor(at.getTime() / 1000), day: '2026-11-27' });
  const [transfer] = await db.insert(wecomCustomerTransfers).values({ accountId, kind: 'on_duty', handoverUserid: a, takeoverUserid: b, createdAt: at }).returning();
  await db.insert(wecomCustomerTransferItems).values({ transferId: transfer!.id, accountId, kind: 'on_duty', handoverUserid: a, takeoverUserid: b, externalUserid, status: 'refused', finishedAt: at });
  await db.insert(wecomCustomerTagRuleRuns).values({ accountId, ruleId: randomUUID(), userid: a, externalUserId: externalUserid, status: 'applied', tagIds: ['etVip'], at });
  await db.insert(wecomGroupChatJoins).values({ accountId, chatId: 'wrFairGroup', userid: externalUserid, type: 2, joinedAt: at, joinScene: 3, state: 'fair' });
  await db.insert(wecomAssignmentSeenAdds).values({ accountId, userid: a, externalUserid, at });
}

/** What the database holds about a customer in an account; `liveGroup`, a group it is still in, is left out. */
async function recordCounts(accountId: string, externalUserid: string, liveGroup = ''): Promise<Record<string, number>> {
  const count = async (query: ReturnType<typeof sql>) => (await t().db.handle.db.execute<{ n: number }>(query)).rows[0]!.n;
  const mine = (table: string, column = 'external_userid') => sql`select count(*)::int as n from ${sql.identifier(table)} where account_id = ${accountId} and ${sql.identifier(column)} = ${externalUserid}`;
  const followUp = sql`(select id from wecom_follow_ups where account_id = ${accountId} and external_user_id = ${externalUserid})`;
  return {
    customers: await count(mine('wecom_customers')),
    follows: await count(mine('wecom_customer_follows')),
    events: await count(mine('wecom_customer_events')),
    followUps: await count(mine('wecom_follow_ups', 'external_user_id')),
    attachments: await count(sql`select count(*)::int as n from wecom_follow_up_attachments where follow_up_id in ${followUp}`),
    welcomeSends: await count(mine('wecom_welcome_sends')),
    contactWayAdds: await count(mine('wecom_contact_way_adds')),
    transferItems: await count(mine('wecom_customer_transfer_items')),
    tagRuleRuns: await count(mine('wecom_customer_tag_rule_runs', 'external_user_id')),
    groupChatJoins: await count(sql`select count(*)::int as n from wecom_group_chat_joins where account_id = ${accountId} and userid = ${externalUserid} and type = 2 and chat_id <> ${liveGroup}`),
    seenAdds: await count(mine('wecom_assignment_seen_adds')),
  };
}

beforeEach(async () => {
  root = await setupRoot(t().app);
  const base = await listenForCallbacks(t().app);
  corp = await connectSandboxCorp(t().app, base, root, { departments: 1, members: 3, customers: 0 });
  const ids = await callWeCom(corp, 'contacts', 'POST', 'cgi-bin/user/list_id', { limit: 100 });
  [a, b, c] = [...new Set((ids.dept_user as { userid: string }[]).map((u) => u.userid))].sort() as [string, string, string];
  await t().app.wecomDepartments.service.upsertDepartments(
    null,
    corp.accountId,
    [
      { id: EAST, parentId: 1, name: '东区' },
      { id: WEST, parentId: 1, name: '西区' },
    ],
    { origin: 'console' },
  );
  for (const [userid, department] of [
    [a, EAST],
    [b, EAST],
    [c, WEST],
  ] as const) {
    const created = await call(root, 'POST', `/api/v1/wecom/${corp.accountId}/members`, {
      userid,
      name: `成员${userid}`,
      email: `${userid.toLowerCase()}@example.com`,
      departments: [{ departmentId: department }],
    });
    if (created.status !== 201) throw new Error(`member ${userid}: ${created.status} ${JSON.stringify(created.body)}`);
  }
});

describe('sync from WeCom', () => {
  it('reads every customer and follow as a job, and a second run changes nothing', async () => {
    const ofA = await sandboxCustomers(2, a);
    const ofC = await sandboxCustomers(1, c);
    const job = await runSync();
    expect(job).toMatchObject({ total: 3, done: 3, result: { members: 3, follows: 3, ended: 0 } });
    expect(await listIds(root)).toEqual([...ofA, ...ofC].sort());
    const one = await getCustomer(root, ofA[0]!);
    expect(one.status).toBe(200);
    expect(one.body.followers).toMatchObject([{ userid: a, memberName: `成员${a}`, status: 'active' }]);
    expect(one.body.timeline.map((e: { kind: string }) => e.kind)).toEqual(['added']);

    t().clock.advance(1000);
    await runSync();
    const again = await getCustomer(root, ofA[0]!);
    expect(again.body.timeline).toHaveLength(1);
    expect(again.body.followers).toEqual(one.body.followers);
  });

  it('resumes from its checkpoint when WeCom is busy, writing each customer once', async () => {
    const ofA = await sandboxCustomers(120, a);
    // The member list is read and checkpointed, then the first batch/get_by_user answers "system busy": the run fails and the queue retries it from there.
    const armed = await call(root, 'POST', '/sandbox/control/faults', { product: 'wecom', path: 'cgi-bin/externalcontact/batch/get_by_user', errcode: -1, count: 1 });
    expect(armed.status).toBe(201);
    const job = await runSync();
    expect((await call(root, 'GET', '/sandbox/control/faults')).body.faults).toEqual([]);
    expect(job.result).toMatchObject({ members: 3, follows: 120, ended: 0 });
    const listed = await call(root, 'GET', customers('?limit=500&withTotal=true'));
    expect(listed.body.total).toBe(120);
    expect((listed.body.items as { externalUserId: string }[]).map((x) => x.externalUserId).sort()).toEqual([...ofA].sort());
    expect((await getCustomer(root, ofA[0]!)).body.timeline).toHaveLength(1);
  });
});

describe('callback events', () => {
  it('creates the customer on add_external_contact with the code state as source; three replays change nothing', async () => {
    const [id] = await sandboxCustomers(1);
    await addMember(id!, a, 'spring_fair');
    const created = await eventually(
      () => getCustomer(root, id!),
      (r) => r.status === 200,
    );
    expect(created.body).toMatchObject({ status: 'active', source: { state: 'spring_fair', userid: a } });
    expect(created.body.followers).toMatchObject([{ userid: a, state: 'spring_fair', addWay: 1, status: 'active' }]);

    const createTime = Math.floor(t().clock.now().getTime() / 1000);
    for (let i = 1; i <= 3; i++) await push('add_external_contact', { UserID: a, ExternalUserID: id!, State: 'spring_fair', WelcomeCode: `WC${i}` }, createTime + i);
    const replayed = await getCustomer(root, id!);
    expect(replayed.body.timeline.map((e: { kind: string }) => e.kind)).toEqual(['added']);
    expect(replayed.body.followers).toEqual(created.body.followers);
    expect(await listIds(root)).toEqual([id]);
  });

  it('ends the follow on del_external_contact and del_follow_user, once however often WeCom repeats them', async () => {
    const [one, two] = await sandboxCustomers(2, b);
    await runSync();
    const now = Math.floor(t().clock.now().getTime() / 1000);
    for (let i = 0; i < 3; i++) await push('del_external_contact', { UserID: b, ExternalUserID: one!, Source: 'DELETE_BY_TRANSFER' }, now + i);
    for (let i = 0; i < 3; i++) await push('del_follow_user', { UserID: b, ExternalUserID: two! }, now + i);

    const deleted = await getCustomer(root, one!);
    expect(deleted.body).toMatchObject({ status: 'lost', followers: [{ userid: b, status: 'deleted_by_member' }] });
    expect(deleted.body.purgeAfter).not.toBeNull();
    expect(deleted.body.timeline.map((e: { kind: string }) => e.kind)).toEqual(['deleted_by_member', 'added']);
    const left = await getCustomer(root, two!);
    expect(left.body).toMatchObject({ status: 'lost', followers: [{ userid: b, status: 'deleted_by_customer' }] });
    expect(left.body.timeline.filter((e: { kind: string }) => e.kind === 'deleted_by_customer')).toHaveLength(1);

    expect(await listIds(root)).toEqual([]);
    expect(await listIds(root, 'status=lost')).toEqual([one, two].sort());
  });

  it('records half-added customers and failed transfers on the timeline', async () => {
    const [id] = await sandboxCustomers(1, a);
    await runSync();
    const now = Math.floor(t().clock.now().getTime() / 1000);
    await push('add_half_external_contact', { UserID: b, ExternalUserID: id!, State: 'booth' }, now);
    await push('transfer_fail', { UserID: a, ExternalUserID: id!, FailReason: 'customer_refused' }, now + 1);
    await push('transfer_fail', { UserID: a, ExternalUserID: id!, FailReason: 'customer_refused' }, now + 1);
    const detail = await getCustomer(root, id!);
    expect(detail.body.timeline).toMatchObject([
      { kind: 'transfer_failed', userid: a, detail: { failReason: 'customer_refused' } },
      { kind: 'half_added', userid: b, detail: { state: 'booth' } },
      { kind: 'added' },
    ]);
    // Half-added is not a follow yet: b does not follow the customer.
    expect(detail.body.followers.map((f: { userid: string }) => f.userid)).toEqual([a]);
  });
});

describe('list filters', () => {
  it('filters by member, department subtree, source, added between and name', async () => {
    const ofA = await sandboxCustomers(1, a);
    const ofC = await sandboxCustomers(1, c);
    await runSync();
    t().clock.advance(2 * 3_600_000);
    const [viaCode] = await sandboxCustomers(1);
    await addMember(viaCode!, b, 'poster_a');
    await eventually(
      () => getCustomer(root, viaCode!),
      (r) => r.status === 200,
    );

    expect(await listIds(root, `userid=${a}`)).toEqual(ofA);
    expect(await listIds(root, `userid=${a.toUpperCase()}`)).toEqual(ofA);
    expect(await listIds(root, `departmentId=${EAST}`)).toEqual([...ofA, viaCode].sort());
    expect(await listIds(root, `departmentId=1`)).toEqual([...ofA, ...ofC, viaCode].sort());
    expect(await listIds(root, 'source=poster_a')).toEqual([viaCode]);
    const cutoff = new Date(t().clock.now().getTime() - 3_600_000).toISOString();
    expect(await listIds(root, `addedFrom=${encodeURIComponent(cutoff)}`)).toEqual([viaCode]);
    expect(await listIds(root, `addedTo=${encodeURIComponent(cutoff)}`)).toEqual([...ofA, ...ofC].sort());
    const named = (await getCustomer(root, ofC[0]!)).body.name as string;
    expect(await listIds(root, `q=${encodeURIComponent(named.slice(0, 2))}`)).toContain(ofC[0]);
    expect(await listIds(root, `q=${ofC[0]}`)).toEqual(ofC);

    const first = await call(root, 'GET', customers('?limit=2&withTotal=true'));
    expect(first.body.total).toBe(3);
    expect(first.body.items[0].externalUserId).toBe(viaCode);
    const second = await call(root, 'GET', customers(`?limit=2&cursor=${first.body.nextCursor}`));
    expect([...first.body.items, ...second.body.items].map((x: { externalUserId: string }) => x.externalUserId).sort()).toEqual([...ofA, ...ofC, viaCode].sort());
    expect(second.body.nextCursor).toBeNull();
    expect((await call(root, 'GET', customers('?cursor=nonsense'))).body.code).toBe('WECOM_CUSTOMER_CURSOR_INVALID');
  });

  it('finds the same customers by name, remark and external userid whether it looks the matches up or walks the list', async () => {
    const [named, remarked, other] = await sandboxCustomers(3, a);
    await runSync();
    const name = (await getCustomer(root, named!)).body.name as string;
    expect((await call(root, 'PATCH', customers(`/${remarked}`), { remark: `${name.slice(0, 2)}的同事` })).status).toBe(200);
    const db = t().db.handle.db;
    const filter = { accountId: corp.accountId, reach: { kind: 'all' } as const, status: 'active' as const };
    const ids = async (repository: ReturnType<typeof createCustomersRepository>, q: string) => (await repository.list({ ...filter, q }, null, 10)).map((r) => r.externalUserid).sort();
    const lookup = createCustomersRepository(db);
    const walk = createCustomersRepository(db, { searchLookupLimit: 0 });
    const expected = [named, remarked, ...((await getCustomer(root, other!)).body.name.includes(name.slice(0, 2)) ? [other] : [])].sort();
    for (const repository of [lookup, walk]) {
      expect(await ids(repository, name.slice(0, 2))).toEqual(expected);
      expect(await ids(repository, other!)).toEqual([other]);
      expect(await ids(repository, '查无此人')).toEqual([]);
      expect(await repository.count({ ...filter, q: name.slice(0, 2) })).toEqual({ total: expected.length, capped: false });
    }
  });

  it('finds a name or remark that contains the search anywhere, one character or more, taking % and _ literally', async () => {
    const db = t().db.handle.db;
    const at = new Date('2026-01-05T08:00:00Z');
    const people: [string, string, string][] = [
      ['wm_zhangwei', '张伟', ''],
      ['wm_wangxiaoming', '王小明', ''],
      ['wm_sunny', 'Sunny_Li', ''],
      ['wm_percent', '满100%返', ''],
      ['wm_remarked', '微信用户', '李伟介绍的老客户'],
      ['wm_other', '陈静', '普通客户'],
    ];
    for (const [id, name, remark] of people) {
      await db.execute(sql`insert into wecom_customers (account_id, external_userid, name, first_added_at, created_at, updated_at)
        values (${corp.accountId}, ${id}, ${name}, ${at.toISOString()}, now(), now())`);
      await db.execute(sql`insert into wecom_customer_follows (account_id, external_userid, userid, remark, added_at, seen_at, updated_at)
        values (${corp.accountId}, ${id}, ${a}, ${remark}, ${at.toISOString()}, now(), now())`);
      await createCustomersRepository(db).refreshCustomer(corp.accountId, id, at);
    }
    const filter = { accountId: corp.accountId, reach: { kind: 'all' } as const, status: 'active' as const };
    const ours = new Set(people.map(([id]) => id));
    const ids = async (repository: ReturnType<typeof createCustomersRepository>, q: string) =>
      (await repository.list({ ...filter, q }, null, 50)).map((r) => r.externalUserid).filter((id) => ours.has(id)).sort();
    for (const repository of [createCustomersRepository(db), createCustomersRepository(db, { searchLookupLimit: 0 })]) {
      // The given name alone, the middle of a name, a surname, a remark's middle.
      expect(await ids(repository, '伟')).toEqual(['wm_remarked', 'wm_zhangwei']);
      expect(await ids(repository, '小明')).toEqual(['wm_wangxiaoming']);
      expect(await ids(repository, '王')).toEqual(['wm_wangxiaoming']);
      expect(await ids(repository, '老客')).toEqual(['wm_remarked']);
      // Case does not matter; LIKE's wildcards in the search are plain characters.
      expect(await ids(repository, 'NY_L')).toEqual(['wm_sunny']);
      expect(await ids(repository, 'y_l')).toEqual(['wm_sunny']);
      expect(await ids(repository, 'nyxl')).toEqual([]);
      expect(await ids(repository, '0%')).toEqual(['wm_percent']);
      expect(await ids(repository, '1%0')).toEqual([]);
      // The characters' order counts (明小 is not 小明); the search is trimmed.
      expect(await ids(repository, '明小')).toEqual([]);
      expect(await ids(repository, '张伟 ')).toEqual(['wm_zhangwei']);
    }
    // The grams follow the rows: a renamed customer and an edited remark are found by their new text only.
    const repository = createCustomersRepository(db);
    await db.execute(sql`update wecom_customers set name = '赵霞' where account_id = ${corp.accountId} and external_userid = 'wm_zhangwei'`);
    await repository.setRemark(corp.accountId, 'wm_remarked', a, { remark: '王总的朋友' }, at);
    expect(await ids(repository, '伟')).toEqual([]);
    expect(await ids(repository, '霞')).toEqual(['wm_zhangwei']);
    expect(await ids(repository, '王总')).toEqual(['wm_remarked']);
    // A second member's remark is searched too, and a follow that ends keeps its remark searchable.
    await db.execute(sql`insert into wecom_customer_follows (account_id, external_userid, userid, remark, added_at, seen_at, updated_at, status, ended_at)
      values (${corp.accountId}, 'wm_other', 'someone_else', '展会认识', ${at.toISOString()}, now(), now(), 'deleted_by_member', now())`);
    await repository.refreshCustomer(corp.accountId, 'wm_other', at);
    expect(await ids(repository, '展会')).toEqual(['wm_other']);
    expect(await ids(repository, '普通')).toEqual(['wm_other']);
  });
});

describe('source and tag rows in list order', () => {
  /** What wecom_customer_keys must hold: a row per value of each customer's states and tag_ids, at its first-added time. */
  async function keysDrift(): Promise<unknown[]> {
    const db = t().db.handle.db;
    const drift = await db.execute(sql`
      (select account_id, kind, key, first_added_at, external_userid from wecom_customer_keys
       except (select account_id, 'source', s, first_added_at, external_userid from wecom_customers, unnest(states) s
               union all select account_id, 'tag', g, first_added_at, external_userid from wecom_customers, unnest(tag_ids) g))
      union all
      ((select account_id, 'source', s, first_added_at, external_userid from wecom_customers, unnest(states) s
        union all select account_id, 'tag', g, first_added_at, external_userid from wecom_customers, unnest(tag_ids) g)
       except select account_id, kind, key, first_added_at, external_userid from wecom_customer_keys)`);
    return drift.rows;
  }

  async function tagFollow(externalUserid: string, userid: string, tagIds: string[]): Promise<void> {
    const db = t().db.handle.db;
    await db.execute(sql`update wecom_customer_follows set tag_ids = ${`{${tagIds.join(',')}}`}::text[]
      where account_id = ${corp.accountId} and external_userid = ${externalUserid} and lower(userid) = lower(${userid})`);
    await createCustomersRepository(db).refreshCustomer(corp.accountId, externalUserid, t().clock.now());
  }

  it('keeps the rows in step with the customer and pages a source or a tag newest first for every caller', async () => {
    const [old] = await sandboxCustomers(1, a);
    await runSync();
    const viaCode: string[] = [];
    for (const [userid, state] of [
      [a, 'fair'],
      [c, 'fair'],
      [b, 'poster'],
      [c, 'fair'],
    ] as const) {
      t().clock.advance(60_000);
      const [id] = await sandboxCustomers(1);
      await addMember(id!, userid, state);
      await eventually(
        () => getCustomer(root, id!),
        (r) => r.status === 200,
      );
      viaCode.push(id!);
    }
    const [fairA, fairC1, posterB, fairC2] = viaCode as [string, string, string, string];
    await tagFollow(old!, a, ['etVip']);
    await tagFollow(fairC1, c, ['etVip', 'etNew']);
    await tagFollow(fairC2, c, ['etVip']);
    expect(await keysDrift()).toEqual([]);

    const db = t().db.handle.db;
    const west: CustomerReach = { kind: 'departments', departmentIds: [WEST] };
    const ways = [createCustomersRepository(db), createCustomersRepository(db, { broadDepartmentsShare: 0 }), createCustomersRepository(db, { broadDepartmentsShare: 0, rareKeyShare: 2 })];
    for (const repository of ways) {
      /** Every page of one row, in order: the keyset cursor runs on the walked rows. */
      const pages = async (filter: Partial<CustomerFilter>) => {
        const seen: string[] = [];
        let after: { firstAddedAt: Date; externalUserid: string } | null = null;
        for (;;) {
          const [row] = await repository.list({ accountId: corp.accountId, reach: { kind: 'all' }, status: 'active', ...filter }, after, 1);
          if (!row) return seen;
          seen.push(row.externalUserid);
          after = row;
        }
      };
      expect(await pages({ source: 'fair' })).toEqual([fairC2, fairC1, fairA]);
      expect(await pages({ source: 'fair', reach: west })).toEqual([fairC2, fairC1]);
      expect(await pages({ tagId: 'etVip' })).toEqual([fairC2, fairC1, old]);
      expect(await pages({ tagId: 'etVip', source: 'fair', departmentIds: [WEST] })).toEqual([fairC2, fairC1]);
      expect(await pages({ tagId: 'etNew', source: 'fair' })).toEqual([fairC1]);
      expect(await pages({ source: 'poster', departmentIds: [WEST] })).toEqual([]);
      expect(await pages({ source: 'poster', departmentIds: [EAST] })).toEqual([posterB]);
      expect(await pages({ source: 'fair', addedFrom: new Date(t().clock.now().getTime() - 150_000) })).toEqual([fairC2, fairC1]);
      expect(await repository.count({ accountId: corp.accountId, reach: { kind: 'all' }, status: 'active', source: 'fair' })).toEqual({ total: 3, capped: false });
    }
    expect(await listIds(await user('west-admin', 'dept_admin', { departmentScopes: [{ accountId: corp.accountId, departmentId: WEST }] }), 'source=fair')).toEqual([fairC1, fairC2].sort());
    expect(await listIds(root, 'tagId=etVip&source=fair')).toEqual([fairC1, fairC2].sort());

    // The list reads these rows: one taken away hides its customer from that source only.
    await db.execute(sql`delete from wecom_customer_keys where external_userid = ${fairA} and kind = 'source'`);
    expect(await listIds(root, 'source=fair')).toEqual([fairC1, fairC2].sort());
    expect(await keysDrift()).toHaveLength(1);
    await db.execute(sql`update wecom_customers set states = '{}' where external_userid = ${fairA}`);
    await db.execute(sql`update wecom_customers set states = '{fair}' where external_userid = ${fairA}`);
    expect(await keysDrift()).toEqual([]);

    // An earlier follow moves the customer back in time; an ended follow takes its tags away; the purge takes the rest.
    await db.execute(sql`update wecom_customer_follows set added_at = added_at - interval '1 day' where external_userid = ${fairC2}`);
    await createCustomersRepository(db).refreshCustomer(corp.accountId, fairC2, t().clock.now());
    expect(await keysDrift()).toEqual([]);
    expect(await listIds(root, 'source=fair')).toEqual([fairA, fairC1, fairC2].sort());
    expect((await call(root, 'GET', customers('?source=fair'))).body.items.map((x: { externalUserId: string }) => x.externalUserId)).toEqual([fairC1, fairA, fairC2]);
    await push('del_follow_user', { UserID: c, ExternalUserID: fairC1 }, Math.floor(t().clock.now().getTime() / 1000));
    expect(await listIds(root, 'tagId=etNew&status=all')).toEqual([]);
    expect(await listIds(root, 'source=fair&status=lost')).toEqual([fairC1]);
    expect(await keysDrift()).toEqual([]);
    await later(181 * 86_400_000);
    expect(await t().app.wecomCustomers.service.purgeExpired()).toMatchObject({ customers: 1 });
    expect(await keysDrift()).toEqual([]);
    const left = await db.execute<{ n: number }>(sql`select count(*)::int as n from wecom_customer_keys where external_userid = ${fairC1}`);
    expect(left.rows[0]?.n).toBe(0);
  });
});

describe('scopes', () => {
  it('leaves starting a sync to admins: a member is refused and no job starts', async () => {
    const memberA = await user('sales-a', 'member', { wecomMembers: [{ accountId: corp.accountId, userid: a }] });
    const westAdmin = await user('west-admin', 'dept_admin', { departmentScopes: [{ accountId: corp.accountId, departmentId: WEST }] });
    const syncJobs = async () => (await call(root, 'GET', '/api/v1/jobs?kind=wecom.customers.sync')).body.items as Json[];

    const refused = await call(memberA, 'POST', customers('/sync'));
    expect({ status: refused.status, body: refused.body }).toMatchObject({ status: 403, body: { code: 'FORBIDDEN', details: { permission: 'wecom.customers.manage' } } });
    expect(await syncJobs()).toEqual([]);

    const started = await call(westAdmin, 'POST', customers('/sync'));
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    const job = await eventually(
      async () => (await call(root, 'GET', `/api/v1/jobs/${started.body.id}`)).body,
      (j) => ['succeeded', 'failed', 'cancelled'].includes(j.state),
    );
    expect(job.state).toBe('succeeded');
    expect(await syncJobs()).toHaveLength(1);
  });

  it('shows a member only its own customers, a dept_admin its subtree’s, a super_admin all — on list, get and export', async () => {
    const ofA = await sandboxCustomers(1, a);
    const ofB = await sandboxCustomers(1, b);
    const ofC = await sandboxCustomers(1, c);
    await runSync();
    const memberA = await user('sales-a', 'member', { wecomMembers: [{ accountId: corp.accountId, userid: a }] });
    const westAdmin = await user('west-admin', 'dept_admin', { departmentScopes: [{ accountId: corp.accountId, departmentId: WEST }] });

    expect(await listIds(root)).toEqual([...ofA, ...ofB, ...ofC].sort());
    expect(await listIds(memberA)).toEqual(ofA);
    expect(await listIds(westAdmin)).toEqual(ofC);
    expect(await listIds(memberA, `userid=${c}`)).toEqual([]);

    expect((await getCustomer(memberA, ofA[0]!)).status).toBe(200);
    expect((await getCustomer(memberA, ofB[0]!)).body.code).toBe('WECOM_CUSTOMER_NOT_FOUND');
    expect((await getCustomer(westAdmin, ofA[0]!)).status).toBe(404);
    expect((await getCustomer(westAdmin, ofC[0]!)).status).toBe(200);
    expect((await call(memberA, 'PATCH', customers(`/${ofB[0]}`), { remark: '抢客户' })).status).toBe(404);

    const exported = await call(westAdmin, 'GET', customers('/export.xlsx'));
    expect(exported.status).toBe(200);
    const rows = await sheetRows(exported);
    expect(rows.slice(1).map((r) => r[1])).toEqual(ofC);
    // The member role has no export permission.
    expect((await call(memberA, 'GET', customers('/export.xlsx'))).status).toBe(403);
  });
});

describe('departments on the customer row', () => {
  it('keeps the department filter and a dept_admin’s reach right when a follow goes and when a member moves', async () => {
    const ofA = await sandboxCustomers(1, a);
    const ofC = await sandboxCustomers(1, c);
    const [shared] = await sandboxCustomers(1, a);
    await runSync();
    await addMember(shared!, c);
    await eventually(
      () => getCustomer(root, shared!),
      (r) => r.body.followers?.length === 2,
    );
    await user('west-admin', 'dept_admin', { departmentScopes: [{ accountId: corp.accountId, departmentId: WEST }] });
    await user('east-admin', 'dept_admin', { departmentScopes: [{ accountId: corp.accountId, departmentId: EAST }] });
    const signIn = (username: string) => loginAs(t().app, username, `${username}-password-1`);
    expect(await listIds(root, `departmentId=${EAST}`)).toEqual([...ofA, shared].sort());
    expect(await listIds(root, `departmentId=${WEST}`)).toEqual([...ofC, shared].sort());
    expect(await listIds(await signIn('west-admin'))).toEqual([...ofC, shared].sort());

    // c stops following the shared customer: a member who followed it before still counts, until the purge removes that follow.
    await push('del_external_contact', { UserID: c, ExternalUserID: shared! }, Math.floor(t().clock.now().getTime() / 1000));
    expect(await listIds(root, `departmentId=${WEST}`)).toEqual([...ofC, shared].sort());
    await later(181 * 86_400_000);
    expect(await t().app.wecomCustomers.service.purgeExpired()).toMatchObject({ follows: 1, customers: 0 });
    expect(await listIds(root, `departmentId=${WEST}`)).toEqual(ofC);
    const westAdmin = await signIn('west-admin');
    expect(await listIds(westAdmin)).toEqual(ofC);
    expect((await getCustomer(westAdmin, shared!)).status).toBe(404);

    // a moves from 东区 to 西区: its customers follow it.
    const moved = await call(root, 'PATCH', `/api/v1/wecom/${corp.accountId}/members/${a}`, { departments: [{ departmentId: WEST }] });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    expect(await listIds(root, `departmentId=${EAST}`)).toEqual([]);
    expect(await listIds(root, `departmentId=${WEST}`)).toEqual([...ofA, ...ofC, shared].sort());
    expect(await listIds(root, `departmentId=1&userid=${a}`)).toEqual([...ofA, shared].sort());
    expect(await listIds(westAdmin)).toEqual([...ofA, ...ofC, shared].sort());
    expect(await listIds(await signIn('east-admin'))).toEqual([]);
    expect((await getCustomer(westAdmin, ofA[0]!)).status).toBe(200);

    // Once analysed, 西区 holds most customers: the list tests department_ids on each row instead of reading the index, with the same answers.
    await t().db.handle.db.execute(sql`analyze wecom_customers`);
    expect(await listIds(root, `departmentId=${WEST}`)).toEqual([...ofA, ...ofC, shared].sort());
    expect(await listIds(root, `departmentId=${EAST}`)).toEqual([]);
    expect(await listIds(westAdmin, `userid=${c}`)).toEqual(ofC);
    expect(await listIds(westAdmin)).toEqual([...ofA, ...ofC, shared].sort());

    // Every way of planning the list answers the same: department sets read from the index or tested per row, matches walked or fetched and sorted.
    const db = t().db.handle.db;
    const ways = [
      createCustomersRepository(db, { broadDepartmentsShare: 2 }),
      createCustomersRepository(db, { broadDepartmentsShare: 0, rareKeyShare: 0 }),
      createCustomersRepository(db, { broadDepartmentsShare: 0, rareKeyShare: 2 }),
    ];
    const west: CustomerReach = { kind: 'departments', departmentIds: [WEST] };
    for (const repository of ways) {
      const ids = async (filter: Partial<CustomerFilter>) =>
        (await repository.list({ accountId: corp.accountId, reach: { kind: 'all' }, status: 'all', ...filter }, null, 10)).map((r) => r.externalUserid).sort();
      expect(await ids({ departmentIds: [WEST] })).toEqual([...ofA, ...ofC, shared].sort());
      expect(await ids({ reach: west, useridKey: c.toLowerCase() })).toEqual(ofC);
      expect(await ids({ reach: west, useridKey: a.toLowerCase(), status: 'active' })).toEqual([...ofA, shared].sort());
      expect(await ids({ departmentIds: [EAST], useridKey: a.toLowerCase() })).toEqual([]);
    }
  });

  it('counts the total up to a cap and says when there are more', async () => {
    await sandboxCustomers(3, a);
    await runSync();
    const listed = await call(root, 'GET', customers('?limit=1&withTotal=true'));
    expect(listed.body).toMatchObject({ total: 3, totalCapped: false });
    expect(listed.body.items).toHaveLength(1);
    expect((await call(root, 'GET', customers('?limit=1'))).body.total).toBeUndefined();
    const repository = createCustomersRepository(t().db.handle.db);
    const filter = { accountId: corp.accountId, reach: { kind: 'all' } as const, status: 'active' as const };
    expect(await repository.count(filter, 2)).toEqual({ total: 2, capped: true });
    expect(await repository.count(filter, 3)).toEqual({ total: 3, capped: false });
    expect(await repository.count({ ...filter, departmentIds: [EAST] }, 2)).toEqual({ total: 2, capped: true });
    expect(await repository.count({ ...filter, departmentIds: [WEST] }, 2)).toEqual({ total: 0, capped: false });
  });
});

describe('privacy', () => {
  it('writes remarks to WeCom and masks phone numbers unless the caller may see them', async () => {
    const [id] = await sandboxCustomers(1, c);
    await runSync();
    const edited = await call(root, 'PATCH', customers(`/${id}`), { remark: '王总', description: '华东大客户', remarkMobiles: ['13812341234'] });
    expect(edited.status, JSON.stringify(edited.body)).toBe(200);
    expect(edited.body.followers[0]).toMatchObject({ remark: '王总', description: '华东大客户', remarkMobiles: ['13812341234'] });
    const inWeCom = await callWeCom(corp, 'customer-contact', 'GET', 'cgi-bin/externalcontact/get', undefined, { external_userid: id! });
    expect((inWeCom.follow_user as { remark: string; description: string }[])[0]).toMatchObject({ remark: '王总', description: '华东大客户' });
    expect(edited.body.timeline[0]).toMatchObject({ kind: 'remark_updated', userid: c });

    const westAdmin = await user('west-admin', 'dept_admin', { departmentScopes: [{ accountId: corp.accountId, departmentId: WEST }] });
    expect((await getCustomer(westAdmin, id!)).body.followers[0].remarkMobiles).toEqual(['138****1234']);
    const listed = await call(westAdmin, 'GET', customers());
    expect(listed.body.items[0].followers[0].remarkMobiles).toEqual(['138****1234']);
    const rows = await sheetRows(await call(westAdmin, 'GET', customers('/export.xlsx')));
    expect(rows[1]).toContain('138****1234');
    expect(rows[1]).not.toContain('13812341234');

    const tooLong = await call(root, 'PATCH', customers(`/${id}`), { remark: '一二三四五六七八九十一二三四五六七八九十一' });
    expect(tooLong.body.code).toBe('WECOM_CUSTOMER_REMARK_TOO_LONG');
    expect((await call(root, 'PATCH', customers(`/${id}`), { remarkMobiles: ['call me'] })).body.code).toBe('WECOM_CUSTOMER_MOBILE_INVALID');
  });

  it('records consent and shows it', async () => {
    const [id] = await sandboxCustomers(1, a);
    await runSync();
    const consent = { givenAt: '2026-11-01T10:00:00+08:00', source: '门店登记表', note: '同意接收活动通知' };
    const saved = await call(root, 'PATCH', customers(`/${id}`), { consent });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    expect(saved.body.consent).toEqual({ givenAt: '2026-11-01T02:00:00.000Z', source: '门店登记表', note: '同意接收活动通知' });
    expect(saved.body.timeline[0].kind).toBe('consent_updated');
    const audit = await call(root, 'GET', '/api/v1/audit-log?limit=50');
    expect((audit.body.items as { action: string }[]).map((e) => e.action)).toContain('wecom.customer.consent');
  });

  it('caps exports per user per day, audits them, and counts again the next day', async () => {
    await sandboxCustomers(1, a);
    await runSync();
    expect((await call(root, 'GET', customers('/export.xlsx'))).status).toBe(200);
    expect((await call(root, 'GET', customers('/export.xlsx?userid=x'))).status).toBe(200);
    const refused = await call(root, 'GET', customers('/export.xlsx'));
    expect(refused.status).toBe(429);
    expect(refused.body.code).toBe('WECOM_CUSTOMER_EXPORT_LIMIT');
    expect(refused.body.details).toMatchObject({ limit: 2 });
    const audit = await call(root, 'GET', '/api/v1/audit-log?limit=50');
    const exports = (audit.body.items as { action: string; outcome: string }[]).filter((e) => e.action === 'wecom.customers.export');
    expect(exports.map((e) => e.outcome).sort()).toEqual(['ok', 'ok', 'refused']);
    await later(86_400_000);
    expect((await call(root, 'GET', customers('/export.xlsx'))).status).toBe(200);
  });

  it('purges a customer nobody follows once the retention period has passed, with every record about it in this account', async () => {
    const [kept, gone, back] = await sandboxCustomers(3, a);
    await runSync();
    // The same external userid in another company's account is another customer.
    const elsewhere = await connectSandboxCorp(t().app, corp.apiBaseUrl.replace(/\/sandbox\/wecom$/, ''), root, { departments: 1, members: 1, customers: 0, name: '另一家公司' });
    const now = t().clock.now();
    await t().db.handle.db.insert(wecomCustomers).values({ accountId: elsewhere.accountId, externalUserid: gone!, firstAddedAt: now, createdAt: now, updatedAt: now });
    for (const id of [kept!, gone!, back!]) {
      await followUpWithAttachment(id);
      await recordsAbout(corp.accountId, id);
    }
    await recordsAbout(elsewhere.accountId, gone!);
    // A group the customer is still in shows it as WeCom does; the next read of the group would write it back anyway.
    await t().db.handle.db.insert(wecomGroupChats).values({ accountId: corp.accountId, chatId: 'wrStillIn', name: '老客户群', owner: a, createdAt: now, syncedAt: now });
    await t().db.handle.db.insert(wecomGroupChatMembers).values({ accountId: corp.accountId, chatId: 'wrStillIn', userid: gone!, type: 2, joinedAt: now, joinScene: 1 });
    await t().db.handle.db.insert(wecomGroupChatJoins).values({ accountId: corp.accountId, chatId: 'wrStillIn', userid: gone!, type: 2, joinedAt: now, joinScene: 1 });
    await push('del_external_contact', { UserID: a, ExternalUserID: gone! }, Math.floor(now.getTime() / 1000));
    await push('del_follow_user', { UserID: a, ExternalUserID: back! }, Math.floor(now.getTime() / 1000));
    const before = await recordCounts(corp.accountId, gone!, 'wrStillIn');
    expect(Object.values(before).every((n) => n > 0), JSON.stringify(before)).toBe(true);
    const keptBefore = await recordCounts(corp.accountId, kept!);
    const backBefore = await recordCounts(corp.accountId, back!);
    await t().app.wecomCustomers.service.purgeExpired();
    expect((await getCustomer(root, gone!)).status).toBe(200);
    expect(await recordCounts(corp.accountId, gone!, 'wrStillIn')).toEqual(before);
    // Re-added before the retention period ran out: no longer due.
    await later(90 * 86_400_000);
    await addMember(back!, b);
    await eventually(
      () => getCustomer(root, back!),
      (r) => r.body.status === 'active',
    );

    await later(91 * 86_400_000);
    // All or nothing: a module failing to delete its records keeps the customer and everything else about it.
    const off = t().app.wecomCustomers.onCustomersPurged(async () => {
      throw new Error('disk full');
    });
    await expect(t().app.wecomCustomers.service.purgeExpired()).rejects.toThrow('disk full');
    off();
    expect(await recordCounts(corp.accountId, gone!, 'wrStillIn')).toEqual(before);
    expect(await t().app.wecomCustomers.service.purgeExpired()).toMatchObject({ customers: 1 });
    expect((await getCustomer(root, gone!)).status).toBe(404);
    expect((await getCustomer(root, kept!)).status).toBe(200);
    expect((await getCustomer(root, back!)).status).toBe(200);
    expect(await recordCounts(corp.accountId, gone!, 'wrStillIn')).toEqual(Object.fromEntries(Object.keys(before).map((k) => [k, 0])));
    const stillIn = await t().db.handle.db.execute<{ n: number }>(
      sql`select (select count(*) from wecom_group_chat_members where userid = ${gone!}) + (select count(*) from wecom_group_chat_joins where account_id = ${corp.accountId} and userid = ${gone!})::int as n`,
    );
    expect(Number(stillIn.rows[0]?.n)).toBe(2);
    expect(await recordCounts(corp.accountId, kept!)).toEqual(keptBefore);
    // The re-add brings records of its own (a follow, a timeline entry, perhaps a welcome); none of the earlier ones went.
    const backAfter = await recordCounts(corp.accountId, back!);
    for (const [k, n] of Object.entries(backBefore)) expect(backAfter[k], k).toBeGreaterThanOrEqual(n);
    const otherAccount = await recordCounts(elsewhere.accountId, gone!);
    expect(otherAccount).toMatchObject({ customers: 1, welcomeSends: 1, contactWayAdds: 1, transferItems: 1, tagRuleRuns: 1, groupChatJoins: 1, seenAdds: 1 });
    // Who did what stays in the audit log; the transfer itself stays too, only the customer's part in it goes.
    const audit = await call(root, 'GET', '/api/v1/audit-log?action=wecom.follow_ups.create');
    expect(audit.body.items).toHaveLength(3);
    const transfers = await t().db.handle.db.execute<{ n: number }>(sql`select count(*)::int as n from wecom_customer_transfers where account_id = ${corp.accountId}`);
    expect(transfers.rows[0]?.n).toBe(3);
  });
});
