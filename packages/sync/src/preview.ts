// previewFlow(): what a flow to a connector would write, without writing. The source is read (read-only, no
// checkpoint moves), the destination's current records of the same canonical type are read through its own
// streams (read-only), and each source record is matched to one — by the flow's id map, else by the flow's `match`
// fields — to say create, update (with the changed fields), delete, unchanged or skip (a deletion of a record the
// destination does not have). Only the fields the destination's writes send are compared.
import { diffCanonical, getCanonicalType, type CanonicalChange } from '@pullpush/canonical';
import { compileConnector, type Connector, type ConnectorOptions } from '@pullpush/engine';
import type { Flow } from '@pullpush/schema';
import { flowStoreExists, openFlowOutbox } from './flow-store.ts';

type Json = Record<string, unknown>;

export interface PreviewOptions {
  flow: Flow;
  source: { definition: unknown; config: Record<string, unknown>; engine?: Omit<ConnectorOptions, 'connection'> };
  target: { definition: unknown; config: Record<string, unknown>; engine?: Omit<ConnectorOptions, 'connection'> };
  /** The flow's SQLite file, whose id map says which remote record each key became (when it exists). */
  db?: string;
  /** Records read per source stream and per destination stream at most (default 10,000). */
  limit?: number;
  signal?: AbortSignal;
}

export type PreviewAction = 'create' | 'update' | 'delete' | 'unchanged' | 'skip';

export interface PreviewItem {
  key: string;
  type: string;
  action: PreviewAction;
  /** The destination record it was matched to. */
  remoteId?: string;
  /** For an update: the written fields that differ (JSON pointers, before at the destination, after from the source). */
  changes?: CanonicalChange[];
}

export interface FlowPreview {
  flow: string;
  counts: Record<PreviewAction, number>;
  items: PreviewItem[];
  /** A read stopped at the limit: the preview covers only what was read. */
  truncated: boolean;
  /** Requests sent: every one a read (both connectors run read-only). */
  requests: { source: number; destination: number };
}

/** The canonical fields a type's writes send: the first segment of each body path, and field names an expression uses. */
function writtenFields(definition: unknown, type: string): Set<string> {
  const [name, version] = type.split('@') as [string, string];
  const properties = Object.keys(((getCanonicalType(name, Number(version)).schema as { properties?: Json }).properties ?? {}) as Json);
  const writes = ((definition as { writes?: Record<string, Json> }).writes ?? {})[type] ?? {};
  const fields = new Set<string>();
  for (const operation of ['create', 'update', 'upsert'] as const) {
    for (const field of Object.values(((writes[operation] as { body?: Json } | undefined)?.body ?? {}) as Record<string, { path?: string; expr?: string }>)) {
      if (typeof field.path === 'string') fields.add(field.path.split('.')[0] as string);
      if (typeof field.expr === 'string') for (const property of properties) if (new RegExp(`\\b${property}\\b`).test(field.expr)) fields.add(property);
    }
  }
  return fields;
}

function pick(record: Json, fields: ReadonlySet<string>): Json {
  return Object.fromEntries([...fields].filter((field) => field in record).map((field) => [field, record[field]]));
}

interface ReadRecord {
  key: string;
  eventId: string;
  record: Json;
}

/** A stream's canonical records with their keys, up to `limit`; truncated when the read stopped there. */
async function readAll(connector: Connector, stream: string, limit: number, signal: AbortSignal | undefined): Promise<{ records: ReadRecord[]; truncated: boolean }> {
  const records: ReadRecord[] = [];
  let truncated = false;
  for await (const message of connector.read(stream, { limits: { maxRecords: limit }, ...(signal ? { signal } : {}) })) {
    if (message.type === 'record') records.push({ key: message.event.subject, eventId: message.event.id, record: message.event.data as Json });
    else if (message.type === 'end' && message.reason !== 'exhausted') truncated = true;
  }
  return { records, truncated };
}

/** What previewFlow found, with the source records behind each item (for reconcileFlow, which delivers them). */
export interface FlowComparison {
  preview: FlowPreview;
  sources: Map<string, ReadRecord>;
}

export async function previewFlow(options: PreviewOptions): Promise<FlowPreview> {
  return (await compareFlow(options)).preview;
}

const remoteIdOf = (record: Json) => String((record['remote'] as Json)['id']);

/** The source and the destination read (read-only) and matched record by record: what previewFlow reports. */
export async function compareFlow(options: PreviewOptions): Promise<FlowComparison> {
  const { flow } = options;
  const limit = options.limit ?? 10_000;
  if (flow.destination.kind !== 'connector') throw new TypeError('previewFlow previews flows to a connector destination.');
  const target = flow.destination;
  const source = await compileConnector(options.source.definition, options.source.config, { ...options.source.engine, connection: flow.source.connection, readOnly: true });
  const destination = await compileConnector(options.target.definition, options.target.config, { ...options.target.engine, connection: target.connection, readOnly: true });
  const outbox = options.db !== undefined && (await flowStoreExists(options.db, flow.id)) ? openFlowOutbox(options.db, flow.id) : undefined;
  const counts: Record<PreviewAction, number> = { create: 0, update: 0, delete: 0, unchanged: 0, skip: 0 };
  const items: PreviewItem[] = [];
  const sources = new Map<string, ReadRecord>();
  let truncated = false;
  try {
    // The destination's current records of each canonical type: read once per type.
    const snapshots = new Map<string, Json[]>();
    const snapshotOf = async (type: string): Promise<Json[]> => {
      let snapshot = snapshots.get(type);
      if (!snapshot) {
        snapshot = [];
        for (const stream of destination.streams) {
          const canonical = destination.canonicalType(stream);
          if (!canonical || `${canonical.name}@${canonical.version}` !== type) continue;
          const read = await readAll(destination, stream, limit, options.signal);
          truncated ||= read.truncated;
          snapshot.push(...read.records.map((entry) => entry.record).filter((record) => record['deleted'] !== true));
        }
        snapshots.set(type, snapshot);
      }
      return snapshot;
    };
    // The match fields' values as one text: records whose texts are equal are the same record.
    const matchText = (record: Json, fields: readonly string[]) => (fields.some((field) => record[field] === undefined || record[field] === null) ? undefined : JSON.stringify(fields.map((field) => record[field])));
    for (const stream of flow.source.streams) {
      const canonical = source.canonicalType(stream);
      if (!canonical) continue;
      const type = `${canonical.name}@${canonical.version}`;
      const fields = writtenFields(options.target.definition, type);
      const matchFields = flow.match?.[canonical.name] ?? [];
      const read = await readAll(source, stream, limit, options.signal);
      truncated ||= read.truncated;
      const snapshot = await snapshotOf(type);
      const byRemoteId = new Map(snapshot.map((candidate) => [remoteIdOf(candidate), candidate]));
      const byMatch = new Map<string, Json>();
      if (matchFields.length > 0) for (const candidate of snapshot) {
        const text = matchText(candidate, matchFields);
        if (text !== undefined && !byMatch.has(text)) byMatch.set(text, candidate);
      }
      for (const entry of read.records) {
        const { key, record } = entry;
        sources.set(key, entry);
        const knownId = await outbox?.remoteId(key);
        const text = matchFields.length === 0 ? undefined : matchText(record, matchFields);
        const found = (knownId === undefined ? undefined : byRemoteId.get(knownId)) ?? (text === undefined ? undefined : byMatch.get(text));
        const remoteId = found ? remoteIdOf(found) : undefined;
        let item: PreviewItem;
        if (record['deleted'] === true) item = { key, type, action: found ? 'delete' : 'skip' };
        else if (!found) item = { key, type, action: 'create' };
        else {
          const diff = diffCanonical(pick(found, fields), pick(record, fields));
          item = diff.equal ? { key, type, action: 'unchanged' } : { key, type, action: 'update', changes: diff.changes };
        }
        if (remoteId !== undefined) item.remoteId = remoteId;
        counts[item.action] += 1;
        items.push(item);
      }
    }
    return { preview: { flow: flow.id, counts, items, truncated, requests: { source: source.requestCount, destination: destination.requestCount } }, sources };
  } finally {
    await outbox?.close();
    await Promise.all([source.close(), destination.close()]);
  }
}
