// Installing a connector: resolve a name and range (a dist-tag, an exact version or a semver range; yanked versions
// are skipped unless named exactly), download and verify it, then write the definition into a connectors folder and
// record name, version and integrity in a lockfile. An install from the lockfile fetches exactly those bytes again.
import { PullPushError } from '@pullpush/canonical';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import semver from 'semver';
import type { RegistryClient, VerifiedVersion } from './client.ts';
import { RegistryClientErrorCode } from './errors.ts';

export interface InstallOptions {
  /** Where definitions are written (default ./connectors): <dir>/@scope/name.json. */
  dir?: string;
  /** The lockfile (default ./pullpush-lock.json). */
  lockfile?: string;
}

export interface LockEntry {
  version: string;
  integrity: string;
  registry: string;
}

export interface Lockfile {
  lockfileVersion: 1;
  connectors: Record<string, LockEntry>;
}

export interface Installed extends VerifiedVersion {
  /** Where the definition was written. */
  path: string;
}

const PACKAGE = /^@[a-z0-9][a-z0-9-]{0,38}\/[a-z0-9][a-z0-9_-]{0,63}$/;

/** "@acme/shop@^1.2" → name and range ("latest" when none is given); a name that could reach a path is refused. */
export function parseSpec(spec: string): { name: string; range: string } {
  const at = spec.indexOf('@', 1);
  const parsed = at < 0 ? { name: spec, range: 'latest' } : { name: spec.slice(0, at), range: spec.slice(at + 1) || 'latest' };
  if (!PACKAGE.test(parsed.name)) {
    throw new PullPushError(RegistryClientErrorCode.InvalidName, `"${parsed.name.slice(0, 100)}" is not a package name.`, { hint: 'Package names are @scope/name: lower-case letters, digits, - and _.' });
  }
  return parsed;
}

export async function install(client: RegistryClient, spec: string, options: InstallOptions = {}): Promise<Installed> {
  const { name, range } = parseSpec(spec);
  const info = await client.info(name);
  const tagged = info.distTags[range];
  const exact = info.versions.find((version) => version.version === range);
  const candidates = info.versions.filter((version) => !version.yanked).map((version) => version.version);
  const version = tagged ?? exact?.version ?? (semver.validRange(range) ? semver.maxSatisfying(candidates, range) : null);
  if (!version) {
    throw new PullPushError(RegistryClientErrorCode.NoMatchingVersion, `No version of ${name} matches "${range}" (published: ${info.versions.map((entry) => `${entry.version}${entry.yanked ? ' (yanked)' : ''}`).join(', ') || 'none'}).`, {
      hint: 'Name a dist-tag (latest), an exact version, or a range such as ^1.0.0.',
    });
  }
  const verified = await client.download(name, version);
  return write(client, verified, options);
}

/** Installs exactly what the lockfile records: the same versions, verified against the recorded integrity. */
export async function installFromLockfile(client: RegistryClient, options: InstallOptions = {}): Promise<Installed[]> {
  const lock = readLockfile(options.lockfile ?? 'pullpush-lock.json');
  const installed: Installed[] = [];
  for (const [name, entry] of Object.entries(lock.connectors)) {
    installed.push(await write(client, await client.download(name, entry.version, entry.integrity), options));
  }
  return installed;
}

function write(client: RegistryClient, verified: VerifiedVersion, options: InstallOptions): Installed {
  const dir = options.dir ?? 'connectors';
  const lockfile = options.lockfile ?? 'pullpush-lock.json';
  const [scope, base] = verified.name.split('/') as [string, string];
  mkdirSync(join(dir, scope), { recursive: true });
  const path = join(dir, scope, `${base}.json`);
  // The artifact's own bytes (canonical JSON): a later install of the same version writes the same file.
  writeAtomically(path, verified.artifact);
  const lock = existsSync(lockfile) ? readLockfile(lockfile) : { lockfileVersion: 1 as const, connectors: {} };
  lock.connectors[verified.name] = { version: verified.version, integrity: verified.integrity, registry: client.url };
  const sorted = Object.fromEntries(Object.entries(lock.connectors).sort(([a], [b]) => a.localeCompare(b)));
  writeAtomically(lockfile, `${JSON.stringify({ lockfileVersion: 1, connectors: sorted }, null, 2)}\n`);
  return { ...verified, path };
}

function readLockfile(path: string): Lockfile {
  try {
    const value = JSON.parse(readFileSync(path, 'utf8')) as Lockfile;
    if (value.lockfileVersion !== 1 || typeof value.connectors !== 'object' || value.connectors === null) throw new Error('not a PullPush lockfile (lockfileVersion 1)');
    return value;
  } catch (error) {
    throw new PullPushError(RegistryClientErrorCode.Lockfile, `Cannot read the lockfile ${path}: ${(error as Error).message}.`, { hint: 'Install a connector by name to create it.' });
  }
}

function writeAtomically(path: string, text: string): void {
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, path);
}
