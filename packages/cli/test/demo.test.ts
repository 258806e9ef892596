// `pullpush demo`: a local shop synced into SQLite, the summary, the path and a query to try; a rerun is incremental.
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
    const rows = query<{ number: string; total: string }>(db, "select json_extract(data,'$.number') as number, json_extract(data,'$.totals.total.amount') as total from commerce_order limit 5");
    expect(rows).toHaveLength(5);
    expect(rows[0]?.number).toMatch(/^#\d+/);

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
