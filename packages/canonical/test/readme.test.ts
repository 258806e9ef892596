// The README's example must run as written and print what its comments say.
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const exec = promisify(execFile);
const packageDir = fileURLToPath(new URL('..', import.meta.url));

describe('README example', () => {
  it('runs, in under 30 lines, and prints the documented results', async () => {
    const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8');
    const example = /## Validate a record and wrap it in an event\n\n```ts\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
    expect(example).not.toBe('');
    expect(example.trim().split('\n').length).toBeLessThan(30);
    // The package imports itself by name; the source condition points that at src/ (no build needed).
    const { stdout } = await exec(
      process.execPath,
      ['--conditions=@pullpush/source', '--input-type=module-typescript', '--eval', example],
      { cwd: packageDir, env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' } },
    );
    expect(stdout).toContain("pointer: '/quantity'");
    expect(stdout).toContain("message: 'must be integer or null'");
    expect(stdout).toMatch(/commerce\.stocklevel\.updated commerce\.stocklevel:MUG-BLK:warehouse-1 [0-9a-f-]{36}/);
  });
});
