// RFC 8785 text of records of one known schema, from code generated for that schema: the content digest of every
// event needs it. The schema fixes each closed object's members, so their order is sorted once here; the
// generated code copies a record into objects whose members are in that order, checking each leaf as JCS would,
// and JSON.stringify — whose output for such a copy is JCS's — writes the copy as one flat string (text built by
// concatenation costs as much again to flatten for the digest). The schema is a promise, not a proof: an object
// that is not plain, has a member the schema does not name, or anything JSON.stringify would write otherwise than
// JCS (a lone surrogate, a number that is not finite, a name an object lists first because it is an index) is
// written by `canonicalJson`, so the output is canonicalJson's for every value (a property test holds it to that).
import { canonicalJson } from './jcs.ts';

type Schema = Record<string, unknown>;
/** The JCS text of a value; undefined where JSON has none (as canonicalJson). */
export type CanonicalJsonWriter = (value: unknown) => string | undefined;

/** Thrown inside a copy for what only canonicalJson writes right; caught by the writer. */
const GENERAL = Symbol('general');

/** Deeper than this, a copy gives up and canonicalJson (which knows how to go deeper) writes the value. */
const MAX_DEPTH = 256;

/**
 * Names JSON.stringify writes first, in numeric order, whatever their place (integer-like keys): a copy never
 * has them. All digits is broader than what engines treat as an index, and costs only speed.
 */
const INDEX_LIKE = /^[0-9]+$/;

/** A leaf as JSON.stringify writes it the way JCS does, or GENERAL. */
function leaf(x: unknown, depth: number): unknown {
  switch (typeof x) {
    case 'string':
      if (!x.isWellFormed()) throw GENERAL;
      return x;
    case 'number':
      // NaN and ±Infinity: JSON.stringify writes null where JCS refuses.
      if (x - x !== 0) throw GENERAL;
      return x;
    // Functions and symbols are left out of objects and written null in arrays, by JSON.stringify as by JCS.
    case 'boolean':
    case 'undefined':
    case 'function':
    case 'symbol':
      return x;
    case 'bigint':
      throw GENERAL;
  }
  return x === null ? x : anyCopy(x as object, depth);
}

/** A copy of a value of no known shape, its members sorted. */
function anyCopy(value: object, depth: number): unknown {
  if (depth >= MAX_DEPTH) throw GENERAL;
  if (Array.isArray(value)) {
    const out: unknown[] = new Array(value.length);
    for (let index = 0; index < value.length; index += 1) out[index] = leaf(value[index], depth + 1);
    return out;
  }
  const prototype = Object.getPrototypeOf(value) as unknown;
  if ((prototype !== Object.prototype && prototype !== null) || typeof (value as { toJSON?: unknown }).toJSON === 'function') throw GENERAL;
  // JCS orders members by UTF-16 code units: what Array#sort does with strings.
  const keys = Object.keys(value).sort();
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    if (key === '__proto__' || INDEX_LIKE.test(key)) throw GENERAL;
    out[key] = leaf((value as Record<string, unknown>)[key], depth + 1);
  }
  return out;
}

const HELPERS = {
  leaf,
  general: () => {
    throw GENERAL;
  },
  own: Object.hasOwn,
  proto: Object.getPrototypeOf,
  objectPrototype: Object.prototype,
};

/** Whether this runtime lets code be generated (a CSP or a Node flag may forbid it). */
const codeGeneration = ((): boolean => {
  try {
    return new Function('return true')() === true;
  } catch {
    return false;
  }
})();

function types(schema: Schema): readonly unknown[] {
  const type = schema['type'];
  return Array.isArray(type) ? type : [type];
}

/** A closed object: named properties and nothing else (no additional or pattern properties). */
function isClosedObject(schema: Schema): boolean {
  return types(schema).includes('object') && typeof schema['properties'] === 'object' && schema['additionalProperties'] === false && schema['patternProperties'] === undefined;
}

/**
 * What a plain object inherits: the generated code reads these names as own members only. It reads any other name
 * directly, which is right while Object.prototype does not have it: each write first checks that it still does not
 * (`inherited`), and the general path writes every value where it does.
 */
const INHERITABLE = new Set(Reflect.ownKeys(Object.prototype).filter((key): key is string => typeof key === 'string'));

class Generator {
  readonly functions: string[] = [];
  /** The names the generated code reads directly: Object.prototype must not have them. */
  readonly direct = new Set<string>();

  /**
   * The name of a function copying values of `schema`, or undefined where the schema fixes no shape (the value
   * is then copied by `leaf`). The root leaves out the members named in `omit`.
   */
  copier(schema: unknown, omit: readonly string[] = []): string | undefined {
    if (typeof schema !== 'object' || schema === null) return undefined;
    const node = schema as Schema;
    if (isClosedObject(node)) return this.#object(node, omit);
    if (omit.length > 0) return undefined;
    if (types(node).includes('array') && typeof node['items'] === 'object' && node['items'] !== null) {
      const items = this.copier(node['items']);
      // Only worth a function when the items have a shape of their own.
      if (items) return this.#array(items);
    }
    return undefined;
  }

  #add(body: string): string {
    const name = `c${this.functions.length}`;
    this.functions.push(`function ${name}(v, d) {\n${body}\n}`);
    return name;
  }

  #array(items: string): string {
    return this.#add(
      [
        '  if (!Array.isArray(v) || d >= MAX_DEPTH) return h.leaf(v, d);',
        '  const out = new Array(v.length);',
        '  for (let i = 0; i < v.length; i += 1) {',
        '    const x = v[i];',
        `    out[i] = x === null || x === undefined ? x : ${items}(x, d + 1);`,
        '  }',
        '  return out;',
      ].join('\n'),
    );
  }

  #object(schema: Schema, omit: readonly string[]): string | undefined {
    const properties = schema['properties'] as Record<string, unknown>;
    const names = Object.keys(properties).sort();
    // A literal's `__proto__` sets the prototype, and JSON.stringify writes index-like names first.
    if (names.some((name) => name === '__proto__' || INDEX_LIKE.test(name))) return undefined;
    // Not a plain object (or one with toJSON): copied, or refused, as any value; at a root that leaves members out,
    // the general path writes it (it leaves them out too).
    const other = omit.length > 0 ? 'h.general()' : 'h.leaf(v, d)';
    const lines = [
      `  if (typeof v !== 'object' || v === null || Array.isArray(v) || d >= MAX_DEPTH) return ${other};`,
      '  const p = h.proto(v);',
      `  if ((p !== h.objectPrototype && p !== null) || typeof v.toJSON === 'function') return ${other};`,
      // `n` counts the own members read.
      '  let n = 0, x;',
    ];
    const members: string[] = [];
    for (const name of names) {
      const key = JSON.stringify(name);
      // A name Object.prototype has (constructor, toString…) is read only when it is the object's own.
      const inheritable = INHERITABLE.has(name);
      if (!inheritable) this.direct.add(name);
      const read = inheritable ? `(h.own(v, ${key}) ? v[${key}] : undefined)` : `v[${key}]`;
      lines.push(`  if (${read} !== undefined || h.own(v, ${key})) n += 1;`);
      if (omit.includes(name)) continue;
      const copy = this.copier(properties[name]);
      members.push(`    ${key}: (x = ${read}) === null || x === undefined ? x : ${copy ? `${copy}(x, d + 1)` : 'h.leaf(x, d + 1)'}`);
    }
    // Fewer members read than the object enumerates: one the schema does not name. Counted with for-in, which
    // makes no array (Object.keys made one per object written: a seventh of a read's allocations); a name
    // Object.prototype was given to enumerate counts too, and sends the value to the general path.
    lines.push('  for (const k in v) n -= 1;', '  if (n !== 0) h.general();', `  return {\n${members.join(',\n')}\n  };`);
    return this.#add(lines.join('\n'));
  }
}

/**
 * A writer of RFC 8785 text specialised for values of `schema` (a JSON Schema of closed objects, arrays and
 * leaves): the same text as `canonicalJson` for any value, faster for values of that shape. Top-level members
 * named in `omit` are left out (the digest leaves out `raw`).
 */
export function compileCanonicalJson(schema: unknown, options: { omit?: readonly string[] } = {}): CanonicalJsonWriter {
  const omit = options.omit ?? [];
  const general: CanonicalJsonWriter = omit.length === 0 ? canonicalJson : (value) => canonicalJson(withoutMembers(value, omit));
  if (!codeGeneration) return general;
  const generator = new Generator();
  const root = generator.copier(schema, omit);
  // Where the schema fixes nothing at the top, the general path is all there is.
  if (root === undefined) return general;
  const source = `'use strict';\nconst MAX_DEPTH = ${MAX_DEPTH};\n${generator.functions.join('\n')}\nreturn ${root};`;
  const copy = new Function('h', source)(HELPERS) as (value: unknown, depth: number) => unknown;
  // A check per name with a constant key is a few nanoseconds; listing Object.prototype's keys cost 0.3 µs a write.
  const inherited = new Function('prototype', `'use strict';\nreturn () => ${[...generator.direct].map((name) => `${JSON.stringify(name)} in prototype`).join(' || ') || 'false'};`)(Object.prototype) as () => boolean;
  return (value) => {
    if (inherited()) return general(value);
    let copied: unknown;
    try {
      copied = copy(value, 0);
    } catch {
      // Members are checked as they are copied, so a value with two problems may meet either first:
      // canonicalJson writes it, or raises its own error for it.
      return general(value);
    }
    return JSON.stringify(copied);
  };
}

/** An object without the given members (a shallow copy, as an object rest pattern makes); anything else as it is. */
function withoutMembers(value: unknown, omit: readonly string[]): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  for (const name of omit) delete copy[name];
  return copy;
}
