// Delivery that survives crashes: a flow from one testkit shop's customers to another's writes, its runner killed
// with SIGKILL twenty times at random points of delivery (counted in writes the destination received, never in
// time), the destination failing now and then (503s, answers lost after the write was applied), and the source
// changing between the kills. In the end every source customer is at the destination exactly once, at its latest
// version, and each customer's writes arrived in order.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mulberry32, startTestApi, type TestApi } from '@pullpush/testkit';
import { afterAll, beforeAll, expect, it } from 'vitest';

const CUSTOMERS = 300;
const KILLS = 20;
const child = fileURLToPath(new URL('./fixtures/flow-child.ts', import.meta.url));

let source: TestApi;
let target: TestApi;
let dir: string;
beforeAll(async () => {
  source = await startTestApi({ seed: 41, dataset: { customers: CUSTOMERS }, auth: { kind: 'bearer', token: 'source-token' } });
  target = await startTestApi({
    seed: 7,
    dataset: { customers: 5 },
    auth: { kind: 'bearer', token: 'crm-token' },
    faults: [
      { kind: 'status', status: 503, method: 'POST', route: '/customers', every: 9 },
      { kind: 'reset', phase: 'response', method: 'PATCH', route: '/customers', every: 11 },
      { kind: 'reset', phase: 'response', method: 'POST', route: '/customers', every: 13 },
    ],
  });
  dir = mkdtempSync(join(tmpdir(), 'pullpush-delivery-crash-'));
});
afterAll(async () => {
  await Promise.all([source?.close(), target?.close()]);
  rmSync(dir, { recursive: true, force: true });
});

const isWrite = (request: { method: string; path: string }) => request.method !== 'GET' && request.path.startsWith('/customers');

function startRun(path: string, killAfterWrites: number | undefined) {
  const runner = spawn(process.execPath, ['--conditions=@pullpush/source', child, source.url, target.url, path], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  runner.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  runner.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const closed = once(runner, 'close') as Promise<[number | null]>;
  let writes = 0;
  // Killed from inside the destination, as it receives a write: the write may be applied or not, answered or not.
  target.setOnRequest(
    killAfterWrites === undefined
      ? undefined
      : (request) => {
          if (isWrite(request) && (writes += 1) === killAfterWrites) runner.kill('SIGKILL');
        },
  );
  return { runner, closed, stdout: () => stdout, stderr: () => stderr };
}

it(`delivers every record once, at its latest version and in order per key, through ${KILLS} SIGKILLs`, { timeout: 600_000 }, async () => {
  const path = join(dir, 'flow.db');
  const next = mulberry32(2026);
  const ids = source.data.customers.map((customer) => customer.id);
  let killed = 0;
  for (let kill = 0; kill < KILLS; kill += 1) {
    const run = startRun(path, 1 + Math.floor(next() * 25));
    const [code] = await run.closed;
    if (code === null) killed += 1;
    // The source moves on: a few customers renamed, so the end state must carry their newest names.
    for (let change = 0; change < 5; change += 1) source.update('customers', ids[Math.floor(next() * ids.length)] as number, { first_name: `v${kill}-${change}` });
  }
  expect(killed).toBeGreaterThanOrEqual(KILLS / 2);

  const final = startRun(path, undefined);
  const [code] = await final.closed;
  expect(code, final.stderr()).toBe(0);
  expect(JSON.parse(final.stdout().trim())).toMatchObject({ status: 'succeeded', delivery: { pending: 0, deadLettered: 0 } });

  // Exactly once, at the latest version.
  for (const customer of source.data.customers) {
    const copies = target.data.customers.filter((entry) => entry.email === customer.email);
    expect(copies.map((entry) => entry.first_name), customer.email).toEqual([customer.first_name]);
  }
  // In order per key: the names a customer's applied updates carry never go back to an older change.
  const version = (name: unknown) => (typeof name === 'string' && /^v\d+-\d+$/.test(name) ? Number(name.slice(1).split('-')[0]) * 10 + Number(name.split('-')[1]) : -1);
  const applied = new Map<string, number[]>();
  for (const request of target.requests.filter((entry) => entry.method === 'PATCH' && entry.status === 200)) {
    const versions = applied.get(request.path) ?? [];
    versions.push(version((JSON.parse(request.body ?? '{}') as { first_name?: unknown }).first_name));
    applied.set(request.path, versions);
  }
  for (const [path_, versions] of applied) expect(versions, path_).toEqual([...versions].sort((a, b) => a - b));
});
