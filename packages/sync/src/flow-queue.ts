// The queue of flow work on PostgreSQL, through pg-boss: what `pullpush worker` processes and `pullpush schedule` /
// `pullpush jobs` manage. A job carries the flow document and the connector definitions it names (never a
// connection's config or secret: each worker reads those from its own environment). Three queues:
//   pullpush-flow     a run of a flow, sent now or by a schedule (cron): it fans out to one sync job per stream;
//   pullpush-sync     one stream of a flow synced into the flow's store; at most one active per connector,
//                     connection and stream across every worker (pg-boss `singleton` policy on that key);
//   pullpush-deliver  a flow's outbox delivered; at most one active per flow (`singleton` policy on the flow id),
//                     so a key's writes are sent by one process at a time, in order.
// A job is not sent when one for the same work already waits (sendOnce, boss.ts): a busy flow does not pile up runs.
// A worker that dies mid-job stops sending heartbeats; pg-boss's supervisor then hands the job to another worker.
// One URL names it all: with `?schema=<prefix>` (default pullpush), the queue is the schema `<prefix>_jobs` and each
// flow's store the schema `<prefix>_flow_<flow id>` (flow-store.ts).
import { PullPushError } from '@pullpush/canonical';
import type { Flow } from '@pullpush/schema';
import type { PgBoss } from 'pg-boss';
import { SyncErrorCode } from './errors.ts';
import { isPostgresLocation, postgresPrefix } from './flow-store.ts';
import { quoted, redactedUrl } from './postgres-connection.ts';

export const FLOW_QUEUE = 'pullpush-flow';
export const SYNC_QUEUE = 'pullpush-sync';
export const DELIVER_QUEUE = 'pullpush-deliver';
export const QUEUES = [FLOW_QUEUE, SYNC_QUEUE, DELIVER_QUEUE] as const;
export type QueueName = (typeof QUEUES)[number];

/** What a job carries: the flow and its definitions (no secrets); a sync job names its stream. */
export interface FlowJobData {
  flow: Flow;
  definitions: readonly unknown[];
  stream?: string;
}

export interface FlowQueueOptions {
  /**
   * How long a worker may go without a heartbeat before its job is handed to another (default 30 s, at least 10):
   * what a crashed worker costs in delay.
   */
  heartbeatSeconds?: number;
  /** Attempts of a job that fails (an API down, the database unreachable) before it stays failed (default 5). */
  retryLimit?: number;
}

/** pg-boss's states of a job: waiting (created, or retry after a failure), active, or finished one way. */
export type JobState = 'created' | 'retry' | 'active' | 'completed' | 'cancelled' | 'failed';

/** A job as `pullpush jobs` lists it. */
export interface JobInfo {
  id: string;
  queue: QueueName;
  flow: string;
  stream: string | null;
  state: JobState;
  retryCount: number;
  createdOn: string;
  startedOn: string | null;
  completedOn: string | null;
  /** What the job returned, or the error it failed with. */
  output: unknown;
}

export interface ScheduleInfo {
  flow: string;
  cron: string;
  timezone: string;
  createdOn: string;
}

/** Counts of one queue's jobs. */
export interface QueueCounts {
  queue: QueueName;
  queued: number;
  active: number;
  deferred: number;
  total: number;
}

/** The server and the schema pg-boss keeps its tables in: `<prefix>_jobs` (the URL's `?schema=`, default pullpush). */
export function queueLocation(location: string): { url: string; jobsSchema: string } {
  if (!isPostgresLocation(location)) {
    throw new PullPushError(SyncErrorCode.InvalidDestination, 'The job queue lives in PostgreSQL: a postgres:// URL is needed.', { hint: 'Pass --db postgres://user:password@host:5432/database.' });
  }
  const { url, prefix } = postgresPrefix(location);
  return { url, jobsSchema: `${prefix}_jobs` };
}

const EVERY_UNITS = { s: 'SECONDLY', m: 'MINUTELY', h: 'HOURLY', d: 'DAILY' } as const;

/**
 * The flow's own schedule as pg-boss takes it: its cron, or its `every` as a recurrence rule (`15m` →
 * `FREQ=MINUTELY;INTERVAL=15`), which keeps an exact interval where a cron step cannot (45 minutes).
 */
export function scheduleOf(flow: Flow): string | undefined {
  const { schedule } = flow;
  if (schedule?.cron !== undefined) return schedule.cron;
  const every = schedule?.every === undefined ? undefined : /^([1-9][0-9]*)([smhd])$/.exec(schedule.every);
  if (!every) return undefined;
  return `FREQ=${EVERY_UNITS[every[2] as keyof typeof EVERY_UNITS]};INTERVAL=${every[1]}`;
}

/** The single-flight key of a sync: the connector, connection and stream it reads. */
export function syncKey(flow: Flow, stream: string): string {
  return `${flow.source.connector}/${flow.source.connection}/${stream}`;
}

const iso = (value: Date | null | undefined) => (value ? new Date(value).toISOString() : null);

/** Managing the queue: runs of flows sent now or on a schedule, and the jobs listed, cancelled or retried. */
export class FlowQueue {
  readonly #boss: PgBoss;
  readonly #jobsTable: string;
  readonly description: string;

  private constructor(boss: PgBoss, jobsSchema: string, description: string) {
    this.#boss = boss;
    this.#jobsTable = `${quoted(jobsSchema)}.job`;
    this.description = description;
  }

  /** Opens the queue (creating its schema and queues on first use); it fires nothing and expires nothing itself. */
  static async open(url: string, options: FlowQueueOptions = {}): Promise<FlowQueue> {
    // Loaded when a queue is opened: pg-boss and its types stay out of what embedding the sync library costs.
    const { startBoss } = await import('./boss.ts');
    return new FlowQueue(await startBoss(url, { ...options, supervise: false }), queueLocation(url).jobsSchema, redactedUrl(url));
  }

  /** Sends a run of the flow, to be taken by the next free worker; returns the job id. */
  async enqueue(flow: Flow, definitions: readonly unknown[]): Promise<string> {
    const id = await this.#boss.send(FLOW_QUEUE, { flow, definitions } satisfies FlowJobData);
    return String(id);
  }

  /**
   * Runs the flow on a schedule (replacing the flow's earlier one): `cron` — five fields, minute first, or six with
   * seconds first — or, when not given, the flow's own `schedule` (its cron, or its `every` as an exact interval);
   * `tz` (an IANA zone) defaults to UTC. Returns the expression stored.
   */
  async schedule(flow: Flow, definitions: readonly unknown[], cron?: string, tz = 'UTC'): Promise<string> {
    const expression = cron ?? scheduleOf(flow);
    if (expression === undefined) {
      throw new PullPushError(SyncErrorCode.InvalidSchedule, `The flow ${flow.id} has no schedule, and none was given.`, {
        hint: 'Give one (--cron "*/15 * * * *"), or write it in the flow: "schedule": { "every": "15m" } or { "cron": "0 * * * *" }.',
      });
    }
    try {
      await this.#boss.schedule(FLOW_QUEUE, expression, { flow, definitions } satisfies FlowJobData, { key: flow.id, tz });
    } catch (error) {
      throw new PullPushError(SyncErrorCode.InvalidSchedule, `The schedule "${expression}" (${tz}) was refused: ${(error as Error).message}`, {
        hint: 'Write five cron fields, minute first: "*/15 * * * *" runs every 15 minutes; --tz takes an IANA zone such as Europe/Paris.',
      });
    }
    return expression;
  }

  /** Removes the flow's schedule; returns whether it had one. */
  async unschedule(flowId: string): Promise<boolean> {
    const existing = await this.#boss.getSchedule(FLOW_QUEUE, flowId);
    if (!existing) return false;
    await this.#boss.unschedule(FLOW_QUEUE, flowId);
    return true;
  }

  async schedules(): Promise<ScheduleInfo[]> {
    return (await this.#boss.getSchedules(FLOW_QUEUE)).map((entry) => ({ flow: entry.key, cron: entry.cron, timezone: entry.timezone, createdOn: new Date(entry.createdOn).toISOString() }));
  }

  /** Jobs of every queue (or one), newest first, optionally in one state: only the rows shown are read. */
  async jobs(options: { queue?: QueueName; state?: JobState; limit?: number } = {}): Promise<JobInfo[]> {
    const { rows } = await this.#boss.getDb().executeSql(
      `SELECT id, name, data->'flow'->>'id' AS flow, data->>'stream' AS stream, state, retry_count, created_on, started_on, completed_on, output
       FROM ${this.#jobsTable} WHERE name = ANY($1::text[]) AND ($2::text IS NULL OR state::text = $2) ORDER BY created_on DESC LIMIT $3`,
      [options.queue ? [options.queue] : [...QUEUES], options.state ?? null, options.limit ?? 100],
    );
    return (rows as Array<Record<string, unknown>>).map((row) => ({
      id: String(row['id']),
      queue: row['name'] as QueueName,
      flow: (row['flow'] as string | null) ?? '?',
      stream: (row['stream'] as string | null) ?? null,
      state: row['state'] as JobState,
      retryCount: Number(row['retry_count']),
      createdOn: iso(row['created_on'] as Date) as string,
      startedOn: iso(row['started_on'] as Date | null),
      completedOn: iso(row['completed_on'] as Date | null),
      output: row['output'] ?? null,
    }));
  }

  /**
   * Jobs waiting (ready or deferred) and running, per queue, counted now. pg-boss's own queue counts are those of
   * its last monitor pass, seconds behind; this reads its job table (documented SQL) instead, as jobs() does.
   */
  async counts(): Promise<QueueCounts[]> {
    const { rows } = await this.#boss.getDb().executeSql(
      `SELECT name, count(*) FILTER (WHERE state < 'active' AND start_after <= now()) AS queued, count(*) FILTER (WHERE state < 'active' AND start_after > now()) AS deferred,
         count(*) FILTER (WHERE state = 'active') AS active, count(*) AS total
       FROM ${this.#jobsTable} WHERE name = ANY($1::text[]) GROUP BY name`,
      [[...QUEUES]],
    );
    return QUEUES.map((queue) => {
      const found = (rows as Array<Record<string, unknown>>).find((row) => row['name'] === queue);
      return { queue, queued: Number(found?.['queued'] ?? 0), active: Number(found?.['active'] ?? 0), deferred: Number(found?.['deferred'] ?? 0), total: Number(found?.['total'] ?? 0) };
    });
  }

  /** Cancels a job that has not finished; returns whether one was cancelled. */
  async cancel(id: string): Promise<boolean> {
    return this.#command(id, (queue) => this.#boss.cancel(queue, id));
  }

  /** Runs a failed or cancelled job again; returns whether one was found. */
  async retry(id: string): Promise<boolean> {
    return this.#command(id, (queue) => this.#boss.retry(queue, id));
  }

  async #command(id: string, run: (queue: QueueName) => Promise<object>): Promise<boolean> {
    for (const queue of QUEUES) {
      if (!(await this.#boss.getJobById(queue, id).catch(() => null))) continue;
      // pg-boss answers { requested, affected } (its type declares neither).
      return ((await run(queue)) as { affected?: number }).affected !== 0;
    }
    throw new PullPushError(SyncErrorCode.UnknownJob, `There is no job ${id} in the queue on ${this.description}.`, { hint: 'List the jobs with: pullpush jobs list --db <url>.' });
  }

  async close(): Promise<void> {
    await this.#boss.stop({ graceful: false });
  }
}
