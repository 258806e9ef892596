// Expressions and templates are compiled once per definition. Plain paths (`customer.email`, `$config.shop`)
// become direct property access; only what is genuinely an expression goes to JSONata, whose evaluation is
// bounded in time and depth.
import { PullPushError } from '@pullpush/canonical';
import jsonata from 'jsonata';
import { EngineErrorCode } from '../errors.ts';
import { parseTimestamp } from '../time.ts';
import { LinearRegExp, registerBoundedBuiltins } from './bounds.ts';
import { compileFast, FALLBACK, JSONATA_FUNCTIONS } from './fast.ts';

export type Bindings = Readonly<Record<string, unknown>>;

export interface ExpressionLimits {
  /** Longest one evaluation may run (default 250 ms). */
  timeoutMs?: number;
  /** Deepest recursion (default 200). */
  maxDepth?: number;
}

/** How expressions of one connector run: their bounds, and what the clock and the calendar are for them. */
export interface ExpressionOptions extends ExpressionLimits {
  /** Zone of timestamps written without one, for $toMillis (default UTC: never the host's zone). */
  timeZone?: string;
  /** The run time $now() and $millis() return (ISO 8601); default: the time of each call. */
  now?: string;
}

export interface CompiledExpression {
  readonly source: string;
  /** `input` is the JSONata context (a record, a response body); bindings are the $variables. */
  evaluate(input: unknown, bindings: Bindings): Promise<unknown>;
  /**
   * Present when the expression is a plain path or compiled to generated code (expr/fast.ts): evaluates without a
   * promise, or returns NOT_SYNC when this input needs JSONata (then call evaluate). Per-record loops use it to skip
   * a microtask per field.
   */
  evaluateSync?(input: unknown, bindings: Bindings): unknown;
}

/** Returned by evaluateSync when the input needs the asynchronous evaluation. */
export const NOT_SYNC = Symbol('not synchronous');

const IDENTIFIER = '[A-Za-z_][A-Za-z0-9_]*';
const PLAIN_PATH = new RegExp(`^(\\$?${IDENTIFIER})(\\.${IDENTIFIER})*$`);
/** Words JSONata reads as literals or operators, never as field names in a path. */
const KEYWORDS = new Set(['true', 'false', 'null', 'and', 'or', 'in']);

/** Returned by `read` when a path crosses an array: JSONata maps over arrays, so it takes over there. */
const CROSSES_ARRAY = Symbol('crosses array');

function read(value: unknown, keys: readonly string[]): unknown {
  let current = value;
  for (const key of keys) {
    if (Array.isArray(current)) return CROSSES_ARRAY;
    if (typeof current !== 'object' || current === null) return undefined;
    // Data carrying JSONata's function markers is a function to JSONata, which reads nothing from it: JSONata's.
    if ((current as Record<string, unknown>)['_jsonata_function'] === true || (current as Record<string, unknown>)['_jsonata_lambda'] === true) return CROSSES_ARRAY;
    // Own properties only: no prototype access through a path.
    if (!Object.hasOwn(current, key)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/** JSONata returns sequences as arrays with extra flags; hand out plain JSON values. */
function plain(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(plain);
  if (typeof value === 'function') return undefined;
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).filter(([, item]) => typeof item !== 'function').map(([key, item]) => [key, plain(item)]));
  }
  return value;
}

export function compileExpression(source: string, where: string, options: ExpressionOptions = {}): CompiledExpression {
  const trimmed = source.trim();
  // A variable named like a JSONata function (`$string`, `$now`…) is that function where no binding has the name.
  const functionName = trimmed.startsWith('$') && JSONATA_FUNCTIONS.has(trimmed.slice(1).split('.')[0] ?? '');
  if (PLAIN_PATH.test(trimmed) && !trimmed.split('.').some((segment) => KEYWORDS.has(segment)) && !functionName) {
    const [head, ...rest] = trimmed.split('.');
    const fromBindings = head?.startsWith('$') ?? false;
    const keys = fromBindings ? [(head as string).slice(1), ...rest] : trimmed.split('.');
    let general: CompiledExpression | undefined;
    return {
      source,
      async evaluate(input, bindings) {
        const value = read(fromBindings ? bindings : input, keys);
        if (value !== CROSSES_ARRAY) return value;
        general ??= compileJsonata(source, trimmed, where, options);
        return general.evaluate(input, bindings);
      },
      evaluateSync(input, bindings) {
        const value = read(fromBindings ? bindings : input, keys);
        return value === CROSSES_ARRAY ? NOT_SYNC : value;
      },
    };
  }
  return compileJsonata(source, trimmed, where, options);
}

function compileJsonata(source: string, trimmed: string, where: string, options: ExpressionOptions): CompiledExpression {
  let expression: jsonata.Expression;
  try {
    expression = jsonata(trimmed, { timeout: options.timeoutMs ?? 250, stack: options.maxDepth ?? 200, RegexEngine: LinearRegExp as unknown as RegExpConstructor } as jsonata.JsonataOptions);
    registerClockAndCalendar(expression, options);
    registerBoundedBuiltins(expression);
  } catch (error) {
    throw new PullPushError(EngineErrorCode.Expression, `Cannot compile the expression at ${where}: ${(error as Error).message}`, {
      hint: 'Validate the definition with validateDefinition() first; it reports every expression problem.',
      cause: error,
    });
  }
  const fast = compileFast(expression.ast(), options.maxDepth ?? 200);
  const evaluateSync = fast
    ? (input: unknown, bindings: Bindings) => {
        try {
          return fast(input, bindings);
        } catch (error) {
          if (error === FALLBACK) return NOT_SYNC;
          throw error;
        }
      }
    : undefined;
  return {
    source,
    ...(evaluateSync ? { evaluateSync } : {}),
    async evaluate(input, bindings) {
      if (fast) {
        try {
          return fast(input, bindings);
        } catch (error) {
          if (error !== FALLBACK) throw error;
        }
      }
      try {
        return plain(await expression.evaluate(input, bindings));
      } catch (error) {
        throw new PullPushError(EngineErrorCode.Expression, `Expression at ${where} failed: ${(error as Error).message}`, {
          hint: `The expression is ${JSON.stringify(trimmed)}.`,
          cause: error,
        });
      }
    },
  };
}

/** ISO 8601 as JSONata's $toMillis accepts it, with a time of day and no zone. */
const LOCAL_TIME = /^\d{4}-[01]\d-[0-3]\dT[0-2]\d:[0-5]\d:[0-5]\d(\.\d+)?$/;

/** JSONata's own date functions with the builtin behaviour, for the cases the overrides below hand back. */
let builtins: { toMillis: jsonata.Expression; fromMillis: jsonata.Expression } | undefined;

/**
 * The host must not leak into results: $toMillis reads a timestamp without a zone in the definition's zone (JSONata
 * uses the host's), and $now() and $millis() return the run time, so the same inputs give the same output.
 */
function registerClockAndCalendar(expression: jsonata.Expression, options: ExpressionOptions): void {
  builtins ??= { toMillis: jsonata('$toMillis($t, $p)'), fromMillis: jsonata('$fromMillis($m, $p, $z)') };
  const { toMillis, fromMillis } = builtins;
  const zone = options.timeZone ?? 'UTC';
  const millis = () => (options.now === undefined ? Date.now() : Date.parse(options.now));
  expression.registerFunction(
    'toMillis',
    (timestamp: unknown, picture?: unknown) => {
      if (timestamp === undefined) return undefined;
      // Only a time of day without a zone is read differently from JSONata (which reads it in the host's zone);
      // everything else, errors included (D3110 for what is not ISO 8601), is JSONata's own answer.
      if (picture !== undefined || typeof timestamp !== 'string' || !LOCAL_TIME.test(timestamp)) return toMillis.evaluate({}, { t: timestamp, p: picture });
      return parseTimestamp(timestamp, zone)?.instant ?? toMillis.evaluate({}, { t: timestamp });
    },
    '<s-s?:n>',
  );
  expression.registerFunction('millis', () => millis(), '<:n>');
  expression.registerFunction(
    'now',
    (picture?: unknown, timezone?: unknown) =>
      picture === undefined && timezone === undefined ? new Date(millis()).toISOString() : fromMillis.evaluate({}, { m: millis(), p: picture, z: timezone }),
    '<s?s?:s>',
  );
}

export interface CompiledTemplate {
  readonly source: string;
  /** True when the template has no placeholders. */
  readonly constant: boolean;
  /** The value: a single placeholder keeps its type, mixed text becomes a string. */
  render(bindings: Bindings, input?: unknown): Promise<unknown>;
}

const PLACEHOLDER = /\{\{([\s\S]*?)\}\}/g;

/**
 * `encode`, when given, is applied to every placeholder's value in text (a URL path encodes what cannot stand in
 * a path); a template that is one placeholder keeps its value's type unless `encode` is given.
 */
export function compileTemplate(source: string, where: string, options?: ExpressionOptions, encode?: (text: string) => string): CompiledTemplate {
  const parts: Array<string | CompiledExpression> = [];
  let last = 0;
  for (const match of source.matchAll(PLACEHOLDER)) {
    if (match.index > last) parts.push(source.slice(last, match.index));
    parts.push(compileExpression(match[1] ?? '', where, options));
    last = match.index + match[0].length;
  }
  if (last < source.length) parts.push(source.slice(last));
  if (parts.every((part) => typeof part === 'string')) {
    return { source, constant: true, render: async () => source };
  }
  if (parts.length === 1 && typeof parts[0] !== 'string' && !encode) {
    const [only] = parts as [CompiledExpression];
    return { source, constant: false, render: (bindings, input) => only.evaluate(input ?? null, bindings) };
  }
  return {
    source,
    constant: false,
    async render(bindings, input) {
      let text = '';
      for (const part of parts) {
        if (typeof part === 'string') text += part;
        else {
          const value = await part.evaluate(input ?? null, bindings);
          const shown = value === undefined || value === null ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value);
          text += encode ? encode(shown) : shown;
        }
      }
      return text;
    },
  };
}

/** Compiles every string of a JSON value (a request body, a header map) as a template. */
export function compileTemplateTree(value: unknown, where: string, options?: ExpressionOptions): (bindings: Bindings) => Promise<unknown> {
  if (typeof value === 'string') {
    const template = compileTemplate(value, where, options);
    return (bindings) => template.render(bindings);
  }
  if (Array.isArray(value)) {
    const items = value.map((item, index) => compileTemplateTree(item, `${where}/${index}`, options));
    return async (bindings) => Promise.all(items.map((item) => item(bindings)));
  }
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value).map(([key, item]) => [key, compileTemplateTree(item, `${where}/${key}`, options)] as const);
    return async (bindings) => {
      const out: Record<string, unknown> = {};
      for (const [key, render] of entries) out[key] = await render(bindings);
      return out;
    };
  }
  return async () => value;
}
