// A compiler for the part of JSONata that mappings use most: paths, literals, object and array constructors,
// conditions, comparisons, boolean logic, string concatenation, arithmetic, mapping over an array
// (`line_items.{ … }`), filters and index steps after a value (`$split(tags, ',')[0]`, `$[x > 1]`) and a few pure
// functions. It turns the parsed expression into one JavaScript function, once, so a record costs what a
// hand-written mapping costs: property reads and object literals, no interpreter walk and no closure per node.
// Whatever it is unsure about — a path crossing an array, a number that is not finite, a type error, a function
// used as a value — it hands to JSONata itself for that evaluation (FALLBACK), and whatever it does not compile
// (`[]`, `#$i`, `@$x`, group-by, lambdas…) JSONata evaluates always, so results are JSONata's, byte for byte;
// differential property tests (and JSONata's own test suite, run by hand) hold it to that. The generated code
// never raises an error of its own: every error is JSONata's to report.
//
// Values follow JSONata's: what an expression gives is what JSONata's evaluation of that node gives, except that a
// sequence (what mapping or filtering produces) is a `Sequence` until something uses it, and is then made what
// JSONata makes it (nothing, its only item, or an array). Only emitted values marked `sequence` can be one.
//
// Safety of the generated code: the only text taken from the expression is what `JSON.stringify` turns into
// string literals (names, keys, strings) and finite numbers; operators come from fixed tables. Nothing in the
// code loops except over the arrays of the input, so an evaluation is bounded by the input's size. Where code
// generation is disallowed (a CSP, `--disallow-code-generation-from-strings`), JSONata evaluates everything.
import { LinearRegExp } from './bounds.ts';
import { CODE_GENERATION } from '../code-generation.ts';
import type { Bindings } from './compile.ts';

/** Thrown inside a fast evaluation to say: let JSONata evaluate this input. */
export const FALLBACK = Symbol('fallback to JSONata');

/**
 * The names JSONata binds to its functions (jsonata 2.2's library, `$now` and `$millis`; compile.ts registers its
 * own `$toMillis`, `$millis` and `$now` under the same names). A variable of one of these names that the bindings
 * lack is that function, not nothing. A test checks the list against the installed JSONata.
 */
export const JSONATA_FUNCTIONS: ReadonlySet<string> = new Set(
  (
    'sum count max min average string substring substringBefore substringAfter lowercase uppercase length trim pad ' +
    'match contains replace split join formatNumber formatBase formatInteger parseInteger number floor ceil round abs ' +
    'sqrt power random boolean not map zip filter single reduce sift keys lookup append exists spread merge reverse ' +
    'each error assert type sort shuffle distinct encodeUrlComponent encodeUrl decodeUrlComponent decodeUrl eval ' +
    'toMillis fromMillis clone now millis'
  ).split(' '),
);

type Node = { type: string; value?: unknown; [key: string]: unknown };

/** Results of mapping or filtering, in order; made JSONata's value (undefined, the item, an array) where used. */
class Sequence {
  readonly items: unknown[] = [];
}

function fallback(): never {
  throw FALLBACK;
}

/**
 * Data that carries JSONata's own function markers: JSONata takes such an object for a function (its paths read
 * nothing from it, it is false, its text is empty, an argument made of it is called), so JSONata evaluates.
 */
function functionLike(value: object): boolean {
  return (value as Record<string, unknown>)['_jsonata_function'] === true || (value as Record<string, unknown>)['_jsonata_lambda'] === true;
}

/** JSONata's value of a sequence: nothing, its only item, or its items. */
function norm(value: unknown): unknown {
  if (!(value instanceof Sequence)) return value;
  const { items } = value;
  return items.length === 0 ? undefined : items.length === 1 ? items[0] : items;
}

/** JSONata's effective boolean value ($boolean), false for nothing. */
function truthy(value: unknown): boolean {
  switch (typeof value) {
    case 'boolean':
      return value;
    case 'string':
      return value.length > 0;
    case 'number':
      // JSONata refuses to look at a number that is not finite (D1001).
      return Number.isFinite(value) ? value !== 0 : fallback();
    case 'object':
      if (value === null) return false;
      if (value instanceof Sequence) return fallback();
      if (Array.isArray(value)) {
        // Every item is looked at, as JSONata does (one it refuses is its error even after a true one).
        let any = false;
        for (const item of value) if (truthy(item)) any = true;
        return any;
      }
      return functionLike(value) ? fallback() : Object.keys(value).length > 0;
    default:
      return false;
  }
}

/** Numbers in $string's JSON: 15 significant digits for those that are not integers, as JSONata writes them. */
function jsonNumbers(_key: string, value: unknown): unknown {
  if (typeof value === 'object' && value !== null && functionLike(value)) fallback();
  if (typeof value !== 'number') return value;
  if (!Number.isFinite(value)) fallback();
  return Number.isInteger(value) ? value : Number(value.toPrecision(15));
}

/** $string, and each side of `&`: the text of a value; undefined stays undefined. */
function stringOf(value: unknown): string | undefined {
  switch (typeof value) {
    case 'undefined':
      return undefined;
    case 'string':
      return value;
    case 'number':
      // A finite number's JSON text is its JavaScript text.
      return String(jsonNumbers('', value));
    case 'boolean':
      return String(value);
    case 'object':
      if (value === null) return 'null';
      if (value instanceof Sequence) fallback();
      return JSON.stringify(value, jsonNumbers);
    default:
      return fallback();
  }
}

/** JSONata's `=`: the same scalar, or arrays and objects equal item by item and own property by own property. */
function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (a instanceof Sequence || b instanceof Sequence) fallback();
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return false;
    for (let index = 0; index < a.length; index += 1) if (!deepEqual(a[index], b[index])) return false;
    return true;
  }
  // Any other two objects (an array and an object too: the array's `length` is one of its names).
  const aNames = Object.getOwnPropertyNames(a).sort();
  const bNames = Object.getOwnPropertyNames(b).sort();
  if (aNames.length !== bNames.length) return false;
  for (let index = 0; index < aNames.length; index += 1) if (aNames[index] !== bNames[index]) return false;
  for (const name of aNames) if (!deepEqual((a as Record<string, unknown>)[name], (b as Record<string, unknown>)[name])) return false;
  return true;
}

/** JSONata's `in`: the value is one of the candidates (or the one candidate), compared with ===. */
function includes(value: unknown, candidates: unknown): boolean {
  if (value === undefined || candidates === undefined) return false;
  return Array.isArray(candidates) ? candidates.indexOf(value) !== -1 : candidates === value;
}

/** One path step for a name Object.prototype has (constructor, toString…): JSONata reads own properties only. */
function ownStep(value: unknown, name: string): unknown {
  if (value === undefined || value === null || typeof value !== 'object') return undefined;
  if (Array.isArray(value) || functionLike(value)) fallback();
  return Object.hasOwn(value, name) ? (value as Record<string, unknown>)[name] : undefined;
}

/** Appends a value to an array constructor's array: an array's items, one by one (JSONata's $append). */
function append(out: unknown[], value: unknown): void {
  if (value === undefined) return;
  if (Array.isArray(value)) for (const item of value) out.push(item);
  else out.push(value);
}

/** An object constructor where some value is undefined: JSONata leaves those keys out. */
function definedOnly(keys: readonly string[], values: readonly unknown[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (let index = 0; index < keys.length; index += 1) if (values[index] !== undefined) out[keys[index] as string] = values[index];
  return out;
}

/** What a filter runs over: a sequence's items, an array, or a single value (undefined too) as one item. */
function filterItems(value: unknown): unknown[] {
  return value instanceof Sequence ? value.items : Array.isArray(value) ? value : [value];
}

/** A position of a filter (`[-1]`: the last): rounded down, negative counts from the end. */
function position(index: number, length: number): number {
  const whole = Math.floor(index);
  return whole < 0 ? length + whole : whole;
}

/** `value[n]` with a number literal, as the last filter: the item (an array item as it is), or nothing. */
function at(value: unknown, index: number): unknown {
  const items = filterItems(value);
  return items[position(index, items.length)];
}

/** `value[n]` followed by more filters: they run over the item's own items when the item is an array. */
function atSequence(value: unknown, index: number): unknown {
  const item = at(value, index);
  if (Array.isArray(item)) return item;
  const out = new Sequence();
  if (item !== undefined) out.items.push(item);
  return out;
}

/** Keeps a filtered item when the predicate's value selects it: positions given by numbers, else truthiness. */
function select(out: Sequence, item: unknown, predicate: unknown, index: number, length: number): void {
  if (typeof predicate === 'number') {
    if (!Number.isFinite(predicate)) fallback();
    if (position(predicate, length) === index) out.items.push(item);
    return;
  }
  if (Array.isArray(predicate) && predicate.every((n) => typeof n === 'number')) {
    // Every position that names this item keeps it (once per mention).
    for (const n of predicate as number[]) {
      if (!Number.isFinite(n)) fallback();
      if (position(n, length) === index) out.items.push(item);
    }
    return;
  }
  if (truthy(predicate)) out.items.push(item);
}

/** A string argument (JSONata's signature `s`): a string or nothing, anything else is JSONata's error to raise. */
function stringArgument(value: unknown): string | undefined {
  return value === undefined || typeof value === 'string' ? value : fallback();
}

/** $trim: runs of space, tab, newline and carriage return become one space, then one space goes from each end. */
function trim(value: unknown): string | undefined {
  const text = stringArgument(value);
  if (text === undefined) return undefined;
  let out = text.replace(/[ \t\n\r]+/g, ' ');
  if (out.startsWith(' ')) out = out.slice(1);
  if (out.endsWith(' ')) out = out.slice(0, -1);
  return out;
}

function split(value: unknown, separator: unknown, limit?: unknown): string[] | undefined {
  // JSONata checks every argument's type before looking at any of them.
  const text = stringArgument(value);
  if (typeof separator !== 'string' && (separator !== undefined || text !== undefined)) fallback();
  if (limit !== undefined && typeof limit !== 'number') fallback();
  if (text === undefined) return undefined;
  if (typeof limit === 'number' && limit < 0) fallback();
  return limit === undefined || limit > 0 ? text.split(separator as string, limit) : [];
}

/** $join: an array of strings (one string is an array of one) joined; anything else is JSONata's error. */
function join(value: unknown, separator?: unknown): string | undefined {
  if (separator !== undefined && typeof separator !== 'string') fallback();
  if (value === undefined) return undefined;
  if (typeof value === 'string') return value;
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) fallback();
  return (value as string[]).join(separator ?? '');
}

/** $contains with a string to find: whether it occurs. A regex is compiled apart (see `matches`). */
function contains(value: unknown, token: unknown): boolean | undefined {
  if (typeof token !== 'string') fallback();
  const text = stringArgument(value);
  return text === undefined ? undefined : text.includes(token as string);
}

/** $contains with a regex literal: whether it matches anywhere (its first match, as JSONata's matcher looks). */
function matches(value: unknown, pattern: LinearRegExp): boolean | undefined {
  const text = stringArgument(value);
  if (text === undefined) return undefined;
  pattern.lastIndex = 0;
  return pattern.exec(text) !== null;
}

/** $substringBefore and $substringAfter: the text before (after) the first occurrence, or all of it. */
function substringAround(after: boolean) {
  return (value: unknown, chars: unknown): string | undefined => {
    if (typeof chars !== 'string') fallback();
    const text = stringArgument(value);
    if (text === undefined) return undefined;
    const at = text.indexOf(chars as string);
    if (at === -1) return text;
    return after ? text.slice(at + (chars as string).length) : text.slice(0, at);
  };
}

/** $number of a finite number, a boolean or a decimal string; hexadecimal and octal text, and errors, are JSONata's. */
function number(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && /^-?[0-9]+(\.[0-9]+)?([Ee][-+]?[0-9]+)?$/.test(value)) {
    const parsed = parseFloat(value);
    if (Number.isFinite(parsed)) return parsed;
  }
  return fallback();
}

/** A regex literal of an expression, compiled once (the same linear-time engine JSONata is given). */
function regex(source: string, flags: string): LinearRegExp {
  return new LinearRegExp(new RegExp(source, flags));
}

/** The functions of the fast subset, by name, with the numbers of arguments they are compiled for. */
const FUNCTIONS: Record<string, { arities: readonly number[]; apply: (...args: unknown[]) => unknown }> = {
  string: { arities: [1], apply: (value) => stringOf(value) },
  lowercase: { arities: [1], apply: (value) => stringArgument(value)?.toLowerCase() },
  uppercase: { arities: [1], apply: (value) => stringArgument(value)?.toUpperCase() },
  trim: { arities: [1], apply: trim },
  not: { arities: [1], apply: (value) => (value === undefined ? undefined : !truthy(value)) },
  exists: { arities: [1], apply: (value) => (value === undefined ? false : typeof value === 'object' && value !== null && functionLike(value) ? fallback() : true) },
  boolean: { arities: [1], apply: (value) => (value === undefined ? undefined : truthy(value)) },
  split: { arities: [2, 3], apply: split },
  join: { arities: [1, 2], apply: join },
  contains: { arities: [2], apply: contains },
  substringBefore: { arities: [2], apply: substringAround(false) },
  substringAfter: { arities: [2], apply: substringAround(true) },
  number: { arities: [1], apply: number },
};

const NO_BINDINGS: Bindings = Object.freeze({});

/** What the generated code calls: passed in as `h`, never reached through globals. */
const HELPERS = {
  fallback,
  norm,
  truthy,
  stringOf,
  deepEqual,
  includes,
  ownStep,
  append,
  definedOnly,
  filterItems,
  at,
  atSequence,
  select,
  Sequence,
  NO_BINDINGS,
  functions: Object.fromEntries(Object.entries(FUNCTIONS).map(([name, fn]) => [name, fn.apply])),
  matches,
  regex,
};

const COMPARE = new Set(['<', '>', '<=', '>=']);
const ARITHMETIC = new Set(['+', '-', '*', '/', '%']);
/** Keys JSONata refuses in an object constructor (D1013) or assigns rather than defines (`__proto__`). */
const RESERVED_KEYS = new Set(['__proto__', '_jsonata_lambda', '_jsonata_function']);

/**
 * The properties each kind of node may have to be compiled. Anything else on a node — a keep-array `[]`, a
 * positional `#$i` or context `@$x` binding, a group-by, a parent reference, properties a later JSONata adds —
 * means JSONata evaluates the expression.
 */
const COMMON = ['type', 'value', 'position'];
const NODE_KEYS: ReadonlyMap<string, ReadonlySet<string>> = new Map(Object.entries({
  string: new Set([...COMMON, 'predicate']),
  number: new Set([...COMMON, 'predicate']),
  value: new Set([...COMMON, 'predicate']),
  variable: new Set([...COMMON, 'predicate']),
  path: new Set(['type', 'steps']),
  block: new Set(['type', 'position', 'expressions', 'predicate']),
  condition: new Set(['type', 'position', 'condition', 'then', 'else']),
  binary: new Set([...COMMON, 'lhs', 'rhs']),
  unary: new Set([...COMMON, 'expressions', 'lhs', 'expression', 'predicate']),
  function: new Set([...COMMON, 'name', 'arguments', 'procedure', 'predicate']),
}));
/** Steps of a path: plain names, a variable first, an object constructor last; nothing on them. */
const STEP_KEYS: ReadonlySet<string> = new Set(COMMON);
const STEP_MAPPER_KEYS: ReadonlySet<string> = new Set([...COMMON, 'lhs']);
const FILTER_KEYS: ReadonlySet<string> = new Set(['type', 'expr', 'position']);

function only(node: Node, keys: ReadonlySet<string> | undefined): boolean {
  if (!keys) return false;
  for (const key of Object.keys(node)) if (!keys.has(key)) return false;
  return true;
}

/** Code testing an object (a local's name): an array (paths map over it) or marked as a function (nothing to read). */
const unreadable = (local: string): string => `(Array.isArray(${local}) || ${local}._jsonata_function === true || ${local}._jsonata_lambda === true)`;

/** A string literal of JavaScript for any text. */
const literal = (text: string): string => JSON.stringify(text);

/** A finite number as JavaScript source (negative zero kept). */
const numberLiteral = (value: number): string => (Object.is(value, -0) ? '(-0)' : `(${JSON.stringify(value)})`);

/** A generated expression: its code (valid after the statements emitted before it) and whether it may be a Sequence. */
interface Emitted {
  code: string;
  sequence: boolean;
}

/** Emits statements for an expression tree into one function body; `undefined` from a method: not in the subset. */
class Generator {
  readonly lines: string[] = [];
  /** Functions called: a binding of the same name would be called instead, so its presence means JSONata. */
  readonly functions = new Set<string>();
  usesBindings = false;
  /** Contexts already checked to be no array and no object marked as a function: paths read them directly. */
  readonly checked = new Set<string>();
  /** Whether some path reads the input: the function then checks the input once, first. */
  readsInput = false;
  /**
   * Whether an object constructor has the input as its context. JSONata groups an array context item by item (and
   * one nested in another's value gets the input array itself, where the outermost gets it wrapped), so an input
   * that is an array is JSONata's then.
   */
  groupsInput = false;
  /** Values made once, when the function is made (compiled regexes), declared outside it. */
  readonly constants: string[] = [];
  #next = 0;

  /** A value made once for every evaluation: a name in the scope around the generated function. */
  constant(code: string): string {
    const name = `c${this.constants.length}`;
    this.constants.push(`const ${name} = ${code};`);
    return name;
  }

  /** A fresh local, assigned `code`. */
  temp(code: string): string {
    const name = `t${this.#next++}`;
    this.lines.push(`let ${name} = ${code};`);
    return name;
  }

  /** A fresh name for a local the caller declares. */
  name(): string {
    return `t${this.#next++}`;
  }

  /** Emits what `emit` emits into a nested block; returns its result, or undefined (and emits nothing usable). */
  nested<T>(emit: () => T | undefined): { body: string[]; result: T } | undefined {
    const outer = this.lines.length;
    const result = emit();
    const body = this.lines.splice(outer);
    return result === undefined ? undefined : { body, result };
  }

  /** The value of `node` as JSONata would use it: never a Sequence. */
  value(node: Node, context: string): string | undefined {
    const emitted = this.node(node, context);
    if (!emitted) return undefined;
    return emitted.sequence ? this.temp(`h.norm(${emitted.code})`) : emitted.code;
  }

  node(node: Node, context: string): Emitted | undefined {
    if (typeof node !== 'object' || node === null || !only(node, NODE_KEYS.get(node.type))) return undefined;
    const emitted = this.bare(node, context);
    if (!emitted) return undefined;
    const predicates = node['predicate'];
    return predicates === undefined ? emitted : this.filters(emitted, predicates as Node[]);
  }

  /** The node without its filters. */
  bare(node: Node, context: string): Emitted | undefined {
    switch (node.type) {
      case 'string':
        return { code: literal(String(node.value)), sequence: false };
      case 'number':
        return typeof node.value === 'number' && Number.isFinite(node.value) ? { code: numberLiteral(node.value), sequence: false } : undefined;
      case 'value':
        return node.value === true || node.value === false || node.value === null ? { code: String(node.value), sequence: false } : undefined;
      case 'variable':
        return { code: this.variable(String(node.value), context), sequence: false };
      case 'path':
        return this.path(node, context);
      case 'block': {
        // Parentheses around one expression; a block of several (`(a; b)`) is left to JSONata.
        const expressions = node['expressions'] as Node[];
        return expressions.length === 1 ? this.node(expressions[0] as Node, context) : undefined;
      }
      case 'condition':
        return this.condition(node, context);
      case 'binary':
        return this.binary(node, context);
      case 'function':
        return this.call(node, context);
      case 'unary':
        if (node.value === '{') return this.object(node, context);
        if (node.value === '[') return this.array(node, context);
        if (node.value === '-') {
          const operand = this.value(node['expression'] as Node, context);
          if (!operand) return undefined;
          const value = this.temp(operand);
          // Only a finite number has a negative; anything else is JSONata's error (D1002, D1001).
          return { code: this.temp(`${value} === undefined ? undefined : Number.isFinite(${value}) ? -${value} : h.fallback()`), sequence: false };
        }
        return undefined;
      default:
        return undefined;
    }
  }

  /**
   * `$` is the context, `$$` the input, any other name a binding (own properties only, as JSONata binds them). A
   * function's name the bindings lack is that function, used as a value, and a function is no JSON value: JSONata's.
   */
  variable(name: string, context: string): string {
    if (name === '') return context;
    if (name === '$') return 'input';
    this.usesBindings = true;
    const key = literal(name);
    const value = this.temp(`Object.hasOwn(b, ${key}) ? b[${key}] : ${JSONATA_FUNCTIONS.has(name) ? 'h.fallback()' : 'undefined'}`);
    this.lines.push(`if (typeof ${value} === 'function') h.fallback();`);
    return value;
  }

  /** Filters after a value: `$split(tags, ',')[0]`, `$[x > 1]`, `(a.b)[-1]`, one after another. */
  filters(base: Emitted, predicates: Node[]): Emitted | undefined {
    // The first filter sees the value as JSONata's evaluation of the node gives it; the next ones see the results
    // of the one before, unchanged.
    let current = base.sequence ? this.temp(`h.norm(${base.code})`) : this.temp(base.code);
    for (const [index, predicate] of predicates.entries()) {
      if (typeof predicate !== 'object' || predicate === null || predicate.type !== 'filter' || !only(predicate, FILTER_KEYS)) return undefined;
      const expression = predicate['expr'] as Node;
      const last = index === predicates.length - 1;
      if (expression?.type === 'number') {
        // A number literal picks one item by position (and JSONata reads nothing else of that node).
        if (!only(expression, STEP_KEYS) || typeof expression.value !== 'number' || !Number.isFinite(expression.value)) return undefined;
        current = this.temp(`h.${last ? 'at' : 'atSequence'}(${current}, ${numberLiteral(expression.value)})`);
        if (last) return { code: current, sequence: false };
        continue;
      }
      const items = this.temp(`h.filterItems(${current})`);
      const out = this.temp('new h.Sequence()');
      const itemIndex = this.name();
      const item = this.name();
      this.checked.add(item);
      const emitted = this.nested(() => this.value(expression, item));
      if (!emitted) return undefined;
      this.lines.push(
        `for (let ${itemIndex} = 0; ${itemIndex} < ${items}.length; ${itemIndex} += 1) {`,
        `  const ${item} = ${items}[${itemIndex}];`,
        // An array as the context: JSONata's grouping and mapping rules apply, so it evaluates.
        `  if (typeof ${item} === 'object' && ${item} !== null && ${unreadable(item)}) h.fallback();`,
        ...emitted.body.map((line) => `  ${line}`),
        `  h.select(${out}, ${item}, ${emitted.result}, ${itemIndex}, ${items}.length);`,
        '}',
      );
      current = out;
    }
    return { code: current, sequence: true };
  }

  path(node: Node, context: string): Emitted | undefined {
    const steps = node['steps'] as Node[];
    const [first, ...rest] = steps;
    if (!first) return undefined;
    let start: string;
    let names: Node[];
    if (first.type === 'variable' && only(first, STEP_KEYS)) {
      start = this.variable(String(first.value), context);
      names = rest;
    } else if (first.type === 'name') {
      start = context;
      names = steps;
    } else return undefined;
    // A trailing object constructor maps over the values the path leads to (line_items.{ … }).
    const last = names.at(-1);
    const mapper = last?.type === 'unary' && last.value === '{' && only(last, STEP_MAPPER_KEYS) ? last : undefined;
    const keys: string[] = [];
    for (const step of mapper ? names.slice(0, -1) : names) {
      if (step.type !== 'name' || !only(step, STEP_KEYS)) return undefined;
      keys.push(String(step.value));
    }
    if (start === 'input') this.readsInput = true;
    const value = this.temp(start);
    for (const [index, key] of keys.entries()) {
      // A name Object.prototype lacks can only be an own property of the data (or absent): read directly. A path
      // crossing an array maps over it, and an object marked as a function has nothing to read: JSONata's.
      const checked = index === 0 && (start === 'input' || this.checked.has(start));
      this.lines.push(
        key in Object.prototype
          ? `${value} = h.ownStep(${value}, ${literal(key)});`
          : `${value} = ${value} === undefined || ${value} === null || typeof ${value} !== 'object' ? undefined : ${checked ? '' : `${unreadable(value)} ? h.fallback() : `}${value}[${literal(key)}];`,
      );
    }
    // A path ending at an array gives that array, as it is.
    if (!mapper) return { code: value, sequence: false };
    const out = this.temp('undefined');
    const items = this.name();
    const item = this.name();
    const itemIndex = this.name();
    this.checked.add(item);
    const mapped = this.nested(() => this.object(mapper, item));
    if (!mapped) return undefined;
    this.lines.push(
      `if (${value} !== undefined) {`,
      `  const ${items} = Array.isArray(${value}) ? ${value} : [${value}];`,
      `  ${out} = new h.Sequence();`,
      `  for (let ${itemIndex} = 0; ${itemIndex} < ${items}.length; ${itemIndex} += 1) {`,
      `    const ${item} = ${items}[${itemIndex}];`,
      // An array inside the array: JSONata flattens and groups it.
      `    if (typeof ${item} === 'object' && ${item} !== null && ${unreadable(item)}) h.fallback();`,
      ...mapped.body.map((line) => `    ${line}`),
      `    ${out}.items.push(${mapped.result.code});`,
      '  }',
      '}',
    );
    return { code: out, sequence: true };
  }

  object(node: Node, context: string): Emitted | undefined {
    if (context === 'input') this.groupsInput = true;
    const pairs = node['lhs'] as Array<[Node, Node]>;
    const keys: string[] = [];
    const values: string[] = [];
    for (const [key, valueNode] of pairs) {
      if (key?.type !== 'string' || !only(key, STEP_KEYS)) return undefined;
      // A mapped sequence in an object is its item, or an array of its items.
      const value = this.value(valueNode, context);
      if (!value) return undefined;
      keys.push(String(key.value));
      values.push(this.temp(value));
    }
    // JSONata refuses a key given twice (D1009) and its own internal keys (D1013), and assigns `__proto__`
    // (setting the prototype, or nothing): its own evaluation does all three.
    if (new Set(keys).size !== keys.length || keys.some((key) => RESERVED_KEYS.has(key))) return undefined;
    const properties = keys.map((key, index) => `${literal(key)}: ${values[index]}`);
    const allDefined = values.map((value) => `${value} !== undefined`).join(' && ') || 'true';
    const code = `${allDefined} ? { ${properties.join(', ')} } : h.definedOnly(${JSON.stringify(keys)}, [${values.join(', ')}])`;
    return { code: this.temp(code), sequence: false };
  }

  array(node: Node, context: string): Emitted | undefined {
    const out = this.temp('[]');
    for (const itemNode of node['expressions'] as Node[]) {
      const value = this.value(itemNode, context);
      if (!value) return undefined;
      // An array constructor inside one is one item; any other array's items are appended one by one.
      this.lines.push(itemNode.value === '[' ? `if (${value} !== undefined) ${out}.push(${value});` : `h.append(${out}, ${value});`);
    }
    return { code: out, sequence: false };
  }

  condition(node: Node, context: string): Emitted | undefined {
    const condition = this.value(node['condition'] as Node, context);
    if (!condition) return undefined;
    const out = this.temp('undefined');
    const then = this.nested(() => this.node(node['then'] as Node, context));
    if (!then) return undefined;
    let otherwise: { body: string[]; result: Emitted } | undefined;
    if (node['else'] !== undefined) {
      otherwise = this.nested(() => this.node(node['else'] as Node, context));
      if (!otherwise) return undefined;
    }
    this.lines.push(`if (${condition} === true || (${condition} !== false && h.truthy(${condition}))) {`, ...then.body.map((line) => `  ${line}`), `  ${out} = ${then.result.code};`);
    if (otherwise) this.lines.push('} else {', ...otherwise.body.map((line) => `  ${line}`), `  ${out} = ${otherwise.result.code};`);
    this.lines.push('}');
    return { code: out, sequence: then.result.sequence || (otherwise?.result.sequence ?? false) };
  }

  binary(node: Node, context: string): Emitted | undefined {
    const operator = String(node.value);
    const lhsNode = node['lhs'] as Node;
    const rhsNode = node['rhs'] as Node;
    if (operator === 'and' || operator === 'or') {
      const lhs = this.value(lhsNode, context);
      if (!lhs) return undefined;
      const out = this.temp(`h.truthy(${lhs})`);
      const rhs = this.nested(() => this.value(rhsNode, context));
      if (!rhs) return undefined;
      // The right side is evaluated only when the left does not decide.
      this.lines.push(operator === 'and' ? `if (${out}) {` : `if (!${out}) {`, ...rhs.body.map((line) => `  ${line}`), `  ${out} = h.truthy(${rhs.result});`, '}');
      return { code: out, sequence: false };
    }
    if (!COMPARE.has(operator) && !ARITHMETIC.has(operator) && !['=', '!=', '&', 'in'].includes(operator)) return undefined;
    const lhs = this.value(lhsNode, context);
    if (!lhs) return undefined;
    const a = this.temp(lhs);
    const rhs = this.value(rhsNode, context);
    if (!rhs) return undefined;
    const b = this.temp(rhs);
    if (operator === 'in') return { code: this.temp(`h.includes(${a}, ${b})`), sequence: false };
    if (operator === '=' || operator === '!=') {
      const equal = `(${a} === ${b} || (typeof ${a} === 'object' && typeof ${b} === 'object' && h.deepEqual(${a}, ${b})))`;
      return { code: this.temp(`${a} === undefined || ${b} === undefined ? false : ${operator === '=' ? equal : `!${equal}`}`), sequence: false };
    }
    if (operator === '&') return { code: this.temp(`(h.stringOf(${a}) ?? '') + (h.stringOf(${b}) ?? '')`), sequence: false };
    // JSONata's order: an operand of the wrong type is an error (even beside a missing one), then a missing
    // operand makes the result missing. Errors are JSONata's to report.
    const absent = `${a} === undefined || ${b} === undefined ? undefined`;
    if (COMPARE.has(operator)) {
      const comparable = (x: string) => `(${x} === undefined || typeof ${x} === 'string' || typeof ${x} === 'number')`;
      this.lines.push(`if (!${comparable(a)} || !${comparable(b)}) h.fallback();`);
      return { code: this.temp(`${absent} : typeof ${a} === typeof ${b} ? ${a} ${operator} ${b} : h.fallback()`), sequence: false };
    }
    // Arithmetic: finite numbers only (anything else is JSONata's T2001, T2002 or D1001), and a result that is
    // not finite is JSONata's to handle too.
    this.lines.push(`if ((${a} !== undefined && !Number.isFinite(${a})) || (${b} !== undefined && !Number.isFinite(${b}))) h.fallback();`);
    const result = this.temp(`${absent} : ${a} ${operator} ${b}`);
    this.lines.push(`if (${result} !== undefined && !Number.isFinite(${result})) h.fallback();`);
    return { code: result, sequence: false };
  }

  call(node: Node, context: string): Emitted | undefined {
    const procedure = node['procedure'] as Node | undefined;
    if (procedure?.type !== 'variable' || !only(procedure, STEP_KEYS)) return undefined;
    const name = String(procedure.value);
    const fn = Object.hasOwn(FUNCTIONS, name) ? FUNCTIONS[name] : undefined;
    const argNodes = node['arguments'] as Node[];
    if (!fn || !fn.arities.includes(argNodes.length)) return undefined;
    const pattern = argNodes[1];
    if (name === 'contains' && pattern?.type === 'regex') return this.containsRegex(argNodes[0] as Node, pattern, context);
    const args: string[] = [];
    for (const argNode of argNodes) {
      // What JSONata passes: a sequence is nothing, its one item, or an array.
      const arg = this.value(argNode, context);
      if (!arg) return undefined;
      args.push(this.temp(arg));
    }
    this.functions.add(name);
    return { code: this.temp(`h.functions[${literal(name)}](${args.join(', ')})`), sequence: false };
  }

  /** `$contains(text, /regex/)`: the regex compiled here, once; one RE2 can refuse (a backreference): JSONata's then. */
  containsRegex(textNode: Node, pattern: Node, context: string): Emitted | undefined {
    if (!only(pattern, STEP_KEYS) || !(pattern.value instanceof RegExp)) return undefined;
    try {
      regex(pattern.value.source, pattern.value.flags);
    } catch {
      return undefined;
    }
    const text = this.value(textNode, context);
    if (!text) return undefined;
    const compiled = this.constant(`h.regex(${literal(pattern.value.source)}, ${literal(pattern.value.flags)})`);
    this.functions.add('contains');
    return { code: this.temp(`h.matches(${this.temp(text)}, ${compiled})`), sequence: false };
  }
}

/**
 * How deep JSONata's evaluation of a tree can nest at most: one level per object of the tree (JSONata nests one
 * evaluation per node it evaluates, and fewer for the filter objects around predicates), so never less than it.
 */
function nesting(node: unknown): number {
  if (Array.isArray(node)) return node.reduce((deepest: number, item) => Math.max(deepest, nesting(item)), 0);
  if (typeof node !== 'object' || node === null) return 0;
  let deepest = 0;
  for (const value of Object.values(node)) deepest = Math.max(deepest, nesting(value));
  return deepest + 1;
}

/**
 * Compiles a parsed JSONata expression when every part of it is in the fast subset; undefined otherwise (or where
 * code cannot be generated). The returned function throws FALLBACK when an input needs JSONata's full semantics.
 * `maxDepth` is the depth JSONata's evaluation may reach (its `stack` option): an expression that could go deeper
 * is JSONata's, which reports D1011 where it does.
 */
export function compileFast(ast: unknown, maxDepth = 0): ((input: unknown, bindings: Bindings) => unknown) | undefined {
  if (!CODE_GENERATION) return undefined;
  if (maxDepth > 0 && nesting(ast) > maxDepth) return undefined;
  const generator = new Generator();
  const value = generator.node(ast as Node, 'input');
  if (!value) return undefined;
  const prologue: string[] = [];
  // Paths from the input read it without checking it again: an array or an object marked as a function is JSONata's.
  if (generator.readsInput) prologue.push(`if (typeof input === 'object' && input !== null && ${unreadable('input')}) h.fallback();`);
  else if (generator.groupsInput) prologue.push('if (Array.isArray(input)) h.fallback();');
  if (generator.usesBindings || generator.functions.size > 0) prologue.push('if (b === undefined || b === null) b = h.NO_BINDINGS;');
  // A binding named like a function is what JSONata calls.
  for (const name of generator.functions) prologue.push(`if (Object.hasOwn(b, ${literal(name)})) h.fallback();`);
  const body = [...prologue, ...generator.lines, value.sequence ? `return h.norm(${value.code});` : `return ${value.code};`];
  // Anything unforeseen (a stack overflow on deep data…) is JSONata's to report as well.
  const source = `'use strict';\n${generator.constants.join('\n')}\nreturn function fastExpression(input, b) {\n  try {\n    ${body.join('\n    ')}\n  } catch {\n    h.fallback();\n  }\n};`;
  const create = new Function('h', source) as (helpers: typeof HELPERS) => (input: unknown, bindings: Bindings) => unknown;
  return create(HELPERS);
}
