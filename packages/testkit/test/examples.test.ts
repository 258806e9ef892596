// The example connector definitions of packages/schema read testkit as they would read the real APIs: each stream's
// request, pagination and incremental settings, followed naively, reach every record. (A light stand-in for the
// engine: it follows the settings these four definitions use, nothing more.)
import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type AuthOptions, type TestApi } from '../src/index.ts';
import { nextLink } from './helpers.ts';

const examplesDir = new URL('../../schema/examples/', import.meta.url);

type Placement = { in: string; name: string };
interface Stream {
  request: { path: string; query?: Record<string, string> };
  records?: { path?: string };
  partitions?: { kind: string };
  pagination?: {
    kind: string;
    cursor?: { from: string; path: string };
    param?: Placement;
    pageSize?: { param: Placement; value: number };
    offsetParam?: Placement;
    limitParam?: Placement;
    limit?: number;
    total?: { from: string; path: string };
  };
  incremental?: { param?: Placement; format: string };
}
interface Definition {
  id: string;
  dsl: string;
  http: { baseUrl: string };
  auth: { kind: string };
  streams: Record<string, Stream>;
}

const definitions = readdirSync(examplesDir)
  .filter((name) => name.endsWith('.json'))
  .map((name) => JSON.parse(readFileSync(new URL(name, examplesDir), 'utf8')) as Definition)
  .filter((definition) => definition.dsl === 'pullpush/v1');

/** Where each API lives on the test server: the path of its base URL. */
const BASE_PATHS: Record<string, string> = { stripe: '/v1', slack: '/api', github: '', jira: '' };

/** Dotted paths with a [-1] index, the only JSONata these definitions use for cursors and records. */
function at(value: unknown, path: string | undefined): unknown {
  if (path === undefined) return value;
  let node = value;
  for (const part of path.split('.')) {
    const match = /^(\w+)(?:\[(-?\d+)\])?$/.exec(part);
    if (match === null || typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[match[1] as string];
    if (match[2] !== undefined && Array.isArray(node)) node = node.at(Number(match[2]));
  }
  return node;
}

let api: TestApi;
const token = 'xoxb-testkit-1';
beforeAll(async () => {
  api = await startTestApi({ seed: 21, dataset: { customers: 233, tickets: 141, users: 217 } });
});
afterAll(() => api.close());

function authFor(kind: string): { auth: AuthOptions; header: string } {
  if (kind === 'basic') return { auth: { kind: 'basic', username: 'me@example.com', password: token }, header: `Basic ${Buffer.from(`me@example.com:${token}`).toString('base64')}` };
  return { auth: { kind: 'bearer', token }, header: `Bearer ${token}` };
}

/** Reads every page of a stream as its definition says; returns the records. */
async function readStream(definition: Definition, stream: Stream, partition: string, startDate?: string): Promise<unknown[]> {
  const { auth, header } = authFor(definition.auth.kind);
  api.setAuth(auth);
  const url = new URL(`${api.url}${BASE_PATHS[definition.id]}${stream.request.path.replace(/\{\{[^}]*\}\}/g, partition)}`);
  for (const [name, value] of Object.entries(stream.request.query ?? {})) if (!value.includes('{{')) url.searchParams.set(name, value);
  const pagination = stream.pagination;
  if (pagination?.pageSize !== undefined) url.searchParams.set(pagination.pageSize.param.name, String(pagination.pageSize.value));
  if (startDate !== undefined && stream.incremental?.param !== undefined) {
    const value = stream.incremental.format === 'unixSeconds' ? String(Date.parse(startDate) / 1000) : startDate;
    url.searchParams.set(stream.incremental.param.name, value);
  }
  const records: unknown[] = [];
  let offset = 0;
  for (let page = 0; page < 100; page++) {
    if (pagination?.kind === 'offset') {
      url.searchParams.set(pagination.offsetParam?.name ?? 'offset', String(offset));
      url.searchParams.set(pagination.limitParam?.name ?? 'limit', String(pagination.limit));
    }
    const response = await fetch(url, { headers: { authorization: header } });
    expect(response.status, url.href).toBe(200);
    const body: unknown = await response.json();
    const items = at(body, stream.records?.path) as unknown[];
    expect(Array.isArray(items), `records at ${stream.records?.path}`).toBe(true);
    records.push(...items);
    if (items.length === 0) break;
    if (pagination?.kind === 'cursor') {
      const cursor = at(body, pagination.cursor?.path);
      if (cursor === undefined || cursor === '' || cursor === null || at(body, 'has_more') === false) break;
      url.searchParams.set(pagination.param?.name ?? 'cursor', String(cursor));
    } else if (pagination?.kind === 'offset') {
      offset += items.length;
      if (offset >= Number(at(body, pagination.total?.path))) break;
    } else if (pagination?.kind === 'link') {
      const next = nextLink(response.headers.get('link'));
      if (next === undefined) break;
      url.href = next;
    } else break;
  }
  return records;
}

describe('schema examples against testkit', () => {
  it('finds the four example definitions', () => {
    expect(definitions.map((definition) => definition.id).sort()).toEqual(['github', 'jira', 'slack', 'stripe']);
  });

  it('stripe.json: customers and invoices, all of them, and only newer ones from a start date', async () => {
    const stripe = definitions.find((d) => d.id === 'stripe') as Definition;
    expect(await readStream(stripe, stripe.streams['customers'] as Stream, '')).toHaveLength(233);
    const invoices = await readStream(stripe, stripe.streams['invoices'] as Stream, '');
    expect(invoices).toHaveLength(api.data.orders.filter((order) => order.customer_id !== null).length);
    const since = '2026-02-15T00:00:00Z';
    const recent = await readStream(stripe, stripe.streams['customers'] as Stream, '', since);
    expect(recent).toHaveLength(api.data.customers.filter((customer) => customer.created_at >= since).length);
  });

  it('github.json: the issues (and pull requests) of every configured repository', async () => {
    const github = definitions.find((d) => d.id === 'github') as Definition;
    let total = 0;
    for (const project of api.data.projects) total += (await readStream(github, github.streams['issues'] as Stream, project.repository)).length;
    expect(total).toBe(141);
  });

  it('jira.json: every issue, and the comments of an issue', async () => {
    const jira = definitions.find((d) => d.id === 'jira') as Definition;
    expect(await readStream(jira, jira.streams['issues'] as Stream, '')).toHaveLength(141);
    const ticket = api.data.tickets.find((t) => t.comments_count > 0);
    expect(await readStream(jira, jira.streams['comments'] as Stream, String(ticket?.id))).toHaveLength(ticket?.comments_count ?? -1);
  });

  it('slack.json: every member and every public or private channel', async () => {
    const slack = definitions.find((d) => d.id === 'slack') as Definition;
    expect(await readStream(slack, slack.streams['users'] as Stream, '')).toHaveLength(217);
    expect(await readStream(slack, slack.streams['conversations'] as Stream, '')).toHaveLength(api.data.channels.length);
  });
});
