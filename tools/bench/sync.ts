// Full sync of testkit orders into SQLite against the same read into JSON Lines, in the same run: records/s of
// each and the SQLite/JSON Lines throughput ratio (goal ≥ 0.6). The API runs in its own process; each sync in
// another; the two kinds alternate `--runs` times and medians are compared.
//   npm run bench:sync [-- --orders 100000 --runs 3]
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import { firstJsonLine, median } from './measure.ts';

const { values } = parseArgs({ options: { orders: { type: 'string', default: '100000' }, runs: { type: 'string', default: '3' }, json: { type: 'boolean' } } });
const orders = Number(values.orders);
const runs = Math.max(1, Number(values.runs));
const node = [process.execPath, '--conditions=@pullpush/source'] as const;
const script = (path: string) => new URL(path, import.meta.url).pathname;

interface Measured {
  kind: string;
  records: number;
  ms: number;
  maxRssMb: number;
}

const server = spawn(node[0], [node[1], script('./engine-read/server.ts'), String(orders)], { stdio: ['pipe', 'pipe', 'inherit'] });
const { url } = (await firstJsonLine(server)) as { url: string };
const measured: Record<'sqlite' | 'jsonl', Measured[]> = { sqlite: [], jsonl: [] };
for (let run = 0; run < runs; run += 1) {
  for (const kind of ['jsonl', 'sqlite'] as const) {
    const child = spawn(node[0], [node[1], script('./sync/worker.ts'), kind, url], { stdio: ['ignore', 'pipe', 'inherit'] });
    const result = (await firstJsonLine(child)) as unknown as Measured;
    await once(child, 'exit');
    if (result.records !== orders) throw new Error(`${kind}: expected ${orders} records, got ${result.records}`);
    measured[kind].push(result);
  }
}
server.stdin?.end();
await once(server, 'exit');

const rate = (kind: 'sqlite' | 'jsonl') => orders / (median(measured[kind].map((m) => m.ms)) / 1000);
const row = {
  orders,
  runs,
  sqliteRecordsPerSecond: Math.round(rate('sqlite')),
  jsonlRecordsPerSecond: Math.round(rate('jsonl')),
  ratio: rate('sqlite') / rate('jsonl'),
  sqlitePeakRssMb: Math.round(Math.max(...measured.sqlite.map((m) => m.maxRssMb))),
  jsonlPeakRssMb: Math.round(Math.max(...measured.jsonl.map((m) => m.maxRssMb))),
};
if (values.json) console.log(JSON.stringify({ node: process.version, ...row }, null, 2));
else {
  console.log(`node ${process.version}, ${orders} orders, medians of ${runs}`);
  console.log(`  SQLite      ${row.sqliteRecordsPerSecond} rec/s (peak RSS ${row.sqlitePeakRssMb} MB)`);
  console.log(`  JSON Lines  ${row.jsonlRecordsPerSecond} rec/s (peak RSS ${row.jsonlPeakRssMb} MB)`);
  console.log(`  SQLite / JSON Lines throughput ${row.ratio.toFixed(2)} (goal ≥ 0.6)`);
}
