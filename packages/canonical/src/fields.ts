// The fields of a canonical type as a mapping sees them: dotted paths, what kind of value each takes (money, an
// enum, a timestamp, …), whether it is required or nullable. Mapping suggestions and type descriptions read types
// through this.
import { DECIMAL_PATTERN } from './conventions.ts';
import type { CanonicalTypeDefinition } from './definition.ts';

type Schema = Record<string, unknown>;

export type FieldKind =
  | 'money'
  | 'enum'
  | 'choice'
  | 'timestamp'
  | 'date'
  | 'decimal'
  | 'email'
  | 'url'
  | 'currency'
  | 'country'
  | 'string'
  | 'integer'
  | 'number'
  | 'boolean'
  | 'array'
  | 'object'
  | 'map'
  | 'unknown';

export interface CanonicalField {
  path: string;
  kind: FieldKind;
  label: string;
  required: boolean;
  nullable: boolean;
  description: string;
  /** Inside an array (lines[].sku): not mappable by a path of its own. */
  inArray: boolean;
  values: string[];
  itemKind?: FieldKind;
}

function isSchema(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function typesOf(schema: Schema): string[] {
  const type = schema['type'];
  return Array.isArray(type) ? (type as string[]) : typeof type === 'string' ? [type] : [];
}

function nonNull(schema: Schema): Schema {
  const anyOf = schema['anyOf'];
  if (Array.isArray(anyOf)) return (anyOf.find((branch) => isSchema(branch) && branch['type'] !== 'null') as Schema | undefined) ?? schema;
  return schema;
}

function isNullable(schema: Schema): boolean {
  if (typesOf(schema).includes('null')) return true;
  return Array.isArray(schema['anyOf']) && schema['anyOf'].some((branch) => isSchema(branch) && branch['type'] === 'null');
}

function kindOf(schema: Schema): { kind: FieldKind; values: string[] } {
  const branch = nonNull(schema);
  const properties = isSchema(branch['properties']) ? branch['properties'] : undefined;
  if (properties && 'amount' in properties && 'currency' in properties) return { kind: 'money', values: [] };
  const value = properties?.['value'];
  if (properties && 'native' in properties && isSchema(value) && Array.isArray(value['enum'])) return { kind: 'enum', values: value['enum'].map(String) };
  if (Array.isArray(branch['enum'])) return { kind: 'choice', values: branch['enum'].filter((entry) => entry !== null).map(String) };
  const types = typesOf(branch).filter((type) => type !== 'null');
  if (types.includes('array')) return { kind: 'array', values: [] };
  if (types.includes('object')) return { kind: properties ? 'object' : 'map', values: [] };
  if (types.includes('string')) {
    if (branch['format'] === 'date-time') return { kind: 'timestamp', values: [] };
    if (branch['format'] === 'date') return { kind: 'date', values: [] };
    if (branch['pattern'] === DECIMAL_PATTERN) return { kind: 'decimal', values: [] };
    if (branch['format'] === 'email') return { kind: 'email', values: [] };
    if (branch['format'] === 'uri') return { kind: 'url', values: [] };
    if (branch['pattern'] === '^[A-Z]{3}$') return { kind: 'currency', values: [] };
    if (branch['pattern'] === '^[A-Z]{2}$') return { kind: 'country', values: [] };
    return { kind: 'string', values: [] };
  }
  if (types.includes('integer')) return { kind: 'integer', values: [] };
  if (types.includes('number')) return { kind: 'number', values: [] };
  if (types.includes('boolean')) return { kind: 'boolean', values: [] };
  return { kind: 'unknown', values: [] };
}

const LABELS: Record<FieldKind, string> = {
  money: 'money { amount: decimal string, currency: ISO 4217 }',
  enum: 'enum',
  choice: 'one of',
  timestamp: 'timestamp (ISO 8601 UTC)',
  date: 'date (YYYY-MM-DD)',
  decimal: 'decimal string',
  email: 'email',
  url: 'url',
  currency: 'currency code (ISO 4217)',
  country: 'country code (ISO 3166-1 alpha-2)',
  string: 'string',
  integer: 'integer',
  number: 'number',
  boolean: 'boolean',
  array: 'array',
  object: 'object',
  map: 'object (any keys)',
  unknown: 'any',
};

function labelOf(schema: Schema): string {
  const { kind, values } = kindOf(schema);
  if (kind === 'enum') return `enum { value: ${values.join(' | ')}, native }`;
  if (kind === 'choice') return values.join(' | ');
  if (kind === 'array') {
    const items = nonNull(schema)['items'];
    return isSchema(items) ? `array of ${kindOf(items).kind === 'object' ? 'object' : labelOf(items)}` : 'array';
  }
  return LABELS[kind];
}

/** Every field of a type, depth first in schema order: nested objects as dotted paths, array items as `[]`. */
export function canonicalFields(definition: CanonicalTypeDefinition): CanonicalField[] {
  const out: CanonicalField[] = [];
  const walk = (schema: Schema, prefix: string, inArray: boolean): void => {
    const branch = nonNull(schema);
    const properties = isSchema(branch['properties']) ? branch['properties'] : {};
    const required = Array.isArray(branch['required']) ? (branch['required'] as string[]) : [];
    for (const [name, child] of Object.entries(properties)) {
      if (!isSchema(child)) continue;
      const path = `${prefix}${name}`;
      const { kind, values } = kindOf(child);
      const items = nonNull(child)['items'];
      out.push({
        path,
        kind,
        label: labelOf(child),
        required: required.includes(name),
        nullable: isNullable(child),
        description: typeof child['description'] === 'string' ? child['description'] : '',
        inArray,
        values: values.filter((value) => value !== 'other'),
        ...(kind === 'array' && isSchema(items) ? { itemKind: kindOf(items).kind } : {}),
      });
      if (kind === 'object') walk(child, `${path}.`, inArray);
      else if (kind === 'array' && isSchema(items) && kindOf(items).kind === 'object') walk(items, `${path}[].`, true);
    }
  };
  walk(definition.schema as unknown as Schema, '', false);
  return out;
}
