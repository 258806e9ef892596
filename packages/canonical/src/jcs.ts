// RFC 8785 JSON canonicalization (JCS) of JSON data, fast: it runs once per record of every sync (the content
// digest behind event ids), where the general `canonicalize` library cost four times as much. The output is
// JCS's, byte for byte (a property test holds it to the library's): members sorted by UTF-16 code units, strings
// and numbers as ECMAScript's JSON.stringify writes them, lone surrogates refused. What it is unsure about — a
// document nested deeper than a call stack should go, or values that are not plain JSON data — it hands to the
// library, which walks iteratively and knows toJSON.
import canonicalize from 'canonicalize';

/** Deeper than this, the iterative library serializes the rest: no call stack overflows on hostile documents. */
const MAX_DEPTH = 256;

/** Characters a JSON string must escape (control characters among them), and surrogates (which must come in pairs). */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const NEEDS_CARE = /[\u0000-\u001f"\\\ud800-\udfff]/;

class NotPlain extends Error {}

function string(value: string): string {
  if (!NEEDS_CARE.test(value)) return `"${value}"`;
  if (!value.isWellFormed()) throw new Error('Lone surrogate is not allowed');
  return JSON.stringify(value);
}

/** `undefined` for what JSON leaves out (undefined, functions, symbols) — as JSON.stringify does. */
function serialize(value: unknown, depth: number): string | undefined {
  switch (typeof value) {
    case 'string':
      return string(value);
    case 'number':
      if (!Number.isFinite(value)) throw new Error(Number.isNaN(value) ? 'NaN is not allowed' : 'Infinity is not allowed');
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
    case 'bigint':
      throw new NotPlain();
  }
  if (value === null) return 'null';
  if (depth >= MAX_DEPTH) throw new NotPlain();
  if (Array.isArray(value)) {
    let out = '[';
    for (let index = 0; index < value.length; index += 1) {
      if (index > 0) out += ',';
      out += serialize(value[index], depth + 1) ?? 'null';
    }
    return `${out}]`;
  }
  const prototype = Object.getPrototypeOf(value) as unknown;
  if ((prototype !== Object.prototype && prototype !== null) || typeof (value as { toJSON?: unknown }).toJSON === 'function') throw new NotPlain();
  const object = value as Record<string, unknown>;
  const keys = Object.keys(object);
  // Most objects of a mapping are small and many already come in order: sort only when they do not.
  for (let index = 1; index < keys.length; index += 1) {
    if ((keys[index - 1] as string) > (keys[index] as string)) {
      keys.sort();
      break;
    }
  }
  let out = '{';
  let first = true;
  for (const key of keys) {
    const member = serialize(object[key], depth + 1);
    if (member === undefined) continue;
    out += `${first ? '' : ','}${string(key)}:${member}`;
    first = false;
  }
  return `${out}}`;
}

/** The JCS text of a JSON value; undefined for a value JSON has no text for. */
export function canonicalJson(value: unknown): string | undefined {
  try {
    return serialize(value, 0);
  } catch (error) {
    if (error instanceof NotPlain) return canonicalize(value);
    throw error;
  }
}
