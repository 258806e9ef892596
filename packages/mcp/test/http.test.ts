// The Streamable HTTP transport with a real Client: the bearer token is required, foreign Host and Origin
// headers are refused (DNS rebinding), sessions are created by initialize, kept apart, and ended by DELETE.
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BoundedEventStore } from '../src/event-store.ts';
import { startHttpServer, type RunningHttpServer } from '../src/index.ts';
import { TEST_KEY } from './support.ts';

const TOKEN = 'test-token-0123456789abcdef';
let dir: string;
let running: RunningHttpServer;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pullpush-mcp-http-'));
  running = await startHttpServer({ token: TOKEN, workspace: join(dir, 'workspace'), env: { PULLPUSH_SECRET_KEY: TEST_KEY } });
});
afterEach(async () => {
  await running.close();
  rmSync(dir, { recursive: true, force: true });
});

function client(token?: string): { client: Client; transport: StreamableHTTPClientTransport } {
  const transport = new StreamableHTTPClientTransport(new URL(running.url), token ? { requestInit: { headers: { authorization: `Bearer ${token}` } } } : {});
  return { client: new Client({ name: 'http-test', version: '0.0.0' }), transport };
}

/** A raw POST with chosen headers (fetch does not let a caller set Host). */
function post(headers: Record<string, string>, body: unknown): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  const url = new URL(running.url);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers } }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text, headers: res.headers }));
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

const initialize = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '0' } } };

describe('Streamable HTTP', () => {
  it('serves a client with the token: tools listed and called', async () => {
    const { client: c, transport } = client(TOKEN);
    await c.connect(transport);
    const { tools } = await c.listTools();
    expect(tools.map((tool) => tool.name)).toContain('validate_definition');
    const result = await c.callTool({ name: 'list_template_variables', arguments: { place: 'auth' } });
    expect(result.isError).toBeFalsy();
    expect(transport.sessionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(running.sessions).toBe(1);
    await transport.terminateSession();
    await c.close();
    expect(running.sessions).toBe(0);
  });

  it('refuses a client without the token, or with a wrong one (401 with WWW-Authenticate)', async () => {
    const { client: c, transport } = client();
    await expect(c.connect(transport)).rejects.toThrow(/401|Unauthorized|bearer/i);
    const wrong = await post({ authorization: 'Bearer wrong-token-0123456789' }, initialize);
    expect(wrong.status).toBe(401);
    expect(wrong.headers['www-authenticate']).toContain('Bearer');
  });

  it('refuses a foreign Host header and a foreign Origin even with the token (DNS rebinding)', async () => {
    const foreignHost = await post({ authorization: `Bearer ${TOKEN}`, host: 'evil.example.com' }, initialize);
    expect(foreignHost.status).toBe(403);
    expect(foreignHost.body).toContain('Host evil.example.com is not allowed');
    const foreignOrigin = await post({ authorization: `Bearer ${TOKEN}`, origin: 'http://evil.example.com' }, initialize);
    expect(foreignOrigin.status).toBe(403);
    const sameOrigin = await post({ authorization: `Bearer ${TOKEN}`, origin: `http://localhost:${running.port}` }, initialize);
    expect(sameOrigin.status).toBe(200);
  });

  it('answers an unknown session with 404 and a non-initialize first request with 400', async () => {
    const unknown = await post({ authorization: `Bearer ${TOKEN}`, 'mcp-session-id': 'no-such-session' }, { jsonrpc: '2.0', id: 2, method: 'tools/list' });
    expect(unknown.status).toBe(404);
    const first = await post({ authorization: `Bearer ${TOKEN}` }, { jsonrpc: '2.0', id: 2, method: 'tools/list' });
    expect(first.status).toBe(400);
  });

  it('keeps sessions apart', async () => {
    const a = client(TOKEN);
    const b = client(TOKEN);
    await a.client.connect(a.transport);
    await b.client.connect(b.transport);
    expect(a.transport.sessionId).not.toBe(b.transport.sessionId);
    expect(running.sessions).toBe(2);
    await a.client.close();
    await b.client.close();
  });

  it('refuses to start without a long enough token', async () => {
    await expect(startHttpServer({ token: 'short', workspace: join(dir, 'w2'), env: { PULLPUSH_SECRET_KEY: TEST_KEY } })).rejects.toMatchObject({ code: 'MCP_UNAUTHORIZED' });
  });

  it('answers a body over the limit with 413, without reading it all', async () => {
    await running.close();
    running = await startHttpServer({ token: TOKEN, workspace: join(dir, 'workspace'), env: { PULLPUSH_SECRET_KEY: TEST_KEY }, maxBodyBytes: 2048 });
    const big = { ...initialize, params: { ...initialize.params, clientInfo: { name: 'x'.repeat(4096), version: '0' } } };
    const answer = await post({ authorization: `Bearer ${TOKEN}` }, big);
    expect(answer.status).toBe(413);
    expect(answer.body).toContain('MCP_TOO_LARGE');
    expect(running.sessions).toBe(0);
    // A body within the limit still opens a session.
    expect((await post({ authorization: `Bearer ${TOKEN}` }, initialize)).status).toBe(200);
  });

  it('keeps at most maxSessions open (503 with Retry-After beyond), and closes idle ones so their ids answer 404', async () => {
    await running.close();
    running = await startHttpServer({ token: TOKEN, workspace: join(dir, 'workspace'), env: { PULLPUSH_SECRET_KEY: TEST_KEY }, maxSessions: 2, sessionIdleMs: 300 });
    const opened = [await post({ authorization: `Bearer ${TOKEN}` }, initialize), await post({ authorization: `Bearer ${TOKEN}` }, initialize)];
    expect(opened.map((answer) => answer.status)).toEqual([200, 200]);
    const refused = await post({ authorization: `Bearer ${TOKEN}` }, initialize);
    expect(refused.status).toBe(503);
    expect(refused.headers['retry-after']).toBe('60');
    expect(refused.body).toContain('MCP_UNAVAILABLE');
    // Nothing more is asked of them: the sweep closes both once they have been idle for 300 ms.
    const deadline = Date.now() + 30_000;
    while (running.sessions > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(running.sessions).toBe(0);
    const expired = await post({ authorization: `Bearer ${TOKEN}`, 'mcp-session-id': String(opened[0]?.headers['mcp-session-id']) }, { jsonrpc: '2.0', id: 2, method: 'tools/list' });
    expect(expired.status).toBe(404);
    expect((await post({ authorization: `Bearer ${TOKEN}` }, initialize)).status).toBe(200);
  });

  it('serves RFC 9728 protected-resource metadata, and its 401 points to it', async () => {
    const refused = await post({}, initialize);
    expect(refused.status).toBe(401);
    const challenge = String(refused.headers['www-authenticate']);
    const metadataUrl = /resource_metadata="([^"]+)"/.exec(challenge)?.[1];
    expect(metadataUrl).toBe(`${new URL(running.url).origin}/.well-known/oauth-protected-resource/mcp`);
    for (const url of [metadataUrl as string, `${new URL(running.url).origin}/.well-known/oauth-protected-resource`]) {
      const response = await fetch(url);
      expect(response.status).toBe(200);
      // No authorization server: the token comes from whoever runs the server, so no OAuth flow is started.
      expect(await response.json()).toEqual({ resource: running.url, bearer_methods_supported: ['header'], resource_name: 'PullPush MCP server' });
    }
  });

  it('behind a TLS proxy, names the public URL in its metadata and its 401, and accepts that host', async () => {
    const proxied = await startHttpServer({ token: TOKEN, workspace: join(dir, 'proxied'), env: { PULLPUSH_SECRET_KEY: TEST_KEY }, publicUrl: 'https://mcp.example.com/mcp' });
    try {
      const send = (path: string, headers: Record<string, string>, method = 'GET', body?: string) =>
        new Promise<{ status: number; headers: Record<string, unknown>; body: string }>((resolve, reject) => {
          const outgoing = request(new URL(path, proxied.url), { method, headers }, (incoming) => {
            let text = '';
            incoming.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
            incoming.on('end', () => resolve({ status: incoming.statusCode ?? 0, headers: incoming.headers, body: text }));
          });
          outgoing.on('error', reject);
          outgoing.end(body);
        });
      const viaProxy = { host: 'mcp.example.com', origin: 'https://mcp.example.com', 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
      const refused = await send('/mcp', viaProxy, 'POST', JSON.stringify(initialize));
      expect(refused.status).toBe(401);
      expect(String(refused.headers['www-authenticate'])).toContain('resource_metadata="https://mcp.example.com/.well-known/oauth-protected-resource/mcp"');
      const metadata = await send('/.well-known/oauth-protected-resource/mcp', { host: 'mcp.example.com' });
      expect(JSON.parse(metadata.body)).toMatchObject({ resource: 'https://mcp.example.com/mcp' });
      const elsewhere = await send('/.well-known/oauth-protected-resource/mcp', { host: 'evil.example.net' });
      expect(elsewhere.status).toBe(403);
    } finally {
      await proxied.close();
    }
  });

  it('gives SSE events ids and replays what a client missed when it reconnects with Last-Event-ID', async () => {
    const auth = { authorization: `Bearer ${TOKEN}` };
    const opened = await post(auth, initialize);
    const session = { ...auth, 'mcp-session-id': String(opened.headers['mcp-session-id']) };
    await post(session, { jsonrpc: '2.0', method: 'notifications/initialized' });
    const definition = { dsl: 'pullpush/v1', id: 'tiny', name: 'Tiny', version: '1.0.0', http: { baseUrl: 'https://api.example.com' }, auth: { kind: 'none' }, streams: { items: { request: { path: '/items' }, primaryKey: ['id'] } } };

    // The server's own stream (GET): a resource change arrives there with an event id.
    const first = listen(session);
    await post(session, { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'create_definition', arguments: { document: definition } } });
    const seen = (await first.until((events) => events.some((event) => event.data.includes('list_changed')))).find((event) => event.data.includes('list_changed'));
    first.close();
    expect(seen?.id).toMatch(/^\d+$/);

    // Disconnected, the next change is kept; reconnecting after the last event seen delivers it.
    await post(session, { jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'delete_definition', arguments: { definition: 'tiny' } } });
    const resumed = listen({ ...session, 'last-event-id': String(seen?.id) });
    const replayed = await resumed.until((events) => events.some((event) => event.data.includes('list_changed')));
    resumed.close();
    expect(replayed.filter((event) => event.data.includes('list_changed'))).toHaveLength(1);
    expect(Number(replayed.find((event) => event.data.includes('list_changed'))?.id)).toBeGreaterThan(Number(seen?.id));
  });
});

describe('BoundedEventStore', () => {
  it('replays the later events of the same stream, and keeps only the newest events', async () => {
    const store = new BoundedEventStore(3);
    const message = (n: number) => ({ jsonrpc: '2.0' as const, method: `m${n}` });
    const ids = [await store.storeEvent('a', message(1)), await store.storeEvent('b', message(2)), await store.storeEvent('a', message(3))];
    const sent: string[] = [];
    expect(await store.replayEventsAfter(ids[0] as string, { send: async (id, event) => void sent.push(`${id}:${(event as { method: string }).method}`) })).toBe('a');
    expect(sent).toEqual([`${ids[2]}:m3`]);
    await store.storeEvent('a', message(4));
    // The first event was dropped: resuming from it is refused, so the client starts afresh.
    await expect(store.replayEventsAfter(ids[0] as string, { send: async () => undefined })).rejects.toThrow(/no longer kept/);
    expect(await store.getStreamIdForEventId(ids[1] as string)).toBe('b');
  });
});

/** An SSE GET on the MCP endpoint: its events as they come (id and data), until a condition holds. */
function listen(headers: Record<string, string>): { until: (done: (events: Array<{ id?: string; data: string }>) => boolean) => Promise<Array<{ id?: string; data: string }>>; close: () => void } {
  const url = new URL(running.url);
  const events: Array<{ id?: string; data: string }> = [];
  const waiters: Array<() => void> = [];
  let buffer = '';
  const req = request({ host: url.hostname, port: url.port, path: url.pathname, method: 'GET', headers: { accept: 'text/event-stream', ...headers } }, (res) => {
    res.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      let end = buffer.indexOf('\n\n');
      while (end !== -1) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const id = /^id: (.*)$/m.exec(block)?.[1];
        const data = [...block.matchAll(/^data: ?(.*)$/gm)].map((match) => match[1]).join('\n');
        events.push({ ...(id === undefined ? {} : { id }), data });
        end = buffer.indexOf('\n\n');
      }
      for (const wake of waiters.splice(0)) wake();
    });
  });
  req.on('error', () => undefined);
  req.end();
  return {
    async until(done) {
      while (!done(events)) await new Promise<void>((resolve) => waiters.push(resolve));
      return events;
    },
    close: () => req.destroy(),
  };
}
