// Pack-and-import smoke test: packs packages with `npm pack`, installs the tarballs into a scratch
// project outside the workspace, then imports every `exports` entry, type-checks an import of each
// entry with TypeScript, and runs every `bin` with `--version`, all with the running (pinned) Node.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const exec = promisify(execFile);
const require = createRequire(import.meta.url);

export interface Manifest {
  name: string;
  version: string;
  private?: boolean;
  exports?: string | Record<string, unknown>;
  bin?: string | Record<string, string>;
}

export interface EntryCheck {
  /** What a consumer writes: `@pullpush/engine`, `@pullpush/engine/package.json`, or `bin pullpush`. */
  target: string;
  ok: boolean;
  error?: string;
}

export interface SmokeReport {
  ok: boolean;
  scratchDir: string;
  checks: EntryCheck[];
}

export interface SmokeOptions {
  /** Package folders to pack; private packages are skipped. */
  packageDirs: string[];
  /** Keep the scratch project for inspection instead of deleting it. */
  keepScratch?: boolean;
  /** Progress lines; defaults to silence. */
  log?: (line: string) => void;
}

/** Public subpaths of a manifest's `exports` (patterns with `*` cannot be enumerated and are skipped). */
export function exportSubpaths(manifest: Manifest): string[] {
  const { exports } = manifest;
  if (exports === undefined) return ['.'];
  if (typeof exports === 'string') return ['.'];
  const keys = Object.keys(exports);
  // An exports object whose keys are conditions, not subpaths, describes "." alone.
  if (!keys.some((key) => key.startsWith('.'))) return ['.'];
  return keys.filter((key) => !key.includes('*'));
}

export function binNames(manifest: Manifest): string[] {
  if (manifest.bin === undefined) return [];
  if (typeof manifest.bin === 'string') return [manifest.name.replace(/^@[^/]+\//, '')];
  return Object.keys(manifest.bin);
}

function specifier(name: string, subpath: string): string {
  return subpath === '.' ? name : `${name}/${subpath.slice(2)}`;
}

function failure(error: unknown): string {
  const { stderr, message } = error as { stderr?: string; message?: string };
  return (stderr?.trim() || message || String(error)).split('\n').slice(0, 8).join('\n');
}

function nodeTypesVersion(): string {
  return (require('@types/node/package.json') as { version: string }).version;
}

async function readManifest(dir: string): Promise<Manifest> {
  return JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as Manifest;
}

async function pack(dir: string, destination: string): Promise<string> {
  const { stdout } = await exec('npm', ['pack', '--json', '--pack-destination', destination], { cwd: dir });
  const [result] = JSON.parse(stdout) as Array<{ filename: string }>;
  if (!result) throw new Error(`npm pack printed no tarball for ${dir}`);
  return join(destination, result.filename);
}

async function importEntry(scratchDir: string, target: string): Promise<EntryCheck> {
  const attributes = target.endsWith('.json') ? ", { with: { type: 'json' } }" : '';
  const script = `await import(${JSON.stringify(target)}${attributes});`;
  try {
    await exec(process.execPath, ['--input-type=module', '--eval', script], { cwd: scratchDir });
    return { target, ok: true };
  } catch (error) {
    return { target, ok: false, error: failure(error) };
  }
}

async function typecheckEntries(scratchDir: string, targets: string[]): Promise<EntryCheck> {
  const target = `types of ${targets.length} entries`;
  const code = targets
    .filter((entry) => !entry.endsWith('.json'))
    .map((entry, index) => `import * as entry${index} from ${JSON.stringify(entry)};\nvoid entry${index};`)
    .join('\n');
  await writeFile(join(scratchDir, 'entries.ts'), `${code}\n`);
  await writeFile(
    join(scratchDir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        module: 'nodenext',
        moduleResolution: 'nodenext',
        target: 'es2023',
        strict: true,
        noEmit: true,
        skipLibCheck: false,
        types: ['node'],
      },
      files: ['entries.ts'],
    }),
  );
  const tsc = require.resolve('typescript/bin/tsc');
  try {
    await exec(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: scratchDir });
    return { target, ok: true };
  } catch (error) {
    const { stdout } = error as { stdout?: string };
    return { target, ok: false, error: stdout?.trim() || failure(error) };
  }
}

async function runBin(scratchDir: string, bin: string): Promise<EntryCheck> {
  const target = `bin ${bin}`;
  try {
    await exec(join(scratchDir, 'node_modules', '.bin', bin), ['--version'], {
      cwd: scratchDir,
      // The bin's `#!/usr/bin/env node` must find the pinned Node, not the machine's.
      env: { ...process.env, PATH: `${join(process.execPath, '..')}:${process.env['PATH'] ?? ''}` },
    });
    return { target, ok: true };
  } catch (error) {
    return { target, ok: false, error: failure(error) };
  }
}

export async function packAndImport(options: SmokeOptions): Promise<SmokeReport> {
  const log = options.log ?? (() => undefined);
  const scratchDir = await mkdtemp(join(tmpdir(), 'pullpush-pack-smoke-'));
  const tarballDir = join(scratchDir, 'tarballs');
  await mkdir(tarballDir);

  const packed: Array<{ manifest: Manifest; tarball: string }> = [];
  for (const dir of options.packageDirs) {
    const manifest = await readManifest(dir);
    if (manifest.private) continue;
    log(`pack ${manifest.name}@${manifest.version}`);
    packed.push({ manifest, tarball: await pack(dir, tarballDir) });
  }

  const dependencies: Record<string, string> = Object.fromEntries(packed.map(({ manifest, tarball }) => [manifest.name, `file:${tarball}`]));
  // The packages are for Node.js: a TypeScript consumer has Node's types, as the workspace does.
  dependencies['@types/node'] = nodeTypesVersion();
  await writeFile(
    join(scratchDir, 'package.json'),
    JSON.stringify({ name: 'pack-smoke-scratch', private: true, type: 'module', dependencies }, null, 2),
  );
  log(`install ${packed.length} tarballs into ${scratchDir}`);
  await exec('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], {
    cwd: scratchDir,
  });

  const checks: EntryCheck[] = [];
  const targets: string[] = [];
  for (const { manifest } of packed) {
    for (const subpath of exportSubpaths(manifest)) {
      const target = specifier(manifest.name, subpath);
      targets.push(target);
      checks.push(await importEntry(scratchDir, target));
    }
    for (const bin of binNames(manifest)) checks.push(await runBin(scratchDir, bin));
  }
  if (targets.length > 0) checks.push(await typecheckEntries(scratchDir, targets));
  for (const check of checks) log(`${check.ok ? 'ok  ' : 'FAIL'} ${check.target}${check.error ? `\n${check.error}` : ''}`);

  if (!options.keepScratch) await rm(scratchDir, { recursive: true, force: true });
  return { ok: checks.every((check) => check.ok), scratchDir, checks };
}
