import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { renderErrorMessage } from '../../../common/errors';
import { oaStableToken, oaTagList, officialAccountEndpoints } from '../official-account';
import { wecomEndpoints, wecomToken } from '../wecom';
import { defineEndpoint, docUrl } from './endpoint';
import { describeErrcode, ipFromErrmsg } from './errcodes';
import { WeChatApiError } from './errors';

const all = [...officialAccountEndpoints, ...wecomEndpoints];

describe('endpoint declarations', () => {
  it.each(all.map((e) => [`${e.product} ${e.method} ${e.path}`, e] as const))('%s is complete', (_name, endpoint) => {
    expect(endpoint.titleZh).toMatch(/[\u4e00-\u9fff]/);
    expect(endpoint.titleEn.length).toBeGreaterThan(3);
    expect(endpoint.docPath).toMatch(/^\/(doc|document)\//);
    expect(docUrl(endpoint)).toMatch(/^https:\/\/developers?\.(work\.)?weixin\.qq\.com\//);
    expect(endpoint.path.startsWith('/')).toBe(false);
    expect(endpoint.path).toMatch(/^(cgi-bin|datacube)\//);
    for (const schema of [endpoint.query, endpoint.request, endpoint.response]) expect(schema).toBeInstanceOf(z.ZodType);
    expect(endpoint.method === 'POST' || endpoint.request.safeParse(undefined).success).toBe(true);
  });

  it('declares each (product, method, path) once', () => {
    const keys = all.map((e) => `${e.product} ${e.method} ${e.path}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('belongs to the product folder it is declared in', () => {
    expect(officialAccountEndpoints.every((e) => e.product === 'official-account')).toBe(true);
    expect(wecomEndpoints.every((e) => e.product === 'wecom')).toBe(true);
  });

  it('refuses a path with a leading slash or a query string', () => {
    const base = { product: 'wecom' as const, method: 'GET' as const, auth: 'none' as const, response: z.object({}), titleZh: '测试', titleEn: 'Test', docPath: '/document/path/1' };
    expect(() => defineEndpoint({ ...base, path: '/cgi-bin/gettoken' })).toThrow(/cgi-bin\/menu\/create/);
    expect(() => defineEndpoint({ ...base, path: 'cgi-bin/gettoken?corpid=1' })).toThrow(/cgi-bin\/menu\/create/);
  });

  it('keeps answers with fields WeChat added later', () => {
    const [first] = officialAccountEndpoints;
    expect(first.response.parse({ access_token: 'a', expires_in: 7200, new_field: 1 })).toMatchObject({ new_field: 1 });
  });
});

describe('errcode registry', () => {
  it('explains the codes that matter for each product', () => {
    const oaCodes = [-1, 40001, 40013, 40014, 40125, 40164, 42001, 45009, 45011, 48001];
    const wecomCodes = [-1, 40001, 40013, 40014, 40056, 40091, 42001, 45009, 45033, 48002, 60011, 60020, 60102];
    expect(oaCodes.filter((code) => !describeErrcode('official-account', code))).toEqual([]);
    expect(wecomCodes.filter((code) => !describeErrcode('wecom', code))).toEqual([]);
  });

  it('reads the caller IP from WeChat error messages', () => {
    expect(ipFromErrmsg('invalid ip 47.98.1.2 ipv6 ::ffff:47.98.1.2, not in whitelist rid: 64e7')).toBe('47.98.1.2');
    expect(ipFromErrmsg('not allow to access from your ip, hint: [1701_253], from ip: 1.2.3.4, more info at https://x')).toBe('1.2.3.4');
    expect(ipFromErrmsg('invalid credential')).toBeNull();
  });
});

describe('WeChatApiError', () => {
  it('answers through the error registry with errcode and errmsg kept in details', () => {
    const error = new WeChatApiError({ endpoint: oaTagList, errcode: 48001, errmsg: 'api unauthorized rid: 1' });
    expect(error.code).toBe('WECHAT_PERMISSION_DENIED');
    expect(renderErrorMessage(error.code, 'zh-CN', error.details)).toContain('48001');
    expect(renderErrorMessage(error.code, 'en-US', error.details)).toContain('api unauthorized');
    expect(error.details).toMatchObject({ errcode: 48001, errmsg: 'api unauthorized rid: 1', endpoint: 'cgi-bin/tags/get' });
  });

  it('treats a token call refused with 40001 as wrong credentials', () => {
    const error = new WeChatApiError({ endpoint: oaStableToken, errcode: 40001, errmsg: 'invalid credential' });
    expect(error.code).toBe('WECHAT_CREDENTIALS_INVALID');
    expect(new WeChatApiError({ endpoint: oaTagList, errcode: 40001, errmsg: 'invalid credential' }).code).toBe('WECHAT_API_ERROR');
  });

  it('renders the IP to whitelist in both languages', () => {
    const error = new WeChatApiError({ endpoint: wecomToken, errcode: 60020, errmsg: 'not allow to access from your ip, from ip: 192.0.2.5' });
    expect(renderErrorMessage(error.code, 'zh-CN', error.details)).toContain('192.0.2.5');
    expect(renderErrorMessage(error.code, 'en-US', error.details)).toContain('Trusted corporate IP');
  });
});
