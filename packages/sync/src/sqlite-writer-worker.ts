// The background writer's thread (see sqlite-writer.ts): its own connection to the store's file, committing the
// prepared batches it is sent, in order, each in one transaction; after a failure it commits nothing more.
import { parentPort, workerData } from 'node:worker_threads';
import { PullPushError } from '@pullpush/canonical';
import { joinParts, type PreparedBatch } from './sqlite-rows.ts';
import { SqliteStore } from './sqlite-store.ts';
import type { WriterError, WriterReply } from './sqlite-writer.ts';

const port = parentPort as NonNullable<typeof parentPort>;

function described(error: unknown): WriterError {
  if (error instanceof PullPushError) return { code: error.code, message: error.message, ...(error.hint ? { hint: error.hint } : {}) };
  return { code: 'SYNC_DATABASE', message: (error as Error).message ?? String(error) };
}

let store: SqliteStore | undefined;
/** Why nothing more is written: the store could not be opened, or a batch failed. */
let refusal: WriterError | undefined;
try {
  store = new SqliteStore((workerData as { path: string }).path);
} catch (error) {
  refusal = described(error);
}

/**
 * Parts of the next batch, sent ahead of it: kept here, and written with it in its one transaction, so that no
 * write lock is held while the sync reads (a delivery may want to write the same file meanwhile).
 */
let parts: PreparedBatch[] = [];

port.on('message', (message: { id: number; batch: PreparedBatch } | { part: PreparedBatch } | { close: true }) => {
  if ('close' in message) {
    store?.close();
    port.close();
    return;
  }
  if ('part' in message) {
    parts.push(message.part);
    return;
  }
  const batch = joinParts(parts, message.batch);
  parts = [];
  if (refusal || !store) {
    port.postMessage({ id: message.id, error: refusal ?? { code: 'SYNC_DATABASE', message: 'The store is not open.' } } satisfies WriterReply);
    return;
  }
  try {
    port.postMessage({ id: message.id, counts: store.writePrepared(batch) } satisfies WriterReply);
  } catch (error) {
    const failure = described(error);
    port.postMessage({ id: message.id, error: failure } satisfies WriterReply);
    refusal = { code: failure.code, message: `Not written: an earlier batch of this run failed (${failure.message})`, hint: 'Nothing after the last committed batch was written; rerun the sync once the database is writable.' };
  }
});
