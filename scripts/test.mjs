// `npm test`: every unit and integration test, then the browser end-to-end tests,
// ending with one plain "N passed, N failed" line.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureConsoleBuilt } from './console-build.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const vitest = join(root, 'node_modules/vitest/vitest.mjs');
const chromium = process.env.QIAO_CHROMIUM ?? '/usr/bin/chromium';
const extraArgs = process.argv.slice(2);
const reportDir = mkdtempSync(join(tmpdir(), 'qiao-test-report-'));

function runVitest(label, configArgs) {
  const reportFile = join(reportDir, `${label}.json`);
  const result = spawnSync(
    process.execPath,
    [vitest, 'run', ...configArgs, '--reporter=default', '--reporter=json', `--outputFile.json=${reportFile}`, ...extraArgs],
    { cwd: root, stdio: 'inherit', env: process.env },
  );
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  if (existsSync(reportFile)) {
    const report = JSON.parse(readFileSync(reportFile, 'utf8'));
    failures.push(...failedTests(report, root));
    passed = report.numPassedTests ?? 0;
    failed = (report.numFailedTests ?? 0) + (report.numRuntimeErrorTestSuites ?? 0);
    skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
    // A file that fails to load counts its suite, not its tests: count it once.
    failed += (report.testResults ?? []).filter((file) => file.status === 'failed' && (file.assertionResults ?? []).length === 0).length;
  } else if (result.status !== 0) {
    failed += 1;
  }
  if (result.status !== 0 && failed === 0) failed = 1;
  return { passed, failed, skipped };
}

// The names of what failed, repeated after the totals' last lines of output, because
// CI logs are often read from the end and vitest prints failures far above it.
const failures = [];

/** The first line of our own code in a failure's stack, e.g. `test/e2e/x.e2e.ts:120`, so a CI log says where without the full trace. */
function ownFrame(message, base) {
  for (const line of message.split('\n')) {
    const frame = /(?:\(|at )(?:file:\/\/)?([^()\s]+):(\d+):\d+\)?\s*$/.exec(line.trim());
    if (frame && frame[1].startsWith(base) && !frame[1].includes('/node_modules/')) return `${frame[1].slice(base.length)}:${frame[2]}`;
  }
  return undefined;
}

function failedTests(report, base) {
  const names = [];
  for (const file of report.testResults ?? []) {
    const path = file.name?.startsWith(base) ? file.name.slice(base.length) : file.name;
    const failedAssertions = (file.assertionResults ?? []).filter((test) => test.status === 'failed');
    for (const test of failedAssertions) {
      const message = String(test.failureMessages?.[0] ?? '');
      const reason = message.split('\n')[0].slice(0, 300);
      const where = ownFrame(message, base);
      names.push(`${path} > ${test.fullName ?? test.title}${reason ? `\n    ${reason}` : ''}${where ? `\n    at ${where}` : ''}`);
    }
    if (file.status === 'failed' && failedAssertions.length === 0) {
      const reason = String(file.message ?? '').split('\n')[0].slice(0, 300);
      names.push(`${path} (did not load or run)${reason ? `\n    ${reason}` : ''}`);
    }
  }
  return names;
}

const totals = { passed: 0, failed: 0, skipped: 0 };
const add = (r) => {
  totals.passed += r.passed;
  totals.failed += r.failed;
  totals.skipped += r.skipped;
};

add(runVitest('unit', []));

if (process.env.QIAO_SKIP_E2E === '1') {
  process.stdout.write('Browser end-to-end tests skipped (QIAO_SKIP_E2E=1).\n');
} else if (!existsSync(chromium)) {
  process.stdout.write(`Browser end-to-end tests skipped: no Chromium at ${chromium} (Debian: apt-get install chromium fonts-wqy-microhei).\n`);
} else {
  ensureConsoleBuilt();
  add(runVitest('e2e', ['--config', 'vitest.e2e.config.ts']));
}

rmSync(reportDir, { recursive: true, force: true });
if (failures.length > 0) process.stdout.write(`\nFailed:\n${failures.map((name) => `  ${name}`).join('\n')}\n`);
process.stdout.write(`\n${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped\n`);
process.exit(totals.failed > 0 ? 1 : 0);
