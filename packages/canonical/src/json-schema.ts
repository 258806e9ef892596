// Canonical types as standalone JSON Schema documents (draft 2020-12) with stable ids.
import type { CanonicalTypeDefinition } from './definition.ts';
import { resolveCanonicalType, type CanonicalRegistry } from './registry.ts';

export const JSON_SCHEMA_DIALECT = 'https://json-schema.org/draft/2020-12/schema';

/** Stable `$id` of a canonical type's schema: `urn:pullpush:canonical:commerce.order:1`. */
export function canonicalSchemaId(definition: Pick<CanonicalTypeDefinition, 'name' | 'version'>): string {
  return `urn:pullpush:canonical:${definition.name}:${definition.version}`;
}

export type CanonicalJsonSchema = Record<string, unknown> & { $schema: string; $id: string; title: string };

/** The type's record schema as a self-contained draft 2020-12 document. */
export function canonicalJsonSchema(type: string | CanonicalTypeDefinition, registry?: CanonicalRegistry): CanonicalJsonSchema {
  const definition = resolveCanonicalType(type, registry);
  const schema = JSON.parse(JSON.stringify(definition.schema)) as Record<string, unknown>;
  return {
    $schema: JSON_SCHEMA_DIALECT,
    $id: canonicalSchemaId(definition),
    title: `${definition.name}@${definition.version} — ${definition.title}`,
    ...schema,
    description: definition.description,
  };
}
