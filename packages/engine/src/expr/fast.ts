// A compiler for the part of JSONata that mappings use most: paths, literals, object and array constructors,
// conditions, comparisons, boolean logic, string concatenation, arithmetic, mapping over an array of objects
// (`line_items.{ … }`) and a few pure functions. It turns the parsed expression into closures once, so a record
// costs property reads instead of an interpreter walk. Whatever it is unsure about — an array where a scalar was
// expected, a number to format, a type error — it hands to JSONata itself for that evaluation (FALLBACK), so
// results are JSONata's, byte for byte; a differential property test holds it to that.
import type { Bindings } from './compile.ts';

/** Thrown inside a fast evaluation to say: let JSONata evaluate this input. */
export const FALLBACK = Symbol('fallback to JSONata');

type Node = { type: string; value?: unknown; [key: string]: unknown };
type Scope = { context: unknown; root: unknown; bindings: Bindings };
type Evaluate = (scope: Scope) => unknown;

/** Results of mapping over an array: flattened into array constructors, unwrapped when single. */
class Sequence extends Array<unknown> {}

function fallback(): never {
  throw FALLBACK;
}

/** JSONata's truthiness, for the values the fast path handles. */
function truthy(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value !== 0;
  if (typeof value === 'string') return value.length > 0;
  return fallback();
}

/** $string for scalars whose JSONata text is certain; anything else goes to JSONata. */
function stringOf(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  if (value === null) return 'null';
  return fallback();
}

function scalar(value: unknown): unknown {
  if (typeof value === 'object' && value !== null) fallback();
  return value;
}

function step(value: unknown, name: string): unknown {
  if (value === undefined || value === null || typeof value !== 'object') return undefined;
  if (Array.isArray(value)) fallback();
  return Object.hasOwn(value, name) ? (value as Record<string, unknown>)[name] : undefined;
}

/**
 * `step` for one name, specialised: a name Object.prototype does not have can only be an own property of a
 * parsed JSON object (or absent), so it is read directly; others (constructor, toString…) keep the own check.
 */
function stepFor(name: string): (value: unknown) => unknown {
  if (name in Object.prototype) return (value) => step(value, name);
  return (value) => {
    if (value === undefined || value === null || typeof value !== 'object') return undefined;
    if (Array.isArray(value)) fallback();
    return (value as Record<string, unknown>)[name];
  };
}

function compileObject(node: Node): Evaluate | undefined {
  const pairs = node['lhs'] as Array<[Node, Node]>;
  const compiled: Array<[string, Evaluate]> = [];
  for (const [key, value] of pairs) {
    if (key.type !== 'string') return undefined;
    const evaluate = compileNode(value);
    if (!evaluate) return undefined;
    compiled.push([String(key.value), evaluate]);
  }
  const keys = compiled.map(([key]) => key);
  const values = compiled.map(([, evaluate]) => evaluate);
  return (scope) => {
    const out: Record<string, unknown> = {};
    for (let index = 0; index < keys.length; index += 1) {
      let value = (values[index] as Evaluate)(scope);
      if (value instanceof Sequence) value = value.length === 1 ? value[0] : value.length === 0 ? undefined : fallback();
      if (value !== undefined) out[keys[index] as string] = value;
    }
    return out;
  };
}

function compilePath(node: Node): Evaluate | undefined {
  const steps = node['steps'] as Node[];
  if (steps.some((s) => s['stages'] !== undefined || s['predicate'] !== undefined || s['group'] !== undefined)) return undefined;
  const [first, ...rest] = steps;
  if (!first) return undefined;
  let start: Evaluate;
  let names: Node[];
  if (first.type === 'variable') {
    const name = String(first.value);
    start = name === '' ? (scope) => scope.context : name === '$' ? (scope) => scope.root : (scope) => scope.bindings[name];
    names = rest;
  } else if (first.type === 'name') {
    start = (scope) => scope.context;
    names = steps;
  } else return undefined;
  // A trailing object constructor maps over the records the path leads to (line_items.{ … }).
  const last = names.at(-1);
  const mapper = last?.type === 'unary' && last.value === '{' ? compileObject(last) : undefined;
  if (last?.type === 'unary' && !mapper) return undefined;
  const keys = (mapper ? names.slice(0, -1) : names).map((s) => (s.type === 'name' ? String(s.value) : undefined));
  if (keys.some((key) => key === undefined)) return undefined;
  const readers = (keys as string[]).map(stepFor);
  const only = readers.length === 1 ? readers[0] : undefined;
  // The commonest path is one name (`email`): no loop then.
  const walk: Evaluate = only
    ? (scope) => only(start(scope))
    : (scope) => {
        let value = start(scope);
        for (let index = 0; index < readers.length; index += 1) value = (readers[index] as (value: unknown) => unknown)(value);
        return value;
      };
  return (scope) => {
    const value = walk(scope);
    if (!mapper) {
      if (Array.isArray(value)) fallback();
      return value;
    }
    if (value === undefined) return undefined;
    if (value === null) fallback();
    const items = Array.isArray(value) ? value : [value];
    const out = new Sequence();
    for (const item of items) {
      if (typeof item !== 'object' || item === null || Array.isArray(item)) fallback();
      out.push(mapper({ context: item, root: scope.root, bindings: scope.bindings }));
    }
    return out;
  };
}

const COMPARE: Record<string, (a: number | string, b: number | string) => boolean> = {
  '<': (a, b) => a < b,
  '>': (a, b) => a > b,
  '<=': (a, b) => a <= b,
  '>=': (a, b) => a >= b,
};

const ARITHMETIC: Record<string, (a: number, b: number) => number> = {
  '+': (a, b) => a + b,
  '-': (a, b) => a - b,
  '*': (a, b) => a * b,
  '/': (a, b) => a / b,
};

function compileBinary(node: Node): Evaluate | undefined {
  const operator = String(node.value);
  const lhs = compileNode(node['lhs'] as Node);
  const rhs = compileNode(node['rhs'] as Node);
  if (!lhs || !rhs) return undefined;
  switch (operator) {
    case '=':
    case '!=':
      return (scope) => {
        const a = scalar(lhs(scope));
        const b = scalar(rhs(scope));
        if (a === undefined || b === undefined) return false;
        return operator === '=' ? a === b : a !== b;
      };
    case 'and':
      return (scope) => truthy(lhs(scope)) && truthy(rhs(scope));
    case 'or':
      return (scope) => truthy(lhs(scope)) || truthy(rhs(scope));
    case '&':
      return (scope) => (stringOf(lhs(scope)) ?? '') + (stringOf(rhs(scope)) ?? '');
    case 'in': {
      const list = node['rhs'] as Node;
      if (list.type !== 'unary' || list.value !== '[') return undefined;
      return (scope) => {
        const value = scalar(lhs(scope));
        if (value === undefined) return false;
        const candidates = rhs(scope);
        return Array.isArray(candidates) && candidates.includes(value);
      };
    }
    default: {
      const compare = COMPARE[operator];
      if (compare) {
        return (scope) => {
          const a = lhs(scope);
          const b = rhs(scope);
          if (a === undefined || b === undefined) return undefined;
          if (!((typeof a === 'number' && typeof b === 'number') || (typeof a === 'string' && typeof b === 'string'))) return fallback();
          return compare(a, b);
        };
      }
      const arithmetic = ARITHMETIC[operator];
      if (arithmetic) {
        return (scope) => {
          const a = lhs(scope);
          const b = rhs(scope);
          if (a === undefined || b === undefined) return undefined;
          if (typeof a !== 'number' || typeof b !== 'number') return fallback();
          const result = arithmetic(a, b);
          return Number.isFinite(result) ? result : fallback();
        };
      }
      return undefined;
    }
  }
}

const FUNCTIONS: Record<string, { arity: number; apply: (args: unknown[]) => unknown }> = {
  string: { arity: 1, apply: ([value]) => stringOf(value) },
  lowercase: { arity: 1, apply: ([value]) => (value === undefined ? undefined : typeof value === 'string' ? value.toLowerCase() : fallback()) },
  uppercase: { arity: 1, apply: ([value]) => (value === undefined ? undefined : typeof value === 'string' ? value.toUpperCase() : fallback()) },
  trim: { arity: 1, apply: ([value]) => (value === undefined ? undefined : typeof value === 'string' ? value.replace(/[ \t\n\r]+/g, ' ').trim() : fallback()) },
  not: { arity: 1, apply: ([value]) => (value === undefined ? undefined : !truthy(value)) },
  exists: { arity: 1, apply: ([value]) => value !== undefined },
  boolean: { arity: 1, apply: ([value]) => (value === undefined ? undefined : truthy(value)) },
  split: {
    arity: 2,
    apply: ([value, separator]) => {
      if (value === undefined) return undefined;
      return typeof value === 'string' && typeof separator === 'string' ? value.split(separator) : fallback();
    },
  },
};

function compileFunction(node: Node): Evaluate | undefined {
  const procedure = node['procedure'] as Node | undefined;
  if (node.type !== 'function' || procedure?.type !== 'variable') return undefined;
  const fn = FUNCTIONS[String(procedure.value)];
  const args = (node['arguments'] as Node[]).map(compileNode);
  if (!fn || args.length !== fn.arity || args.some((arg) => !arg)) return undefined;
  const compiled = args as Evaluate[];
  return (scope) => fn.apply(compiled.map((arg) => arg(scope)));
}

function compileNode(node: Node): Evaluate | undefined {
  switch (node.type) {
    case 'string':
    case 'number':
    case 'value': {
      const value = node.value;
      return () => value;
    }
    case 'path':
      return compilePath(node);
    case 'variable': {
      const name = String(node.value);
      if (name === '') return (scope) => scope.context;
      if (name === '$') return (scope) => scope.root;
      return (scope) => scope.bindings[name];
    }
    case 'condition': {
      const condition = compileNode(node['condition'] as Node);
      const then = compileNode(node['then'] as Node);
      const otherwise = node['else'] === undefined ? () => undefined : compileNode(node['else'] as Node);
      if (!condition || !then || !otherwise) return undefined;
      return (scope) => (truthy(condition(scope)) ? then(scope) : otherwise(scope));
    }
    case 'binary':
      return compileBinary(node);
    case 'function':
      return compileFunction(node);
    case 'unary': {
      if (node.value === '{') return compileObject(node);
      if (node.value === '-') {
        const operand = compileNode(node['expression'] as Node);
        if (!operand) return undefined;
        return (scope) => {
          const value = operand(scope);
          if (value === undefined) return undefined;
          return typeof value === 'number' ? -value : fallback();
        };
      }
      if (node.value === '[') {
        const items = (node['expressions'] as Node[]).map(compileNode);
        if (items.some((item) => !item)) return undefined;
        return (scope) => {
          const out: unknown[] = [];
          for (const item of items as Evaluate[]) {
            const value = item(scope);
            if (value instanceof Sequence) out.push(...value);
            else if (Array.isArray(value)) fallback();
            else if (value !== undefined) out.push(value);
          }
          return out;
        };
      }
      return undefined;
    }
    default:
      return undefined;
  }
}

/**
 * Compiles a parsed JSONata expression when every part of it is in the fast subset; undefined otherwise. The
 * returned function throws FALLBACK when an input needs JSONata's full semantics.
 */
export function compileFast(ast: unknown): ((input: unknown, bindings: Bindings) => unknown) | undefined {
  const evaluate = compileNode(ast as Node);
  if (!evaluate) return undefined;
  return (input, bindings) => {
    const value = evaluate({ context: input, root: input, bindings });
    if (value instanceof Sequence) return value.length === 0 ? undefined : value.length === 1 ? value[0] : [...value];
    return value;
  };
}
