// One native record through a stream's mapping, without any request: how an assistant checks a mapping on a
// sample record (the MCP map_record tool) before testing against the API.
import { getCanonicalType, PullPushError } from '@pullpush/canonical';
import { DslCode, validateDefinition, type ConnectorDefinition } from '@pullpush/schema';
import { EngineErrorCode } from './errors.ts';
import { compileMapping, type MappingResult } from './mapping.ts';

export interface MapRecordOptions {
  /** Config values the mapping may read ($config); secrets are not needed. */
  config?: Record<string, unknown>;
  connection?: string;
  /** $now (default now). */
  now?: Date;
  partition?: unknown;
  parent?: unknown;
}

export type { MappingResult };

/** Maps `native` with the mapping of `stream`: the canonical record, or the failure with its pointers. */
export async function mapNativeRecord(definition: unknown, stream: string, native: unknown, options: MapRecordOptions = {}): Promise<MappingResult> {
  // Only the document's shape matters here: an http base URL is no reason to refuse a mapping check.
  const errors = validateDefinition(definition).errors.filter((problem) => problem.code !== DslCode.InsecureBaseUrl);
  if (errors.length > 0) {
    throw new PullPushError(EngineErrorCode.InvalidDefinition, `The definition has ${errors.length} error(s); the first: ${errors[0]?.pointer} ${errors[0]?.message}`, {
      hint: 'Run validateDefinition() (or `pullpush validate`) to see them all.',
      issues: errors.map((problem) => ({ pointer: problem.pointer, message: problem.message, rule: problem.code })),
    });
  }
  const def = definition as ConnectorDefinition;
  const spec = def.streams[stream];
  if (!spec) throw new PullPushError(EngineErrorCode.UnknownStream, `Connector ${def.id} has no stream "${stream}".`, { hint: `Streams: ${Object.keys(def.streams).join(', ')}.` });
  if (!spec.canonical || !spec.mapping) {
    throw new PullPushError(EngineErrorCode.UnknownStream, `Stream ${stream} of ${def.id} has no canonical mapping.`, { hint: 'Give the stream a canonical type and a mapping.' });
  }
  const mapping = compileMapping(getCanonicalType(spec.canonical), spec.mapping, { connector: def.id, connection: options.connection ?? 'default', stream, primaryKey: spec.primaryKey });
  return mapping.map(native, {
    config: options.config ?? {},
    state: {},
    partition: options.partition ?? null,
    parent: options.parent ?? null,
    now: (options.now ?? new Date()).toISOString(),
  });
}
