// runSync: a source connector's streams → canonical events → a destination, with checkpoints. Records are
// written in batches, each with the last checkpoint the engine emitted after them, so a killed run resumes from
// a checkpoint whose records are all stored; upsert by canonical key makes the overlap harmless.
import { randomUUID } from 'node:crypto';
import { PullPushError, type CanonicalEvent } from '@pullpush/canonical';
import { compileConnector, type Connector, type ConnectorOptions, type Observation, type ReadLimits, type StreamState } from '@pullpush/engine';
import type { BackgroundWriter, Destination, FailedRecord, RawRecord, StateStore, StreamIdentity, WriteCounts } from './destination.ts';
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
  /** Streams to sync (default: every stream; raw ones land as native records keyed by their primary key). */
  streams?: readonly string[];
  /** Checkpoints; default the destination's own store (SQLite). Without one every run reads everything. */
  stateStore?: StateStore;
  /** Where the run is recorded; default the destination when it keeps a run log (SQLite). */
  runLog?: RunLog;
  /** Ignore stored checkpoints and read everything (the new checkpoints are stored as usual). */
  full?: boolean;
  /** Records per transaction at most (default 1,000; a page is never split). */
  batchSize?: number;
  /**
   * Bytes of API responses per transaction at most (default 16 MiB; a page is never split): large records make
   * small batches, so the records a run holds before writing stay bounded in memory, not only in number.
   */
  maxBatchBytes?: number;
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
  summary.status = skipped || statuses.includes('cancelled') ? 'cancelled' : summary.error || statuses.includes('failed') ? 'failed' : totals.failed > 0 ? 'partial' : 'succeeded';
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
  const maxBatchBytes = Math.max(1, options.maxBatchBytes ?? DEFAULT_MAX_BATCH_BYTES);
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
    const streams = options.streams ?? connector.streams;
    for (const name of streams) {
      if (!connector.streams.includes(name)) {
        throw new PullPushError(SyncErrorCode.UnknownStream, `Connector ${connector.id} has no stream "${name}".`, { hint: `Streams: ${connector.streams.join(', ')}.` });
      }
    }
    selected = streams.length;
    await runLog?.recordRun(summary);
    // The connection is checked before anything is written: an API that serves public data to a wrong key would
    // otherwise fill the destination before another stream fails.
    try {
      await connector.check(options.signal);
    } catch (error) {
      if ((error as Error).name === 'AbortError') throw error;
      summary.error = runError(error, connector);
      selected = 0;
    }
    for (const name of summary.error ? [] : streams) {
      if (options.signal?.aborted) break;
      summary.streams.push(await syncStream(connector, name, { ...options, runId, connection, stateStore, batchSize, maxBatchBytes }));
    }
  } finally {
    await connector.close();
  }
  finishSummary(summary, started, summary.streams.length < selected);
  await runLog?.recordRun(summary);
  return summary;
}

const DEFAULT_MAX_BATCH_BYTES = 16 * 1024 * 1024;

/** Batches the background writer may hold beyond the one being read: enough to ride out a checkpoint's pause. */
const MAX_BATCHES_IN_FLIGHT = 4;

interface StreamRun extends Omit<SyncOptions, 'stateStore'> {
  runId: string;
  connection: string;
  stateStore: StateStore | undefined;
  batchSize: number;
  maxBatchBytes: number;
}

/** What a read learned about the API that the run summary should say. */
function observationNote(observation: Observation): string | undefined {
  if (observation.kind === 'clampedPageSize') return `The API sent ${observation.received} records per page where ${observation.requested} were asked for; the read followed it.`;
  if (observation.kind === 'refusedSpeculativePage') return `After a short page the API answered ${observation.status} to the next one, taken as the end.`;
  return undefined;
}

async function syncStream(connector: Connector, stream: string, run: StreamRun): Promise<StreamSummary> {
  const started = performance.now();
  const identity: StreamIdentity = { connector: connector.id, connection: run.connection, stream };
  const counts = emptyCounts();
  const result: StreamSummary = { stream, canonicalType: '', ...counts, pages: 0, status: 'succeeded', durationMs: 0 };
  const type = connector.canonicalType(stream);
  result.canonicalType = type ? `${type.name}@${type.version}` : '';
  const notes = new Set<string>();
  let events: Array<CanonicalEvent<Record<string, unknown>>> = [];
  let raws: RawRecord[] = [];
  let failures: FailedRecord[] = [];
  let checkpoint: StreamState | undefined;
  let written = 0;

  const state = run.full ? undefined : await run.stateStore?.getState(identity);
  // Records the read does not return are tombstoned only after a complete read of everything: never after an
  // incremental, failed, cancelled or limited one.
  const tombstoning = connector.tombstonesMissing(stream) && state === undefined && run.limits === undefined;
  if (tombstoning && !run.destination.tombstoneUnseen) notes.add(`The stream tombstones records it no longer returns, but ${run.destination.description} keeps no records to compare: none were marked deleted.`);
  const markSeen = tombstoning && run.destination.tombstoneUnseen !== undefined;

  const progress = (done: boolean) =>
    run.onProgress?.({ ...identity, runId: run.runId, pages: result.pages, records: result.records, failed: result.failed, written, done });

  // Once a stream has more than one batch, the destination's background writer (SQLite) commits batches while the
  // next ones are read. A few may wait in its queue, so that a slow commit (a checkpoint of the file) does not
  // hold the read up; after a failed batch the writer refuses the rest, and the failure stops the read at the
  // next flush, so no later checkpoint is stored past records that were not.
  let writer: BackgroundWriter | undefined;
  /** Bytes of the responses whose records wait in the current batch. */
  let batchBytes = 0;
  /** Records and failures of the current batch already handed to the writer ahead of it (BackgroundWriter.append). */
  let appended = { records: 0, failures: 0 };
  const inFlight: Array<Promise<void>> = [];

  /**
   * Hands the page's records to the background writer ahead of their batch, when it takes them: held here until
   * the batch is full, every record would outlive several collections of the young heap, and moving them to the
   * old one cost a sync more than its store did.
   */
  function append(): void {
    if (!writer?.append || events.length + raws.length + failures.length === 0) return;
    writer.append({ ...identity, runId: run.runId, events, raws, failures, ...(markSeen ? { markSeen } : {}) });
    appended = { records: appended.records + events.length + raws.length, failures: appended.failures + failures.length };
    events = [];
    raws = [];
    failures = [];
  }

  /** Waits for batches handed to the background writer until at most `keep` are pending; throws the first failure. */
  async function settle(keep: number): Promise<void> {
    while (inFlight.length > keep) await inFlight.shift();
  }

  /** Writes what was read since the last batch; `more`: the read goes on (the write may then run behind it). */
  async function flush(more: boolean): Promise<void> {
    await settle(more ? MAX_BATCHES_IN_FLIGHT - 1 : 0);
    if (events.length === 0 && raws.length === 0 && failures.length === 0 && checkpoint === undefined && appended.records + appended.failures === 0) return;
    const batch = { ...identity, runId: run.runId, events, raws, failures, ...(checkpoint ? { state: checkpoint } : {}), ...(markSeen ? { markSeen } : {}) };
    events = [];
    raws = [];
    failures = [];
    checkpoint = undefined;
    batchBytes = 0;
    if (more) writer ??= run.destination.openBackgroundWriter?.();
    // What the completion needs, not the batch: its records are let go as soon as the writer has them.
    const reached = batch.state;
    const size = batch.events.length + batch.raws.length + appended.records;
    appended = { records: 0, failures: 0 };
    const applied = async (counts: WriteCounts) => {
      // A destination without its own state store: the checkpoint is stored after the records (at least once).
      if (reached && run.stateStore && run.stateStore !== run.destination.stateStore) await run.stateStore.setState(identity, reached);
      addCounts(result, counts);
      written += size;
      if (more) progress(false);
    };
    if (writer) {
      const committed = writer.write(batch).then(applied);
      // Awaited in order by settle(); a failure meanwhile is thrown there.
      committed.catch(() => undefined);
      inFlight.push(committed);
      if (!more) await settle(0);
    } else await applied(await run.destination.write(batch));
  }

  let complete = true;
  try {
    const messages = connector.read(stream, { withNative: true, ...(state ? { state } : {}), ...(run.limits ? { limits: run.limits } : {}), ...(run.signal ? { signal: run.signal } : {}) });
    for await (const message of messages) {
      if (message.type === 'record') {
        events.push(message.event);
        result.records += 1;
      } else if (message.type === 'raw') {
        raws.push({ remoteId: message.remoteId, record: message.record });
        result.records += 1;
      } else if (message.type === 'failure') {
        failures.push({ remoteId: message.remoteId, message: message.message, issues: message.issues, ...(message.native === undefined ? {} : { native: message.native }) });
        result.records += 1;
        result.failed += 1;
      } else if (message.type === 'page') {
        // Before the page's records: progress moves per page, not only per committed batch.
        if (result.pages > 0) progress(false);
        result.pages += 1;
        batchBytes += message.bytes;
      } else if (message.type === 'state') {
        checkpoint = message.state;
        const gathered = events.length + raws.length + failures.length + appended.records + appended.failures;
        if (gathered >= run.batchSize || batchBytes >= run.maxBatchBytes) await flush(true);
        else append();
      } else if (message.type === 'end') {
        if (message.reason !== 'exhausted') complete = false;
        for (const observation of message.observations) {
          const note = observationNote(observation);
          if (note) notes.add(note);
        }
      } else if (message.type === 'partitions-limited') {
        complete = false;
      }
    }
    await flush(false);
    if (markSeen && complete && !run.signal?.aborted) {
      const deleted = await (run.destination.tombstoneUnseen as NonNullable<Destination['tombstoneUnseen']>)(identity, run.runId, type ? result.canonicalType : undefined);
      result.deleted += deleted;
    }
  } catch (error) {
    // What was read before the error is kept, with the last checkpoint the engine reached before it.
    try {
      await flush(false);
    } catch {
      // The original error says more; the batch was rolled back and its checkpoint did not move.
    }
    // Batches refused after a failed one: their failure is the same.
    await Promise.allSettled(inFlight.splice(0));
    result.status = (error as Error).name === 'AbortError' || run.signal?.aborted ? 'cancelled' : 'failed';
    result.error = runError(error, connector);
  }
  await writer?.close();
  if (notes.size > 0) result.notes = [...notes];
  result.durationMs = Math.round(performance.now() - started);
  progress(true);
  return result;
}
