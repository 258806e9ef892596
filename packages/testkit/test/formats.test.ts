// JSON Lines and CSV bodies parse and hold the same records as the JSON routes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../src/index.ts';
import { byUpdate, parseCsv } from './helpers.ts';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi({ seed: 5, dataset: { orders: 450 } });
});
afterAll(() => api.close());

describe('/jsonl/{resource}', () => {
  it('streams one JSON object per line, every record in (updated_at, id) order', async () => {
    const response = await fetch(`${api.url}/jsonl/orders`);
    expect(response.headers.get('content-type')).toBe('application/x-ndjson; charset=utf-8');
    expect(response.headers.get('transfer-encoding')).toBe('chunked');
    const text = await response.text();
    expect(text.endsWith('\n')).toBe(true);
    const records = text.trimEnd().split('\n').map((line) => JSON.parse(line) as { id: number });
    expect(records).toEqual([...api.data.orders].sort(byUpdate));
  });

  it('pages with limit and cursor through X-Next-Cursor', async () => {
    const seen: unknown[] = [];
    let cursor = '';
    for (let guard = 0; guard < 100; guard++) {
      const response = await fetch(`${api.url}/jsonl/contacts?limit=7${cursor === '' ? '' : `&cursor=${cursor}`}`);
      seen.push(...(await response.text()).trimEnd().split('\n').map((line) => JSON.parse(line) as unknown));
      cursor = response.headers.get('x-next-cursor') ?? '';
      if (cursor === '') break;
    }
    expect(seen).toEqual([...api.data.contacts].sort(byUpdate));
  });
});

describe('/csv/{resource}', () => {
  it('is RFC 4180: a header row, CRLF, quoting where needed; nested values as JSON, null as empty', async () => {
    const response = await fetch(`${api.url}/csv/products`);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const rows = parseCsv(await response.text());
    const [header, ...body] = rows;
    const products = [...api.data.products].sort(byUpdate);
    expect(header).toEqual(Object.keys(products[0] as object));
    expect(body).toHaveLength(products.length);
    for (const [i, row] of body.entries()) {
      const product = products[i] as unknown as Record<string, unknown>;
      for (const [j, column] of (header as string[]).entries()) {
        const value = product[column];
        const expected = value === null ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value);
        expect(row[j]).toBe(expected);
      }
    }
    // Tags such as "sale, limited" and JSON with quotes had to be quoted to survive.
    expect(products.some((p) => p.tags.includes(','))).toBe(true);
  });

  it('keeps null stock quantities distinguishable from zero (empty field vs "0")', async () => {
    const rows = parseCsv(await (await fetch(`${api.url}/csv/stock_levels`)).text());
    const column = (rows[0] as string[]).indexOf('available');
    const values = rows.slice(1).map((row) => row[column]);
    expect(values).toContain('');
    expect(values).toContain('0');
  });

  it('answers an empty selection with an empty body', async () => {
    const response = await fetch(`${api.url}/csv/orders?updated_since=2030-01-01T00:00:00Z`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('');
  });
});
