// Delivery that survives crashes: a flow from one testkit shop's customers, orders and stock levels to another's
// writes, its runner killed with SIGKILL twenty times at random points of delivery (counted in writes the
// destination received, never in time), the destination failing now and then (503s, 429s with Retry-After,
// timeouts, answers lost after the write was applied), and the source changing between the kills. In the end
// every source record is at the destination exactly once, at its latest version, and each record's writes
// arrived in order.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mulberry32, startTestApi, type TestApi } from '@pullpush/testkit';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { expectDeliveredOnce, expectWritesInOrder, isWrite, STOCK_VERSIONS } from './delivered.ts';

const CUSTOMERS = 150;
const ORDERS = 150;
const KILLS = 20;
const child = fileURLToPath(new URL('./fixtures/flow-child.ts', import.meta.url));

let source: TestApi;
let target: TestApi;
let dir: string;
beforeAll(async () => {
  source = await startTestApi({ seed: 41, dataset: { customers: CUSTOMERS, orders: ORDERS }, auth: { kind: 'bearer', token: 'source-token' } });
  target = await startTestApi({
    seed: 7,
    dataset: { customers: 5, orders: 1, products: 1 },
    auth: { kind: 'bearer', token: 'crm-token' },
    // Duplicates are stored, not refused (as Shopify's orders): a second create of a record is a second record, so
    // only delivery itself can keep a write whose outcome was lost from being made twice.
    uniqueWrites: false,
    faults: [
      { kind: 'status', status: 503, method: 'POST', route: '/customers', every: 9 },
      { kind: 'reset', phase: 'response', method: 'PATCH', route: '/customers', every: 11 },
      { kind: 'reset', phase: 'response', method: 'POST', route: '/customers', every: 13 },
      { kind: 'status', status: 503, method: 'POST', route: '/orders', every: 8 },
      { kind: 'status', status: 429, method: 'PATCH', route: '/orders', every: 7, headers: { 'retry-after': '0' } },
      { kind: 'reset', phase: 'response', method: 'POST', route: '/orders', every: 11 },
      { kind: 'reset', phase: 'response', method: 'PUT', route: '/stock_levels', every: 10 },
      { kind: 'status', status: 503, method: 'PATCH', route: '/stock_levels', every: 6 },
      // No answer at all: the runner gives up after its 500 ms request timeout and tries again.
      { kind: 'timeout', method: 'PATCH', route: '/orders', every: 9 },
      { kind: 'timeout', method: 'PUT', route: '/stock_levels', every: 13 },
    ],
  });
  dir = mkdtempSync(join(tmpdir(), 'pullpush-delivery-crash-'));
});
afterAll(async () => {
  await Promise.all([source?.close(), target?.close()]);
  rmSync(dir, { recursive: true, force: true });
});

function startRun(path: string, killAfterWrites: number | undefined) {
  const runner = spawn(process.execPath, ['--conditions=@pullpush/source', child, source.url, target.url, path], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  runner.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  runner.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const closed = once(runner, 'close') as Promise<[number | null]>;
  let writes = 0;
  let fatal: { method: string; path: string; body?: string } | undefined;
  // Killed from inside the destination, as it receives a write: the server applies it, the runner never hears.
  target.setOnRequest(
    killAfterWrites === undefined
      ? undefined
      : (request) => {
          if (isWrite(request) && (writes += 1) === killAfterWrites) {
            fatal = request;
            runner.kill('SIGKILL');
          }
        },
  );
  return { runner, closed, stdout: () => stdout, stderr: () => stderr, fatal: () => fatal };
}

/** Changes, at the source, the record a destination write was for (found by the write's body or target record). */
function changeAtSource(request: { method: string; path: string; body?: string }, kill: number): void {
  const body = JSON.parse(request.body ?? '{}') as Record<string, unknown>;
  const [, resource, id] = request.path.split('/');
  if (resource === 'customers') {
    const email = id === undefined ? body['email'] : target.data.customers.find((entry) => String(entry.id) === id)?.email;
    const customer = source.data.customers.find((entry) => entry.email === email);
    if (customer) source.update('customers', customer.id, { first_name: `v${kill}-9` });
  } else if (resource === 'orders') {
    const identifier = id === undefined ? body['source_identifier'] : target.data.orders.find((entry) => String(entry.id) === id)?.source_identifier;
    const order = source.data.orders.find((entry) => `commerce.order:testkit-shop:shop:${entry.id}` === identifier);
    if (order) source.update('orders', order.id, { note: `v${kill}-9` });
  } else if (resource === 'stock_levels') {
    const at = id === undefined ? body : target.data.stock_levels.find((entry) => entry.id === id);
    const level = source.data.stock_levels.find((entry) => entry.sku === at?.['sku'] && entry.location_id === at?.['location_id']);
    if (level) source.update('stock_levels', level.id, { available: STOCK_VERSIONS + kill * 10 + 9 });
  }
}

it(`delivers every record once, at its latest version and in order per key, through ${KILLS} SIGKILLs`, { timeout: 600_000 }, async () => {
  const path = join(dir, 'flow.db');
  const next = mulberry32(2026);
  const customerIds = source.data.customers.map((customer) => customer.id);
  const orderIds = source.data.orders.map((order) => order.id);
  const stockIds = source.data.stock_levels.map((level) => level.id);
  const pick = <T>(ids: readonly T[]) => ids[Math.floor(next() * ids.length)] as T;
  let killed = 0;
  for (let kill = 0; kill < KILLS; kill += 1) {
    const run = startRun(path, 1 + Math.floor(next() * 25));
    const [code] = await run.closed;
    if (code === null) killed += 1;
    // The record whose write was cut off changes at the source: its newer version supersedes the write in doubt,
    // under a new idempotency key, so only a lookup keeps it from being created twice.
    const cut = run.fatal();
    if (cut) changeAtSource(cut, kill);
    // The source moves on: a few customers renamed, orders annotated and stock counted again, each change carrying
    // its version (kill, change) so the end state and the order of the writes can be checked.
    for (let change = 0; change < 3; change += 1) {
      source.update('customers', pick(customerIds), { first_name: `v${kill}-${change}` });
      source.update('orders', pick(orderIds), { note: `v${kill}-${change}` });
      source.update('stock_levels', pick(stockIds), { available: STOCK_VERSIONS + kill * 10 + change });
    }
  }
  expect(killed).toBeGreaterThanOrEqual(KILLS / 2);

  const final = startRun(path, undefined);
  const [code] = await final.closed;
  expect(code, final.stderr()).toBe(0);
  expect(JSON.parse(final.stdout().trim())).toMatchObject({ status: 'succeeded', delivery: { pending: 0, deadLettered: 0 } });

  expectDeliveredOnce(source, target, 'testkit-shop', 'shop');
  expect(target.data.orders).toHaveLength(ORDERS + 1);
  expectWritesInOrder(target, 'crash-flow');
});
