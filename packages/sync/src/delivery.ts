// deliver(): a flow's outbox delivered to a connector destination. Per canonical key one write at a time, in
// order, the newest version winning over ones still waiting (coalesced); keys in parallel up to a concurrency.
// Each record becomes a create, update or delete by what the id map (or the destination's lookup) knows. Failures
// that may pass (5xx, 429, silence) are retried later with exponential backoff and jitter; the others, and those out
// of attempts, go to the dead-letter queue with their attempt history. A circuit breaker (cockatiel) per flow stops
// delivery during an outage and probes it later; its state is kept in the flow's file across restarts.
import { BrokenCircuitError, circuitBreaker, CircuitState, ConsecutiveBreaker, handleWhen, type CircuitBreakerPolicy } from 'cockatiel';
import { PullPushError } from '@pullpush/canonical';
import { DestinationStatusError, EngineErrorCode, type Connector, type WriteOperationName, type WriteResult } from '@pullpush/engine';
import { SyncErrorCode } from './errors.ts';
import { openFlowOutbox } from './flow-store.ts';
import type { AttemptRecord, OutboxRow } from './outbox.ts';

export interface DeliveryOptions {
  /** The flow's store: its SQLite file, or a PostgreSQL URL (the one its sync wrote with `outbox: flow`). */
  db: string;
  flow: string;
  /** The destination connector (compiled with its connection's config). */
  destination: Connector;
  /** Operations the flow allows (default every one the destination declares). */
  operations?: readonly WriteOperationName[];
  /**
   * Canonical type names (commerce.customer) whose records may exist at the destination before the flow writes
   * them (the flow's `match`): each is looked up before it is created. Other records are looked up only when a write of
   * them may have gone unrecorded (a crash, a lost answer) or the destination answers 409.
   */
  lookUpFirst?: readonly string[];
  /** Keys delivered in parallel (default 4); one key never has two writes in flight. */
  concurrency?: number;
  /** Attempts per record before it goes to the dead-letter queue (default 5). */
  maxAttempts?: number;
  /** Backoff between attempts: the first wait and the longest (default 1 s and 5 min), with full jitter. */
  backoff?: { initialMs: number; maxMs: number };
  /** Consecutive failures that open the breaker (default 5), and how long it stays open before a probe (default 30 s). */
  breaker?: { failures: number; halfOpenAfterMs: number };
  /** How long to wait for retries that come due before returning (default 0: return when nothing is due now). */
  maxWaitMs?: number;
  signal?: AbortSignal;
  now?: () => Date;
}

export interface DeliveryReport {
  flow: string;
  delivered: number;
  created: number;
  updated: number;
  deleted: number;
  /** Deletions of records the destination never had: nothing to do. */
  skipped: number;
  /** Older versions replaced by a newer one of the same key before they were sent. */
  coalesced: number;
  /** Attempts that failed and were scheduled again. */
  retried: number;
  deadLettered: number;
  /** Still pending (waiting for a retry, or for the breaker). */
  pending: number;
  breaker: 'closed' | 'open' | 'half-open';
}

/** A failure's HTTP status, when the destination answered. */
function statusOf(error: unknown): number | null {
  return error instanceof DestinationStatusError ? error.status : null;
}

function codeOf(error: unknown): string {
  return error instanceof PullPushError ? error.code : 'SYNC_DELIVERY';
}

/** Failures that may pass by themselves: the destination is down or busy, or did not answer. */
function isTransient(error: unknown): boolean {
  const status = statusOf(error);
  if (status !== null) return status === 429 || status === 408 || status >= 500;
  const code = codeOf(error);
  return code === EngineErrorCode.Network || code === EngineErrorCode.Timeout || code === EngineErrorCode.WriteAmbiguous;
}

/** The message without what differs between records of one cause: ids, numbers, quoted values, URLs' paths. */
function normalise(message: string): string {
  return message
    .replaceAll(/https?:\/\/[^\s]+/g, '<url>')
    .replaceAll(/"[^"]*"|'[^']*'/g, '<value>')
    .replaceAll(/[0-9a-f]{8}-[0-9a-f-]{27,}/gi, '<id>')
    .replaceAll(/\b[\w.-]+:[\w.:%-]+\b/g, '<key>')
    .replaceAll(/\d+/g, '<n>')
    .slice(0, 300);
}

/** A hint for the causes the statuses and codes tell apart. */
function hintFor(status: number | null, code: string): string | null {
  if (status === 401 || status === 403) return "The destination refused the credentials: the key may have expired or lost a permission. Update the destination connection's secret, then retry the cluster.";
  if (status === 400 || status === 422) return 'The destination refused the body: a field is missing or invalid. Fix the write mapping of the destination definition, then retry the cluster.';
  if (status === 404) return 'The remote record is gone or the id is wrong.';
  if (status === 409) return 'The record exists at the destination and no lookup finds it: declare writes.match in the destination definition.';
  if (code === EngineErrorCode.WriteAmbiguous) return 'A create got no answer and cannot be checked: declare writes.match (a lookup) or idempotencyKeyHeader in the destination definition.';
  if (code === EngineErrorCode.WriteInvalidRecord) return "The source's mapping produced a record its canonical type refuses: fix the source mapping.";
  if (code === EngineErrorCode.WriteUnsupported || code === EngineErrorCode.WriteNeedsRemoteId) return 'The destination definition cannot do this write: add the operation, or a lookup (writes.match).';
  if (status !== null && status >= 500) return 'The destination kept failing on its side; retry once it is back.';
  return null;
}

export async function deliver(options: DeliveryOptions): Promise<DeliveryReport> {
  const now = options.now ?? (() => new Date());
  const { destination, flow } = options;
  const concurrency = options.concurrency ?? 4;
  const maxAttempts = options.maxAttempts ?? 5;
  const backoff = options.backoff ?? { initialMs: 1000, maxMs: 300_000 };
  const allowed = new Set(options.operations ?? ['create', 'update', 'upsert', 'delete']);
  const lookUpFirst = new Set(options.lookUpFirst ?? []);
  const outbox = openFlowOutbox(options.db, flow);
  const report: DeliveryReport = { flow, delivered: 0, created: 0, updated: 0, deleted: 0, skipped: 0, coalesced: 0, retried: 0, deadLettered: 0, pending: 0, breaker: 'closed' };
  const breakerOptions = options.breaker ?? { failures: 5, halfOpenAfterMs: 30_000 };
  const breaker: CircuitBreakerPolicy = circuitBreaker(handleWhen(isTransient), {
    breaker: new ConsecutiveBreaker(breakerOptions.failures),
    halfOpenAfter: breakerOptions.halfOpenAfterMs,
    initialState: (await outbox.breakerRecord())?.state,
  });
  // Saved in the order the state changed; the last save is awaited before delivery returns.
  let saving: Promise<void> = Promise.resolve();
  const listener = breaker.onStateChange(() => {
    const state = breaker.toJSON();
    saving = saving.then(() => outbox.saveBreakerState(state, now().toISOString())).catch(() => undefined);
  });

  /** The operations the destination offers for the type, in the flow's allowance. */
  const offers = (type: string, operation: WriteOperationName) => allowed.has(operation) && (destination.writes[type] ?? []).includes(operation);

  /** Writes one record the way the id map says: an update of a known remote record, else a create (or upsert). */
  async function write(row: OutboxRow, known: string | undefined, record: object, attempting: (operation: WriteOperationName) => void): Promise<{ operation: WriteOperationName; result: WriteResult | undefined; remoteId: string | undefined }> {
    const type = row.canonicalType;
    // One key per outbox row and operation: a retried create replays, and an update after a lookup is its own request.
    const keyFor = (operation: WriteOperationName) => `${row.eventId}.${row.seq}.${operation}`;
    let remoteId = known;
    const lookUp = async () => {
      const found = await destination.findRemoteId(type, record, options.signal);
      if (found !== undefined) await outbox.rememberRemoteId(row.key, found, now().toISOString());
      return found;
    };
    if (remoteId === undefined && (row.inDoubt || row.deleted || lookUpFirst.has(type.split('@')[0] as string))) remoteId = await lookUp();
    if (row.deleted) {
      if (remoteId === undefined) return { operation: 'delete', result: undefined, remoteId };
      attempting('delete');
      try {
        return { operation: 'delete', result: await destination.write(type, 'delete', record, { remoteId, idempotencyKey: keyFor('delete'), signal: options.signal }), remoteId };
      } catch (error) {
        // Already gone: what a delete wants.
        if (statusOf(error) === 404) return { operation: 'delete', result: undefined, remoteId };
        throw error;
      }
    }
    if (remoteId !== undefined && (offers(type, 'update') || offers(type, 'upsert'))) {
      const operation = offers(type, 'update') ? 'update' : 'upsert';
      attempting(operation);
      try {
        return { operation, result: await destination.write(type, operation, record, { remoteId, idempotencyKey: keyFor(operation), signal: options.signal }), remoteId };
      } catch (error) {
        // The remote record is gone: forget it, and create it again below.
        if (statusOf(error) !== 404) throw error;
        await outbox.forgetRemoteId(row.key);
        remoteId = undefined;
      }
    }
    const operation = offers(type, 'create') ? 'create' : 'upsert';
    attempting(operation);
    try {
      return { operation, result: await destination.write(type, operation, record, { idempotencyKey: keyFor(operation), signal: options.signal }), remoteId };
    } catch (error) {
      // No answer to a create: the lookup says whether it was applied; never a blind second create.
      if (codeOf(error) === EngineErrorCode.WriteAmbiguous) {
        const found = await lookUp();
        if (found !== undefined) return { operation, result: { type, operation, key: row.key, remoteId: found, status: 0, replayed: true, attempts: 0 }, remoteId: found };
      }
      // It exists already (an earlier run's write, or the destination had it): update what the lookup finds.
      if (statusOf(error) === 409 && (offers(type, 'update') || offers(type, 'upsert'))) {
        const found = await lookUp();
        if (found !== undefined) {
          const update = offers(type, 'update') ? 'update' : 'upsert';
          attempting(update);
          return { operation: update, result: await destination.write(type, update, record, { remoteId: found, idempotencyKey: keyFor(update), signal: options.signal }), remoteId: found };
        }
      }
      throw error;
    }
  }

  async function deliverKey(key: string): Promise<void> {
    // Taken in doubt: from here until its outcome is recorded, a write of it may reach the destination.
    const taken = await outbox.takeLatest(key, now().toISOString());
    if (!taken) return;
    const { row } = taken;
    report.coalesced += taken.superseded;
    const record = JSON.parse(row.data) as object;
    let operation = (row.deleted ? 'delete' : 'create') as WriteOperationName;
    try {
      const done = await breaker.execute(() => write(row, taken.remoteId, record, (attempted) => (operation = attempted)));
      const at = now().toISOString();
      const remoteId = row.deleted ? null : (done.result?.remoteId ?? done.remoteId ?? null);
      await outbox.delivered(row, { at, operation, outcome: 'delivered', ...(done.result ? { status: done.result.status } : {}) }, remoteId);
      report.delivered += 1;
      if (!done.result) report.skipped += 1;
      else if (operation === 'delete') report.deleted += 1;
      else if (operation === 'update') report.updated += 1;
      else report.created += 1;
    } catch (error) {
      // Not attempted: it stays pending, due as it was, and no more in doubt than before.
      if (error instanceof BrokenCircuitError) return await outbox.untake(row);
      if ((error as Error).name === 'AbortError' || options.signal?.aborted) throw error;
      const at = now().toISOString();
      const status = statusOf(error);
      const code = codeOf(error);
      const message = (error as Error).message;
      const attempt: AttemptRecord = { at, operation, outcome: 'retry', code, ...(status === null ? {} : { status }), message };
      if (isTransient(error) && row.attempts + 1 < maxAttempts && !(code === EngineErrorCode.WriteAmbiguous && operation === 'create')) {
        const wait = Math.min(backoff.maxMs, backoff.initialMs * 2 ** row.attempts);
        await outbox.retryLater(row, attempt, now().getTime() + Math.round(wait / 2 + Math.random() * (wait / 2)));
        report.retried += 1;
        return;
      }
      await outbox.deadLetter(row, { ...attempt, outcome: 'dead' }, {
        operation,
        payload: destination.redact(row.data),
        status,
        code,
        message,
        signature: `${operation}|${status ?? '-'}|${code}|${normalise(message.replace(/^[^:]*:\s*/, ''))}`,
        hint: hintFor(status, code),
      });
      report.deadLettered += 1;
    }
  }

  const waitUntil = now().getTime() + (options.maxWaitMs ?? 0);
  const inFlight = new Map<string, Promise<void>>();
  let queue: string[] = [];
  // The breaker keeps time with Date.now(); so does the probe schedule. A breaker found open at start is probed a
  // full wait from now.
  let openedAt = breaker.state === CircuitState.Closed ? 0 : Date.now();
  const broke = breaker.onBreak(() => (openedAt = Date.now()));
  try {
    for (;;) {
      if (options.signal?.aborted) break;
      const closed = breaker.state === CircuitState.Closed;
      const probeAt = openedAt + breakerOptions.halfOpenAfterMs;
      // Closed: keys in parallel. Open or half-open: one probe at a time, once the breaker allows it.
      const slots = closed ? concurrency - inFlight.size : inFlight.size === 0 && Date.now() >= probeAt ? 1 : 0;
      // Due keys are fetched in batches (one query over the outbox each), and each is started once per batch.
      if (slots > 0 && queue.length === 0) queue = await outbox.dueKeys(now().getTime(), 512, new Set(inFlight.keys()));
      const keys = queue.filter((key) => !inFlight.has(key)).slice(0, slots);
      queue = queue.filter((key) => !keys.includes(key));
      for (const key of keys) {
        const running = deliverKey(key).finally(() => inFlight.delete(key));
        inFlight.set(key, running);
      }
      if (inFlight.size > 0) {
        await Promise.race(inFlight.values());
        continue;
      }
      // Nothing running and nothing to start: wait for the next due row, or the probe, within the time allowed.
      const due = await outbox.nextDue();
      const next = closed ? due : Math.max(probeAt, due ?? Number.POSITIVE_INFINITY);
      if (next === undefined || !Number.isFinite(next) || next > waitUntil) break;
      await new Promise((resolve) => setTimeout(resolve, Math.max(10, next - Date.now())));
    }
    await Promise.all(inFlight.values());
  } finally {
    listener.dispose();
    broke.dispose();
    report.breaker = breaker.state === CircuitState.Closed ? 'closed' : breaker.state === CircuitState.HalfOpen ? 'half-open' : 'open';
    try {
      await saving;
      report.pending = (await outbox.counts()).pending;
    } finally {
      await outbox.close();
    }
  }
  if (options.signal?.aborted) throw new PullPushError(SyncErrorCode.DeliveryInterrupted, `Delivery of flow ${flow} was interrupted; ${report.pending} records wait in the outbox.`, { hint: 'Run the flow again: delivery resumes where it stopped.' });
  return report;
}
