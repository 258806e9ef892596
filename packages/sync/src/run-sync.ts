// runSync: a source connector's streams → canonical events → a destination, with checkpoints. Records are
// written in batches, each with the last checkpoint the engine emitted after them, so a killed run resumes from
// a checkpoint whose records are all stored; upsert by canonical key makes the overlap harmless.
import { randomUUID } from 'node:crypto';
import { PullPushError, type CanonicalEvent } from '@pullpush/canonical';
import { compileConnector, type Connector, type ConnectorOptions, type ReadLimits, type StreamState } from '@pullpush/engine';
import type { Destination, FailedRecord, StateStore, StreamIdentity } from './destination.ts';
import { SyncErrorCode } from './errors.ts';
import { addCounts, emptyCounts, type RunError, type RunLog, type StreamSummary, type SyncSummary } from './summary.ts';

export interface SyncProgress extends StreamIdentity {
  runId: string;
  pages: number;
  records: number;
  failed: number;
  written: number;
  done: boolean;
}

export interface SyncOptions {
  /** The source connector definition (validated by the engine). */
  definition: unknown;
  /** The connection's config (secrets included; never stored). */
  config: Record<string, unknown>;
  destination: Destination;
  /** Connection id (default "default"). */
  connection?: string;
  /** Streams to sync (default: every stream mapped to a canonical type). */
  streams?: readonly string[];
  /** Checkpoints; default the destination's own store (SQLite). Without one every run reads everything. */
  stateStore?: StateStore;
  /** Where the run is recorded; default the destination when it keeps a run log (SQLite). */
  runLog?: RunLog;
  /** Ignore stored checkpoints and read everything (the new checkpoints are stored as usual). */
  full?: boolean;
  /** Records per transaction at most (default 1,000; a page is never split). */
  batchSize?: number;
  limits?: ReadLimits;
  signal?: AbortSignal;
  /** Engine options: network policy, base URL, rotated-token write-back (onConfigUpdate), clock. */
  engine?: Omit<ConnectorOptions, 'connection'>;
  onProgress?: (progress: SyncProgress) => void;
  runId?: string;
}

function isRunLog(value: unknown): value is RunLog {
  return typeof (value as RunLog | null)?.recordRun === 'function';
}

function runError(error: unknown, connector: Connector | undefined): RunError {
  const redact = (text: string) => connector?.redact(text) ?? text;
  if (error instanceof PullPushError) return { code: error.code, message: redact(error.message), ...(error.hint ? { hint: redact(error.hint) } : {}) };
  if ((error as Error).name === 'AbortError') return { code: 'SYNC_CANCELLED', message: 'The run was cancelled.' };
  return { code: 'SYNC_UNEXPECTED', message: redact(String((error as Error).message ?? error)) };
}

/** Totals and status; `skipped`: streams that never started because the run was cancelled before them. */
function finishSummary(summary: SyncSummary, started: number, skipped: boolean): SyncSummary {
  const totals = { ...emptyCounts(), pages: 0 };
  for (const stream of summary.streams) {
    addCounts(totals, stream);
    totals.pages += stream.pages;
  }
  summary.totals = totals;
  summary.durationMs = Math.round(performance.now() - started);
  summary.finishedAt = new Date().toISOString();
  const statuses = summary.streams.map((stream) => stream.status);
  summary.status = skipped || statuses.includes('cancelled') ? 'cancelled' : statuses.includes('failed') ? 'failed' : totals.failed > 0 ? 'partial' : 'succeeded';
  return summary;
}

/** Syncs the selected streams one after the other; a stream that fails is reported and the others still run. */
export async function runSync(options: SyncOptions): Promise<SyncSummary> {
  const started = performance.now();
  const runId = options.runId ?? randomUUID();
  const connection = options.connection ?? 'default';
  const destination = options.destination;
  const stateStore = options.stateStore ?? destination.stateStore;
  const runLog = options.runLog ?? (isRunLog(destination) ? destination : undefined);
  const batchSize = Math.max(1, options.batchSize ?? 1000);
  const connector = await compileConnector(options.definition, options.config, { ...options.engine, connection });
  const summary: SyncSummary = {
    runId,
    connector: connector.id,
    connection,
    destination: destination.description,
    status: 'running',
    startedAt: new Date().toISOString(),
    durationMs: 0,
    streams: [],
    totals: { ...emptyCounts(), pages: 0 },
  };
  let selected = 0;
  try {
    const streams = options.streams ?? connector.streams.filter((name) => connector.canonicalType(name) !== undefined);
    for (const name of streams) {
      if (!connector.streams.includes(name)) {
        throw new PullPushError(SyncErrorCode.UnknownStream, `Connector ${connector.id} has no stream "${name}".`, { hint: `Streams: ${connector.streams.join(', ')}.` });
      }
      if (connector.canonicalType(name) === undefined) {
        throw new PullPushError(SyncErrorCode.RawStream, `Stream ${name} of ${connector.id} has no canonical mapping, so it cannot be synced.`, {
          hint: 'Give the stream a canonical type and a mapping, or read it with `pullpush read`.',
        });
      }
    }
    selected = streams.length;
    runLog?.recordRun(summary);
    for (const name of streams) {
      if (options.signal?.aborted) break;
      summary.streams.push(await syncStream(connector, name, { ...options, runId, connection, stateStore, batchSize }));
    }
  } finally {
    await connector.close();
  }
  finishSummary(summary, started, summary.streams.length < selected);
  runLog?.recordRun(summary);
  return summary;
}

interface StreamRun extends Omit<SyncOptions, 'stateStore'> {
  runId: string;
  connection: string;
  stateStore: StateStore | undefined;
  batchSize: number;
}

async function syncStream(connector: Connector, stream: string, run: StreamRun): Promise<StreamSummary> {
  const started = performance.now();
  const identity: StreamIdentity = { connector: connector.id, connection: run.connection, stream };
  const counts = emptyCounts();
  const result: StreamSummary = { stream, canonicalType: '', ...counts, pages: 0, status: 'succeeded', durationMs: 0 };
  const type = connector.canonicalType(stream);
  result.canonicalType = type ? `${type.name}@${type.version}` : '';
  let events: Array<CanonicalEvent<Record<string, unknown>>> = [];
  let failures: FailedRecord[] = [];
  let checkpoint: StreamState | undefined;
  let written = 0;

  const progress = (done: boolean) =>
    run.onProgress?.({ ...identity, runId: run.runId, pages: result.pages, records: result.records, failed: result.failed, written, done });

  async function flush(): Promise<void> {
    if (events.length === 0 && failures.length === 0 && checkpoint === undefined) return;
    const batch = { ...identity, runId: run.runId, events, failures, ...(checkpoint ? { state: checkpoint } : {}) };
    const counts = await run.destination.write(batch);
    // A destination without its own state store: the checkpoint is stored after the records (at least once).
    if (checkpoint && run.stateStore && run.stateStore !== run.destination.stateStore) run.stateStore.setState(identity, checkpoint);
    addCounts(result, counts);
    written += events.length;
    events = [];
    failures = [];
    checkpoint = undefined;
  }

  try {
    const state = run.full ? undefined : run.stateStore?.getState(identity);
    const messages = connector.read(stream, { withNative: true, ...(state ? { state } : {}), ...(run.limits ? { limits: run.limits } : {}), ...(run.signal ? { signal: run.signal } : {}) });
    for await (const message of messages) {
      if (message.type === 'record') {
        events.push(message.event);
        result.records += 1;
      } else if (message.type === 'failure') {
        failures.push({ remoteId: message.remoteId, message: message.message, issues: message.issues, ...(message.native === undefined ? {} : { native: message.native }) });
        result.records += 1;
        result.failed += 1;
      } else if (message.type === 'page') {
        // Before the page's records: progress moves per page, not only per committed batch.
        if (result.pages > 0) progress(false);
        result.pages += 1;
      } else if (message.type === 'state') {
        checkpoint = message.state;
        if (events.length + failures.length >= run.batchSize) {
          await flush();
          progress(false);
        }
      }
    }
    await flush();
  } catch (error) {
    // What was read before the error is kept, with the last checkpoint the engine reached before it.
    try {
      await flush();
    } catch {
      // The original error says more; the batch was rolled back and its checkpoint did not move.
    }
    result.status = (error as Error).name === 'AbortError' || run.signal?.aborted ? 'cancelled' : 'failed';
    result.error = runError(error, connector);
  }
  result.durationMs = Math.round(performance.now() - started);
  progress(true);
  return result;
}
