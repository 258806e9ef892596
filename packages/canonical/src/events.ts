// The canonical event envelope: CloudEvents 1.0 in structured JSON mode, with extension attributes naming the
// canonical type and version. Event ids are derived from the change itself, so re-reading the same change
// yields the same id and delivery can be idempotent.
import { hash } from 'node:crypto';
import Type from 'typebox';
import type { CanonicalTypeDefinition } from './definition.ts';
import { CanonicalErrorCode, PullPushError, formatIssues, type Issue } from './errors.ts';
import { canonicalSchemaId } from './json-schema.ts';
import { compileCanonicalJson, type CanonicalJsonWriter } from './jcs-compiled.ts';
import { canonicalKey } from './keys.ts';
import { perDefinition } from './per-definition.ts';
import { resolveCanonicalType, type CanonicalRegistry } from './registry.ts';
import { assertCanonical, compiledValidator, toIssues, validateCanonical } from './validate.ts';

export const CANONICAL_OPERATIONS = ['created', 'updated', 'deleted'] as const;
export type CanonicalOperation = (typeof CANONICAL_OPERATIONS)[number];

export interface CanonicalEvent<T = unknown> {
  specversion: '1.0';
  /** Deterministic: the same change of the same record always has the same id. */
  id: string;
  /** The connection and stream the record came from: `pullpush://shopify/acme-store/orders`. */
  source: string;
  /** `<canonical type name>.<operation>`: `commerce.order.updated`. */
  type: string;
  /** The record's canonical key. */
  subject: string;
  /** When the change happened in the source (the record's updatedAt), when known. */
  time?: string;
  datacontenttype: 'application/json';
  /** `$id` of the canonical type's JSON Schema. */
  dataschema: string;
  /** Extension attribute: canonical type name (`commerce.order`). */
  canonicaltype: string;
  /** Extension attribute: canonical type major version. */
  canonicalversion: number;
  data: T;
}

/** JSON Schema of the envelope (the data is checked against its own canonical type). */
export const CanonicalEventEnvelope = Type.Object(
  {
    specversion: Type.Literal('1.0', { description: 'CloudEvents specification version.' }),
    id: Type.String({ minLength: 1, description: 'Event id, deterministic per change.' }),
    source: Type.String({ minLength: 1, format: 'uri-reference', description: 'Connection and stream of the record.' }),
    type: Type.String({ pattern: '^[a-z][a-z0-9-]*\\.[a-z][a-z0-9-]*\\.(created|updated|deleted)$', description: 'Type name plus operation.' }),
    subject: Type.String({ minLength: 1, description: 'Canonical key of the record.' }),
    time: Type.Optional(Type.String({ format: 'date-time', description: 'When the change happened.' })),
    datacontenttype: Type.Literal('application/json', { description: 'Media type of data.' }),
    dataschema: Type.String({ format: 'uri', description: 'Schema id of the canonical type.' }),
    canonicaltype: Type.String({ minLength: 1, description: 'Canonical type name.' }),
    canonicalversion: Type.Integer({ minimum: 1, description: 'Canonical type version.' }),
    data: Type.Unknown({ description: 'The canonical record.' }),
  },
  { additionalProperties: true, description: 'A PullPush canonical event (CloudEvents 1.0, structured JSON).' },
);

// The envelope compiled through the same cached validator as the canonical types.
const envelopeDefinition: CanonicalTypeDefinition = Object.freeze({
  name: 'cloudevents.envelope',
  version: 1,
  title: 'CloudEvents envelope',
  description: 'CloudEvents 1.0 structured JSON envelope of a canonical event.',
  schema: CanonicalEventEnvelope,
  key: [],
});

export interface CreateEventOptions {
  /** Defaults to `deleted` for a tombstone (`deleted: true`) and `updated` otherwise (a read cannot tell new from changed). */
  operation?: CanonicalOperation;
  /**
   * What identifies this change in the source (a webhook delivery id, a change-log sequence). Defaults to a
   * digest of the record without `raw`, so the same record content gives the same id.
   */
  changeId?: string;
  /** Event time; defaults to the record's updatedAt, then createdAt. */
  time?: string;
  /** Validate the record first (default true). Turn off only where it was just validated. */
  validate?: boolean;
  registry?: CanonicalRegistry;
}

interface RecordLike {
  remote: { connector: string; connection: string; stream: string };
  updatedAt?: string | null;
  createdAt?: string | null;
  deleted?: boolean;
  raw?: unknown;
}

// The last source made: a read makes the same one for every record of a stream.
let lastSource: { connector: string; connection: string; stream: string; source: string } | undefined;

/** `pullpush://<connector>/<connection>/<stream>`, each part percent-encoded. */
export function canonicalSource(remote: RecordLike['remote']): string {
  const { connector, connection, stream } = remote;
  const last = lastSource;
  if (last !== undefined && connector === last.connector && connection === last.connection && stream === last.stream) return last.source;
  const source = `pullpush://${[connector, connection, stream].map(encodeURIComponent).join('/')}`;
  lastSource = { connector, connection, stream, source };
  return source;
}

/** A UUID-shaped id (RFC 9562 version 8, name-based via SHA-256) of the given parts. */
export function deterministicEventId(parts: readonly string[]): string {
  // The first 16 bytes of the digest, in hex, with the version (8) in the 13th digit and the variant (binary 10)
  // in the top bits of the 17th: written into the text, which costs less than a Buffer per record.
  const hex = hash('sha256', JSON.stringify(parts), 'hex');
  const variant = ((Number.parseInt(hex.charAt(16), 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

const GENERAL_CONTENT = compileCanonicalJson(undefined, { omit: ['raw'] });
/** The writer of a type's records without `raw`, generated from its schema once per definition. */
const contentWriter: (definition: CanonicalTypeDefinition) => CanonicalJsonWriter = perDefinition((definition) => compileCanonicalJson(definition.schema, { omit: ['raw'] }));

/** A record's canonical content: its RFC 8785 text without `raw` (the type, when given, only makes it faster). */
function contentText(record: unknown, type?: string | CanonicalTypeDefinition, registry?: CanonicalRegistry): string {
  const write = type === undefined ? GENERAL_CONTENT : contentWriter(resolveCanonicalType(type, registry));
  return write(record) ?? 'null';
}

/**
 * SHA-256 (hex) of a record's canonical content: its RFC 8785 JSON canonicalization, leaving out `raw`. The
 * type, when given, only makes it faster: the digest is the same with or without it.
 */
export function contentDigest(record: object, type?: string | CanonicalTypeDefinition, registry?: CanonicalRegistry): string {
  return hash('sha256', contentText(record, type, registry), 'hex');
}

// The text each event's id was computed from, kept on the event (a hidden property, so it goes with the event and
// never into its JSON) so that a store can write it rather than serialize the record a second time.
const CONTENT = Symbol('pullpush.content');

/**
 * The RFC 8785 JSON text of an event's data without `raw`: the content its id was computed from, remembered from
 * `createCanonicalEvent` (computed here for other events). An event is not to be changed once made — its id
 * would no longer match its data — and this text is of the data as it was made.
 */
export function canonicalContent(event: CanonicalEvent): string {
  const remembered = (event as unknown as Record<symbol, unknown>)[CONTENT];
  return typeof remembered === 'string' ? remembered : contentText(event.data);
}

/**
 * An event's data as JSON text without serializing it again: its canonical content (`canonicalContent`, members in
 * RFC 8785 order) with `raw` added back where the record kept it. The same JSON value as JSON.stringify(event.data).
 */
export function canonicalDataJson(event: CanonicalEvent): string {
  const content = canonicalContent(event);
  const raw = (event.data as { raw?: unknown } | null)?.raw;
  const rawText = raw === undefined ? undefined : JSON.stringify(raw);
  if (rawText === undefined) return content;
  return content === '{}' ? `{"raw":${rawText}}` : `${content.slice(0, -1)},"raw":${rawText}}`;
}

/**
 * An event as one line of JSON, fast: its envelope as JSON.stringify writes it, its data as `canonicalDataJson`.
 * The same JSON value as JSON.stringify(event); an event whose data is not a record (or cannot be canonicalized)
 * is written by JSON.stringify.
 */
export function canonicalEventJson(event: CanonicalEvent): string {
  const { data, ...envelope } = event;
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return JSON.stringify(event);
  let dataText: string;
  try {
    dataText = canonicalDataJson(event);
  } catch {
    return JSON.stringify(event);
  }
  const head = JSON.stringify(envelope);
  return head === '{}' ? `{"data":${dataText}}` : `${head.slice(0, -1)},"data":${dataText}}`;
}

/** Wraps a canonical record in its CloudEvents envelope. */
export function createCanonicalEvent<T extends object>(
  type: string | CanonicalTypeDefinition,
  record: T,
  options: CreateEventOptions = {},
): CanonicalEvent<T> {
  const definition = resolveCanonicalType(type, options.registry);
  if (options.validate !== false) assertCanonical(definition, record, options.registry);
  const fields = record as unknown as RecordLike;
  const operation = options.operation ?? (fields.deleted ? 'deleted' : 'updated');
  const source = canonicalSource(fields.remote);
  const ceType = `${definition.name}.${operation}`;
  const subject = canonicalKey(definition, record);
  const time = options.time ?? fields.updatedAt ?? fields.createdAt ?? undefined;
  const content = options.changeId === undefined ? contentText(record, definition) : undefined;
  const event: CanonicalEvent<T> = {
    specversion: '1.0',
    id: deterministicEventId([source, ceType, subject, options.changeId ?? hash('sha256', content as string, 'hex')]),
    source,
    type: ceType,
    subject,
    ...(time ? { time } : {}),
    datacontenttype: 'application/json',
    dataschema: canonicalSchemaId(definition),
    canonicaltype: definition.name,
    canonicalversion: definition.version,
    data: record,
  };
  if (content !== undefined) Object.defineProperty(event, CONTENT, { value: content });
  return event;
}

/**
 * Checks an event end to end: the envelope, that its type and dataschema agree with its canonical type and
 * version, that its data is a valid record of that type (pointers under `/data`) and that its subject is the
 * data's key. Never throws; unknown canonical types are reported as an issue.
 */
export function validateCanonicalEvent(event: unknown, registry?: CanonicalRegistry): Issue[] {
  const envelope = compiledValidator(envelopeDefinition);
  if (!envelope(event)) return toIssues(envelope.errors);
  const { canonicaltype, canonicalversion, type, subject, dataschema, data } = event as CanonicalEvent;
  let definition: CanonicalTypeDefinition;
  try {
    definition = resolveCanonicalType(`${canonicaltype}@${canonicalversion}`, registry);
  } catch (error) {
    return [{ pointer: '/canonicaltype', rule: 'canonical-type', message: (error as Error).message }];
  }
  const issues: Issue[] = [];
  if (!CANONICAL_OPERATIONS.some((operation) => type === `${definition.name}.${operation}`)) {
    issues.push({ pointer: '/type', rule: 'canonical-type', message: `must be ${definition.name}.created, .updated or .deleted` });
  }
  if (dataschema !== canonicalSchemaId(definition)) {
    issues.push({ pointer: '/dataschema', rule: 'canonical-type', message: `must be ${canonicalSchemaId(definition)}` });
  }
  const result = validateCanonical(definition, data, registry);
  for (const issue of result.issues) issues.push({ ...issue, pointer: `/data${issue.pointer}` });
  if (result.valid) {
    try {
      const key = canonicalKey(definition, data);
      if (key !== subject) issues.push({ pointer: '/subject', rule: 'key', message: `must be the data's canonical key "${key}"` });
    } catch (error) {
      issues.push({ pointer: '/subject', rule: 'key', message: (error as Error).message });
    }
  }
  return issues;
}

/** Like validateCanonicalEvent, but throws CANONICAL_INVALID_EVENT and returns the typed event. */
export function assertCanonicalEvent<T = unknown>(event: unknown, registry?: CanonicalRegistry): CanonicalEvent<T> {
  const issues = validateCanonicalEvent(event, registry);
  if (issues.length === 0) return event as CanonicalEvent<T>;
  const name = (event as Partial<CanonicalEvent>)?.canonicaltype;
  throw new PullPushError(CanonicalErrorCode.InvalidEvent, `Not a valid canonical event${name ? ` of ${name}` : ''}:\n${formatIssues(issues)}`, {
    hint: 'Create events with createCanonicalEvent() so the envelope, key and schema id agree with the data.',
    issues,
  });
}

