// Crash-resume: a sync process killed with SIGKILL at random instants, twenty times over a 50,000-order source
// that keeps changing between the kills, then run to completion. The SQLite file, and a PostgreSQL schema where
// PULLPUSH_TEST_POSTGRES_URL names a server (always in CI), must hold every order exactly once, at its latest
// version — nothing lost, nothing doubled, nothing stale.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { DatabaseSync } from 'node:sqlite';
import { fileURLToPath } from 'node:url';
import { mulberry32, startTestApi, type TestApi } from '@pullpush/testkit';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropSchemas, freshSchema, POSTGRES_URL, schemaUrl } from './postgres.ts';

const ORDERS = 50_000;
const KILLS = 20;
const child = fileURLToPath(new URL('./fixtures/sync-child.ts', import.meta.url));

let api: TestApi;
let dir: string;
beforeAll(async () => {
  api = await startTestApi({ seed: 11, dataset: { orders: ORDERS, customers: 500, products: 60 }, auth: { kind: 'bearer', token: 'crash-test-token' } });
  dir = mkdtempSync(join(tmpdir(), 'pullpush-crash-'));
});
afterAll(async () => {
  await api?.close();
  rmSync(dir, { recursive: true, force: true });
  await dropSchemas();
});

function startSync(destination: string) {
  const process_ = spawn(process.execPath, ['--conditions=@pullpush/source', child, api.url, destination, 'orders'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  process_.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  // Listened for from the start: a run may finish before the kill, and 'close' is emitted only once.
  const closed = once(process_, 'close') as Promise<[number | null]>;
  const lines = createInterface({ input: process_.stdout });
  let batches = 0;
  let done: { status: string } | undefined;
  const waiting: Array<{ batches: number; resolve: () => void }> = [];
  lines.on('line', (line) => {
    const message = JSON.parse(line) as { written?: number; done?: boolean; status: string };
    if (message.done) done = message;
    else batches += 1;
    for (const wait of waiting.filter((entry) => entry.batches <= batches)) wait.resolve();
  });
  void closed.then(() => waiting.forEach((wait) => wait.resolve()));
  /** Resolves once the run has committed this many batches, or has ended. */
  const afterBatches = (count: number) => new Promise<void>((resolve) => (count <= batches ? resolve() : waiting.push({ batches: count, resolve })));
  return { process: process_, closed, afterBatches, result: () => done, stderr: () => stderr };
}

type StoredOrder = { remote_id: string; updated_at: string | Date; data: string | { remote: { id: string } } };

/** The SQLite file, and PostgreSQL when there is one: where the syncs go, and how the stored orders are read back. */
const destinations: Array<[string, () => { destination: string; orders: () => Promise<StoredOrder[]> }]> = [
  [
    'SQLite',
    () => {
      const path = join(dir, 'crash.db');
      return {
        destination: `sqlite:${path}`,
        orders: async () => {
          const db = new DatabaseSync(path, { readOnly: true });
          const rows = db.prepare('SELECT remote_id, updated_at, data FROM commerce_order').all() as StoredOrder[];
          db.close();
          return rows;
        },
      };
    },
  ],
];
if (POSTGRES_URL !== undefined) {
  const schema = freshSchema('pullpush_crash');
  destinations.push([
    'PostgreSQL',
    () => ({
      destination: schemaUrl(schema),
      orders: async () => {
        const client = new pg.Client({ connectionString: POSTGRES_URL });
        await client.connect();
        try {
          return (await client.query<StoredOrder>(`SELECT remote_id, updated_at, data FROM "${schema}".commerce_order`)).rows;
        } finally {
          await client.end();
        }
      },
    }),
  ]);
}

describe.each(destinations)('into %s', (_name, target) => {
  it(`survives ${KILLS} SIGKILLs over ${ORDERS} changing orders and ends with each order once, at its latest version`, async () => {
    const { destination, orders } = target();
    // Deterministic, so a failing run can be replayed.
    const next = mulberry32(2026);
    const ids = api.data.orders.map((order) => order.id);
    let killedMidRun = 0;
    for (let kill = 0; kill < KILLS; kill += 1) {
      const run = startSync(destination);
      // Killed at a point of progress, not of time, so a faster or slower machine kills as often mid-run: after
      // 0–4 committed batches of 500 (0: during start-up), then up to 100 ms into whatever the run does next.
      // Twenty runs cover less than the whole source, so every kill can land before the end.
      await run.afterBatches(Math.floor(next() * 5));
      await new Promise((resolve) => setTimeout(resolve, next() * 100));
      const exited = run.process.exitCode !== null;
      run.process.kill('SIGKILL');
      await run.closed;
      if (!exited && run.result() === undefined) killedMidRun += 1;
      // The source moves on between runs: some orders change, so the final state must carry their new versions.
      const changed = Array.from({ length: 25 }, () => ids[Math.floor(next() * ids.length)] as number);
      api.touch('orders', changed);
    }
    expect(killedMidRun).toBeGreaterThanOrEqual(KILLS / 2);

    const final = startSync(destination);
    const [code] = await final.closed;
    expect(code, final.stderr()).toBe(0);
    expect(final.result()?.status).toBe('succeeded');

    const rows = await orders();
    expect(rows).toHaveLength(ORDERS);
    const stored = new Map(rows.map((row) => [row.remote_id, row]));
    expect(stored.size).toBe(ORDERS);
    let mismatched = 0;
    for (const order of api.data.orders) {
      const row = stored.get(String(order.id));
      if (!row || new Date(row.updated_at).getTime() !== Date.parse(order.updated_at)) mismatched += 1;
    }
    expect(mismatched).toBe(0);
    const first = rows[0]?.data;
    const sample = (typeof first === 'string' ? JSON.parse(first) : first) as { remote: { id: string } };
    expect(sample.remote.id).toBe(rows[0]?.remote_id);
  }, 240_000);
});
