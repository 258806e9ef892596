// The imitations of real APIs answer the way packages/schema/examples read them: Stripe, GitHub, Jira, Slack.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPullRequest, jiraAccountId, startTestApi, stripeCustomerId, type TestApi } from '../src/index.ts';
import { nextLink, rawGet, request } from './helpers.ts';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi({ seed: 9, dataset: { customers: 57, orders: 120, tickets: 64, users: 23, channels: 9 } });
});
afterAll(() => api.close());

type StripeList = { object: string; data: { id: string; created: number; [key: string]: unknown }[]; has_more: boolean; url: string };

/** Follows stripe.json's pagination: cursor data[-1].id → starting_after, stop when has_more is false. */
async function stripeWalk(path: string, extra = ''): Promise<StripeList['data']> {
  const all: StripeList['data'] = [];
  let after: string | undefined;
  for (let guard = 0; guard < 100; guard++) {
    const page = await request<StripeList>(api, `${path}?limit=10${extra}${after === undefined ? '' : `&starting_after=${after}`}`);
    expect(page.status, page.text).toBe(200);
    expect(page.body).toMatchObject({ object: 'list', url: path });
    all.push(...page.body.data);
    if (!page.body.has_more) break;
    after = page.body.data.at(-1)?.id;
  }
  return all;
}

describe('Stripe-like /v1', () => {
  it('lists every customer once, newest first, with Stripe-shaped ids and fields', async () => {
    const customers = await stripeWalk('/v1/customers');
    expect(customers).toHaveLength(57);
    expect(new Set(customers.map((c) => c.id)).size).toBe(57);
    for (const [i, customer] of customers.entries()) {
      expect(customer.id).toMatch(/^cus_[A-Za-z0-9]{14}$/);
      expect(customer['object']).toBe('customer');
      if (i > 0) expect(customer.created).toBeLessThanOrEqual((customers[i - 1] as { created: number }).created);
    }
    const first = api.data.customers[0];
    const mapped = customers.find((c) => c.id === stripeCustomerId(9, first?.id ?? 0));
    expect(mapped).toMatchObject({ email: first?.email, created: Date.parse(first?.created_at ?? '') / 1000 });
  });

  it('filters by created[gte] (Unix seconds)', async () => {
    const all = await stripeWalk('/v1/customers');
    const bound = (all[20] as { created: number }).created;
    const recent = await stripeWalk('/v1/customers', `&created[gte]=${bound}`);
    expect(recent.map((c) => c.id)).toEqual(all.filter((c) => c.created >= bound).map((c) => c.id));
  });

  it('refuses unknown cursors and limits over 100 as Stripe does', async () => {
    const unknown = await request<{ error: { type: string; message: string } }>(api, '/v1/customers?starting_after=cus_nope');
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toMatchObject({ type: 'invalid_request_error', message: "No such customer: 'cus_nope'" });
    expect((await request(api, '/v1/customers?limit=101')).status).toBe(400);
    expect((await request(api, '/v1/customers/cus_nope')).status).toBe(404);
  });

  it('serves invoices whose lines and totals add up', async () => {
    const invoices = await stripeWalk('/v1/invoices');
    expect(invoices.length).toBe(api.data.orders.filter((o) => o.customer_id !== null).length);
    for (const invoice of invoices) {
      const lines = (invoice['lines'] as { data: { amount: number }[] }).data;
      expect(lines.reduce((sum, line) => sum + line.amount, 0)).toBe(invoice['subtotal']);
      expect((invoice['subtotal'] as number) + (invoice['tax'] as number)).toBe(invoice['total']);
      expect(['paid', 'open', 'void']).toContain(invoice['status']);
    }
  });
});

describe('GitHub-like /repos/{owner}/{repo}/issues', () => {
  it('walks each repository by Link rel="next", as github.json does, issues and pull requests', async () => {
    for (const project of api.data.projects) {
      const seen: { number: number; pull_request?: unknown; updated_at: string }[] = [];
      let url: string | undefined = `/repos/${project.repository}/issues?state=all&sort=updated&direction=asc&per_page=5`;
      while (url !== undefined) {
        const page: { body: typeof seen; headers: Headers } = await request(api, url);
        seen.push(...page.body);
        url = nextLink(page.headers.get('link'));
      }
      const tickets = api.data.tickets.filter((t) => t.project_id === project.id);
      expect(seen.map((issue) => issue.number).sort((x, y) => x - y)).toEqual(tickets.map((t) => Number(t.key.split('-')[1])).sort((x, y) => x - y));
      expect(seen.filter((issue) => issue.pull_request !== undefined)).toHaveLength(tickets.filter(isPullRequest).length);
      expect(seen.map((issue) => issue.updated_at)).toEqual([...seen.map((issue) => issue.updated_at)].sort());
    }
  });

  it('defaults to open issues, filters by since, and answers 404 for unknown repositories', async () => {
    const project = api.data.projects[0];
    const open = await request<{ state: string }[]>(api, `/repos/${project?.repository}/issues?per_page=100`);
    expect(open.body.every((issue) => issue.state === 'open')).toBe(true);
    const since = '2026-03-01T00:00:00Z';
    const recent = await request<{ updated_at: string }[]>(api, `/repos/${project?.repository}/issues?state=all&per_page=100&since=${since}`);
    expect(recent.body.length).toBe(api.data.tickets.filter((t) => t.project_id === project?.id && t.updated_at >= since).length);
    const missing = await request<{ message: string }>(api, '/repos/octocat/hello-world/issues');
    expect(missing.status).toBe(404);
    expect(missing.body.message).toBe('Not Found');
  });

  it('refuses a request without a User-Agent, or with an empty one, as api.github.com does: 403 in HTML, connection closed', async () => {
    const path = `/repos/${api.data.projects[0]?.repository}/issues`;
    // node:http sends no User-Agent of its own (fetch sends one).
    for (const headers of [{}, { 'user-agent': '' }, { 'user-agent': '  ' }]) {
      const answer = await rawGet(`${api.url}${path}`, headers);
      expect(answer.status).toBe(403);
      expect(answer.headers['content-type']).toBe('text/html');
      expect(answer.headers['connection']).toBe('close');
      expect(answer.body).toContain('Please make sure your request has a User-Agent header');
    }
    const named = await rawGet(`${api.url}${path}`, { 'user-agent': 'acme-sync/2.0' });
    expect(named.status).toBe(200);
    expect(Array.isArray(JSON.parse(named.body))).toBe(true);
    // Only GitHub's routes ask for one.
    expect((await rawGet(`${api.url}/cursor/contacts`, {})).status).toBe(200);
  });

  it('refuses a request without a User-Agent before its credentials are checked or it counts against the rate limit', async () => {
    const guarded = await startTestApi({ auth: { kind: 'bearer', token: 'github_pat_11TESTKIT0123' }, rateLimit: { requests: 1, perSeconds: 3600, headers: 'x-ratelimit' } });
    try {
      const path = `${guarded.url}/repos/${guarded.data.projects[0]?.repository}/issues`;
      for (let i = 0; i < 3; i++) expect((await rawGet(path, {})).status).toBe(403);
      const named = await rawGet(path, { 'user-agent': 'acme-sync/2.0', authorization: 'Bearer github_pat_11TESTKIT0123' });
      expect(named.status).toBe(200);
      expect(named.headers['x-ratelimit-used']).toBe('1');
    } finally {
      await guarded.close();
    }
  });
});

describe('Jira-like /rest/api/3', () => {
  type Search = { startAt: number; maxResults: number; total: number; issues: { id: string; key: string; fields: Record<string, unknown>; renderedFields?: unknown }[] };

  /** Follows jira.json: offset pagination on startAt/maxResults, stop at the total. */
  async function jiraWalk(jql: string, extra = ''): Promise<Search['issues']> {
    const all: Search['issues'] = [];
    for (let startAt = 0; ; startAt += 10) {
      const page = await request<Search>(api, `/rest/api/3/search?jql=${encodeURIComponent(jql)}&startAt=${startAt}&maxResults=10${extra}`);
      expect(page.status, page.text).toBe(200);
      all.push(...page.body.issues);
      if (startAt + 10 >= page.body.total) break;
    }
    return all;
  }

  it('walks every issue by startAt/maxResults with Jira-shaped fields', async () => {
    const issues = await jiraWalk('ORDER BY updated ASC', '&expand=renderedFields');
    expect(issues).toHaveLength(64);
    const first = issues[0];
    expect(first?.fields['status']).toMatchObject({ statusCategory: { key: expect.any(String) } });
    expect(first?.fields['updated']).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.000\+0000$/);
    expect(first?.renderedFields).toBeDefined();
    const updated = issues.map((issue) => Date.parse((issue.fields['updated'] as string).replace('+0000', 'Z')));
    expect(updated).toEqual([...updated].sort((x, y) => x - y));
  });

  it('applies the JQL jira.json sends: project, updated >= "yyyy-MM-dd HH:mm", ORDER BY', async () => {
    const project = api.data.projects[1];
    const issues = await jiraWalk(`(project in (${project?.key})) AND updated >= "2026-02-15 00:00" ORDER BY updated ASC`);
    const expected = api.data.tickets.filter((t) => t.project_id === project?.id && Date.parse(t.updated_at) >= Date.parse('2026-02-15T00:00:00Z'));
    expect(issues.map((issue) => issue.key).sort()).toEqual(expected.map((t) => t.key).sort());
  });

  it('answers bad JQL with 400 and errorMessages, as Jira does', async () => {
    const response = await request<{ errorMessages: string[] }>(api, `/rest/api/3/search?jql=${encodeURIComponent('flavour = vanilla')}`);
    expect(response.status).toBe(400);
    expect(response.body.errorMessages[0]).toContain('flavour');
  });

  it('serves comments per issue and single issues by key or id, with account ids', async () => {
    const ticket = api.data.tickets.find((t) => t.comments_count > 1);
    const comments = await request<{ total: number; comments: { id: string; author: { accountId: string } }[] }>(api, `/rest/api/3/issue/${ticket?.key}/comment?startAt=0&maxResults=100`);
    expect(comments.body.total).toBe(ticket?.comments_count);
    const authors = new Set(api.data.users.map((user) => jiraAccountId(user)));
    for (const comment of comments.body.comments) expect(authors.has(comment.author.accountId)).toBe(true);
    expect((await request<{ key: string }>(api, `/rest/api/3/issue/${ticket?.id}`)).body.key).toBe(ticket?.key);
    expect((await request(api, '/rest/api/3/issue/NOPE-1')).status).toBe(404);
  });

  it('accepts POST search with a JSON body', async () => {
    const response = await request<Search>(api, '/rest/api/3/search', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jql: 'ORDER BY created DESC', startAt: 5, maxResults: 3, fields: ['summary'] }),
    });
    expect(response.body).toMatchObject({ startAt: 5, maxResults: 3, total: 64 });
    expect(Object.keys(response.body.issues[0]?.fields ?? {})).toEqual(['summary']);
  });
});

describe('Slack-like /api', () => {
  type Members = { ok: boolean; members: { id: string }[]; response_metadata: { next_cursor: string } };

  it('walks users.list by response_metadata.next_cursor until it is empty, as slack.json does', async () => {
    const seen: string[] = [];
    let cursor = '';
    for (let guard = 0; guard < 50; guard++) {
      const page = await request<Members>(api, `/api/users.list?limit=4${cursor === '' ? '' : `&cursor=${encodeURIComponent(cursor)}`}`);
      expect(page.body.ok).toBe(true);
      seen.push(...page.body.members.map((member) => member.id));
      cursor = page.body.response_metadata.next_cursor;
      if (cursor === '') break;
    }
    expect(seen).toEqual(api.data.users.map((user) => user.id).sort());
  });

  it('filters conversations by type and archive state; accepts form-encoded POST', async () => {
    const channels = api.data.channels;
    const publicOnly = await request<{ channels: { is_private: boolean }[] }>(api, '/api/conversations.list');
    expect(publicOnly.body.channels).toHaveLength(channels.filter((c) => !c.is_private).length);
    const posted = await request<{ channels: unknown[] }>(api, '/api/conversations.list', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'types=public_channel,private_channel&exclude_archived=true',
    });
    expect(posted.body.channels).toHaveLength(channels.filter((c) => !c.is_archived).length);
  });

  it('reports errors as HTTP 200 with ok: false', async () => {
    const response = await request<{ ok: boolean; error: string }>(api, '/api/users.list?cursor=bm9wZQ');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ ok: false, error: 'invalid_cursor' });
  });
});

describe('Stripe-like paging backwards', () => {
  it('pages back with ending_before to the newer objects', async () => {
    const all = (await request<StripeList>(api, '/v1/customers?limit=100')).body.data;
    const page = await request<StripeList>(api, `/v1/customers?limit=5&ending_before=${all[12]?.id}`);
    expect(page.body.data.map((c) => c.id)).toEqual(all.slice(7, 12).map((c) => c.id));
    expect(page.body.has_more).toBe(true);
    const top = await request<StripeList>(api, `/v1/customers?limit=5&ending_before=${all[3]?.id}`);
    expect(top.body.data.map((c) => c.id)).toEqual(all.slice(0, 3).map((c) => c.id));
    expect(top.body.has_more).toBe(false);
  });
});
