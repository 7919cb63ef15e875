import { z } from 'zod';

/** One setting: its schema turns the raw environment string (or undefined) into a value. */
export interface ConfigVariable<T = unknown> {
  name: string;
  description: string;
  /** What the docs show as the default; `required` when there is none. */
  defaultLabel: string;
  secret: boolean;
  schema: z.ZodType<T>;
}

function variable<T>(spec: ConfigVariable<T>): ConfigVariable<T> {
  return spec;
}

const port = z.coerce.number().int().min(0).max(65535);
const onOff = z
  .enum(['on', 'off', 'true', 'false', '1', '0'])
  .transform((v) => v === 'on' || v === 'true' || v === '1');
const url = (protocols: string[]) =>
  z.string().refine((s) => {
    try {
      return protocols.includes(new URL(s).protocol);
    } catch {
      return false;
    }
  }, `must be a URL starting with ${protocols.join(' or ')}//`);

/** Every environment variable Qiao reads, in the order the docs list them. */
export const configVariables = {
  port: variable({
    name: 'PORT',
    description: 'HTTP port of console, API, callbacks and sandbox',
    defaultLabel: '3000',
    secret: false,
    schema: port.default(3000),
  }),
  host: variable({
    name: 'HOST',
    description: 'Bind address (`0.0.0.0` behind a reverse proxy)',
    defaultLabel: '127.0.0.1',
    secret: false,
    schema: z.string().min(1).default('127.0.0.1'),
  }),
  dataDir: variable({
    name: 'QIAO_DATA_DIR',
    description: 'Embedded database, secrets key and backups; locked against a second process',
    defaultLabel: './data',
    secret: false,
    schema: z.string().min(1).default('./data'),
  }),
  databaseUrl: variable({
    name: 'DATABASE_URL',
    description: 'PostgreSQL connection URL; when set, used instead of the embedded database',
    defaultLabel: 'unset',
    secret: true,
    schema: url(['postgres:', 'postgresql:']).optional(),
  }),
  databasePoolSize: variable({
    name: 'DATABASE_POOL_SIZE',
    description: 'Connections each Qiao process opens to PostgreSQL at most (with DATABASE_URL); keep instances × size under the server’s max_connections',
    defaultLabel: '20',
    secret: false,
    schema: z.coerce.number().int().min(2).max(500).default(20),
  }),
  pgliteSharedBuffersMb: variable({
    name: 'QIAO_PGLITE_SHARED_BUFFERS_MB',
    description: 'Page cache of the embedded database, in MiB (without DATABASE_URL); held in the Qiao process from the start, so raise it only for large data',
    defaultLabel: '32',
    secret: false,
    schema: z.coerce.number().int().min(16).max(4096).default(32),
  }),
  redisUrl: variable({
    name: 'REDIS_URL',
    description: 'Redis for shared cache, locks and rate limits when several instances run',
    defaultLabel: 'unset',
    secret: true,
    schema: url(['redis:', 'rediss:']).optional(),
  }),
  publicUrl: variable({
    name: 'QIAO_PUBLIC_URL',
    description: 'The address WeChat and browsers reach; callback URLs shown to users start with it',
    defaultLabel: 'http://HOST:PORT',
    secret: false,
    schema: url(['http:', 'https:']).optional(),
  }),
  adminUsername: variable({
    name: 'QIAO_ADMIN_USERNAME',
    description: 'Creates the first super admin at boot when no user exists (with QIAO_ADMIN_PASSWORD)',
    defaultLabel: 'unset',
    secret: false,
    schema: z.string().min(1).max(64).optional(),
  }),
  adminPassword: variable({
    name: 'QIAO_ADMIN_PASSWORD',
    description: 'Password of that first super admin (at least 8 characters)',
    defaultLabel: 'unset',
    secret: true,
    schema: z.string().min(8, 'must have at least 8 characters').max(200).optional(),
  }),
  secretKey: variable({
    name: 'QIAO_SECRET_KEY',
    description: 'Base64 of 32 bytes; encrypts stored WeChat secrets at rest. Generated into the data dir when unset. Set it when several instances share a database or the data dir may be replaced: secrets sealed under a key the server lacks cannot be opened (the account shows 密钥无法解密 and boot logs which key it needs)',
    defaultLabel: 'generated into the data dir',
    secret: true,
    schema: z
      .string()
      .refine((s) => Buffer.from(s, 'base64').length === 32, 'must be the Base64 of exactly 32 bytes')
      .optional(),
  }),
  consoleDir: variable({
    name: 'QIAO_CONSOLE_DIR',
    description: 'Folder of the built console that the server hosts; `npm start` builds it into the default when sources changed',
    defaultLabel: 'dist/console',
    secret: false,
    schema: z.string().min(1).optional(),
  }),
  sandbox: variable({
    name: 'QIAO_SANDBOX',
    description: 'Serve the built-in WeChat sandbox (`on` or `off`)',
    defaultLabel: 'on',
    secret: false,
    schema: onOff.default(true),
  }),
  sandboxFollowers: variable({
    name: 'QIAO_SANDBOX_FOLLOWERS',
    description: 'Followers of the sandbox Official Account, and members/customers of the sandbox corp, created on first boot',
    defaultLabel: '200',
    secret: false,
    schema: z.coerce.number().int().min(0).max(1_000_000).default(200),
  }),
  callbackMaxAgeS: variable({
    name: 'QIAO_CALLBACK_MAX_AGE_S',
    description: 'A callback POST whose timestamp is older than this many seconds is refused',
    defaultLabel: '3600',
    secret: false,
    schema: z.coerce.number().int().min(1).default(3600),
  }),
  callbackBudgetMs: variable({
    name: 'QIAO_CALLBACK_BUDGET_MS',
    description: 'Time a callback handler gets before Qiao answers `success` and replies later',
    defaultLabel: '4500',
    secret: false,
    schema: z.coerce.number().int().min(100).max(4900).default(4500),
  }),
  sessionTtlHours: variable({
    name: 'QIAO_SESSION_TTL_H',
    description: 'Hours a console session stays valid without use',
    defaultLabel: '12',
    secret: false,
    schema: z.coerce.number().int().min(1).max(24 * 90).default(12),
  }),
  bodyLimitBytes: variable({
    name: 'QIAO_BODY_LIMIT_BYTES',
    description: 'Largest JSON request body accepted',
    defaultLabel: '1048576',
    secret: false,
    schema: z.coerce.number().int().min(1024).default(1024 * 1024),
  }),
  uploadLimitBytes: variable({
    name: 'QIAO_UPLOAD_LIMIT_BYTES',
    description: 'Largest uploaded file (Excel imports, media)',
    defaultLabel: '52428800',
    secret: false,
    schema: z.coerce.number().int().min(1024).default(50 * 1024 * 1024),
  }),
  customerExportsPerDay: variable({
    name: 'QIAO_CUSTOMER_EXPORTS_PER_DAY',
    description: 'WeCom customer exports each user may make per day (China time); the next one answers 429',
    defaultLabel: '5',
    secret: false,
    schema: z.coerce.number().int().min(0).max(1000).default(5),
  }),
  customerRetentionDays: variable({
    name: 'QIAO_CUSTOMER_RETENTION_DAYS',
    description: 'Days a WeCom customer no member follows any more (deleted by the member or the customer) is kept before the daily purge removes it with every record about it (follow-ups, welcome log, transfers, tag-rule runs, group joins); the audit log stays',
    defaultLabel: '180',
    secret: false,
    schema: z.coerce.number().int().min(1).max(3650).default(180),
  }),
  logLevel: variable({
    name: 'LOG_LEVEL',
    description: 'pino log level: fatal, error, warn, info, debug, trace or silent',
    defaultLabel: 'info',
    secret: false,
    schema: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  }),
} as const;

type Variables = typeof configVariables;
export type Config = { [K in keyof Variables]: Variables[K] extends ConfigVariable<infer T> ? T : never } & {
  /** QIAO_PUBLIC_URL, or http://HOST:PORT, without a trailing slash. */
  publicBaseUrl: string;
};
