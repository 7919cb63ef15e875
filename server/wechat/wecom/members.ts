import { z } from 'zod';
import { defineEndpoint, okResponse } from '../client/endpoint';
import { wecomMemberSchema } from './directory';
import { wecomApiLimits } from './limits';

const extAttr = z.looseObject({ attrs: z.array(z.looseObject({ type: z.number().int().optional(), name: z.string() })).optional() });

// Types only: WeChat judges lengths, characters and uniqueness itself (60102 …).
const memberFields = {
  name: z.string().optional(),
  alias: z.string().optional(),
  mobile: z.string().optional(),
  department: z.array(z.number().int()).optional(),
  order: z.array(z.number().int()).optional(),
  position: z.string().optional(),
  gender: z.string().optional(),
  email: z.string().optional(),
  biz_mail: z.string().optional(),
  telephone: z.string().optional(),
  is_leader_in_dept: z.array(z.number().int()).optional(),
  direct_leader: z.array(z.string()).optional(),
  avatar_mediaid: z.string().optional(),
  enable: z.number().int().optional(),
  extattr: extAttr.optional(),
  external_position: z.string().optional(),
  external_profile: z.looseObject({}).optional(),
  address: z.string().optional(),
  main_department: z.number().int().optional(),
};

/** Mobile or email is required; the userid is unique ignoring case. */
export const wecomMemberCreate = defineEndpoint({
  product: 'wecom',
  method: 'POST',
  path: 'cgi-bin/user/create',
  auth: 'access_token',
  request: z.strictObject({ ...memberFields, userid: z.string(), name: z.string(), to_invite: z.boolean().optional() }),
  response: okResponse,
  titleZh: '创建成员',
  titleEn: 'Create member',
  docPath: '/document/path/90195',
  rateLimits: wecomApiLimits,
});

export const wecomMemberUpdate = defineEndpoint({
  product: 'wecom',
  method: 'POST',
  path: 'cgi-bin/user/update',
  auth: 'access_token',
  request: z.strictObject({ ...memberFields, userid: z.string(), new_userid: z.string().optional() }),
  response: okResponse,
  titleZh: '更新成员',
  titleEn: 'Update member',
  docPath: '/document/path/90197',
  rateLimits: wecomApiLimits,
});

export const wecomMemberDelete = defineEndpoint({
  product: 'wecom',
  method: 'GET',
  path: 'cgi-bin/user/delete',
  auth: 'access_token',
  query: z.strictObject({ userid: z.string() }),
  response: okResponse,
  titleZh: '删除成员',
  titleEn: 'Delete member',
  docPath: '/document/path/90198',
  rateLimits: wecomApiLimits,
});

/** At most 200 userids per call. */
export const wecomMemberBatchDelete = defineEndpoint({
  product: 'wecom',
  method: 'POST',
  path: 'cgi-bin/user/batchdelete',
  auth: 'access_token',
  request: z.strictObject({ useridlist: z.array(z.string()) }),
  response: okResponse,
  titleZh: '批量删除成员',
  titleEn: 'Delete members in bulk',
  docPath: '/document/path/90199',
  rateLimits: wecomApiLimits,
});

/** Direct members of a department: userid, name and departments only. */
export const wecomMemberSimpleList = defineEndpoint({
  product: 'wecom',
  method: 'GET',
  path: 'cgi-bin/user/simplelist',
  auth: 'access_token',
  query: z.strictObject({ department_id: z.coerce.number().int() }),
  response: z.looseObject({
    userlist: z.array(
      z.looseObject({ userid: z.string(), name: z.string().optional(), department: z.array(z.number()).optional(), open_userid: z.string().optional() }),
    ),
  }),
  titleZh: '获取部门成员',
  titleEn: 'List department members (brief)',
  docPath: '/document/path/90200',
  rateLimits: wecomApiLimits,
});

/** Direct members of a department with every field the secret may read. */
export const wecomMemberList = defineEndpoint({
  product: 'wecom',
  method: 'GET',
  path: 'cgi-bin/user/list',
  auth: 'access_token',
  query: z.strictObject({ department_id: z.coerce.number().int() }),
  response: z.looseObject({ userlist: z.array(wecomMemberSchema) }),
  titleZh: '获取部门成员详情',
  titleEn: 'List department members',
  docPath: '/document/path/90201',
  rateLimits: wecomApiLimits,
});
