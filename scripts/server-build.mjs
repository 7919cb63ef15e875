// The server as one JavaScript file for `npm start`: running from the TypeScript sources through a
// loader keeps the loader and every source's transform in memory (~55 MiB more at idle, ~90 MiB more
// under load; docs/benchmarks.md). The end-to-end tests start this bundle; Vitest and `npm run dev` run the sources.
import { existsSync, mkdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { newestMtime } from './newest-mtime.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
export const serverBundle = join(root, 'dist/server/main.mjs');

/** True when the bundle is missing or older than a server or shared source file, or than the installed packages. */
export function serverIsStale() {
  if (!existsSync(serverBundle)) return true;
  const built = statSync(serverBundle).mtimeMs;
  const sources = [join(root, 'server'), join(root, 'common')].map(newestMtime);
  const manifests = ['package.json', 'package-lock.json'].map((name) => join(root, name)).filter(existsSync).map((path) => statSync(path).mtimeMs);
  return [...sources, ...manifests].some((mtime) => mtime > built);
}

/** Bundles server/main.ts (packages stay in node_modules) when stale. */
export async function ensureServerBuilt({ quiet = false } = {}) {
  if (!serverIsStale()) return;
  if (!quiet) process.stdout.write('Building the server (first start or sources changed)…\n');
  const { build } = await import('esbuild');
  const result = await build({
    entryPoints: [join(root, 'server/main.ts')],
    outfile: serverBundle,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: true,
    logLevel: 'warning',
    write: false,
  });
  // Written aside and renamed into place: several processes may build at once (parallel tests), and none may load a half-written file.
  mkdirSync(dirname(serverBundle), { recursive: true });
  const suffix = `.${process.pid}.tmp`;
  const files = result.outputFiles.sort((a, b) => (a.path === serverBundle ? 1 : 0) - (b.path === serverBundle ? 1 : 0));
  for (const file of files) {
    writeFileSync(file.path + suffix, file.contents);
    renameSync(file.path + suffix, file.path);
  }
}
