// Connection tools through the real MCP client against a real testkit API: configs checked against the
// definition's config schema with pointers, secrets sealed on disk and masked in every result, test_connection,
// rotate_secret (and refresh tokens the API rotates written back to the connection), delete. And the rule that
// matters most: no result of any tool of the testing, connections, sync or monitoring groups ever contains a secret.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ElicitRequestSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { shopConnectorDefinition, startTestApi, type AuthOptions, type TestApi } from '@pullpush/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { ALL_TOOLS } from '../src/tools/index.ts';
import { connect, TEST_KEY, type Connected } from './support.ts';

const TOKEN = 'sk_canary_conn_7d41e0a9';
const NEW_TOKEN = 'sk_canary_rotated_93bf2c';
const DEFINITION = 'testkit-shop';

const apis: TestApi[] = [];
afterEach(async () => {
  for (const api of apis.splice(0)) await api.close();
});

async function serve(auth: AuthOptions = { kind: 'bearer', token: TOKEN }): Promise<TestApi> {
  const api = await startTestApi({ seed: 11, auth, dataset: { locations: 3, products: 4, customers: 7, orders: 23 } });
  apis.push(api);
  return api;
}

/** A connected client (tools listed, so the client checks every result against its output schema) and the shop definition. */
async function setup(
  api: TestApi,
  definition: Record<string, unknown> = shopConnectorDefinition({ baseUrl: api.url, pageSize: 10 }) as unknown as Record<string, unknown>,
  env: Record<string, string> = {},
): Promise<Connected> {
  const connected = await connect(Object.keys(env).length > 0 ? { env: { PULLPUSH_SECRET_KEY: TEST_KEY, ...env } } : {});
  await connected.client.listTools();
  connected.server.runtime.workspace.saveDefinition(String(definition['id']), definition);
  return connected;
}

/** Every file under a directory, recursively. */
function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

describe('secrets by reference', () => {
  it('a connection whose key comes from the server\'s environment works, and the key is in no result, notification or file', async () => {
    const api = await serve();
    const { ok, fails, client, server, dir } = await setup(api, undefined, { PULLPUSH_SHOP_API_KEY: TOKEN });
    const notifications: unknown[] = [];
    client.fallbackNotificationHandler = async (notification) => void notifications.push(notification);
    const results: unknown[] = [];
    const created = await ok<{ connection: { config: Record<string, unknown> }; warnings?: string[] }>('create_connection', {
      connection: 'main',
      definition: DEFINITION,
      config: {},
      secretsFrom: { apiKey: { env: 'PULLPUSH_SHOP_API_KEY' } },
    });
    results.push(created);
    expect(created.warnings).toBeUndefined();
    expect(created.connection.config['apiKey']).toBe('••••••');
    // The stored key is the environment's: the API accepts it.
    const tested = await client.callTool({ name: 'test_connector', arguments: { connection: 'main', maxRecords: 10 }, _meta: { progressToken: 'p1' } });
    results.push(tested);
    expect((tested.structuredContent as { verdict: string }).verdict).not.toBe('fail');
    results.push(await ok('read_sample', { connection: 'main', stream: 'orders', limit: 2 }), await ok('get_connection', { connection: 'main' }));
    expect(notifications.length).toBeGreaterThan(0);
    for (const text of [JSON.stringify(results), JSON.stringify(notifications)]) expect(text).not.toContain(TOKEN);
    for (const path of files(dir)) expect(readFileSync(path).includes(TOKEN), path).toBe(false);

    // Refusals name the variable, never a value; the server's own secrets cannot be read this way.
    expect(await fails('create_connection', { connection: 'x', definition: DEFINITION, config: {}, secretsFrom: { apiKey: { env: 'PULLPUSH_UNSET_KEY' } } })).toMatchObject({
      code: 'MCP_INVALID_ARGUMENTS',
      message: 'PULLPUSH_UNSET_KEY is not set in the server\'s environment.',
    });
    expect((await fails('create_connection', { connection: 'x', definition: DEFINITION, config: {}, secretsFrom: { apiKey: { env: 'PULLPUSH_SECRET_KEY' } } })).message).toContain("server's own secret");
    expect((await fails('create_connection', { connection: 'x', definition: DEFINITION, config: {}, secretsFrom: { apiKey: { env: 'HOME' } } })).code).toBe('MCP_INVALID_ARGUMENTS');
    expect(server.runtime.workspace.listConnections().map((connection) => connection.name)).toEqual(['main']);
  });

  it('asks the user for a missing secret through the client\'s form (elicitation); the value never reaches a result', async () => {
    const api = await serve();
    const connected = await connect({}, { elicitation: {} });
    connected.server.runtime.workspace.saveDefinition(DEFINITION, shopConnectorDefinition({ baseUrl: api.url, pageSize: 10 }) as unknown as Record<string, unknown>);
    const questions: Array<{ message: string; requestedSchema: { properties: Record<string, unknown>; required?: string[] } }> = [];
    let answer: { action: 'accept' | 'decline'; content?: Record<string, unknown> } = { action: 'accept', content: { apiKey: TOKEN } };
    connected.client.setRequestHandler(ElicitRequestSchema, (request) => {
      questions.push(request.params as (typeof questions)[number]);
      return answer;
    });
    const created = await connected.ok<{ connection: { config: Record<string, unknown> }; warnings?: string[] }>('create_connection', { connection: 'main', definition: DEFINITION, config: {} });
    expect(questions).toEqual([expect.objectContaining({ message: expect.stringContaining('never sees it'), requestedSchema: expect.objectContaining({ required: ['apiKey'], properties: { apiKey: expect.objectContaining({ type: 'string' }) } }) })]);
    expect(created.warnings).toBeUndefined();
    expect(created.connection.config['apiKey']).toBe('••••••');
    const tested = await connected.ok<{ verdict: string }>('test_connector', { connection: 'main', maxRecords: 10 });
    expect(tested.verdict).not.toBe('fail');
    expect(JSON.stringify([created, tested])).not.toContain(TOKEN);
    // Declined: nothing is stored, and the error says so.
    answer = { action: 'decline' };
    expect(await connected.fails('create_connection', { connection: 'other', definition: DEFINITION, config: {} })).toMatchObject({ code: 'MCP_INVALID_ARGUMENTS', message: expect.stringContaining('declined') });
    expect(connected.server.runtime.workspace.listConnections().map((connection) => connection.name)).toEqual(['main']);
  });

  it('without elicitation, a missing secret is a config problem at its pointer', async () => {
    const api = await serve();
    const { fails } = await setup(api);
    expect(await fails('create_connection', { connection: 'main', definition: DEFINITION, config: {} })).toMatchObject({ code: 'MCP_INVALID_ARGUMENTS', issues: [expect.objectContaining({ pointer: '/config/apiKey', rule: 'required' })] });
  });

  it('accepts a key in plain text, with a warning that it passed through the model', async () => {
    const api = await serve();
    const { ok } = await setup(api);
    const created = await ok<{ warnings?: string[] }>('create_connection', { connection: 'main', definition: DEFINITION, config: { apiKey: TOKEN } });
    expect(created.warnings).toEqual([expect.stringContaining('"apiKey" was given in plain text')]);
  });
});

describe('create_connection', () => {
  it('keeps a base URL per connection: the definition names a production host, the connection a self-hosted one', async () => {
    const api = await serve();
    const definition = shopConnectorDefinition({ baseUrl: 'https://shop.example.com', pageSize: 10 }) as unknown as Record<string, unknown>;
    const { ok } = await setup(api, definition);
    const created = await ok<{ connection: { baseUrl?: string } }>('create_connection', { connection: 'on-prem', definition: DEFINITION, config: { apiKey: TOKEN }, baseUrl: api.url });
    expect(created.connection.baseUrl).toBe(api.url);
    expect(await ok('test_connection', { connection: 'on-prem' })).toMatchObject({ ok: true, status: 200 });
    api.resetRequests();
    const synced = await ok<{ status: string }>('run_sync', { connection: 'on-prem', streams: ['locations'] });
    expect(synced.status).toBe('succeeded');
    expect(api.count({ path: '/cursor/locations' })).toBeGreaterThan(0);
  });

  it('seals the secret keys: the result and get/list show ••••••, the file on disk holds no plain secret', async () => {
    const api = await serve();
    const { ok, server } = await setup(api);
    const created = await ok<{ connection: { name: string; connector: string; config: Record<string, unknown>; secretKeys: string[] } }>('create_connection', {
      connection: 'main',
      definition: DEFINITION,
      config: { apiKey: TOKEN },
    });
    expect(created.connection).toMatchObject({ name: 'main', connector: DEFINITION, config: { apiKey: '••••••' }, secretKeys: ['apiKey'] });
    expect((await ok('get_connection', { connection: 'main' })).connection).toEqual(created.connection);
    expect((await ok<{ connections: unknown[] }>('list_connections', {})).connections).toEqual([created.connection]);
    expect((await ok<{ connections: unknown[] }>('list_connections', { definition: 'other' })).connections).toEqual([]);

    const file = join(server.runtime.workspace.root, 'connections', 'main.json');
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain(TOKEN);
    expect(text).not.toContain(Buffer.from(TOKEN).toString('base64'));
    expect(JSON.parse(text)).toMatchObject({ config: {}, secrets: { apiKey: { alg: 'A256GCM+A256GCM' } } });
    expect(statSync(file).mode & 0o077).toBe(0);
    // The engine gets the secret back.
    expect(server.runtime.workspace.connectionConfig('main').config).toEqual({ apiKey: TOKEN });
  });

  it("checks the config against the definition's config schema, every problem at its pointer, without quoting values", async () => {
    const api = await serve();
    const { fails, call } = await setup(api);
    const error = await fails('create_connection', { connection: 'bad', definition: DEFINITION, config: { extra: TOKEN } });
    expect(error.code).toBe('MCP_INVALID_ARGUMENTS');
    expect(error.issues.map((issue) => issue.pointer).sort()).toEqual(['/config/apiKey', '/config/extra']);
    expect(error.hint).toContain('apiKey');
    const typed = await fails('create_connection', { connection: 'bad', definition: DEFINITION, config: { apiKey: 42 } });
    expect(typed.issues.map((issue) => issue.pointer)).toEqual(['/config/apiKey', '/config/apiKey']);
    const raw = await call('create_connection', { connection: 'bad', definition: DEFINITION, config: { apiKey: '', extra: TOKEN } });
    expect(JSON.stringify(raw)).not.toContain(TOKEN);
    expect((await fails('create_connection', { connection: 'x', definition: 'nope', config: {} })).code).toBe('MCP_NOT_FOUND');
  });

  it('refuses to overwrite a connection unless replace is set', async () => {
    const api = await serve();
    const { ok, fails } = await setup(api);
    await ok('create_connection', { connection: 'main', definition: DEFINITION, config: { apiKey: TOKEN } });
    expect((await fails('create_connection', { connection: 'main', definition: DEFINITION, config: { apiKey: NEW_TOKEN } })).code).toBe('MCP_ALREADY_EXISTS');
    await ok('create_connection', { connection: 'main', definition: DEFINITION, config: { apiKey: NEW_TOKEN }, replace: true });
  });
});

describe('test_connection, rotate_secret, delete_connection', () => {
  it('tests the stored connection; after the API changes its token a rotated secret makes it work again', async () => {
    const api = await serve();
    const { ok, fails, server } = await setup(api);
    await ok('create_connection', { connection: 'main', definition: DEFINITION, config: { apiKey: TOKEN } });
    const working = await ok('test_connection', { connection: 'main' });
    expect(working).toMatchObject({ ok: true, connector: DEFINITION, connection: 'main', stream: 'locations', status: 200, records: 3, requests: 1 });

    api.setAuth({ kind: 'bearer', token: NEW_TOKEN });
    const failing = await ok<{ ok: boolean; error: { code: string; message: string } }>('test_connection', { connection: 'main' });
    expect(failing.ok).toBe(false);
    expect(failing.error.code).toMatch(/^ENGINE_/);
    expect(failing.error.message).toContain('401');

    const rotated = await ok<{ rotated: string; connection: { config: Record<string, unknown> } }>('rotate_secret', { connection: 'main', key: 'apiKey', value: NEW_TOKEN });
    expect(rotated).toMatchObject({ rotated: 'apiKey', connection: { config: { apiKey: '••••••' } } });
    expect(readFileSync(join(server.runtime.workspace.root, 'connections', 'main.json'), 'utf8')).not.toContain(NEW_TOKEN);
    expect(await ok('test_connection', { connection: 'main' })).toMatchObject({ ok: true, status: 200 });

    const notSecret = await fails('rotate_secret', { connection: 'main', key: 'region', value: 'eu' });
    expect(notSecret).toMatchObject({ code: 'MCP_INVALID_ARGUMENTS', hint: expect.stringContaining('apiKey') });
    expect(notSecret.issues[0]?.pointer).toBe('/key');

    expect(await ok('delete_connection', { connection: 'main' })).toEqual({ deleted: 'main' });
    expect((await fails('get_connection', { connection: 'main' })).code).toBe('MCP_NOT_FOUND');
    expect((await fails('test_connection', { connection: 'main' })).code).toBe('MCP_NOT_FOUND');
  });

  it('writes a refresh token the API rotates back to the connection, sealed, so the next run uses it', async () => {
    const initial = 'rt_canary_initial_61c2';
    const api = await serve({ kind: 'oauth2RefreshToken', clientId: 'cid', clientSecret: 'cs_canary_0b7e', refreshToken: initial, rotate: true });
    const { ok, server } = await setup(api, shopConnectorDefinition({ baseUrl: api.url, auth: 'oauth2RefreshToken' }));
    const created = await ok<{ connection: { config: Record<string, unknown> } }>('create_connection', {
      connection: 'oauth',
      definition: DEFINITION,
      config: { clientId: 'cid', clientSecret: 'cs_canary_0b7e', refreshToken: initial },
    });
    expect(created.connection.config).toEqual({ clientId: 'cid', clientSecret: '••••••', refreshToken: '••••••' });

    const first = await ok('test_connection', { connection: 'oauth' });
    expect(first).toMatchObject({ ok: true, status: 200 });
    const stored = server.runtime.workspace.connectionConfig('oauth').config;
    expect(stored['refreshToken']).toBe(api.refreshToken);
    expect(stored['refreshToken']).not.toBe(initial);
    expect(readFileSync(join(server.runtime.workspace.root, 'connections', 'oauth.json'), 'utf8')).not.toContain(String(api.refreshToken));
    expect(JSON.stringify(first)).not.toContain(String(api.refreshToken));

    // The initial refresh token is used up; the connection works because it holds the rotated one.
    api.expireTokens();
    expect(await ok('test_connection', { connection: 'oauth' })).toMatchObject({ ok: true });
    expect(api.tokenRequests).toBe(2);
  });
});

describe('secrets never leave', () => {
  it('no result of any testing, connections, sync or monitoring tool contains a secret, and no workspace file does', async () => {
    const api = await serve();
    // The API echoes the caller's token in records (a "who am I" field), whichever token that is.
    let echoed: string | undefined;
    api.setOnRequest((request, server) => {
      const token = request.headers['authorization']?.replace(/^Bearer /, '');
      if (token === undefined || token === echoed) return;
      echoed = token;
      for (const order of server.data.orders.slice(0, 3)) server.update('orders', order.id, { note: `echo ${token}` });
      for (const customer of server.data.customers.slice(0, 2)) server.update('customers', customer.id, { note: token, first_name: token.toUpperCase() });
    });
    const { call, server, dir } = await setup(api);
    const results: Array<{ name: string; result: CallToolResult }> = [];
    const run = async (name: string, args: Record<string, unknown> = {}) => {
      const result = await call(name, args);
      results.push({ name, result });
      return result;
    };
    const structured = (result: CallToolResult) => result.structuredContent as Record<string, never>;

    await run('create_connection', { connection: 'main', definition: DEFINITION, config: { apiKey: TOKEN } });
    await run('create_connection', { connection: 'other', definition: DEFINITION, config: { apiKey: TOKEN, nope: TOKEN } });
    await run('get_connection', { connection: 'main' });
    await run('list_connections');
    await run('test_connection', { connection: 'main' });
    await run('check_auth', { connection: 'main' });
    await run('check_auth', { definition: DEFINITION, config: { apiKey: TOKEN } });
    await run('check_auth', { definition: DEFINITION, config: { apiKey: `${TOKEN}-wrong` } });
    const tested = await run('test_connector', { connection: 'main', maxRecords: 20 });
    await run('test_connector', { definition: DEFINITION, config: { apiKey: `${TOKEN}-wrong` } });
    await run('test_stream', { definition: DEFINITION, config: { apiKey: TOKEN }, stream: 'customers' });
    await run('get_test_report', { report: structured(tested)['reportId'] });
    await run('list_test_reports');
    await run('read_sample', { connection: 'main', stream: 'orders', limit: 3 });
    await run('read_sample', { definition: DEFINITION, config: { apiKey: TOKEN }, stream: 'orders', native: true });
    await run('read_sample', { definition: DEFINITION, config: { apiKey: `${TOKEN}-wrong` }, stream: 'orders' });
    const synced = await run('run_sync', { connection: 'main' });
    const runId = structured(synced)['runId'];
    await run('sync_status', { run: runId });
    await run('list_runs');
    await run('get_run', { run: runId });
    await run('get_state', { connection: 'main' });
    await run('list_failed_records');
    await run('event_stats');
    await run('system_health');
    await run('reset_state', { connection: 'main' });
    await run('rotate_secret', { connection: 'main', key: 'apiKey', value: NEW_TOKEN });
    api.setAuth({ kind: 'bearer', token: NEW_TOKEN });
    await run('test_connection', { connection: 'main' });
    const background = await run('run_sync', { connection: 'main', streams: ['orders'], wait: false });
    await run('cancel_run', { run: structured(background)['runId'] });
    await run('delete_connection', { connection: 'main' });

    // Every tool of the four groups was called.
    const groups = ['testing', 'connections', 'sync', 'monitoring'];
    const ours = ALL_TOOLS.filter((tool) => groups.includes(tool.group)).map((tool) => tool.name);
    expect(new Set(results.map((entry) => entry.name))).toEqual(new Set(ours));
    expect(results.filter((entry) => entry.result.isError).map((entry) => entry.name)).toEqual(['create_connection', 'read_sample']);

    const secrets = [TOKEN, NEW_TOKEN, encodeURIComponent(TOKEN), Buffer.from(TOKEN).toString('base64'), Buffer.from(NEW_TOKEN).toString('base64')];
    for (const { name, result } of results) {
      const text = JSON.stringify(result);
      for (const secret of secrets) expect(text.includes(secret), `${name} leaked a secret: ${text.slice(0, 300)}`).toBe(false);
    }
    // Wait for the background run before reading the database files.
    for (const active of server.runtime.runs.values()) await active.done;
    for (const file of files(dir)) {
      const bytes = readFileSync(file);
      for (const secret of secrets) expect(bytes.includes(secret), `${file} holds a secret`).toBe(false);
    }
  });
});

