// Same seed → byte-identical response bodies (and headers, ports aside) on every route; another seed → others.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../src/index.ts';

const PATHS = [
  '/cursor/orders?limit=5',
  '/cursor-header/products?limit=3',
  '/offset/contacts?offset=2&limit=4',
  '/page/stock_levels?page=2&per_page=6',
  '/link/tickets?per_page=4',
  '/next-url/customers?limit=3',
  '/jsonl/orders',
  '/csv/products',
  '/customers?limit=4',
  '/all/locations',
  '/v1/customers?limit=3',
  '/v1/invoices?limit=2',
  '/repos/acme/web/issues?state=all&per_page=3',
  '/rest/api/3/search?maxResults=3&expand=renderedFields',
  '/api/users.list?limit=3',
  '/api/conversations.list?types=public_channel,private_channel',
  '/after/orders?limit=3',
  '/redmine/issues.json?limit=3&status_id=*',
  '/redmine/my/account.json',
  '/wp-json/wp/v2/posts?per_page=3&orderby=modified',
];

async function snapshot(api: TestApi): Promise<string[]> {
  const out: string[] = [];
  for (const path of PATHS) {
    const response = await fetch(api.url + path);
    const headers = [...response.headers].filter(([name]) => !['link', 'keep-alive', 'connection'].includes(name));
    out.push(`${path} ${response.status} ${JSON.stringify(headers)}\n${await response.text()}`);
  }
  return out;
}

let a: TestApi;
let b: TestApi;
let c: TestApi;
beforeAll(async () => {
  [a, b, c] = await Promise.all([startTestApi({ seed: 11 }), startTestApi({ seed: 11 }), startTestApi({ seed: 12 })]);
});
afterAll(() => Promise.all([a.close(), b.close(), c.close()]));

describe('determinism', () => {
  it('answers byte for byte the same on two servers with the same seed', async () => {
    const [first, second] = [await snapshot(a), await snapshot(b)];
    expect(second).toEqual(first);
    // No Date header: nothing in a response depends on when it was made.
    // (Header pairs are snapshotted as ["name","value"]; WordPress bodies have a "date" field of their own.)
    expect(first.join('\n')).not.toMatch(/\["date",/);
  });

  it('answers differently with another seed', async () => {
    const [first, other] = [await snapshot(a), await snapshot(c)];
    for (const [i, text] of first.entries()) expect(other[i], PATHS[i]).not.toBe(text);
  });

  it('answers a repeated request identically', async () => {
    const once = await (await fetch(`${a.url}/v1/invoices?limit=5`)).text();
    expect(await (await fetch(`${a.url}/v1/invoices?limit=5`)).text()).toBe(once);
  });
});
