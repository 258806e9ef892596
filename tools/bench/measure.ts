// Throughput measurement for the benchmarks: rounds of fixed duration, median ops/s, ratios between
// measurements of the same run (never absolute thresholds: these machines are noisy).
import type { ChildProcess } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { STREAMING_V8_FLAGS } from '@pullpush/engine/runtime-flags';

export interface Measurement {
  name: string;
  /** Median over the rounds. */
  opsPerSecond: number;
  rounds: number[];
}

export interface MeasureOptions {
  seconds: number;
  rounds: number;
}

let sink = 0;

function runFor(fn: () => unknown, seconds: number): number {
  const deadline = performance.now() + seconds * 1000;
  let count = 0;
  const start = performance.now();
  while (performance.now() < deadline) {
    for (let i = 0; i < 256; i += 1) if (fn()) sink += 1;
    count += 256;
  }
  return count / ((performance.now() - start) / 1000);
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** The p-th percentile (nearest rank) of latency samples. */
export function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

export function measure(name: string, fn: () => unknown, options: MeasureOptions): Measurement {
  runFor(fn, Math.min(0.5, options.seconds)); // warm-up: let the JIT settle before measuring
  const rounds = Array.from({ length: options.rounds }, () => runFor(fn, options.seconds));
  return { name, opsPerSecond: median(rounds), rounds };
}

/** Prints each measurement and, for each [subject, baseline] pair, subject ops/s ÷ baseline ops/s. */
export function printTable(results: Measurement[], ratios: Array<[string, string]>, json: boolean): void {
  const byName = new Map(results.map((result) => [result.name, result]));
  const ratioRows = ratios.map(([subject, baseline]) => ({
    subject,
    baseline,
    ratio: (byName.get(subject)?.opsPerSecond ?? NaN) / (byName.get(baseline)?.opsPerSecond ?? NaN),
  }));
  if (json) {
    console.log(JSON.stringify({ node: process.version, results, ratios: ratioRows, sink: sink > 0 }, null, 2));
    return;
  }
  console.log(`node ${process.version}, median of ${results[0]?.rounds.length ?? 0} rounds`);
  for (const result of results) console.log(`${result.name.padEnd(36)} ${Math.round(result.opsPerSecond).toLocaleString('en-US').padStart(14)} ops/s`);
  for (const row of ratioRows) console.log(`ratio ${row.subject.trim()} / ${row.baseline.trim()}: ${row.ratio.toFixed(2)}`);
}

/** The first line a child process prints, as JSON: how the benchmarks' workers and servers report. */
export async function firstJsonLine(child: ChildProcess): Promise<Record<string, unknown>> {
  for await (const line of createInterface({ input: child.stdout as NodeJS.ReadableStream })) return JSON.parse(line) as Record<string, unknown>;
  throw new Error('the child process printed nothing');
}

/**
 * The node arguments of a process that reads records: V8 set as the `pullpush` CLI sets it (the engine's
 * STREAMING_V8_FLAGS), or left at V8's defaults (`--v8-defaults`), and the line that says which.
 */
export function readerRuntime(v8Defaults: boolean | undefined): { flags: string[]; description: string } {
  return v8Defaults
    ? { flags: [], description: "readers with V8's defaults" }
    : { flags: [...STREAMING_V8_FLAGS], description: `readers with V8 set as the pullpush CLI sets it (${STREAMING_V8_FLAGS.join(' ')}; --v8-defaults to measure without)` };
}
