import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportSubpaths, packAndImport, type Manifest } from '../pack-smoke/pack-smoke.ts';

let root: string;

// A tiny publishable package in a temp folder; `files` maps paths to contents.
async function fixture(manifest: Manifest & Record<string, unknown>, files: Record<string, string>): Promise<string> {
  const dir = join(root, manifest.name.replace('/', '__'));
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'package.json'), JSON.stringify({ type: 'module', ...manifest }));
  for (const [path, content] of Object.entries(files)) {
    await mkdir(join(dir, path, '..'), { recursive: true });
    await writeFile(join(dir, path), content);
  }
  return dir;
}

const sound = {
  'dist/index.js': 'export const answer = 42;\n',
  'dist/index.d.ts': 'export declare const answer: number;\n',
};

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'pack-smoke-test-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('exportSubpaths', () => {
  it('lists subpaths, treats a conditions object as "." and skips patterns', () => {
    expect(exportSubpaths({ name: 'a', version: '1.0.0' })).toEqual(['.']);
    expect(exportSubpaths({ name: 'a', version: '1.0.0', exports: { types: './x.d.ts', default: './x.js' } })).toEqual(['.']);
    expect(
      exportSubpaths({ name: 'a', version: '1.0.0', exports: { '.': './x.js', './sub': './s.js', './f/*': './f/*.js' } }),
    ).toEqual(['.', './sub']);
  });
});

describe('packAndImport', () => {
  it('passes for a package whose exports, types and bin all work', async () => {
    const dir = await fixture(
      {
        name: '@fixture/sound',
        version: '1.0.0',
        exports: { '.': { types: './dist/index.d.ts', default: './dist/index.js' }, './package.json': './package.json' },
        bin: { sound: './dist/bin.js' },
        files: ['dist'],
      },
      { ...sound, 'dist/bin.js': '#!/usr/bin/env node\nconsole.log("1.0.0");\n' },
    );
    const report = await packAndImport({ packageDirs: [dir] });
    expect(report.checks.map((check) => [check.target, check.ok])).toEqual([
      ['@fixture/sound', true],
      ['@fixture/sound/package.json', true],
      ['bin sound', true],
      ['types of 2 entries', true],
    ]);
    expect(report.ok).toBe(true);
  });

  it('fails and names the entry when an exports path points at a file that is not packed', async () => {
    const dir = await fixture(
      {
        name: '@fixture/broken',
        version: '1.0.0',
        exports: {
          '.': { types: './dist/index.d.ts', default: './dist/index.js' },
          './extra': { types: './dist/extra.d.ts', default: './dist/extra.js' },
        },
        files: ['dist'],
      },
      sound,
    );
    const report = await packAndImport({ packageDirs: [dir] });
    expect(report.ok).toBe(false);
    const byTarget = Object.fromEntries(report.checks.map((check) => [check.target, check]));
    expect(byTarget['@fixture/broken']?.ok).toBe(true);
    expect(byTarget['@fixture/broken/extra']).toMatchObject({ ok: false, error: expect.stringContaining('Cannot find module') });
    expect(byTarget['types of 2 entries']).toMatchObject({ ok: false, error: expect.stringContaining('@fixture/broken/extra') });
  });

  it('fails when a bin does not run', async () => {
    const dir = await fixture(
      { name: '@fixture/badbin', version: '1.0.0', exports: './dist/index.js', bin: './dist/bin.js', files: ['dist'] },
      { ...sound, 'dist/bin.js': '#!/usr/bin/env node\nprocess.exit(3);\n' },
    );
    const report = await packAndImport({ packageDirs: [dir] });
    expect(report.checks.find((check) => check.target === 'bin badbin')?.ok).toBe(false);
    expect(report.ok).toBe(false);
  });
});
