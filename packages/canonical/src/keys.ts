// Canonical keys: a stable string per record, built from the fields its type declares as the key.
import { type CanonicalTypeDefinition } from './definition.ts';
import { CanonicalErrorCode, PullPushError } from './errors.ts';
import { perDefinition } from './per-definition.ts';
import { resolveCanonicalType, type CanonicalRegistry } from './registry.ts';

function valueAt(record: unknown, keys: readonly string[]): unknown {
  let value = record;
  for (const key of keys) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

// Only the separator and the escape character are escaped, so keys stay readable (emails, SKUs, URLs).
function encodePart(part: string): string {
  return part.includes('%') || part.includes(':') ? part.replaceAll('%', '%25').replaceAll(':', '%3A') : part;
}

interface KeyPath {
  path: string;
  keys: readonly string[];
}

// A key is made twice per record read (its id, its event's subject): the paths are split once per type.
const keyPaths: (definition: CanonicalTypeDefinition) => readonly KeyPath[] = perDefinition((definition) => definition.key.map((path) => ({ path, keys: path.split('.') })));

function keyPart(definition: CanonicalTypeDefinition, record: unknown, { path, keys }: KeyPath): string {
  const value = valueAt(record, keys);
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  throw new PullPushError(
    CanonicalErrorCode.MissingKey,
    `Cannot build the key of a ${definition.name} record: "${path}" is ${value === undefined ? 'missing' : JSON.stringify(value)}.`,
    {
      hint: `Key fields of ${definition.name}: ${definition.key.join(', ')}. Map each to a non-empty string in the connector definition.`,
      issues: [{ pointer: `/${path.replaceAll('.', '/')}`, message: 'key field must be a non-empty string', rule: 'key' }],
    },
  );
}

/** The key parts of a record, in the order its type declares them; throws CANONICAL_MISSING_KEY. */
export function canonicalKeyParts(definition: CanonicalTypeDefinition, record: unknown): string[] {
  return keyPaths(definition).map((path) => keyPart(definition, record, path));
}

/**
 * The canonical key of `record`: `<type name>:<part>:<part>…`, e.g. `commerce.order:shopify:acme-store:1042` or
 * `commerce.stocklevel:MUG-BLK:warehouse-1`. The same field values always give the same key; the type version
 * is not part of it, so keys survive upcasting.
 */
export function canonicalKey(type: string | CanonicalTypeDefinition, record: unknown, registry?: CanonicalRegistry): string {
  const definition = resolveCanonicalType(type, registry);
  let key = definition.name;
  for (const path of keyPaths(definition)) key += `:${encodePart(keyPart(definition, record, path))}`;
  return key;
}
