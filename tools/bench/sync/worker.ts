// One measured run in its own process: testkit's shop connector, orders only, synced into `sqlite` or `jsonl` (a
// fresh file each time) or `postgres` (a fresh schema, dropped afterwards), or only `read` by the engine, every
// event made and dropped (what a sync adds to that is the store's cost). Prints records, milliseconds, CPU (all the
// process's threads, the SQLite writer's among them) and peak RSS.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileConnector } from '@pullpush/engine';
import { JsonlDestination, openSqliteStore, PostgresStore, runSync } from '@pullpush/sync';
import { shopConnectorDefinition } from '@pullpush/testkit';

const [kind, url, postgresUrl] = process.argv.slice(2) as ['sqlite' | 'jsonl' | 'postgres' | 'read', string, string | undefined];
const engine = { allowPrivateNetwork: 'loopback', allowInsecureHttp: true } as const;
const config = { apiKey: 'bench-token-0123456789' };

const cpuBefore = process.cpuUsage();
const cpuMs = () => {
  const used = process.cpuUsage(cpuBefore);
  return (used.user + used.system) / 1000;
};

if (kind === 'read') {
  const started = performance.now();
  const connector = await compileConnector(shopConnectorDefinition({ baseUrl: url }), config, engine);
  let records = 0;
  for await (const message of connector.read('orders')) if (message.type === 'record') records += 1;
  await connector.close();
  const ms = performance.now() - started;
  process.stdout.write(`${JSON.stringify({ kind, records, ms, cpuMs: cpuMs(), maxRssMb: process.resourceUsage().maxRSS / 1024 })}\n`);
  process.exit(0);
}

const dir = mkdtempSync(join(tmpdir(), 'pullpush-bench-sync-'));
const schema = `pullpush_bench_${process.pid}`;
const destination =
  kind === 'postgres'
    ? new PostgresStore(postgresUrl as string, { schema })
    : kind === 'sqlite'
      ? openSqliteStore(join(dir, 'bench.db'))
      : new JsonlDestination(join(dir, 'bench.jsonl'));
const started = performance.now();
const summary = await runSync({
  definition: shopConnectorDefinition({ baseUrl: url }),
  config,
  destination,
  streams: ['orders'],
  engine,
});
const ms = performance.now() - started;
const cpu = cpuMs();
if (destination instanceof PostgresStore) await destination.query(`DROP SCHEMA "${schema}" CASCADE`);
await destination.close();
rmSync(dir, { recursive: true, force: true });
if (summary.status !== 'succeeded') throw new Error(`sync ${summary.status}: ${JSON.stringify(summary.streams[0]?.error)}`);
process.stdout.write(`${JSON.stringify({ kind, records: summary.totals.records, ms, cpuMs: cpu, maxRssMb: process.resourceUsage().maxRSS / 1024 })}\n`);
