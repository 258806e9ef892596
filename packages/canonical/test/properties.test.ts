// Property-based checks: validation never throws, keys and event ids depend only on content.
import { readdirSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalKey, createCanonicalEvent, listCanonicalTypes, typeRef, validateCanonical } from '../src/index.ts';
import { compiledValidator, createCanonicalAjv } from '../src/validate.ts';
import { shopifyLikeOrder } from './fixtures/commerce-order.ts';

const refs = listCanonicalTypes().map(typeRef);

/** The same JSON value with every object's keys in a shuffled order. */
function shuffleKeys(value: unknown, random: () => number): unknown {
  if (Array.isArray(value)) return value.map((item) => shuffleKeys(item, random));
  if (typeof value !== 'object' || value === null) return value;
  const entries = Object.entries(value).sort(() => random() - 0.5);
  return Object.fromEntries(entries.map(([key, item]) => [key, shuffleKeys(item, random)]));
}

/** Replaces the value at a place of `record` chosen by `choices` (one per level) with `replacement`. */
function mutate(record: unknown, choices: number[], replacement: unknown): unknown {
  const copy = structuredClone(record) as Record<string, unknown>;
  let node: Record<string, unknown> = copy;
  for (const choice of choices) {
    const keys = Object.keys(node);
    if (keys.length === 0) break;
    const key = keys[choice % keys.length] as string;
    const child = node[key];
    if (typeof child !== 'object' || child === null || choice % 3 === 0) {
      node[key] = replacement;
      return copy;
    }
    node = child as Record<string, unknown>;
  }
  return copy;
}

describe('validateCanonical (properties)', () => {
  it('never throws on arbitrary JSON, for every type', () => {
    fc.assert(
      fc.property(fc.constantFrom(...refs), fc.jsonValue(), (ref, value) => {
        const result = validateCanonical(ref, value);
        expect(typeof result.valid).toBe('boolean');
        if (!result.valid) expect(result.issues.length).toBeGreaterThan(0);
      }),
      { numRuns: 500 },
    );
  });

  it('never throws on a realistic record with any field replaced by arbitrary JSON, and every issue has a pointer', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(), { minLength: 1, maxLength: 4 }), fc.jsonValue(), (choices, replacement) => {
        const result = validateCanonical('commerce.order@1', mutate(shopifyLikeOrder(), choices, replacement));
        for (const issue of result.issues) expect(issue.pointer).toMatch(/^(\/[^/]*)*$/);
      }),
      { numRuns: 300 },
    );
  });
});

// Every fixture record, whatever its type: a record of one type is a plausible wrong value for another.
const folder = new URL('./fixtures/', import.meta.url);
const modules = await Promise.all(readdirSync(folder).map((file) => import(new URL(file, folder).href) as Promise<Record<string, () => unknown>>));
const fixtures = modules.flatMap((module) => Object.values(module).map((make) => make()));

describe('the validators generated ahead of time (properties)', () => {
  const ajv = createCanonicalAjv();
  const fromSource = new Map(listCanonicalTypes().map((definition) => [typeRef(definition), ajv.compile(definition.schema)]));
  const outcome = (validate: (value: unknown) => boolean, value: unknown) => {
    const valid = validate(value);
    return { valid, errors: valid ? null : (validate as unknown as { errors: unknown }).errors };
  };

  it('report what Ajv compiling the type reports, on fixtures with any field replaced or removed', () => {
    // An undefined member is a missing one to a validator.
    const replacements = fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constant(undefined));
    fc.assert(
      fc.property(fc.constantFrom(...listCanonicalTypes()), fc.constantFrom(...fixtures), fc.array(fc.nat(), { maxLength: 4 }), replacements, (definition, fixture, choices, replacement) => {
        const value = choices.length === 0 ? fixture : mutate(fixture, choices, replacement);
        expect(outcome(compiledValidator(definition), value)).toEqual(outcome(fromSource.get(typeRef(definition)) as (value: unknown) => boolean, value));
      }),
      { numRuns: 1000 },
    );
  });

  it('are what validation uses for the built-in types, and each fixture is valid as one of them', () => {
    for (const definition of listCanonicalTypes()) expect(compiledValidator(definition)).not.toBe(fromSource.get(typeRef(definition)));
    expect(fixtures.filter((fixture) => listCanonicalTypes().some((definition) => compiledValidator(definition)(fixture))).length).toBe(fixtures.length);
  });
});

describe('keys and event ids (properties)', () => {
  it('do not depend on the order of fields', () => {
    const order = shopifyLikeOrder();
    const expectedKey = canonicalKey('commerce.order@1', order);
    const expectedId = createCanonicalEvent('commerce.order@1', order).id;
    fc.assert(
      fc.property(fc.array(fc.nat(999), { minLength: 16, maxLength: 16 }), (numbers) => {
        let index = 0;
        const next = () => (numbers[index++ % numbers.length] ?? 0) / 1000;
        const shuffled = shuffleKeys(order, next) as typeof order;
        expect(canonicalKey('commerce.order@1', shuffled)).toBe(expectedKey);
        expect(createCanonicalEvent('commerce.order@1', shuffled).id).toBe(expectedId);
      }),
      { numRuns: 100 },
    );
  });

  it('give different key parts different keys', () => {
    const base = shopifyLikeOrder();
    fc.assert(
      fc.property(fc.tuple(fc.string({ minLength: 1 }), fc.string({ minLength: 1 })), fc.tuple(fc.string({ minLength: 1 }), fc.string({ minLength: 1 })), (a, b) => {
        fc.pre(a[0] !== b[0] || a[1] !== b[1]);
        const key = ([connection, id]: [string, string]) =>
          canonicalKey('commerce.order@1', { ...base, remote: { ...base.remote, connection, id } });
        expect(key(a)).not.toBe(key(b));
      }),
      { numRuns: 500 },
    );
  });

  it('are stable across runs and releases (golden values)', () => {
    const event = createCanonicalEvent('commerce.order@1', shopifyLikeOrder());
    expect(event.subject).toBe('commerce.order:shopify:acme-store:5512345678901');
    expect(event.id).toMatchInlineSnapshot(`"bd19fee1-6f35-8632-8003-ed0c8982f9ef"`);
  });
});
