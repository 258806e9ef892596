// mapNativeRecord: one sample record through a stream's mapping, no request sent.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { generateDataset, shopConnectorDefinition } from '@pullpush/testkit';
import { describe, expect, it } from 'vitest';
import { mapNativeRecord } from '../src/index.ts';

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
    const script = [
      "import { generateDataset, shopConnectorDefinition } from '@pullpush/testkit';",
      "import { mapNativeRecord } from './packages/engine/src/index.ts';",
      "const result = await mapNativeRecord(shopConnectorDefinition(), 'orders', generateDataset(3, { orders: 1 }).orders[0]);",
      'console.log(JSON.stringify({ ok: result.ok, fields: Object.keys(result.record).length, fast: %HasFastProperties(result.record) }));',
    ].join('\n');
    const output = execFileSync(process.execPath, ['--allow-natives-syntax', '--conditions=@pullpush/source', '--input-type=module', '-e', script], {
      cwd: fileURLToPath(new URL('../../../', import.meta.url)),
      encoding: 'utf8',
    });
    expect(JSON.parse(output)).toEqual({ ok: true, fields: expect.any(Number), fast: true });
    expect(JSON.parse(output).fields).toBeGreaterThan(16);
  });

  it('refuses an unknown stream and a broken definition with coded errors', async () => {
    await expect(mapNativeRecord(definition, 'nope', {})).rejects.toMatchObject({ code: 'ENGINE_UNKNOWN_STREAM', hint: expect.stringContaining('orders') });
    await expect(mapNativeRecord({ ...definition, streams: 'x' }, 'orders', {})).rejects.toMatchObject({ code: 'ENGINE_INVALID_DEFINITION' });
  });
});
