// Structural validation: Ajv against the DSL's JSON Schema, with errors rewritten for people: one problem per
// place, the misspelled key named at its own pointer with a suggestion, unions reported once.
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import formatsModule, { type FormatsPlugin } from 'ajv-formats';
import type { TSchema } from 'typebox';
import { SITE_ANNOTATIONS } from '../dsl/contexts.ts';
import { DslCode, escapePointer, withSuggestion, type Problem } from './problems.ts';

const addFormats: FormatsPlugin = formatsModule.default ?? (formatsModule as unknown as FormatsPlugin);

let ajv: Ajv2020 | undefined;

export function dslAjv(): Ajv2020 {
  if (!ajv) {
    // Unoptimised code: the DSL's validator is compiled once per process and runs once per document, so the
    // optimiser's passes (about 40 % of the compile time) would cost every CLI start more than they ever save.
    // The DSL's own schemas are not checked against the meta-schema on every start (json-schema.test.ts does
    // that once); the meta-schema is compiled only when a definition's config schema is checked.
    ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false, discriminator: true, allowUnionTypes: true, verbose: true, validateSchema: false, code: { optimize: false } });
    addFormats(ajv, ['uri', 'email', 'date-time', 'date']);
    // The site annotations are data for the walkers (validate/sites.ts), not assertions.
    for (const keyword of Object.values(SITE_ANNOTATIONS)) ajv.addKeyword({ keyword, schemaType: 'string' });
  }
  return ajv;
}

const compiled = new WeakMap<TSchema, ValidateFunction>();

export function compileDsl(schema: TSchema): ValidateFunction {
  let validate = compiled.get(schema);
  if (!validate) {
    validate = dslAjv().compile(schema);
    compiled.set(schema, validate);
  }
  return validate;
}

function params(error: ErrorObject): Record<string, unknown> {
  return error.params as Record<string, unknown>;
}

function toProblem(error: ErrorObject): Problem | undefined {
  const p = params(error);
  const at = error.instancePath;
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String(p['additionalProperty']);
      const parent = error.parentSchema as { properties?: Record<string, unknown>; patternProperties?: Record<string, unknown> } | undefined;
      if (!parent?.properties && parent?.patternProperties) {
        // A map (streams, headers, mapped fields): the name itself is wrong, not a misspelled fixed key.
        return { code: DslCode.InvalidValue, severity: 'error', pointer: `${at}/${escapePointer(key)}`, message: `"${key}" is not a valid name here: it must match ${Object.keys(parent.patternProperties).join(' or ')}`, hint: (error.parentSchema as { description?: string }).description };
      }
      const properties = parent?.properties ?? {};
      const allowed = Object.keys(properties);
      return withSuggestion(
        {
          code: DslCode.UnknownKey,
          severity: 'error',
          pointer: `${at}/${escapePointer(key)}`,
          message: `unknown key "${key}"`,
          hint: allowed.length > 0 ? `Allowed here: ${allowed.join(', ')}.` : 'No other keys are allowed here.',
        },
        key,
        allowed,
      );
    }
    case 'required': {
      const key = String(p['missingProperty']);
      return { code: DslCode.MissingField, severity: 'error', pointer: `${at}/${escapePointer(key)}`, message: `missing required "${key}"`, hint: describeSchema(error, key) };
    }
    case 'enum': {
      const allowed = (p['allowedValues'] as unknown[]).map(String);
      const isKind = at.endsWith('/kind');
      return withSuggestion(
        {
          code: isKind ? DslCode.UnknownKind : DslCode.InvalidValue,
          severity: 'error',
          pointer: at,
          message: `${JSON.stringify(error.data)} is not one of ${allowed.join(', ')}`,
        },
        String(error.data),
        allowed,
      );
    }
    case 'const':
      if (at === '/dsl') {
        return { code: DslCode.UnsupportedVersion, severity: 'error', pointer: at, message: `DSL version ${JSON.stringify(error.data)} is not supported`, hint: `Use "${String(p['allowedValue'])}", or migrate the document with migrateDefinition().` };
      }
      return { code: DslCode.InvalidValue, severity: 'error', pointer: at, message: `must be ${JSON.stringify(p['allowedValue'])}` };
    case 'discriminator':
      // The kind's own enum error says it better; a missing kind is reported by `required`.
      return undefined;
    case 'anyOf':
      return { code: DslCode.InvalidValue, severity: 'error', pointer: at, message: 'must be one of { "path": … }, { "const": … } or { "expr": … }', hint: (error.parentSchema as { description?: string } | undefined)?.description };
    case 'propertyNames':
      return undefined; // reported by the nested pattern error with the offending name
    case 'pattern': {
      const name = p['propertyName'];
      if (name !== undefined) {
        return { code: DslCode.InvalidValue, severity: 'error', pointer: `${at}/${escapePointer(String(name))}`, message: `name "${String(name)}" must match ${String(p['pattern'])}` };
      }
      return { code: DslCode.InvalidValue, severity: 'error', pointer: at, message: `must match ${String(p['pattern'])}`, hint: (error.parentSchema as { description?: string } | undefined)?.description };
    }
    default:
      return { code: DslCode.InvalidValue, severity: 'error', pointer: at, message: error.message ?? error.keyword, hint: (error.parentSchema as { description?: string } | undefined)?.description };
  }
}

function describeSchema(error: ErrorObject, key: string): string | undefined {
  const properties = (error.parentSchema as { properties?: Record<string, { description?: string }> } | undefined)?.properties;
  const description = properties?.[key]?.description;
  return description ? `${key}: ${description}` : undefined;
}

/** Ajv errors → problems: union branches collapsed into the union's own problem, duplicates removed. */
export function structuralProblems(errors: readonly ErrorObject[] | null | undefined): Problem[] {
  const all = errors ?? [];
  const unions = all.filter((error) => error.keyword === 'anyOf').map((error) => error.schemaPath);
  const problems: Problem[] = [];
  const seen = new Set<string>();
  for (const error of all) {
    if (unions.some((union) => error.schemaPath.startsWith(`${union}/`))) continue;
    const problem = toProblem(error);
    if (!problem) continue;
    const id = `${problem.pointer}\u0000${problem.code}\u0000${problem.message}`;
    if (seen.has(id)) continue;
    seen.add(id);
    problems.push(problem);
  }
  return problems;
}
