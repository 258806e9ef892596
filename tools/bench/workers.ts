// Flow throughput with 1, 2 and 4 pg-boss worker processes (startWorker, concurrency 2 each), against the same
// flows run one after another with runFlow in one process (what one `pullpush flow run` per flow does), in the same
// run. F flows, each from a testkit shop of its own (orders, and customers with --customers) to a testkit shop of
// its own that takes writes; a measured run enqueues the F flows (FlowQueue.enqueue) and ends when the last job
// finished, once the queue has no live job left and every flow's outbox has nothing pending. records/s counts the
// source records synced, writes/s the writes the destinations took; each configuration is given as a ratio to
// runFlow and to 1 worker, with the CPU time of the pullpush processes, of the testkit APIs (a child process of
// their own, made once; fresh destinations for each run) and of a local PostgreSQL (from /proc), how busy the
// machine was, and the busy time none of those account for (other programs, the kernel; within about ±0.5 s, as
// os.cpus() leaves out softirq and steal time). Each run uses a fresh `?schema=` prefix, dropped afterwards; the configurations alternate `--runs` times and
// medians are compared.
//   npm run bench:workers [-- --flows 8 --orders 2500 --customers 0 --workers 1,2,4 --runs 3 --postgres postgres://user:password@127.0.0.1/db]
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import type { Flow } from '@pullpush/schema';
import { FlowQueue, flowStatus, PostgresStore } from '@pullpush/sync';
import { shopConnectorDefinition } from '@pullpush/testkit';
import { median } from './measure.ts';
import type { BenchFlow } from './worker-child.ts';

const { values } = parseArgs({
  options: {
    flows: { type: 'string', default: '8' },
    orders: { type: 'string', default: '2500' },
    customers: { type: 'string', default: '0' },
    workers: { type: 'string', default: '1,2,4' },
    concurrency: { type: 'string', default: '2' },
    runs: { type: 'string', default: '3' },
    timeout: { type: 'string', default: '900' },
    postgres: { type: 'string' },
    json: { type: 'boolean' },
  },
});
const postgres = values.postgres ?? process.env['PULLPUSH_TEST_POSTGRES_URL'];
if (postgres === undefined) {
  console.error('bench:workers needs PostgreSQL: pass --postgres postgres://user:password@host:5432/db or set PULLPUSH_TEST_POSTGRES_URL.');
  process.exit(1);
}
const flowCount = Number(values.flows);
const orders = Number(values.orders);
const customers = Number(values.customers);
const workerCounts = values.workers.split(',').map(Number);
const concurrency = Number(values.concurrency);
const runs = Math.max(1, Number(values.runs));
const timeoutMs = Number(values.timeout) * 1000;
const streams = customers > 0 ? ['customers', 'orders'] : ['orders'];
const node = [process.execPath, '--conditions=@pullpush/source'] as const;
const child = new URL('./worker-child.ts', import.meta.url).pathname;

/** JSON lines a child prints, read one at a time. */
function jsonLines(spawned: ChildProcess, name: string): (what: string, ms?: number) => Promise<Record<string, unknown>> {
  const lines: string[] = [];
  let waiting: (() => void) | undefined;
  let closed = false;
  const reader = createInterface({ input: spawned.stdout as NodeJS.ReadableStream });
  reader.on('line', (line) => {
    lines.push(line);
    waiting?.();
  });
  reader.on('close', () => {
    closed = true;
    waiting?.();
  });
  return async (what, ms = 120_000) => {
    const deadline = Date.now() + ms;
    while (lines.length === 0) {
      if (closed) throw new Error(`${name} exited before ${what}`);
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${name}: ${what}`);
      await new Promise<void>((resolve) => {
        waiting = resolve;
        setTimeout(resolve, 1000);
      });
      waiting = undefined;
    }
    return JSON.parse(lines.shift() as string) as Record<string, unknown>;
  };
}

// The testkit APIs, in a process of their own.
const servers = spawn(node[0], [node[1], child, 'servers', String(flowCount), String(orders), String(customers)], { stdio: ['pipe', 'pipe', 'inherit'] });
const fromServers = jsonLines(servers, 'the testkit servers');
const { sources, records } = (await fromServers('the sources', 600_000)) as { sources: string[]; records: number };
if (records !== flowCount * (orders + customers)) throw new Error(`the sources hold ${records} records, not ${flowCount * (orders + customers)}`);
const ask = (line: 'targets' | 'count') => {
  servers.stdin?.write(`${line}\n`);
  return fromServers(line);
};

const configs = Object.fromEntries(sources.flatMap((_, index) => [[`shop-${index + 1}`, { apiKey: 'source-token' }], [`crm-${index + 1}`, { apiKey: 'crm-token' }]]));

/** The F flows, each to a fresh destination. */
async function freshFlows(): Promise<BenchFlow[]> {
  const { targets } = (await ask('targets')) as { targets: string[] };
  return sources.map((source, index) => {
    const n = index + 1;
    const flow: Flow = {
      dsl: 'pullpush/flow/v1',
      id: `bench-${n}`,
      source: { connector: `shop-${n}`, connection: `shop-${n}`, streams },
      destination: { kind: 'connector', connector: `crm-${n}`, connection: `crm-${n}` },
    };
    const definitions = [
      { ...shopConnectorDefinition({ baseUrl: source }), id: `shop-${n}` },
      { ...shopConnectorDefinition({ writes: true }), id: `crm-${n}`, http: { baseUrl: targets[index] as string } },
    ];
    return { flow, definitions, configs: { [`shop-${n}`]: configs[`shop-${n}`] as Record<string, unknown>, [`crm-${n}`]: configs[`crm-${n}`] as Record<string, unknown> } };
  });
}

// Schemas: every run's prefix starts with this one; a store in `<root>_admin` runs the bench's own queries.
const root = `ppbench_workers_${process.pid}_${Date.now().toString(36)}`;
let prefixes = 0;
const schemaUrl = (prefix: string) => {
  const url = new URL(postgres);
  url.searchParams.set('schema', prefix);
  return url.toString();
};
const admin = new PostgresStore(postgres, { schema: `${root}_admin` });
async function dropSchemas(prefix: string): Promise<void> {
  const rows = await admin.query<{ name: string }>("SELECT nspname AS name FROM pg_namespace WHERE nspname = $1 OR starts_with(nspname, $1 || '_') ORDER BY nspname = $2", [prefix, `${root}_admin`]);
  for (const { name } of rows) await admin.query(`DROP SCHEMA IF EXISTS "${name}" CASCADE`);
}

// CPU time: the machine's, from os.cpus(); a local PostgreSQL's, from /proc (its server process with the backends it
// has reaped, and the live backends); undefined for a server elsewhere.
const localPostgres = ['127.0.0.1', 'localhost', '[::1]'].includes(new URL(postgres).hostname) && process.platform === 'linux';
function machineCpu(): { busy: number; total: number } {
  let busy = 0;
  let total = 0;
  for (const { times } of cpus()) {
    busy += times.user + times.nice + times.sys + times.irq;
    total += times.user + times.nice + times.sys + times.irq + times.idle;
  }
  return { busy, total };
}
function postgresCpuMs(): number | undefined {
  if (!localPostgres) return undefined;
  const processes = new Map<number, { comm: string; ppid: number; own: number; children: number }>();
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // After the name: state, ppid, …; utime, stime, cutime and cstime are the 14th to 17th fields of the line.
      processes.set(Number(pid), { comm, ppid: Number(fields[1]), own: Number(fields[11]) + Number(fields[12]), children: Number(fields[13]) + Number(fields[14]) });
    } catch {
      // The process ended meanwhile.
    }
  }
  let ticks = 0;
  let found = false;
  for (const entry of processes.values()) {
    if (entry.comm !== 'postgres') continue;
    found = true;
    ticks += entry.own + (processes.get(entry.ppid)?.comm === 'postgres' ? 0 : entry.children);
  }
  // Clock ticks are 1/100 s on Linux.
  return found ? ticks * 10 : undefined;
}

interface Snapshot {
  machine: { busy: number; total: number };
  /** This process's CPU time (polling the queue, asking the APIs). */
  benchMs: number;
  postgresMs: number | undefined;
  apiMs: number;
  writes: number;
  created: number;
}
async function snapshot(): Promise<Snapshot> {
  const { writes, created, cpuMs } = (await ask('count')) as { writes: number; created: number; cpuMs: number };
  const own = process.cpuUsage();
  return { machine: machineCpu(), benchMs: (own.user + own.system) / 1000, postgresMs: postgresCpuMs(), apiMs: cpuMs, writes, created };
}

interface Measured {
  ms: number;
  records: number;
  writes: number;
  /** CPU time of the pullpush processes (the workers, or the runFlow process). */
  pullpushMs: number;
  apiMs: number;
  postgresMs: number | undefined;
  /** Share of every core's time the machine was busy, from enqueue to quiescence. */
  machineBusy: number;
  /** CPU time of the machine not accounted for by the above nor this process: other programs, the kernel. */
  otherMs: number;
}

function measured(ms: number, pullpushMs: number, before: Snapshot, after: Snapshot): Measured {
  const created = after.created;
  if (created !== records) throw new Error(`the destinations hold ${created} new records, not ${records}`);
  const apiMs = after.apiMs - before.apiMs;
  const postgresMs = after.postgresMs === undefined || before.postgresMs === undefined ? undefined : after.postgresMs - before.postgresMs;
  const busyMs = after.machine.busy - before.machine.busy;
  return {
    ms,
    records,
    writes: after.writes - before.writes,
    pullpushMs,
    apiMs,
    postgresMs,
    machineBusy: busyMs / (after.machine.total - before.machine.total),
    otherMs: busyMs - pullpushMs - apiMs - (postgresMs ?? 0) - (after.benchMs - before.benchMs),
  };
}

/** The flows run one after another by runFlow in a process of its own. */
async function baseline(): Promise<Measured> {
  const prefix = `${root}_r${(prefixes += 1)}`;
  const flows = await freshFlows();
  const run = spawn(node[0], [node[1], child, 'baseline', schemaUrl(prefix)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const closed = once(run, 'close') as Promise<[number | null, NodeJS.Signals | null]>;
  try {
    const fromRun = jsonLines(run, 'the runFlow process');
    await fromRun('ready');
    const before = await snapshot();
    run.stdin?.end(JSON.stringify(flows));
    const result = (await fromRun('its result', timeoutMs)) as { records: number; delivered: number; ms: number; cpuMs: number };
    const after = await snapshot();
    const [code] = await closed;
    if (code !== 0) throw new Error(`the runFlow process exited with ${code}`);
    if (result.records !== records || result.delivered !== records) throw new Error(`runFlow: ${result.records} records synced and ${result.delivered} delivered, not ${records}`);
    return measured(result.ms, result.cpuMs, before, after);
  } finally {
    if (run.exitCode === null && run.signalCode === null) run.kill('SIGKILL');
    await dropSchemas(prefix);
  }
}

/** `count` worker processes on a fresh queue; the F flows enqueued at once. */
async function workers(count: number): Promise<Measured> {
  const prefix = `${root}_r${(prefixes += 1)}`;
  const db = schemaUrl(prefix);
  const flows = await freshFlows();
  // The queue's schema and queues are made here, before the workers start.
  const queue = await FlowQueue.open(db);
  const started: Array<{ process: ChildProcess; next: ReturnType<typeof jsonLines>; closed: Promise<[number | null, NodeJS.Signals | null]> }> = [];
  try {
    for (let index = 0; index < count; index += 1) {
      const worker = spawn(node[0], [node[1], child, 'worker', db, JSON.stringify(configs), String(concurrency)], { stdio: ['ignore', 'pipe', 'inherit'] });
      started.push({ process: worker, next: jsonLines(worker, `worker ${index + 1}`), closed: once(worker, 'close') as Promise<[number | null, NodeJS.Signals | null]> });
    }
    for (const worker of started) await worker.next('ready');
    const before = await snapshot();
    const startedAt = Date.now();
    for (const { flow, definitions } of flows) await queue.enqueue(flow, definitions);

    // Polled: quiescence is a state of the database that no single event announces. Live jobs are counted in the
    // queue's table itself: FlowQueue.counts() gives the figures of pg-boss's last monitor pass (seconds old, and
    // zero before the first), and jobs() would fetch every job's flow and definitions on each poll.
    const jobs = `"${prefix}_jobs".job`;
    const deadline = startedAt + timeoutMs;
    for (;;) {
      const [state] = await admin.query<{ live: number; failed: number }>(`SELECT count(*) FILTER (WHERE state IN ('created', 'retry', 'active'))::int AS live, count(*) FILTER (WHERE state = 'failed')::int AS failed FROM ${jobs}`);
      if ((state?.failed ?? 0) > 0) throw new Error(`${state?.failed} jobs failed: ${JSON.stringify((await queue.jobs({ state: 'failed', limit: 3 })).map((job) => job.output))}`);
      if (state?.live === 0) {
        let pending = 0;
        for (const { flow } of flows) pending += (await flowStatus(flow, { db, runs: 0 })).outbox.pending;
        if (pending === 0) break;
      }
      if (Date.now() > deadline) throw new Error(`the queue did not settle in ${timeoutMs / 1000} s: ${JSON.stringify(await queue.counts())}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const after = await snapshot();
    for (const { flow } of flows) {
      const status = await flowStatus(flow, { db, runs: 0 });
      if (status.deadLetters.open > 0) throw new Error(`flow ${flow.id} has ${status.deadLetters.open} dead letters`);
    }

    // SIGTERM drains each worker (nothing runs by now); each reports its CPU time and its last job's end first.
    for (const worker of started) worker.process.kill('SIGTERM');
    let pullpushMs = 0;
    let endedAt = 0;
    let failed = 0;
    for (const [index, worker] of started.entries()) {
      const report = (await worker.next('its report')) as { cpuMs: number; lastFinishedAt: number; failed: number };
      const [code, signal] = await worker.closed;
      if (code !== 0) throw new Error(`worker ${index + 1} exited with ${code ?? signal}`);
      pullpushMs += report.cpuMs;
      endedAt = Math.max(endedAt, report.lastFinishedAt);
      failed += report.failed;
    }
    if (failed > 0) console.error(`${count} worker(s): ${failed} job attempts failed and were tried again (see above)`);
    return measured(endedAt - startedAt, pullpushMs, before, after);
  } finally {
    for (const worker of started) if (worker.process.exitCode === null && worker.process.signalCode === null) worker.process.kill('SIGKILL');
    await queue.close();
    await dropSchemas(prefix);
  }
}

type Kind = 'runFlow' | `${number}`;
const kinds: Kind[] = ['runFlow', ...workerCounts.map((count) => `${count}` as const)];
const results = new Map<Kind, Measured[]>(kinds.map((kind) => [kind, []]));
try {
  for (let run = 0; run < runs; run += 1) {
    for (const kind of kinds) {
      const result = kind === 'runFlow' ? await baseline() : await workers(Number(kind));
      results.get(kind)?.push(result);
      console.error(`run ${run + 1}/${runs} ${kind === 'runFlow' ? 'runFlow' : `${kind} worker(s)`}: ${(result.ms / 1000).toFixed(1)} s`);
    }
  }
} finally {
  servers.stdin?.end();
  await once(servers, 'exit');
  await dropSchemas(root);
  await admin.close();
}

const rows = kinds.map((kind) => {
  const list = results.get(kind) as Measured[];
  const ms = median(list.map((m) => m.ms));
  const postgresMs = list.every((m) => m.postgresMs !== undefined) ? median(list.map((m) => m.postgresMs as number)) : undefined;
  return {
    kind: kind === 'runFlow' ? 'runFlow' : `${kind} worker${kind === '1' ? '' : 's'}`,
    workers: kind === 'runFlow' ? 0 : Number(kind),
    seconds: ms / 1000,
    recordsPerSecond: records / (ms / 1000),
    writesPerSecond: median(list.map((m) => m.writes)) / (ms / 1000),
    pullpushCpuSeconds: median(list.map((m) => m.pullpushMs)) / 1000,
    apiCpuSeconds: median(list.map((m) => m.apiMs)) / 1000,
    postgresCpuSeconds: postgresMs === undefined ? null : postgresMs / 1000,
    machineBusy: median(list.map((m) => m.machineBusy)),
    otherCpuSeconds: median(list.map((m) => m.otherMs)) / 1000,
  };
});
const base = rows[0] as (typeof rows)[number];
const one = rows.find((row) => row.workers === 1);
const table = rows.map((row) => ({ ...row, toRunFlow: row.recordsPerSecond / base.recordsPerSecond, toOneWorker: one ? row.recordsPerSecond / one.recordsPerSecond : null }));
const header = { node: process.version, cpus: availableParallelism(), flows: flowCount, streams, recordsPerFlow: records / flowCount, records, workerConcurrency: concurrency, runs };
if (values.json) console.log(JSON.stringify({ ...header, rows: table }, null, 2));
else {
  const number = (value: number) => Math.round(value).toLocaleString('en-US');
  console.log(`node ${process.version}, ${header.cpus} CPUs (os.availableParallelism), ${flowCount} flows × ${number(records / flowCount)} records (${streams.join(' + ')}) = ${number(records)} records, medians of ${runs}`);
  console.log(`runFlow: the flows one after another in one process; N workers: N processes × concurrency ${concurrency}; testkit APIs in a process of their own`);
  console.log(`${''.padEnd(12)}${'time s'.padStart(8)}${'records/s'.padStart(11)}${'writes/s'.padStart(10)}${'×runFlow'.padStart(10)}${'×1 worker'.padStart(11)}   CPU s: ${'pullpush'.padStart(8)}${'APIs'.padStart(7)}${'PostgreSQL'.padStart(12)}${'other'.padStart(8)}   machine busy`);
  for (const row of table) {
    console.log(
      `${row.kind.padEnd(12)}${row.seconds.toFixed(1).padStart(8)}${number(row.recordsPerSecond).padStart(11)}${number(row.writesPerSecond).padStart(10)}${row.toRunFlow.toFixed(2).padStart(10)}${(row.toOneWorker === null ? '-' : row.toOneWorker.toFixed(2)).padStart(11)}          ${row.pullpushCpuSeconds.toFixed(1).padStart(8)}${row.apiCpuSeconds.toFixed(1).padStart(7)}${(row.postgresCpuSeconds === null ? 'n/a' : row.postgresCpuSeconds.toFixed(1)).padStart(12)}${row.otherCpuSeconds.toFixed(1).padStart(8)}   ${(row.machineBusy * 100).toFixed(0).padStart(5)} %`,
    );
  }
}
