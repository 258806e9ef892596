// The stdio transport: one server for the one client that spawned the process (`pullpush mcp`).
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { createPullPushServer, type PullPushServer, type PullPushServerOptions } from './server.ts';

/** Serves on stdin/stdout until the client closes the pipe; logs must go to stderr. */
export async function serveStdio(options: PullPushServerOptions = {}): Promise<PullPushServer> {
  const server = createPullPushServer(options);
  await server.connect(new StdioServerTransport());
  return server;
}
