// Validation of canonical records with Ajv: one validator compiled per type on first use and reused.
// JSON Schema carries the structure; formats add what a pattern cannot check (a currency code exists,
// a decimal string is within range, a timestamp is a real calendar instant).
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import formatsModule, { type FormatsPlugin } from 'ajv-formats';
import { CURRENCY_FORMAT, DECIMAL_PATTERN } from './conventions.ts';
import { typeRef, type CanonicalTypeDefinition } from './definition.ts';
import { CanonicalErrorCode, PullPushError, formatIssues, type Issue } from './errors.ts';
import { isDate, isDateTime } from './formats.ts';
import { perDefinition } from './per-definition.ts';
import { resolveCanonicalType, type CanonicalRegistry } from './registry.ts';

// ajv-formats is CommonJS: Node hands over module.exports, whose `default` is the plugin; bundlers may unwrap it.
const addFormats: FormatsPlugin = formatsModule.default ?? (formatsModule as unknown as FormatsPlugin);

const currencies = new Set(Intl.supportedValuesOf('currency'));

function createAjv(): Ajv2020 {
  const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
  addFormats(ajv, ['email', 'uri', 'uri-reference']);
  ajv.addFormat('date-time', { type: 'string', validate: isDateTime });
  ajv.addFormat('date', { type: 'string', validate: isDate });
  ajv.addFormat(CURRENCY_FORMAT, { type: 'string', validate: (code: string) => currencies.has(code) });
  return ajv;
}

let sharedAjv: Ajv2020 | undefined;

/** The compiled validator of a type; compiled once per definition object. */
export const compiledValidator: (definition: CanonicalTypeDefinition) => ValidateFunction = perDefinition((definition) => {
  sharedAjv ??= createAjv();
  return sharedAjv.compile(definition.schema);
});

function escapePointer(segment: string): string {
  return segment.replaceAll('~', '~0').replaceAll('/', '~1');
}

function describe(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties':
      return `unknown field "${String(params['additionalProperty'])}": canonical records are closed; put source-specific fields in "custom"`;
    case 'required':
      return `missing required field "${String(params['missingProperty'])}" (use null when the source has no value)`;
    case 'enum':
      return `must be one of ${(params['allowedValues'] as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'format':
      if (params['format'] === CURRENCY_FORMAT) return 'must be an ISO 4217 currency code known to the runtime';
      return `must be a valid ${String(params['format'])}`;
    case 'pattern':
      if (params['pattern'] === DECIMAL_PATTERN) return 'must be a decimal string such as "19.99" (no float, no exponent)';
      return `must match ${String(params['pattern'])}`;
    case 'type':
      return `must be ${Array.isArray(params['type']) ? (params['type'] as string[]).join(' or ') : String(params['type'])}`;
    default:
      return error.message ?? error.keyword;
  }
}

/** Ajv errors as issues with JSON pointers to the offending value, one per place and rule. */
export function toIssues(errors: readonly ErrorObject[] | null | undefined): Issue[] {
  const issues: Issue[] = [];
  const seen = new Set<string>();
  for (const error of errors ?? []) {
    const params = error.params as Record<string, unknown>;
    let pointer = error.instancePath;
    if (error.keyword === 'required') pointer += `/${escapePointer(String(params['missingProperty']))}`;
    if (error.keyword === 'additionalProperties') pointer += `/${escapePointer(String(params['additionalProperty']))}`;
    const issue = { pointer, message: describe(error), rule: error.keyword };
    const id = `${issue.pointer}\u0000${issue.rule}\u0000${issue.message}`;
    if (!seen.has(id)) {
      seen.add(id);
      issues.push(issue);
    }
  }
  // A pattern failure already says what a decimal must look like; the format issue at the same place adds nothing.
  return issues.filter(
    (issue) => !(issue.rule === 'format' && issues.some((other) => other.pointer === issue.pointer && other.rule === 'pattern')),
  );
}

export type CanonicalValidation<T = unknown> = { valid: true; value: T; issues: [] } | { valid: false; issues: Issue[] };

/**
 * Validates `value` against a canonical type (`commerce.order@1`, `commerce.order` for the latest version, or a
 * definition) and returns every issue with its JSON pointer. Never throws for any value; throws
 * `CANONICAL_UNKNOWN_TYPE` only for a type that does not exist.
 */
export function validateCanonical<T = unknown>(
  type: string | CanonicalTypeDefinition,
  value: unknown,
  registry?: CanonicalRegistry,
): CanonicalValidation<T> {
  const definition = resolveCanonicalType(type, registry);
  const validate = compiledValidator(definition);
  if (validate(value)) return { valid: true, value: value as T, issues: [] };
  return { valid: false, issues: toIssues(validate.errors) };
}

/**
 * A validation function for one type, resolved and compiled now: the form for hot loops (the engine validates
 * every record it maps with one of these).
 */
export function canonicalValidator<T = unknown>(
  type: string | CanonicalTypeDefinition,
  registry?: CanonicalRegistry,
): (value: unknown) => CanonicalValidation<T> {
  const validate = compiledValidator(resolveCanonicalType(type, registry));
  return (value) => (validate(value) ? { valid: true, value: value as T, issues: [] } : { valid: false, issues: toIssues(validate.errors) });
}

/** Like validateCanonical, but throws a `CANONICAL_INVALID_RECORD` PullPushError listing every issue. */
export function assertCanonical<T = unknown>(
  type: string | CanonicalTypeDefinition,
  value: unknown,
  registry?: CanonicalRegistry,
): T {
  const definition = resolveCanonicalType(type, registry);
  const result = validateCanonical<T>(definition, value, registry);
  if (result.valid) return result.value;
  throw new PullPushError(
    CanonicalErrorCode.InvalidRecord,
    `Record is not a valid ${typeRef(definition)} (${result.issues.length} issue${result.issues.length === 1 ? '' : 's'}):\n${formatIssues(result.issues)}`,
    {
      hint: `Fix the fields at the pointers listed; \`getCanonicalType('${typeRef(definition)}').schema\` describes every field.`,
      issues: result.issues,
    },
  );
}
