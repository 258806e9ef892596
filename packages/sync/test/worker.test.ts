// Scale-out on PostgreSQL: three worker processes share one queue and sync four connections into their flows'
// stores, delivering to four destinations, while one of them is killed with SIGKILL ten times at points counted in
// the writes the destinations receive (never in time), and the sources keep changing. A killed worker's job is
// handed to another once its heartbeat stops. In the end every source record is at its destination exactly once,
// at its latest version; each record's writes arrived in order; no two syncs of one connection and stream ever ran
// at once; and SIGTERM drains the workers, which exit 0.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import type { Flow } from '@pullpush/schema';
import { mulberry32, shopConnectorDefinition, startTestApi, type TestApi } from '@pullpush/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FlowQueue, flowStatus, openFlowOutbox, type WorkerEvent } from '../src/index.ts';
import { expectDeliveredOnce, expectWritesInOrder, isWrite, STOCK_VERSIONS } from './delivered.ts';
import { dropSchemas, freshSchema, POSTGRES_URL, schemaUrl } from './postgres.ts';

const CONNECTIONS = 4;
const WORKERS = 3;
const KILLS = 10;
const child = fileURLToPath(new URL('./fixtures/worker-child.ts', import.meta.url));

interface Pair {
  n: number;
  source: TestApi;
  target: TestApi;
  flow: Flow;
  definitions: unknown[];
}

const pairs: Pair[] = [];
let url = '';
beforeAll(async () => {
  if (POSTGRES_URL === undefined) return;
  url = schemaUrl(freshSchema('pullpush_workers'));
  for (let n = 1; n <= CONNECTIONS; n += 1) {
    const source = await startTestApi({ seed: 40 + n, dataset: { customers: 40, orders: 40 }, auth: { kind: 'bearer', token: 'source-token' } });
    const target = await startTestApi({
      seed: 7,
      dataset: { customers: 2, orders: 1, products: 1 },
      auth: { kind: 'bearer', token: 'crm-token' },
      // Duplicates are stored: only delivery itself keeps a write whose outcome was lost from being made twice.
      uniqueWrites: false,
      faults: [
        { kind: 'status', status: 503, method: 'POST', route: '/customers', every: 9 },
        { kind: 'reset', phase: 'response', method: 'POST', route: '/orders', every: 11 },
        { kind: 'reset', phase: 'response', method: 'PATCH', route: '/customers', every: 13 },
        { kind: 'status', status: 503, method: 'PATCH', route: '/stock_levels', every: 7 },
      ],
    });
    const flow: Flow = {
      dsl: 'pullpush/flow/v1',
      id: `flow-${n}`,
      source: { connector: `shop-${n}`, connection: `shop-${n}`, streams: ['customers', 'orders', 'stock_levels'] },
      destination: { kind: 'connector', connector: `crm-${n}`, connection: `crm-${n}` },
    };
    const definitions = [
      { ...shopConnectorDefinition({ baseUrl: source.url }), id: `shop-${n}` },
      { ...shopConnectorDefinition({ writes: true }), id: `crm-${n}`, http: { baseUrl: target.url, timeoutMs: 500 }, retry: { initialDelayMs: 5, maxDelayMs: 20, maxAttempts: 3, jitter: false } },
    ];
    pairs.push({ n, source, target, flow, definitions });
  }
});
afterAll(async () => {
  await Promise.all(pairs.flatMap((pair) => [pair.source.close(), pair.target.close()]));
  await dropSchemas();
});

const configs = () => JSON.stringify(Object.fromEntries(pairs.flatMap((pair) => [[`shop-${pair.n}`, { apiKey: 'source-token' }], [`crm-${pair.n}`, { apiKey: 'crm-token' }]])));

interface Worker {
  name: string;
  process: ChildProcess;
  events: Array<WorkerEvent & { at: number }>;
  closed: Promise<[number | null, NodeJS.Signals | null]>;
  stderr: () => string;
  /** Resolves on the next event the test waits for. */
  waiter?: (() => void) | undefined;
}

function startWorkerProcess(name: string): Worker {
  const spawned = spawn(process.execPath, ['--conditions=@pullpush/source', child, url, configs()], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  let buffered = '';
  const worker: Worker = { name, process: spawned, events: [], closed: once(spawned, 'close') as Worker['closed'], stderr: () => stderr };
  spawned.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  spawned.stdout?.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines.filter(Boolean)) {
      worker.events.push(JSON.parse(line) as WorkerEvent & { at: number });
      worker.waiter?.();
    }
  });
  return worker;
}

/**
 * Waits until `ready()` holds, checked after each event of the worker and each write the destinations get.
 * `feed` runs every second meanwhile: the other workers may have emptied the queue before this one polled it.
 */
function until(worker: Worker, ready: () => boolean, what: string, feed?: () => Promise<void>, timeoutMs = 120_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const stop = () => {
      clearTimeout(timer);
      clearInterval(feeding);
      worker.waiter = undefined;
      for (const pair of pairs) pair.target.setOnRequest(undefined);
    };
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`timed out waiting for ${what}; ${worker.name} stderr: ${worker.stderr().slice(-2000)}`));
    }, timeoutMs);
    const feeding = setInterval(() => void feed?.(), 1000);
    const check = () => {
      if (!ready()) return;
      stop();
      resolve();
    };
    worker.waiter = check;
    for (const pair of pairs) pair.target.setOnRequest(() => queueMicrotask(check));
    check();
  });
}

const writes = () => pairs.reduce((total, pair) => total + pair.target.requests.filter(isWrite).length, 0);

describe.skipIf(POSTGRES_URL === undefined)('workers on PostgreSQL (pg-boss)', () => {
  it(`${WORKERS} workers sync ${CONNECTIONS} connections and deliver every record once, in order per key, through ${KILLS} SIGKILLs of one`, { timeout: 600_000 }, async () => {
    const queue = await FlowQueue.open(url);
    const next = mulberry32(2027);
    const enqueueAll = async () => {
      for (const pair of pairs) await queue.enqueue(pair.flow, pair.definitions);
    };
    /** Each worker process that ran, with the time it was killed (undefined: it was stopped, or still runs). */
    const runs: Array<{ worker: Worker; killedAt?: number }> = [];
    const start = (name: string) => {
      const worker = startWorkerProcess(name);
      runs.push({ worker });
      return worker;
    };
    try {
      let victim = start('A');
      const others = [start('B'), start('C')];
      await enqueueAll();
      let killed = 0;
      for (let kill = 0; kill < KILLS; kill += 1) {
        // Killed in the middle of a job: once it has started one, and the destinations have taken a few more writes.
        // More runs of the flows while the queue is empty, so that A finds work (B and C may have taken it all).
        const feed = async () => {
          if ((await queue.counts()).every((entry) => entry.queued + entry.deferred === 0)) await enqueueAll();
        };
        await until(victim, () => victim.events.some((event) => event.kind === 'started'), `worker A to start a job (kill ${kill})`, feed);
        const before = writes();
        const more = 1 + Math.floor(next() * 12);
        const startedJobs = () => victim.events.filter((event) => event.kind === 'started').length;
        const jobsBefore = startedJobs();
        // A few more writes — or, when the victim's jobs are syncs that write nothing, its next job started.
        await until(victim, () => writes() >= before + more || startedJobs() > jobsBefore + 1, `writes or jobs before kill ${kill}`, feed);
        victim.process.kill('SIGKILL');
        runs[runs.findIndex((entry) => entry.worker === victim)] = { worker: victim, killedAt: Date.now() };
        const [, signal] = await victim.closed;
        if (signal === 'SIGKILL') killed += 1;
        // The sources move on; each change carries its version (kill, change) so order and end state can be checked.
        for (const pair of pairs) {
          const pick = <T>(items: readonly T[]) => items[Math.floor(next() * items.length)] as T;
          for (let change = 0; change < 2; change += 1) {
            pair.source.update('customers', pick(pair.source.data.customers).id, { first_name: `v${kill}-${change}` });
            pair.source.update('orders', pick(pair.source.data.orders).id, { note: `v${kill}-${change}` });
            pair.source.update('stock_levels', pick(pair.source.data.stock_levels).id, { available: STOCK_VERSIONS + kill * 10 + change });
          }
        }
        await enqueueAll();
        victim = start('A');
      }
      expect(killed).toBe(KILLS);

      // The last runs, after the last changes: everything queued is done (the killed worker's jobs taken over after
      // its heartbeat stopped) and every outbox is empty.
      await enqueueAll();
      const settled = async () => {
        const counts = await queue.counts();
        if (counts.some((entry) => entry.queued + entry.active + entry.deferred > 0)) return false;
        for (const pair of pairs) if ((await flowStatus(pair.flow, { db: url, runs: 0 })).outbox.pending > 0) return false;
        return true;
      };
      const deadline = Date.now() + 300_000;
      // Polled: quiescence is a state of the database that no single event announces.
      while (!(await settled())) {
        if (Date.now() > deadline) throw new Error(`the queue did not settle: ${JSON.stringify(await queue.counts())}`);
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
      for (const pair of pairs) {
        const status = await flowStatus(pair.flow, { db: url, runs: 0 });
        const outbox = openFlowOutbox(url, pair.flow.id);
        const letters = await outbox.deadLetters();
        await outbox.close();
        expect(status.deadLetters.open, JSON.stringify(letters.slice(0, 3))).toBe(0);
      }
      const failed = await queue.jobs({ state: 'failed' });
      expect(failed, JSON.stringify(failed.slice(0, 3))).toEqual([]);

      // SIGTERM drains: each worker stops taking jobs, finishes what it runs, and exits 0.
      for (const worker of [victim, ...others]) worker.process.kill('SIGTERM');
      for (const worker of [victim, ...others]) expect((await worker.closed)[0], worker.stderr().slice(-2000)).toBe(0);
    } finally {
      for (const { worker } of runs) if (worker.process.exitCode === null && worker.process.signalCode === null) worker.process.kill('SIGKILL');
      await queue.close();
    }

    for (const { n, source, target } of pairs) {
      expectDeliveredOnce(source, target, `shop-${n}`, `shop-${n}`);
      expectWritesInOrder(target, `shop-${n}`);
    }

    // Single flight: per sync key and per flow's delivery, the jobs that did work never overlapped in time, across
    // every worker process (a killed one's job ends when it was killed).
    const intervals = new Map<string, Array<{ from: number; to: number; who: string }>>();
    for (const [index, { worker, killedAt }] of runs.entries()) {
      const who = `${worker.name}#${index}`;
      const open = new Map<string, WorkerEvent & { at: number }>();
      const close = (job: string, to: number) => {
        const started = open.get(job);
        if (!started) return;
        open.delete(job);
        const key = started.queue === 'pullpush-sync' ? `sync ${started.flow}/${started.stream}` : started.queue === 'pullpush-deliver' ? `deliver ${started.flow}` : undefined;
        if (key) intervals.set(key, [...(intervals.get(key) ?? []), { from: started.at, to, who }]);
      };
      for (const event of worker.events) {
        if (event.kind === 'started') open.set(event.job, event);
        else if (event.kind === 'busy') open.delete(event.job);
        else if (event.kind === 'finished' || event.kind === 'failed') close(event.job, event.at);
      }
      for (const job of [...open.keys()]) close(job, killedAt ?? Number.POSITIVE_INFINITY);
    }
    expect(intervals.size).toBeGreaterThan(0);
    for (const [key, list] of intervals) {
      const sorted = [...list].sort((a, b) => a.from - b.from);
      for (let index = 1; index < sorted.length; index += 1) {
        const [previous, current] = [sorted[index - 1], sorted[index]] as [{ from: number; to: number; who: string }, { from: number; to: number; who: string }];
        expect(current.from >= previous.to, `${key}: ${current.who} started at ${current.from} while ${previous.who} ran until ${previous.to}`).toBe(true);
      }
    }
  });
});
