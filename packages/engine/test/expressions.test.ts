import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileExpression, compileTemplate } from '../src/index.ts';

describe('compileExpression', () => {
  it('reads plain paths directly, own properties only', async () => {
    const email = compileExpression('customer.email', '/x');
    expect(await email.evaluate({ customer: { email: 'a@b.c' } }, {})).toBe('a@b.c');
    expect(await email.evaluate({ customer: null }, {})).toBeUndefined();
    expect(await compileExpression('constructor.name', '/x').evaluate({}, {})).toBeUndefined();
    expect(await compileExpression('$config.shop', '/x').evaluate(null, { config: { shop: 'acme' } })).toBe('acme');
  });

  it('evaluates JSONata with bindings and returns plain JSON', async () => {
    const expr = compileExpression("{ 'value': state = 'enabled' ? 'enabled' : 'other', 'native': state, 'n': $count(items) }", '/x');
    expect(await expr.evaluate({ state: 'invited', items: [1, 2] }, {})).toEqual({ value: 'other', native: 'invited', n: 2 });
    expect(await compileExpression('items.sku', '/x').evaluate({ items: [{ sku: 'a' }, { sku: 'b' }] }, {})).toEqual(['a', 'b']);
  });

  it('bounds evaluation: an endless recursion stops with a coded error', async () => {
    const endless = compileExpression('($f := function($n) { $f($n + 1) }; $f(0))', '/streams/s/mapping/fields/x/expr', { timeoutMs: 100, maxDepth: 50 });
    await expect(endless.evaluate({}, {})).rejects.toMatchObject({ code: 'ENGINE_EXPRESSION', message: expect.stringContaining('/streams/s/mapping/fields/x/expr') });
  });

  it('refuses an expression that does not parse, naming where it stands', () => {
    expect(() => compileExpression('$lowercase(', '/streams/s/mapping/fields/email/expr')).toThrow(expect.objectContaining({ code: 'ENGINE_EXPRESSION' }));
  });
});

describe('compileTemplate', () => {
  it('keeps literal text constant and a single placeholder typed', async () => {
    expect((await compileTemplate('/customers', '/x').render({}))).toBe('/customers');
    expect(compileTemplate('/customers', '/x').constant).toBe(true);
    expect(await compileTemplate('{{ $config.limit }}', '/x').render({ config: { limit: 50 } })).toBe(50);
    expect(await compileTemplate('https://{{ $config.shop }}.example.com', '/x').render({ config: { shop: 'acme' } })).toBe('https://acme.example.com');
  });

  it('encodes placeholder values when asked, and leaves strings as strings', async () => {
    const path = compileTemplate('/repos/{{ $partition }}/issues', '/x', undefined, (text) => text.replaceAll(' ', '%20'));
    expect(await path.render({ partition: 'acme corp/widgets' })).toBe('/repos/acme%20corp/widgets/issues');
    fc.assert(
      fc.asyncProperty(fc.string(), async (value) => {
        expect(await compileTemplate('x{{ $v }}', '/x').render({ v: value })).toBe(`x${value}`);
      }),
      { numRuns: 100 },
    );
  });
});
