import { z } from 'zod';
import { defineEndpoint, okResponse } from '../client/endpoint';

/**
 * Only inside a window opened by the follower (a message: 5 in 48 h; a click,
 * follow or scan: 3 in 1 min); outside it WeChat answers 45015 or 45047.
 * The per-type payloads are the messages module's to build.
 */
export const oaCustomerServiceSend = defineEndpoint({
  product: 'official-account',
  method: 'POST',
  path: 'cgi-bin/message/custom/send',
  auth: 'access_token',
  request: z.looseObject({
    touser: z.string().min(1),
    msgtype: z.enum(['text', 'image', 'voice', 'video', 'music', 'news', 'mpnews', 'mpnewsarticle', 'msgmenu', 'wxcard', 'miniprogrampage']),
    text: z.looseObject({ content: z.string() }).optional(),
    image: z.looseObject({ media_id: z.string() }).optional(),
    customservice: z.looseObject({ kf_account: z.string() }).optional(),
  }),
  response: okResponse,
  titleZh: '发送客服消息',
  titleEn: 'Send customer-service message',
  docPath: '/doc/offiaccount/Message_Management/Service_Center_messages.html',
  dailyQuota: 500_000,
});

const autoReplyItem = z.looseObject({ type: z.string(), content: z.string().optional() });

/** Rules set in the web console; read-only (there is no write API). */
export const oaCurrentAutoReply = defineEndpoint({
  product: 'official-account',
  method: 'GET',
  path: 'cgi-bin/get_current_autoreply_info',
  auth: 'access_token',
  response: z.looseObject({
    is_add_friend_reply_open: z.number().optional(),
    is_autoreply_open: z.number().optional(),
    add_friend_autoreply_info: autoReplyItem.optional(),
    message_default_autoreply_info: autoReplyItem.optional(),
    keyword_autoreply_info: z
      .looseObject({
        list: z.array(
          z.looseObject({
            rule_name: z.string().optional(),
            create_time: z.number().optional(),
            reply_mode: z.string().optional(),
            keyword_list_info: z.array(z.looseObject({ type: z.string().optional(), match_mode: z.string().optional(), content: z.string() })).optional(),
            reply_list_info: z.array(autoReplyItem.extend({ news_info: z.looseObject({}).optional() })).optional(),
          }),
        ),
      })
      .optional(),
  }),
  titleZh: '获取公众号的自动回复规则',
  titleEn: 'Get auto-reply rules',
  docPath: '/doc/offiaccount/Message_Management/Getting_Rules_for_Auto_Replies.html',
});
