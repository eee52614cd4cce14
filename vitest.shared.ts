import { defineConfig } from 'vitest/config';

// Packages are consumed as TypeScript source inside the monorepo through the `@unpool/source` export
// condition, so tests never run against a stale dist/.
export default defineConfig({
  resolve: { conditions: ['@unpool/source', 'module', 'node', 'default'] },
  ssr: { resolve: { conditions: ['@unpool/source'], externalConditions: ['@unpool/source'] } },
  test: {
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
