// The DSL JSON Schema in pieces, so a model reads what it is writing rather than 55 KB at once: an outline of
// every key with its description, then one section at a time (auth, pagination, mapping…).
import { definitionJsonSchema } from '@pullpush/schema';

type Json = Record<string, unknown>;

export const SCHEMA_SECTIONS = ['outline', 'connection', 'auth', 'stream', 'pagination', 'incremental', 'partitions', 'mapping', 'writes', 'webhooks'] as const;
export type SchemaSection = (typeof SCHEMA_SECTIONS)[number];

/** The keys of the stream object under which the larger sections live. */
const STREAM_PARTS = ['pagination', 'incremental', 'partitions', 'mapping'] as const;
/** Top-level keys about reaching the API, in the connection section. */
const CONNECTION_KEYS = ['config', 'timeZone', 'http', 'rateLimits', 'retry', 'responseFilters', 'check'];

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The schema of one stream (the value of each entry under `streams`). */
function streamSchema(root: Json): Json {
  const streams = (root['properties'] as Json)['streams'] as Json;
  const patterns = streams['patternProperties'];
  return (isObject(patterns) ? Object.values(patterns)[0] : streams['additionalProperties']) as Json;
}

/** A schema cut to its keys: each property as its type and description, one level deep. */
function outlineOf(schema: Json, note?: string): Json {
  const properties = isObject(schema['properties']) ? schema['properties'] : {};
  return {
    ...(schema['description'] ? { description: schema['description'] } : {}),
    ...(note ? { $comment: note } : {}),
    ...(Array.isArray(schema['required']) ? { required: schema['required'] } : {}),
    properties: Object.fromEntries(
      Object.entries(properties).map(([key, value]) => {
        const property = isObject(value) ? value : {};
        return [key, { ...(property['type'] ? { type: property['type'] } : {}), ...(property['description'] ? { description: property['description'] } : {}) }];
      }),
    ),
  };
}

/** One section of the definition schema (see SCHEMA_SECTIONS). */
export function definitionSchemaSection(section: SchemaSection): Json {
  const root = definitionJsonSchema() as unknown as Json;
  const properties = root['properties'] as Json;
  const stream = streamSchema(root);
  switch (section) {
    case 'outline':
      return {
        definition: outlineOf(root, 'Each key in one line; get_connector_schema with a section gives its whole schema.'),
        stream: outlineOf(stream, 'The value of each entry under "streams".'),
      };
    case 'connection':
      return { type: 'object', properties: Object.fromEntries(CONNECTION_KEYS.map((key) => [key, properties[key]])) };
    case 'auth':
    case 'writes':
    case 'webhooks':
      return properties[section] as Json;
    case 'stream': {
      // The stream without its larger parts, which have sections of their own.
      const parts = stream['properties'] as Json;
      const trimmed = Object.fromEntries(Object.entries(parts).map(([key, value]) => [key, (STREAM_PARTS as readonly string[]).includes(key) ? { description: (value as Json)['description'], $comment: `get_connector_schema { "section": "${key}" }` } : value]));
      return { ...stream, properties: trimmed };
    }
    default:
      return (stream['properties'] as Json)[section] as Json;
  }
}
