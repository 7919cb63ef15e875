import type { ErrorSpec } from './spec';

/** Errors of users, sessions, API keys, roles and the audit log. */
export const systemErrors = {
  AUTH_INVALID_CREDENTIALS: { status: 401, zh: '用户名或密码错误', en: 'Wrong username or password' },
  AUTH_THROTTLED: { status: 429, zh: '登录失败次数过多，请 {retryAfterS} 秒后再试', en: 'Too many failed logins; try again in {retryAfterS} s' },
  AUTH_USER_DISABLED: { status: 403, zh: '该账号已停用', en: 'This account is disabled' },
  AUTH_WRONG_PASSWORD: { status: 400, zh: '当前密码不正确', en: 'The current password is wrong' },
  AUTH_WEAK_PASSWORD: { status: 400, zh: '密码至少 {minLength} 位，且不能与用户名相同', en: 'The password needs at least {minLength} characters and must differ from the username' },
  SETUP_ALREADY_DONE: { status: 409, zh: '系统已初始化，不能再次创建超级管理员', en: 'Setup is already done; the first super admin exists' },
  USER_NOT_FOUND: { status: 404, zh: '找不到该用户', en: 'User not found' },
  USERNAME_TAKEN: { status: 409, zh: '用户名 {username} 已被使用', en: 'The username {username} is taken' },
  ROLE_NOT_GRANTABLE: { status: 403, zh: '你不能授予高于自己的角色或范围', en: 'You cannot grant a role or scope above your own' },
  LAST_SUPER_ADMIN: { status: 409, zh: '至少要保留一位启用的超级管理员', en: 'At least one active super admin must remain' },
  SCOPE_REQUIRED: {
    status: 400,
    zh: '请至少指定一个部门：部门管理员必须有负责部门，部门管理员创建或编辑的用户也必须属于其管辖部门',
    en: 'At least one department scope is needed: a department admin must have one, and so must every user a department admin creates or edits',
  },
  API_KEY_NOT_FOUND: { status: 404, zh: '找不到该 API 密钥', en: 'API key not found' },
  API_KEY_REVOKED: { status: 401, zh: 'API 密钥已被吊销', en: 'The API key was revoked' },
  SESSION_NOT_FOUND: { status: 404, zh: '找不到该会话', en: 'Session not found' },
  AUDIT_CHAIN_BROKEN: { status: 409, zh: '审计日志校验失败：第 {seq} 条记录被改动或缺失', en: 'Audit log verification failed at entry {seq}: changed or missing' },
} as const satisfies Record<string, ErrorSpec>;
