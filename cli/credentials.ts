import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

const savedServerSchema = z.object({
  apiKey: z.string(),
  apiKeyId: z.string(),
  username: z.string(),
  savedAt: z.string(),
});
export type SavedServer = z.infer<typeof savedServerSchema>;

const credentialsSchema = z.object({
  /** The server `qiao login` last logged in to; used when no --url or QIAO_URL is given. */
  defaultUrl: z.string().nullable(),
  servers: z.record(z.string(), savedServerSchema),
});
export type Credentials = z.infer<typeof credentialsSchema>;

/** `$XDG_CONFIG_HOME/qiao/credentials.json`, or `~/.config/qiao/credentials.json`. */
export function credentialsPath(env: Record<string, string | undefined>, homeDir: string): string {
  const configHome = env.XDG_CONFIG_HOME && env.XDG_CONFIG_HOME.startsWith('/') ? env.XDG_CONFIG_HOME : join(homeDir, '.config');
  return join(configHome, 'qiao', 'credentials.json');
}

/** A missing or unreadable file means "not logged in", never a crash. */
export function readCredentials(path: string): Credentials {
  if (!existsSync(path)) return { defaultUrl: null, servers: {} };
  try {
    const parsed = credentialsSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
    return parsed.success ? parsed.data : { defaultUrl: null, servers: {} };
  } catch {
    return { defaultUrl: null, servers: {} };
  }
}

/** Written owner-only (0600) through a temporary file, so a crash never leaves half a key behind. */
export function writeCredentials(path: string, credentials: Credentials): void {
  const dir = join(path, '..');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
  chmodSync(temporary, 0o600);
  renameSync(temporary, path);
}
