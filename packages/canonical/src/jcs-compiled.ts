// RFC 8785 text of records of one known schema, from code generated for that schema: the content digest of every
// event needs it, and a walk that asks each object for its keys and sorts them cost three times JSON.stringify.
// The schema fixes each closed object's members, so their order is sorted once here and every property is read
// by name (a monomorphic load). The schema is a promise, not a proof: an object that is not plain, has a member
// the schema does not name, or sits where the schema expects something else is written by `canonicalJson`, so
// the output is canonicalJson's for every value (a property test holds it to that).
import { canonicalJson } from './jcs.ts';

type Schema = Record<string, unknown>;
/** The JCS text of a value; undefined where JSON has none (as canonicalJson). */
export type CanonicalJsonWriter = (value: unknown) => string | undefined;

// eslint-disable-next-line no-control-regex -- the characters a JSON string escapes, and surrogates
const NEEDS_CARE = /[\u0000-\u001f"\\\ud800-\udfff]/;

const HELPERS = {
  json: canonicalJson,
  care: NEEDS_CARE,
  own: Object.hasOwn,
  keys: Object.keys,
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
 * What a plain object inherits: the generated code reads these names as own members only. Any other name is
 * inherited only where Object.prototype was changed since, and then the general path writes every value.
 */
const PROTOTYPE_KEYS = Reflect.ownKeys(Object.prototype);
const INHERITABLE = new Set(PROTOTYPE_KEYS.filter((key): key is string => typeof key === 'string'));
function prototypeChanged(): boolean {
  const keys = Reflect.ownKeys(Object.prototype);
  if (keys.length !== PROTOTYPE_KEYS.length) return true;
  for (let index = 0; index < keys.length; index += 1) if (keys[index] !== PROTOTYPE_KEYS[index]) return true;
  return false;
}

class Generator {
  readonly functions: string[] = [];

  /**
   * The name of a function writing values of `schema`, or `h.json` where the schema fixes no shape. The root
   * leaves out the members named in `omit`, and so does its general path (`h.root`).
   */
  writer(schema: unknown, omit?: readonly string[]): string {
    if (typeof schema !== 'object' || schema === null) return 'h.json';
    const node = schema as Schema;
    if (isClosedObject(node)) return this.#object(node, omit ?? [], omit ? 'h.root' : 'h.json');
    if (types(node).includes('array') && typeof node['items'] === 'object' && node['items'] !== null) {
      const items = this.writer(node['items']);
      // Only worth a function when the items have a shape of their own.
      if (items !== 'h.json') return this.#array(items);
    }
    return 'h.json';
  }

  #add(body: string): string {
    const name = `w${this.functions.length}`;
    this.functions.push(`function ${name}(v) {\n${body}\n}`);
    return name;
  }

  #array(items: string): string {
    // As canonicalJson writes arrays: each element, `null` for what JSON leaves out.
    return this.#add(
      [
        '  if (!Array.isArray(v)) return h.json(v);',
        "  let out = '[';",
        '  for (let i = 0; i < v.length; i += 1) {',
        "    if (i > 0) out += ',';",
        `    out += ${items}(v[i]) ?? 'null';`,
        '  }',
        "  return out + ']';",
      ].join('\n'),
    );
  }

  #object(schema: Schema, omit: readonly string[], general: string): string {
    const properties = schema['properties'] as Record<string, unknown>;
    // JCS orders members by UTF-16 code units: what Array#sort does with strings.
    const names = Object.keys(properties).sort();
    const lines = [
      // Not a plain object (or one with toJSON): canonicalJson's.
      `  if (typeof v !== 'object' || v === null || Array.isArray(v)) return ${general}(v);`,
      '  const p = h.proto(v);',
      `  if ((p !== h.objectPrototype && p !== null) || typeof v.toJSON === 'function') return ${general}(v);`,
      // `n` counts the own members read: fewer than the object's own keys means one the schema does not name.
      "  let n = 0, out = '{', x, m;",
    ];
    for (const name of names) {
      const key = JSON.stringify(name);
      // A name Object.prototype has (constructor, toString…) is read only when it is the object's own.
      const read = INHERITABLE.has(name) ? `h.own(v, ${key}) ? v[${key}] : undefined` : `v[${key}]`;
      if (omit.includes(name)) {
        lines.push(`  if (${read} !== undefined || h.own(v, ${key})) n += 1;`);
        continue;
      }
      const write = this.writer(properties[name]);
      const member = JSON.stringify(`${JSON.stringify(name)}:`);
      // Leaves are written here as canonicalJson writes them; strings, nulls and finite numbers (`x - x === 0`)
      // are most of a record, the rest goes to canonicalJson.
      const text =
        write === 'h.json'
          ? `typeof x === 'string' ? (h.care.test(x) ? h.json(x) : '"' + x + '"') : x === null ? 'null' : typeof x === 'number' && x - x === 0 ? '' + x : typeof x === 'boolean' ? (x ? 'true' : 'false') : h.json(x)`
          : `x === null ? 'null' : ${write}(x)`;
      lines.push(
        `  x = ${read};`,
        `  if (x !== undefined) { n += 1; m = ${text}; if (m !== undefined) out += (out.length === 1 ? '' : ',') + ${member} + m; }`,
        `  else if (h.own(v, ${key})) n += 1;`,
      );
    }
    lines.push(`  if (n !== h.keys(v).length) return ${general}(v);`, "  return out + '}';");
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
  const root = generator.writer(schema, omit);
  // Where the schema fixes nothing at the top, the general path is all there is.
  if (root === 'h.json') return general;
  const source = `'use strict';\n${generator.functions.join('\n')}\nreturn ${root};`;
  const write = new Function('h', source)({ ...HELPERS, root: general }) as CanonicalJsonWriter;
  return (value) => {
    if (prototypeChanged()) return general(value);
    try {
      return write(value);
    } catch {
      // Members are checked as they are written, so a value with two problems may meet another one first:
      // canonicalJson raises its own error for it.
      return general(value);
    }
  };
}

/** An object without the given members (a shallow copy, as an object rest pattern makes); anything else as it is. */
function withoutMembers(value: unknown, omit: readonly string[]): unknown {
  if (typeof value !== 'object' || value === null) return value;
  const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  for (const name of omit) delete copy[name];
  return copy;
}
