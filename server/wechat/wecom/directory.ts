import { z } from 'zod';
import { defineEndpoint } from '../client/endpoint';
import { wecomApiLimits } from './limits';

export const wecomDepartmentSchema = z.looseObject({
  id: z.number(),
  name: z.string().optional(),
  name_en: z.string().optional(),
  department_leader: z.array(z.string()).optional(),
  parentid: z.number(),
  order: z.number().optional(),
});

/** The whole subtree under `id` (everything when omitted); the doc calls it slow. */
export const wecomDepartmentList = defineEndpoint({
  product: 'wecom',
  method: 'GET',
  path: 'cgi-bin/department/list',
  auth: 'access_token',
  query: z.strictObject({ id: z.number().int().optional() }),
  response: z.looseObject({ department: z.array(wecomDepartmentSchema) }),
  titleZh: '获取部门列表',
  titleEn: 'List departments',
  docPath: '/document/path/90208',
  rateLimits: wecomApiLimits,
});

/**
 * Since 2022-06-20 new self-built apps no longer get avatar, gender, mobile,
 * email, biz_mail, qr_code or address, so everything but userid is optional.
 */
export const wecomMemberSchema = z.looseObject({
  userid: z.string(),
  name: z.string().optional(),
  department: z.array(z.number()).optional(),
  order: z.array(z.number()).optional(),
  position: z.string().optional(),
  mobile: z.string().optional(),
  gender: z.string().optional(),
  email: z.string().optional(),
  biz_mail: z.string().optional(),
  is_leader_in_dept: z.array(z.number()).optional(),
  direct_leader: z.array(z.string()).optional(),
  avatar: z.string().optional(),
  thumb_avatar: z.string().optional(),
  telephone: z.string().optional(),
  alias: z.string().optional(),
  address: z.string().optional(),
  open_userid: z.string().optional(),
  main_department: z.number().optional(),
  extattr: z.looseObject({}).optional(),
  status: z.number().optional(),
  qr_code: z.string().optional(),
  external_position: z.string().optional(),
  external_profile: z.looseObject({}).optional(),
});

export const wecomMemberGet = defineEndpoint({
  product: 'wecom',
  method: 'GET',
  path: 'cgi-bin/user/get',
  auth: 'access_token',
  query: z.strictObject({ userid: z.string().min(1) }),
  response: wecomMemberSchema,
  titleZh: '读取成员',
  titleEn: 'Get member',
  docPath: '/document/path/90196',
  rateLimits: wecomApiLimits,
});

/** What contact-sync secrets use where `user/list` is blocked (IPs added after 2022-08-15). */
export const wecomMemberIdList = defineEndpoint({
  product: 'wecom',
  method: 'POST',
  path: 'cgi-bin/user/list_id',
  auth: 'access_token',
  request: z.strictObject({ cursor: z.string().optional(), limit: z.number().int().min(1).max(10_000).optional() }),
  response: z.looseObject({
    next_cursor: z.string().optional(),
    dept_user: z.array(z.looseObject({ userid: z.string(), department: z.number() })).optional(),
  }),
  titleZh: '获取成员ID列表',
  titleEn: 'List member ids',
  docPath: '/document/path/96067',
  rateLimits: wecomApiLimits,
});
