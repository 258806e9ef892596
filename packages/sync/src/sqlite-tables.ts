// A SQLite store's record tables, and the one transaction a prepared batch is written in with its checkpoint. The
// store uses it on the reading thread; the background writer's thread loads this module and not the store, so that
// a thread started for each stream of a sync does not load the canonical types again (about 85 ms of CPU).
import { createHash } from 'node:crypto';
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { PullPushError } from '@pullpush/canonical/errors';
import type { WriteCounts } from './destination.ts';
import { SyncErrorCode } from './errors.ts';
import type { PreparedBatch } from './sqlite-rows.ts';
import { instant } from './store-queries.ts';

/** Stores a stream's checkpoint (connector, connection, stream, state JSON, time). */
export const UPSERT_STATE =
  'INSERT INTO pullpush_state (connector, connection, stream, state, updated_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (connector, connection, stream) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at';

/** `commerce.order` → `commerce_order`: canonical type names are lower-case words joined by dots and hyphens. */
export function tableNameOf(canonicalType: string): string {
  return canonicalType.replaceAll(/[.-]/g, '_');
}

/** `testkit-redmine` / `projects` → `raw_testkit_redmine__projects`: a raw stream's native records. */
export function rawTableNameOf(connector: string, stream: string): string {
  return `raw_${connector.replaceAll(/[^a-z0-9_]/g, '_')}__${stream}`;
}

// Indexed by key (the primary key) and by source, as in PostgreSQL. No query of the store reads updated_at, and
// an index on it cost about 15 % of each insert: files made before keep theirs, new tables have none.
function recordTable(table: string): string {
  return `
CREATE TABLE IF NOT EXISTS "${table}" (
  key TEXT PRIMARY KEY,
  canonical_version INTEGER NOT NULL,
  data TEXT NOT NULL,
  connector TEXT NOT NULL, connection TEXT NOT NULL, stream TEXT NOT NULL, remote_id TEXT NOT NULL,
  updated_at TEXT,
  deleted INTEGER NOT NULL DEFAULT 0,
  event_id TEXT NOT NULL,
  synced_at TEXT NOT NULL,
  seen_run TEXT
) STRICT;
CREATE INDEX IF NOT EXISTS "${table}_source" ON "${table}" (connector, connection, stream, remote_id);`;
}

/** A raw stream's table: the native record as the API sent it, keyed by connection and primary key. */
function rawTable(table: string): string {
  return `
CREATE TABLE IF NOT EXISTS "${table}" (
  connection TEXT NOT NULL, remote_id TEXT NOT NULL,
  data TEXT NOT NULL,
  digest TEXT NOT NULL,
  deleted INTEGER NOT NULL DEFAULT 0,
  synced_at TEXT NOT NULL,
  seen_run TEXT,
  PRIMARY KEY (connection, remote_id)
) STRICT;`;
}

export interface TableStatements {
  find: StatementSync;
  insert: StatementSync;
  update: StatementSync;
  /** Notes a record as seen by a run without changing it. */
  seen: StatementSync;
}

export interface RawStatements {
  find: StatementSync;
  upsert: StatementSync;
  seen: StatementSync;
}

export class SqliteTables {
  readonly #db: DatabaseSync;
  /** The file, in errors. */
  readonly #path: string;
  readonly #tables = new Map<string, TableStatements>();
  readonly #raws = new Map<string, RawStatements>();
  readonly #insertFailure: StatementSync;
  readonly #upsertState: StatementSync;
  readonly #enqueue: StatementSync;

  /** `db`: a connection to a store's file, whose layout is up to date (the store's constructor sees to it). */
  constructor(db: DatabaseSync, path: string) {
    this.#db = db;
    this.#path = path;
    // Prepared once: every batch uses them.
    this.#insertFailure = db.prepare(
      'INSERT INTO pullpush_failed_records (run_id, connector, connection, stream, remote_id, message, issues, native, failed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.#enqueue = db.prepare('INSERT INTO pullpush_outbox (flow, key, canonical_type, event_id, deleted, data, enqueued_at) VALUES (?, ?, ?, ?, ?, ?, ?)');
    this.#upsertState = db.prepare(UPSERT_STATE);
  }

  /** The statements of a canonical type's table, which is created the first time. */
  statements(canonicalType: string): TableStatements {
    let statements = this.#tables.get(canonicalType);
    if (!statements) {
      const table = tableNameOf(canonicalType);
      this.#db.exec(recordTable(table));
      const columns = 'canonical_version, data, connector, connection, stream, remote_id, updated_at, deleted, event_id, synced_at, seen_run';
      statements = {
        find: this.#db.prepare(`SELECT event_id, deleted, updated_at FROM "${table}" WHERE key = ?`),
        insert: this.#db.prepare(`INSERT INTO "${table}" (key, ${columns}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO NOTHING`),
        update: this.#db.prepare(`UPDATE "${table}" SET (${columns}) = (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) WHERE key = ?`),
        seen: this.#db.prepare(`UPDATE "${table}" SET seen_run = ? WHERE key = ?`),
      };
      this.#tables.set(canonicalType, statements);
    }
    return statements;
  }

  /** The statements of a raw stream's table, which is created the first time. */
  rawStatements(connector: string, stream: string): RawStatements {
    const table = rawTableNameOf(connector, stream);
    let statements = this.#raws.get(table);
    if (!statements) {
      this.#db.exec(rawTable(table));
      statements = {
        find: this.#db.prepare(`SELECT digest, deleted FROM "${table}" WHERE connection = ? AND remote_id = ?`),
        upsert: this.#db.prepare(
          `INSERT INTO "${table}" (connection, remote_id, data, digest, deleted, synced_at, seen_run) VALUES (?, ?, ?, ?, 0, ?, ?) ON CONFLICT (connection, remote_id) DO UPDATE SET data = excluded.data, digest = excluded.digest, deleted = 0, synced_at = excluded.synced_at, seen_run = excluded.seen_run`,
        ),
        seen: this.#db.prepare(`UPDATE "${table}" SET seen_run = ? WHERE connection = ? AND remote_id = ?`),
      };
      this.#raws.set(table, statements);
    }
    return statements;
  }

  /** A prepared batch (see `prepareBatch`) in one transaction, with its checkpoint. */
  writePrepared(batch: PreparedBatch): WriteCounts {
    const counts: WriteCounts = { inserted: 0, updated: 0, unchanged: 0, deleted: 0 };
    const { syncedAt } = batch;
    this.#db.exec('BEGIN IMMEDIATE');
    try {
      for (const row of batch.rows) {
        const statements = this.statements(row.canonicalType);
        const { key, deleted } = row;
        const values = [row.canonicalVersion, row.data, batch.connector, batch.connection, batch.stream, row.remoteId, row.updatedAt, deleted, row.eventId, syncedAt, batch.runId] as const;
        // A new key is inserted at once (most rows of a first sync are new); a taken one costs that insert what
        // looking it up first would have cost, and is then compared with what is stored.
        const inserted = Number(statements.insert.run(key, ...values).changes) > 0;
        const existing = inserted ? undefined : (statements.find.get(key) as { event_id: string; deleted: number; updated_at: string | null });
        if (existing) {
          // An older version than the stored one (an out-of-order or replayed read) never overwrites a newer one.
          const stored = instant(existing.updated_at);
          const incoming = instant(row.updatedAt);
          if ((existing.event_id === row.eventId && existing.deleted === deleted) || (stored !== undefined && incoming !== undefined && incoming < stored)) {
            if (batch.markSeen) statements.seen.run(batch.runId, key);
            counts.unchanged += 1;
            continue;
          }
          statements.update.run(...values, key);
        }
        if (batch.outbox !== undefined) this.#enqueue.run(batch.outbox, key, `${row.canonicalType}@${row.canonicalVersion}`, row.eventId, deleted, row.data, syncedAt);
        if (deleted && !(existing && existing.deleted)) counts.deleted += 1;
        else if (existing) counts.updated += 1;
        else counts.inserted += 1;
      }
      if (batch.raws.length > 0) this.#writeRaws(batch, counts);
      for (const failure of batch.failures) {
        this.#insertFailure.run(batch.runId, batch.connector, batch.connection, batch.stream, failure.remoteId, failure.message, failure.issues, failure.native, syncedAt);
      }
      if (batch.state !== undefined) this.#upsertState.run(batch.connector, batch.connection, batch.stream, batch.state, syncedAt);
      this.#db.exec('COMMIT');
    } catch (error) {
      this.#db.exec('ROLLBACK');
      throw new PullPushError(SyncErrorCode.Database, `Writing ${batch.rows.length + batch.raws.length} records of stream ${batch.stream} to ${this.#path} failed: ${(error as Error).message}`, {
        hint: 'Nothing of this batch was written and its checkpoint did not move; rerun the sync once the database is writable.',
      });
    }
    return counts;
  }

  /** Native records of a raw stream: changed ones (by a digest of their JSON) written, the others counted unchanged. */
  #writeRaws(batch: PreparedBatch, counts: WriteCounts): void {
    const statements = this.rawStatements(batch.connector, batch.stream);
    for (const raw of batch.raws) {
      const digest = createHash('sha256').update(raw.data).digest('base64url');
      const existing = statements.find.get(batch.connection, raw.remoteId) as { digest: string; deleted: number } | undefined;
      if (existing && existing.digest === digest && existing.deleted === 0) {
        if (batch.markSeen) statements.seen.run(batch.runId, batch.connection, raw.remoteId);
        counts.unchanged += 1;
        continue;
      }
      statements.upsert.run(batch.connection, raw.remoteId, raw.data, digest, batch.syncedAt, batch.runId);
      if (existing) counts.updated += 1;
      else counts.inserted += 1;
    }
  }
}
