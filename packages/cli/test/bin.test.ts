import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const exec = promisify(execFile);
const bin = fileURLToPath(new URL('../src/bin.ts', import.meta.url));
const manifest = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

// Runs the command from its TypeScript source with the workspace's pinned Node (type stripping).
function pullpush(...args: string[]) {
  return exec(process.execPath, ['--conditions=@pullpush/source', bin, ...args]);
}

describe('pullpush command', () => {
  it('prints its package version', async () => {
    const { stdout } = await pullpush('--version');
    expect(stdout.trim()).toBe(manifest.version);
  });

  it('prints help', async () => {
    const { stdout } = await pullpush('--help');
    expect(stdout).toContain('Usage: pullpush');
  });

  it('exits 2 with a hint on an unknown command', async () => {
    await expect(pullpush('frobnicate')).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('unknown command "frobnicate"'),
    });
  });
});
