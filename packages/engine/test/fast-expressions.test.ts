// The fast compiler must give JSONata's results exactly: differential tests over many expressions and inputs.
import fc from 'fast-check';
import jsonata from 'jsonata';
import { describe, expect, it } from 'vitest';
import { compileExpression, mapNativeRecord } from '../src/index.ts';
import { runNodeScript } from './support.ts';

const EXPRESSIONS = [
  'name',
  'customer.email',
  '$lowercase(email)',
  '$uppercase(currency)',
  '$string(id)',
  "customer_id = null ? null : $string(customer_id)",
  "{ 'value': status = 'open' ? 'open' : 'other', 'native': status }",
  "{ 'value': status = 'closed' ? 'completed' : status, 'native': status }",
  "{ 'value': fulfillment_status = 'fulfilled' ? 'fulfilled' : fulfillment_status = 'partial' ? 'partially_fulfilled' : 'unfulfilled', 'native': fulfillment_status }",
  "{ 'amount': total_price, 'currency': currency }",
  "[line_items.{ 'id': $string(id), 'sku': sku, 'quantity': quantity, 'unitPrice': { 'amount': price, 'currency': $$.currency } }]",
  "line_items.{ 'sku': sku }",
  "tags = '' ? [] : $split(tags, ', ')",
  "status in ['open', 'closed']",
  "$not(has_more)",
  "$exists(note)",
  "first_name & ' ' & last_name",
  'quantity * 2 + 1',
  '-quantity',
  'quantity > 2 and quantity <= 10',
  "count > 0 or flag",
  '$boolean(note)',
  '$trim(note)',
  'customer',
  '$',
  "$$.currency",
  "$config.shop & '/' & $string(id)",
  "[name, note, status]",
  '[]',
  "line_items.sku",
  "$exists(line_items.{ 'sku': sku })",
  "status = 'open' and (quantity > 1 or count < 3)",
  "[line_items.{ 'n': quantity * 2 }, note]",
  "$string(customer.toString)",
  // Left to JSONata whole: a key given twice is its error D1009, and `__proto__` is its assignment.
  "{ 'a': name, 'a': email }",
  "{ '__proto__': customer, 'b': status }",
];

/** Expressions JSONata must evaluate itself: everything else in EXPRESSIONS runs as generated code. */
const NOT_FAST = new Set(["{ 'a': name, 'a': email }", "{ '__proto__': customer, 'b': status }"]);

/**
 * Random expressions of the fast subset (and a little beyond it), built from the record's field names: whatever
 * they combine into, the result must be JSONata's.
 */
const expression: fc.Arbitrary<string> = fc.letrec<{ expr: string }>((tie) => ({
  expr: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom('name', 'status', 'quantity', 'count', 'flag', 'note', 'customer.email', 'line_items.sku', '$$.currency', '$config.shop', '$', "'open'", "''", '0', '2', 'true', 'null'),
    fc.tuple(tie('expr'), fc.constantFrom('=', '!=', '<', '>=', '+', '-', '*', '/', '&', 'and', 'or'), tie('expr')).map(([a, op, b]) => `(${a} ${op} ${b})`),
    fc.tuple(tie('expr'), tie('expr'), tie('expr')).map(([c, a, b]) => `(${c} ? ${a} : ${b})`),
    fc.tuple(tie('expr'), tie('expr')).map(([a, b]) => `{ 'a': ${a}, 'b': ${b} }`),
    fc.tuple(tie('expr'), tie('expr')).map(([a, b]) => `[${a}, ${b}]`),
    fc.tuple(fc.constantFrom('$string', '$lowercase', '$exists', '$not', '$boolean', '$trim'), tie('expr')).map(([fn, a]) => `${fn}(${a})`),
    tie('expr').map((a) => `-(${a})`),
    tie('expr').map((a) => `(${a} in ['open', 2, true])`),
    tie('expr').map((a) => `line_items.{ 'v': ${a}, 'sku': sku }`),
  ),
})).expr;

const scalar = fc.oneof(fc.string({ maxLength: 6 }), fc.integer({ min: -5, max: 20 }), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null));
const value = fc.oneof({ weight: 4, arbitrary: scalar }, { weight: 1, arbitrary: fc.array(scalar, { maxLength: 3 }) }, { weight: 1, arbitrary: fc.dictionary(fc.constantFrom('sku', 'id', 'x'), scalar, { maxKeys: 2 }) });
const line = fc.record({ id: fc.oneof(fc.integer({ min: 1, max: 99 }), fc.string({ maxLength: 3 })), sku: value, quantity: value, price: value }, { requiredKeys: [] });
const record = fc.record(
  {
    id: fc.oneof(fc.integer({ min: 1, max: 999 }), fc.string({ maxLength: 4 })),
    name: value, email: value, currency: value, status: fc.oneof(fc.constantFrom('open', 'closed', 'cancelled'), value),
    fulfillment_status: fc.oneof(fc.constantFrom('fulfilled', 'partial'), value), customer_id: value, customer: fc.oneof(value, fc.record({ email: value })),
    total_price: value, tags: fc.oneof(fc.constantFrom('', 'a, b', 'vip'), value), has_more: value, note: value,
    first_name: value, last_name: value, quantity: value, count: value, flag: value,
    line_items: fc.oneof(fc.array(line, { maxLength: 4 }), line, value),
  },
  { requiredKeys: [] },
);

async function reference(source: string, input: unknown, bindings: Record<string, unknown>): Promise<{ value?: unknown; error?: true }> {
  try {
    const result = await jsonata(source).evaluate(input, bindings);
    return { value: result === undefined ? undefined : JSON.parse(JSON.stringify(result)) };
  } catch {
    return { error: true };
  }
}

async function fast(source: string, input: unknown, bindings: Record<string, unknown>): Promise<{ value?: unknown; error?: true }> {
  try {
    const result = await compileExpression(source, '/test').evaluate(input, bindings);
    return { value: result === undefined ? undefined : JSON.parse(JSON.stringify(result)) };
  } catch {
    return { error: true };
  }
}

describe('fast expression compiler', () => {
  it.each(EXPRESSIONS)('%s gives the same result as JSONata on arbitrary records', async (source) => {
    await fc.assert(
      fc.asyncProperty(record, async (input) => {
        const bindings = { config: { shop: 'acme' } };
        expect(await fast(source, input, bindings)).toEqual(await reference(source, input, bindings));
      }),
      { numRuns: 300 },
    );
  });

  it.each(EXPRESSIONS.filter((source) => !NOT_FAST.has(source)))('%s runs as generated code, without JSONata', (source) => {
    expect(compileExpression(source, '/test').evaluateSync).toBeTypeOf('function');
  });

  it.each([...NOT_FAST])('%s is left to JSONata', (source) => {
    expect(compileExpression(source, '/test').evaluateSync).toBeUndefined();
  });

  it('gives the same results as JSONata for random expressions over random records', async () => {
    await fc.assert(
      fc.asyncProperty(expression, record, async (source, input) => {
        const bindings = { config: { shop: 'acme' } };
        expect(await fast(source, input, bindings)).toEqual(await reference(source, input, bindings));
      }),
      { numRuns: 1500 },
    );
  });

  it('evaluates with JSONata alone where code generation is disallowed', () => {
    const result = runNodeScript(['--disallow-code-generation-from-strings'], [
      "import { compileExpression } from './packages/engine/src/expr/compile.ts';",
      "const compiled = compileExpression(\"{ 'v': status = 'closed' ? 'completed' : status }\", '/test');",
      "console.log(JSON.stringify({ sync: typeof compiled.evaluateSync, value: await compiled.evaluate({ status: 'closed' }, {}) }));",
    ]);
    expect(result).toEqual({ sync: 'undefined', value: { v: 'completed' } });
  });

  it('leaves the native record as it came when a mapping fills defaults into a copied part of it', async () => {
    const native = { id: 7, address: { city: 'Paris' } };
    const mapping = { fields: { name: { const: 'Depot' }, kind: { expr: "{ 'value': 'warehouse', 'native': null }" }, address: { path: 'address' } } };
    const definition = {
      dsl: 'pullpush/v1', id: 'c', name: 'C', version: '1.0.0', http: { baseUrl: 'https://api.example.test' }, auth: { kind: 'none' },
      streams: { locations: { canonical: 'commerce.location@1', request: { path: '/locations' }, primaryKey: ['id'], mapping } },
    };
    const result = await mapNativeRecord(definition, 'locations', native, { connection: 'k' });
    expect(result.ok).toBe(true);
    expect(native).toEqual({ id: 7, address: { city: 'Paris' } });
    if (result.ok) expect(result.record['address']).toMatchObject({ city: 'Paris', line1: null });
  });
});
