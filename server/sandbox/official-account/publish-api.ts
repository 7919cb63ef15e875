import { randomBytes } from 'node:crypto';
import {
  oaDraftAdd,
  oaDraftBatchGet,
  oaDraftCount,
  oaDraftDelete,
  oaDraftGet,
  oaDraftUpdate,
  oaPublishBatchGet,
  oaPublishDelete,
  oaPublishGet,
  oaPublishGetArticle,
  oaPublishSubmit,
  publishStatuses,
  type DraftArticle,
} from '../../wechat/official-account';
import type { App } from '../../platform/http/create-server';
import { wechatError, wechatOk, type SandboxContext, type TokenOwner } from '../core';
import type { AccountRow, OaRepository } from './oa.repository';
import { openIdPrefix } from './oa.repository';
import type { PublicationRow, PublishRepository } from './publish.repository';
import type { OaPusher } from './push';
import type { OaWorld } from './world';

/** Draft limits (facts §4.10). */
export const DRAFT_LIMITS = {
  articles: 8,
  titleChars: 32,
  authorChars: 16,
  digestChars: 128,
  contentChars: 20_000,
  contentBytes: 1024 * 1024,
  sourceUrlBytes: 1024,
  pageMax: 20,
} as const;

const scriptTag = /<script\b[^>]*>[\s\S]*?<\/script\s*>/gi;

/** Checks one article as WeChat does and answers it as stored: scripts stripped, digest defaulted. */
async function checkedArticle(article: DraftArticle, single: boolean, mediaExists: (id: string) => Promise<boolean>): Promise<DraftArticle> {
  const type = article.article_type ?? 'news';
  const chars = (value: string) => [...value].length;
  if (article.title.trim() === '') throw wechatError(44003, 'title is empty');
  if (chars(article.title) > DRAFT_LIMITS.titleChars) throw wechatError(45003);
  if (article.author !== undefined && chars(article.author) > DRAFT_LIMITS.authorChars) throw wechatError(45110);
  if (article.digest !== undefined && chars(article.digest) > DRAFT_LIMITS.digestChars) throw wechatError(45004);
  if (article.content_source_url !== undefined && Buffer.byteLength(article.content_source_url, 'utf8') > DRAFT_LIMITS.sourceUrlBytes) throw wechatError(45005);
  const content = article.content.replace(scriptTag, '');
  if (content.trim() === '') throw wechatError(44003, 'content is empty');
  if (chars(content) >= DRAFT_LIMITS.contentChars || Buffer.byteLength(content, 'utf8') >= DRAFT_LIMITS.contentBytes) throw wechatError(45002);
  if (type === 'news') {
    if (!article.thumb_media_id) throw wechatError(41006, 'thumb_media_id missing');
    if (!(await mediaExists(article.thumb_media_id))) throw wechatError(40007);
  } else {
    const images = article.image_info?.image_list ?? [];
    if (images.length === 0) throw wechatError(41006, 'image_info missing');
    for (const image of images) if (!(await mediaExists(image.image_media_id))) throw wechatError(40007);
  }
  // WeChat fills a single article's digest with the start of its text; several articles have none.
  const text = content.replace(/<[^>]*>/g, '').trim();
  const digest = single ? (article.digest ?? [...text].slice(0, 54).join('')) : '';
  return { ...article, article_type: type, content, digest };
}

function checkPage(body: { offset: number; count: number }): void {
  if (body.offset < 0 || body.count < 1 || body.count > DRAFT_LIMITS.pageMax) throw wechatError(40097, 'offset >= 0, count 1 to 20');
}

export function serveDraftPublishApi(app: App, ctx: SandboxContext, repository: OaRepository, publishing: PublishRepository, pusher: OaPusher, world: OaWorld): void {
  const appIdOf = (owner: TokenOwner | null) => (owner as TokenOwner).ownerKey;
  const base = `${ctx.config.publicBaseUrl}/sandbox/official-account`;
  const mediaOf = (appId: string) => async (mediaId: string) => (await repository.findMedia(appId, mediaId)) !== null;
  const articleUrl = (articleId: string, idx: number) => `${base}/articles/${encodeURIComponent(articleId)}/${idx}`;
  const withUrls = (row: PublicationRow) =>
    (row.articles as DraftArticle[]).map((article, i) => ({
      ...article,
      url: row.articleId ? articleUrl(row.articleId, i + 1) : '',
      thumb_url: '',
      is_deleted: row.status === publishStatuses.deletedByUser || row.deletedIdx.includes(i + 1),
    }));

  async function checkedArticles(appId: string, articles: DraftArticle[]): Promise<DraftArticle[]> {
    if (articles.length === 0) throw wechatError(44003);
    if (articles.length > DRAFT_LIMITS.articles) throw wechatError(45008);
    const out: DraftArticle[] = [];
    for (const article of articles) out.push(await checkedArticle(article, articles.length === 1, mediaOf(appId)));
    return out;
  }

  ctx.serveEndpoint(app, oaDraftAdd, async ({ body, owner, now }) => {
    const appId = appIdOf(owner);
    const articles = await checkedArticles(appId, body.articles);
    const draft = await publishing.insertDraft({ mediaId: randomBytes(32).toString('base64url'), appId, articles, createdAt: now, updatedAt: now });
    return { media_id: draft.mediaId };
  });

  ctx.serveEndpoint(app, oaDraftGet, async ({ body, owner }) => {
    const draft = await publishing.findDraft(appIdOf(owner), body.media_id);
    if (!draft) throw wechatError(40007);
    return { news_item: (draft.articles as DraftArticle[]).map((a) => ({ ...a, url: '', thumb_url: '' })) };
  });

  ctx.serveEndpoint(app, oaDraftUpdate, async ({ body, owner, now }) => {
    const appId = appIdOf(owner);
    const draft = await publishing.findDraft(appId, body.media_id);
    if (!draft) throw wechatError(40007);
    const articles = [...(draft.articles as DraftArticle[])];
    if (body.index < 0 || body.index >= articles.length) throw wechatError(40060);
    articles[body.index] = await checkedArticle(body.articles, articles.length === 1, mediaOf(appId));
    await publishing.updateDraft(appId, draft.mediaId, articles, now);
    return { ...wechatOk };
  });

  ctx.serveEndpoint(app, oaDraftDelete, async ({ body, owner }) => {
    if (!(await publishing.deleteDraft(appIdOf(owner), body.media_id))) throw wechatError(40007);
    return { ...wechatOk };
  });

  ctx.serveEndpoint(app, oaDraftCount, async ({ owner }) => ({ total_count: await publishing.countDrafts(appIdOf(owner)) }));

  ctx.serveEndpoint(app, oaDraftBatchGet, async ({ body, owner }) => {
    checkPage(body);
    const appId = appIdOf(owner);
    const [total, rows] = await Promise.all([publishing.countDrafts(appId), publishing.pageDrafts(appId, body.offset, body.count)]);
    return {
      total_count: total,
      item_count: rows.length,
      item: rows.map((row) => ({
        media_id: row.mediaId,
        content: { news_item: (row.articles as DraftArticle[]).map((a) => ({ ...a, ...(body.no_content === 1 ? { content: '' } : {}), url: '', thumb_url: '' })) },
        update_time: Math.floor(row.updatedAt.getTime() / 1000),
      })),
    };
  });

  /** The platform's review, then PUBLISHJOBFINISH: the verdict queued through the control API, else success. */
  async function review(account: AccountRow, publication: PublicationRow): Promise<void> {
    const now = ctx.clock.now();
    const verdict = await publishing.takeVerdict(account.appId);
    const status = verdict?.status ?? publishStatuses.success;
    const count = (publication.articles as unknown[]).length;
    const failIdx =
      status === publishStatuses.originalityFailed || status === publishStatuses.rejected ? (verdict?.failIdx.length ? verdict.failIdx.filter((i) => i >= 1 && i <= count) : [1]) : [];
    const articleId = status === publishStatuses.success ? randomBytes(27).toString('base64url') : null;
    const moved = await publishing.movePublication(publication.publishId, [publishStatuses.publishing], { status, articleId, failIdx, updatedAt: now });
    if (!moved) return;
    const detail = articleId ? { article_detail: { count, item: Array.from({ length: count }, (_, i) => ({ idx: i + 1, article_url: articleUrl(articleId, i + 1) })) } } : {};
    await pusher.push({
      account,
      openId: `${openIdPrefix(account.appId)}PublishNotice`,
      fields: {
        MsgType: 'event',
        Event: 'PUBLISHJOBFINISH',
        PublishEventInfo: {
          publish_id: String(publication.publishId),
          publish_status: status,
          ...(articleId ? { article_id: articleId } : {}),
          ...detail,
          ...(failIdx.length > 0 ? { fail_idx: failIdx } : {}),
        },
      },
      event: 'event:PUBLISHJOBFINISH',
      trigger: 'PUBLISHJOBFINISH',
      notifyFollower: false,
    });
  }

  ctx.serveEndpoint(app, oaPublishSubmit, async ({ body, owner, now }) => {
    const appId = appIdOf(owner);
    const draft = await publishing.findDraft(appId, body.media_id);
    if (!draft) throw wechatError(40007);
    const account = (await repository.findAccount(appId)) as AccountRow;
    const publication = await publishing.insertPublication({
      appId,
      draftMediaId: draft.mediaId,
      articles: draft.articles,
      status: publishStatuses.publishing,
      createdAt: now,
      updatedAt: now,
    });
    world.inBackground(() => review(account, publication));
    return { ...wechatOk, publish_id: String(publication.publishId), msg_data_id: publication.publishId };
  });

  const publicationOf = async (appId: string, publishId: string | number) => {
    const id = Number(publishId);
    const row = Number.isSafeInteger(id) ? await publishing.findPublication(appId, id) : null;
    if (!row) throw wechatError(40097, 'invalid publish_id');
    return row;
  };
  const publishedArticle = async (appId: string, articleId: string) => {
    const row = await publishing.findPublicationByArticle(appId, articleId);
    if (!row) throw wechatError(40097, 'invalid article_id');
    return row;
  };

  ctx.serveEndpoint(app, oaPublishGet, async ({ body, owner }) => {
    const row = await publicationOf(appIdOf(owner), body.publish_id);
    const count = (row.articles as unknown[]).length;
    return {
      publish_id: String(row.publishId),
      publish_status: row.status,
      ...(row.articleId
        ? { article_id: row.articleId, article_detail: { count, item: Array.from({ length: count }, (_, i) => ({ idx: i + 1, article_url: articleUrl(row.articleId as string, i + 1) })) } }
        : {}),
      fail_idx: row.failIdx,
    };
  });

  // Deleting every article (index 0 or absent, or the last one left) turns the publication to status 5.
  ctx.serveEndpoint(app, oaPublishDelete, async ({ body, owner, now }) => {
    const row = await publishedArticle(appIdOf(owner), body.article_id);
    if (row.status !== publishStatuses.success) throw wechatError(40097, 'article already deleted');
    const count = (row.articles as unknown[]).length;
    const index = body.index ?? 0;
    if (index < 0 || index > count || row.deletedIdx.includes(index)) throw wechatError(40060);
    const deletedIdx = index === 0 ? Array.from({ length: count }, (_, i) => i + 1) : [...row.deletedIdx, index].sort((a, b) => a - b);
    const status = deletedIdx.length === count ? publishStatuses.deletedByUser : publishStatuses.success;
    await publishing.movePublication(row.publishId, [publishStatuses.success], { status, deletedIdx, updatedAt: now });
    return { ...wechatOk };
  });

  ctx.serveEndpoint(app, oaPublishGetArticle, async ({ body, owner }) => {
    const row = await publishedArticle(appIdOf(owner), body.article_id);
    return { news_item: withUrls(row) };
  });

  ctx.serveEndpoint(app, oaPublishBatchGet, async ({ body, owner }) => {
    checkPage(body);
    const { total, rows } = await publishing.pagePublished(appIdOf(owner), body.offset, body.count);
    return {
      total_count: total,
      item_count: rows.length,
      item: rows.map((row) => ({
        article_id: row.articleId as string,
        content: { news_item: withUrls(row).map((a) => (body.no_content === 1 ? { ...a, content: '' } : a)) },
        update_time: Math.floor(row.updatedAt.getTime() / 1000),
      })),
    };
  });

  // Where article_url points (mp.weixin.qq.com/s/… on WeChat): the article as a reader sees it, its HTML kept in a sandboxed frame policy.
  app.get('/sandbox/official-account/articles/:articleId/:idx', { schema: { hide: true } }, async (request, reply) => {
    const { articleId, idx } = request.params as { articleId: string; idx: string };
    const row = await publishing.findPublicationByArticleId(articleId);
    const index = Number(idx);
    const article = row && row.status === publishStatuses.success && !row.deletedIdx.includes(index) ? (row.articles as DraftArticle[])[index - 1] : undefined;
    if (!article) return reply.code(404).type('text/plain; charset=utf-8').send('该内容已被发布者删除');
    const escape = (value: string) => value.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] as string);
    return reply
      .header('content-security-policy', "sandbox; default-src 'none'; img-src * data:; style-src 'unsafe-inline'")
      .type('text/html; charset=utf-8')
      .send(`<!doctype html><meta charset="utf-8"><title>${escape(article.title)}</title><h1>${escape(article.title)}</h1><p>${escape(article.author ?? '')}</p>${article.content}`);
  });
}
