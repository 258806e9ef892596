// A ready-made PullPush connector definition for testkit's Redmine-like API (`/redmine`), written as a connector
// for a real self-hosted Redmine is: the base URL comes from the connection config, issues page by offset with a
// total (the server clamps the page size to 100), the incremental filter uses Redmine's operator syntax with whole
// seconds, projects are a raw stream, and the check reads the current account, which needs a valid key (issues and
// projects are public data). Only schema *types* are imported: testkit has no runtime dependency of ours.
import type { ConnectorDefinition, StreamSpec } from '@pullpush/schema';

export const REDMINE_CONNECTOR_ID = 'testkit-redmine';

export interface RedmineConnectorOptions {
  /** Issues per page to ask for; the server sends at most 100 (default 100). */
  pageSize?: number;
}

/** The connection config: the Redmine URL (`${api.url}/redmine`) and the API key (a secret). */
export interface RedmineConnectorConfig {
  baseUrl: string;
  apiKey: string;
}

const issues = (pageSize: number): StreamSpec => ({
  description: 'Every issue, open and closed, oldest change first.',
  canonical: 'ticketing.ticket@1',
  request: { path: '/issues.json', query: { status_id: '*', sort: 'updated_on,id' } },
  records: { path: 'issues' },
  primaryKey: ['id'],
  pagination: {
    kind: 'offset',
    offsetParam: { in: 'query', name: 'offset' },
    limitParam: { in: 'query', name: 'limit' },
    limit: pageSize,
    total: { from: 'body', path: 'total_count' },
  },
  incremental: {
    cursorField: 'updated_on',
    format: 'iso8601',
    param: { in: 'query', name: 'updated_on' },
    value: '>={{ $cursor }}',
    requestFormat: 'iso8601Seconds',
  },
  mapping: {
    fields: {
      createdAt: { path: 'created_on' },
      updatedAt: { path: 'updated_on' },
      number: { expr: "'#' & $string(id)" },
      title: { path: 'subject' },
      description: { expr: "description = '' ? null : description" },
      status: {
        expr: "{ 'value': status.id = 1 ? 'open' : status.id = 2 ? 'in_progress' : status.id = 3 ? 'resolved' : status.is_closed ? 'closed' : 'other', 'native': status.name }",
      },
      priority: { expr: "{ 'value': priority.id = 1 ? 'low' : priority.id = 2 ? 'medium' : priority.id = 3 ? 'high' : priority.id = 4 ? 'urgent' : 'other', 'native': priority.name }" },
      type: { expr: "{ 'value': tracker.id = 1 ? 'bug' : tracker.id = 2 ? 'story' : tracker.id = 4 ? 'task' : 'other', 'native': tracker.name }" },
      projectId: { expr: '$string(project.id)' },
      assigneeId: { expr: 'assigned_to ? $string(assigned_to.id) : null' },
      reporterId: { expr: '$string(author.id)' },
      parentId: { expr: 'parent ? $string(parent.id) : null' },
      dueDate: { path: 'due_date' },
      resolvedAt: { path: 'closed_on' },
    },
  },
});

/** The definition: streams `account` (the check), `projects` (raw) and `issues` (ticketing.ticket@1). */
export function redmineConnectorDefinition(options: RedmineConnectorOptions = {}): ConnectorDefinition {
  return {
    dsl: 'pullpush/v1',
    id: REDMINE_CONNECTOR_ID,
    name: 'Redmine (testkit)',
    version: '1.0.0',
    description: 'Issues and projects of a self-hosted Redmine, as testkit serves them under /redmine.',
    config: {
      type: 'object',
      required: ['baseUrl', 'apiKey'],
      properties: {
        baseUrl: { type: 'string', format: 'uri', description: 'The Redmine URL: https://redmine.example.com.' },
        apiKey: { type: 'string', secret: true, description: 'An API key (My account → API access key).' },
      },
    },
    http: { baseUrl: '{{ $config.baseUrl }}' },
    auth: { kind: 'apiKey', in: 'header', name: 'X-Redmine-API-Key', value: '{{ $config.apiKey }}' },
    rateLimits: { maxConcurrency: 2 },
    streams: {
      account: { description: 'The account the key belongs to: proves the key works.', request: { path: '/my/account.json' }, records: { path: 'user', single: true }, primaryKey: ['id'] },
      projects: {
        description: 'Projects: no canonical type fits them, so they are a raw stream.',
        request: { path: '/projects.json' },
        records: { path: 'projects' },
        primaryKey: ['id'],
        pagination: { kind: 'offset', offsetParam: { in: 'query', name: 'offset' }, limitParam: { in: 'query', name: 'limit' }, limit: 100, total: { from: 'body', path: 'total_count' } },
      },
      issues: issues(options.pageSize ?? 100),
    },
    check: { stream: 'account' },
  };
}
