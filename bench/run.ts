// `npm run bench [name]`: runs the named benchmark (or all) and prints its figures.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('.', import.meta.url));
const wanted = process.argv[2];
const benches = readdirSync(dir)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts')
  .map((f) => f.replace(/\.ts$/, ''))
  .filter((name) => !wanted || name === wanted);
if (benches.length === 0) {
  console.error(`No benchmark named ${wanted}. Available: ${readdirSync(dir).filter((f) => f.endsWith('.ts') && f !== 'run.ts').join(', ')}`);
  process.exit(2);
}
for (const name of benches) {
  console.log(`\n# ${name}`);
  const result = spawnSync(process.execPath, ['--import', 'tsx', `${dir}${name}.ts`], { stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
