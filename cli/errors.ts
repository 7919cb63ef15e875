import type { Locale } from '../common/errors';

/** Failures the CLI finds before or around an HTTP answer; server errors keep their own codes. */
const cliMessages = {
  USAGE: { zh: '用法有误：{problem}', en: 'Wrong usage: {problem}' },
  NOT_LOGGED_IN: {
    zh: '没有可用的 API 密钥：请先运行 qiao login，或使用 --api-key / QIAO_API_KEY',
    en: 'No API key: run `qiao login` first, or pass --api-key / QIAO_API_KEY',
  },
  CONNECTION_FAILED: { zh: '无法连接 {url}：{reason}', en: 'Cannot reach {url}: {reason}' },
  UNEXPECTED_RESPONSE: { zh: '服务器返回了无法识别的应答（HTTP {status}）', en: 'The server answered with something unexpected (HTTP {status})' },
  CANCELLED: { zh: '已取消', en: 'Cancelled' },
} as const;

export type CliErrorCode = keyof typeof cliMessages;

/** What `main` prints as `CODE: message` before exiting non-zero. */
export class CliError extends Error {
  readonly code: string;
  readonly details: Record<string, unknown>;
  readonly requestId: string | undefined;
  readonly exitCode: number;

  constructor(code: string, message: string, options: { details?: Record<string, unknown>; requestId?: string; exitCode?: number } = {}) {
    super(message);
    this.name = 'CliError';
    this.code = code;
    this.details = options.details ?? {};
    this.requestId = options.requestId;
    this.exitCode = options.exitCode ?? 1;
  }
}

function fill(template: string, values: Record<string, unknown>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => (values[key] === undefined ? whole : String(values[key])));
}

export function cliError(code: CliErrorCode, locale: Locale, values: Record<string, unknown> = {}): CliError {
  const spec = cliMessages[code];
  return new CliError(code, fill(locale === 'en-US' ? spec.en : spec.zh, values), { exitCode: code === 'USAGE' ? 2 : 1 });
}

/**
 * `--lang`, else the POSIX locale variables in their order of precedence;
 * zh-CN unless they ask for English, as the server does.
 */
export function localeOf(lang: string | undefined, env: Record<string, string | undefined>): Locale {
  const chosen = [lang, env.LC_ALL, env.LC_MESSAGES, env.LANG].find((value) => value !== undefined && value !== '');
  return chosen?.toLowerCase().startsWith('en') ? 'en-US' : 'zh-CN';
}
