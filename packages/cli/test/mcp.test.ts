// `pullpush mcp` spawned for real: over stdio through the SDK's StdioClientTransport, and over Streamable HTTP
// with and without the bearer token and with a foreign Host header.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { request } from 'node:http';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { describe, expect, it } from 'vitest';
import { BIN, pullpush, useTempDirs } from './support.ts';

const tempDir = useTempDirs();
const KEY = Buffer.alloc(32, 3).toString('base64');
const TOKEN = 'mcp-http-token-5e8c1a9d7b3f';

describe('pullpush mcp (stdio)', () => {
  it('serves every tool to a client that spawns it, and stops when the client goes', async () => {
    const dir = tempDir();
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: ['--conditions=@pullpush/source', BIN, 'mcp', '--workspace', join(dir, 'ws')],
      env: { PATH: process.env['PATH'] ?? '', PULLPUSH_SECRET_KEY: KEY },
      cwd: dir,
      stderr: 'pipe',
    });
    const client = new Client({ name: 'cli-test', version: '0' });
    await client.connect(transport);
    const { tools } = await client.listTools();
    expect(tools.length).toBeGreaterThanOrEqual(40);
    const result = await client.callTool({ name: 'list_canonical_types', arguments: {} });
    expect(result.isError).toBeFalsy();
    expect(JSON.stringify(result.structuredContent)).toContain('commerce.order');
    const pid = transport.pid;
    await client.close();
    expect(pid).toBeTypeOf('number');
  });

  it('serves only the toolsets --toolsets names, or starts dynamic; an unknown toolset is a usage error', async () => {
    const dir = tempDir();
    const start = async (toolsets: string) => {
      const transport = new StdioClientTransport({
        command: process.execPath,
        args: ['--conditions=@pullpush/source', BIN, 'mcp', '--workspace', join(dir, 'ws'), '--toolsets', toolsets],
        env: { PATH: process.env['PATH'] ?? '', PULLPUSH_SECRET_KEY: KEY },
        cwd: dir,
        stderr: 'pipe',
      });
      const client = new Client({ name: 'cli-test', version: '0' });
      await client.connect(transport);
      const names = (await client.listTools()).tools.map((tool) => tool.name);
      await client.close();
      return names;
    };
    expect((await start('discover,connect')).sort()).toEqual(
      ['create_connection', 'list_connections', 'get_connection', 'test_connection', 'delete_connection', 'rotate_secret', 'discover_api', 'generate_connector', 'start_mock_api', 'stop_mock_api', 'probe_endpoint'].sort(),
    );
    expect(await start('dynamic')).toEqual(['list_toolsets', 'enable_toolset']);
    const refused = await pullpush(['mcp', '--toolsets', 'discover,everything'], { cwd: dir });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('no toolset everything');
  });
});

function post(url: URL, headers: Record<string, string>): Promise<number> {
  const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '0' } } });
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('pullpush mcp --http', () => {
  it('serves a client with the token, refuses one without it and a foreign Host, and stops on SIGINT with exit 0', async () => {
    const dir = tempDir();
    const child = spawn(process.execPath, ['--conditions=@pullpush/source', BIN, 'mcp', '--http', '--json', '--workspace', join(dir, 'ws')], {
      cwd: dir,
      env: { PATH: process.env['PATH'] ?? '', PULLPUSH_SECRET_KEY: KEY, PULLPUSH_MCP_TOKEN: TOKEN },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const [line] = (await once(createInterface({ input: child.stdout }), 'line')) as [string];
    const { url, transport: kind } = JSON.parse(line) as { url: string; transport: string };
    expect(kind).toBe('streamable-http');
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);

    const transport = new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: { authorization: `Bearer ${TOKEN}` } } });
    const client = new Client({ name: 'cli-http-test', version: '0' });
    await client.connect(transport);
    expect((await client.listTools()).tools.length).toBeGreaterThanOrEqual(40);
    await client.close();

    expect(await post(new URL(url), {})).toBe(401);
    expect(await post(new URL(url), { authorization: 'Bearer wrong-token-000000000' })).toBe(401);
    expect(await post(new URL(url), { authorization: `Bearer ${TOKEN}`, host: 'attacker.example' })).toBe(403);
    expect(await post(new URL(url), { authorization: `Bearer ${TOKEN}` })).toBe(200);

    child.kill('SIGINT');
    const [code] = (await once(child, 'close')) as [number];
    expect(code, stderr).toBe(0);
    expect(stderr).not.toContain(TOKEN);
  });

  it('refuses --http without a token: usage error, exit 2, with a hint', async () => {
    const dir = tempDir();
    const result = await pullpush(['mcp', '--http', '--workspace', join(dir, 'ws')], { cwd: dir, env: { PULLPUSH_SECRET_KEY: KEY } });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--http needs a bearer token');
    expect(result.stderr).toContain('openssl rand');
  });
});
