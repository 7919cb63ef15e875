import { z } from 'zod';
import { defineEndpoint } from '../client/endpoint';
import { wecomApiLimits } from './limits';

/**
 * Temporary media (3 days). The file travels as multipart `media`, which the
 * JSON client does not send; the declaration documents the answer.
 */
export const wecomMediaUpload = defineEndpoint({
  product: 'wecom',
  method: 'POST',
  path: 'cgi-bin/media/upload',
  auth: 'access_token',
  query: z.strictObject({ type: z.enum(['image', 'voice', 'video', 'file']) }),
  response: z.looseObject({ type: z.string(), media_id: z.string(), created_at: z.union([z.string(), z.number()]) }),
  titleZh: '上传临时素材',
  titleEn: 'Upload temporary media',
  docPath: '/document/path/90253',
  rateLimits: wecomApiLimits,
});

const batchRequest = z.strictObject({
  media_id: z.string(),
  to_invite: z.boolean().optional(),
  callback: z.strictObject({ url: z.string().optional(), token: z.string().optional(), encodingaeskey: z.string().optional() }).optional(),
});
const jobAnswer = z.looseObject({ jobid: z.string() });

/** Creates or updates the members listed in the CSV; others stay. */
export const wecomBatchSyncUser = defineEndpoint({
  product: 'wecom',
  method: 'POST',
  path: 'cgi-bin/batch/syncuser',
  auth: 'access_token',
  request: batchRequest,
  response: jobAnswer,
  titleZh: '增量更新成员',
  titleEn: 'Sync members from a file',
  docPath: '/document/path/90980',
  rateLimits: wecomApiLimits,
});

/** Members missing from the CSV are deleted; too many deletions trip 45026. */
export const wecomBatchReplaceUser = defineEndpoint({
  product: 'wecom',
  method: 'POST',
  path: 'cgi-bin/batch/replaceuser',
  auth: 'access_token',
  request: batchRequest,
  response: jobAnswer,
  titleZh: '全量覆盖成员',
  titleEn: 'Replace all members from a file',
  docPath: '/document/path/90981',
  rateLimits: wecomApiLimits,
});

/** The department tree becomes exactly the CSV's. */
export const wecomBatchReplaceParty = defineEndpoint({
  product: 'wecom',
  method: 'POST',
  path: 'cgi-bin/batch/replaceparty',
  auth: 'access_token',
  request: batchRequest,
  response: jobAnswer,
  titleZh: '全量覆盖部门',
  titleEn: 'Replace all departments from a file',
  docPath: '/document/path/90982',
  rateLimits: wecomApiLimits,
});

/** `status`: 1 queued, 2 running, 3 done; `result` lists each row once done. */
export const wecomBatchGetResult = defineEndpoint({
  product: 'wecom',
  method: 'GET',
  path: 'cgi-bin/batch/getresult',
  auth: 'access_token',
  query: z.strictObject({ jobid: z.string() }),
  response: z.looseObject({
    status: z.number().int(),
    type: z.string(),
    total: z.number().int(),
    percentage: z.number(),
    result: z
      .array(
        z.looseObject({
          userid: z.string().optional(),
          partyid: z.number().optional(),
          action: z.number().optional(),
          errcode: z.number(),
          errmsg: z.string().optional(),
        }),
      )
      .optional(),
  }),
  titleZh: '获取异步任务结果',
  titleEn: 'Get batch job result',
  docPath: '/document/path/90983',
  rateLimits: wecomApiLimits,
});
