import { z } from 'zod';
import { defineEndpoint, okResponse } from '../client/endpoint';
import { wecomDepartmentSchema } from './directory';
import { wecomApiLimits } from './limits';

// Lengths and characters are WeChat's to judge (60001, 60009 …), so the
// declarations only pin types: a declaration that refused them would hide the errcode.
const departmentFields = {
  name: z.string().optional(),
  name_en: z.string().optional(),
  parentid: z.number().int().optional(),
  order: z.number().int().optional(),
};

/** Creates a department; `id` (> 1) is chosen by WeCom when omitted. */
export const wecomDepartmentCreate = defineEndpoint({
  product: 'wecom',
  method: 'POST',
  path: 'cgi-bin/department/create',
  auth: 'access_token',
  request: z.strictObject({ ...departmentFields, name: z.string(), parentid: z.number().int(), id: z.number().int().optional() }),
  response: z.looseObject({ id: z.number().int() }),
  titleZh: '创建部门',
  titleEn: 'Create department',
  docPath: '/document/path/90205',
  rateLimits: wecomApiLimits,
});

/** Renames, moves or reorders a department; a move under its own subtree is refused (60010). */
export const wecomDepartmentUpdate = defineEndpoint({
  product: 'wecom',
  method: 'POST',
  path: 'cgi-bin/department/update',
  auth: 'access_token',
  request: z.strictObject({ ...departmentFields, id: z.number().int() }),
  response: okResponse,
  titleZh: '更新部门',
  titleEn: 'Update department',
  docPath: '/document/path/90206',
  rateLimits: wecomApiLimits,
});

/** Only an empty department other than the root can go (60005, 60006, 60007). */
export const wecomDepartmentDelete = defineEndpoint({
  product: 'wecom',
  method: 'GET',
  path: 'cgi-bin/department/delete',
  auth: 'access_token',
  query: z.strictObject({ id: z.coerce.number().int() }),
  response: okResponse,
  titleZh: '删除部门',
  titleEn: 'Delete department',
  docPath: '/document/path/90207',
  rateLimits: wecomApiLimits,
});

/** Ids of the subtree under `id` (everything when omitted): the fast way to walk the tree. */
export const wecomDepartmentSimpleList = defineEndpoint({
  product: 'wecom',
  method: 'GET',
  path: 'cgi-bin/department/simplelist',
  auth: 'access_token',
  query: z.strictObject({ id: z.coerce.number().int().optional() }),
  response: z.looseObject({
    department_id: z.array(z.looseObject({ id: z.number().int(), parentid: z.number().int(), order: z.number().optional() })),
  }),
  titleZh: '获取子部门ID列表',
  titleEn: 'List department ids',
  docPath: '/document/path/95350',
  rateLimits: wecomApiLimits,
});

export const wecomDepartmentGet = defineEndpoint({
  product: 'wecom',
  method: 'GET',
  path: 'cgi-bin/department/get',
  auth: 'access_token',
  query: z.strictObject({ id: z.coerce.number().int() }),
  response: z.looseObject({ department: wecomDepartmentSchema }),
  titleZh: '获取单个部门详情',
  titleEn: 'Get department',
  docPath: '/document/path/95351',
  rateLimits: wecomApiLimits,
});
