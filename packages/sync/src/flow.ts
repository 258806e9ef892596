// runFlow: a flow document (@pullpush/schema's flow DSL) run once — its source streams into its destination. A
// connector destination gets the records through the flow's own store (a SQLite file, or a PostgreSQL schema):
// the sync stores them with their checkpoints and puts what changed in the flow's outbox, in one transaction
// each; deliver() then writes them.
// The flow's mode decides what a run does: live runs so; shadow works out what it would write (previewFlow) and
// records that, writing nothing and moving no checkpoint; paused refuses to run.
import { PullPushError } from '@pullpush/canonical';
import { compileConnector, type ConnectorOptions } from '@pullpush/engine';
import { validateFlow, type Flow } from '@pullpush/schema';
import { SyncErrorCode } from './errors.ts';
import { openDestination } from './open-destination.ts';
import { deliver, type DeliveryOptions, type DeliveryReport } from './delivery.ts';
import { recordFlowRun, type FlowMode } from './flow-status.ts';
import { openFlowStore } from './flow-store.ts';
import { previewFlow, type FlowPreview } from './preview.ts';
import { runSync, type SyncOptions } from './run-sync.ts';
import type { SyncSummary } from './summary.ts';

export interface FlowRunOptions extends Omit<SyncOptions, 'destination' | 'streams' | 'connection'> {
  /** Values for `{{ $env.NAME }}` in destination paths (default process.env). */
  env?: Record<string, string | undefined>;
  /** A connector destination's definition, its connection's config and engine options. */
  target?: { definition: unknown; config: Record<string, unknown>; engine?: Omit<ConnectorOptions, 'connection'> };
  /**
   * The flow's store, for a connector destination (records, checkpoints, outbox, dead letters): a SQLite file
   * (default `<flow id>.db`) or a PostgreSQL URL (`postgres://…[?schema=name]`).
   */
  db?: string;
  /** Delivery settings for a connector destination (concurrency, attempts, backoff, breaker, wait). */
  delivery?: Omit<DeliveryOptions, 'db' | 'flow' | 'destination' | 'operations' | 'signal'>;
  /** Run in this mode once, whatever the flow's own mode says (a paused flow still refuses). */
  mode?: Exclude<FlowMode, 'paused'>;
  /** For a shadow run: records read per stream at most, from the source and the destination (default 10,000). */
  limit?: number;
}

/** A live run: the sync, and for a connector destination what delivery did. */
export interface FlowRunSummary extends SyncSummary {
  mode: 'live';
  delivery?: DeliveryReport;
}

/** A shadow run: what a live run would write now, against the destination's current records; nothing was written. */
export interface FlowShadowRunSummary {
  mode: 'shadow';
  flow: string;
  /** partial when a read stopped at the limit, so the preview covers only part of the records. */
  status: 'succeeded' | 'partial';
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  preview: FlowPreview;
}

/** A destination path template: only `{{ $env.NAME }}` is known when a flow runs. */
function renderPath(template: string, env: Record<string, string | undefined>): string {
  return template.replaceAll(/\{\{\s*\$env\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g, (_, name: string) => {
    const value = env[name];
    if (value === undefined) {
      throw new PullPushError(SyncErrorCode.InvalidDestination, `The flow's destination path uses $env.${name}, which is not set.`, { hint: `Set the environment variable ${name}.` });
    }
    return value;
  });
}

/** Runs the flow once, in its mode (or `options.mode`); throws SYNC_FLOW_PAUSED for a paused flow. */
export async function runFlow(flow: Flow, options: FlowRunOptions): Promise<FlowRunSummary | FlowShadowRunSummary> {
  checkRunnable(flow, [options.definition, options.target?.definition]);
  const target = flow.destination;
  if ((options.mode ?? flow.mode) === 'shadow') {
    if (target.kind !== 'connector') throw new PullPushError(SyncErrorCode.InvalidFlow, `The flow ${flow.id} goes to ${target.kind}: only a flow to a connector has a shadow mode.`, { hint: 'Run it live.' });
    return shadowRun(flow, options);
  }
  if (target.kind === 'connector') return runConnectorFlow(flow, options);
  return { ...(await syncFlowSource(flow, options)), mode: 'live' };
}

/** Throws unless the flow is valid against the definitions given and not paused (SYNC_INVALID_FLOW, SYNC_FLOW_PAUSED). */
export function checkRunnable(flow: Flow, given: readonly unknown[]): void {
  const definitions: Record<string, unknown> = {};
  for (const definition of given) {
    const id = (definition as { id?: unknown } | null | undefined)?.id;
    if (typeof id === 'string') definitions[id] = definition;
  }
  const report = validateFlow(flow, { definitions });
  if (!report.ok) {
    const first = report.errors[0];
    throw new PullPushError(SyncErrorCode.InvalidFlow, `The flow ${flow.id} is not valid: ${first ? `${first.pointer} ${first.message}` : 'unknown error'}.`, {
      hint: 'Run `pullpush validate` on the flow to see every problem.',
      issues: report.errors.map((error) => ({ pointer: error.pointer, message: error.message, rule: error.code })),
    });
  }
  if (flow.mode === 'paused') {
    throw new PullPushError(SyncErrorCode.FlowPaused, `The flow ${flow.id} is paused: nothing was read or written.`, {
      hint: 'Set its mode to live to run it again (pullpush flow mode <flow> live).',
    });
  }
}

/**
 * The sync half of a run: the flow's source streams (or the ones named) into its destination — for a connector
 * destination, into the flow's store, each changed record put in its outbox. A worker runs it per stream.
 */
export async function syncFlowSource(flow: Flow, options: FlowRunOptions & { streams?: readonly string[] }): Promise<SyncSummary> {
  const { target: _target, env: _env, db, delivery: _delivery, mode: _mode, limit: _limit, streams, ...sync } = options;
  const target = flow.destination;
  const env = options.env ?? process.env;
  const destination =
    target.kind === 'connector'
      ? openFlowStore(db ?? `${flow.id}.db`, flow.id)
      : openDestination(target.kind === 'postgres' ? { kind: 'postgres', url: renderPath(target.url, env), ...(target.schema ? { schema: target.schema } : {}) } : { kind: target.kind, path: renderPath(target.path, env) });
  try {
    return await runSync({ ...sync, destination, connection: flow.source.connection, streams: streams ?? flow.source.streams });
  } finally {
    await destination.close();
  }
}

/** The delivery half of a run of a flow to a connector: what waits in its outbox, written to the destination. */
export async function deliverFlow(flow: Flow, options: FlowRunOptions): Promise<DeliveryReport> {
  const spec = targetOf(flow, options);
  const target = flow.destination as Extract<Flow['destination'], { kind: 'connector' }>;
  const destination = await compileConnector(spec.definition, spec.config, { ...spec.engine, connection: target.connection });
  try {
    return await deliver({
      ...options.delivery,
      db: options.db ?? `${flow.id}.db`,
      flow: flow.id,
      destination,
      ...(target.operations ? { operations: target.operations } : {}),
      ...(flow.match ? { lookUpFirst: Object.keys(flow.match) } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } finally {
    await destination.close();
  }
}

/** The destination definition and config the caller gave, checked against the flow's destination. */
function targetOf(flow: Flow, options: FlowRunOptions): NonNullable<FlowRunOptions['target']> {
  const target = flow.destination as Extract<Flow['destination'], { kind: 'connector' }>;
  if (!options.target || (options.target.definition as { id?: unknown } | null)?.id !== target.connector) {
    throw new PullPushError(SyncErrorCode.MissingDestination, `The flow ${flow.id} writes to connector ${target.connector}, whose definition was not given.`, {
      hint: `Give the definition of ${target.connector} and the config of its connection ${target.connection}.`,
    });
  }
  return options.target;
}

async function shadowRun(flow: Flow, options: FlowRunOptions): Promise<FlowShadowRunSummary> {
  const target = targetOf(flow, options);
  const path = options.db ?? `${flow.id}.db`;
  const started = Date.now();
  const startedAt = new Date(started).toISOString();
  const preview = await previewFlow({
    flow,
    source: { definition: options.definition, config: options.config, ...(options.engine ? { engine: options.engine } : {}) },
    target,
    db: path,
    ...(options.limit ? { limit: options.limit } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const status = preview.truncated ? 'partial' : 'succeeded';
  await recordFlowRun(path, flow.id, { kind: 'shadow', status, startedAt, summary: { wouldWrite: preview.counts, truncated: preview.truncated } });
  return { mode: 'shadow', flow: flow.id, status, startedAt, finishedAt: new Date().toISOString(), durationMs: Date.now() - started, preview };
}

async function runConnectorFlow(flow: Flow, options: FlowRunOptions): Promise<FlowRunSummary> {
  targetOf(flow, options);
  const db = options.db ?? `${flow.id}.db`;
  const summary = await syncFlowSource(flow, options);
  const counts = { read: summary.totals.records, failed: summary.totals.failed };
  try {
    const report = await deliverFlow(flow, options);
    const { flow: _flow, ...delivered } = report;
    const complete = summary.status === 'succeeded' && report.pending === 0 && report.deadLettered === 0;
    await recordFlowRun(db, flow.id, { kind: 'run', status: summary.status === 'failed' ? 'failed' : complete ? 'succeeded' : 'partial', startedAt: summary.startedAt, summary: { ...counts, sync: summary.status, ...delivered } });
    return { ...summary, mode: 'live', delivery: report };
  } catch (error) {
    await recordFlowRun(db, flow.id, { kind: 'run', status: 'failed', startedAt: summary.startedAt, summary: { ...counts, sync: summary.status, error: { code: (error as { code?: string }).code ?? 'ERROR', message: (error as Error).message } } });
    throw error;
  }
}
