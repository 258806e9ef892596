// Delivery to a connector destination: testkit orders synced into a flow's SQLite outbox once, then delivered to a
// fresh testkit shop at concurrency 1 and 8 by deliver(), and by a hand-written loop that sends the same requests
// (POST /orders with the bodies the definition's writes build — made beforehand with connector.planWrite, outside
// the timed loop — the same bearer token and idempotency keys) at the same concurrency, in the same run:
// records/s and the ratio. The servers run in this process, as the two loops do, so the comparison holds on a busy
// machine.
//   npm run bench:delivery [-- --records 100000]
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { parseArgs } from 'node:util';
import { compileConnector, type Connector } from '@pullpush/engine';
import { deliver, runSync, SqliteStore } from '@pullpush/sync';
import { shopConnectorDefinition, startTestApi } from '@pullpush/testkit';

const { values } = parseArgs({ options: { records: { type: 'string', default: '100000' }, json: { type: 'boolean' } } });
const records = Number(values.records);
const LOCAL = { allowPrivateNetwork: 'loopback', allowInsecureHttp: true } as const;
const ORDER = 'commerce.order@1';
const dir = mkdtempSync(join(tmpdir(), 'pullpush-bench-delivery-'));
const seeded = join(dir, 'seeded.db');

/** A fresh destination shop (one order to model on) and the definition's writes compiled against it. */
async function destination(): Promise<{ close: () => Promise<void>; url: string; connector: Connector; orders: () => number }> {
  const api = await startTestApi({ seed: 7, dataset: { orders: 1 }, auth: { kind: 'bearer', token: 'crm' } });
  const connector = await compileConnector({ ...shopConnectorDefinition({ writes: true }), id: 'crm' }, { apiKey: 'crm' }, { ...LOCAL, baseUrl: api.url });
  return {
    url: api.url,
    connector,
    orders: () => api.data.orders.length,
    close: async () => {
      await connector.close();
      await api.close();
    },
  };
}

// The outbox, filled once by a sync of the source.
const source = await startTestApi({ seed: 41, dataset: { orders: records }, auth: { kind: 'bearer', token: 'src' } });
const store = new SqliteStore(seeded, { outbox: 'bench' });
await runSync({ definition: shopConnectorDefinition({ baseUrl: source.url }), config: { apiKey: 'src' }, destination: store, streams: ['orders'], engine: LOCAL });
store.close();
await source.close();

/** The requests deliver() makes for the outbox's rows: the planned create bodies and their idempotency keys. */
async function plannedRequests(): Promise<Array<{ key: string; body: string }>> {
  // Read, not taken: taking marks rows in doubt, and the runs copy this file.
  const db = new DatabaseSync(seeded, { readOnly: true });
  const rows = db.prepare("SELECT seq, event_id, data FROM pullpush_outbox WHERE flow = 'bench' AND status = 'pending' ORDER BY seq").all() as Array<{ seq: number; event_id: string; data: string }>;
  db.close();
  const { connector, close } = await destination();
  const requests: Array<{ key: string; body: string }> = [];
  for (const row of rows) {
    const planned = await connector.planWrite(ORDER, 'create', JSON.parse(row.data) as object);
    requests.push({ key: `${row.event_id}.${row.seq}.create`, body: JSON.stringify(planned.body) });
  }
  await close();
  return requests;
}

async function pullpush(concurrency: number): Promise<number> {
  const path = join(dir, `pullpush-${concurrency}.db`);
  copyFileSync(seeded, path);
  const target = await destination();
  const started = performance.now();
  const report = await deliver({ db: path, flow: 'bench', destination: target.connector, concurrency });
  const ms = performance.now() - started;
  const delivered = target.orders() - 1;
  await target.close();
  if (report.delivered !== records || delivered !== records) throw new Error(`delivered ${report.delivered} (${delivered} at the destination) of ${records}: ${JSON.stringify(report)}`);
  return ms;
}

async function handWritten(concurrency: number, requests: ReadonlyArray<{ key: string; body: string }>): Promise<number> {
  const target = await destination();
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < requests.length) {
        const { key, body } = requests[next++] as { key: string; body: string };
        const response = await fetch(`${target.url}/orders`, { method: 'POST', headers: { authorization: 'Bearer crm', 'content-type': 'application/json', accept: 'application/json', 'idempotency-key': key }, body });
        if (response.status !== 201) throw new Error(`hand-written: ${response.status} ${await response.text()}`);
        await response.json();
      }
    }),
  );
  const ms = performance.now() - started;
  await target.close();
  return ms;
}

const requests = await plannedRequests();
if (requests.length !== records) throw new Error(`the outbox holds ${requests.length} orders, not ${records}`);
const rows = [];
for (const concurrency of [1, 8]) {
  const hand = await handWritten(concurrency, requests);
  const ours = await pullpush(concurrency);
  rows.push({ concurrency, pullpushPerSecond: records / (ours / 1000), handWrittenPerSecond: records / (hand / 1000), ratio: hand / ours });
}
rmSync(dir, { recursive: true, force: true });
if (values.json) console.log(JSON.stringify({ node: process.version, records, rows }, null, 2));
else {
  console.log(`node ${process.version}, ${records} orders delivered to a testkit shop (POST /orders), servers in process`);
  for (const row of rows) {
    console.log(`  concurrency ${row.concurrency}: deliver() ${Math.round(row.pullpushPerSecond).toLocaleString('en-US')} rec/s, hand-written loop ${Math.round(row.handWrittenPerSecond).toLocaleString('en-US')} rec/s, deliver()/hand-written ${row.ratio.toFixed(2)}`);
  }
}
