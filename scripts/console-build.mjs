import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { newestMtime } from './newest-mtime.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const builtIndex = join(root, 'dist/console/index.html');

/** True when dist/console is missing or older than a console or shared source file. */
export function consoleIsStale() {
  if (!existsSync(builtIndex)) return true;
  const built = statSync(builtIndex).mtimeMs;
  return [join(root, 'console'), join(root, 'common')].some((dir) => existsSync(dir) && newestMtime(dir) > built);
}

/** Builds the console with Vite when it is stale; a fresh clone builds once on first start. */
export function ensureConsoleBuilt({ quiet = false } = {}) {
  if (!consoleIsStale()) return;
  if (!quiet) process.stdout.write('Building the console (first start or sources changed)…\n');
  const result = spawnSync(process.execPath, [join(root, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'console/vite.config.ts', '--logLevel', 'warn'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (result.status !== 0) {
    process.stderr.write('The console build failed; see the messages above.\n');
    process.exit(result.status ?? 1);
  }
}
