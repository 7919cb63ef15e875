import { z } from 'zod';
import { defineEndpoint, okResponse } from '../client/endpoint';
import { wecomApiLimits } from './limits';

const followUser = z.looseObject({
  userid: z.string(),
  remark: z.string().optional(),
  description: z.string().optional(),
  createtime: z.number().optional(),
  tags: z
    .array(z.looseObject({ group_name: z.string().optional(), tag_name: z.string().optional(), tag_id: z.string().optional(), type: z.number() }))
    .optional(),
  remark_corp_name: z.string().optional(),
  remark_mobiles: z.array(z.string()).optional(),
  oper_userid: z.string().optional(),
  add_way: z.number().optional(),
  state: z.string().optional(),
});

const externalContact = z.looseObject({
  external_userid: z.string(),
  name: z.string(),
  avatar: z.string().optional(),
  type: z.number(),
  gender: z.number().optional(),
  unionid: z.string().optional(),
  position: z.string().optional(),
  corp_name: z.string().optional(),
  corp_full_name: z.string().optional(),
  external_profile: z.looseObject({}).optional(),
});

/** Members who have the customer-contact feature. */
export const wecomFollowUserList = defineEndpoint({
  product: 'wecom',
  method: 'GET',
  path: 'cgi-bin/externalcontact/get_follow_user_list',
  auth: 'access_token',
  response: z.looseObject({ follow_user: z.array(z.string()) }),
  titleZh: '获取配置了客户联系功能的成员列表',
  titleEn: 'List members with customer contact',
  docPath: '/document/path/92571',
  rateLimits: wecomApiLimits,
});

/** One customer and the members following it; `next_cursor` past 500 followers. */
export const wecomCustomerGet = defineEndpoint({
  product: 'wecom',
  method: 'GET',
  path: 'cgi-bin/externalcontact/get',
  auth: 'access_token',
  query: z.strictObject({ external_userid: z.string(), cursor: z.string().optional() }),
  response: z.looseObject({ external_contact: externalContact, follow_user: z.array(followUser), next_cursor: z.string().optional() }),
  titleZh: '获取客户详情',
  titleEn: 'Get customer',
  docPath: '/document/path/92114',
  rateLimits: wecomApiLimits,
});

/** Customers of up to 100 members, paged (limit ≤ 100, default 50). */
export const wecomCustomerBatchGetByUser = defineEndpoint({
  product: 'wecom',
  method: 'POST',
  path: 'cgi-bin/externalcontact/batch/get_by_user',
  auth: 'access_token',
  request: z.strictObject({ userid_list: z.array(z.string()), cursor: z.string().optional(), limit: z.number().int().optional() }),
  response: z.looseObject({
    external_contact_list: z.array(z.looseObject({ external_contact: externalContact, follow_info: followUser })),
    next_cursor: z.string().optional(),
  }),
  titleZh: '批量获取客户详情',
  titleEn: 'Get customers of members in bulk',
  docPath: '/document/path/92994',
  rateLimits: wecomApiLimits,
});

const contactWayFields = {
  style: z.number().int().optional(),
  remark: z.string().optional(),
  skip_verify: z.boolean().optional(),
  state: z.string().optional(),
  user: z.array(z.string()).optional(),
  party: z.array(z.number().int()).optional(),
  expires_in: z.number().int().optional(),
  chat_expires_in: z.number().int().optional(),
  unionid: z.string().optional(),
  is_exclusive: z.boolean().optional(),
  conclusions: z.looseObject({}).optional(),
};

/** `type` 1 single member (exactly one `user`), 2 several; `scene` 2 answers a QR code. */
export const wecomContactWayAdd = defineEndpoint({
  product: 'wecom',
  method: 'POST',
  path: 'cgi-bin/externalcontact/add_contact_way',
  auth: 'access_token',
  request: z.strictObject({ ...contactWayFields, type: z.number().int(), scene: z.number().int(), is_temp: z.boolean().optional() }),
  response: z.looseObject({ config_id: z.string(), qr_code: z.string().optional() }),
  titleZh: '配置客户联系「联系我」方式',
  titleEn: 'Add contact way',
  docPath: '/document/path/92228',
  rateLimits: wecomApiLimits,
});

export const wecomContactWayGet = defineEndpoint({
  product: 'wecom',
  method: 'POST',
  path: 'cgi-bin/externalcontact/get_contact_way',
  auth: 'access_token',
  request: z.strictObject({ config_id: z.string() }),
  response: z.looseObject({
    contact_way: z.looseObject({
      config_id: z.string(),
      type: z.number(),
      scene: z.number(),
      style: z.number().optional(),
      remark: z.string().optional(),
      skip_verify: z.boolean().optional(),
      state: z.string().optional(),
      qr_code: z.string().optional(),
      user: z.array(z.string()).optional(),
      party: z.array(z.number()).optional(),
      is_temp: z.boolean().optional(),
      expires_in: z.number().optional(),
      chat_expires_in: z.number().optional(),
    }),
  }),
  titleZh: '获取企业已配置的「联系我」方式',
  titleEn: 'Get contact way',
  docPath: '/document/path/92228',
  rateLimits: wecomApiLimits,
});

/**
 * Codes created in [start_time, end_time] (default: the last 90 days; at most 90 days apart), by
 * config_id only; temporary-session codes and codes made before 2021-07-10 are not listed.
 */
export const wecomContactWayList = defineEndpoint({
  product: 'wecom',
  method: 'POST',
  path: 'cgi-bin/externalcontact/list_contact_way',
  auth: 'access_token',
  request: z.strictObject({ start_time: z.number().int().optional(), end_time: z.number().int().optional(), cursor: z.string().optional(), limit: z.number().int().optional() }),
  response: z.looseObject({ contact_way: z.array(z.looseObject({ config_id: z.string() })), next_cursor: z.string().optional() }),
  titleZh: '获取企业已配置的「联系我」列表',
  titleEn: 'List contact ways',
  docPath: '/document/path/92228',
  rateLimits: wecomApiLimits,
});

export const wecomContactWayUpdate = defineEndpoint({
  product: 'wecom',
  method: 'POST',
  path: 'cgi-bin/externalcontact/update_contact_way',
  auth: 'access_token',
  request: z.strictObject({ ...contactWayFields, config_id: z.string() }),
  response: okResponse,
  titleZh: '更新企业已配置的「联系我」方式',
  titleEn: 'Update contact way',
  docPath: '/document/path/92228',
  rateLimits: wecomApiLimits,
});

export const wecomContactWayDelete = defineEndpoint({
  product: 'wecom',
  method: 'POST',
  path: 'cgi-bin/externalcontact/del_contact_way',
  auth: 'access_token',
  request: z.strictObject({ config_id: z.string() }),
  response: okResponse,
  titleZh: '删除企业已配置的「联系我」方式',
  titleEn: 'Delete contact way',
  docPath: '/document/path/92228',
  rateLimits: wecomApiLimits,
});

const welcomeAttachment = z.looseObject({ msgtype: z.enum(['image', 'link', 'miniprogram', 'video', 'file']) });

/** Once per welcome code, within 20 s of the add event; later or again → 41051. */
export const wecomWelcomeSend = defineEndpoint({
  product: 'wecom',
  method: 'POST',
  path: 'cgi-bin/externalcontact/send_welcome_msg',
  auth: 'access_token',
  request: z.strictObject({
    welcome_code: z.string(),
    text: z.strictObject({ content: z.string() }).optional(),
    attachments: z.array(welcomeAttachment).optional(),
  }),
  response: okResponse,
  titleZh: '发送新客户欢迎语',
  titleEn: 'Send welcome message',
  docPath: '/document/path/92137',
  rateLimits: wecomApiLimits,
});

const corpTagAnswer = z.looseObject({
  group_id: z.string(),
  group_name: z.string(),
  create_time: z.number().optional(),
  order: z.number().optional(),
  tag: z.array(z.looseObject({ id: z.string(), name: z.string(), create_time: z.number().optional(), order: z.number().optional() })),
});

/** Into `group_id`, or into the group named `group_name` (created when new). */
export const wecomCorpTagAdd = defineEndpoint({
  product: 'wecom',
  method: 'POST',
  path: 'cgi-bin/externalcontact/add_corp_tag',
  auth: 'access_token',
  request: z.strictObject({
    group_id: z.string().optional(),
    group_name: z.string().optional(),
    order: z.number().int().optional(),
    tag: z.array(z.strictObject({ name: z.string(), order: z.number().int().optional() })),
    agentid: z.number().int().optional(),
  }),
  response: z.looseObject({ tag_group: corpTagAnswer }),
  titleZh: '添加企业客户标签',
  titleEn: 'Add corp customer tags',
  docPath: '/document/path/92117',
  rateLimits: wecomApiLimits,
});

/** `id` is a tag or a tag group. */
export const wecomCorpTagEdit = defineEndpoint({
  product: 'wecom',
  method: 'POST',
  path: 'cgi-bin/externalcontact/edit_corp_tag',
  auth: 'access_token',
  request: z.strictObject({ id: z.string(), name: z.string().optional(), order: z.number().int().optional(), agentid: z.number().int().optional() }),
  response: okResponse,
  titleZh: '编辑企业客户标签',
  titleEn: 'Edit corp customer tag',
  docPath: '/document/path/92117',
  rateLimits: wecomApiLimits,
});

/** Removing a group's last tag removes the group. */
export const wecomCorpTagDelete = defineEndpoint({
  product: 'wecom',
  method: 'POST',
  path: 'cgi-bin/externalcontact/del_corp_tag',
  auth: 'access_token',
  request: z.strictObject({ tag_id: z.array(z.string()).optional(), group_id: z.array(z.string()).optional(), agentid: z.number().int().optional() }),
  response: okResponse,
  titleZh: '删除企业客户标签',
  titleEn: 'Delete corp customer tags',
  docPath: '/document/path/92117',
  rateLimits: wecomApiLimits,
});

export const wecomCustomerMarkTag = defineEndpoint({
  product: 'wecom',
  method: 'POST',
  path: 'cgi-bin/externalcontact/mark_tag',
  auth: 'access_token',
  request: z.strictObject({
    userid: z.string(),
    external_userid: z.string(),
    add_tag: z.array(z.string()).optional(),
    remove_tag: z.array(z.string()).optional(),
  }),
  response: okResponse,
  titleZh: '编辑客户企业标签',
  titleEn: 'Tag a customer',
  docPath: '/document/path/92118',
  rateLimits: wecomApiLimits,
});
