import { z } from 'zod';
import { defineEndpoint } from '../client/endpoint';

const massContent = {
  msgtype: z.enum(['mpnews', 'text', 'voice', 'image', 'images', 'mpvideo', 'wxcard']),
  text: z.looseObject({ content: z.string() }).optional(),
  mpnews: z.looseObject({ media_id: z.string() }).optional(),
  voice: z.looseObject({ media_id: z.string() }).optional(),
  image: z.looseObject({ media_id: z.string() }).optional(),
  images: z.looseObject({ media_ids: z.array(z.string()) }).optional(),
  mpvideo: z.looseObject({ media_id: z.string() }).optional(),
  wxcard: z.looseObject({ card_id: z.string() }).optional(),
  send_ignore_reprint: z.number().int().optional(),
  /** Dedupes sends (≤ 64 bytes): 45065 answers the earlier msg_id. */
  clientmsgid: z.string().optional(),
};

const massAnswer = z.looseObject({ msg_id: z.number(), msg_data_id: z.number().optional() });

/** To every follower or to a tag; each follower receives at most 4 mass messages a month. */
export const oaMassSendAll = defineEndpoint({
  product: 'official-account',
  method: 'POST',
  path: 'cgi-bin/message/mass/sendall',
  auth: 'access_token',
  request: z.looseObject({
    filter: z.looseObject({ is_to_all: z.boolean(), tag_id: z.number().int().optional() }),
    ...massContent,
  }),
  response: massAnswer,
  titleZh: '根据标签进行群发',
  titleEn: 'Mass send to a tag or to everyone',
  docPath: '/doc/offiaccount/Message_Management/Batch_Sends_and_Originality_Checks.html',
  dailyQuota: 100,
  rateLimits: [{ limit: 60, windowMs: 60_000 }],
});

/** To a list of OpenIDs (2 to 10,000); service accounts only. */
export const oaMassSend = defineEndpoint({
  product: 'official-account',
  method: 'POST',
  path: 'cgi-bin/message/mass/send',
  auth: 'access_token',
  request: z.looseObject({ touser: z.array(z.string()), ...massContent }),
  response: massAnswer,
  titleZh: '根据 OpenID 列表群发',
  titleEn: 'Mass send to a list of followers',
  docPath: '/doc/offiaccount/Message_Management/Batch_Sends_and_Originality_Checks.html',
  dailyQuota: 100,
  rateLimits: [{ limit: 60, windowMs: 60_000 }],
});

/** `msg_status`: SEND_SUCCESS, SENDING, SEND_FAIL or DELETE. */
export const oaMassGet = defineEndpoint({
  product: 'official-account',
  method: 'POST',
  path: 'cgi-bin/message/mass/get',
  auth: 'access_token',
  request: z.looseObject({ msg_id: z.union([z.number(), z.string()]) }),
  response: z.looseObject({ msg_id: z.number(), msg_status: z.string() }),
  titleZh: '查询群发消息发送状态',
  titleEn: 'Get mass message status',
  docPath: '/doc/offiaccount/Message_Management/Batch_Sends_and_Originality_Checks.html',
});

/** One follower (`touser`) or WeChat id (`towxname`, wins; 100 a day) sees the message as a mass message would look. */
export const oaMassPreview = defineEndpoint({
  product: 'official-account',
  method: 'POST',
  path: 'cgi-bin/message/mass/preview',
  auth: 'access_token',
  request: z.looseObject({ touser: z.string().optional(), towxname: z.string().optional(), ...massContent }),
  response: z.looseObject({ msg_id: z.number().optional() }),
  titleZh: '预览群发消息',
  titleEn: 'Preview a mass message',
  docPath: '/doc/offiaccount/Message_Management/Batch_Sends_and_Originality_Checks.html',
  dailyQuota: 100,
});
