// The background writer's thread (see sqlite-writer.ts): its own connection to the store's file, committing the
// prepared batches it is sent, in order, each in one transaction; after a failure it commits nothing more. It loads
// the store's tables (sqlite-tables.ts) and not the store: the canonical types are the reading thread's.
import type { DatabaseSync } from 'node:sqlite';
import { parentPort, workerData } from 'node:worker_threads';
import { PullPushError } from '@pullpush/canonical/errors';
import { SyncErrorCode } from './errors.ts';
import type { PreparedBatch } from './sqlite-rows.ts';
import { cannotOpen, openSqliteFile } from './sqlite-file.ts';
import { SqliteTables } from './sqlite-tables.ts';
import type { WriterError, WriterReply } from './sqlite-writer.ts';

const port = parentPort as NonNullable<typeof parentPort>;

function described(error: unknown): WriterError {
  if (error instanceof PullPushError) return { code: error.code, message: error.message, ...(error.hint ? { hint: error.hint } : {}) };
  return { code: SyncErrorCode.Database, message: (error as Error).message ?? String(error) };
}

const { path } = workerData as { path: string };
let db: DatabaseSync | undefined;
let tables: SqliteTables | undefined;
/** Why nothing more is written: the file could not be opened, or a batch failed. */
let refusal: WriterError | undefined;
try {
  // The store opened the file first, and brought its layout up to date.
  db = openSqliteFile(path);
  tables = new SqliteTables(db, path);
} catch (error) {
  db?.close();
  db = undefined;
  refusal = described(cannotOpen(path, error));
}

/** One batch of the parts sent ahead of it (BackgroundWriter.append) and its last part, which has the checkpoint. */
function joinParts(parts: readonly PreparedBatch[], last: PreparedBatch): PreparedBatch {
  if (parts.length === 0) return last;
  const all = [...parts, last];
  return { ...last, rows: all.flatMap((part) => part.rows), raws: all.flatMap((part) => part.raws), failures: all.flatMap((part) => part.failures) };
}

/**
 * Parts of the next batch, sent ahead of it: kept here, and written with it in its one transaction, so that no
 * write lock is held while the sync reads (a delivery may want to write the same file meanwhile).
 */
let parts: PreparedBatch[] = [];

port.on('message', (message: { id: number; batch: PreparedBatch } | { part: PreparedBatch } | { close: true }) => {
  if ('close' in message) {
    db?.close();
    port.close();
    return;
  }
  if ('part' in message) {
    parts.push(message.part);
    return;
  }
  const batch = joinParts(parts, message.batch);
  parts = [];
  if (refusal || !tables) {
    port.postMessage({ id: message.id, error: refusal ?? { code: SyncErrorCode.Database, message: 'The store is not open.' } } satisfies WriterReply);
    return;
  }
  try {
    port.postMessage({ id: message.id, counts: tables.writePrepared(batch) } satisfies WriterReply);
  } catch (error) {
    const failure = described(error);
    port.postMessage({ id: message.id, error: failure } satisfies WriterReply);
    refusal = { code: failure.code, message: `Not written: an earlier batch of this run failed (${failure.message})`, hint: 'Nothing after the last committed batch was written; rerun the sync once the database is writable.' };
  }
});
