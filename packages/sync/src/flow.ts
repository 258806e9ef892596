// runFlow: a flow document (@pullpush/schema's flow DSL) run once — its source streams into its destination. A
// connector destination gets the records through the flow's own SQLite file: the sync stores them with their
// checkpoints and puts what changed in the flow's outbox, in one transaction each; deliver() then writes them.
import { PullPushError } from '@pullpush/canonical';
import { compileConnector, type ConnectorOptions } from '@pullpush/engine';
import { validateFlow, type Flow } from '@pullpush/schema';
import { SyncErrorCode } from './errors.ts';
import { openDestination } from './open-destination.ts';
import { deliver, type DeliveryOptions, type DeliveryReport } from './delivery.ts';
import { runSync, type SyncOptions } from './run-sync.ts';
import { SqliteStore } from './sqlite-store.ts';
import type { SyncSummary } from './summary.ts';

export interface FlowRunOptions extends Omit<SyncOptions, 'destination' | 'streams' | 'connection'> {
  /** Values for `{{ $env.NAME }}` in destination paths (default process.env). */
  env?: Record<string, string | undefined>;
  /** A connector destination's definition, its connection's config and engine options. */
  target?: { definition: unknown; config: Record<string, unknown>; engine?: Omit<ConnectorOptions, 'connection'> };
  /** The flow's SQLite file, for a connector destination (records, checkpoints, outbox, dead letters): default `<flow id>.db`. */
  db?: string;
  /** Delivery settings for a connector destination (concurrency, attempts, backoff, breaker, wait). */
  delivery?: Omit<DeliveryOptions, 'path' | 'flow' | 'destination' | 'operations' | 'signal'>;
}

/** A flow run: the sync, and for a connector destination what delivery did. */
export interface FlowRunSummary extends SyncSummary {
  delivery?: DeliveryReport;
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

export async function runFlow(flow: Flow, options: FlowRunOptions): Promise<FlowRunSummary> {
  const definitions: Record<string, unknown> = {};
  for (const definition of [options.definition, options.target?.definition]) {
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
  const target = flow.destination;
  if (target.kind === 'connector') return runConnectorFlow(flow, target, options);
  if (target.kind !== 'sqlite' && target.kind !== 'jsonl') {
    throw new PullPushError(SyncErrorCode.InvalidDestination, `Flow destinations of kind ${target.kind} are not supported by this version of @pullpush/sync.`, {
      hint: 'Use a sqlite or jsonl destination.',
    });
  }
  const env = options.env ?? process.env;
  const destination = openDestination({ kind: target.kind, path: renderPath(target.path, env) });
  try {
    return await runSync({ ...options, destination, connection: flow.source.connection, streams: flow.source.streams });
  } finally {
    await destination.close();
  }
}

async function runConnectorFlow(flow: Flow, target: Extract<Flow['destination'], { kind: 'connector' }>, options: FlowRunOptions): Promise<FlowRunSummary> {
  const { target: destinationSpec, env: _env, db, delivery, ...sync } = options;
  if (!destinationSpec || (destinationSpec.definition as { id?: unknown } | null)?.id !== target.connector) {
    throw new PullPushError(SyncErrorCode.MissingDestination, `The flow ${flow.id} writes to connector ${target.connector}, whose definition was not given.`, {
      hint: `Give the definition of ${target.connector} and the config of its connection ${target.connection}.`,
    });
  }
  const path = db ?? `${flow.id}.db`;
  const store = new SqliteStore(path, { outbox: flow.id });
  let summary: SyncSummary;
  try {
    summary = await runSync({ ...sync, destination: store, connection: flow.source.connection, streams: flow.source.streams });
  } finally {
    store.close();
  }
  const destination = await compileConnector(destinationSpec.definition, destinationSpec.config, { ...destinationSpec.engine, connection: target.connection });
  try {
    const report = await deliver({
      ...delivery,
      path,
      flow: flow.id,
      destination,
      ...(target.operations ? { operations: target.operations } : {}),
      ...(flow.match ? { lookUpFirst: Object.keys(flow.match) } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    return { ...summary, delivery: report };
  } finally {
    await destination.close();
  }
}
