// A compiler for the part of JSONata that mappings use most: paths, literals, object and array constructors,
// conditions, comparisons, boolean logic, string concatenation, arithmetic, mapping over an array of objects
// (`line_items.{ … }`) and a few pure functions. It turns the parsed expression into one JavaScript function,
// once, so a record costs what a hand-written mapping costs: property reads and object literals, no interpreter
// walk and no closure per node. Whatever it is unsure about — an array where a scalar was expected, a number to
// format, a type error — it hands to JSONata itself for that evaluation (FALLBACK), so results are JSONata's,
// byte for byte; a differential property test holds it to that.
//
// Safety of the generated code: the only text taken from the expression is what `JSON.stringify` turns into
// string literals (names, keys, strings) and finite numbers; operators come from fixed tables. Nothing in the
// code loops except over the arrays of the input, so an evaluation is bounded by the input's size. Where code
// generation is disallowed (a CSP, `--disallow-code-generation-from-strings`), JSONata evaluates everything.
import type { Bindings } from './compile.ts';

/** Thrown inside a fast evaluation to say: let JSONata evaluate this input. */
export const FALLBACK = Symbol('fallback to JSONata');

type Node = { type: string; value?: unknown; [key: string]: unknown };

/** Results of mapping over an array: flattened into array constructors, unwrapped when single. */
class Sequence {
  readonly items: unknown[] = [];
}

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

/** One path step for a name Object.prototype has (constructor, toString…): own properties only. */
function ownStep(value: unknown, name: string): unknown {
  if (value === undefined || value === null || typeof value !== 'object') return undefined;
  if (Array.isArray(value)) fallback();
  return Object.hasOwn(value, name) ? (value as Record<string, unknown>)[name] : undefined;
}

/** A value inside an object constructor: a mapped sequence counts when it holds exactly one item. */
function single(value: unknown): unknown {
  if (!(value instanceof Sequence)) return value;
  return value.items.length === 1 ? value.items[0] : value.items.length === 0 ? undefined : fallback();
}

/** An object constructor where some value is undefined: JSONata leaves those keys out. */
function definedOnly(keys: readonly string[], values: readonly unknown[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (let index = 0; index < keys.length; index += 1) if (values[index] !== undefined) out[keys[index] as string] = values[index];
  return out;
}

function sequenceResult(value: unknown): unknown {
  if (!(value instanceof Sequence)) return value;
  return value.items.length === 0 ? undefined : value.items.length === 1 ? value.items[0] : value.items;
}

const FUNCTIONS: Record<string, { arity: number; apply: (...args: unknown[]) => unknown }> = {
  string: { arity: 1, apply: (value) => stringOf(value) },
  lowercase: { arity: 1, apply: (value) => (value === undefined ? undefined : typeof value === 'string' ? value.toLowerCase() : fallback()) },
  uppercase: { arity: 1, apply: (value) => (value === undefined ? undefined : typeof value === 'string' ? value.toUpperCase() : fallback()) },
  trim: { arity: 1, apply: (value) => (value === undefined ? undefined : typeof value === 'string' ? value.replace(/[ \t\n\r]+/g, ' ').trim() : fallback()) },
  not: { arity: 1, apply: (value) => (value === undefined ? undefined : !truthy(value)) },
  exists: { arity: 1, apply: (value) => value !== undefined },
  boolean: { arity: 1, apply: (value) => (value === undefined ? undefined : truthy(value)) },
  split: {
    arity: 2,
    apply: (value, separator) => {
      if (value === undefined) return undefined;
      return typeof value === 'string' && typeof separator === 'string' ? value.split(separator) : fallback();
    },
  },
};

/** What the generated code calls: passed in as `h`, never reached through globals. */
const HELPERS = { fallback, truthy, stringOf, scalar, ownStep, single, definedOnly, sequenceResult, Sequence, functions: Object.fromEntries(Object.entries(FUNCTIONS).map(([name, fn]) => [name, fn.apply])) };

const COMPARE = new Set(['<', '>', '<=', '>=']);
const ARITHMETIC = new Set(['+', '-', '*', '/']);

/** A string literal of JavaScript for any text. */
const literal = (text: string): string => JSON.stringify(text);

/** A generated expression: its code (valid after the statements emitted before it) and whether it may be a Sequence. */
interface Emitted {
  code: string;
  sequence: boolean;
}

/** Emits statements for an expression tree into one function body; `undefined` from a method: not in the subset. */
class Generator {
  readonly lines: string[] = [];
  #next = 0;

  /** A fresh local, assigned `code`. */
  temp(code: string): string {
    const name = `t${this.#next++}`;
    this.lines.push(`let ${name} = ${code};`);
    return name;
  }

  /** Emits `node` in a nested block, assigning its value to `target`; false when not in the subset. */
  block(node: Node, context: string, target: string): boolean | 'sequence' {
    const outer = this.lines.length;
    const value = this.node(node, context);
    if (!value) return false;
    this.lines.push(`${target} = ${value.code};`);
    const body = this.lines.splice(outer);
    this.lines.push(...body.map((line) => `  ${line}`));
    return value.sequence ? 'sequence' : true;
  }

  node(node: Node, context: string): Emitted | undefined {
    switch (node.type) {
      case 'string':
        return { code: literal(String(node.value)), sequence: false };
      case 'number':
        return typeof node.value === 'number' && Number.isFinite(node.value) ? { code: `(${JSON.stringify(node.value)})`, sequence: false } : undefined;
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
          const operand = this.node(node['expression'] as Node, context);
          if (!operand) return undefined;
          const value = this.temp(operand.code);
          return { code: this.temp(`${value} === undefined ? undefined : typeof ${value} === 'number' ? -${value} : h.fallback()`), sequence: false };
        }
        return undefined;
      default:
        return undefined;
    }
  }

  /** `$` is the context, `$$` the input, any other name a binding. */
  variable(name: string, context: string): string {
    if (name === '') return context;
    if (name === '$') return 'input';
    return `b[${literal(name)}]`;
  }

  path(node: Node, context: string): Emitted | undefined {
    const steps = node['steps'] as Node[];
    if (steps.some((s) => s['stages'] !== undefined || s['predicate'] !== undefined || s['group'] !== undefined)) return undefined;
    const [first, ...rest] = steps;
    if (!first) return undefined;
    let start: string;
    let names: Node[];
    if (first.type === 'variable') {
      start = this.variable(String(first.value), context);
      names = rest;
    } else if (first.type === 'name') {
      start = context;
      names = steps;
    } else return undefined;
    // A trailing object constructor maps over the records the path leads to (line_items.{ … }).
    const last = names.at(-1);
    const mapper = last?.type === 'unary' && last.value === '{' ? last : undefined;
    if (last?.type === 'unary' && !mapper) return undefined;
    const keys = (mapper ? names.slice(0, -1) : names).map((s) => (s.type === 'name' ? String(s.value) : undefined));
    if (keys.some((key) => key === undefined)) return undefined;
    const value = this.temp(start);
    for (const key of keys as string[]) {
      // A name Object.prototype lacks can only be an own property of parsed JSON (or absent): read directly.
      this.lines.push(
        key in Object.prototype
          ? `${value} = h.ownStep(${value}, ${literal(key)});`
          : `${value} = ${value} === undefined || ${value} === null || typeof ${value} !== 'object' ? undefined : Array.isArray(${value}) ? h.fallback() : ${value}[${literal(key)}];`,
      );
    }
    if (!mapper) {
      this.lines.push(`if (Array.isArray(${value})) h.fallback();`);
      return { code: value, sequence: false };
    }
    const out = this.temp('undefined');
    const items = `${out}i`;
    const item = `${out}c`;
    const index = `${out}n`;
    const outer = this.lines.length;
    const mapped = this.object(mapper, item);
    if (!mapped) return undefined;
    const body = this.lines.splice(outer);
    this.lines.push(
      `if (${value} !== undefined) {`,
      `  if (${value} === null) h.fallback();`,
      `  const ${items} = Array.isArray(${value}) ? ${value} : [${value}];`,
      `  ${out} = new h.Sequence();`,
      `  for (let ${index} = 0; ${index} < ${items}.length; ${index} += 1) {`,
      `    const ${item} = ${items}[${index}];`,
      `    if (typeof ${item} !== 'object' || ${item} === null || Array.isArray(${item})) h.fallback();`,
      ...body.map((line) => `    ${line}`),
      `    ${out}.items.push(${mapped.code});`,
      '  }',
      '}',
    );
    return { code: out, sequence: true };
  }

  object(node: Node, context: string): Emitted | undefined {
    const pairs = node['lhs'] as Array<[Node, Node]>;
    const keys: string[] = [];
    const values: string[] = [];
    for (const [key, valueNode] of pairs) {
      if (key.type !== 'string') return undefined;
      const value = this.node(valueNode, context);
      if (!value) return undefined;
      keys.push(String(key.value));
      values.push(value.sequence ? this.temp(`h.single(${value.code})`) : this.temp(value.code));
    }
    // JSONata refuses a key given twice (D1009), and assigns `__proto__` (setting the prototype, or nothing):
    // its own evaluation does both.
    if (new Set(keys).size !== keys.length || keys.includes('__proto__')) return undefined;
    const properties = keys.map((key, index) => `${literal(key)}: ${values[index]}`);
    const allDefined = values.map((value) => `${value} !== undefined`).join(' && ') || 'true';
    const code = `${allDefined} ? { ${properties.join(', ')} } : h.definedOnly(${JSON.stringify(keys)}, [${values.join(', ')}])`;
    return { code: this.temp(code), sequence: false };
  }

  array(node: Node, context: string): Emitted | undefined {
    const out = this.temp('[]');
    for (const itemNode of node['expressions'] as Node[]) {
      const item = this.node(itemNode, context);
      if (!item) return undefined;
      const value = this.temp(item.code);
      this.lines.push(
        item.sequence
          ? `if (${value} instanceof h.Sequence) ${out}.push(...${value}.items); else if (Array.isArray(${value})) h.fallback(); else if (${value} !== undefined) ${out}.push(${value});`
          : `if (Array.isArray(${value})) h.fallback(); else if (${value} !== undefined) ${out}.push(${value});`,
      );
    }
    return { code: out, sequence: false };
  }

  condition(node: Node, context: string): Emitted | undefined {
    const condition = this.node(node['condition'] as Node, context);
    if (!condition) return undefined;
    const test = this.temp(`h.truthy(${condition.code})`);
    const out = this.temp('undefined');
    this.lines.push(`if (${test}) {`);
    const then = this.block(node['then'] as Node, context, out);
    if (!then) return undefined;
    let otherwise: boolean | 'sequence' = true;
    if (node['else'] !== undefined) {
      this.lines.push('} else {');
      otherwise = this.block(node['else'] as Node, context, out);
      if (!otherwise) return undefined;
    }
    this.lines.push('}');
    return { code: out, sequence: then === 'sequence' || otherwise === 'sequence' };
  }

  binary(node: Node, context: string): Emitted | undefined {
    const operator = String(node.value);
    const lhsNode = node['lhs'] as Node;
    const rhsNode = node['rhs'] as Node;
    if (operator === 'and' || operator === 'or') {
      const lhs = this.node(lhsNode, context);
      if (!lhs) return undefined;
      const out = this.temp(`h.truthy(${lhs.code})`);
      this.lines.push(operator === 'and' ? `if (${out}) {` : `if (!${out}) {`);
      const rhsValue = `${out}r`;
      this.lines.push(`  let ${rhsValue};`);
      if (!this.block(rhsNode, context, rhsValue)) return undefined;
      this.lines.push(`  ${out} = h.truthy(${rhsValue});`, '}');
      return { code: out, sequence: false };
    }
    if (operator === 'in') {
      if (rhsNode.type !== 'unary' || rhsNode.value !== '[') return undefined;
      const lhs = this.node(lhsNode, context);
      if (!lhs) return undefined;
      const value = this.temp(`h.scalar(${lhs.code})`);
      const out = this.temp('false');
      const candidates = `${out}c`;
      this.lines.push(`if (${value} !== undefined) {`, `  let ${candidates};`);
      if (!this.block(rhsNode, context, candidates)) return undefined;
      this.lines.push(`  ${out} = Array.isArray(${candidates}) && ${candidates}.includes(${value});`, '}');
      return { code: out, sequence: false };
    }
    const lhs = this.node(lhsNode, context);
    if (!lhs) return undefined;
    if (operator === '=' || operator === '!=') {
      const a = this.temp(`h.scalar(${lhs.code})`);
      const rhs = this.node(rhsNode, context);
      if (!rhs) return undefined;
      const b = this.temp(`h.scalar(${rhs.code})`);
      return { code: this.temp(`${a} === undefined || ${b} === undefined ? false : ${a} ${operator === '=' ? '===' : '!=='} ${b}`), sequence: false };
    }
    if (operator === '&') {
      const a = this.temp(`h.stringOf(${lhs.code}) ?? ''`);
      const rhs = this.node(rhsNode, context);
      if (!rhs) return undefined;
      return { code: this.temp(`${a} + (h.stringOf(${rhs.code}) ?? '')`), sequence: false };
    }
    const a = this.temp(lhs.code);
    const rhs = this.node(rhsNode, context);
    if (!rhs) return undefined;
    const b = this.temp(rhs.code);
    // JSONata's order: an operand of the wrong type is an error (even beside a missing one), then a missing
    // operand makes the result missing. Errors are JSONata's to report.
    const absent = `${a} === undefined || ${b} === undefined ? undefined`;
    if (COMPARE.has(operator)) {
      const comparable = (x: string) => `(${x} === undefined || typeof ${x} === 'string' || typeof ${x} === 'number')`;
      this.lines.push(`if (!${comparable(a)} || !${comparable(b)}) h.fallback();`);
      return { code: this.temp(`${absent} : typeof ${a} === typeof ${b} ? ${a} ${operator} ${b} : h.fallback()`), sequence: false };
    }
    if (ARITHMETIC.has(operator)) {
      this.lines.push(`if ((${a} !== undefined && typeof ${a} !== 'number') || (${b} !== undefined && typeof ${b} !== 'number')) h.fallback();`);
      const result = this.temp(`${absent} : ${a} ${operator} ${b}`);
      this.lines.push(`if (${result} !== undefined && !Number.isFinite(${result})) h.fallback();`);
      return { code: result, sequence: false };
    }
    return undefined;
  }

  call(node: Node, context: string): Emitted | undefined {
    const procedure = node['procedure'] as Node | undefined;
    if (procedure?.type !== 'variable') return undefined;
    const name = String(procedure.value);
    const fn = Object.hasOwn(FUNCTIONS, name) ? FUNCTIONS[name] : undefined;
    const argNodes = node['arguments'] as Node[];
    if (!fn || argNodes.length !== fn.arity) return undefined;
    const args: string[] = [];
    for (const argNode of argNodes) {
      const arg = this.node(argNode, context);
      if (!arg) return undefined;
      // A mapped sequence is what JSONata would pass: nothing, its one item, or an array.
      args.push(this.temp(arg.sequence ? `h.sequenceResult(${arg.code})` : arg.code));
    }
    return { code: this.temp(`h.functions[${literal(name)}](${args.join(', ')})`), sequence: false };
  }
}

/** Whether this runtime lets code be generated (a CSP or a Node flag may forbid it). */
const codeGeneration = ((): boolean => {
  try {
    return new Function('return true')() === true;
  } catch {
    return false;
  }
})();

/**
 * Compiles a parsed JSONata expression when every part of it is in the fast subset; undefined otherwise (or where
 * code cannot be generated). The returned function throws FALLBACK when an input needs JSONata's full semantics.
 */
export function compileFast(ast: unknown): ((input: unknown, bindings: Bindings) => unknown) | undefined {
  if (!codeGeneration) return undefined;
  const generator = new Generator();
  const value = generator.node(ast as Node, 'input');
  if (!value) return undefined;
  const body = [...generator.lines, value.sequence ? `return h.sequenceResult(${value.code});` : `return ${value.code};`].join('\n  ');
  const create = new Function('h', `'use strict';\nreturn function fastExpression(input, b) {\n  ${body}\n};`) as (helpers: typeof HELPERS) => (input: unknown, bindings: Bindings) => unknown;
  return create(HELPERS);
}
