import { z } from 'zod';
import { defineEndpoint, noBody, okResponse } from '../client/endpoint';

const draftDoc = '/doc/offiaccount/Draft_Box/Add_draft.html';
const publishDoc = '/doc/offiaccount/Publish/Publish.html';

/**
 * One article of a draft (facts §4.10). Lengths are WeChat's and are checked
 * by the receiving side (the sandbox answers WeChat's errcodes), so the
 * schema only types the fields.
 */
export const draftArticle = z.looseObject({
  article_type: z.enum(['news', 'newspic']).optional(),
  title: z.string(),
  author: z.string().optional(),
  digest: z.string().optional(),
  content: z.string(),
  content_source_url: z.string().optional(),
  thumb_media_id: z.string().optional(),
  need_open_comment: z.number().int().optional(),
  only_fans_can_comment: z.number().int().optional(),
  pic_crop_235_1: z.string().optional(),
  pic_crop_1_1: z.string().optional(),
  image_info: z.looseObject({ image_list: z.array(z.looseObject({ image_media_id: z.string() })) }).optional(),
});

export type DraftArticle = z.output<typeof draftArticle>;

/** An article as WeChat answers it: the request's fields plus `url` and `thumb_url`. */
const newsItem = draftArticle.extend({ url: z.string().optional(), thumb_url: z.string().optional(), is_deleted: z.boolean().optional() });

export const oaDraftAdd = defineEndpoint({
  product: 'official-account',
  method: 'POST',
  path: 'cgi-bin/draft/add',
  auth: 'access_token',
  request: z.looseObject({ articles: z.array(draftArticle) }),
  response: z.looseObject({ media_id: z.string() }),
  titleZh: '新建草稿',
  titleEn: 'Add a draft',
  docPath: draftDoc,
  dailyQuota: 1000,
});

export const oaDraftGet = defineEndpoint({
  product: 'official-account',
  method: 'POST',
  path: 'cgi-bin/draft/get',
  auth: 'access_token',
  request: z.looseObject({ media_id: z.string() }),
  response: z.looseObject({ news_item: z.array(newsItem) }),
  titleZh: '获取草稿',
  titleEn: 'Get a draft',
  docPath: '/doc/offiaccount/Draft_Box/Get_draft.html',
});

export const oaDraftDelete = defineEndpoint({
  product: 'official-account',
  method: 'POST',
  path: 'cgi-bin/draft/delete',
  auth: 'access_token',
  request: z.looseObject({ media_id: z.string() }),
  response: okResponse,
  titleZh: '删除草稿',
  titleEn: 'Delete a draft',
  docPath: '/doc/offiaccount/Draft_Box/Delete_draft.html',
});

/** Replaces the article at `index` (0-based) of a draft. */
export const oaDraftUpdate = defineEndpoint({
  product: 'official-account',
  method: 'POST',
  path: 'cgi-bin/draft/update',
  auth: 'access_token',
  request: z.looseObject({ media_id: z.string(), index: z.number().int(), articles: draftArticle }),
  response: okResponse,
  titleZh: '修改草稿',
  titleEn: 'Update a draft article',
  docPath: '/doc/offiaccount/Draft_Box/Update_draft.html',
});

export const oaDraftCount = defineEndpoint({
  product: 'official-account',
  method: 'GET',
  path: 'cgi-bin/draft/count',
  auth: 'access_token',
  request: noBody,
  response: z.looseObject({ total_count: z.number() }),
  titleZh: '获取草稿总数',
  titleEn: 'Count drafts',
  docPath: '/doc/offiaccount/Draft_Box/Count_drafts.html',
});

const pageRequest = z.looseObject({ offset: z.number().int(), count: z.number().int(), no_content: z.number().int().optional() });

export const oaDraftBatchGet = defineEndpoint({
  product: 'official-account',
  method: 'POST',
  path: 'cgi-bin/draft/batchget',
  auth: 'access_token',
  request: pageRequest,
  response: z.looseObject({
    total_count: z.number(),
    item_count: z.number(),
    item: z.array(z.looseObject({ media_id: z.string(), content: z.looseObject({ news_item: z.array(newsItem) }), update_time: z.number() })),
  }),
  titleZh: '获取草稿列表',
  titleEn: 'List drafts',
  docPath: '/doc/offiaccount/Draft_Box/Get_draft_list.html',
});

/** Publishes a draft; the result comes later (PUBLISHJOBFINISH or freepublish/get). Publishing pushes nothing to followers. */
export const oaPublishSubmit = defineEndpoint({
  product: 'official-account',
  method: 'POST',
  path: 'cgi-bin/freepublish/submit',
  auth: 'access_token',
  request: z.looseObject({ media_id: z.string() }),
  response: z.looseObject({ publish_id: z.union([z.string(), z.number()]), msg_data_id: z.union([z.string(), z.number()]).optional() }),
  titleZh: '发布草稿',
  titleEn: 'Publish a draft',
  docPath: publishDoc,
  dailyQuota: 100,
});

/**
 * `publish_status`: 0 success, 1 publishing, 2 originality check failed,
 * 3 general failure, 4 rejected by review, 5 deleted by the account,
 * 6 banned by the platform; `fail_idx` (1-based) with 2 and 4.
 */
export const publishStatuses = {
  success: 0,
  publishing: 1,
  originalityFailed: 2,
  failed: 3,
  rejected: 4,
  deletedByUser: 5,
  bannedBySystem: 6,
} as const;

export const oaPublishGet = defineEndpoint({
  product: 'official-account',
  method: 'POST',
  path: 'cgi-bin/freepublish/get',
  auth: 'access_token',
  request: z.looseObject({ publish_id: z.union([z.string(), z.number()]) }),
  response: z.looseObject({
    publish_id: z.union([z.string(), z.number()]),
    publish_status: z.number(),
    article_id: z.string().optional(),
    article_detail: z.looseObject({ count: z.number(), item: z.array(z.looseObject({ idx: z.number(), article_url: z.string() })) }).optional(),
    fail_idx: z.array(z.number()).optional(),
  }),
  titleZh: '发布状态轮询',
  titleEn: 'Get publish status',
  docPath: '/doc/offiaccount/Publish/Get_status.html',
});

/** `index` is 1-based; 0 (or absent) deletes every article of the publication. */
export const oaPublishDelete = defineEndpoint({
  product: 'official-account',
  method: 'POST',
  path: 'cgi-bin/freepublish/delete',
  auth: 'access_token',
  request: z.looseObject({ article_id: z.string(), index: z.number().int().optional() }),
  response: okResponse,
  titleZh: '删除发布文章',
  titleEn: 'Delete a published article',
  docPath: '/doc/offiaccount/Publish/Delete_posts.html',
});

export const oaPublishGetArticle = defineEndpoint({
  product: 'official-account',
  method: 'POST',
  path: 'cgi-bin/freepublish/getarticle',
  auth: 'access_token',
  request: z.looseObject({ article_id: z.string() }),
  response: z.looseObject({ news_item: z.array(newsItem) }),
  titleZh: '通过 article_id 获取已发布文章',
  titleEn: 'Get a published article',
  docPath: '/doc/offiaccount/Publish/Get_article_from_id.html',
});

export const oaPublishBatchGet = defineEndpoint({
  product: 'official-account',
  method: 'POST',
  path: 'cgi-bin/freepublish/batchget',
  auth: 'access_token',
  request: pageRequest,
  response: z.looseObject({
    total_count: z.number(),
    item_count: z.number(),
    item: z.array(z.looseObject({ article_id: z.string(), content: z.looseObject({ news_item: z.array(newsItem) }), update_time: z.number() })),
  }),
  titleZh: '获取成功发布列表',
  titleEn: 'List published articles',
  docPath: '/doc/offiaccount/Publish/Get_publication_records.html',
});
