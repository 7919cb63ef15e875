/**
 * Fails when the table definitions (`server/**\/*.tables.ts`) differ from what
 * the committed migrations produce, i.e. when `npm run db:generate` would
 * write a new migration. Runs drizzle-kit against a copy of the migrations
 * folder so the working tree is never touched.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const migrationsDir = join(root, 'server/platform/db/migrations');
const drizzleKit = join(root, 'node_modules/.bin/drizzle-kit');

function listSql(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.sql'))
    .sort();
}

function main(): number {
  const work = mkdtempSync(join(tmpdir(), 'qiao-migrations-'));
  try {
    const out = join(work, 'migrations');
    // The lock db:generate takes: never copy a folder while another generate writes it.
    const copy = spawnSync('flock', ['/tmp/qiao-drizzle.lock', 'cp', '-R', migrationsDir, out], { encoding: 'utf8' });
    if (copy.status !== 0) cpSync(migrationsDir, out, { recursive: true });
    const before = new Set(listSql(out));

    const config = join(work, 'drizzle.check.config.ts');
    writeFileSync(
      config,
      `import base from ${JSON.stringify(resolve(root, 'drizzle.config.ts'))};\n` +
        // drizzle-kit prefixes `out` with './', so it must be relative to the working directory.
        `export default { ...base, out: ${JSON.stringify(relative(root, out))} };\n`,
    );
    const run = spawnSync(drizzleKit, ['generate', '--config', config, '--name', 'pending_check'], {
      cwd: root,
      encoding: 'utf8',
      // A rename question means the schema changed; with no terminal drizzle-kit cannot ask, so it must not wait.
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 120_000,
    });
    const output = `${run.stdout ?? ''}${run.stderr ?? ''}`.trim();
    const added = listSql(out).filter((name) => !before.has(name));
    // drizzle-kit exits 0 even when it fails to read the schema, so success must be seen in its output.
    const finished = added.length > 0 || output.includes('No schema changes');
    if (run.error || run.status !== 0 || !finished) {
      console.error(`check-migrations: drizzle-kit generate did not finish cleanly (exit ${String(run.status)}).`);
      if (output) console.error(output);
      console.error('The table definitions probably changed in a way that needs a decision; run `npm run db:generate -- --name <what>`.');
      return 1;
    }

    if (added.length === 0) {
      console.log(`check-migrations: migrations match the table definitions (${before.size} migration(s)).`);
      return 0;
    }
    console.error('check-migrations: the table definitions changed but no migration was generated for them.');
    console.error('Run `npm run db:generate -- --name <what-changed>` and commit the result. drizzle-kit would add:\n');
    for (const name of added) {
      console.error(`-- ${name}`);
      console.error(readFileSync(join(out, name), 'utf8').trim());
      console.error('');
    }
    return 1;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

process.exitCode = main();
