// No dependency may compile native code during install. npm records in package-lock.json which packages
// run install scripts (node-gyp builds included); each must be approved by name in the root
// package.json's `allowScripts`, so a new one fails CI until someone has looked at what it runs.

export interface LockfilePackage {
  name?: string;
  version?: string;
  hasInstallScript?: boolean;
  link?: boolean;
}

export interface Lockfile {
  packages?: Record<string, LockfilePackage>;
}

export interface Unapproved {
  name: string;
  version: string;
  path: string;
}

/** The package name of a lockfile key such as `node_modules/a/node_modules/@s/b`. */
function nameFromPath(path: string): string {
  const index = path.lastIndexOf('node_modules/');
  return path.slice(index + 'node_modules/'.length);
}

/** Packages with install scripts that `allowScripts` does not approve (`true` by name or `name@version`). */
export function unapprovedInstallScripts(lockfile: Lockfile, allowScripts: Record<string, boolean> = {}): Unapproved[] {
  const unapproved: Unapproved[] = [];
  for (const [path, entry] of Object.entries(lockfile.packages ?? {})) {
    if (!path.includes('node_modules/') || !entry.hasInstallScript || entry.link) continue;
    const name = entry.name ?? nameFromPath(path);
    const version = entry.version ?? '';
    const approved = allowScripts[`${name}@${version}`] ?? allowScripts[name];
    if (approved !== true) unapproved.push({ name, version, path });
  }
  return unapproved;
}
