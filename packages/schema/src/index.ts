// @pullpush/schema: the connector-definition and flow DSL, its JSON Schema, and the validator.
export { ConnectorDefinition, DSL_VERSION } from './dsl/definition.ts';
export { Flow, FLOW_DSL_VERSION } from './dsl/flow.ts';
export { AUTH_KINDS } from './dsl/auth.ts';
export { PAGINATION_KINDS, PARTITION_KINDS } from './dsl/stream.ts';
