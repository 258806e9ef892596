// runFlow: a flow document (@pullpush/schema's flow DSL) run once — its source streams into its destination.
import { PullPushError } from '@pullpush/canonical';
import { validateFlow, type Flow } from '@pullpush/schema';
import { SyncErrorCode } from './errors.ts';
import { openDestination } from './open-destination.ts';
import { runSync, type SyncOptions } from './run-sync.ts';
import type { SyncSummary } from './summary.ts';

export interface FlowRunOptions extends Omit<SyncOptions, 'destination' | 'streams' | 'connection'> {
  /** Values for `{{ $env.NAME }}` in destination paths (default process.env). */
  env?: Record<string, string | undefined>;
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

export async function runFlow(flow: Flow, options: FlowRunOptions): Promise<SyncSummary> {
  const id = (options.definition as { id?: unknown } | null)?.id;
  const report = validateFlow(flow, typeof id === 'string' ? { definitions: { [id]: options.definition } } : {});
  if (!report.ok) {
    const first = report.errors[0];
    throw new PullPushError(SyncErrorCode.InvalidFlow, `The flow ${flow.id} is not valid: ${first ? `${first.pointer} ${first.message}` : 'unknown error'}.`, {
      hint: 'Run `pullpush validate` on the flow to see every problem.',
      issues: report.errors.map((error) => ({ pointer: error.pointer, message: error.message, rule: error.code })),
    });
  }
  const target = flow.destination;
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
