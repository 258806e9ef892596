// @pullpush/canonical: the canonical data model, its validators and its event envelope.
export * from './conventions.ts';
export * from './definition.ts';
export * from './errors.ts';
export { checkConventions } from './check-conventions.ts';
export {
  CanonicalRegistry,
  defaultRegistry,
  getCanonicalType,
  listCanonicalTypes,
  registerCanonicalType,
  registerUpcaster,
  resolveCanonicalType,
  type Upcaster,
} from './registry.ts';
export {
  assertCanonical,
  canonicalValidator,
  compiledValidator,
  validateCanonical,
  type CanonicalValidation,
} from './validate.ts';
export { isDate, isDateTime } from './formats.ts';
export { canonicalJson } from './jcs.ts';
export { canonicalFields, type CanonicalField, type FieldKind } from './fields.ts';
export { canonicalKey, canonicalKeyParts } from './keys.ts';
export { diffCanonical, type CanonicalChange, type CanonicalDiff, type DiffOptions } from './diff.ts';
export * from './events.ts';
export * from './json-schema.ts';
export { renderCanonicalReference } from './reference.ts';
export { upcastCanonical, type UpcastOptions } from './upcast.ts';
export * from './types/commerce/index.ts';
export * from './types/crm/index.ts';
export * from './types/accounting/index.ts';
export * from './types/ticketing/index.ts';
export * from './types/hris/index.ts';
export * from './types/common/index.ts';
