// Sync tools: read a sample of a stream, run a sync into the workspace's SQLite file (waiting with progress and
// cancellation, or in the background), and look at what syncs left: runs, checkpoints, failed records.
import { randomUUID } from 'node:crypto';
import { PullPushError } from '@pullpush/canonical';
import { loadEngine, loadSync } from '../libraries/load.ts';
import type { StreamSummary as SyncStreamSummary, SyncProgress, SyncSummary } from '@pullpush/sync';
import Type from 'typebox';
import { McpErrorCode } from '../errors.ts';
import type { ActiveRun, ServerRuntime } from '../runtime.ts';
import { defineTool, DESTROYS, READ_ONLY, READS_REMOTE } from '../tool.ts';
import { defined, ErrorInfo, openSource, SourceFields, withRedaction, type OpenedSource } from './connections.ts';
import { compact, ConnectionName, DefinitionId, Issue, Revision, FreeObject } from './schemas.ts';

type Json = Record<string, unknown>;

const Counts = {
  records: Type.Integer({ description: 'Records read: written plus failed.' }),
  failed: Type.Integer({ description: 'Records that failed mapping or validation (list_failed_records).' }),
  inserted: Type.Integer(),
  updated: Type.Integer(),
  unchanged: Type.Integer(),
  deleted: Type.Integer({ description: 'Tombstones written.' }),
};

const RunStream = Type.Object({
  stream: Type.String(),
  canonicalType: Type.String({ description: 'commerce.order@1, or "" for a raw stream (native records by primary key).' }),
  pages: Type.Integer(),
  ...Counts,
  status: Type.Enum(['succeeded', 'failed', 'cancelled']),
  error: Type.Optional(ErrorInfo),
  notes: Type.Optional(Type.Array(Type.String(), { description: 'What the read learned (a server that clamps its page size).' })),
  durationMs: Type.Integer(),
});

const RunStatus = Type.Enum(['running', 'succeeded', 'partial', 'failed', 'cancelled'], {
  description: 'partial: every stream finished but some records failed; cancelled: stopped, what was written is kept.',
});

const RunSummary = Type.Object({
  runId: Type.String(),
  connector: Type.String(),
  connection: Type.String(),
  destination: Type.String(),
  status: RunStatus,
  // Set when the run failed before any stream ran (the connection check): nothing was written.
  error: Type.Optional(ErrorInfo),
  startedAt: Type.String(),
  finishedAt: Type.Optional(Type.String()),
  durationMs: Type.Integer(),
  streams: Type.Array(RunStream),
  totals: Type.Object({ pages: Type.Integer(), ...Counts }),
});

const LiveStream = Type.Object({
  stream: Type.String(),
  pages: Type.Integer(),
  records: Type.Integer(),
  failed: Type.Integer(),
  written: Type.Integer({ description: 'Records committed so far.' }),
  done: Type.Boolean(),
});

const RunId = Type.String({ minLength: 1, maxLength: 100, description: 'A run id (run_sync, list_runs).' });

const Filters = {
  definition: Type.Optional(Type.String({ description: "The definition's id (the connector id runs record)." })),
  connection: Type.Optional(Type.String({ description: 'Connection name ("default" for inline configs).' })),
  stream: Type.Optional(Type.String()),
};

interface FilterArgs {
  definition?: string;
  connection?: string;
  stream?: string;
}

/** Live per-stream progress of the runs this module started. */
const liveProgress = new WeakMap<ActiveRun, Map<string, SyncProgress>>();

function copySummary(summary: SyncSummary): SyncSummary {
  return {
    ...summary,
    ...(summary.error ? { error: compact({ ...summary.error }) } : {}),
    streams: summary.streams.map((stream): SyncStreamSummary => ({ ...stream, ...(stream.error ? { error: compact({ ...stream.error }) } : {}) })),
    totals: { ...summary.totals },
  };
}

function notFound(runId: string): PullPushError {
  return new PullPushError(McpErrorCode.NotFound, `No sync run "${runId}".`, { hint: 'list_runs gives the recent runs.' });
}

/** The store's filter (which names the definition the connector) from a tool's arguments. */
function identityFilter(args: FilterArgs): { connector?: string; connection?: string; stream?: string } {
  return compact({ connector: args.definition, connection: args.connection, stream: args.stream });
}

/** Streams to sync: the ones asked for (each must exist), default every one (raw streams as native records). */
function syncStreams(source: OpenedSource, wanted: readonly string[] | undefined): string[] | undefined {
  if (wanted === undefined || wanted.length === 0) return undefined;
  const streams = (source.definition['streams'] ?? {}) as Record<string, unknown>;
  const issues = wanted.flatMap((name, index) => (Object.hasOwn(streams, name) ? [] : [{ pointer: `/streams/${index}`, message: `unknown stream "${name}"` }]));
  if (issues.length > 0) {
    throw new PullPushError(McpErrorCode.InvalidArguments, `Cannot sync ${issues.length} of the streams given.`, { hint: `Streams: ${Object.keys(streams).join(', ')}.`, issues });
  }
  return [...wanted];
}

async function startRun(
  runtime: ServerRuntime,
  source: OpenedSource,
  options: { streams: string[] | undefined; full: boolean; batchSize: number | undefined; onProgress: (progress: SyncProgress, run: ActiveRun) => void },
): Promise<ActiveRun> {
  const { runSync } = await loadSync();
  const runId = randomUUID();
  const store = await runtime.store();
  const controller = new AbortController();
  const live = new Map<string, SyncProgress>();
  const summary: SyncSummary = {
    runId,
    connector: String(source.definition['id'] ?? source.definitionId),
    connection: source.connection,
    destination: store.description,
    status: 'running',
    startedAt: new Date().toISOString(),
    durationMs: 0,
    streams: [],
    totals: { pages: 0, records: 0, failed: 0, inserted: 0, updated: 0, unchanged: 0, deleted: 0 },
  };
  const run: ActiveRun = {
    summary,
    controller,
    done: Promise.resolve(summary),
    progress: { stream: '', records: 0, written: 0 },
  };
  liveProgress.set(run, live);
  run.done = runSync(
    compact({
      definition: source.definition,
      config: source.config,
      destination: store,
      connection: source.connection,
      streams: options.streams,
      full: options.full,
      batchSize: options.batchSize,
      signal: controller.signal,
      engine: source.engine,
      runId,
      onProgress: (progress: SyncProgress) => {
        live.set(progress.stream, progress);
        run.progress = { stream: progress.stream, records: progress.records, written: progress.written };
        options.onProgress(progress, run);
      },
    }),
  )
    .then((result) => source.redact(result))
    .catch((error: unknown) => {
      // Failed before the first stream (runSync validated nothing we had not): recorded so sync_status can say so.
      const message = source.redact(error instanceof Error ? error.message : String(error));
      const failed: SyncSummary = {
        ...summary,
        status: controller.signal.aborted ? 'cancelled' : 'failed',
        finishedAt: new Date().toISOString(),
        streams: (options.streams ?? []).map((stream) => ({
          stream,
          canonicalType: '',
          pages: 0,
          records: 0,
          failed: 0,
          inserted: 0,
          updated: 0,
          unchanged: 0,
          deleted: 0,
          status: 'failed' as const,
          error: { code: error instanceof PullPushError ? error.code : McpErrorCode.Internal, message },
          durationMs: 0,
        })),
      };
      try {
        store.recordRun(failed);
      } catch {
        // The store is closed (the server is shutting down): the summary is still returned.
      }
      return failed;
    })
    .finally(() => runtime.runs.delete(runId));
  runtime.runs.set(runId, run);
  return run;
}

function liveStreams(run: ActiveRun) {
  return [...(liveProgress.get(run)?.values() ?? [])].map((progress) => ({
    stream: progress.stream,
    pages: progress.pages,
    records: progress.records,
    failed: progress.failed,
    written: progress.written,
    done: progress.done,
  }));
}

async function failedCount(runtime: ServerRuntime, runId: string): Promise<number> {
  const row = (await runtime.store()).database.prepare('SELECT count(*) AS n FROM pullpush_failed_records WHERE run_id = ?').get(runId) as { n: number };
  return Number(row.n);
}

export const syncTools = [
  defineTool({
    name: 'read_sample',
    title: 'Read a sample of a stream',
    description:
      'Reads the first records of one stream of a stored definition, with a stored connection or an inline config, read-only and without storing anything: canonical events (or the native records as the API sent them, native: true) and the records that failed mapping or validation with their issues. limit: 5 by default, at most 100.',
    group: 'sync',
    input: Type.Object(
      {
        ...SourceFields,
        stream: Type.String(),
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, description: 'Records to read (default 5); failures count too.' })),
        native: Type.Optional(Type.Boolean({ description: 'Native records instead of canonical events (default false).' })),
      },
      { additionalProperties: false },
    ),
    output: Type.Object({
      connector: Type.String(),
      stream: Type.String(),
      canonical: Type.Union([Type.String(), Type.Null()]),
      native: Type.Boolean(),
      records: Type.Array(Type.Unknown(), { description: 'Canonical events (CloudEvents), or native records.' }),
      failures: Type.Array(Type.Object({ remoteId: Type.String(), message: Type.String(), issues: Type.Array(Issue), native: Type.Optional(Type.Unknown()) })),
      pages: Type.Integer(),
      requests: Type.Integer(),
      reachedEnd: Type.Boolean({ description: 'Whether the stream had no more records than these.' }),
    }),
    annotations: READS_REMOTE,
    async handler(args, { runtime, signal }) {
      const source = await openSource(runtime, compact({ definition: args.definition, revision: args.revision, connection: args.connection, config: args.config }));
      return withRedaction(source, async () => {
        const connector = await (await loadEngine()).compileConnector(source.definition, source.config, { ...source.engine, readOnly: true });
        try {
          const limit = args.limit ?? 5;
          const native = args.native ?? false;
          const type = connector.canonicalType(args.stream);
          const records: unknown[] = [];
          const failures: Array<{ remoteId: string; message: string; issues: Array<{ pointer: string; message: string; rule?: string }>; native?: unknown }> = [];
          let pages = 0;
          let reachedEnd = false;
          const options = { limits: { maxRecords: limit, maxPages: Math.max(5, limit) }, withNative: true, signal };
          for await (const message of native ? connector.readNative(args.stream, options) : connector.read(args.stream, options)) {
            if (message.type === 'page') pages += 1;
            else if (message.type === 'record') records.push(message.event);
            else if (message.type === 'raw') records.push(message.record);
            else if (message.type === 'failure') failures.push(compact({ remoteId: message.remoteId, message: message.message, issues: message.issues.map((issue) => compact({ ...issue })), native: message.native }));
            else if (message.type === 'end') reachedEnd = message.reason === 'exhausted';
          }
          return source.redact({
            connector: source.definitionId,
            stream: args.stream,
            canonical: type ? `${type.name}@${type.version}` : null,
            native,
            records,
            failures,
            pages,
            requests: connector.requestCount,
            reachedEnd,
          });
        } finally {
          await connector.close();
        }
      });
    },
  }),
  defineTool({
    name: 'run_sync',
    title: 'Run a sync',
    description:
      "Syncs a stored connection's streams (default every stream) into the workspace's SQLite file: one table per canonical type and one per raw stream (native records by primary key), upsert by key, checkpoints committed with the records so the next run reads only what changed (full: true reads everything again). The connection is checked first: if the check fails, nothing is written. With wait (default true) it returns the run summary and sends progress notifications (records read and written per stream, after every page); cancelling the call stops the run and keeps what was committed. With wait false it returns the run id at once: follow it with sync_status.",
    group: 'sync',
    input: Type.Object(
      {
        connection: ConnectionName,
        definition: Type.Optional(DefinitionId),
        revision: Type.Optional(Revision),
        streams: Type.Optional(Type.Array(Type.String(), { description: 'Streams to sync (default every stream).' })),
        full: Type.Optional(Type.Boolean({ description: 'Ignore stored checkpoints and read everything (default false).' })),
        wait: Type.Optional(Type.Boolean({ description: 'Wait for the run to finish (default true).' })),
        batchSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000, description: 'Records per transaction at most (default 1,000; a page is never split).' })),
      },
      { additionalProperties: false },
    ),
    output: Type.Object({
      runId: Type.String(),
      status: RunStatus,
      summary: Type.Optional(RunSummary),
    }),
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
    async handler(args, { runtime, signal, progress }) {
      const source = await openSource(runtime, compact({ definition: args.definition, revision: args.revision, connection: args.connection }));
      return withRedaction(source, async () => {
        const streams = syncStreams(source, args.streams);
        // Compiling first reports an invalid definition or config as this call's error, with its pointers.
        await (await (await loadEngine()).compileConnector(source.definition, source.config, source.engine)).close();
        const wait = args.wait ?? true;
        let step = 0;
        const run = await startRun(runtime, source, {
          streams,
          full: args.full ?? false,
          batchSize: args.batchSize,
          onProgress: (update, active) => {
            if (!wait) return;
            // Strictly increasing: records processed so far plus streams finished.
            const processed = liveStreams(active).reduce((sum, stream) => sum + stream.written + stream.failed + (stream.done ? 1 : 0), 0);
            step = Math.max(step + 1, processed);
            const text = `${update.stream}: ${update.records} records read, ${update.written} written, ${update.failed} failed${update.done ? ' — done' : ''}`;
            progress(step, undefined, text).catch(() => undefined);
          },
        });
        const runId = run.summary.runId;
        if (!wait) return { runId, status: 'running' as const };
        const cancel = () => run.controller.abort();
        signal.addEventListener('abort', cancel, { once: true });
        if (signal.aborted) cancel();
        await progress(0, undefined, `run ${runId} started`).catch(() => undefined);
        try {
          const summary = copySummary(await run.done);
          return { runId, status: summary.status, summary };
        } finally {
          signal.removeEventListener('abort', cancel);
        }
      });
    },
  }),
  defineTool({
    name: 'sync_status',
    title: 'Status of a sync run',
    description:
      'Says where a sync run stands: while it runs, the records read and written so far per stream; once finished, its final summary (status, per-stream counts and errors). Use it after run_sync { wait: false } or a cancelled call.',
    group: 'sync',
    input: Type.Object({ run: RunId }, { additionalProperties: false }),
    output: Type.Object({
      runId: Type.String(),
      status: RunStatus,
      active: Type.Boolean({ description: 'Whether the run is going on in this server now.' }),
      connector: Type.String(),
      connection: Type.String(),
      startedAt: Type.String(),
      progress: Type.Optional(Type.Array(LiveStream, { description: 'While running: per stream so far.' })),
      summary: Type.Optional(RunSummary),
      note: Type.Optional(Type.String()),
    }),
    annotations: READ_ONLY,
    async handler(args, { runtime }) {
      const active = runtime.runs.get(args.run);
      if (active) {
        const { summary } = active;
        return { runId: args.run, status: 'running' as const, active: true, connector: summary.connector, connection: summary.connection, startedAt: summary.startedAt, progress: liveStreams(active) };
      }
      const stored = (await runtime.store()).getRun(args.run);
      if (!stored) throw notFound(args.run);
      return compact({
        runId: args.run,
        status: stored.status,
        active: false,
        connector: stored.connector,
        connection: stored.connection,
        startedAt: stored.startedAt,
        summary: copySummary(stored),
        note: stored.status === 'running' ? 'Recorded as running but not running in this server: the process that ran it stopped. Run the sync again; it resumes from the last checkpoint.' : undefined,
      });
    },
  }),
  defineTool({
    name: 'cancel_run',
    title: 'Cancel a sync run',
    description:
      'Stops a sync run going on in this server (typically one started with run_sync { wait: false }). Records committed so far stay, with their checkpoints; the next run resumes from there. Returns the final summary once the run has stopped.',
    group: 'sync',
    input: Type.Object({ run: RunId }, { additionalProperties: false }),
    output: Type.Object({ runId: Type.String(), status: RunStatus, summary: RunSummary }),
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    async handler(args, { runtime }) {
      const active = runtime.runs.get(args.run);
      if (!active) {
        const stored = (await runtime.store()).getRun(args.run);
        if (!stored) throw notFound(args.run);
        return { runId: args.run, status: stored.status, summary: copySummary(stored) };
      }
      active.controller.abort();
      const summary = copySummary(await active.done);
      return { runId: args.run, status: summary.status, summary };
    },
  }),
  defineTool({
    name: 'list_runs',
    title: 'List sync runs',
    description: 'Lists recent sync runs, newest first, optionally of one connector, connection or status: run id, status, times and totals (records, inserted, updated, unchanged, deleted, failed).',
    group: 'sync',
    input: Type.Object(
      {
        definition: Filters.definition,
        connection: Filters.connection,
        status: Type.Optional(RunStatus),
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, description: 'At most this many (default 20).' })),
      },
      { additionalProperties: false },
    ),
    output: Type.Object({
      runs: Type.Array(
        Type.Object({
          runId: Type.String(),
          connector: Type.String(),
          connection: Type.String(),
          status: RunStatus,
          active: Type.Boolean(),
          startedAt: Type.String(),
          finishedAt: Type.Optional(Type.String()),
          durationMs: Type.Integer(),
          streams: Type.Array(Type.String()),
          totals: Type.Object({ pages: Type.Integer(), ...Counts }),
        }),
      ),
    }),
    annotations: READ_ONLY,
    async handler(args, { runtime }) {
      const limit = args.limit ?? 20;
      const filtered = args.definition !== undefined || args.connection !== undefined || args.status !== undefined;
      const runs = (await runtime.store())
        .listRuns(filtered ? 10_000 : limit)
        .filter((run) => (args.definition === undefined || run.connector === args.definition) && (args.connection === undefined || run.connection === args.connection) && (args.status === undefined || run.status === args.status))
        .slice(0, limit);
      return {
        runs: runs.map((run) =>
          defined({
            runId: run.runId,
            connector: run.connector,
            connection: run.connection,
            status: run.status,
            active: runtime.runs.has(run.runId),
            startedAt: run.startedAt,
            finishedAt: run.finishedAt,
            durationMs: run.durationMs,
            streams: run.streams.map((stream) => stream.stream),
            totals: { ...run.totals },
          }),
        ),
      };
    },
  }),
  defineTool({
    name: 'get_run',
    title: 'Get a sync run',
    description: 'Returns the full recorded summary of one sync run — per stream pages, records, inserted, updated, unchanged, deleted, failed, status and error — and how many failed records it left (list_failed_records { run }).',
    group: 'sync',
    input: Type.Object({ run: RunId }, { additionalProperties: false }),
    output: Type.Object({ summary: RunSummary, active: Type.Boolean(), failedRecords: Type.Integer() }),
    annotations: READ_ONLY,
    async handler(args, { runtime }) {
      const stored = (await runtime.store()).getRun(args.run);
      if (!stored) throw notFound(args.run);
      return { summary: copySummary(stored), active: runtime.runs.has(args.run), failedRecords: await failedCount(runtime, args.run) };
    },
  }),
  defineTool({
    name: 'get_state',
    title: 'Get sync checkpoints',
    description: 'Lists the stored sync checkpoints (the incremental cursor per stream and partition), optionally of one connector, connection or stream. The next run_sync continues from these.',
    group: 'sync',
    input: Type.Object(Filters, { additionalProperties: false }),
    output: Type.Object({
      states: Type.Array(Type.Object({ connector: Type.String(), connection: Type.String(), stream: Type.String(), state: FreeObject(), updatedAt: Type.String() })),
    }),
    annotations: READ_ONLY,
    handler: async (args, { runtime }) => ({
      states: (await runtime.store()).listStates(identityFilter(args)).map((state) => ({ ...state, state: state.state as unknown as Json })),
    }),
  }),
  defineTool({
    name: 'reset_state',
    title: 'Reset sync checkpoints',
    description:
      'Forgets the stored sync checkpoints that match (connector, connection, stream), so the next run_sync of those streams reads everything again; synced records stay. With no filter it refuses unless all is true. Returns how many were removed.',
    group: 'sync',
    input: Type.Object({ ...Filters, all: Type.Optional(Type.Boolean({ description: 'Reset every checkpoint (needed when no filter is given).' })) }, { additionalProperties: false }),
    output: Type.Object({ reset: Type.Integer() }),
    annotations: DESTROYS,
    async handler(args, { runtime }) {
      const filter = identityFilter(args);
      if (Object.keys(filter).length === 0 && !args.all) {
        throw new PullPushError(McpErrorCode.InvalidArguments, 'No filter given: this would reset every checkpoint.', { hint: 'Give connector, connection or stream, or all: true to reset everything.' });
      }
      const busy = [...runtime.runs.values()].find((run) => (filter.connector === undefined || run.summary.connector === filter.connector) && (filter.connection === undefined || run.summary.connection === filter.connection));
      if (busy) {
        throw new PullPushError(McpErrorCode.InvalidArguments, `Run ${busy.summary.runId} of ${busy.summary.connector}/${busy.summary.connection} is going on: its checkpoints are moving.`, {
          hint: 'Wait for it to finish (sync_status), then reset.',
        });
      }
      return { reset: (await runtime.store()).resetState(filter) };
    },
  }),
  defineTool({
    name: 'list_failed_records',
    title: 'List failed records',
    description:
      'Lists records that failed mapping or validation during syncs, newest first, optionally of one connector, connection, stream or run: the remote id, the reason, the issues at JSON pointers into the canonical record, and the native record as the API sent it (what a mapping fix needs).',
    group: 'sync',
    input: Type.Object(
      {
        ...Filters,
        run: Type.Optional(RunId),
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, description: 'At most this many (default 50).' })),
        native: Type.Optional(Type.Boolean({ description: 'Include the native records (default true).' })),
      },
      { additionalProperties: false },
    ),
    output: Type.Object({
      total: Type.Integer({ description: 'Failed records matching, in all.' }),
      records: Type.Array(
        Type.Object({
          id: Type.Integer(),
          runId: Type.String(),
          connector: Type.String(),
          connection: Type.String(),
          stream: Type.String(),
          remoteId: Type.String(),
          message: Type.String(),
          issues: Type.Array(Type.Unknown()),
          native: Type.Optional(Type.Unknown()),
          failedAt: Type.String(),
        }),
      ),
    }),
    annotations: READ_ONLY,
    async handler(args, { runtime }) {
      const filter = identityFilter(args);
      const records = (await runtime.store()).listFailedRecords(compact({ ...filter, runId: args.run, limit: args.limit ?? 50 }));
      const where = Object.entries({ ...filter, ...(args.run === undefined ? {} : { run_id: args.run }) });
      const clause = where.length ? `WHERE ${where.map(([column]) => `${column} = ?`).join(' AND ')}` : '';
      const row = (await runtime.store()).database.prepare(`SELECT count(*) AS n FROM pullpush_failed_records ${clause}`).get(...where.map(([, value]) => value)) as { n: number };
      return {
        total: Number(row.n),
        records: records.map((record) => defined({ ...record, native: args.native === false ? undefined : record.native })),
      };
    },
  }),
];
