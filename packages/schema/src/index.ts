// @pullpush/schema: the connector-definition and flow DSL, its JSON Schema, and the validator.
export { ConnectorDefinition, DSL_VERSION } from './dsl/definition.ts';
export { Flow, FLOW_DSL_VERSION } from './dsl/flow.ts';
export { AUTH_KINDS } from './dsl/auth.ts';
export { CURSOR_FORMATS, PAGINATION_KINDS, PARTITION_KINDS, REQUEST_CURSOR_FORMATS } from './dsl/stream.ts';
export { validateDefinition, validateFlow, type ValidateFlowOptions, type ValidateOptions } from './validate/index.ts';
export { DslCode, type Problem, type ValidationResult } from './validate/problems.ts';
export { parseDocumentText, validateDefinitionText, validateFlowText, type ParsedDocument } from './validate/text.ts';
export { placeholders } from './validate/expressions.ts';
export {
  EXPRESSION_CONTEXTS,
  EXPRESSION_VARIABLES,
  SITE_ANNOTATIONS,
  type ContextDeclaration,
  type ContextVariables,
  type ExpressionContext,
  type ExpressionVariable,
  type SiteForm,
} from './dsl/contexts.ts';
export { declaredSites, definitionSites, documentSites, flowSites, type DeclaredSite, type ExpressionSite } from './validate/sites.ts';
export { definitionJsonSchema, flowJsonSchema, generatedSchemaFiles, DEFINITION_SCHEMA_ID, FLOW_SCHEMA_ID } from './json-schema.ts';
export { migrateDefinition, DSL_MIGRATIONS, type DslMigration } from './migrate.ts';
export { definitionArtifact, type DefinitionArtifact } from './artifact.ts';
export {
  RegistryAccountRequest,
  RegistryAccountResult,
  RegistryAuditEntry,
  RegistryAuditLog,
  RegistryDeprecateRequest,
  RegistryDeprecateResult,
  RegistryDistTagRequest,
  RegistryDistTagResult,
  RegistryErrorBody,
  RegistryKeyRequest,
  RegistryKeyResult,
  RegistryKeys,
  RegistryPackageInfo,
  RegistryPublisherKey,
  RegistryPublishRequest,
  RegistryPublishResult,
  RegistrySearchHit,
  RegistrySearchResults,
  RegistryTokenRequest,
  RegistryTokenResult,
  RegistryVerification,
  RegistryVersionDownload,
  RegistryVersionInfo,
  RegistryYankRequest,
  RegistryYankResult,
} from './registry.ts';
export type * from './dsl/types.ts';
