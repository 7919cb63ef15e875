// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, api, onUnauthenticated, setCsrfToken } from './api-client';
import { changeLanguage } from './i18n';

function headersOf(call: [string, RequestInit?] | undefined): Record<string, string> {
  return (call?.[1]?.headers ?? {}) as Record<string, string>;
}

function answer(status: number, body: unknown) {
  return vi.fn(async (_url: string, _init?: RequestInit) => new Response(body === undefined ? null : JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } }));
}

afterEach(async () => {
  vi.unstubAllGlobals();
  setCsrfToken(null);
  await changeLanguage('zh-CN');
});

describe('api client', () => {
  it('sends the CSRF token on unsafe requests but not on reads', async () => {
    const fetchMock = answer(200, { ok: true });
    vi.stubGlobal('fetch', fetchMock);
    setCsrfToken('tok-1');
    await api.post('/api/v1/users', { username: 'li' });
    await api.get('/api/v1/users', { limit: 20, q: '', role: undefined });
    const [post, get] = fetchMock.mock.calls;
    expect(post?.[0]).toBe('/api/v1/users');
    expect(headersOf(post)['x-csrf-token']).toBe('tok-1');
    expect(post?.[1]?.body).toBe('{"username":"li"}');
    expect(get?.[0]).toBe('/api/v1/users?limit=20');
    expect(headersOf(get)['x-csrf-token']).toBeUndefined();
  });

  it('asks for messages in the current UI language', async () => {
    const fetchMock = answer(200, {});
    vi.stubGlobal('fetch', fetchMock);
    await api.get('/api/v1/me');
    await changeLanguage('en-US');
    await api.get('/api/v1/me');
    expect(headersOf(fetchMock.mock.calls[0])['accept-language']).toBe('zh-CN');
    expect(headersOf(fetchMock.mock.calls[1])['accept-language']).toBe('en-US');
  });

  it('turns an error body into an ApiError carrying code, details and request id', async () => {
    vi.stubGlobal('fetch', answer(409, { code: 'USERNAME_TAKEN', message: '用户名 li 已被使用', details: { username: 'li' }, requestId: 'r-1' }));
    const error = await api.post('/api/v1/users', {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 409, code: 'USERNAME_TAKEN', message: '用户名 li 已被使用', details: { username: 'li' }, requestId: 'r-1' });
  });

  it('reports a lost session, but not the login or /me probes', async () => {
    const lost = vi.fn();
    const stop = onUnauthenticated(lost);
    vi.stubGlobal('fetch', answer(401, { code: 'UNAUTHENTICATED', message: '请先登录', details: {}, requestId: 'r' }));
    await api.get('/api/v1/me').catch(() => undefined);
    await api.post('/api/v1/auth/login', {}).catch(() => undefined);
    expect(lost).not.toHaveBeenCalled();
    await api.get('/api/v1/users').catch(() => undefined);
    expect(lost).toHaveBeenCalledTimes(1);
    stop();
  });
});
