import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageProblems, readWorkspacePackage } from '../conventions/package-conventions.ts';
import { scaffoldPackage } from '../new-package/scaffold.ts';
import { workspaceRoot } from './workspace.ts';

let scratch: string;

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'new-package-'));
  await cp(join(workspaceRoot, 'LICENSE'), join(scratch, 'LICENSE'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe('scaffoldPackage', () => {
  it('writes a library that follows the package conventions', async () => {
    const dir = await scaffoldPackage(scratch, { folder: 'discovery', description: 'Finds endpoints.', kind: 'lib' });
    const pkg = readWorkspacePackage(dir, 'discovery');
    expect(packageProblems(pkg, new Map(), new Set(['layer:discovery']))).toEqual([]);
    expect(await readFile(join(dir, 'README.md'), 'utf8')).toContain('Finds endpoints.');
  });

  it('writes an application with a bin', async () => {
    const dir = await scaffoldPackage(scratch, {
      folder: 'registry-server',
      description: 'Serves the registry.',
      kind: 'app',
      bin: 'pullpush-registry',
    });
    const pkg = readWorkspacePackage(dir, 'registry-server');
    expect(pkg.manifest).toMatchObject({
      name: '@pullpush/registry-server',
      bin: { 'pullpush-registry': './dist/bin.js' },
      nx: { tags: ['type:app', 'layer:registry-server'] },
    });
    expect(packageProblems(pkg, new Map(), new Set(['layer:registry-server']))).toEqual([]);
  });

  it('refuses to overwrite a folder and refuses a bad folder name', async () => {
    await expect(scaffoldPackage(scratch, { folder: 'discovery', description: 'x', kind: 'lib' })).rejects.toThrow(
      /already exists/,
    );
    await expect(scaffoldPackage(scratch, { folder: 'Bad_Name', description: 'x', kind: 'lib' })).rejects.toThrow(
      /kebab-case/,
    );
  });
});
