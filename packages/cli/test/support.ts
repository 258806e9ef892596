// Shared helpers of the CLI's end-to-end suites: every test spawns the real `pullpush` binary (from its TypeScript
// source, with the workspace's source condition) in a temp directory, against testkit APIs started in this process.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { fileURLToPath } from 'node:url';
import { shopConnectorDefinition, startTestApi, type ShopConnectorOptions, type TestApi, type TestApiOptions } from '@pullpush/testkit';
import { afterAll } from 'vitest';

export const BIN = fileURLToPath(new URL('../src/bin.ts', import.meta.url));
export const SCHEMA_EXAMPLES = fileURLToPath(new URL('../../schema/examples/', import.meta.url));

export interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  cwd: string;
  /** Extra environment variables (on top of a clean copy of this process's). */
  env?: Record<string, string>;
  /** Called once the process runs (to signal it). */
  onSpawn?: (child: ChildProcess) => void;
}

/** This process's environment without what would change the command's output (colours, PULLPUSH_ variables). */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (key === 'FORCE_COLOR' || key === 'NO_COLOR' || key === 'NODE_OPTIONS' || key.startsWith('PULLPUSH_') || key.startsWith('VITEST')) continue;
    env[key] = value;
  }
  return { ...env, ...extra };
}

// Suites run their tests concurrently; at most this many commands run at once per test worker, so that a
// machine with few cores is not oversubscribed into timeouts.
const MAX_RUNNING = 2 * availableParallelism() + 2;
let running = 0;
const waiting: Array<() => void> = [];

async function slot<T>(work: () => Promise<T>): Promise<T> {
  if (running >= MAX_RUNNING) await new Promise<void>((resolve) => waiting.push(resolve));
  running += 1;
  try {
    return await work();
  } finally {
    running -= 1;
    waiting.shift()?.();
  }
}

/** Runs `pullpush ...args` to completion. */
export function pullpush(args: readonly string[], options: RunOptions): Promise<Result> {
  return slot(() => spawnPullpush(args, options));
}

function spawnPullpush(args: readonly string[], options: RunOptions): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--conditions=@pullpush/source', BIN, ...args], { cwd: options.cwd, env: cleanEnv(options.env), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    options.onSpawn?.(child);
  });
}

/** A fresh temp directory, removed after the suite. */
export function useTempDirs(): () => string {
  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });
  return () => {
    const dir = mkdtempSync(join(tmpdir(), 'pullpush-cli-'));
    dirs.push(dir);
    return dir;
  };
}

/** testkit servers for a suite, closed after it (its tests run concurrently). */
export function useTestApis(): (options?: TestApiOptions) => Promise<TestApi> {
  const servers: TestApi[] = [];
  afterAll(async () => {
    await Promise.all(servers.splice(0).map((server) => server.close()));
  });
  return async (options = {}) => {
    const api = await startTestApi(options);
    servers.push(api);
    return api;
  };
}

export function writeJson(dir: string, name: string, value: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`);
  return path;
}

/** A secret that must never appear in any output. */
export function canary(prefix = 'sk_canary'): string {
  return `${prefix}_${randomBytes(12).toString('hex')}`;
}

/**
 * The testkit shop definition as a user would have it: an https base URL that `--base-url` replaces with the
 * local server's. `change` edits it (a mapping that fails, a rate limit).
 */
export type ShopDefinition = ReturnType<typeof shopConnectorDefinition>;

export function shopDefinition(options: Omit<ShopConnectorOptions, 'baseUrl'> = {}, change?: (definition: ShopDefinition) => void): ShopDefinition {
  const definition = structuredClone(shopConnectorDefinition({ baseUrl: 'https://shop.example.test', pageSize: 100, ...options }));
  change?.(definition);
  return definition;
}

/** The flags that point a definition at a local testkit server. */
export function local(api: { url: string }): string[] {
  return ['--base-url', api.url, '--allow-private-network', '--allow-insecure-http'];
}

/** Rows of a query on a SQLite file (read-only). */
export function query<T = Record<string, unknown>>(path: string, sql: string): T[] {
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    return db.prepare(sql).all() as T[];
  } finally {
    db.close();
  }
}

export function countRows(path: string, table: string): number {
  return Number(query<{ n: number }>(path, `select count(*) as n from "${table}"`)[0]?.n ?? 0);
}

/** Whether text holds a terminal escape sequence (colours, cursor moves). */
export function hasAnsi(text: string): boolean {
  return text.includes('\u001B[');
}

/** Every output of the results, for "never printed" assertions. */
export function allOutput(...results: Result[]): string {
  return results.map((result) => `${result.stdout}\n${result.stderr}`).join('\n');
}

export async function until(condition: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
