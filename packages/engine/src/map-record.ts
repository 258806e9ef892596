// One native record through a stream's mapping, without any request: how an assistant checks a mapping on a
// sample record (the MCP map_record tool) before testing against the API.
import { getCanonicalType, PullPushError } from '@pullpush/canonical';
import { EngineErrorCode } from './errors.ts';
import { compileMapping, type MappingResult } from './mapping.ts';
import { SiteTable } from './sites.ts';
import { assertValidDefinition } from './valid-definition.ts';

export interface MapRecordOptions {
  /** Config values the mapping may read ($config); secrets are not needed. */
  config?: Record<string, unknown>;
  connection?: string;
  /** The run time $now() returns (default now). */
  now?: Date;
  partition?: unknown;
  parent?: unknown;
}

export type { MappingResult };

/** Maps `native` with the mapping of `stream`: the canonical record, or the failure with its pointers. */
export async function mapNativeRecord(definition: unknown, stream: string, native: unknown, options: MapRecordOptions = {}): Promise<MappingResult> {
  // No request is sent: an http base URL is no reason to refuse a mapping check.
  const def = assertValidDefinition(definition, { allowInsecureHttp: true });
  const spec = def.streams[stream];
  if (!spec) throw new PullPushError(EngineErrorCode.UnknownStream, `Connector ${def.id} has no stream "${stream}".`, { hint: `Streams: ${Object.keys(def.streams).join(', ')}.` });
  if (!spec.canonical || !spec.mapping) {
    throw new PullPushError(EngineErrorCode.UnknownStream, `Stream ${stream} of ${def.id} has no canonical mapping.`, { hint: 'Give the stream a canonical type and a mapping.' });
  }
  const sites = new SiteTable(def, { timeZone: def.timeZone ?? 'UTC', now: (options.now ?? new Date()).toISOString() });
  const mapping = compileMapping(getCanonicalType(spec.canonical), spec.mapping, { connector: def.id, connection: options.connection ?? 'default', stream, primaryKey: spec.primaryKey, sites });
  return mapping.map(native, { config: options.config ?? {}, partition: options.partition ?? null, parent: options.parent ?? null });
}
