// The read-only test run of each example definition in @pullpush/schema (Stripe, GitHub, Jira, Slack) against
// testkit's imitation of that API, with testkit's auth set to what the definition sends for the config given.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { validateCanonicalEvent, type CanonicalEvent } from '@pullpush/canonical';
import { describe, expect, it } from 'vitest';
import { renderTestReport, testConnector, type TestReport } from '../src/index.ts';
import { redmineAuth, redmineConnectorDefinition } from '@pullpush/testkit';
import { LOCAL, type TestApi, type TestApiOptions, useTestApis } from './support.ts';

type Json = Record<string, unknown>;

const examplesDir = join(dirname(createRequire(import.meta.url).resolve('@pullpush/schema/package.json')), 'examples');
const example = (name: string): Json => JSON.parse(readFileSync(join(examplesDir, `${name}.json`), 'utf8')) as Json;

const apis = useTestApis();

async function serve(auth: TestApiOptions['auth'], dataset: TestApiOptions['dataset'] = {}): Promise<TestApi> {
  return apis.serve({ seed: 21, dataset, ...(auth ? { auth } : {}) });
}

interface Case {
  name: string;
  auth: TestApiOptions['auth'];
  config: (api: TestApi) => Json;
  baseUrl: (api: TestApi) => string;
  streams: string[];
  secrets: string[];
}

const cases: Case[] = [
  {
    name: 'stripe',
    auth: { kind: 'bearer', token: 'sk_test_51TestkitKey0123' },
    config: () => ({ apiKey: 'sk_test_51TestkitKey0123' }),
    baseUrl: (api) => `${api.url}/v1`,
    streams: ['customers', 'invoices'],
    secrets: ['sk_test_51TestkitKey0123'],
  },
  {
    name: 'github',
    auth: { kind: 'bearer', token: 'github_pat_11TESTKIT0123' },
    config: (api) => ({ accessToken: 'github_pat_11TESTKIT0123', repositories: api.data.projects.map((project) => project.repository) }),
    baseUrl: (api) => api.url,
    streams: ['issues'],
    secrets: ['github_pat_11TESTKIT0123'],
  },
  {
    name: 'jira',
    auth: { kind: 'basic', username: 'ops@acme.example', password: 'ATATT3xJiraToken0123' },
    config: () => ({ site: 'acme', email: 'ops@acme.example', apiToken: 'ATATT3xJiraToken0123' }),
    baseUrl: (api) => api.url,
    streams: ['issues', 'comments'],
    secrets: ['ATATT3xJiraToken0123', Buffer.from('ops@acme.example:ATATT3xJiraToken0123').toString('base64')],
  },
  {
    name: 'slack',
    auth: { kind: 'bearer', token: 'xoxb-1111-2222-TestkitToken' },
    config: () => ({ token: 'xoxb-1111-2222-TestkitToken' }),
    baseUrl: (api) => `${api.url}/api`,
    // The check stream (users) is tested first.
    streams: ['users', 'conversations'],
    secrets: ['xoxb-1111-2222-TestkitToken'],
  },
];

function summary(report: TestReport): string {
  return renderTestReport(report);
}

describe.each(cases.map((testCase) => [testCase.name, testCase] as const))('testConnector on examples/%s.json', (_label, { name, auth, config, baseUrl, streams, secrets }) => {
  it('passes: auth works, every stream returns records that map and validate', async () => {
    const api = await serve(auth);
    const report = await testConnector(example(name), config(api), { ...LOCAL, baseUrl: baseUrl(api) });
    const text = summary(report);

    // Every example's check stream needs credentials: a passing check proves them.
    expect(report.auth, text).toMatchObject({ ok: true, error: null, provesCredentials: true });
    expect(report.verdict, text).not.toBe('fail');
    expect(report.streams.map((stream) => stream.stream)).toEqual(streams);
    for (const stream of report.streams) {
      expect(stream.error, `${stream.stream}\n${text}`).toBeNull();
      expect(stream.failures, `${stream.stream}\n${text}`).toEqual([]);
      expect(stream.verdict === 'warn', `${stream.stream}\n${text}`).toBe(!stream.pagination.exercised);
      expect(stream.records, `${stream.stream}\n${text}`).toBeGreaterThan(0);
      expect(stream.pages).toBe(stream.requests.length);
      expect(stream.inferredSchema?.type).toBe('object');
      for (const sample of stream.samples) {
        if (stream.canonical) expect(validateCanonicalEvent(sample as CanonicalEvent)).toEqual([]);
      }
    }
    expect(report.requests).toBeGreaterThan(0);
    // Read-only: nothing but GET reached the API.
    expect(api.requests.every((request) => request.method === 'GET')).toBe(true);

    expect(text).toMatch(/^(PASS|WARN) /);
    for (const stream of streams) expect(text).toMatch(new RegExp(`\\n  (PASS|WARN) ${stream}`));
    for (const secret of secrets) {
      expect(text).not.toContain(secret);
      expect(JSON.stringify(report)).not.toContain(secret);
    }
  });

  it('fails clearly with wrong credentials', async () => {
    const api = await serve(auth);
    const wrong = Object.fromEntries(Object.entries(config(api)).map(([key, value]) => [key, typeof value === 'string' && secrets.includes(value) ? value.replace(/.{4}$/, 'XXXX') : value]));
    const report = await testConnector(example(name), wrong, { ...LOCAL, baseUrl: baseUrl(api) });
    const text = summary(report);
    expect(report.verdict, text).toBe('fail');
    // Slack answers 200 { ok: false }: its response filter turns that into a failure of the check too.
    expect(report.auth.ok, text).toBe(false);
    expect(report.streams).toEqual([]);
    expect(text).toMatch(/^FAIL /);
    for (const value of Object.values(wrong)) if (typeof value === 'string' && value.endsWith('XXXX')) expect(text).not.toContain(value);
  });
});

it('renders stream verdicts, requests and notes as text', async () => {
  // More users and channels than Slack's page of 200: the test walks to a second page of each.
  const api = await serve({ kind: 'bearer', token: 'xoxb-1111-2222-TestkitToken' }, { users: 450, channels: 450 });
  const report = await testConnector(example('slack'), { token: 'xoxb-1111-2222-TestkitToken' }, { ...LOCAL, baseUrl: `${api.url}/api`, maxRecords: 2 });
  const text = renderTestReport(report);
  expect(report.verdict).toBe('pass');
  expect(text).toContain('PASS slack 1.0.0');
  expect(text).toContain('  auth: ok');
  expect(text).toContain('PASS conversations (raw): 2 records, 2 pages');
  expect(text).toContain('PASS users → common.user@1: 2 records, 2 pages');
  expect(text).toContain('note: Stopped at the test limit (record-limit)');
  expect(text).toMatch(/GET http:\/\/127\.0\.0\.1:\d+\/api\/users\.list\?include_locale=true&limit=200 → 200/);
});

describe('a verdict worth its name', () => {
  const KEY = 'redmine-key-7c21e0d94b';
  const redmine = async (dataset: TestApiOptions['dataset'] = { tickets: 300 }) => {
    const api = await apis.serve({ auth: redmineAuth(KEY), dataset });
    return { api, config: { baseUrl: `${api.url}/redmine`, apiKey: KEY } };
  };

  it('reads at least two pages even when the record limit equals the page size, and reports the clamped page size', async () => {
    const { api, config } = await redmine();
    const report = await testConnector(redmineConnectorDefinition({ pageSize: 250 }), config, { ...LOCAL, streams: ['issues'], maxRecords: 100 });
    const issues = report.streams.find((stream) => stream.stream === 'issues');
    expect(issues?.pages).toBe(2);
    expect(issues?.pagination).toMatchObject({ exercised: true, reachedEnd: false, clampedPageSize: { requested: 250, received: 100 } });
    expect(issues?.notes.join(' ')).toContain('100 records per page where 250 were asked for');
    expect(api.requests.filter((request) => request.path === '/redmine/issues.json').map((request) => request.query['offset'])).toEqual(['0', '100']);
  });

  it('tests the check stream first, and passes a check that needs the key', async () => {
    const { config } = await redmine();
    const report = await testConnector(redmineConnectorDefinition(), config, { ...LOCAL, streams: ['issues', 'account'] });
    expect(report.streams.map((stream) => stream.stream)).toEqual(['account', 'issues']);
    expect(report.auth).toMatchObject({ ok: true, checkStream: 'account', provesCredentials: true });
  });

  it('warns when the check stream serves data without credentials: it cannot prove the key', async () => {
    const { config } = await redmine();
    const definition = { ...redmineConnectorDefinition(), check: { stream: 'issues' } };
    const report = await testConnector(definition, config, { ...LOCAL, streams: ['issues'] });
    expect(report.auth).toMatchObject({ ok: true, checkStream: 'issues', provesCredentials: false });
    expect(report.verdict).toBe('warn');
    expect(renderTestReport(report)).toContain('answers without credentials too');
  });

  it('says when pagination could not be exercised: everything came in one page', async () => {
    const { config } = await redmine({ tickets: 30 });
    const report = await testConnector(redmineConnectorDefinition(), config, { ...LOCAL, streams: ['issues'] });
    const issues = report.streams[0];
    expect(issues?.records).toBe(30);
    expect(issues?.pagination).toMatchObject({ exercised: false, reachedEnd: true });
    expect(issues?.verdict).toBe('warn');
    expect(issues?.notes.join(' ')).toContain('Pagination not exercised');
  });

  it('groups failing records by pointer and message, with counts', async () => {
    const { config } = await redmine();
    const definition = redmineConnectorDefinition();
    const issues = definition.streams['issues'] as { mapping: { fields: Record<string, unknown> } };
    issues.mapping.fields['dueDate'] = { const: 'soon' };
    const report = await testConnector(definition, config, { ...LOCAL, streams: ['issues'], maxRecords: 150 });
    const stream = report.streams[0];
    expect(stream?.verdict).toBe('fail');
    expect(stream?.failedRecords).toBe(150);
    expect(stream?.failures).toHaveLength(1);
    expect(stream?.failures[0]).toMatchObject({ pointer: '/dueDate', records: 150 });
    expect(stream?.failures[0]?.remoteIds).toHaveLength(5);
    expect(renderTestReport(report)).toMatch(/150 × \/dueDate: /);
  });

  it('lists a failed request among the requests, with its status and a hint that fits it', async () => {
    const { config } = await redmine();
    const definition = redmineConnectorDefinition();
    const issues = definition.streams['issues'] as { incremental: Record<string, unknown> };
    // As the engine used to send it: milliseconds, which Redmine refuses with 422.
    issues.incremental['requestFormat'] = 'iso8601Millis';
    issues.incremental['startDate'] = '2026-01-01T00:00:00Z';
    const report = await testConnector(definition, config, { ...LOCAL, streams: ['issues'] });
    const stream = report.streams[0];
    expect(stream?.requests).toMatchObject([{ status: 422, failed: true }]);
    expect(stream?.error?.code).toBe('ENGINE_HTTP_STATUS');
    expect(stream?.error?.hint).toContain('incremental parameter');
  });

  it('reads the first partitions of a partitioned stream, and bounds the parent read by the page limit', async () => {
    const api = await apis.serve({ dataset: { projects: 8, tickets: 40 } });
    const doc = {
      dsl: 'pullpush/v1', id: 'p', name: 'P', version: '1.0.0', http: { baseUrl: 'https://api.example.test' }, auth: { kind: 'none' },
      streams: {
        projects: { request: { path: '/offset/projects' }, records: { path: 'items' }, primaryKey: ['id'], pagination: { kind: 'offset', offsetParam: { in: 'query', name: 'offset' }, limitParam: { in: 'query', name: 'limit' }, limit: 2 } },
        tickets: { request: { path: '/cursor/projects/{{ $partition }}/tickets' }, records: { path: 'data' }, primaryKey: ['id'], partitions: { kind: 'parent', stream: 'projects', value: 'id' } },
      },
    };
    const report = await testConnector(doc, {}, { ...LOCAL, baseUrl: api.url, streams: ['tickets'] });
    expect(report.streams[0]?.partitions).toBe(3);
    expect(report.streams[0]?.notes.join(' ')).toContain('first 3 partition(s)');
    api.resetRequests();
    // One page of the parent stream (2 projects) is all the partitions a test with maxPages 1 reads: one request
    // for them, besides the check's (projects, the first stream, is the check stream).
    const bounded = await testConnector(doc, {}, { ...LOCAL, baseUrl: api.url, streams: ['tickets'], maxPages: 1 });
    expect(bounded.streams[0]?.partitions).toBe(2);
    expect(api.requests.filter((request) => request.path === '/offset/projects')).toHaveLength(2);
  });
});
