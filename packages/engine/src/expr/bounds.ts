// Bounds on expression evaluation that JSONata's own time limit cannot give: it checks the clock between
// evaluation steps, so one built-in call or one regex match runs to its end however long that takes, blocking the
// process (an MCP server with every session in it). Regexes run on a linear-time engine (RE2), and the built-ins
// that allocate or loop on their own refuse inputs beyond a size before they start.
import { PullPushError } from '@pullpush/canonical';
import jsonata from 'jsonata';
import { RE2JS } from 're2js';
import { EngineErrorCode } from '../errors.ts';

/** Longest string $pad may make: far beyond any field, far below what takes seconds. */
export const MAX_PAD_LENGTH = 1_000_000;
/** Longest array $distinct (quadratic in JSONata) and $sort (a merge sort of promises) take. */
export const MAX_SORT_ITEMS = 10_000;

function tooLarge(what: string): PullPushError {
  return new PullPushError(EngineErrorCode.Expression, `${what}: refused before it ran, so one expression cannot hold the process up.`, {
    hint: 'Expressions work on one record or page at a time; reduce the input (a filter, $substring) before this call.',
  });
}

/** Compiled patterns by flags and source: JSONata makes a new regex object each time an expression evaluates one. */
const patterns = new Map<string, RE2JS>();
const MAX_PATTERNS = 1000;

function compiled(literal: RegExp): RE2JS {
  const flags = (literal.flags.includes('i') ? RE2JS.CASE_INSENSITIVE : 0) | (literal.flags.includes('m') ? RE2JS.MULTILINE : 0);
  const key = `${flags}/${literal.source}`;
  let pattern = patterns.get(key);
  if (pattern === undefined) {
    pattern = RE2JS.compile(literal.source, flags);
    // Definitions hold a handful of regexes; a bound keeps a stream of generated ones from growing the map forever.
    if (patterns.size >= MAX_PATTERNS) patterns.clear();
    patterns.set(key, pattern);
  }
  return pattern;
}

/**
 * JSONata's regex interface (what `new RegExp(literal)` gives it: `lastIndex` and `exec`) on RE2, whose matching
 * time is linear in the input: `/^(a+)+$/` on an API value cannot backtrack for minutes. RE2 has no
 * backreferences or lookarounds; the validator reports a definition that uses them.
 */
export class LinearRegExp {
  lastIndex = 0;
  readonly source: string;
  readonly #pattern: RE2JS;

  constructor(literal: RegExp) {
    // JSONata hands over what its parser made, which is not always a RegExp (a regex inside `?:` reaches here as
    // a plain object): read it as `new RegExp(value)` would, as JSONata's default engine does.
    const pattern = literal instanceof RegExp ? literal : new RegExp(literal as unknown as string);
    this.source = pattern.source;
    this.#pattern = compiled(pattern);
  }

  exec(text: string): RegExpExecArray | null {
    const matcher = this.#pattern.matcher(text);
    if (this.lastIndex > text.length || !matcher.find(this.lastIndex)) {
      this.lastIndex = 0;
      return null;
    }
    const groups = Array.from({ length: matcher.groupCount() + 1 }, (_, group) => matcher.group(group) ?? undefined);
    const match = Object.assign(groups, { index: matcher.start(), input: text }) as unknown as RegExpExecArray;
    this.lastIndex = matcher.end();
    return match;
  }
}

let originals: { pad: jsonata.Expression; distinct: jsonata.Expression; sort: jsonata.Expression; sortBy: jsonata.Expression } | undefined;

/** Registers the size-checked $pad, $distinct and $sort, and an $eval that refuses to run, on an expression. */
export function registerBoundedBuiltins(expression: jsonata.Expression): void {
  // JSONata's own implementations, reached through expressions of their own once the input is known to be small.
  originals ??= {
    pad: jsonata('$pad($s, $w, $c)'),
    distinct: jsonata('$distinct($a)'),
    sort: jsonata('$sort($a)'),
    sortBy: jsonata('$sort($a, $f)'),
  };
  const { pad, distinct, sort, sortBy } = originals;
  expression.registerFunction(
    'pad',
    (text: unknown, width: unknown, char?: unknown) => {
      if (typeof width === 'number' && Math.abs(width) > MAX_PAD_LENGTH) throw tooLarge(`$pad() to ${width} characters (at most ${MAX_PAD_LENGTH})`);
      return pad.evaluate({}, { s: text, w: width, c: char });
    },
    '<s-ns?:s>',
  );
  expression.registerFunction(
    'distinct',
    (items: unknown) => {
      if (Array.isArray(items) && items.length > MAX_SORT_ITEMS) throw tooLarge(`$distinct() of ${items.length} items (at most ${MAX_SORT_ITEMS})`);
      return distinct.evaluate({}, { a: items });
    },
    '<x:x>',
  );
  expression.registerFunction(
    'sort',
    (items: unknown, compare?: unknown) => {
      if (Array.isArray(items) && items.length > MAX_SORT_ITEMS) throw tooLarge(`$sort() of ${items.length} items (at most ${MAX_SORT_ITEMS})`);
      return compare === undefined ? sort.evaluate({}, { a: items }) : sortBy.evaluate({}, { a: items, f: compare });
    },
    '<af?:a>',
  );
  // The validator refuses $eval (an API could send the text it evaluates); here it cannot run either.
  expression.registerFunction('eval', () => {
    throw new PullPushError(EngineErrorCode.Expression, '$eval() is not allowed: it evaluates text as an expression, which the API could send.', { hint: 'Write the expression itself in the definition.' });
  });
}
