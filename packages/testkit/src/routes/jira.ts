// A Jira Cloud-shaped API over the tickets (REST v3), as packages/schema/examples/jira.json reads it (base URL {url}):
//   GET  /rest/api/3/search  ?jql&startAt&maxResults (50, max 100)&fields&expand → { expand, startAt, maxResults, total, issues }
//   POST /rest/api/3/search  the same parameters in a JSON body (fields and expand as arrays)
//   GET  /rest/api/3/issue/{idOrKey}
//   GET  /rest/api/3/issue/{idOrKey}/comment  ?startAt&maxResults&orderBy=created|-created → { startAt, maxResults, total, comments }
// Descriptions and comment bodies are Atlassian Document Format; timestamps look like 2026-01-15T08:31:07.000+0000.
import type { Comment, Project, Ticket, TicketPriority, TicketStatus, TicketType, User } from '../data/types.ts';
import { HEX, stableToken } from '../prng.ts';
import { intParam, jsonReply, problem, type Parsed, type Reply, type RequestContext } from '../http.ts';
import { offsetPage } from '../paging.ts';
import type { Route, Services } from '../router.ts';
import type { Store } from '../store.ts';
import { jiraTime, timeOf } from '../time.ts';
import { viewCache } from '../views.ts';
import { JqlError, parseJql, type JqlFacts } from './jql.ts';

const STATUS: Record<TicketStatus, { id: string; name: string; category: { id: number; key: string; name: string } }> = {
  open: { id: '10000', name: 'To Do', category: { id: 2, key: 'new', name: 'To Do' } },
  in_progress: { id: '3', name: 'In Progress', category: { id: 4, key: 'indeterminate', name: 'In Progress' } },
  resolved: { id: '10001', name: 'Done', category: { id: 3, key: 'done', name: 'Done' } },
  closed: { id: '6', name: 'Closed', category: { id: 3, key: 'done', name: 'Done' } },
};

const ISSUE_TYPE: Record<TicketType, { id: string; name: string; subtask: boolean }> = {
  epic: { id: '10000', name: 'Epic', subtask: false },
  story: { id: '10001', name: 'Story', subtask: false },
  task: { id: '10002', name: 'Task', subtask: false },
  subtask: { id: '10003', name: 'Sub-task', subtask: true },
  bug: { id: '10004', name: 'Bug', subtask: false },
};

const PRIORITY: Record<TicketPriority, { id: string; name: string }> = {
  highest: { id: '1', name: 'Highest' },
  high: { id: '2', name: 'High' },
  medium: { id: '3', name: 'Medium' },
  low: { id: '4', name: 'Low' },
  lowest: { id: '5', name: 'Lowest' },
};

/** An Atlassian account id for a workspace member: stable per member. */
export function jiraAccountId(user: Pick<User, 'id'>): string {
  return `712020:${stableToken(0, 'jira-account', user.id, 8, HEX)}-${stableToken(1, 'jira-account', user.id, 4, HEX)}-${stableToken(2, 'jira-account', user.id, 12, HEX)}`;
}

function jiraUser(user: User | undefined): Record<string, unknown> | null {
  if (user === undefined) return null;
  return {
    accountId: jiraAccountId(user),
    displayName: user.real_name,
    ...(user.email === null ? {} : { emailAddress: user.email }),
    active: !user.deleted,
    timeZone: user.timezone,
    accountType: user.role === 'bot' ? 'app' : 'atlassian',
  };
}

/** Plain text as an Atlassian Document Format document. */
export function adf(text: string | null): Record<string, unknown> | null {
  if (text === null) return null;
  return { type: 'doc', version: 1, content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] };
}

function html(text: string | null): string | null {
  return text === null ? null : `<p>${text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;')}</p>`;
}

interface JiraIssue {
  ticket: Ticket;
  facts: JqlFacts;
  fields: Record<string, unknown>;
  renderedFields: Record<string, unknown>;
}

const issuesView = viewCache((store: Store) => {
  const users = new Map((store.records('users') as unknown as User[]).map((user) => [user.id, user]));
  const projects = new Map((store.records('projects') as unknown as Project[]).map((project) => [project.id, project]));
  const tickets = store.records('tickets') as unknown as Ticket[];
  const byId = new Map(tickets.map((ticket) => [ticket.id, ticket]));
  const issues: JiraIssue[] = [];
  for (const ticket of tickets) {
    const project = projects.get(ticket.project_id);
    const status = STATUS[ticket.status];
    const parent = ticket.parent_id === null ? undefined : byId.get(ticket.parent_id);
    const assignee = ticket.assignee_id === null ? undefined : users.get(ticket.assignee_id);
    const reporter = users.get(ticket.reporter_id);
    const fields: Record<string, unknown> = {
      summary: ticket.summary,
      description: adf(ticket.description),
      status: { id: status.id, name: status.name, statusCategory: status.category },
      priority: ticket.priority === null ? null : PRIORITY[ticket.priority],
      issuetype: ISSUE_TYPE[ticket.type],
      project: project === undefined ? null : { id: String(project.id), key: project.key, name: project.name },
      assignee: jiraUser(assignee),
      reporter: jiraUser(reporter),
      parent: parent === undefined ? null : { id: String(parent.id), key: parent.key, fields: { summary: parent.summary } },
      labels: ticket.labels,
      duedate: ticket.due_date,
      resolution: ticket.status === 'resolved' ? { id: '10000', name: 'Done' } : null,
      resolutiondate: ticket.resolved_at === null ? null : jiraTime(ticket.resolved_at),
      created: jiraTime(ticket.created_at),
      updated: jiraTime(ticket.updated_at),
      comment: { total: ticket.comments_count },
    };
    issues.push({
      ticket,
      fields,
      renderedFields: { description: html(ticket.description) },
      facts: {
        project: project === undefined ? [] : [project.key, String(project.id)],
        key: ticket.key,
        id: String(ticket.id),
        status: status.name,
        statuscategory: status.category.name,
        issuetype: ISSUE_TYPE[ticket.type].name,
        priority: ticket.priority === null ? null : PRIORITY[ticket.priority].name,
        labels: ticket.labels,
        assignee: assignee === undefined ? null : jiraAccountId(assignee),
        reporter: reporter === undefined ? null : jiraAccountId(reporter),
        created: timeOf(ticket.created_at),
        updated: timeOf(ticket.updated_at),
        resolved: ticket.resolved_at === null ? null : timeOf(ticket.resolved_at),
        summary: ticket.summary,
        text: `${ticket.summary} ${ticket.description ?? ''}`,
      },
    });
  }
  return { issues, byIdOrKey: new Map(issues.flatMap((issue) => [[String(issue.ticket.id), issue] as const, [issue.ticket.key.toUpperCase(), issue] as const])) };
});

/** An issue as Jira returns it, with only the requested fields and expansions. */
function issueJson(issue: JiraIssue, fields: readonly string[] | null, expand: readonly string[]): Record<string, unknown> {
  const selected = fields === null ? issue.fields : Object.fromEntries(Object.entries(issue.fields).filter(([name]) => fields.includes(name)));
  return {
    expand: 'operations,versionedRepresentations,editmeta,changelog,renderedFields',
    id: String(issue.ticket.id),
    key: issue.ticket.key,
    fields: selected,
    ...(expand.includes('renderedFields') ? { renderedFields: issue.renderedFields } : {}),
  };
}

interface SearchParams {
  jql: string;
  startAt: number;
  maxResults: number;
  fields: string[] | null;
  expand: string[];
}

function listParam(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String);
  if (typeof value === 'string') return value.split(',').map((item) => item.trim()).filter((item) => item !== '');
  return [];
}

function fieldsParam(value: unknown): string[] | null {
  const fields = listParam(value);
  return fields.length === 0 || fields.includes('*all') || fields.includes('*navigable') ? null : fields;
}

function searchParams(ctx: RequestContext): Parsed<SearchParams> {
  if (ctx.method === 'POST') {
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(ctx.body ?? '{}') as Record<string, unknown>;
    } catch {
      return { ok: false, reply: problem('jira', 400, 'invalid_json', 'The request body is not valid JSON.') };
    }
    const number = (name: string, fallback: number) => (typeof body[name] === 'number' ? (body[name] as number) : fallback);
    const startAt = number('startAt', 0);
    const maxResults = number('maxResults', 50);
    if (!Number.isInteger(startAt) || startAt < 0 || !Number.isInteger(maxResults) || maxResults < 0) {
      return { ok: false, reply: problem('jira', 400, 'invalid_parameter', 'startAt and maxResults must be non-negative integers.') };
    }
    return { ok: true, value: { jql: String(body['jql'] ?? ''), startAt, maxResults: Math.min(maxResults, 100), fields: fieldsParam(body['fields']), expand: listParam(body['expand']) } };
  }
  const startAt = intParam(ctx, 'jira', 'startAt', { default: 0, min: 0 });
  if (!startAt.ok) return startAt;
  const maxResults = intParam(ctx, 'jira', 'maxResults', { default: 50, min: 0, max: 100 });
  if (!maxResults.ok) return maxResults;
  return {
    ok: true,
    value: { jql: ctx.query.get('jql') ?? '', startAt: startAt.value, maxResults: maxResults.value, fields: fieldsParam(ctx.query.get('fields')), expand: listParam(ctx.query.get('expand')) },
  };
}

const ORDER_KEYS: Record<string, (issue: JiraIssue) => number> = {
  created: (issue) => issue.facts.created,
  updated: (issue) => issue.facts.updated,
  id: (issue) => issue.ticket.id,
  key: (issue) => issue.ticket.project_id * 1_000_000 + Number(issue.ticket.key.slice(issue.ticket.key.lastIndexOf('-') + 1)),
};

function search(ctx: RequestContext, { store }: Services): Reply {
  const params = searchParams(ctx);
  if (!params.ok) return params.reply;
  const { jql, startAt, maxResults, fields, expand } = params.value;
  let query;
  try {
    query = parseJql(jql);
  } catch (error) {
    if (error instanceof JqlError) return problem('jira', 400, 'invalid_parameter', error.message);
    throw error;
  }
  const key = ORDER_KEYS[query.order.field] as (issue: JiraIssue) => number;
  const direction = query.order.descending ? -1 : 1;
  const matching = issuesView(store)
    .issues.filter((issue) => query.test(issue.facts))
    .sort((a, b) => (key(a) - key(b) || a.ticket.id - b.ticket.id) * direction);
  const page = offsetPage(ctx, matching, startAt, maxResults);
  return jsonReply(200, {
    expand: 'names,schema',
    startAt,
    maxResults,
    total: page.total,
    issues: page.records.map((issue) => issueJson(issue, fields, expand)),
  });
}

function issueOf(ctx: RequestContext, store: Store): JiraIssue | Reply {
  const idOrKey = (ctx.params['idOrKey'] ?? '').toUpperCase();
  return issuesView(store).byIdOrKey.get(idOrKey) ?? problem('jira', 404, 'not_found', 'Issue does not exist or you do not have permission to see it.');
}

function getIssue(ctx: RequestContext, { store }: Services): Reply {
  const issue = issueOf(ctx, store);
  if ('status' in issue) return issue;
  return jsonReply(200, issueJson(issue, fieldsParam(ctx.query.get('fields')), listParam(ctx.query.get('expand'))));
}

const commentsView = viewCache((store: Store) => {
  const users = new Map((store.records('users') as unknown as User[]).map((user) => [user.id, user]));
  const byTicket = new Map<number, { comment: Comment; json: Record<string, unknown> }[]>();
  for (const comment of store.records('comments') as unknown as Comment[]) {
    const author = jiraUser(users.get(comment.author_id));
    const list = byTicket.get(comment.ticket_id) ?? [];
    list.push({
      comment,
      json: {
        id: String(comment.id),
        author,
        body: adf(comment.body),
        updateAuthor: author,
        created: jiraTime(comment.created_at),
        updated: jiraTime(comment.updated_at),
        jsdPublic: comment.public,
        ...(comment.public ? {} : { visibility: { type: 'role', value: 'Developers', identifier: 'Developers' } }),
      },
    });
    byTicket.set(comment.ticket_id, list);
  }
  return byTicket;
});

function listComments(ctx: RequestContext, { store }: Services): Reply {
  const issue = issueOf(ctx, store);
  if ('status' in issue) return issue;
  const startAt = intParam(ctx, 'jira', 'startAt', { default: 0, min: 0 });
  if (!startAt.ok) return startAt.reply;
  const maxResults = intParam(ctx, 'jira', 'maxResults', { default: 50, min: 0, max: 100 });
  if (!maxResults.ok) return maxResults.reply;
  const descending = ctx.query.get('orderBy') === '-created';
  const comments = [...(commentsView(store).get(issue.ticket.id) ?? [])].sort(
    (a, b) => (timeOf(a.comment.created_at) - timeOf(b.comment.created_at) || a.comment.id - b.comment.id) * (descending ? -1 : 1),
  );
  const page = offsetPage(ctx, comments, startAt.value, maxResults.value);
  return jsonReply(200, { startAt: startAt.value, maxResults: maxResults.value, total: page.total, comments: page.records.map((item) => item.json) });
}

export const jiraRoutes: Route[] = [
  { method: 'GET', pattern: '/rest/api/3/search', style: 'jira', authenticated: true, handle: search },
  { method: 'POST', pattern: '/rest/api/3/search', style: 'jira', authenticated: true, handle: search },
  { method: 'GET', pattern: '/rest/api/3/issue/:idOrKey', style: 'jira', authenticated: true, handle: getIssue },
  { method: 'GET', pattern: '/rest/api/3/issue/:idOrKey/comment', style: 'jira', authenticated: true, handle: listComments },
];
