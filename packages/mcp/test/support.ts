// A PullPush MCP server and the SDK's real Client over an in-memory transport, in a temporary workspace.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { CallToolResult, ClientCapabilities } from '@modelcontextprotocol/sdk/types.js';
import { afterEach } from 'vitest';
import { createPullPushServer, type PullPushServer, type PullPushServerOptions } from '../src/index.ts';

export const TEST_KEY = Buffer.alloc(32, 7).toString('base64');
/** Engine options for testkit servers on 127.0.0.1. */
export const LOCAL_ENGINE = { allowPrivateNetwork: 'loopback', allowInsecureHttp: true } as const;

export interface Connected {
  client: Client;
  server: PullPushServer;
  dir: string;
  /** Calls a tool; the result as the client got it. */
  call(name: string, args?: Record<string, unknown>): Promise<CallToolResult>;
  /** Calls a tool that must succeed; its structured content. */
  ok<T = Record<string, unknown>>(name: string, args?: Record<string, unknown>): Promise<T>;
  /** Calls a tool that must fail; its error (code, message, hint, issues). */
  fails(name: string, args?: Record<string, unknown>): Promise<{ code: string; message: string; hint?: string; issues: Array<{ pointer: string; message: string; rule?: string }> }>;
}

const open: Array<{ client: Client; server: PullPushServer; dir: string }> = [];
afterEach(async () => {
  for (const { client, server, dir } of open.splice(0)) {
    await client.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

/** `clientCapabilities`: what the test client declares (elicitation, to be asked for secrets). */
export async function connect(options: PullPushServerOptions = {}, clientCapabilities: ClientCapabilities = {}): Promise<Connected> {
  const dir = mkdtempSync(join(tmpdir(), 'pullpush-mcp-'));
  const server = createPullPushServer({ workspace: join(dir, 'workspace'), env: { PULLPUSH_SECRET_KEY: TEST_KEY }, engine: LOCAL_ENGINE, ...options });
  const client = new Client({ name: 'pullpush-test', version: '0.0.0' }, { capabilities: clientCapabilities });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await Promise.all([server.connect(serverSide), client.connect(clientSide)]);
  // The client checks results against output schemas only for tools it has listed.
  await client.listTools();
  open.push({ client, server, dir });
  const call = async (name: string, args: Record<string, unknown> = {}) => (await client.callTool({ name, arguments: args })) as CallToolResult;
  return {
    client,
    server,
    dir,
    call,
    async ok(name, args) {
      const result = await call(name, args);
      if (result.isError) throw new Error(`${name} failed: ${(result.content[0] as { text: string }).text}`);
      return result.structuredContent as never;
    },
    async fails(name, args) {
      const result = await call(name, args);
      if (!result.isError) throw new Error(`${name} succeeded: ${JSON.stringify(result.structuredContent)}`);
      return (JSON.parse((result.content[1] as { text: string }).text) as { error: never }).error;
    },
  };
}
