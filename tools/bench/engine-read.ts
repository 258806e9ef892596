// Engine read throughput against a hand-written fetch loop doing the same requests, parsing, mapping and
// validation, and against the transport floor (the same requests and JSON.parse, nothing else), all in the same
// run; peak memory of each reader at each size (each run in its own process, the API in another). The readers
// alternate `--runs` times per size and the median of each is compared, because a shared machine's speed drifts
// over minutes. Goals: engine/hand-written time ≤ 1.10, engine CPU per record ≤ 2× the floor's.
//   npm run bench:engine [-- --sizes 100000,1000000 --runs 3 --v8-defaults]
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import { firstJsonLine, median, readerRuntime } from './measure.ts';

const { values } = parseArgs({ options: { sizes: { type: 'string', default: '100000,1000000' }, runs: { type: 'string', default: '3' }, json: { type: 'boolean' }, 'v8-defaults': { type: 'boolean' } } });
const runtime = readerRuntime(values['v8-defaults']);
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
  const child = spawn(node[0] as string, [...node.slice(1), ...runtime.flags, new URL('worker.ts', here).pathname, kind, url], { stdio: ['ignore', 'pipe', 'inherit'] });
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
  const floors: Measured[] = [];
  for (let index = 0; index < runs; index += 1) {
    floors.push(await run('floor', url));
    baselines.push(await run('baseline', url));
    engines.push(await run('engine', url));
  }
  server.stdin?.end();
  await once(server, 'exit');
  for (const measured of [...engines, ...baselines, ...floors]) if (measured.records !== size) throw new Error(`expected ${size} records, got ${measured.records}`);
  const engineMs = median(engines.map((m) => m.ms));
  const baselineMs = median(baselines.map((m) => m.ms));
  const perRecord = (measured: Measured[]) => (median(measured.map((m) => m.cpuMs)) * 1000) / size;
  rows.push({
    size,
    runs,
    engineRecordsPerSecond: Math.round(size / (engineMs / 1000)),
    baselineRecordsPerSecond: Math.round(size / (baselineMs / 1000)),
    floorRecordsPerSecond: Math.round(size / (median(floors.map((m) => m.ms)) / 1000)),
    timeRatio: engineMs / baselineMs,
    cpuRatio: median(engines.map((m) => m.cpuMs)) / median(baselines.map((m) => m.cpuMs)),
    engineCpuUsPerRecord: perRecord(engines),
    baselineCpuUsPerRecord: perRecord(baselines),
    floorCpuUsPerRecord: perRecord(floors),
    floorRatio: perRecord(engines) / perRecord(floors),
    enginePeakRssMb: Math.round(Math.max(...engines.map((m) => m.maxRssMb))),
    baselinePeakRssMb: Math.round(Math.max(...baselines.map((m) => m.maxRssMb))),
  });
}
if (values.json) console.log(JSON.stringify({ node: process.version, flags: runtime.flags, rows }, null, 2));
else {
  console.log(`node ${process.version}, ${runtime.description}`);
  for (const row of rows) {
    const us = (key: string) => (row[key] as number).toFixed(1);
    console.log(
      `${String(row['size']).padStart(8)} records: engine ${row['engineRecordsPerSecond']} rec/s, hand-written ${row['baselineRecordsPerSecond']} rec/s, floor ${row['floorRecordsPerSecond']} rec/s, medians of ${row['runs']}\n` +
        `          engine/hand-written time ${(row['timeRatio'] as number).toFixed(2)} (goal ≤ 1.10; CPU ${(row['cpuRatio'] as number).toFixed(2)})\n` +
        `          CPU per record: engine ${us('engineCpuUsPerRecord')} µs, hand-written ${us('baselineCpuUsPerRecord')} µs, floor ${us('floorCpuUsPerRecord')} µs; engine/floor ${(row['floorRatio'] as number).toFixed(2)} (goal ≤ 2)\n` +
        `          peak RSS engine ${row['enginePeakRssMb']} MB, hand-written ${row['baselinePeakRssMb']} MB`,
    );
  }
  if (rows.length >= 2) {
    const first = rows[0] as Record<string, number>;
    const last = rows.at(-1) as Record<string, number>;
    console.log(`engine peak RSS growth ${first['size']} → ${last['size']}: ${((last['enginePeakRssMb'] as number) / (first['enginePeakRssMb'] as number)).toFixed(2)}× (goal < 1.2×)`);
  }
}
