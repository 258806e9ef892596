// npm run check:packages (after a build): packs every workspace package and imports it from a scratch project.
import { readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { packAndImport } from './pack-smoke.ts';

const { values } = parseArgs({ options: { keep: { type: 'boolean', default: false } } });
const packagesDir = resolve(import.meta.dirname, '../../packages');
const packageDirs = (await readdir(packagesDir, { withFileTypes: true }))
  .filter((entry) => entry.isDirectory())
  .map((entry) => join(packagesDir, entry.name))
  .sort();

const report = await packAndImport({ packageDirs, keepScratch: values.keep, log: (line) => console.log(line) });
const failed = report.checks.filter((check) => !check.ok);
if (failed.length > 0) {
  console.error(`pack-smoke: ${failed.length} of ${report.checks.length} checks failed (run \`npm run build\` first;`);
  console.error('each failing entry above names the exports path a consumer would import).');
  process.exit(1);
}
console.log(`pack-smoke: ${report.checks.length} checks passed.`);
