// What a sync writes to. A destination takes batches of canonical events with the stream checkpoint that covers
// them; one that is also a state store (SQLite, PostgreSQL) commits both in one transaction, which is what makes a crashed
// sync resumable without loss or duplicates.
import type { CanonicalEvent, Issue } from '@pullpush/canonical';
import type { StreamState } from '@pullpush/engine';

/** A record that failed mapping or validation: kept with its reason, never dropped. */
export interface FailedRecord {
  remoteId: string;
  message: string;
  issues: readonly Issue[];
  /** The native record as the API sent it. */
  native?: unknown;
}

/** Where a stream's records come from. */
export interface StreamIdentity {
  connector: string;
  connection: string;
  stream: string;
}

/** A native record of a raw stream (one without a canonical type), keyed by its primary key. */
export interface RawRecord {
  remoteId: string;
  record: unknown;
}

export interface Batch extends StreamIdentity {
  runId: string;
  events: ReadonlyArray<CanonicalEvent<Record<string, unknown>>>;
  /** Records of a raw stream. */
  raws?: readonly RawRecord[];
  failures: readonly FailedRecord[];
  /** The checkpoint reached once these records are written; stored with them where the destination can. */
  state?: StreamState;
  /** Note every record of the batch as seen by this run, unchanged ones too (the run may tombstone the others). */
  markSeen?: boolean;
}

/** What writing a batch did. Unchanged: the same version was already there (a rerun, an overlap). */
export interface WriteCounts {
  inserted: number;
  updated: number;
  unchanged: number;
  deleted: number;
}

export interface StoredState extends StreamIdentity {
  state: StreamState;
  updatedAt: string;
}

/** A value, or a promise of it: SQLite answers at once, PostgreSQL over the network. */
export type MaybePromise<T> = T | Promise<T>;

/** Stream checkpoints per connector, connection and stream. */
export interface StateStore {
  getState(identity: StreamIdentity): MaybePromise<StreamState | undefined>;
  setState(identity: StreamIdentity, state: StreamState): MaybePromise<void>;
  listStates(filter?: Partial<StreamIdentity>): MaybePromise<StoredState[]>;
  /** Forgets matching checkpoints (all when no filter): the next sync reads everything. Returns how many. */
  resetState(filter?: Partial<StreamIdentity>): MaybePromise<number>;
}

/**
 * Writes batches while the sync reads on (SQLite: on a thread of its own), in the order given; after a batch fails
 * it writes nothing more.
 */
export interface BackgroundWriter {
  /**
   * Hands over records of the batch being gathered, ahead of it and without a checkpoint: the next `write`
   * commits them in its transaction, with its own records and checkpoint, and counts them. A sync then holds a
   * page of records, not a whole batch, while it reads on. A part that cannot be written fails that `write`.
   */
  append?(part: Batch): void;
  write(batch: Batch): Promise<WriteCounts>;
  /** Waits for what was given, then stops the thread. */
  close(): Promise<void>;
}

export interface Destination {
  /** `sqlite:<path>`, `jsonl:<path>` or the PostgreSQL URL (password masked), for summaries and logs. */
  readonly description: string;
  /**
   * After a complete full read of a stream whose records were written with `markSeen`: marks the stream's stored
   * records this run did not see as deleted, and returns how many. Only a destination that keeps records has it.
   */
  tombstoneUnseen?(identity: StreamIdentity, runId: string, canonicalType: string | undefined): number | Promise<number>;
  /**
   * The state store this destination writes each batch's checkpoint into as part of `write` (SQLite: in the
   * same transaction), if it has one. Checkpoints for a destination without one go to the sync's own store.
   */
  readonly stateStore?: StateStore;
  write(batch: Batch): WriteCounts | Promise<WriteCounts>;
  /**
   * A writer taking batches while the sync reads on (SQLite commits them on a thread of its own; JSON Lines writes
   * each page as it comes); runSync opens one once a stream has more than one batch, and closes it at the end of
   * the stream.
   */
  openBackgroundWriter?(): BackgroundWriter | undefined;
  close(): void | Promise<void>;
}

export const ZERO_COUNTS: Readonly<WriteCounts> = Object.freeze({ inserted: 0, updated: 0, unchanged: 0, deleted: 0 });
