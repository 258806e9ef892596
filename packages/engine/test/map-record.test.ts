// mapNativeRecord: one sample record through a stream's mapping, no request sent.
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

  it('refuses an unknown stream and a broken definition with coded errors', async () => {
    await expect(mapNativeRecord(definition, 'nope', {})).rejects.toMatchObject({ code: 'ENGINE_UNKNOWN_STREAM', hint: expect.stringContaining('orders') });
    await expect(mapNativeRecord({ ...definition, streams: 'x' }, 'orders', {})).rejects.toMatchObject({ code: 'ENGINE_INVALID_DEFINITION' });
  });
});
