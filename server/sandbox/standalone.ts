import { randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createCache } from '../platform/cache';
import { systemClock } from '../platform/clock';
import { ConfigError, loadConfig } from '../platform/config';
import { openDatabase } from '../platform/db/client';
import { lockDataDir } from '../platform/db/data-dir-lock';
import { migrateDatabase } from '../platform/db/migrate';
import { installAccessGuard, type Authenticator } from '../platform/http/access';
import { createHttpServer } from '../platform/http/create-server';
import type { Principal } from '../platform/http/principal';
import { createLogger } from '../platform/logger';
import { createSandbox, DEFAULT_SANDBOX_POPULATION } from '.';

/**
 * `npm run sandbox`: only the WeChat sandbox, on its own port and data dir,
 * for developers pointing their own apps at it. There are no Qiao users here:
 * the control API takes `Authorization: Bearer <key>` with the key kept in
 * `<data dir>/sandbox-control.key` (printed at boot).
 */
function controlKey(dataDir: string): string {
  const path = join(dataDir, 'sandbox-control.key');
  if (existsSync(path)) return readFileSync(path, 'utf8').trim();
  const key = randomBytes(24).toString('base64url');
  writeFileSync(path, `${key}\n`, { mode: 0o600 });
  return key;
}

function keyAuthenticator(key: string): Authenticator {
  const expected = Buffer.from(key);
  const principal: Principal = {
    kind: 'api_key',
    userId: 'sandbox-control',
    username: 'sandbox-control',
    displayName: 'Sandbox control key',
    role: 'super_admin',
    permissions: ['sandbox.control'],
    departmentScopes: [],
    wecomMembers: [],
    apiKeyId: 'sandbox-control',
  };
  return {
    async authenticate(request) {
      const header = request.headers.authorization ?? '';
      const sent = Buffer.from(header.startsWith('Bearer ') ? header.slice(7) : '');
      return sent.length === expected.length && timingSafeEqual(sent, expected) ? principal : null;
    },
  };
}

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`The sandbox cannot start:\n${error.problems.map((p) => `  - ${p}`).join('\n')}\n`);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger(config.logLevel);
  const dataDir = resolve(config.dataDir);
  mkdirSync(dataDir, { recursive: true });
  const lock = lockDataDir(dataDir);
  const database = await openDatabase({ databaseUrl: config.databaseUrl, pgliteDir: join(dataDir, 'pgdata'), pgliteSharedBuffersMb: config.pgliteSharedBuffersMb });
  await migrateDatabase(database);
  const cache = await createCache({ redisUrl: config.redisUrl });
  const app = await createHttpServer({ logger, bodyLimitBytes: config.bodyLimitBytes, publicBaseUrl: config.publicBaseUrl, version: 'sandbox' });
  const key = controlKey(dataDir);
  installAccessGuard(app, { authenticator: keyAuthenticator(key), refusals: { recordRefusal: async () => undefined } });
  const sandbox = createSandbox({ config: { ...config, sandbox: true }, db: database.db, cache, clock: systemClock, logger });
  await app.register(sandbox.routes);
  const created = await sandbox.bootstrap({ population: DEFAULT_SANDBOX_POPULATION });
  await app.listen({ port: config.port, host: config.host });
  if (created.officialAccount) {
    const { appId, appSecret, token, encodingAesKey, encryptMode, apiBaseUrl } = created.officialAccount;
    process.stdout.write(
      `Created a sandbox Official Account:\n  AppID ${appId}\n  AppSecret ${appSecret}\n  Token ${token}\n  EncodingAESKey ${encodingAesKey}\n  mode ${encryptMode}\n  API base URL ${apiBaseUrl}\n`,
    );
  }
  process.stdout.write(
    `WeChat sandbox ready at ${config.publicBaseUrl}/sandbox/official-account (control API: ${config.publicBaseUrl}/sandbox/control, key in ${join(dataDir, 'sandbox-control.key')})\n`,
  );
  const stop = async () => {
    await app.close();
    await sandbox.officialAccount.idle();
    await cache.close();
    await database.close();
    lock.release();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

void main();
