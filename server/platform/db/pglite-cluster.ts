import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../project-root';

/** Whether `dataDir` already holds an embedded PostgreSQL cluster. */
export function hasPgliteCluster(dataDir: string): boolean {
  return existsSync(join(dataDir, 'PG_VERSION'));
}

/**
 * Creates the embedded database's cluster in a child process that exits
 * when done. PGlite's initdb grows its WebAssembly memory to ~900 MiB, and
 * WebAssembly memory is never given back: run in the server's own process,
 * a fresh install would stay at ~960 MiB RSS until its first restart,
 * against ~440 MiB on an existing cluster (docs/benchmarks.md, startup).
 */
export function createPgliteClusterApart(dataDir: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = fork(join(projectRoot, 'server/platform/db/pglite-init-child.mjs'), [dataDir], {
      // Plain JavaScript: the child needs no TypeScript loader, and starts faster without one.
      execArgv: [],
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    let errorOutput = '';
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      if (errorOutput.length < 16_384) errorOutput += chunk;
    });
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      if (code === 0 && hasPgliteCluster(dataDir)) return resolve();
      // The child's uncaught error, as Node prints it: its message is the line that names the error.
      const reason = errorOutput.split('\n').find((line) => /^\w*Error\b|^error:/.test(line.trim()))?.trim();
      reject(new Error(`Could not create the embedded database in ${dataDir} (initdb exited with ${signal ?? `code ${String(code)}`}${reason ? `: ${reason}` : ''}).`));
    });
  });
}
