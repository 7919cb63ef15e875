import type { ErrorSpec } from './spec';

/** Errors of the HTTP layer, validation, jobs and the runtime itself. */
export const platformErrors = {
  VALIDATION_FAILED: { status: 400, zh: '请求参数有误，请检查标出的字段', en: 'The request has invalid fields; see details' },
  MALFORMED_JSON: { status: 400, zh: '请求体不是合法的 JSON', en: 'The request body is not valid JSON' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, zh: '不支持的内容类型：{contentType}', en: 'Unsupported content type: {contentType}' },
  PAYLOAD_TOO_LARGE: { status: 413, zh: '请求体过大（上限 {limitBytes} 字节）', en: 'The request body is too large (limit {limitBytes} bytes)' },
  NOT_FOUND: { status: 404, zh: '找不到请求的资源', en: 'The requested resource was not found' },
  ROUTE_NOT_FOUND: { status: 404, zh: '没有这个接口：{method} {url}', en: 'No such endpoint: {method} {url}' },
  METHOD_NOT_ALLOWED: { status: 405, zh: '该接口不支持此方法', en: 'This endpoint does not support the method' },
  UNAUTHENTICATED: { status: 401, zh: '请先登录，或提供有效的 API 密钥', en: 'Log in or provide a valid API key' },
  FORBIDDEN: { status: 403, zh: '你没有执行此操作的权限（需要 {permission}）', en: 'You are not allowed to do this (needs {permission})' },
  OUT_OF_SCOPE: { status: 403, zh: '该对象不在你负责的部门范围内', en: 'This object is outside the departments you manage' },
  CSRF_TOKEN_INVALID: { status: 403, zh: '页面已过期或请求来源不可信，请刷新页面后重试', en: 'The page is stale or the request origin is not trusted; reload and try again' },
  RATE_LIMITED: { status: 429, zh: '请求过于频繁，请 {retryAfterS} 秒后再试', en: 'Too many requests; try again in {retryAfterS} s' },
  CONFLICT: { status: 409, zh: '数据已被修改，请刷新后重试', en: 'The data changed meanwhile; reload and try again' },
  JOB_NOT_FOUND: { status: 404, zh: '找不到该任务', en: 'Job not found' },
  JOB_ALREADY_FINISHED: { status: 409, zh: '任务已结束，无法取消', en: 'The job has already finished and cannot be cancelled' },
  NOT_READY: { status: 503, zh: '服务正在启动，请稍后', en: 'The service is starting; try again shortly' },
  INTERNAL_ERROR: { status: 500, zh: '服务器内部错误，请凭请求编号联系管理员', en: 'Internal server error; contact your administrator with the request id' },
} as const satisfies Record<string, ErrorSpec>;
