import { z } from 'zod';
import { defineEndpoint } from '../client/endpoint';

export const temporaryMediaTypes = ['image', 'voice', 'video', 'thumb'] as const;

/** Multipart field `media`; the media_id lasts 3 days. */
export const oaMediaUpload = defineEndpoint({
  product: 'official-account',
  method: 'POST',
  path: 'cgi-bin/media/upload',
  auth: 'access_token',
  query: z.strictObject({ type: z.enum(temporaryMediaTypes) }),
  response: z.looseObject({ type: z.string(), media_id: z.string(), created_at: z.number() }),
  titleZh: '新增临时素材',
  titleEn: 'Upload temporary media',
  docPath: '/doc/offiaccount/Asset_Management/New_temporary_materials.html',
  dailyQuota: 100_000,
});

/** Answers the file's bytes; a video answers `{video_url}` instead. */
export const oaMediaGet = defineEndpoint({
  product: 'official-account',
  method: 'GET',
  path: 'cgi-bin/media/get',
  auth: 'access_token',
  query: z.strictObject({ media_id: z.string().min(1) }),
  response: z.looseObject({ video_url: z.string().optional() }),
  titleZh: '获取临时素材',
  titleEn: 'Download temporary media',
  docPath: '/doc/offiaccount/Asset_Management/Get_temporary_materials.html',
  dailyQuota: 200_000,
});

export const qrCodeActions = ['QR_SCENE', 'QR_STR_SCENE', 'QR_LIMIT_SCENE', 'QR_LIMIT_STR_SCENE'] as const;

/**
 * Temporary codes carry a 32-bit scene_id or a scene_str and expire (default
 * 60 s, at most 30 days); permanent ones take scene_id 1–100,000 or a 1–64
 * character scene_str. The image is at mp.weixin.qq.com/cgi-bin/showqrcode?ticket=.
 */
export const oaQrCodeCreate = defineEndpoint({
  product: 'official-account',
  method: 'POST',
  path: 'cgi-bin/qrcode/create',
  auth: 'access_token',
  request: z.looseObject({
    expire_seconds: z.number().int().optional(),
    action_name: z.enum(qrCodeActions),
    action_info: z.looseObject({
      scene: z.looseObject({ scene_id: z.number().int().optional(), scene_str: z.string().optional() }),
    }),
  }),
  response: z.looseObject({ ticket: z.string(), expire_seconds: z.number().optional(), url: z.string() }),
  titleZh: '生成带参数的二维码',
  titleEn: 'Create parametric QR code',
  docPath: '/doc/offiaccount/Account_Management/Generating_a_Parametric_QR_Code.html',
  dailyQuota: 100_000,
});
