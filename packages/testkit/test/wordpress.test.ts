// The WordPress-like API answers as WordPress does: bare arrays with totals in headers only, 400 for page sizes
// over 100 and pages past the last, zone-less local and GMT times (with daylight saving time), and exclusive date
// filters that read zone-less values in the site's time zone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi, type Ticket } from '../src/index.ts';
import { nextLink, request } from './helpers.ts';

type Post = { id: number; date: string; date_gmt: string; modified: string; modified_gmt: string; slug: string; title: { rendered: string }; [field: string]: unknown };

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi({ seed: 6, dataset: { tickets: 45 } });
});
afterAll(() => api.close());

const posts = (query: string, target: TestApi = api) => request<Post[]>(target, `/wp-json/wp/v2/posts?${query}`);

/** Every post the query selects, following X-WP-TotalPages. */
async function walk(query: string, target: TestApi = api): Promise<Post[]> {
  const all: Post[] = [];
  for (let page = 1; ; page++) {
    const response = await posts(`${query}&page=${page}`, target);
    expect(response.status, response.text).toBe(200);
    all.push(...response.body);
    if (page >= Number(response.headers.get('x-wp-totalpages'))) return all;
  }
}

/** A Z timestamp without its Z: how WordPress writes *_gmt fields. */
const gmt = (iso: string) => iso.slice(0, 19);
const HOUR = 3_600_000;

describe('GET /wp-json/wp/v2/posts', () => {
  it('pages a bare array with totals only in X-WP-Total and X-WP-TotalPages, newest date first by default', async () => {
    const first = await posts('');
    expect(Array.isArray(first.body)).toBe(true);
    expect(first.body).toHaveLength(10);
    expect([first.headers.get('x-wp-total'), first.headers.get('x-wp-totalpages')]).toEqual(['45', '5']);
    expect(nextLink(first.headers.get('link'))).toBe(`${api.url}/wp-json/wp/v2/posts?page=2`);
    const all = await walk('per_page=7');
    const newestFirst = [...api.data.tickets].sort((a, b) => b.created_at.localeCompare(a.created_at) || b.id - a.id);
    expect(all.map((post) => post.id)).toEqual(newestFirst.map((ticket) => ticket.id));
    expect(new Set(all.map((post) => post.slug)).size).toBe(45);
    expect(all[0]).toMatchObject({ status: 'publish', type: 'post', title: { rendered: expect.any(String) }, content: { protected: false }, excerpt: { protected: false }, author: expect.any(Number) });
  });

  it('writes *_gmt in UTC and date/modified in the site’s time zone, both without a zone, with DST', async () => {
    const all = await walk('per_page=100');
    const byId = new Map(api.data.tickets.map((ticket) => [ticket.id, ticket]));
    // New York: UTC-5, UTC-4 from 2026-03-08T07:00:00Z.
    const offset = (ms: number) => (ms >= Date.parse('2026-03-08T07:00:00Z') ? -4 : -5) * HOUR;
    for (const post of all) {
      const ticket = byId.get(post.id) as Ticket;
      expect([post.date_gmt, post.modified_gmt]).toEqual([gmt(ticket.created_at), gmt(ticket.updated_at)]);
      expect(post.modified).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/);
      const modified = Date.parse(ticket.updated_at);
      expect(Date.parse(`${post.modified}Z`) - modified).toBe(offset(modified));
      expect(Date.parse(`${post.date}Z`) - Date.parse(ticket.created_at)).toBe(offset(Date.parse(ticket.created_at)));
    }
    expect(new Set(all.map((post) => Date.parse(`${post.modified}Z`) - Date.parse(`${post.modified_gmt}Z`)))).toEqual(new Set([-5 * HOUR, -4 * HOUR]));
  });

  it('takes the site’s time zone as an option', async () => {
    const kolkata = await startTestApi({ seed: 6, dataset: { tickets: 45 }, siteTimeZone: 'Asia/Kolkata' });
    try {
      const [post] = (await posts('per_page=1', kolkata)).body as [Post];
      expect(Date.parse(`${post.date}Z`) - Date.parse(`${post.date_gmt}Z`)).toBe(5.5 * HOUR);
    } finally {
      await kolkata.close();
    }
    await expect(startTestApi({ siteTimeZone: 'Mars/Olympus_Mons' })).rejects.toThrow(RangeError);
  });

  it('answers per_page over 100 and pages past the last with WordPress’s 400 bodies', async () => {
    const big = await posts('per_page=101');
    expect(big.status).toBe(400);
    expect(big.body).toEqual({
      code: 'rest_invalid_param',
      message: 'Invalid parameter(s): per_page',
      data: { status: 400, params: { per_page: 'per_page must be between 1 (inclusive) and 100 (inclusive)' } },
    });
    expect((await posts('per_page=0')).status).toBe(400);
    expect((await posts('per_page=ten')).body).toMatchObject({ data: { params: { per_page: 'per_page is not of type integer.' } } });
    const beyond = await posts('per_page=10&page=6');
    expect(beyond.status).toBe(400);
    expect(beyond.body).toEqual({ code: 'rest_post_invalid_page_number', message: 'The page number requested is larger than the number of pages available.', data: { status: 400 } });
    const last = await posts('per_page=10&page=5');
    expect([last.status, last.body.length, nextLink(last.headers.get('link'))]).toEqual([200, 5, undefined]);
    // No posts at all: page 1 is an empty array, not an error.
    const none = await posts('modified_after=2030-01-01T00:00:00Z');
    expect([none.status, none.text, none.headers.get('x-wp-total'), none.headers.get('x-wp-totalpages')]).toEqual([200, '[]', '0', '0']);
  });

  it('orders by modified ascending (ties by id), and refuses unknown orderby and order values', async () => {
    const all = await walk('per_page=100&orderby=modified&order=asc');
    const expected = [...api.data.tickets].sort((a, b) => a.updated_at.localeCompare(b.updated_at) || a.id - b.id);
    expect(all.map((post) => post.id)).toEqual(expected.map((ticket) => ticket.id));
    const bad = await posts('orderby=updated&order=up');
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ code: 'rest_invalid_param', message: 'Invalid parameter(s): order, orderby' });
  });

  it('filters modified_after strictly after the instant; zone-less values are the site’s wall-clock time', async () => {
    const sorted = [...api.data.tickets].sort((a, b) => a.updated_at.localeCompare(b.updated_at));
    const bound = (sorted[20] as Ticket).updated_at;
    const expected = sorted.filter((ticket) => ticket.updated_at > bound).map((ticket) => ticket.id).sort();
    const withZ = await walk(`per_page=100&modified_after=${bound}`);
    expect(withZ.map((post) => post.id).sort()).toEqual(expected);
    expect(withZ.some((post) => post.modified_gmt === gmt(bound))).toBe(false);
    const post = (await walk('per_page=100')).find((p) => p.modified_gmt === gmt(bound)) as Post;
    const zoneLess = await walk(`per_page=100&modified_after=${post.modified}`);
    expect(zoneLess.map((p) => p.id).sort()).toEqual(expected);
    // An explicit offset, and a fraction of a second, which the whole-second comparison drops.
    const hoursBehind = (Date.parse(`${post.modified_gmt}Z`) - Date.parse(`${post.modified}Z`)) / HOUR;
    const withOffset = await walk(`per_page=100&modified_after=${encodeURIComponent(`${post.modified}.999-0${hoursBehind}:00`)}`);
    expect(withOffset.map((p) => p.id).sort()).toEqual(expected);
    const after = await walk(`per_page=100&after=${gmt(bound)}Z`);
    expect(after.map((p) => p.id).sort()).toEqual(sorted.filter((ticket) => ticket.created_at > bound).map((ticket) => ticket.id).sort());
    const before = await posts(`per_page=1&modified_before=${bound}`);
    expect(before.headers.get('x-wp-total')).toBe(String(sorted.filter((ticket) => ticket.updated_at < bound).length));
  });

  it('refuses dates without a time as invalid, as rest_parse_date does', async () => {
    const response = await posts('modified_after=2026-02-01');
    expect(response.status).toBe(400);
    expect(response.body).toEqual({ code: 'rest_invalid_param', message: 'Invalid parameter(s): modified_after', data: { status: 400, params: { modified_after: 'Invalid date.' } } });
  });

  it('reads zone-less times in DST gaps after the gap and repeated times as their first occurrence', async () => {
    const local = await startTestApi({ seed: 6, dataset: { tickets: 5 } });
    try {
      // Changes after all generated data, around New York's clock changes: back on 2026-11-01 (01:00–02:00 EDT
      // happens again as EST), forward on 2027-03-14 (02:00 EST jumps to 03:00 EDT).
      for (const at of ['2026-11-01T06:00:00Z', '2027-03-14T06:59:59Z', '2027-03-14T07:00:00Z', '2027-03-14T07:45:00Z']) local.create('tickets', { updated_at: at });
      const changed = (query: string) => walk(`per_page=100&orderby=modified&order=asc&modified_after=2026-10-01T00:00:00Z${query}`, local);
      expect((await changed('')).map((post) => [post.modified_gmt, post.modified])).toEqual([
        ['2026-11-01T06:00:00', '2026-11-01T01:00:00'],
        ['2027-03-14T06:59:59', '2027-03-14T01:59:59'],
        ['2027-03-14T07:00:00', '2027-03-14T03:00:00'],
        ['2027-03-14T07:45:00', '2027-03-14T03:45:00'],
      ]);
      // 02:30 never happens on 2027-03-14: it reads as 03:30 EDT (07:30Z), after the gap.
      const gap = await walk('per_page=100&modified_after=2027-03-14T02:30:00', local);
      expect(gap.map((post) => post.modified_gmt)).toEqual(['2027-03-14T07:45:00']);
      // 01:30 happens twice on 2026-11-01: the first time (05:30Z, EDT) counts.
      const repeated = await walk('per_page=100&orderby=modified&order=asc&modified_after=2026-11-01T01:30:00', local);
      expect(repeated.map((post) => post.modified_gmt)[0]).toBe('2026-11-01T06:00:00');
    } finally {
      await local.close();
    }
  });

  it('refuses missing credentials in WordPress’s error shape', async () => {
    const locked = await startTestApi({ seed: 6, auth: { kind: 'bearer', token: 't' } });
    try {
      const response = await posts('', locked);
      expect(response.status).toBe(401);
      expect(response.body).toEqual({ code: 'rest_not_logged_in', message: expect.any(String), data: { status: 401 } });
    } finally {
      await locked.close();
    }
  });
});
