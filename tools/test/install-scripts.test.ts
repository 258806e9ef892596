import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { unapprovedInstallScripts } from '../install-scripts/install-scripts.ts';
import { workspaceRoot } from './workspace.ts';

describe('unapprovedInstallScripts', () => {
  const lockfile = {
    packages: {
      '': { name: '@pullpush/root' },
      'node_modules/node': { version: '24.21.0', hasInstallScript: true },
      'node_modules/nx': { version: '22.7.12', hasInstallScript: true },
      'node_modules/a/node_modules/@scope/native': { version: '1.2.3', hasInstallScript: true },
      'node_modules/plain': { version: '1.0.0' },
      'node_modules/@pullpush/cli': { link: true, hasInstallScript: true },
    },
  };

  it('reports every package with an install script that is not approved, nested ones included', () => {
    expect(unapprovedInstallScripts(lockfile, { node: true })).toEqual([
      { name: 'nx', version: '22.7.12', path: 'node_modules/nx' },
      { name: '@scope/native', version: '1.2.3', path: 'node_modules/a/node_modules/@scope/native' },
    ]);
  });

  it('accepts approvals by name or by name@version, and a denial stays a failure', () => {
    expect(unapprovedInstallScripts(lockfile, { node: true, 'nx@22.7.12': true, '@scope/native': false })).toEqual([
      { name: '@scope/native', version: '1.2.3', path: 'node_modules/a/node_modules/@scope/native' },
    ]);
  });

  it('passes for the workspace lockfile', async () => {
    const root = (path: string) => readFile(join(workspaceRoot, path), 'utf8').then(JSON.parse);
    const manifest = await root('package.json');
    expect(unapprovedInstallScripts(await root('package-lock.json'), manifest.allowScripts)).toEqual([]);
  });
});
