import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServerProcess, type ServerProcess } from './support/server-process';

const root = fileURLToPath(new URL('..', import.meta.url));

function bootOnce(env: Record<string, string>) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: '', REDIS_URL: '', LOG_LEVEL: 'warn', ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
}

describe('boot', () => {
  it('lists every bad setting at once and exits non-zero', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'qiao-boot-'));
    const result = bootOnce({
      QIAO_DATA_DIR: dataDir,
      PORT: 'eighty',
      DATABASE_URL: 'mysql://nope',
      QIAO_SANDBOX: 'maybe',
      QIAO_ADMIN_USERNAME: 'admin',
    });
    rmSync(dataDir, { recursive: true, force: true });
    expect(result.status).not.toBe(0);
    for (const name of ['PORT', 'DATABASE_URL', 'QIAO_SANDBOX', 'QIAO_ADMIN_PASSWORD']) {
      expect(result.stderr).toContain(name);
    }
  });

  describe('with a running server', () => {
    let server: ServerProcess;
    // A fresh data dir: the embedded cluster is created and migrated first (startServerProcess waits up to 90 s).
    beforeAll(async () => {
      server = await startServerProcess({ DATABASE_URL: '' });
    }, 120_000);
    afterAll(async () => {
      await server?.stop();
    });

    it('answers /healthz and /readyz', async () => {
      expect(await (await fetch(`${server.url}/healthz`)).json()).toEqual({ status: 'ok' });
      expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
    });

    it('refuses a second process on the same data dir, naming the lock', () => {
      const result = bootOnce({ QIAO_DATA_DIR: server.dataDir, PORT: String(server.port + 1) });
      expect(result.status).not.toBe(0);
      expect(result.stderr).toContain(join(server.dataDir, 'qiao.lock'));
      expect(result.stderr).toMatch(/in use by another Qiao process/);
    });
  });
});
