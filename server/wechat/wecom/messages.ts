import { z } from 'zod';
import { defineEndpoint } from '../client/endpoint';

/**
 * Invalid recipients do not fail the call; they come back in `invaliduser`
 * and friends. Sends are counted per app and member, not in the base API limit.
 */
export const wecomMessageSend = defineEndpoint({
  product: 'wecom',
  method: 'POST',
  path: 'cgi-bin/message/send',
  auth: 'access_token',
  request: z.looseObject({
    touser: z.string().optional(),
    toparty: z.string().optional(),
    totag: z.string().optional(),
    msgtype: z.enum(['text', 'image', 'voice', 'video', 'file', 'textcard', 'news', 'mpnews', 'markdown', 'miniprogram_notice', 'template_card']),
    agentid: z.number().int(),
    text: z.looseObject({ content: z.string() }).optional(),
    safe: z.union([z.literal(0), z.literal(1), z.literal(2)]).optional(),
    enable_id_trans: z.union([z.literal(0), z.literal(1)]).optional(),
    enable_duplicate_check: z.union([z.literal(0), z.literal(1)]).optional(),
    duplicate_check_interval: z.number().int().optional(),
  }),
  response: z.looseObject({
    invaliduser: z.string().optional(),
    invalidparty: z.string().optional(),
    invalidtag: z.string().optional(),
    unlicenseduser: z.string().optional(),
    msgid: z.string().optional(),
    response_code: z.string().optional(),
  }),
  titleZh: '发送应用消息',
  titleEn: 'Send app message',
  docPath: '/document/path/90236',
});
