import { defineConfig } from 'vitest/config';

const shared = {
  globalSetup: ['./test/support/global-setup.ts'],
  pool: 'forks' as const,
  maxWorkers: 2,
  testTimeout: 30_000,
  hookTimeout: 60_000,
};

/** Files that replace globals or modules (happy-dom, stubbed fetch, vi.mock) get a fresh module graph each. */
const isolatedFiles = ['console/**/*.test.{ts,tsx}', 'test/routes-access.test.ts'];

export default defineConfig({
  test: {
    reporters: ['default'],
    projects: [
      {
        // Server, CLI and common tests share each worker's loaded modules: every file builds its own app
        // and database, and importing the server afresh per file cost about a third of the run.
        test: {
          ...shared,
          name: 'server',
          include: ['server/**/*.test.ts', 'common/**/*.test.ts', 'cli/**/*.test.ts', 'test/**/*.test.ts'],
          exclude: ['node_modules/**', 'dist/**', ...isolatedFiles],
          isolate: false,
        },
      },
      {
        test: {
          ...shared,
          name: 'isolated',
          include: isolatedFiles,
          exclude: ['node_modules/**', 'dist/**'],
        },
      },
    ],
  },
});
