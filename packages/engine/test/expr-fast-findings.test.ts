// Cases where the generated code of expr/fast.ts once disagreed with JSONata, and the constructs next to them: each
// must give JSONata's value (as JSON text, undefined apart from null) or JSONata's error code.
import jsonata from 'jsonata';
import { describe, expect, it } from 'vitest';
import { compileExpression, NOT_SYNC } from '../src/expr/compile.ts';
import { JSONATA_FUNCTIONS } from '../src/expr/fast.ts';

type Outcome = { value: string } | { error: string };
type Case = [source: string, input: unknown, bindings?: Record<string, unknown>];

/** JSONata's own functions in a result: it writes the last call's position into them, so only their kind counts. */
function functionsMarked(_key: string, value: unknown): unknown {
  const fn = value as { _jsonata_function?: unknown; signature?: unknown } | null;
  return typeof fn === 'object' && fn !== null && fn._jsonata_function === true && 'signature' in fn ? '<a JSONata function>' : value;
}

const textOf = (value: unknown): string => (value === undefined ? 'undefined' : (JSON.stringify(value, functionsMarked) ?? 'undefined'));
const codeOf = (error: unknown): string => String((error as { code?: unknown }).code ?? `uncoded: ${(error as Error).message}`);

async function reference(source: string, input: unknown, bindings: Record<string, unknown>): Promise<Outcome> {
  try {
    return { value: textOf(await jsonata(source).evaluate(structuredClone(input), structuredClone(bindings))) };
  } catch (error) {
    return { error: codeOf(error) };
  }
}

async function ours(source: string, input: unknown, bindings: Record<string, unknown>): Promise<Outcome> {
  try {
    return { value: textOf(await compileExpression(source, '/test').evaluate(structuredClone(input), structuredClone(bindings))) };
  } catch (error) {
    return { error: codeOf((error as { cause?: unknown }).cause ?? error) };
  }
}

/** The value when the generated code (or the plain-path reader) gives it without JSONata; NOT_SYNC otherwise. */
function synchronous(source: string, input: unknown, bindings: Record<string, unknown> = {}): unknown {
  const compiled = compileExpression(source, '/test');
  return compiled.evaluateSync ? compiled.evaluateSync(input, bindings) : NOT_SYNC;
}

const same = (cases: Case[]) =>
  it.each(cases)('%s', async (source, input, bindings = {}) => {
    expect(await ours(source, input, bindings)).toEqual(await reference(source, input, bindings));
  });

const items = [{ sku: 'a', qty: 1 }, { sku: 'b', qty: 2 }, { sku: 'c', qty: 3 }];

describe('filters and index steps after any value', () => {
  same([
    ['$split(tags, ",")[0]', { tags: 'a,b,c' }],
    ['$split(tags, ",")[-1]', { tags: 'a,b,c' }],
    ['$split(tags, ",")[$ != "b"]', { tags: 'a,b,c' }],
    ['$[0]', [1, 2, 3]],
    ['$[1][0]', [[1, 2], [3, 4]]],
    ['$[1.1][0.9]', [[1, 2], [3, 4]]],
    ['$[-1]', [{ a: 1 }, { a: 2 }]],
    ['$[0]', { a: 1 }],
    ['[1, 2, 3][0]', {}],
    ['[1, 2, 3][$ > 1]', {}],
    ['[1, 2, 3][[0, 0]]', {}],
    ['[0, 1, 2, 3, 4, 5][$ % 2 = 0]', {}],
    ['$var[1]', {}, { var: [1, 2, 3] }],
    ['$var[[0, 0]]', {}, { var: [7, 8] }],
    ['$var[0][0]', {}, { var: [[1, 2], [3]] }],
    ['(a.b)[0]', { a: { b: [5, 6] } }],
    ['(items.{ "s": sku })[1]', { items }],
    ['[(items.{ "a": 1 })[0]]', { items: [{}, {}] }],
    ['[[1, 2, 3][[0, 1]]]', {}],
    ['"s"[0]', {}],
    ['"s"[1]', {}],
    ['$missing[true]', {}, { missing: null }],
    ['["Red"[$$ = "Bus"], "White"[$$ = "Police Car"]][0]', 'Police Car'],
  ]);

  it('runs on the generated code', () => {
    expect(synchronous('$split(tags, ", ")[0]', { tags: 'vip, new' })).toBe('vip');
    expect(synchronous('$split(tags, ", ")[$ != "new"]', { tags: 'vip, new' })).toBe('vip');
    expect(synchronous('($config.regions)[-1]', {}, { config: { regions: ['eu', 'us'] } })).toBe('us');
  });
});

describe('keep-array, positional and context bindings, group-by', () => {
  same([
    ['items[]', { items: { x: 1 } }],
    ['a.b[]', { a: { b: 1 } }],
    ['$x[]', {}, { x: 1 }],
    ['$[type = "command"][]', [{ type: 'command' }, { type: 'commands' }]],
    ["items#$i.{ 'i': $i, 'sku': sku }", { items }],
    ["items@$it.{ 'sku': $it.sku }", { items }],
    ["a.b{ 'k': c }", { a: { b: { c: 1 } } }],
    ["${ 'k': 1 }", {}],
  ]);

  it('are left to JSONata', () => {
    for (const source of ['items[]', "items#$i.{ 'i': $i }", "items@$it.{ 'sku': $it.sku }", "a{ 'k': c }"]) expect(compileExpression(source, '/test').evaluateSync).toBeUndefined();
  });
});

describe('functions used as values', () => {
  same([
    ['$exists($now)', {}],
    ['$exists($now)', {}, { now: '2025-01-01T00:00:00Z' }],
    ['$string($lowercase)', {}],
    ['$boolean($trim)', {}],
    ['$not($exists)', {}],
    ['$string', {}],
    ['$count', {}],
    ["{ 'f': $lowercase, 'g': 1 }", {}],
  ]);

  it('names every function of the installed JSONata', async () => {
    for (const name of JSONATA_FUNCTIONS) expect(await jsonata(`$exists($${name})`).evaluate({})).toBe(true);
    expect(await jsonata('$exists($notAFunction)').evaluate({})).toBe(false);
  });

  it('calls a binding that has the name of a function, as JSONata does', async () => {
    expect(await ours('$string(x)', { x: 1 }, { string: 1 })).toEqual({ error: 'T1006' });
    expect(await ours('$lowercase(x)', { x: 'A' }, { lowercase: 'no' })).toEqual({ error: 'T1006' });
  });
});

describe('string functions', () => {
  same([
    ['$trim(s)', { s: '\u00a0a  b\u2003' }],
    ['$trim(s)', { s: '\u000ba\f' }],
    ['$trim(s)', { s: ' \t a \n\r b ' }],
    ['$trim(s)', { s: '' }],
    ['$lowercase(s)', { s: 'İΣ' }],
    ['$uppercase(s)', { s: 'ßé' }],
    ['$split(s, "")', { s: 'a😀b' }],
    ['$split(s, ",", 2)', { s: 'a,b,c' }],
    ['$split(s, ",", 0)', { s: 'a,b,c' }],
    ['$split(s, ",", 1.5)', { s: 'a,b,c' }],
    ['$split(s, ",", -1)', { s: 'a,b,c' }],
    ['$split(missing, 5)', {}],
    ['$split(missing, ",", "2")', {}],
    ['$string(0.1 + 0.2)', {}],
    ['$string(n)', { n: 1e21 }],
    ['$string(n)', { n: 1 / 3 }],
    ['$string(n)', { n: -0 }],
    ['n & ""', { n: 123456.78901234567 }],
    ['$string(items)', { items: [{ x: 0.1 + 0.2 }] }],
  ]);
});

describe('operators', () => {
  same([
    ['x in ["a" + 1]', {}],
    ['x in ["a", 1]', { x: 1 }],
    ['x in "a"', { x: 'a' }],
    ['status = customer', { status: { a: [1] }, customer: { a: [1] } }],
    ["[1] = { 'length': 1, '0': 1 }", {}],
    ['5 % 3', {}],
    ['5 % 0', {}],
    ['-x', { x: 'a' }],
    ['$not(items)', { items: [0, ''] }],
    ['items ? 1 : 2', { items: [] }],
  ]);
});

describe('sequences and constructors', () => {
  same([
    ["{ 'lines': items.{ 'sku': sku } }", { items }],
    ["{ 'lines': items.{ 'sku': sku } }", { items: [items[0]] }],
    ["{ 'v': items }", { items: [] }],
    ['[tags]', { tags: ['a', 'b'] }],
    ['[[tags], tags]', { tags: ['a', 'b'] }],
    ['tags', { tags: [] }],
    ["items.{ 'c': $ }", { items: [[{ a: 1 }], [], 'x', null] }],
    ["items.{ 'v': 1 }", { items: null }],
    ['$exists(items.{ "a": 1 })', { items: null }],
    // An object constructor inside another's value gets an array input as it is, and groups it item by item
    // (pushing an undefined item into an empty one first).
    ["{ 'x': { 'v': $ } }", [5]],
    ["{ 'x': [{ 'v': $ }] }", [5]],
    ["{ 'x': { 'v': $$ } }", []],
    ["{ 'v': $ }", [5]],
    ["{ '_jsonata_lambda': 1 }", {}],
    ["{ 'a': 1, 'a': 2 }", {}],
  ]);

  it('runs an object holding a mapped sequence on the generated code', () => {
    expect(synchronous("{ 'lines': items.{ 'sku': sku } }", { items })).toEqual({ lines: [{ sku: 'a' }, { sku: 'b' }, { sku: 'c' }] });
  });
});

describe('data that carries JSONata function markers', () => {
  const marked = { customer: { _jsonata_function: true, email: 'x' }, other: { _jsonata_lambda: true } };
  same([
    ['customer.email', marked],
    ["{ 'e': customer.email }", marked],
    ['other ? 1 : 2', marked],
    ['$string(other)', marked],
    ['other & ""', marked],
    ['$exists(other)', marked],
    ['$config.x', {}, { config: { _jsonata_lambda: true, x: 1 } }],
    ['$config', {}, { config: { _jsonata_lambda: true, x: 1 } }],
  ]);
});

describe('the depth JSONata may nest to', () => {
  // Shapes of expressions that nest k deep, every one of them compiled to generated code when shallow enough.
  const shapes: Record<string, (k: number) => string> = {
    parentheses: (k) => `${'('.repeat(k)}x${')'.repeat(k)}`,
    negations: (k) => `${'-('.repeat(k)}n${')'.repeat(k)}`,
    arrays: (k) => `${'['.repeat(k)}x${']'.repeat(k)}`,
    objects: (k) => `${"{ 'a': ".repeat(k)}x${' }'.repeat(k)}`,
    conditions: (k) => `${'n = 1 ? x : '.repeat(k)}x`,
    calls: (k) => `${'$string('.repeat(k)}x${')'.repeat(k)}`,
    filters: (k) => `${'$split(x, "")['.repeat(k)}0${']'.repeat(k)}`,
    mappings: (k) => `${"o.{ 'a': ".repeat(k)}x${' }'.repeat(k)}`,
    sums: (k) => `${'n + '.repeat(k)}n`,
  };
  const input = { x: 'ab', n: 1, o: { o: {} } };

  it.each(Object.keys(shapes))('gives JSONata’s D1011 exactly where its limit is reached: %s', async (shape) => {
    const make = shapes[shape] as (k: number) => string;
    for (const maxDepth of [6, 15]) {
      for (let k = 1; k <= 20; k += 1) {
        const source = make(k);
        let theirs: Outcome;
        try {
          theirs = { value: textOf(await jsonata(source, { stack: maxDepth, timeout: 60_000 } as jsonata.JsonataOptions).evaluate(input)) };
        } catch (error) {
          theirs = { error: codeOf(error) };
        }
        let mine: Outcome;
        try {
          mine = { value: textOf(await compileExpression(source, '/test', { maxDepth, timeoutMs: 60_000 }).evaluate(input, {})) };
        } catch (error) {
          mine = { error: codeOf((error as { cause?: unknown }).cause ?? error) };
        }
        expect({ source, maxDepth, outcome: mine }).toEqual({ source, maxDepth, outcome: theirs });
      }
    }
  });

  it('keeps the default limit of 200 too', async () => {
    const deep = `${'('.repeat(250)}x${')'.repeat(250)}`;
    expect(await ours(deep, { x: 1 }, {})).toEqual({ error: 'D1011' });
    expect(synchronous(`${'('.repeat(20)}x${')'.repeat(20)}`, { x: 1 })).toBe(1);
  });
});
