// `pullpush demo`: a local shop discovered from its OpenAPI description, a drafted connector tested and synced into
// SQLite, the summary, the path and a query to try; a rerun is incremental.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SyncSummary } from '@pullpush/sync';
import { describe, expect, it } from 'vitest';
import { countRows, hasAnsi, pullpush, query, useTempDirs } from './support.ts';

const tempDir = useTempDirs();

describe('pullpush demo', () => {
  it('syncs the demo shop into SQLite, and a rerun reads only what changed', async () => {
    const dir = tempDir();
    const first = await pullpush(['demo', '--db', 'shop.db', '--orders', '300'], { cwd: dir });
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('PullPush demo');
    expect(first.stdout).toContain('2. Discover Testkit Shop 1.0.0 (openapi-3.1): 8 list operations, auth bearer');
    expect(first.stdout).toMatch(/orders +GET \/cursor\/orders → commerce\.order@1/);
    expect(first.stdout).toMatch(/4\. Test read-only, against the API: (PASS|WARN) \(the credentials are proven\)/);
    // The drafted connector is written beside the database, with its report; nothing was written by hand.
    const definition = JSON.parse(readFileSync(join(dir, 'shop.connector.json'), 'utf8')) as { streams: Record<string, { canonical?: string; incremental?: unknown }> };
    expect(Object.keys(definition.streams)).toEqual(['locations', 'products', 'stock_levels', 'customers', 'orders']);
    expect(definition.streams['orders']).toMatchObject({ canonical: 'commerce.order@1', incremental: { cursorField: 'updated_at', param: { in: 'query', name: 'updated_since' } } });
    expect(JSON.parse(readFileSync(join(dir, 'shop.connector.report.json'), 'utf8'))).toMatchObject({ source: { format: 'openapi-3.1' } });
    expect(first.stdout).toMatch(/^orders\s+commerce\.order@1\s+3\s+300\s+300\s/m);
    expect(first.stdout).toContain('Sync succeeded');
    expect(first.stdout).toContain(join(dir, 'shop.db'));
    expect(first.stdout).toContain(`sqlite3 shop.db "select json_extract(data,'$.number'), json_extract(data,'$.totals.total.amount')`);
    expect(hasAnsi(first.stdout + first.stderr)).toBe(false);

    const db = join(dir, 'shop.db');
    expect(countRows(db, 'commerce_order')).toBe(300);
    expect(countRows(db, 'commerce_product')).toBe(100);
    expect(countRows(db, 'commerce_customer')).toBe(30);
    expect(countRows(db, 'commerce_location')).toBe(3);
    expect(countRows(db, 'commerce_stocklevel')).toBeGreaterThan(0);
    // The query the demo suggests works.
    const rows = query<{ number: string; total: string; lines: number }>(db, "select json_extract(data,'$.number') as number, json_extract(data,'$.totals.total.amount') as total, json_array_length(json_extract(data,'$.lines')) as lines from commerce_order limit 5");
    expect(rows).toHaveLength(5);
    expect(rows[0]?.number).toMatch(/^\d+$/);
    expect(rows[0]?.total).toMatch(/^\d+\.\d{2}$/);
    expect(rows.every((row) => row.lines > 0)).toBe(true);

    const rerun = await pullpush(['demo', '--db', 'shop.db', '--orders', '300', '--json'], { cwd: dir });
    expect(rerun.code).toBe(0);
    expect(rerun.stderr).toBe('');
    const result = JSON.parse(rerun.stdout) as { db: string; rerun: boolean; changedOrders: number; query: string; summary: SyncSummary };
    expect(result).toMatchObject({ db, rerun: true, changedOrders: 2, summary: { status: 'succeeded', connection: 'demo' } });
    expect(result.summary.totals.inserted).toBe(0);
    const orders = result.summary.streams.find((stream) => stream.stream === 'orders');
    expect(orders).toMatchObject({ updated: 2, inserted: 0 });
    expect(result.summary.totals.records).toBeLessThan(20);
    expect(countRows(db, 'commerce_order')).toBe(300);
  });
});
