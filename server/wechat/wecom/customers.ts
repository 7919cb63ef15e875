import { z } from 'zod';
import { defineEndpoint } from '../client/endpoint';
import { wecomApiLimits } from './limits';

/** A member's customers; needs the customer-contact secret or an app allowed to call it. */
export const wecomCustomerList = defineEndpoint({
  product: 'wecom',
  method: 'GET',
  path: 'cgi-bin/externalcontact/list',
  auth: 'access_token',
  query: z.strictObject({ userid: z.string().min(1) }),
  response: z.looseObject({ external_userid: z.array(z.string()) }),
  titleZh: '获取客户列表',
  titleEn: 'List customers of a member',
  docPath: '/document/path/92113',
  rateLimits: wecomApiLimits,
});

const corpTag = z.looseObject({
  id: z.string(),
  name: z.string(),
  create_time: z.number().optional(),
  order: z.number().optional(),
  deleted: z.boolean().optional(),
});

/** `group_id` wins over `tag_id`; both empty lists every group. */
export const wecomCorpTagList = defineEndpoint({
  product: 'wecom',
  method: 'POST',
  path: 'cgi-bin/externalcontact/get_corp_tag_list',
  auth: 'access_token',
  request: z.strictObject({ tag_id: z.array(z.string()).optional(), group_id: z.array(z.string()).optional() }),
  response: z.looseObject({
    tag_group: z.array(
      z.looseObject({
        group_id: z.string(),
        group_name: z.string(),
        create_time: z.number().optional(),
        order: z.number().optional(),
        deleted: z.boolean().optional(),
        tag: z.array(corpTag),
      }),
    ),
  }),
  titleZh: '获取企业标签库',
  titleEn: 'List corp customer tags',
  docPath: '/document/path/92117',
  rateLimits: wecomApiLimits,
});
