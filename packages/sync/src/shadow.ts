// shadowFlow(): a candidate — a new revision of a flow's source definition, of its destination definition, or both
// — run beside the live one without writing anything. The source is read with each (read-only), each record's
// destination write is built but not sent (connector.planWrite), and the two are compared key by key: the writes
// that differ, with the fields that change, and a confidence score (the share of records written identically).
import { diffCanonical, type CanonicalChange } from '@pullpush/canonical';
import { compileConnector, type Connector, type ConnectorOptions, type PlannedWrite } from '@pullpush/engine';
import type { Flow } from '@pullpush/schema';

type Json = Record<string, unknown>;

interface Side {
  definition: unknown;
  config: Record<string, unknown>;
  engine?: Omit<ConnectorOptions, 'connection'>;
}

export interface ShadowOptions {
  flow: Flow;
  source: Side;
  target: Side;
  /** The revisions to try: a source definition, a destination definition, or both (same connections and configs). */
  candidate: { source?: unknown; target?: unknown };
  /** Records read per stream at most (default 10,000). */
  limit?: number;
  signal?: AbortSignal;
}

/** A planned write, or why it could not be made (an invalid record, an operation the destination lacks). */
export type ShadowWrite = PlannedWrite | { error: { code: string; message: string } } | null;

export interface ShadowDifference {
  key: string;
  type: string;
  /** Between the two writes' bodies (JSON pointers), when both could be made. */
  changes: CanonicalChange[];
  live: ShadowWrite;
  candidate: ShadowWrite;
}

export interface ShadowReport {
  flow: string;
  records: number;
  identical: number;
  /** identical / records (1 when there is nothing to compare). */
  confidence: number;
  differences: ShadowDifference[];
  /** Requests sent, every one a read. */
  requests: number;
}

async function records(connector: Connector, streams: readonly string[], limit: number, signal: AbortSignal | undefined): Promise<Map<string, { type: string; record: Json }>> {
  const out = new Map<string, { type: string; record: Json }>();
  for (const stream of streams) {
    const canonical = connector.canonicalType(stream);
    if (!canonical) continue;
    for await (const message of connector.read(stream, { limits: { maxRecords: limit }, ...(signal ? { signal } : {}) })) {
      if (message.type === 'record') out.set(message.event.subject, { type: `${canonical.name}@${canonical.version}`, record: message.event.data as Json });
    }
  }
  return out;
}

/** The write a record would become as a new record: a create, else an upsert. */
async function plan(destination: Connector, entry: { type: string; record: Json } | undefined): Promise<ShadowWrite> {
  if (!entry) return null;
  const operation = (destination.writes[entry.type] ?? []).includes('create') ? 'create' : 'upsert';
  try {
    return await destination.planWrite(entry.type, operation, entry.record);
  } catch (error) {
    const { code, message } = error as { code?: string; message: string };
    return { error: { code: code ?? 'SYNC_SHADOW', message } };
  }
}

export async function shadowFlow(options: ShadowOptions): Promise<ShadowReport> {
  const { flow } = options;
  if (flow.destination.kind !== 'connector') throw new TypeError('shadowFlow compares flows to a connector destination.');
  const target = flow.destination;
  const limit = options.limit ?? 10_000;
  const compile = (definition: unknown, side: Side, connection: string) => compileConnector(definition, side.config, { ...side.engine, connection, readOnly: true });
  const connectors = await Promise.all([
    compile(options.source.definition, options.source, flow.source.connection),
    compile(options.candidate.source ?? options.source.definition, options.source, flow.source.connection),
    compile(options.target.definition, options.target, target.connection),
    compile(options.candidate.target ?? options.target.definition, options.target, target.connection),
  ]);
  const [liveSource, candidateSource, liveTarget, candidateTarget] = connectors as [Connector, Connector, Connector, Connector];
  try {
    const live = await records(liveSource, flow.source.streams, limit, options.signal);
    const candidate = options.candidate.source === undefined ? live : await records(candidateSource, flow.source.streams, limit, options.signal);
    const differences: ShadowDifference[] = [];
    let identical = 0;
    const keys = new Set([...live.keys(), ...candidate.keys()]);
    for (const key of keys) {
      const [before, after] = await Promise.all([plan(liveTarget, live.get(key)), plan(candidateTarget, candidate.get(key))]);
      const bothPlanned = before !== null && after !== null && !('error' in before) && !('error' in after);
      const changes = bothPlanned ? diffCanonical({ url: before.url, body: before.body }, { url: after.url, body: after.body }).changes : [];
      if (bothPlanned && changes.length === 0) identical += 1;
      else differences.push({ key, type: (live.get(key) ?? candidate.get(key))?.type ?? '', changes, live: before, candidate: after });
    }
    return {
      flow: flow.id,
      records: keys.size,
      identical,
      confidence: keys.size === 0 ? 1 : identical / keys.size,
      differences,
      requests: connectors.reduce((sum, connector) => sum + connector.requestCount, 0),
    };
  } finally {
    await Promise.all(connectors.map((connector) => connector.close()));
  }
}
