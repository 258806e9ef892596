// What a canonical type's schema says about its fields, for checking mappings.
import type { CanonicalTypeDefinition } from '@pullpush/canonical';

type Schema = Record<string, unknown>;

/** Fields the engine fills itself; mappings may not set them. */
export const ENGINE_FIELDS = new Set(['id', 'remote']);
/** Fields with an engine default: `deleted` is false unless mapped. */
export const DEFAULTED_FIELDS = new Set(['deleted', 'custom', 'raw']);

function isSchema(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function objectBranch(schema: Schema): Schema | undefined {
  if (isSchema(schema['properties'])) return schema;
  const anyOf = schema['anyOf'];
  if (Array.isArray(anyOf)) return anyOf.find((branch) => isSchema(branch) && isSchema(branch['properties'])) as Schema | undefined;
  return undefined;
}

export function isNullable(schema: Schema): boolean {
  const type = schema['type'];
  if (Array.isArray(type) && type.includes('null')) return true;
  if (Array.isArray(schema['anyOf'])) return schema['anyOf'].some((branch) => isSchema(branch) && branch['type'] === 'null');
  return false;
}

/** The schema of a dotted field path, or undefined when the type has no such field. */
export function fieldSchema(definition: CanonicalTypeDefinition, path: string): Schema | undefined {
  let schema: Schema | undefined = definition.schema as unknown as Schema;
  for (const segment of path.split('.')) {
    const branch: Schema | undefined = schema ? objectBranch(schema) : undefined;
    const properties: unknown = branch?.['properties'];
    if (!isSchema(properties) || !isSchema(properties[segment])) return undefined;
    schema = properties[segment];
  }
  return schema;
}

/** Field names available at the parent of `path`, for suggestions. */
export function siblingFields(definition: CanonicalTypeDefinition, path: string): string[] {
  const parent = path.split('.').slice(0, -1).join('.');
  const schema = parent === '' ? (definition.schema as unknown as Schema) : fieldSchema(definition, parent);
  const branch = schema ? objectBranch(schema) : undefined;
  return isSchema(branch?.['properties']) ? Object.keys(branch['properties']).map((name) => (parent ? `${parent}.${name}` : name)) : [];
}

/** Top-level required fields that are not nullable and that the engine does not fill (arrays default to []). */
export function fieldsThatMustBeMapped(definition: CanonicalTypeDefinition): string[] {
  const schema = definition.schema as unknown as Schema;
  const properties = isSchema(schema['properties']) ? schema['properties'] : {};
  const required = Array.isArray(schema['required']) ? (schema['required'] as string[]) : [];
  return required.filter((name) => {
    const field = properties[name];
    if (ENGINE_FIELDS.has(name) || DEFAULTED_FIELDS.has(name) || !isSchema(field)) return false;
    return !isNullable(field) && field['type'] !== 'array';
  });
}
