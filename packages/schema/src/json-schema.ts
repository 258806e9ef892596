// The DSL as standalone JSON Schema documents (draft 2020-12), for editors and other tools. The files in
// schema/ are generated from the TypeBox source (`npm run generate`); a test keeps them equal.
import { ConnectorDefinition } from './dsl/definition.ts';
import { Flow } from './dsl/flow.ts';

export const JSON_SCHEMA_DIALECT = 'https://json-schema.org/draft/2020-12/schema';
export const DEFINITION_SCHEMA_ID = 'urn:pullpush:schema:connector-definition:v1';
export const FLOW_SCHEMA_ID = 'urn:pullpush:schema:flow:v1';

function document(id: string, title: string, schema: object): Record<string, unknown> {
  return { $schema: JSON_SCHEMA_DIALECT, $id: id, title, ...(JSON.parse(JSON.stringify(schema)) as object) };
}

/** JSON Schema of connector definitions (DSL v1). */
export function definitionJsonSchema(): Record<string, unknown> {
  return document(DEFINITION_SCHEMA_ID, 'PullPush connector definition (DSL v1)', ConnectorDefinition);
}

/** JSON Schema of flows (flow DSL v1). */
export function flowJsonSchema(): Record<string, unknown> {
  return document(FLOW_SCHEMA_ID, 'PullPush flow (flow DSL v1)', Flow);
}

/** The generated files, by path relative to the package. */
export function generatedSchemaFiles(): Record<string, string> {
  return {
    'schema/connector-definition.v1.json': `${JSON.stringify(definitionJsonSchema(), null, 2)}\n`,
    'schema/flow.v1.json': `${JSON.stringify(flowJsonSchema(), null, 2)}\n`,
  };
}
