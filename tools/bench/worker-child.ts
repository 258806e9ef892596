// The child processes of bench:workers (tools/bench/workers.ts), one kind per first argument:
//   servers <flows> <orders> <customers>  the testkit shops: one source per flow, made once, and one fresh destination
//            per flow on each `targets` line read from stdin; `count` prints what the destinations received and this
//            process's CPU time. Each answer is one JSON line. It exits when stdin closes.
//   worker <db> <configs> <concurrency>  startWorker() on the queue <db> names, each connection's config from the
//            JSON object <configs>. Prints {"kind":"ready"} once it polls; on SIGTERM it prints its CPU time since
//            then and when its last job finished, stops gracefully (running jobs drain) and exits 0.
//   baseline <db>  prints {"kind":"ready"}, then runs the flows it reads as JSON from stdin one after another with
//            runFlow (what one `pullpush flow run` per flow does), the store and outbox of each in PostgreSQL under
//            <db>; prints records, delivered writes, milliseconds and CPU time.
import { createInterface } from 'node:readline';
import type { Flow } from '@pullpush/schema';
import { runFlow, startWorker, type FlowRunSummary } from '@pullpush/sync';
import { startTestApi, type TestApi } from '@pullpush/testkit';

const ENGINE = { allowPrivateNetwork: 'loopback', allowInsecureHttp: true } as const;
const [kind, ...args] = process.argv.slice(2) as [string, ...string[]];
const print = (value: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(value)}\n`);
/** CPU time (user + system) of this process, in milliseconds. */
const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

/** One flow as the bench hands it to a baseline run: the flow, its two definitions and each connection's config. */
export interface BenchFlow {
  flow: Flow;
  definitions: unknown[];
  configs: Record<string, Record<string, unknown>>;
}

if (kind === 'servers') {
  const [flows, orders, customers] = args.map(Number) as [number, number, number];
  const streams = customers > 0 ? (['customers', 'orders'] as const) : (['orders'] as const);
  const sources: TestApi[] = [];
  for (let n = 1; n <= flows; n += 1) {
    sources.push(await startTestApi({ seed: 40 + n, dataset: { orders, customers: Math.max(customers, 1) }, auth: { kind: 'bearer', token: 'source-token' } }));
  }
  const records = sources.reduce((total, source) => total + streams.reduce((sum, stream) => sum + source.data[stream].length, 0), 0);
  let targets: TestApi[] = [];
  const isWrite = (request: { method: string; status: number }) => request.method !== 'GET' && request.status >= 200 && request.status < 300;
  print({ sources: sources.map((source) => source.url), records });
  for await (const line of createInterface({ input: process.stdin })) {
    if (line === 'targets') {
      await Promise.all(targets.map((target) => target.close()));
      for (const source of sources) source.resetRequests();
      targets = [];
      // One record of each kind to model the created ones on; a duplicate is refused (409): each record is created once.
      for (let n = 1; n <= flows; n += 1) targets.push(await startTestApi({ seed: 7, dataset: { customers: 1, orders: 1, products: 1 }, auth: { kind: 'bearer', token: 'crm-token' } }));
      print({ targets: targets.map((target) => target.url) });
    } else if (line === 'count') {
      const writes = targets.reduce((total, target) => total + target.requests.filter(isWrite).length, 0);
      const created = targets.reduce((total, target) => total + streams.reduce((sum, stream) => sum + target.data[stream].length - 1, 0), 0);
      print({ writes, created, cpuMs: cpuMs() });
    }
  }
  await Promise.all([...sources, ...targets].map((api) => api.close()));
  process.exit(0);
} else if (kind === 'worker') {
  const [db, configs, concurrency] = args as [string, string, string];
  const byConnection = JSON.parse(configs) as Record<string, Record<string, unknown>>;
  let lastFinishedAt = 0;
  let finished = 0;
  let failed = 0;
  let busy = 0;
  const worker = await startWorker({
    db,
    configFor: (connection) => {
      const config = byConnection[connection];
      if (!config) throw new Error(`no config for connection ${connection}`);
      return config;
    },
    engine: ENGINE,
    concurrency: Number(concurrency),
    pollSeconds: 0.5,
    onEvent: (event) => {
      if (event.kind === 'finished') {
        finished += 1;
        lastFinishedAt = Date.now();
      } else if (event.kind === 'busy') busy += 1;
      else if (event.kind === 'failed') {
        failed += 1;
        process.stderr.write(`worker ${process.pid}: ${event.queue} job of ${event.flow}${event.stream ? `/${event.stream}` : ''} failed: ${JSON.stringify(event.detail)}\n`);
      }
    },
  });
  const readyCpu = cpuMs();
  print({ kind: 'ready' });
  process.once('SIGTERM', () => {
    print({ kind: 'stopping', cpuMs: cpuMs() - readyCpu, lastFinishedAt, finished, failed, busy });
    void worker.stop({ drainMs: 60_000 }).then(() => process.exit(0));
  });
} else if (kind === 'baseline') {
  const [db] = args as [string];
  print({ kind: 'ready' });
  let input = '';
  for await (const chunk of process.stdin) input += String(chunk);
  const flows = JSON.parse(input) as BenchFlow[];
  const startCpu = cpuMs();
  const started = performance.now();
  let records = 0;
  let delivered = 0;
  for (const { flow, definitions, configs } of flows) {
    const side = (connector: string, connection: string) => ({ definition: definitions.find((entry) => (entry as { id: string }).id === connector), config: configs[connection] ?? {}, engine: ENGINE });
    const source = side(flow.source.connector, flow.source.connection);
    const destination = flow.destination as Extract<Flow['destination'], { kind: 'connector' }>;
    const summary = (await runFlow(flow, { ...source, target: side(destination.connector, destination.connection), db })) as FlowRunSummary;
    const report = summary.delivery;
    if (summary.status !== 'succeeded' || !report || report.pending > 0 || report.deadLettered > 0) {
      throw new Error(`runFlow ${flow.id}: sync ${summary.status}, delivery ${JSON.stringify(report)}, ${JSON.stringify(summary.error ?? summary.streams.find((stream) => stream.error)?.error)}`);
    }
    records += summary.totals.records;
    delivered += report.delivered;
  }
  print({ records, delivered, ms: performance.now() - started, cpuMs: cpuMs() - startCpu });
  process.exit(0);
} else {
  throw new Error(`unknown kind ${kind}: servers, worker or baseline`);
}
