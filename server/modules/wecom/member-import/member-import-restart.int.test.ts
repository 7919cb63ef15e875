import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../../../../test/support/server-process';
import { jobRunSchema } from '../../system/jobs/jobs.schema';

const root = fileURLToPath(new URL('../../../..', import.meta.url));
const admin = { username: 'admin', password: 'Qiao-import-restart-1' };
/** Five batches of 1000: the kill lands after the first checkpoints and well before the last. */
const rowCount = 5_000;
const groups = 8;

const childScript = fileURLToPath(new URL('../../../../test/support/qiao-child.ts', import.meta.url));

interface ChildEvent {
  event: 'ready' | 'run' | 'progress' | 'end' | 'error';
  kind?: string;
  jobId?: string;
  done?: number;
  from?: number;
  message?: string;
}

interface Qiao {
  child: ChildProcess;
  url: string;
  events: ChildEvent[];
  output(): string;
  /** Resolves with the first event that matches; rejects when the process exits first. */
  waitFor(match: (event: ChildEvent) => boolean): Promise<ChildEvent>;
  exited: Promise<void>;
}

/** One Qiao process on a given data dir (and database), booted as `npm start` boots it. */
async function startQiao(dataDir: string, databaseUrl: string): Promise<Qiao> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', childScript], {
    cwd: root,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      QIAO_DATA_DIR: dataDir,
      DATABASE_URL: databaseUrl,
      REDIS_URL: '',
      LOG_LEVEL: 'warn',
      QIAO_ADMIN_USERNAME: admin.username,
      QIAO_ADMIN_PASSWORD: admin.password,
      QIAO_SANDBOX_FOLLOWERS: '5',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const events: ChildEvent[] = [];
  const waiters: { match: (event: ChildEvent) => boolean; resolve: (event: ChildEvent) => void }[] = [];
  createInterface({ input: child.stdout! }).on('line', (line) => {
    let event: ChildEvent;
    try {
      event = JSON.parse(line) as ChildEvent;
    } catch {
      output += `${line}\n`;
      return;
    }
    events.push(event);
    for (const waiter of waiters.filter((w) => w.match(event))) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve(event);
    }
  });
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const qiao: Qiao = {
    child,
    url: `http://127.0.0.1:${port}`,
    events,
    output: () => output,
    exited,
    waitFor(match) {
      const seen = events.find(match);
      if (seen) return Promise.resolve(seen);
      return new Promise<ChildEvent>((resolve, reject) => {
        waiters.push({ match, resolve });
        void exited.then(() => reject(new Error(`Qiao exited (${child.exitCode ?? child.signalCode}) first; events ${JSON.stringify(events.slice(-5))}; output ${output.slice(-3000)}`)));
      });
    },
  };
  processes.push(qiao);
  await qiao.waitFor((e) => e.event === 'ready');
  return qiao;
}

async function session(url: string) {
  const login = await fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(admin) });
  expect(login.status).toBe(200);
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
  const { user } = (await login.json()) as { user: { csrfToken: string } };
  return { cookie, 'x-csrf-token': user.csrfToken };
}

async function json<T>(url: string, headers: Record<string, string>): Promise<T> {
  const response = await fetch(url, { headers });
  expect(response.status, `${url}: ${await response.clone().text()}`).toBe(200);
  return (await response.json()) as T;
}

async function sheet(): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const members = workbook.addWorksheet('成员');
  members.addRow(['姓名', '账号', '手机', '邮箱', '部门', '职务']);
  for (let i = 0; i < rowCount; i++) {
    members.addRow([`重启成员${i}`, `restart${String(i).padStart(5, '0')}`, `1${5_100_000_000 + i}`, '', `断点续传/第${i % groups}组`, i % 100 === 0 ? '组长' : '组员']);
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

const processes: Qiao[] = [];
let cleanup: (() => Promise<void>) | null = null;

afterEach(async () => {
  for (const qiao of processes.splice(0)) {
    if (qiao.child.exitCode === null && qiao.child.signalCode === null) {
      qiao.child.kill('SIGKILL');
      await qiao.exited;
    }
  }
  await cleanup?.();
  cleanup = null;
});

describe('an Excel import survives its Qiao process being killed', () => {
  it('resumes after SIGKILL in a new process and applies every row exactly once, with the report right', { timeout: 300_000 }, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'qiao-import-restart-'));
    let databaseUrl = '';
    let dropDatabase = async () => {};
    const base = process.env.TEST_DATABASE_URL;
    if (base) {
      const name = `qiao_import_restart_${process.pid}`;
      const adminClient = new pg.Client({ connectionString: base });
      await adminClient.connect();
      await adminClient.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await adminClient.query(`CREATE DATABASE ${name}`);
      await adminClient.end();
      const url = new URL(base);
      url.pathname = `/${name}`;
      databaseUrl = url.toString();
      dropDatabase = async () => {
        const again = new pg.Client({ connectionString: base });
        await again.connect();
        await again.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await again.end();
      };
    }
    cleanup = async () => {
      rmSync(dataDir, { recursive: true, force: true });
      await dropDatabase();
    };

    const first = await startQiao(dataDir, databaseUrl);
    let headers = await session(first.url);
    const accounts = await json<{ items: { id: string; type: string; sandbox: boolean }[] }>(`${first.url}/api/v1/accounts`, headers);
    const accountId = accounts.items.find((a) => a.type === 'wecom' && a.sandbox)!.id;

    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(await sheet())]), 'members.xlsx');
    const started = await fetch(`${first.url}/api/v1/wecom/${accountId}/members/import?createMissingDepartments=true`, { method: 'POST', headers, body: form });
    expect(started.status, await started.clone().text()).toBe(202);
    const { id: jobId } = (await started.json()) as { id: string };

    // Killed from outside once the job reported a few batches, wherever it then is (usually inside the next batch).
    const killPoint = await first.waitFor((e) => e.event === 'progress' && e.jobId === jobId && (e.done ?? 0) >= 2000);
    first.child.kill('SIGKILL');
    await first.exited;
    expect(killPoint.done).toBeLessThan(rowCount);
    expect(first.events.some((e) => e.event === 'end' && e.jobId === jobId), 'the import ended before it was killed').toBe(false);

    const second = await startQiao(dataDir, databaseUrl);
    const resumed = await second.waitFor((e) => e.event === 'run' && e.jobId === jobId);
    // The new process picks the import up from its last committed checkpoint, not from the start.
    expect(resumed.from).toBeGreaterThan(0);
    await second.waitFor((e) => e.event === 'end' && e.jobId === jobId);
    headers = await session(second.url);
    const end = jobRunSchema.parse(await json(`${second.url}/api/v1/jobs/${jobId}`, headers));
    expect(end, second.output()).toMatchObject({ state: 'succeeded', done: rowCount, total: rowCount, errorCount: 0 });
    // Every row counted once as created, none as a repeat: the batch cut off by the kill is counted only when it commits.
    expect(end.result).toEqual({
      dryRun: false,
      rows: rowCount,
      validRows: rowCount,
      invalidRows: 0,
      created: rowCount,
      updated: 0,
      unchanged: 0,
      skipped: 0,
      departmentsCreated: groups + 1,
    });

    const departments = await json<{ items: { id: number; name: string; parentId: number }[] }>(`${second.url}/api/v1/wecom/${accountId}/departments`, headers);
    const parent = departments.items.find((d) => d.name === '断点续传');
    expect(parent).toBeDefined();
    expect(departments.items.filter((d) => d.parentId === parent!.id)).toHaveLength(groups);
    const listed = await json<{ total: number; items: { userid: string }[] }>(
      `${second.url}/api/v1/wecom/${accountId}/members?departmentId=${parent!.id}&includeSubdepartments=true&limit=1`,
      headers,
    );
    expect(listed.total).toBe(rowCount);
    const audit = await json<{ items: { action: string; summary: Record<string, unknown> }[] }>(`${second.url}/api/v1/audit-log?action=wecom.members.import&limit=10`, headers);
    expect(audit.items.filter((a) => a.action === 'wecom.members.import' && a.summary.jobId === jobId)).toHaveLength(1);
  });
});
