import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function isQiaoRoot(dir: string): boolean {
  const manifest = join(dir, 'package.json');
  if (!existsSync(manifest)) return false;
  try {
    return (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name === 'qiao';
  } catch {
    return false;
  }
}

/**
 * The checkout's root folder, found upwards from this module: the server runs from its TypeScript
 * sources (tests, `npm run dev`) and from one bundled file under dist/ (`npm start`), so files it reads
 * at run time (migrations, the built console) are named from the root, not from the module.
 */
export function findProjectRoot(from: string = fileURLToPath(import.meta.url)): string {
  for (let dir = dirname(from); ; dir = dirname(dir)) {
    if (isQiaoRoot(dir)) return dir;
    if (dirname(dir) === dir) throw new Error(`no Qiao checkout above ${from}`);
  }
}

export const projectRoot = findProjectRoot();
