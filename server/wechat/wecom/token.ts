import { z } from 'zod';
import { defineEndpoint } from '../client/endpoint';
import { wecomApiLimits } from './limits';

/** One token per secret (app, contacts sync, customer contact); frequent calls get intercepted. */
export const wecomToken = defineEndpoint({
  product: 'wecom',
  method: 'GET',
  path: 'cgi-bin/gettoken',
  auth: 'none',
  query: z.strictObject({ corpid: z.string(), corpsecret: z.string() }),
  response: z.looseObject({ access_token: z.string().min(1), expires_in: z.number().int().positive() }),
  titleZh: '获取 access_token',
  titleEn: 'Get access token',
  docPath: '/document/path/91039',
  rateLimits: wecomApiLimits,
});
