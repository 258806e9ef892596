// The workspace's shared Vitest settings, with more time per test: every test here spawns the real binary,
// several at once, and a loaded two-core machine can make one wait its turn.
import { defineConfig, mergeConfig } from 'vitest/config';
import shared from '../../vitest.shared.ts';

export default mergeConfig(shared, defineConfig({ test: { testTimeout: 180_000, hookTimeout: 60_000 } }));
