import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';

export class DataDirLockedError extends Error {
  readonly lockPath: string;
  constructor(lockPath: string, holder: string) {
    super(
      `The data directory is in use by another Qiao process (${holder}); lock file ${lockPath}. ` +
        'Stop that process, or give this one its own QIAO_DATA_DIR.',
    );
    this.name = 'DataDirLockedError';
    this.lockPath = lockPath;
  }
}

interface LockHolder {
  pid: number;
  host: string;
  startedAt: string;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readHolder(lockPath: string): LockHolder | null {
  try {
    return JSON.parse(readFileSync(lockPath, 'utf8')) as LockHolder;
  } catch {
    return null;
  }
}

/**
 * PGlite does not lock its directory, and two processes on one directory lose
 * committed rows, so Qiao takes an exclusive lock file first. A lock left by a
 * process that no longer runs on this host (a crash, SIGKILL) is taken over.
 */
export function lockDataDir(dataDir: string): { lockPath: string; release(): void } {
  mkdirSync(dataDir, { recursive: true });
  const lockPath = join(dataDir, 'qiao.lock');
  const me: LockHolder = { pid: process.pid, host: hostname(), startedAt: new Date().toISOString() };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockPath, 'wx');
      writeSync(fd, JSON.stringify(me));
      closeSync(fd);
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        const holder = readHolder(lockPath);
        if (holder?.pid === me.pid && holder.host === me.host) rmSync(lockPath, { force: true });
      };
      return { lockPath, release };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = readHolder(lockPath);
      const stale = holder !== null && holder.host === me.host && holder.pid !== me.pid && !isAlive(holder.pid);
      if (stale || holder === null) {
        rmSync(lockPath, { force: true });
        continue;
      }
      throw new DataDirLockedError(lockPath, `pid ${holder.pid} on ${holder.host} since ${holder.startedAt}`);
    }
  }
  throw new DataDirLockedError(lockPath, 'unknown holder');
}
