// flowStatus(): where a flow to a connector stands, from its store alone (nothing is read from either API):
// its mode, what waits in the outbox (and whether a write of it may already have landed), the dead-letter queue,
// the circuit breaker, how many keys have a remote id, and its latest runs. A flow that never ran has no file and
// reports zeros; asking creates no file and no schema.
import type { Flow } from '@pullpush/schema';
import { flowStoreExists, openFlowOutbox } from './flow-store.ts';
import type { FlowRunRecord, OutboxCounts } from './outbox.ts';

export type FlowMode = NonNullable<Flow['mode']>;

export interface FlowStatus {
  flow: string;
  mode: FlowMode;
  /** The destination's kind: sqlite, jsonl, postgres or connector. Only a connector destination has the rest. */
  destination: string;
  outbox: OutboxCounts & {
    /** Pending rows a write of which may have reached the destination (resolved by a lookup before the next write). */
    inDoubt: number;
    /** When the next pending row comes due: an ISO time, "now" when one is due already, null when none waits. */
    nextDueAt: string | null;
  };
  deadLetters: { open: number; discarded: number; clusters: number };
  breaker: { state: 'closed' | 'open' | 'half-open'; since: string | null };
  /** Canonical keys with a known remote id at the destination. */
  remoteIds: number;
  /** The latest runs, newest first. */
  runs: FlowRunRecord[];
}

export interface FlowStatusOptions {
  /** The flow's store: its SQLite file (default `<flow id>.db`) or a PostgreSQL URL. */
  db?: string;
  /** How many runs to list (default 10). */
  runs?: number;
}

/** cockatiel's saved state: `{ ownState: { value } }`, where 0 is closed, 1 open, 2 half-open and 3 isolated. */
function breakerStateOf(saved: unknown): FlowStatus['breaker']['state'] {
  const value = (saved as { ownState?: { value?: unknown } } | undefined)?.ownState?.value;
  return value === 2 ? 'half-open' : value === 1 || value === 3 ? 'open' : 'closed';
}

/** Appends a run to the flow's run log (flowStatus lists them). */
export async function recordFlowRun(db: string, flow: string, run: Omit<FlowRunRecord, 'id' | 'finishedAt'>): Promise<void> {
  const outbox = openFlowOutbox(db, flow);
  try {
    await outbox.recordRun({ ...run, finishedAt: new Date().toISOString() });
  } finally {
    await outbox.close();
  }
}

export async function flowStatus(flow: Flow, options: FlowStatusOptions = {}): Promise<FlowStatus> {
  const status: FlowStatus = {
    flow: flow.id,
    mode: flow.mode ?? 'live',
    destination: flow.destination.kind,
    outbox: { pending: 0, delivered: 0, superseded: 0, dead: 0, inDoubt: 0, nextDueAt: null },
    deadLetters: { open: 0, discarded: 0, clusters: 0 },
    breaker: { state: 'closed', since: null },
    remoteIds: 0,
    runs: [],
  };
  const db = options.db ?? `${flow.id}.db`;
  if (flow.destination.kind !== 'connector' || !(await flowStoreExists(db, flow.id))) return status;
  const outbox = openFlowOutbox(db, flow.id);
  try {
    const next = await outbox.nextDue();
    status.outbox = { ...(await outbox.counts()), inDoubt: await outbox.inDoubtCount(), nextDueAt: next === undefined ? null : next <= Date.now() ? 'now' : new Date(next).toISOString() };
    status.deadLetters = { ...(await outbox.deadLetterCounts()), clusters: (await outbox.clusters()).length };
    const breaker = await outbox.breakerRecord();
    status.breaker = { state: breakerStateOf(breaker?.state), since: breaker?.updatedAt ?? null };
    status.remoteIds = await outbox.remoteIdCount();
    status.runs = await outbox.runs(options.runs ?? 10);
    return status;
  } finally {
    await outbox.close();
  }
}
