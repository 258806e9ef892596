// A flow's outbox, id map, dead-letter queue, breaker state and run log in a PostgreSQL schema: the same rows and
// rules as the SQLite outbox (outbox.ts), so a flow whose store is PostgreSQL delivers from any process that can
// reach the server. A PostgresStore opened with `outbox: <flow>` puts a sync's changed records here in the
// transaction of their checkpoint.
import type pg from 'pg';
import { clustersOf, deadLetterOf, flowRunOf, isoOf, letterMatches, outboxRowOf, type AttemptRecord, type DeadLetter, type DeadLetterCluster, type FlowOutbox, type FlowRunRecord, type NewDeadLetter, type OutboxCounts, type OutboxRow, type TakenRow } from './outbox.ts';
import { PostgresConnection, quoted } from './postgres-connection.ts';

/** The outbox's tables in a schema (already quoted). */
export const POSTGRES_OUTBOX_TABLES = (schema: string) => `
CREATE SCHEMA IF NOT EXISTS ${schema};
CREATE TABLE IF NOT EXISTS ${schema}.pullpush_outbox (
  seq BIGSERIAL PRIMARY KEY,
  flow TEXT NOT NULL, key TEXT NOT NULL, canonical_type TEXT NOT NULL, event_id TEXT NOT NULL,
  deleted BOOLEAN NOT NULL, data TEXT NOT NULL, enqueued_at TIMESTAMPTZ NOT NULL,
  status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'superseded', 'dead')),
  attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at BIGINT NOT NULL DEFAULT 0, in_doubt BOOLEAN NOT NULL DEFAULT false,
  history JSONB NOT NULL DEFAULT '[]', finished_at TIMESTAMPTZ
);
CREATE INDEX IF NOT EXISTS pullpush_outbox_pending ON ${schema}.pullpush_outbox (flow, key, seq) WHERE status = 'pending';
CREATE TABLE IF NOT EXISTS ${schema}.pullpush_id_map (
  flow TEXT NOT NULL, key TEXT NOT NULL, remote_id TEXT NOT NULL, updated_at TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (flow, key)
);
CREATE TABLE IF NOT EXISTS ${schema}.pullpush_dlq (
  id BIGSERIAL PRIMARY KEY, flow TEXT NOT NULL, seq BIGINT NOT NULL, key TEXT NOT NULL,
  canonical_type TEXT NOT NULL, event_id TEXT NOT NULL, operation TEXT NOT NULL, payload TEXT NOT NULL,
  status INTEGER, code TEXT NOT NULL, message TEXT NOT NULL, signature TEXT NOT NULL, hint TEXT,
  attempts JSONB NOT NULL, created_at TIMESTAMPTZ NOT NULL, discarded_at TIMESTAMPTZ, discard_reason TEXT
);
CREATE INDEX IF NOT EXISTS pullpush_dlq_flow ON ${schema}.pullpush_dlq (flow, discarded_at, signature);
CREATE TABLE IF NOT EXISTS ${schema}.pullpush_breakers (flow TEXT PRIMARY KEY, state JSONB NOT NULL, updated_at TIMESTAMPTZ NOT NULL);
CREATE TABLE IF NOT EXISTS ${schema}.pullpush_flow_runs (
  id BIGSERIAL PRIMARY KEY, flow TEXT NOT NULL, kind TEXT NOT NULL CHECK (kind IN ('run', 'reconcile', 'shadow')),
  status TEXT NOT NULL, started_at TIMESTAMPTZ NOT NULL, finished_at TIMESTAMPTZ NOT NULL, summary JSONB NOT NULL
);`;

export interface PostgresOutboxOptions {
  /** The schema the tables live in (created when missing); default `public`. */
  schema?: string;
  /** Connections kept open at most (default 4: one per key delivered in parallel). */
  maxConnections?: number;
}

type Row = Record<string, unknown>;

export class PostgresOutbox implements FlowOutbox {
  readonly flow: string;
  readonly location: string;
  readonly #db: PostgresConnection;
  #ready: Promise<void> | undefined;

  constructor(url: string, flow: string, options: PostgresOutboxOptions = {}) {
    this.flow = flow;
    this.#db = new PostgresConnection(url, options);
    this.location = this.#db.description;
  }

  #t(name: string): string {
    return this.#db.table(name);
  }

  async #query(text: string, values: unknown[] = [], client?: pg.PoolClient): Promise<Row[]> {
    this.#ready ??= this.#db.createOnce(POSTGRES_OUTBOX_TABLES(quoted(this.#db.schema)));
    await this.#ready;
    return (await this.#db.query<Row>(text, values, client)).rows;
  }

  #transaction<T>(what: string, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    this.#ready ??= this.#db.createOnce(POSTGRES_OUTBOX_TABLES(quoted(this.#db.schema)));
    return this.#ready.then(() => this.#db.transaction(what, work, 'Nothing of this step was recorded; delivery takes it up again on the next run.'));
  }

  async dueKeys(nowMs: number, limit: number, busy: ReadonlySet<string>): Promise<string[]> {
    const rows = await this.#query(
      `SELECT key FROM ${this.#t('pullpush_outbox')} WHERE flow = $1 AND status = 'pending' GROUP BY key HAVING max(next_attempt_at) <= $2 ORDER BY min(seq) LIMIT $3`,
      [this.flow, nowMs, limit + busy.size],
    );
    return rows.map((row) => String(row['key'])).filter((key) => !busy.has(key)).slice(0, limit);
  }

  async nextDue(): Promise<number | undefined> {
    const [row] = await this.#query(`SELECT min(due) AS next FROM (SELECT max(next_attempt_at) AS due FROM ${this.#t('pullpush_outbox')} WHERE flow = $1 AND status = 'pending' GROUP BY key) AS keys`, [this.flow]);
    return row?.['next'] === null || row?.['next'] === undefined ? undefined : Number(row['next']);
  }

  /**
   * One statement, so one round trip and atomic on its own: the key's pending rows locked, the older ones
   * superseded, the newest taken in doubt with the attempts of those it replaces, and the key's remote id.
   */
  async takeLatest(key: string, at: string): Promise<TakenRow | undefined> {
    const outbox = this.#t('pullpush_outbox');
    const [row] = await this.#query(
      `WITH pending AS (SELECT seq, attempts, in_doubt FROM ${outbox} WHERE flow = $1 AND key = $2 AND status = 'pending' FOR UPDATE),
       latest AS (SELECT max(seq) AS seq, max(attempts) AS attempts, bool_or(in_doubt) AS was_in_doubt, count(*) - 1 AS superseded FROM pending HAVING count(*) > 0),
       older AS (UPDATE ${outbox} SET status = 'superseded', finished_at = $3 WHERE seq IN (SELECT seq FROM pending) AND seq < (SELECT seq FROM latest) RETURNING seq),
       taken AS (UPDATE ${outbox} AS o SET attempts = latest.attempts, in_doubt = true FROM latest WHERE o.seq = latest.seq
         RETURNING o.seq, o.key, o.canonical_type, o.event_id, o.deleted, o.data, o.attempts, latest.was_in_doubt AS in_doubt, o.history, latest.superseded)
       SELECT taken.*, (SELECT remote_id FROM ${this.#t('pullpush_id_map')} WHERE flow = $1 AND key = $2) AS remote_id FROM taken`,
      [this.flow, key, at],
    );
    if (row === undefined) return undefined;
    return { row: outboxRowOf(row), superseded: Number(row['superseded']), remoteId: row['remote_id'] === null ? undefined : String(row['remote_id']) };
  }

  async untake(row: OutboxRow): Promise<void> {
    await this.#query(`UPDATE ${this.#t('pullpush_outbox')} SET in_doubt = $1 WHERE seq = $2`, [row.inDoubt, row.seq]);
  }

  async enqueue(entry: { key: string; canonicalType: string; eventId: string; deleted: boolean; data: string }, at: string): Promise<void> {
    await this.#query(`INSERT INTO ${this.#t('pullpush_outbox')} (flow, key, canonical_type, event_id, deleted, data, enqueued_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`, [
      this.flow,
      entry.key,
      entry.canonicalType,
      entry.eventId,
      entry.deleted,
      entry.data,
      at,
    ]);
  }

  async remoteId(key: string): Promise<string | undefined> {
    const [row] = await this.#query(`SELECT remote_id FROM ${this.#t('pullpush_id_map')} WHERE flow = $1 AND key = $2`, [this.flow, key]);
    return row === undefined ? undefined : String(row['remote_id']);
  }

  async #putRemoteId(key: string, remoteId: string, at: string, client?: pg.PoolClient): Promise<void> {
    await this.#query(
      `INSERT INTO ${this.#t('pullpush_id_map')} (flow, key, remote_id, updated_at) VALUES ($1, $2, $3, $4) ON CONFLICT (flow, key) DO UPDATE SET remote_id = excluded.remote_id, updated_at = excluded.updated_at`,
      [this.flow, key, remoteId, at],
      client,
    );
  }

  /** One statement: the row delivered, and the key's remote id recorded (or forgotten after a delete). */
  async delivered(row: OutboxRow, attempt: AttemptRecord, remoteId: string | null): Promise<void> {
    const idMap = this.#t('pullpush_id_map');
    await this.#query(
      `WITH done AS (UPDATE ${this.#t('pullpush_outbox')} SET status = 'delivered', attempts = attempts + 1, in_doubt = false, history = $3::jsonb, finished_at = $4 WHERE seq = $5 RETURNING seq),
       mapped AS (INSERT INTO ${idMap} (flow, key, remote_id, updated_at) SELECT $1, $2, $6, $4 WHERE $6::text IS NOT NULL
         ON CONFLICT (flow, key) DO UPDATE SET remote_id = excluded.remote_id, updated_at = excluded.updated_at RETURNING key),
       forgotten AS (DELETE FROM ${idMap} WHERE flow = $1 AND key = $2 AND $6::text IS NULL RETURNING key)
       SELECT count(*) FROM done`,
      [this.flow, row.key, JSON.stringify([...row.history, attempt]), attempt.at, row.seq, row.deleted ? null : remoteId],
    );
  }

  rememberRemoteId(key: string, remoteId: string, at: string): Promise<void> {
    return this.#putRemoteId(key, remoteId, at);
  }

  async forgetRemoteId(key: string): Promise<void> {
    await this.#query(`DELETE FROM ${this.#t('pullpush_id_map')} WHERE flow = $1 AND key = $2`, [this.flow, key]);
  }

  async retryLater(row: OutboxRow, attempt: AttemptRecord, dueMs: number): Promise<void> {
    await this.#query(`UPDATE ${this.#t('pullpush_outbox')} SET attempts = attempts + 1, in_doubt = false, next_attempt_at = $1, history = $2::jsonb WHERE seq = $3`, [dueMs, JSON.stringify([...row.history, attempt]), row.seq]);
  }

  /** One statement: the row dead, and its letter in the queue. */
  async deadLetter(row: OutboxRow, attempt: AttemptRecord, letter: NewDeadLetter): Promise<void> {
    const history = JSON.stringify([...row.history, attempt]);
    await this.#query(
      `WITH dead AS (UPDATE ${this.#t('pullpush_outbox')} SET status = 'dead', attempts = attempts + 1, in_doubt = false, history = $13::jsonb, finished_at = $14 WHERE seq = $2 RETURNING seq)
       INSERT INTO ${this.#t('pullpush_dlq')} (flow, seq, key, canonical_type, event_id, operation, payload, status, code, message, signature, hint, attempts, created_at)
       SELECT $1, dead.seq, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13::jsonb, $14 FROM dead`,
      [this.flow, row.seq, row.key, row.canonicalType, row.eventId, letter.operation, letter.payload, letter.status, letter.code, letter.message, letter.signature, letter.hint, history, attempt.at],
    );
  }

  async counts(): Promise<OutboxCounts> {
    const rows = await this.#query(`SELECT status, count(*) AS n FROM ${this.#t('pullpush_outbox')} WHERE flow = $1 GROUP BY status`, [this.flow]);
    const counts: OutboxCounts = { pending: 0, delivered: 0, superseded: 0, dead: 0 };
    for (const row of rows) counts[row['status'] as keyof OutboxCounts] = Number(row['n']);
    return counts;
  }

  async deadLetters(options: { ids?: readonly number[]; signature?: string; includeDiscarded?: boolean } = {}): Promise<DeadLetter[]> {
    const rows = await this.#query(`SELECT * FROM ${this.#t('pullpush_dlq')} WHERE flow = $1 ORDER BY id`, [this.flow]);
    return rows.map(deadLetterOf).filter((letter) => letterMatches(letter, options));
  }

  async clusters(): Promise<DeadLetterCluster[]> {
    return clustersOf(await this.deadLetters());
  }

  async retryDeadLetters(letters: readonly DeadLetter[]): Promise<number> {
    await this.#transaction('Putting dead letters back in the outbox', async (client) => {
      for (const letter of letters) {
        await this.#query(`UPDATE ${this.#t('pullpush_outbox')} SET status = 'pending', attempts = 0, next_attempt_at = 0, finished_at = NULL WHERE seq = $1 AND status = 'dead'`, [letter.seq], client);
        await this.#query(`DELETE FROM ${this.#t('pullpush_dlq')} WHERE id = $1`, [letter.id], client);
      }
    });
    return letters.length;
  }

  async discardDeadLetters(letters: readonly DeadLetter[], reason: string, at: string): Promise<number> {
    const rows = await this.#query(`UPDATE ${this.#t('pullpush_dlq')} SET discarded_at = $1, discard_reason = $2 WHERE id = ANY($3::bigint[]) AND discarded_at IS NULL RETURNING id`, [
      at,
      reason,
      letters.map((letter) => letter.id),
    ]);
    return rows.length;
  }

  async inDoubtCount(): Promise<number> {
    const [row] = await this.#query(`SELECT count(*) AS n FROM ${this.#t('pullpush_outbox')} WHERE flow = $1 AND status = 'pending' AND in_doubt`, [this.flow]);
    return Number(row?.['n'] ?? 0);
  }

  async remoteIdCount(): Promise<number> {
    const [row] = await this.#query(`SELECT count(*) AS n FROM ${this.#t('pullpush_id_map')} WHERE flow = $1`, [this.flow]);
    return Number(row?.['n'] ?? 0);
  }

  async deadLetterCounts(): Promise<{ open: number; discarded: number }> {
    const [row] = await this.#query(`SELECT count(*) - count(discarded_at) AS open, count(discarded_at) AS discarded FROM ${this.#t('pullpush_dlq')} WHERE flow = $1`, [this.flow]);
    return { open: Number(row?.['open'] ?? 0), discarded: Number(row?.['discarded'] ?? 0) };
  }

  async recordRun(run: Omit<FlowRunRecord, 'id'>): Promise<void> {
    await this.#query(`INSERT INTO ${this.#t('pullpush_flow_runs')} (flow, kind, status, started_at, finished_at, summary) VALUES ($1, $2, $3, $4, $5, $6::jsonb)`, [
      this.flow,
      run.kind,
      run.status,
      run.startedAt,
      run.finishedAt,
      JSON.stringify(run.summary),
    ]);
  }

  async runs(limit: number): Promise<FlowRunRecord[]> {
    const rows = await this.#query(`SELECT * FROM ${this.#t('pullpush_flow_runs')} WHERE flow = $1 ORDER BY id DESC LIMIT $2`, [this.flow, limit]);
    return rows.map(flowRunOf);
  }

  async breakerRecord(): Promise<{ state: unknown; updatedAt: string } | undefined> {
    const [row] = await this.#query(`SELECT state, updated_at FROM ${this.#t('pullpush_breakers')} WHERE flow = $1`, [this.flow]);
    return row === undefined ? undefined : { state: row['state'], updatedAt: isoOf(row['updated_at']) };
  }

  async saveBreakerState(state: unknown, at: string): Promise<void> {
    await this.#query(
      `INSERT INTO ${this.#t('pullpush_breakers')} (flow, state, updated_at) VALUES ($1, $2::jsonb, $3) ON CONFLICT (flow) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at`,
      [this.flow, JSON.stringify(state), at],
    );
  }

  close(): Promise<void> {
    return this.#db.end();
  }
}
