// The Redmine-like API answers as a real self-hosted Redmine does: offset paging with silent clamping, open issues
// newest first by default, operator-syntax date filters that refuse fractional seconds, and public data for
// requests without a valid key.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { integerUserId, redmineAuth, startTestApi, type TestApi, type Ticket } from '../src/index.ts';
import { request } from './helpers.ts';

type Issue = {
  id: number;
  project: { id: number; name: string };
  status: { id: number; name: string; is_closed: boolean };
  assigned_to?: { id: number; name: string };
  updated_on: string;
  created_on: string;
  closed_on: string | null;
  [field: string]: unknown;
};
type IssueList = { issues: Issue[]; total_count: number; offset: number; limit: number };

const KEY = { 'x-redmine-api-key': 'k3y' };
let api: TestApi;
beforeAll(async () => {
  api = await startTestApi({ seed: 5, dataset: { tickets: 140, users: 12 }, auth: redmineAuth('k3y') });
});
afterAll(() => api.close());

function issues(query: string, headers: Record<string, string> = KEY) {
  return request<IssueList>(api, `/redmine/issues.json?${query}`, { headers });
}

/** Every issue the query selects, page by page (limit 100), the way a Redmine client walks offsets. */
async function walk(query: string): Promise<Issue[]> {
  const all: Issue[] = [];
  for (let offset = 0; ; offset += 100) {
    const page = await issues(`${query}&offset=${offset}&limit=100`);
    expect(page.status, page.text).toBe(200);
    all.push(...page.body.issues);
    if (offset + 100 >= page.body.total_count) return all;
  }
}

const isClosed = (ticket: Ticket) => ticket.status === 'closed';

describe('GET /redmine/issues.json', () => {
  it('walks every issue with status_id=*, newest id first, in Redmine’s shape with whole-second Z timestamps', async () => {
    const all = await walk('status_id=*');
    expect(all.map((issue) => issue.id)).toEqual(api.data.tickets.map((ticket) => ticket.id).sort((a, b) => b - a));
    for (const issue of all) {
      const ticket = api.data.tickets.find((t) => t.id === issue.id) as Ticket;
      expect(issue.updated_on).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
      expect([issue.updated_on, issue.created_on, issue.status.is_closed]).toEqual([ticket.updated_at, ticket.created_at, isClosed(ticket)]);
      expect(issue.closed_on).toBe(isClosed(ticket) ? ticket.updated_at : null);
      expect(Object.keys(issue)).toEqual(expect.arrayContaining(['project', 'tracker', 'status', 'priority', 'author', 'subject', 'description', 'start_date', 'due_date', 'done_ratio']));
      // assigned_to is absent, not null, when nobody is assigned.
      expect('assigned_to' in issue).toBe(ticket.assignee_id !== null);
    }
    const assigned = all.find((issue) => issue.assigned_to !== undefined) as Issue;
    const assignee = api.data.users.find((user) => user.id === api.data.tickets.find((t) => t.id === assigned.id)?.assignee_id);
    expect(assigned.assigned_to).toEqual({ id: integerUserId(assignee as { id: string }), name: assignee?.real_name });
  });

  it('serves only open issues unless status_id says otherwise, as Redmine does', async () => {
    const open = await issues('limit=1');
    expect(open.body.total_count).toBe(api.data.tickets.filter((t) => !isClosed(t)).length);
    const closed = await walk('status_id=closed');
    expect(closed.length).toBe(api.data.tickets.filter(isClosed).length);
    expect(closed.every((issue) => issue.status.is_closed)).toBe(true);
    const inProgress = await walk('status_id=2');
    expect(inProgress.length).toBe(api.data.tickets.filter((t) => t.status === 'in_progress').length);
    expect((await issues('status_id=42')).status).toBe(422);
  });

  it('defaults limit to 25, clamps it to 100 silently, and never fails on odd offsets or limits', async () => {
    const cases: [string, number, number, number][] = [
      ['', 0, 25, 25],
      ['limit=250', 0, 100, 100],
      ['limit=0', 0, 25, 25],
      ['limit=abc', 0, 25, 25],
      ['offset=-5&limit=10', 0, 10, 10],
      ['page=3&limit=10', 20, 10, 10],
      ['offset=135&limit=10&status_id=*', 135, 10, 5],
      ['offset=500&status_id=*', 500, 25, 0],
    ];
    for (const [query, offset, limit, served] of cases) {
      const page = await issues(query);
      expect(page.status, query).toBe(200);
      expect([page.body.offset, page.body.limit, page.body.issues.length], query).toEqual([offset, limit, served]);
    }
  });

  it('sorts by updated_on (ties by id descending, Redmine’s tie-breaker), updated_on:desc and id', async () => {
    const byUpdate = await walk('status_id=*&sort=updated_on');
    const expected = [...api.data.tickets].sort((a, b) => a.updated_at.localeCompare(b.updated_at) || b.id - a.id);
    expect(byUpdate.map((issue) => issue.id)).toEqual(expected.map((ticket) => ticket.id));
    // The dataset's bulk update makes ties: the tie-breaker is visible.
    expect(new Set(expected.map((ticket) => ticket.updated_at)).size).toBeLessThan(expected.length);
    const newest = await walk('status_id=*&sort=updated_on:desc');
    expect(newest.map((issue) => issue.updated_on)).toEqual(expected.map((ticket) => ticket.updated_at).reverse());
    const ascending = await walk('status_id=*&sort=id');
    expect(ascending.map((issue) => issue.id)).toEqual(api.data.tickets.map((ticket) => ticket.id).sort((a, b) => a - b));
    const ignored = await issues('status_id=*&sort=flavour&limit=3');
    expect(ignored.body.issues.map((issue) => issue.id)).toEqual((await issues('status_id=*&limit=3')).body.issues.map((issue) => issue.id));
  });

  it('filters updated_on with >=, <= and >< inclusively, on timestamps and dates', async () => {
    const sorted = [...api.data.tickets].sort((a, b) => a.updated_at.localeCompare(b.updated_at));
    const bound = (sorted[60] as Ticket).updated_at;
    const since = await walk(`status_id=*&updated_on=${encodeURIComponent(`>=${bound}`)}`);
    expect(since.map((issue) => issue.id).sort()).toEqual(sorted.filter((t) => t.updated_at >= bound).map((t) => t.id).sort());
    expect(since.some((issue) => issue.updated_on === bound)).toBe(true);
    const until = await walk(`status_id=*&updated_on=${encodeURIComponent(`<=${bound}`)}`);
    expect(until.length).toBe(sorted.filter((t) => t.updated_at <= bound).length);
    const february = await walk(`status_id=*&updated_on=${encodeURIComponent('><2026-02-01|2026-02-28')}`);
    expect(february.length).toBe(sorted.filter((t) => t.updated_at >= '2026-02-01T00:00:00Z' && t.updated_at <= '2026-02-28T23:59:59Z').length);
    const fromDate = await issues(`status_id=*&limit=1&updated_on=${encodeURIComponent('>=2026-03-01')}`);
    expect(fromDate.body.total_count).toBe(sorted.filter((t) => t.updated_at >= '2026-03-01T00:00:00Z').length);
    const created = await issues(`status_id=*&limit=1&created_on=${encodeURIComponent('<=2026-02-01T00:00:00Z')}`);
    expect(created.body.total_count).toBe(sorted.filter((t) => t.created_at <= '2026-02-01T00:00:00Z').length);
  });

  it('refuses a bare timestamp, fractional seconds and unknown operators with 422 "Updated on is invalid"', async () => {
    for (const value of ['2026-01-05T10:00:00Z', '>=2026-11-29T22:20:58.000Z', '>=2026-01-05T10:00:00.5Z', '>2026-01-05T10:00:00Z', '>=yesterday', '>=2026-02-30', '><2026-01-01']) {
      const response = await issues(`updated_on=${encodeURIComponent(value)}`);
      expect(response.status, value).toBe(422);
      expect(response.text, value).toBe('{"errors":["Updated on is invalid"]}');
    }
  });

  it('filters by project id or identifier; an unknown project is 404 with an empty body', async () => {
    const project = api.data.projects[0];
    const byId = await issues(`status_id=*&limit=1&project_id=${project?.id}`);
    const byIdentifier = await issues(`status_id=*&limit=1&project_id=${project?.key.toLowerCase()}`);
    expect(byId.body.total_count).toBe(api.data.tickets.filter((t) => t.project_id === project?.id).length);
    expect(byIdentifier.body.total_count).toBe(byId.body.total_count);
    const unknown = await issues('project_id=nope');
    expect([unknown.status, unknown.text]).toEqual([404, '']);
  });
});

describe('public data for missing and wrong keys', () => {
  const publicProjects = () => api.data.projects.filter((project) => project.id % 3 !== 2).map((project) => project.id);

  it('serves issues and projects without a key or with a wrong one: the public projects only', async () => {
    const all = await issues('status_id=*&limit=1');
    for (const headers of [{}, { 'x-redmine-api-key': 'wrong' }]) {
      const anonymous = await issues('status_id=*&limit=100', headers);
      expect(anonymous.status).toBe(200);
      expect(anonymous.body.total_count).toBe(api.data.tickets.filter((t) => publicProjects().includes(t.project_id)).length);
      expect(anonymous.body.total_count).toBeLessThan(all.body.total_count);
      const projects = await request<{ projects: { id: number; is_public: boolean }[]; total_count: number }>(api, '/redmine/projects.json', { headers });
      expect(projects.body.projects.map((project) => project.id)).toEqual(publicProjects());
    }
    const privateProject = api.data.projects.find((project) => !publicProjects().includes(project.id));
    expect((await issues(`project_id=${privateProject?.id}`, {})).status).toBe(401);
  });

  it('takes the key in the X-Redmine-API-Key header or the key query parameter', async () => {
    const projects = await request<{ projects: unknown[]; total_count: number; offset: number; limit: number }>(api, '/redmine/projects.json?key=k3y');
    expect(projects.body).toMatchObject({ total_count: api.data.projects.length, offset: 0, limit: 25 });
    expect((await issues('status_id=*&limit=1', {})).body.total_count).toBeLessThan((await request<IssueList>(api, '/redmine/issues.json?status_id=*&limit=1&key=k3y')).body.total_count);
  });

  it('answers my/account.json 401 (empty body, Basic challenge) without a valid key, and never echoes the key', async () => {
    for (const headers of [{}, { 'x-redmine-api-key': 'wrong' }]) {
      const refused = await request(api, '/redmine/my/account.json', { headers });
      expect([refused.status, refused.text, refused.headers.get('www-authenticate')]).toEqual([401, '', 'Basic realm="Redmine API"']);
    }
    const account = await request<{ user: Record<string, unknown> }>(api, '/redmine/my/account.json', { headers: KEY });
    const owner = api.data.users.find((user) => user.role === 'primary_owner');
    expect(account.body.user).toMatchObject({ id: integerUserId(owner as { id: string }), login: owner?.name, mail: owner?.email, admin: true, created_on: owner?.created_at });
    expect(Object.keys(account.body.user)).not.toContain('api_key');
    expect(account.text).not.toContain('k3y');
  });

  it('refuses every route without a key when publicRoutes is empty', async () => {
    const strict = await startTestApi({ seed: 5, auth: redmineAuth('k3y'), publicRoutes: [] });
    try {
      expect((await request(strict, '/redmine/issues.json')).status).toBe(401);
      expect((await request(strict, '/redmine/issues.json?key=k3y')).status).toBe(200);
    } finally {
      await strict.close();
    }
  });
});
