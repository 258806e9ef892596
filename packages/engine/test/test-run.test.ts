// The read-only test run of each example definition in @pullpush/schema (Stripe, GitHub, Jira, Slack) against
// testkit's imitation of that API, with testkit's auth set to what the definition sends for the config given.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { validateCanonicalEvent, type CanonicalEvent } from '@pullpush/canonical';
import { describe, expect, it } from 'vitest';
import { renderTestReport, testConnector, type TestReport } from '../src/index.ts';
import { LOCAL, type TestApi, type TestApiOptions, useTestApis } from './support.ts';

type Json = Record<string, unknown>;

const examplesDir = join(dirname(createRequire(import.meta.url).resolve('@pullpush/schema/package.json')), 'examples');
const example = (name: string): Json => JSON.parse(readFileSync(join(examplesDir, `${name}.json`), 'utf8')) as Json;

const apis = useTestApis();

async function serve(auth: TestApiOptions['auth']): Promise<TestApi> {
  const api = await apis.serve({ seed: 21, ...(auth ? { auth } : {}) });
  return api;
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
    streams: ['conversations', 'users'],
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

    expect(report.auth, text).toEqual({ ok: true, error: null });
    expect(report.verdict, text).not.toBe('fail');
    expect(report.streams.map((stream) => stream.stream)).toEqual(streams);
    for (const stream of report.streams) {
      expect(stream.error, `${stream.stream}\n${text}`).toBeNull();
      expect(stream.failures, `${stream.stream}\n${text}`).toEqual([]);
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
  const api = await serve({ kind: 'bearer', token: 'xoxb-1111-2222-TestkitToken' });
  const report = await testConnector(example('slack'), { token: 'xoxb-1111-2222-TestkitToken' }, { ...LOCAL, baseUrl: `${api.url}/api`, maxRecords: 2 });
  const text = renderTestReport(report);
  expect(report.verdict).toBe('pass');
  expect(text).toContain('PASS slack 1.0.0');
  expect(text).toContain('  auth: ok');
  expect(text).toContain('PASS conversations (raw): 2 records');
  expect(text).toContain('PASS users → common.user@1: 2 records');
  expect(text).toContain('note: Stopped at the test limit (record-limit)');
  expect(text).toMatch(/GET http:\/\/127\.0\.0\.1:\d+\/api\/users\.list\?include_locale=true&limit=200 → 200/);
});
