import { z } from 'zod';
import { defineEndpoint, okResponse } from '../client/endpoint';
import { wecomApiLimits } from './limits';

/**
 * Customer groups (客户群): `status` 0 normal, 1 owner left and awaiting
 * transfer, 2 transfer in progress, 3 transfer done. With no owner filter and
 * more than 1000 visible members WeCom answers 81017.
 */
export const wecomGroupChatList = defineEndpoint({
  product: 'wecom',
  method: 'POST',
  path: 'cgi-bin/externalcontact/groupchat/list',
  auth: 'access_token',
  request: z.strictObject({
    status_filter: z.number().int().optional(),
    owner_filter: z.strictObject({ userid_list: z.array(z.string()) }).optional(),
    cursor: z.string().optional(),
    limit: z.number().int(),
  }),
  response: z.looseObject({
    group_chat_list: z.array(z.looseObject({ chat_id: z.string(), status: z.number() })),
    next_cursor: z.string().optional(),
  }),
  titleZh: '获取客户群列表',
  titleEn: 'List customer groups',
  docPath: '/document/path/92120',
  rateLimits: wecomApiLimits,
});

/** A group member: `type` 1 member of the corp, 2 customer; `join_scene` 1 invited directly, 2 by link, 3 by QR code. */
const groupChatMember = z.looseObject({
  userid: z.string(),
  type: z.number(),
  unionid: z.string().optional(),
  join_time: z.number(),
  join_scene: z.number(),
  invitor: z.looseObject({ userid: z.string() }).optional(),
  group_nickname: z.string().optional(),
  name: z.string().optional(),
  state: z.string().optional(),
});

export const wecomGroupChatGet = defineEndpoint({
  product: 'wecom',
  method: 'POST',
  path: 'cgi-bin/externalcontact/groupchat/get',
  auth: 'access_token',
  request: z.strictObject({ chat_id: z.string(), need_name: z.number().int().optional() }),
  response: z.looseObject({
    group_chat: z.looseObject({
      chat_id: z.string(),
      name: z.string(),
      owner: z.string(),
      create_time: z.number(),
      notice: z.string().optional(),
      member_list: z.array(groupChatMember),
      admin_list: z.array(z.looseObject({ userid: z.string() })).optional(),
      member_version: z.string().optional(),
    }),
  }),
  titleZh: '获取客户群详情',
  titleEn: 'Get customer group',
  docPath: '/document/path/92122',
  rateLimits: wecomApiLimits,
});

/**
 * 「加入群聊」 settings: `scene` 1 mini-program plugin, 2 QR code; at most 5
 * groups; remark and state at most 30 characters; `room_base_name` at most 40
 * (used when `auto_create_room` opens a new group once the last one is full).
 */
const joinWayFields = {
  scene: z.number().int(),
  remark: z.string().optional(),
  auto_create_room: z.number().int().optional(),
  room_base_name: z.string().optional(),
  room_base_id: z.number().int().optional(),
  chat_id_list: z.array(z.string()),
  state: z.string().optional(),
};

export const wecomGroupJoinWayAdd = defineEndpoint({
  product: 'wecom',
  method: 'POST',
  path: 'cgi-bin/externalcontact/groupchat/add_join_way',
  auth: 'access_token',
  request: z.strictObject(joinWayFields),
  response: z.looseObject({ config_id: z.string() }),
  titleZh: '配置客户群进群方式',
  titleEn: 'Add group join way',
  docPath: '/document/path/92229',
  rateLimits: wecomApiLimits,
});

export const wecomGroupJoinWayGet = defineEndpoint({
  product: 'wecom',
  method: 'POST',
  path: 'cgi-bin/externalcontact/groupchat/get_join_way',
  auth: 'access_token',
  request: z.strictObject({ config_id: z.string() }),
  response: z.looseObject({
    join_way: z.looseObject({
      config_id: z.string(),
      scene: z.number(),
      remark: z.string().optional(),
      auto_create_room: z.number().optional(),
      room_base_name: z.string().optional(),
      room_base_id: z.number().optional(),
      chat_id_list: z.array(z.string()),
      qr_code: z.string().optional(),
      state: z.string().optional(),
    }),
  }),
  titleZh: '获取客户群进群方式配置',
  titleEn: 'Get group join way',
  docPath: '/document/path/92229',
  rateLimits: wecomApiLimits,
});

export const wecomGroupJoinWayUpdate = defineEndpoint({
  product: 'wecom',
  method: 'POST',
  path: 'cgi-bin/externalcontact/groupchat/update_join_way',
  auth: 'access_token',
  request: z.strictObject({ ...joinWayFields, config_id: z.string() }),
  response: okResponse,
  titleZh: '更新客户群进群方式配置',
  titleEn: 'Update group join way',
  docPath: '/document/path/92229',
  rateLimits: wecomApiLimits,
});

export const wecomGroupJoinWayDelete = defineEndpoint({
  product: 'wecom',
  method: 'POST',
  path: 'cgi-bin/externalcontact/groupchat/del_join_way',
  auth: 'access_token',
  request: z.strictObject({ config_id: z.string() }),
  response: okResponse,
  titleZh: '删除客户群进群方式配置',
  titleEn: 'Delete group join way',
  docPath: '/document/path/92229',
  rateLimits: wecomApiLimits,
});
