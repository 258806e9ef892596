// The writer generated from a schema writes exactly what canonicalJson writes (text or error), for values of the
// schema's shape and for everything that strays from it: members missing, undefined, unknown, inherited or not
// plain, wrong types, values JSON has no text for. Generated from every canonical type and from a schema whose
// property names are hard to write, sort and read.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileCanonicalJson } from '../src/jcs-compiled.ts';
import { canonicalJson } from '../src/jcs.ts';
import { contentDigest, listCanonicalTypes, type CanonicalTypeDefinition } from '../src/index.ts';

type Schema = Record<string, unknown>;

function outcome(run: () => string | undefined): { text?: string | undefined; error?: string } {
  try {
    return { text: run() };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

class Point {
  readonly x: number;
  constructor(x: number) {
    this.x = x;
  }
}

/** Anything a record might hold where the schema expects something else, including what JSON has no text for. */
const stray = fc.oneof(
  fc.constantFrom<unknown>(undefined, null, Number.NaN, Number.POSITIVE_INFINITY, -0, '\ud800', 'a"\\\n', '', () => 1, Symbol('s'), new Date(0), new Point(1), Object.create(null), [], {}),
  fc.jsonValue({ maxDepth: 2 }),
  fc.string({ unit: 'binary', maxLength: 6 }),
);

/** Values shaped by `schema` most of the time, stray the rest. */
function shaped(schema: unknown, depth = 0): fc.Arbitrary<unknown> {
  const node = (typeof schema === 'object' && schema !== null ? schema : {}) as Schema;
  const types = ([] as unknown[]).concat(node['type'] ?? []);
  const leaf = Array.isArray(node['enum']) ? fc.constantFrom(...(node['enum'] as unknown[])) : fc.oneof(fc.string({ unit: 'grapheme', maxLength: 8 }), fc.integer(), fc.double(), fc.boolean(), fc.constant(null));
  if (depth > 6) return leaf;
  const options: Array<fc.Arbitrary<unknown>> = [];
  if (types.includes('object') && typeof node['properties'] === 'object') {
    const properties = node['properties'] as Record<string, unknown>;
    const member = (name: string) => fc.oneof({ weight: 8, arbitrary: shaped(properties[name], depth + 1) }, { weight: 1, arbitrary: stray });
    const record = fc.record(Object.fromEntries(Object.keys(properties).map((name) => [name, member(name)])), { requiredKeys: [] });
    options.push(
      fc
        .tuple(record, fc.dictionary(fc.string({ maxLength: 4 }), stray, { maxKeys: 2 }), fc.nat(9), fc.shuffledSubarray(Object.keys(properties)))
        .map(([value, extra, variant, order]) => {
          // Members in any order; now and then one more, a null prototype, or a member inherited.
          const out: Record<string, unknown> = variant === 0 ? Object.create(null) : {};
          for (const name of order) if (name in value) out[name] = value[name];
          for (const name of Object.keys(value)) if (!(name in out)) out[name] = value[name];
          if (variant === 1) Object.assign(out, extra);
          if (variant === 2 && order[0] !== undefined) return Object.setPrototypeOf(out, { [order[0]]: 'inherited' }) as unknown;
          if (variant === 3) Object.defineProperty(out, 'hidden', { value: 1, enumerable: false });
          return out;
        }),
    );
  }
  if (types.includes('array')) options.push(fc.tuple(fc.array(shaped(node['items'], depth + 1), { maxLength: 3 }), fc.boolean()).map(([items, hole]) => (hole ? [...items, undefined] : items)));
  options.push(leaf);
  return fc.oneof({ weight: 12, arbitrary: fc.oneof(...options) }, { weight: 1, arbitrary: stray });
}

function holdsTo(schema: unknown, runs: number, omit?: readonly string[]) {
  const write = compileCanonicalJson(schema, omit ? { omit } : {});
  fc.assert(
    fc.property(shaped(schema), (value) => {
      const expected = () => {
        if (!omit || typeof value !== 'object' || value === null) return canonicalJson(value);
        const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
        for (const name of omit) delete copy[name];
        return canonicalJson(copy);
      };
      expect(outcome(() => write(value))).toEqual(outcome(expected));
    }),
    { numRuns: runs },
  );
}

const awkward = {
  type: 'object',
  additionalProperties: false,
  properties: {
    '': { type: 'string' },
    '10': { type: 'integer' },
    '9': { type: 'integer' },
    __proto__: { type: 'object', additionalProperties: false, properties: { a: { type: 'string' } } },
    constructor: { type: 'string' },
    toJSON: { type: 'string' },
    'a"b': { type: ['string', 'null'] },
    '\u00e9': { type: 'string' },
    '\ud83d\ude00': { type: 'string' },
    '\uff21': { type: 'string' },
    list: { type: 'array', items: { type: 'object', additionalProperties: false, properties: { b: { type: 'number' }, a: { type: 'number' } } } },
    open: { type: 'object', properties: { x: { type: 'string' } } },
    map: { type: 'object', additionalProperties: false, properties: {}, patternProperties: { '^.*$': { type: 'string' } } },
  },
};

describe('compileCanonicalJson', () => {
  it.each(listCanonicalTypes().map((definition: CanonicalTypeDefinition) => [`${definition.name}@${definition.version}`, definition] as const))(
    'writes what canonicalJson writes, for %s records and anything else',
    (_name, definition) => {
      holdsTo(definition.schema, 300, ['raw']);
    },
  );

  it('writes what canonicalJson writes where property names are hard to order and read', () => {
    // `__proto__` in a literal sets the prototype; defined as a member it is a property name like any other.
    const schema = structuredClone(awkward) as Schema;
    Object.defineProperty(schema['properties'], '__proto__', { value: awkward.properties.__proto__, enumerable: true });
    holdsTo(schema, 2000);
    holdsTo(schema, 500, ['constructor', '10']);
  });

  it('a member Object.prototype gained is not read as the record\'s own', () => {
    const write = compileCanonicalJson({ type: 'object', additionalProperties: false, properties: { email: { type: 'string' }, note: { type: 'string' } } });
    // One inherited name and one unknown own key: as many keys as names read.
    const value = { note: 'n', unknown: 'u' };
    for (const enumerable of [true, false]) {
      Object.defineProperty(Object.prototype, 'email', { value: 'polluted', enumerable, configurable: true, writable: true });
      try {
        expect(write(value)).toBe(canonicalJson(value));
        expect(write(value)).toBe('{"note":"n","unknown":"u"}');
      } finally {
        delete (Object.prototype as Record<string, unknown>)['email'];
      }
    }
    expect(write({ email: 'e', note: 'n' })).toBe('{"email":"e","note":"n"}');
    // A name the schema does not have, enumerable on Object.prototype: never written, nor taken for a missing member.
    Object.defineProperty(Object.prototype, 'extra', { value: 'polluted', enumerable: true, configurable: true, writable: true });
    try {
      expect(write({ email: 'e', note: 'n' })).toBe('{"email":"e","note":"n"}');
      expect(write({ note: 'n' })).toBe('{"note":"n"}');
    } finally {
      delete (Object.prototype as Record<string, unknown>)['extra'];
    }
  });

  it('a digest is the same with or without the type', () => {
    for (const definition of listCanonicalTypes()) {
      fc.assert(
        fc.property(shaped(definition.schema), (value) => {
          if (typeof value !== 'object' || value === null) return;
          expect(outcome(() => contentDigest(value, definition))).toEqual(outcome(() => contentDigest(value)));
        }),
        { numRuns: 50 },
      );
    }
  });
});
