import { z } from 'zod';
import { defineEndpoint, okResponse } from '../client/endpoint';
import { wecomApiLimits } from './limits';

/** What externalcontact/remark accepts (WeCom counts characters, not bytes). */
export const customerRemarkLimits = { remarkChars: 20, descriptionChars: 150, remarkCompanyChars: 20 } as const;

/**
 * A member's remark on a customer. At least one of the fields is needed;
 * `remark_mobiles` replaces the old numbers, `[""]` clears them; `remark_company`
 * counts only for WeChat users.
 */
export const wecomCustomerRemark = defineEndpoint({
  product: 'wecom',
  method: 'POST',
  path: 'cgi-bin/externalcontact/remark',
  auth: 'access_token',
  request: z.strictObject({
    userid: z.string(),
    external_userid: z.string(),
    remark: z.string().optional(),
    description: z.string().optional(),
    remark_company: z.string().optional(),
    remark_mobiles: z.array(z.string()).optional(),
    remark_pic_mediaid: z.string().optional(),
  }),
  response: okResponse,
  titleZh: '修改客户备注信息',
  titleEn: 'Set a member’s remark on a customer',
  docPath: '/document/path/92115',
  rateLimits: wecomApiLimits,
});
