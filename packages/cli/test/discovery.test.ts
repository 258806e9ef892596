// The discovery commands as a person runs them: discover a description, draft a connector from it, serve its mock,
// test the draft against the mock, and probe an endpoint of an API that has no description.
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { canary, local, pullpush, until, useTempDirs, useTestApis, writeJson } from './support.ts';

const tempDir = useTempDirs();
const serve = useTestApis();

const description = {
  openapi: '3.0.3',
  info: { title: 'Help Desk', version: '1.2' },
  servers: [{ url: 'https://desk.example.com/api' }],
  components: { securitySchemes: { token: { type: 'http', scheme: 'bearer' } } },
  security: [{ token: [] }],
  paths: {
    '/tickets': {
      get: {
        operationId: 'listTickets',
        parameters: [
          { name: 'page', in: 'query', schema: { type: 'integer' } },
          { name: 'per_page', in: 'query', schema: { type: 'integer', maximum: 50 } },
        ],
        responses: {
          200: {
            description: 'tickets',
            content: { 'application/json': { schema: { type: 'object', properties: { tickets: { type: 'array', items: { type: 'object', properties: { id: { type: 'integer' }, subject: { type: 'string' } } } }, meta: { type: 'object', properties: { total_pages: { type: 'integer' } } } } } } },
          },
        },
      },
    },
  },
};

describe.concurrent('pullpush discover, draft and mock', () => {
  it('discover lists the list operations with their pagination; --json gives the model', { timeout: 60_000 }, async () => {
    const dir = tempDir();
    const file = writeJson(dir, 'openapi.json', description);
    const text = await pullpush(['discover', file, '--evidence'], { cwd: dir });
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('Help Desk 1.2 (openapi-3.0)');
    expect(text.stdout).toContain('GET /tickets');
    expect(text.stdout).toContain('pages page 0.85');
    expect(text.stdout).toContain('query parameter page takes the page number');
    const json = await pullpush(['discover', file, '--json'], { cwd: dir });
    expect(JSON.parse(json.stdout)).toMatchObject({ title: 'Help Desk', listOperations: [{ id: 'listTickets', pagination: { spec: { kind: 'page' } } }] });
  });

  it('discover of a file that is not a description: exit 1 with the code and a hint', { timeout: 60_000 }, async () => {
    const dir = tempDir();
    const file = writeJson(dir, 'package.json', { name: 'not-an-api' });
    const result = await pullpush(['discover', file], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('DISCOVERY_NOT_A_DESCRIPTION');
    expect(result.stderr).toContain('hint');
  });

  it('draft -o writes the definition and its report; the mock serves it; test passes against the mock', { timeout: 120_000 }, async () => {
    const dir = tempDir();
    const file = writeJson(dir, 'openapi.json', description);
    const drafted = await pullpush(['draft', file, '-o', join(dir, 'desk.json')], { cwd: dir });
    expect(drafted.code).toBe(0);
    expect(drafted.stderr).toContain('wrote');
    const definition = JSON.parse(readFileSync(join(dir, 'desk.json'), 'utf8')) as { streams: Record<string, { pagination: unknown }> };
    expect(definition.streams['tickets']?.pagination).toMatchObject({ kind: 'page', totalPages: { from: 'body', path: 'meta.total_pages' } });
    const report = JSON.parse(readFileSync(join(dir, 'desk.report.json'), 'utf8')) as { streams: Array<{ choices: Array<{ pointer: string }> }> };
    expect(report.streams[0]?.choices.map((choice) => choice.pointer)).toContain('/streams/tickets/pagination');
    expect((await pullpush(['validate', join(dir, 'desk.json')], { cwd: dir })).code).toBe(0);

    let stdout = '';
    let child: ChildProcess | undefined;
    const mock = pullpush(['mock', file, '--records', '30'], {
      cwd: dir,
      onSpawn: (spawned) => {
        child = spawned;
        spawned.stdout?.on('data', (chunk: string) => (stdout += chunk));
      },
    });
    await until(() => /at (http:\S+)/.test(stdout), 60_000);
    const url = /at (http:\S+)/.exec(stdout)?.[1] as string;
    const config = writeJson(dir, 'mock.config.json', { accessToken: 'mock-access-token' });
    const tested = await pullpush(['test', join(dir, 'desk.json'), '--config', config, '--json', ...local({ url })], { cwd: dir });
    expect(tested.code).toBe(0);
    expect(JSON.parse(tested.stdout)).toMatchObject({ verdict: 'pass', streams: [{ stream: 'tickets', pages: 3, records: 30 }] });
    const wrong = writeJson(dir, 'wrong.config.json', { accessToken: 'nope' });
    const refused = await pullpush(['test', join(dir, 'desk.json'), '--config', wrong, '--json', ...local({ url })], { cwd: dir });
    expect(refused.code).toBe(1);
    // The mock runs until interrupted.
    child?.kill('SIGINT');
    const ended = await mock;
    expect(ended.code).toBe(0);
    expect(ended.stderr).toMatch(/Served \d+ requests/);
  });
});

describe.concurrent('pullpush probe', () => {
  it('names the pagination of an endpoint and never prints the credential', { timeout: 60_000 }, async () => {
    const token = canary('tok');
    const api = await serve({ auth: { kind: 'bearer', token } });
    const dir = tempDir();
    const result = await pullpush(['probe', `${api.url}/cursor/customers?limit=3`, '--auth', 'bearer', '--allow-private-network', '--allow-insecure-http'], { cwd: dir, env: { PULLPUSH_ACCESS_TOKEN: token } });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('pagination: cursor');
    expect(result.stdout).toContain('records: data, 3 on this page');
    expect(result.stdout + result.stderr).not.toContain(token);
    const json = await pullpush(['probe', `${api.url}/offset/customers?limit=3`, '--auth', 'bearer', '--json', '--allow-private-network', '--allow-insecure-http'], { cwd: dir, env: { PULLPUSH_ACCESS_TOKEN: token } });
    expect(JSON.parse(json.stdout)).toMatchObject({ pagination: { spec: { kind: 'offset' } }, records: { path: 'items', count: 3 } });
    expect(json.stdout).not.toContain(token);
  });

  it('refuses an --auth it does not know (usage error) and a missing credential (exit 1)', { timeout: 60_000 }, async () => {
    const dir = tempDir();
    expect((await pullpush(['probe', 'https://api.example.com/items', '--auth', 'magic'], { cwd: dir })).code).toBe(2);
    const missing = await pullpush(['probe', 'https://api.example.com/items', '--auth', 'bearer'], { cwd: dir });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('accessToken');
  });
});
