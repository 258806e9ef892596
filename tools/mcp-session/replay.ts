// The assistant session of issue 17, replayed: an MCP client builds a connector for testkit's shop API from nothing
// and syncs it, as an assistant following the server's instructions would — in dynamic mode, enabling only the
// toolsets it needs, the credential given by reference from the environment. It sums what the model reads (every
// tools/list and every result's text) and reports it in tokens (characters / 4), the budget being 25k.
//   npm run mcp:session [-- --json]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { createPullPushServer } from '@pullpush/mcp';
import { startTestApi } from '@pullpush/testkit';

export interface SessionStep {
  step: string;
  characters: number;
  ok: boolean;
}

export interface SessionResult {
  steps: SessionStep[];
  characters: number;
  tokens: number;
  testVerdict: string;
  syncStatus: string;
  /** Whether the shop token appeared in anything the client received: results, notifications, progress. */
  tokenSeen: boolean;
}

export async function replaySession(): Promise<SessionResult> {
  const token = `shop-session-token-${process.pid}`;
  // Pages of two: every stream, the three locations too, shows its pagination working in the test run.
  const api = await startTestApi({ auth: { kind: 'bearer', token }, dataset: { orders: 200 }, pagination: { maxPageSize: 2 } });
  const dir = mkdtempSync(join(tmpdir(), 'pullpush-session-'));
  const server = createPullPushServer({
    workspace: join(dir, 'workspace'),
    env: { PULLPUSH_SECRET_KEY: Buffer.alloc(32, 3).toString('base64'), PULLPUSH_SHOP_TOKEN: token },
    engine: { allowPrivateNetwork: 'loopback', allowInsecureHttp: true },
    toolsets: 'dynamic',
  });
  const client = new Client({ name: 'session-replay', version: '0' });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await Promise.all([server.connect(serverSide), client.connect(clientSide)]);
  const steps: SessionStep[] = [];
  const received: string[] = [];
  const listTools = async (step: string) => {
    const text = JSON.stringify((await client.listTools()).tools);
    received.push(text);
    steps.push({ step, characters: text.length, ok: true });
  };
  // Notifications reach the model's client too: progress of tests and syncs, list changes.
  client.fallbackNotificationHandler = async (notification) => {
    received.push(JSON.stringify(notification));
  };
  const call = async (name: string, args: Record<string, unknown>) => {
    const onprogress = (progress: unknown) => void received.push(JSON.stringify(progress));
    const result = (await client.callTool({ name, arguments: args }, undefined, { onprogress })) as CallToolResult;
    // The model reads the text content; structuredContent carries the same JSON for programs.
    const text = result.content.map((part) => (part.type === 'text' ? part.text : '')).join('\n');
    received.push(text, JSON.stringify(result.structuredContent ?? {}));
    steps.push({ step: `${name}`, characters: text.length, ok: result.isError !== true });
    return result.structuredContent as Record<string, unknown>;
  };
  try {
    const description = `${api.url}/openapi.json`;
    await listTools('tools/list (dynamic: two tools)');
    await call('list_toolsets', {});
    await call('enable_toolset', { toolsets: ['discover', 'connect', 'test', 'sync'] });
    await listTools('tools/list (discover, connect, test, sync)');
    await call('discover_api', { url: description, limit: 10 });
    const drafted = await call('generate_connector', { url: description, save: true, verify: true });
    const definition = (drafted['saved'] as { id: string }).id;
    await call('create_connection', { connection: 'shop', definition, config: {}, secretsFrom: { accessToken: { env: 'PULLPUSH_SHOP_TOKEN' } }, baseUrl: api.url });
    const tested = await call('test_connector', { definition, connection: 'shop' });
    const synced = await call('run_sync', { connection: 'shop', definition });
    const characters = steps.reduce((sum, step) => sum + step.characters, 0);
    return {
      steps,
      characters,
      tokens: Math.ceil(characters / 4),
      testVerdict: String(tested['verdict']),
      syncStatus: String((synced['summary'] as { status?: string } | undefined)?.status ?? synced['status']),
      tokenSeen: received.some((text) => text.includes(token)),
    };
  } finally {
    await client.close();
    await server.close();
    await api.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { json: { type: 'boolean' } } });
  const result = await replaySession();
  if (values.json) {
    console.log(JSON.stringify(result, null, 2));
  } else {
    for (const step of result.steps) console.log(`${step.ok ? ' ' : '✖'} ${step.step.padEnd(44)} ${String(step.characters).padStart(7)} chars  ~${Math.ceil(step.characters / 4)} tokens`);
    console.log(`total: ${result.characters} characters, ~${result.tokens} tokens (budget 25,000); test ${result.testVerdict}, sync ${result.syncStatus}; token seen by the client: ${result.tokenSeen}`);
  }
}
