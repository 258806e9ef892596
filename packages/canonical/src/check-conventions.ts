// Checks a canonical type definition against the conventions every canonical type follows, reporting every
// violation with a JSON pointer into the definition (schema pointers start at /schema).
import { isDeepStrictEqual } from 'node:util';
import { extensionFields, Money, recordFields, UTC_TIMESTAMP_PATTERN } from './conventions.ts';
import { TYPE_NAME_PATTERN, type CanonicalTypeDefinition } from './definition.ts';
import type { Issue } from './errors.ts';

type Schema = Record<string, unknown>;

const MONEY_NAME = /(amount|price|total|cost|balance|subtotal|tax|discount|fee|salary)$/i;
const plain = (value: unknown): unknown => JSON.parse(JSON.stringify(value));
const moneySchema = plain(Money);
/** What makes money money, whether the field is nullable or not. */
const moneyShape = (schema: Record<string, unknown>) =>
  plain({ properties: schema['properties'], required: schema['required'], additionalProperties: schema['additionalProperties'] });

function isSchema(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function types(schema: Schema): string[] {
  const { type } = schema;
  return Array.isArray(type) ? (type as string[]) : typeof type === 'string' ? [type] : [];
}

/** Sub-schemas of a schema with their pointer segments. */
function children(schema: Schema): Array<[string, Schema]> {
  const result: Array<[string, Schema]> = [];
  if (isSchema(schema['properties'])) {
    for (const [name, child] of Object.entries(schema['properties'])) {
      if (isSchema(child)) result.push([`/properties/${name.replaceAll('~', '~0').replaceAll('/', '~1')}`, child]);
    }
  }
  if (isSchema(schema['items'])) result.push(['/items', schema['items']]);
  for (const keyword of ['anyOf', 'oneOf', 'allOf']) {
    const list = schema[keyword];
    if (Array.isArray(list)) list.forEach((child, index) => isSchema(child) && result.push([`/${keyword}/${index}`, child]));
  }
  return result;
}

function walk(schema: Schema, pointer: string, issues: Issue[]): void {
  const properties = isSchema(schema['properties']) ? schema['properties'] : undefined;
  if (properties) {
    if (schema['additionalProperties'] !== false) {
      issues.push({ pointer, rule: 'closed-objects', message: 'objects must set additionalProperties: false (extra data goes into "custom")' });
    }
    const isMoney = 'amount' in properties && 'currency' in properties;
    if (isMoney && !isDeepStrictEqual(moneyShape(schema), moneyShape(moneySchema as Schema))) {
      issues.push({ pointer, rule: 'money', message: 'money must be the Money building block: { amount: decimal string, currency: ISO 4217 }' });
    }
    for (const [name, child] of Object.entries(properties)) {
      const at = `${pointer}/properties/${name}`;
      if (!isSchema(child)) continue;
      if (typeof child['description'] !== 'string' || child['description'].trim() === '') {
        issues.push({ pointer: at, rule: 'description', message: `field "${name}" needs a description` });
      }
      const numeric = types(child).some((type) => type === 'number' || type === 'integer');
      if (numeric && MONEY_NAME.test(name) && !/count|quantity|percent|rate/i.test(name)) {
        issues.push({ pointer: at, rule: 'money', message: `"${name}" looks like money: use MoneyField (decimal string + currency), never a number` });
      }
    }
    if (Array.isArray(schema['required']) && 'value' in properties && isSchema(properties['value']) && Array.isArray(properties['value']['enum'])) {
      if (!('native' in properties)) {
        issues.push({ pointer, rule: 'enum', message: 'an enum object must keep the source value in "native"' });
      }
    }
  }
  if (Array.isArray(schema['enum'])) {
    const values = schema['enum'].filter((value) => value !== null);
    if (values.every((value) => typeof value === 'string') && !values.includes('other')) {
      issues.push({ pointer, rule: 'enum', message: 'closed enums must include "other" (use the Enumerated building block)' });
    }
  }
  if (schema['format'] === 'date-time' && schema['pattern'] !== UTC_TIMESTAMP_PATTERN) {
    issues.push({ pointer, rule: 'timestamp', message: 'timestamps must be ISO 8601 UTC: use the Timestamp building block' });
  }
  for (const [segment, child] of children(schema)) walk(child, `${pointer}${segment}`, issues);
}

function checkRecordFields(schema: Schema, issues: Issue[]): void {
  const properties = isSchema(schema['properties']) ? schema['properties'] : {};
  const required = Array.isArray(schema['required']) ? (schema['required'] as string[]) : [];
  const expected = plain({ ...recordFields(), ...extensionFields() }) as Record<string, unknown>;
  for (const [name, wanted] of Object.entries(expected)) {
    const pointer = `/schema/properties/${name}`;
    if (!(name in properties)) {
      issues.push({ pointer, rule: 'record-fields', message: `every canonical record has "${name}": build the schema with CanonicalRecord()` });
    } else if (!isDeepStrictEqual(plain(properties[name]), wanted)) {
      issues.push({ pointer, rule: 'record-fields', message: `"${name}" must be the standard field from CanonicalRecord()` });
    }
  }
  for (const name of ['id', 'remote', 'createdAt', 'updatedAt', 'deleted']) {
    if (!required.includes(name)) issues.push({ pointer: '/schema/required', rule: 'record-fields', message: `"${name}" must be required` });
  }
}

function checkKey(definition: CanonicalTypeDefinition, issues: Issue[]): void {
  if (definition.key.length === 0) issues.push({ pointer: '/key', rule: 'key', message: 'a type declares at least one key field' });
  definition.key.forEach((path, index) => {
    let schema: unknown = definition.schema;
    for (const segment of path.split('.')) {
      const properties = isSchema(schema) && isSchema(schema['properties']) ? schema['properties'] : undefined;
      const required = isSchema(schema) && Array.isArray(schema['required']) ? (schema['required'] as string[]) : [];
      if (!properties || !(segment in properties) || !required.includes(segment)) {
        issues.push({ pointer: `/key/${index}`, rule: 'key', message: `key field "${path}" must be a required field of the record` });
        return;
      }
      schema = properties[segment];
    }
  });
}

export function checkConventions(definition: CanonicalTypeDefinition): Issue[] {
  const issues: Issue[] = [];
  if (!TYPE_NAME_PATTERN.test(definition.name)) {
    issues.push({ pointer: '/name', rule: 'name', message: `"${definition.name}" must look like "<domain>.<name>" in lower case` });
  }
  if (!Number.isInteger(definition.version) || definition.version < 1) {
    issues.push({ pointer: '/version', rule: 'version', message: 'version must be an integer ≥ 1' });
  }
  for (const field of ['title', 'description'] as const) {
    if (typeof definition[field] !== 'string' || definition[field].trim() === '') {
      issues.push({ pointer: `/${field}`, rule: 'description', message: `${field} must not be empty` });
    }
  }
  const schema = plain(definition.schema);
  if (!isSchema(schema) || schema['type'] !== 'object') {
    issues.push({ pointer: '/schema', rule: 'record-fields', message: 'the schema must be an object schema' });
    return issues;
  }
  checkRecordFields(schema, issues);
  walk(schema, '/schema', issues);
  checkKey(definition, issues);
  return issues;
}
