import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { CommandContext } from './command';
import { cliError } from './errors';

/** Why `out` cannot be written, or null. */
async function writeProblem(out: string): Promise<string | null> {
  const existing = await stat(out).catch(() => null);
  if (existing?.isDirectory()) return 'it is a directory';
  try {
    await access(existing ? out : dirname(resolve(out)), constants.W_OK);
    return null;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code ?? String(error);
  }
}

/**
 * The `--out` file of an export, checked before the API is asked: each export
 * counts against the day's allowance (and is audited) even when its file then
 * cannot be written.
 */
export async function writableOut(context: CommandContext, out: string | undefined): Promise<string> {
  if (!out) throw cliError('USAGE', context.locale, { problem: 'give the file to write with --out <file>' });
  const problem = await writeProblem(out);
  if (problem) throw cliError('USAGE', context.locale, { problem: `cannot write ${out} (${problem})` });
  return out;
}
