// Vitest settings shared by every project: each project's vitest.config.ts re-exports this file.
// Workspace packages resolve through the `@pullpush/source` export condition, so tests run on
// TypeScript sources and need no prior build.
import { fileURLToPath } from 'node:url';
import { defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  ssr: {
    resolve: { conditions: ['@pullpush/source', ...defaultServerConditions] },
  },
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: [fileURLToPath(new URL('./tools/test-setup/prototype-guard.ts', import.meta.url))],
    environment: 'node',
    passWithNoTests: true,
    // Generous: tests start servers and child processes, and must pass on a two-core machine busy with another
    // test run. A bound, not an expectation: no test asserts wall-clock times.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
