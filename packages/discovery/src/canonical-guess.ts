// Which canonical type a stream's records are, and the mapping to it. The resource's name proposes types (invoices
// → accounting.invoice); the record's fields confirm one, through the mapping suggestions. A mapping is drafted only
// when every field the type cannot do without is produced with confidence; otherwise the stream stays raw and the
// report says what was missing. Fields that may be null and are not matched default to null.
import { canonicalFields, listCanonicalTypes, typeRef, type CanonicalField, type CanonicalTypeDefinition } from '@pullpush/canonical';
import type { MappingSpec } from '@pullpush/schema';
import { isObject, type JsonObject } from './json.ts';
import { suggestMappings, type MappingSuggestion } from './mapping-suggestions.ts';
import { normal, singular } from './names.ts';
import { sampleRecord } from './sample-records.ts';

export interface CanonicalGuess {
  /** name@version */
  type: string;
  confidence: number;
  evidence: string[];
  /** The drafted mapping, when every field the type needs is produced. */
  mapping?: MappingSpec;
  /** Why there is no mapping: the fields that could not be produced. */
  missing?: string[];
  /** Mapped fields to check by hand (an integer amount may be in cents). */
  check: string[];
}

/** Resource names (singular, lower case, no separators) that name each type. */
const RESOURCE_NAMES: Record<string, readonly string[]> = {
  'accounting.invoice': ['invoice', 'bill'],
  'accounting.payment': ['payment', 'charge'],
  'commerce.customer': ['customer', 'buyer', 'shopper'],
  'commerce.fulfillment': ['fulfillment', 'fulfilment', 'shipment', 'delivery'],
  'commerce.location': ['location', 'warehouse', 'store'],
  'commerce.order': ['order', 'salesorder', 'purchase'],
  'commerce.product': ['product', 'catalogitem'],
  'commerce.stocklevel': ['stocklevel', 'inventorylevel', 'inventory', 'stock', 'inventorycount'],
  'common.user': ['user', 'member', 'admin', 'agent', 'teammate'],
  'crm.activity': ['activity', 'engagement', 'interaction'],
  'crm.company': ['company', 'organization', 'organisation'],
  'crm.contact': ['contact', 'person', 'people', 'lead'],
  'crm.deal': ['deal', 'opportunity'],
  'crm.task': ['task', 'todo'],
  'hris.employee': ['employee', 'worker', 'staff'],
  'ticketing.comment': ['comment', 'reply'],
  'ticketing.ticket': ['ticket', 'issue', 'case', 'incident'],
};

/**
 * Fields that say nothing of which type a record is: the engine fills id and remote, every type has deleted (false
 * unless mapped), custom and raw. They count neither for coverage nor as fields a mapping must produce.
 */
const COMMON_FIELDS = new Set(['id', 'remote', 'deleted', 'custom', 'raw']);
/** Fields are mapped from suggestions this sure; a field the type cannot do without takes one from 0.5. */
const MAPPED_CONFIDENCE = 0.65;
const NEEDED_CONFIDENCE = 0.5;
/** Below this share of the type's fields found in the record, the resource's name is not enough: the stream stays raw. */
const MIN_COVERAGE = 0.15;

export function guessCanonical(resource: string, recordSchema: JsonObject, key: string | undefined): CanonicalGuess | undefined {
  const name = singular(normal(resource));
  const candidates = listCanonicalTypes().filter((definition) => RESOURCE_NAMES[definition.name]?.includes(name));
  const latest = new Map<string, CanonicalTypeDefinition>();
  for (const definition of candidates) if ((latest.get(definition.name)?.version ?? 0) < definition.version) latest.set(definition.name, definition);
  const guesses = [...latest.values()].map((definition) => guessFor(definition, resource, recordSchema, key));
  guesses.sort((a, b) => Number(b.mapping !== undefined) - Number(a.mapping !== undefined) || b.confidence - a.confidence);
  return guesses[0];
}

function guessFor(definition: CanonicalTypeDefinition, resource: string, recordSchema: JsonObject, key: string | undefined): CanonicalGuess {
  const sample = sampleRecord(recordSchema, 0, key);
  const suggestions = suggestMappings(definition, sample);
  const fields = canonicalFields(definition).filter((field) => !field.inArray && !COMMON_FIELDS.has(root(field.path)));
  const topLevel = fields.filter((field) => !field.path.includes('.'));
  const confident = suggestions.suggestions.filter((suggestion) => suggestion.mapping && suggestion.confidence >= MAPPED_CONFIDENCE);
  const coverage = topLevel.length === 0 ? 0 : topLevel.filter((field) => confident.some((suggestion) => root(suggestion.field) === field.path)).length / topLevel.length;
  const confidence = Math.round((0.6 + 0.4 * coverage) * 100) / 100;
  const evidence = [`"${resource}" names ${definition.name}`, `${Math.round(coverage * 100)}% of its fields match fields of the record with confidence ≥ ${MAPPED_CONFIDENCE}`];
  const fieldsOut: Record<string, unknown> = {};
  for (const suggestion of confident) fieldsOut[suggestion.field] = suggestion.mapping;
  dropIncompleteObjects(definition, fieldsOut, evidence);
  const missing: string[] = [];
  for (const field of mustMap(definition)) {
    const produced = Object.keys(fieldsOut).some((mapped) => mapped === field.path || mapped.startsWith(`${field.path}.`));
    const source = produced
      ? confident.find((suggestion) => suggestion.field === field.path)
      : suggestions.suggestions.find((suggestion) => suggestion.field === field.path && suggestion.mapping && suggestion.confidence >= NEEDED_CONFIDENCE);
    // A field that may not be null, copied from one the description says may be: records would fail on every null.
    const nullable = source && NULL_UNSAFE_KINDS.has(field.kind) ? sourcePaths(source).find((path) => nullableAt(recordSchema, path)) : undefined;
    if (nullable) {
      delete fieldsOut[field.path];
      missing.push(`${field.path} (its source ${nullable} may be null)`);
      continue;
    }
    if (produced) continue;
    if (source) {
      fieldsOut[field.path] = source.mapping;
      evidence.push(`${field.path}: from ${source.path} (${source.confidence}: ${source.reason})`);
      continue;
    }
    const parts = field.kind === 'object' ? objectMapping(definition, field, suggestions.suggestions) : undefined;
    if (parts) {
      Object.assign(fieldsOut, parts.fields);
      evidence.push(...parts.evidence);
      continue;
    }
    const array = field.kind === 'array' ? arrayMapping(definition, field, suggestions.suggestions, sample) : undefined;
    if (array) {
      fieldsOut[field.path] = array;
      evidence.push(`${field.path}: each item mapped field by field`);
    } else if (field.kind === 'array') {
      fieldsOut[field.path] = { const: [] };
      evidence.push(`${field.path}: no list of the record matches, so it is always empty`);
    } else if (field.kind === 'enum') {
      fieldsOut[field.path] = { const: { value: 'other', native: null } };
      evidence.push(`${field.path}: no field of the record matches, so it is always "other"`);
    } else {
      missing.push(field.path);
    }
  }
  const ref = typeRef(definition);
  const check = suggestions.suggestions.filter((suggestion) => Object.hasOwn(fieldsOut, suggestion.field) && /check the unit/.test(suggestion.reason)).map((suggestion) => `${suggestion.field} from ${suggestion.path}: ${suggestion.reason}`);
  if (coverage < MIN_COVERAGE) return { type: ref, confidence, evidence, check: [], missing: [`more of its fields (${Math.round(coverage * 100)}% found, ${Math.round(MIN_COVERAGE * 100)}% needed)`] };
  if (missing.length > 0) return { type: ref, confidence, evidence, check: [], missing };
  return { type: ref, confidence, evidence, check, mapping: { fields: fieldsOut as MappingSpec['fields'] } };
}

/** The native fields a suggested mapping reads: its path, and a money mapping's currency. */
function sourcePaths(suggestion: MappingSuggestion): string[] {
  return [suggestion.path, ...[...JSON.stringify(suggestion.mapping).matchAll(/\$uppercase\(([^)]+)\)/g)].map((match) => match[1] as string)];
}

/** Kinds a null cannot be mapped into without inventing a value (enums become "other", lists empty, booleans false). */
const NULL_UNSAFE_KINDS = new Set(['string', 'timestamp', 'date', 'decimal', 'email', 'url', 'currency', 'country', 'integer', 'number', 'money', 'choice']);

/** Whether the record schema says the field at a (dotted, possibly back-quoted) path may be null or missing. */
function nullableAt(schema: JsonObject, path: string): boolean {
  let node: unknown = schema;
  for (const segment of path.split('.').map((part) => part.replaceAll('`', ''))) {
    const properties = isObject(node) && isObject(node['properties']) ? node['properties'] : undefined;
    // Without a required list a schema says nothing of presence; with one, a field not in it may be missing.
    const required = isObject(node) && Array.isArray(node['required']) ? (node['required'] as unknown[]) : undefined;
    node = properties?.[segment];
    if (!isObject(node)) return true;
    const type = node['type'];
    if ((Array.isArray(type) && type.includes('null')) || (required !== undefined && !required.includes(segment))) return true;
  }
  return false;
}

function root(path: string): string {
  return path.split('.')[0] as string;
}

/**
 * A nested object is produced whole or not at all: when a mapping produces some of an object's fields but not one
 * it may not do without (totals.total without totals.currency), its fields are dropped and the object stays null.
 */
function dropIncompleteObjects(definition: CanonicalTypeDefinition, fields: Record<string, unknown>, evidence: string[]): void {
  const all = canonicalFields(definition).filter((field) => !field.inArray);
  const objects = new Set(Object.keys(fields).filter((path) => path.includes('.')).map((path) => path.slice(0, path.lastIndexOf('.'))));
  for (const object of [...objects].sort((a, b) => b.length - a.length)) {
    const needed = all.filter((field) => field.path.startsWith(`${object}.`) && !field.path.slice(object.length + 1).includes('.') && field.required && !field.nullable);
    const lacking = needed.filter((field) => !Object.keys(fields).some((mapped) => mapped === field.path || mapped.startsWith(`${field.path}.`)));
    if (lacking.length === 0) continue;
    for (const mapped of Object.keys(fields)) if (mapped.startsWith(`${object}.`)) delete fields[mapped];
    evidence.push(`${object}: left out, no field of the record holds ${lacking.map((field) => field.path).join(', ')}`);
  }
}

/** Top-level fields that are required and may not be null: a mapping must produce them. */
function mustMap(definition: CanonicalTypeDefinition): CanonicalField[] {
  return canonicalFields(definition).filter((field) => !field.inArray && !field.path.includes('.') && field.required && !field.nullable && !COMMON_FIELDS.has(field.path));
}

/**
 * An object the type cannot do without (an order's totals), from the record's fields with confidence from 0.5,
 * when every field of it that may not be null is among them; undefined otherwise.
 */
function objectMapping(definition: CanonicalTypeDefinition, field: CanonicalField, suggestions: readonly MappingSuggestion[]): { fields: Record<string, unknown>; evidence: string[] } | undefined {
  const inside = suggestions.filter((suggestion) => suggestion.field.startsWith(`${field.path}.`) && !suggestion.field.slice(field.path.length + 1).includes('.') && suggestion.mapping && suggestion.confidence >= NEEDED_CONFIDENCE);
  const needed = canonicalFields(definition).filter((entry) => entry.path.startsWith(`${field.path}.`) && !entry.path.slice(field.path.length + 1).includes('.') && entry.required && !entry.nullable);
  if (inside.length === 0 || needed.some((entry) => !inside.some((suggestion) => suggestion.field === entry.path))) return undefined;
  return {
    fields: Object.fromEntries(inside.map((suggestion) => [suggestion.field, suggestion.mapping])),
    evidence: inside.map((suggestion) => `${suggestion.field}: from ${suggestion.path} (${suggestion.confidence}: ${suggestion.reason})`),
  };
}

/**
 * An array of objects (order lines) mapped item by item: the native list the suggestions matched to the field,
 * and, for each of the item type's fields, the item field that holds it. Null when the items cannot be produced.
 */
function arrayMapping(definition: CanonicalTypeDefinition, field: CanonicalField, suggestions: readonly MappingSuggestion[], sample: JsonObject): { expr: string } | undefined {
  if (field.itemKind !== 'object') return undefined;
  const list = suggestions.find((suggestion) => suggestion.field === field.path);
  if (!list) return undefined;
  const native = valueAt(sample, list.path.split('.'));
  const item = Array.isArray(native) ? native[0] : undefined;
  const schema = itemSchema(definition, field.path);
  if (!isObject(item) || !schema) return undefined;
  const itemDefinition = { ...definition, schema } as CanonicalTypeDefinition;
  // Items often carry no currency of their own (order lines): the record's currency, reached as $$.currency.
  const borrowed = typeof sample['currency'] === 'string' && !Object.keys(item).some((name) => /currency/i.test(name));
  const itemSample = borrowed ? { ...item, currency: sample['currency'] } : item;
  const itemSuggestions = suggestMappings(itemDefinition, itemSample).suggestions.filter((suggestion) => suggestion.mapping && suggestion.confidence >= NEEDED_CONFIDENCE && suggestion.field !== 'currency');
  const entries = new Map(itemSuggestions.filter((suggestion) => !suggestion.field.includes('.')).map((suggestion) => {
    const mapping = suggestion.mapping as { path?: string; expr?: string };
    const text = mapping.path ?? `(${mapping.expr})`;
    // The borrowed field is read from the record ($$), not the item: every bare reference to it, not the 'currency' key.
    return [suggestion.field, borrowed ? text.replace(/(?<![\w.$'`])currency(?![\w'`])/g, () => '$$.currency') : text];
  }));
  // An item's id is its own (the engine fills only the record's): the item's id field, as text.
  const nativeId = Object.keys(item).find((name) => name === 'id');
  if (!entries.has('id') && nativeId && canonicalFields(itemDefinition).some((entry) => entry.path === 'id')) entries.set('id', `$string(${nativeId})`);
  const required = canonicalFields(itemDefinition).filter((entry) => !entry.path.includes('.') && entry.required && !entry.nullable);
  if (required.some((entry) => !entries.has(entry.path))) return undefined;
  const parts = [...entries].map(([name, text]) => `'${name}': ${text}`);
  return { expr: `[${list.path}.{ ${parts.join(', ')} }]` };
}

function valueAt(value: unknown, path: readonly string[]): unknown {
  let node = value;
  for (const segment of path) node = isObject(node) ? node[segment.replaceAll('`', '')] : undefined;
  return node;
}

/** The item schema of an array field of the type (lines → the line object). */
function itemSchema(definition: CanonicalTypeDefinition, path: string): Record<string, unknown> | undefined {
  const property = (definition.schema as { properties?: Record<string, unknown> }).properties?.[path];
  if (!isObject(property)) return undefined;
  const branch = Array.isArray(property['anyOf']) ? (property['anyOf'] as unknown[]).find((entry) => isObject(entry) && entry['type'] !== 'null') : property;
  const items = isObject(branch) ? branch['items'] : undefined;
  return isObject(items) ? items : undefined;
}
