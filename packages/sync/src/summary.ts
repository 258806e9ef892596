// What a sync run reports: per stream pages, records, what the destination did with them, failures and time.
import type { WriteCounts } from './destination.ts';

export interface RecordCounts extends WriteCounts {
  /** Records read: written ones plus failed ones. */
  records: number;
  /** Records that failed mapping or validation (kept in the failed-records table). */
  failed: number;
}

export interface RunError {
  code: string;
  message: string;
  hint?: string;
}

export interface StreamSummary extends RecordCounts {
  stream: string;
  /** `commerce.order@1`, or "" for a raw stream (native records, keyed by their primary key). */
  canonicalType: string;
  pages: number;
  status: 'succeeded' | 'failed' | 'cancelled';
  /** Why the stream stopped early, secrets redacted. */
  error?: RunError;
  /** What the read learned or could not do (a server that clamps its page size, tombstones skipped). */
  notes?: string[];
  durationMs: number;
}

export interface SyncSummary {
  runId: string;
  connector: string;
  connection: string;
  destination: string;
  /** running while in progress; partial: every stream finished but some records failed. */
  status: 'running' | 'succeeded' | 'partial' | 'failed' | 'cancelled';
  /** Why the run failed before any stream ran (the connection check), secrets redacted. */
  error?: RunError;
  startedAt: string;
  finishedAt?: string;
  durationMs: number;
  streams: StreamSummary[];
  totals: RecordCounts & { pages: number };
}

/** Where runs are recorded (the SQLite and PostgreSQL stores are ones). */
export interface RunLog {
  recordRun(summary: SyncSummary): void | Promise<void>;
  listRuns(limit?: number): SyncSummary[] | Promise<SyncSummary[]>;
  getRun(runId: string): SyncSummary | undefined | Promise<SyncSummary | undefined>;
}

export function emptyCounts(): RecordCounts {
  return { records: 0, failed: 0, inserted: 0, updated: 0, unchanged: 0, deleted: 0 };
}

/** Adds `counts` into `into` (the write counts and, when given, records and failed). */
export function addCounts(into: RecordCounts, counts: Partial<RecordCounts>): void {
  for (const key of ['records', 'failed', 'inserted', 'updated', 'unchanged', 'deleted'] as const) into[key] += counts[key] ?? 0;
}
