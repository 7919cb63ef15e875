import { z } from 'zod';
import { defineEndpoint } from '../client/endpoint';

const tokenResponse = z.looseObject({ access_token: z.string().min(1), expires_in: z.number().int().positive() });

/** Each fetch invalidates the previous token (5-minute overlap); Qiao prefers `stable_token`. */
export const oaToken = defineEndpoint({
  product: 'official-account',
  method: 'GET',
  path: 'cgi-bin/token',
  auth: 'none',
  query: z.strictObject({ grant_type: z.literal('client_credential'), appid: z.string(), secret: z.string() }),
  response: tokenResponse,
  titleZh: '获取 Access Token',
  titleEn: 'Get access token',
  docPath: '/doc/offiaccount/Basic_Information/Get_access_token.html',
  dailyQuota: 2000,
});

/** Returns the same token while it is valid; `force_refresh` is limited to 20 a day, 30 s apart. */
export const oaStableToken = defineEndpoint({
  product: 'official-account',
  method: 'POST',
  path: 'cgi-bin/stable_token',
  auth: 'none',
  request: z.strictObject({
    grant_type: z.literal('client_credential'),
    appid: z.string(),
    secret: z.string(),
    force_refresh: z.boolean().optional(),
  }),
  response: tokenResponse,
  titleZh: '获取稳定版 Access Token',
  titleEn: 'Get stable access token',
  docPath: '/doc/service/api/base/api_getstableaccesstoken',
  rateLimits: [{ limit: 10_000, windowMs: 60_000 }],
});

const ipList = z.looseObject({ ip_list: z.array(z.string()) });

/** Where WeChat's pushes come from (for a firewall in front of the callback URL). */
export const oaCallbackIps = defineEndpoint({
  product: 'official-account',
  method: 'GET',
  path: 'cgi-bin/getcallbackip',
  auth: 'access_token',
  response: ipList,
  titleZh: '获取微信推送服务器 IP 地址',
  titleEn: 'Get WeChat callback server IPs',
  docPath: '/doc/offiaccount/Basic_Information/Get_the_WeChat_server_IP_address.html',
});

/** The addresses of api.weixin.qq.com, for an outbound firewall. */
export const oaApiDomainIps = defineEndpoint({
  product: 'official-account',
  method: 'GET',
  path: 'cgi-bin/get_api_domain_ip',
  auth: 'access_token',
  response: ipList,
  titleZh: '获取微信 API 接口 IP 地址',
  titleEn: 'Get WeChat API server IPs',
  docPath: '/doc/offiaccount/Basic_Information/Get_the_WeChat_server_IP_address.html',
});
