// Full sync of testkit orders into SQLite and into JSON Lines (and PostgreSQL with --postgres <url>), and the
// engine's read of the same source alone, in the same run: records/s of each, what the store adds to a read
// (SQLite time / read time − 1, goal ≤ 25 %), the CPU each spends per record, the SQLite/JSON Lines throughput
// ratio and the PostgreSQL/SQLite one. The API runs in its own process; each run in another; the kinds alternate
// `--runs` times and medians are compared. The readers run with V8 set as the pullpush CLI sets it.
//   npm run bench:sync [-- --orders 100000 --runs 3 --postgres postgres://user:password@127.0.0.1/db --v8-defaults]
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import { firstJsonLine, median, readerRuntime } from './measure.ts';

const { values } = parseArgs({ options: { orders: { type: 'string', default: '100000' }, runs: { type: 'string', default: '3' }, postgres: { type: 'string' }, json: { type: 'boolean' }, 'v8-defaults': { type: 'boolean' } } });
const runtime = readerRuntime(values['v8-defaults']);
const orders = Number(values.orders);
const runs = Math.max(1, Number(values.runs));
const node = [process.execPath, '--conditions=@pullpush/source'] as const;
const script = (path: string) => new URL(path, import.meta.url).pathname;

interface Measured {
  kind: string;
  records: number;
  ms: number;
  cpuMs: number;
  maxRssMb: number;
}

const server = spawn(node[0], [node[1], script('./engine-read/server.ts'), String(orders)], { stdio: ['pipe', 'pipe', 'inherit'] });
const { url } = (await firstJsonLine(server)) as { url: string };
type Kind = 'sqlite' | 'jsonl' | 'postgres' | 'read';
const measured: Record<Kind, Measured[]> = { sqlite: [], jsonl: [], postgres: [], read: [] };
const kinds: Kind[] = ['read', 'jsonl', 'sqlite', ...(values.postgres ? (['postgres'] as const) : [])];
for (let run = 0; run < runs; run += 1) {
  for (const kind of kinds) {
    const child = spawn(node[0], [node[1], ...runtime.flags, script('./sync/worker.ts'), kind, url, ...(values.postgres ? [values.postgres] : [])], { stdio: ['ignore', 'pipe', 'inherit'] });
    const result = (await firstJsonLine(child)) as unknown as Measured;
    await once(child, 'exit');
    if (result.records !== orders) throw new Error(`${kind}: expected ${orders} records, got ${result.records}`);
    measured[kind].push(result);
  }
}
server.stdin?.end();
await once(server, 'exit');

const rate = (kind: Kind) => orders / (median(measured[kind].map((m) => m.ms)) / 1000);
const cpuPerRecord = (kind: Kind) => (median(measured[kind].map((m) => m.cpuMs)) * 1000) / orders;
const row = {
  orders,
  runs,
  sqliteRecordsPerSecond: Math.round(rate('sqlite')),
  jsonlRecordsPerSecond: Math.round(rate('jsonl')),
  readRecordsPerSecond: Math.round(rate('read')),
  ratio: rate('sqlite') / rate('jsonl'),
  storeOverhead: rate('read') / rate('sqlite') - 1,
  readCpuUsPerRecord: cpuPerRecord('read'),
  sqliteCpuUsPerRecord: cpuPerRecord('sqlite'),
  jsonlCpuUsPerRecord: cpuPerRecord('jsonl'),
  sqlitePeakRssMb: Math.round(Math.max(...measured.sqlite.map((m) => m.maxRssMb))),
  jsonlPeakRssMb: Math.round(Math.max(...measured.jsonl.map((m) => m.maxRssMb))),
  ...(values.postgres ? { postgresRecordsPerSecond: Math.round(rate('postgres')), postgresToSqlite: rate('postgres') / rate('sqlite') } : {}),
};
if (values.json) console.log(JSON.stringify({ node: process.version, flags: runtime.flags, ...row }, null, 2));
else {
  console.log(`node ${process.version}, ${orders} orders, medians of ${runs}, ${runtime.description}`);
  console.log(`  SQLite      ${row.sqliteRecordsPerSecond} rec/s (peak RSS ${row.sqlitePeakRssMb} MB)`);
  console.log(`  JSON Lines  ${row.jsonlRecordsPerSecond} rec/s (peak RSS ${row.jsonlPeakRssMb} MB)`);
  if (row.postgresRecordsPerSecond !== undefined) console.log(`  PostgreSQL  ${row.postgresRecordsPerSecond} rec/s (PostgreSQL / SQLite ${row.postgresToSqlite?.toFixed(2)})`);
  console.log(`  engine read ${row.readRecordsPerSecond} rec/s (the same source, events made and dropped)`);
  console.log(`  SQLite / JSON Lines throughput ${row.ratio.toFixed(2)}`);
  console.log(`  the store adds ${(row.storeOverhead * 100).toFixed(0)} % to the read (SQLite time / read time − 1; goal ≤ 25 %)`);
  const us = (value: number) => value.toFixed(1);
  console.log(`  CPU per record (all threads): read ${us(row.readCpuUsPerRecord)} µs, SQLite ${us(row.sqliteCpuUsPerRecord)} µs, JSON Lines ${us(row.jsonlCpuUsPerRecord)} µs`);
}
