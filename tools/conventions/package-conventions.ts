// The conventions every publishable workspace package follows; checked in CI for every package and for
// what the new-package scaffold writes. Each problem names the package and the field, with a fix.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import semver from 'semver';
import { NODE_ENGINES, SOURCE_CONDITION } from '../new-package/scaffold.ts';

export interface WorkspacePackage {
  dir: string;
  folder: string;
  manifest: Record<string, unknown>;
}

const DEPENDENCY_FIELDS = ['dependencies', 'peerDependencies', 'optionalDependencies', 'devDependencies'] as const;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function readWorkspacePackage(dir: string, folder: string): WorkspacePackage {
  return { dir, folder, manifest: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Record<string, unknown> };
}

function checkExports(pkg: WorkspacePackage, problems: string[]): void {
  const { exports } = pkg.manifest;
  if (!isRecord(exports) || !isRecord(exports['.'])) {
    problems.push('exports["."] must be an object of conditions (source, types, default)');
    return;
  }
  for (const [subpath, target] of Object.entries(exports)) {
    if (subpath === './package.json') continue;
    if (subpath.endsWith('.json')) {
      // Data files (generated JSON Schemas) are exported as they are.
      if (typeof target !== 'string' || !existsSync(join(pkg.dir, target))) {
        problems.push(`exports["${subpath}"] must point at an existing JSON file (got ${String(target)})`);
      }
      continue;
    }
    if (!isRecord(target)) {
      problems.push(`exports["${subpath}"] must be an object with "${SOURCE_CONDITION}", "types" and "default"`);
      continue;
    }
    const keys = Object.keys(target);
    if (keys[0] !== SOURCE_CONDITION || keys[1] !== 'types' || keys.at(-1) !== 'default') {
      problems.push(`exports["${subpath}"] conditions must be ordered "${SOURCE_CONDITION}", "types", …, "default" (got ${keys.join(', ')})`);
    }
    const source = target[SOURCE_CONDITION];
    if (typeof source !== 'string' || !existsSync(join(pkg.dir, source))) {
      problems.push(`exports["${subpath}"]["${SOURCE_CONDITION}"] points at a missing file: ${String(source)}`);
    }
    for (const condition of ['types', 'default']) {
      const built = target[condition];
      if (typeof built !== 'string' || !built.startsWith('./dist/')) {
        problems.push(`exports["${subpath}"]["${condition}"] must point into ./dist/ (got ${String(built)})`);
      }
    }
  }
  if (exports['./package.json'] !== './package.json') problems.push('exports must include "./package.json": "./package.json"');
}

function checkInternalRanges(pkg: WorkspacePackage, versions: Map<string, string>, problems: string[]): void {
  for (const field of DEPENDENCY_FIELDS) {
    const deps = pkg.manifest[field];
    if (!isRecord(deps)) continue;
    for (const [name, range] of Object.entries(deps)) {
      const version = versions.get(name);
      if (version === undefined) continue;
      if (typeof range !== 'string' || range.trim() === '*' || semver.validRange(range) === null) {
        problems.push(`${field}["${name}"] must be a real semver range such as "^${version}" (got ${JSON.stringify(range)})`);
      } else if (!semver.satisfies(version, range)) {
        problems.push(`${field}["${name}"] is "${range}", which the workspace version ${version} does not satisfy`);
      }
    }
  }
}

/** Problems with one package; `versions` maps every workspace package name to its version. */
export function packageProblems(pkg: WorkspacePackage, versions: Map<string, string>, layers: ReadonlySet<string>): string[] {
  const problems: string[] = [];
  const { manifest } = pkg;
  const name = manifest['name'];
  if (typeof name !== 'string' || !(name === 'pullpush' || name === `@pullpush/${pkg.folder}`)) {
    problems.push(`name must be "@pullpush/${pkg.folder}" (got ${JSON.stringify(name)})`);
  }
  if (typeof manifest['version'] !== 'string' || semver.valid(manifest['version']) === null) {
    problems.push('version must be a semver version');
  }
  if (manifest['type'] !== 'module') problems.push('type must be "module" (ESM only)');
  if (manifest['license'] !== 'MIT') problems.push('license must be "MIT"');
  if (manifest['sideEffects'] !== false) problems.push('sideEffects must be false');
  if (!isRecord(manifest['engines']) || manifest['engines']['node'] !== NODE_ENGINES) {
    problems.push(`engines.node must be "${NODE_ENGINES}"`);
  }
  const files = manifest['files'];
  if (!Array.isArray(files) || !files.includes('dist')) problems.push('files must list "dist"');
  if (!isRecord(manifest['publishConfig']) || manifest['publishConfig']['access'] !== 'public') {
    problems.push('publishConfig.access must be "public"');
  }
  checkExports(pkg, problems);
  checkInternalRanges(pkg, versions, problems);

  const tags = isRecord(manifest['nx']) && Array.isArray(manifest['nx']['tags']) ? (manifest['nx']['tags'] as unknown[]) : [];
  if (!tags.includes('type:lib') && !tags.includes('type:app')) problems.push('nx.tags must include "type:lib" or "type:app"');
  const layer = `layer:${pkg.folder}`;
  if (!tags.includes(layer)) problems.push(`nx.tags must include "${layer}"`);
  else if (!layers.has(layer)) problems.push(`eslint.config.mjs has no layer "${pkg.folder}": declare what it may import`);

  const readme = join(pkg.dir, 'README.md');
  if (!existsSync(readme) || !readFileSync(readme, 'utf8').startsWith(`# ${String(name)}\n`)) {
    problems.push(`README.md must exist and start with "# ${String(name)}"`);
  }
  const license = join(pkg.dir, 'LICENSE');
  if (!existsSync(license) || readFileSync(license, 'utf8') !== readFileSync(join(pkg.dir, '../../LICENSE'), 'utf8')) {
    problems.push('LICENSE must be a copy of the workspace LICENSE');
  }
  return problems.map((problem) => `${String(name ?? pkg.folder)}: ${problem}`);
}
