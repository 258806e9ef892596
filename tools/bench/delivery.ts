// Delivery to a connector destination: testkit customers (testkit's shop writes customers and contacts, not yet
// orders) synced into a flow's SQLite outbox once, then delivered to a fresh testkit shop at concurrency 1 and 8
// by deliver(), and by a hand-written loop that sends the same requests (POST /customers with the same bodies,
// bearer token and idempotency key) at the same concurrency, in the same run: records/s and the ratio. The servers
// run in this process, as the two loops do, so the comparison holds on a busy machine.
//   npm run bench:delivery [-- --records 100000]
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { compileConnector } from '@pullpush/engine';
import { deliver, Outbox, runSync, SqliteStore } from '@pullpush/sync';
import { shopConnectorDefinition, startTestApi } from '@pullpush/testkit';

const { values } = parseArgs({ options: { records: { type: 'string', default: '100000' }, json: { type: 'boolean' } } });
const records = Number(values.records);
const LOCAL = { allowPrivateNetwork: 'loopback', allowInsecureHttp: true } as const;
const dir = mkdtempSync(join(tmpdir(), 'pullpush-bench-delivery-'));
const seeded = join(dir, 'seeded.db');

// The outbox, filled once by a sync of the source.
const source = await startTestApi({ seed: 41, dataset: { customers: records }, auth: { kind: 'bearer', token: 'src' } });
const store = new SqliteStore(seeded, { outbox: 'bench' });
await runSync({ definition: shopConnectorDefinition({ baseUrl: source.url }), config: { apiKey: 'src' }, destination: store, streams: ['customers'], engine: LOCAL });
store.close();
await source.close();

/** The outbox rows as the hand-written loop sends them: the same native body the definition's writes make. */
function nativeBodies(): Array<{ key: string; body: string }> {
  const outbox = new Outbox(seeded, 'bench');
  const rows: Array<{ key: string; body: string }> = [];
  for (let key = outbox.dueKeys(Date.now(), 1_000_000, new Set()), index = 0; index < key.length; index += 1) {
    const taken = outbox.takeLatest(key[index] as string, new Date().toISOString());
    if (!taken) continue;
    const r = JSON.parse(taken.row.data) as Record<string, unknown> & { state: { value: string }; tags: string[] };
    const body = { email: r['email'], first_name: r['firstName'], last_name: r['lastName'], phone: r['phone'], state: r.state.value, accepts_marketing: r['acceptsMarketing'] === true, tax_exempt: r['taxExempt'] === true, tags: r.tags.join(', '), note: r['note'], locale: r['locale'] };
    rows.push({ key: `${taken.row.eventId}.${taken.row.seq}.create`, body: JSON.stringify(body) });
  }
  outbox.close();
  return rows;
}

async function pullpush(concurrency: number): Promise<number> {
  const target = await startTestApi({ seed: 7, dataset: { customers: 1 }, auth: { kind: 'bearer', token: 'crm' } });
  const path = join(dir, `pullpush-${concurrency}.db`);
  copyFileSync(seeded, path);
  const destination = await compileConnector({ ...shopConnectorDefinition({ writes: true }), id: 'crm' }, { apiKey: 'crm' }, { ...LOCAL, baseUrl: target.url });
  const started = performance.now();
  const report = await deliver({ path, flow: 'bench', destination, concurrency });
  const ms = performance.now() - started;
  await destination.close();
  await target.close();
  if (report.delivered !== records) throw new Error(`delivered ${report.delivered} of ${records}: ${JSON.stringify(report)}`);
  return ms;
}

async function handWritten(concurrency: number, bodies: ReadonlyArray<{ key: string; body: string }>): Promise<number> {
  const target = await startTestApi({ seed: 7, dataset: { customers: 1 }, auth: { kind: 'bearer', token: 'crm' } });
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < bodies.length) {
        const { key, body } = bodies[next++] as { key: string; body: string };
        const response = await fetch(`${target.url}/customers`, { method: 'POST', headers: { authorization: 'Bearer crm', 'content-type': 'application/json', accept: 'application/json', 'idempotency-key': key }, body });
        if (response.status !== 201) throw new Error(`hand-written: ${response.status} ${await response.text()}`);
        await response.json();
      }
    }),
  );
  const ms = performance.now() - started;
  await target.close();
  return ms;
}

const bodies = nativeBodies();
const rows = [];
for (const concurrency of [1, 8]) {
  const hand = await handWritten(concurrency, bodies);
  const ours = await pullpush(concurrency);
  rows.push({ concurrency, pullpushPerSecond: records / (ours / 1000), handWrittenPerSecond: records / (hand / 1000), ratio: hand / ours });
}
rmSync(dir, { recursive: true, force: true });
if (values.json) console.log(JSON.stringify({ node: process.version, records, rows }, null, 2));
else {
  console.log(`node ${process.version}, ${records} customers delivered to a testkit shop (POST /customers), servers in process`);
  for (const row of rows) {
    console.log(`  concurrency ${row.concurrency}: deliver() ${Math.round(row.pullpushPerSecond).toLocaleString('en-US')} rec/s, hand-written loop ${Math.round(row.handWrittenPerSecond).toLocaleString('en-US')} rec/s, deliver()/hand-written ${row.ratio.toFixed(2)}`);
  }
}
