import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CliIo } from '../../cli/io';
import { main } from '../../cli/main';

/**
 * Runs `qiao` in-process as a script would, without a terminal: output is
 * collected, `env` (QIAO_URL, QIAO_API_KEY, …) is all the environment it sees,
 * and its config lives in a directory named after the test file's `configName`.
 */
export async function runQiao(args: string[], env: Record<string, string>, configName: string): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (text) => void (stdout += text),
    stderr: (text) => void (stderr += text),
    env: { XDG_CONFIG_HOME: join(tmpdir(), configName), LANG: 'en_US.UTF-8', ...env },
    isInteractive: false,
    prompt: async () => '',
    readStdin: async () => '',
    fetch: globalThis.fetch,
    homeDir: tmpdir(),
    hostname: 'build-01',
  };
  const code = await main(args, io);
  return { code, stdout, stderr };
}
