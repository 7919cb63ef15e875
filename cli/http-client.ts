import { z } from 'zod';
import type { Locale } from '../common/errors';
import { CliError, cliError } from './errors';

const errorBodySchema = z.object({
  code: z.string(),
  message: z.string(),
  details: z.record(z.string(), z.unknown()).optional(),
  requestId: z.string().optional(),
});

export interface RequestOptions {
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  /** Extra headers, e.g. the session cookie and CSRF token during login. */
  headers?: Record<string, string>;
}

export interface ApiResponse<T> {
  data: T;
  headers: Headers;
}

/** The CLI's only way to Qiao: JSON over its public REST API. */
export interface ApiClient {
  readonly baseUrl: string;
  call<T>(method: string, path: string, schema: z.ZodType<T>, options?: RequestOptions): Promise<ApiResponse<T>>;
  /** Files in or out (an upload as FormData, an .xlsx download): the raw answer once it is a success. */
  send(method: string, path: string, options?: { query?: RequestOptions['query']; form?: FormData }): Promise<Response>;
}

/** Lets the sessions list and the audit log tell the CLI apart from a browser. */
export const userAgent = 'qiao-cli';

export function normaliseBaseUrl(url: string, locale: Locale): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw cliError('USAGE', locale, { problem: `--url ${url} is not a URL` });
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw cliError('USAGE', locale, { problem: `--url must start with http:// or https:// (got ${url})` });
  }
  return parsed.toString().replace(/\/+$/, '');
}

export function createApiClient(options: { baseUrl: string; apiKey?: string; locale: Locale; fetch: typeof fetch }): ApiClient {
  const { baseUrl, apiKey, locale } = options;
  const urlOf = (path: string, query: RequestOptions['query']) => {
    const url = new URL(baseUrl + path);
    for (const [key, value] of Object.entries(query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    return url;
  };
  return {
    baseUrl,
    async send(method, path, request = {}) {
      const headers: Record<string, string> = { 'accept-language': locale, 'user-agent': userAgent };
      if (apiKey) headers.authorization = `Bearer ${apiKey}`;
      let response: Response;
      try {
        response = await options.fetch(urlOf(path, request.query), { method, headers, body: request.form, redirect: 'error' });
      } catch (error) {
        const cause = (error as { cause?: { code?: string; message?: string } }).cause;
        throw cliError('CONNECTION_FAILED', locale, { url: baseUrl, reason: cause?.code ?? cause?.message ?? (error as Error).message });
      }
      if (response.ok) return response;
      const failure = errorBodySchema.safeParse(await response.json().catch(() => null));
      if (!failure.success) throw cliError('UNEXPECTED_RESPONSE', locale, { status: response.status });
      throw new CliError(failure.data.code, failure.data.message, { details: failure.data.details, requestId: failure.data.requestId });
    },
    async call(method, path, schema, request = {}) {
      const url = new URL(baseUrl + path);
      for (const [key, value] of Object.entries(request.query ?? {})) {
        if (value !== undefined) url.searchParams.set(key, String(value));
      }
      const headers: Record<string, string> = {
        accept: 'application/json',
        'accept-language': locale,
        'user-agent': userAgent,
        ...request.headers,
      };
      if (apiKey) headers.authorization = `Bearer ${apiKey}`;
      if (request.body !== undefined) headers['content-type'] = 'application/json';

      let response: Response;
      try {
        response = await options.fetch(url, {
          method,
          headers,
          body: request.body === undefined ? undefined : JSON.stringify(request.body),
          redirect: 'error',
        });
      } catch (error) {
        const cause = (error as { cause?: { code?: string; message?: string } }).cause;
        throw cliError('CONNECTION_FAILED', locale, { url: baseUrl, reason: cause?.code ?? cause?.message ?? (error as Error).message });
      }

      const text = await response.text();
      let body: unknown = undefined;
      if (text !== '') {
        try {
          body = JSON.parse(text);
        } catch {
          throw cliError('UNEXPECTED_RESPONSE', locale, { status: response.status });
        }
      }
      if (!response.ok) {
        const failure = errorBodySchema.safeParse(body);
        if (!failure.success) throw cliError('UNEXPECTED_RESPONSE', locale, { status: response.status });
        throw new CliError(failure.data.code, failure.data.message, { details: failure.data.details, requestId: failure.data.requestId });
      }
      const parsed = schema.safeParse(body);
      if (!parsed.success) throw cliError('UNEXPECTED_RESPONSE', locale, { status: response.status });
      return { data: parsed.data, headers: response.headers };
    },
  };
}

/** Answers without a body (204) or whose body the CLI does not need. */
export const anyBody = z.unknown();
