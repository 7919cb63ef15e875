import { currentLanguage } from './i18n';

/** A field the server refused, as listed in `details.fields` of VALIDATION_FAILED. */
export interface FieldError {
  field: string;
  message: string;
}

/** Every failed API call: the server's `{code, message, details, requestId}` plus the status. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: Record<string, unknown>;
  readonly requestId: string | null;

  constructor(status: number, body: { code: string; message: string; details?: Record<string, unknown>; requestId?: string }) {
    super(body.message);
    this.name = 'ApiError';
    this.status = status;
    this.code = body.code;
    this.details = body.details ?? {};
    this.requestId = body.requestId ?? null;
  }

  get fieldErrors(): FieldError[] {
    const fields = this.details.fields;
    if (!Array.isArray(fields)) return [];
    return fields.filter(
      (f): f is FieldError => typeof f === 'object' && f !== null && typeof f.field === 'string' && typeof f.message === 'string',
    );
  }
}

export function isApiError(value: unknown): value is ApiError {
  return value instanceof ApiError;
}

const unsafeMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
let csrfToken: string | null = null;
const unauthenticatedListeners = new Set<() => void>();
/** Their 401 is an answer (not signed in / wrong password), not a lost session. */
const sessionProbes = new Set(['/api/v1/me', '/api/v1/auth/login', '/api/v1/setup']);

/** The session's CSRF token, from `/me` or the login/setup answer; sent on every unsafe request. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Called when any request answers 401, so the shell can return to the login page. */
export function onUnauthenticated(listener: () => void): () => void {
  unauthenticatedListeners.add(listener);
  return () => unauthenticatedListeners.delete(listener);
}

export type QueryValue = string | number | boolean | null | undefined;

export interface RequestOptions {
  query?: Record<string, QueryValue>;
  body?: unknown;
  signal?: AbortSignal;
}

export function withQuery(path: string, query: Record<string, QueryValue> | undefined): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const search = params.toString();
  return search ? `${path}?${search}` : path;
}

/** The one way the console talks to `/api/v1`: JSON in and out, language and CSRF headers added. */
export async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', 'accept-language': currentLanguage() };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (unsafeMethods.has(method) && csrfToken) headers['x-csrf-token'] = csrfToken;
  let response: Response;
  try {
    response = await fetch(withQuery(path, options.query), {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      credentials: 'same-origin',
      signal: options.signal,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(0, { code: 'NETWORK_ERROR', message: error instanceof Error ? error.message : String(error) });
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  const parsed: unknown = text ? safeJson(text) : undefined;
  if (!response.ok) {
    if (response.status === 401 && !sessionProbes.has(path)) for (const listener of unauthenticatedListeners) listener();
    if (isErrorBody(parsed)) throw new ApiError(response.status, parsed);
    throw new ApiError(response.status, { code: `HTTP_${response.status}`, message: response.statusText || `HTTP ${response.status}` });
  }
  return parsed as T;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isErrorBody(value: unknown): value is { code: string; message: string; details?: Record<string, unknown>; requestId?: string } {
  return typeof value === 'object' && value !== null && typeof (value as { code?: unknown }).code === 'string' && typeof (value as { message?: unknown }).message === 'string';
}

export const api = {
  get: <T>(path: string, query?: Record<string, QueryValue>, signal?: AbortSignal) => request<T>('GET', path, { query, signal }),
  post: <T>(path: string, body?: unknown) => request<T>('POST', path, { body: body ?? {} }),
  put: <T>(path: string, body: unknown) => request<T>('PUT', path, { body }),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, { body }),
  delete: <T>(path: string) => request<T>('DELETE', path),
};
