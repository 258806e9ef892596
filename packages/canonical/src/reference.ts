// The generated reference document: one table per canonical type, every field with its type and description.
import type { CanonicalTypeDefinition } from './definition.ts';
import { DECIMAL_PATTERN } from './conventions.ts';
import { canonicalSchemaId } from './json-schema.ts';

type Schema = Record<string, unknown>;

function isSchema(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function nonNull(schema: Schema): Schema | undefined {
  const anyOf = schema['anyOf'];
  if (Array.isArray(anyOf)) return anyOf.find((branch) => isSchema(branch) && branch['type'] !== 'null') as Schema | undefined;
  return schema;
}

function describeType(schema: Schema): string {
  const types = Array.isArray(schema['type']) ? (schema['type'] as string[]) : schema['type'] ? [schema['type'] as string] : [];
  const branch = nonNull(schema) ?? schema;
  const nullable = types.includes('null') || (Array.isArray(schema['anyOf']) && branch !== schema);
  let text: string;
  const properties = isSchema(branch['properties']) ? branch['properties'] : undefined;
  const enumValues = properties && isSchema(properties['value']) ? properties['value']['enum'] : undefined;
  if (properties && 'amount' in properties && 'currency' in properties) text = 'Money';
  else if (properties && Array.isArray(enumValues) && 'native' in properties) {
    text = `enum ${enumValues.map((v) => `\`${String(v)}\``).join(' \\| ')}`;
  } else if (Array.isArray(branch['enum'])) text = (branch['enum'] as unknown[]).filter((v) => v !== null).map((v) => `\`${String(v)}\``).join(' \\| ');
  else if (branch['const'] !== undefined) text = `\`${String(branch['const'])}\``;
  else {
    const base = (Array.isArray(branch['type']) ? (branch['type'] as string[]) : [String(branch['type'] ?? 'any')]).filter((t) => t !== 'null');
    text = base.join(' \\| ');
    if (branch['pattern'] === DECIMAL_PATTERN) text = 'decimal string';
    else if (branch['format']) text += ` (${String(branch['format'])})`;
    if (base.includes('array') && isSchema(branch['items'])) text = `array of ${describeType(branch['items'])}`;
  }
  return nullable ? `${text} \\| null` : text;
}

function rows(schema: Schema, prefix: string, out: string[]): void {
  const branch = nonNull(schema) ?? schema;
  const properties = isSchema(branch['properties']) ? branch['properties'] : {};
  const required = Array.isArray(branch['required']) ? (branch['required'] as string[]) : [];
  for (const [name, child] of Object.entries(properties)) {
    if (!isSchema(child)) continue;
    const path = `${prefix}${name}`;
    const description = String(child['description'] ?? '').replaceAll('|', '\\|').replaceAll('\n', ' ');
    out.push(`| \`${path}\` | ${describeType(child)} | ${required.includes(name) ? 'yes' : 'no'} | ${description} |`);
    const inner = nonNull(child) ?? child;
    const leaf = isSchema(inner['properties']) && (('value' in inner['properties'] && 'native' in inner['properties']) || 'amount' in inner['properties']);
    if (isSchema(inner['properties']) && !leaf) {
      rows(inner, `${path}.`, out);
    } else if (isSchema(inner['items'])) {
      rows(inner['items'], `${path}[].`, out);
    }
  }
}

/** Markdown reference of the given types, in the order given. */
export function renderCanonicalReference(definitions: readonly CanonicalTypeDefinition[]): string {
  const out = [
    '# Canonical types reference',
    '',
    '<!-- Generated from the TypeBox definitions by `npm run generate -w @pullpush/canonical`; do not edit. -->',
    '',
    `${definitions.length} types. Money is \`{ amount: decimal string, currency: ISO 4217 }\`; timestamps are ISO 8601 UTC;`,
    'enums are `{ value, native }` with `other` for values the model does not name, `native` keeping the',
    "source's own value; `null` means \"no data\".",
    '',
    ...definitions.map((d) => `- [\`${d.name}@${d.version}\`](#${`${d.name}${d.version}`.replaceAll('.', '')}) — ${d.title}`),
  ];
  for (const definition of definitions) {
    out.push('', `## ${definition.name}@${definition.version}`, '', `**${definition.title}.** ${definition.description}`, '');
    out.push(`Key: ${definition.key.map((k) => `\`${k}\``).join(' + ')} · Schema id: \`${canonicalSchemaId(definition)}\``, '');
    out.push('| field | type | required | description |', '| --- | --- | --- | --- |');
    rows(definition.schema as unknown as Schema, '', out);
  }
  return `${out.join('\n')}\n`;
}
