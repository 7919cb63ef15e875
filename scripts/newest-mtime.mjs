import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** The latest modification time of any file under `dir`, tests left out: what a build made from that folder must be newer than. */
export function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(path));
    else if (!entry.name.includes('.test.')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}
