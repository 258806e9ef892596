// What the delivery crash tests check at the end, against testkit shops: every source record at the destination
// exactly once at its latest version, and each record's applied writes in the order of its changes. Changes carry
// their version: names and notes `v<kill>-<change>`, stock counts STOCK_VERSIONS + kill × 10 + change.
import type { TestApi } from '@pullpush/testkit';
import { expect } from 'vitest';

export const STOCK_VERSIONS = 100_000;
const WRITTEN = ['/customers', '/orders', '/stock_levels'];

/** A write to one of the delivered resources. */
export const isWrite = (request: { method: string; path: string }) => request.method !== 'GET' && WRITTEN.some((route) => request.path === route || request.path.startsWith(`${route}/`));

/** Every customer, order and stock level of the source at the destination once, as the source has it now. */
export function expectDeliveredOnce(source: TestApi, target: TestApi, connector: string, connection: string): void {
  for (const customer of source.data.customers) {
    const copies = target.data.customers.filter((entry) => entry.email === customer.email);
    expect(copies.map((entry) => entry.first_name), `${connector} ${customer.email}`).toEqual([customer.first_name]);
  }
  for (const order of source.data.orders) {
    const copies = target.data.orders.filter((entry) => entry.source_identifier === `commerce.order:${connector}:${connection}:${order.id}`);
    expect(copies.map((entry) => [entry.note, entry.total_price]), `${connector} order ${order.id}`).toEqual([[order.note, order.total_price]]);
  }
  for (const level of source.data.stock_levels) {
    const copies = target.data.stock_levels.filter((entry) => entry.sku === level.sku && entry.location_id === level.location_id);
    expect(copies.map((entry) => [entry.available, entry.on_hand]), `${connector} ${level.id}`).toEqual([[level.available, level.on_hand]]);
  }
}

/** The versions each record's applied writes carry never go back to an older change. */
export function expectWritesInOrder(target: TestApi, label: string): void {
  const nameVersion = (name: unknown) => (typeof name === 'string' && /^v\d+-\d+$/.test(name) ? Number(name.slice(1).split('-')[0]) * 10 + Number(name.split('-')[1]) : -1);
  const stockVersion = (available: unknown) => (typeof available === 'number' && available >= STOCK_VERSIONS ? available - STOCK_VERSIONS : -1);
  const stockKey = new Map(target.data.stock_levels.map((level) => [`/stock_levels/${level.id}`, `${level.sku}@${level.location_id}`]));
  const applied = new Map<string, number[]>();
  for (const request of target.requests.filter((entry) => isWrite(entry) && entry.method !== 'DELETE' && (entry.status === 200 || entry.status === 201))) {
    const body = JSON.parse(request.body ?? '{}') as { first_name?: unknown; note?: unknown; available?: unknown; sku?: unknown; location_id?: unknown };
    const key = request.path.startsWith('/stock_levels') ? (request.method === 'PUT' ? `${String(body.sku)}@${String(body.location_id)}` : stockKey.get(request.path)) : request.path;
    // Creates (POST to the collection) have no remote id yet: their place in the order is before any update of the key.
    if (key === undefined || key === '/customers' || key === '/orders') continue;
    const version = request.path.startsWith('/customers') ? nameVersion(body.first_name) : request.path.startsWith('/orders') ? nameVersion(body.note) : stockVersion(body.available);
    applied.set(key, [...(applied.get(key) ?? []), version]);
  }
  expect(applied.size, label).toBeGreaterThan(0);
  for (const [key, versions] of applied) expect(versions, `${label} ${key}`).toEqual([...versions].sort((a, b) => a - b));
}
