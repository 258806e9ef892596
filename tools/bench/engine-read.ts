// Engine read throughput against a hand-written fetch loop doing the same requests, parsing, mapping and
// validation, in the same run; peak memory of each reader at each size (each run in its own process, the API in
// another). Engine and baseline alternate `--runs` times per size and the median of each is compared, because a
// shared machine's speed drifts over minutes.   npm run bench:engine [-- --sizes 100000,1000000 --runs 3]
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import { firstJsonLine, median } from './measure.ts';

const { values } = parseArgs({ options: { sizes: { type: 'string', default: '100000,1000000' }, runs: { type: 'string', default: '3' }, json: { type: 'boolean' } } });
const sizes = values.sizes.split(',').map(Number);
const runs = Math.max(1, Number(values.runs));
const here = new URL('./engine-read/', import.meta.url);
const node = [process.execPath, '--conditions=@pullpush/source'];

interface Measured {
  records: number;
  ms: number;
  cpuMs: number;
  maxRssMb: number;
}

async function run(kind: string, url: string): Promise<Measured> {
  const child = spawn(node[0] as string, [...node.slice(1), new URL('worker.ts', here).pathname, kind, url], { stdio: ['ignore', 'pipe', 'inherit'] });
  const result = (await firstJsonLine(child)) as unknown as Measured;
  await once(child, 'exit');
  return result;
}

const rows: Array<Record<string, number | string>> = [];
for (const size of sizes) {
  const server = spawn(node[0] as string, [...node.slice(1), new URL('server.ts', here).pathname, String(size)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const { url } = (await firstJsonLine(server)) as { url: string };
  const baselines: Measured[] = [];
  const engines: Measured[] = [];
  for (let index = 0; index < runs; index += 1) {
    baselines.push(await run('baseline', url));
    engines.push(await run('engine', url));
  }
  server.stdin?.end();
  await once(server, 'exit');
  for (const measured of [...engines, ...baselines]) if (measured.records !== size) throw new Error(`expected ${size} records, got ${measured.records}`);
  const engineMs = median(engines.map((m) => m.ms));
  const baselineMs = median(baselines.map((m) => m.ms));
  rows.push({
    size,
    runs,
    engineRecordsPerSecond: Math.round(size / (engineMs / 1000)),
    baselineRecordsPerSecond: Math.round(size / (baselineMs / 1000)),
    timeRatio: engineMs / baselineMs,
    cpuRatio: median(engines.map((m) => m.cpuMs)) / median(baselines.map((m) => m.cpuMs)),
    enginePeakRssMb: Math.round(Math.max(...engines.map((m) => m.maxRssMb))),
    baselinePeakRssMb: Math.round(Math.max(...baselines.map((m) => m.maxRssMb))),
  });
}
if (values.json) console.log(JSON.stringify({ node: process.version, rows }, null, 2));
else {
  console.log(`node ${process.version}`);
  for (const row of rows) {
    console.log(
      `${String(row['size']).padStart(8)} records: engine ${row['engineRecordsPerSecond']} rec/s, baseline ${row['baselineRecordsPerSecond']} rec/s, ` +
        `engine/baseline time ${(row['timeRatio'] as number).toFixed(2)} (goal ≤ 1.25; CPU ${(row['cpuRatio'] as number).toFixed(2)}), medians of ${row['runs']}, peak RSS engine ${row['enginePeakRssMb']} MB, baseline ${row['baselinePeakRssMb']} MB`,
    );
  }
  if (rows.length >= 2) {
    const first = rows[0] as Record<string, number>;
    const last = rows.at(-1) as Record<string, number>;
    console.log(`engine peak RSS growth ${first['size']} → ${last['size']}: ${((last['enginePeakRssMb'] as number) / (first['enginePeakRssMb'] as number)).toFixed(2)}× (goal < 1.2×)`);
  }
}
