// A batch as SQLite rows: every record serialized on the thread that read it, so a batch can be committed by
// the store itself or by the background writer's thread, to which it travels as plain strings.
import { canonicalDataJson, PullPushError } from '@pullpush/canonical';
import type { Batch, StreamIdentity } from './destination.ts';
import { SyncErrorCode } from './errors.ts';

/** A canonical record as its row stores it: serialized where the batch was made. */
export interface PreparedRow {
  canonicalType: string;
  canonicalVersion: number;
  key: string;
  data: string;
  remoteId: string;
  updatedAt: string | null;
  deleted: 0 | 1;
  eventId: string;
}

/**
 * A batch in the form its rows take: plain strings and numbers, so the SQLite store can commit it or hand it to
 * another thread (the background writer) with nothing left to serialize there.
 */
export interface PreparedBatch extends StreamIdentity {
  runId: string;
  syncedAt: string;
  markSeen: boolean;
  rows: PreparedRow[];
  raws: Array<{ remoteId: string; data: string }>;
  failures: Array<{ remoteId: string; message: string; issues: string; native: string | null }>;
  state?: string;
  /** The flow whose outbox receives the batch's new, changed and deleted records, in the same transaction. */
  outbox?: string;
}

/**
 * The rows of a batch, stamped with the time they are synced at. A value JSON cannot hold (a BigInt, a cycle)
 * refuses the whole batch, as a failed transaction would: `path` names the file in the error.
 */
export function prepareBatch(batch: Batch, syncedAt: string, path: string): PreparedBatch {
  try {
    return rowsOf(batch, syncedAt);
  } catch (error) {
    throw new PullPushError(SyncErrorCode.Database, `Writing ${batch.events.length + (batch.raws?.length ?? 0)} records of stream ${batch.stream} to ${path} failed: ${(error as Error).message}`, {
      hint: 'Nothing of this batch was written and its checkpoint did not move; a record holds a value JSON cannot store.',
    });
  }
}

function rowsOf(batch: Batch, syncedAt: string): PreparedBatch {
  return {
    connector: batch.connector,
    connection: batch.connection,
    stream: batch.stream,
    runId: batch.runId,
    syncedAt,
    markSeen: batch.markSeen === true,
    rows: batch.events.map((event) => {
      const record = event.data;
      return {
        canonicalType: event.canonicaltype,
        canonicalVersion: event.canonicalversion,
        key: event.subject,
        // The canonical text its event was made from (no second serialization), with `raw` where it was kept.
        data: canonicalDataJson(event),
        remoteId: String((record['remote'] as { id?: unknown } | undefined)?.id ?? ''),
        updatedAt: typeof record['updatedAt'] === 'string' ? record['updatedAt'] : null,
        deleted: record['deleted'] === true ? 1 : 0,
        eventId: event.id,
      };
    }),
    raws: (batch.raws ?? []).map((raw) => ({ remoteId: raw.remoteId, data: JSON.stringify(raw.record) })),
    failures: batch.failures.map((failure) => ({
      remoteId: failure.remoteId,
      message: failure.message,
      issues: JSON.stringify(failure.issues),
      native: failure.native === undefined ? null : JSON.stringify(failure.native),
    })),
    ...(batch.state ? { state: JSON.stringify(batch.state) } : {}),
  };
}
