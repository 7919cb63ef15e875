import { describe, expect, it } from 'vitest';
import { loginAs, rootCredentials, setupRoot } from '../../../test/support/callers';
import { useTestApp } from '../../../test/support/test-app';
import { createOaFixture, refreshToken, wx, type OaFixture } from '../testing/sandbox-kit';

const boundary = '----publishBoundary';
const jpeg = Buffer.concat([
  Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="media"; filename="cover.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`),
  Buffer.from('ffd8ffe000104a464946', 'hex'),
  Buffer.from(`\r\n--${boundary}--\r\n`),
]);

/** A Beijing calendar day `offset` days from the clock's now. */
function beijingDay(now: Date, offset: number): string {
  return new Date(now.getTime() + 8 * 3_600_000 + offset * 86_400_000).toISOString().slice(0, 10);
}

describe('sandbox Official Account: drafts, publishing and analytics', () => {
  const t = useTestApp();
  const root = () => setupRoot(t().app).catch(() => loginAs(t().app, rootCredentials.username, rootCredentials.password));
  const call = (f: OaFixture, path: string, body?: unknown, method: 'GET' | 'POST' = 'POST') => wx(t().app, f, method, path, body);
  const control = (f: OaFixture, path: string, payload?: object) =>
    t().app.inject({ method: 'POST', url: `/sandbox/control/official-accounts/${f.appId}/${path}`, headers: f.root.headers, ...(payload ? { payload } : {}) });

  async function cover(f: OaFixture): Promise<string> {
    const uploaded = await t().app.inject({
      method: 'POST',
      url: `/sandbox/official-account/cgi-bin/media/upload?access_token=${f.accessToken}&type=thumb`,
      payload: jpeg,
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    });
    return (uploaded.json() as { media_id: string }).media_id;
  }

  const article = (thumb: string, overrides: Record<string, unknown> = {}) => ({ title: '春季新品', author: '市场部', content: '<p>新品上市，欢迎选购。</p>', thumb_media_id: thumb, ...overrides });

  it.each([
    ['a 33-character title', { title: '标'.repeat(33) }, 45003],
    ['a 17-character author', { author: '作'.repeat(17) }, 45110],
    ['a 129-character digest', { digest: '摘'.repeat(129) }, 45004],
    ['an over-long source URL', { content_source_url: `https://example.com/${'a'.repeat(1010)}` }, 45005],
    ['empty content', { content: '<script>alert(1)</script>' }, 44003],
    ['content of 20,000 characters', { content: '字'.repeat(20_000) }, 45002],
    ['no cover', { thumb_media_id: undefined }, 41006],
    ['an unknown cover', { thumb_media_id: 'nope' }, 40007],
  ])('refuses a draft with %s', async (_name, overrides, errcode) => {
    const f = await createOaFixture(t().app, root);
    const thumb = await cover(f);
    expect((await call(f, 'cgi-bin/draft/add', { articles: [article(thumb, overrides)] })).json).toMatchObject({ errcode });
    expect((await call(f, 'cgi-bin/draft/count', undefined, 'GET')).json).toMatchObject({ total_count: 0 });
  });

  it('keeps drafts of at most 8 articles, strips scripts, fills a single article’s digest, pages and updates them', async () => {
    const f = await createOaFixture(t().app, root);
    const thumb = await cover(f);
    expect((await call(f, 'cgi-bin/draft/add', { articles: Array.from({ length: 9 }, () => article(thumb)) })).json).toMatchObject({ errcode: 45008 });
    expect((await call(f, 'cgi-bin/draft/add', { articles: [] })).json).toMatchObject({ errcode: 44003 });
    const added = (await call(f, 'cgi-bin/draft/add', { articles: [article(thumb, { content: '<p>正文</p><script>steal()</script>' })] })).json;
    const mediaId = added.media_id as string;
    const got = (await call(f, 'cgi-bin/draft/get', { media_id: mediaId })).json as { news_item: { content: string; digest: string }[] };
    expect(got.news_item[0]).toMatchObject({ content: '<p>正文</p>', digest: '正文' });
    await call(f, 'cgi-bin/draft/add', { articles: [article(thumb), article(thumb, { title: '第二篇' })] });
    expect((await call(f, 'cgi-bin/draft/count', undefined, 'GET')).json).toMatchObject({ total_count: 2 });
    expect((await call(f, 'cgi-bin/draft/batchget', { offset: 0, count: 21 })).json).toMatchObject({ errcode: 40097 });
    const page = (await call(f, 'cgi-bin/draft/batchget', { offset: 1, count: 1, no_content: 1 })).json as { total_count: number; item: { media_id: string; content: { news_item: { content: string }[] } }[] };
    expect(page).toMatchObject({ total_count: 2, item_count: 1 });
    expect(page.item[0]?.content.news_item[0]?.content).toBe('');
    expect((await call(f, 'cgi-bin/draft/update', { media_id: mediaId, index: 1, articles: article(thumb) })).json).toMatchObject({ errcode: 40060 });
    expect((await call(f, 'cgi-bin/draft/update', { media_id: mediaId, index: 0, articles: article(thumb, { title: '改过的标题' }) })).json).toMatchObject({ errcode: 0 });
    expect((await call(f, 'cgi-bin/draft/get', { media_id: mediaId })).json).toMatchObject({ news_item: [{ title: '改过的标题' }] });
    expect((await call(f, 'cgi-bin/draft/delete', { media_id: mediaId })).json).toMatchObject({ errcode: 0 });
    expect((await call(f, 'cgi-bin/draft/get', { media_id: mediaId })).json).toMatchObject({ errcode: 40007 });
  });

  it('publishes through the review: PUBLISHJOBFINISH and freepublish/get tell the verdict; deletions and bans move the status', async () => {
    const f = await createOaFixture(t().app, root);
    const thumb = await cover(f);
    const draft = (await call(f, 'cgi-bin/draft/add', { articles: [article(thumb), article(thumb, { title: '第二篇' })] })).json.media_id as string;
    const idle = () => t().app.sandbox.officialAccount.idle();
    const deliveries = async () =>
      ((await t().app.inject({ method: 'GET', url: '/sandbox/control/deliveries?product=official-account', headers: f.root.headers })).json() as { items: { event: string; message: string }[] }).items.filter(
        (item) => item.event === 'event:PUBLISHJOBFINISH',
      );

    expect((await control(f, 'publish-verdicts', { status: 4, failIdx: [2] })).statusCode).toBe(201);
    const rejected = (await call(f, 'cgi-bin/freepublish/submit', { media_id: draft })).json;
    expect(rejected).toMatchObject({ errcode: 0, publish_id: expect.any(String) });
    await idle();
    expect((await call(f, 'cgi-bin/freepublish/get', { publish_id: rejected.publish_id })).json).toMatchObject({ publish_status: 4, fail_idx: [2] });
    expect((await deliveries())[0]?.message).toMatch(/<publish_status>4<\/publish_status>[\s\S]*<fail_idx>2<\/fail_idx>/);

    const published = (await call(f, 'cgi-bin/freepublish/submit', { media_id: draft })).json;
    await idle();
    const status = (await call(f, 'cgi-bin/freepublish/get', { publish_id: published.publish_id })).json as { publish_status: number; article_id: string; article_detail: { count: number; item: { article_url: string }[] } };
    expect(status).toMatchObject({ publish_status: 0, article_detail: { count: 2 } });
    // The feed lists the newest delivery first.
    expect((await deliveries()).map((d) => /<publish_status>(\d)</.exec(d.message)?.[1])).toEqual(['0', '4']);
    const url = new URL(status.article_detail.item[0]?.article_url as string);
    const page = await t().app.inject({ method: 'GET', url: url.pathname });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('春季新品');
    expect(page.headers['content-security-policy']).toContain('sandbox');

    const listed = (await call(f, 'cgi-bin/freepublish/batchget', { offset: 0, count: 10 })).json as { total_count: number; item: { article_id: string }[] };
    expect(listed).toMatchObject({ total_count: 1, item: [{ article_id: status.article_id }] });
    expect((await call(f, 'cgi-bin/freepublish/delete', { article_id: status.article_id, index: 3 })).json).toMatchObject({ errcode: 40060 });
    expect((await call(f, 'cgi-bin/freepublish/delete', { article_id: status.article_id, index: 1 })).json).toMatchObject({ errcode: 0 });
    expect((await call(f, 'cgi-bin/freepublish/getarticle', { article_id: status.article_id })).json).toMatchObject({ news_item: [{ is_deleted: true }, { is_deleted: false }] });
    expect((await t().app.inject({ method: 'GET', url: url.pathname })).statusCode).toBe(404);
    await call(f, 'cgi-bin/freepublish/delete', { article_id: status.article_id, index: 2 });
    expect((await call(f, 'cgi-bin/freepublish/get', { publish_id: published.publish_id })).json).toMatchObject({ publish_status: 5 });
    expect((await call(f, 'cgi-bin/freepublish/batchget', { offset: 0, count: 10 })).json).toMatchObject({ total_count: 0 });

    const again = (await call(f, 'cgi-bin/freepublish/submit', { media_id: draft })).json;
    await idle();
    expect((await control(f, `publications/${again.publish_id as string}/ban`)).json()).toMatchObject({ publishStatus: 6 });
    expect((await control(f, `publications/${again.publish_id as string}/ban`)).statusCode).toBe(409);
    expect((await call(f, 'cgi-bin/freepublish/get', { publish_id: again.publish_id })).json).toMatchObject({ publish_status: 6 });
    expect((await call(f, 'cgi-bin/freepublish/get', { publish_id: '999999' })).json).toMatchObject({ errcode: 40097 });
  });

  it('checks analytics date ranges as WeChat does', async () => {
    const f = await createOaFixture(t().app, root);
    const now = t().clock.now();
    const range = (begin: string, end: string) => ({ begin_date: begin, end_date: end });
    expect((await call(f, 'datacube/getusersummary', range(beijingDay(now, -7), beijingDay(now, -1)))).json).toMatchObject({ list: expect.any(Array) });
    expect((await call(f, 'datacube/getusersummary', range(beijingDay(now, -8), beijingDay(now, -1)))).json).toMatchObject({ errcode: 61501 });
    expect((await call(f, 'datacube/getusersummary', range(beijingDay(now, 0), beijingDay(now, 0)))).json).toMatchObject({ errcode: 61501 });
    expect((await call(f, 'datacube/getusersummary', range(beijingDay(now, -1), beijingDay(now, -2)))).json).toMatchObject({ errcode: 61501 });
    expect((await call(f, 'datacube/getusersummary', range('2014-11-30', '2014-12-01'))).json).toMatchObject({ errcode: 61501 });
    expect((await call(f, 'datacube/getusersummary', range('2024-02-30', '2024-03-01'))).json).toMatchObject({ errcode: 61500 });
    expect((await call(f, 'datacube/getinterfacesummary', range(beijingDay(now, -30), beijingDay(now, -1)))).json).toMatchObject({ list: expect.any(Array) });
    expect((await call(f, 'datacube/getinterfacesummary', range(beijingDay(now, -31), beijingDay(now, -1)))).json).toMatchObject({ errcode: 61501 });
  });

  it('counts follows, unfollows, totals and messages of a day from what happened in the world', async () => {
    const f = await createOaFixture(t().app, root);
    const act = (openId: string, path: string, payload?: object) =>
      t().app.inject({ method: 'POST', url: `/sandbox/control/official-accounts/${f.appId}/followers/${openId}/${path}`, headers: f.root.headers, ...(payload ? { payload } : {}) });
    const day = beijingDay(t().clock.now(), 0);
    await act('oPersonA000000000000000000001', 'follow');
    await act('oPersonB000000000000000000001', 'follow');
    await act('oPersonC000000000000000000001', 'scans', { scene: 'store-7' });
    await act('oPersonB000000000000000000001', 'unfollow');
    await act('oPersonA000000000000000000001', 'messages', { type: 'text', content: '在吗' });
    await act('oPersonA000000000000000000001', 'messages', { type: 'text', content: '价格多少' });
    await act('oPersonC000000000000000000001', 'messages', { type: 'image', content: 'https://example.com/a.jpg' });
    t().clock.advance(86_400_000);
    const next = await refreshToken(t().app, f);
    const range = { begin_date: day, end_date: day };

    const summary = (await call(next, 'datacube/getusersummary', range)).json as { list: { user_source: number; new_user: number; cancel_user: number }[] };
    const total = (key: 'new_user' | 'cancel_user') => summary.list.reduce((sum, row) => sum + row[key], 0);
    expect([total('new_user'), total('cancel_user')]).toEqual([3, 1]);
    expect(summary.list.find((row) => row.user_source === 30)).toMatchObject({ new_user: 1 });
    expect((await call(next, 'datacube/getusercumulate', range)).json).toMatchObject({ list: [{ ref_date: day, cumulate_user: 2 }] });
    expect((await call(next, 'datacube/getupstreammsg', range)).json).toMatchObject({
      list: [
        { ref_date: day, msg_type: 1, msg_user: 1, msg_count: 2 },
        { ref_date: day, msg_type: 2, msg_user: 1, msg_count: 1 },
      ],
    });
  });
});
