import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callbackReceiver, controlHeaders, createCorpFixture, qy, upload, useWeComHarness } from '../../../test/support/wecom-sandbox-kit';

/** Steps wait here until the test runs them, so every job state can be seen. */
const queued: (() => Promise<void>)[] = [];
async function runAll(): Promise<void> {
  while (queued.length) await (queued.shift() as () => Promise<void>)();
}

describe('WeCom sandbox: batch import jobs', () => {
  const h = useWeComHarness({ schedule: (step) => queued.push(step) });
  const server = callbackReceiver();
  let url = '';

  beforeAll(async () => {
    url = await server.start();
  });
  afterAll(async () => {
    await server.stop();
  });

  async function corpWithCallback(body: Record<string, unknown> = {}) {
    queued.length = 0;
    const corp = await createCorpFixture(h(), body);
    const contacts = corp.receivers.find((r) => r.receiver === 'contacts');
    if (!contacts) throw new Error('no contacts receiver');
    await h().app.inject({ method: 'PATCH', url: `/sandbox/control/wecom-corps/${corp.corpId}/receivers/contacts`, headers: controlHeaders, payload: { callbackUrl: url } });
    server.use({ token: contacts.token, encodingAesKey: contacts.encodingAesKey, corpId: corp.corpId });
    return corp;
  }

  it('walks a syncuser job from queued (1) through running (2) to done (3) and announces batch_job_result', async () => {
    const corp = await corpWithCallback();
    const token = corp.tokens.contacts as string;
    const mediaId = await upload(h(), token, 'members.csv', '姓名,账号,手机号,邮箱,所在部门\n张三,zhangsan,13800000001,,1\n坏人,bad user,13800000002,,1\n李四,lisi,,lisi@example.com,1\n');
    const started = await qy(h(), token, 'POST', 'cgi-bin/batch/syncuser', { media_id: mediaId });
    expect(started).toMatchObject({ errcode: 0, jobid: expect.any(String) });
    const jobid = started.jobid as string;
    expect(await qy(h(), token, 'GET', 'cgi-bin/batch/getresult', undefined, { jobid })).toMatchObject({ status: 1, type: 'sync_user', total: 3, percentage: 0 });
    await (queued.shift() as () => Promise<void>)();
    const running = await qy(h(), token, 'GET', 'cgi-bin/batch/getresult', undefined, { jobid });
    expect(running).toMatchObject({ status: 2, type: 'sync_user', total: 3 });
    expect(running).not.toHaveProperty('result');
    await runAll();
    const done = await qy(h(), token, 'GET', 'cgi-bin/batch/getresult', undefined, { jobid });
    expect(done).toMatchObject({ status: 3, percentage: 100 });
    expect(done.result).toEqual([
      { userid: 'zhangsan', errcode: 0, errmsg: 'ok' },
      expect.objectContaining({ userid: 'bad user', errcode: 40003 }),
      { userid: 'lisi', errcode: 0, errmsg: 'ok' },
    ]);
    expect(server.received).toEqual([
      expect.objectContaining({ MsgType: 'event', Event: 'batch_job_result', BatchJob: { JobId: jobid, JobType: 'sync_user', ErrCode: '0', ErrMsg: 'ok' } }),
    ]);
    expect(await qy(h(), token, 'GET', 'cgi-bin/user/get', undefined, { userid: 'lisi' })).toMatchObject({ email: 'lisi@example.com' });
  });

  it('replaces members, deleting those missing from the file, and trips the delete protection (45026)', async () => {
    const corp = await corpWithCallback({ members: 20 });
    const token = corp.tokens.contacts as string;
    const keep = Array.from({ length: 12 }, (_, i) => `成员${i},user${String(i + 1).padStart(5, '0')},139${String(20_000_000 + i)}`).join('\n');
    const replace = await upload(h(), token, 'all.csv', `姓名,账号,手机号\n${keep}\n`);
    const job = await qy(h(), token, 'POST', 'cgi-bin/batch/replaceuser', { media_id: replace });
    await runAll();
    const done = await qy(h(), token, 'GET', 'cgi-bin/batch/getresult', undefined, { jobid: job.jobid as string });
    expect(done).toMatchObject({ status: 3, type: 'replace_user' });
    expect((done.result as { errmsg: string }[]).filter((r) => r.errmsg === 'deleted')).toHaveLength(8);
    expect(await qy(h(), token, 'GET', 'cgi-bin/user/get', undefined, { userid: 'user00020' })).toMatchObject({ errcode: 60111 });

    const two = await upload(h(), token, 'two.csv', '姓名,账号,手机号\n甲,user00001,13900000001\n');
    const tripped = await qy(h(), token, 'POST', 'cgi-bin/batch/replaceuser', { media_id: two });
    await runAll();
    expect(await qy(h(), token, 'GET', 'cgi-bin/batch/getresult', undefined, { jobid: tripped.jobid as string })).toMatchObject({ status: 3, result: [] });
    expect(server.received.at(-1)).toMatchObject({ BatchJob: { JobType: 'replace_user', ErrCode: '45026' } });
    expect(await qy(h(), token, 'GET', 'cgi-bin/user/get', undefined, { userid: 'user00008' })).toMatchObject({ errcode: 0 });
  });

  it('replaces the department tree', async () => {
    const corp = await corpWithCallback({ departments: 3 });
    const token = corp.tokens.contacts as string;
    const file = await upload(h(), token, 'parties.csv', '部门名称,部门ID,父部门ID,排序\n华东,10,1,5\n上海,11,10,1\n研发,2,1,9\n');
    const job = await qy(h(), token, 'POST', 'cgi-bin/batch/replaceparty', { media_id: file });
    await runAll();
    const done = await qy(h(), token, 'GET', 'cgi-bin/batch/getresult', undefined, { jobid: job.jobid as string });
    expect(done).toMatchObject({ status: 3, type: 'replace_party' });
    expect(done.result).toEqual(
      expect.arrayContaining([
        { action: 1, partyid: 10, errcode: 0, errmsg: 'ok' },
        { action: 2, partyid: 2, errcode: 0, errmsg: 'ok' },
        { action: 3, partyid: 3, errcode: 0, errmsg: 'ok' },
      ]),
    );
    const simple = await qy(h(), token, 'GET', 'cgi-bin/department/simplelist');
    expect((simple.department_id as { id: number }[]).map((d) => d.id).sort((a, b) => a - b)).toEqual([1, 2, 10, 11]);
  });

  it('refuses an unknown media (40007), a file without the required columns (40092) and an app secret (48002)', async () => {
    const corp = await corpWithCallback();
    const token = corp.tokens.contacts as string;
    expect(await qy(h(), token, 'POST', 'cgi-bin/batch/syncuser', { media_id: 'nope' })).toMatchObject({ errcode: 40007 });
    const bad = await upload(h(), token, 'bad.csv', '名字,手机\n张三,138\n');
    expect(await qy(h(), token, 'POST', 'cgi-bin/batch/syncuser', { media_id: bad })).toMatchObject({ errcode: 40092 });
    expect(await qy(h(), corp.tokens['1000002'] as string, 'POST', 'cgi-bin/batch/syncuser', { media_id: bad })).toMatchObject({ errcode: 48002 });
    expect(await qy(h(), token, 'GET', 'cgi-bin/batch/getresult', undefined, { jobid: 'nope' })).toMatchObject({ errcode: 40058 });
  });
});
