// A Redmine-shaped self-hosted ticketing API (REST API, JSON) over the projects, tickets and workspace members:
//   GET /redmine/issues.json    ?offset&limit (25, clamped to 100)&page&sort (id:desc)&status_id (open)&project_id
//                               &updated_on&created_on → { issues, total_count, offset, limit }
//   GET /redmine/projects.json  ?offset&limit → { projects, total_count, offset, limit }
//   GET /redmine/my/account.json → { user } (the workspace owner; the API key is never echoed)
// As in Redmine: offsets and limits never fail (bad ones fall back to the defaults), issues default to the open ones,
// newest id first, ties broken by id descending; date filters take Redmine's operators (>=, <=, ><) on timestamps
// written with whole seconds and refuse anything else, fractional seconds included, with 422. Issues and projects
// are public data: without valid credentials (see the server's publicRoutes) they show the public projects only.
import type { ApiKeyAuth } from '../auth.ts';
import type { Project, Ticket, TicketPriority, TicketStatus, TicketType, User } from '../data/types.ts';
import { jsonReply, problem, type Reply, type RequestContext } from '../http.ts';
import { integerUserId } from '../integer-ids.ts';
import type { Route, Services } from '../router.ts';
import type { Store } from '../store.ts';
import { dateOnly, isCalendarDate, timeOf } from '../time.ts';
import { viewCache } from '../views.ts';

/** Where Redmine takes the API key: the X-Redmine-API-Key header or the `key` query parameter. */
export function redmineAuth(key: string): ApiKeyAuth {
  return { kind: 'apiKey', in: 'header', name: 'X-Redmine-API-Key', value: key, alsoIn: [{ in: 'query', name: 'key' }] };
}

/** The Redmine routes that serve public data without valid credentials (the server's default publicRoutes). */
export const REDMINE_PUBLIC_ROUTES: readonly string[] = Object.freeze(['/redmine/issues.json', '/redmine/projects.json']);

const TRACKERS: Record<TicketType, { id: number; name: string }> = {
  bug: { id: 1, name: 'Bug' },
  story: { id: 2, name: 'Feature' },
  epic: { id: 2, name: 'Feature' },
  task: { id: 4, name: 'Task' },
  subtask: { id: 4, name: 'Task' },
};

/** Redmine's default statuses; only Closed counts as closed (Resolved does not, as in a fresh Redmine). */
const STATUSES: Record<TicketStatus, { id: number; name: string; is_closed: boolean }> = {
  open: { id: 1, name: 'New', is_closed: false },
  in_progress: { id: 2, name: 'In Progress', is_closed: false },
  resolved: { id: 3, name: 'Resolved', is_closed: false },
  closed: { id: 5, name: 'Closed', is_closed: true },
};
const STATUS_IDS = new Set(Object.values(STATUSES).map((status) => status.id));

const PRIORITIES: Record<TicketPriority | 'none', { id: number; name: string }> = {
  lowest: { id: 1, name: 'Low' },
  low: { id: 1, name: 'Low' },
  none: { id: 2, name: 'Normal' },
  medium: { id: 2, name: 'Normal' },
  high: { id: 3, name: 'High' },
  highest: { id: 4, name: 'Urgent' },
};

const DONE_RATIO: Record<TicketStatus, number> = { open: 0, in_progress: 50, resolved: 100, closed: 100 };

interface RedmineProject {
  project: Project;
  isPublic: boolean;
  json: Record<string, unknown>;
}

interface RedmineIssue {
  ticket: Ticket;
  statusId: number;
  isClosed: boolean;
  json: Record<string, unknown>;
}

interface RedmineView {
  projects: RedmineProject[];
  /** By id and by identifier (lower case). */
  projectsByRef: Map<string, RedmineProject>;
  issues: RedmineIssue[];
}

/** Public unless a test set `is_public` on the project record; by default every project whose id % 3 === 2 is private. */
function isPublicProject(project: Project): boolean {
  const flag = (project as unknown as Record<string, unknown>)['is_public'];
  return typeof flag === 'boolean' ? flag : project.id % 3 !== 2;
}

function named(user: User | undefined): { id: number; name: string } | undefined {
  return user === undefined ? undefined : { id: integerUserId(user), name: user.real_name };
}

const redmineView = viewCache((store: Store): RedmineView => {
  const users = new Map((store.records('users') as unknown as User[]).map((user) => [user.id, user]));
  const projects = (store.records('projects') as unknown as Project[])
    .map((project) => ({
      project,
      isPublic: isPublicProject(project),
      json: {
        id: project.id,
        name: project.name,
        identifier: project.key.toLowerCase(),
        description: `${project.name} (${project.key})`,
        homepage: '',
        status: 1,
        is_public: isPublicProject(project),
        inherit_members: false,
        created_on: project.created_at,
        updated_on: project.updated_at,
      },
    }))
    .sort((a, b) => a.project.id - b.project.id);
  const projectsByRef = new Map<string, RedmineProject>();
  for (const item of projects) {
    projectsByRef.set(String(item.project.id), item);
    projectsByRef.set(item.project.key.toLowerCase(), item);
  }
  const byId = new Map(projects.map((item) => [item.project.id, item]));
  const issues = (store.records('tickets') as unknown as Ticket[]).map((ticket): RedmineIssue => {
    const status = STATUSES[ticket.status];
    const project = byId.get(ticket.project_id)?.project;
    const assignee = ticket.assignee_id === null ? undefined : named(users.get(ticket.assignee_id));
    const json: Record<string, unknown> = {
      id: ticket.id,
      project: project === undefined ? { id: ticket.project_id, name: '' } : { id: project.id, name: project.name },
      tracker: TRACKERS[ticket.type],
      status,
      priority: PRIORITIES[ticket.priority ?? 'none'],
      author: named(users.get(ticket.reporter_id)) ?? { id: 2, name: 'Anonymous' },
      // Redmine leaves assigned_to and parent out when there are none.
      ...(assignee === undefined ? {} : { assigned_to: assignee }),
      ...(ticket.parent_id === null ? {} : { parent: { id: ticket.parent_id } }),
      subject: ticket.summary,
      description: ticket.description ?? '',
      start_date: dateOnly(timeOf(ticket.created_at)),
      due_date: ticket.due_date,
      done_ratio: DONE_RATIO[ticket.status],
      is_private: false,
      estimated_hours: null,
      created_on: ticket.created_at,
      updated_on: ticket.updated_at,
      closed_on: status.is_closed ? (ticket.resolved_at ?? ticket.updated_at) : null,
    };
    return { ticket, statusId: status.id, isClosed: status.is_closed, json };
  });
  return { projects, projectsByRef, issues };
});

/** Ruby's String#to_i, which Redmine applies to offset and limit: leading digits, else 0. */
function rubyInteger(raw: string | null): number {
  const match = /^\s*([+-]?\d+)/.exec(raw ?? '');
  return match === null ? 0 : Number(match[1]);
}

/** Redmine's api_offset_and_limit: limit below 1 → 25, above 100 → 100; offset below 0 → 0; page when no offset. */
function offsetAndLimit(query: URLSearchParams): { offset: number; limit: number } {
  let limit = rubyInteger(query.get('limit'));
  if (limit < 1) limit = 25;
  else if (limit > 100) limit = 100;
  const offsetText = query.get('offset');
  const pageText = query.get('page');
  let offset: number;
  if (offsetText !== null && offsetText.trim() !== '') offset = rubyInteger(offsetText);
  else if (pageText !== null && pageText.trim() !== '') offset = (rubyInteger(pageText) - 1) * limit;
  else offset = 0;
  return { offset: Math.max(0, offset), limit };
}

const DAY_MS = 86_400_000;
const FILTER_TIME = /^(\d{4}-\d{2}-\d{2})(?:T(\d{2})(?::(\d{2})(?::(\d{2}))?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** The first and last second a filter value covers: a whole day for a date, one second for a timestamp. */
function spanOf(value: string): { from: number; to: number; dateOnly: boolean } | undefined {
  const match = FILTER_TIME.exec(value);
  if (match === null || !isCalendarDate(match[1] as string)) return undefined;
  const [, date, hour, minute = '00', second = '00', zone = 'Z'] = match;
  if (hour === undefined) {
    const from = Date.parse(`${date}T00:00:00Z`);
    return { from, to: from + DAY_MS - 1000, dateOnly: true };
  }
  if (Number(hour) > 23 || Number(minute) > 59 || Number(second) > 59) return undefined;
  const offset = zone === 'Z' ? 'Z' : `${zone.slice(0, 3)}:${zone.slice(-2)}`;
  const at = Date.parse(`${date}T${hour}:${minute}:${second}${offset}`);
  return Number.isNaN(at) ? undefined : { from: at, to: at, dateOnly: false };
}

/**
 * A Redmine date filter: `>=T`, `<=T`, `><T1|T2` (all inclusive), or a bare date (that whole day, UTC). T is a
 * date or a timestamp with whole seconds; a bare timestamp, fractional seconds or any other form is undefined.
 */
function dateFilter(raw: string): ((ms: number) => boolean) | undefined {
  if (raw.startsWith('><')) {
    const parts = raw.slice(2).split('|');
    const from = parts.length === 2 ? spanOf(parts[0] as string) : undefined;
    const to = parts.length === 2 ? spanOf(parts[1] as string) : undefined;
    return from === undefined || to === undefined ? undefined : (ms) => ms >= from.from && ms <= to.to;
  }
  if (raw.startsWith('>=') || raw.startsWith('<=')) {
    const span = spanOf(raw.slice(2));
    if (span === undefined) return undefined;
    return raw.startsWith('>=') ? (ms) => ms >= span.from : (ms) => ms <= span.to;
  }
  const day = spanOf(raw);
  return day?.dateOnly === true ? (ms) => ms >= day.from && ms <= day.to : undefined;
}

/** status_id: open (default), closed, * (all), or status ids joined by |. */
function statusFilter(raw: string | null): ((issue: RedmineIssue) => boolean) | undefined {
  const value = raw === null || raw === '' ? 'open' : raw;
  if (value === 'open' || value === 'o') return (issue) => !issue.isClosed;
  if (value === 'closed' || value === 'c') return (issue) => issue.isClosed;
  if (value === '*') return () => true;
  const ids = value.split('|').map(Number);
  if (!ids.every((id) => STATUS_IDS.has(id))) return undefined;
  return (issue) => ids.includes(issue.statusId);
}

const SORT_KEYS: Record<string, (issue: RedmineIssue) => number> = {
  id: (issue) => issue.ticket.id,
  updated_on: (issue) => timeOf(issue.ticket.updated_at),
  created_on: (issue) => timeOf(issue.ticket.created_at),
};

/**
 * `sort=field[:desc][,field[:desc]…]` over id, updated_on and created_on; unknown fields are ignored, as Redmine
 * does, and id descending is appended as the last criterion (Redmine's tie-breaker), which is also the default.
 */
function issueOrder(raw: string | null): (a: RedmineIssue, b: RedmineIssue) => number {
  const criteria = (raw ?? '')
    .split(',')
    .map((part) => part.trim().split(':'))
    .filter(([field]) => field !== undefined && Object.hasOwn(SORT_KEYS, field))
    .map(([field, direction]) => ({ key: SORT_KEYS[field as string] as (issue: RedmineIssue) => number, field, sign: direction === 'desc' ? -1 : 1 }))
    .slice(0, 3);
  if (!criteria.some((criterion) => criterion.field === 'id')) criteria.push({ key: SORT_KEYS['id'] as (issue: RedmineIssue) => number, field: 'id', sign: -1 });
  return (a, b) => {
    for (const { key, sign } of criteria) {
      const order = (key(a) - key(b)) * sign;
      if (order !== 0) return order;
    }
    return 0;
  };
}

const invalid = (label: string): Reply => jsonReply(422, { errors: [`${label} is invalid`] });

function listIssues(ctx: RequestContext, { store }: Services): Reply {
  const view = redmineView(store);
  const { offset, limit } = offsetAndLimit(ctx.query);
  let issues = view.issues.filter((issue) => !ctx.anonymous || view.projectsByRef.get(String(issue.ticket.project_id))?.isPublic === true);

  const projectRef = ctx.query.get('project_id');
  if (projectRef !== null && projectRef !== '') {
    const project = view.projectsByRef.get(projectRef.toLowerCase());
    if (project === undefined) return problem('redmine', 404, 'not_found', `no project ${projectRef}`);
    // A private project asks an anonymous visitor to log in, as Redmine does.
    if (ctx.anonymous && !project.isPublic) return problem('redmine', 401, 'missing_credentials', 'this project is private');
    issues = issues.filter((issue) => issue.ticket.project_id === project.project.id);
  }

  const status = statusFilter(ctx.query.get('status_id'));
  if (status === undefined) return invalid('Status');
  issues = issues.filter(status);

  for (const [param, label, field] of [['updated_on', 'Updated on', 'updated_at'], ['created_on', 'Created on', 'created_at']] as const) {
    const raw = ctx.query.get(param);
    if (raw === null || raw === '') continue;
    const test = dateFilter(raw);
    if (test === undefined) return invalid(label);
    issues = issues.filter((issue) => test(timeOf(issue.ticket[field])));
  }

  const sorted = [...issues].sort(issueOrder(ctx.query.get('sort')));
  return jsonReply(200, { issues: sorted.slice(offset, offset + limit).map((issue) => issue.json), total_count: sorted.length, offset, limit });
}

function listProjects(ctx: RequestContext, { store }: Services): Reply {
  const { offset, limit } = offsetAndLimit(ctx.query);
  const projects = redmineView(store).projects.filter((item) => !ctx.anonymous || item.isPublic);
  return jsonReply(200, { projects: projects.slice(offset, offset + limit).map((item) => item.json), total_count: projects.length, offset, limit });
}

/** The account of the key's owner: the workspace's primary owner. */
function myAccount(_ctx: RequestContext, { store }: Services): Reply {
  const users = store.records('users') as unknown as User[];
  const owner = users.find((user) => user.role === 'primary_owner') ?? users[0];
  if (owner === undefined) return problem('redmine', 404, 'not_found', 'no user');
  const [firstname = '', ...rest] = owner.real_name.split(' ');
  return jsonReply(200, {
    user: {
      id: integerUserId(owner),
      login: owner.name,
      admin: owner.role === 'primary_owner' || owner.role === 'admin',
      firstname,
      lastname: rest.join(' '),
      mail: owner.email,
      created_on: owner.created_at,
      updated_on: owner.updated_at,
      last_login_on: owner.updated_at,
    },
  });
}

export const redmineRoutes: Route[] = [
  { method: 'GET', pattern: '/redmine/issues.json', style: 'redmine', authenticated: true, handle: listIssues },
  { method: 'GET', pattern: '/redmine/projects.json', style: 'redmine', authenticated: true, handle: listProjects },
  { method: 'GET', pattern: '/redmine/my/account.json', style: 'redmine', authenticated: true, handle: myAccount },
];
