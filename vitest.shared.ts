// Vitest settings shared by every project: each project's vitest.config.ts re-exports this file.
// Workspace packages resolve through the `@pullpush/source` export condition, so tests run on
// TypeScript sources and need no prior build.
import { defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  ssr: {
    resolve: { conditions: ['@pullpush/source', ...defaultServerConditions] },
  },
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    passWithNoTests: true,
    testTimeout: 30_000,
  },
});
