// Imports an xlsx of 50,000 WeCom members in 500 departments end to end through the REST API of a
// real Qiao process (PGlite, or PostgreSQL when DATABASE_URL is set): upload, check, write as a job.
// Reports seconds from upload to the job's end and the server's peak RSS (VmHWM) during the import.
// The peak is reset (`/proc/PID/clear_refs`) once the server is up and idle: on a fresh data dir the
// embedded database's initdb alone peaks near 900 MiB at first boot, which is reported apart.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';

const root = fileURLToPath(new URL('..', import.meta.url));
const memberCount = Number(process.env.BENCH_MEMBERS ?? 50_000);
const departmentCount = Number(process.env.BENCH_DEPARTMENTS ?? 500);
const port = Number(process.env.BENCH_PORT ?? 3917);
const base = `http://127.0.0.1:${port}`;
const admin = { username: 'bench', password: 'bench-password-1' };

function startServer(dataDir: string): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: root,
    env: {
      ...process.env,
      QIAO_DATA_DIR: dataDir,
      PORT: String(port),
      LOG_LEVEL: 'warn',
      DATABASE_URL: process.env.DATABASE_URL ?? '',
      REDIS_URL: '',
      // One master key across runs: a repeated run on the same PostgreSQL database gets a new data dir,
      // and would otherwise find the accounts' secrets sealed under the key of the run before.
      QIAO_SECRET_KEY: process.env.QIAO_SECRET_KEY ?? Buffer.alloc(32, 17).toString('base64'),
      QIAO_ADMIN_USERNAME: admin.username,
      QIAO_ADMIN_PASSWORD: admin.password,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

function statusMiB(pid: number, field: 'VmHWM' | 'VmRSS'): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0) / 1024;
}

/** Sets the process's peak RSS back to its current RSS (Linux: "5" resets VmHWM). */
function resetPeak(pid: number): void {
  writeFileSync(`/proc/${pid}/clear_refs`, '5');
}

async function until<T>(what: string, probe: () => Promise<T | null>, timeoutMs = 600_000): Promise<T> {
  const started = Date.now();
  let lastError: unknown = null;
  for (;;) {
    const value = await probe().catch((error: unknown) => {
      lastError = error;
      return null;
    });
    if (value !== null) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`${what}: not within ${timeoutMs / 1000} s (last error: ${String(lastError)})`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** 500 departments as 「区域N/门店M」 paths, members spread evenly; a run prefix keeps repeated runs on PostgreSQL apart. */
async function memberSheet(prefix: string): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: false, useSharedStrings: false });
  const sheet = workbook.addWorksheet('成员');
  sheet.addRow(['姓名', '账号', '手机', '邮箱', '部门', '职务']).commit();
  const regions = Math.max(1, Math.round(departmentCount / 50));
  // Each run (per second) its own block of mobile numbers, so runs a few seconds apart share none.
  const blocks = Math.floor(6_000_000_000 / memberCount);
  const mobileOffset = prefix ? (Math.floor(Date.now() / 1000) % blocks) * memberCount : 0;
  const stores = departmentCount - regions;
  for (let i = 0; i < memberCount; i++) {
    const store = i % stores;
    const path = `${prefix}区域${store % regions}/门店${store}`;
    const mobile = `1${3_000_000_000 + mobileOffset + i}`;
    sheet.addRow([`成员${i}`, `${prefix}u${i}`, mobile, '', path, i % 50 === 0 ? '店长' : '店员']).commit();
  }
  sheet.commit();
  await workbook.commit();
  return Buffer.concat(chunks);
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'qiao-bench-import-'));
  const server = startServer(dataDir);
  try {
    await until('ready', async () => ((await fetch(`${base}/readyz`)).status === 200 ? true : null));
    const login = await fetch(`${base}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(admin) });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
    const { user } = (await login.json()) as { user: { csrfToken: string } };
    const headers = { cookie, 'x-csrf-token': user.csrfToken };
    const accountId = await until('sandbox corp', async () => {
      const page = (await (await fetch(`${base}/api/v1/accounts?type=wecom`, { headers })).json()) as { items: { id: string }[] };
      return page.items[0]?.id ?? null;
    });

    // Let first-boot work (the sandbox world, its first sync) settle before the peak starts counting.
    await new Promise((resolve) => setTimeout(resolve, Number(process.env.BENCH_SETTLE_MS ?? 5000)));
    const firstBootPeak = statusMiB(server.pid!, 'VmHWM');
    const idleRss = statusMiB(server.pid!, 'VmRSS');
    resetPeak(server.pid!);

    const prefix = process.env.DATABASE_URL ? `b${Date.now().toString(36)}` : '';
    const generatedAt = performance.now();
    const file = await memberSheet(prefix);
    const generateS = (performance.now() - generatedAt) / 1000;

    const started = performance.now();
    // BENCH_TRACE=1: the server's RSS every 250 ms on stderr, to see which phase of the import holds the memory.
    const trace = process.env.BENCH_TRACE
      ? setInterval(() => console.error(`t=${((performance.now() - started) / 1000).toFixed(2)}s rss=${Math.round(statusMiB(server.pid!, 'VmRSS'))}MiB`), 250)
      : undefined;
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(file)]), 'members.xlsx');
    const answer = await fetch(`${base}/api/v1/wecom/${accountId}/members/import?createMissingDepartments=true`, { method: 'POST', headers, body: form });
    if (answer.status !== 202) throw new Error(`import refused: ${answer.status} ${await answer.text()}`);
    const acceptedS = (performance.now() - started) / 1000;
    const { id } = (await answer.json()) as { id: string };
    const job = await until(
      'import job',
      async () => {
        const run = (await (await fetch(`${base}/api/v1/jobs/${id}`, { headers })).json()) as { state: string; result: Record<string, number> | null; errorCount: number };
        return run.state === 'queued' || run.state === 'running' ? null : run;
      },
      600_000,
    );
    const totalS = (performance.now() - started) / 1000;
    clearInterval(trace);
    const rss = statusMiB(server.pid!, 'VmHWM');
    console.log(
      JSON.stringify(
        {
          database: process.env.DATABASE_URL ? 'postgresql' : 'pglite',
          members: memberCount,
          departments: departmentCount,
          fileMiB: +(file.length / 1024 / 1024).toFixed(1),
          generateS: +generateS.toFixed(1),
          uploadAcceptedS: +acceptedS.toFixed(1),
          endToEndS: +totalS.toFixed(1),
          serverFirstBootPeakRssMiB: Math.round(firstBootPeak),
          serverIdleRssMiB: Math.round(idleRss),
          serverPeakRssMiB: Math.round(rss),
          state: job.state,
          errors: job.errorCount,
          result: job.result,
        },
        null,
        2,
      ),
    );
    if (job.state !== 'succeeded') process.exitCode = 1;
  } finally {
    server.kill('SIGTERM');
    await new Promise((resolve) => server.once('exit', resolve));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
