// Properties of the validator over arbitrary input: it never throws, and every problem points at a place
// that exists in the document (or, for problems about something absent, at where it belongs).
import type { ValidateFunction } from 'ajv/dist/2020.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DslCode, validateDefinition, validateDefinitionText, validateFlow, type Problem, type ValidationResult } from '../src/index.ts';
import { ConnectorDefinition } from '../src/dsl/definition.ts';
import { Flow } from '../src/dsl/flow.ts';
import { JSON_SCHEMA_DIALECT } from '../src/json-schema.ts';
import { createDslAjv, dslValidators } from '../src/validate/structural.ts';
import { shopDefinition } from './fixtures.ts';

// Fixed seeds: the runs are the same on every machine and every time.
const RUNS = { numRuns: 400, seed: 0x5ca1ab1e };

type JsonValue = unknown;

const MISSING = Symbol('missing');

/** RFC 6901: resolves a JSON pointer, or MISSING. */
function resolve(document: unknown, pointer: string): unknown {
  if (pointer === '') return document;
  if (!pointer.startsWith('/')) return MISSING;
  let current: unknown = document;
  for (const token of pointer.slice(1).split('/')) {
    const key = token.replaceAll('~1', '/').replaceAll('~0', '~');
    if (Array.isArray(current)) {
      if (!/^(0|[1-9][0-9]*)$/.test(key) || Number(key) >= current.length) return MISSING;
      current = current[Number(key)];
    } else if (typeof current === 'object' && current !== null) {
      if (!Object.hasOwn(current, key)) return MISSING;
      current = (current as Record<string, unknown>)[key];
    } else {
      return MISSING;
    }
  }
  return current;
}

function parentOf(pointer: string): string {
  return pointer.slice(0, pointer.lastIndexOf('/'));
}

/**
 * Problems about something absent point at where it belongs: the pointer itself need not resolve, its parent must.
 * Besides the codes that always mean "missing", two rules point at an absent member: the config schema's missing
 * `type`, and a POST read's missing `search` flag.
 */
const ABSENCE_CODES = new Set<string>([DslCode.MissingField, DslCode.NoRateLimit, DslCode.NoCheck, DslCode.FullRefresh, DslCode.WriteWithoutRemoteId, DslCode.MissingMapping]);

function pointsAtAbsence(problem: Problem): boolean {
  if (ABSENCE_CODES.has(problem.code)) return true;
  if (problem.code === DslCode.MissingCanonicalField || problem.code === DslCode.KeyNotMapped) return problem.pointer.endsWith('/fields');
  if (problem.code === DslCode.InvalidConfigSchema) return problem.pointer === '/config/type';
  if (problem.code === DslCode.PaginationIncoherent) return problem.pointer.endsWith('/request/search');
  return false;
}

function unresolved(document: unknown, result: ValidationResult): Problem[] {
  return [...result.errors, ...result.warnings].filter((problem) => {
    if (resolve(document, problem.pointer) !== MISSING) return false;
    return !(pointsAtAbsence(problem) && resolve(document, parentOf(problem.pointer)) !== MISSING);
  });
}

function expectShape(result: ValidationResult): void {
  expect(result.ok).toBe(result.errors.length === 0);
  for (const problem of [...result.errors, ...result.warnings]) {
    expect(typeof problem.code).toBe('string');
    expect(problem.message.length).toBeGreaterThan(0);
  }
}

// ---- mutations of the valid shop definition ----

/** Own-property assignment, safe for keys such as "__proto__". */
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

interface Mutation {
  /** Each step picks a key (or index) of the current container: steps[i] modulo its size. */
  steps: number[];
  op: 'replace' | 'delete' | 'rename' | 'graft';
  value: JsonValue;
  /** For graft: the path (chosen like `steps`) of a subtree of the valid definition that replaces the target. */
  from: number[];
  /** For rename: where a character is inserted or removed, and which. */
  at: number;
  char: string;
  insert: boolean;
}

function isContainer(value: unknown): value is Record<string, unknown> | unknown[] {
  return typeof value === 'object' && value !== null && (Array.isArray(value) || Object.keys(value).length > 0);
}

/** The node a path of step numbers leads to (steps chosen as in `mutate`). */
function pick(document: unknown, steps: number[]): unknown {
  let node = document;
  for (const step of steps) {
    if (!isContainer(node)) break;
    const values: unknown[] = Array.isArray(node) ? node : Object.values(node);
    node = values[step % values.length];
  }
  return node;
}

/** Applies a mutation; returns a description of what it did, for failure messages. */
function mutate(document: Record<string, unknown>, mutation: Mutation): string {
  if (mutation.op === 'graft') {
    // A piece of a valid definition in the wrong place: plausible shapes that reach the semantic rules.
    return mutate(document, { ...mutation, op: 'replace', value: structuredClone(pick(shopDefinition(), mutation.from)) }).replace('replace', 'graft');
  }
  let container: Record<string, unknown> | unknown[] = document;
  let key: string | number | undefined;
  const path: Array<string | number> = [];
  for (const step of mutation.steps) {
    const keys: Array<string | number> = Array.isArray(container) ? container.map((_, index) => index) : Object.keys(container);
    if (keys.length === 0) break;
    key = keys[step % keys.length] as string | number;
    path.push(key);
    const next: unknown = Array.isArray(container) ? container[key as number] : container[key as string];
    if (!isContainer(next) || path.length === mutation.steps.length) break;
    container = next;
  }
  if (key === undefined) return 'nothing';
  const where = `/${path.join('/')}`;
  if (Array.isArray(container)) {
    const index = key as number;
    if (mutation.op === 'replace') container[index] = mutation.value;
    else container.splice(index, 1);
    return `${mutation.op === 'replace' ? 'replace' : 'delete'} ${where}`;
  }
  const name = key as string;
  if (mutation.op === 'replace') {
    setOwn(container, name, mutation.value);
    return `replace ${where}`;
  }
  if (mutation.op === 'delete') {
    delete container[name];
    return `delete ${where}`;
  }
  const at = mutation.at % (name.length + 1);
  const renamed = mutation.insert || name.length === 0 ? name.slice(0, at) + mutation.char + name.slice(at) : name.slice(0, Math.min(at, name.length - 1)) + name.slice(Math.min(at, name.length - 1) + 1);
  // Rebuild in order so the renamed key keeps its place.
  const entries = Object.entries(container);
  for (const [existing] of entries) delete container[existing];
  for (const [existing, value] of entries) setOwn(container, existing === name ? renamed : existing, value);
  return `rename ${where} → ${JSON.stringify(renamed)}`;
}

/** Values that reach the rules, not only the structure: methods, placements, templates, kinds, names. */
const interesting = fc.constantFrom<JsonValue>(
  'POST',
  'PUT',
  'body',
  'query',
  'none',
  'parent',
  'customers',
  'stock',
  'http://example.com',
  'https://{{ $config.shop }}.example.com',
  '{{ $config.apiKey }}',
  '{{ $state.cursor }}',
  '{{ $config.nope }}',
  '{{',
  '}}',
  '{{ $lowercase( }}',
  '$frobnicate(x)',
  '$map(tags, $trim)',
  'commerce.order@1',
  'commerce.stocklevel@1',
  'commerce.custmer@1',
  '__proto__',
  'constructor',
  'toString',
  'id',
  'remote.id',
  'pullpush/v2',
  true,
  0,
  -1,
  null,
  [],
  {},
  { kind: 'parent', stream: 'stock', value: 'id' },
  { kind: 'parent', stream: 'customers', value: 'id' },
  { in: 'body', name: 'cursor' },
  { in: 'query', name: 'status' },
  { path: 'id' },
  { expr: '$record.email' },
  { type: 'strnig' },
  { $schema: 'http://json-schema.org/draft-07/schema#' },
  { create: { request: { method: 'POST', path: '/x' } } },
);

const jsonValue = fc.oneof({ weight: 3, arbitrary: fc.jsonValue({ maxDepth: 3 }) }, { weight: 2, arbitrary: interesting });

const mutation: fc.Arbitrary<Mutation> = fc.record({
  steps: fc.array(fc.nat(), { minLength: 1, maxLength: 8 }),
  op: fc.constantFrom('replace', 'delete', 'rename', 'graft'),
  value: jsonValue,
  from: fc.array(fc.nat(), { maxLength: 6 }),
  at: fc.nat(),
  char: fc.constantFrom('a', 's', '_', '-', '.', '/', '~', 'X', ' ', '$'),
  insert: fc.boolean(),
});

function mutated(mutations: Mutation[]): { document: Record<string, unknown>; applied: string[] } {
  const document = shopDefinition();
  const applied = mutations.map((m) => mutate(document, m));
  return { document, applied };
}

describe('validateDefinition never throws', () => {
  it('on arbitrary JSON', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expectShape(validateDefinition(value));
      }),
      RUNS,
    );
  });

  it('on arbitrary objects with the top-level keys of a definition', () => {
    const keys = Object.keys(shopDefinition());
    const arbitrary = fc.dictionary(fc.constantFrom(...keys, 'writes', 'webhooks', 'retry', 'responseFilters'), jsonValue, { maxKeys: 12 });
    fc.assert(
      fc.property(arbitrary, (value) => {
        expectShape(validateDefinition(value));
      }),
      RUNS,
    );
  });

  it('on mutated valid definitions (replace, delete or rename somewhere)', () => {
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 3 }), (mutations) => {
        const { document } = mutated(mutations);
        expectShape(validateDefinition(document));
      }),
      RUNS,
    );
  });

  it('also after a JSON round trip (keys such as "__proto__" as own properties)', () => {
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 3 }), (mutations) => {
        const { document } = mutated(mutations);
        expectShape(validateDefinition(JSON.parse(JSON.stringify(document))));
      }),
      { ...RUNS, numRuns: 200 },
    );
  });
});

describe('the validators generated ahead of time', () => {
  // Ajv compiling the TypeBox source now, as the validators were compiled before they were generated.
  const ajv = createDslAjv({ optimize: false });
  const fromSource = { definition: ajv.compile(ConnectorDefinition), flow: ajv.compile(Flow), metaSchema: ajv.getSchema(JSON_SCHEMA_DIALECT) as ValidateFunction };
  /** The verdict and every error, schemas compared by value (the generated code holds copies). */
  const outcome = (validate: ValidateFunction, document: unknown) => {
    const valid = validate(document);
    return { valid, errors: valid ? null : (JSON.parse(JSON.stringify(validate.errors)) as unknown) };
  };
  /** Config schemas: objects with the keywords of JSON Schema, or arbitrary members. */
  const configSchema = fc.oneof(
    fc.dictionary(fc.constantFrom('type', 'properties', 'items', 'required', 'minimum', '$defs', '$ref', 'anyOf', 'enum', 'const', 'format', 'additionalProperties', '$dynamicRef', 'secret'), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 6 }),
    fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 4 }),
  );

  it('report what Ajv compiling the source reports, on mutated definitions, arbitrary JSON and config schemas', () => {
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 3 }), fc.jsonValue({ maxDepth: 4 }), configSchema, (mutations, value, config) => {
        const { document } = mutated(mutations);
        expect(outcome(dslValidators().definition, document)).toEqual(outcome(fromSource.definition, document));
        expect(outcome(dslValidators().definition, value)).toEqual(outcome(fromSource.definition, value));
        expect(outcome(dslValidators().flow, value)).toEqual(outcome(fromSource.flow, value));
        expect(outcome(dslValidators().metaSchema, config)).toEqual(outcome(fromSource.metaSchema, config));
      }),
      RUNS,
    );
  });

  it('accept the valid definition and report a misspelled key with its schema', () => {
    expect(dslValidators().definition(shopDefinition())).toBe(true);
    expect(dslValidators().definition({ ...shopDefinition(), strems: {} })).toBe(false);
    expect(dslValidators().definition.errors).toContainEqual(expect.objectContaining({ keyword: 'additionalProperties', params: { additionalProperty: 'strems' }, parentSchema: expect.objectContaining({ properties: expect.objectContaining({ streams: expect.anything() }) }) }));
  });
});

describe('validateDefinitionText never throws', () => {
  it('on arbitrary text, JSON text, and the text of mutated definitions', () => {
    fc.assert(
      fc.property(fc.string(), fc.json(), fc.array(mutation, { minLength: 1, maxLength: 2 }), fc.nat(), (text, json, mutations, cut) => {
        expectShape(validateDefinitionText(text));
        expectShape(validateDefinitionText(json));
        const mutatedText = JSON.stringify(mutated(mutations).document, null, 2);
        expectShape(validateDefinitionText(mutatedText));
        expectShape(validateDefinitionText(mutatedText.slice(0, cut % (mutatedText.length + 1))));
      }),
      { ...RUNS, numRuns: 300 },
    );
  });
});

describe('validateFlow never throws', () => {
  it('on arbitrary JSON, with and without definitions', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), (value, definition) => {
        expectShape(validateFlow(value));
        expectShape(validateFlow(value, { definitions: { shop: shopDefinition(), other: definition } }));
      }),
      RUNS,
    );
  });
});

describe('every pointer resolves in the document', () => {
  it('the resolver follows RFC 6901', () => {
    const document = { 'a/b': { 'm~n': [10, { '': 'empty' }] }, list: [] };
    expect(resolve(document, '')).toBe(document);
    expect(resolve(document, '/a~1b/m~0n/0')).toBe(10);
    expect(resolve(document, '/a~1b/m~0n/1/')).toBe('empty');
    expect(resolve(document, '/a~1b/m~0n/2')).toBe(MISSING);
    expect(resolve(document, '/a~1b/m~0n/01')).toBe(MISSING);
    expect(resolve(document, '/a~1b/m~0n/-')).toBe(MISSING);
    expect(resolve(document, '/list/0')).toBe(MISSING);
    expect(resolve(document, '/toString')).toBe(MISSING);
    expect(resolve(document, 'a')).toBe(MISSING);
    expect(resolve({ '~1': 1 }, '/~01')).toBe(1);
    expect(parentOf('/a/b')).toBe('/a');
    expect(parentOf('/a')).toBe('');
  });

  it('for arbitrary JSON', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(unresolved(value, validateDefinition(value))).toEqual([]);
      }),
      RUNS,
    );
  });

  it('for mutated valid definitions', () => {
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 3 }), (mutations) => {
        const { document, applied } = mutated(mutations);
        const result = validateDefinition(document);
        expect(unresolved(document, result), applied.join('; ')).toEqual([]);
      }),
      { ...RUNS, numRuns: 500 },
    );
  });

  it('for mutated valid flows', () => {
    const flow = () => ({
      dsl: 'pullpush/flow/v1',
      id: 'shop-to-sqlite',
      source: { connector: 'shop', connection: 'main', streams: ['customers', 'stock'] },
      destination: { kind: 'connector', connector: 'shop', connection: 'other', operations: ['create'] },
      match: { 'commerce.customer': ['email'] },
      schedule: { every: '15m' },
    });
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 3 }), (mutations) => {
        const document: Record<string, unknown> = flow();
        const applied = mutations.map((m) => mutate(document, m));
        const result = validateFlow(document, { definitions: { shop: shopDefinition() } });
        expectShape(result);
        expect(unresolved(document, result), applied.join('; ')).toEqual([]);
      }),
      { ...RUNS, numRuns: 300 },
    );
  });

  it('the mutations do reach the rules: many runs report semantic problems, some none at all', () => {
    const codes = new Set<string>();
    let clean = 0;
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 2 }), (mutations) => {
        const result = validateDefinition(mutated(mutations).document);
        for (const problem of [...result.errors, ...result.warnings]) codes.add(problem.code);
        if (result.errors.length === 0) clean += 1;
      }),
      { ...RUNS, numRuns: 800 },
    );
    for (const code of [DslCode.UnknownKey, DslCode.MissingField, DslCode.InvalidValue, DslCode.MissingMapping, DslCode.NoCheck]) expect(codes).toContain(code);
    expect(codes.size, [...codes].join(" ")).toBeGreaterThanOrEqual(15);
    expect(clean).toBeGreaterThan(0);
  });
});
