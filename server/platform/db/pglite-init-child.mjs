// Creates an embedded PostgreSQL cluster in the directory given as the only argument, then exits.
// Run as a child process by pglite-cluster.ts: see there for why.
import { PGlite } from '@electric-sql/pglite';

const dataDir = process.argv[2];
if (!dataDir) {
  process.stderr.write('usage: pglite-init-child.mjs <data directory>\n');
  process.exit(2);
}
const db = new PGlite({ dataDir });
await db.waitReady;
await db.close();
