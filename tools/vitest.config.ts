// The workspace's shared Vitest settings, with much more time per test: the pack-and-import smoke test packs
// packages and runs npm in scratch projects, which on a loaded two-core machine (another test run beside this
// one) takes several times its idle minute.
import { defineConfig, mergeConfig } from 'vitest/config';
import shared from '../vitest.shared.ts';

export default mergeConfig(shared, defineConfig({ test: { testTimeout: 300_000, hookTimeout: 120_000 } }));
