// Seeded records for the mock API: a value of the right type and format for every field of a record schema,
// different for each record. Generic samplers (openapi-sampler, json-schema-faker) give one example or random
// values; a mock that pages needs unique keys and cursor fields that grow with the record's position, so this is
// written for that job.
import { isObject, type JsonObject } from './json.ts';

const BASE_TIME = Date.UTC(2026, 0, 1);
const MAX_DEPTH = 4;

/**
 * The `index`-th record of a list: keys are unique, timestamps grow with the index, nullable fields are sometimes
 * null and optional ones sometimes missing.
 */
export function sampleRecord(schema: JsonObject, index: number, key: string | undefined): JsonObject {
  const record = sample(schema, index, 0, '');
  if (!isObject(record)) return { value: record };
  // A record's key is never null or missing, whatever the schema allows, and it is unique.
  if (key !== undefined && (Object.hasOwn(record, key) || (isObject(schema['properties']) && Object.hasOwn(schema['properties'], key)))) {
    const keySchema = isObject(schema['properties']) ? (schema['properties'] as JsonObject)[key] : undefined;
    record[key] = isObject(keySchema) && typeOf(keySchema) === 'integer' ? index + 1 : `${key}-${index + 1}`;
  }
  return record;
}

function typeOf(schema: JsonObject): string | undefined {
  const type = schema['type'];
  if (Array.isArray(type)) return type.find((entry) => entry !== 'null') as string | undefined;
  return typeof type === 'string' ? type : isObject(schema['properties']) ? 'object' : undefined;
}

function sample(schema: unknown, index: number, depth: number, name: string): unknown {
  if (!isObject(schema)) return `${name || 'value'}-${index + 1}`;
  // A field that may be null is null in every third record, as real APIs send them: mappings must hold up.
  if (depth > 0 && Array.isArray(schema['type']) && schema['type'].includes('null') && index % 3 === 2) return null;
  const values = schema['enum'];
  if (Array.isArray(values) && values.length > 0) return values[index % values.length];
  switch (typeOf(schema)) {
    case 'object': {
      if (depth >= MAX_DEPTH) return {};
      const properties = isObject(schema['properties']) ? schema['properties'] : {};
      // Where the schema says which fields are required, the others are left out of every fourth record, as APIs do.
      const required = Array.isArray(schema['required']) ? schema['required'] : undefined;
      const kept = Object.entries(properties).filter(([field]) => !required || required.includes(field) || index % 4 !== 3);
      return Object.fromEntries(kept.map(([field, child]) => [field, sample(child, index, depth + 1, field)]));
    }
    case 'array':
      return depth >= MAX_DEPTH ? [] : [sample(schema['items'], index, depth + 1, name)];
    case 'integer':
      return bounded(schema, index + 1);
    case 'number':
      return bounded(schema, index + 1) + 0.5;
    case 'boolean':
      return index % 2 === 0;
    case 'string':
      return text(schema, index, name);
    default:
      return `${name || 'value'}-${index + 1}`;
  }
}

function bounded(schema: JsonObject, value: number): number {
  const minimum = typeof schema['minimum'] === 'number' ? schema['minimum'] : undefined;
  const maximum = typeof schema['maximum'] === 'number' ? schema['maximum'] : undefined;
  if (maximum !== undefined && value > maximum) return minimum !== undefined ? minimum + ((value - minimum) % (maximum - minimum + 1)) : maximum;
  return minimum !== undefined && value < minimum ? minimum + value : value;
}

/** Values real APIs put in fields of these names, so mappings that convert them see what they would in production. */
function byName(name: string, index: number): string | undefined {
  const lower = name.toLowerCase();
  if (/e-?mail/.test(lower)) return `person${index + 1}@example.com`;
  if (/currency/.test(lower)) return ['USD', 'EUR', 'GBP'][index % 3];
  if (/country/.test(lower)) return ['US', 'DE', 'GB'][index % 3];
  if (/(^|_)(url|uri|href|link|website)$|Url$/i.test(name)) return `https://example.com/${index + 1}`;
  if (/phone|mobile/.test(lower)) return `+1555010${String(index).padStart(4, '0')}`;
  if (/^(locale|language|lang)$/.test(lower)) return 'en';
  if (/(amount|price|total|balance|cost)$/.test(lower)) return `${(index + 1) * 10}.00`;
  return undefined;
}

function fits(schema: JsonObject, value: string): boolean {
  const maxLength = typeof schema['maxLength'] === 'number' ? schema['maxLength'] : Infinity;
  const minLength = typeof schema['minLength'] === 'number' ? schema['minLength'] : 0;
  return value.length <= maxLength && value.length >= minLength;
}

function text(schema: JsonObject, index: number, name: string): string {
  const time = new Date(BASE_TIME + index * 3_600_000);
  switch (schema['format']) {
    case 'date-time':
      return time.toISOString().replace('.000Z', 'Z');
    case 'date':
      return time.toISOString().slice(0, 10);
    case 'email':
      return `person${index + 1}@example.com`;
    case 'uri':
    case 'url':
      return `https://example.com/${encodeURIComponent(name)}/${index + 1}`;
    case 'uuid':
      return `00000000-0000-4000-8000-${String(index + 1).padStart(12, '0')}`;
    default: {
      const named = byName(name, index);
      if (named !== undefined && fits(schema, named)) return named;
      const value = `${name || 'text'}-${index + 1}`;
      const minLength = typeof schema['minLength'] === 'number' ? schema['minLength'] : 0;
      const maxLength = typeof schema['maxLength'] === 'number' ? schema['maxLength'] : Infinity;
      const padded = value.length < minLength ? value.padEnd(minLength, 'x') : value;
      return padded.length > maxLength ? String(index + 1).padStart(Math.max(1, maxLength), '0').slice(-maxLength) : padded;
    }
  }
}
