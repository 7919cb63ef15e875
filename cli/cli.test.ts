import { spawnSync } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../test/support/test-app';
import type { CliIo } from './io';
import { main } from './main';

const admin = { username: 'admin', password: 'correct-horse-battery' };

let testApp: TestApp & { close(): Promise<void> };
let baseUrl: string;
const scratch = mkdtempSync(join(tmpdir(), 'qiao-cli-'));

interface RunOptions {
  env?: Record<string, string>;
  stdin?: string;
  /** Answers a person would type at the prompts; makes the terminal interactive. */
  answers?: string[];
  configHome?: string;
}

async function qiao(args: string[], options: RunOptions = {}) {
  let stdout = '';
  let stderr = '';
  const prompts: string[] = [];
  const answers = [...(options.answers ?? [])];
  const io: CliIo = {
    stdout: (text) => void (stdout += text),
    stderr: (text) => void (stderr += text),
    env: { XDG_CONFIG_HOME: options.configHome ?? join(scratch, 'config'), QIAO_URL: baseUrl, LANG: 'en_US.UTF-8', ...options.env },
    isInteractive: options.answers !== undefined,
    prompt: async (question) => {
      prompts.push(question);
      return answers.shift() ?? '';
    },
    readStdin: async () => options.stdin ?? '',
    fetch: globalThis.fetch,
    homeDir: join(scratch, 'home'),
    hostname: 'build-01',
  };
  const code = await main(args, io);
  return { code, stdout, stderr, prompts };
}

function savedCredentials(configHome = join(scratch, 'config')) {
  return JSON.parse(readFileSync(join(configHome, 'qiao', 'credentials.json'), 'utf8')) as {
    defaultUrl: string;
    servers: Record<string, { apiKey: string; apiKeyId: string; username: string }>;
  };
}

beforeAll(async () => {
  testApp = await buildTestApp();
  await testApp.app.listen({ port: 0, host: '127.0.0.1' });
  baseUrl = `http://127.0.0.1:${(testApp.app.server.address() as AddressInfo).port}`;
  await testApp.app.system.bootstrapAdmin(admin.username, admin.password);
  testApp.queue.register('cli.import', async (context) => {
    await context.setTotal(3);
    await context.progress({ done: 3, errors: [{ row: 2, column: '手机', code: 'INVALID_MOBILE', message: '手机号格式不正确' }] });
  });
  await testApp.queue.start();
});

afterAll(async () => {
  await testApp?.close();
  rmSync(scratch, { recursive: true, force: true });
});

describe('qiao login', () => {
  it('logs in, saves an API key owner-only under XDG_CONFIG_HOME and ends the session it used', async () => {
    const result = await qiao(['login', '--username', admin.username, '--password-stdin'], { stdin: `${admin.password}\n` });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Logged in to ${baseUrl} as admin`);

    const file = join(scratch, 'config', 'qiao', 'credentials.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const saved = savedCredentials();
    expect(saved.defaultUrl).toBe(baseUrl);
    expect(saved.servers[baseUrl]?.apiKey).toMatch(/^qiao_/);

    const sessions = await fetch(`${baseUrl}/api/v1/me/sessions`, { headers: { authorization: `Bearer ${saved.servers[baseUrl]?.apiKey}` } });
    const body = (await sessions.json()) as { items: { userAgent: string | null }[] };
    expect(body.items.filter((s) => s.userAgent === 'qiao-cli')).toEqual([]);
  });

  it('asks for username and password on a terminal, and replaces the key it saved before', async () => {
    const before = savedCredentials().servers[baseUrl]!;
    const result = await qiao(['login'], { answers: [admin.username, admin.password] });
    expect(result.code).toBe(0);
    expect(result.prompts).toEqual(['Username: ', 'Password: ']);
    const after = savedCredentials().servers[baseUrl]!;
    expect(after.apiKeyId).not.toBe(before.apiKeyId);

    const old = await qiao(['api-keys', 'list'], { env: { QIAO_API_KEY: before.apiKey } });
    expect(old.code).toBe(1);
    expect(old.stderr).toMatch(/^(API_KEY_REVOKED|UNAUTHENTICATED): /);
  });

  it('prints CODE: message in the language asked for and exits 1 on a wrong password', async () => {
    const english = await qiao(['login', '-u', admin.username, '--password', 'wrong-password']);
    expect(english.code).toBe(1);
    expect(english.stderr).toMatch(/^AUTH_INVALID_CREDENTIALS: Wrong username or password\n/);
    const chinese = await qiao(['login', '-u', admin.username, '--password', 'wrong-password', '--lang', 'zh-CN']);
    expect(chinese.stderr).toMatch(/^AUTH_INVALID_CREDENTIALS: 用户名或密码错误\n/);
  });

  it('refuses to prompt without a terminal', async () => {
    const result = await qiao(['login', '--username', admin.username]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^USAGE: /);
  });
});

describe('commands with the saved key', () => {
  beforeAll(async () => {
    const login = await qiao(['login', '--username', admin.username, '--password-stdin'], { stdin: admin.password });
    if (login.code !== 0) throw new Error(`login failed: ${login.stderr}`);
  });

  it('creates, lists and revokes API keys', async () => {
    const created = await qiao(['api-keys', 'create', '--name', 'deploy bot', '--json']);
    expect(created.code).toBe(0);
    const key = JSON.parse(created.stdout) as { id: string; key: string; name: string };
    expect(key.name).toBe('deploy bot');
    expect(key.key).toMatch(/^qiao_/);

    const listed = await qiao(['api-keys', 'list']);
    expect(listed.code).toBe(0);
    const header = listed.stdout.split('\n')[0];
    expect(header).toMatch(/^ID\s+NAME\s+PREFIX\s+OWNER\s+ROLE\s+STATUS/);
    expect(listed.stdout).toContain('deploy bot');
    expect(listed.stdout).toContain('cli@build-01');

    const revoked = await qiao(['api-keys', 'revoke', key.id]);
    expect(revoked.code).toBe(0);
    expect(revoked.stdout).toContain(`Revoked API key "deploy bot" (${key.id})`);

    const page = JSON.parse((await qiao(['api-keys', 'list', '--json'])).stdout) as { items: { id: string; revokedAt: string | null }[] };
    expect(page.items.find((k) => k.id === key.id)?.revokedAt).not.toBeNull();
    const refused = await qiao(['users', 'list'], { env: { QIAO_API_KEY: key.key } });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^(API_KEY_REVOKED|UNAUTHENTICATED): /);
  });

  it('creates users and lists them in a table aligned for Chinese names', async () => {
    const created = await qiao(['users', 'create', '--username', 'zhangsan', '--display-name', '张三', '--role', 'member', '--password-stdin'], {
      stdin: 'a-long-password-1\n',
    });
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(/username\s+zhangsan/);

    const listed = await qiao(['users', 'list']);
    expect(listed.code).toBe(0);
    const lines = listed.stdout.trimEnd().split('\n');
    const roleAt = (line: string, role: string) => {
      const index = line.indexOf(role);
      return Array.from(line.slice(0, index)).reduce((width, char) => width + (/\p{Script=Han}/u.test(char) ? 2 : 1), 0);
    };
    const zhang = lines.find((l) => l.includes('张三'))!;
    const root = lines.find((l) => l.includes('super_admin'))!;
    expect(roleAt(zhang, 'member')).toBe(roleAt(root, 'super_admin'));

    const json = JSON.parse((await qiao(['users', 'list', '--json', '--role', 'member'])).stdout) as { items: { username: string }[] };
    expect(json.items.map((u) => u.username)).toEqual(['zhangsan']);
  });

  it('reports a taken username with the server’s code', async () => {
    const again = await qiao(['users', 'create', '--username', 'admin', '--password', 'a-long-password-2']);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^USERNAME_TAKEN: The username admin is taken/);
  });

  it('lists the audit log with filters and verifies its chain', async () => {
    const all = await qiao(['audit', 'list', '--json', '--limit', '200']);
    expect(all.code).toBe(0);
    const entries = (JSON.parse(all.stdout) as { items: { action: string }[] }).items;
    expect(entries.length).toBeGreaterThan(0);
    const action = entries[0]!.action;

    const filtered = await qiao(['audit', 'list', '--action', action]);
    expect(filtered.code).toBe(0);
    expect(filtered.stdout.split('\n')[0]).toMatch(/^SEQ\s+AT\s+ACTOR\s+ACTION/);
    expect(filtered.stdout).toContain(action);

    const verified = await qiao(['audit', 'verify']);
    expect(verified.code).toBe(0);
    expect(verified.stdout).toMatch(/^Audit log intact: \d+ entries checked\./);
    const json = JSON.parse((await qiao(['audit', 'verify', '--json'])).stdout) as { ok: boolean };
    expect(json.ok).toBe(true);
  });

  it('checks arguments against the request schema before sending', async () => {
    const result = await qiao(['audit', 'list', '--from', 'yesterday']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^USAGE: .*from/);
  });

  it('shows a job with its progress and row errors, lists it, and refuses to cancel it once finished', async () => {
    const job = await testApp.queue.enqueue('cli.import', {});
    let state = 'queued';
    while (state === 'queued' || state === 'running') {
      const polled = await qiao(['jobs', 'get', job.id, '--json']);
      state = (JSON.parse(polled.stdout) as { state: string }).state;
      if (state === 'queued' || state === 'running') await sleep(50);
    }
    const shown = await qiao(['jobs', 'get', job.id]);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(/state\s+succeeded/);
    expect(shown.stdout).toMatch(/progress\s+3\/3 \(100%\)/);
    expect(shown.stdout).toMatch(/ROW\s+COLUMN\s+CODE\s+MESSAGE\n2\s+手机\s+INVALID_MOBILE\s+手机号格式不正确/);

    const listed = await qiao(['jobs', 'list', '--kind', 'cli.import']);
    expect(listed.stdout).toContain(job.id);

    const cancelled = await qiao(['jobs', 'cancel', job.id]);
    expect(cancelled.code).toBe(1);
    expect(cancelled.stderr).toMatch(/^JOB_ALREADY_FINISHED: /);
  });

  it('answers JOB_NOT_FOUND for an unknown job', async () => {
    const result = await qiao(['jobs', 'get', '00000000-0000-4000-8000-000000000000']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^JOB_NOT_FOUND: /);
  });

  it('logs out by revoking the saved key', async () => {
    const key = savedCredentials().servers[baseUrl]!.apiKey;
    const result = await qiao(['logout']);
    expect(result.code).toBe(0);
    expect(savedCredentials().servers[baseUrl]).toBeUndefined();
    const refused = await qiao(['users', 'list'], { env: { QIAO_API_KEY: key } });
    expect(refused.code).toBe(1);
  });
});

describe('usage', () => {
  it('prints help on every level and exits 0', async () => {
    const top = await qiao(['--help']);
    expect(top.code).toBe(0);
    expect(top.stdout).toContain('Usage: qiao <command> [options]');
    expect(top.stdout).toContain('api-keys revoke <id>');
    const group = await qiao(['users', '--help']);
    expect(group.stdout).toContain('Usage: qiao users <command>');
    const command = await qiao(['audit', 'list', '-h']);
    expect(command.stdout).toContain('--action <action>');
    expect(command.stdout).toContain('--json');
  });

  it('exits 2 on an unknown command, option or a missing argument', async () => {
    for (const args of [['frobnicate'], ['users', 'list', '--colour'], ['api-keys', 'revoke'], ['users']]) {
      const result = await qiao(args);
      expect(result.code, args.join(' ')).toBe(2);
    }
    expect((await qiao(['frobnicate'])).stderr).toMatch(/^USAGE: Wrong usage: unknown command "frobnicate"/);
  });

  it('says how to log in when no key is known', async () => {
    const result = await qiao(['users', 'list'], { configHome: join(scratch, 'empty-config') });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^NOT_LOGGED_IN: No API key: run `qiao login` first/);
  });

  it('names the address it could not reach', async () => {
    const result = await qiao(['users', 'list', '--url', 'http://127.0.0.1:9', '--api-key', 'qiao_x']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^CONNECTION_FAILED: Cannot reach http:\/\/127\.0\.0\.1:9/);
  });

  it('runs as the installed `qiao` executable', () => {
    const bin = fileURLToPath(new URL('./bin.mjs', import.meta.url));
    const result = spawnSync(process.execPath, [bin, '--help'], { encoding: 'utf8', timeout: 60_000 });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('Usage: qiao <command> [options]');
  });
});
