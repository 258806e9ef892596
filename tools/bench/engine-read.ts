// Engine read throughput against a hand-written fetch loop doing the same requests, parsing, mapping and
// validation, in the same run; peak memory of each reader at each size (each run in its own process, the API in
// another).   npm run bench:engine [-- --sizes 100000,1000000]
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { sizes: { type: 'string', default: '100000,1000000' }, json: { type: 'boolean' } } });
const sizes = values.sizes.split(',').map(Number);
const here = new URL('./engine-read/', import.meta.url);
const node = [process.execPath, '--conditions=@pullpush/source'];

async function firstLine(child: ReturnType<typeof spawn>): Promise<Record<string, unknown>> {
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  for await (const line of lines) return JSON.parse(line) as Record<string, unknown>;
  throw new Error('no output');
}

async function run(kind: string, url: string): Promise<{ records: number; ms: number; maxRssMb: number }> {
  const child = spawn(node[0] as string, [...node.slice(1), new URL('worker.ts', here).pathname, kind, url], { stdio: ['ignore', 'pipe', 'inherit'] });
  const result = (await firstLine(child)) as { records: number; ms: number; maxRssMb: number };
  await once(child, 'exit');
  return result;
}

const rows: Array<Record<string, number | string>> = [];
for (const size of sizes) {
  const server = spawn(node[0] as string, [...node.slice(1), new URL('server.ts', here).pathname, String(size)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const { url } = (await firstLine(server)) as { url: string };
  const baseline = await run('baseline', url);
  const engine = await run('engine', url);
  server.stdin?.end();
  await once(server, 'exit');
  if (engine.records !== size || baseline.records !== size) throw new Error(`expected ${size} records, got engine ${engine.records}, baseline ${baseline.records}`);
  rows.push({
    size,
    engineRecordsPerSecond: Math.round(size / (engine.ms / 1000)),
    baselineRecordsPerSecond: Math.round(size / (baseline.ms / 1000)),
    timeRatio: engine.ms / baseline.ms,
    enginePeakRssMb: Math.round(engine.maxRssMb),
    baselinePeakRssMb: Math.round(baseline.maxRssMb),
  });
}
if (values.json) console.log(JSON.stringify({ node: process.version, rows }, null, 2));
else {
  console.log(`node ${process.version}`);
  for (const row of rows) {
    console.log(
      `${String(row['size']).padStart(8)} records: engine ${row['engineRecordsPerSecond']} rec/s, baseline ${row['baselineRecordsPerSecond']} rec/s, ` +
        `engine/baseline time ${(row['timeRatio'] as number).toFixed(2)} (goal ≤ 1.25), peak RSS engine ${row['enginePeakRssMb']} MB, baseline ${row['baselinePeakRssMb']} MB`,
    );
  }
  if (rows.length >= 2) {
    const first = rows[0] as Record<string, number>;
    const last = rows.at(-1) as Record<string, number>;
    console.log(`engine peak RSS growth ${first['size']} → ${last['size']}: ${((last['enginePeakRssMb'] as number) / (first['enginePeakRssMb'] as number)).toFixed(2)}× (goal < 1.2×)`);
  }
}
