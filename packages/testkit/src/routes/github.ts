// A GitHub-shaped issues API over the tickets, as packages/schema/examples/github.json reads it (base URL {url}).
// Each project is a repository (`projects[].repository`, e.g. acme/web); an issue's number is its ticket key's
// number. Tickets whose id % 7 === 3 come out as pull requests (with a `pull_request` member), since the real
// endpoint mixes those in.
//   GET /repos/{owner}/{repo}/issues  ?state=open|closed|all (open)&sort=created|updated|comments (created)
//        &direction=asc|desc (desc)&since&labels&per_page (30, max 100)&page → [ … ] with Link (first/prev/next/last)
//   GET /repos/{owner}/{repo}/issues/{number}
//   GET /repos/{owner}/{repo}/issues/{number}/comments  ?since&per_page&page → [ … ] with Link
// A request without a User-Agent (or with an empty one) is refused before its credentials are looked at: 403, an
// HTML body and a closed connection, as api.github.com answers it.
import type { Comment, Project, Ticket, User } from '../data/types.ts';
import { hashString, stableToken } from '../prng.ts';
import { intParam, jsonReply, problem, type Reply, type RequestContext } from '../http.ts';
import { numberedPage } from '../paging.ts';
import type { Route, Services } from '../router.ts';
import type { Store } from '../store.ts';
import { parseClientTime, timeOf } from '../time.ts';
import { viewCache } from '../views.ts';
import { pageLinks } from './styles.ts';

/** Whether a ticket is presented as a pull request on the GitHub-like route. */
export function isPullRequest(ticket: Pick<Ticket, 'id'>): boolean {
  return ticket.id % 7 === 3;
}

const LABEL_COLORS = ['d73a4a', '0075ca', 'a2eeef', '7057ff', '008672', 'e4e669', 'd876e3', 'cfd3d7'];

function githubUser(user: User | undefined): Record<string, unknown> | null {
  if (user === undefined) return null;
  const bot = user.role === 'bot';
  const login = `${user.name.replaceAll('.', '-')}${bot ? '[bot]' : ''}`;
  const id = 1_000_000 + (hashString(user.id) % 90_000_000);
  return { login, id, node_id: `U_${stableToken(0, 'gh-user', user.id, 12)}`, type: bot ? 'Bot' : 'User', site_admin: false, html_url: `https://github.com/${login}` };
}

interface Issue {
  ticket: Ticket;
  number: number;
  json: Record<string, unknown>;
}

interface Repository {
  project: Project;
  issues: Issue[];
  byNumber: Map<number, Issue>;
}

function issueJson(seed: number, project: Project, ticket: Ticket, number: number, users: Map<string, User>): Record<string, unknown> {
  const repo = project.repository;
  const pr = isPullRequest(ticket);
  const closed = ticket.status === 'resolved' || ticket.status === 'closed';
  const assignee = ticket.assignee_id === null ? null : githubUser(users.get(ticket.assignee_id));
  const apiUrl = `https://api.github.com/repos/${repo}/issues/${number}`;
  const htmlUrl = `https://github.com/${repo}/${pr ? 'pull' : 'issues'}/${number}`;
  return {
    url: apiUrl,
    html_url: htmlUrl,
    id: 2_000_000_000 + ticket.id,
    node_id: `I_kwDO${stableToken(seed, 'gh-issue', ticket.id, 16)}`,
    number,
    title: ticket.summary,
    user: githubUser(users.get(ticket.reporter_id)),
    labels: ticket.labels.map((name) => ({
      id: 5_000_000 + (hashString(name) % 1_000_000),
      name,
      color: LABEL_COLORS[hashString(name) % LABEL_COLORS.length],
      default: name === 'bug',
      description: null,
    })),
    state: closed ? 'closed' : 'open',
    state_reason: ticket.status === 'resolved' ? 'completed' : ticket.status === 'closed' ? 'not_planned' : null,
    locked: false,
    assignee,
    assignees: assignee === null ? [] : [assignee],
    milestone:
      ticket.due_date === null
        ? null
        : { id: 9_000_000 + (hashString(ticket.due_date) % 1_000_000), number: 1, title: `Due ${ticket.due_date}`, state: 'open', due_on: `${ticket.due_date}T07:00:00Z` },
    comments: ticket.comments_count,
    created_at: ticket.created_at,
    updated_at: ticket.updated_at,
    closed_at: closed ? ticket.resolved_at : null,
    author_association: users.get(ticket.reporter_id)?.role === 'guest' ? 'CONTRIBUTOR' : 'MEMBER',
    body: ticket.description,
    ...(pr ? { pull_request: { url: `https://api.github.com/repos/${repo}/pulls/${number}`, html_url: htmlUrl, merged_at: ticket.status === 'resolved' ? ticket.resolved_at : null } } : {}),
  };
}

const repositories = viewCache((store: Store) => {
  const users = new Map((store.records('users') as unknown as User[]).map((user) => [user.id, user]));
  const byName = new Map<string, Repository>();
  const byProject = new Map<number, Repository>();
  for (const project of store.records('projects') as unknown as Project[]) {
    const repository: Repository = { project, issues: [], byNumber: new Map() };
    byName.set(project.repository.toLowerCase(), repository);
    byProject.set(project.id, repository);
  }
  for (const ticket of store.records('tickets') as unknown as Ticket[]) {
    const repository = byProject.get(ticket.project_id);
    if (repository === undefined) continue;
    const number = Number(ticket.key.slice(ticket.key.lastIndexOf('-') + 1));
    const issue = { ticket, number, json: issueJson(store.seed, repository.project, ticket, number, users) };
    repository.issues.push(issue);
    repository.byNumber.set(number, issue);
  }
  return byName;
});

const commentsByTicket = viewCache((store: Store) => {
  const users = new Map((store.records('users') as unknown as User[]).map((user) => [user.id, user]));
  const byTicket = new Map<number, { comment: Comment; json: Record<string, unknown> }[]>();
  for (const comment of store.records('comments') as unknown as Comment[]) {
    const list = byTicket.get(comment.ticket_id) ?? [];
    list.push({
      comment,
      json: {
        id: 3_000_000_000 + comment.id,
        node_id: `IC_${stableToken(store.seed, 'gh-comment', comment.id, 16)}`,
        user: githubUser(users.get(comment.author_id)),
        body: comment.body,
        created_at: comment.created_at,
        updated_at: comment.updated_at,
        author_association: 'MEMBER',
      },
    });
    byTicket.set(comment.ticket_id, list);
  }
  for (const list of byTicket.values()) list.sort((a, b) => timeOf(a.comment.created_at) - timeOf(b.comment.created_at) || a.comment.id - b.comment.id);
  return byTicket;
});

function repositoryOf(ctx: RequestContext, store: Store): Repository | Reply {
  const name = `${ctx.params['owner']}/${ctx.params['repo']}`.toLowerCase();
  return repositories(store).get(name) ?? problem('github', 404, 'not_found', 'Not Found');
}

function pageParams(ctx: RequestContext): { page: number; perPage: number } | Reply {
  const perPage = intParam(ctx, 'github', 'per_page', { default: 30, min: 1, max: 100 });
  if (!perPage.ok) return perPage.reply;
  const page = intParam(ctx, 'github', 'page', { default: 1, min: 1 });
  if (!page.ok) return page.reply;
  return { page: page.value, perPage: perPage.value };
}

function sinceOf(ctx: RequestContext): number | undefined | Reply {
  const since = ctx.query.get('since');
  if (since === null || since === '') return undefined;
  return parseClientTime(since) ?? problem('github', 422, 'validation_failed', `Invalid since: ${since}`);
}

function pagedArray<T>(ctx: RequestContext, items: readonly T[], paging: { page: number; perPage: number }, render: (item: T) => unknown): Reply {
  const result = numberedPage(ctx, items, paging.page, paging.perPage);
  const link = pageLinks(ctx, paging.page, result.totalPages, paging.perPage);
  return jsonReply(200, result.records.map(render), link === '' ? {} : { link });
}

const SORT_KEYS: Record<string, (issue: Issue) => number> = {
  created: (issue) => timeOf(issue.ticket.created_at),
  updated: (issue) => timeOf(issue.ticket.updated_at),
  comments: (issue) => issue.ticket.comments_count,
};

function listIssues(ctx: RequestContext, { store }: Services): Reply {
  const repository = repositoryOf(ctx, store);
  if ('status' in repository) return repository;
  const paging = pageParams(ctx);
  if ('status' in paging) return paging;
  const since = sinceOf(ctx);
  if (typeof since === 'object') return since;
  const state = ctx.query.get('state') ?? 'open';
  const sort = ctx.query.get('sort') ?? 'created';
  const direction = ctx.query.get('direction') ?? 'desc';
  const sortKey = SORT_KEYS[sort];
  if (!['open', 'closed', 'all'].includes(state) || sortKey === undefined || !['asc', 'desc'].includes(direction)) {
    return problem('github', 422, 'validation_failed', 'Validation Failed');
  }
  const labels = (ctx.query.get('labels') ?? '').split(',').map((label) => label.trim()).filter((label) => label !== '');
  const issues = repository.issues
    .filter((issue) => state === 'all' || issue.json['state'] === state)
    .filter((issue) => since === undefined || timeOf(issue.ticket.updated_at) >= since)
    .filter((issue) => labels.every((label) => issue.ticket.labels.includes(label)))
    .sort((a, b) => (sortKey(a) - sortKey(b) || a.ticket.id - b.ticket.id) * (direction === 'asc' ? 1 : -1));
  return pagedArray(ctx, issues, paging, (issue) => issue.json);
}

function issueOf(ctx: RequestContext, store: Store): Issue | Reply {
  const repository = repositoryOf(ctx, store);
  if ('status' in repository) return repository;
  return repository.byNumber.get(Number(ctx.params['number'])) ?? problem('github', 404, 'not_found', 'Not Found');
}

function getIssue(ctx: RequestContext, { store }: Services): Reply {
  const issue = issueOf(ctx, store);
  return 'status' in issue ? issue : jsonReply(200, issue.json);
}

function listComments(ctx: RequestContext, { store }: Services): Reply {
  const issue = issueOf(ctx, store);
  if ('status' in issue) return issue;
  const paging = pageParams(ctx);
  if ('status' in paging) return paging;
  const since = sinceOf(ctx);
  if (typeof since === 'object') return since;
  const comments = (commentsByTicket(store).get(issue.ticket.id) ?? []).filter((item) => since === undefined || timeOf(item.comment.updated_at) >= since);
  return pagedArray(ctx, comments, paging, (item) => item.json);
}

/** GitHub's answer to a request without a User-Agent (Route.withoutUserAgent). */
function userAgentRefusal(): Reply {
  return {
    status: 403,
    headers: { 'content-type': 'text/html', connection: 'close' },
    body: 'Request forbidden by administrative rules. Please make sure your request has a User-Agent header (https://docs.github.com/en/rest/overview/resources-in-the-rest-api#user-agent-required).\n',
  };
}

export const githubRoutes: Route[] = [
  { method: 'GET', pattern: '/repos/:owner/:repo/issues', style: 'github', authenticated: true, withoutUserAgent: userAgentRefusal, handle: listIssues },
  { method: 'GET', pattern: '/repos/:owner/:repo/issues/:number', style: 'github', authenticated: true, withoutUserAgent: userAgentRefusal, handle: getIssue },
  { method: 'GET', pattern: '/repos/:owner/:repo/issues/:number/comments', style: 'github', authenticated: true, withoutUserAgent: userAgentRefusal, handle: listComments },
];
