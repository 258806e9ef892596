// The libraries of the commands that call no API (validate, schema, canonical), loaded when one of them runs
// (`await import('../libraries/model.ts')`): help and usage errors start without them.
export { canonicalJsonSchema, getCanonicalType, listCanonicalTypes, typeRef } from '@pullpush/canonical';
export { definitionJsonSchema, flowJsonSchema, parseDocumentText, validateDefinitionText, validateFlowText } from '@pullpush/schema';
export { loadJsonDocument, readTextFile } from '../documents.ts';
