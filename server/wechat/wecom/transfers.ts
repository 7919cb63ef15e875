import { z } from 'zod';
import { defineEndpoint } from '../client/endpoint';
import { wecomApiLimits } from './limits';

/** Per-customer answer of a transfer call: errcode 0 = the transfer started. */
const transferAnswer = z.looseObject({
  customer: z.array(z.looseObject({ external_userid: z.string(), errcode: z.number() })),
});

/** status 1 taken over, 2 waiting, 3 refused by the customer, 4 takeover member full, 5 no transfer record. */
const transferResultAnswer = z.looseObject({
  customer: z.array(z.looseObject({ external_userid: z.string(), status: z.number(), takeover_time: z.number().optional() })),
  next_cursor: z.string().optional(),
});

const resultRequest = z.strictObject({ handover_userid: z.string(), takeover_userid: z.string(), cursor: z.string().optional() });

/**
 * 在职继承: up to 100 customers of a member to another member. Each customer
 * may refuse within 24 h; otherwise the takeover happens after 24 h. At most
 * two transfers of one customer within 90 days (40128).
 */
export const wecomTransferCustomer = defineEndpoint({
  product: 'wecom',
  method: 'POST',
  path: 'cgi-bin/externalcontact/transfer_customer',
  auth: 'access_token',
  request: z.strictObject({
    handover_userid: z.string(),
    takeover_userid: z.string(),
    external_userid: z.array(z.string()),
    transfer_success_msg: z.string().optional(),
  }),
  response: transferAnswer,
  titleZh: '分配在职成员的客户',
  titleEn: 'Transfer customers of an active member',
  docPath: '/document/path/92125',
  rateLimits: wecomApiLimits,
});

export const wecomTransferResult = defineEndpoint({
  product: 'wecom',
  method: 'POST',
  path: 'cgi-bin/externalcontact/transfer_result',
  auth: 'access_token',
  request: resultRequest,
  response: transferResultAnswer,
  titleZh: '查询在职成员客户接替状态',
  titleEn: 'Transfer results of an active member',
  docPath: '/document/path/94088',
  rateLimits: wecomApiLimits,
});

/** 离职继承: customers of a member who left; `handover_userid` must have left (40097 otherwise). */
export const wecomResignedTransferCustomer = defineEndpoint({
  product: 'wecom',
  method: 'POST',
  path: 'cgi-bin/externalcontact/resigned/transfer_customer',
  auth: 'access_token',
  request: z.strictObject({ handover_userid: z.string(), takeover_userid: z.string(), external_userid: z.array(z.string()) }),
  response: transferAnswer,
  titleZh: '分配离职成员的客户',
  titleEn: 'Transfer customers of a member who left',
  docPath: '/document/path/94081',
  rateLimits: wecomApiLimits,
});

export const wecomResignedTransferResult = defineEndpoint({
  product: 'wecom',
  method: 'POST',
  path: 'cgi-bin/externalcontact/resigned/transfer_result',
  auth: 'access_token',
  request: resultRequest,
  response: transferResultAnswer,
  titleZh: '查询离职成员客户接替状态',
  titleEn: 'Transfer results of a member who left',
  docPath: '/document/path/94082',
  rateLimits: wecomApiLimits,
});

/** Customers of members who left, not yet given to anyone; pages of at most 1000. */
export const wecomUnassignedList = defineEndpoint({
  product: 'wecom',
  method: 'POST',
  path: 'cgi-bin/externalcontact/get_unassigned_list',
  auth: 'access_token',
  request: z.strictObject({ page_id: z.number().int().optional(), page_size: z.number().int().optional(), cursor: z.string().optional() }),
  response: z.looseObject({
    info: z.array(z.looseObject({ handover_userid: z.string(), external_userid: z.string(), dimission_time: z.number() })),
    is_last: z.boolean(),
    next_cursor: z.string().optional(),
  }),
  titleZh: '获取待分配的离职成员列表',
  titleEn: 'Unassigned customers of members who left',
  docPath: '/document/path/92124',
  rateLimits: wecomApiLimits,
});
