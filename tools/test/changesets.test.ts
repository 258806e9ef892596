// A dry run of `changeset version` on a copy of the workspace manifests: a change to canonical must bump
// canonical and update the ranges (and versions) of every package that depends on it.
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import semver from 'semver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workspacePackages, workspaceRoot } from './workspace.ts';

const exec = promisify(execFile);
const changesetBin = join(workspaceRoot, 'node_modules/@changesets/cli/bin.js');
const packages = workspacePackages();
let scratch: string;

async function manifestIn(dir: string, folder: string): Promise<Record<string, Record<string, string>> & { version: string }> {
  return JSON.parse(await readFile(join(dir, 'packages', folder, 'package.json'), 'utf8'));
}

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'changesets-dry-run-'));
  await cp(join(workspaceRoot, 'package.json'), join(scratch, 'package.json'));
  await mkdir(join(scratch, '.changeset'));
  await cp(join(workspaceRoot, '.changeset/config.json'), join(scratch, '.changeset/config.json'));
  for (const pkg of packages) {
    await mkdir(join(scratch, 'packages', pkg.folder), { recursive: true });
    await cp(join(pkg.dir, 'package.json'), join(scratch, 'packages', pkg.folder, 'package.json'));
  }
  await writeFile(join(scratch, '.changeset/canonical-change.md'), '---\n"@pullpush/canonical": minor\n---\n\nA new canonical field.\n');
  await exec(process.execPath, [changesetBin, 'version'], { cwd: scratch });
}, 120_000);

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe('changeset version', () => {
  const canonical = packages.find((pkg) => pkg.folder === 'canonical');
  const bumped = semver.inc(String(canonical?.manifest['version']), 'minor');
  const dependents = packages.filter((pkg) => {
    const deps = pkg.manifest['dependencies'] as Record<string, string> | undefined;
    return deps?.['@pullpush/canonical'] !== undefined;
  });

  it('bumps the changed package', async () => {
    expect((await manifestIn(scratch, 'canonical')).version).toBe(bumped);
  });

  it('has dependents to update', () => {
    expect(dependents.map((pkg) => pkg.folder)).toEqual(expect.arrayContaining(['schema', 'engine', 'sync', 'mcp', 'cli']));
  });

  it('updates every dependent range to the new version and bumps the dependent', async () => {
    for (const pkg of dependents) {
      const after = await manifestIn(scratch, pkg.folder);
      expect(after.dependencies?.['@pullpush/canonical'], pkg.folder).toBe(`^${bumped}`);
      expect(semver.gt(after.version, pkg.manifest['version'] as string), pkg.folder).toBe(true);
    }
  });

  it('writes a changelog entry for canonical', async () => {
    const changelog = await readFile(join(scratch, 'packages/canonical/CHANGELOG.md'), 'utf8');
    expect(changelog).toContain(`## ${bumped}`);
    expect(changelog).toContain('A new canonical field.');
  });
});
