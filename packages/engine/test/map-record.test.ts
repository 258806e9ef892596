// mapNativeRecord: one sample record through a stream's mapping, no request sent.
import { generateDataset, shopConnectorDefinition } from '@pullpush/testkit';
import { describe, expect, it } from 'vitest';
import { mapNativeRecord } from '../src/index.ts';
import { runNodeScript } from './support.ts';

const definition = shopConnectorDefinition();
const data = generateDataset(3, { orders: 5 });

describe('mapNativeRecord', () => {
  it('maps a native order to a valid commerce.order record with its key', async () => {
    const native = data.orders[0];
    const result = await mapNativeRecord(definition, 'orders', native, { connection: 'main' });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.record).toMatchObject({ id: `commerce.order:testkit-shop:main:${native?.id}`, remote: { stream: 'orders', id: String(native?.id) } });
  });

  it('reports a record that does not validate with its pointers', async () => {
    const result = await mapNativeRecord(definition, 'orders', { ...data.orders[0], currency: 'euros' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues.map((issue) => issue.pointer)).toContain('/currency');
  });

  it('builds records in V8\'s fast object layout, which validation, digests and serialization depend on', () => {
    // A record of twenty-odd fields added one by one through a shared store becomes a slow dictionary object;
    // the mapping fills a copy of the record's shape instead. V8's own check needs its natives syntax.
    const result = runNodeScript(['--allow-natives-syntax'], [
      "import { generateDataset, shopConnectorDefinition } from '@pullpush/testkit';",
      "import { mapNativeRecord } from './packages/engine/src/index.ts';",
      "const result = await mapNativeRecord(shopConnectorDefinition(), 'orders', generateDataset(3, { orders: 1 }).orders[0]);",
      'console.log(JSON.stringify({ ok: result.ok, fields: Object.keys(result.record).length, fast: %HasFastProperties(result.record) }));',
    ]) as { ok: boolean; fields: number; fast: boolean };
    expect(result).toMatchObject({ ok: true, fast: true });
    expect(result.fields).toBeGreaterThan(16);
  });

  it('maps alike where code generation is disallowed: the mapping loops over its fields, JSONata evaluates', async () => {
    // Generated code stores each field through a site of its own; without it the mapping's loop does the same work.
    // An order that maps, one without fields the mapping reads (null), one whose address and lines lack members the
    // defaults fill (copies: the native parts stay as they came), one that does not validate, one without its key,
    // one whose custom expression throws.
    const script = [
      "import { generateDataset, shopConnectorDefinition } from '@pullpush/testkit';",
      "import { mapNativeRecord } from './packages/engine/src/index.ts';",
      'const definition = shopConnectorDefinition();',
      "definition.streams.orders.mapping.custom = { parity: { expr: \"id = null ? 'none' : id % 2 = 0 ? $error('even ' & $string(id)) : 'odd'\" } };",
      'const [first, second, third] = generateDataset(3, { orders: 3 }).orders;',
      'const { email, note, closed_at, ...sparse } = third;',
      "const partial = { ...first, billing_address: { address1: '1 Rue Neuve', city: 'Lyon' }, line_items: first.line_items.map(({ sku, ...line }) => line) };",
      'const before = JSON.stringify(partial);',
      "const natives = [first, sparse, partial, { ...first, currency: 'euros' }, { ...first, id: null }, second];",
      // One after another: JSONata's time bound is wall-clock time, which mappings run side by side would share.
      'const results = [];',
      "for (const native of natives) results.push(await mapNativeRecord(definition, 'orders', native, { connection: 'main' }));",
      'console.log(JSON.stringify({ results, unchanged: JSON.stringify(partial) === before }));',
    ];
    type Mapped = { ok: boolean; record?: Record<string, unknown>; issues?: Array<{ pointer: string }> };
    const { results: generated, unchanged } = runNodeScript([], script) as { results: Mapped[]; unchanged: boolean };
    expect(generated.map((result) => result.ok)).toEqual([true, true, true, false, false, false]);
    expect(generated[1]?.record).toMatchObject({ email: null, note: null, closedAt: null });
    expect(generated[2]?.record).toMatchObject({ billingAddress: { line1: '1 Rue Neuve', city: 'Lyon', line2: null, postalCode: null } });
    const lines = generated[2]?.record?.['lines'] as Array<{ sku: unknown }>;
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.map((line) => line.sku)).toEqual(lines.map(() => null));
    expect(unchanged).toBe(true);
    expect(generated.slice(3).map((result) => result.issues?.[0]?.pointer)).toEqual(['/currency', '/remote/id', '/custom/parity']);
    expect(runNodeScript(['--disallow-code-generation-from-strings'], script)).toEqual({ results: generated, unchanged });
  });

  it('refuses an unknown stream and a broken definition with coded errors', async () => {
    await expect(mapNativeRecord(definition, 'nope', {})).rejects.toMatchObject({ code: 'ENGINE_UNKNOWN_STREAM', hint: expect.stringContaining('orders') });
    await expect(mapNativeRecord({ ...definition, streams: 'x' }, 'orders', {})).rejects.toMatchObject({ code: 'ENGINE_INVALID_DEFINITION' });
  });
});
