// npm run check:installs: fails when a dependency runs install scripts that nobody approved.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { unapprovedInstallScripts } from './install-scripts.ts';

const root = resolve(import.meta.dirname, '../..');
const lockfile = JSON.parse(await readFile(resolve(root, 'package-lock.json'), 'utf8'));
const manifest = JSON.parse(await readFile(resolve(root, 'package.json'), 'utf8'));
const unapproved = unapprovedInstallScripts(lockfile, manifest.allowScripts);
if (unapproved.length > 0) {
  for (const { name, version, path } of unapproved) console.error(`install script not approved: ${name}@${version} (${path})`);
  console.error(
    'No dependency may compile native code during install. Prefer a dependency without install scripts; if the\n' +
      'script only unpacks a prebuilt binary or is harmless, review it and run `npm install-scripts approve <name>`.',
  );
  process.exit(1);
}
console.log('install scripts: every dependency that runs one is approved in package.json "allowScripts".');
