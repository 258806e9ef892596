// The transactional outbox of a flow that delivers to a connector: the records a sync stored as new, changed or
// deleted (put there in the same transaction as their checkpoint), the map of canonical keys to the destination's
// remote ids, the dead-letter queue, the circuit breaker's state and the flow's run log. An outbox row is pending
// until it is delivered, superseded by a newer version of its key, or dead (in the DLQ). `FlowOutbox` is what
// delivery and the flow commands need of it; `Outbox` keeps it in the flow's SQLite file, `PostgresOutbox`
// (postgres-outbox.ts) in a PostgreSQL schema.
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { PullPushError } from '@pullpush/canonical';
import type { MaybePromise } from './destination.ts';
import { SyncErrorCode } from './errors.ts';
import { openSqliteFile } from './sqlite-file.ts';

export const OUTBOX_TABLES = `
CREATE TABLE IF NOT EXISTS pullpush_outbox (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  flow TEXT NOT NULL, key TEXT NOT NULL, canonical_type TEXT NOT NULL, event_id TEXT NOT NULL,
  deleted INTEGER NOT NULL, data TEXT NOT NULL, enqueued_at TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'superseded', 'dead')),
  attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at INTEGER NOT NULL DEFAULT 0, in_doubt INTEGER NOT NULL DEFAULT 0,
  history TEXT NOT NULL DEFAULT '[]', finished_at TEXT
) STRICT;
CREATE INDEX IF NOT EXISTS pullpush_outbox_pending ON pullpush_outbox (flow, status, key, seq);
CREATE TABLE IF NOT EXISTS pullpush_id_map (
  flow TEXT NOT NULL, key TEXT NOT NULL, remote_id TEXT NOT NULL, updated_at TEXT NOT NULL,
  PRIMARY KEY (flow, key)
) STRICT;
CREATE TABLE IF NOT EXISTS pullpush_dlq (
  id INTEGER PRIMARY KEY AUTOINCREMENT, flow TEXT NOT NULL, seq INTEGER NOT NULL, key TEXT NOT NULL,
  canonical_type TEXT NOT NULL, event_id TEXT NOT NULL, operation TEXT NOT NULL, payload TEXT NOT NULL,
  status INTEGER, code TEXT NOT NULL, message TEXT NOT NULL, signature TEXT NOT NULL, hint TEXT,
  attempts TEXT NOT NULL, created_at TEXT NOT NULL, discarded_at TEXT, discard_reason TEXT
) STRICT;
CREATE INDEX IF NOT EXISTS pullpush_dlq_flow ON pullpush_dlq (flow, discarded_at, signature);
CREATE TABLE IF NOT EXISTS pullpush_breakers (flow TEXT PRIMARY KEY, state TEXT NOT NULL, updated_at TEXT NOT NULL) STRICT;
CREATE TABLE IF NOT EXISTS pullpush_flow_runs (
  id INTEGER PRIMARY KEY AUTOINCREMENT, flow TEXT NOT NULL, kind TEXT NOT NULL CHECK (kind IN ('run', 'reconcile', 'shadow')),
  status TEXT NOT NULL, started_at TEXT NOT NULL, finished_at TEXT NOT NULL, summary TEXT NOT NULL
) STRICT;
`;

/** One attempt to deliver an outbox row. */
export interface AttemptRecord {
  at: string;
  operation: string;
  outcome: 'delivered' | 'retry' | 'dead';
  code?: string;
  status?: number;
  message?: string;
}

export interface OutboxRow {
  seq: number;
  key: string;
  canonicalType: string;
  eventId: string;
  deleted: boolean;
  data: string;
  attempts: number;
  /** A write of it may have reached the destination without the outcome being recorded (the process stopped). */
  inDoubt: boolean;
  history: AttemptRecord[];
}

export interface DeadLetter {
  id: number;
  flow: string;
  seq: number;
  key: string;
  canonicalType: string;
  eventId: string;
  operation: string;
  /** The canonical record, secrets redacted. */
  payload: unknown;
  /** The destination's answer status, when it answered. */
  status: number | null;
  code: string;
  message: string;
  /** What groups entries of one cause: operation, status, code and the message without ids and numbers. */
  signature: string;
  hint: string | null;
  attempts: AttemptRecord[];
  createdAt: string;
  discardedAt: string | null;
  discardReason: string | null;
}

export interface DeadLetterCluster {
  signature: string;
  count: number;
  operation: string;
  status: number | null;
  code: string;
  /** One message of the cluster, as an example. */
  message: string;
  hint: string | null;
  ids: number[];
}

/** One run of a flow, as its run log keeps it: what kind, how it ended, and its counts. */
export interface FlowRunRecord {
  id: number;
  kind: 'run' | 'reconcile' | 'shadow';
  /** succeeded; partial: some records wait, failed or went to the dead-letter queue; failed: the run stopped. */
  status: 'succeeded' | 'partial' | 'failed';
  startedAt: string;
  finishedAt: string;
  /** The counts of the run (read, delivered, dead-lettered, would create…), or the error that stopped it. */
  summary: Record<string, unknown>;
}

export interface OutboxCounts {
  pending: number;
  delivered: number;
  superseded: number;
  dead: number;
}

/** A row taken for delivery: superseded, how many older versions it replaced; remoteId, what the id map knows. */
export interface TakenRow {
  row: OutboxRow;
  superseded: number;
  remoteId: string | undefined;
}

/** A dead letter's fields beyond the row it comes from, as delivery writes them. */
export interface NewDeadLetter {
  operation: string;
  payload: string;
  status: number | null;
  code: string;
  message: string;
  signature: string;
  hint: string | null;
}

/** What delivery, the flow commands and the DLQ commands need of a flow's outbox, wherever it is kept. */
export interface FlowOutbox {
  readonly flow: string;
  /** Where it is kept (a file path, or the server's URL without its password). */
  readonly location: string;
  /** Keys with a pending row due by `nowMs`, oldest first: at most `limit`, none of `busy`. */
  dueKeys(nowMs: number, limit: number, busy: ReadonlySet<string>): MaybePromise<string[]>;
  /** When the next pending row comes due (ms since the epoch), or undefined when nothing is pending. */
  nextDue(): MaybePromise<number | undefined>;
  /**
   * The newest pending row of a key, the older pending ones marked superseded (latest state wins), in one
   * transaction that also marks it in doubt until its outcome is recorded (`row.inDoubt` says whether it was
   * before), with the key's remote id.
   */
  takeLatest(key: string, at: string): MaybePromise<TakenRow | undefined>;
  /** Gives back a row taken and not attempted (the circuit breaker refused): its doubt as before the take. */
  untake(row: OutboxRow): MaybePromise<void>;
  /** Puts a record in the outbox (a reconcile's deltas; a sync's go in with their checkpoint, through the store). */
  enqueue(entry: { key: string; canonicalType: string; eventId: string; deleted: boolean; data: string }, at: string): MaybePromise<void>;
  remoteId(key: string): MaybePromise<string | undefined>;
  /** Marks a row delivered and records the key's remote id (or forgets it after a delete), in one transaction. */
  delivered(row: OutboxRow, attempt: AttemptRecord, remoteId: string | null): MaybePromise<void>;
  /** Records the remote id a lookup found, before anything is written. */
  rememberRemoteId(key: string, remoteId: string, at: string): MaybePromise<void>;
  forgetRemoteId(key: string): MaybePromise<void>;
  /** Schedules another attempt of a row. */
  retryLater(row: OutboxRow, attempt: AttemptRecord, dueMs: number): MaybePromise<void>;
  /** Moves a row to the dead-letter queue, in one transaction. */
  deadLetter(row: OutboxRow, attempt: AttemptRecord, letter: NewDeadLetter): MaybePromise<void>;
  counts(): MaybePromise<OutboxCounts>;
  /** Dead letters not discarded (unless asked), oldest first. */
  deadLetters(options?: { ids?: readonly number[]; signature?: string; includeDiscarded?: boolean }): MaybePromise<DeadLetter[]>;
  /** Open dead letters grouped by cause, the largest group first. */
  clusters(): MaybePromise<DeadLetterCluster[]>;
  /** Puts dead letters back in the outbox with fresh counters, due now; returns how many. */
  retryDeadLetters(letters: readonly DeadLetter[]): MaybePromise<number>;
  /** Marks dead letters discarded with a reason (kept, for the record); returns how many. */
  discardDeadLetters(letters: readonly DeadLetter[], reason: string, at: string): MaybePromise<number>;
  /** Rows whose write may have reached the destination without its outcome being recorded. */
  inDoubtCount(): MaybePromise<number>;
  /** Keys with a known remote id. */
  remoteIdCount(): MaybePromise<number>;
  /** Dead letters waiting, and those discarded. */
  deadLetterCounts(): MaybePromise<{ open: number; discarded: number }>;
  recordRun(run: Omit<FlowRunRecord, 'id'>): MaybePromise<void>;
  /** The newest runs first. */
  runs(limit: number): MaybePromise<FlowRunRecord[]>;
  /** The saved breaker state with when it was saved. */
  breakerRecord(): MaybePromise<{ state: unknown; updatedAt: string } | undefined>;
  saveBreakerState(state: unknown, at: string): MaybePromise<void>;
  close(): MaybePromise<void>;
}

/** Dead letters grouped by their signature, the largest group first. */
export function clustersOf(letters: readonly DeadLetter[]): DeadLetterCluster[] {
  const groups = new Map<string, DeadLetterCluster>();
  for (const letter of letters) {
    const group = groups.get(letter.signature);
    if (group) {
      group.count += 1;
      group.ids.push(letter.id);
    } else {
      groups.set(letter.signature, { signature: letter.signature, count: 1, operation: letter.operation, status: letter.status, code: letter.code, message: letter.message, hint: letter.hint, ids: [letter.id] });
    }
  }
  return [...groups.values()].sort((a, b) => b.count - a.count);
}

/** Whether a dead letter is among those asked for. */
export function letterMatches(letter: DeadLetter, options: { ids?: readonly number[]; signature?: string; includeDiscarded?: boolean }): boolean {
  return (options.includeDiscarded === true || letter.discardedAt === null) && (options.ids === undefined || options.ids.includes(letter.id)) && (options.signature === undefined || letter.signature === options.signature);
}

/** A JSON column: text in SQLite, already parsed from JSONB by PostgreSQL. */
function json<T>(value: unknown): T {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}

/** A timestamp column: ISO text in SQLite, a Date from PostgreSQL. */
export function isoOf(value: unknown): string {
  return value instanceof Date ? value.toISOString() : String(value);
}

/** An outbox row as either store returns it (SQLite's 0/1 and JSON text, PostgreSQL's booleans and JSONB). */
export function outboxRowOf(row: Record<string, unknown>): OutboxRow {
  return {
    seq: Number(row['seq']),
    key: String(row['key']),
    canonicalType: String(row['canonical_type']),
    eventId: String(row['event_id']),
    deleted: row['deleted'] === 1 || row['deleted'] === true,
    data: String(row['data']),
    attempts: Number(row['attempts']),
    inDoubt: row['in_doubt'] === 1 || row['in_doubt'] === true,
    history: json<AttemptRecord[]>(row['history']),
  };
}

/** A dead letter as either store returns it. */
export function deadLetterOf(row: Record<string, unknown>): DeadLetter {
  return {
    id: Number(row['id']),
    flow: String(row['flow']),
    seq: Number(row['seq']),
    key: String(row['key']),
    canonicalType: String(row['canonical_type']),
    eventId: String(row['event_id']),
    operation: String(row['operation']),
    payload: JSON.parse(String(row['payload'])) as unknown,
    status: row['status'] === null ? null : Number(row['status']),
    code: String(row['code']),
    message: String(row['message']),
    signature: String(row['signature']),
    hint: (row['hint'] as string | null) ?? null,
    attempts: json<AttemptRecord[]>(row['attempts']),
    createdAt: isoOf(row['created_at']),
    discardedAt: row['discarded_at'] === null || row['discarded_at'] === undefined ? null : isoOf(row['discarded_at']),
    discardReason: (row['discard_reason'] as string | null) ?? null,
  };
}

/** A run of the flow's run log as either store returns it. */
export function flowRunOf(row: Record<string, unknown>): FlowRunRecord {
  return {
    id: Number(row['id']),
    kind: row['kind'] as FlowRunRecord['kind'],
    status: row['status'] as FlowRunRecord['status'],
    startedAt: isoOf(row['started_at']),
    finishedAt: isoOf(row['finished_at']),
    summary: json<Record<string, unknown>>(row['summary']),
  };
}

/** A flow's outbox, id map, dead letters and breaker state, on its own connection to the flow's SQLite file. */
export class Outbox implements FlowOutbox {
  readonly flow: string;
  readonly path: string;
  readonly location: string;
  readonly #db: DatabaseSync;
  readonly #statements = new Map<string, StatementSync>();

  constructor(path: string, flow: string) {
    this.flow = flow;
    this.path = path;
    this.location = path;
    try {
      this.#db = openSqliteFile(path);
      this.#db.exec(OUTBOX_TABLES);
    } catch (error) {
      throw new PullPushError(SyncErrorCode.Database, `Cannot open the flow's SQLite file ${path}: ${(error as Error).message}`, { hint: 'Check that the file is writable and is a SQLite database.' });
    }
  }

  /** A statement, prepared the first time it is used: delivery runs the same few for every record. */
  #sql(sql: string): StatementSync {
    let statement = this.#statements.get(sql);
    if (!statement) {
      statement = this.#db.prepare(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }

  /** Keys with a pending row due by `nowMs`, oldest first: at most `limit`, none of `busy`. */
  dueKeys(nowMs: number, limit: number, busy: ReadonlySet<string>): string[] {
    const rows = this.#sql("SELECT key, max(next_attempt_at) AS due, min(seq) AS first FROM pullpush_outbox WHERE flow = ? AND status = 'pending' GROUP BY key HAVING due <= ? ORDER BY first LIMIT ?")
      .all(this.flow, nowMs, limit + busy.size) as Array<{ key: string }>;
    return rows.map((row) => row.key).filter((key) => !busy.has(key)).slice(0, limit);
  }

  /** When the next pending row comes due (ms since the epoch), or undefined when nothing is pending. */
  nextDue(): number | undefined {
    const row = this.#sql("SELECT min(due) AS next FROM (SELECT max(next_attempt_at) AS due FROM pullpush_outbox WHERE flow = ? AND status = 'pending' GROUP BY key)").get(this.flow) as { next: number | null };
    return row.next === null ? undefined : Number(row.next);
  }

  /**
   * The newest pending row of a key, the older pending ones marked superseded (latest state wins); the number
   * superseded comes with it.
   */
  takeLatest(key: string, at: string): TakenRow | undefined {
    this.#db.exec('BEGIN IMMEDIATE');
    try {
      const rows = (this.#sql("SELECT * FROM pullpush_outbox WHERE flow = ? AND key = ? AND status = 'pending' ORDER BY seq").all(this.flow, key) as Array<Record<string, unknown>>).map(outboxRowOf);
      const latest = rows.at(-1);
      if (!latest) {
        this.#db.exec('COMMIT');
        return undefined;
      }
      const older = rows.slice(0, -1);
      // The newest carries the attempts of the ones it replaces: a key's failures count once, not per version.
      const attempts = Math.max(latest.attempts, ...older.map((row) => row.attempts));
      // An older version's write that may have reached the destination leaves the key in doubt.
      const inDoubt = latest.inDoubt || older.some((row) => row.inDoubt);
      if (older.length > 0) this.#sql("UPDATE pullpush_outbox SET status = 'superseded', finished_at = ? WHERE flow = ? AND key = ? AND status = 'pending' AND seq < ?").run(at, this.flow, key, latest.seq);
      this.#sql('UPDATE pullpush_outbox SET attempts = ?, in_doubt = 1 WHERE seq = ?').run(attempts, latest.seq);
      const remoteId = this.remoteId(key);
      this.#db.exec('COMMIT');
      return { row: { ...latest, attempts, inDoubt }, superseded: older.length, remoteId };
    } catch (error) {
      this.#db.exec('ROLLBACK');
      throw error;
    }
  }

  /** Puts a record in the outbox (a reconcile's deltas; a sync's go in with their checkpoint, through SqliteStore). */
  enqueue(entry: { key: string; canonicalType: string; eventId: string; deleted: boolean; data: string }, at: string): void {
    this.#sql('INSERT INTO pullpush_outbox (flow, key, canonical_type, event_id, deleted, data, enqueued_at) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
      this.flow,
      entry.key,
      entry.canonicalType,
      entry.eventId,
      entry.deleted ? 1 : 0,
      entry.data,
      at,
    );
  }

  untake(row: OutboxRow): void {
    this.#sql('UPDATE pullpush_outbox SET in_doubt = ? WHERE seq = ?').run(row.inDoubt ? 1 : 0, row.seq);
  }

  remoteId(key: string): string | undefined {
    const row = this.#sql('SELECT remote_id FROM pullpush_id_map WHERE flow = ? AND key = ?').get(this.flow, key) as { remote_id: string } | undefined;
    return row?.remote_id;
  }

  /** Marks a row delivered and records the key's remote id (or forgets it after a delete), in one transaction. */
  delivered(row: OutboxRow, attempt: AttemptRecord, remoteId: string | null): void {
    this.#db.exec('BEGIN IMMEDIATE');
    try {
      this.#sql("UPDATE pullpush_outbox SET status = 'delivered', attempts = attempts + 1, in_doubt = 0, history = ?, finished_at = ? WHERE seq = ?")
        .run(JSON.stringify([...row.history, attempt]), attempt.at, row.seq);
      if (row.deleted || remoteId === null) this.#sql('DELETE FROM pullpush_id_map WHERE flow = ? AND key = ?').run(this.flow, row.key);
      else {
        this.#sql('INSERT INTO pullpush_id_map (flow, key, remote_id, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT (flow, key) DO UPDATE SET remote_id = excluded.remote_id, updated_at = excluded.updated_at')
          .run(this.flow, row.key, remoteId, attempt.at);
      }
      this.#db.exec('COMMIT');
    } catch (error) {
      this.#db.exec('ROLLBACK');
      throw error;
    }
  }

  /** Records the remote id a lookup found, before anything is written. */
  rememberRemoteId(key: string, remoteId: string, at: string): void {
    this.#sql('INSERT INTO pullpush_id_map (flow, key, remote_id, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT (flow, key) DO UPDATE SET remote_id = excluded.remote_id, updated_at = excluded.updated_at')
      .run(this.flow, key, remoteId, at);
  }

  forgetRemoteId(key: string): void {
    this.#sql('DELETE FROM pullpush_id_map WHERE flow = ? AND key = ?').run(this.flow, key);
  }

  /** Schedules another attempt of a row. */
  retryLater(row: OutboxRow, attempt: AttemptRecord, dueMs: number): void {
    this.#sql('UPDATE pullpush_outbox SET attempts = attempts + 1, in_doubt = 0, next_attempt_at = ?, history = ? WHERE seq = ?').run(dueMs, JSON.stringify([...row.history, attempt]), row.seq);
  }

  /** Moves a row to the dead-letter queue, in one transaction. */
  deadLetter(row: OutboxRow, attempt: AttemptRecord, letter: NewDeadLetter): void {
    const history = JSON.stringify([...row.history, attempt]);
    this.#db.exec('BEGIN IMMEDIATE');
    try {
      this.#sql("UPDATE pullpush_outbox SET status = 'dead', attempts = attempts + 1, in_doubt = 0, history = ?, finished_at = ? WHERE seq = ?").run(history, attempt.at, row.seq);
      this.#sql('INSERT INTO pullpush_dlq (flow, seq, key, canonical_type, event_id, operation, payload, status, code, message, signature, hint, attempts, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
        .run(this.flow, row.seq, row.key, row.canonicalType, row.eventId, letter.operation, letter.payload, letter.status, letter.code, letter.message, letter.signature, letter.hint, history, attempt.at);
      this.#db.exec('COMMIT');
    } catch (error) {
      this.#db.exec('ROLLBACK');
      throw error;
    }
  }

  counts(): OutboxCounts {
    const rows = this.#sql('SELECT status, count(*) AS n FROM pullpush_outbox WHERE flow = ? GROUP BY status').all(this.flow) as Array<{ status: keyof OutboxCounts; n: number }>;
    const counts: OutboxCounts = { pending: 0, delivered: 0, superseded: 0, dead: 0 };
    for (const row of rows) counts[row.status] = Number(row.n);
    return counts;
  }

  /** Dead letters not discarded, oldest first. */
  deadLetters(options: { ids?: readonly number[]; signature?: string; includeDiscarded?: boolean } = {}): DeadLetter[] {
    const rows = this.#sql('SELECT * FROM pullpush_dlq WHERE flow = ? ORDER BY id').all(this.flow) as Array<Record<string, unknown>>;
    return rows.map(deadLetterOf).filter((letter) => letterMatches(letter, options));
  }

  clusters(): DeadLetterCluster[] {
    return clustersOf(this.deadLetters());
  }

  /**
   * Puts dead letters back in the outbox with fresh counters (their rows pending again, due now), and removes them
   * from the queue; returns how many. A key with a newer pending version is not resurrected: the newer one wins.
   */
  retryDeadLetters(letters: readonly DeadLetter[]): number {
    this.#db.exec('BEGIN IMMEDIATE');
    try {
      for (const letter of letters) {
        this.#sql("UPDATE pullpush_outbox SET status = 'pending', attempts = 0, next_attempt_at = 0, finished_at = NULL WHERE seq = ? AND status = 'dead'").run(letter.seq);
        this.#sql('DELETE FROM pullpush_dlq WHERE id = ?').run(letter.id);
      }
      this.#db.exec('COMMIT');
    } catch (error) {
      this.#db.exec('ROLLBACK');
      throw error;
    }
    return letters.length;
  }

  /** Marks dead letters discarded with a reason (kept, for the record); returns how many. */
  discardDeadLetters(letters: readonly DeadLetter[], reason: string, at: string): number {
    const discard = this.#sql('UPDATE pullpush_dlq SET discarded_at = ?, discard_reason = ? WHERE id = ? AND discarded_at IS NULL');
    let count = 0;
    for (const letter of letters) count += Number(discard.run(at, reason, letter.id).changes);
    return count;
  }

  /** Rows whose write may have reached the destination without its outcome being recorded. */
  inDoubtCount(): number {
    return Number((this.#sql("SELECT count(*) AS n FROM pullpush_outbox WHERE flow = ? AND status = 'pending' AND in_doubt = 1").get(this.flow) as { n: number }).n);
  }

  /** Keys with a known remote id. */
  remoteIdCount(): number {
    return Number((this.#sql('SELECT count(*) AS n FROM pullpush_id_map WHERE flow = ?').get(this.flow) as { n: number }).n);
  }

  /** Dead letters waiting, and those discarded. */
  deadLetterCounts(): { open: number; discarded: number } {
    const row = this.#sql('SELECT count(*) - count(discarded_at) AS open, count(discarded_at) AS discarded FROM pullpush_dlq WHERE flow = ?').get(this.flow) as { open: number; discarded: number };
    return { open: Number(row.open), discarded: Number(row.discarded) };
  }

  recordRun(run: Omit<FlowRunRecord, 'id'>): void {
    this.#sql('INSERT INTO pullpush_flow_runs (flow, kind, status, started_at, finished_at, summary) VALUES (?, ?, ?, ?, ?, ?)').run(
      this.flow,
      run.kind,
      run.status,
      run.startedAt,
      run.finishedAt,
      JSON.stringify(run.summary),
    );
  }

  /** The newest runs first. */
  runs(limit: number): FlowRunRecord[] {
    const rows = this.#sql('SELECT * FROM pullpush_flow_runs WHERE flow = ? ORDER BY id DESC LIMIT ?').all(this.flow, limit) as Array<Record<string, unknown>>;
    return rows.map(flowRunOf);
  }

  /** The saved breaker state with when it was saved. */
  breakerRecord(): { state: unknown; updatedAt: string } | undefined {
    const row = this.#sql('SELECT state, updated_at FROM pullpush_breakers WHERE flow = ?').get(this.flow) as { state: string; updated_at: string } | undefined;
    return row ? { state: JSON.parse(row.state) as unknown, updatedAt: row.updated_at } : undefined;
  }

  saveBreakerState(state: unknown, at: string): void {
    this.#sql('INSERT INTO pullpush_breakers (flow, state, updated_at) VALUES (?, ?, ?) ON CONFLICT (flow) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at')
      .run(this.flow, JSON.stringify(state), at);
  }

  close(): void {
    this.#db.close();
  }
}
