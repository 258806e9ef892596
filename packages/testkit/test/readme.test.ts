// The README's quick example is readme-example.test.ts (which runs), word for word but for the import path.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { listRoutes } from '../src/index.ts';

describe('README', () => {
  it('shows the quick example exactly as readme-example.test.ts runs it', async () => {
    const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8');
    const example = /## Quick example\n\n[^\n]*\n\n```ts\n([\s\S]*?)```/.exec(readme)?.[1];
    const test = await readFile(new URL('./readme-example.test.ts', import.meta.url), 'utf8');
    const runnable = test
      .split('\n')
      .filter((line, i) => !(i === 0 && line.startsWith('//')))
      .join('\n')
      .replace("from '../src/index.ts'", "from '@pullpush/testkit'");
    expect(example).toBe(runnable);
  });

  it('names every route the server answers', async () => {
    const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8');
    const prefixes = new Set(listRoutes().map((route) => route.path.split('/{')[0]));
    for (const prefix of prefixes) if (prefix !== '') expect(readme, prefix).toContain(prefix);
  });
});
