// startWorker(): a process that takes flow work from the PostgreSQL queue (flow-queue.ts) and does it — a run of
// a flow fanned out into one sync job per stream, each sync into the flow's PostgreSQL store with its outbox, then
// a delivery of what changed. Many workers, on one machine or many, share the queue and the stores.
//
// Single flight is kept twice: pg-boss activates at most one sync per connector, connection and stream and one
// delivery per flow, and each job also holds a PostgreSQL advisory lock on that key for as long as it runs. The
// lock is what makes a worker that pg-boss gave up on while it still ran (a long pause, a network split) harmless:
// the job's second taker finds the key locked and comes back later; and a killed worker's locks go with its
// connections at once. What a killed worker left half done is safe to do again: a sync resumes from the last
// checkpoint committed with its records, and a write that may have landed is looked up before it is sent again.
import type { ConnectorOptions } from '@pullpush/engine';
import type { Job } from 'pg-boss';
import pg from 'pg';
import { PullPushError } from '@pullpush/canonical';
import type { DeliveryOptions, DeliveryReport } from './delivery.ts';
import { SyncErrorCode } from './errors.ts';
import { checkRunnable, deliverFlow, syncFlowSource, type FlowRunOptions } from './flow.ts';
import { sendOnce, startBoss } from './boss.ts';
import { DELIVER_QUEUE, FLOW_QUEUE, queueLocation, SYNC_QUEUE, syncKey, type FlowJobData, type FlowQueueOptions, type QueueName } from './flow-queue.ts';
import { recordFlowRun } from './flow-status.ts';
import { openFlowOutbox } from './flow-store.ts';
import type { SyncSummary } from './summary.ts';

export interface WorkerOptions extends FlowQueueOptions {
  /** The PostgreSQL URL (`postgres://…[?schema=prefix]`): the queue lives in `<prefix>_jobs`, each flow's store in `<prefix>_flow_<id>`. */
  db: string;
  /** A connection's config (secrets included), from this worker's own files and environment: jobs never carry one. */
  configFor(connection: string, definition: unknown): Record<string, unknown>;
  /** Engine options for every connector (network policy: private addresses, plain http). */
  engine?: Omit<ConnectorOptions, 'connection'>;
  /** Jobs of each kind (syncs, deliveries) this worker runs at once (default 2). */
  concurrency?: number;
  /** Delivery settings (keys in parallel, attempts, backoff, breaker). */
  delivery?: Omit<DeliveryOptions, 'db' | 'flow' | 'destination' | 'operations' | 'signal' | 'maxWaitMs'>;
  /** Seconds between polls of the queue when it is idle (default 1). */
  pollSeconds?: number;
  /** What the worker does, as it does it (a job started, finished, failed, or found its key busy). */
  onEvent?: (event: WorkerEvent) => void;
}

export interface WorkerEvent {
  kind: 'started' | 'finished' | 'failed' | 'busy';
  queue: QueueName;
  job: string;
  flow: string;
  stream?: string;
  /** For finished: what the job did (sync counts, delivery counts); for failed: the error. */
  detail?: Record<string, unknown>;
}

export interface FlowWorker {
  /**
   * Stops taking jobs and waits up to `drainMs` (default 30 s) for the running ones; those still running then are
   * aborted and go back to the queue. SIGTERM should call this.
   */
  stop(options?: { drainMs?: number }): Promise<void>;
}

/** Seconds a job whose key is held elsewhere waits before it is tried again. */
const BUSY_RETRY_SECONDS = 5;

/** What a job runs alone on: its connector, connection and stream for a sync, its flow for a delivery. */
function singletonKeyOf(queue: QueueName, data: FlowJobData): string {
  return queue === SYNC_QUEUE ? syncKey(data.flow, String(data.stream)) : data.flow.id;
}

/** The source and destination of a queued flow, from the definitions the job carries and this worker's configs. */
function inputsOf(data: FlowJobData, options: WorkerOptions): Pick<FlowRunOptions, 'definition' | 'config' | 'engine' | 'target'> {
  const { flow } = data;
  const open = (connector: string, connection: string) => {
    const definition = data.definitions.find((entry) => (entry as { id?: unknown } | null)?.id === connector);
    if (definition === undefined) {
      throw new PullPushError(SyncErrorCode.JobInputs, `The job of flow ${flow.id} carries no definition of connector ${connector}.`, {
        hint: 'Queue the flow again with every definition it names (pullpush jobs add <flow> -d <source> -d <destination>).',
      });
    }
    return { definition, config: options.configFor(connection, definition), ...(options.engine ? { engine: options.engine } : {}) };
  };
  const source = open(flow.source.connector, flow.source.connection);
  const target = flow.destination.kind === 'connector' ? open(flow.destination.connector, flow.destination.connection) : undefined;
  return { definition: source.definition, config: source.config, ...(source.engine ? { engine: source.engine } : {}), ...(target ? { target } : {}) };
}

/** A sync's counts for the job's output and the worker's log. */
function syncDetail(summary: SyncSummary): Record<string, unknown> {
  const { totals } = summary;
  return { status: summary.status, records: totals.records, inserted: totals.inserted, updated: totals.updated, unchanged: totals.unchanged, deleted: totals.deleted, failed: totals.failed, ...(summary.error ? { error: summary.error } : {}) };
}

export async function startWorker(options: WorkerOptions): Promise<FlowWorker> {
  const { url } = queueLocation(options.db);
  const concurrency = Math.max(1, options.concurrency ?? 2);
  const boss = await startBoss(options.db, { ...options, supervise: true, concurrency: concurrency * 2 + 1 });
  // Connections that hold the jobs' advisory locks, one per running job.
  const locks = new pg.Pool({ connectionString: url, max: concurrency * 2 + 1 });
  locks.on('error', () => undefined);
  const emit = (event: WorkerEvent) => options.onEvent?.(event);

  /** Runs `work` holding the advisory lock on `key`; undefined when another process holds it. */
  async function exclusively<T>(key: string, work: () => Promise<T>): Promise<{ result: T } | undefined> {
    const client = await locks.connect();
    try {
      const { rows } = await client.query<{ locked: boolean }>("SELECT pg_try_advisory_lock(hashtext('pullpush'), hashtext($1)) AS locked", [key]);
      if (rows[0]?.locked !== true) return undefined;
      try {
        return { result: await work() };
      } finally {
        await client.query("SELECT pg_advisory_unlock(hashtext('pullpush'), hashtext($1))", [key]).catch(() => undefined);
      }
    } finally {
      client.release();
    }
  }

  /** One job: its events, its key held, and a busy key put back for later. */
  function handler(queue: QueueName, run: (job: Job<FlowJobData>) => Promise<Record<string, unknown>>) {
    return async ([job]: Job<FlowJobData>[]) => {
      if (!job) return undefined;
      const base = { queue, job: job.id, flow: job.data.flow.id, ...(job.data.stream ? { stream: job.data.stream } : {}) };
      emit({ ...base, kind: 'started' });
      try {
        const done = queue === FLOW_QUEUE ? { result: await run(job) } : await exclusively(`${queue}:${singletonKeyOf(queue, job.data)}`, () => run(job));
        if (!done) {
          emit({ ...base, kind: 'busy' });
          await sendOnce(boss, queue, job.data, singletonKeyOf(queue, job.data), BUSY_RETRY_SECONDS);
          return { busy: true };
        }
        emit({ ...base, kind: 'finished', detail: done.result });
        return done.result;
      } catch (error) {
        emit({ ...base, kind: 'failed', detail: { code: (error as { code?: string }).code ?? 'ERROR', message: (error as Error).message } });
        throw error;
      }
    };
  }

  const work = { localConcurrency: concurrency, pollingIntervalSeconds: options.pollSeconds ?? 1, batchSize: 1 } as const;

  // A run of a flow: one sync job per stream, unless one for the same flow and stream already waits.
  await boss.work<FlowJobData>(FLOW_QUEUE, { ...work, localConcurrency: 1 }, handler(FLOW_QUEUE, async (job) => {
    const { flow, definitions } = job.data;
    checkRunnable(flow, definitions);
    // Every connection the flow names has a config here (or the runs would fail later, one per stream).
    inputsOf(job.data, options);
    let queued = 0;
    for (const stream of flow.source.streams) {
      const data: FlowJobData = { flow, definitions, stream };
      if (await sendOnce(boss, SYNC_QUEUE, data, singletonKeyOf(SYNC_QUEUE, data))) queued += 1;
    }
    return { streams: flow.source.streams.length, queued };
  }));

  // One stream into the flow's store; then, for a connector destination, a delivery of what changed.
  await boss.work<FlowJobData>(SYNC_QUEUE, work, handler(SYNC_QUEUE, async (job) => {
    const { flow, definitions, stream } = job.data;
    checkRunnable(flow, definitions);
    const inputs = inputsOf(job.data, options);
    const summary = await syncFlowSource(flow, { ...inputs, db: options.db, streams: [String(stream)], signal: job.signal });
    if (summary.status === 'failed' || summary.status === 'cancelled') {
      const error = summary.error ?? summary.streams.find((entry) => entry.error)?.error;
      throw new PullPushError(error?.code ?? SyncErrorCode.Database, `The sync of ${flow.id}/${stream} ${summary.status}: ${error?.message ?? 'see the run log'}`, { hint: error?.hint ?? 'The job is tried again with backoff.' });
    }
    const delivery: FlowJobData = { flow, definitions };
    if (flow.destination.kind === 'connector') await sendOnce(boss, DELIVER_QUEUE, delivery, singletonKeyOf(DELIVER_QUEUE, delivery));
    return syncDetail(summary);
  }));

  // A flow's outbox delivered by one process at a time; what waits for a retry brings the job back when it is due.
  await boss.work<FlowJobData>(DELIVER_QUEUE, work, handler(DELIVER_QUEUE, async (job) => {
    const { flow } = job.data;
    checkRunnable(flow, job.data.definitions);
    const inputs = inputsOf(job.data, options);
    const startedAt = new Date().toISOString();
    const report: DeliveryReport = await deliverFlow(flow, { ...inputs, db: options.db, ...(options.delivery ? { delivery: options.delivery } : {}), signal: job.signal });
    const { flow: _flow, ...counts } = report;
    await recordFlowRun(options.db, flow.id, { kind: 'run', status: report.pending === 0 && report.deadLettered === 0 ? 'succeeded' : 'partial', startedAt, summary: { worker: true, ...counts } });
    if (report.pending > 0) {
      const outbox = openFlowOutbox(options.db, flow.id);
      let next: number | undefined;
      try {
        next = await outbox.nextDue();
      } finally {
        await outbox.close();
      }
      const due = next === undefined ? 1 : Math.ceil((next - Date.now()) / 1000);
      // An open breaker lets nothing through before its probe: no job comes back sooner.
      const probe = report.breaker === 'closed' ? 0 : Math.ceil((options.delivery?.breaker?.halfOpenAfterMs ?? 30_000) / 1000);
      await sendOnce(boss, DELIVER_QUEUE, job.data, singletonKeyOf(DELIVER_QUEUE, job.data), Math.min(300, Math.max(1, due, probe)));
    }
    return counts;
  }));

  return {
    async stop(stopOptions = {}) {
      await boss.stop({ graceful: true, timeout: stopOptions.drainMs ?? 30_000 });
      await locks.end();
    },
  };
}
