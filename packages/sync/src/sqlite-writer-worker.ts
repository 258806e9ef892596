// The background writer's thread (see sqlite-writer.ts): its own connection to the store's file, committing the
// prepared batches it is sent, in order, each in one transaction; after a failure it commits nothing more.
import { parentPort, workerData } from 'node:worker_threads';
import { PullPushError } from '@pullpush/canonical';
import type { PreparedBatch } from './sqlite-rows.ts';
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

port.on('message', (message: { id: number; batch: PreparedBatch } | { close: true }) => {
  if ('close' in message) {
    store?.close();
    port.close();
    return;
  }
  if (refusal || !store) {
    port.postMessage({ id: message.id, error: refusal ?? { code: 'SYNC_DATABASE', message: 'The store is not open.' } } satisfies WriterReply);
    return;
  }
  try {
    port.postMessage({ id: message.id, counts: store.writePrepared(message.batch) } satisfies WriterReply);
  } catch (error) {
    const failure = described(error);
    port.postMessage({ id: message.id, error: failure } satisfies WriterReply);
    refusal = { code: failure.code, message: `Not written: an earlier batch of this run failed (${failure.message})`, hint: 'Nothing after the last committed batch was written; rerun the sync once the database is writable.' };
  }
});
