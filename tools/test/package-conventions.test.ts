import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageProblems } from '../conventions/package-conventions.ts';
import { appliedDepConstraints, workspacePackages, workspaceRoot } from './workspace.ts';

const packages = workspacePackages();
const versions = new Map(packages.map((pkg) => [pkg.manifest['name'] as string, pkg.manifest['version'] as string]));
const layers = new Set((await appliedDepConstraints()).map((constraint) => constraint.sourceTag));

describe('workspace packages', () => {
  it('holds the packages DESIGN.md names', () => {
    expect([...versions.keys()]).toEqual(
      expect.arrayContaining([
        '@pullpush/canonical',
        '@pullpush/schema',
        '@pullpush/engine',
        '@pullpush/sync',
        '@pullpush/mcp',
        '@pullpush/testkit',
        'pullpush',
      ]),
    );
  });

  it.each(packages.map((pkg) => [pkg.folder, pkg] as const))('%s follows the package conventions', (_folder, pkg) => {
    expect(packageProblems(pkg, versions, layers)).toEqual([]);
  });

  it('the CLI package is named pullpush and installs the pullpush command', () => {
    const cli = packages.find((pkg) => pkg.folder === 'cli');
    expect(cli?.manifest).toMatchObject({ name: 'pullpush', bin: { pullpush: './dist/bin.js' } });
  });

  it('the root README links every package README', () => {
    const readme = readFileSync(join(workspaceRoot, 'README.md'), 'utf8');
    for (const pkg of packages) expect(readme).toContain(`(packages/${pkg.folder}/README.md)`);
  });
});

describe('packageProblems', () => {
  const schema = packages.find((pkg) => pkg.folder === 'schema');
  if (!schema) throw new Error('packages/schema is missing');
  const good = schema;

  it('reports a wildcard or unsatisfied internal range, a missing engines field and a missing layer', () => {
    const broken = {
      ...good,
      manifest: {
        ...good.manifest,
        engines: undefined,
        dependencies: { '@pullpush/canonical': '*', '@pullpush/engine': '^99.0.0' },
        nx: { tags: ['type:lib'] },
      },
    };
    const problems = packageProblems(broken, versions, layers);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringContaining('engines.node must be ">=22.13"'),
        expect.stringContaining('dependencies["@pullpush/canonical"] must be a real semver range'),
        expect.stringContaining('dependencies["@pullpush/engine"] is "^99.0.0"'),
        expect.stringContaining('nx.tags must include "layer:schema"'),
      ]),
    );
  });

  it('reports exports without the source condition or pointing outside dist', () => {
    const broken = {
      ...good,
      manifest: { ...good.manifest, exports: { '.': { types: './src/index.ts', default: './dist/index.js' } } },
    };
    expect(packageProblems(broken, versions, layers)).toEqual(
      expect.arrayContaining([
        expect.stringContaining('conditions must be ordered "@pullpush/source"'),
        expect.stringContaining('exports["."]["types"] must point into ./dist/'),
        expect.stringContaining('"./package.json"'),
      ]),
    );
  });
});
